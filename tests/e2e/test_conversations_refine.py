"""« Affiner l'estimation » on the real servers: after a savings estimate, the optional
questions that fit the home, answered in the user's own words, and the estimate computed
again with the figures of `python -m bot savings` on the same profile."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from actions.refine import REFINE_BUTTON, REFINE_SLOTS
from bot.formatting import format_eur, format_kwh
from tests.e2e.conversations_helpers import AMIENS_ANSWERS, Chat, buttons

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
START = REFINE_BUTTON["payload"]

# A 1970s fuel-oil house of Amiens, 120 m², attic insulation planned, DPE unknown.
HOUSE_ANSWERS = {**AMIENS_ANSWERS, "dpe_class": "je ne sais pas"}
HOUSE = {"postal_code": "80000", "housing_type": "house", "construction_year": 1975,
         "surface_m2": 120, "heating_energy": "fuel_oil",
         "works": [{"type": "attic_insulation"}]}
# A tenant of a 1968 gas-heated flat of Amiens, 55 m², who wants new windows.
FLAT_ANSWERS = {**AMIENS_ANSWERS, "housing_type": "un appartement", "surface_m2": "55 m2",
                "heating_energy": "au gaz", "dpe_class": "je ne sais pas",
                "construction_year": "1968", "works": "changer les fenêtres"}


def cli_savings(profile: dict) -> dict:
    """`python -m bot savings` on a profile, as a user of the command line would run it."""
    result = subprocess.run([sys.executable, "-m", "bot", "savings"], input=json.dumps(profile),
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def savings_estimate(chat: Chat, answers: dict[str, str]) -> str:
    chat.say("/ask_savings")
    text = chat.fill_form(answers)
    assert "Économie : environ" in text, chat.transcript()
    return text


def test_house_owner_refines_and_sees_the_estimate_move(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    savings_estimate(chat, HOUSE_ANSWERS)
    assert START in buttons(chat.log[-1][1]), chat.transcript()

    first = chat.text("je voudrais affiner l'estimation")
    assert "chauffage d'appoint" in first, chat.transcript()
    assert chat.requested_slot() == "secondary_heating"
    # An answer to a later question is kept, and the question asked again.
    chat.text("mitoyenne d'un côté")
    assert chat.slots()["house_position"] == "semi_detached", chat.transcript()
    assert chat.requested_slot() == "secondary_heating"
    chat.text("poêle à bois")
    slots = chat.slots()
    assert slots["secondary_heating"] == "wood_stove", chat.transcript()
    assert slots["heating_energy"] == "fuel_oil" and slots["works"] == ["attic_insulation"]
    assert chat.requested_slot() == "walls_insulated"
    chat.text("je ne sais pas")
    assert chat.slots()["walls_insulated"] == "unknown"
    assert chat.requested_slot() == "roof_insulated", chat.transcript()
    chat.text("les combles sont isolés")
    assert chat.slots()["roof_insulated"] is True, chat.transcript()
    assert chat.requested_slot() == "boiler_type"
    answer = chat.text("C'est tout")
    assert chat.active_loop() is None, chat.transcript()

    before = cli_savings(HOUSE)
    after = cli_savings({**HOUSE, "house_position": "semi_detached", "roof_insulated": True,
                         "secondary_heating": "wood_stove"})
    # Party walls and an insulated roof: less heat lost, and less to gain from the attic.
    assert after["baseline"]["final_energy_kwh"] < before["baseline"]["final_energy_kwh"]
    assert after["savings"]["kwh"] < before["savings"]["kwh"]
    for result in (before, after):
        for figure in (format_kwh(result["baseline"]["final_energy_kwh"]),
                       format_eur(result["baseline"]["cost_eur"]),
                       format_kwh(result["savings"]["kwh"]),
                       format_eur(result["savings"]["eur"])):
            assert figure in answer, (figure, chat.transcript())
    assert "Maison mitoyenne" in answer and "Chauffage d'appoint" in answer
    assert chat.slots()["refining"] is None


def test_tenant_answers_the_floor_then_stops(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    savings_estimate(chat, FLAT_ANSWERS)
    question = chat.text(START)
    assert chat.requested_slot() == "secondary_heating", chat.transcript()
    assert "Je ne sais pas" in [b["title"] for r in chat.log[-1][1] for b in r.get("buttons")
                                or []], question
    chat.text("dernier étage")
    assert chat.slots()["apartment_floor"] == "top", chat.transcript()
    chat.text("je ne sais pas")
    assert chat.slots()["secondary_heating"] == "unknown", chat.transcript()
    assert chat.requested_slot() == "boiler_type"
    answer = chat.text("c'est tout")
    slots = chat.slots()
    assert chat.active_loop() is None, chat.transcript()
    assert slots["boiler_type"] == "unknown" and slots["boiler_age_years"] == "unknown"
    profile = {"postal_code": "80000", "housing_type": "apartment", "construction_year": 1968,
               "surface_m2": 55, "heating_energy": "gas", "works": [{"type": "windows"}]}
    after = cli_savings({**profile, "apartment_floor": "top"})
    assert format_kwh(after["baseline"]["final_energy_kwh"]) in answer, chat.transcript()
    assert "dernier étage" in answer


def test_ignoring_the_offer_changes_nothing(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    savings_estimate(chat, HOUSE_ANSWERS)
    asked = chat.text("/ask_subsidies")
    assert "chauffage d'appoint" not in asked and "mitoyenne" not in asked
    chat.fill_form(HOUSE_ANSWERS)
    slots = chat.slots()
    assert all(slots[name] is None for name in (*REFINE_SLOTS, "refining")), chat.transcript()
    assert "Je calcule pour" in "\n".join(r.get("text") or "" for r in chat.log[-1][1])


def test_every_question_answered_with_its_buttons(rasa_stack, sender):
    """A gas-heated house: the user taps a button for each question, as on the web page."""
    chat = Chat(rasa_stack, sender)
    savings_estimate(chat, {**HOUSE_ANSWERS, "heating_energy": "au gaz"})
    taps = {"secondary_heating": "Aucun", "walls_insulated": "Non",
            "house_position": "Des deux côtés", "roof_insulated": "Oui",
            "boiler_type": "À condensation", "boiler_age_years": "Moins de 15 ans"}
    replies = chat.say(START)
    for _ in range(len(taps)):
        asked = chat.requested_slot()
        offered = {b["title"]: b["payload"] for r in replies for b in r.get("buttons") or []}
        assert asked in taps and taps[asked] in offered, chat.transcript()
        replies = chat.say(offered[taps[asked]])
    assert chat.active_loop() is None, chat.transcript()
    slots = chat.slots()
    expected = {"secondary_heating": "none", "walls_insulated": False,
                "house_position": "terraced", "roof_insulated": True,
                "boiler_type": "condensing", "boiler_age_years": 10}
    assert {name: slots[name] for name in expected} == expected
    answer = "\n".join(r.get("text") or "" for r in replies)
    after = cli_savings({**HOUSE, "heating_energy": "gas", **expected})
    assert format_kwh(after["baseline"]["final_energy_kwh"]) in answer, chat.transcript()
    assert START not in buttons(replies)  # nothing left to ask
