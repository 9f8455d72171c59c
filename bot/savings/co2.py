"""CO2 emissions of final energy, with the DPE's conventional factors."""

from __future__ import annotations

from bot.savings.home import DHW
from bot.savings.notes import Notes


def co2_kg(notes: Notes, final: dict[tuple[str, str], float]) -> float:
    factors = notes.value("co2.factors")
    total = 0.0
    for (energy, use), kwh in final.items():
        if kwh <= 0:
            continue
        if energy == "district_heating":
            factor = notes.value("co2.district_heating")
        elif energy == "electricity":
            factor = factors["electricity"]["dhw" if use == DHW else "heating"]
        else:
            factor = factors[energy]
        total += kwh * factor
    return total
