"""MaPrimeRénov' parcours accompagné (rénovation d'ampleur) for each period, the aid for the
Accompagnateur Rénov' fee, and the CEE Coup de pouce « rénovation d'ampleur »."""

from __future__ import annotations

from typing import Any

from bot.aids.cee import floor_cap, surface_factor
from bot.aids.context import Context, euros
from bot.aids.entries import entry
from bot.aids.geste import closed_reason, occupancy_reason
from bot.aids.income import LABELS_FR
from bot.aids.reasons_fr import Reason, reason

PERIODS = "aids.mpr.ampleur.periods"
DPE_CLASSES = "ABCDEFG"


def class_gain(before: str, after: str) -> int:
    return DPE_CLASSES.index(before) - DPE_CLASSES.index(after)


def _insulation_groups(ctx: Context) -> int:
    groups = ctx.value("aids.mpr.ampleur.insulation_groups")
    types = set(ctx.profile.work_types())
    return sum(1 for members in groups.values() if types.intersection(members))


def _conditions(ctx: Context, period: dict) -> list[Reason]:
    conditions = [reason("ampleur_accompagnateur_required"), reason("ampleur_anah_agreement"),
                  reason("ampleur_no_fossil_heating"), reason("ampleur_one_or_two_steps")]
    if period.get("advisor_appointment"):
        conditions.insert(0, reason("ampleur_advisor_appointment"))
    rules = ctx.value("aids.mpr.ampleur.conditions")
    if not ctx.profile.works:
        conditions.append(reason("ampleur_min_insulation_gestes",
                                 min_count=rules["min_insulation_gestes"]))
    if ctx.profile.construction_year is None:
        conditions.append(reason("ampleur_dwelling_age_main_residence",
                                 min_age=rules["min_dwelling_age_years"]))
    return conditions


def _blockers(ctx: Context, period: dict) -> tuple[list[Reason], list[Reason]]:
    """(reasons of ineligibility, facts missing to compute the amount)."""
    rules = ctx.value("aids.mpr.ampleur.conditions")
    profile = ctx.profile
    reasons: list[Reason] = []
    missing: list[Reason] = []
    if profile.occupancy is not None and profile.occupancy not in rules["occupancies"]:
        reasons.append(occupancy_reason(profile.occupancy))
    age = ctx.dwelling_age()
    if age is not None and age < rules["min_dwelling_age_years"]:
        reasons.append(reason("dwelling_too_recent", min_age=rules["min_dwelling_age_years"],
                              year=profile.construction_year))
    if ctx.overseas:
        reasons.append(reason("ampleur_overseas_not_modelled"))
    start_classes = period["start_classes"]
    if profile.dpe_class is None:
        missing.append(reason("missing_dpe_class"))
    elif profile.dpe_class not in start_classes:
        reasons.append(reason("ampleur_start_class_not_admitted",
                              classes=", ".join(start_classes), current=profile.dpe_class))
    if profile.dpe_class_after is None:
        missing.append(reason("missing_dpe_class_after"))
    elif profile.dpe_class is not None:
        gain = class_gain(profile.dpe_class, profile.dpe_class_after)
        if gain < period["min_gain"]:
            reasons.append(reason("ampleur_class_gain_too_small", min_gain=period["min_gain"],
                                  before=profile.dpe_class, after=profile.dpe_class_after))
    if ctx.category is None:
        missing.append(reason("missing_income_facts"))
    elif ctx.category not in period["admitted_categories"]:
        admitted = " ; ".join(LABELS_FR[c] for c in period["admitted_categories"])
        reasons.append(reason("ampleur_income_category_not_admitted", categories=admitted))
    if profile.works:
        count = _insulation_groups(ctx)
        if count < rules["min_insulation_gestes"]:
            reasons.append(reason("ampleur_too_few_insulation_gestes",
                                  min_count=rules["min_insulation_gestes"], count=count))
    if ctx.works_cost() is None:
        missing.append(reason("missing_total_cost"))
    return reasons, missing


def _amount(ctx: Context, period: dict) -> tuple[float, dict[str, Any], list[Reason]]:
    profile = ctx.profile
    category = ctx.category
    gain = class_gain(profile.dpe_class, profile.dpe_class_after)
    band = [b for b in period["bands"] if b["min_gain"] <= gain][-1]
    rate = float(band[category])
    notes: list[Reason] = []
    bonus = period.get("passoire_bonus")
    if bonus and profile.dpe_class in bonus["start_classes"] and \
            DPE_CLASSES.index(profile.dpe_class_after) <= DPE_CLASSES.index(
                bonus["worst_class_after"]):
        rate += bonus["rate"]
        notes.append(reason("passoire_bonus", points=f"{bonus['rate'] * 100:g}"))
    cost = ctx.works_cost()
    base = min(cost, float(band["ceiling"]))
    amount = rate * base
    vat = ctx.value("aids.vat.rates")["reduced"]
    cost_ttc = cost * (1 + vat)
    ecretement = ctx.param("aids.mpr.ampleur.ecretement", warn=False)
    if ecretement.uncertain and category == "modest":  # the flagged figure is the MO one
        ctx.warn(ecretement.uncertain)
    share = ecretement.value[category]
    cap = floor_cap(share * cost_ttc)
    if amount > cap:
        amount = float(cap)
        notes.append(reason("ampleur_ecretement_reduced", share=f"{share * 100:g}",
                            cost_eur=cost_ttc))
    details: dict[str, Any] = {
        "class_gain": gain, "rate": round(rate, 4), "expense_ceiling_eur": band["ceiling"],
        "eligible_expense_eur": euros(base), "cost_ttc_eur": euros(cost_ttc),
        "ecretement_cap_eur": cap,
    }
    advance = ctx.value("aids.mpr.ampleur.advance").get(category)
    if advance:
        details["advance_eur"] = euros(advance * amount)
    return amount, details, notes


