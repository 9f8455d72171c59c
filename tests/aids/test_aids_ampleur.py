"""MaPrimeRénov' parcours accompagné by period, the Accompagnateur Rénov' aid, the path
choice, and the CEE Coup de pouce « rénovation d'ampleur »."""

import pytest

INCOME_1P = {"very_modest": 15000, "modest": 20000, "intermediate": 28000, "high": 40000}
INSULATION = [{"type": "attic_insulation", "surface_m2": 80},
              {"type": "windows", "count": 8}]


def amount(item):
    """Amount of an eligible entry, or the one it would have if it were retained."""
    return item["amount_eur"] or item.get("potential_amount_eur")


def project(aids, date, category, before, after, cost, **fields):
    return aids(date=date, reference_income=INCOME_1P[category], dpe_class=before,
                dpe_class_after=after, total_cost_eur=cost, works=INSULATION, **fields)


@pytest.mark.parametrize("date", ["2025-10-15", "2026-03-02", "2026-11-28"])
def test_worked_example_of_the_reference(aids, find_aid, date):
    # §3.6: TMO in Amiens, G -> D (3 classes), 45 000 € HT.
    result = project(aids, date, "very_modest", "G", "D", 45000)
    pa = find_aid(result, "mpr_ampleur")
    assert pa["eligible"] is True
    assert pa["amount_eur"] == 32000  # 80 % x min(45 000, 40 000)
    assert pa["details"]["cost_ttc_eur"] == 47475  # écrêtement 100 % x 45 000 x 1.055
    assert pa["details"]["ecretement_cap_eur"] == 47475
    assert pa["details"]["advance_eur"] == 9600  # 30 %
    assert find_aid(result, "mpr_accompagnateur")["amount_eur"] == 2000
    assert result["retained_path"] == "ampleur"
    assert result["total_grants_eur"] == 34000


@pytest.mark.parametrize("category,before,after,cost,expected", [
    ("modest", "F", "C", 60000, 38500),  # 3 classes: (60 % + 10 passoire) x 55 000
    ("intermediate", "E", "C", 30000, 13500),  # 2 classes: 45 % x 30 000, no bonus from E
    ("intermediate", "D", "A", 80000, 27500),  # 3 classes: 50 % x 55 000 (no bonus from D)
    ("high", "G", "A", 80000, 21000),  # 6 classes: (20 % + 10) x 70 000
    ("very_modest", "F", "E", 30000, None),  # 1 class: refused
])
def test_early_2025_rules(aids, find_aid, category, before, after, cost, expected):
    result = project(aids, "2025-03-01", category, before, after, cost)
    pa = find_aid(result, "mpr_ampleur")
    if expected is None:
        assert pa["eligible"] is False and "2 classes" in pa["reasons"][0]
    else:
        assert (pa["eligible"], pa["amount_eur"]) == (True, expected)


@pytest.mark.parametrize("category,before,after,expected", [
    ("very_modest", "E", "C", 24000), ("very_modest", "G", "B", 32000),
    ("modest", "E", "C", 18000), ("modest", "F", "C", 24000),
    ("intermediate", "E", "C", 13500), ("intermediate", "G", "D", 18000),
    ("high", "E", "C", 3000), ("high", "F", "A", 4000),
])
def test_rules_from_2026_reopening_ceilings_30k_40k(aids, find_aid, category, before, after,
                                                     expected):
    result = project(aids, "2026-02-23", category, before, after, 80000)
    pa = find_aid(result, "mpr_ampleur")
    assert amount(pa) == expected
    if category == "high":
        # 3 000-4 000 € + 400 € of MAR aid is less than the CEE Coup de pouce « rénovation
        # d'ampleur » (4 700 € or more at 100 m²): that one is retained instead.
        assert result["retained_path"] == "cee_ampleur"
        # Eligible, with its amount, but not counted: the other route is better.
        assert (pa["eligible"], pa["retained"], pa["amount_eur"]) == (True, False, expected)
        assert "Non cumulable" in pa["reasons"][-1]
        assert "moins favorable ici" in pa["reasons"][-1]
    else:
        assert pa["eligible"] is True


