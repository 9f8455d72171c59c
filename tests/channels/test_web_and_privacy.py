"""The page's web server (runtime/webserver.py) and conversation erasure (channels/privacy.py)
over real HTTP and a real SQLite file laid out like Rasa's SQL tracker store."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from channels.privacy import erase_conversation, purge_inactive
from runtime.webserver import ROOT, Settings, serve

DAY = 86400.0


def make_tracker_db(path: Path, events: list[tuple[str, float]]) -> Path:
    """A tracker store with Rasa's `events` table (rasa/core/tracker_store.py, SQLEvent)."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT "
                   "NULL, type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name "
                   "VARCHAR(255), action_name VARCHAR(255), data TEXT)")
        db.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) "
                       "VALUES (?, 'user', ?, '{}')", events)
    return path


def senders(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))


@pytest.fixture
def tracker_db(tmp_path):
    now = time.time()
    return make_tracker_db(tmp_path / "tracker.db", [
        ("alice", now - 40 * DAY), ("alice", now - 2 * DAY),  # old conversation, still active
        ("bob", now - 45 * DAY), ("bob", now - 31 * DAY),     # inactive for 31 days
        ("carol", now - 60), ("carol", now),
    ])


def test_erase_deletes_one_conversation_only(tracker_db):
    assert erase_conversation(tracker_db, "carol") == 2
    assert senders(tracker_db) == {"alice": 2, "bob": 2}
    assert erase_conversation(tracker_db, "carol") == 0
    assert erase_conversation(tracker_db, "' OR 1=1 --") == 0
    assert senders(tracker_db) == {"alice": 2, "bob": 2}


def test_purge_deletes_conversations_inactive_for_longer_than_the_retention(tracker_db):
    assert purge_inactive(tracker_db, days=30) == 1
    assert senders(tracker_db) == {"alice": 2, "carol": 2}


def test_erasing_when_nothing_was_stored_yet_is_not_an_error(tmp_path):
    assert erase_conversation(tmp_path / "absent.db", "alice") == 0
    sqlite3.connect(tmp_path / "empty.db").close()
    assert purge_inactive(tmp_path / "empty.db") == 0


def test_command_line_erases_and_says_so_in_french(tracker_db):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "erase_conversation.py"), "bob", "--db",
         str(tracker_db)], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "2 événement(s) effacé(s) pour la conversation « bob »."
    result = subprocess.run(
        [sys.executable, "-m", "channels.privacy", "purge", "--days", "1", "--db",
         str(tracker_db)], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.startswith("1 conversation(s) inactive(s)")
    assert senders(tracker_db) == {"carol": 2}


def start_web(tracker_db: Path, retention_days: float | None):
    settings = Settings(None, 5005, tracker_db, "Agence Locale de l'Énergie <Test>",
                        "contact@example.org", handoff_db=tracker_db.parent / "handoff.db")
    return serve("127.0.0.1", 0, settings, retention_days=retention_days, outbox=False)


@pytest.fixture
def web(tracker_db):
    server = start_web(tracker_db, retention_days=None)
    yield server.url
    server.stop()


def test_page_names_the_operator_links_the_privacy_notice_and_loads_local_scripts(web):
    page = requests.get(f"{web}/", timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Service proposé par Agence Locale de l'Énergie &lt;Test&gt;" in page.text
    assert 'href="mailto:contact@example.org"' in page.text
    assert 'href="/confidentialite.html"' in page.text
    assert '<html lang="fr">' in page.text and 'name="viewport"' in page.text
    for script in ("/config.js", "/dist/webchat.js", "/app.js"):
        assert f'src="{script}"' in page.text
        assert requests.get(f"{web}{script}", timeout=10).headers["Content-Type"] == \
            "text/javascript; charset=utf-8"
    assert "https://" not in page.text.split("<footer")[0]  # nothing fetched from elsewhere


def test_widget_bundle_is_served_without_google_fonts(web):
    bundle = requests.get(f"{web}/dist/webchat.js", timeout=10)
    assert bundle.status_code == 200 and len(bundle.content) > 500_000
    assert b"fonts.googleapis.com" not in bundle.content
    assert b"session_request" in bundle.content  # it is the socket.io widget


def test_privacy_notice_says_what_how_long_and_how_to_erase(web):
    notice = requests.get(f"{web}/confidentialite.html", timeout=10).text
    for words in ("Ce qui est enregistré", "30 jours après votre dernier message",
                  "Effacer ma conversation", "Agence Locale de l'Énergie", "CNIL"):
        assert words in notice


def test_config_points_the_widget_at_rasa_on_the_host_the_browser_used(web):
    config = requests.get(f"{web}/config.js", headers={"Host": "192.168.1.20:8080"}, timeout=10)
    assert config.text == ('window.ASSISTANT_CONFIG = {"socketUrl": "http://192.168.1.20:5005", '
                           '"socketPath": "/socket.io/"};\n')
    policy = config.headers["Content-Security-Policy"]
    assert "connect-src 'self' http://192.168.1.20:5005 ws://192.168.1.20:5005;" in policy
    assert "script-src 'self';" in policy
    assert config.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/package.json", "/node_modules/rasa-webchat/lib/index.js",
                                  "/build.js", "/../channels/privacy.py", "/%2e%2e/README.md",
                                  "/dist/../../credentials.yml", "/nothing.html"])
