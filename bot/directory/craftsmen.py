"""RGE craftsmen near a household's commune, from the ADEME open dataset
`liste-des-entreprises-rge-2` (data-fair API, Licence Ouverte 2.0).

One row of the dataset = one company × one qualification. We ask for the domains of the
planned works around the commune (sorted by distance by the API), keep the rows valid on
the profile's date for companies that work for individuals, group them by SIRET and widen
the radius while too few companies are found. Never raises on network faults: `source`
says where the list comes from ("ademe-rge-api", "cache" or "none").
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from bot.directory.config import load_config
from bot.directory.http_client import DataFairDataset, Fetched, ServiceUnavailable
from bot.directory.reference import france_renov, rge_domains
from bot.errors import ProfileError
from bot.geo import Commune, communes_field, locate
from bot.geo.locate import ambiguity_message
from bot.profile import WORK_LABELS_FR, Profile

RADII_KM = (10, 25, 50, 100)
MIN_COMPANIES = 5  # per work: below that, widen the radius
MAX_PER_WORK = 10
PAGE_SIZE = 200
MAX_PAGES = 3  # one row per qualification: a company may fill several rows
SELECT = ",".join([
    "siret", "nom_entreprise", "adresse", "code_postal", "commune", "latitude", "longitude",
    "telephone", "email", "site_internet", "domaine", "nom_qualification", "nom_certificat",
    "organisme", "particulier", "lien_date_debut", "lien_date_fin",
])


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def domain_query(domains: list[str]) -> str:
    """Lucene `qs`: the exact domains, companies working for individuals."""
    return f"domaine:({' OR '.join(_quote(d) for d in domains)}) AND particulier:true"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    radius = 6371.0
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * radius * math.asin(min(1.0, math.sqrt(a)))


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def row_is_valid(row: dict, on: dt.date) -> bool:
    """Works for individuals and its qualification covers the date."""
    if row.get("particulier") not in (True, "true", "True", 1, "1"):
        return False
    end, start = _date(row.get("lien_date_fin")), _date(row.get("lien_date_debut"))
    if end is None or end < on:
        return False
    return start is None or start <= on


def _text(row: dict, key: str) -> str:
    value = row.get(key)
    return value.strip() if isinstance(value, str) else ""


def _distance(row: dict, commune: Commune) -> float | None:
    try:
        latitude, longitude = float(row["latitude"]), float(row["longitude"])
    except (KeyError, TypeError, ValueError):
        metres = row.get("_geo_distance")
        return round(metres / 1000, 1) if isinstance(metres, (int, float)) else None
    if commune.latitude is None or commune.longitude is None:
        return None
    return round(haversine_km(commune.latitude, commune.longitude, latitude, longitude), 1)


def group_by_siret(rows: list[dict], domains_to_works: dict[str, set[str]], on: dt.date,
                   commune: Commune) -> dict[str, dict]:
    companies: dict[str, dict] = {}
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("domaine"), str):
            continue
        siret = _text(row, "siret")
        works = domains_to_works.get(row["domaine"], set())
        if not siret or not works or not row_is_valid(row, on):
            continue
        company = companies.get(siret)
        if company is None:
            company = companies[siret] = {
                "siret": siret,
                "name": _text(row, "nom_entreprise"),
                "address": _text(row, "adresse"),
                "postal_code": _text(row, "code_postal"),
                "city": _text(row, "commune"),
                "distance_km": _distance(row, commune),
                "phone": _text(row, "telephone"),
                "email": _text(row, "email"),
                "website": _text(row, "site_internet"),
                "works": [],
                "qualifications": [],
                "domains": [],
                "valid_until": None,
            }
        for work in sorted(works):
            if work not in company["works"]:
                company["works"].append(work)
        label = _text(row, "nom_qualification") or _text(row, "nom_certificat")
        if label and label not in company["qualifications"]:
            company["qualifications"].append(label)
        if row["domaine"] not in company["domains"]:
            company["domains"].append(row["domaine"])
        end = _text(row, "lien_date_fin")[:10]
        # The earliest end among the useful qualifications: the safe date to quote.
        if company["valid_until"] is None or end < company["valid_until"]:
            company["valid_until"] = end
    return companies


def _search_params(domains: list[str], commune: Commune, radius_km: int) -> dict[str, Any]:
    params: dict[str, Any] = {"qs": domain_query(domains), "size": PAGE_SIZE, "select": SELECT}
    if commune.latitude is not None and commune.longitude is not None:
        params["geo_distance"] = f"{commune.longitude}:{commune.latitude}:{radius_km * 1000}"
    else:  # no position known: companies of the commune's postal codes
        codes = " OR ".join(_quote(code) for code in commune.postal_codes)
        params["qs"] += f" AND code_postal:({codes})"
    return params


def find_craftsmen(profile: Profile) -> dict[str, Any]:
    """The directory result of contract §6 for the profile's commune and works."""
    location = locate(profile)
    if location is None:
        raise ProfileError("« postal_code » ou « insee_code » est nécessaire pour la commande "
                           "« craftsmen ».")
    if not profile.works:
        raise ProfileError("« works » est nécessaire pour la commande « craftsmen » : "
                           "indiquez les travaux prévus.")
    commune = location.commune
    config = load_config()
    dataset = DataFairDataset(config.rge_dataset, config, config.craftsmen_cache_ttl_s)
    mapping = rge_domains()
    warnings = list(location.warnings)
    if (message := ambiguity_message(location)) is not None:
        warnings.append(message)

    # Works needing the same domains share one search (e.g. the three heat pumps).
    searches: dict[tuple[str, ...], list[str]] = {}
    for work in dict.fromkeys(profile.work_types()):
        domains = tuple(mapping.get(work, []))
        if not domains:
            warnings.append(f"Aucune qualification RGE n'existe pour « {WORK_LABELS_FR[work]} » : "
                            "aucun artisan RGE n'est recherché pour ces travaux.")
            continue
        searches.setdefault(domains, []).append(work)

    companies: dict[str, dict] = {}
    sources: set[str] = set()
    fetched_at: list[float] = []
    radius_used = 0
    unavailable = False
    for domains, works in searches.items():
        domains_to_works = {domain: set(works) for domain in domains}
        found: dict[str, dict] = {}
        for radius in RADII_KM if commune.latitude is not None else RADII_KM[:1]:
            try:
                fetched: Fetched = dataset.lines(_search_params(list(domains), commune, radius),
                                                 max_pages=MAX_PAGES)
            except ServiceUnavailable:
                unavailable = True
                break
            sources.add(fetched.source)
            fetched_at.append(fetched.fetched_at)
            found = group_by_siret(fetched.data, domains_to_works, profile.date, commune)
            if commune.latitude is not None:
                radius_used = max(radius_used, radius)
            if len(found) >= MIN_COMPANIES:
                break
        nearest = sorted(found.values(), key=_sort_key)[:MAX_PER_WORK]
        for company in nearest:
            if company["siret"] in companies:
                merged = companies[company["siret"]]
                for key in ("works", "qualifications", "domains"):
                    merged[key] += [v for v in company[key] if v not in merged[key]]
                merged["valid_until"] = min(merged["valid_until"], company["valid_until"])
            else:
                companies[company["siret"]] = company

    if "api" in sources:
        source = "ademe-rge-api"
    elif sources:
        source = "cache"
    else:
        source = "none"
    if unavailable:
        warnings.append("L'annuaire RGE de l'ADEME n'a pas pu être consulté"
                        + (" pour une partie des travaux" if sources else "")
                        + " : cherchez aussi sur l'annuaire officiel France Rénov'.")
    result: dict[str, Any] = {
        "source": source,
        "fetched_at": _iso(min(fetched_at)) if fetched_at else None,
        "craftsmen": sorted(companies.values(), key=_sort_key),
        "search_url": france_renov()["rge_search_url"],
        "insee_code": commune.insee_code,
        "commune": commune.name,
        "communes": communes_field(location),
        "radius_km": radius_used or None,
        "works_searched": [work for works in searches.values() for work in works],
        "data_licence": "Licence Ouverte 2.0 (ADEME, liste des entreprises RGE)",
        "warnings": warnings,
    }
    return result


def _sort_key(company: dict) -> tuple:
    distance = company["distance_km"]
    return (distance is None, distance if distance is not None else 0.0, company["name"])


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc).isoformat(timespec="seconds")
