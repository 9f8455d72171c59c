"""The handoff's own SQLite file (default var/handoff.db, HANDOFF_DB overrides): the stored
summaries behind their unguessable tokens, and the outbox (bot.handoff.outbox).

Conversations are keyed by a SHA-256 of the sender id, so this file holds no raw channel id;
erasing a conversation (channels.privacy) deletes its rows here too. Summaries expire with the
privacy purge (30 days, the notice's promise).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RETENTION_DAYS = 30  # same promise as channels.privacy and web/confidentialite.html
_BUSY_TIMEOUT_S = 10.0
SCHEMA = """
CREATE TABLE IF NOT EXISTS summaries (
    token TEXT PRIMARY KEY, sender_key TEXT NOT NULL, created REAL NOT NULL,
    expires REAL NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS summaries_sender ON summaries (sender_key);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY, request_key TEXT NOT NULL UNIQUE, sender_key TEXT NOT NULL,
    created REAL NOT NULL, transport TEXT NOT NULL, destination TEXT NOT NULL,
    desk TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0, next_attempt REAL NOT NULL, last_error TEXT,
    sent_at REAL);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt);
CREATE INDEX IF NOT EXISTS outbox_sender ON outbox (sender_key);
"""


def default_db() -> Path:
    return Path(os.environ.get("HANDOFF_DB") or ROOT / "var" / "handoff.db")


def sender_key(sender_id: str) -> str:
    return hashlib.sha256(sender_id.encode("utf-8")).hexdigest()


_prepared: set[str] = set()
_prepare_lock = threading.Lock()


def connect(db: Path | None = None) -> sqlite3.Connection:
    path = Path(db or default_db())
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = not path.exists()
    connection = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
    # Switching to WAL takes an exclusive lock and SQLite does not wait for it (no busy
    # handler): done once per file and process, so a connection opened while the outbox
    # worker writes does not fail with "database is locked".
    with _prepare_lock:
        if fresh or str(path) not in _prepared:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
            _prepared.add(str(path))
    return connection


def save_summary(sender_id: str, summary: dict[str, Any], db: Path | None = None,
                 now: float | None = None, days: float = RETENTION_DAYS) -> str:
    """Stores the summary; returns its token (192 random bits, URL-safe, no personal data)."""
    token = secrets.token_urlsafe(24)
    created = time.time() if now is None else now
    with closing(connect(db)) as connection:
        connection.execute(
            "INSERT INTO summaries (token, sender_key, created, expires, data) "
            "VALUES (?, ?, ?, ?, ?)",
            (token, sender_key(sender_id), created, created + days * 86400,
             json.dumps(summary, ensure_ascii=False)))
    return token


def load_summary(token: str, db: Path | None = None,
                 now: float | None = None) -> tuple[dict[str, Any], float] | None:
    """(summary, expiry timestamp), or None when unknown or expired."""
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        return None
    with closing(connect(db)) as connection:
        row = connection.execute("SELECT data, expires FROM summaries WHERE token = ?",
                                 (token,)).fetchone()
    if row is None or row[1] < (time.time() if now is None else now):
        return None
    return json.loads(row[0]), row[1]


def erase_sender(sender_id: str, db: Path | None = None) -> int:
    """Deletes the conversation's summaries and outbox items; returns how many rows."""
    path = Path(db or default_db())
    if not path.is_file():
        return 0
    key = sender_key(sender_id)
    with closing(connect(path)) as connection:
        count = connection.execute("DELETE FROM summaries WHERE sender_key = ?", (key,)).rowcount
        count += connection.execute("DELETE FROM outbox WHERE sender_key = ?", (key,)).rowcount
    return count


def purge_expired(db: Path | None = None, now: float | None = None,
                  days: float = RETENTION_DAYS) -> int:
    """Deletes expired summaries and outbox items older than the retention; returns rows."""
    path = Path(db or default_db())
    if not path.is_file():
        return 0
    moment = time.time() if now is None else now
    with closing(connect(path)) as connection:
        count = connection.execute("DELETE FROM summaries WHERE expires < ?", (moment,)).rowcount
        count += connection.execute("DELETE FROM outbox WHERE created < ?",
                                    (moment - days * 86400,)).rowcount
    return count
