"""The TF-IDF + logistic-regression baseline (plain scikit-learn, same training examples)."""

from __future__ import annotations

import time
from pathlib import Path

from nlu_eval.heldout import ROOT, HeldoutMessage
from nlu_eval.metrics import Prediction


def training_examples(nlu_dir: Path = ROOT / "data" / "nlu") -> tuple[list[str], list[str]]:
    """(texts, labels) with "faq/<sub-intent>" labels, read by Rasa's own loader."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(nlu_dir), language="fr")
    texts, labels = [], []
    for example in data.intent_examples:
        if example.get("text"):
            texts.append(example.get("text"))
            key = example.get("intent_response_key") or example.get("intent")
            labels.append(str(key))
    return texts, labels


def build_pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
    )
    return make_pipeline(features, LogisticRegression(C=10, max_iter=2000))


def predict(messages: list[HeldoutMessage]) -> tuple[list[Prediction], float]:
    """Trains on data/nlu, predicts the held-out set; faq sub-intents are labels of their own."""
    texts, labels = training_examples()
    model = build_pipeline()
    started = time.perf_counter()
    model.fit(texts, labels)
    train_seconds = time.perf_counter() - started
    predictions = []
    for message in messages:
        started = time.perf_counter()
        probabilities = model.predict_proba([message.text])[0]
        seconds = time.perf_counter() - started
        best = int(probabilities.argmax())
        label = str(model.classes_[best])
        predictions.append(Prediction(
            intent=label.split("/", 1)[0], confidence=float(probabilities[best]),
            faq_key=label if label.startswith("faq/") else None, seconds=seconds))
    return predictions, train_seconds


def cross_validate(folds: int = 5) -> dict[str, float]:
    from sklearn.model_selection import StratifiedKFold
    from sklearn.model_selection import cross_validate as sk_cross_validate

    texts, labels = training_examples()
    coarse = [label.split("/", 1)[0] for label in labels]
    scores = sk_cross_validate(build_pipeline(), texts, coarse,
                               cv=StratifiedKFold(folds, shuffle=True, random_state=42),
                               scoring=("accuracy", "f1_macro"))
    return {"accuracy": float(scores["test_accuracy"].mean()),
            "macro_f1": float(scores["test_f1_macro"].mean())}
