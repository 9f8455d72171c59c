"""Messenger parity (issue 14): « effacer mes données » typed on Messenger erases that
person's conversation, summaries and callback requests, and says so; Rasa never sees it.
The real Messenger connector over HTTP, a local Graph API stub, a scripted dialogue."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import time

import pytest
import requests

from bot.handoff import outbox, store
from channels.messenger import ERASED_TEXT, MessengerInput
from channels.privacy import TRACKER_DB_ENV, is_erase_request
from tests.channels.conftest import ChannelServer, GraphApiStub, ScriptedDialogue

SECRET = secrets.token_hex(16)


def signed_post(url: str, sender: str, text: str) -> requests.Response:
    body = json.dumps({"object": "page", "entry": [{"id": "PAGE", "time": 1, "messaging": [
        {"sender": {"id": sender}, "recipient": {"id": "PAGE"}, "timestamp": 1,
         "message": {"mid": "m1", "text": text}}]}]}).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return requests.post(f"{url}/webhooks/facebook/webhook", data=body, timeout=30, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": signature})


@pytest.fixture
def tracker(tmp_path, monkeypatch):
    db = tmp_path / "tracker.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                           "type_name TEXT, timestamp FLOAT, data TEXT)")
        connection.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) "
                               "VALUES (?, 'user', ?, '{}')",
                               [("psid-1", time.time()), ("psid-1", time.time()),
                                ("psid-2", time.time())])
    monkeypatch.setenv(TRACKER_DB_ENV, str(db))
    return db


def test_erase_phrases_are_recognised_and_nothing_else():
    for text in ("effacer mes données", "Effacez mes données !", "supprimer ma conversation",
                 "je veux effacer mes données personnelles", "/erase_data"):
        assert is_erase_request(text), text
    for text in ("mes données sont-elles effacées ?", "effacer", "comment effacer mes données "
                 "de revenus", "supprimer la cuve à fioul"):
        assert not is_erase_request(text), text


def test_effacer_mes_donnees_on_messenger_erases_that_person_only(tracker):
    store.save_summary("psid-1", {"created": "2026-11-29"})
    outbox.enqueue("psid-1", {"contact": "06 12 34 56 78"}, {"smtp": "desk@example.org"})
    with GraphApiStub() as graph:
        channel = MessengerInput.from_credentials({
            "verify": "v", "secret": SECRET, "page-access-token": "t",
            "graph-api-url": graph.base_url})
        dialogue = ScriptedDialogue()
        server = ChannelServer([channel], dialogue).start()
        try:
            assert signed_post(server.url, "psid-1", "Effacer mes données").status_code == 200
            [reply] = graph.wait_for(1)
        finally:
            server.stop()
    assert reply["body"]["recipient"] == {"id": "psid-1"}
    assert reply["body"]["message"]["text"] == ERASED_TEXT
    assert dialogue.received == []  # handled by the channel, not by a Rasa turn
    with sqlite3.connect(tracker) as connection:
        assert dict(connection.execute(
            "SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id")) == {"psid-2": 1}
    assert outbox.pending_for("psid-1") == []
    with store.connect() as db:
        assert db.execute("SELECT COUNT(*) FROM summaries").fetchone()[0] == 0
