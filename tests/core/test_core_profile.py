"""Parsing and validating the household profile of the contract (§3)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import ProfileError
from bot.profile import WORK_LABELS_FR, WORK_TYPES, parse_profile, require

TODAY = dt.date(2026, 11, 28)

CONTRACT_EXAMPLE = {
    "date": "2026-11-28", "postal_code": "80000", "insee_code": "80021",
    "housing_type": "house", "occupancy": "owner_occupier", "construction_year": 1975,
    "surface_m2": 100, "heating_energy": "fuel_oil", "dpe_class": "F", "dpe_class_after": "C",
    "household_size": 3, "reference_income": 32000,
    "works": [
        {"type": "attic_insulation", "surface_m2": 80, "cost_eur": 4000},
        {"type": "air_water_heat_pump", "cost_eur": 14000},
        {"type": "windows", "count": 8, "cost_eur": 6400},
    ],
    "total_cost_eur": 45000,
}


def test_contract_example_parses_field_by_field():
    profile = parse_profile(CONTRACT_EXAMPLE, today=TODAY)
    assert profile.date == dt.date(2026, 11, 28)
    assert (profile.postal_code, profile.insee_code) == ("80000", "80021")
    assert profile.construction_year == 1975 and profile.household_size == 3
    assert profile.work_types() == ["attic_insulation", "air_water_heat_pump", "windows"]
    assert profile.works[0].surface_m2 == 80 and profile.works[2].count == 8
    assert profile.total_cost_eur == 45000


def test_defaults_and_ignored_fields():
    profile = parse_profile({"unknown_field": [1, 2], "postal_code": 80000}, today=TODAY)
    assert profile.date == TODAY
    assert profile.postal_code == "80000"
    assert profile.works == ()


@pytest.mark.parametrize("data,fragment", [
    ([], "objet JSON"),
    ({"housing_type": "castle"}, "housing_type"),
    ({"heating_energy": 3}, "heating_energy"),
    ({"dpe_class": "H"}, "dpe_class"),
    ({"surface_m2": -4}, "surface_m2"),
    ({"surface_m2": "beaucoup"}, "surface_m2"),
    ({"surface_m2": float("nan")}, "surface_m2"),
    ({"household_size": 2.5}, "entier"),
    ({"household_size": True}, "household_size"),
    ({"reference_income": -1}, "reference_income"),
    ({"construction_year": 2090}, "construction_year"),
    ({"postal_code": "8000"}, "code postal"),
    ({"insee_code": "ABCDE"}, "INSEE"),
    ({"date": "28/11/2026"}, "AAAA-MM-JJ"),
    ({"date": "1990-01-01"}, "date"),
    ({"works": "attic_insulation"}, "liste"),
    ({"works": [{"type": "jacuzzi"}]}, "type inconnu"),
    ({"works": [{"type": "windows", "count": 0}]}, "count"),
    ({"works": [{"type": "windows"}] * 31}, "au plus"),
    ({"city": ""}, "city"),
])
def test_invalid_profiles_give_one_french_sentence(data, fragment):
    with pytest.raises(ProfileError) as caught:
        parse_profile(data, today=TODAY)
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message and "Traceback" not in message


def test_require_names_the_missing_field():
    profile = parse_profile({"surface_m2": 80}, today=TODAY)
    require(profile, "surface_m2", command="savings")
    with pytest.raises(ProfileError, match="heating_energy.*savings"):
        require(profile, "surface_m2", "heating_energy", command="savings")


def test_every_work_has_a_french_label():
    assert set(WORK_LABELS_FR) == set(WORK_TYPES)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(list(CONTRACT_EXAMPLE) + ["city"])


@given(st.dictionaries(FIELDS, JSON_VALUES, max_size=8))
def test_any_json_gives_a_profile_or_a_profile_error(data):
    try:
        parse_profile(data, today=TODAY)
    except ProfileError as error:
        assert str(error)
