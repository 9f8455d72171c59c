"""Rasa 3.6 NLU component: the catalogue entity extractor (bot/vocabulary/extract.py).

It needs no training. Placed after the tokenizer (and after DIETClassifier when DIET still
extracts entities), it adds the catalogue's entities — contract codes, numbers with their
role — and, with `replace_overlapping: true`, removes the entities of other extractors that
overlap one of its spans, so the catalogue wins on the text it understands. Its values are
already canonical, so EntitySynonymMapper leaves them as they are.

config.yml:
    - name: nlu.catalogue_extractor.CatalogueEntityExtractor
      replace_overlapping: true
      drop_other_extractors_for: []   # entity types only the catalogue may emit
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_ROLE,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.vocabulary.extract import extract


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class CatalogueEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Entities from the vocabulary catalogue, with roles for numbers and negations."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Drop other extractors' entities that overlap a catalogue span.
            "replace_overlapping": True,
            # Entity types whose values come from the catalogue only (e.g. ["work_type"]).
            "drop_other_extractors_for": [],
        }

    def __init__(self, config: dict[str, Any], name: str) -> None:
        self._config = config
        self._name = name
        extract("pac")  # builds the catalogue index at model load, not on the first message

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CatalogueEntityExtractor:
        return cls(config, execution_context.node_name)

    @property
    def name(self) -> str:  # the extractor name written on each entity
        return "CatalogueEntityExtractor"

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._process_one(message)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT)
        found = extract(text) if isinstance(text, str) else []
        others = [entity for entity in message.get(ENTITIES, []) or []
                  if entity.get(EXTRACTOR) != self.name]
        cities = [entity for entity in others if entity.get(ENTITY_ATTRIBUTE_TYPE) == "city"]
        ours = [self._entity(span) for span in found
                if not _inside_a_commune_name(span, cities, text)]
        exclusive = set(self._config.get("drop_other_extractors_for") or [])
        kept = []
        for entity in others:
            if entity.get(ENTITY_ATTRIBUTE_TYPE) in exclusive:
                continue
            if self._config.get("replace_overlapping", True) and _overlaps(entity, ours):
                continue
            kept.append(entity)
        entities = sorted(kept + ours, key=lambda item: (item.get(ENTITY_ATTRIBUTE_START, 0),
                                                         item.get(ENTITY_ATTRIBUTE_END, 0)))
        message.set(ENTITIES, entities, add_to_output=True)

    def _entity(self, span: dict[str, Any]) -> dict[str, Any]:
        entity = {
            ENTITY_ATTRIBUTE_TYPE: span["entity"],
            ENTITY_ATTRIBUTE_VALUE: span["value"],
            ENTITY_ATTRIBUTE_START: span["start"],
            ENTITY_ATTRIBUTE_END: span["end"],
            ENTITY_ATTRIBUTE_CONFIDENCE: span.get("confidence", 1.0),
            EXTRACTOR: self.name,
        }
        if span.get("role"):
            entity[ENTITY_ATTRIBUTE_ROLE] = span["role"]
        return entity


def _inside_a_commune_name(span: dict[str, Any], cities: list[dict[str, Any]],
                           text: str) -> bool:
    """"Courcelles-au-Bois", "Maison-Roland", "à Combles": a commune name found by the lookup
    table wins over the catalogue word inside it when it is longer, or when the word is
    capitalised in the middle of the sentence."""
    for city in cities:
        start, end = city.get(ENTITY_ATTRIBUTE_START), city.get(ENTITY_ATTRIBUTE_END)
        if start is None or end is None or not (start <= span["start"] and span["end"] <= end):
            continue
        if end - start > span["end"] - span["start"]:
            return True
        if span["start"] > 0 and text[span["start"]:span["start"] + 1].isupper():
            return True
    return False


def _overlaps(entity: dict[str, Any], ours: list[dict[str, Any]]) -> bool:
    start = entity.get(ENTITY_ATTRIBUTE_START)
    end = entity.get(ENTITY_ATTRIBUTE_END)
    if start is None or end is None:
        return False
    return any(start < other[ENTITY_ATTRIBUTE_END] and end > other[ENTITY_ATTRIBUTE_START]
               for other in ours)
