"""Effect of each work on the state of the home.

Works are applied one after the other, envelope first, then ventilation, heating, hot water:
each work acts on what the previous ones left, so savings never add up past what is there
(attic insulation after a heat pump saves kWh of electricity at the heat pump's efficiency).
In the measured-evidence variant, envelope works deliver only the measured share of their
conventional effect and new heat pumps run at their field-measured performance.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.profile import Work
from bot.savings import systems
from bot.savings.home import HomeState
from bot.savings.notes import Notes
from bot.vocabulary import catalogue

# Work families come from the vocabulary catalogue (bot/vocabulary/catalogue.yml).
INSULATION_WORKS = catalogue().works_in("insulation")
ROOF_WORKS = ("attic_insulation", "flat_roof_insulation")
WATER_HEATER_WORKS = catalogue().works_in("hot_water")
NO_ENERGY_WORKS = catalogue().works_in("other")

# Works that change the space heating. When several are listed only one becomes the main
# heating: the first in this order (wet central systems before room heaters).
HEATING_WORKS = ("geothermal_heat_pump", "air_water_heat_pump", "heating_network_connection",
                 "pellet_boiler", "log_boiler", "air_air_heat_pump", "pellet_stove", "log_stove")

# Order of application (and of attribution of savings between works).
_STAGES = (
    INSULATION_WORKS,
    ("windows",),
    ("double_flow_ventilation",),
    HEATING_WORKS,
    WATER_HEATER_WORKS,
    ("combined_solar_system",),
    NO_ENERGY_WORKS,
)


def stage(work_type: str) -> int:
    for index, types in enumerate(_STAGES):
        if work_type in types:
            return index
    raise KeyError(work_type)


def ordered(works: tuple[Work, ...]) -> list[Work]:
    """Works in the order they are applied: by stage, then as the profile lists them."""
    return [w for _, _, w in sorted((stage(w.type), i, w) for i, w in enumerate(works))]


def main_heating_work(works: tuple[Work, ...]) -> str | None:
    """The one heating work that becomes the main heating (first by priority)."""
    listed = {w.type for w in works}
    for work_type in HEATING_WORKS:
        if work_type in listed:
            return work_type
    return None


def window_area(notes: Notes, work: Work, all_windows_m2: float) -> float:
    """m² of windows a windows work replaces: its surface, else count × a typical window,
    else every window of the home."""
    if work.surface_m2:
        return work.surface_m2
    if work.count:
        return work.count * notes.value("envelope.geometry")["window_unit_area_m2"]
    return all_windows_m2


@dataclass
class WorkContext:
    notes: Notes
    zone: str
    measured: bool  # the lower, measured-evidence variant
    realism: float  # measured share of conventional envelope savings
    main_heating: str | None
    windows_queue: list[float]  # m² replaced by each windows work, in application order
    windows_left_m2: float = 0.0

    def envelope_u(self, u_before: float, u_conventional: float) -> float:
        if not self.measured:
            return u_conventional
        return u_before - self.realism * (u_before - u_conventional)


def apply_work(ctx: WorkContext, state: HomeState, work: Work) -> HomeState:
    notes = ctx.notes
    kind = work.type
    if kind in INSULATION_WORKS:
        spec = notes.value("works.insulation")[kind]
        element = state.envelope[spec["element"]]
        insulated = 1.0 / (1.0 / element.u + spec["r_value"])
        fraction = min(1.0, work.surface_m2 / element.area) if work.surface_m2 and \
            element.area > 0 else 1.0
        changed = element.with_u(ctx.envelope_u(element.u, insulated), fraction)
        return replace(state, envelope={**state.envelope, spec["element"]: changed})
    if kind == "windows":
        element = state.envelope["windows_replaced"]
        area = ctx.windows_queue.pop(0) if ctx.windows_queue else 0.0
        fraction = area / ctx.windows_left_m2 if ctx.windows_left_m2 > 0 else 0.0
        ctx.windows_left_m2 = max(ctx.windows_left_m2 - area, 0.0)
        new_u = notes.value("works.windows")["new_u"]
        changed = element.with_u(ctx.envelope_u(element.u, new_u), fraction)
        return replace(state, envelope={**state.envelope, "windows_replaced": changed})
    if kind == "double_flow_ventilation":
        element = state.envelope["ventilation"]
        air = notes.value("envelope.air")
        flow = notes.value("works.ventilation")["double_flow_q"]
        new_u = air["air_heat_capacity_wh_per_m3k"] * flow
        changed = element.with_u(ctx.envelope_u(element.u, min(new_u, element.u)))
        return replace(state, envelope={**state.envelope, "ventilation": changed})
    if kind in HEATING_WORKS:
        if kind != ctx.main_heating:
            return state
        heating = systems.heating_system(notes, kind, ctx.zone, measured=ctx.measured)
        dhw = systems.dhw_after_heating_change(notes, state.dhw, heating)
        return replace(state, heating=heating, dhw=dhw)
    if kind == "thermodynamic_water_heater":
        return replace(state, dhw=systems.thermodynamic_water_heater(notes, ctx.zone))
    if kind == "solar_water_heater":
        dhw_share, _ = systems.solar_fractions(notes, ctx.zone)
        return replace(state, dhw_solar_fraction=max(state.dhw_solar_fraction, dhw_share))
    if kind == "combined_solar_system":
        dhw_share, heating_share = systems.solar_fractions(notes, ctx.zone)
        return replace(state, dhw_solar_fraction=max(state.dhw_solar_fraction, dhw_share),
                       heating_solar_fraction=max(state.heating_solar_fraction, heating_share))
    if kind in NO_ENERGY_WORKS:
        return state
    raise KeyError(kind)
