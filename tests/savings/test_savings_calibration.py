"""The starting consumption checked against real DPEs (ADEME observatory records kept in
`tests/savings/data/dpe_calibration/`), and the optional questions a homeowner can answer.

Figures: `benchmarks/bench_calibration.py`. The bounds here are loose on purpose (a guard
against a broken calibration, not a copy of today's figures)."""

import pytest

from bot.errors import ProfileError
from bot.profile import parse_profile
from bot.savings import validation
from bot.savings.engine import estimate_savings


@pytest.fixture(scope="module")
def figures():
    return validation.report()


@pytest.fixture(scope="module")
def with_altitude():
    # The factors are fitted with each record's altitude known (the DPE's climate at 400-800
    # m is 25 % colder): the figures the fit is centred on.
    return validation.report(("altitude_m",))


def test_the_split_keeps_a_held_out_part():
    records = validation.load_records()
    held_out = [r for r in records if validation.is_held_out(r)]
    assert 200 <= len(records) <= 235  # deduplicated, contract energies only
    assert 0.25 <= len(held_out) / len(records) <= 0.4


def test_training_part_is_centred_without_the_class(with_altitude):
    for group in ("houses", "apartments"):
        f = with_altitude["train"][group]
        assert 0.9 <= f["median_ratio"] <= 1.1, (group, f)
        assert f["within_30_percent"] >= 0.45, (group, f)


def test_held_out_part_stays_near_the_official_figures(with_altitude, figures):
    houses, flats = with_altitude["held_out"]["houses"], with_altitude["held_out"]["apartments"]
    assert 0.85 <= houses["median_ratio"] <= 1.2 and houses["within_30_percent"] >= 0.55
    # Apartments of the held-out part are overestimated (1.22 today): flag a regression only.
    assert 0.85 <= flats["median_ratio"] <= 1.4 and flats["within_30_percent"] >= 0.3
    # Without the altitude, the sample's houses (most at 400-800 m) come out low (0.82).
    assert 0.65 <= figures["held_out"]["houses"]["median_ratio"] <= 1.0


def test_homes_below_400_m_are_not_estimated_as_mountain_ones():
    # Fitted without the altitude, the factors stood for the sample's houses at 400-800 m and
    # put the 22 houses below 400 m at 1.45 × their DPE; fitted with it, 1.25 today.
    low = [r for r in validation.load_records() if r["profile"]["housing_type"] == "house"
           and r["descriptors"].get("altitude_class") == "<400m"]
    assert len(low) >= 20
    f = validation.figures(validation.ratios(low, False))
    assert 0.9 <= f.median_ratio <= 1.35, f


def test_the_declared_class_brings_most_homes_within_30_percent(figures):
    for part in ("train", "held_out"):
        f = figures[part]["with_class"]
        assert 0.85 <= f["median_ratio"] <= 1.15, (part, f)
        assert f["within_30_percent"] >= 0.7, (part, f)


def test_with_the_class_a_home_heated_by_one_energy_is_mostly_within_30_percent():
    # The held-out misses come mostly from a second heating energy the profile cannot say
    # and from small G homes (bench_calibration: 86 % for the others, 76 % for all).
    held_out = [r for r in validation.load_records() if validation.is_held_out(r)]
    plain = [r for r in held_out if validation.kind(r) == "one energy, not a small G"]
    mixed = [r for r in held_out if validation.kind(r) == "second heating energy >= 25 %"]
    assert len(plain) >= 40 and len(mixed) >= 10
    plain_f = validation.figures(validation.ratios(plain, True))
    mixed_f = validation.figures(validation.ratios(mixed, True))
    assert plain_f.within_30 >= 0.8 and 0.9 <= plain_f.median_ratio <= 1.15, plain_f
    # A second (often wood) heater the model does not know: more final energy than modelled.
    assert mixed_f.median_ratio < plain_f.median_ratio, (mixed_f, plain_f)


BASE = {"date": "2026-11-28", "insee_code": "80021", "surface_m2": 100,
        "construction_year": 1960, "heating_energy": "gas"}


