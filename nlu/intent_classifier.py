"""Rasa 3.6 intent classifier: Rasa's LogisticRegressionClassifier that survives empty input.

The stock component builds its matrix from each message's sentence features; a message with no
token ("", "   ") gets features from some featurizers only, the matrix has the wrong width and
the whole parse fails (a 500 from the server). Such messages get no intent here (confidence 0),
so the FallbackClassifier turns them into `nlu_fallback` and the assistant asks to rephrase.
Everything else is the stock classifier.

config.yml:
    - name: nlu.intent_classifier.SafeLogisticRegressionClassifier
      max_iter: 1000
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER],
                          is_trainable=True)
class SafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Logistic regression on the sparse features; no intent for a message without features."""

    def process(self, messages: list[Message]) -> list[Message]:
        complete = [m for m in messages if self._has_all_features(m)]
        if complete:
            super().process(complete)
        for message in messages:
            if not self._has_all_features(message):
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages

    def _has_all_features(self, message: Message) -> bool:
        if message.get_sparse_features(attribute=TEXT)[1] is None:
            return False
        expected = getattr(self.clf, "n_features_in_", None)
        return expected is None or self._create_X([message]).shape[1] == expected
