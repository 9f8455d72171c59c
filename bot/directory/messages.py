"""Short French chat texts for the directory results (used by the Rasa actions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.profile import WORK_LABELS_FR

MAX_SHOWN = 5


def of_place(name: str) -> str:
    """French "de" before a commune name: "d'Amiens", "du Havre", "des Ulis", "de Boves"."""
    for article, contracted in (("Le ", "du "), ("Les ", "des "), ("La ", "de la "),
                                ("L'", "de l'")):
        if name.startswith(article):
            return contracted + name[len(article):]
    if name[:1].lower() in "aeiouyàâéèêîôûœ":
        return "d'" + name
    return "de " + name


def _km(distance: float | None) -> str:
    return "" if distance is None else f"{distance:.1f} km".replace(".", ",")


def _day(iso: str | None) -> str | None:
    if not iso:
        return None
    try:
        return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return None


def _works(codes: list[str]) -> str:
    return ", ".join(WORK_LABELS_FR.get(code, code) for code in codes)


def _warnings(result: dict[str, Any]) -> list[str]:
    return [w for w in result.get("warnings", []) if isinstance(w, str)]


def format_craftsmen_message(result: dict[str, Any]) -> str:
    commune = result.get("commune") or "votre commune"
    search_url = result.get("search_url", "")
    companies = result.get("craftsmen") or []
    works = _works(result.get("works_searched") or [])
    lines: list[str] = []
    if companies:
        shown = companies[:MAX_SHOWN]
        lines.append(f"Voici {len(shown)} entreprise{'s' if len(shown) > 1 else ''} RGE "
                     f"proche{'s' if len(shown) > 1 else ''} {of_place(commune)}"
                     + (f" pour : {works}" if works else "") + ".")
        for index, company in enumerate(shown, 1):
            where = ", ".join(p for p in (company.get("city", "").title(),
                                          _km(company.get("distance_km"))) if p)
            contact = f" – tél. {company['phone']}" if company.get("phone") else ""
            lines.append(f"{index}. {company.get('name', '')} ({where}){contact} – "
                         f"{_works(company.get('works', []))}")
        if result.get("source") == "cache" and (day := _day(result.get("fetched_at"))):
            lines.append(f"(Liste de l'annuaire RGE de l'ADEME consultée le {day}.)")
        lines.append("Vérifiez que la qualification RGE couvre bien vos travaux à la date du "
                     "devis, et comparez plusieurs devis.")
    elif result.get("source") == "none":
        lines.append("Je n'ai pas pu consulter l'annuaire des entreprises RGE pour le moment.")
    else:
        radius = result.get("radius_km")
        around = (f"à moins de {radius} km {of_place(commune)}" if radius
                  else f"près {of_place(commune)}")
        lines.append(f"Je n'ai trouvé aucune entreprise RGE {around}"
                     + (f" pour : {works}" if works else "") + ".")
    if search_url:
        lines.append(f"Annuaire officiel France Rénov' : {search_url}")
    lines.extend(w for w in _warnings(result) if "n'a pas pu être consulté" not in w)
    return "\n".join(lines)


def format_advisor_message(result: dict[str, Any]) -> str:
    commune = result.get("commune") or "votre commune"
    national = result.get("national_phone", "0 808 800 700")
    lines: list[str] = []
    if result.get("source") == "france-renov-national":
        hours = result.get("national_hours")
        lines.append(f"Pour {commune}, appelez France Rénov' au {national}"
                     + (f", {hours}" if hours else "")
                     + ". Un conseiller vous orientera vers l'Espace Conseil de votre secteur.")
    else:
        lines.append(f"Votre Espace Conseil France Rénov' pour {commune} : {result.get('name')}.")
        for label, key in (("Adresse", "address"), ("Tél.", "phone"), ("E-mail", "email"),
                           ("Site", "website")):
            if result.get(key):
                lines.append(f"{label} : {result[key]}")
        if result.get("opening_hours"):
            lines.append("Horaires : " + " ; ".join(result["opening_hours"]))
        lines.append(f"Le conseil y est gratuit et indépendant. Numéro national : {national}.")
    # The national-number fallback already says what its warning would repeat.
    lines.extend(w for w in _warnings(result) if "numéro national vous orientera" not in w)
    return "\n".join(lines)
