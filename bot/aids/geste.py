"""MaPrimeRénov' par geste: amount per work and income category, caps on surface and on
eligible expense, écrêtement (MPR + CEE within a share of the expense) and conditions."""

from __future__ import annotations

from typing import Any

from bot.aids.cee import floor_cap
from bot.aids.context import Context, euros
from bot.aids.entries import entry
from bot.aids.income import LABELS_FR
from bot.aids.reasons_fr import Reason, reason
from bot.profile import WORK_LABELS_FR, Work

WORKS = "aids.mpr.geste.works."
OCCUPANCY_REASONS = {
    "tenant": "tenant_not_eligible",
    "second_home_owner": "second_home_not_eligible",
}


def occupancy_reason(occupancy: str) -> Reason:
    """Why MaPrimeRénov' refuses this occupancy status."""
    return reason(OCCUPANCY_REASONS.get(occupancy, "occupancy_not_admitted"))


def filing_status(ctx: Context) -> dict:
    return ctx.value("aids.mpr.filing.open")


def closed_reason(status: dict, ctx: Context) -> Reason:
    # The closure's wording is the parameter's own (it cites the decision that closed it).
    reopening = status.get("reopens")
    if reopening is not None and reopening > ctx.on:
        return reason("filing_closed_reopens", closure=status["reason"], reopens=reopening)
    return reason("filing_closed", closure=status["reason"])


def _common_blockers(ctx: Context) -> tuple[list[Reason], list[Reason]]:
    """(reasons that make every par-geste aid ineligible, conditions left to check)."""
    conditions_rule = ctx.value("aids.mpr.geste.conditions")
    profile = ctx.profile
    reasons: list[Reason] = []
    conditions = [reason("rge_works"), reason("main_residence_months",
                                              months=conditions_rule["main_residence_months"])]
    if profile.occupancy is None:
        conditions.append(reason("be_owner"))
    elif profile.occupancy not in conditions_rule["occupancies"]:
        reasons.append(occupancy_reason(profile.occupancy))
    min_age = conditions_rule["min_dwelling_age_years"]
    age = ctx.dwelling_age()
    if age is None:
        conditions.append(reason("dwelling_built_years_ago", min_age=min_age))
    elif age < min_age:
        reasons.append(reason("dwelling_too_recent", min_age=min_age,
                              year=profile.construction_year))
    if ctx.category in conditions_rule["excluded_categories"]:
        reasons.append(reason("geste_income_category_excluded",
                              category=LABELS_FR[ctx.category]))
    return reasons, conditions


def _quantity(rule: dict, work: Work) -> float | Reason:
    unit = rule["unit"]
    if unit == "m2":
        if work.surface_m2 is None:
            return reason("missing_work_surface")
        return work.surface_m2
    if unit == "unit":
        if work.count is None:
            return reason("missing_equipment_count")
        return work.count
    return 1.0


def _prerequisite_reason(ctx: Context, rule: dict, work: Work) -> Reason | None:
    requires = rule.get("requires")
    others = [other.type for other in ctx.profile.works if other is not work]
    if requires == "insulation":
        insulation = set(ctx.value("aids.mpr.geste.insulation_works"))
        if not insulation.intersection(others):
            return reason("geste_ventilation_requires_insulation")
    if requires == "works" and not [o for o in others if o != work.type]:
        return reason("geste_audit_requires_works")
    return None


def _vat_rate(ctx: Context, work: Work) -> float:
    """VAT of the work: the reduced rate for energy works, else the intermediate one."""
    rates = ctx.value("aids.vat.rates")
    reduced = ctx.param("aids.vat.reduced_rate_works", warn=False).value["works"]
    return rates["reduced"] if work.type in reduced else rates["intermediate"]