def test_ecretement_cap_by_category(aids, find_aid):
    for category, share in (("modest", 0.90), ("intermediate", 0.80), ("high", 0.50)):
        pa = find_aid(project(aids, "2026-03-02", category, "G", "D", 20000), "mpr_ampleur")
        assert pa["details"]["ecretement_cap_eur"] == int(share * 20000 * 1.055)


def test_accompagnateur_aid_by_category(aids, find_aid):
    expected = {"very_modest": 2000, "modest": 1600, "intermediate": 800, "high": 400}
    for category, expected_amount in expected.items():
        result = project(aids, "2026-03-02", category, "G", "D", 40000)
        assert amount(find_aid(result, "mpr_accompagnateur")) == expected_amount


def test_boundary_22_23_june_2025_desk_suspended(aids, find_aid):
    open_ = find_aid(project(aids, "2025-06-22", "modest", "D", "B", 40000), "mpr_ampleur")
    closed = find_aid(project(aids, "2025-06-23", "modest", "D", "B", 40000), "mpr_ampleur")
    assert open_["eligible"] is True and open_["amount_eur"] == 24000  # D accepted then
    assert closed["eligible"] is False and "suspendu" in closed["reasons"][0]
    assert "potential_amount_eur" not in closed  # the reopening rules differ


def test_boundary_29_30_september_2025(aids, find_aid):
    before = find_aid(project(aids, "2025-09-29", "very_modest", "G", "D", 45000), "mpr_ampleur")
    after = find_aid(project(aids, "2025-09-30", "very_modest", "G", "D", 45000), "mpr_ampleur")
    assert before["eligible"] is False and "30 septembre 2025" in before["reasons"][0]
    assert (after["eligible"], after["amount_eur"]) == (True, 32000)
    # From 30 September 2025 a D-rated home is no longer admitted.
    d_home = find_aid(project(aids, "2025-09-30", "very_modest", "D", "B", 45000), "mpr_ampleur")
    assert d_home["eligible"] is False and "E, F, G" in d_home["reasons"][0]


def test_only_very_modest_households_until_end_2025(aids, find_aid):
    result = project(aids, "2025-12-31", "modest", "G", "D", 45000)
    pa = find_aid(result, "mpr_ampleur")
    assert pa["eligible"] is False and "très modestes" in pa["reasons"][0]
    assert any("13 000 dossiers" in w for w in result["warnings"])


def test_boundary_31_december_2025_1_january_2026(aids, find_aid):
    last = project(aids, "2025-12-31", "very_modest", "G", "D", 45000)
    first = project(aids, "2026-01-01", "very_modest", "G", "D", 45000)
    assert find_aid(last, "mpr_ampleur")["amount_eur"] == 32000
    closed = find_aid(first, "mpr_ampleur")
    assert (closed["eligible"], closed["amount_eur"]) == (False, 0)
    assert closed["potential_amount_eur"] == 32000
    assert "23 février 2026" in closed["reasons"][0]
    assert find_aid(first, "mpr_accompagnateur")["potential_amount_eur"] == 2000


def test_2026_reopening_is_open_to_all_and_requires_an_advisor_appointment(aids, find_aid):
    result = project(aids, "2026-02-23", "modest", "G", "D", 45000)
    pa = find_aid(result, "mpr_ampleur")
    assert (pa["eligible"], pa["amount_eur"]) == (True, 24000)
    assert any("conseiller France Rénov'" in c for c in pa["conditions"])
    old = find_aid(project(aids, "2025-10-15", "very_modest", "G", "D", 45000), "mpr_ampleur")
    assert not any("conseiller France Rénov'" in c for c in old["conditions"])


