"""Work costs (given, typical, total, unknown), payback, apartments and minimum fields."""

import pytest

from bot.errors import ProfileError
from bot.profile import parse_profile
from bot.savings.engine import estimate_savings

HOUSE = {"date": "2026-11-28", "insee_code": "80021", "housing_type": "house",
         "construction_year": 1975, "surface_m2": 100, "heating_energy": "fuel_oil"}


def run(**extra):
    return estimate_savings(parse_profile({**HOUSE, **extra}))


def test_given_costs_are_used_and_payback_is_cost_over_saving():
    result = run(works=[{"type": "air_water_heat_pump", "cost_eur": 14000}])
    assert result["per_work"][0]["cost_source"] == "profile"
    assert result["payback_years"] == pytest.approx(14000 / result["savings"]["eur"], abs=0.06)
    fast, slow = result["payback_years_range"]
    low, high = result["savings"]["eur_range"]
    assert fast == pytest.approx(14000 / high, abs=0.06)
    assert slow == pytest.approx(14000 / low, abs=0.06)
    assert not any("coût typique" in a for a in result["assumptions"])


def test_typical_costs_per_window_and_per_unit_are_said():
    result = run(works=[{"type": "windows", "count": 4}, {"type": "pellet_boiler"}])
    costs = {w["type"]: w["cost_eur"] for w in result["per_work"]}
    assert costs == {"windows": 2400, "pellet_boiler": 20000}  # 4 × 600 €; 20 000 €
    assert any("600 € × 4 fenêtres" in a for a in result["assumptions"])
    # The pellet-boiler cost is not from a solid source: the user is warned.
    assert any("chaudière à granulés" in w and "peu sûr" in w for w in result["warnings"])
    total = 2400 + 20000
    assert result["payback_years"] == pytest.approx(total / result["savings"]["eur"], abs=0.06)


def test_total_cost_is_used_when_a_work_cost_is_missing():
    result = run(works=[{"type": "attic_insulation", "cost_eur": 3000},
                        {"type": "air_air_heat_pump"}], total_cost_eur=9000)
    assert result["payback_years"] == pytest.approx(9000 / result["savings"]["eur"], abs=0.06)
    assert any("Coût total indiqué" in a for a in result["assumptions"])
    sources = {w["type"]: w["cost_source"] for w in result["per_work"]}
    assert sources == {"attic_insulation": "profile", "air_air_heat_pump": "total"}
    assert not any("coût typique" in a for a in result["assumptions"])


def test_unknown_cost_without_total_gives_no_payback():
    result = run(works=[{"type": "air_air_heat_pump"}])
    assert result["per_work"][0]["cost_source"] == "unknown"
    assert result["payback_years"] is None
    assert any("Temps de retour non calculé" in a for a in result["assumptions"])


def test_audit_without_cost_does_not_block_payback():
    result = run(works=[{"type": "attic_insulation", "cost_eur": 3000},
                        {"type": "energy_audit"}])
    assert result["payback_years"] == pytest.approx(3000 / result["savings"]["eur"], abs=0.06)
    audit = next(w for w in result["per_work"] if w["type"] == "energy_audit")
    assert audit["kwh"] == 0 and audit["cost_eur"] is None


def test_apartment_attic_work_means_top_floor():
    flat = {**HOUSE, "housing_type": "apartment", "surface_m2": 60}
    middle = estimate_savings(parse_profile(flat))
    top = estimate_savings(parse_profile({**flat, "works": [{"type": "attic_insulation"}]}))
    assert top["baseline"]["final_energy_kwh"] > middle["baseline"]["final_energy_kwh"]
    assert top["savings"]["kwh"] > 0
    assert any("dernier étage" in a for a in top["assumptions"])
    assert any("pas de toiture" in a for a in middle["assumptions"])


def test_default_housing_type_is_said():
    profile = {k: v for k, v in HOUSE.items() if k != "housing_type"}
    result = estimate_savings(parse_profile(profile))
    assert any("une maison est supposée" in a for a in result["assumptions"])


@pytest.mark.parametrize("missing", ["surface_m2", "heating_energy"])
def test_missing_needed_field_raises_a_french_profile_error(missing):
    profile = {k: v for k, v in HOUSE.items() if k != missing}
    with pytest.raises(ProfileError, match=f"« {missing} » est nécessaire"):
        estimate_savings(parse_profile(profile))


def test_year_or_class_is_needed():
    profile = {k: v for k, v in HOUSE.items() if k != "construction_year"}
    with pytest.raises(ProfileError, match="construction_year » ou « dpe_class"):
        estimate_savings(parse_profile(profile))


def test_declared_target_class_differing_from_estimate_is_said():
    result = run(dpe_class_after="A", works=[{"type": "attic_insulation"}])
    assert result["after"]["dpe_class_estimate"] != "A"
    assert any("classe DPE visée indiquée (A)" in a for a in result["assumptions"])


def test_shared_postal_code_names_the_communes():
    # 80310 is shared by several communes of the Somme: all are named, the first is used.
    result = estimate_savings(parse_profile({**{k: v for k, v in HOUSE.items()
                                                if k != "insee_code"}, "postal_code": "80310"}))
    assert len(result["communes"]) > 1
    assert any("Plusieurs communes correspondent" in w for w in result["warnings"])


def test_district_heating_figures_are_flagged():
    result = run(heating_energy="district_heating")
    warnings = " ".join(result["warnings"])
    assert "réseau de chaleur dépend du réseau" in warnings  # price
    assert "contenu CO₂ d'un réseau de chaleur" in warnings  # CO2 factor
    fuel_oil = run()
    assert not any("réseau" in w for w in fuel_oil["warnings"])
