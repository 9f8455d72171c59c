"""Fake tracker and dispatcher for the custom actions (as RasaHQ financial-demo does):
`Tracker.from_dict` over a list of events, `CollectingDispatcher`, and the real domain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parents[2]
SLOT_NAMES = tuple(yaml.safe_load((ROOT / "domain.yml").read_text())["slots"])


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def user_event(text: str, intent: str = "inform", entities: list[dict] | None = None) -> dict:
    return {"event": "user", "text": text,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9},
                           "entities": entities or [], "text": text}}


def slot_event(name: str, value: Any) -> dict:
    return {"event": "slot", "name": name, "value": value}


def make_tracker(
    text: str = "",
    intent: str = "inform",
    entities: list[dict] | None = None,
    before: dict[str, Any] | None = None,
    candidates: dict[str, Any] | None = None,
    requested_slot: str | None = None,
    active_loop: str | None = "profile_form",
    history: list[dict] | None = None,
) -> Tracker:
    """A tracker as the form sends it to validate_profile_form: slot values set in earlier
    turns (`before`), the latest user message, then this turn's slot candidates."""
    before = before or {}
    candidates = candidates or {}
    events: list[dict] = list(history or [])
    events += [slot_event(name, value) for name, value in before.items()]
    if requested_slot:
        events.append(slot_event("requested_slot", requested_slot))
    latest = user_event(text, intent, entities)
    events.append(latest)
    events.append(slot_event("requested_slot", requested_slot))
    events.append({"event": "action", "name": "profile_form"})
    events += [slot_event(name, value) for name, value in candidates.items()]
    slots = {name: None for name in SLOT_NAMES}
    slots.update(before)
    slots.update(candidates)
    slots["requested_slot"] = requested_slot
    return Tracker.from_dict({
        "sender_id": "test",
        "slots": slots,
        "latest_message": latest["parse_data"],
        "events": events,
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": "action_listen",
    })


def texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(message.get("text") or "" for message in dispatcher.messages)


def slot_sets(events: list[dict]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}
