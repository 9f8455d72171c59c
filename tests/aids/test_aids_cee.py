"""CEE: standard-sheet estimates (zone, surface, price) and the Coup de pouce Chauffage
before and after 1 October 2025 and from 1 January 2026."""

import pytest

from bot.aids.engine import compute_aids
from bot.profile import parse_profile

# Bordeaux (33, zone H2) and Marseille (13, zone H3) against Amiens (80, zone H1).
ZONES = {"H1": "80021", "H2": "33063", "H3": "13055"}


@pytest.mark.parametrize("work,extra,expected", [
    # kWh cumac x quantity x 0.008 €/kWhc
    ("attic_insulation", {"surface_m2": 80}, {"H1": 1088, "H2": 896, "H3": 576}),
    ("flat_roof_insulation", {"surface_m2": 50}, {"H1": 480, "H2": 400, "H3": 268}),
    ("exterior_wall_insulation", {"surface_m2": 120}, {"H1": 1536, "H2": 1248, "H3": 845}),
    ("floor_insulation", {"surface_m2": 60}, {"H1": 528, "H2": 427, "H3": 283}),
    ("windows", {"count": 8}, {"H1": 486, "H2": 397, "H3": 269}),  # 2 m² per window
    ("solar_water_heater", {}, {"H1": 172, "H2": 193, "H3": 221}),
    ("combined_solar_system", {}, {"H1": 1078, "H2": 968, "H3": 804}),
    ("pellet_boiler", {}, {"H1": 330, "H2": 270, "H3": 210}),
    ("pellet_stove", {}, {"H1": 75, "H2": 62, "H3": 41}),  # lowest ETAS band
    ("heating_network_connection", {}, {"H1": 386, "H2": 322, "H3": 237}),  # 100 m²: x 1
    ("air_air_heat_pump", {}, {"H1": 623, "H2": 510, "H3": 340}),  # house 100 m², SCOP 3.9
])
@pytest.mark.parametrize("zone", ["H1", "H2", "H3"])
def test_standard_sheet_by_zone(aids, find_aid, work, extra, expected, zone):
    result = aids(date="2025-11-02", insee_code=ZONES[zone], heating_energy="electricity",
                  reference_income=15000, works=[{"type": work, **extra}])
    item = find_aid(result, "cee", work)
    assert (item["eligible"], item["amount_eur"]) == (True, expected[zone])
    assert item["source"].startswith("https://")


def test_best_performance_band_is_shown_as_a_maximum(aids, find_aid):
    item = find_aid(aids(heating_energy="electricity", works=[{"type": "pellet_stove"}]),
                    "cee", "pellet_stove")
    assert item["amount_eur"] == 75 and item["amount_max_eur"] == 282  # 35 300 kWhc


def test_zone_only_known_in_h1_is_not_extrapolated(aids, find_aid):
    item = find_aid(aids(insee_code=ZONES["H3"], works=[{"type": "double_flow_ventilation"}]),
                    "cee", "double_flow_ventilation")
    assert item["eligible"] is None and "H3" in item["reasons"][0]
    item = find_aid(aids(works=[{"type": "double_flow_ventilation"}]),
                    "cee", "double_flow_ventilation")
    assert item["amount_eur"] == 318


def test_no_place_means_no_zone(aids, find_aid):
    item = find_aid(aids(insee_code=None, works=[{"type": "attic_insulation",
                                                  "surface_m2": 50}]), "cee",
                    "attic_insulation")
    assert item["eligible"] is None and "code postal" in item["reasons"][0]


def test_price_is_configurable():
    profile = parse_profile({"date": "2026-03-02", "insee_code": "80021",
                             "works": [{"type": "attic_insulation", "surface_m2": 80}]})
    result = compute_aids(profile, cee_price_eur_per_kwhc=0.01)
    item = [a for a in result["aids"] if a["aid"] == "cee"][0]
    assert item["amount_eur"] == 1360  # 80 x 1 700 x 0.01
    assert item["details"]["price_eur_per_kwhc"] == 0.01


