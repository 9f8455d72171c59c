"""Heating and hot-water systems: which energy they burn and their seasonal efficiency
(generation × emission × distribution × regulation, or a heat pump's SCOP × the rest)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.savings.notes import Notes


@dataclass(frozen=True)
class System:
    key: str
    label_fr: str
    energy: str  # billed energy: electricity, gas, fuel_oil, propane, wood_*, district_heating
    efficiency: float  # useful heat delivered per kWh of final energy
    central: bool = True  # a wet central system (boiler, heat pump, network) vs a room heater
    generation: float | None = None  # generation efficiency alone (hot water from a boiler)


def _zone_value(table: dict, zone: str) -> float:
    """Per-zone tables keyed by a zone, a zone family (H1/H2/H3) or `default`."""
    for key in (zone, zone[:2], "default"):
        if key in table:
            return table[key]
    raise KeyError(zone)


def heating_system(notes: Notes, key: str, zone: str, measured: bool = False) -> System:
    """A heating system of the parameter table; `measured` uses field-measured heat-pump
    performance where there is one (the lower, measured-evidence estimate)."""
    spec = notes.value("systems.heating")[key]
    chain = spec["emission"] * spec["distribution"] * spec["regulation"]
    if "scop" in spec:
        generation = _zone_value(spec["scop"], zone)
        if measured and spec.get("measured") is not None:
            generation = spec["measured"]
            cold = notes.value("systems.measured_cold_zone")
            if zone in cold["zones"]:
                generation *= cold["factor"]
    else:
        generation = spec["generation"]
    return System(key, spec["label_fr"], spec["energy"], generation * chain, spec["central"],
                  generation)


def baseline_heating(notes: Notes, heating_energy: str, zone: str) -> System:
    return heating_system(notes, f"baseline_{heating_energy}", zone)


BOILER_ENERGIES = ("gas", "fuel_oil", "propane")


def dhw_need_kwh(notes: Notes, surface: float) -> float:
    """Conventional hot-water need: it follows the number of occupants the DPE assumes for
    the surface (Nadeq), not the surface itself, so small homes need more per m²."""
    dhw = notes.value("systems.dhw")
    a = dhw["adeq"]
    if surface < a["min_surface_m2"]:
        n_max = 1.0
    elif surface < a["knee_surface_m2"]:
        slope = (a["cap"] - 1.0) / (a["knee_surface_m2"] - a["min_surface_m2"])
        n_max = a["cap"] - slope * (a["knee_surface_m2"] - surface)
    else:
        n_max = a["per_m2"] * surface
    adeq = n_max if n_max < a["cap"] else a["cap"] + a["above_cap_share"] * (n_max - a["cap"])
    return dhw["need_kwh_per_adeq"] * adeq


def with_boiler_answers(notes: Notes, heating: System, boiler_type: str | None,
                        age_years: int | None) -> System:
    """The boiler in place as described: its type sets the generation efficiency (standard,
    low temperature, condensing), its age lowers it."""
    if heating.energy not in BOILER_ENERGIES or not heating.central or \
            (boiler_type is None and age_years is None) or heating.generation is None:
        return heating
    answers = notes.value("calibration.answers")
    generation = heating.generation
    if boiler_type is not None:
        generation = answers["boiler_generation"][boiler_type]
    if age_years is not None:
        for max_age, factor in answers["boiler_age_factor"]:
            if age_years <= max_age:
                generation *= factor
                break
    chain = heating.efficiency / heating.generation
    return replace(heating, efficiency=generation * chain, generation=generation)


def baseline_dhw(notes: Notes, heating_energy: str, heating: System) -> System:
    """Hot water in place: from the boiler (or network) when heating is central and burns a
    fuel, else an electric storage tank."""
    dhw = notes.value("systems.dhw")
    kind = dhw["baseline_by_heating_energy"][heating_energy]
    if kind == "boiler":
        return boiler_dhw(notes, heating)
    return electric_tank(notes)


def boiler_dhw(notes: Notes, heating: System) -> System:
    """Hot water from the heating's boiler (or network): its generation efficiency times the
    losses of storage, distribution and summer standby, fitted on real DPEs."""
    chain = notes.value("calibration.dhw")["boiler_chain"]
    return System(f"boiler:{heating.key}", heating.label_fr, heating.energy,
                  (heating.generation or heating.efficiency) * chain, True, heating.generation)


def electric_tank(notes: Notes) -> System:
    spec = notes.value("systems.dhw")["electric_tank"]
    factor = notes.value("calibration.dhw")["electric_tank_factor"]
    return System("electric_tank", spec["label_fr"], spec["energy"],
                  spec["efficiency"] * factor, False)


def heat_pump_dhw(notes: Notes, heating: System) -> System:
    cop = notes.value("systems.dhw")["heat_pump_dhw"][heating.key]
    return System(f"heat_pump_dhw:{heating.key}", heating.label_fr, "electricity", cop, True)


def dhw_after_heating_change(notes: Notes, current_dhw: System, new_heating: System) -> System:
    """A new central system also makes the hot water when the old boiler did (the boiler
    goes); a room heater (stove, air/air heat pump) leaves hot water as it was."""
    if not (new_heating.central and current_dhw.key.startswith("boiler:")):
        return current_dhw
    if new_heating.key in notes.value("systems.dhw")["heat_pump_dhw"]:
        return heat_pump_dhw(notes, new_heating)
    return boiler_dhw(notes, new_heating)


def thermodynamic_water_heater(notes: Notes, zone: str) -> System:
    spec = notes.value("systems.dhw")["thermodynamic_water_heater"]
    return System("thermodynamic_water_heater", spec["label_fr"], spec["energy"],
                  _zone_value(spec["scop"], zone), False)


def solar_fractions(notes: Notes, zone: str) -> tuple[float, float]:
    """(hot-water share, heating share) a solar system covers in that zone."""
    solar = notes.value("systems.solar")
    return _zone_value(solar["dhw_fraction"], zone), _zone_value(solar["heating_fraction"], zone)
