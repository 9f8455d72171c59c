"""Offline French geography: every commune (INSEE code, name, postal codes, department,
region, EPCI, coordinates) and the regulatory climate zone of each department.

    from bot.geo import locate, find_communes, climate_zone
    location = locate(profile)          # None, a Location, or ProfileError (French)
    location.commune.name, location.climate_zone, location.is_ile_de_france

Data: bot/geo/data/communes.json.gz, rebuilt by scripts/geo-data/build_geo_data.py.
"""

from bot.geo.climate import climate_zone
from bot.geo.locate import ambiguity_message, communes_field, locate
from bot.geo.model import Commune, Location
from bot.geo.search import commune_by_insee, find_communes
from bot.geo.store import load_store


def department_name(code: str) -> str | None:
    return load_store().department_names.get(code)


def region_name(code: str) -> str | None:
    return load_store().region_names.get(code)


def epci_name(code: str | None) -> str | None:
    return load_store().epci_names.get(code) if code else None


__all__ = [
    "Commune", "Location", "ambiguity_message", "climate_zone", "commune_by_insee",
    "communes_field", "department_name", "epci_name", "find_communes", "locate",
    "region_name",
]
