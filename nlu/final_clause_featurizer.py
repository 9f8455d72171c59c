"""Rasa 3.6 NLU component: word counts of a message's last clause (issue 10).

A long message of facts that ends with a question ("maison de 1970 au fioul, on est 3, on veut
une pac, quelles aides ?") is mostly the words of `inform`; the word counts of the whole message
outvote the question. This featurizer adds the word and word-pair counts of the last clause
alone (nlu/final_clause.py), in a vocabulary of its own, so the classifier can learn that what
the message asks is in its last clause. One-clause messages get no such features (their words
are already counted once). Measured on the development set and by cross-validation
(docs/nlu.md).

With `use_lemma: true` the clause is read as the tokens' lemmas: after the normalising
tokenizer (nlu/normalising_tokenizer.py), its canonical forms ("quelles aides s il vous
plait", "ent_work", …), found on the whole message.

config.yml (after the tokenizer, before the intent classifier):
    - name: nlu.final_clause_featurizer.FinalClauseFeaturizer
      max_features: 3000
      use_lemma: false
"""

from __future__ import annotations

import json
from typing import Any

import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.final_clause import final_clause, final_clause_start

VOCABULARY_FILE = "final_clause_vocabulary.json"


def _vectorizer(max_features: int, vocabulary: dict[str, int] | None = None):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer="word", ngram_range=(1, 2), max_features=max_features,
                           vocabulary=vocabulary, lowercase=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
                          is_trainable=True)
class FinalClauseFeaturizer(SparseFeaturizer, GraphComponent):
    """Word 1–2-gram counts of the last clause, in a vocabulary learnt from the training data."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**SparseFeaturizer.get_default_config(), "max_features": 3000,
                "use_lemma": False}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """max_features is passed to scikit-learn, which checks it."""

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext,
                 vocabulary: dict[str, int] | None = None) -> None:
        super().__init__(execution_context.node_name, config)
        self._model_storage = model_storage
        self._resource = resource
        self._vectorizer = (_vectorizer(config["max_features"], vocabulary)
                            if vocabulary else None)

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> FinalClauseFeaturizer:
        return cls(config, model_storage, resource, execution_context)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> FinalClauseFeaturizer:
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = json.loads((directory / VOCABULARY_FILE).read_text("utf-8"))
        except (ValueError, FileNotFoundError):
            vocabulary = None  # trained on no multi-clause example: no feature
        return cls(config, model_storage, resource, execution_context, vocabulary)

    def _clause(self, message: Message) -> str:
        text = message.get(TEXT)
        if not self._config.get("use_lemma"):
            return final_clause(text)
        start = final_clause_start(text)
        if start is None:
            return ""
        return " ".join(t.lemma for t in message.get(TOKENS_NAMES[TEXT], [])
                        if t.start >= start and t.lemma)

    def train(self, training_data: TrainingData) -> Resource:
        clauses = [self._clause(m) for m in training_data.training_examples
                   if isinstance(m.get(TEXT), str)]
        clauses = [c for c in clauses if c]
        if not clauses:
            return self._resource
        vectorizer = _vectorizer(self._config["max_features"])
        vectorizer.fit(clauses)
        vocabulary = {word: int(index) for word, index in vectorizer.vocabulary_.items()}
        self._vectorizer = _vectorizer(self._config["max_features"], vocabulary)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(vocabulary, ensure_ascii=False),
                                                     encoding="utf-8")
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        if self._vectorizer is None:
            return messages
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT], [])
            text = message.get(TEXT)
            if not tokens or not isinstance(text, str):
                continue
            sentence = self._vectorizer.transform([self._clause(message)]).tocoo()
            # Sentence-level only: the token rows stay empty (the classifier reads sentences).
            sequence = scipy.sparse.coo_matrix((len(tokens), sentence.shape[1]))
            self.add_features_to_message(sequence, sentence, TEXT, message)
        return messages
