"""Loans (éco-PTZ, PAR+), reduced VAT and the chèque énergie hint: not grants, never in
total_grants_eur."""

from __future__ import annotations

from bot.aids.ampleur import DPE_CLASSES
from bot.aids.context import Context, euros
from bot.aids.entries import entry
from bot.aids.income import LABELS_FR
from bot.aids.reasons_fr import Reason, reason
from bot.formatting import french_decimal
from bot.profile import WORK_LABELS_FR


def _age_reason(ctx: Context, min_age: int) -> Reason | None:
    age = ctx.dwelling_age()
    if age is not None and age <= min_age:
        return reason("dwelling_not_old_enough", min_age=min_age)
    return None


def eco_ptz_amount(ctx: Context, rule: dict, ampleur: bool) -> tuple[int | None, int, Reason]:
    """(maximum loan or None, duration in years, which ceiling applies)."""
    if ampleur:
        return rule["global"], rule["global_duration_years"], reason("eco_ptz_basis_ampleur")
    actions = {rule["actions"][t] for t in ctx.profile.work_types() if t in rule["actions"]}
    if not actions:
        return None, rule["duration_years"], reason("eco_ptz_basis_none")
    if actions == {"glazing"}:
        return rule["glazing_only"], rule["duration_years"], reason("eco_ptz_basis_glazing")
    amount = [a for count, a in rule["by_actions"] if count <= len(actions)][-1]
    return amount, rule["duration_years"], reason("eco_ptz_basis_actions", count=len(actions))


def eco_ptz_entry(ctx: Context, ampleur: bool) -> dict:
    found = ctx.param("aids.loans.eco_ptz", warn=False)
    rule = found.value
    reasons = []
    occupancy = ctx.profile.occupancy
    if occupancy is not None and occupancy not in rule["occupancies"]:
        reasons.append(reason("eco_ptz_owner_main_residence" if occupancy != "tenant"
                              else "eco_ptz_tenant_not_eligible"))
    age_reason = _age_reason(ctx, rule["min_dwelling_age_years"])
    if age_reason:
        reasons.append(age_reason)
    conditions = [reason("eco_ptz_rge_main_residence"), reason("eco_ptz_no_income_condition")]
    if reasons:
        return entry("eco_ptz", kind="loan", eligible=False, source=found.reference,
                     reasons=reasons, has_amount=False, max_amount_eur=0)
    if not ctx.profile.works and not ampleur:
        return entry("eco_ptz", kind="loan", eligible=None, source=found.reference,
                     has_amount=False, max_amount_eur=None, conditions=conditions,
                     reasons=[reason("loan_needs_works")])
    amount, duration, why = eco_ptz_amount(ctx, rule, ampleur)
    if amount is None:
        return entry("eco_ptz", kind="loan", eligible=False, source=found.reference,
                     has_amount=False, max_amount_eur=0,
                     reasons=[reason("eco_ptz_no_eligible_action")])
    if not ampleur and found.uncertain:
        ctx.warn(found.uncertain)
    return entry("eco_ptz", kind="loan", eligible=True, source=found.reference,
                 has_amount=False, max_amount_eur=amount, duration_years=duration,
                 conditions=conditions, notes=[reason("eco_ptz_ceiling", basis=why)])


def par_plus_entry(ctx: Context, ampleur: bool) -> dict:
    found = ctx.param("aids.loans.par_plus")
    rule = found.value
    reasons = []
    occupancy = ctx.profile.occupancy
    if occupancy is not None and occupancy not in rule["occupancies"]:
        reasons.append(reason("par_plus_owner_occupier_only"))
    if ctx.category is not None and ctx.category not in rule["categories"]:
        reasons.append(reason("par_plus_income_category_not_admitted",
                              categories=" ou ".join(LABELS_FR[c] for c in rule["categories"])))
    age_reason = _age_reason(ctx, rule["min_dwelling_age_years"])
    if age_reason:
        reasons.append(age_reason)
    if reasons:
        return entry("par_plus", kind="loan", eligible=False, source=found.reference,
                     reasons=reasons, has_amount=False, max_amount_eur=0)
    if ctx.category is None:
        return entry("par_plus", kind="loan", eligible=None, source=found.reference,
                     has_amount=False, reasons=[reason("par_plus_income_category_unknown")])
    after = ctx.profile.dpe_class_after
    if ampleur and after is not None and \
            DPE_CLASSES.index(after) <= DPE_CLASSES.index(rule["ampleur_worst_class_after"]):
        amount: int | None = rule["ampleur_max"]
    else:
        eco_rule = ctx.value("aids.loans.eco_ptz")
        amount = eco_ptz_amount(ctx, eco_rule, False)[0]
    if amount is None:
        return entry("par_plus", kind="loan", eligible=None, source=found.reference,
                     has_amount=False, reasons=[reason("loan_needs_works")])
    return entry("par_plus", kind="loan", eligible=True, source=found.reference,
                 has_amount=False, max_amount_eur=amount,
                 notes=[reason("par_plus_terms", years=rule["interest_free_years"])])


