"""MaPrimeRénov' par geste: amounts by work and category, caps, écrêtement, conditions and
the 2026 changes."""

import pytest

INCOME_1P = {"very_modest": 15000, "modest": 20000, "intermediate": 28000, "high": 40000}

# (work, extra fields, [very_modest, modest, intermediate]) — hand-computed from §2.2.
TABLE = [
    ("attic_insulation", {"surface_m2": 80}, [2000, 1600, 1200]),  # 25/20/15 €/m²
    ("flat_roof_insulation", {"surface_m2": 50}, [3750, 3000, 2000]),  # 75/60/40 €/m²
    ("exterior_wall_insulation", {"surface_m2": 120}, [7500, 6000, 4000]),  # at most 100 m²
    ("interior_wall_insulation", {"surface_m2": 50}, [1250, 1000, 750]),
    ("windows", {"count": 8}, [800, 640, 320]),  # 100/80/40 € per window
    ("air_water_heat_pump", {}, [5000, 4000, 3000]),
    ("geothermal_heat_pump", {}, [11000, 9000, 6000]),
    ("thermodynamic_water_heater", {}, [1200, 800, 400]),
    ("solar_water_heater", {}, [4000, 3000, 2000]),
    ("combined_solar_system", {}, [10000, 8000, 4000]),
    ("pellet_stove", {}, [1250, 1000, 750]),
    ("log_stove", {}, [1250, 1000, 500]),
    ("pellet_boiler", {}, [5000, 3850, 2100]),
    ("log_boiler", {}, [3750, 3150, 1400]),
    ("double_flow_ventilation", {}, [2500, 2000, 1500]),
    ("energy_audit", {}, [500, 400, 300]),
    ("heating_network_connection", {}, [1200, 800, 400]),
    ("fuel_tank_removal", {}, [1200, 800, 400]),
]
COMPANION = {"type": "attic_insulation", "surface_m2": 10}  # VMC and audit need another geste


@pytest.mark.parametrize("work,extra,amounts", TABLE, ids=[row[0] for row in TABLE])
@pytest.mark.parametrize("index,category", list(enumerate(["very_modest", "modest",
                                                             "intermediate"])))
def test_amount_per_work_and_category(aids, find_aid, work, extra, amounts, index, category):
    works = [{"type": work, **extra}]
    if work in ("double_flow_ventilation", "energy_audit"):
        works.append(COMPANION)
    result = aids(date="2025-11-02", reference_income=INCOME_1P[category], works=works)
    assert result["income_category"] == category
    item = find_aid(result, "mpr_par_geste", work)
    assert item["eligible"] is True
    assert item["amount_eur"] == amounts[index]
    assert item["source"].startswith("https://")


@pytest.mark.parametrize("work,extra,amounts", TABLE[:3], ids=[row[0] for row in TABLE[:3]])
def test_high_income_households_are_excluded(aids, find_aid, work, extra, amounts):
    result = aids(date="2025-11-02", reference_income=INCOME_1P["high"],
                  works=[{"type": work, **extra}])
    item = find_aid(result, "mpr_par_geste", work)
    assert (item["eligible"], item["amount_eur"]) == (False, 0)
    assert "supérieurs" in item["reasons"][0]


def test_works_without_mpr_geste(aids, find_aid):
    result = aids(reference_income=15000, works=[
        {"type": "floor_insulation", "surface_m2": 60}, {"type": "air_air_heat_pump"}])
    for work in ("floor_insulation", "air_air_heat_pump"):
        item = find_aid(result, "mpr_par_geste", work)
        assert item["eligible"] is False and "CEE seulement" in item["reasons"][0]
        assert find_aid(result, "cee", work)["eligible"] is True


def test_missing_cost_is_said(aids, find_aid):
    result = aids(reference_income=15000, works=[{"type": "pellet_stove"}])
    item = find_aid(result, "mpr_par_geste", "pellet_stove")
    assert item["amount_eur"] == 1250
    assert any("écrêtement" in note and "pas pu être vérifié" in note for note in item["notes"])


@pytest.mark.parametrize("fields,needle", [
    ({"occupancy": "tenant"}, "locataires"),
    ({"occupancy": "second_home_owner"}, "résidences principales"),
    ({"construction_year": 2015}, "au moins 15 ans"),
])
def test_conditions_block_the_aid(aids, find_aid, fields, needle):
    result = aids(reference_income=15000, works=[{"type": "air_water_heat_pump"}], **fields)
    item = find_aid(result, "mpr_par_geste", "air_water_heat_pump")
    assert (item["eligible"], item["amount_eur"]) == (False, 0)
    assert any(needle in reason for reason in item["reasons"])


