"""Scores of one set of predictions on the held-out set (intent, faq sub-intent, entities)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from nlu_eval.heldout import CATEGORICAL, NUMERIC, QUESTIONS, EntityKey, HeldoutMessage

FALLBACK = "nlu_fallback"


@dataclass
class Prediction:
    intent: str  # top intent of the classifier (before the FallbackClassifier)
    confidence: float
    faq_key: str | None = None  # "faq/<sub-intent>" chosen by the ResponseSelector
    entities: tuple[EntityKey, ...] = field(default_factory=tuple)
    seconds: float = 0.0


def _f1(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}


def entity_scores(messages: list[HeldoutMessage], predictions: list[Prediction]) -> dict:
    """P/R/F1 per entity name (value and role must match), and micro for each target group."""
    counts: dict[str, Counter] = {}
    for message, prediction in zip(messages, predictions, strict=True):
        gold, found = Counter(message.entities), Counter(prediction.entities)
        for key in set(gold) | set(found):
            name = key[0]
            tally = counts.setdefault(name, Counter())
            hit = min(gold[key], found[key])
            tally["tp"] += hit
            tally["fp"] += found[key] - hit
            tally["fn"] += gold[key] - hit
    per_entity = {name: _f1(c["tp"], c["fp"], c["fn"]) for name, c in sorted(counts.items())}

    def group(names: tuple[str, ...]) -> dict[str, float]:
        total = Counter()
        for name in names:
            total.update(counts.get(name, Counter()))
        return _f1(total["tp"], total["fp"], total["fn"])

    return {"per_entity": per_entity, "categorical": group(CATEGORICAL),
            "numeric": group(NUMERIC)}


def intent_scores(messages: list[HeldoutMessage], predictions: list[Prediction]) -> dict:
    gold = [m.base_intent for m in messages]
    found = [p.intent for p in predictions]
    labels = sorted(set(gold))
    per_intent = {}
    for label in labels:
        tp = sum(g == label and f == label for g, f in zip(gold, found, strict=True))
        fp = sum(g != label and f == label for g, f in zip(gold, found, strict=True))
        fn = sum(g == label and f != label for g, f in zip(gold, found, strict=True))
        per_intent[label] = _f1(tp, fp, fn)
    accuracy = sum(g == f for g, f in zip(gold, found, strict=True)) / len(gold)
    macro_f1 = sum(v["f1"] for v in per_intent.values()) / len(per_intent)
    faq = [(m, p) for m, p in zip(messages, predictions, strict=True) if m.base_intent == "faq"]
    faq_accuracy = sum(p.faq_key == m.intent for m, p in faq) / len(faq) if faq else 0.0
    multi = [(m, p) for m, p in zip(messages, predictions, strict=True)
             if m.intent in QUESTIONS and len(m.entities) >= 3]
    errors = Counter((g, f) for g, f in zip(gold, found, strict=True) if g != f)
    return {
        "accuracy": accuracy, "macro_f1": macro_f1, "per_intent": per_intent,
        "faq_accuracy": faq_accuracy, "faq_support": len(faq),
        "multi_fact_accuracy": (sum(p.intent == m.intent for m, p in multi) / len(multi)
                                if multi else 0.0),
        "multi_fact_support": len(multi),
        "confusions": [[g, f, n] for (g, f), n in errors.most_common(15)],
    }


def fallback_table(messages: list[HeldoutMessage], predictions: list[Prediction],
                   thresholds: tuple[float, ...] = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5,
                                                    0.6, 0.7)) -> list[dict]:
    """For each threshold: share of messages that would fall back, accuracy of the others."""
    rows = []
    pairs = list(zip(messages, predictions, strict=True))
    for threshold in thresholds:
        kept = [(m, p) for m, p in pairs if p.confidence >= threshold]
        rows.append({
            "threshold": threshold,
            "fallback_share": 1 - len(kept) / len(messages),
            "kept_accuracy": (sum(p.intent == m.base_intent for m, p in kept) / len(kept)
                              if kept else 0.0),
            "correct_lost": sum(p.intent == m.base_intent and p.confidence < threshold
                                for m, p in pairs) / len(messages),
        })
    return rows


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def full_report(messages: list[HeldoutMessage], predictions: list[Prediction]) -> dict:
    seconds = [p.seconds for p in predictions]
    return {
        "messages": len(messages),
        "intent": intent_scores(messages, predictions),
        "entities": entity_scores(messages, predictions),
        "fallback": fallback_table(messages, predictions),
        "parse_ms_p50": 1000 * percentile(seconds, 0.5),
        "parse_ms_p95": 1000 * percentile(seconds, 0.95),
    }
