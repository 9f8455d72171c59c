"""The profile form over REST: validation and re-asking, correction mid-form, a FAQ
digression, restart, a human advisor at any point, and the fallback."""

from __future__ import annotations

import pytest

from tests.e2e.conversations_helpers import Chat, buttons

pytestmark = pytest.mark.e2e


def _aids_until(chat: Chat, slot: str) -> None:
    chat.say("/ask_subsidies")
    answers = {"postal_code": "80000", "occupancy": "propriétaire occupant",
               "housing_type": "une maison", "works": "isoler les combles",
               "size_attic_insulation": "80 m2", "construction_year": "1975",
               "household_size": "3"}
    for _ in range(10):
        requested = chat.requested_slot()
        if requested == slot:
            return
        chat.say(answers[requested])
    raise AssertionError(chat.transcript())


def test_out_of_range_answers_are_asked_again(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    _aids_until(chat, "construction_year")
    text = chat.text("2090")
    assert "L'année 2090 est dans le futur" in text
    assert "En quelle année le logement a-t-il été construit" in text
    assert chat.requested_slot() == "construction_year"
    text = chat.text("années soixante-dix")
    assert "J'ai retenu 1975" in text
    assert chat.requested_slot() == "household_size"
    text = chat.text("0")
    assert "Un foyer compte au moins une personne" in text
    assert chat.requested_slot() == "household_size"


def test_correction_in_the_middle_of_the_form(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    _aids_until(chat, "household_size")
    text = chat.text("en fait la maison a été construite dans les années 80")
    assert "je corrige : année de construction = 1985 (au lieu de 1975)" in text, \
        chat.transcript()
    assert chat.slots()["construction_year"] == 1985
    assert chat.requested_slot() == "household_size"  # and the form goes on
    assert "Combien de personnes" in text


def test_faq_digression_then_back_to_the_form(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    _aids_until(chat, "household_size")
    text = chat.text("c'est quoi MaPrimeRénov' ?")
    assert "MaPrimeRénov' est l'aide de l'État" in text, chat.transcript()
    assert "Combien de personnes" in text  # the question again
    assert chat.active_loop() == "profile_form"
    assert chat.requested_slot() == "household_size"
    chat.say("quatre")
    assert chat.slots()["household_size"] == 4


def test_restart_forgets_everything(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    _aids_until(chat, "household_size")
    text = chat.text("/restart")
    assert "C'est reparti de zéro" in text
    slots = chat.slots()
    assert slots["postal_code"] is None and slots["goal"] is None
    assert chat.active_loop() is None
    again = chat.text("/contact_advisor")
    assert "code postal" in again


def test_human_advisor_in_the_middle_of_the_form(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    _aids_until(chat, "household_size")
    text = chat.text("je voudrais parler à un conseiller")
    assert "Votre Espace Conseil France Rénov' pour Amiens" in text, chat.transcript()
    assert "0 808 800 700" in text
    assert chat.active_loop() is None


def test_unknown_postal_code_is_said(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    chat.say("/find_craftsman")
    text = chat.text("99999")
    assert "Le code postal 99999 ne correspond à aucune commune" in text
    assert chat.requested_slot() == "postal_code"


def test_fallback_rephrases_then_offers_choices(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    first = chat.say("/nlu_fallback")
    assert "Pouvez-vous reformuler" in first[0]["text"]
    second = chat.say("/nlu_fallback")
    assert "Je ne suis toujours pas sûr" in second[0]["text"]
    assert buttons(second) == ["/ask_subsidies", "/ask_savings", "/find_craftsman",
                               "/contact_advisor"]


def test_faq_naming_a_work_does_not_change_the_planned_works(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    _aids_until(chat, "household_size")
    text = chat.text("c'est quoi le coup de pouce pompe à chaleur ?")
    assert "Combien de personnes" in text, chat.transcript()
    assert chat.slots()["works"] == ["attic_insulation"]
    assert chat.requested_slot() == "household_size"


def test_correction_after_the_answer_recomputes_it(rasa_stack, sender):
    chat = Chat(rasa_stack, sender)
    chat.say("/contact_advisor")
    assert "pour Amiens" in chat.text("80000")
    text = chat.text("en fait j'habite à Paris, 75011")
    assert "je corrige la commune : Paris (75011), au lieu de Amiens (80000)." in text, \
        chat.transcript()
    assert "Pour Paris" in text or "pour Paris" in text
    assert chat.slots()["insee_code"] == "75056"
