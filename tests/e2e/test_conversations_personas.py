"""Homeowners described by facts (tests/personas/*.yml) talk to the real servers: each must
end with the right profile in the tracker and the engine's total for its true profile in
the answer. The personas are written apart from the training data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from runtime.simulated_user import check_persona, run_persona

pytestmark = pytest.mark.e2e

PERSONA_DIR = Path(__file__).resolve().parents[1] / "personas"


def load_personas() -> list[dict]:
    personas = []
    for path in sorted(PERSONA_DIR.glob("*.yml")):
        personas += yaml.safe_load(path.read_text(encoding="utf-8"))
    return personas


PERSONAS = load_personas()


def test_there_are_at_least_forty_personas():
    assert len(PERSONAS) >= 40
    assert len({persona["id"] for persona in PERSONAS}) == len(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS, ids=[persona["id"] for persona in PERSONAS])
def test_persona_ends_with_the_right_profile_and_figures(rasa_stack, persona):
    headers = getattr(rasa_stack, "api_headers", None)
    run = run_persona(rasa_stack.base_url, f"persona-{persona['id']}", persona,
                      headers=headers() if callable(headers) else headers,
                      token=rasa_stack.token)
    problems = check_persona(run)
    assert not problems, f"{problems}\n{run.transcript()}"
