"""Helpers for the aids tests: build a profile from a few fields and compute its aids."""

from __future__ import annotations

from typing import Any

import pytest

from bot.aids.engine import compute_aids
from bot.profile import parse_profile

# A Somme (Amiens, zone H1) owner-occupied house of 1975, 100 m².
BASE: dict[str, Any] = {
    "date": "2026-03-02", "insee_code": "80021", "housing_type": "house",
    "occupancy": "owner_occupier", "construction_year": 1975, "surface_m2": 100,
    "household_size": 1,
}
# RFR giving each category for one person outside Île-de-France (2025 scale).
INCOME_1P = {"very_modest": 15000, "modest": 20000, "intermediate": 28000, "high": 40000}


def run(**fields: Any) -> dict:
    data = {**BASE, **fields}
    data = {key: value for key, value in data.items() if value is not None}
    return compute_aids(parse_profile(data))


def find(result: dict, aid: str, work: str | None = None) -> dict:
    matches = [a for a in result["aids"] if a["aid"] == aid and a.get("work") == work]
    assert len(matches) == 1, f"{aid}/{work}: {len(matches)} entries"
    return matches[0]


@pytest.fixture
def aids():
    return run


@pytest.fixture
def find_aid():
    return find
