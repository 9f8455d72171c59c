"""The web page's « Effacer ma conversation » button (`POST /api/effacer`, runtime/webserver.py)
with the conversations in PostgreSQL, as in `make run-scaled`: a homeowner chats on the page's
channel (socket.io, through nginx), asks to erase, and nothing of the conversation remains in
PostgreSQL nor in any Rasa process; a neighbour's conversation is untouched. A bad or forged
request changes nothing and gets a French error; an unreachable database, a French 503.

Real servers: the scaled setup (PostgreSQL, Redis, nginx, 2 Rasa) of tests/scaled/conftest.py
and the real web server on a free port of 127.0.0.1.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import requests
import socketio

from channels.privacy import url_from_endpoints
from runtime.stack import bot_texts, free_port
from runtime.webserver import Settings, serve

pytestmark = pytest.mark.e2e

PAGE_MESSAGES = ["bonjour", "je cherche des aides pour isoler mes combles à Amiens"]


def live_processes(stack) -> list[str]:
    """Each running Rasa process (test_scaled.py's kill test, when it ran first, leaves one
    dead; this file's name sorts it first)."""
    return [url for url, managed in zip(stack.rasa_urls, stack.rasas, strict=True)
            if managed.process is not None and managed.process.poll() is None]


def user_texts(tracker: dict) -> list[str]:
    return [event.get("text") for event in tracker["events"] if event.get("event") == "user"]


def stored_rows(stack) -> dict[str, int]:
    """Rows of each conversation in PostgreSQL (the database itself, not Rasa's view)."""
    import psycopg2  # noqa: PLC0415

    with psycopg2.connect(**stack.postgres_dsn) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT sender_id, count(*) FROM events GROUP BY sender_id")
        return dict(cursor.fetchall())


def chat_on_the_page(stack, session_id: str, messages: list[str]) -> list[str]:
    """What rasa-webchat does: a socket.io session with the page's session id, one message
    at a time, each answered before the next."""
    said: list[str] = []
    confirmed = threading.Event()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", lambda message: said.append(message.get("text") or ""))
    client.on("session_confirm", lambda _session: confirmed.set())
    client.connect(stack.base_url, transports=["polling"], socketio_path="socket.io",
                   wait_timeout=30)
    try:
        client.emit("session_request", {"session_id": session_id})
        assert confirmed.wait(30)
        for text in messages:
            before = len(said)
            client.emit("user_uttered", {"message": text, "session_id": session_id})
            deadline = time.monotonic() + 60
            while len(said) == before and time.monotonic() < deadline:
                time.sleep(0.1)
            assert len(said) > before, f"pas de réponse à « {text} »"
            time.sleep(0.5)  # the rest of the turn's answers
    finally:
        client.disconnect()
    return said


@pytest.fixture(scope="module")
def page(scaled_stack):
    """The web page's server erasing in the scaled setup's PostgreSQL, found as
    `python -m runtime.webserver --endpoints var/scaled/endpoints.yml` finds it."""
    settings = Settings(None, scaled_stack.public_port, scaled_stack.workdir / "absent.db",
                        "Agence de test", "", handoff_db=scaled_stack.workdir / "handoff.db",
                        tracker_store=url_from_endpoints(scaled_stack.endpoints))
    server = serve("127.0.0.1", free_port(), settings, retention_days=None, outbox=False)
    yield server.url
    server.stop()


def test_a_homeowner_erases_their_page_conversation_and_postgresql_forgets_it(scaled_stack,
                                                                              page):
    session_id = uuid.uuid4().hex  # rasa-webchat's session ids are such hex strings
    neighbour = uuid.uuid4().hex
    for who in (session_id, neighbour):
        assert "\n".join(chat_on_the_page(scaled_stack, who, PAGE_MESSAGES)).strip()
    # Both Rasa processes have read (and cached) the conversation before the erase.
    for via in live_processes(scaled_stack):
        assert user_texts(scaled_stack.tracker(session_id, via=via)) == PAGE_MESSAGES
    rows = stored_rows(scaled_stack)
    assert rows[session_id] > len(PAGE_MESSAGES)

    answer = requests.post(f"{page}/api/effacer", json={"session_id": session_id}, timeout=30)

    assert (answer.status_code, answer.json()) == (200, {"erased_events": rows[session_id]})
    after = stored_rows(scaled_stack)
    assert session_id not in after and after[neighbour] == rows[neighbour]
    for via in live_processes(scaled_stack):  # no process brings it back from memory
        assert user_texts(scaled_stack.tracker(session_id, via=via)) == []
        assert user_texts(scaled_stack.tracker(neighbour, via=via)) == PAGE_MESSAGES
    # The page starts afresh; the erase stays done.
    assert bot_texts(scaled_stack.say(session_id, "bonjour")).strip()
    assert user_texts(scaled_stack.tracker(session_id)) == ["bonjour"]


@pytest.mark.parametrize(("body", "content_type", "error"), [
    # A cross-site form cannot send JSON: refused before reading it.
    (b'{"session_id": "%s"}', "text/plain", "Le corps doit être du JSON"),
    (b"session_id=%s", "application/x-www-form-urlencoded", "Le corps doit être du JSON"),
    (b"", "application/json", "Corps de requête absent ou trop long"),
    (b"pas du json", "application/json", "Le corps doit être un objet JSON"),
    (b'["%s"]', "application/json", "Le champ « session_id » doit être une chaîne"),
    (b'{"session_id": 42}', "application/json", "Le champ « session_id » doit être une chaîne"),
    (b'{"session_id": "   "}', "application/json", "identifiant non vide"),
    (b'{"session_id": "%s\\u0000"}', "application/json", "sans caractère de contrôle"),
    (b'{"session_id": "' + b"x" * 5000 + b'"}', "application/json",
     "Corps de requête absent ou trop long"),
])
def test_a_bad_or_forged_request_changes_nothing_and_says_why_in_french(
        scaled_stack, page, body, content_type, error):
    session_id = uuid.uuid4().hex
    scaled_stack.say(session_id, "bonjour")
    before = stored_rows(scaled_stack)
    answer = requests.post(f"{page}/api/effacer",
                           data=body.replace(b"%s", session_id.encode()),
                           headers={"Content-Type": content_type}, timeout=30)
    assert answer.status_code == 400
    assert answer.headers["Content-Type"].startswith("application/json")
    assert error in answer.json()["error"] and "Traceback" not in answer.text
    assert stored_rows(scaled_stack) == before


def test_an_id_that_names_nobody_erases_nothing(scaled_stack, page):
    before = stored_rows(scaled_stack)
    for forged in ("' OR 1=1 --", "%", "*", uuid.uuid4().hex):
        answer = requests.post(f"{page}/api/effacer", json={"session_id": forged}, timeout=30)
        assert (answer.status_code, answer.json()) == (200, {"erased_events": 0})
    assert stored_rows(scaled_stack) == before


def test_an_unreachable_database_gets_a_french_503_and_no_trace(scaled_stack, tmp_path,
                                                                erase_on_the_page):
    closed = free_port()
    settings = Settings(None, scaled_stack.public_port, tmp_path / "absent.db", "Agence", "",
                        handoff_db=tmp_path / "handoff.db",
                        tracker_store=f"postgresql://rasa:secret@127.0.0.1:{closed}/rasa")
    answer = erase_on_the_page(settings, "marie-42", timeout=60)
    assert answer.status_code == 503
    assert answer.json() == {"error": "L'effacement a échoué ; réessayez plus tard."}
    assert "secret" not in answer.text
