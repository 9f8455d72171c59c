"""Finding communes by INSEE code, postal code and/or name (accents, case, "St", typos)."""

from __future__ import annotations

import math
import re

from rapidfuzz import fuzz, process

from bot.geo.model import Commune
from bot.geo.normalize import normalize_name, without_article
from bot.geo.store import GeoStore, load_store

# Close enough for a typo or two in a town name, far enough not to swap two real towns
# ("Amiens"/"Amien" = 0.91, "Boves"/"Bove" = 0.89; "Dury"/"Drucat" = 0.6). The score is
# rapidfuzz's normalised Indel similarity, 2·matches/total characters: difflib's ratio,
# computed in C over the whole name table (~1 ms instead of ~90 ms with difflib).
FUZZY_CUTOFF = 0.8
MAX_FUZZY_MATCHES = 5
POPULATION_WEIGHT = 0.02  # 0.02 per factor 10 of population: a tie-break, not a rule
_POSTAL_CODE = re.compile(r"^\d{5}$")


def commune_by_insee(insee_code: str) -> Commune | None:
    """Current commune for an INSEE code, following old, delegated and arrondissement codes
    (75101 Paris 1er -> 75056 Paris)."""
    store = load_store()
    code = insee_code.strip().upper()
    commune = store.by_insee.get(code)
    if commune is None and code in store.aliases:
        commune = store.by_insee.get(store.aliases[code])
    return commune


def communes_by_postal_code(postal_code: str) -> list[Commune]:
    code = postal_code.strip()
    if not _POSTAL_CODE.match(code):
        return []
    return list(load_store().by_postal_code.get(code, ()))


def _name_score(query: str, commune_key: str) -> float:
    return fuzz.ratio(query, commune_key) / 100


# The name keys as a list, built once per store (rapidfuzz scans a list fastest).
_name_keys: tuple[int, list[str]] | None = None


def _all_name_keys(store: GeoStore) -> list[str]:
    global _name_keys
    if _name_keys is None or _name_keys[0] != id(store):
        _name_keys = (id(store), list(store.by_name.keys()))
    return _name_keys[1]


def communes_by_name(name: str, among: list[Commune] | None = None) -> list[Commune]:
    """Exact match on the normalised name first, then close matches (typos).

    With `among`, only those communes are considered (e.g. those of one postal code)."""
    key = normalize_name(name)
    if not key:
        return []
    keys = {key, without_article(key)}
    store = load_store()
    if among is not None:
        exact = [c for c in among if keys & _keys_of(c, store)]
        if exact:
            return exact
        scored = [(max(_name_score(k, ck) for k in keys for ck in _keys_of(c, store)), c)
                  for c in among]
        close = [c for score, c in sorted(scored, key=lambda pair: -pair[0])
                 if score >= FUZZY_CUTOFF]
        return close
    for candidate in (key, without_article(key)):
        if candidate in store.by_name:
            return list(store.by_name[candidate])
    scored: dict[str, tuple[float, Commune]] = {}
    matches = process.extract(key, _all_name_keys(store), scorer=fuzz.ratio,
                              limit=2 * MAX_FUZZY_MATCHES, score_cutoff=FUZZY_CUTOFF * 100)
    for close_key, similarity, _ in matches:
        for commune in store.by_name[close_key]:
            # Between two equally close spellings, the bigger town is the likelier one.
            score = similarity / 100 + POPULATION_WEIGHT * math.log10(commune.population + 1)
            if commune.insee_code not in scored or scored[commune.insee_code][0] < score:
                scored[commune.insee_code] = (score, commune)
    ranked = sorted(scored.values(), key=lambda pair: -pair[0])
    return [commune for _, commune in ranked[:MAX_FUZZY_MATCHES]]


def _keys_of(commune: Commune, store: GeoStore) -> frozenset[str]:
    # Its own name, without article, and the names of its delegated / former communes.
    return store.name_keys.get(commune.insee_code, frozenset())


def find_communes(postal_code: str | None = None, insee_code: str | None = None,
                  name: str | None = None) -> list[Commune]:
    """Communes matching every criterion given (empty list when none matches)."""
    if insee_code:
        commune = commune_by_insee(insee_code)
        candidates = [commune] if commune else []
        if postal_code:
            candidates = [c for c in candidates if postal_code.strip() in c.postal_codes]
        if name:
            candidates = communes_by_name(name, among=candidates)
        return candidates
    if postal_code:
        candidates = communes_by_postal_code(postal_code)
        return communes_by_name(name, among=candidates) if name else candidates
    if name:
        return communes_by_name(name)
    return []