def ampleur_entries(ctx: Context) -> list[dict]:
    """[mpr_ampleur, mpr_accompagnateur] entries."""
    found = ctx.param(PERIODS)
    period, source = found.value, found.reference
    electric = ctx.param("aids.mpr.ampleur.dpe_electricity_factor", warn=False)
    if ctx.profile.dpe_class and ctx.profile.heating_energy in electric.value \
            and electric.uncertain:
        ctx.warn(electric.uncertain)
    mar_found = ctx.param("aids.mpr.ampleur.accompagnateur")
    if not period["open"] and not period.get("show_potential"):
        closed = closed_reason(period, ctx)
        return [entry("mpr_ampleur", kind="grant", eligible=False, source=source,
                      reasons=[closed]),
                entry("mpr_accompagnateur", kind="grant", eligible=False,
                      source=mar_found.reference, reasons=[closed])]
    conditions = _conditions(ctx, period)
    reasons, missing = _blockers(ctx, period)
    if reasons:
        return [entry("mpr_ampleur", kind="grant", eligible=False, source=source,
                      reasons=reasons),
                entry("mpr_accompagnateur", kind="grant", eligible=False,
                      source=mar_found.reference,
                      reasons=[reason("accompagnateur_requires_ampleur")])]
    if missing:
        why = reason("amount_needs_facts", missing=missing)
        return [entry("mpr_ampleur", kind="grant", eligible=None, source=source,
                      reasons=[why], conditions=conditions),
                entry("mpr_accompagnateur", kind="grant", eligible=None,
                      source=mar_found.reference, reasons=[why])]
    amount, details, notes = _amount(ctx, period)
    mar = mar_found.value
    fee_base = min(mar["assumed_fee"], mar["fee_cap"])
    mar_amount = euros(mar[ctx.category] * fee_base)
    mar_notes = [reason("accompagnateur_assumed_fee", fee_eur=mar["assumed_fee"],
                        cap_eur=mar["fee_cap"])]
    if ctx.category == "very_modest":
        mar_notes.append(reason("accompagnateur_precarity_cap",
                                cap_eur=mar["fee_cap_very_modest_precarity"]))
    if not period["open"]:
        closed = closed_reason(period, ctx)
        return [entry("mpr_ampleur", kind="grant", eligible=False, source=source,
                      reasons=[closed], potential_amount_eur=euros(amount),
                      conditions=conditions, notes=notes, details=details),
                entry("mpr_accompagnateur", kind="grant", eligible=False,
                      source=mar_found.reference, reasons=[closed],
                      potential_amount_eur=mar_amount, notes=mar_notes)]
    return [entry("mpr_ampleur", kind="grant", eligible=True, source=source,
                  amount=euros(amount), conditions=conditions, notes=notes, details=details),
            entry("mpr_accompagnateur", kind="grant", eligible=True, source=mar_found.reference,
                  amount=mar_amount, notes=mar_notes)]


def coup_de_pouce_ampleur_entry(ctx: Context) -> dict | None:
    """CEE Coup de pouce « rénovation d'ampleur »: shown when both DPE classes are given."""
    profile = ctx.profile
    path = "aids.cee.coup_de_pouce_ampleur"
    if profile.dpe_class is None or profile.dpe_class_after is None or not ctx.has(path):
        return None
    found = ctx.param(path)
    rule, source = found.value, found.reference
    details = {"scheme": "coup_de_pouce_renovation_ampleur"}
    gain = class_gain(profile.dpe_class, profile.dpe_class_after)
    reasons = []
    if gain < rule["min_gain"]:
        reasons.append(reason("cdp_ampleur_class_gain_too_small", min_gain=rule["min_gain"]))
    age = ctx.dwelling_age()
    if age is not None and age < rule["min_dwelling_age_years"]:
        reasons.append(reason("dwelling_not_old_enough", min_age=rule["min_dwelling_age_years"]))
    if reasons:
        return entry("cee", kind="grant", eligible=False, source=source, reasons=reasons,
                     details=details)
    if profile.surface_m2 is None:
        return entry("cee", kind="grant", eligible=None, source=source, details=details,
                     reasons=[reason("cdp_ampleur_surface_missing")])
    base = [amount for min_gain, amount in rule["amounts"] if min_gain <= gain][-1]
    amount = base * surface_factor(rule["surface_factors"], profile.surface_m2)
    notes = [reason("cdp_ampleur_exclusive")]
    cost = ctx.works_cost()
    if cost is not None and euros(amount) > floor_cap(cost):
        amount = float(floor_cap(cost))
        notes.append(reason("capped_at_works_cost"))
    return entry("cee", kind="grant", eligible=True, source=source, amount=euros(amount),
                 notes=notes, details=details)
