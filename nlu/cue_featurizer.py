"""Rasa 3.6 NLU component: sparse features from the catalogue's entities (issue 10).

Word and character n-grams tell "ballon thermo" or "une centaine" apart from chit-chat only if
those very words were in the training data. This featurizer adds what the vocabulary catalogue
knows: which entity types the message holds (a work, an energy, an income, a year…), whether
one is negated, how many facts it gives and whether it asks a question — the cues that
separate `inform` from a long message that ends with a question, or from out-of-scope text.

config.yml (after the tokenizer, with the other featurizers):
    - name: nlu.cue_featurizer.CatalogueCueFeaturizer
"""

from __future__ import annotations

from typing import Any

import numpy as np
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

from bot.vocabulary.extract import extract

ENTITY_CUES = ("work_type", "heating_energy", "housing_type", "occupancy", "dpe_class",
               "dpe_class_after", "postal_code", "reference_income", "total_cost_eur",
               "surface_m2", "work_quantity", "household_size", "construction_year", "number")
# Sentence-level cues (zero on the token rows).
MESSAGE_CUES = ("negated", "question", "facts_2", "facts_4", "mostly_facts")
CUES = ENTITY_CUES + MESSAGE_CUES
MAX_CHARS = 2000  # featurize the head of a huge message only: parse time stays bounded


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
                          is_trainable=False)
class CatalogueCueFeaturizer(SparseFeaturizer, GraphComponent):
    """One sparse feature per catalogue entity type, plus negation, question and fact counts."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**SparseFeaturizer.get_default_config()}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to check: the cues come from the catalogue."""

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CatalogueCueFeaturizer:
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT], [])
            text = message.get(TEXT)
            if tokens and isinstance(text, str):
                sequence, sentence = cue_features(text, [(t.start, t.end) for t in tokens])
                self.add_features_to_message(scipy.sparse.coo_matrix(sequence),
                                             scipy.sparse.coo_matrix(sentence), TEXT, message)
        return messages


def cue_features(text: str, token_spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(tokens × cues, 1 × cues) arrays of 0/1 for one message."""
    sequence = np.zeros((len(token_spans), len(CUES)))
    sentence = np.zeros((1, len(CUES)))
    head = text[:MAX_CHARS]
    spans = [s for s in extract(head) if s.get("entity") in ENTITY_CUES]
    covered = 0
    for span in spans:
        column = CUES.index(span["entity"])
        negated = span.get("role") == "negated"
        sentence[0, column] = 1.0
        if negated:
            sentence[0, CUES.index("negated")] = 1.0
        start, end = int(span.get("start") or 0), int(span.get("end") or 0)
        covered += max(0, end - start)
        for row, (token_start, token_end) in enumerate(token_spans):
            if token_start < end and token_end > start:
                sequence[row, column] = 1.0
    facts = len({(s["entity"], str(s.get("value"))) for s in spans})
    sentence[0, CUES.index("question")] = float("?" in head)
    sentence[0, CUES.index("facts_2")] = float(facts >= 2)
    sentence[0, CUES.index("facts_4")] = float(facts >= 4)
    letters = sum(not c.isspace() for c in head)
    sentence[0, CUES.index("mostly_facts")] = float(bool(spans) and covered >= 0.6 * letters)
    return sequence, sentence
