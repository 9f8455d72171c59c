"""Which profile slots each question needs, and how slot values read in French."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from actions.normalise import DPE_UNKNOWN
from bot.vocabulary import catalogue

GOALS = ("aids", "savings", "craftsmen", "advisor")

# Intents that set the goal of the conversation (what the user wants computed).
GOAL_BY_INTENT = {
    "ask_subsidies": "aids",
    "ask_savings": "savings",
    "find_craftsman": "craftsmen",
    "contact_advisor": "advisor",
}

# Every slot the profile form can ask, in the order a person would answer them.
PROFILE_SLOTS = (
    "postal_code", "housing_type", "occupancy", "construction_year", "surface_m2",
    "heating_energy", "dpe_class", "household_size", "reference_income", "works",
    "dpe_class_after", "total_cost_eur",
)
# Asked first while a change waits for the user's yes/no (action_ask_confirm_change).
CONFIRM_SLOT = "confirm_change"
# "Je ne sais pas" for the target class or the total cost: a stated default is used.
UNKNOWN = "unknown"

# Works whose aid is computed from a quantity: m² insulated, or a number of windows
# (MaPrimeRénov' par geste and CEE amounts are per m² or per unit). One slot each.
SIZED_WORKS = {item.code: item.quantity for item in catalogue().of("work_type")
               if item.quantity != "none"}
SIZE_SLOTS = tuple(f"size_{code}" for code in SIZED_WORKS)
# Equipment whose CEE bonus depends on the heated surface and the housing type.
HEATING_WORKS = frozenset(catalogue().works_in("heating"))
FORM_SLOTS = PROFILE_SLOTS + SIZE_SLOTS

# Only what each question needs (the engines' inputs), asked in this order.
_GOAL_SLOTS = {
    "aids": ("postal_code", "occupancy", "housing_type", "works", "construction_year",
             "household_size", "reference_income"),
    "savings": ("postal_code", "housing_type", "surface_m2", "heating_energy", "dpe_class",
                "works"),
    "craftsmen": ("postal_code", "works"),
    "advisor": ("postal_code",),
}


# The full renovation (MaPrimeRénov' parcours accompagné): the current and target DPE
# classes and the total cost HT decide the aid; the quantities of each work do not.
_FULL_RENOVATION_SLOTS = ("postal_code", "occupancy", "housing_type", "works",
                          "construction_year", "surface_m2", "heating_energy", "dpe_class",
                          "dpe_class_after", "total_cost_eur", "household_size",
                          "reference_income")


def priced_by_heated_surface(work: str, on: dt.date | None = None) -> bool:
    """True when the CEE sheet of `work` in force is priced by the heated surface (heat
    pumps, heating network), read from bot/parameters/aids/cee.yaml, never assumed."""
    return _priced_by_heated_surface(work, on or dt.date.today())


@lru_cache(maxsize=256)
def _priced_by_heated_surface(work: str, on: dt.date) -> bool:
    from bot.params import rule, rule_in_force

    path = f"aids.cee.standard.{work}"
    if not rule_in_force(path, on):
        return False
    value = rule(path, on).value
    return isinstance(value, dict) and value.get("basis") == "heated_surface"


def required_slots_for(goal: str | None, slots: dict[str, Any]) -> list[str]:
    """The slots the form must fill for `goal`, given what is already known.

    Savings need either a DPE class or a construction year: the DPE is asked first ("if
    known"); the year only when the user does not know the DPE.
    """
    if goal == "aids" and slots.get("renovation_scope") == "full":
        return list(_FULL_RENOVATION_SLOTS)
    required = list(_GOAL_SLOTS.get(goal or "", ()))
    if goal == "savings" and slots.get("dpe_class") == DPE_UNKNOWN:
        required.insert(required.index("dpe_class") + 1, "construction_year")
    if goal == "aids":
        works = slots.get("works") if isinstance(slots.get("works"), list) else []
        after_works = required.index("works") + 1
        extra = [f"size_{code}" for code in SIZED_WORKS if code in works]
        if HEATING_WORKS.intersection(works):
            # The current heating decides the Coup de pouce and the heat-pump estimate; the
            # heated surface only matters when a work's CEE sheet is priced by it.
            if any(priced_by_heated_surface(code) for code in works):
                extra.append("surface_m2")
            extra.append("heating_energy")
        required[after_works:after_works] = extra
    return required


def missing_slots(goal: str | None, slots: dict[str, Any]) -> list[str]:
    return [name for name in required_slots_for(goal, slots) if slots.get(name) is None]


SLOT_LABELS_FR = {
    "postal_code": "commune",
    "housing_type": "type de logement",
    "occupancy": "statut d'occupation",
    "construction_year": "année de construction",
    "surface_m2": "surface habitable",
    "heating_energy": "chauffage",
    "dpe_class": "classe DPE",
    "household_size": "nombre de personnes du foyer",
    "reference_income": "revenu fiscal de référence",
    "works": "travaux prévus",
    "dpe_class_after": "classe DPE visée",
    "total_cost_eur": "coût total des travaux (HT)",
    "size_attic_insulation": "surface de combles à isoler",
    "size_flat_roof_insulation": "surface de toiture-terrasse à isoler",
    "size_exterior_wall_insulation": "surface de murs à isoler par l'extérieur",
    "size_interior_wall_insulation": "surface de murs à isoler par l'intérieur",
    "size_floor_insulation": "surface de plancher à isoler",
    "size_windows": "nombre de fenêtres",
}

# French labels: the vocabulary catalogue's (bot/vocabulary/catalogue.yml).
HOUSING_FR = catalogue().labels("housing_type")
OCCUPANCY_FR = catalogue().labels("occupancy")
HEATING_FR = catalogue().labels("heating_energy")


def _euros(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f") + " €"


def display_value(slot: str, value: Any, city: str | None = None) -> str:
    """How a slot value reads in a French sentence."""
    from bot.profile import WORK_LABELS_FR  # local: keeps this module import-light

    if slot == "postal_code":
        return f"{city} ({value})" if city else str(value)
    if slot == "housing_type":
        return HOUSING_FR.get(value, str(value))
    if slot == "occupancy":
        return OCCUPANCY_FR.get(value, str(value))
    if slot == "heating_energy":
        return HEATING_FR.get(value, str(value))
    if slot == "size_windows":
        return str(value)
    if slot == "surface_m2" or slot.startswith("size_"):
        return f"{value:g} m²" if isinstance(value, (int, float)) else str(value)
    if slot == "reference_income":
        return _euros(value) if isinstance(value, (int, float)) else str(value)
    if slot == "household_size":
        return f"{value} personne{'s' if isinstance(value, int) and value > 1 else ''}"
    if slot in ("dpe_class", "dpe_class_after"):
        return "inconnue" if value == DPE_UNKNOWN else str(value)
    if slot == "total_cost_eur":
        return _euros(value) + " HT" if isinstance(value, (int, float)) else str(value)
    if slot == "works":
        items = value if isinstance(value, list) else [value]
        return ", ".join(WORK_LABELS_FR.get(item, str(item)) for item in items)
    return str(value)


# What "je ne sais pas" gets when no default can be used: where to find the answer.
HELP_BY_SLOT = {
    "reference_income": (
        "Le revenu fiscal de référence figure en première page de votre dernier avis d'impôt "
        "sur le revenu, dans le cadre « Vos références » (ligne « Revenu fiscal de "
        "référence »). Si vous êtes plusieurs déclarants dans le logement, additionnez-les. "
        "Une estimation à 1 000 € près suffit."),
    "construction_year": (
        "Une estimation suffit : une décennie (« années 70 ») ou « avant 1948 » pour un "
        "logement ancien."),
    "surface_m2": (
        "La surface habitable figure sur l'acte de vente, le bail ou le DPE ; sinon, une "
        "estimation à 10 m² près suffit (par exemple « environ 90 m2 »)."),
    "size_windows": (
        "Comptez chaque fenêtre et porte-fenêtre à remplacer (une porte d'entrée ne compte "
        "pas) : une estimation suffit."),
    "size_attic_insulation": (
        "La surface des combles est à peu près la surface au sol du dernier étage : une "
        "estimation suffit (par exemple « environ 70 m2 »)."),
    "household_size": "Comptez toutes les personnes qui vivent dans le logement, vous compris.",
    "postal_code": "Le code postal figure sur votre adresse (5 chiffres, par exemple « 80000 »).",
}
for _code in SIZED_WORKS:
    HELP_BY_SLOT.setdefault(
        f"size_{_code}", "Une estimation de la surface à isoler suffit, par exemple « 60 m2 ».")
