"""The France Rénov' advice desk (Espace Conseil France Rénov') covering a commune.

Order: the ADEME dataset `perimetre-espaces-conseil-france-renov` (one row per desk ×
commune covered, by INSEE code, as Mes Aides Réno does), then the offline snapshot of the
Amiens Métropole desk, then the national number. Never raises on network faults.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from bot.directory.config import DirectoryConfig, load_config
from bot.directory.http_client import DataFairDataset, ServiceUnavailable
from bot.directory.reference import amiens_metropole_desk, france_renov
from bot.errors import ProfileError
from bot.geo import Commune, communes_field, locate
from bot.geo.locate import ambiguity_message
from bot.profile import Profile

SELECT = ",".join([
    "Id_Structure", "Nom_Structure", "Adresse_Structure", "Code_Postal_Structure",
    "Commune_Structure", "Telephone_Structure", "Email_Structure", "Site_Internet_Structure",
    "Horaires_Structure", "Code_Insee_Commune", "Nom_Commune", "Nom_EPCI",
])
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def parse_opening_hours(raw: Any) -> list[str]:
    """`Horaires_Structure` is a JSON-encoded list of strings, sometimes with stray control
    characters (Mes Aides Réno strips them too); a plain string is kept as one line."""
    if isinstance(raw, list):
        return _lines(raw)
    if not isinstance(raw, str) or not raw.strip():
        return []
    cleaned = _CONTROL.sub(" ", raw).strip()
    try:
        decoded = json.loads(cleaned)
    except ValueError:
        return [cleaned]
    return _lines(decoded if isinstance(decoded, list) else [decoded])


def _lines(items: list) -> list[str]:
    cleaned = (" ".join(_CONTROL.sub(" ", str(item)).split()) for item in items)
    return [line for line in cleaned if line]


def _text(row: dict, key: str) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _address(row: dict) -> str | None:
    street = _text(row, "Adresse_Structure")
    town = " ".join(part for part in (_text(row, "Code_Postal_Structure"),
                                      _text(row, "Commune_Structure")) if part)
    return ", ".join(part for part in (street, town) if part) or None


def _is_amiens_metropole(commune: Commune) -> bool:
    return commune.insee_code in amiens_metropole_desk()["communes"]


def _desk_from_row(row: dict, commune: Commune, config: DirectoryConfig) -> dict[str, Any]:
    official_name = _text(row, "Nom_Structure")
    name = official_name
    if _is_amiens_metropole(commune):
        name = config.amiens_desk_name
    return {
        "name": name,
        "official_name": official_name,
        "address": _address(row),
        "phone": _text(row, "Telephone_Structure"),
        "email": _text(row, "Email_Structure"),
        "website": _text(row, "Site_Internet_Structure"),
        "opening_hours": parse_opening_hours(row.get("Horaires_Structure")),
    }


def _amiens_snapshot(config: DirectoryConfig) -> dict[str, Any]:
    snapshot = amiens_metropole_desk()
    return {
        "name": config.amiens_desk_name,
        "official_name": snapshot["name"],
        "address": snapshot.get("address"),
        "phone": snapshot.get("phone"),
        "email": snapshot.get("email"),
        "website": snapshot.get("website"),
        "opening_hours": list(snapshot.get("opening_hours") or []),
    }


def _national() -> dict[str, Any]:
    national = france_renov()["national"]
    return {
        "name": national["name"],
        "official_name": national["name"],
        "address": None,
        "phone": national["phone"],
        "email": None,
        "website": national["website"],
        "opening_hours": [national["hours"]],
    }


def _live_desk(commune: Commune, config: DirectoryConfig) -> tuple[dict | None, str, float | None,
                                                                    str | None]:
    """(desk row or None, source, fetched_at, failure reason)."""
    dataset = DataFairDataset(config.ecfr_perimeter_dataset, config, config.advisor_cache_ttl_s)
    params = {"qs": f'Code_Insee_Commune:"{commune.insee_code}"', "size": 10, "select": SELECT}
    try:
        fetched = dataset.lines(params)
    except ServiceUnavailable as error:
        return None, "none", None, str(error)
    rows = [row for row in fetched.data if isinstance(row, dict)
            and str(row.get("Code_Insee_Commune", "")).strip().zfill(5) == commune.insee_code
            and _text(row, "Nom_Structure")]
    source = "ademe-ecfr-api" if fetched.source == "api" else "cache"
    return (rows[0] if rows else None), source, fetched.fetched_at, None


def find_advisor(profile: Profile) -> dict[str, Any]:
    """The advisor result of contract §6 for the profile's commune."""
    location = locate(profile)
    if location is None:
        raise ProfileError("« postal_code » ou « insee_code » est nécessaire pour la commande "
                           "« advisor ».")
    commune = location.commune
    config = load_config()
    warnings = list(location.warnings)
    if (message := ambiguity_message(location)) is not None:
        warnings.append(message)
    row, source, fetched_at, failure = _live_desk(commune, config)
    if row is not None:
        desk = _desk_from_row(row, commune, config)
    elif _is_amiens_metropole(commune):
        desk, source, fetched_at = _amiens_snapshot(config), "offline-snapshot", None
        if desk["phone"] is None:
            warnings.append("Le téléphone de ce guichet n'est pas connu hors ligne : appelez le "
                            f"{france_renov()['national']['phone']} pour être mis en relation.")
    else:
        desk, source = _national(), "france-renov-national"
        if failure:
            warnings.append("La liste des Espaces Conseil France Rénov' n'a pas pu être "
                            "consultée : le numéro national vous orientera vers votre conseiller.")
        else:
            warnings.append("Aucun Espace Conseil France Rénov' n'est enregistré pour cette "
                            "commune : le numéro national vous orientera vers votre conseiller.")
    national = france_renov()["national"]
    return {
        "insee_code": commune.insee_code,
        "commune": commune.name,
        **desk,
        "source": source,
        "fetched_at": (dt.datetime.fromtimestamp(fetched_at, tz=dt.timezone.utc)
                       .isoformat(timespec="seconds") if fetched_at else None),
        "national_phone": national["phone"],
        "national_hours": national["hours"],
        "communes": communes_field(location),
        "warnings": warnings,
    }