def test_unknown_facts_become_conditions_not_refusals(aids, find_aid):
    result = aids(reference_income=15000, occupancy=None, construction_year=None,
                  works=[{"type": "air_water_heat_pump"}])
    item = find_aid(result, "mpr_par_geste", "air_water_heat_pump")
    assert item["eligible"] is True
    joined = " ".join(item["conditions"])
    assert "propriétaire" in joined and "15 ans" in joined and "RGE" in joined


def test_dwelling_exactly_15_years_old_is_eligible(aids, find_aid):
    result = aids(reference_income=15000, construction_year=2011,
                  works=[{"type": "air_water_heat_pump"}])
    assert find_aid(result, "mpr_par_geste", "air_water_heat_pump")["eligible"] is True


def test_prerequisites_of_ventilation_and_audit(aids, find_aid):
    result = aids(reference_income=15000, works=[{"type": "double_flow_ventilation"}])
    assert find_aid(result, "mpr_par_geste", "double_flow_ventilation")["eligible"] is False
    result = aids(reference_income=15000, works=[{"type": "energy_audit"}])
    assert find_aid(result, "mpr_par_geste", "energy_audit")["eligible"] is False


def test_no_category_means_not_computable_never_guessed(aids, find_aid):
    result = aids(reference_income=None, works=[{"type": "attic_insulation", "surface_m2": 50}])
    item = find_aid(result, "mpr_par_geste", "attic_insulation")
    assert item["eligible"] is None and item["amount_eur"] is None
    assert "non calculable" in item["reasons"][0]
    assert find_aid(result, "cee", "attic_insulation")["amount_eur"] == 680  # no income rule


def test_missing_surface_is_not_computable(aids, find_aid):
    result = aids(reference_income=15000, works=[{"type": "attic_insulation"}])
    item = find_aid(result, "mpr_par_geste", "attic_insulation")
    assert item["amount_eur"] is None and "surface" in item["reasons"][0]


REMOVED = ["exterior_wall_insulation", "interior_wall_insulation", "pellet_boiler", "log_boiler"]


@pytest.mark.parametrize("work", REMOVED)
def test_walls_and_biomass_boilers_leave_mpr_on_1_january_2026(aids, find_aid, work):
    works = [{"type": work, "surface_m2": 50}]
    before = find_aid(aids(date="2025-12-31", reference_income=15000, works=works),
                      "mpr_par_geste", work)
    after_result = aids(date="2026-02-23", reference_income=15000, works=works)
    after = find_aid(after_result, "mpr_par_geste", work)
    assert before["eligible"] is True and before["amount_eur"] > 0
    assert (after["eligible"], after["amount_eur"]) == (False, 0)
    assert "1er janvier 2026" in after["reasons"][0]
    assert find_aid(after_result, "cee", work)["eligible"] is True  # CEE stay


def test_no_filing_between_1_january_and_22_february_2026(aids, find_aid):
    works = [{"type": "attic_insulation", "surface_m2": 80}]
    closed = aids(date="2026-01-01", reference_income=15000, works=works)
    item = find_aid(closed, "mpr_par_geste", "attic_insulation")
    assert (item["eligible"], item["amount_eur"]) == (False, 0)
    assert item["potential_amount_eur"] == 2000
    assert "23 février 2026" in item["reasons"][0]
    assert find_aid(aids(date="2026-02-22", reference_income=15000, works=works),
                    "mpr_par_geste", "attic_insulation")["eligible"] is False
    reopened = aids(date="2026-02-23", reference_income=15000, works=works)
    assert find_aid(reopened, "mpr_par_geste", "attic_insulation")["amount_eur"] == 2000


def test_advance_for_very_modest_households(aids, find_aid):
    result = aids(reference_income=15000, works=[{"type": "air_water_heat_pump"}])
    assert find_aid(result, "mpr_par_geste",
                    "air_water_heat_pump")["details"]["advance_eur"] == 2500


def test_fg_house_warning_in_2026(aids):
    result = aids(reference_income=15000, dpe_class="G",
                  works=[{"type": "air_water_heat_pump"}])
    assert any("classée F ou G" in w for w in result["warnings"])
    result = aids(date="2025-11-02", reference_income=15000, dpe_class="G",
                  works=[{"type": "air_water_heat_pump"}])
    assert not any("classée F ou G" in w for w in result["warnings"])
