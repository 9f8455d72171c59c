"""Base of the sentence-level word-count featurizers (last clause, stems).

Each subclass says which text of a message it counts (`sentence_text`); this base learns a
word 1–2-gram vocabulary from the training data, stores it in the model, and adds one sparse
sentence row per message (token rows stay empty: the classifier reads sentences).

How to write one:

    @DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
                              is_trainable=True)
    class MyFeaturizer(SentenceCountFeaturizer):
        VOCABULARY_FILE = "my_vocabulary.json"
        DEFAULT_MAX_FEATURES = 3000

        def sentence_text(self, message: Message) -> str:
            return ...  # "" when the message has nothing to count
"""

from __future__ import annotations

import json
from typing import Any

import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class SentenceCountFeaturizer(SparseFeaturizer, GraphComponent):
    """Word 1–2-gram counts of `sentence_text`, in a vocabulary learnt from the training data."""

    VOCABULARY_FILE = "vocabulary.json"
    DEFAULT_MAX_FEATURES = 3000
    # None: scikit-learn's default (words of 2 characters or more).
    TOKEN_PATTERN: str | None = None

    def sentence_text(self, message: Message) -> str:
        raise NotImplementedError

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @classmethod
    def get_default_config(cls) -> dict[str, Any]:
        return {**SparseFeaturizer.get_default_config(), "max_features": cls.DEFAULT_MAX_FEATURES}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """max_features is passed to scikit-learn, which checks it."""

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext,
                 vocabulary: dict[str, int] | None = None) -> None:
        super().__init__(execution_context.node_name, config)
        self._model_storage = model_storage
        self._resource = resource
        self._vectorizer = self._new_vectorizer(vocabulary) if vocabulary else None

    def _new_vectorizer(self, vocabulary: dict[str, int] | None = None):
        from sklearn.feature_extraction.text import CountVectorizer

        pattern = {"token_pattern": self.TOKEN_PATTERN} if self.TOKEN_PATTERN else {}
        return CountVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True,
                               max_features=self._config["max_features"],
                               vocabulary=vocabulary, **pattern)

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentenceCountFeaturizer:
        return cls(config, model_storage, resource, execution_context)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> SentenceCountFeaturizer:
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = json.loads((directory / cls.VOCABULARY_FILE).read_text("utf-8"))
        except (ValueError, FileNotFoundError):
            vocabulary = None  # trained on nothing to count: no feature
        return cls(config, model_storage, resource, execution_context, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        texts = [self.sentence_text(m) for m in training_data.training_examples
                 if isinstance(m.get(TEXT), str)]
        texts = [text for text in texts if text.strip()]
        if not texts:
            return self._resource
        vectorizer = self._new_vectorizer()
        vectorizer.fit(texts)
        vocabulary = {word: int(index) for word, index in vectorizer.vocabulary_.items()}
        self._vectorizer = self._new_vectorizer(vocabulary)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / self.VOCABULARY_FILE).write_text(
                json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        if self._vectorizer is None:
            return messages
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT], [])
            if not tokens or not isinstance(message.get(TEXT), str):
                continue
            sentence = self._vectorizer.transform([self.sentence_text(message)]).tocoo()
            sequence = scipy.sparse.coo_matrix((len(tokens), sentence.shape[1]))
            self.add_features_to_message(sequence, sentence, TEXT, message)
        return messages
