"""Rasa 3.6 intent classifier: Rasa's LogisticRegressionClassifier that survives empty input.

The stock component builds its matrix from each message's sentence features; a message with no
token ("", "   ") gets features from some featurizers only, the matrix has the wrong width and
the whole parse fails (a 500 from the server). Such messages get no intent here (confidence 0),
so the FallbackClassifier turns them into `nlu_fallback` and the assistant asks to rephrase.
It also takes two settings the stock component fixes: `C` (inverse regularisation, 1.0 as
scikit-learn's default) and `class_weight` ("balanced" as Rasa's, or null for equal weights),
and two of its own (fifth pass, docs/nlu.md):
- `weighting: tfidf` weighs the featurizers' counts as the TF-IDF baseline weighs its words:
  sublinear term frequency × inverse document frequency learnt on the training examples, each
  row scaled to unit length, so a long message of facts no longer outweighs a short question
  by its length alone (default `counts`: the featurizers' counts as they are);
- `faq_sub_intents: true` learns each faq sub-intent ("faq/eco_ptz"…) as a class of its own
  and adds their probabilities into `faq` at prediction: one `faq` class spread over thirteen
  topics pulled every "c'est quoi…" towards it. The output keeps the contract's intents.
Everything else is the stock classifier, except speed (same matrix, same predictions): the stock
`process` combined each message's sparse features four times (two width checks, then the
matrix), each time both the sequence and the sentence features with scipy's `hstack`, about
4.2 ms of CPU per message, 38 % of the NLU. Here each message's sentence row is built once
(docs/performance.md section 9; tests/runtime/test_nlu_speed.py checks identical predictions).
ASSISTANT_RASA_UNPATCHED=1 (or "classifier_rows") keeps the former way, for before/after
benchmarks.

config.yml:
    - name: nlu.intent_classifier.SafeLogisticRegressionClassifier
      max_iter: 1000
      C: 1.0
      class_weight: balanced
      weighting: tfidf
      faq_sub_intents: true
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.feature_extraction.text import TfidfTransformer

IDF_FILE = "idf.npy"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER],
                          is_trainable=True)
class SafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Logistic regression on the sparse features; no intent for a message without features."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0,
                "class_weight": "balanced", "weighting": "counts", "faq_sub_intents": False}

    def __init__(self, config: dict[str, Any], name: str, model_storage: ModelStorage,
                 resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        if self.config["weighting"] not in ("counts", "tfidf"):
            raise ValueError(f"weighting: 'counts' or 'tfidf', not {self.config['weighting']!r}")
        self.clf.set_params(C=float(self.config["C"]),
                            class_weight=self.config["class_weight"] or None)
        self.idf: np.ndarray | None = None  # learnt when weighting is "tfidf"
        self._intent_map: tuple[list[str], np.ndarray | None] | None = None

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            return self._resource
        features = self._create_X(examples)
        if self.config["weighting"] == "tfidf":
            self.idf = TfidfTransformer(sublinear_tf=True).fit(features).idf_
            features = tfidf_weigh(features, self.idf)
        self.clf.fit(features, [self._label(example) for example in examples])
        self._intent_map = None
        self.persist()
        return self._resource

    def _label(self, example: Message) -> str:
        """The class learnt: the intent, or "faq/<sub-intent>" when sub-intents are classes."""
        if self.config["faq_sub_intents"] and example.get(INTENT_RESPONSE_KEY):
            return str(example.get(INTENT_RESPONSE_KEY))
        return str(example.get(INTENT))

    def persist(self) -> None:
        super().persist()
        if self.idf is not None:
            with self._model_storage.write_to(self._resource) as model_dir:
                np.save(model_dir / IDF_FILE, self.idf)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any,
             ) -> SafeLogisticRegressionClassifier:
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        if component.config["weighting"] == "tfidf":
            with model_storage.read_from(resource) as model_dir:
                component.idf = np.load(model_dir / IDF_FILE)
        return component

    def _predict(self, features: csr_matrix) -> tuple[list[str], np.ndarray]:
        """(intents, probabilities per message): weighed as in training, sub-intents summed."""
        if self.idf is not None:
            features = tfidf_weigh(features, self.idf)
        probabilities = self.clf.predict_proba(features)
        intents, to_intents = self._intents()
        return intents, probabilities if to_intents is None else probabilities @ to_intents

    def _intents(self) -> tuple[list[str], np.ndarray | None]:
        """The intents of the classes learnt, and the 0/1 matrix adding sub-intent columns into
        their intent (None when each class is an intent). Built once per trained classifier."""
        if self._intent_map is None:
            classes = [str(name) for name in self.clf.classes_]
            intents = list(dict.fromkeys(name.split("/", 1)[0] for name in classes))
            to_intents = None
            if len(intents) < len(classes):
                to_intents = np.zeros((len(classes), len(intents)))
                for column, name in enumerate(classes):
                    to_intents[column, intents.index(name.split("/", 1)[0])] = 1.0
            self._intent_map = (intents, to_intents)
        return self._intent_map

    def process(self, messages: list[Message]) -> list[Message]:
        if _former_way():
            return self._former_process(messages)
        # One row per message, built once: None when the message lacks features (empty text).
        rows = [self._row(message) for message in messages]
        expected = getattr(self.clf, "n_features_in_", None)
        usable = [row is not None and (expected is None or row.shape[1] == expected)
                  for row in rows]
        complete = [row for row, ok in zip(rows, usable, strict=True) if ok]
        intents, found = self._predict(vstack(complete)) if complete else ([], [])
        probabilities = iter(found)
        for message, ok in zip(messages, usable, strict=True):
            if ok:
                self._set_intent(message, intents, next(probabilities))
            else:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages

    def _former_process(self, messages: list[Message]) -> list[Message]:
        """Before section 9 (benchmarks only): the stock matrix, built three times."""
        expected = getattr(self.clf, "n_features_in_", None)
        usable = [message.get_sparse_features(attribute=TEXT)[1] is not None
                  and (expected is None
                       or super(SafeLogisticRegressionClassifier, self)._create_X(
                           [message]).shape[1] == expected)
                  for message in messages]
        complete = [m for m, ok in zip(messages, usable, strict=True) if ok]
        if complete:
            X = super()._create_X(complete)  # noqa: N806 (Rasa's name)
            intents, found = self._predict(X)
            for message, row in zip(complete, found, strict=True):
                self._set_intent(message, intents, row)
        for message, ok in zip(messages, usable, strict=True):
            if not ok:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages

    def _set_intent(self, message: Message, intents: list[str], probabilities: Any) -> None:
        """As the stock `process` does for one message (same ranking, same order)."""
        ranking = [{"name": name, "confidence": float(value)}
                   for name, value in zip(intents, probabilities, strict=True)]
        ranking = sorted(ranking, key=lambda entry: -entry["confidence"])
        message.set(INTENT, ranking[0], add_to_output=True)
        if self.config[RANKING_LENGTH] > 0:
            ranking = ranking[: self.config[RANKING_LENGTH]]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    def _create_X(self, messages: list[Message]) -> csr_matrix:  # noqa: N802 (Rasa's name)
        """The stock matrix (training too); a message without sparse features fails as before."""
        rows = [self._row(message) for message in messages]
        if any(row is None for row in rows):
            return super()._create_X(messages)
        return vstack(rows)

    @staticmethod
    def _row(message: Message) -> csr_matrix | None:
        """The stock row of one message: its sparse sentence features (each featurizer's, in
        the message's order) then its dense ones, without combining the sequence features."""
        _, sparse = message._filter_sparse_features(TEXT, [])
        if not sparse:
            return None
        _, dense = message._filter_dense_features(TEXT, [])
        dense_row = Message._combine_features(dense, [])
        return hstack([csr_matrix(hstack([f.features for f in sparse])),
                       csr_matrix(dense_row.features if dense_row else [])])


def tfidf_weigh(features: csr_matrix, idf: np.ndarray) -> csr_matrix:
    """What scikit-learn's TfidfTransformer(sublinear_tf=True) does with a learnt idf — counts
    to 1 + log(count), times idf, each row scaled to unit length — without its input checks:
    0.04 ms a message instead of 0.3 ms (same values to 1e-15, tests/nlu/test_intent_weighting.py).
    """
    features = features.tocsr()
    data = (np.log(features.data) + 1.0) * idf[features.indices]
    lengths = np.diff(features.indptr)
    squares = np.zeros(len(lengths))
    if data.size:
        # reduceat sums each row's run of values; an empty row's start is clipped, then ignored.
        sums = np.add.reduceat(data * data, np.minimum(features.indptr[:-1], data.size - 1))
        squares[lengths > 0] = sums[lengths > 0]
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    return csr_matrix((data / np.repeat(norms, lengths), features.indices.copy(),
                       features.indptr.copy()), shape=features.shape)


def _former_way() -> bool:
    """ASSISTANT_RASA_UNPATCHED (runtime/rasa_patches.py) is 1 or names "classifier_rows"."""
    value = os.environ.get("ASSISTANT_RASA_UNPATCHED", "").strip()
    return value == "1" or "classifier_rows" in {part.strip() for part in value.split(",")}
