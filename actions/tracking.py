"""Small read helpers over a rasa_sdk Tracker (events are plain dicts)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text")
    return text if isinstance(text, str) else ""


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    for item in (tracker.latest_message or {}).get("entities") or []:
        if item.get("entity") == entity and isinstance(item.get("value"), str):
            return item["value"]
    return None


def previous_value(tracker: Tracker, slot: str) -> Any:
    """The slot's value before the latest user message (what a correction replaces)."""
    events = tracker.events or []
    last_user = max((i for i, event in enumerate(events) if event.get("event") == "user"),
                    default=len(events))
    value = None
    for event in events[:last_user]:
        if event.get("event") == "slot" and event.get("name") == slot:
            value = event.get("value")
        elif event.get("event") == "restart":
            value = None
    return value


def consecutive_intents(tracker: Tracker, intent: str) -> int:
    """How many of the last user messages in a row had `intent`."""
    count = 0
    for event in reversed(tracker.events or []):
        if event.get("event") != "user":
            continue
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") != intent:
            break
        count += 1
    return count
