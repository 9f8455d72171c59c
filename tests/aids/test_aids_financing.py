"""Éco-PTZ, PAR+, reduced VAT and the chèque énergie hint (never counted as grants)."""

import pytest

ATTIC = {"type": "attic_insulation", "surface_m2": 80}
WINDOWS = {"type": "windows", "count": 8}
PUMP = {"type": "air_water_heat_pump"}


@pytest.mark.parametrize("works,expected", [
    ([WINDOWS], 7000),  # glazing only
    ([ATTIC], 15000),  # one action
    ([ATTIC, {"type": "flat_roof_insulation", "surface_m2": 10}], 15000),  # same action
    ([ATTIC, WINDOWS], 25000),
    ([ATTIC, WINDOWS, PUMP], 30000),
    ([ATTIC, WINDOWS, PUMP, {"type": "solar_water_heater"}], 30000),
])
def test_eco_ptz_by_number_of_actions(aids, find_aid, works, expected):
    item = find_aid(aids(works=works), "eco_ptz")
    assert (item["eligible"], item["max_amount_eur"], item["duration_years"]) == \
        (True, expected, 15)
    assert "amount_eur" not in item and item["kind"] == "loan"


def test_eco_ptz_50k_over_20_years_with_parcours_accompagne(aids, find_aid):
    result = aids(reference_income=15000, dpe_class="G", dpe_class_after="D",
                  total_cost_eur=45000, works=[ATTIC, WINDOWS])
    item = find_aid(result, "eco_ptz")
    assert (item["max_amount_eur"], item["duration_years"]) == (50000, 20)


@pytest.mark.parametrize("fields,works", [
    ({"occupancy": "tenant"}, [ATTIC]),
    ({"occupancy": "second_home_owner"}, [ATTIC]),
    ({"construction_year": 2025}, [ATTIC]),
    ({}, [{"type": "energy_audit"}]),
])
def test_eco_ptz_refusals(aids, find_aid, fields, works):
    item = find_aid(aids(works=works, **fields), "eco_ptz")
    assert item["eligible"] is False and item["reasons"]


def test_eco_ptz_without_works_is_not_computable(aids, find_aid):
    assert find_aid(aids(), "eco_ptz")["eligible"] is None


def test_par_plus(aids, find_aid):
    assert find_aid(aids(reference_income=20000, works=[ATTIC, WINDOWS]),
                    "par_plus")["max_amount_eur"] == 25000
    assert find_aid(aids(reference_income=28000, works=[ATTIC]), "par_plus")["eligible"] is False
    assert find_aid(aids(reference_income=15000, occupancy="landlord", works=[ATTIC]),
                    "par_plus")["eligible"] is False
    ampleur = aids(reference_income=15000, dpe_class="G", dpe_class_after="D",
                   total_cost_eur=45000, works=[ATTIC, WINDOWS])
    assert find_aid(ampleur, "par_plus")["max_amount_eur"] == 50000


def test_reduced_vat(aids, find_aid):
    result = aids(works=[{**ATTIC, "cost_eur": 4000}, {**PUMP, "cost_eur": 14000}])
    item = find_aid(result, "vat_reduced")
    assert (item["eligible"], item["rate"], item["vat_eur"]) == (True, 0.055, 990)
    assert item["works"] == ["attic_insulation", "air_water_heat_pump"]
    assert result["total_grants_eur"] < 990 + 10000  # VAT never counted as a grant


def test_gas_condensing_boilers_at_20_percent_since_1_march_2025(aids, find_aid):
    before = find_aid(aids(date="2025-02-28", works=[ATTIC]), "vat_reduced")
    after = find_aid(aids(date="2025-03-01", works=[ATTIC]), "vat_reduced")
    assert not any("gaz à condensation" in n for n in before.get("notes", []))
    assert any("20 %" in n and "1er mars 2025" in n for n in after["notes"])


def test_vat_rate_not_confirmed_for_air_air_heat_pumps(aids, find_aid):
    result = aids(works=[{"type": "air_air_heat_pump"}])
    item = find_aid(result, "vat_reduced")
    assert item["eligible"] is False
    assert any("non confirmé" in n for n in item["notes"])


@pytest.mark.parametrize("size,income,eligible", [
    (1, 10999, True), (1, 11000, False),
    (4, 23000, True), (4, 23200, False),  # 1 + 0.5 + 2 x 0.3 = 2.1 units
])
def test_cheque_energie_hint(aids, find_aid, size, income, eligible):
    item = find_aid(aids(household_size=size, reference_income=income), "cheque_energie")
    assert item["eligible"] is eligible
    assert item["amount_range_eur"] == [48, 277]
    assert item["kind"] == "voucher"
