"""The home's envelope: each wall of the heat loss as an element with an area, a U-value and
a reduction factor b, so that a work changes only the element it touches (DPE 3CL style:
GV = Σ U·A·b + thermal bridges + air renewal)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from bot.savings.notes import Notes

# Loss groups shown to users, and the elements each one gathers.
LOSS_GROUPS = {
    "roof": ("roof",),
    "walls": ("walls",),
    "floor": ("floor",),
    "windows": ("windows", "windows_replaced", "door"),
    "thermal_bridges": ("thermal_bridges",),
    "air": ("ventilation", "infiltration"),
}


@dataclass(frozen=True)
class Element:
    area: float  # m² (for air renewal and bridges: the floor surface)
    u: float  # W/m²K (for air renewal: W/K per m² of floor)
    b: float = 1.0  # share of the indoor/outdoor temperature difference it sees

    @property
    def h(self) -> float:
        """Heat-loss coefficient of the element, W/K."""
        return self.area * self.u * self.b

    def with_u(self, u: float, fraction: float = 1.0) -> Element:
        """The element after a change of U on `fraction` of its area (area-weighted U)."""
        fraction = min(max(fraction, 0.0), 1.0)
        return replace(self, u=fraction * u + (1.0 - fraction) * self.u)


Envelope = dict[str, Element]


def period_row(notes: Notes, construction_year: int) -> dict:
    """Default U-values, ventilation and airtightness of the construction period."""
    for row in notes.value("envelope.periods"):
        if construction_year <= row["until_year"]:
            return row
    raise LookupError(construction_year)  # the last row is open-ended: never reached


@dataclass(frozen=True)
class Geometry:
    roof_area: float
    floor_area: float
    wall_area: float  # opaque walls
    window_area: float
    door_area: float
    storeys: int


def geometry(notes: Notes, surface: float, housing_type: str) -> Geometry:
    g = notes.value("envelope.geometry")
    height = g["ceiling_height_m"]
    window_area = g["window_area_ratio"] * surface
    if housing_type == "apartment":
        # A flat on a middle floor: part of its perimeter is on the outside, no roof or floor.
        perimeter = 4 * math.sqrt(surface) * g["apartment_exposed_wall_fraction"]
        gross = perimeter * height
        door = 0.0
        return Geometry(surface, surface, max(gross - window_area, 0.0), window_area, door, 1)
    storeys = 1 if surface <= g["house_single_storey_max_m2"] else 2
    footprint = surface / storeys
    gross = 4 * math.sqrt(footprint) * height * storeys
    door = g["door_area_m2"]
    return Geometry(footprint, footprint, max(gross - window_area - door, 0.0), window_area,
                    door, storeys)


def build_envelope(
    notes: Notes,
    surface: float,
    housing_type: str,
    period: dict,
    *,
    roof_exposed: bool,
    floor_exposed: bool,
    replaced_window_area: float = 0.0,
    wall_share: float = 1.0,
) -> Envelope:
    """Envelope of a typical home of that period; windows about to be replaced are single
    glazing (that is what the work replaces)."""
    g = notes.value("envelope.geometry")
    air = notes.value("envelope.air")
    geo = geometry(notes, surface, housing_type)
    replaced = min(replaced_window_area, geo.window_area)
    exposed_fraction = 1.0 if housing_type == "house" else g["apartment_exposed_wall_fraction"]
    air_capacity = air["air_heat_capacity_wh_per_m3k"]
    bridges = g["thermal_bridges_w_per_k_per_m2"] * exposed_fraction
    return {
        "roof": Element(geo.roof_area, period["roof_u"], g["roof_b"] if roof_exposed else 0.0),
        # A semi-detached or terraced house shares part of its walls with a heated neighbour.
        "walls": Element(geo.wall_area * wall_share, period["wall_u"]),
        "floor": Element(geo.floor_area, period["floor_u"], g["floor_b"] if floor_exposed else 0.0),
        "windows": Element(geo.window_area - replaced, period["window_u"]),
        "windows_replaced": Element(replaced, g["single_glazing_u"]),
        "door": Element(geo.door_area, g["door_u"]),
        "thermal_bridges": Element(surface, bridges),
        "ventilation": Element(surface, air_capacity * period["ventilation_q"]),
        "infiltration": Element(surface, air["perm_w_per_k_per_m2_per_q4pa"] * period["q4pa"]),
    }


def heat_loss_coefficient(envelope: Envelope) -> float:
    """GV, W/K."""
    return sum(element.h for element in envelope.values())


def loss_shares(envelope: Envelope) -> dict[str, float]:
    """Share of the losses by group (roof, walls, floor, windows, thermal bridges, air)."""
    total = heat_loss_coefficient(envelope)
    if total <= 0:
        return {group: 0.0 for group in LOSS_GROUPS}
    return {
        group: sum(envelope[name].h for name in names if name in envelope) / total
        for group, names in LOSS_GROUPS.items()
    }
