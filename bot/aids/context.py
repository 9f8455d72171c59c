"""What every aid calculator needs: the profile, the rules date, the place, the income
category, and a collector for the French warnings shown to the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.formatting import MONTHS_FR, euros, format_eur, french_date
from bot.geo import Location
from bot.params import ParameterValue, Rules
from bot.profile import Profile

# Re-exported: other modules still import the formatting helpers from here.
__all__ = ["MONTHS_FR", "Context", "euros", "format_eur", "french_date"]


@dataclass
class Context:
    profile: Profile
    location: Location | None
    category: str | None = None
    cee_price: float | None = None  # overrides the parameter when given
    rules: Rules = field(init=False)

    def __post_init__(self) -> None:
        self.rules = Rules(self.profile.date)

    @property
    def on(self) -> dt.date:
        return self.rules.on

    @property
    def warnings(self) -> list[str]:
        """The French warnings shown to the user, collected by the rules accessor."""
        return self.rules.warnings

    def param(self, dotted: str, warn: bool = True) -> ParameterValue:
        """Parameter in force on the rules date; its uncertainty flag becomes a warning
        (unless `warn` is False: the caller then decides when it applies)."""
        return self.rules.param(dotted, warn)

    def value(self, dotted: str):
        return self.rules.value(dotted)

    def has(self, dotted: str) -> bool:
        return self.rules.has(dotted)

    def warn(self, message: str) -> None:
        self.rules.warn(message)

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
