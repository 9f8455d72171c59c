"""Parse the held-out set with a trained Rasa model, in-process (latency without HTTP)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from nlu_eval.heldout import EntityKey, HeldoutMessage, entity_key
from nlu_eval.metrics import FALLBACK, Prediction


def rss_mb() -> float:
    """Resident memory of this process (what a server holding the model would keep)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def to_prediction(result: dict, seconds: float = 0.0) -> Prediction:
    """Top intent before the FallbackClassifier, faq sub-intent and normalised entities."""
    ranking = [r for r in result.get("intent_ranking") or [] if r.get("name") != FALLBACK]
    top = ranking[0] if ranking else (result.get("intent") or {})
    selector = (result.get("response_selector") or {}).get("faq") or {}
    faq_key = (selector.get("response") or {}).get("intent_response_key")
    keys: list[EntityKey] = []
    for entity in result.get("entities") or []:
        name, value, role = entity.get("entity", ""), entity.get("value", ""), entity.get("role")
        if name == "reference_income" and role == "monthly" and isinstance(value, (int, float)):
            # The test sets label a monthly pay as written ("2000 par mois" -> 2000, the
            # domain has no "monthly" role); the extractor gives the year (24000, "monthly").
            value, role = value / 12, None
        key = entity_key(name, value, role)
        if key not in keys:  # two extractors agreeing fill the slot once
            keys.append(key)
    return Prediction(intent=str(top.get("name")), confidence=float(top.get("confidence") or 0),
                      faq_key=faq_key, entities=tuple(keys), seconds=seconds)


class LoadedModel:
    """A trained model (.tar.gz) loaded the way the Rasa server loads it."""

    def __init__(self, model_path: Path) -> None:
        from rasa.core.agent import Agent

        started = time.perf_counter()
        self.agent = Agent.load(str(model_path))
        self.load_seconds = time.perf_counter() - started
        self._loop = asyncio.new_event_loop()

    def parse(self, text: str) -> dict:
        return self._loop.run_until_complete(self.agent.parse_message(text))

    def predict(self, messages: list[HeldoutMessage]) -> list[Prediction]:
        self.parse("bonjour")  # first call warms the graph; not counted
        predictions = []
        for message in messages:
            started = time.perf_counter()
            result = self.parse(message.text)
            predictions.append(to_prediction(result, time.perf_counter() - started))
        return predictions