@pytest.mark.parametrize("surface,expected", [(60, 1908), (80, 2671), (100, 3816),
                                              (120, 4198), (150, 6106)])
def test_heat_pump_standard_volume_by_surface_after_october_2025(aids, find_aid, surface,
                                                                 expected):
    # Coup de pouce from 1 Oct 2025: 79 500 kWhc x 1.2 (H1) x surface factor x 0.008 x 5.
    result = aids(date="2025-10-01", surface_m2=surface, heating_energy="fuel_oil",
                  reference_income=40000, works=[{"type": "air_water_heat_pump"}])
    item = find_aid(result, "cee", "air_water_heat_pump")
    assert item["amount_eur"] == expected
    assert item["details"]["coup_de_pouce"] is True and item["details"]["multiplier"] == 5


@pytest.mark.parametrize("category,income,expected", [
    ("very_modest", 15000, 4000), ("modest", 20000, 4000),
    ("intermediate", 28000, 2500), ("high", 40000, 2500)])
def test_coup_de_pouce_heat_pump_flat_amounts_until_30_september_2025(
        aids, find_aid, category, income, expected):
    result = aids(date="2025-09-30", heating_energy="fuel_oil", reference_income=income,
                  works=[{"type": "air_water_heat_pump"}])
    assert find_aid(result, "cee", "air_water_heat_pump")["amount_eur"] == expected


def test_geothermal_coup_de_pouce_boundary(aids, find_aid):
    before = aids(date="2025-09-30", heating_energy="fuel_oil", reference_income=40000,
                  works=[{"type": "geothermal_heat_pump"}])
    after = aids(date="2025-10-01", heating_energy="fuel_oil", reference_income=40000,
                 works=[{"type": "geothermal_heat_pump"}])
    assert find_aid(before, "cee", "geothermal_heat_pump")["amount_eur"] == 5000
    # 88 800 x 1.2 x 1 x 0.008 x 5
    assert find_aid(after, "cee", "geothermal_heat_pump")["amount_eur"] == 4262


def test_standard_heat_pump_before_october_2025_uses_the_2024_sheet(aids, find_aid):
    result = aids(date="2025-09-30", heating_energy="electricity",
                  works=[{"type": "air_water_heat_pump"}])
    assert find_aid(result, "cee", "air_water_heat_pump")["amount_eur"] == 361  # 37 600 x 1.2


def test_second_homes_lose_the_coup_de_pouce_from_october_2025(aids, find_aid):
    before = aids(date="2025-09-30", occupancy="second_home_owner", heating_energy="fuel_oil",
                  reference_income=40000, works=[{"type": "air_water_heat_pump"}])
    after = aids(date="2025-10-01", occupancy="second_home_owner", heating_energy="fuel_oil",
                 reference_income=40000, works=[{"type": "air_water_heat_pump"}])
    assert find_aid(before, "cee", "air_water_heat_pump")["amount_eur"] == 2500
    item = find_aid(after, "cee", "air_water_heat_pump")
    assert item["amount_eur"] == 763  # standard sheet only
    assert any("résidences secondaires" in n for n in item["notes"])


def test_gas_heating_gets_the_standard_prime_and_a_hint(aids, find_aid):
    item = find_aid(aids(heating_energy="gas", works=[{"type": "air_water_heat_pump"}]),
                    "cee", "air_water_heat_pump")
    assert item["amount_eur"] == 763
    assert any("pas à condensation" in n and "3\u202f816 €" in n for n in item["notes"])


