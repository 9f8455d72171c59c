"""Rasa 3.6 NLU component: word counts of the Snowball stems of the tokens' canonical forms.

"rappelez-moi", "être rappelé", "qu'on me rappelle" share the stem "rappel"; "isoler",
"isolation", "isolée" share "isol". After the normalising tokenizer (nlu/normalising_tokenizer.py)
each token's lemma is its canonical form; this featurizer counts the stems of those forms, words
and word pairs, in a vocabulary of its own (the class words `ent_*` / `w_*` stay whole). The
classifier reads them next to the raw and canonical counts: measured on the development sets
and by cross-validation (docs/nlu.md).

config.yml (after the normalising tokenizer, before the intent classifier):
    - name: nlu.stem_featurizer.StemFeaturizer
      max_features: 4000
"""

from __future__ import annotations

import functools
import json
import re
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

VOCABULARY_FILE = "stem_vocabulary.json"
MAX_TOKENS = 400  # a huge message: only its head is stemmed (bounded time)


@functools.lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("french")


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball stem of one canonical word; class words and numbers stay whole."""
    if word.startswith(("ent_", "w_", "__")) or not word.isalpha():
        return word
    return _stemmer().stemWord(word)


def stemmed(forms: list[str]) -> str:
    """The stems of canonical forms ("je sais pas", "rappelez-moi": words each), joined."""
    return " ".join(stem(word) for form in forms[:MAX_TOKENS]
                    for word in re.findall(r"\w+", form))


def _vectorizer(max_features: int, vocabulary: dict[str, int] | None = None):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer="word", ngram_range=(1, 2), max_features=max_features,
                           vocabulary=vocabulary, lowercase=True,
                           token_pattern=r"(?u)\b\w+\b")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
                          is_trainable=True)
class StemFeaturizer(SparseFeaturizer, GraphComponent):
    """Word 1–2-gram counts of stems, in a vocabulary learnt from the training data."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**SparseFeaturizer.get_default_config(), "max_features": 4000}

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
               execution_context: ExecutionContext) -> StemFeaturizer:
        return cls(config, model_storage, resource, execution_context)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> StemFeaturizer:
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = json.loads((directory / VOCABULARY_FILE).read_text("utf-8"))
        except (ValueError, FileNotFoundError):
            vocabulary = None  # trained on nothing: no feature
        return cls(config, model_storage, resource, execution_context, vocabulary)

    @staticmethod
    def _text(message: Message) -> str:
        return stemmed([t.lemma for t in message.get(TOKENS_NAMES[TEXT], []) or []])

    def train(self, training_data: TrainingData) -> Resource:
        texts = [self._text(m) for m in training_data.training_examples
                 if isinstance(m.get(TEXT), str)]
        texts = [t for t in texts if t.strip()]
        if not texts:
            return self._resource
        vectorizer = _vectorizer(self._config["max_features"])
        vectorizer.fit(texts)
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
            if not tokens or not isinstance(message.get(TEXT), str):
                continue
            sentence = self._vectorizer.transform([self._text(message)]).tocoo()
            # Sentence-level only: the token rows stay empty (the classifier reads sentences).
            sequence = scipy.sparse.coo_matrix((len(tokens), sentence.shape[1]))
            self.add_features_to_message(sequence, sentence, TEXT, message)
        return messages
