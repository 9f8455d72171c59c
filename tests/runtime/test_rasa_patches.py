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
