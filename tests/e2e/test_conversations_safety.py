"""On the real servers: no bare number moves the home, bad input mid-form changes nothing,
"je ne sais pas" is understood, the full renovation is reachable and its answer fits a
phone with its four buttons."""

from __future__ import annotations

import pytest

from tests.e2e.conversations_helpers import Chat, buttons

pytestmark = pytest.mark.e2e

PROFILE_SLOTS = ("postal_code", "city", "insee_code", "housing_type", "occupancy", "works",
                 "size_attic_insulation", "construction_year", "household_size",
                 "reference_income")


def _until(chat: Chat, slot: str, answers: dict[str, str]) -> None:
    for _ in range(12):
        asked = chat.requested_slot()
        if asked == slot:
            return
        chat.text(answers[asked])
    raise AssertionError(chat.transcript())


ANSWERS = {"postal_code": "80000", "occupancy": "propriétaire occupant",
           "housing_type": "une maison", "works": "isolation des combles",
           "size_attic_insulation": "80 m2", "construction_year": "1975",
           "household_size": "3 personnes", "reference_income": "30000 euros"}


@pytest.mark.parametrize("question", ["construction_year", "household_size",
                                      "reference_income"])
def test_five_digit_answers_never_move_the_home(rasa_stack, sender, question):
    """A sample of the unit sweep (tests/actions/test_form_turns.py) on the real NLU: bare
    5-digit numbers answering a non-postal question never move the home."""
    chat = Chat(rasa_stack, sender)
    chat.text("quelles aides pour isoler les combles ?")
    _until(chat, question, ANSWERS)
    for number in range(1000, 98001, 13000):
        chat.text(f"{number:05d}")
        slots = chat.slots()
        assert (slots["postal_code"], slots["city"]) == ("80000", "Amiens"), chat.transcript()
        if chat.requested_slot() == "confirm_change":
            chat.text("non")


@pytest.mark.parametrize("odd", ["🏠🔥💶🏠", "a" * 5000, "<img src=x onerror=alert(1)>",
                                 "What time is it in Tokyo?"])
def test_bad_input_mid_form_leaves_every_slot_unchanged(rasa_stack, sender, odd):
    chat = Chat(rasa_stack, sender)
    chat.text("quelles aides pour isoler les combles ?")
    _until(chat, "household_size", ANSWERS)
    before = {name: chat.slots().get(name) for name in PROFILE_SLOTS}
    reply = chat.text(odd)
    after = {name: chat.slots().get(name) for name in PROFILE_SLOTS}
    assert after == before, chat.transcript()
    assert "Traceback" not in reply
    # The form asks again, or (when the NLU reads the noise as a goodbye) stops: never an
    # answer taken from the noise.
    assert chat.requested_slot() in ("household_size", None), chat.transcript()


def test_dont_know_the_income_gives_help_then_the_answer(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    chat.text("quelles aides pour isoler les combles ?")
    _until(chat, "reference_income", ANSWERS)
    reply = chat.text("aucune idée")
    assert "avis d'impôt" in reply, chat.transcript()
    assert chat.requested_slot() == "reference_income"
    replies = chat.say("30000 euros")
    answer = replies[-1]
    assert "Aides estimées" in answer["text"] and len(answer["text"]) <= 700
    assert buttons([answer]) == ["/ask_details", "/ask_sources", "/ask_savings",
                                 "/contact_advisor", "/request_summary"]
    sources = chat.text("/ask_sources")
    assert "](https://" in sources and "%C3" not in sources.replace("](https", "")


def test_full_renovation_reaches_the_parcours_accompagne(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    chat.text("je veux faire une rénovation complète de ma maison, quelles aides ?")
    answers = {**ANSWERS, "surface_m2": "90 m2", "heating_energy": "fioul",
               "dpe_class": "G", "dpe_class_after": "C", "total_cost_eur": "60000 euros HT",
               "household_size": "2 personnes", "reference_income": "18000 euros",
               "works": "isolation des combles et des murs par l'extérieur",
               "construction_year": "1955"}
    answer = ""
    for _ in range(16):
        asked = chat.requested_slot()
        if asked is None:
            break
        answer = chat.text(answers[asked])
    assert "parcours accompagné" in answer, chat.transcript()
    slots = chat.slots()
    assert (slots["dpe_class"], slots["dpe_class_after"], slots["total_cost_eur"]) == (
        "G", "C", 60000)
