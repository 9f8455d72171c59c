"""Every hand-computed case of `tests/cases/*.yaml`, one block each (the openfisca-france
`tests/formulas/` way): a household, a date, the expected figures and where each comes from.

Cases are written from the household's side; `why` fields are for the reader and are never
compared. Only the keys written in `output` are checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.aids.engine import compute_aids
from bot.profile import parse_profile
from bot.savings.engine import estimate_savings

HERE = Path(__file__).parent
# The household every aids case starts from, unless the case says otherwise.
AIDS_BASE: dict[str, Any] = {
    "insee_code": "80021", "housing_type": "house", "occupancy": "owner_occupier",
    "construction_year": 1975, "surface_m2": 100, "household_size": 1,
}
SAVINGS_BASE: dict[str, Any] = {"insee_code": "80021", "housing_type": "house"}


def _cases() -> list[tuple[str, dict]]:
    found = []
    for path in sorted(HERE.glob("*.yaml")):
        for case in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if case:
                found.append((f"{path.stem}: {case['name']}", case))
    return found


CASES = _cases()


def _matches(expected: Any, actual: Any, where: str) -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        for key, value in expected.items():
            if key == "why":
                continue
            assert key in actual, f"{where}.{key} missing"
            _matches(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-3), where
    else:
        assert actual == expected, f"{where}: expected {expected!r}, got {actual!r}"


def _find_aid(result: dict, aid: str, work: str | None) -> dict:
    matches = [a for a in result["aids"] if a["aid"] == aid and a.get("work") == work]
    assert len(matches) == 1, f"{aid}/{work}: {len(matches)} entries"
    return matches[0]


def test_there_are_cases():
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[name for name, _ in CASES])
def test_case(case):
    engine = case.get("engine", "aids")
    base = AIDS_BASE if engine == "aids" else SAVINGS_BASE
    profile = parse_profile({**base, "date": str(case["period"]), **case["input"]})
    result = compute_aids(profile) if engine == "aids" else estimate_savings(profile)
    expected = dict(case["output"])
    for item in expected.pop("aids", []):
        actual = _find_aid(result, item["aid"], item.get("work"))
        _matches({k: v for k, v in item.items() if k not in ("aid", "work")}, actual,
                 f"{item['aid']}/{item.get('work')}")
    _matches(expected, result, "result")
