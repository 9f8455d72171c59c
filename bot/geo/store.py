"""Loads the committed commune table (bot/geo/data/communes.json.gz) once, with its indexes.

The file is rebuilt by scripts/geo-data/build_geo_data.py from official open data.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from bot.geo.model import Commune
from bot.geo.normalize import normalize_name, without_article

DATA_FILE = Path(__file__).parent / "data" / "communes.json.gz"
_PRECISION = {"c": "commune", "p": "postal_code", "e": "epci", "": None}


@dataclass
class GeoStore:
    by_insee: dict[str, Commune]
    by_postal_code: dict[str, tuple[Commune, ...]]
    aliases: dict[str, str]  # old / delegated / arrondissement INSEE code -> current code
    alias_names: list[list[str]]  # [name of a delegated / former commune, current code]
    department_names: dict[str, str]
    region_names: dict[str, str]
    epci_names: dict[str, str]
    meta: dict

    # The name indexes cost most of the loading time: built on the first name search only.
    @cached_property
    def by_name(self) -> dict[str, tuple[Commune, ...]]:
        """Normalised name (also without its article) -> communes, biggest first."""
        index: dict[str, list[Commune]] = defaultdict(list)
        for commune in self.by_insee.values():
            _index_name(index, commune.name, commune)
        for alias_name, code in self.alias_names:
            if code in self.by_insee:
                _index_name(index, alias_name, self.by_insee[code])
        return {key: _by_population(list(dict.fromkeys(value))) for key, value in index.items()}

    @cached_property
    def name_keys(self) -> dict[str, frozenset[str]]:
        """INSEE code -> every normalised name the commune answers to."""
        keys: dict[str, set[str]] = defaultdict(set)
        for key, communes in self.by_name.items():
            for commune in communes:
                keys[commune.insee_code].add(key)
        return {code: frozenset(value) for code, value in keys.items()}


def _by_population(communes: list[Commune]) -> tuple[Commune, ...]:
    # Most populated first: the likeliest answer comes first in lists shown to users.
    return tuple(sorted(communes, key=lambda c: (-c.population, c.insee_code)))


@lru_cache(maxsize=1)
def load_store(path: Path = DATA_FILE) -> GeoStore:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    by_insee: dict[str, Commune] = {}
    by_postal: dict[str, list[Commune]] = defaultdict(list)
    for code, name, postal, dep, reg, epci, lat, lon, precision, population in data["communes"]:
        commune = Commune(
            insee_code=code, name=name, postal_codes=tuple(postal.split()), department=dep,
            region=reg, epci=epci or None, latitude=lat, longitude=lon,
            population=population or 0, coordinates_precision=_PRECISION.get(precision),
        )
        by_insee[code] = commune
        for postal_code in commune.postal_codes:
            by_postal[postal_code].append(commune)
    return GeoStore(
        by_insee=by_insee,
        by_postal_code={key: _by_population(value) for key, value in by_postal.items()},
        aliases=data["aliases"],
        alias_names=data["alias_names"],
        department_names={code: value[0] for code, value in data["departments"].items()},
        region_names=data["regions"],
        epci_names=data["epcis"],
        meta=data["meta"],
    )


def _index_name(index: dict[str, list[Commune]], name: str, commune: Commune) -> None:
    key = normalize_name(name)
    index[key].append(commune)
    short = without_article(key)
    if short != key:
        index[short].append(commune)
