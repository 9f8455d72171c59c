"""Odd messages over REST, in and out of the form: always an answer, never a 500."""

from __future__ import annotations

import pytest

from tests.e2e.conversations_helpers import Chat

pytestmark = pytest.mark.e2e

ODD_MESSAGES = ["", "   ", "x" * 10_000, "😀🏠🔥😀", "<script>alert('x')</script><b>gras</b>",
                "\u0000\u200b", "/inform{\"surface_m2\": 3}", "/unknown_intent", "{}"]


@pytest.mark.parametrize("message", ODD_MESSAGES, ids=range(len(ODD_MESSAGES)))
def test_odd_message_outside_the_form_gets_an_answer(rasa_stack, sender, message):
    chat = Chat(rasa_stack, sender)
    replies = chat.say(message)
    assert any((reply.get("text") or "").strip() for reply in replies), replies


@pytest.mark.parametrize("message", ODD_MESSAGES, ids=range(len(ODD_MESSAGES)))
def test_odd_message_inside_the_form_gets_an_answer(rasa_stack, sender, message):
    chat = Chat(rasa_stack, sender)
    chat.say("/ask_savings")
    chat.say("80000")
    assert chat.requested_slot() == "housing_type"
    replies = chat.say(message)
    assert any((reply.get("text") or "").strip() for reply in replies), replies
    # The conversation still works afterwards.
    chat.say("une maison")
    assert chat.slots()["housing_type"] == "house"
