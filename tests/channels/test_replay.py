"""Which answers a repeated request gets: those stored after its message, nothing else."""

from __future__ import annotations

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from channels.replay import answers_after, request_id


def _conversation() -> list:
    return [
        UserUttered("bonjour", message_id="first-0001"),
        ActionExecuted("utter_greet"),
        BotUttered("Bonjour ! Que souhaitez-vous faire ?",
                   {"buttons": [{"title": "Mes aides", "payload": "/ask_subsidies"}]}),
        UserUttered("quelles aides ?", message_id="second-002"),
        SlotSet("requested_slot", "postal_code"),
        BotUttered("Quel est votre code postal ?"),
        BotUttered(None, {"custom": {"aids": {"total_grants_eur": 0}}}),
        UserUttered("80000", message_id="third-0003"),
        BotUttered("Vous êtes propriétaire ?"),
    ]


def test_the_answers_stored_after_the_repeated_message_come_back_in_rasas_shape():
    assert answers_after(_conversation(), "anne", "second-002") == [
        {"recipient_id": "anne", "text": "Quel est votre code postal ?"},
        {"recipient_id": "anne", "custom": {"aids": {"total_grants_eur": 0}}},
    ]
    assert answers_after(_conversation(), "anne", "first-0001") == [
        {"recipient_id": "anne", "text": "Bonjour ! Que souhaitez-vous faire ?",
         "buttons": [{"title": "Mes aides", "payload": "/ask_subsidies"}]},
    ]


def test_a_message_never_handled_gets_none_so_it_is_handled_normally():
    assert answers_after(_conversation(), "anne", "unknown-00") is None
    assert answers_after([], "anne", "first-0001") is None


def test_a_turn_saved_without_an_answer_replays_as_an_empty_answer():
    events = [UserUttered("bonjour", message_id="lonely-001"), ActionExecuted("action_listen")]
    assert answers_after(events, "anne", "lonely-001") == []


def test_only_a_well_formed_request_id_is_used():
    assert request_id({"x-request-id": "0f3c9a1b2d4e5f60718293a4b5c6d7e8"}) == \
        "0f3c9a1b2d4e5f60718293a4b5c6d7e8"
    for bad in ("", "short", "<script>alert(1)</script>", "x" * 65, "a b c d e f g h"):
        assert request_id({"x-request-id": bad}) is None
    assert request_id({}) is None
