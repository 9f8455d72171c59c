"""runtime/fast_model_load.py builds the ResponseSelector's weights eagerly at load time: the
trained model must answer exactly as when Rasa loads it as shipped (same intent, same FAQ
answer, same confidences)."""

from __future__ import annotations

import asyncio

import pytest

from runtime import fast_model_load
from runtime.train import ensure_model

QUESTIONS = ["c'est quoi l'éco-PTZ ?", "qui peut avoir MaPrimeRénov ?",
             "combien coûte une pompe à chaleur", "bonjour", "c'est quoi un audit énergétique"]


def answers(model) -> list[tuple]:
    from rasa.core.agent import Agent  # noqa: PLC0415

    agent = Agent.load(str(model))

    async def parse_all() -> list[dict]:
        return [await agent.parse_message(text) for text in QUESTIONS]

    result = []
    for parsed in asyncio.run(parse_all()):
        selected = parsed.get("response_selector", {}).get("faq", {})
        ranking = [(r["intent_response_key"], round(r["confidence"], 6))
                   for r in selected.get("ranking", [])]
        result.append((parsed["intent"]["name"], round(parsed["intent"]["confidence"], 6),
                       ranking))
    return result


@pytest.fixture(scope="module")
def model():
    return ensure_model(quiet=True)


def test_a_model_loaded_with_the_eager_build_answers_exactly_as_shipped(model):
    fast_model_load.undo()
    shipped = answers(model)
    fast_model_load.apply()
    try:
        patched = answers(model)
    finally:
        fast_model_load.undo()
    assert any(ranking for _, _, ranking in shipped)  # the FAQ selector did answer
    assert patched == shipped
