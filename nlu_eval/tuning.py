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
from pathlib import Path

import numpy as np
import scipy.sparse

from nlu_eval.heldout import (
    DEV_DIR,
    FIFTH_HELDOUT_DIR,
    FORMER_HELDOUT_DIR,
    FOURTH_HELDOUT_DIR,
    HELDOUT_DIR,
    SECOND_HELDOUT_DIR,
    THIRD_HELDOUT_DIR,
    load_heldout,
)

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
    baseline: bool = False  # the TF-IDF + LR baseline of nlu_eval/baseline.py instead
    # Trained on the faq sub-intents ("faq/eco_ptz"…) as classes, their probabilities summed
    # into "faq" at prediction: one big faq class otherwise pulls every "c'est quoi…".
    faq_keys: bool = False
    # "counts" as Rasa's featurizers give them; "tfidf": sublinear tf × idf over all columns,
    # rows scaled to unit length (long messages no longer outweigh short ones).
    weighting: str = "counts"


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
        # "tfidf_blocks": each featurizer's block weighed and scaled to unit length on its own.
        self.per_block = variant.weighting == "tfidf_blocks"

    def fit_transform(self, texts: list[str]) -> scipy.sparse.csr_matrix:
        blocks = [p.fit(texts).transform(texts) for p in self.parts]
        if self.per_block:
            from sklearn.feature_extraction.text import TfidfTransformer

            self.weights = [TfidfTransformer(sublinear_tf=True).fit(b) for b in blocks]
            blocks = [w.transform(b) for w, b in zip(self.weights, blocks, strict=True)]
        return scipy.sparse.hstack(blocks).tocsr()

    def transform(self, texts: list[str]) -> scipy.sparse.csr_matrix:
        blocks = [p.transform(texts) for p in self.parts]
        if self.per_block:
            blocks = [w.transform(b) for w, b in zip(self.weights, blocks, strict=True)]
        return scipy.sparse.hstack(blocks).tocsr()


def fit_predict(variant: Variant, train: tuple[list[str], list[str]],
                test: list[str]) -> list[str]:
    from sklearn.linear_model import LogisticRegression

    if variant.baseline:
        from nlu_eval.baseline import build_pipeline

        baseline = build_pipeline().fit(*train)
        return [str(label).split("/", 1)[0] for label in baseline.predict(test)]
    features = Features(variant)
    x = features.fit_transform(train[0])
    weighting = None
    if variant.weighting == "tfidf":
        from sklearn.feature_extraction.text import TfidfTransformer

        weighting = TfidfTransformer(sublinear_tf=True).fit(x)
        x = weighting.transform(x)
    elif variant.weighting == "tfidf_noidf":
        from sklearn.feature_extraction.text import TfidfTransformer

        weighting = TfidfTransformer(sublinear_tf=True, use_idf=False).fit(x)
        x = weighting.transform(x)
    elif variant.weighting == "l2":
        from sklearn.preprocessing import Normalizer

        weighting = Normalizer().fit(x)
        x = weighting.transform(x)
    model = LogisticRegression(C=variant.c, max_iter=1000, random_state=42,
                               class_weight=variant.class_weight)
    model.fit(x, train[1])
    x_test = features.transform(test)
    if weighting is not None:
        x_test = weighting.transform(x_test)
    if not variant.faq_keys:
        return [str(label).split("/", 1)[0] for label in model.predict(x_test)]
    coarse = sorted({str(label).split("/", 1)[0] for label in model.classes_})
    columns = np.array([coarse.index(str(label).split("/", 1)[0]) for label in model.classes_])
    fine = model.predict_proba(x_test)
    summed = np.zeros((fine.shape[0], len(coarse)))
    np.add.at(summed.T, columns, fine.T)
    return [coarse[i] for i in summed.argmax(axis=1)]


def training_set(sub_intents: bool = False) -> tuple[list[str], list[str]]:
    """Intent examples of data/nlu with their coarse intent (faq as one), as Rasa trains;
    with sub_intents, "faq/<key>" labels as the baseline trains."""
    from rasa.shared.nlu.training_data.loading import load_data

    from nlu_eval.heldout import ROOT

    data = load_data(str(ROOT / "data" / "nlu"), language="fr")
    pairs = [(e.get("text"), (sub_intents and e.get("intent_response_key")) or e.get("intent"))
             for e in data.intent_examples if e.get("text") and e.get("intent")]
    return [t for t, _ in pairs], [i for _, i in pairs]


def cross_validate(variant: Variant, texts: list[str], labels: list[str],
                   folds: int = 5, fine: list[str] | None = None) -> tuple[float, float]:
    """Stratified on the coarse labels; trained on `fine` (faq sub-intents) when given."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    predicted = [""] * len(texts)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=42)
    for train_index, test_index in splitter.split(texts, labels):
        found = fit_predict(variant, ([texts[i] for i in train_index],
                                      [(fine or labels)[i] for i in train_index]),
                            [texts[i] for i in test_index])
        for i, label in zip(test_index, found, strict=True):
            predicted[i] = label
    accuracy = sum(p == g for p, g in zip(predicted, labels, strict=True)) / len(labels)
    return accuracy, float(f1_score(labels, predicted, average="macro"))


def dev_scores(variant: Variant, train: tuple[list[str], list[str]],
               directory: Path = DEV_DIR) -> dict:
    messages = load_heldout(directory)
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


def run(variants: list[Variant], cv: bool = True, show_errors: bool = False,
        sets: tuple[str, ...] = ("dev",)) -> None:
    coarse, fine = training_set(), training_set(sub_intents=True)
    former = FORMER_HELDOUT_DIR if FORMER_HELDOUT_DIR.is_dir() else HELDOUT_DIR
    # The earlier held-out sets, each measured once then read (development data, in DEV_DIR).
    directories = {"dev": DEV_DIR, "old": former, "v2": SECOND_HELDOUT_DIR,
                   "v3": THIRD_HELDOUT_DIR, "v4": FOURTH_HELDOUT_DIR, "v5": FIFTH_HELDOUT_DIR}
    for variant in variants:
        started = time.perf_counter()
        train = fine if variant.baseline or variant.faq_keys else coarse
        line = f"{variant.name:28s}"
        wrong = []
        for name in sets:
            scores = dev_scores(variant, train, directories[name])
            line += f" {name} {scores['accuracy']:.3f} multi {scores['multi']:>6s}"
            wrong += [(name, *item) for item in scores["wrong"]]
        if cv:
            accuracy, macro = cross_validate(variant, *coarse,
                                             fine=fine[1] if variant.faq_keys else None)
            line += f"  CV acc {accuracy:.3f} macro-F1 {macro:.3f}"
        print(f"{line}  ({time.perf_counter() - started:.0f} s)", flush=True)
        if show_errors:
            for name, text, gold, found in wrong:
                print(f"    {name} {gold:>16s} -> {found:16s} {text}")


def main() -> None:
    from nlu_eval.variants import VARIANTS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated variant names")
    parser.add_argument("--no-cv", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print the dev errors")
    parser.add_argument("--sets", default="dev",
                        help="dev (all of it), or one earlier held-out set: old, v2, v3, v4, v5")
    args = parser.parse_args()
    chosen = [v for v in VARIANTS if not args.only or v.name in args.only.split(",")]
    run(chosen, cv=not args.no_cv, show_errors=args.errors, sets=tuple(args.sets.split(",")))


if __name__ == "__main__":
    main()
