from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

# --import-mode=importlib adds no test directory to sys.path: the helpers live here.
sys.path.insert(0, str(Path(__file__).parent))

from fake_datafair import FakeDataFair  # noqa: E402
from records import PERIMETER_DATASET, PERIMETER_ROWS, RGE_DATASET, RGE_ROWS  # noqa: E402

# A local server answers well within this even on a loaded 2-core machine: a 0.4 s limit once
# made a plain answer time out and be retried in CI, which changed the counted requests.
CLIENT_TIMEOUT_S = 3.0
# Tests of a server that stops answering use a short limit, so they stay quick.
HANGING_TIMEOUT_S = 0.4


@pytest.fixture
def fake(monkeypatch, tmp_path):
    """A fake data-fair on 127.0.0.1, the code pointed at it, the cache in tmp_path."""
    datasets = copy.deepcopy({RGE_DATASET: RGE_ROWS, PERIMETER_DATASET: PERIMETER_ROWS})
    with FakeDataFair(datasets) as server:  # each test may alter its own copy
        monkeypatch.setenv("BOT_DATAFAIR_URL", server.base_url)
        monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setenv("BOT_HTTP_TIMEOUT", str(CLIENT_TIMEOUT_S))
        monkeypatch.setenv("BOT_HTTP_RETRIES", "2")
        monkeypatch.setenv("BOT_HTTP_BACKOFF", "0.01")
        monkeypatch.delenv("BOT_AMIENS_DESK_NAME", raising=False)
        server.timeout_sleep_s = CLIENT_TIMEOUT_S * 3
        yield server


@pytest.fixture
def hanging(fake, monkeypatch):
    """The fake data-fair stops answering; the client gives up after HANGING_TIMEOUT_S."""
    monkeypatch.setenv("BOT_HTTP_TIMEOUT", str(HANGING_TIMEOUT_S))
    fake.timeout_sleep_s = HANGING_TIMEOUT_S * 3
    fake.mode = "timeout"
    return fake
