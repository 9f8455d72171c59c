"""Erasing conversations from Rasa's SQL tracker store (table `events`, one row per event,
keyed by `sender_id`), as promised by the privacy notice (web/confidentialite.html): the same
SQLAlchemy code for SQLite (`make run`) and PostgreSQL (`make run-scaled`).

    python -m channels.privacy erase SENDER_ID [--db var/tracker.db | --url URL | --endpoints F]
    python -m channels.privacy purge [--days 30] [--db … | --url … | --endpoints …]

`--url` is a SQLAlchemy URL (postgresql://rasa@127.0.0.1:54329/rasa; the password is better
read from `--endpoints`, the endpoints.yml of the running setup, than typed where `ps` shows
it). The conversation's project summaries and callback requests (var/handoff.db) go with it.

Erasing is a row deletion in `events`, nothing else: Rasa re-reads the tracker at every turn
(runtime/tracker_store.py notices deleted rows), so an erased conversation simply starts
afresh, in every Rasa process, without a restart.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from bot.handoff.store import erase_sender

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "tracker.db"
RETENTION_DAYS = 30
# Rasa writes while we delete: wait for SQLite's lock rather than fail at once.
_BUSY_TIMEOUT_S = 10.0

# Where the events are: a SQLite file, a SQLAlchemy URL (text or object), or an engine (the
# running Rasa's own, from inside its process).
Target = Path | str | sa.engine.URL | sa.engine.Engine
_engines: dict[str, sa.engine.Engine] = {}


class StoreError(RuntimeError):
    """The tracker store cannot be reached or read; the message is French."""


def _engine(target: Target) -> sa.engine.Engine | None:
    """The engine for `target`, or None when there is nothing stored yet (no SQLite file)."""
    if isinstance(target, sa.engine.Engine):
        return target
    if isinstance(target, str) and "://" not in target:
        target = Path(target)
    if isinstance(target, Path):
        if not target.is_file():
            return None  # never create an empty database by erasing
        url = sa.engine.URL.create("sqlite", database=str(target))
    else:
        url = parse_url(target)
    key = url.render_as_string(hide_password=False)
    if key not in _engines:
        connect_args = {"timeout": _BUSY_TIMEOUT_S} if url.get_backend_name() == "sqlite" \
            else {"connect_timeout": 10} if url.get_backend_name() == "postgresql" else {}
        try:
            _engines[key] = sa.create_engine(url, connect_args=connect_args,
                                             pool_pre_ping=True)
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as error:
            raise StoreError(f"Base de données non prise en charge : {error}") from None
    return _engines[key]


def parse_url(text: str | sa.engine.URL) -> sa.engine.URL:
    """A SQLAlchemy URL, or StoreError in French."""
    try:
        return sa.engine.make_url(text)
    except sa.exc.ArgumentError:
        raise StoreError("Adresse de base de données illisible (attendu par exemple "
                         "postgresql://rasa@127.0.0.1:54329/rasa).") from None


def _has_events(connection: sa.engine.Connection) -> bool:
    return sa.inspect(connection).has_table("events")


def erase_conversation(db: Target, sender_id: str, handoff_db: Path | None = None) -> int:
    """Deletes every stored event of one conversation, and its summaries and callback
    requests (bot.handoff.store, `handoff_db` or its default file); returns how many events
    were deleted. Raises sqlalchemy.exc.SQLAlchemyError or StoreError."""
    erase_sender(sender_id, handoff_db)
    engine = _engine(db)
    if engine is None:
        return 0
    with engine.begin() as connection:
        if not _has_events(connection):
            return 0
        return connection.execute(sa.text("DELETE FROM events WHERE sender_id = :sender"),
                                  {"sender": sender_id}).rowcount


def purge_inactive(db: Target, days: float = RETENTION_DAYS, now: float | None = None) -> int:
    """Deletes the conversations whose last event is older than `days`; returns the number of
    conversations deleted."""
    engine = _engine(db)
    if engine is None:
        return 0
    cutoff = (time.time() if now is None else now) - days * 86400
    with engine.begin() as connection:
        if not _has_events(connection):
            return 0
        stale = [row[0] for row in connection.execute(sa.text(
            "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"),
            {"cutoff": cutoff})]
        if stale:
            connection.execute(sa.text("DELETE FROM events WHERE sender_id = :sender"),
                               [{"sender": sender} for sender in stale])
    return len(stale)


def url_from_endpoints(path: Path) -> sa.engine.URL:
    """The SQLAlchemy URL of the SQL tracker store described in an endpoints.yml."""
    try:
        config = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as error:
        raise StoreError(f"Fichier endpoints illisible ({path}) : {error}") from None
    store = config.get("tracker_store") if isinstance(config, dict) else None
    if not isinstance(store, dict) or "dialect" not in store and "db" not in store:
        raise StoreError(f"{path} ne décrit pas de base SQL des conversations "
                         "(tracker_store avec dialect et db).")
    dialect = str(store.get("dialect") or "sqlite")
    if dialect == "sqlite":
        return sa.engine.URL.create("sqlite", database=str(store.get("db") or "rasa.db"))
    port = store.get("port")
    return sa.engine.URL.create(
        dialect, username=store.get("username"), password=store.get("password"),
        host=store.get("url"), port=int(port) if port else None, database=store.get("db"))


# --- Erasing from a channel ----------------------------------------------------------------

# "effacer mes données" typed on any channel: the channel erases before Rasa's turn, because a
# turn saves its events again after any action.
_ERASE_REQUEST = re.compile(
    r"^\s*(?:/erase_data|(?:je veux )?(?:effacer|effacez|supprimer|supprimez|efface|supprime)"
    r"\s+(?:toutes\s+)?(?:mes|ma)\s+(?:donnees|conversation|informations)"
    r"(?:\s+personnelles)?)\s*[.!]*\s*$")
TRACKER_DB_ENV = "RASA_TRACKER_DB"
ERASED_TEXT = ("Vos données sont effacées : cette conversation, vos récapitulatifs et vos "
               "demandes de rappel. Vous pouvez recommencer quand vous voulez.")
ERASE_FAILED_TEXT = "L'effacement a échoué ; réessayez plus tard."


def is_erase_request(text: str) -> bool:
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c)).replace("’", "'")
    return bool(_ERASE_REQUEST.match(folded))


def _agent(app: Any) -> Any:
    return getattr(getattr(app, "ctx", None), "agent", None)


def tracker_store_target(app: Any = None) -> Target | None:
    """The running Rasa's SQL tracker store (its engine: SQLite or PostgreSQL), else the file
    of RASA_TRACKER_DB; None when neither is known (nothing this module can erase)."""
    store = getattr(_agent(app), "tracker_store", None)
    store = getattr(store, "_tracker_store", store)  # Rasa 3.6 wraps it (AwaitableTrackerStore)
    engine = getattr(store, "engine", None)
    if isinstance(engine, sa.engine.Engine):
        return engine
    configured = os.environ.get(TRACKER_DB_ENV)
    return Path(configured) if configured else None


def sqlite_tracker_db(app: Any = None) -> Path | None:
    """The SQLite file of the running Rasa's tracker store, or RASA_TRACKER_DB."""
    target = tracker_store_target(app)
    if isinstance(target, sa.engine.Engine):
        url = target.url
        return Path(url.database) if url.get_backend_name() == "sqlite" and url.database \
            else None
    return target if isinstance(target, Path) else None


