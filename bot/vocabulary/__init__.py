"""The one vocabulary of the assistant (catalogue.yml) and the entity extractor built on it."""

from bot.vocabulary.catalogue import (
    CATEGORICAL_ENTITIES,
    Catalogue,
    Value,
    catalogue,
    fold,
)

__all__ = ["CATEGORICAL_ENTITIES", "Catalogue", "Value", "catalogue", "fold"]
