"""Full conversations over the REST webhook against the real servers:
profile -> aids -> savings -> craftsmen -> advisor, with figures, dates and buttons."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conversations_helpers import Chat, buttons

pytestmark = pytest.mark.e2e


def test_profile_then_aids_savings_craftsmen_advisor(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    greeting = chat.say("Bonjour")
    assert "Je suis l'assistant rénovation énergétique" in greeting[0]["text"]
    assert buttons(greeting) == ["/ask_subsidies", "/ask_savings", "/find_craftsman",
                                 "/contact_advisor"]

    # The aids button starts the form; it asks only what aids need.
    first = chat.text("/ask_subsidies")
    assert "Pour estimer vos aides" in first
    assert "code postal" in first
    located = chat.text("80000")
    assert "C'est noté : logement à Amiens (80000)." in located, chat.transcript()
    assert chat.slots()["insee_code"] == "80021"

    answer = chat.fill_form()
    slots = chat.slots()
    assert slots["construction_year"] == 1975
    assert slots["household_size"] == 3
    assert slots["reference_income"] == 32000
    assert slots["works"] == ["attic_insulation"]
    assert slots["size_attic_insulation"] == 80
    # Hand check (rules of 2026, modest household of 3 in Amiens, 32 000 €): MaPrimeRénov'
    # par geste for attic insulation = 20 €/m² x 80 m² = 1 600 €.
    assert re.search(r"MaPrimeRénov' par geste \(isolation des combles\) : 1\s600\s€", answer), \
        chat.transcript()
    assert "revenus modestes" in answer
    assert len(chat.log[-1][1][-1]["text"]) <= 700  # a phone-sized answer
    last_replies = chat.log[-1][1]
    assert buttons(last_replies) == ["/ask_details", "/ask_sources", "/ask_savings",
                                     "/contact_advisor", "/request_summary"]
    details = chat.text("/ask_details")
    assert re.search(r"règles en vigueur le \d+ \w+ 20\d\d", details), chat.transcript()
    # One line per aid: the retained amount, or why not (issue 11 §6); links only on Sources.
    assert re.search(r"✓ MaPrimeRénov' par geste \(isolation des combles\) : 1\s600\s€, "
                     r"retenue", details), details
    assert "✗ Chèque énergie : non, " in details and "http" not in details
    # Never asked: what aids do not need.
    assert slots["surface_m2"] is None and slots["heating_energy"] is None

    # Savings reuse the answers already given and ask only the missing ones.
    savings_first = chat.text("/ask_savings")
    assert "code postal" not in savings_first
    savings = chat.fill_form()
    assert chat.slots()["surface_m2"] == 120
    assert chat.slots()["heating_energy"] == "fuel_oil"
    assert "Économie : environ" in savings and "kWh par an" in savings, chat.transcript()
    assert "/find_craftsman" in buttons(chat.log[-1][1])

    craftsmen = chat.text("/find_craftsman")  # postal code and works known: answer at once
    assert "france-renov.gouv.fr" in craftsmen, chat.transcript()

    advisor = chat.text("/contact_advisor")
    assert "Amiens" in advisor and "0 808 800 700" in advisor, chat.transcript()
    assert buttons(chat.log[-1][1])[:3] == ["/ask_subsidies", "/ask_savings",
                                            "/find_craftsman"]


def test_advisor_first_asks_only_the_town(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    first = chat.text("/contact_advisor")
    assert "code postal" in first
    answer = chat.text("Amiens")
    assert "C'est noté : logement à Amiens (80000)." in answer, chat.transcript()
    assert "Votre Espace Conseil France Rénov' pour Amiens" in answer
    assert chat.active_loop() is None


def test_shared_postal_code_offers_a_choice_of_communes(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    chat.say("/contact_advisor")
    replies = chat.say("80470")
    assert replies[0]["text"].startswith("Plusieurs communes ont le code postal 80470")
    choice = next(button for button in replies[0]["buttons"]
                  if button["title"] == "Saveuse (80470)")
    answer = chat.text(choice["payload"])
    assert "C'est noté : logement à Saveuse (80470)." in answer, chat.transcript()
    assert chat.slots()["insee_code"] == "80730"


def test_plain_french_question_with_facts_skips_what_is_known(rasa_stack, sender):
    """Facts given in the question (town, works) are read at once: the form starts with
    what is still missing."""
    chat = Chat(rasa_stack, sender)
    text = chat.text("Bonjour, quelles aides pour isoler mes combles ? J'habite à Amiens.")
    assert "Amiens (80000)" in text, chat.transcript()
    slots = chat.slots()
    assert slots["goal"] == "aids"
    assert slots["works"] == ["attic_insulation"]
    assert chat.requested_slot() == "occupancy"
