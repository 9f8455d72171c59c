"""`compute_aids(profile)`: which aids a household can get, and how much, for the rules in
force on `profile.date` (contract §4).

Three mutually exclusive ways to fund one project are compared — MaPrimeRénov' par geste
with CEE per work, MaPrimeRénov' parcours accompagné (CEE included by the Anah), or the CEE
Coup de pouce « rénovation d'ampleur » alone — and the most favourable one is retained; the
others stay listed with their potential amount and the reason they are not counted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.aids.ampleur import ampleur_entries, coup_de_pouce_ampleur_entry
from bot.aids.cee import cee_entry
from bot.aids.context import Context
from bot.aids.entries import add_reason, is_counted_grant, is_payable_grant
from bot.aids.financing import cheque_energie_entry, eco_ptz_entry, par_plus_entry, vat_entry
from bot.aids.geste import mpr_geste_entry
from bot.aids.income import income_category
from bot.aids.local import local_entries
from bot.aids.reasons_fr import reason, warning
from bot.geo import ambiguity_message, communes_field, locate
from bot.params import Rules
from bot.profile import Profile


def _total(items: list[dict]) -> int:
    return sum(item["amount_eur"] for item in items if is_counted_grant(item))


def _retain_best_path(paths: dict[str, list[dict]]) -> str:
    """Keeps the most favourable way of funding the project; ties keep the first listed.
    The other routes stay eligible with their amount, but `retained: false` (not counted)."""
    totals = {name: _total(items) for name, items in paths.items()}
    chosen = max(totals, key=lambda name: totals[name])
    for name, items in paths.items():
        if name == chosen:
            continue
        for item in items:
            if not is_payable_grant(item):
                continue
            item["retained"] = False
            item["potential_amount_eur"] = item["amount_eur"]  # kept for older readers
            add_reason(item, reason("not_cumulative_less_favourable",
                                    chosen=reason(f"path_{chosen}"), amount_eur=totals[name],
                                    chosen_amount_eur=totals[chosen]))
    return chosen


def _unknown_period(ctx: Context, start: Any) -> dict[str, Any]:
    ctx.warn(warning("warn_rules_unknown", on=ctx.on, start=start))
    return {"rules_date": ctx.on.isoformat(), "income_category": None, "aids": [],
            "total_grants_eur": 0, "warnings": ctx.warnings}


def compute_aids(profile: Profile, cee_price_eur_per_kwhc: float | None = None) -> dict[str, Any]:
    """Aids result of the contract (§4). Raises ProfileError (via bot.geo) for a postal or
    INSEE code that matches no commune. `cee_price_eur_per_kwhc` overrides the parameter."""
    location = locate(profile)
    ctx = Context(profile=profile, location=location, cee_price=cee_price_eur_per_kwhc)
    if location is not None:
        for warning in location.warnings:
            ctx.warn(warning)
        ambiguity = ambiguity_message(location)
        if ambiguity:
            ctx.warn(ambiguity)
    coverage = ctx.param("aids.coverage.known_rules", warn=False)
    if not coverage.value:
        later = Rules(dt.date.max).param("aids.coverage.known_rules")
        return _unknown_period(ctx, _first_known(later))
    if coverage.uncertain:
        ctx.warn(coverage.uncertain)
    ctx.category = income_category(ctx)

    per_work: list[tuple[dict, dict | None]] = []
    for work in profile.works:
        cee = cee_entry(ctx, work)
        per_work.append((mpr_geste_entry(ctx, work, cee), cee))
    geste_items = [item for pair in per_work for item in pair if item is not None]
    ampleur_items = ampleur_entries(ctx)
    cdp_ampleur = coup_de_pouce_ampleur_entry(ctx)
    chosen = _retain_best_path({
        "par_geste": geste_items,
        "ampleur": ampleur_items,
        "cee_ampleur": [cdp_ampleur] if cdp_ampleur else [],
    })
    ampleur_retained = ampleur_items[0]["retained"] is True
    _geste_warnings(ctx, geste_items)

    aids = geste_items + ampleur_items + ([cdp_ampleur] if cdp_ampleur else [])
    aids.append(eco_ptz_entry(ctx, ampleur_retained))
    aids.append(par_plus_entry(ctx, ampleur_retained))
    vat = vat_entry(ctx)
    if vat is not None:
        aids.append(vat)
    aids.append(cheque_energie_entry(ctx))
    aids.extend(local_entries(ctx, ampleur_items[0]["eligible"], ampleur_retained))
    aids = [item for item in aids if item is not None]
    for item in aids:
        item["sources"] = ctx.rules.sources_for(item["source"])

    result: dict[str, Any] = {
        "rules_date": ctx.on.isoformat(),
        "income_category": ctx.category,
        "aids": aids,
        "total_grants_eur": _total(aids),
        "warnings": ctx.warnings,
        "retained_path": chosen,
    }
    if location is not None and location.is_ambiguous:
        result["communes"] = communes_field(location)
    return result


def _first_known(later) -> Any:
    """Start of the period from which the engine knows the rules."""
    return later.start


def _geste_warnings(ctx: Context, items: list[dict]) -> None:
    geste = [item for item in items if item["aid"] == "mpr_par_geste"]
    if not geste:
        return
    profile = ctx.profile
    fg = ctx.param("aids.mpr.geste.fg_houses", warn=False)
    if profile.housing_type == "house" and profile.dpe_class in fg.value and fg.uncertain:
        ctx.warn(fg.uncertain)
    cap = ctx.param("aids.mpr.geste.dwelling_cap", warn=False)
    total = sum(item["amount_eur"] or 0 for item in geste if item["retained"] is True)
    if total > cap.value and cap.uncertain:
        ctx.warn(cap.uncertain)
