"""The household profile of the contract (§3): parsing and validation.

Every engine receives a `Profile`; bad input raises `ProfileError` with one French sentence.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from bot.errors import ProfileError
from bot.vocabulary import catalogue

# Contract codes and French labels: the vocabulary catalogue (bot/vocabulary/catalogue.yml).
HOUSING_TYPES = catalogue().codes("housing_type")
OCCUPANCIES = catalogue().codes("occupancy")
HEATING_ENERGIES = catalogue().codes("heating_energy")
DPE_CLASSES = catalogue().codes("dpe_class")
# Optional answers that refine the savings estimate (contract §3 additions).
HOUSE_POSITIONS = ("detached", "semi_detached", "terraced")
APARTMENT_FLOORS = ("ground", "middle", "top")
BOILER_TYPES = ("standard", "low_temperature", "condensing")
# A second heater used alongside the main heating (« chauffage d'appoint »).
SECONDARY_HEATINGS = ("none", "wood_stove", "electric_heaters")
BOILER_AGE_RANGE = (0, 80)
ALTITUDE_RANGE = (0, 4810)  # metres; Mont Blanc
WORK_TYPES = catalogue().codes("work_type")

# French labels, for messages shown to users.
WORK_LABELS_FR = catalogue().labels("work_type")

# Plausibility bounds: beyond them the value is almost surely a typo.
EARLIEST_RULES_DATE = dt.date(2020, 1, 1)
LATEST_RULES_DATE = dt.date(2035, 12, 31)
SURFACE_RANGE = (5, 2000)
HOUSEHOLD_SIZE_RANGE = (1, 30)
INCOME_RANGE = (0, 10_000_000)
COST_RANGE = (0, 2_000_000)
WORK_SURFACE_RANGE = (0.5, 5000)
COUNT_RANGE = (1, 200)
EARLIEST_CONSTRUCTION_YEAR = 1500
MAX_WORKS = 30

_POSTAL_CODE = re.compile(r"^\d{5}$")
_INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


@dataclass(frozen=True)
class Work:
    type: str
    surface_m2: float | None = None
    count: int | None = None
    cost_eur: float | None = None


@dataclass(frozen=True)
class Profile:
    date: dt.date
    postal_code: str | None = None
    insee_code: str | None = None
    city: str | None = None
    housing_type: str | None = None
    occupancy: str | None = None
    construction_year: int | None = None
    surface_m2: float | None = None
    heating_energy: str | None = None
    dpe_class: str | None = None
    dpe_class_after: str | None = None
    household_size: int | None = None
    reference_income: float | None = None
    works: tuple[Work, ...] = field(default_factory=tuple)
    total_cost_eur: float | None = None
    house_position: str | None = None
    apartment_floor: str | None = None
    roof_insulated: bool | None = None
    walls_insulated: bool | None = None
    boiler_age_years: int | None = None
    boiler_type: str | None = None
    secondary_heating: str | None = None
    altitude_m: int | None = None

    def work_types(self) -> list[str]:
        return [work.type for work in self.works]


def _number(data: dict, key: str, bounds: tuple[float, float], label: str,
            integer: bool = False) -> float | int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, str):
            try:
                value = float(value.replace(",", ".").replace(" ", ""))
            except ValueError:
                raise ProfileError(f"« {key} » doit être un nombre ({label}).") from None
        else:
            raise ProfileError(f"« {key} » doit être un nombre ({label}).")
    if not math.isfinite(value):
        raise ProfileError(f"« {key} » doit être un nombre fini ({label}).")
    low, high = bounds
    if not low <= value <= high:
        raise ProfileError(
            f"« {key} » vaut {value:g}, hors des valeurs plausibles ({label} : "
            f"entre {low:g} et {high:g})."
        )
    if integer:
        if value != int(value):
            raise ProfileError(f"« {key} » doit être un nombre entier ({label}).")
        return int(value)
    return value


def _choice(data: dict, key: str, allowed: tuple[str, ...]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or value not in allowed:
        raise ProfileError(
            f"« {key} » a une valeur inconnue ({str(value)[:40]!r}) ; valeurs possibles : "
            + ", ".join(allowed) + "."
        )
    return value


def _flag(data: dict, key: str, label: str) -> bool | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise ProfileError(f"« {key} » doit valoir true ou false ({label}).")


def _code(data: dict, key: str, pattern: re.Pattern[str], label: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:05d}"
    if not isinstance(value, str) or not pattern.match(value.strip().upper()):
        raise ProfileError(f"« {key} » doit être {label} (reçu : {str(value)[:20]!r}).")
    return value.strip().upper()


def _date(data: dict, today: dt.date) -> dt.date:
    value = data.get("date")
    if value is None:
        return today
    if not isinstance(value, str):
        raise ProfileError("« date » doit être une date au format AAAA-MM-JJ.")
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ProfileError(
            f"« date » doit être une date au format AAAA-MM-JJ (reçu : {value[:20]!r})."
        ) from None
    if not EARLIEST_RULES_DATE <= day <= LATEST_RULES_DATE:
        raise ProfileError(
            f"« date » doit être comprise entre {EARLIEST_RULES_DATE.isoformat()} et "
            f"{LATEST_RULES_DATE.isoformat()} : les règles d'autres périodes ne sont pas connues."
        )
    return day


def _work(item: Any, index: int) -> Work:
    where = f"travaux n°{index + 1}"
    if isinstance(item, str):
        item = {"type": item}
    if not isinstance(item, dict):
        raise ProfileError(f"« works » : {where} doit être un objet avec un « type ».")
    work_type = item.get("type")
    if work_type not in WORK_TYPES:
        raise ProfileError(
            f"« works » : {where}, type inconnu ({str(work_type)[:40]!r}) ; types possibles : "
            + ", ".join(WORK_TYPES) + "."
        )
    return Work(
        type=work_type,
        surface_m2=_number(item, "surface_m2", WORK_SURFACE_RANGE, f"surface des {where}"),
        count=_number(item, "count", COUNT_RANGE, f"nombre d'équipements des {where}", True),
        cost_eur=_number(item, "cost_eur", COST_RANGE, f"coût HT des {where}"),
    )


def parse_profile(data: Any, today: dt.date | None = None) -> Profile:
    """Validates a decoded JSON profile; raises ProfileError with one French sentence."""
    if not isinstance(data, dict):
        raise ProfileError("Le profil doit être un objet JSON ({…}).")
    today = today or dt.date.today()
    works_raw = data.get("works") or []
    if not isinstance(works_raw, list):
        raise ProfileError("« works » doit être une liste de travaux.")
    if len(works_raw) > MAX_WORKS:
        raise ProfileError(f"« works » : au plus {MAX_WORKS} travaux par profil.")
    city = data.get("city")
    if city is not None and (not isinstance(city, str) or not city.strip() or len(city) > 100):
        raise ProfileError("« city » doit être un nom de commune (100 caractères au plus).")
    date = _date(data, today)
    return Profile(
        date=date,
        postal_code=_code(data, "postal_code", _POSTAL_CODE, "un code postal à 5 chiffres"),
        insee_code=_code(data, "insee_code", _INSEE_CODE,
                         "un code INSEE de commune à 5 caractères"),
        city=city.strip() if city else None,
        housing_type=_choice(data, "housing_type", HOUSING_TYPES),
        occupancy=_choice(data, "occupancy", OCCUPANCIES),
        construction_year=_number(
            data, "construction_year", (EARLIEST_CONSTRUCTION_YEAR, date.year + 3),
            "année de construction", integer=True,
        ),
        surface_m2=_number(data, "surface_m2", SURFACE_RANGE, "surface habitable en m²"),
        heating_energy=_choice(data, "heating_energy", HEATING_ENERGIES),
        dpe_class=_choice(data, "dpe_class", DPE_CLASSES),
        dpe_class_after=_choice(data, "dpe_class_after", DPE_CLASSES),
        household_size=_number(
            data, "household_size", HOUSEHOLD_SIZE_RANGE, "nombre de personnes du foyer",
            integer=True,
        ),
        reference_income=_number(
            data, "reference_income", INCOME_RANGE, "revenu fiscal de référence en euros"
        ),
        works=tuple(_work(item, i) for i, item in enumerate(works_raw)),
        total_cost_eur=_number(data, "total_cost_eur", COST_RANGE, "coût total HT en euros"),
        house_position=_choice(data, "house_position", HOUSE_POSITIONS),
        apartment_floor=_choice(data, "apartment_floor", APARTMENT_FLOORS),
        roof_insulated=_flag(data, "roof_insulated", "toiture déjà isolée"),
        walls_insulated=_flag(data, "walls_insulated", "murs déjà isolés"),
        boiler_age_years=_number(data, "boiler_age_years", BOILER_AGE_RANGE,
                                 "âge de la chaudière en années", integer=True),
        boiler_type=_choice(data, "boiler_type", BOILER_TYPES),
        secondary_heating=_choice(data, "secondary_heating", SECONDARY_HEATINGS),
        altitude_m=_number(data, "altitude_m", ALTITUDE_RANGE, "altitude du logement en mètres",
                           integer=True),
    )


def require(profile: Profile, *fields: str, command: str) -> None:
    """Raises ProfileError naming the first missing field a command needs."""
    for name in fields:
        value = getattr(profile, name)
        if value is None or value == ():
            raise ProfileError(f"« {name} » est nécessaire pour la commande « {command} ».")
