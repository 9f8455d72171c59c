"""Reason codes: every refused, reduced or not computable aid says why twice — a stable code
for programs (`reason_codes`) and a French sentence for the household (`reasons`)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.aids.reasons_fr import REASONS_FR, reason, sentence
from tests.aids.conftest import INCOME_1P, find, run

AIDS_DIR = Path(__file__).resolve().parents[2] / "bot" / "aids"

# A fuel-oil house F → C in Amiens, insulation of the attic and a heat pump.
PROJECT = {
    "reference_income": INCOME_1P["modest"], "heating_energy": "fuel_oil",
    "dpe_class": "F", "dpe_class_after": "C", "total_cost_eur": 40000,
    "works": [{"type": "attic_insulation", "surface_m2": 80, "cost_eur": 4000},
              {"type": "air_water_heat_pump", "cost_eur": 14000}],
}


def _codes_in_engines() -> set[str]:
    """Every code an engine can emit, read from the source (literal or OCCUPANCY_REASONS)."""
    found: set[str] = set()
    for path in AIDS_DIR.glob("*.py"):
        if path.name in ("reasons_fr.py", "messages.py"):
            continue
        text = path.read_text(encoding="utf-8")
        found.update(re.findall(r'reason\(\s*"(\w+)"', text))
        found.update(re.findall(r'\belse\s+"(\w+)"\)', text))  # reason("a" if … else "b")
    found.update({"tenant_not_eligible", "second_home_not_eligible", "occupancy_not_admitted"})
    found.update({"path_par_geste", "path_ampleur", "path_cee_ampleur"})
    return found


def test_every_code_an_engine_emits_has_a_french_sentence():
    emitted = _codes_in_engines()
    assert len(emitted) > 40  # the scan really read the engines
    assert emitted <= set(REASONS_FR), sorted(emitted - set(REASONS_FR))


def test_every_sentence_is_french_and_its_placeholders_are_named():
    for code, text in REASONS_FR.items():
        assert re.fullmatch(r"[a-z_]+", code), code
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        assert all(re.fullmatch(r"[a-z0-9_]+", name) for name in fields), (code, fields)
        assert not text.startswith(" ") and text.strip() == text, code


def test_an_unknown_code_is_refused_at_once():
    with pytest.raises(KeyError):
        reason("no_such_code")


def test_fragments_are_joined_and_rendered():
    why = reason("amount_needs_facts",
                 missing=[reason("missing_dpe_class"), reason("missing_total_cost")])
    assert sentence(why) == ("Montant non calculable : indiquez classe DPE actuelle du "
                             "logement, coût total HT des travaux.")


def test_a_tenant_is_refused_with_codes():
    result = run(occupancy="tenant", **PROJECT)
    geste = find(result, "mpr_par_geste", "attic_insulation")
    assert geste["eligible"] is False and geste["reason_codes"] == ["tenant_not_eligible"]
    assert geste["reasons"] == ["Les locataires ne peuvent pas demander MaPrimeRénov' : c'est "
                                "au propriétaire de le faire."]
    assert "tenant_not_eligible" in find(result, "mpr_ampleur")["reason_codes"]
    assert find(result, "eco_ptz")["reason_codes"] == ["eco_ptz_tenant_not_eligible"]
    assert "l'éco-PTZ" in find(result, "eco_ptz")["reasons"][0]
    assert find(result, "par_plus")["reason_codes"] == ["par_plus_owner_occupier_only"]


def test_a_landlord_gets_mpr_but_not_the_owner_occupier_loans_and_local_aids():
    result = run(occupancy="landlord", **PROJECT)
    assert find(result, "mpr_par_geste", "attic_insulation")["reason_codes"] == []
    assert find(result, "par_plus")["reason_codes"] == ["par_plus_owner_occupier_only"]
    local = find(result, "local:somme_rehabilitation")
    assert local["eligible"] is False and local["reason_codes"] == ["local_owner_occupier_only"]


def test_a_second_home_is_refused_with_codes():
    result = run(occupancy="second_home_owner", **PROJECT)
    geste = find(result, "mpr_par_geste", "air_water_heat_pump")
    assert geste["reason_codes"] == ["second_home_not_eligible"]
    assert geste["reasons"] == ["MaPrimeRénov' est réservée aux résidences principales."]
    assert find(result, "eco_ptz")["reason_codes"] == ["eco_ptz_owner_main_residence"]


def test_an_apartment_in_a_copropriete_names_the_missing_sheet_and_facts():
    result = run(housing_type="apartment", surface_m2=60,
                 reference_income=INCOME_1P["modest"],
                 works=[{"type": "air_water_heat_pump", "cost_eur": 12000},
                        {"type": "floor_insulation", "surface_m2": 50, "cost_eur": 3000}])
    cee = find(result, "cee", "air_water_heat_pump")
    assert cee["eligible"] is None
    assert cee["reason_codes"] == ["cee_amount_not_computable", "missing_sheet_volume_apartment"]
    assert "non connu pour un appartement" in cee["reasons"][0]
    assert find(result, "mpr_par_geste", "floor_insulation")["reason_codes"] == \
        ["geste_work_not_covered"]
    ampleur = find(result, "mpr_ampleur")
    assert ampleur["reason_codes"] == ["ampleur_too_few_insulation_gestes"]


def test_the_route_not_retained_says_which_one_was_and_why():
    result = run(**PROJECT)
    chosen = result["retained_path"]
    for item in result["aids"]:
        if item["eligible"] is True and item["retained"] is False and item["kind"] == "grant":
            assert item["reason_codes"][-2:] == ["not_cumulative_less_favourable",
                                                 f"path_{chosen}"]
            assert item["reasons"][-1].startswith("Non cumulable avec")


@pytest.mark.parametrize("occupancy", ["owner_occupier", "landlord", "tenant",
                                       "second_home_owner"])
def test_every_refusal_has_as_many_sentences_as_top_level_codes(occupancy):
    result = run(occupancy=occupancy, construction_year=2024, **{
        k: v for k, v in PROJECT.items() if k != "total_cost_eur"})
    fragments = {code for code in REASONS_FR if code.startswith(("missing_", "path_"))}
    for item in result["aids"]:
        top = [code for code in item["reason_codes"] if code not in fragments]
        assert len(top) == len(item["reasons"]), item
        if item["eligible"] is not True:
            assert top, item


def test_a_reduced_amount_says_so_by_code_in_its_notes():
    # Attic insulation of 80 m² billed 500 € HT: the écrêtement cuts MaPrimeRénov' par geste
    # and the CEE premium is limited to the works cost.
    result = run(reference_income=INCOME_1P["very_modest"],
                 works=[{"type": "attic_insulation", "surface_m2": 80, "cost_eur": 500}])
    geste = find(result, "mpr_par_geste", "attic_insulation")
    assert geste["eligible"] is True and geste["reason_codes"] == []
    assert "geste_ecretement_reduced" in geste["note_codes"]
    assert len(geste["note_codes"]) == len(geste["notes"])
    assert any(note.startswith("Montant réduit par l'écrêtement") for note in geste["notes"])
    assert "capped_at_works_cost" in find(result, "cee", "attic_insulation")["note_codes"]


def test_the_eco_ptz_ceiling_names_its_basis_by_code():
    result = run(works=[{"type": "windows", "count": 4, "cost_eur": 3000}])
    loan = find(result, "eco_ptz")
    assert loan["note_codes"] == ["eco_ptz_ceiling", "eco_ptz_basis_glazing"]
    assert loan["notes"] == ["Plafond retenu : fenêtres seules."]


def test_the_conditions_left_to_check_carry_codes():
    result = run(occupancy=None, construction_year=None, reference_income=INCOME_1P["modest"],
                 works=[{"type": "attic_insulation", "surface_m2": 50, "cost_eur": 2500}])
    geste = find(result, "mpr_par_geste", "attic_insulation")
    assert geste["condition_codes"] == ["rge_works", "main_residence_months", "be_owner",
                                        "dwelling_built_years_ago"]
    assert geste["conditions"][2] == "Être propriétaire (occupant ou bailleur) du logement."
    assert "dwelling_completed_more_than" in find(result, "cee", "attic_insulation")[
        "condition_codes"]