def vat_entry(ctx: Context) -> dict | None:
    if not ctx.profile.works:
        return None
    found = ctx.param("aids.vat.reduced_rate_works", warn=False)
    rule = found.value
    rates = ctx.value("aids.vat.rates")
    reduced = [w for w in ctx.profile.works if w.type in rule["works"]]
    others = sorted({WORK_LABELS_FR[w.type] for w in ctx.profile.works
                     if w.type not in rule["works"]})
    notes: list[Reason] = []
    if others:
        if found.uncertain:
            ctx.warn(found.uncertain)
        notes.append(reason("vat_rate_unconfirmed", works=", ".join(others)))
    gas = ctx.param("aids.vat.gas_condensing_boiler_rate")
    if gas.value > rates["reduced"]:
        notes.append(reason("vat_gas_condensing_rate", rate=f"{gas.value * 100:g}",
                            since=gas.start))
    rate_fr = french_decimal(rates["reduced"] * 100, 2)
    age_reason = _age_reason(ctx, rule["min_dwelling_age_years"])
    if age_reason:
        return entry("vat_reduced", kind="vat", eligible=False, source=found.reference,
                     reasons=[age_reason], has_amount=False)
    if not reduced:
        return entry("vat_reduced", kind="vat", eligible=False, source=found.reference,
                     has_amount=False, notes=notes,
                     reasons=[reason("vat_no_eligible_work", rate=rate_fr)])
    costed = [w.cost_eur for w in reduced if w.cost_eur is not None]
    extra = {}
    if len(costed) == len(reduced):
        vat = rates["reduced"] * sum(costed)
        extra["vat_eur"] = euros(vat)
        notes.append(reason("vat_amount", rate=rate_fr, vat_eur=vat))
    return entry("vat_reduced", kind="vat", eligible=True, source=found.reference,
                 has_amount=False, rate=rates["reduced"],
                 works=[w.type for w in reduced], notes=notes,
                 conditions=[reason("vat_company_certificate",
                                    min_age=rule["min_dwelling_age_years"])],
                 **extra)


def units(size: int, scale: dict) -> float:
    if size <= 1:
        return scale["first"]
    return scale["first"] + scale["second"] + (size - 2) * scale["each_additional"]


def cheque_energie_entry(ctx: Context) -> dict:
    found = ctx.param("aids.cheque_energie.eligibility", warn=False)
    rule = found.value
    low, high = rule["amount_range"]
    extra = {"amount_range_eur": [low, high]}
    profile = ctx.profile
    if profile.reference_income is None or profile.household_size is None:
        return entry("cheque_energie", kind="voucher", eligible=None, source=found.reference,
                     has_amount=False, reasons=[reason("cheque_energie_needs_income")], **extra)
    if found.uncertain:
        ctx.warn(found.uncertain)
    per_unit = profile.reference_income / units(profile.household_size, rule["units"])
    eligible = per_unit < rule["max_income_per_unit"]
    reasons = [] if eligible else [
        reason("cheque_energie_income_above_ceiling", income_per_unit_eur=per_unit,
               ceiling_eur=rule["max_income_per_unit"])]
    notes = [reason("cheque_energie_sent", low=low, high=high)] if eligible else []
    return entry("cheque_energie", kind="voucher", eligible=eligible, source=found.reference,
                 has_amount=False, reasons=reasons, notes=notes, **extra)