def start_kwh(**answers) -> int:
    return estimate_savings(parse_profile({**BASE, **answers}))["baseline"]["final_energy_kwh"]


def test_a_terraced_house_loses_less_than_a_detached_one():
    detached = start_kwh(housing_type="house", house_position="detached")
    semi = start_kwh(housing_type="house", house_position="semi_detached")
    terraced = start_kwh(housing_type="house", house_position="terraced")
    assert terraced < semi < detached
    assert detached == start_kwh(housing_type="house")  # the default is a detached house


def test_a_top_floor_or_ground_floor_flat_loses_more_than_a_middle_one():
    middle = start_kwh(housing_type="apartment", apartment_floor="middle")
    assert start_kwh(housing_type="apartment", apartment_floor="top") > middle
    assert start_kwh(housing_type="apartment", apartment_floor="ground") > middle
    assert middle == start_kwh(housing_type="apartment")


def test_insulation_already_done_lowers_the_start_and_the_saving():
    plain = estimate_savings(parse_profile({**BASE, "housing_type": "house",
                                            "works": [{"type": "attic_insulation"}]}))
    done = estimate_savings(parse_profile({**BASE, "housing_type": "house",
                                           "roof_insulated": True,
                                           "works": [{"type": "attic_insulation"}]}))
    assert done["baseline"]["final_energy_kwh"] < plain["baseline"]["final_energy_kwh"]
    assert done["savings"]["kwh"] < plain["savings"]["kwh"] / 2
    assert start_kwh(housing_type="house", walls_insulated=True) < start_kwh(
        housing_type="house")
    assert any("déjà isolé" in a for a in done["assumptions"])


def test_the_boiler_type_and_age_set_its_efficiency():
    condensing = start_kwh(housing_type="house", boiler_type="condensing", boiler_age_years=5)
    standard_new = start_kwh(housing_type="house", boiler_type="standard", boiler_age_years=5)
    standard_old = start_kwh(housing_type="house", boiler_type="standard", boiler_age_years=30)
    assert condensing < standard_new < standard_old
    # Electric heating has no boiler: the answer changes nothing.
    electric = {**BASE, "heating_energy": "electricity", "housing_type": "house"}
    assert estimate_savings(parse_profile({**electric, "boiler_type": "condensing"}))[
        "baseline"] == estimate_savings(parse_profile(electric))["baseline"]


def test_a_wood_stove_beside_electric_heating_takes_a_quarter_of_the_heat():
    electric = {**BASE, "heating_energy": "electricity", "housing_type": "house",
                "dpe_class": "E"}
    plain = estimate_savings(parse_profile(electric))
    stove = estimate_savings(parse_profile({**electric, "secondary_heating": "wood_stove"}))
    # Same class, but a quarter of the heat from wood (primary factor 1, efficiency 0.48):
    # more final energy, some of it wood, and the assumption is said in French.
    assert stove["baseline"]["final_energy_kwh"] > plain["baseline"]["final_energy_kwh"] * 1.1
    assert any("Chauffage d'appoint" in a and "25 %" in a for a in stove["assumptions"])
    assert stove["baseline"]["dpe_class_estimate"] == "E"
    # A heat pump replaces the convectors; the stove stays: the saving is smaller.
    works = {"works": [{"type": "air_water_heat_pump"}]}
    pump = estimate_savings(parse_profile({**electric, **works}))
    pump_stove = estimate_savings(parse_profile({**electric, **works,
                                                 "secondary_heating": "wood_stove"}))
    assert 0 < pump_stove["savings"]["kwh"] < pump["savings"]["kwh"]
    # « none », or electric heaters beside electric convectors, change nothing.
    for answer in ("none", "electric_heaters"):
        same = estimate_savings(parse_profile({**electric, "secondary_heating": answer}))
        assert same["baseline"] == plain["baseline"]