def test_only_the_page_files_are_served(web, path):
    response = requests.get(f"{web}{path}", timeout=10)
    assert response.status_code == 404
    assert response.text == "Page introuvable."


def test_erase_button_endpoint_erases_that_conversation(web, tracker_db):
    response = requests.post(f"{web}/api/effacer", json={"session_id": "carol"}, timeout=10)
    assert (response.status_code, response.json()) == (200, {"erased_events": 2})
    assert "carol" not in senders(tracker_db)


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"session_id": 3}',
                                  b'{"session_id": ""}', b'{"autre": "x"}',
                                  b'{"session_id": "' + b"x" * 5000 + b'"}'])
def test_erase_endpoint_refuses_bad_bodies_with_400(web, tracker_db, body):
    response = requests.post(f"{web}/api/effacer", data=body,
                             headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 400 and response.json()["error"]
    assert senders(tracker_db) == {"alice": 2, "bob": 2, "carol": 2}


def test_erase_endpoint_wants_json_not_a_cross_site_form(web, tracker_db):
    response = requests.post(f"{web}/api/effacer", data=b'{"session_id": "carol"}',
                             headers={"Content-Type": "text/plain"}, timeout=10)
    assert response.status_code == 400
    assert senders(tracker_db)["carol"] == 2


def test_server_purges_inactive_conversations_when_it_starts(tracker_db):
    server = start_web(tracker_db, retention_days=30)
    deadline = time.monotonic() + 10
    while "bob" in senders(tracker_db) and time.monotonic() < deadline:
        time.sleep(0.05)
    server.stop()
    assert senders(tracker_db) == {"alice": 2, "carol": 2}


def test_the_old_http_server_calls_still_work(tracker_db):
    """Callers written for the former http.server (the channels' e2e test) keep working."""
    server = start_web(tracker_db, retention_days=None)
    host, port = server.server_address
    waiter = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    waiter.start()
    assert requests.get(f"http://{host}:{port}/config.js", timeout=10).status_code == 200
    server.shutdown()
    server.server_close()
    waiter.join(10)
    assert not waiter.is_alive()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://{host}:{port}/", timeout=5)


# --- The same erase through SQLAlchemy URLs (PostgreSQL is tested in tests/scaled) ----------

def run_privacy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "channels.privacy", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_command_line_takes_a_url_or_the_endpoints_of_the_setup(tracker_db, tmp_path):
    result = run_privacy("erase", "carol", "--url", f"sqlite:///{tracker_db}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2 événement(s) effacé(s) pour la conversation « carol »."
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: runtime.tracker_store.CachedSQLTrackerStore\n"
                         f"  dialect: sqlite\n  db: {tracker_db}\n")
    result = run_privacy("purge", "--days", "30", "--endpoints", str(endpoints))
    assert result.returncode == 0, result.stderr
    assert senders(tracker_db) == {"alice": 2}


@pytest.mark.parametrize(("args", "expected"), [
    (["erase", "bob", "--url", "pas une adresse"], "Adresse de base de données illisible"),
    (["erase", "bob", "--url", "postgresql://rasa:secret@127.0.0.1:9/rasa"],
     "Impossible de modifier la base postgresql://rasa:***@127.0.0.1:9/rasa"),
    (["erase", "bob", "--url", "oracle+nothing://x@y/z"], "non prise en charge"),
    (["purge", "--endpoints", "/nonexistent/endpoints.yml"], "Fichier endpoints illisible"),
])
def test_command_line_bad_places_get_a_french_error_and_change_nothing(tracker_db, args,
                                                                        expected):
    before = senders(tracker_db)
    result = run_privacy(*args)
    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert "secret" not in result.stderr
    assert senders(tracker_db) == before


def test_endpoints_without_a_sql_store_are_refused_in_french(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: redis\n")
    result = run_privacy("erase", "bob", "--endpoints", str(endpoints))
    assert result.returncode == 1
    assert "ne décrit pas de base SQL" in result.stderr and "Traceback" not in result.stderr
