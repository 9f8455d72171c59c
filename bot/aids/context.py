"""What every aid calculator needs: the profile, the rules date, the place, the income
category, and a collector for the French warnings shown to the user."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from bot.aids.rules import rule, rule_in_force
from bot.geo import Location
from bot.params import ParameterValue
from bot.profile import Profile

MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")


def french_date(day: dt.date) -> str:
    """2026-01-01 -> « 1er janvier 2026 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS_FR[day.month - 1]} {day.year}"


def euros(amount: float) -> int:
    """Rounded to the euro, half up (Python's round() rounds half to even)."""
    return int(math.floor(amount + 0.5))


def format_eur(amount: float) -> str:
    """12345 -> « 12 345 € » (narrow no-break space as French thousands separator)."""
    return f"{euros(amount):,}".replace(",", "\u202f") + " €"


@dataclass
class Context:
    profile: Profile
    location: Location | None
    category: str | None = None
    cee_price: float | None = None  # overrides the parameter when given
    warnings: list[str] = field(default_factory=list)

    @property
    def on(self) -> dt.date:
        return self.profile.date

    def param(self, dotted: str, warn: bool = True) -> ParameterValue:
        """Parameter in force on the rules date; its uncertainty flag becomes a warning
        (unless `warn` is False: the caller then decides when it applies)."""
        found = rule(dotted, self.on)
        if warn and found.uncertain:
            self.warn(found.uncertain)
        return found

    def value(self, dotted: str):
        return self.param(dotted).value

    def has(self, dotted: str) -> bool:
        return rule_in_force(dotted, self.on)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    @property
    def zone(self) -> str | None:
        """Climate zone as used by the CEE sheets: H1, H2 or H3."""
        if self.location is None or not self.location.climate_zone:
            return None
        return self.location.climate_zone[:2]

    @property
    def overseas(self) -> bool:
        return self.location is not None and self.location.commune.is_overseas

    def dwelling_age(self) -> int | None:
        year = self.profile.construction_year
        return None if year is None else self.on.year - year

    def works_cost(self) -> float | None:
        """HT cost of the whole project: total_cost_eur, else the sum of every work's cost."""
        if self.profile.total_cost_eur is not None:
            return self.profile.total_cost_eur
        works = self.profile.works
        if works and all(work.cost_eur is not None for work in works):
            return float(sum(work.cost_eur for work in works))
        return None