def test_coup_de_pouce_for_solar_and_network_ends_31_december_2025(aids, find_aid):
    works = [{"type": "combined_solar_system"}, {"type": "heating_network_connection"}]
    last = aids(date="2025-12-31", heating_energy="fuel_oil", reference_income=15000,
                works=works)
    first = aids(date="2026-01-01", heating_energy="fuel_oil", reference_income=15000,
                 works=works)
    assert find_aid(last, "cee", "combined_solar_system")["amount_eur"] == 5000
    assert find_aid(last, "cee", "heating_network_connection")["amount_eur"] == 700
    assert find_aid(first, "cee", "combined_solar_system")["amount_eur"] == 1078
    assert find_aid(first, "cee", "heating_network_connection")["amount_eur"] == 386


def test_2026_heat_pump_sheets_are_flagged(aids):
    works = [{"type": "air_water_heat_pump"}]
    in_2025 = aids(date="2025-12-31", heating_energy="fuel_oil", works=works)
    in_2026 = aids(date="2026-01-01", heating_energy="fuel_oil", works=works)
    assert not any("15 décembre 2025" in w for w in in_2025["warnings"])
    assert any("15 décembre 2025" in w for w in in_2026["warnings"])


def test_apartment_heat_pump_after_october_2025_is_not_computable(aids, find_aid):
    item = find_aid(aids(housing_type="apartment", heating_energy="electricity",
                         works=[{"type": "air_water_heat_pump"}]), "cee",
                    "air_water_heat_pump")
    assert item["eligible"] is None and "appartement" in item["reasons"][0]


def test_cee_never_exceeds_the_cost(aids, find_aid):
    item = find_aid(aids(heating_energy="fuel_oil", works=[
        {"type": "air_water_heat_pump", "cost_eur": 2000}]), "cee", "air_water_heat_pump")
    assert item["amount_eur"] == 2000


def test_new_dwellings_get_no_cee(aids, find_aid):
    item = find_aid(aids(construction_year=2025, works=[{"type": "attic_insulation",
                                                         "surface_m2": 50}]),
                    "cee", "attic_insulation")
    assert item["eligible"] is False and "2 ans" in item["reasons"][0]


def test_works_without_any_cee_have_no_cee_entry(aids):
    result = aids(works=[{"type": "fuel_tank_removal"}, {"type": "energy_audit"}])
    assert not [a for a in result["aids"] if a["aid"] == "cee"]


def test_reference_table_heat_pump_bands_zone_h1_100_m2(aids, find_aid):
    # §4.1: air/water heating only 763 … 993 €, ground/water 852 … 1 161 € (H1, 100 m²).
    result = aids(heating_energy="electricity", works=[{"type": "air_water_heat_pump"},
                                                       {"type": "geothermal_heat_pump"}])
    air = find_aid(result, "cee", "air_water_heat_pump")
    ground = find_aid(result, "cee", "geothermal_heat_pump")
    assert (air["amount_eur"], air["amount_max_eur"]) == (763, 993)
    assert (ground["amount_eur"], ground["amount_max_eur"]) == (852, 1161)


def test_reference_table_thermodynamic_water_heater(aids, find_aid):
    house = aids(works=[{"type": "thermodynamic_water_heater"}])
    flat = aids(housing_type="apartment", works=[{"type": "thermodynamic_water_heater"}])
    assert find_aid(house, "cee", "thermodynamic_water_heater")["amount_eur"] == 125
    assert find_aid(flat, "cee", "thermodynamic_water_heater")["amount_eur"] == 95


def test_mes_aides_reno_blog_example(aids, find_aid):
    # §4.1: 4 persons, 40 k€ RFR, outside wall insulation: CEE ≈ 1 040 € plus MPR 6 000 €
    # (modest household, 100 m² at 60 €/m²; 1 300 kWhc/m² in zone H2).
    result = aids(date="2025-06-01", insee_code=ZONES["H2"], household_size=4,
                  reference_income=40000,
                  works=[{"type": "exterior_wall_insulation", "surface_m2": 100}])
    assert result["income_category"] == "modest"
    assert find_aid(result, "mpr_par_geste", "exterior_wall_insulation")["amount_eur"] == 6000
    assert find_aid(result, "cee", "exterior_wall_insulation")["amount_eur"] == 1040
