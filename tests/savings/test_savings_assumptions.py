"""What the estimate assumed, twice: French sentences for the household (`assumptions`) and
stable codes for programs (`assumption_codes`, same order); the wording lives in one module."""

from __future__ import annotations

import re
import string
from pathlib import Path

from bot.profile import parse_profile
from bot.savings.assumptions_fr import ASSUMPTIONS_FR
from bot.savings.engine import estimate_savings

SAVINGS_DIR = Path(__file__).resolve().parents[2] / "bot" / "savings"


def _estimate(**fields) -> dict:
    return estimate_savings(parse_profile({"date": "2026-11-28", "surface_m2": 70,
                                           "heating_energy": "gas", **fields}))


def test_every_code_the_engine_uses_has_a_french_sentence():
    used: set[str] = set()
    for path in SAVINGS_DIR.glob("*.py"):
        if path.name == "assumptions_fr.py":
            continue
        text = path.read_text(encoding="utf-8")
        used.update(re.findall(r'assume\(\s*"(\w+)"', text))
        used.update(re.findall(r'fragment\(\s*"(\w+)"', text))
    # codes chosen by a condition (assume("a" if … else "b"), the apartment's fragments)
    used.update({"gas_subscription_dropped", "propane_tank_dropped", "apartment_no_roof",
                 "apartment_roof_top_floor", "apartment_roof_from_works", "apartment_no_floor",
                 "apartment_floor_exposed", "apartment_floor_from_works"})
    assert len(used) > 35  # the scan really read the engine
    assert used <= set(ASSUMPTIONS_FR), sorted(used - set(ASSUMPTIONS_FR))


def test_placeholders_are_named():
    for code, text in ASSUMPTIONS_FR.items():
        names = [n for _, n, _, _ in string.Formatter().parse(text) if n is not None]
        assert all(re.fullmatch(r"[a-z0-9_]+", n) for n in names), (code, names)


def test_a_flat_without_commune_says_what_was_assumed_by_code():
    result = _estimate(housing_type="apartment", construction_year=1960,
                       works=[{"type": "attic_insulation", "surface_m2": 60,
                               "cost_eur": 3000}])
    codes = result["assumption_codes"]
    assert len(codes) == len(result["assumptions"])
    assert codes[0] == "start_conventional_calibrated"  # the main one comes first
    for code in ("commune_unknown_default_zone", "apartment_exposure", "heating_in_place",
                 "payback_definition", "low_end_envelope_measured"):
        assert code in codes, codes
    sentence = result["assumptions"][codes.index("apartment_exposure")]
    assert sentence.startswith("Appartement : dernier étage (travaux de toiture indiqués)")


def test_a_declared_class_and_a_missing_cost_give_their_codes():
    result = _estimate(housing_type="house", dpe_class="F", insee_code="80021",
                       works=[{"type": "air_water_heat_pump"}])
    codes = result["assumption_codes"]
    assert codes[0] == "start_at_declared_class"
    assert "cost_typical" in codes and "commune_unknown_default_zone" not in codes
    assert "gas_subscription_dropped" in codes
    gas = result["assumptions"][codes.index("gas_subscription_dropped")]
    assert re.search(r"abonnement gaz \(\d+ €/an\) disparaît", gas)
