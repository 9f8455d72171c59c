"""The scaled setup (runtime/scaled.py) started once for this directory: PostgreSQL, Redis,
nginx, 2 Rasa processes and 2 action servers on free ports, data in a fresh directory.

The Debian packages are installed by scripts/services/install.sh if missing; only when that
is impossible (no root, no apt-get, no package mirror) are these tests skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from runtime.scaled import ScaledStack, install_services
from runtime.train import ensure_model


@pytest.fixture(scope="session")
def scaled_model() -> Path:
    given = os.environ.get("BOT_TEST_MODEL")
    return Path(given) if given else ensure_model(quiet=True)


@pytest.fixture(scope="session")
def scaled_stack(scaled_model):
    try:
        install_services()
    except RuntimeError as error:
        pytest.skip("Configuration à l'échelle non testée : les paquets Debian postgresql, "
                    f"redis-server et nginx n'ont pas pu être installés ({error}).")
    # Not under pytest's 0700 temp root: the postgres user must reach its data directory.
    workdir = Path(tempfile.mkdtemp(prefix="scaled-test-"))
    # Summaries and callback requests of these conversations in their own file (erase test).
    stack = ScaledStack(model=scaled_model, workdir=workdir, rasa_processes=2,
                        action_servers=2,
                        extra_env={"HANDOFF_DB": str(workdir / "handoff.db")})
    stack.start()
    yield stack
    stack.stop()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def sender() -> str:
    return f"scaled-{uuid.uuid4().hex[:12]}"
