"""Copies the conversations of the SQLite tracker store (`make run`) into the PostgreSQL
tracker store of the scaled setup (`make run-scaled`).

    .venv/bin/python scripts/migrate_sqlite_to_postgres.py [--sqlite var/tracker.db]
        [--host 127.0.0.1] [--port 54329] [--user rasa]
        [--password-file var/scaled/secrets/postgres] [--db rasa] [--dry-run]

Both stores use Rasa's `events` table (one row per event, rasa/core/tracker_store.py); rows
are copied as they are, in their original order. A conversation already present in
PostgreSQL is left alone, so running the script twice copies nothing twice. Start
`make run-scaled` once first (it creates the database), or give another server.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runtime.scaled import DATABASE, EVENTS_SCHEMA, PG_PORT  # noqa: E402

COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
BATCH = 1000


def read_sqlite(path: Path) -> dict[str, list[tuple]]:
    """Every conversation's rows, in insertion order, by sender id."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            f"SELECT {', '.join(COLUMNS)} FROM events ORDER BY id").fetchall()
    finally:
        connection.close()
    conversations: dict[str, list[tuple]] = {}
    for row in rows:
        conversations.setdefault(row[0], []).append(row)
    return conversations


def migrate(sqlite_path: Path, dsn: dict, dry_run: bool = False) -> tuple[int, int, int]:
    """Returns (conversations copied, events copied, conversations already there)."""
    import psycopg2  # noqa: PLC0415 (installed with Rasa)
    from psycopg2.extras import execute_values  # noqa: PLC0415

    conversations = read_sqlite(sqlite_path)
    copied = events = skipped = 0
    with psycopg2.connect(**dsn) as connection, connection.cursor() as cursor:
        cursor.execute(EVENTS_SCHEMA)
        cursor.execute("SELECT DISTINCT sender_id FROM events")
        present = {row[0] for row in cursor.fetchall()}
        for sender, rows in conversations.items():
            if sender in present:
                skipped += 1
                continue
            copied += 1
            events += len(rows)
            if not dry_run:
                for start in range(0, len(rows), BATCH):
                    execute_values(
                        cursor, f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES %s",
                        rows[start:start + BATCH])
        if dry_run:
            connection.rollback()
    return copied, events, skipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", type=Path, default=ROOT / "var" / "tracker.db")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=PG_PORT)
    parser.add_argument("--user", default="rasa")
    parser.add_argument("--password-file", type=Path,
                        default=ROOT / "var" / "scaled" / "secrets" / "postgres")
    parser.add_argument("--db", default=DATABASE)
    parser.add_argument("--dry-run", action="store_true", help="compte sans rien écrire")
    args = parser.parse_args()
    if not args.sqlite.exists():
        print(f"Base SQLite introuvable : {args.sqlite}", file=sys.stderr)
        return 2
    try:
        password = args.password_file.read_text().strip()
    except OSError:
        print(f"Mot de passe PostgreSQL introuvable : {args.password_file} "
              "(lancez `make run-scaled` une première fois).", file=sys.stderr)
        return 2
    import psycopg2  # noqa: PLC0415

    dsn = {"host": args.host, "port": args.port, "user": args.user, "password": password,
           "dbname": args.db}
    try:
        copied, events, skipped = migrate(args.sqlite, dsn, args.dry_run)
    except (sqlite3.Error, psycopg2.Error) as error:
        print(f"Échec de la migration : {str(error).strip()}", file=sys.stderr)
        return 1
    verb = "seraient copiées" if args.dry_run else "copiées"
    print(f"{copied} conversations {verb} ({events} événements) ; "
          f"{skipped} déjà présentes, laissées telles quelles.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
