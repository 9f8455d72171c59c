"""Our tracker store (runtime/tracker_store.py) serves exactly what Rasa's SQLTrackerStore
reads from the same database, while another writer (a second Rasa process) adds events,
when a conversation is erased or purged, across sessions, and when its memory is full.

Two store objects on one SQLite file stand for two Rasa processes; Rasa's own
SQLTrackerStore on the same file is the reference. No server here (tests/runtime/
test_tracker_store_e2e.py runs the real servers)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from channels.privacy import erase_conversation, purge_inactive
from runtime.tracker_store import CachedSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "tracker.db"


def ours(db: Path, domain: Domain, size: int | None = None) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(db), cache_size=size)


def run(coroutine):  # noqa: ANN001, ANN201
    return asyncio.run(coroutine)


def state(tracker: DialogueStateTracker | None) -> dict | None:
    """What Rasa serves of a conversation: events, slots, form, latest message."""
    return None if tracker is None else tracker.current_state()


def user_texts(tracker: DialogueStateTracker | None) -> list[str]:
    return [] if tracker is None else [e.text for e in tracker.events
                                       if isinstance(e, UserUttered)]


def turn(store, sender: str, text: str, slots: dict | None = None,  # noqa: ANN001
         domain: Domain | None = None) -> DialogueStateTracker:
    """One message as Rasa handles it: read, add the turn's events, save."""
    tracker = run(store.retrieve(sender)) or store.init_tracker(sender)
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 0.9}))
    for name, value in (slots or {}).items():
        tracker.update(SlotSet(name, value))
    tracker.update(BotUttered(f"Réponse à « {text} »"))
    tracker.update(ActionExecuted("action_listen"))
    run(store.save(tracker))
    return tracker


def test_two_processes_alternating_on_one_conversation_read_what_rasa_reads(db, domain):
    first, second, reference = ours(db, domain), ours(db, domain), None
    sent = []
    for index, (text, slots) in enumerate([
            ("bonjour", {}), ("j'habite à Amiens", {"postal_code": "80000"}),
            ("une maison", {"housing_type": "house"}), ("construite en 1975",
                                                        {"construction_year": 1975}),
            ("3 personnes", {"household_size": 3})]):
        turn(first if index % 2 == 0 else second, "alice", text, slots)
        sent.append(text)
        reference = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))
        for store in (first, second):
            assert state(run(store.retrieve("alice"))) == state(run(reference.retrieve("alice")))
    tracker = run(second.retrieve("alice"))
    assert user_texts(tracker) == sent
    assert tracker.get_slot("postal_code") == "80000"
    assert tracker.get_slot("construction_year") == 1975
    # Each process stored every event once, in order.
    rows = sqlite3.connect(db).execute(
        "SELECT COUNT(*) FROM events WHERE sender_id = 'alice' AND type_name = 'user'").fetchone()
    assert rows == (len(sent),)


def test_an_erased_conversation_starts_fresh_and_is_not_brought_back(db, domain):
    store, other = ours(db, domain), ours(db, domain)
    turn(store, "bob", "j'habite à Amiens", {"postal_code": "80000"})
    turn(store, "bob", "une maison", {"housing_type": "house"})
    turn(store, "carol", "bonjour")
    assert run(other.retrieve("bob")).get_slot("postal_code") == "80000"  # both hold it

    assert erase_conversation(db, "bob", handoff_db=db.parent / "handoff.db") > 0
    assert run(store.retrieve("bob")) is None
    assert run(other.retrieve("bob")) is None
    # The next message starts a new conversation: nothing of before comes back.
    tracker = turn(store, "bob", "bonjour")
    for process in (store, other):
        again = run(process.retrieve("bob"))
        assert user_texts(again) == ["bonjour"]
        assert again.get_slot("postal_code") is None
    assert user_texts(run(other.retrieve("carol"))) == ["bonjour"]
    assert state(run(store.retrieve("bob"))) == state(tracker)


