"""Rasa's SQLTrackerStore, with the conversations in use kept in memory and read incrementally.

Rasa 3.6's SQLTrackerStore re-reads every stored event of a conversation at each message (and
again when it saves, to count them). Here each Rasa process keeps the stored rows of its
recently used conversations (LRU, `TRACKER_CACHE_CONVERSATIONS`, default 200) and, at each
read, asks the database only for:
  1. the rows added since the last one it saw (`id > last_id`): events written by another
     Rasa process (scaled setup, no stickiness) or by itself;
  2. `count(*)` and `max(timestamp)` of the rows it already holds (`id <= last_id`): if they
     changed, rows were deleted (erase, purge: channels/privacy.py) and the conversation is
     read again in full, so an erased conversation is never brought back from memory.
The tracker is then rebuilt from those rows exactly as Rasa does (same session filter, same
`DialogueStateTracker.from_dict`), so behaviour is unchanged; only the SQL work shrinks.

Writing is Rasa's (new events appended, counted against a fresh read of the rows), with the
rows inserted in one statement, except after an erase: when rows this process had read were
deleted while the turn ran (an erase that did not wait for the conversation's lock, such as
the web page's button), the turn is not saved, for saving it would write the erased events
back. For SQLite, the database is switched to write-ahead logging
(WAL): a commit appends to the log and syncs it once (synchronous=FULL is kept, as durable as
before) instead of writing, syncing and deleting a rollback journal: about 13 ms -> 0.4 ms
per turn on this machine, and that time blocked Rasa's event loop.

Why ids are enough: a conversation's events are written by one process at a time (Rasa's lock
store), each save in one transaction, and ids only grow (PostgreSQL sequences; SQLite reuses
the largest ids only after they are deleted, which the count/max(timestamp) check catches).

Configured in endpoints (Rasa loads a tracker store by its module path):
  tracker_store: {type: runtime.tracker_store.CachedSQLTrackerStore, dialect: sqlite, db: …}
"""

from __future__ import annotations

import json
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

TRACKER_STORE_TYPE = "runtime.tracker_store.CachedSQLTrackerStore"
CACHE_SIZE_VARIABLE = "TRACKER_CACHE_CONVERSATIONS"
DEFAULT_CACHE_SIZE = 200
# A conversation longer than this is not kept in memory (read in full each time, as Rasa
# does): a flood of messages cannot grow one entry without bound.
MAX_CACHED_EVENTS = 5000

# (id, type_name, timestamp, data): one stored event.
Row = tuple[int, str, float | None, str]


def sqlite_endpoint(db: str) -> dict[str, str]:
    """The `tracker_store` entry of endpoints.yml for a SQLite file (`make run`, tests)."""
    return {"type": TRACKER_STORE_TYPE, "dialect": "sqlite", "db": db}


@dataclass
class _Entry:
    """The stored rows of one conversation, as of the last read."""

    rows: list[Row] = field(default_factory=list)
    count: int = 0
    max_timestamp: float | None = None

    @property
    def last_id(self) -> int:
        return self.rows[-1][0] if self.rows else 0

    def extend(self, rows: list[Row]) -> None:
        self.rows.extend(rows)
        self.count += len(rows)
        # As SQL's max(): NULL timestamps ignored.
        stamps = [row[2] for row in rows if row[2] is not None]
        if self.max_timestamp is not None:
            stamps.append(self.max_timestamp)
        if stamps:
            self.max_timestamp = max(stamps)


def latest_session(rows: list[Row]) -> list[Row]:
    """Rasa's filter (SQLTrackerStore._event_query) on rows in memory: the events whose
    timestamp is at or after the latest `session_started`, or all if there is none."""
    starts = [row[2] for row in rows
              if row[1] == SessionStarted.type_name and row[2] is not None]
    if not starts:
        return rows
    start = max(starts)
    return [row for row in rows if row[2] is not None and row[2] >= start]


class CachedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Any = None, host: str | None = None,
                 cache_size: int | None = None, **kwargs: Any) -> None:
        super().__init__(domain=domain, host=host, **kwargs)
        size = cache_size if cache_size is not None else os.environ.get(CACHE_SIZE_VARIABLE)
        self.cache_size = max(0, int(size)) if size not in (None, "") else DEFAULT_CACHE_SIZE
        self._cache: OrderedDict[str, _Entry] = OrderedDict()
        self._table = self.SQLEvent.__table__
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (
                None, "", ":memory:"):
            self._use_write_ahead_log()

    def _use_write_ahead_log(self) -> None:
        """WAL is a property of the database file: set once, every connection uses it. The
        connections are kept in a pool: SQLAlchemy 1.4 opens and closes one per session for
        a SQLite file, and closing the last connection to a WAL database checkpoints and
        deletes the log, which costs the syncs WAL saves."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=1,
                                       max_overflow=4,
                                       connect_args={"check_same_thread": False})
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        try:
            with self.engine.connect() as connection:
                mode = connection.exec_driver_sql("PRAGMA journal_mode=WAL").scalar()
            logger.debug("SQLite journal mode: %s", mode)
        except sa.exc.OperationalError as error:  # busy: keep the file's current mode
            logger.warning("Journal WAL non activé (%s) : écriture plus lente.", error)

    # --- reading -------------------------------------------------------------------------

    def _select_rows(self, session: Any, sender_id: str, after_id: int = 0) -> list[Row]:
        table = self._table
        query = (sa.select(table.c.id, table.c.type_name, table.c.timestamp, table.c.data)
                 .where(table.c.sender_id == sender_id, table.c.id > after_id)
                 .order_by(table.c.id))
        return [tuple(row) for row in session.execute(query)]

    def _fetch_since(self, session: Any, sender_id: str) -> list[Row]:
        """The conversation's stored rows, from memory plus what the database added since;
        read in full when rows were deleted or the conversation is not in memory."""
        entry = self._cache.get(sender_id)
        if entry is not None:
            added = self._select_rows(session, sender_id, entry.last_id)
            table = self._table
            count, max_timestamp = session.execute(
                sa.select(sa.func.count(), sa.func.max(table.c.timestamp))
                .where(table.c.sender_id == sender_id, table.c.id <= entry.last_id)).one()
            if count == entry.count and max_timestamp == entry.max_timestamp:
                entry.extend(added)
                self._keep(sender_id, entry)
                return entry.rows
            logger.debug("Conversation %s changed in the database: read again", sender_id)
            self._cache.pop(sender_id, None)
        entry = _Entry()
        entry.extend(self._select_rows(session, sender_id))
        self._keep(sender_id, entry)
        return entry.rows

    def _keep(self, sender_id: str, entry: _Entry) -> None:
        if not entry.rows or entry.count > MAX_CACHED_EVENTS or self.cache_size == 0:
            self._cache.pop(sender_id, None)
            return
        self._cache[sender_id] = entry
        self._cache.move_to_end(sender_id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    async def _retrieve(self, sender_id: str,
                        fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            rows = self._fetch_since(session, sender_id)
        if not fetch_events_from_all_sessions:
            rows = latest_session(rows)
        events = [json.loads(row[3]) for row in rows]
        if self.domain and len(events) > 0:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    # --- writing -------------------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save: the events not yet stored (counted in the latest session, as
        SQLTrackerStore._additional_events does, on a fresh read) appended in order."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            held = self._cache.get(tracker.sender_id)
            rows = self._fetch_since(session, tracker.sender_id)
            if held is not None and self._cache.get(tracker.sender_id) is not held:
                # Rows this process had read are gone: the conversation was erased (the web
                # page's button, the command line, the purge) while this turn ran. Saving
                # would write every event of the turn's tracker back, the erased ones too.
                logger.info("Conversation %s effacée pendant le tour : rien n'est réécrit.",
                            tracker.sender_id)
                return
            stored = len(latest_session(rows))
            rows = []
            for event in list(tracker.events)[stored:]:
                data = event.as_dict()
                rows.append({
                    "sender_id": tracker.sender_id, "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
                    "action_name": data.get("name"), "data": json.dumps(data)})
            if rows:
                session.execute(self._table.insert(), rows)
            session.commit()

    def forget(self, sender_id: str | None = None) -> None:
        """Drops one conversation (or all) from memory; the database is untouched."""
        if sender_id is None:
            self._cache.clear()
        else:
            self._cache.pop(sender_id, None)

    def cached_conversations(self) -> list[str]:
        return list(self._cache)
