"""DPE class estimate (3CL-DPE-2021 scale) and calibration of the model to a declared class.

Only heating and hot water are modelled: the DPE's other uses (lighting, auxiliaries,
cooling) are a few kWh/m² and are left out.
"""

from __future__ import annotations

from dataclasses import replace

from bot.savings.co2 import co2_kg
from bot.savings.home import HomeState
from bot.savings.notes import Notes

CLASSES = ("A", "B", "C", "D", "E", "F", "G")


def electricity_factor(notes: Notes) -> float:
    return notes.value("dpe.primary_energy_factor")["electricity"]


def primary_energy_kwh(notes: Notes, final: dict[tuple[str, str], float]) -> float:
    factors = notes.value("dpe.primary_energy_factor")
    return sum(kwh * (factors["electricity"] if energy == "electricity" else factors["other"])
               for (energy, _use), kwh in final.items())


def bounds(notes: Notes, surface: float) -> tuple[list[float], list[float]]:
    """(energy bounds, GES bounds) of classes A…F for that surface on the profile's date."""
    rounded = round(surface)
    if notes.has("dpe.small_surface_thresholds"):
        # One row per m² below 40 m² (the arrêté's bound); the smallest row for smaller homes.
        table = notes.value("dpe.small_surface_thresholds")
        if rounded <= max(table):
            energy, ges = table[max(rounded, min(table))]
            return list(energy), list(ges)
    thresholds = notes.value("dpe.thresholds")
    return list(thresholds["energy"]), list(thresholds["ges"])


def class_of(cep: float, eges: float, energy_bounds: list[float], ges_bounds: list[float]) -> str:
    """The worse of the energy class and the climate class (each bound is a strict '<')."""
    def index(amount: float, limits: list[float]) -> int:
        for i, limit in enumerate(limits):
            if amount < limit:
                return i
        return len(limits)
    return CLASSES[max(index(cep, energy_bounds), index(eges, ges_bounds))]


def estimate_class(notes: Notes, state: HomeState) -> str:
    final = state.final_energy()
    energy_bounds, ges_bounds = bounds(notes, state.surface)
    target = notes.value("calibration.class_target")
    ges = co2_kg(notes, final) / state.surface
    if state.heating.energy in target["energy_scale_only"]:
        ges = 0.0  # the network's own CO2 content is not known: energy label only
    # The label counts lighting and auxiliaries too: their typical primary energy is added.
    cep = primary_energy_kwh(notes, final) / state.surface + target["other_uses_ep_kwh_m2"]
    return class_of(cep, ges, energy_bounds, ges_bounds)


def _g_ratio(notes: Notes, energy: str) -> float:
    """How far above G's lower bound a declared G home is taken: one ratio, or one per billed
    energy of the main heating (`default` for the others)."""
    ratio = notes.value("dpe.class_g_ratio")
    if isinstance(ratio, dict):
        return float(ratio.get(energy, ratio["default"]))
    return float(ratio)


def calibration_for_class(notes: Notes, state: HomeState, dpe_class: str) -> float | None:
    """The factor k on the physical heating need that puts the home at the calibrated
    position inside its declared class (for G: the lower bound × the class_g_ratio), once
    the DPE's other uses (lighting, auxiliaries) are taken out of the bounds. None when the
    class cannot be reached (hot water alone already exceeds it)."""
    surface = state.surface
    target = notes.value("calibration.class_target")
    other = target["other_uses_ep_kwh_m2"]
    at_zero = replace(state, calibration=0.0).final_energy()
    at_one = replace(state, calibration=1.0).final_energy()
    ep0, ep1 = (primary_energy_kwh(notes, f) / surface for f in (at_zero, at_one))
    ges0, ges1 = (co2_kg(notes, f) / surface for f in (at_zero, at_one))
    energy_bounds, ges_bounds = bounds(notes, surface)
    # A heating network's CO2 content depends on the network: its climate label says little.
    use_ges = state.heating.energy not in target["energy_scale_only"]

    def upper(i: int) -> float:
        # Largest k (exclusive) for which the class is at best CLASSES[i]; EP and GES are
        # affine in k.
        limits = []
        if ep1 > ep0:
            limits.append((energy_bounds[i] - other - ep0) / (ep1 - ep0))
        if use_ges and ges1 > ges0:
            limits.append((ges_bounds[i] - ges0) / (ges1 - ges0))
        return min(limits) if limits else float("inf")

    index = CLASSES.index(dpe_class)
    low = 0.0 if index == 0 else max(upper(index - 1), 0.0)
    if index == len(CLASSES) - 1:
        return low * _g_ratio(notes, state.heating.energy) if low > 0 else None
    high = upper(index)
    if high <= 0 or high <= low:
        return None
    return low + target["position"] * (high - low)