@pytest.mark.parametrize("fields,needle", [
    ({"occupancy": "tenant"}, "locataires"),
    ({"occupancy": "second_home_owner"}, "résidences principales"),
    ({"construction_year": 2020}, "15 ans"),
    ({"works": [{"type": "air_water_heat_pump"}, {"type": "windows", "count": 4}]},
     "2 gestes d'isolation"),
])
def test_conditions(aids, find_aid, fields, needle):
    result = project(aids, "2026-03-02", "very_modest", "G", "D", 45000, **{
        k: v for k, v in fields.items() if k != "works"})
    if "works" in fields:
        result = aids(date="2026-03-02", reference_income=15000, dpe_class="G",
                      dpe_class_after="D", total_cost_eur=45000, works=fields["works"])
    pa = find_aid(result, "mpr_ampleur")
    assert pa["eligible"] is False
    assert any(needle in reason for reason in pa["reasons"])


def test_missing_facts_make_it_not_computable(aids, find_aid):
    result = aids(reference_income=15000, dpe_class="G", works=INSULATION)
    pa = find_aid(result, "mpr_ampleur")
    assert pa["eligible"] is None and pa["amount_eur"] is None
    assert "classe DPE visée" in pa["reasons"][0] and "coût total" in pa["reasons"][0]


def test_cost_from_the_works_when_no_total(aids, find_aid):
    works = [{"type": "attic_insulation", "surface_m2": 80, "cost_eur": 8000},
             {"type": "windows", "count": 8, "cost_eur": 7000}]
    result = aids(reference_income=15000, dpe_class="F", dpe_class_after="D", works=works)
    assert find_aid(result, "mpr_ampleur")["amount_eur"] == 12000  # 80 % x 15 000


def test_par_geste_is_retained_when_more_favourable(aids, find_aid):
    # High income: PA 10 % x 30 000 + 400 € = 3 400 € against CEE par geste (Coup de pouce
    # heat pump 3 816 € + attic 1 088 € + windows 486 €) = 5 390 €.
    works = INSULATION + [{"type": "air_water_heat_pump"}]
    result = aids(date="2025-11-02", reference_income=40000, heating_energy="fuel_oil",
                  dpe_class="G", dpe_class_after="E", total_cost_eur=30000, works=works)
    assert result["retained_path"] == "par_geste"
    assert result["total_grants_eur"] == 5390
    pa = find_aid(result, "mpr_ampleur")
    # Not admitted in Q4 2025 anyway (very modest only): check in 2026.
    assert pa["eligible"] is False
    result = aids(date="2026-03-02", reference_income=40000, heating_energy="fuel_oil",
                  dpe_class="G", dpe_class_after="E", total_cost_eur=30000, works=works)
    pa = find_aid(result, "mpr_ampleur")
    assert result["retained_path"] == "par_geste"
    assert (pa["eligible"], pa["retained"], pa["amount_eur"]) == (True, False, 3000)
    assert pa["reasons"][-1].startswith("Non cumulable avec MaPrimeRénov' par geste")
    assert find_aid(result, "mpr_accompagnateur")["retained"] is False
    # Totals count retained aids only: 5 390 €, not 5 390 + 3 000 + 400.
    assert result["total_grants_eur"] == 5390
    retained = [a for a in result["aids"] if a["kind"] == "grant" and a["retained"]]
    assert sum(a["amount_eur"] for a in retained) == 5390


def test_coup_de_pouce_ampleur_never_above_the_cost(aids):
    result = aids(occupancy="second_home_owner", dpe_class="G", dpe_class_after="D",
                  total_cost_eur=3000)
    cdp = [a for a in result["aids"] if a["aid"] == "cee" and "work" not in a][0]
    assert cdp["amount_eur"] == 3000


def test_electric_heating_dpe_change_in_2026_is_flagged(aids):
    needle = "coefficient de conversion de l'électricité"
    in_2026 = aids(heating_energy="electricity", dpe_class="F", reference_income=15000)
    in_2025 = aids(date="2025-11-02", heating_energy="electricity", dpe_class="F")
    gas = aids(heating_energy="gas", dpe_class="F")
    assert any(needle in w for w in in_2026["warnings"])
    assert not any(needle in w for w in in_2025["warnings"] + gas["warnings"])
