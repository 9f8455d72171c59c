"""Which profile slots each question needs, and how slot values read in French."""

from __future__ import annotations

from typing import Any

from actions.normalise import DPE_UNKNOWN

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
)

# Only what each question needs (the engines' `require` calls), asked in this order.
_GOAL_SLOTS = {
    "aids": ("postal_code", "occupancy", "works", "construction_year", "household_size",
             "reference_income"),
    "savings": ("postal_code", "housing_type", "surface_m2", "heating_energy", "dpe_class",
                "works"),
    "craftsmen": ("postal_code", "works"),
    "advisor": ("postal_code",),
}


def required_slots_for(goal: str | None, slots: dict[str, Any]) -> list[str]:
    """The slots the form must fill for `goal`, given what is already known.

    Savings need either a DPE class or a construction year: the DPE is asked first ("if
    known"); the year only when the user does not know the DPE.
    """
    required = list(_GOAL_SLOTS.get(goal or "", ()))
    if goal == "savings" and slots.get("dpe_class") == DPE_UNKNOWN:
        required.insert(required.index("dpe_class") + 1, "construction_year")
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
}

HOUSING_FR = {"house": "maison", "apartment": "appartement"}
OCCUPANCY_FR = {
    "owner_occupier": "propriétaire occupant",
    "landlord": "propriétaire bailleur",
    "tenant": "locataire",
    "second_home_owner": "propriétaire d'une résidence secondaire",
}
HEATING_FR = {
    "electricity": "électricité",
    "gas": "gaz",
    "fuel_oil": "fioul",
    "propane": "propane",
    "wood_logs": "bois (bûches)",
    "wood_pellets": "granulés de bois",
    "district_heating": "réseau de chaleur",
    "heat_pump": "pompe à chaleur",
}


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
    if slot == "surface_m2":
        return f"{value:g} m²" if isinstance(value, (int, float)) else str(value)
    if slot == "reference_income":
        return _euros(value) if isinstance(value, (int, float)) else str(value)
    if slot == "household_size":
        return f"{value} personne{'s' if isinstance(value, int) and value > 1 else ''}"
    if slot == "dpe_class":
        return "inconnue" if value == DPE_UNKNOWN else str(value)
    if slot == "works":
        items = value if isinstance(value, list) else [value]
        return ", ".join(WORK_LABELS_FR.get(item, str(item)) for item in items)
    return str(value)
