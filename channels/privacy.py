"""Erasing conversations from Rasa's SQLite tracker store (table `events`, one row per event,
keyed by `sender_id`), as promised by the privacy notice (web/confidentialite.html).

    python -m channels.privacy erase SENDER_ID [--db var/tracker.db]
    python -m channels.privacy purge [--days 30] [--db var/tracker.db]

The conversation's project summaries and callback requests (var/handoff.db) go with it.
Rasa re-reads the tracker from the database at every turn, so an erased conversation simply
starts afresh; no restart is needed.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import sys
import time
import unicodedata
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.handoff.store import erase_sender

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "tracker.db"
RETENTION_DAYS = 30
# Rasa writes while we delete: wait for its lock rather than fail at once.
_BUSY_TIMEOUT_S = 10.0


def _connect(db: Path) -> sqlite3.Connection | None:
    """A connection to an existing tracker store, or None (nothing stored yet)."""
    if not db.is_file():
        return None
    connection = sqlite3.connect(db, timeout=_BUSY_TIMEOUT_S)
    has_events = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'"
    ).fetchone()
    if not has_events:
        connection.close()
        return None
    return connection


def erase_conversation(db: Path, sender_id: str, handoff_db: Path | None = None) -> int:
    """Deletes every stored event of one conversation, and its summaries and callback
    requests (bot.handoff.store, `handoff_db` or its default file); returns how many events
    were deleted."""
    erase_sender(sender_id, handoff_db)
    connection = _connect(db)
    if connection is None:
        return 0
    with closing(connection), connection:
        return connection.execute("DELETE FROM events WHERE sender_id = ?", (sender_id,)).rowcount


# "effacer mes données" typed on a channel that has no erase button (Messenger): the channel
# erases before Rasa's turn, because a turn saves its events again after any action.
_ERASE_REQUEST = re.compile(
    r"^\s*(?:/erase_data|(?:je veux )?(?:effacer|effacez|supprimer|supprimez|efface|supprime)"
    r"\s+(?:toutes\s+)?(?:mes|ma)\s+(?:donnees|conversation|informations)"
    r"(?:\s+personnelles)?)\s*[.!]*\s*$")
TRACKER_DB_ENV = "RASA_TRACKER_DB"


def is_erase_request(text: str) -> bool:
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c)).replace("’", "'")
    return bool(_ERASE_REQUEST.match(folded))


def sqlite_tracker_db(app: Any = None) -> Path | None:
    """The SQLite file of the running Rasa's tracker store (the agent on a Sanic app), or
    RASA_TRACKER_DB; None when the store is not SQLite (nothing this module can erase)."""
    store = getattr(getattr(getattr(app, "ctx", None), "agent", None), "tracker_store", None)
    store = getattr(store, "_tracker_store", store)  # Rasa 3.6 wraps it (AwaitableTrackerStore)
    url = getattr(getattr(store, "engine", None), "url", None)
    if url is not None and getattr(url, "drivername", "").startswith("sqlite") and url.database:
        return Path(url.database)
    configured = os.environ.get(TRACKER_DB_ENV)
    return Path(configured) if configured else None


def purge_inactive(db: Path, days: float = RETENTION_DAYS, now: float | None = None) -> int:
    """Deletes the conversations whose last event is older than `days`; returns the number of
    conversations deleted."""
    connection = _connect(db)
    if connection is None:
        return 0
    cutoff = (time.time() if now is None else now) - days * 86400
    with closing(connection), connection:
        stale = [row[0] for row in connection.execute(
            "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < ?",
            (cutoff,),
        )]
        connection.executemany("DELETE FROM events WHERE sender_id = ?",
                               [(sender,) for sender in stale])
    return len(stale)


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help=f"base SQLite des conversations (défaut : {DEFAULT_DB})")
    parser = argparse.ArgumentParser(
        prog="python -m channels.privacy",
        description="Efface des conversations de la base des conversations (SQLite) de Rasa.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    erase = commands.add_parser("erase", parents=[common], help="efface une conversation")
    erase.add_argument("sender_id", help="identifiant de la conversation (champ « sender »)")
    purge = commands.add_parser("purge", parents=[common],
                                help="efface les conversations inactives")
    purge.add_argument("--days", type=float, default=RETENTION_DAYS,
                       help=f"ancienneté du dernier message, en jours (défaut : {RETENTION_DAYS})")
    args = parser.parse_args(argv)

    try:
        if args.command == "erase":
            count = erase_conversation(args.db, args.sender_id)
            print(f"{count} événement(s) effacé(s) pour la conversation « {args.sender_id} ».")
        else:
            if args.days < 0:
                parser.error("--days doit être positif.")
            count = purge_inactive(args.db, args.days)
            print(f"{count} conversation(s) inactive(s) depuis plus de {args.days:g} jours "
                  "effacée(s).")
    except sqlite3.Error as error:
        print(f"Impossible de modifier la base {args.db} : {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
