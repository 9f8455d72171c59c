"""Our tracker store on the real servers (runtime/tracker_store.py, as in `make run`): two
Rasa processes share one SQLite file, the second keeping a single conversation in memory.

A homeowner whose messages alternate between the processes finds every message in order and
the form filled; an erased conversation starts afresh in both; a process whose memory holds
one conversation loses nothing of two interleaved ones. What both processes serve is what
Rasa's own SQLTrackerStore reads from the file."""

from __future__ import annotations

import uuid

import pytest

from channels.privacy import erase_conversation
from runtime.simulated_user import ANSWERS, OPENING
from runtime.stack import RasaStack, bot_texts

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def processes(trained_model, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("two-rasa")
    first = RasaStack(model=trained_model, workdir=workdir / "first")
    second = RasaStack(model=trained_model, workdir=workdir / "second",
                       tracker_db=first.tracker_db, action_port=first.action_port,
                       start_actions=False, extra_env={"TRACKER_CACHE_CONVERSATIONS": "1"})
    first.start()
    try:
        second.start()
    except BaseException:
        first.stop()
        raise
    yield first, second
    second.stop()
    first.stop()


@pytest.fixture(scope="module")
def trained_model():
    import os  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from runtime.train import ensure_model  # noqa: PLC0415

    given = os.environ.get("BOT_TEST_MODEL")
    return Path(given) if given else ensure_model(quiet=True)


def new_sender() -> str:
    return f"store-{uuid.uuid4().hex[:10]}"


def user_texts(tracker: dict) -> list[str]:
    return [event.get("text") for event in tracker["events"] if event.get("event") == "user"]


def as_rasa_reads_it(stack: RasaStack, sender: str) -> list[dict]:
    """The conversation's events read by Rasa's own SQLTrackerStore from the same file."""
    import asyncio  # noqa: PLC0415

    from rasa.core.tracker_store import SQLTrackerStore  # noqa: PLC0415
    from rasa.shared.core.domain import Domain  # noqa: PLC0415
    from rasa.shared.core.trackers import EventVerbosity  # noqa: PLC0415

    from runtime.stack import ROOT  # noqa: PLC0415

    store = SQLTrackerStore(domain=Domain.load(str(ROOT / "domain.yml")), dialect="sqlite",
                            db=str(stack.tracker_db))
    tracker = asyncio.run(store.retrieve_full_tracker(sender))
    return tracker.current_state(EventVerbosity.ALL)["events"]


def test_a_conversation_alternating_between_two_processes_keeps_every_message_and_the_form(
        processes):
    sender, sent, replies = new_sender(), [], []

    def say(message: str) -> None:
        stack = processes[len(sent) % 2]
        sent.append(message)
        replies.append(bot_texts(stack.say(sender, message)))

    for message in OPENING:
        say(message)
    for _ in range(12):
        if any("€" in reply and "aide" in reply.lower() for reply in replies):
            break
        # Asked by the process that will NOT take the answer.
        slot = processes[(len(sent) + 1) % 2].tracker(sender)["slots"].get("requested_slot")
        say(ANSWERS.get(slot or "", "oui"))

    assert any("€" in reply and "aide" in reply.lower() for reply in replies)
    first, second = (stack.tracker(sender) for stack in processes)
    assert user_texts(first) == user_texts(second) == sent
    assert first["slots"] == second["slots"]
    assert first["slots"]["postal_code"] == "80000"
    assert first["slots"]["construction_year"] == 1975
    assert first["slots"]["reference_income"] == 32000
    assert first["events"] == second["events"] == as_rasa_reads_it(processes[0], sender)


def test_an_erased_conversation_starts_afresh_in_both_processes(processes):
    first, second = processes
    sender = new_sender()
    first.say(sender, "bonjour")
    second.say(sender, "combien d'aides pour installer une pompe à chaleur air eau ?")
    first.say(sender, "80000")
    assert second.tracker(sender)["slots"]["postal_code"] == "80000"  # both hold it

    assert erase_conversation(first.tracker_db, sender,
                              handoff_db=first.workdir / "handoff.db") > 0
    for stack in processes:
        tracker = stack.tracker(sender)
        assert user_texts(tracker) == []
        assert tracker["slots"].get("postal_code") is None
    second.say(sender, "bonjour")
    for stack in processes:
        tracker = stack.tracker(sender)
        assert user_texts(tracker) == ["bonjour"]
        assert tracker["slots"].get("postal_code") is None


def test_a_process_holding_one_conversation_in_memory_loses_nothing(processes):
    _first, second = processes  # TRACKER_CACHE_CONVERSATIONS=1
    senders = [new_sender(), new_sender()]
    sent: dict[str, list[str]] = {sender: [] for sender in senders}
    for message in [*OPENING, "80000", "une maison"]:
        for sender in senders:  # each message evicts the other conversation
            second.say(sender, message)
            sent[sender].append(message)
    for sender in senders:
        tracker = second.tracker(sender)
        assert user_texts(tracker) == sent[sender]
        assert tracker["slots"]["postal_code"] == "80000"
        assert tracker["events"] == as_rasa_reads_it(second, sender)
