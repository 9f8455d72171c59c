"""Fast tuning of the intent classifier: a scikit-learn replica of the chosen pipeline.

A Rasa training takes minutes on the shared machine; this replica (same features as
config.yml — word 1–2 and char_wb 2–4 counts, the catalogue cues — and the same logistic
regression) trains in seconds, so ideas can be measured on the DEVELOPMENT set
(tests/nlu/dev/) and by 5-fold cross-validation on the training data. The held-out set is not
read here: it is measured only by `make nlu-report`, on real Rasa models.

    .venv/bin/python -m nlu_eval.tuning            # every variant: dev accuracy + 5-fold CV

Each variant's figures are printed; the ones kept are carried into nlu/ and config.yml and then
measured for real by scripts/nlu_compare.py.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse

from nlu_eval.heldout import DEV_DIR, load_heldout

TOKEN = re.compile(r"[^\s.,;:!?()\"«»]+")


def tokens(text: str) -> list[tuple[int, int]]:
    """Token spans much as Rasa's WhitespaceTokenizer cuts them (punctuation dropped)."""
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)]


def token_text(text: str) -> str:
    return " ".join(text[s:e] for s, e in tokens(text)).lower()


@dataclass
class Variant:
    name: str
    extra: list[Callable[[], object]] = field(default_factory=list)  # more sklearn vectorisers
    cues: bool = True
    cue_weight: float = 1.0
    c: float = 1.0
    class_weight: str | None = "balanced"  # as Rasa's LogisticRegressionClassifier


class CueVectoriser:
    """The sentence-level catalogue cues of nlu/cue_featurizer.py (no fitting)."""

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight
        self._cache: dict[str, np.ndarray] = {}

    def fit(self, texts: list[str]) -> CueVectoriser:
        return self

    def transform(self, texts: list[str]) -> scipy.sparse.csr_matrix:
        from nlu.cue_featurizer import cue_features

        rows = []
        for text in texts:
            if text not in self._cache:
                spans = tokens(text) or [(0, 0)]
                self._cache[text] = cue_features(text, spans)[1][0]
            rows.append(self._cache[text] * self.weight)
        return scipy.sparse.csr_matrix(np.vstack(rows))


class Features:
    def __init__(self, variant: Variant) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        self.parts: list = [
            CountVectorizer(analyzer="word", ngram_range=(1, 2), max_features=4000,
                            preprocessor=token_text),
            CountVectorizer(analyzer="char_wb", ngram_range=(2, 4), max_features=10000,
                            preprocessor=token_text),
            *[make() for make in variant.extra],
        ]
        if variant.cues:
            self.parts.append(CueVectoriser(variant.cue_weight))

    def fit_transform(self, texts: list[str]) -> scipy.sparse.csr_matrix:
        return scipy.sparse.hstack([p.fit(texts).transform(texts) for p in self.parts]).tocsr()

    def transform(self, texts: list[str]) -> scipy.sparse.csr_matrix:
        return scipy.sparse.hstack([p.transform(texts) for p in self.parts]).tocsr()


def fit_predict(variant: Variant, train: tuple[list[str], list[str]],
                test: list[str]) -> list[str]:
    from sklearn.linear_model import LogisticRegression

    features = Features(variant)
    x = features.fit_transform(train[0])
    model = LogisticRegression(C=variant.c, max_iter=1000, random_state=42,
                               class_weight=variant.class_weight)
    model.fit(x, train[1])
    return list(model.predict(features.transform(test)))


def training_set() -> tuple[list[str], list[str]]:
    """Intent examples of data/nlu with their coarse intent (faq as one), as Rasa trains."""
    from rasa.shared.nlu.training_data.loading import load_data

    from nlu_eval.heldout import ROOT

    data = load_data(str(ROOT / "data" / "nlu"), language="fr")
    pairs = [(e.get("text"), e.get("intent")) for e in data.intent_examples
             if e.get("text") and e.get("intent")]
    return [t for t, _ in pairs], [i for _, i in pairs]


def cross_validate(variant: Variant, texts: list[str], labels: list[str],
                   folds: int = 5) -> tuple[float, float]:
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    predicted = [""] * len(texts)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=42)
    for train_index, test_index in splitter.split(texts, labels):
        found = fit_predict(variant, ([texts[i] for i in train_index],
                                      [labels[i] for i in train_index]),
                            [texts[i] for i in test_index])
        for i, label in zip(test_index, found, strict=True):
            predicted[i] = label
    accuracy = sum(p == g for p, g in zip(predicted, labels, strict=True)) / len(labels)
    return accuracy, float(f1_score(labels, predicted, average="macro"))


def dev_scores(variant: Variant, train: tuple[list[str], list[str]]) -> dict:
    messages = load_heldout(DEV_DIR)
    found = fit_predict(variant, train, [m.text for m in messages])
    multi = [(m, f) for m, f in zip(messages, found, strict=True)
             if m.intent in ("ask_subsidies", "ask_savings", "find_craftsman", "contact_advisor")
             and len(m.entities) >= 3]
    errors = Counter((m.base_intent, f) for m, f in zip(messages, found, strict=True)
                     if m.base_intent != f)
    return {
        "accuracy": sum(m.base_intent == f for m, f in zip(messages, found, strict=True))
        / len(messages),
        "multi": f"{sum(m.intent == f for m, f in multi)}/{len(multi)}",
        "errors": errors.most_common(6),
        "wrong": [(m.text, m.base_intent, f) for m, f in zip(messages, found, strict=True)
                  if m.base_intent != f],
    }


def run(variants: list[Variant], cv: bool = True, show_errors: bool = False) -> None:
    train = training_set()
    for variant in variants:
        started = time.perf_counter()
        dev = dev_scores(variant, train)
        line = f"{variant.name:28s} dev {dev['accuracy']:.3f} multi {dev['multi']:>6s}"
        if cv:
            accuracy, macro = cross_validate(variant, *train)
            line += f"  CV acc {accuracy:.3f} macro-F1 {macro:.3f}"
        print(f"{line}  ({time.perf_counter() - started:.0f} s)  {dev['errors']}", flush=True)
        if show_errors:
            for text, gold, found in dev["wrong"]:
                print(f"    {gold:>16s} -> {found:16s} {text}")


def main() -> None:
    from nlu_eval.variants import VARIANTS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated variant names")
    parser.add_argument("--no-cv", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print the dev errors")
    args = parser.parse_args()
    chosen = [v for v in VARIANTS if not args.only or v.name in args.only.split(",")]
    run(chosen, cv=not args.no_cv, show_errors=args.errors)


if __name__ == "__main__":
    main()
