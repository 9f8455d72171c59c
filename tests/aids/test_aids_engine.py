"""The result as a whole: contract §4 shape, totals, dates outside the known periods,
places that are ambiguous or unknown."""

import datetime as dt
import json
import re

import pytest

from bot.aids.engine import compute_aids
from bot.errors import ProfileError
from bot.profile import parse_profile

CONTRACT_EXAMPLE = {
    "date": "2026-11-28", "postal_code": "80000", "insee_code": "80021",
    "housing_type": "house", "occupancy": "owner_occupier", "construction_year": 1975,
    "surface_m2": 100, "heating_energy": "fuel_oil", "dpe_class": "F", "dpe_class_after": "C",
    "household_size": 3, "reference_income": 32000,
    "works": [{"type": "attic_insulation", "surface_m2": 80, "cost_eur": 4000},
              {"type": "air_water_heat_pump", "cost_eur": 14000},
              {"type": "windows", "count": 8, "cost_eur": 6400}],
    "total_cost_eur": 45000,
}
AID_CODES = {"mpr_par_geste", "mpr_ampleur", "mpr_accompagnateur", "cee", "eco_ptz",
             "vat_reduced", "cheque_energie", "par_plus"}
URL = re.compile(r"^https://\S+$")


def test_contract_example_shape_and_figures():
    result = compute_aids(parse_profile(CONTRACT_EXAMPLE))
    json.dumps(result)  # JSON-ready
    assert result["rules_date"] == "2026-11-28"
    assert result["income_category"] == "modest"  # 3 persons, 32 000 € outside IdF
    for item in result["aids"]:
        assert item["aid"] in AID_CODES or item["aid"].startswith("local:")
        assert item["kind"] in ("grant", "loan", "vat", "voucher")
        assert item["eligible"] in (True, False, None)
        assert isinstance(item["reasons"], list)
        assert URL.match(item["source"]), item
        if item["eligible"] is False:
            assert item["reasons"], item
        if item["kind"] == "grant":
            amount = item["amount_eur"]
            assert amount is None or (isinstance(amount, int) and amount >= 0)
    for item in result["aids"]:
        assert isinstance(item["retained"], bool)
        assert item["retained"] is False or item["eligible"] is True  # retained => eligible
    grants = [a for a in result["aids"] if a["kind"] == "grant" and a["retained"] is True]
    assert result["total_grants_eur"] == sum(a["amount_eur"] for a in grants)
    # F -> C (3 classes), modest: 60 % x 40 000 + 80 % x 2 000 of Accompagnateur fee.
    assert result["total_grants_eur"] == 24000 + 1600
    assert result["retained_path"] == "ampleur"
    assert {a["aid"] for a in grants} == {"mpr_ampleur", "mpr_accompagnateur"}


def test_par_geste_entries_carry_their_work():
    result = compute_aids(parse_profile({**CONTRACT_EXAMPLE, "dpe_class_after": None}))
    geste = [a for a in result["aids"] if a["aid"] == "mpr_par_geste"]
    assert [a["work"] for a in geste] == ["attic_insulation", "air_water_heat_pump", "windows"]
    assert [a["amount_eur"] for a in geste] == [1600, 4000, 640]
    assert result["retained_path"] == "par_geste"
    # MPR 1 600 + 4 000 + 640, CEE 1 088 + Coup de pouce 3 816 + 486
    assert result["total_grants_eur"] == 6240 + 5390


def test_default_date_is_today():
    data = {k: v for k, v in CONTRACT_EXAMPLE.items() if k != "date"}
    assert compute_aids(parse_profile(data))["rules_date"] == dt.date.today().isoformat()


def test_dates_before_the_known_rules_compute_nothing():
    result = compute_aids(parse_profile({**CONTRACT_EXAMPLE, "date": "2024-12-31"}))
    assert result["aids"] == [] and result["total_grants_eur"] == 0
    assert result["income_category"] is None
    assert "1er janvier 2025" in result["warnings"][0]
    assert "31 décembre 2024" in result["warnings"][0]


def test_29_february_before_the_known_rules():
    result = compute_aids(parse_profile({"date": "2024-02-29"}))
    assert result["aids"] == [] and "29 février 2024" in result["warnings"][0]


def test_dates_after_2026_say_the_2026_rules_are_applied():
    result = compute_aids(parse_profile({**CONTRACT_EXAMPLE, "date": "2027-01-01"}))
    assert any("après le 31 décembre 2026" in w for w in result["warnings"])
    assert result["total_grants_eur"] == 25600


def test_shared_postal_code_names_the_communes():
    result = compute_aids(parse_profile({"date": "2026-03-02", "postal_code": "80132",
                                         "works": [{"type": "attic_insulation",
                                                    "surface_m2": 50}]}))
    assert len(result["communes"]) > 1
    assert {"insee_code", "name"} == set(result["communes"][0])
    assert any("Plusieurs communes" in w for w in result["warnings"])


def test_unknown_postal_code_is_a_profile_error():
    with pytest.raises(ProfileError):
        compute_aids(parse_profile({"postal_code": "00000"}))


def test_empty_profile_still_answers():
    result = compute_aids(parse_profile({"date": "2026-03-02"}))
    assert result["income_category"] is None and result["total_grants_eur"] == 0
    assert {a["aid"] for a in result["aids"]} >= {"mpr_ampleur", "eco_ptz", "cheque_energie"}


def test_same_input_same_output():
    first = compute_aids(parse_profile(CONTRACT_EXAMPLE))
    second = compute_aids(parse_profile(CONTRACT_EXAMPLE))
    assert first == second


OFFICIAL = re.compile(r"^https://([a-z0-9-]+\.)*(legifrance\.gouv\.fr|anah\.gouv\.fr|"
                      r"france-renov\.gouv\.fr|service-public\.fr|ecologie\.gouv\.fr|"
                      r"economie\.gouv\.fr|impots\.gouv\.fr|cre\.fr|ademe\.fr|data\.gouv\.fr|"
                      r"insee\.fr|amiens\.fr|somme\.fr|hautsdefrance\.fr)(/\S*)?$")


@pytest.mark.parametrize("date", ["2025-03-01", "2025-11-02", "2026-01-15", "2026-11-28"])
def test_every_entry_names_official_primary_sources(date):
    result = compute_aids(parse_profile({**CONTRACT_EXAMPLE, "date": date}))
    for item in result["aids"]:
        assert item["sources"], item["aid"]
        assert item["sources"][0]["href"] == item["source"]  # the old string stays
        for ref in item["sources"]:
            assert set(ref) == {"title", "href"} and len(ref["title"]) > 10, ref
            assert OFFICIAL.match(ref["href"]), ref
            assert "github" not in ref["href"] and "github" not in ref["title"].lower()


def test_par_geste_ecretement_is_on_the_cost_including_vat():
    # Décret n° 2020-26, art. 3, II: the eligible expense is « toutes taxes comprises ».
    result = compute_aids(parse_profile({
        **CONTRACT_EXAMPLE, "dpe_class_after": None, "household_size": 1,
        "reference_income": 15000, "total_cost_eur": None,
        "works": [{"type": "windows", "count": 8, "cost_eur": 1000}]}))
    mpr = [a for a in result["aids"] if a["aid"] == "mpr_par_geste"][0]
    assert mpr["details"]["eligible_expense_eur"] == 1055  # 1 000 € HT at 5.5 % VAT
    assert not any("HT ou TTC" in w for w in result["warnings"])
