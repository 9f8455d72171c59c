"""Energy prices on the profile's date and the yearly heating + hot-water bill.

Prices are per kWh of final energy PCI (the DPE's unit): gas is sold per kWh PCS, fuel oil
per litre, wood per tonne or stère. Fixed costs count only where they change with the works:
the gas heating subscription and the propane tank rental (dropped when the energy is left);
the electricity subscription stays in every case and is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.savings.notes import Notes


@dataclass(frozen=True)
class EnergyPrice:
    eur_per_kwh: float  # per kWh PCI
    fixed_eur_per_year: float  # subscription or rental, paid while the energy is used
    observed: dt.date  # when the price was observed
    reference: str


def energy_price(notes: Notes, energy: str) -> EnergyPrice:
    found = notes.param(f"prices.{energy}")
    spec = found.value
    fixed = 0.0
    observed = spec["observed"]
    if energy == "electricity":
        per_kwh = spec["eur_per_kwh"]
    elif energy == "gas":
        per_kwh = spec["eur_per_kwh_pcs"] * notes.value("prices.gas_pcs_per_pci")
        subscription = notes.param("prices.gas_subscription").value
        fixed = subscription["eur_per_year"]
        observed = max(observed, subscription["observed"])
    elif energy == "fuel_oil":
        per_kwh = spec["eur_per_litre"] / spec["kwh_per_litre"]
    elif energy == "wood_pellets":
        per_kwh = spec["eur_per_tonne"] / spec["kwh_per_tonne"]
    elif energy == "wood_logs":
        per_kwh = spec["eur_per_stere"] / spec["kwh_per_stere"]
    elif energy == "propane":
        per_kwh = spec["eur_per_tonne"] / spec["kwh_per_tonne"]
        fixed = spec["tank_rental_eur_per_year"]
    elif energy == "district_heating":
        per_kwh = spec["eur_per_kwh"]
    else:
        raise KeyError(energy)
    return EnergyPrice(per_kwh, fixed, observed, found.reference)


def bill_parts(notes: Notes, kwh_by_energy: dict[str, float]) -> tuple[float, float]:
    """(energy part, fixed part) of the yearly cost (€ TTC); fixed costs for energies used."""
    variable = fixed = 0.0
    for energy, kwh in kwh_by_energy.items():
        if kwh <= 0:
            continue
        price = energy_price(notes, energy)
        variable += kwh * price.eur_per_kwh
        fixed += price.fixed_eur_per_year
    return variable, fixed


def bill(notes: Notes, kwh_by_energy: dict[str, float]) -> float:
    """Yearly cost (€ TTC) of these quantities, fixed costs included for energies used."""
    return sum(bill_parts(notes, kwh_by_energy))
