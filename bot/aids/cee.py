"""CEE (primes énergie): standard-sheet estimate per work and the Coup de pouce Chauffage.

Amount = kWh cumac of the sheet x zone / surface factors x price per kWh cumac. When the
sheet has performance bands (ETAS, SCOP) that the profile does not give, the lowest band is
used and the best one is reported as `amount_max_eur`.
"""

from __future__ import annotations

import math
from typing import Any

from bot.aids.context import Context, euros
from bot.aids.entries import entry
from bot.aids.reasons_fr import Reason, reason
from bot.profile import WORK_LABELS_FR, Work

STANDARD = "aids.cee.standard."
COUP_DE_POUCE = "aids.cee.coup_de_pouce_heating"


def band(value: Any) -> tuple[float, float]:
    """A volume is one number or [lowest band, best band]."""
    if isinstance(value, list):
        return float(value[0]), float(value[1])
    return float(value), float(value)


def surface_factor(table: list, surface: float) -> float:
    for upper, factor in table:
        if upper is None or surface < upper:
            return float(factor)
    raise ValueError("surface factor table without an open last row")


def _by_key(mapping: dict, key: str | None) -> Any:
    if key is not None and key in mapping:
        return mapping[key]
    return mapping.get("any")


def standard_estimate(ctx: Context, work: Work) -> tuple[float, float, dict] | Reason | None:
    """(low €, high €, details) for the standard sheet, the missing fact when it cannot be
    computed, or None when the work has no CEE sheet."""
    path = STANDARD + work.type
    if not ctx.has(path):
        return None
    rule = ctx.value(path)
    profile = ctx.profile
    if ctx.zone is None:
        return reason("missing_climate_zone" if not ctx.overseas
                      else "missing_overseas_cee_sheets")
    by_zone = _by_key(rule["volumes"], profile.housing_type)
    if by_zone is None:
        if profile.housing_type is None:
            return reason("missing_housing_type")
        return reason("missing_sheet_volume_apartment", sheet=rule["sheet"])
    volume = _by_key(by_zone, ctx.zone)
    if volume is None:
        return reason("missing_sheet_volume_zone", sheet=rule["sheet"], zone=ctx.zone)
    low, high = band(volume)
    factor = float(rule.get("zone_factors", {}).get(ctx.zone, 1.0))
    basis = rule["basis"]
    if basis == "m2":
        if work.surface_m2 is None:
            return reason("missing_work_surface")
        factor *= work.surface_m2
    elif basis == "unit":
        if work.count is None:
            return reason("missing_windows_count")
        factor *= work.count * rule["m2_per_unit"]
    elif basis == "heated_surface":
        if profile.surface_m2 is None:
            return reason("missing_heated_surface")
        table = _by_key(rule["surface_factors"], profile.housing_type)
        if table is None:
            return reason("missing_housing_type")
        factor *= surface_factor(table, profile.surface_m2)
    price = ctx.cee_price if ctx.cee_price is not None else ctx.value("aids.cee.price_eur_per_kwhc")
    details = {"sheet": rule["sheet"], "kwh_cumac": euros(low * factor),
               "price_eur_per_kwhc": price}
    return low * factor * price, high * factor * price, details


def _coup_de_pouce_rule(ctx: Context, work: Work) -> dict | None:
    if not ctx.has(COUP_DE_POUCE):
        return None
    found = ctx.param(COUP_DE_POUCE, warn=False)
    if work.type not in found.value["works"]:
        return None
    if found.uncertain:
        ctx.warn(found.uncertain)
    return found.value


def _coup_de_pouce_amount(ctx: Context, work_rule: dict,
                          standard: tuple[float, float, dict] | Reason | None) -> float | Reason:
    """Coup de pouce amount (€), or the missing fact that keeps it from being computed."""
    if "flat" in work_rule:
        amounts = work_rule["flat"]
        if len(set(amounts.values())) == 1:
            return float(next(iter(amounts.values())))
        if ctx.category is None:
            return reason("missing_income_category_cdp")
        return float(amounts[ctx.category])
    if not isinstance(standard, tuple):
        return standard or reason("missing_cee_sheet")
    return standard[0] * work_rule["multiplier"]


def cee_entry(ctx: Context, work: Work) -> dict | None:
    """The `cee` entry for one work, or None when the work has no CEE at all."""
    label = WORK_LABELS_FR[work.type]
    standard = standard_estimate(ctx, work)
    cdp_rule = _coup_de_pouce_rule(ctx, work)
    if standard is None and cdp_rule is None:
        return None
    source = ctx.param(STANDARD + work.type).reference if standard is not None \
        else ctx.param(COUP_DE_POUCE, warn=False).reference
    age = ctx.dwelling_age()
    min_age = ctx.value("aids.cee.conditions")["min_dwelling_age_years"]
    conditions = [reason("cee_offer_before_quote")]
    if age is not None and age < min_age:
        return entry("cee", kind="grant", eligible=False, work=work.type, source=source,
                     reasons=[reason("cee_dwelling_not_old_enough", min_age=min_age)])
    if age is None:
        conditions.append(reason("dwelling_completed_more_than", min_age=min_age))
    notes: list[Reason] = []
    amount: float | Reason
    high: float | None = None
    details: dict[str, Any] = {}
    use_cdp = False
    if cdp_rule is not None:
        work_rule = cdp_rule["works"][work.type]
        energy = ctx.profile.heating_energy
        excluded = ctx.profile.occupancy in cdp_rule["excluded_occupancies"]
        cdp_amount = _coup_de_pouce_amount(ctx, work_rule, standard)
        if energy in cdp_rule["replaced_energies"] and not excluded:
            use_cdp = True
        elif not excluded and isinstance(cdp_amount, float):
            if energy in cdp_rule["conditional_energies"]:
                notes.append(reason("cdp_heating_if_not_condensing", amount_eur=cdp_amount))
            elif energy is None:
                notes.append(reason("cdp_heating_if_replacing_boiler", amount_eur=cdp_amount))
        elif excluded:
            notes.append(reason("cdp_heating_second_home_excluded"))
        if use_cdp:
            amount = cdp_amount
            source = ctx.param(COUP_DE_POUCE, warn=False).reference
            details = {"coup_de_pouce": True}
            if "multiplier" in work_rule and isinstance(standard, tuple):
                high = standard[1] * work_rule["multiplier"]
                details.update(standard[2], multiplier=work_rule["multiplier"])
            notes.append(reason("cdp_heating_applied"))
    if not use_cdp:
        if standard is None:
            return None
        if isinstance(standard, Reason):
            amount = standard
        else:
            amount, high, details = standard
    if isinstance(amount, Reason):
        return entry("cee", kind="grant", eligible=None, work=work.type, source=source,
                     reasons=[reason("cee_amount_not_computable", work=label, missing=amount)],
                     conditions=conditions, notes=notes)
    if work.cost_eur is not None:  # never more than the works cost
        limit = floor_cap(work.cost_eur)
        if euros(amount) > limit:
            amount = float(limit)
            notes.append(reason("capped_at_works_cost"))
        high = min(high, float(limit)) if high is not None else None
    if high is not None and euros(high) > euros(amount):
        notes.append(reason("cee_more_with_better_equipment", amount_eur=high))
    return entry("cee", kind="grant", eligible=True, work=work.type, source=source,
                 amount=euros(amount), amount_max_eur=euros(high) if high is not None else None,
                 conditions=conditions, notes=notes, details=details)


def floor_cap(value: float) -> int:
    """Caps are rounded down so that rounded amounts never exceed them."""
    return int(math.floor(value + 1e-9))
