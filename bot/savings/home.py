"""The state of a home (envelope + systems) and the final energy it needs in a year."""

from __future__ import annotations

from dataclasses import dataclass

from bot.savings.envelope import Envelope, heat_loss_coefficient
from bot.savings.systems import System

HEATING = "heating"
DHW = "dhw"


@dataclass(frozen=True)
class HomeState:
    surface: float
    zone: str
    envelope: Envelope
    dh19: float  # K·h
    free_gains: float  # share of the gross need covered by sun and occupants
    heating: System
    dhw: System
    dhw_need_kwh: float
    calibration: float = 1.0  # scales the physical heating need to a declared DPE class
    heating_solar_fraction: float = 0.0
    dhw_solar_fraction: float = 0.0
    # A second heater (« chauffage d'appoint ») covering a share of the heating need; it
    # stays when works change the main heating.
    secondary: System | None = None
    secondary_share: float = 0.0

    def heat_loss_coefficient(self) -> float:
        return heat_loss_coefficient(self.envelope)

    def heating_need_kwh(self) -> float:
        """Conventional space-heating need: k × GV × DH19 × (1 − F), in kWh."""
        return (self.calibration * self.heat_loss_coefficient() * self.dh19
                * (1.0 - self.free_gains) / 1000.0)

    def final_energy(self) -> dict[tuple[str, str], float]:
        """Final energy (kWh PCI) by (energy, use)."""
        result: dict[tuple[str, str], float] = {}
        heating = self.heating_need_kwh() * (1.0 - self.heating_solar_fraction)
        share = self.secondary_share if self.secondary is not None else 0.0
        result[(self.heating.energy, HEATING)] = heating * (1.0 - share) / self.heating.efficiency
        if share:
            key = (self.secondary.energy, HEATING)
            result[key] = result.get(key, 0.0) + heating * share / self.secondary.efficiency
        dhw = self.dhw_need_kwh * (1.0 - self.dhw_solar_fraction)
        key = (self.dhw.energy, DHW)
        result[key] = result.get(key, 0.0) + dhw / self.dhw.efficiency
        return result


def by_energy(final: dict[tuple[str, str], float]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for (energy, _use), kwh in final.items():
        totals[energy] = totals.get(energy, 0.0) + kwh
    return totals


def total_kwh(final: dict[tuple[str, str], float]) -> float:
    return sum(final.values())