def test_erased_then_rewritten_with_the_same_ids_is_noticed(db, domain):
    # SQLite gives the largest ids again once they are deleted: the same number of rows,
    # with the same ids, must not pass for the conversation held in memory.
    store = ours(db, domain)
    turn(store, "dave", "j'habite à Amiens", {"postal_code": "80000"})
    held = run(store.retrieve("dave"))
    erase_conversation(db, "dave", handoff_db=db.parent / "handoff.db")
    time.sleep(0.01)
    turn(ours(db, domain), "dave", "j'habite à Lille", {"postal_code": "59000"})
    assert len(run(store.retrieve("dave")).events) == len(held.events)
    assert run(store.retrieve("dave")).get_slot("postal_code") == "59000"


def test_purged_conversations_are_gone_from_memory_too(db, domain):
    store = ours(db, domain)
    turn(store, "erin", "bonjour")
    assert user_texts(run(store.retrieve("erin"))) == ["bonjour"]  # held in memory
    assert purge_inactive(db, days=0, now=time.time() + 1) == 1
    assert run(store.retrieve("erin")) is None


def test_a_full_memory_loses_no_event(db, domain):
    small = ours(db, domain, size=1)
    sent: dict[str, list[str]] = {"x": [], "y": [], "z": []}
    for index in range(4):
        for sender in sent:  # each conversation evicts the previous one
            text = f"message {index} de {sender}"
            turn(small, sender, text)
            sent[sender].append(text)
    assert len(small.cached_conversations()) == 1
    reference = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))
    for sender, texts in sent.items():
        assert user_texts(run(small.retrieve(sender))) == texts
        assert state(run(small.retrieve(sender))) == state(run(reference.retrieve(sender)))


def test_sessions_are_cut_as_rasa_cuts_them(db, domain):
    store = ours(db, domain)
    turn(store, "fred", "avant", {"postal_code": "80000"})
    tracker = run(store.retrieve("fred"))
    for event in (ActionExecuted("action_session_start"), SessionStarted(),
                  SlotSet("postal_code", "80000"), ActionExecuted("action_listen")):
        tracker.update(event)
    run(store.save(tracker))
    turn(store, "fred", "après")
    reference = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))
    assert state(run(store.retrieve("fred"))) == state(run(reference.retrieve("fred")))
    assert user_texts(run(store.retrieve("fred"))) == ["après"]
    assert state(run(store.retrieve_full_tracker("fred"))) == state(
        run(reference.retrieve_full_tracker("fred")))
    assert user_texts(run(store.retrieve_full_tracker("fred"))) == ["avant", "après"]


def test_an_unknown_conversation_is_none_and_not_kept(db, domain):
    store = ours(db, domain)
    assert run(store.retrieve("personne")) is None
    assert store.cached_conversations() == []


def test_sqlite_file_uses_write_ahead_logging(db, domain):
    ours(db, domain)
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_cache_size_comes_from_the_environment(db, domain, monkeypatch):
    monkeypatch.setenv("TRACKER_CACHE_CONVERSATIONS", "7")
    assert ours(db, domain).cache_size == 7
    monkeypatch.delenv("TRACKER_CACHE_CONVERSATIONS")
    assert ours(db, domain).cache_size == 200


def test_a_conversation_erased_while_its_turn_runs_is_not_written_back(db, domain):
    """The web page's erase button does not wait for the conversation's lock: a turn that read
    the conversation before the erase and saves after it must not bring it back."""
    store, other = ours(db, domain), ours(db, domain)
    turn(store, "fanny", "j'habite à Amiens", {"postal_code": "80000"})
    turn(store, "gaston", "bonjour")
    running = run(store.retrieve("fanny"))  # a turn starts…
    running.update(UserUttered("une maison", {"name": "inform", "confidence": 0.9}))
    assert erase_conversation(db, "fanny", handoff_db=db.parent / "handoff.db") > 0
    run(store.save(running))  # …and ends after the erase
    for process in (store, other, SQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))):
        assert run(process.retrieve("fanny")) is None
    assert user_texts(run(other.retrieve("gaston"))) == ["bonjour"]
    # The next message starts a new conversation, saved as usual.
    turn(store, "fanny", "bonjour")
    assert user_texts(run(other.retrieve("fanny"))) == ["bonjour"]
