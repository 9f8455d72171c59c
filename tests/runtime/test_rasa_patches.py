"""The kept validator of action server responses (runtime/rasa_patches.py) accepts and
refuses exactly what Rasa's own check does, with Rasa's message: only the speed changes."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError

from runtime import rasa_patches

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "postal_code", "value": "80000"},
                {"event": "active_loop", "name": None}],
     "responses": [{"text": "Merci, c'est noté : 80000."}]},
]
INVALID = [
    {"events": [{"event": "slot", "name": 3, "value": "80000"}], "responses": []},
    {"events": [{"event": "slot"}], "responses": []},
    {"events": "pas une liste", "responses": []},
    {"events": [], "responses": ["pas un objet"]},
]


def outcome(result: dict) -> str:
    from rasa.core.actions.action import RemoteAction  # noqa: PLC0415

    action = RemoteAction.__new__(RemoteAction)  # the check uses no instance state
    try:
        return "ok" if action._validate_action_result(result) else "faux"
    except ValidationError as error:
        return error.message


@pytest.fixture(scope="module")
def shipped_and_patched() -> tuple[list[str], list[str]]:
    from rasa.core.actions.action import RemoteAction  # noqa: PLC0415

    original = RemoteAction._validate_action_result
    cases = VALID + INVALID
    shipped = [outcome(case) for case in cases]
    rasa_patches.cache_action_result_schema()
    try:
        patched = [outcome(case) for case in cases]
    finally:
        RemoteAction._validate_action_result = original  # type: ignore[method-assign]
    return shipped, patched


def test_valid_answers_of_the_action_server_are_accepted(shipped_and_patched):
    _shipped, patched = shipped_and_patched
    assert patched[: len(VALID)] == ["ok"] * len(VALID)


def test_invalid_answers_are_refused_with_rasas_message(shipped_and_patched):
    shipped, patched = shipped_and_patched
    refused = patched[len(VALID):]
    assert all("Failed to validate Action server response" in message for message in refused)
    assert patched == shipped


# --- Event classes found once per type name ------------------------------------------------

def resolutions(resolve) -> list[object]:
    from rasa.shared.core.events import Event, UserUttered  # noqa: PLC0415
    from rasa.shared.utils.common import all_subclasses  # noqa: PLC0415

    outcomes: list[object] = [resolve(cls.type_name) for cls in all_subclasses(Event)]
    outcomes.append(resolve("topic"))  # Rasa's backwards compatibility: None
    outcomes.append(resolve("pas un événement", UserUttered))  # the default
    try:
        resolve("pas un événement")
    except ValueError as error:
        outcomes.append(str(error))
    return outcomes


def test_event_classes_are_resolved_as_rasa_does():
    from rasa.shared.core.events import Event  # noqa: PLC0415

    shipped = Event.resolve_by_type
    expected = resolutions(shipped)
    rasa_patches.cache_event_classes()
    try:
        assert Event.resolve_by_type is not shipped
        assert resolutions(Event.resolve_by_type) == expected
        assert expected[-1] == "Unknown event name 'pas un événement'."
    finally:
        Event.resolve_by_type = staticmethod(shipped)  # type: ignore[method-assign]


def test_a_stored_conversation_reads_back_the_same_with_the_kept_classes():
    from rasa.shared.core.events import (  # noqa: PLC0415
        ActionExecuted,
        Event,
        SlotSet,
        UserUttered,
    )

    stored = [event.as_dict() for event in (
        ActionExecuted("action_listen"),
        UserUttered("j'habite à Amiens", {"name": "inform", "confidence": 0.9}),
        SlotSet("postal_code", "80000"))]
    shipped = Event.resolve_by_type
    before = [Event.from_parameters(data) for data in stored]
    rasa_patches.cache_event_classes()
    try:
        assert [Event.from_parameters(data) for data in stored] == before
    finally:
        Event.resolve_by_type = staticmethod(shipped)  # type: ignore[method-assign]
