"""Short French chat answer for a savings result (contract §5 dict), for the Rasa assistant."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.profile import WORK_LABELS_FR

NNBSP = "\u202f"  # French thousands separator
MAX_WARNINGS = 2


def _thousands(number: float) -> str:
    return f"{number:,.0f}".replace(",", NNBSP)


def _kwh(kwh: float) -> str:
    return f"{_thousands(round(kwh, -2) if abs(kwh) >= 1000 else round(kwh, -1))} kWh"


def _eur(eur: float) -> str:
    return f"{_thousands(round(eur, -1) if abs(eur) >= 100 else round(eur))} €"


def _tonnes(kg: float) -> str:
    if abs(kg) >= 1000:
        return f"{kg / 1000:.1f}".replace(".", ",") + " t"
    return f"{round(kg, -1):.0f} kg"


def _years(years: float) -> str:
    return f"{years:.0f}" if years >= 10 else f"{years:.1f}".replace(".", ",").replace(",0", "")


def _date(iso: str | None) -> str | None:
    if not iso:
        return None
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def format_savings_message(result: dict[str, Any]) -> str:
    before, after, savings = result["baseline"], result["after"], result["savings"]
    lines: list[str] = []
    works = [WORK_LABELS_FR.get(w["type"], w["type"]) for w in result.get("per_work", [])]
    if not works:
        lines.append(
            f"Sans travaux, la consommation conventionnelle de chauffage et d'eau chaude est "
            f"estimée à {_kwh(before['final_energy_kwh'])} par an (≈ {_eur(before['cost_eur'])}), "
            f"DPE estimé {before['dpe_class_estimate']}. Dites-moi quels travaux vous envisagez "
            "pour estimer les économies."
        )
    else:
        low, high = savings["eur_range"]
        lines.append(f"Estimation pour : {', '.join(works)}.")
        if high <= 0:
            lines.append(f"• Ces travaux ne baissent pas la facture d'énergie "
                         f"({_kwh(savings['kwh'])} économisés par an).")
        else:
            if _eur(max(low, 0)) != _eur(high):
                lines.append(f"• Économie : environ {_kwh(savings['kwh'])} par an "
                             f"({savings['percent']} %), soit entre {_eur(max(low, 0))} et "
                             f"{_eur(high)} par an. Le bas de la fourchette s'appuie sur les "
                             "économies mesurées sur le terrain, souvent bien inférieures au "
                             "calcul conventionnel.")
            else:
                lines.append(f"• Économie : environ {_kwh(savings['kwh'])} par an "
                             f"({savings['percent']} %), soit environ {_eur(high)} par an "
                             "(calcul conventionnel).")
        lines.append(f"• Facture chauffage + eau chaude (calcul conventionnel) : "
                     f"{_eur(before['cost_eur'])} → {_eur(after['cost_eur'])} par an.")
        co2 = savings["co2_kg"]
        lines.append(f"• CO₂ : {'−' if co2 >= 0 else '+'}{_tonnes(abs(co2))} par an.")
        payback, span = result.get("payback_years"), result.get("payback_years_range")
        if payback is not None:
            if span and span[0] is not None and span[1] is not None and span[1] != span[0]:
                lines.append(f"• Retour sur investissement : {_years(span[0])} à "
                             f"{_years(span[1])} ans (hors aides).")
            elif span and span[1] is None:
                lines.append(f"• Retour sur investissement : {_years(payback)} ans au mieux "
                             "(hors aides), peut-être jamais si les économies réelles sont "
                             "faibles.")
            else:
                lines.append(f"• Retour sur investissement : {_years(payback)} ans (hors aides).")
        lines.append(f"• DPE estimé : {before['dpe_class_estimate']} → "
                     f"{after['dpe_class_estimate']}.")
    assumptions = result.get("assumptions") or []
    if assumptions:
        lines.append(f"Hypothèse principale : {assumptions[0]}")
    prices_date = _date(result.get("prices_date"))
    rules_date = _date(result.get("rules_date"))
    if prices_date:
        lines.append(f"Prix de l'énergie appliqués au {rules_date} (dernier relevé : "
                     f"{prices_date}).")
    price_sources = sorted({(price.get("source") or "").split()[0]
                            for price in (result.get("energy_prices") or {}).values()
                            if (price.get("source") or "").startswith("http")})
    if price_sources:
        lines.append("Sources des prix : " + " ; ".join(price_sources) + ".")
    warnings = result.get("warnings") or []
    for warning in warnings[:MAX_WARNINGS]:
        lines.append(f"⚠️ {warning}")
    if len(warnings) > MAX_WARNINGS:
        lines.append(f"(+ {len(warnings) - MAX_WARNINGS} autre(s) réserve(s) dans le détail.)")
    return "\n".join(lines)