def test_electric_heaters_beside_a_gas_boiler_count_at_their_efficiency():
    gas = {**BASE, "housing_type": "house"}
    plain = estimate_savings(parse_profile(gas))
    heaters = estimate_savings(parse_profile({**gas, "secondary_heating": "electric_heaters"}))
    # Convectors (0.95) are more efficient than the old boiler: less final energy.
    assert heaters["baseline"]["final_energy_kwh"] < plain["baseline"]["final_energy_kwh"]
    assert heaters["baseline"]["primary_energy_kwh"] > heaters["baseline"]["final_energy_kwh"]


def test_an_altitude_above_400_m_means_a_colder_climate():
    low = start_kwh(housing_type="house")
    assert start_kwh(housing_type="house", altitude_m=300) == low
    middle = start_kwh(housing_type="house", altitude_m=600)
    high = start_kwh(housing_type="house", altitude_m=900)
    # Amiens is H1a: the DPE has no H1a value above 800 m, the 400-800 m one is kept.
    assert middle > low * 1.2 and high == middle
    said = estimate_savings(parse_profile({**BASE, "housing_type": "house", "altitude_m": 600}))
    assert any("Altitude indiquée (600 m)" in a for a in said["assumptions"])
    assert not any("inférieure à 400 m" in a for a in said["assumptions"])


@pytest.mark.parametrize("field,value", [
    ("house_position", "mitoyenne"), ("apartment_floor", 3), ("roof_insulated", "oui"),
    ("walls_insulated", 1), ("boiler_age_years", -2), ("boiler_age_years", 200),
    ("boiler_type", "à condensation"), ("secondary_heating", "poêle"),
    ("secondary_heating", True), ("altitude_m", -5), ("altitude_m", 5000),
    ("altitude_m", "haut"),
])
def test_bad_answers_get_a_french_sentence(field, value):
    with pytest.raises(ProfileError) as error:
        parse_profile({**BASE, field: value})
    assert f"« {field} »" in str(error.value)


def test_primary_energy_uses_the_conversion_factor_of_the_date():
    home = {**BASE, "heating_energy": "electricity", "housing_type": "house"}
    before = estimate_savings(parse_profile({**home, "date": "2025-12-31"}))
    after = estimate_savings(parse_profile({**home, "date": "2026-01-01"}))
    assert before["primary_energy_factor_electricity"] == 2.3
    assert after["primary_energy_factor_electricity"] == 1.9
    kwh = before["baseline"]["final_energy_kwh"]
    assert before["baseline"]["primary_energy_kwh"] == pytest.approx(kwh * 2.3, abs=2)
    assert after["baseline"]["primary_energy_kwh"] == pytest.approx(kwh * 1.9, abs=2)
    assert after["baseline"]["primary_energy_kwh_m2"] == pytest.approx(kwh * 1.9 / 100, abs=0.1)


def test_a_declared_g_home_heated_by_electricity_sits_deeper_in_g():
    # Fitted on the training part's 36 G records: electric G homes sit at 1.5 × the G bound
    # (their primary energy is 2.3 × the final one), the others at 1.3 × (CAE 2024).
    def primary_per_m2(energy: str) -> float:
        home = {**BASE, "date": "2025-06-01", "housing_type": "apartment", "surface_m2": 60,
                "heating_energy": energy, "dpe_class": "G"}
        return estimate_savings(parse_profile(home))["baseline"]["primary_energy_kwh_m2"]
    electric, gas = primary_per_m2("electricity"), primary_per_m2("gas")
    # The label's bound is 420 kWh EP/m² with lighting and auxiliaries (14 kWh EP/m²).
    assert 1.35 * 420 < electric + 14 < 1.65 * 420, electric
    assert 1.15 * 420 < gas + 14 < 1.45 * 420, gas
    assert electric > gas


def test_with_the_class_the_held_out_part_stays_within_30_percent_mostly():
    # 82 % today with the second-heater answer (target 85 %, missed on small G homes).
    held_out = [r for r in validation.load_records() if validation.is_held_out(r)]
    f = validation.figures(validation.ratios(held_out, True, ("secondary_heating",)))
    assert f.within_30 >= 0.75 and 0.9 <= f.median_ratio <= 1.15, f
