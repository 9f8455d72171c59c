"""Placing a household profile on the map: INSEE code, else postal code (+ city), else city."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bot.errors import ProfileError
from bot.geo.climate import climate_zone
from bot.geo.model import Commune, Location
from bot.geo.search import commune_by_insee, communes_by_name, communes_by_postal_code


def locate(profile: Any) -> Location | None:
    """Location of `profile` (any object with insee_code / postal_code / city attributes).

    None when the profile gives no place at all; ProfileError (French) when it names none.
    """
    return _locate(getattr(profile, "insee_code", None), getattr(profile, "postal_code", None),
                   getattr(profile, "city", None), getattr(profile, "date", None))


# The CLI checks the place first and each engine then asks again: a fuzzy name search costs
# tens of milliseconds, so the answer (immutable) is kept. Errors are never cached.
@lru_cache(maxsize=1024)
def _locate(insee_code: str | None, postal_code: str | None, city: str | None,
            on: Any) -> Location | None:
    if city and not postal_code and city.strip().isdigit() and len(city.strip()) == 5:
        postal_code, city = city.strip(), None  # "80000" typed where the town was asked
    if insee_code:
        commune = commune_by_insee(insee_code)
        if commune is None:
            raise ProfileError(f"Le code INSEE « {insee_code} » ne correspond à aucune commune.")
        warnings = []
        if postal_code and postal_code not in commune.postal_codes:
            warnings.append(
                f"Le code postal {postal_code} ne dessert pas {commune.name} "
                f"(codes postaux : {', '.join(commune.postal_codes)}) : le code INSEE "
                f"{commune.insee_code} est retenu."
            )
        return _location((commune,), "insee_code", on, warnings)
    if postal_code:
        communes = communes_by_postal_code(postal_code)
        if not communes:
            raise ProfileError(f"Le code postal « {postal_code} » ne correspond à aucune commune.")
        warnings = []
        if city:
            named = communes_by_name(city, among=communes)
            if named:
                # The named commune(s) first, the others of the postal code after.
                communes = named + [c for c in communes if c not in named]
                if len(named) == 1:
                    return _location((named[0],), "postal_code", on, warnings)
            else:
                warnings.append(
                    f"Aucune commune nommée « {city} » n'a le code postal {postal_code} ; "
                    f"communes de ce code postal : {_names(communes)}."
                )
        return _location(tuple(communes), "postal_code", on, warnings)
    if city:
        communes = communes_by_name(city)
        if not communes:
            raise ProfileError(f"Aucune commune ne s'appelle « {city} » : vérifiez "
                               "l'orthographe ou donnez le code postal.")
        return _location(tuple(communes), "city", on, [])
    return None


def _names(communes: list[Commune]) -> str:
    shown = ", ".join(c.name for c in communes[:8])
    return shown + (" …" if len(communes) > 8 else "")


def _location(communes: tuple[Commune, ...], matched_by: str, on, warnings: list[str]) -> Location:
    return Location(
        communes=communes,
        matched_by=matched_by,
        climate_zone=climate_zone(communes[0].department, on),
        warnings=tuple(warnings),
    )


def communes_field(location: Location | None) -> list[dict[str, str]]:
    """The contract's `"communes": [{"insee_code", "name"}]` (all matches, first = used)."""
    if location is None:
        return []
    return [{"insee_code": c.insee_code, "name": c.name} for c in location.communes]


def ambiguity_message(location: Location) -> str | None:
    """French sentence asking the user to choose, or None when one commune matched."""
    if not location.is_ambiguous:
        return None
    names = ", ".join(f"{c.name} ({c.insee_code})" for c in location.communes[:10])
    more = " …" if len(location.communes) > 10 else ""
    return (f"Plusieurs communes correspondent : {names}{more}. Les résultats portent sur "
            f"{location.commune.name} ; précisez votre commune si ce n'est pas la bonne.")
