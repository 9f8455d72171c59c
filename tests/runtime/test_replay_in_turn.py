"""A message sent again (same id) is answered from the conversation inside Rasa's own turn
(runtime/rasa_patches.py `check_replays_in_turn`): the stored answers come back, nothing is
stored twice, and the conversation is read once per message, never twice.

A real MessageProcessor on a real SQLite tracker store (our CachedSQLTrackerStore); only the
model is left out: the turn of a new message stops after the user message is stored (Rasa's
path for a model without dialogue policies). tests/channels/test_channels_e2e.py and
tests/scaled/ run the same over HTTP on real servers.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.data import TrainingType

from channels import replay
from runtime import rasa_patches
from runtime.tracker_store import CachedSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
ASKED = "Quel est le code postal du logement ?"


@pytest.fixture
def patched(monkeypatch):
    """The patch applied for this test only (MessageProcessor restored after)."""
    monkeypatch.delenv(rasa_patches.UNPATCHED_VARIABLE, raising=False)
    monkeypatch.setattr(MessageProcessor, "handle_message", MessageProcessor.handle_message)
    monkeypatch.setattr(MessageProcessor, "fetch_tracker_and_update_session",
                        MessageProcessor.fetch_tracker_and_update_session)
    monkeypatch.setattr(replay, "_checked_in_turn", False)
    rasa_patches.check_replays_in_turn()
    assert replay.checked_in_turn()


class CountingStore(CachedSQLTrackerStore):
    """Our store, counting how many times a conversation is read and saved."""

    reads = 0
    saves = 0

    async def retrieve(self, sender_id: str):  # noqa: ANN201
        type(self).reads += 1
        return await super().retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        type(self).saves += 1
        await super().save(tracker)


def processor_on(store: CachedSQLTrackerStore, domain: Domain) -> MessageProcessor:
    processor = MessageProcessor.__new__(MessageProcessor)
    processor.tracker_store = store
    processor.domain = domain
    # No dialogue model: Rasa stores the user message and ends the turn there.
    processor.model_metadata = SimpleNamespace(
        training_type=TrainingType.NLU, model_id="test", assistant_id="test")

    async def handle_with_tracker(message: UserMessage, tracker: DialogueStateTracker) -> None:
        tracker.update(UserUttered(message.text, message_id=message.message_id))

    processor._handle_message_with_tracker = handle_with_tracker  # type: ignore[method-assign]
    return processor


def conversation_of_anne(store: CachedSQLTrackerStore, domain: Domain) -> None:
    """Anne asked about aids; the turn was saved with its answer (then her process died)."""
    now = time.time()
    events = [ActionExecuted("action_session_start", timestamp=now - 60),
              SessionStarted(timestamp=now - 60),
              ActionExecuted("action_listen", timestamp=now - 60),
              UserUttered("bonjour", message_id="first-0001", timestamp=now - 50),
              BotUttered("Bonjour ! Que souhaitez-vous faire ?", timestamp=now - 50),
              ActionExecuted("action_listen", timestamp=now - 50),
              UserUttered("quelles aides pour une pompe à chaleur ?", message_id="retried-0001",
                          timestamp=now - 5),
              SlotSet("requested_slot", "postal_code", timestamp=now - 5),
              BotUttered(ASKED, {"buttons": [{"title": "Je ne sais pas",
                                              "payload": "/dont_know"}]}, timestamp=now - 5),
              ActionExecuted("action_listen", timestamp=now - 5)]
    asyncio.run(store.save(DialogueStateTracker.from_events("anne", events, domain.slots)))


def user_texts(store: CachedSQLTrackerStore) -> list[str]:
    tracker = asyncio.run(store.retrieve("anne"))
    return [event.text for event in tracker.events if isinstance(event, UserUttered)]


def send(processor: MessageProcessor, text: str, message_id: str) -> list[dict] | None:
    message = UserMessage(text, CollectingOutputChannel(), "anne", message_id=message_id)
    return asyncio.run(processor.handle_message(message))


def test_a_message_sent_again_gets_the_stored_answers_and_is_not_stored_twice(
        patched, domain, tmp_path):
    store = CountingStore(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    conversation_of_anne(store, domain)
    processor = processor_on(store, domain)
    CountingStore.reads = CountingStore.saves = 0
    answers = send(processor, "quelles aides pour une pompe à chaleur ?", "retried-0001")
    assert answers == [{"recipient_id": "anne", "text": ASKED,
                        "buttons": [{"title": "Je ne sais pas", "payload": "/dont_know"}]}]
    # One read (the turn's own), nothing saved.
    assert (CountingStore.reads, CountingStore.saves) == (1, 0)
    assert user_texts(store) == ["bonjour", "quelles aides pour une pompe à chaleur ?"]


def test_a_new_message_with_the_same_words_is_a_new_turn_read_once(patched, domain, tmp_path):
    store = CountingStore(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    conversation_of_anne(store, domain)
    processor = processor_on(store, domain)
    CountingStore.reads = CountingStore.saves = 0
    send(processor, "quelles aides pour une pompe à chaleur ?", "another-0001")
    assert (CountingStore.reads, CountingStore.saves) == (1, 1)
    assert user_texts(store) == ["bonjour", "quelles aides pour une pompe à chaleur ?",
                                 "quelles aides pour une pompe à chaleur ?"]


def test_a_turn_saved_without_an_answer_replays_as_no_answer(patched, domain, tmp_path):
    """The REST channel then says its apology, as it did the first time."""
    store = CountingStore(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    conversation_of_anne(store, domain)
    processor = processor_on(store, domain)
    send(processor, "80000", "silent-00001")
    assert send(processor, "80000", "silent-00001") == []
    assert user_texts(store)[-1:] == ["80000"] and user_texts(store).count("80000") == 1


def test_unpatched_rasa_handles_messages_as_shipped_and_the_channel_checks(monkeypatch):
    monkeypatch.setenv(rasa_patches.UNPATCHED_VARIABLE, "replay_in_turn")
    monkeypatch.setattr(replay, "_checked_in_turn", False)
    shipped = MessageProcessor.handle_message
    rasa_patches.check_replays_in_turn()
    assert MessageProcessor.handle_message is shipped
    assert not replay.checked_in_turn()
