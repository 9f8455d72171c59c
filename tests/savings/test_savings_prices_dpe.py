"""Prices by date, primary-energy factor by date, DPE class thresholds and calibration."""

import datetime as dt

import pytest

from bot.profile import parse_profile
from bot.savings.dpe import CLASSES, bounds, class_of, primary_energy_kwh
from bot.savings.engine import estimate_savings
from bot.savings.notes import Notes
from bot.savings.prices import bill, energy_price


@pytest.mark.parametrize(("day", "price"), [
    ("2024-06-01", 0.2516), ("2025-02-01", 0.2016), ("2025-07-31", 0.2016),
    ("2025-08-01", 0.1952), ("2026-01-31", 0.1952), ("2026-02-01", 0.1940),
])
def test_electricity_price_by_date(day, price):
    assert energy_price(Notes(dt.date.fromisoformat(day)), "electricity").eur_per_kwh == price


def test_gas_price_is_per_kwh_pcs_and_has_a_subscription():
    gas = energy_price(Notes(dt.date(2026, 1, 15)), "gas")
    assert gas.eur_per_kwh == pytest.approx(0.10192 * 1.11)
    assert gas.fixed_eur_per_year == 343.90
    assert energy_price(Notes(dt.date(2025, 12, 15)), "gas").fixed_eur_per_year == 330.80


def test_fuel_oil_and_wood_prices_per_kwh():
    day = Notes(dt.date(2026, 1, 20))
    assert energy_price(day, "fuel_oil").eur_per_kwh == pytest.approx(1.134 / 9.97)
    assert energy_price(day, "wood_pellets").eur_per_kwh == pytest.approx(350 / 4600)
    assert energy_price(day, "wood_logs").eur_per_kwh == pytest.approx(102 / 1680)


def test_price_before_the_first_known_one_warns():
    notes = Notes(dt.date(2022, 3, 1))
    price = energy_price(notes, "electricity")
    assert price.eur_per_kwh == 0.2516
    assert price.observed == dt.date(2024, 2, 1)
    assert any("antérieurs au 1er février 2024" in w for w in notes.warnings)


def test_stale_price_warns_but_recent_one_does_not():
    recent = Notes(dt.date(2026, 2, 20))
    energy_price(recent, "electricity")
    assert recent.warnings == []
    late = Notes(dt.date(2026, 9, 1))
    energy_price(late, "electricity")
    assert any("après le 1er février 2026" in w for w in late.warnings)


def test_bill_counts_subscription_only_when_the_energy_is_used():
    notes = Notes(dt.date(2026, 2, 20))
    assert bill(notes, {"gas": 0.0, "electricity": 1000}) == pytest.approx(194.0)
    assert bill(notes, {"gas": 1000}) == pytest.approx(1000 * 0.099 * 1.11 + 343.90)
    assert bill(notes, {"propane": 13800}) == pytest.approx(1850 + 155)


def test_class_bounds_are_strict():
    energy, ges = bounds(Notes(dt.date(2026, 1, 1)), 100)
    assert class_of(69.9, 0, energy, ges) == "A"
    assert class_of(70, 0, energy, ges) == "B"
    assert class_of(420, 0, energy, ges) == "G"
    assert class_of(100, 50, energy, ges) == "E"  # the worse of energy (B) and climate (E)


def test_small_surfaces_use_the_2024_table_only_from_july_2024():
    energy, ges = bounds(Notes(dt.date(2024, 7, 1)), 30)
    assert energy == [76, 116, 197, 267, 349, 439]
    assert ges == [7, 12, 32, 52, 72, 102]
    assert bounds(Notes(dt.date(2024, 7, 1)), 5)[0][0] == 146  # ≤ 8 m²: the 8 m² row
    assert bounds(Notes(dt.date(2024, 6, 30)), 30)[0] == [70, 110, 180, 250, 330, 420]


ELECTRIC_FLAT = {"housing_type": "apartment", "construction_year": 1980, "surface_m2": 70,
                 "heating_energy": "electricity", "insee_code": "75056"}


