"""Income category (bleu / jaune / violet / rose) from household size and revenu fiscal de
référence, with the Île-de-France or the national scale of the rules date."""

from __future__ import annotations

from bot.aids.context import Context
from bot.aids.reasons_fr import reason, warning

# Poorest first: the order matters for "a poorer household never gets less".
CATEGORIES = ("very_modest", "modest", "intermediate", "high")
CEILINGED = CATEGORIES[:3]
SHORT_FR = {"very_modest": "très modeste", "modest": "modeste", "intermediate": "intermédiaire",
            "high": "supérieur"}
LABELS_FR = {
    "very_modest": "très modestes (bleu)",
    "modest": "modestes (jaune)",
    "intermediate": "intermédiaires (violet)",
    "high": "supérieurs (rose)",
}


def ceiling(scale: dict, category: str, household_size: int) -> int:
    """Maximum RFR of `category` for a household of that size ("jusqu'à X" = RFR <= X)."""
    listed = scale[category]
    if household_size <= len(listed):
        return listed[household_size - 1]
    return listed[-1] + (household_size - len(listed)) * scale["extra_person"][category]


def category_for(income: float, household_size: int, scale: dict) -> str:
    for category in CEILINGED:
        if income <= ceiling(scale, category, household_size):
            return category
    return "high"


def is_ile_de_france(ctx: Context) -> bool | None:
    if ctx.location is None:
        return None
    return ctx.location.region == ctx.value("aids.income.idf_region_code")


def income_category(ctx: Context) -> str | None:
    """The category, or None when income, household size or (if it matters) the place is
    missing: never guessed."""
    profile = ctx.profile
    if profile.reference_income is None or profile.household_size is None:
        missing = "missing_reference_income" if profile.reference_income is None \
            else "missing_household_size"
        ctx.warn(warning("warn_income_category_unknown", missing=reason(missing)))
        return None
    income, size = profile.reference_income, profile.household_size
    idf = is_ile_de_france(ctx)
    if idf is None:
        outside = category_for(income, size, ctx.value("aids.income.outside_idf"))
        inside = category_for(income, size, ctx.value("aids.income.idf"))
        if outside != inside:
            ctx.warn(warning("warn_income_region_unknown"))
            return None
        category, scale_name = outside, "aids.income.outside_idf"
    else:
        scale_name = "aids.income.idf" if idf else "aids.income.outside_idf"
        category = category_for(income, size, ctx.value(scale_name))
    if profile.occupancy == "landlord":
        ctx.warn(warning("warn_landlord_income_scale"))
    _near_ceiling_warning(ctx, scale_name, category, income, size)
    return category


def _near_ceiling_warning(ctx: Context, scale_name: str, category: str, income: float,
                          size: int) -> None:
    """When the scale itself is uncertain (e.g. 2026 not published), say when a small
    revaluation of the ceilings would put the household in the category below."""
    found = ctx.param(scale_name)
    if not found.uncertain or category == CATEGORIES[0]:
        return
    below = CATEGORIES[CATEGORIES.index(category) - 1]
    limit = ceiling(found.value, below, size)
    margin = ctx.value("aids.income.near_ceiling_margin")
    if income <= limit * (1 + margin):
        ctx.warn(warning("warn_near_ceiling", category=SHORT_FR[below], ceiling_eur=limit))
