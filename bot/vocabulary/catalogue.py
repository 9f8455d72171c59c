"""Typed access to the vocabulary catalogue (catalogue.yml): codes, labels, synonyms, cues.

Read once and cached; importable without Rasa (PyYAML only).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yml")
# French words never corrected as typos (scripts/build_nlu_lookups.py --audit-typos).
NOT_TYPOS_PATH = Path(__file__).with_name("not_typos.txt")
# The categorical entities, in the order of the catalogue file.
CATEGORICAL_ENTITIES = ("work_type", "heating_energy", "housing_type", "occupancy", "dpe_class")
MAX_SHORT_LABEL = 20  # Messenger quick-reply titles are cut beyond 20 characters.
QUANTITIES = ("m2", "count", "none")
WORK_FAMILIES = ("insulation", "heating", "ventilation", "hot_water", "windows", "other")


def fold(text: str) -> str:
    """Lower case without accents ("Électricité" -> "electricite"; "œ" -> "oe")."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class Value:
    """One categorical value: a contract code and how people name it."""

    entity: str
    code: str
    label: str
    short_label: str
    family: str
    quantity: str
    synonyms: tuple[str, ...]
    alone: tuple[str, ...]
    nlu_synonyms: tuple[str, ...] = ()
    energy: str | None = None  # works: the heating energy this equipment means


@dataclass(frozen=True)
class Catalogue:
    values: tuple[Value, ...]
    cues: dict[str, tuple[str, ...]]
    not_typos: frozenset[str]
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def of(self, entity: str) -> tuple[Value, ...]:
        return tuple(value for value in self.values if value.entity == entity)

    def codes(self, entity: str) -> tuple[str, ...]:
        return tuple(value.code for value in self.of(entity))

    def value(self, entity: str, code: str) -> Value:
        for value in self.values:
            if value.entity == entity and value.code == code:
                return value
        raise KeyError(f"{entity}:{code}")

    def labels(self, entity: str) -> dict[str, str]:
        return {value.code: value.label for value in self.of(entity)}

    def short_labels(self, entity: str) -> dict[str, str]:
        return {value.code: value.short_label for value in self.of(entity)}

    def works_in(self, *families: str) -> tuple[str, ...]:
        return tuple(value.code for value in self.of("work_type") if value.family in families)

    def works_with_quantity(self, quantity: str) -> tuple[str, ...]:
        return tuple(value.code for value in self.of("work_type") if value.quantity == quantity)


def _load(path: Path) -> Catalogue:
    # libyaml's loader when present: the catalogue is read at import by bot.profile.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(path.read_text("utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    values = []
    for entity in CATEGORICAL_ENTITIES:
        for code, item in raw[entity].items():
            values.append(Value(
                entity=entity, code=str(code), label=item["label"],
                short_label=item["short_label"], family=item["family"],
                quantity=item.get("quantity", "none"),
                synonyms=tuple(str(text) for text in item.get("synonyms", ())),
                alone=tuple(str(text) for text in item.get("alone", ())),
                nlu_synonyms=tuple(str(text) for text in item.get("nlu_synonyms", ())),
                energy=item.get("energy"),
            ))
    cues = {name: tuple(fold(str(word)) for word in words)
            for name, words in raw["cues"].items()}
    units = {name: tuple(str(word) for word in words)
             for name, words in (raw.get("units") or {}).items()}
    not_typos = {fold(word) for word in raw.get("not_typos", ())}
    listed = path.with_name(NOT_TYPOS_PATH.name)
    if listed.exists():
        not_typos |= {line.strip() for line in listed.read_text("utf-8").splitlines()
                      if line.strip() and not line.startswith("#")}
    return Catalogue(values=tuple(values), cues=cues, not_typos=frozenset(not_typos),
                     units=units)


@functools.lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue of this repository (read once)."""
    return _load(CATALOGUE_PATH)