def test_electricity_primary_factor_changes_on_1_january_2026():
    before = estimate_savings(parse_profile({**ELECTRIC_FLAT, "date": "2025-12-31"}))
    after = estimate_savings(parse_profile({**ELECTRIC_FLAT, "date": "2026-01-01"}))
    kwh = before["baseline"]["final_energy_kwh"]
    assert after["baseline"]["final_energy_kwh"] == kwh  # same home, same consumption
    energy_bounds = [70, 110, 180, 250, 330, 420]
    expected_2025 = class_of(kwh * 2.3 / 70, 0, energy_bounds, [999] * 6)
    expected_2026 = class_of(kwh * 1.9 / 70, 0, energy_bounds, [999] * 6)
    assert before["baseline"]["dpe_class_estimate"] == expected_2025
    assert after["baseline"]["dpe_class_estimate"] == expected_2026
    assert CLASSES.index(expected_2026) <= CLASSES.index(expected_2025)
    assert any("1,9" in a for a in after["assumptions"])
    assert any("2,3" in a for a in before["assumptions"])


def test_reference_example_of_the_2026_factor():
    # dpeclair: 8 000 kWh EF on 70 m² → 263 kWh EP/m² with 2.3, 217 with 1.9.
    final = {("electricity", "heating"): 8000.0}
    ep_2025 = primary_energy_kwh(Notes(dt.date(2025, 12, 31)), final) / 70
    ep_2026 = primary_energy_kwh(Notes(dt.date(2026, 1, 1)), final) / 70
    assert round(ep_2025) == 263
    assert round(ep_2026) == 217
    # A gas kWh counts once, at both dates.
    assert primary_energy_kwh(Notes(dt.date(2026, 1, 1)), {("gas", "heating"): 100.0}) == 100


@pytest.mark.parametrize("energy", ["electricity", "gas", "fuel_oil", "wood_logs", "heat_pump",
                                    "district_heating", "propane", "wood_pellets"])
@pytest.mark.parametrize("dpe_class", list("BCDEFG"))
def test_declared_class_is_reproduced(energy, dpe_class):
    result = estimate_savings(parse_profile({
        "date": "2026-11-28", "construction_year": 1970, "surface_m2": 90,
        "heating_energy": energy, "dpe_class": dpe_class, "postal_code": "80000"}))
    assert result["baseline"]["dpe_class_estimate"] == dpe_class


def test_class_without_year_sets_the_insulation_period():
    result = estimate_savings(parse_profile({
        "date": "2026-11-28", "surface_m2": 90, "heating_energy": "gas", "dpe_class": "D"}))
    assert result["baseline"]["dpe_class_estimate"] == "D"
    assert any("1983-1988" in a and "classe DPE D" in a for a in result["assumptions"])
    assert any("zone H2b" in a for a in result["assumptions"])  # no commune given


def test_class_a_with_fuel_oil_hot_water_cannot_be_reached_and_says_so():
    # Hot water alone from a fuel-oil boiler in 50 m² (1.375 « adjusted adults » × 690 kWh
    # = 949 kWh, 19 kWh/m²) emits 19 / (0.868 × 0.64) × 0.324 ≈ 11 kg CO2/m² ≥ 6, the A bound.
    result = estimate_savings(parse_profile({
        "date": "2026-11-28", "construction_year": 2015, "surface_m2": 50,
        "heating_energy": "fuel_oil", "dpe_class": "A"}))
    assert any("classe DPE A déclarée n'est pas cohérente" in w for w in result["warnings"])
    # An electric tank in 100 m² (1 357 kWh / 0.64 × 1.9 ≈ 40 kWh EP/m², + 14 for the other
    # uses < 70): class A stays reachable.
    electric = estimate_savings(parse_profile({
        "date": "2026-11-28", "construction_year": 2015, "surface_m2": 100,
        "heating_energy": "electricity", "dpe_class": "A"}))
    assert electric["baseline"]["dpe_class_estimate"] == "A"
