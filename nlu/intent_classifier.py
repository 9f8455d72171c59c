"""Rasa 3.6 intent classifier: Rasa's LogisticRegressionClassifier that survives empty input.

The stock component builds its matrix from each message's sentence features; a message with no
token ("", "   ") gets features from some featurizers only, the matrix has the wrong width and
the whole parse fails (a 500 from the server). Such messages get no intent here (confidence 0),
so the FallbackClassifier turns them into `nlu_fallback` and the assistant asks to rephrase.
It also takes two settings the stock component fixes: `C` (inverse regularisation, 1.0 as
scikit-learn's default) and `class_weight` ("balanced" as Rasa's, or null for equal weights).
Everything else is the stock classifier.

config.yml:
    - name: nlu.intent_classifier.SafeLogisticRegressionClassifier
      max_iter: 1000
      C: 1.0
      class_weight: balanced
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER],
                          is_trainable=True)
class SafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Logistic regression on the sparse features; no intent for a message without features."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0,
                "class_weight": "balanced"}

    def __init__(self, config: dict[str, Any], name: str, model_storage: ModelStorage,
                 resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(C=float(self.config["C"]),
                            class_weight=self.config["class_weight"] or None)

    def process(self, messages: list[Message]) -> list[Message]:
        # Checked once per message: each check combines the message's sparse features.
        usable = [self._has_all_features(m) for m in messages]
        complete = [m for m, ok in zip(messages, usable, strict=True) if ok]
        if complete:
            super().process(complete)
        for message, ok in zip(messages, usable, strict=True):
            if not ok:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages

    def _has_all_features(self, message: Message) -> bool:
        if message.get_sparse_features(attribute=TEXT)[1] is None:
            return False
        expected = getattr(self.clf, "n_features_in_", None)
        return expected is None or self._create_X([message]).shape[1] == expected
