"""Fixtures shared by the runtime tests that build Rasa trackers by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    """The project's domain as Rasa loads it."""
    return Domain.load(str(ROOT / "domain.yml"))
