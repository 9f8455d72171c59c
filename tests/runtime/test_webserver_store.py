"""Where the web page's server erases (`python -m runtime.webserver`): the tracker store named
by `--tracker-db`, `--tracker-url` or `--endpoints` (here a real SQLite store described by an
endpoints.yml, as `make run` writes it; PostgreSQL: tests/scaled/test_web_erase.py). A store
it cannot read is said in French at start, without a traceback."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import yaml

from channels.privacy import url_from_endpoints
from runtime.stack import free_port
from runtime.tracker_store import sqlite_endpoint
from runtime.webserver import Settings

ROOT = Path(__file__).resolve().parents[2]


def make_tracker_db(path: Path, senders: list[str]) -> Path:
    """Rasa's `events` table (rasa/core/tracker_store.py, SQLEvent), two events a sender."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT "
                   "NULL, type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name "
                   "VARCHAR(255), action_name VARCHAR(255), data TEXT)")
        db.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) "
                       "VALUES (?, 'user', ?, '{}')",
                       [(sender, time.time()) for sender in senders for _ in range(2)])
    return path


def senders(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))


def test_the_erase_button_erases_in_the_store_of_the_endpoints(tmp_path, erase_on_the_page):
    db = make_tracker_db(tmp_path / "tracker.db", ["alice", "carol"])
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({"tracker_store": sqlite_endpoint(str(db))}))
    settings = Settings(None, 5005, tmp_path / "autre.db", "Agence", "",
                        handoff_db=tmp_path / "handoff.db",
                        tracker_store=url_from_endpoints(endpoints))
    answer = erase_on_the_page(settings, "carol")
    assert (answer.status_code, answer.json()) == (200, {"erased_events": 2})
    assert senders(db) == {"alice": 2}


def start_web(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "runtime.webserver", "--port",
                           str(free_port()), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_an_unreadable_store_is_said_in_french_at_start(tmp_path):
    missing = start_web("--endpoints", str(tmp_path / "absent.yml"))
    assert missing.returncode == 2
    assert "Fichier endpoints illisible" in missing.stderr and "Traceback" not in missing.stderr
    wrong = start_web("--tracker-url", "pas une adresse")
    assert wrong.returncode == 2
    assert "Adresse de base de données illisible" in wrong.stderr
    both = start_web("--tracker-db", "a.db", "--tracker-url", "sqlite:///b.db")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
