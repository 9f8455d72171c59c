"""The operator's dashboard figures, aggregated from Rasa's SQL tracker store (`events`) and
the outbox, with no personal data: counts only, communes by name, and the last unmatched
messages with every number and e-mail address masked (incomes, phones, addresses)."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import time
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.profile import WORK_LABELS_FR

GOALS_FR = {"aids": "Aides", "savings": "Économies", "craftsmen": "Artisans RGE",
            "advisor": "Conseiller"}
GOAL_INTENTS = {"ask_subsidies": "aids", "ask_savings": "savings", "find_craftsman": "craftsmen",
                "contact_advisor": "advisor", "request_callback": "advisor"}
UNMATCHED_INTENTS = {"out_of_scope", "nlu_fallback"}
STATES_FR = {"pending": "en attente", "sending": "en cours d'envoi", "sent": "transmise",
             "rejected": "refusée", "failed": "abandonnée", "withdrawn": "annulée"}
_EMAIL = re.compile(r"\S+@\S+")
_DIGITS = re.compile(r"\d[\d\s.,]*")


def mask(text: str, longest: int = 120) -> str:
    """A user's message with what could identify someone removed: e-mails and numbers."""
    text = _EMAIL.sub("[e-mail]", " ".join(text.split()))
    text = _DIGITS.sub("[nombre] ", text).replace("  ", " ").strip()
    return text if len(text) <= longest else text[:longest - 1] + "…"


def _commune_names(codes: Counter) -> list[dict[str, Any]]:
    try:
        from bot.geo.store import load_store  # the commune table; optional for the figures
        store = load_store()
        name = {code: store.by_insee[code].name for code in codes if code in store.by_insee}
    except Exception:  # the table missing must not hide the other figures
        name = {}
    return [{"insee_code": code, "name": name.get(code, code), "conversations": count}
            for code, count in codes.most_common(10)]


def aggregate(tracker_db: Path, handoff_db: Path | None = None, days: int = 30,
              now: float | None = None) -> dict[str, Any]:
    moment = time.time() if now is None else now
    since = moment - days * 86400
    per_day: Counter = Counter()
    goals: Counter = Counter()
    works: Counter = Counter()
    communes: Counter = Counter()
    messages = unmatched = 0
    last_unmatched: list[tuple[float, str]] = []
    first_seen: dict[str, float] = {}
    seen: dict[str, set] = {}
    if tracker_db.is_file():
        with closing(sqlite3.connect(f"file:{tracker_db}?mode=ro", uri=True)) as db:
            has = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'events'").fetchone()
            rows = db.execute(
                "SELECT sender_id, type_name, timestamp, intent_name, data FROM events "
                "WHERE timestamp >= ? AND type_name IN ('user', 'slot') ORDER BY timestamp",
                (since,)).fetchall() if has else []
        for sender, kind, stamp, intent, data in rows:
            first_seen.setdefault(sender, stamp)
            marks = seen.setdefault(sender, set())
            try:
                event = json.loads(data or "{}")
            except (TypeError, ValueError):  # a damaged row must not hide the others
                continue
            if not isinstance(event, dict):
                continue
            if kind == "user":
                messages += 1
                name = intent or (event.get("parse_data") or {}).get("intent", {}).get("name")
                if name in GOAL_INTENTS:
                    marks.add(("goal", GOAL_INTENTS[name]))
                if name in UNMATCHED_INTENTS:
                    unmatched += 1
                    last_unmatched.append((stamp, mask(event.get("text") or "")))
                for entity in (event.get("parse_data") or {}).get("entities", []):
                    if entity.get("entity") == "work_type" and not entity.get("role"):
                        marks.add(("work", entity.get("value")))
            elif event.get("name") == "goal" and event.get("value") in GOALS_FR:
                marks.add(("goal", event["value"]))
            elif event.get("name") == "works" and isinstance(event.get("value"), list):
                marks.update(("work", code) for code in event["value"] if isinstance(code, str))
            elif event.get("name") == "insee_code" and isinstance(event.get("value"), str):
                marks.add(("commune", event["value"]))
        for sender, stamp in first_seen.items():
            per_day[dt.date.fromtimestamp(stamp).isoformat()] += 1
            for what, value in seen[sender]:
                {"goal": goals, "work": works, "commune": communes}[what][value] += 1
    callbacks = _callbacks(handoff_db, since)
    return {
        "period_days": days,
        "conversations": len(first_seen),
        "conversations_per_day": sorted(per_day.items()),
        "goals": [{"goal": GOALS_FR[g], "conversations": goals[g]} for g in GOALS_FR],
        "works": [{"work": WORK_LABELS_FR.get(w, w), "conversations": n}
                  for w, n in works.most_common(10)],
        "communes": _commune_names(communes),
        "messages": messages,
        "unmatched": unmatched,
        "unmatched_rate": round(unmatched / messages, 3) if messages else 0.0,
        "last_unmatched": [text for _, text in sorted(last_unmatched)[-10:][::-1] if text],
        "callbacks": callbacks,
    }


def _callbacks(handoff_db: Path | None, since: float) -> list[dict[str, Any]]:
    if handoff_db is None or not Path(handoff_db).is_file():
        return []
    with closing(sqlite3.connect(f"file:{handoff_db}?mode=ro", uri=True)) as db:
        has = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'outbox'").fetchone()
        rows = db.execute(
            "SELECT desk, transport, state, COUNT(*) FROM outbox WHERE created >= ? "
            "GROUP BY desk, transport, state ORDER BY desk, transport, state",
            (since,)).fetchall() if has else []
    return [{"desk": desk, "transport": "e-mail" if transport == "smtp" else transport,
             "state": STATES_FR.get(state, state), "count": count}
            for desk, transport, state, count in rows]