async def erase_from_channel(app: Any, sender_id: str) -> str:
    """Erases a conversation asked from a channel; returns the French answer. Holds the
    conversation's lock (Redis in the scaled setup) so that a turn of that conversation
    still running in any Rasa process cannot write its events back afterwards."""
    target = tracker_store_target(app)
    lock_store = getattr(_agent(app), "lock_store", None)
    try:
        if target is None:
            raise StoreError("base des conversations inconnue")
        if lock_store is None:
            await asyncio.to_thread(erase_conversation, target, sender_id)
        else:
            async with lock_store.lock(sender_id):
                await asyncio.to_thread(erase_conversation, target, sender_id)
    except Exception:
        logger.exception("Effacement de conversation impossible")
        return ERASE_FAILED_TEXT
    return ERASED_TEXT


# --- Command line --------------------------------------------------------------------------

def _shown(url: str) -> str:
    """A URL as it may be printed: without its password."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url

def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    where = common.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, default=None,
                       help=f"base SQLite des conversations (défaut : {DEFAULT_DB})")
    where.add_argument("--url", help="adresse SQLAlchemy de la base (SQLite ou PostgreSQL)")
    where.add_argument("--endpoints", type=Path,
                       help="endpoints.yml de l'installation (son tracker_store)")
    parser = argparse.ArgumentParser(
        prog="python -m channels.privacy",
        description="Efface des conversations de la base des conversations de Rasa "
                    "(SQLite ou PostgreSQL).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    erase = commands.add_parser("erase", parents=[common], help="efface une conversation")
    erase.add_argument("sender_id", help="identifiant de la conversation (champ « sender »)")
    purge = commands.add_parser("purge", parents=[common],
                                help="efface les conversations inactives")
    purge.add_argument("--days", type=float, default=RETENTION_DAYS,
                       help=f"ancienneté du dernier message, en jours (défaut : {RETENTION_DAYS})")
    args = parser.parse_args(argv)
    if args.command == "purge" and args.days < 0:
        parser.error("--days doit être positif.")

    place = args.endpoints or args.db or (_shown(args.url) if args.url else DEFAULT_DB)
    try:
        target: Target = url_from_endpoints(args.endpoints) if args.endpoints \
            else parse_url(args.url) if args.url else args.db or DEFAULT_DB
        if args.command == "erase":
            count = erase_conversation(target, args.sender_id)
            print(f"{count} événement(s) effacé(s) pour la conversation « {args.sender_id} ».")
        else:
            count = purge_inactive(target, args.days)
            print(f"{count} conversation(s) inactive(s) depuis plus de {args.days:g} jours "
                  "effacée(s).")
    except StoreError as error:
        print(f"Impossible de modifier la base {place} : {error}", file=sys.stderr)
        return 1
    except (sa.exc.SQLAlchemyError, OSError) as error:
        reason = getattr(error, "orig", None) or error
        print(f"Impossible de modifier la base {place} : "
              f"{str(reason).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
