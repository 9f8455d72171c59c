"""Bad input and load against the real servers (issue 7): no 5xx, nothing lost."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from runtime.fuzz import run_fuzz
from runtime.simulated_user import Conversation, user_messages_in_tracker
from runtime.stack import bot_texts

pytestmark = pytest.mark.e2e


def test_fuzz_of_1000_messages_and_malformed_bodies_gives_no_5xx(rasa_stack, sender):
    report = run_fuzz(rasa_stack.base_url, count=1000, seed=7)
    print(f"\nFuzz : {report.summary()}")
    assert report.sent == 1000
    assert report.connection_errors == 0
    assert report.server_errors == []
    # The server is still there and still makes sense afterwards.
    assert rasa_stack.rasa.process.poll() is None
    assert bot_texts(rasa_stack.say(sender, "bonjour")).strip()


def test_ten_concurrent_conversations_reach_an_estimate_and_lose_nothing(rasa_stack):
    conversations = [Conversation(rasa_stack.base_url, f"load-{uuid.uuid4().hex[:10]}",
                                  token=rasa_stack.token)
                     for _ in range(10)]
    with ThreadPoolExecutor(10) as pool:
        reached = list(pool.map(lambda c: c.run_to_aids(12), conversations))
    for conversation in conversations:
        assert all(turn.status == 200 for turn in conversation.turns)
        assert user_messages_in_tracker(rasa_stack.base_url, conversation.sender,
                                        rasa_stack.token) == \
            conversation.sent
    assert all(reached), [c.sent for c, ok in zip(conversations, reached, strict=True) if not ok]
