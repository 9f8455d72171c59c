"""Property tests of the savings estimator (hypothesis)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.params import value
from bot.profile import HEATING_ENERGIES, WORK_TYPES, parse_profile
from bot.savings.engine import estimate_savings

# One real commune per climate zone (bot.geo maps them to these zones).
POSTAL_CODE_BY_ZONE = {"H1a": "80000", "H1b": "67000", "H1c": "69001", "H2a": "35000",
                       "H2b": "44000", "H2c": "31000", "H2d": "84000", "H3": "13001"}

# Works whose addition can only lower final energy. Wood stoves and boilers are left out on
# purpose: they may burn more kWh than the electric heating they replace (less efficient),
# while cutting the bill and the CO2. Only one heat pump per profile (one main heating).
ENVELOPE = ["attic_insulation", "flat_roof_insulation", "exterior_wall_insulation",
            "interior_wall_insulation", "floor_insulation", "double_flow_ventilation"]
WATER = ["thermodynamic_water_heater", "solar_water_heater", "combined_solar_system"]
HEAT_PUMPS = ["air_water_heat_pump", "geothermal_heat_pump", "air_air_heat_pump"]


@st.composite
def homes(draw, housing_types=("house", "apartment")):
    year = draw(st.one_of(st.none(), st.integers(1700, 2023)))
    dpe = draw(st.sampled_from(list("ABCDEFG")) if year is None
               else st.one_of(st.none(), st.sampled_from(list("ABCDEFG"))))
    profile = {
        "date": draw(st.dates(dt.date(2021, 1, 1), dt.date(2027, 12, 31))).isoformat(),
        "housing_type": draw(st.sampled_from(housing_types)),
        "surface_m2": draw(st.floats(8, 400, allow_nan=False)),
        "heating_energy": draw(st.sampled_from(HEATING_ENERGIES)),
        "construction_year": year,
        "dpe_class": dpe,
    }
    postal = draw(st.one_of(st.none(), st.sampled_from(sorted(POSTAL_CODE_BY_ZONE.values()))))
    if postal:
        profile["postal_code"] = postal
    return {k: v for k, v in profile.items() if v is not None}


def work(draw, work_type):
    item = {"type": work_type}
    if work_type == "windows":
        item["count"] = draw(st.integers(1, 20))
    elif work_type in ENVELOPE[:5] and draw(st.booleans()):
        item["surface_m2"] = draw(st.floats(1, 300, allow_nan=False))
    return item


@st.composite
def monotone_case(draw):
    home = draw(homes())
    pool = list(ENVELOPE) + ["windows"] + WATER
    if home["housing_type"] == "apartment":
        # Roof or floor works tell the model the flat is on the top or ground floor: another
        # home, not the same home with one more work.
        pool = [t for t in pool if t not in ("attic_insulation", "flat_roof_insulation",
                                             "floor_insulation")]
    pool.append(draw(st.sampled_from(HEAT_PUMPS)))
    chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=6, unique=True))
    split = draw(st.integers(0, len(chosen) - 1))
    works = [work(draw, t) for t in chosen]
    return home, works[:split], works


def after_kwh(home, works):
    return estimate_savings(parse_profile({**home, "works": works}))["after"]["final_energy_kwh"]


@settings(max_examples=150)
@given(monotone_case())
def test_more_works_never_raise_consumption(case):
    home, fewer, more = case
    assert after_kwh(home, more) <= after_kwh(home, fewer) + 1  # 1 kWh of rounding


@st.composite
def any_case(draw):
    home = draw(homes())
    types = draw(st.lists(st.sampled_from(WORK_TYPES), max_size=8))
    return {**home, "works": [work(draw, t) for t in types]}


@settings(max_examples=200)
@given(any_case())
def test_savings_never_exceed_the_baseline_and_range_is_ordered(profile):
    result = estimate_savings(parse_profile(profile))
    before, after, savings = result["baseline"], result["after"], result["savings"]
    assert after["final_energy_kwh"] >= 0 and after["cost_eur"] >= 0 and after["co2_kg"] >= 0
    assert savings["kwh"] <= before["final_energy_kwh"]
    assert savings["eur"] <= before["cost_eur"]
    assert savings["co2_kg"] <= before["co2_kg"]
    assert savings["percent"] <= 100
    low, high = savings["eur_range"]
    assert low <= high
    assert savings["eur"] in (low, high)
    assert low <= before["cost_eur"]
    # Per-work figures add up to the totals (each rounded to the unit).
    n = len(result["per_work"]) + 2
    assert abs(sum(w["kwh"] for w in result["per_work"]) - savings["kwh"]) <= n
    assert abs(sum(w["eur"] for w in result["per_work"]) - savings["eur"]) <= n
    assert result["assumptions"] and all(isinstance(a, str) for a in result["assumptions"])


@settings(max_examples=40)
@given(homes(), st.lists(st.sampled_from(WORK_TYPES), max_size=3))
def test_a_colder_zone_never_lowers_the_baseline(home, work_types):
    home = {k: v for k, v in home.items() if k != "postal_code"}
    dh19 = value("savings.climate.dh19", dt.date(2026, 1, 1))
    zones = sorted(POSTAL_CODE_BY_ZONE, key=dh19.get)  # warmest first
    baselines = [
        estimate_savings(parse_profile({**home, "postal_code": POSTAL_CODE_BY_ZONE[zone],
                                        "works": [{"type": t} for t in work_types]}))
        ["baseline"]
        for zone in zones
    ]
    # With a declared DPE class the level comes from the class (same in every zone): equal
    # up to the rounding to the unit.
    for warmer, colder in zip(baselines, baselines[1:], strict=False):
        assert colder["final_energy_kwh"] >= warmer["final_energy_kwh"] - 1
        assert colder["cost_eur"] >= warmer["cost_eur"] - 1
        assert colder["co2_kg"] >= warmer["co2_kg"] - 1
