"""Local aids found for Amiens Métropole, the Somme and Hauts-de-France. Their amounts are
not published: the entry says so and names whom to ask, never a guessed figure."""

from __future__ import annotations

from bot.aids.context import Context
from bot.aids.entries import entry
from bot.aids.income import LABELS_FR
from bot.aids.reasons_fr import Reason, reason

# scope code -> (parameter, which field of the commune decides)
SCOPES = (
    ("amiens_metropole", "aids.local.amiens_metropole", "epci"),
    ("somme", "aids.local.somme", "department"),
    ("somme_rehabilitation", "aids.local.somme_rehabilitation", "department"),
    ("hauts_de_france", "aids.local.hauts_de_france", "region"),
)


def _applies(ctx: Context, rule: dict, field: str) -> bool:
    if ctx.location is None:
        return False
    return getattr(ctx.location.commune, field) == rule[field]


def local_entries(ctx: Context, ampleur_eligible: bool | None,
                  ampleur_retained: bool = False) -> list[dict]:
    result = []
    for scope, path, field in SCOPES:
        if not ctx.has(path):
            continue
        found = ctx.param(path, warn=False)
        rule = found.value
        if not _applies(ctx, rule, field):
            continue
        if found.uncertain:
            ctx.warn(found.uncertain)
        reasons: list[Reason] = []
        eligible: bool | None = None
        categories = rule.get("categories")
        if categories and ctx.category is not None and ctx.category not in categories:
            eligible = False
            reasons.append(reason("local_income_category_not_admitted",
                                  categories=" ; ".join(LABELS_FR[c] for c in categories)))
        occupancies = rule.get("occupancies")
        if occupancies and ctx.profile.occupancy is not None and \
                ctx.profile.occupancy not in occupancies:
            eligible = False
            reasons.append(reason("local_owner_occupier_only"))
        if rule.get("requires_ampleur") and ampleur_eligible is False:
            eligible = False
            reasons.append(reason("local_requires_ampleur"))
        elif rule.get("requires_ampleur") and ampleur_eligible is True and not ampleur_retained:
            eligible = False
            reasons.append(reason("local_ampleur_not_retained"))
        if eligible is None:
            if rule.get("max_amount") is None:
                reasons.append(reason("local_amount_unpublished", contact=rule["contact"]))
            else:
                reasons.append(reason("local_amount_unknown", max_eur=rule["max_amount"],
                                      contact=rule["contact"]))
        result.append(entry(f"local:{scope}", kind="grant", eligible=eligible,
                            source=found.reference, reasons=reasons, name=rule["name"],
                            max_amount_eur=rule.get("max_amount"),
                            # the parameter's own words (code local_condition)
                            conditions=list(rule.get("conditions") or []),
                            contact=rule["contact"]))
    return result