def mpr_geste_entry(ctx: Context, work: Work, cee: dict | None) -> dict:
    label = WORK_LABELS_FR[work.type]
    path = WORKS + work.type
    if not ctx.has(path):
        removed = ctx.param("aids.mpr.geste.removed_works")
        if work.type in removed.value:
            return entry("mpr_par_geste", kind="grant", eligible=False, work=work.type,
                         source=removed.reference,
                         reasons=[reason("geste_work_removed", since=removed.start, work=label)])
        return entry("mpr_par_geste", kind="grant", eligible=False, work=work.type,
                     source=ctx.param("aids.mpr.geste.not_covered").reference,
                     reasons=[reason("geste_work_not_covered", work=label)])
    found = ctx.param(path)
    rule = found.value
    source = found.reference
    reasons, conditions = _common_blockers(ctx)
    prerequisite = _prerequisite_reason(ctx, rule, work)
    if prerequisite:
        reasons.append(prerequisite)
    if reasons:
        return entry("mpr_par_geste", kind="grant", eligible=False, work=work.type,
                     source=source, reasons=reasons)
    missing: list[Reason] = []
    if ctx.overseas:
        missing.append(reason("missing_overseas_amounts"))
    if ctx.category is None:
        missing.append(reason("missing_income_category"))
    quantity = _quantity(rule, work)
    if isinstance(quantity, Reason):
        missing.append(quantity)
    status = filing_status(ctx)
    if missing and not status["open"]:
        return entry("mpr_par_geste", kind="grant", eligible=False, work=work.type,
                     source=source, reasons=[closed_reason(status, ctx)])
    if missing:
        return entry("mpr_par_geste", kind="grant", eligible=None, work=work.type,
                     source=source, conditions=conditions,
                     reasons=[reason("amount_not_computable", missing=missing)])
    assert not isinstance(quantity, Reason)
    counted = min(quantity, rule.get("max_quantity") or quantity)
    amount = float(rule[ctx.category]) * (counted if rule["unit"] != "flat" else 1.0)
    notes: list[Reason] = []
    details: dict[str, Any] = {"unit_amount_eur": rule[ctx.category], "unit": rule["unit"]}
    if rule["unit"] != "flat":
        details["quantity"] = quantity
        if counted < quantity:
            notes.append(reason("surface_capped", max_m2=f"{counted:g}"))
    amount = float(euros(amount))
    cee_amount = cee["amount_eur"] if cee and cee["eligible"] is True else 0
    if work.cost_eur is not None:
        expense_cap = float(rule["expense_cap"]) * (quantity if rule["unit"] != "flat" else 1.0)
        # Décret n° 2020-26, art. 3, II: each eligible expense is « toutes taxes comprises »,
        # within the cap; profile costs are HT, so the work's VAT is added first.
        cost_ttc = work.cost_eur * (1 + _vat_rate(ctx, work))
        eligible_expense = min(cost_ttc, expense_cap)
        rate = ctx.value("aids.mpr.geste.ecretement")[ctx.category]
        cap = floor_cap(rate * eligible_expense)
        details.update(eligible_expense_eur=euros(eligible_expense), ecretement_cap_eur=cap)
        allowed = max(0, cap - cee_amount)
        if amount > allowed:
            amount = float(allowed)
            notes.append(reason("geste_ecretement_reduced",
                                rate=f"{rate:.0%}".replace("%", " %"),
                                expense_eur=eligible_expense, cap_eur=cap))
    else:
        notes.append(reason("ecretement_not_checked"))
    advance_rate = ctx.value("aids.mpr.geste.advance").get(ctx.category)
    if advance_rate:
        details["advance_eur"] = euros(advance_rate * amount)
    if not status["open"]:
        return entry("mpr_par_geste", kind="grant", eligible=False, work=work.type,
                     source=source, reasons=[closed_reason(status, ctx)],
                     potential_amount_eur=euros(amount), conditions=conditions, notes=notes,
                     details=details)
    return entry("mpr_par_geste", kind="grant", eligible=True, work=work.type, source=source,
                 amount=euros(amount), conditions=conditions, notes=notes, details=details)
