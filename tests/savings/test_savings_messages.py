"""The French chat message built from a savings result."""

from bot.profile import parse_profile
from bot.savings.engine import estimate_savings
from bot.savings.messages import format_savings_message

PROFILE = {"date": "2026-11-28", "postal_code": "80000", "housing_type": "house",
           "construction_year": 1975, "surface_m2": 100, "heating_energy": "fuel_oil",
           "dpe_class": "F",
           "works": [{"type": "attic_insulation", "surface_m2": 80, "cost_eur": 4000},
                     {"type": "air_water_heat_pump", "cost_eur": 14000}]}


def test_message_gives_the_figures_range_payback_dpe_and_dates():
    result = estimate_savings(parse_profile(PROFILE))
    text = format_savings_message(result)
    low, high = result["savings"]["eur_range"]
    assert "isolation des combles, pompe à chaleur air/eau" in text
    assert f"{round(high, -1):,.0f} €".replace(",", "\u202f") in text
    assert f"entre {round(low, -1):,.0f} €".replace(",", "\u202f") in text
    kwh = round(result["savings"]["kwh"], -2)
    assert f"{kwh:,.0f} kWh".replace(",", "\u202f") in text
    assert "CO₂ : −" in text
    assert "Retour sur investissement" in text and "hors aides" in text
    assert "DPE estimé : F → " in text
    assert "Hypothèse principale : Consommation de départ calée" in text
    assert "dernier relevé : 15/02/2026" in text
    assert "⚠️" in text  # prices after February 2026 are not known: said


def test_message_without_works_invites_to_name_them():
    profile = {k: v for k, v in PROFILE.items() if k != "works"}
    text = format_savings_message(estimate_savings(parse_profile(profile)))
    assert "Dites-moi quels travaux" in text
    assert "DPE estimé F" in text


def test_message_caps_the_warnings():
    result = estimate_savings(parse_profile(PROFILE))
    result = {**result, "warnings": [f"Réserve {i}." for i in range(5)]}
    text = format_savings_message(result)
    assert "Réserve 0." in text and "Réserve 1." in text and "Réserve 2." not in text
    assert "+ 3 autre(s) réserve(s)" in text


def test_message_when_bill_does_not_fall():
    result = estimate_savings(parse_profile(PROFILE))
    result = {**result, "savings": {**result["savings"], "eur": -50, "eur_range": [-80, -50]},
              "payback_years": None, "payback_years_range": None}
    text = format_savings_message(result)
    assert "ne baissent pas la facture" in text
    assert "Retour sur investissement" not in text


def test_message_with_a_single_value_does_not_talk_of_a_range():
    # A class-D home: no measured evidence for a stove, no real-use cut (only F and G).
    profile = {**PROFILE, "dpe_class": "D", "works": [{"type": "pellet_stove", "cost_eur": 4000}]}
    result = estimate_savings(parse_profile(profile))
    assert result["savings"]["eur_range"][0] == result["savings"]["eur_range"][1]
    text = format_savings_message(result)
    assert "soit environ" in text and "entre" not in text
