"""Short French chat message summarising an aids result (for the Rasa assistant)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bot.aids.context import format_eur, french_date
from bot.aids.income import LABELS_FR
from bot.profile import WORK_LABELS_FR

AID_LABELS_FR = {
    "mpr_par_geste": "MaPrimeRénov' par geste",
    "mpr_ampleur": "MaPrimeRénov' parcours accompagné",
    "mpr_accompagnateur": "prise en charge de l'Accompagnateur Rénov'",
    "cee": "prime CEE",
    "eco_ptz": "éco-prêt à taux zéro",
    "par_plus": "prêt avance rénovation (PAR+)",
    "vat_reduced": "TVA à taux réduit",
    "cheque_energie": "chèque énergie",
}
DISCLAIMER = "Montants indicatifs — à confirmer avec un conseiller France Rénov'."
MAX_LINES = 8
MAX_WARNINGS = 3
MAX_UNKNOWN = 4


def _why_unknown(item: dict[str, Any]) -> str:
    """The missing fact or whom to ask, without repeating « non calculable »."""
    reason = item["reasons"][0] if item["reasons"] else "montant non connu."
    detail = reason.split(" non calculable : ", 1)[-1]
    detail = detail.removeprefix("Montant non calculable : ")
    return detail[:1].lower() + detail[1:]


def aid_label(item: dict[str, Any]) -> str:
    aid = item["aid"]
    if aid.startswith("local:"):
        return item.get("name") or aid
    label = AID_LABELS_FR.get(aid, aid)
    if item.get("details", {}).get("scheme") == "coup_de_pouce_renovation_ampleur":
        label = "Coup de pouce CEE « rénovation d'ampleur »"
    elif item.get("details", {}).get("coup_de_pouce"):
        label = "prime Coup de pouce Chauffage"
    if item.get("work"):
        label += f" ({WORK_LABELS_FR.get(item['work'], item['work'])})"
    return label


def format_aids_message(result: dict[str, Any]) -> str:
    lines: list[str] = []
    rules_date = dt.date.fromisoformat(result["rules_date"])
    category = result.get("income_category")
    header = f"Aides estimées selon les règles en vigueur le {french_date(rules_date)}"
    if category:
        header += f", ménage aux revenus {LABELS_FR[category]}"
    lines.append(header + " :")
    grants = [a for a in result["aids"] if a["kind"] == "grant" and a["eligible"] is True
              and a.get("retained", True) and isinstance(a.get("amount_eur"), int)
              and a["amount_eur"] > 0]
    grants.sort(key=lambda a: -a["amount_eur"])
    for item in grants[:MAX_LINES]:
        lines.append(f"• {aid_label(item)} : {format_eur(item['amount_eur'])}")
    if len(grants) > MAX_LINES:
        lines.append(f"• … et {len(grants) - MAX_LINES} autre(s) aide(s)")
    if grants:
        lines.append(f"Total des aides : {format_eur(result['total_grants_eur'])}.")
    else:
        lines.append("Aucune subvention chiffrable avec les informations données.")
    pending = [a for a in result["aids"] if a.get("potential_amount_eur")
               and not any("Non cumulable" in r for r in a["reasons"])]
    if pending:
        total = sum(a["potential_amount_eur"] for a in pending)
        lines.append(f"{pending[0]['reasons'][0]} Montant possible à la réouverture : environ "
                     f"{format_eur(total)}.")
    unknown = [a for a in result["aids"] if a["kind"] == "grant" and a["eligible"] is not False
               and a.get("amount_eur") is None]
    if unknown:
        lines.append("Non chiffré pour l'instant :")
        for item in unknown[:MAX_UNKNOWN]:
            lines.append(f"• {aid_label(item)} : {_why_unknown(item)}")
        if len(unknown) > MAX_UNKNOWN:
            lines.append(f"• … et {len(unknown) - MAX_UNKNOWN} autre(s)")
    loans = [a for a in result["aids"] if a["kind"] == "loan" and a["eligible"] is True
             and a.get("max_amount_eur")]
    for item in loans:
        lines.append(f"Prêt possible : {aid_label(item)} jusqu'à "
                     f"{format_eur(item['max_amount_eur'])}.")
    warnings = result.get("warnings") or []
    for warning in warnings[:MAX_WARNINGS]:
        lines.append(f"⚠ {warning}")
    if len(warnings) > MAX_WARNINGS:
        lines.append(f"⚠ {len(warnings) - MAX_WARNINGS} autre(s) point(s) à vérifier.")
    lines.append(DISCLAIMER)
    return "\n".join(lines)


# --- Phone-sized answer, details, sources and "why" (issue 11) --------------------------

CHAT_MAX_CHARS = 700
CHAT_CAVEAT = "Montants indicatifs, à confirmer avec un conseiller France Rénov' (gratuit)."
MAX_CHAT_LINES = 5
MAX_WHY = 5


def _retained(item: dict[str, Any]) -> bool:
    return item.get("retained", item.get("eligible") is True)


def format_aids_chat(result: dict[str, Any], notes: list[str] | None = None) -> str:
    """The aids answer for a phone: total, one line per retained aid, one caveat line."""
    category = result.get("income_category")
    header = "Aides estimées"
    if category:
        header += f", revenus {LABELS_FR[category]}"
    total = result.get("total_grants_eur") or 0
    grants = [a for a in result["aids"] if a["kind"] == "grant" and a["eligible"] is True
              and _retained(a) and isinstance(a.get("amount_eur"), int) and a["amount_eur"] > 0]
    grants.sort(key=lambda a: -a["amount_eur"])
    lines = [f"{header} : {format_eur(total)} au total." if grants
             else f"{header} : aucune subvention chiffrable avec ces informations."]
    shown = grants[:MAX_CHAT_LINES]
    for item in shown:
        lines.append(f"• {aid_label(item)} : {format_eur(item['amount_eur'])}")
    if len(grants) > len(shown):
        lines.append(f"• … et {len(grants) - len(shown)} autre(s) (« Détails »)")
    pending = [a for a in result["aids"] if a.get("potential_amount_eur")
               and not any("Non cumulable" in r for r in a["reasons"])]
    if pending:  # e.g. a desk closed for now: say what could come when it reopens
        first = pending[0]["reasons"][0].split(". ")[0].rstrip(".")
        lines.append(f"{first} : environ "
                     f"{format_eur(sum(a['potential_amount_eur'] for a in pending))} possibles.")
    loans = [a for a in result["aids"] if a["kind"] == "loan" and a["eligible"] is True
             and a.get("max_amount_eur")]
    if loans:
        lines.append(f"+ {aid_label(loans[0])} jusqu'à {format_eur(loans[0]['max_amount_eur'])}")
    for note in notes or []:
        lines.append(note)
    lines.append(CHAT_CAVEAT)
    text = "\n".join(lines)
    while len(text) > CHAT_MAX_CHARS and len(lines) > 2:
        lines.pop(-2)  # notes and loans go first, the total and the caveat stay
        text = "\n".join(lines)
    return text


def format_aids_sources(result: dict[str, Any], limit: int = 6) -> str:
    """Named official links behind the figures (Markdown links, never a bare URL)."""
    seen: set[str] = set()
    lines: list[str] = []
    for item in result["aids"]:
        if not (item.get("eligible") and (item.get("amount_eur") or item.get("max_amount_eur"))):
            continue
        named = item.get("sources") or []
        if not named and isinstance(item.get("source"), str):
            named = [{"title": _site_name(item["source"]), "href": item["source"]}]
        for source in named:
            href, title = source.get("href"), source.get("title")
            if not href or href in seen:
                continue
            seen.add(href)
            lines.append(f"• {aid_label(item)} : [{title or _site_name(href)}]({href})")
    if not lines:
        return "Je n'ai pas de source à vous donner pour ce calcul."
    return "Sources officielles des montants :\n" + "\n".join(lines[:limit])


def _site_name(url: str) -> str:
    """The site's name ("www.ecologie.gouv.fr" -> "ecologie.gouv.fr"), shown for a link."""
    host = url.split("//", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.")


def format_aids_why(result: dict[str, Any]) -> str:
    """Why each aid is refused, set aside or reduced, in the engine's own words."""
    lines: list[str] = []
    for item in result["aids"]:
        reasons = list(item.get("reasons") or [])
        if item.get("eligible") is True and _retained(item):
            reasons = [note for note in item.get("notes") or []
                       if "plafon" in note or "écrêt" in note or "réduit" in note]
        if not reasons:
            continue
        lines.append(f"• {aid_label(item)} : {reasons[0]}")
    if not lines:
        return ("Toutes les aides calculées sont retenues à taux plein pour votre situation. "
                "Le montant dépend surtout des revenus du foyer et des travaux choisis.")
    extra = len(lines) - MAX_WHY
    text = "Pourquoi ces montants :\n" + "\n".join(lines[:MAX_WHY])
    if extra > 0:
        text += f"\n… et {extra} autre(s) raison(s) dans « Détails »."
    return text


# --- "Détails": one line per aid, its amount or why not, retained or not ------------------

MAX_REASON_CHARS = 160
_URL = re.compile(r"\s*\(?https?://\S+\)?")
_CAP_NOTE = re.compile(r"plafonn|écrêt|réduit")


def _short(sentence: str) -> str:
    """The first sentence of an engine reason, without any link (links are on "Sources")."""
    sentence = _URL.sub("", sentence).strip()
    first = sentence.split(". ", 1)[0].rstrip(".")
    if len(first) > MAX_REASON_CHARS:
        first = first[:MAX_REASON_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return first[:1].lower() + first[1:]


def _detail_line(item: dict[str, Any], full_path: bool = False) -> str:
    label = aid_label(item)
    label = label[:1].upper() + label[1:]
    if full_path and item.get("work") and item.get("eligible") is None:
        # Per-work aids are not cumulable with the parcours accompagné retained instead.
        return f"– {label} : non calculée, le parcours accompagné est retenu à la place."
    reasons = [r for r in item.get("reasons") or [] if r]
    # Only the notes that change the figure (a cap, the écrêtement) belong to the line.
    notes = [n for n in item.get("notes") or [] if _CAP_NOTE.search(n)]
    amount, ceiling = item.get("amount_eur"), item.get("max_amount_eur")
    if item.get("eligible") is False:
        why = _short(reasons[0]) if reasons else "conditions non remplies"
        return f"✗ {label} : non, {why}."
    if item.get("eligible") is True and _retained(item):
        if item["kind"] == "loan" and ceiling:
            line = f"✓ {label} : prêt jusqu'à {format_eur(ceiling)}, retenu"
        elif isinstance(amount, int):
            line = f"✓ {label} : {format_eur(amount)}, retenue"
        else:
            line = f"✓ {label} : applicable"
        return f"{line} ({_short(notes[0])})." if notes else f"{line}."
    if item.get("eligible") is True:  # eligible but set aside (not cumulable, capped out)
        figure = f"{format_eur(amount)} " if isinstance(amount, int) else ""
        why = _short(reasons[0]) if reasons else "non cumulable avec une aide retenue"
        return f"– {label} : {figure}non retenue, {why}."
    why = _why_unknown(item) if reasons else "montant non connu."
    return f"? {label} : non chiffrée, {_short(why)}."


def format_aids_details(result: dict[str, Any]) -> str:
    """"Détails" of the aids answer: each aid in one line (✓ retained with its amount, – set
    aside and why, ✗ refused and why, ? not computable and what is missing); no links."""
    category = result.get("income_category")
    rules_date = dt.date.fromisoformat(result["rules_date"])
    header = f"Détail par aide selon les règles en vigueur le {french_date(rules_date)}"
    if category:
        header += f", revenus {LABELS_FR[category]}"
    order = {True: 0, None: 2, False: 3}
    items = sorted(result["aids"], key=lambda a: (
        order.get(a.get("eligible"), 3) + (0 if _retained(a) else 1),
        -(a.get("amount_eur") or 0)))
    full_path = any(a["aid"] == "mpr_ampleur" and a.get("eligible") is True and _retained(a)
                    for a in result["aids"])
    lines = [header + " :"] + [_detail_line(item, full_path) for item in items]
    total = result.get("total_grants_eur") or 0
    lines.append(f"Total des aides retenues : {format_eur(total)}." if total
                 else "Aucune subvention chiffrée pour l'instant.")
    lines.append(CHAT_CAVEAT)
    return "\n".join(lines)
