"""NLU speed changes (docs/performance.md section 9): nlu/intent_classifier.py builds each
message's feature row once instead of three times, runtime/rasa_patches.py calls the
ResponseSelector's traced graph directly. The trained model must understand every message
exactly as Rasa as shipped does (the stock feature matrix, no patch) — same intent
and confidences, same ranking, same entities, same FAQ answer and its confidence — on
development and held-out messages (never trained on)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from runtime import rasa_patches
from runtime.train import ensure_model

SETS = [Path(__file__).resolve().parents[1] / "nlu" / name for name in ("dev", "heldout")]


def sample() -> list[str]:
    texts = [str(item["text"]) for folder in SETS for path in sorted(folder.glob("*.yml"))
             for item in yaml.safe_load(path.read_text("utf-8")) or []]
    # A third of each file's messages (every kind of message, in a minute) and odd input.
    return texts[::3] + ["🙂🙂🙂", "?!", "x" * 2000]


def understood(agent, texts: list[str]) -> list[tuple]:
    async def parse_all() -> list[dict]:
        return [await agent.parse_message(text) for text in texts]

    result = []
    for parsed in asyncio.run(parse_all()):
        selected = parsed.get("response_selector", {}).get("faq", {})
        result.append((
            parsed["text"], parsed["intent"]["name"], parsed["intent"]["confidence"],
            [(r["name"], r["confidence"]) for r in parsed.get("intent_ranking", [])],
            [(e["entity"], e["value"], e.get("role"), e["start"], e["end"])
             for e in parsed.get("entities", [])],
            selected.get("response", {}).get("intent_response_key"),
            [(r["intent_response_key"], r["confidence"]) for r in selected.get("ranking", [])],
        ))
    return result


def use_stock_classifier(agent, stock: bool) -> None:
    """The feature matrix as Rasa's own _create_X builds it (the component's former way, with
    its tf-idf weighting and faq sub-intents, which Rasa's stock process does not have) on the
    loaded component (a graph node keeps its function)."""
    from nlu.intent_classifier import SafeLogisticRegressionClassifier as Safe  # noqa: PLC0415

    found = 0
    for node in agent.processor.graph_runner._instantiated_nodes.values():
        if isinstance(node._component, Safe) and node._fn_name == "process":
            node._fn = Safe._former_process if stock else Safe.process
            found += 1
    assert found == 1


@pytest.fixture(scope="module")
def agent():
    from rasa.core.agent import Agent  # noqa: PLC0415

    return Agent.load(str(ensure_model(quiet=True)))


def test_the_faster_nlu_understands_every_message_exactly_as_rasa_as_shipped(agent,
                                                                            monkeypatch):
    from rasa.utils.tensorflow.models import RasaModel  # noqa: PLC0415

    texts = sample()
    assert len(texts) > 200
    shipped_predict = getattr(RasaModel._rasa_predict, "shipped", RasaModel._rasa_predict)
    RasaModel._rasa_predict = shipped_predict
    use_stock_classifier(agent, stock=True)
    try:
        stock = understood(agent, texts)
    finally:
        use_stock_classifier(agent, stock=False)
    rasa_patches.call_predict_graph_directly()
    assert RasaModel._rasa_predict is not shipped_predict  # the patch is in place
    try:
        ours = understood(agent, texts)
    finally:
        RasaModel._rasa_predict = shipped_predict
    assert len({intent for _, intent, *_ in stock}) > 5  # several kinds of message
    assert any(entities for *_, entities, _ in stock)
    assert any(faq for *_, faq, _ in stock)
    assert ours == stock  # exact floats, not only to 1e-6
    # The former way, kept for before/after benchmarks, answers the same too.
    monkeypatch.setenv(rasa_patches.UNPATCHED_VARIABLE, "classifier_rows")
    assert understood(agent, texts[:60]) == stock[:60]


@pytest.mark.parametrize("text", ["", "   "])
def test_a_message_without_words_still_falls_back(agent, text):
    parsed = asyncio.run(agent.parse_message(text))
    assert parsed["intent"]["name"] == "nlu_fallback"
