"""The scaled setup (issue 13 §4): several Rasa processes share one PostgreSQL tracker store
and one Redis lock store behind nginx, with no stickiness. A homeowner's conversation stays
whole and in order whichever process gets each message, and a crashed process loses
nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from runtime.simulated_user import ANSWERS, OPENING, Conversation, user_messages_in_tracker
from runtime.stack import ROOT, bot_texts

pytestmark = pytest.mark.e2e


def user_texts(tracker: dict) -> list[str]:
    return [event.get("text") for event in tracker["events"] if event.get("event") == "user"]


def test_one_conversation_over_two_processes_keeps_every_message_and_the_form(scaled_stack,
                                                                               sender):
    processes = scaled_stack.rasa_urls
    assert len(processes) == 2
    sent: list[str] = []
    replies: list[str] = []

    def say(message: str) -> None:
        # Consecutive messages alternate between the two Rasa processes.
        via = processes[len(sent) % 2]
        sent.append(message)
        replies.append(bot_texts(scaled_stack.say(sender, message, via=via)))

    asked: list[str] = []
    for message in OPENING:
        say(message)
    for _ in range(12):
        if any("€" in reply and "aide" in reply.lower() for reply in replies):
            break
        # The state read from the process that did NOT take the last message.
        slots = scaled_stack.tracker(sender, via=processes[len(sent) % 2])["slots"]
        asked.append(slots.get("requested_slot") or "")
        say(ANSWERS.get(asked[-1], "oui"))

    tracker = scaled_stack.tracker(sender, via=processes[0])
    assert user_texts(tracker) == sent
    assert user_texts(scaled_stack.tracker(sender, via=processes[1])) == sent
    # The form was filled across processes: every answer given is in its slot (the owner
    # of a 1975 house in Amiens, 32 000 € for 3 people), each question asked once.
    expected = {"postal_code": "80000", "housing_type": "house", "construction_year": 1975,
                "heating_energy": "fuel_oil", "household_size": 3,
                "reference_income": 32000, "occupancy": "owner_occupier"}
    checked = [slot for slot in asked if slot in expected]
    assert len(checked) >= 4, asked
    assert {slot: tracker["slots"].get(slot) for slot in checked} == \
        {slot: expected[slot] for slot in checked}
    assert len(asked) == len(set(asked)), asked
    assert any("€" in reply and "aide" in reply.lower() for reply in replies), replies


def test_two_messages_at_once_on_two_processes_are_processed_one_after_the_other(
        scaled_stack, sender):
    first, second = scaled_stack.rasa_urls
    scaled_stack.say(sender, "bonjour", via=first)
    results: dict[str, list[dict]] = {}

    def send(message: str, via: str, delay: float) -> None:
        time.sleep(delay)
        results[message] = scaled_stack.say(sender, message, via=via)

    threads = [threading.Thread(target=send, args=("c'est quoi l'éco-PTZ ?", first, 0)),
               threading.Thread(target=send, args=("merci beaucoup", second, 0.05))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(bot_texts(answer).strip() for answer in results.values())
    events = scaled_stack.tracker(sender)["events"]
    assert user_texts({"events": events}) == ["bonjour", "c'est quoi l'éco-PTZ ?",
                                              "merci beaucoup"]
    # The lock store made the second turn wait: the first turn ended (the bot listened
    # again) before the second message was read, so no turn's events are missing.
    kinds = [(e["event"], e.get("name") or e.get("text")) for e in events
             if e["event"] in ("user", "action")]
    ptz = kinds.index(("user", "c'est quoi l'éco-PTZ ?"))
    thanks = kinds.index(("user", "merci beaucoup"))
    between = kinds[ptz + 1:thanks]
    assert between and between[-1] == ("action", "action_listen"), between
    assert any(name != "action_listen" for _, name in between), between


def test_a_request_sent_again_to_the_other_process_is_answered_once(scaled_stack, sender):
    """What nginx does when a Rasa process dies after saving a turn: the same request (same
    X-Request-ID) goes to the other process, which answers from the stored turn, inside its
    own turn under the Redis lock, and stores nothing more (runtime/rasa_patches.py)."""
    first_process, other_process = scaled_stack.rasa_urls
    scaled_stack.say(sender, "bonjour", via=first_process)
    body = {"sender": sender, "message": "quelles aides pour une pompe à chaleur ?"}
    headers = {"X-Request-ID": uuid.uuid4().hex}
    answers = [requests.post(f"{url}/webhooks/rest/webhook", json=body, headers=headers,
                             timeout=60) for url in (first_process, other_process)]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[1].json() == answers[0].json() and bot_texts(answers[0].json()).strip()
    assert user_texts(scaled_stack.tracker(sender)) == ["bonjour", body["message"]]
    log = (scaled_stack.workdir / "logs" / "rasa-2.log").read_text()
    assert f"Message {headers['X-Request-ID']} de {sender} déjà traité" in log
    # The conversation goes on from there, on either process.
    scaled_stack.say(sender, "80000", via=other_process)
    assert user_texts(scaled_stack.tracker(sender)) == ["bonjour", body["message"], "80000"]


def test_sqlite_conversations_migrate_to_postgresql(scaled_stack, sender, tmp_path):
    # A real conversation, stored by the scaled setup, written back as the SQLite store of
    # `make run` would hold it, under another id.
    scaled_stack.say(sender, "bonjour")
    scaled_stack.say(sender, "je cherche des aides pour isoler mes combles à Amiens")
    events = scaled_stack.tracker(sender)["events"]
    old_id = f"sqlite-{uuid.uuid4().hex[:10]}"
    database = tmp_path / "tracker.db"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT "
                   "NULL, type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name "
                   "VARCHAR(255), action_name VARCHAR(255), data TEXT)")
        db.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, "
            "data) VALUES (?, ?, ?, ?, ?, ?)",
            [(old_id, e["event"], e.get("timestamp"),
              (e.get("parse_data") or {}).get("intent", {}).get("name"), e.get("name"),
              json.dumps(e)) for e in events])
    password_file = scaled_stack.workdir / "secrets" / "postgres"

    def migrate() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "migrate_sqlite_to_postgres.py"),
             "--sqlite", str(database), "--port", str(scaled_stack.pg_port),
             "--password-file", str(password_file)],
            capture_output=True, text=True, timeout=120)

    first = migrate()
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("1 conversations copiées")
    migrated = scaled_stack.tracker(old_id)
    assert user_texts(migrated) == ["bonjour",
                                    "je cherche des aides pour isoler mes combles à Amiens"]
    assert migrated["slots"].get("requested_slot") == \
        scaled_stack.tracker(sender)["slots"].get("requested_slot")
    # Twice: nothing copied twice.
    second = migrate()
    assert second.returncode == 0 and second.stdout.startswith("0 conversations copiées")
    assert len(scaled_stack.tracker(old_id)["events"]) == len(migrated["events"])


def test_a_missing_sqlite_file_gives_a_french_error(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "migrate_sqlite_to_postgres.py"),
         "--sqlite", str(tmp_path / "absent.db")],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Base SQLite introuvable" in result.stderr and "Traceback" not in result.stderr


def test_the_public_port_serves_the_channels_and_closes_the_api(scaled_stack, sender):
    assert bot_texts(scaled_stack.say(sender, "bonjour")).strip()
    refused = requests.get(f"{scaled_stack.base_url}/conversations/{sender}/tracker",
                           timeout=30)
    assert refused.status_code == 401
    # No query string (the token) in nginx's access log.
    log = Path(scaled_stack.nginx_conf.parent / "logs" / "access.log").read_text()
    assert scaled_stack.token not in log


# --- Erasing with PostgreSQL (channels/privacy.py: the same SQLAlchemy code as SQLite) ------

def user_count(stack, sender: str) -> int:
    return len(user_texts(stack.tracker(sender)))


def test_a_homeowner_asks_to_erase_and_postgresql_forgets_only_them(scaled_stack, sender):
    from bot.handoff import store  # noqa: PLC0415
    from channels.privacy import ERASED_TEXT  # noqa: PLC0415

    neighbour = f"voisin-{uuid.uuid4().hex[:8]}"
    handoff_db = scaled_stack.workdir / "handoff.db"
    for who in (sender, neighbour):
        scaled_stack.say(who, "bonjour")
        scaled_stack.say(who, "je cherche des aides pour isoler mes combles à Amiens")
        store.save_summary(who, {"created": "2026-11-29"}, db=handoff_db)
    # Both Rasa processes have read (and cached) the conversation before the erase.
    for via in scaled_stack.rasa_urls:
        assert scaled_stack.tracker(sender, via=via)["events"]
    answer = scaled_stack.say(sender, "Effacer mes données")
    assert answer == [{"recipient_id": sender, "text": ERASED_TEXT}]
    with psycopg2_connection(scaled_stack) as cursor:
        cursor.execute("SELECT count(*) FROM events WHERE sender_id = %s", (sender,))
        assert cursor.fetchone() == (0,)
    for via in scaled_stack.rasa_urls:  # no process brings it back from memory
        assert user_count(scaled_stack, sender) == 0
        assert user_texts(scaled_stack.tracker(neighbour, via=via)) == [
            "bonjour", "je cherche des aides pour isoler mes combles à Amiens"]
    with store.connect(handoff_db) as db:
        keys = [row[0] for row in db.execute("SELECT sender_key FROM summaries")]
    assert keys == [store.sender_key(neighbour)]
    # The conversation starts afresh.
    assert bot_texts(scaled_stack.say(sender, "bonjour")).strip()
    assert user_texts(scaled_stack.tracker(sender)) == ["bonjour"]


class psycopg2_connection:  # noqa: N801 (used as a context manager, like a function)
    def __init__(self, stack) -> None:
        import psycopg2  # noqa: PLC0415

        self.connection = psycopg2.connect(**stack.postgres_dsn)

    def __enter__(self):
        return self.connection.cursor()

    def __exit__(self, *exc) -> None:
        self.connection.commit()
        self.connection.close()


def test_the_command_line_erases_and_purges_postgresql_from_the_endpoints(scaled_stack,
                                                                          sender):
    scaled_stack.say(sender, "bonjour")
    stale = f"ancien-{uuid.uuid4().hex[:8]}"
    old = time.time() - 40 * 86400
    with psycopg2_connection(scaled_stack) as cursor:
        cursor.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (%s, %s, %s, %s)",
            [(stale, "user", old, json.dumps({"event": "user", "timestamp": old,
                                               "text": "bonjour"}))] * 2)

    def privacy(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "channels.privacy", *args,
                               "--endpoints", str(scaled_stack.endpoints)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)

    purged = privacy("purge", "--days", "30")
    assert purged.returncode == 0, purged.stderr
    assert purged.stdout.startswith("1 conversation(s) inactive(s)")
    assert user_count(scaled_stack, stale) == 0
    assert user_count(scaled_stack, sender) == 1  # recent: kept
    with psycopg2_connection(scaled_stack) as cursor:
        cursor.execute("SELECT count(*) FROM events WHERE sender_id = %s", (sender,))
        (stored,) = cursor.fetchone()
    erased = privacy("erase", sender)
    assert erased.returncode == 0, erased.stderr
    assert erased.stdout.strip() == \
        f"{stored} événement(s) effacé(s) pour la conversation « {sender} »."
    assert user_count(scaled_stack, sender) == 0


def test_make_run_scaled_purges_conversations_silent_for_30_days(scaled_stack, sender):
    from runtime.scaled import purge_daily  # noqa: PLC0415

    scaled_stack.say(sender, "bonjour")
    stale = f"ancien-{uuid.uuid4().hex[:8]}"
    old = time.time() - 31 * 86400
    with psycopg2_connection(scaled_stack) as cursor:
        cursor.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (%s, %s, %s, %s)",
            (stale, "user", old, json.dumps({"event": "user", "timestamp": old,
                                              "text": "bonjour"})))
    purge_daily(scaled_stack)  # at start, then daily
    deadline = time.monotonic() + 30
    while user_count(scaled_stack, stale) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert user_count(scaled_stack, stale) == 0
    assert user_count(scaled_stack, sender) == 1


def test_a_wrong_password_gets_a_french_error_and_no_traceback(scaled_stack, tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(scaled_stack.endpoints.read_text().replace(
        scaled_stack.pg_password, "mauvais-mot-de-passe"))
    result = subprocess.run([sys.executable, "-m", "channels.privacy", "erase", "x",
                             "--endpoints", str(endpoints)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("Impossible de modifier la base")
    assert "Traceback" not in result.stderr and "mauvais-mot-de-passe" not in result.stderr


# --- Flood behind nginx (issue 13, bad input) ------------------------------------------------

def test_a_flood_from_one_address_gets_429s_and_other_people_lose_nothing(scaled_stack):
    from tests.channels.flood import PERSON_MESSAGES, flood_while_people_talk  # noqa: PLC0415

    people = tuple(f"voisin-{uuid.uuid4().hex[:8]}" for _ in range(3))
    robot = f"robot-{uuid.uuid4().hex[:8]}"
    # From 127.0.0.2: nginx limits it by address (20/s, burst 100), the channel by sender.
    result = flood_while_people_talk(scaled_stack.rest_url, scaled_stack.base_url,
                                     scaled_stack.token, robot, source="127.0.0.2",
                                     people=people)
    print("\n" + result.summary())
    assert result.failures == [] and len(result.statuses) == 2000
    assert set(result.statuses) <= {200, 429}
    assert result.statuses.count(429) >= 1900
    assert "Patientez" in result.refusal["error"] and int(result.retry_after) >= 1
    for name in people:
        assert [status for status, _ in result.people[name]] == [200] * len(PERSON_MESSAGES)
        assert result.stored[name] == PERSON_MESSAGES
    assert len(result.stored[robot]) == result.statuses.count(200)
    # nginx answered most refusals itself: its log has them, the Rasa processes never saw them.
    log = Path(scaled_stack.nginx_conf.parent / "logs" / "access.log").read_text()
    assert log.count('"POST /webhooks/rest/webhook" 429') >= 1500


# Last: it leaves one Rasa process dead.
def test_killing_one_rasa_process_mid_load_loses_no_message(scaled_stack):
    conversations = [Conversation(scaled_stack.base_url, f"crash-{uuid.uuid4().hex[:10]}",
                                  token=scaled_stack.token) for _ in range(8)]
    with ThreadPoolExecutor(len(conversations)) as pool:
        runs = [pool.submit(conversation.run_to_aids, 10) for conversation in conversations]
        time.sleep(4)  # mid-load
        scaled_stack.kill_rasa(0)
        reached = [run.result(timeout=600) for run in runs]
    assert scaled_stack.rasas[0].process.poll() is not None
    assert scaled_stack.rasas[1].process.poll() is None
    for conversation in conversations:
        # nginx gave the messages of the dead process to the other one: all answered…
        assert [turn.status for turn in conversation.turns] == [200] * len(conversation.turns)
        # …and all stored once, in order.
        assert user_messages_in_tracker(scaled_stack.base_url, conversation.sender,
                                        scaled_stack.token) == conversation.sent
    assert all(reached), [c.sent for c in conversations]
    # A new conversation is served by the remaining process.
    assert bot_texts(scaled_stack.say(f"after-{uuid.uuid4().hex[:8]}", "bonjour")).strip()
