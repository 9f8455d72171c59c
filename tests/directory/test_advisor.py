"""France Rénov' advice desk: live dataset, offline Amiens Métropole snapshot, national number."""

from __future__ import annotations

import datetime as dt

import pytest
from records import PERIMETER_DATASET

from bot.directory.advisor import find_advisor, parse_opening_hours
from bot.directory.reference import amiens_metropole_desk
from bot.errors import ProfileError
from bot.geo import commune_by_insee
from bot.profile import parse_profile

TODAY = dt.date(2026, 11, 28)


def profile(**fields):
    return parse_profile(fields, today=TODAY)


def test_live_desk_for_amiens_uses_the_configured_brand(fake, monkeypatch):
    monkeypatch.setenv("BOT_AMIENS_DESK_NAME", "PAREO")
    result = find_advisor(profile(postal_code="80000"))
    assert result["source"] == "ademe-ecfr-api"
    assert (result["insee_code"], result["commune"]) == ("80021", "Amiens")
    assert result["name"] == "PAREO"
    assert result["official_name"] == "Espace Conseil France Rénov' Amiens Métropole"
    assert result["address"] == "12 rue des Conseillers, 80000 Amiens"
    assert result["phone"] == "03 22 00 11 22"
    assert result["email"] == "renov@exemple.fr"
    assert result["website"] == "https://renov.exemple.fr"
    assert result["opening_hours"] == ["Lundi au vendredi : 9h-12h30",
                                       "Sur rendez-vous l'après-midi"]
    assert result["national_phone"] == "0 808 800 700"
    request = fake.lines_requests(PERIMETER_DATASET)[0]
    assert request["qs"] == 'Code_Insee_Commune:"80021"'


def test_live_desk_elsewhere_keeps_its_own_name(fake):
    result = find_advisor(profile(insee_code="80001"))
    assert result["name"] == "Espace Conseil France Rénov' Baie de Somme"
    assert result["opening_hours"] == ["Lundi : 9h-12h", "Mercredi : 14h-17h"]


def test_api_down_amiens_metropole_commune_gets_the_offline_snapshot(fake):
    fake.mode = "500"
    result = find_advisor(profile(postal_code="80330", city="Longueau"))
    assert result["source"] == "offline-snapshot"
    assert result["commune"] == "Longueau"
    assert result["name"].startswith("LAURE")
    assert result["address"] == "Espace Dewailly, Amiens"
    assert result["phone"] is None  # not found in any source: never invented
    assert any("0 808 800 700" in w for w in result["warnings"])


def test_api_down_brand_applies_to_the_snapshot_too(hanging, monkeypatch):
    monkeypatch.setenv("BOT_AMIENS_DESK_NAME", "PAREO")
    result = find_advisor(profile(insee_code="80021"))
    assert (result["source"], result["name"]) == ("offline-snapshot", "PAREO")


def test_api_down_elsewhere_gives_the_national_number(fake):
    fake.mode = "malformed"
    result = find_advisor(profile(insee_code="75056"))
    assert result["source"] == "france-renov-national"
    assert result["phone"] == "0 808 800 700"
    assert "n'a pas pu être consultée" in result["warnings"][-1]


def test_no_desk_registered_gives_the_national_number(fake):
    result = find_advisor(profile(postal_code="97200"))
    assert result["source"] == "france-renov-national"
    assert result["commune"] == "Fort-de-France"
    assert "Aucun Espace Conseil" in result["warnings"][-1]


def test_second_call_is_served_from_the_cache(fake):
    find_advisor(profile(insee_code="80001"))
    calls = len(fake.requests)
    fake.mode = "500"
    result = find_advisor(profile(insee_code="80001"))
    assert len(fake.requests) == calls
    assert (result["source"], result["phone"]) == ("cache", "03 22 00 11 22")


def test_http_500_then_success(fake):
    fake.faults = ["500"]
    result = find_advisor(profile(insee_code="80001"))
    assert result["source"] == "ademe-ecfr-api"
    assert len(fake.lines_requests(PERIMETER_DATASET)) == 2


def test_snapshot_communes_are_the_39_of_amiens_metropole():
    communes = amiens_metropole_desk()["communes"]
    assert len(communes) == 39
    for code, name in communes.items():
        commune = commune_by_insee(code)
        assert (commune.name, commune.epci) == (name, "248000531")


@pytest.mark.parametrize("raw, expected", [
    ('["Lundi : 9h-12h"]', ["Lundi : 9h-12h"]),
    ('["Mardi :\r\n 14h-17h"]', ["Mardi : 14h-17h"]),
    ("Sur rendez-vous", ["Sur rendez-vous"]),
    ("", []),
    (None, []),
    (["Jeudi"], ["Jeudi"]),
])
def test_opening_hours_parsing(raw, expected):
    assert parse_opening_hours(raw) == expected


def test_place_is_required():
    with pytest.raises(ProfileError, match="postal_code"):
        find_advisor(profile())


def test_a_column_missing_from_the_live_schema_does_not_break_the_search(fake):
    # The dataset drops `Nom_EPCI`: selecting it answers 400, whole rows still work.
    for row in fake.datasets[PERIMETER_DATASET]:
        row.pop("Nom_EPCI")
    result = find_advisor(profile(insee_code="80001"))
    assert result["source"] == "ademe-ecfr-api"
    assert result["phone"] == "03 22 00 11 22"
    first, second = fake.lines_requests(PERIMETER_DATASET)
    assert "select" in first and "select" not in second
