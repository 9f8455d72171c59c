"""Reading and writing a conversation's tracker: Rasa's SQLTrackerStore against ours
(runtime/tracker_store.py), on real form conversations, in this process, without profiler.

The conversations come from `benchmarks/profile_turn.py --keep-db conv.db` (a real agent and
action server filled the profile form to an aids estimate). For each stored conversation:
  read   `retrieve()` of the whole conversation (what Rasa does at each message), 50 times;
  write  `save()` of the last turn's events (the conversation stored without its last turn,
         then saved whole: what Rasa does at the end of each message), 30 times;
each with Rasa's store as shipped, with Rasa's store and the event class patch
(runtime/rasa_patches.py), and with ours (which is used with the patch). Usage:
  .venv/bin/python benchmarks/bench_tracker_store.py conv.db
Prints medians in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

READS = 50
WRITES = 30
TURN_EVENTS = 9  # about one form turn: user, slots, action, bot messages, listen


def copy_db(source: Path, target: Path, keep: dict[str, int] | None = None) -> None:
    """A copy of the conversations (only the first `keep[sender]` events of each), in
    SQLite's default journal mode, as Rasa creates it (ours switches it to WAL)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    with sqlite3.connect(target) as dst:
        dst.execute("PRAGMA journal_mode=DELETE")
    if keep:
        with sqlite3.connect(target) as dst:
            for sender, count in keep.items():
                dst.execute("DELETE FROM events WHERE sender_id = ? AND id NOT IN (SELECT id "
                            "FROM events WHERE sender_id = ? ORDER BY id LIMIT ?)",
                            (sender, sender, count))


def make_store(kind: str, db: Path, domain):  # noqa: ANN001, ANN201
    from rasa.core.tracker_store import SQLTrackerStore  # noqa: PLC0415

    from runtime.tracker_store import CachedSQLTrackerStore  # noqa: PLC0415

    cls = CachedSQLTrackerStore if kind == "ours" else SQLTrackerStore
    return cls(domain=domain, dialect="sqlite", db=str(db))


async def measure(kind: str, source: Path, workdir: Path, domain) -> dict[str, float]:  # noqa: ANN001
    from rasa.shared.core.events import Event  # noqa: PLC0415

    from runtime import rasa_patches  # noqa: PLC0415

    shipped = Event.resolve_by_type
    if kind != "rasa":
        rasa_patches.cache_event_classes()
    try:
        db = workdir / f"{kind}.db"
        copy_db(source, db)
        store = make_store(kind, db, domain)
        senders = sorted(await store.keys())
        reads = []
        trackers = {}
        for sender in senders:
            for _ in range(READS):
                started = time.perf_counter()
                trackers[sender] = await store.retrieve(sender)
                reads.append(time.perf_counter() - started)
        writes = []
        for _ in range(WRITES):
            keep = {sender: len(trackers[sender].events) - TURN_EVENTS for sender in senders}
            store.engine.dispose()
            copy_db(source, db, keep)
            store = make_store(kind, db, domain)
            for sender in senders:
                await store.retrieve(sender)  # as Rasa: read at the start of the turn
                started = time.perf_counter()
                await store.save(trackers[sender])
                writes.append(time.perf_counter() - started)
        check = make_store("rasa", db, domain)
        for sender in senders:  # what was written is what was read
            again = await check.retrieve(sender)
            assert [e.as_dict() for e in again.events] == [
                e.as_dict() for e in trackers[sender].events], sender
        return {"read": statistics.median(reads) * 1000,
                "write": statistics.median(writes) * 1000,
                "events": statistics.median(len(t.events) for t in trackers.values())}
    finally:
        Event.resolve_by_type = staticmethod(shipped)  # type: ignore[method-assign]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="from profile_turn.py --keep-db")
    parser.add_argument("--domain", type=Path, default=Path("domain.yml"))
    args = parser.parse_args()
    from rasa.shared.core.domain import Domain  # noqa: PLC0415

    domain = Domain.load(str(args.domain))
    workdir = Path(tempfile.mkdtemp(prefix="bench-tracker-"))
    try:
        print(f"Conversations de {args.db} ; médianes en ms (lecture : {READS} fois, "
              f"écriture d'un tour de {TURN_EVENTS} événements : {WRITES} fois)")
        for kind, label in (("rasa", "SQLTrackerStore de Rasa"),
                            ("rasa+patch", "SQLTrackerStore + classes d'événements gardées"),
                            ("ours", "le nôtre (runtime/tracker_store.py)")):
            figures = asyncio.run(measure(kind, args.db, workdir, domain))
            print(f"  {label:<48} lecture {figures['read']:6.2f}  "
                  f"écriture {figures['write']:6.2f}  ({figures['events']:.0f} événements)",
                  flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
