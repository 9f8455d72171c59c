"""RGE craftsmen against a local data-fair server (real HTTP through `requests`)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from records import ATTIC, CET, INTERIOR, PAC, RGE_DATASET

from bot.directory import craftsmen
from bot.directory.craftsmen import domain_query, find_craftsmen
from bot.errors import ProfileError
from bot.profile import parse_profile

TODAY = dt.date(2026, 11, 28)
SEARCH_URL = "https://france-renov.gouv.fr/annuaires-professionnels/artisan-rge-architectes"


def profile(works=("air_water_heat_pump",), **fields):
    fields.setdefault("postal_code", "80000")
    return parse_profile(dict(fields, works=[{"type": w} for w in works], date="2026-11-28"),
                         today=TODAY)


def sirets(result):
    return [c["siret"] for c in result["craftsmen"]]


def test_heat_pump_installers_near_amiens_sorted_by_distance_with_radius_widening(fake):
    result = find_craftsmen(profile())
    assert result["source"] == "ademe-rge-api"
    assert result["search_url"] == SEARCH_URL
    # Expired (C), not for individuals (D), not yet valid (H) and too far (P) are left out.
    assert sirets(result) == ["11111111100011", "22222222200022", "55555555500055",
                              "77777777700077"]
    assert [c["distance_km"] for c in result["craftsmen"]] == [3.6, 5.6, 40.3, 89.0]
    assert result["radius_km"] == 100
    requests_seen = fake.lines_requests(RGE_DATASET)
    assert [r["geo_distance"] for r in requests_seen] == [
        "2.3:49.9:10000", "2.3:49.9:25000", "2.3:49.9:50000", "2.3:49.9:100000"]
    assert requests_seen[0]["qs"] == f'domaine:("{PAC}") AND particulier:true'
    assert result["fetched_at"].startswith(str(dt.date.today().year))


def test_company_fields_and_rows_grouped_by_siret(fake):
    result = find_craftsmen(profile())
    b = result["craftsmen"][1]
    assert b == {
        "siret": "22222222200022", "name": "ENERGIES LONGUEAU B",
        "address": "3 RUE DE LA GARE", "postal_code": "80000", "city": "AMIENS",
        "distance_km": 5.6, "phone": "03 22 00 00 03", "email": "contact3@exemple.fr",
        "website": "", "works": ["air_water_heat_pump"],
        "qualifications": ["QualiPAC Chauffage et ECS (5212D102)", "Chauffage + (8611)"],
        "domains": [PAC], "valid_until": "2027-03-01",
    }


def test_several_works_merge_per_company(fake):
    result = find_craftsmen(profile(works=("air_water_heat_pump", "thermodynamic_water_heater",
                                           "attic_insulation")))
    by_siret = {c["siret"]: c for c in result["craftsmen"]}
    a = by_siret["11111111100011"]
    assert a["works"] == ["air_water_heat_pump", "thermodynamic_water_heater"]
    assert a["domains"] == [PAC, CET]
    assert a["valid_until"] == "2026-12-31"  # the earliest end among its useful rows
    f = by_siret["66666666600066"]
    assert (f["works"], f["domains"], f["distance_km"]) == (["attic_insulation"],
                                                            [ATTIC, INTERIOR], 1.8)
    assert sirets(result)[0] == "66666666600066"  # the nearest first
    queries = {r["qs"] for r in fake.lines_requests(RGE_DATASET)}
    assert f'domaine:("{ATTIC}" OR "{INTERIOR}") AND particulier:true' in queries


def test_validity_follows_the_profile_date(fake):
    # On 2027-01-15, A's heat-pump water heater qualification (ends 2026-12-31) is over
    # and H's (starts 2027-01-01) has begun.
    later = parse_profile({"postal_code": "80000", "date": "2027-01-15",
                           "works": ["air_water_heat_pump", "thermodynamic_water_heater"]},
                          today=TODAY)
    result = find_craftsmen(later)
    by_siret = {c["siret"]: c for c in result["craftsmen"]}
    assert by_siret["11111111100011"]["works"] == ["air_water_heat_pump"]
    assert "88888888800088" in by_siret


def test_works_without_rge_qualification_are_explained(fake):
    result = find_craftsmen(profile(works=("fuel_tank_removal",)))
    assert result["craftsmen"] == [] and result["source"] == "none"
    assert "dépose de cuve à fioul" in result["warnings"][0]
    assert fake.lines_requests(RGE_DATASET) == []


def test_second_search_comes_from_the_cache(fake):
    first = find_craftsmen(profile())
    calls = len(fake.requests)
    fake.mode = "500"  # would fail if it were called
    second = find_craftsmen(profile())
    assert len(fake.requests) == calls
    assert second["source"] == "cache"
    assert second["craftsmen"] == first["craftsmen"]


def test_expired_cache_still_helps_when_the_api_is_down(fake, monkeypatch):
    first = find_craftsmen(profile())
    monkeypatch.setenv("BOT_CRAFTSMEN_CACHE_TTL", "0")
    fake.mode = "500"
    time.sleep(0.01)
    second = find_craftsmen(profile())
    assert second["source"] == "cache"
    assert sirets(second) == sirets(first)


def test_timeout_gives_an_empty_list_the_search_page_and_a_warning(hanging):
    fake = hanging
    started = time.monotonic()
    result = find_craftsmen(profile())
    elapsed = time.monotonic() - started
    assert result["source"] == "none"
    assert result["craftsmen"] == []
    assert result["search_url"] == SEARCH_URL
    assert "n'a pas pu être consulté" in result["warnings"][-1]
    # 3 attempts of 0.4 s, then no further radius is tried.
    assert len(fake.lines_requests(RGE_DATASET)) == 3
    assert elapsed < 3


def test_http_500_then_success_is_retried(fake):
    fake.faults = ["500", "500"]
    result = find_craftsmen(profile())
    assert result["source"] == "ademe-rge-api"
    assert sirets(result)[:2] == ["11111111100011", "22222222200022"]
    first_radius = [r for r in fake.lines_requests(RGE_DATASET)
                    if r["geo_distance"].endswith(":10000")]
    assert len(first_radius) == 3


def test_malformed_json_is_not_trusted(fake):
    fake.mode = "malformed"
    result = find_craftsmen(profile())
    assert (result["source"], result["craftsmen"]) == ("none", [])


def test_empty_result_tries_every_radius_then_says_none_found(fake):
    fake.mode = "empty"
    result = find_craftsmen(profile())
    assert result["source"] == "ademe-rge-api"
    assert result["craftsmen"] == []
    assert len(fake.lines_requests(RGE_DATASET)) == 4


def test_pages_are_followed_with_the_next_link(fake, monkeypatch):
    monkeypatch.setattr(craftsmen, "PAGE_SIZE", 2)
    result = find_craftsmen(profile())
    assert sirets(result)[:2] == ["11111111100011", "22222222200022"]
    assert any("after" in r for r in fake.lines_requests(RGE_DATASET))


def test_unreachable_host_is_handled(monkeypatch, tmp_path):
    monkeypatch.setenv("BOT_DATAFAIR_URL", "http://127.0.0.1:9/data-fair/api/v1/datasets")
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("BOT_HTTP_BACKOFF", "0.01")
    result = find_craftsmen(profile())
    assert (result["source"], result["craftsmen"]) == ("none", [])


def test_shared_postal_code_names_the_communes(fake):
    result = find_craftsmen(profile(postal_code="80480"))
    names = [c["name"] for c in result["communes"]]
    assert {"Dury", "Saleux", "Salouël"} <= set(names)
    assert result["commune"] == names[0]
    assert any("Plusieurs communes" in w for w in result["warnings"])


@pytest.mark.parametrize("fields, message", [
    ({"works": [{"type": "windows"}]}, "postal_code"),
    ({"postal_code": "80000"}, "works"),
    ({"postal_code": "99999", "works": [{"type": "windows"}]}, "99999"),
])
def test_missing_or_unknown_place_or_works(fields, message):
    with pytest.raises(ProfileError, match=message):
        find_craftsmen(parse_profile(fields, today=TODAY))


def test_domain_query_quotes_exact_strings():
    assert domain_query(['a "b"', "c"]) == 'domaine:("a \\"b\\"" OR "c") AND particulier:true'


def test_time_budget_stops_retries(hanging, monkeypatch):
    fake = hanging
    monkeypatch.setenv("BOT_HTTP_BUDGET", "0.1")
    result = find_craftsmen(profile())
    assert result["source"] == "none"
    # The first attempt (0.4 s) ends past the 0.1 s budget: no retry.
    assert len(fake.lines_requests(RGE_DATASET)) == 1


def test_after_its_lifetime_an_entry_is_fetched_again(fake, monkeypatch):
    monkeypatch.setenv("BOT_CRAFTSMEN_CACHE_TTL", "1")
    find_craftsmen(profile())
    calls = len(fake.lines_requests(RGE_DATASET))
    time.sleep(1.2)
    again = find_craftsmen(profile())
    assert again["source"] == "ademe-rge-api"
    assert len(fake.lines_requests(RGE_DATASET)) > calls


def test_an_expired_entry_answers_when_the_api_then_fails(fake, monkeypatch):
    monkeypatch.setenv("BOT_CRAFTSMEN_CACHE_TTL", "1")
    first = find_craftsmen(profile())
    calls = len(fake.lines_requests(RGE_DATASET))
    time.sleep(1.2)
    fake.mode = "500"
    second = find_craftsmen(profile())
    assert len(fake.lines_requests(RGE_DATASET)) > calls  # the API was asked first
    assert second["source"] == "cache"
    assert sirets(second) == sirets(first)


def test_a_malformed_answer_is_not_kept_in_the_cache(fake):
    fake.mode = "malformed"
    assert find_craftsmen(profile())["source"] == "none"
    fake.mode = None
    assert find_craftsmen(profile())["source"] == "ademe-rge-api"
