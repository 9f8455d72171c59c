"""Faults (issue 7): action server stopped, outside APIs unreachable, Rasa restarted.

Uses its own servers, since it stops and restarts them; the outside APIs point to a port
where nothing listens, and the craftsmen cache starts empty.
"""

from __future__ import annotations

import uuid

import pytest
import requests

from runtime.simulated_user import ANSWERS, Conversation, user_messages_in_tracker
from runtime.stack import RasaStack, bot_texts, free_port

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fault_stack(trained_model, tmp_path_factory):
    nowhere = f"http://127.0.0.1:{free_port()}"
    stack = RasaStack(
        model=trained_model, workdir=tmp_path_factory.mktemp("faults"),
        extra_env={"BOT_DATAFAIR_URL": nowhere,
                   "BOT_CACHE_DIR": str(tmp_path_factory.mktemp("empty-cache"))},
    )
    stack.start()
    yield stack
    stack.stop()


def new_sender() -> str:
    return f"fault-{uuid.uuid4().hex[:10]}"


def test_unreachable_directory_api_still_gets_a_useful_answer(fault_stack):
    sender = new_sender()
    fault_stack.say(sender, "bonjour")
    fault_stack.say(sender, "je cherche un artisan RGE pour une pompe à chaleur air eau")
    answer = ""
    for _ in range(6):
        slot = (fault_stack.tracker(sender).get("slots") or {}).get("requested_slot")
        if not slot:
            break
        answer = bot_texts(fault_stack.say(sender, ANSWERS.get(slot, "oui")))
    answer = answer or bot_texts(fault_stack.say(sender, "alors, ces artisans ?"))
    # No company is invented; the official search page is given instead.
    assert "france-renov.gouv.fr" in answer
    assert "SIRET" not in answer


def test_conversation_resumes_after_a_restart_of_the_rasa_server(fault_stack):
    conversation = Conversation(fault_stack.base_url, new_sender(), token=fault_stack.token)
    conversation.say("bonjour")
    conversation.say("quelles aides pour isoler mes combles ?")
    asked_before = conversation.requested_slot()
    assert asked_before, "the profile form should be asking a question"
    events_before = len(fault_stack.tracker(conversation.sender)["events"])

    fault_stack.stop_rasa()
    with pytest.raises(requests.ConnectionError):
        requests.get(fault_stack.base_url, timeout=2)
    fault_stack.start_rasa()

    assert conversation.requested_slot() == asked_before
    assert len(fault_stack.tracker(conversation.sender)["events"]) >= events_before
    assert user_messages_in_tracker(fault_stack.base_url, conversation.sender,
                                    fault_stack.token) == \
        conversation.sent
    reply = conversation.say(ANSWERS[asked_before])
    assert reply.status == 200 and bot_texts(reply.replies).strip()
    assert conversation.requested_slot() != asked_before


def test_every_message_gets_a_polite_answer_while_the_action_server_is_down(fault_stack):
    fault_stack.stop_action_server()
    try:
        for message in ["bonjour", "combien d'aides pour une pompe à chaleur ?", "80000",
                        "je cherche un artisan", "c'est quoi l'éco-PTZ ?", "😀", ""]:
            replies = fault_stack.say(new_sender(), message)
            text = bot_texts(replies)
            assert text.strip(), f"no answer to {message!r}"
    finally:
        fault_stack.start_action_server()
    # Once it is back, the assistant computes again.
    conversation = Conversation(fault_stack.base_url, new_sender(), token=fault_stack.token)
    assert conversation.run_to_aids(12)
