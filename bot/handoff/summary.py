"""The project summary's content, built from a profile by the existing engines.

`build_summary(profile)` returns plain JSON-ready data (stored as is, rendered to HTML and
PDF by `bot.handoff.render`): the home as understood, the works, every aid with its amount
and whether it is counted, totals, remaining cost, loans, savings, next steps, the rules
date, the sources and the caveats. Nothing here formats HTML.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.aids.engine import compute_aids
from bot.aids.income import LABELS_FR as INCOME_LABELS_FR
from bot.aids.messages import DISCLAIMER, aid_label
from bot.directory.reference import france_renov
from bot.errors import ProfileError
from bot.profile import WORK_LABELS_FR, Profile
from bot.savings.engine import estimate_savings

HOUSING_FR = {"house": "Maison", "apartment": "Appartement"}
OCCUPANCY_FR = {"owner_occupier": "Propriétaire occupant", "landlord": "Propriétaire bailleur",
                "tenant": "Locataire", "second_home_owner": "Résidence secondaire"}
HEATING_FR = {"electricity": "Électricité", "gas": "Gaz", "fuel_oil": "Fioul",
              "propane": "Propane", "wood_logs": "Bois (bûches)",
              "wood_pellets": "Bois (granulés)", "district_heating": "Réseau de chaleur",
              "heat_pump": "Pompe à chaleur"}
DOCUMENTS = [
    "Votre dernier avis d'impôt (revenu fiscal de référence) pour chaque personne du foyer.",
    "Les devis d'entreprises RGE, non signés avant le dépôt des dossiers d'aide.",
    "Votre DPE ou, pour une rénovation d'ampleur, l'audit énergétique.",
]
# Aids that are loans or tax rebates: shown apart from the grants, never added to them.
LOAN_KINDS = {"loan"}


def _fact(label: str, value: Any) -> dict[str, str]:
    return {"label": label, "value": "non indiqué" if value in (None, "") else str(value)}


def _home(profile: Profile, communes: list[dict]) -> list[dict[str, str]]:
    commune = ", ".join(c.get("name", "") for c in communes) or None
    place = " ".join(p for p in (profile.postal_code, commune) if p) or profile.city
    surface = f"{profile.surface_m2:g} m²" if profile.surface_m2 else None
    size = (f"{profile.household_size} personne{'s' if profile.household_size > 1 else ''}"
            if profile.household_size else None)
    income = (f"{profile.reference_income:,.0f} €".replace(",", "\u202f")
              if profile.reference_income is not None else None)
    return [
        _fact("Commune", place),
        _fact("Logement", HOUSING_FR.get(profile.housing_type or "")),
        _fact("Statut", OCCUPANCY_FR.get(profile.occupancy or "")),
        _fact("Année de construction", profile.construction_year),
        _fact("Surface habitable", surface),
        _fact("Chauffage", HEATING_FR.get(profile.heating_energy or "")),
        _fact("Classe DPE actuelle", profile.dpe_class),
        _fact("Classe DPE visée", profile.dpe_class_after),
        _fact("Personnes au foyer", size),
        _fact("Revenu fiscal de référence", income),
        *_refine_answers(profile),
    ]


# The optional answers of « Affiner l'estimation » (contract §3 additions): shown only when
# given, like the other facts (DIALOGUE engineer, issue 12).
_REFINE_ROWS = (
    ("house_position", "Maison mitoyenne", {"detached": "non", "semi_detached": "d'un côté",
                                            "terraced": "des deux côtés"}),
    ("apartment_floor", "Étage", {"ground": "rez-de-chaussée", "middle": "intermédiaire",
                                  "top": "dernier étage"}),
    ("roof_insulated", "Toiture déjà isolée", {True: "oui", False: "non"}),
    ("walls_insulated", "Murs déjà isolés", {True: "oui", False: "non"}),
    ("boiler_type", "Type de chaudière", {"standard": "standard",
                                          "low_temperature": "basse température",
                                          "condensing": "à condensation"}),
    ("secondary_heating", "Chauffage d'appoint", {"none": "aucun",
                                                  "wood_stove": "poêle ou insert à bois",
                                                  "electric_heaters": "radiateurs électriques"}),
)


def _refine_answers(profile: Profile) -> list[dict[str, str]]:
    rows = [_fact(label, names.get(getattr(profile, field, None)))
            for field, label, names in _REFINE_ROWS if getattr(profile, field, None) is not None]
    age = getattr(profile, "boiler_age_years", None)
    if age is not None:
        rows.append(_fact("Âge de la chaudière", f"{age} an{'s' if age > 1 else ''}"))
    return rows


def _works(profile: Profile, savings: dict | None) -> list[dict[str, Any]]:
    per_work = {w["type"]: w for w in (savings or {}).get("per_work", [])}
    works = []
    for work in profile.works:
        quantity = (f"{work.surface_m2:g} m²" if work.surface_m2
                    else f"{work.count} unité(s)" if work.count else None)
        cost = work.cost_eur if work.cost_eur is not None else \
            per_work.get(work.type, {}).get("cost_eur")
        works.append({"type": work.type, "label": WORK_LABELS_FR.get(work.type, work.type),
                      "quantity": quantity, "cost_eur": cost,
                      "cost_estimated": work.cost_eur is None and cost is not None,
                      "kwh": per_work.get(work.type, {}).get("kwh"),
                      "eur": per_work.get(work.type, {}).get("eur")})
    return works


def _retained(item: dict) -> bool:
    """An aid counts in the totals when the engine says so (`retained`, TRUST engineer's
    addition) or, before that field exists, when it is an eligible grant with an amount."""
    if "retained" in item:
        return bool(item["retained"])
    return item.get("eligible") is True and item.get("kind") == "grant" \
        and isinstance(item.get("amount_eur"), (int, float))


def _sources(item: dict) -> list[dict[str, str]]:
    if item.get("sources"):
        return [{"title": s.get("title") or s.get("href", ""), "href": s.get("href", "")}
                for s in item["sources"] if isinstance(s, dict)]
    source = item.get("source")
    return [{"title": source, "href": source}] if source else []


def _aid_row(item: dict) -> dict[str, Any]:
    amount = item.get("amount_eur")
    if amount is None:
        amount = item.get("max_amount_eur") if item.get("kind") in LOAN_KINDS else None
    if item.get("eligible") is True:
        status = "Retenue" if _retained(item) else "Possible, non comptée"
    elif item.get("eligible") is False:
        status = "Non éligible"
    else:
        status = "À vérifier"
    why = list(item.get("reasons") or [])
    if not why and item.get("notes"):
        why = list(item["notes"])[:1]
    return {"aid": item.get("aid"), "label": aid_label(item)[:1].upper() + aid_label(item)[1:],
            "kind": item.get("kind"), "amount_eur": amount, "status": status,
            "retained": _retained(item), "why": why, "sources": _sources(item)}


def _unique_sources(aids: list[dict]) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for row in aids:
        for source in row["sources"]:
            if source["href"].startswith("https://") and source["href"] not in seen:
                seen[source["href"]] = source
    return list(seen.values())


def build_summary(profile: Profile, advisor: dict | None = None,
                  today: dt.date | None = None) -> dict[str, Any]:
    """The summary's data. `advisor` is the directory's desk (contract §6) when known: the
    caller passes it because looking it up may need the network."""
    aids = compute_aids(profile)
    try:
        savings: dict | None = estimate_savings(profile)
    except ProfileError as error:  # too little known about the home: say what is missing
        savings, savings_missing = None, str(error)
    else:
        savings_missing = None
    rows = [_aid_row(item) for item in aids.get("aids", [])]
    grants = [r for r in rows if r["kind"] == "grant" and r["retained"]]
    loans = [r for r in rows if r["kind"] in LOAN_KINDS and r["status"] != "Non éligible"]
    others = [r for r in rows if r not in grants and r not in loans]
    works = _works(profile, savings)
    costs = [w["cost_eur"] for w in works]
    total_cost = profile.total_cost_eur
    if total_cost is None and costs and all(c is not None for c in costs):
        total_cost = sum(costs)
    total_grants = aids.get("total_grants_eur") or 0
    remaining = max(total_cost - total_grants, 0) if total_cost is not None else None
    communes = (savings or {}).get("communes") or (advisor or {}).get("communes") or []
    return {
        "created": (today or dt.date.today()).isoformat(),
        "rules_date": aids.get("rules_date"),
        "prices_date": (savings or {}).get("prices_date"),
        "income_category": INCOME_LABELS_FR.get(aids.get("income_category") or ""),
        "home": _home(profile, communes),
        "works": works,
        "grants": grants,
        "loans": loans,
        "other_aids": others,
        "total_grants_eur": total_grants,
        "total_cost_eur": total_cost,
        "remaining_cost_eur": remaining,
        "savings": savings and {
            "baseline": savings["baseline"], "after": savings["after"],
            "savings": savings["savings"], "payback_years": savings.get("payback_years"),
            "payback_years_range": savings.get("payback_years_range")},
        "savings_missing": savings_missing,
        "dpe_before": profile.dpe_class or (savings or {}).get("baseline", {}).get(
            "dpe_class_estimate"),
        "dpe_after": profile.dpe_class_after or (savings or {}).get("after", {}).get(
            "dpe_class_estimate"),
        "advisor": _advisor(advisor),
        "documents": DOCUMENTS,
        "sources": _unique_sources(rows),
        "caveats": [DISCLAIMER, *aids.get("warnings", [])[:4],
                    *((savings or {}).get("warnings") or [])[:2]],
    }


def _advisor(advisor: dict | None) -> dict[str, Any]:
    if not advisor:
        national = france_renov()["national"]
        return {"name": national["name"], "phone": None, "email": None, "address": None,
                "website": national["website"], "national_phone": national["phone"]}
    keys = ("name", "address", "phone", "email", "website", "national_phone")
    return {key: advisor.get(key) for key in keys}
