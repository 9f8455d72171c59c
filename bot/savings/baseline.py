"""The home before works: envelope from its construction period (or its DPE class), climate
from its commune, heating and hot water from its heating energy; consumption calibrated on
the declared DPE class when there is one."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.errors import ProfileError
from bot.geo import ambiguity_message, locate
from bot.geo.model import Location
from bot.profile import Profile, require
from bot.savings import envelope as env
from bot.savings import systems
from bot.savings.assumptions_fr import fragment
from bot.savings.dpe import calibration_for_class
from bot.savings.home import HomeState
from bot.savings.notes import Notes
from bot.savings.works import ROOF_WORKS, window_area

COMMAND = "savings"


@dataclass(frozen=True)
class Baseline:
    state: HomeState
    location: Location | None
    housing_type: str
    period: dict
    geometry: env.Geometry
    windows_queue: tuple[float, ...]  # m² replaced by each windows work, in profile order
    need_factor: float = 1.0  # calibration on real DPEs (no class), already in state
    efficiency_factor: float = 1.0  # same, on the heating efficiency in place
    zone_factor: float = 1.0  # same, by climate zone (part of need_factor)


def check_profile(profile: Profile) -> None:
    """Minimum fields: surface, heating energy, and construction year or DPE class."""
    require(profile, "surface_m2", "heating_energy", command=COMMAND)
    if profile.construction_year is None and profile.dpe_class is None:
        raise ProfileError("« construction_year » ou « dpe_class » est nécessaire pour la "
                           "commande « savings » (année de construction ou classe DPE).")


def climate_zone(notes: Notes, profile: Profile) -> tuple[str, Location | None]:
    location = locate(profile)
    if location is None:
        zone = notes.value("climate.default_zone")
        notes.assume("commune_unknown_default_zone", zone=zone)
        return zone, None
    if location.climate_zone is None:
        raise ProfileError(
            f"{location.commune.name} est en outre-mer : le modèle d'économies ne couvre que "
            "la métropole (climat et DPE différents)."
        )
    for warning in location.warnings:
        notes.warn(warning)
    ambiguous = ambiguity_message(location)
    if ambiguous:
        notes.warn(ambiguous)
    return location.climate_zone, location


def build_baseline(notes: Notes, profile: Profile) -> Baseline:
    check_profile(profile)
    zone, location = climate_zone(notes, profile)
    surface = float(profile.surface_m2)
    housing_type = profile.housing_type
    if housing_type is None:
        housing_type = "house"
        notes.assume("housing_type_unknown_house")

    if profile.construction_year is not None:
        year = profile.construction_year
    else:
        year = notes.value("envelope.period_by_dpe_class")[profile.dpe_class]
    period = env.period_row(notes, year)
    if profile.construction_year is None:
        notes.assume("construction_year_from_class", period=period["label"],
                     dpe_class=profile.dpe_class)
    if period.get("note_fr"):
        notes.assume("period_note", note=period["note_fr"])

    types = {work.type for work in profile.works}
    roof_exposed = floor_exposed = True
    answers = notes.value("calibration.answers")
    wall_share = 1.0
    if housing_type == "apartment":
        floor = profile.apartment_floor
        roof_exposed = bool(types & set(ROOF_WORKS)) or floor == "top"
        floor_exposed = "floor_insulation" in types or floor == "ground"
        exposed = notes.value("envelope.geometry")["apartment_exposed_wall_fraction"]
        said = floor is not None
        roof = ("apartment_no_roof" if not roof_exposed else
                "apartment_roof_top_floor" if said else "apartment_roof_from_works")
        floor_code = ("apartment_no_floor" if not floor_exposed else
                      "apartment_floor_exposed" if said else "apartment_floor_from_works")
        notes.assume("apartment_exposure", roof=fragment(roof), floor=fragment(floor_code),
                     exposed_percent=_percent(exposed))
    elif profile.house_position is not None:
        wall_share = answers["wall_share"][profile.house_position]
        if wall_share < 1.0:
            notes.assume("house_party_walls", party_percent=_percent(1 - wall_share))
    geometry = env.geometry(notes, surface, housing_type)
    queue = tuple(window_area(notes, w, geometry.window_area)
                  for w in profile.works if w.type == "windows")
    replaced = min(sum(queue), geometry.window_area)
    if queue:
        notes.assume("windows_replaced_single_glazing", replaced_m2=f"{replaced:.0f}",
                     window_m2=f"{geometry.window_area:.0f}",
                     new_u=_decimal(notes.value("works.windows")["new_u"], 1))
    envelope = env.build_envelope(notes, surface, housing_type, period,
                                  roof_exposed=roof_exposed, floor_exposed=floor_exposed,
                                  replaced_window_area=replaced, wall_share=wall_share)
    envelope = _insulated_since(notes, profile, envelope, answers["insulated_u"])
    heating = systems.baseline_heating(notes, profile.heating_energy, zone)
    heating = systems.with_boiler_answers(notes, heating, profile.boiler_type,
                                          profile.boiler_age_years)
    # Fitted on real DPEs: the level of the appliances in place (a described boiler moves
    # from that level by its type and age).
    efficiency_factor = _efficiency_factor(notes, profile.heating_energy)
    if efficiency_factor != 1.0:
        heating = replace(heating, efficiency=heating.efficiency * efficiency_factor)
    dhw = systems.baseline_dhw(notes, profile.heating_energy, heating)
    state = HomeState(
        surface=surface,
        zone=zone,
        envelope=envelope,
        dh19=_dh19(notes, zone, profile.altitude_m),
        free_gains=notes.value("climate.free_gain_fraction"),
        heating=heating,
        dhw=dhw,
        dhw_need_kwh=systems.dhw_need_kwh(notes, surface)
        * notes.value("calibration.dhw")["need_factor"][housing_type],
    )
    notes.assume("heating_in_place", heating=heating.label_fr,
                 efficiency=_decimal(heating.efficiency), dhw=dhw.label_fr)
    state = _with_secondary(notes, state, profile.secondary_heating, answers)
    need_factor = zone_factor = 1.0
    if profile.dpe_class is not None:
        k = calibration_for_class(notes, state, profile.dpe_class)
        if k is None:
            notes.warn(f"La classe DPE {profile.dpe_class} déclarée n'est pas cohérente avec "
                       "l'eau chaude estimée : la consommation est estimée d'après l'époque "
                       "de construction.")
        else:
            state = replace(state, calibration=k)
            notes.assume("start_at_declared_class", first=True, dpe_class=profile.dpe_class,
                         period=period["label"])
    else:
        zone_factor = _zone_factor(notes, zone)
        need_factor = _need_factor(notes, housing_type, year) * zone_factor
        if housing_type == "apartment" and profile.apartment_floor is not None:
            # The need factor is fitted on apartments of every floor: a said floor moves the
            # estimate from that average (its roof or floor exposure is in the envelope).
            need_factor *= answers["apartment_floor_need"][profile.apartment_floor]
        state = replace(state, calibration=need_factor)
        notes.assume("start_conventional_calibrated", first=True, period=period["label"])
    return Baseline(state, location, housing_type, period, geometry, queue, need_factor,
                    efficiency_factor, zone_factor if profile.dpe_class is None else 1.0)


def _with_secondary(notes: Notes, state: HomeState, secondary: str | None,
                    answers: dict) -> HomeState:
    """A second heater takes its share of the heating need (unless it burns the main
    heating's own energy in the same way: nothing to split then)."""
    if secondary in (None, "none"):
        return state
    system = systems.heating_system(notes, f"secondary_{secondary}", state.zone)
    if system.energy == state.heating.energy and not state.heating.central:
        return state
    share = float(answers["secondary_share"])
    notes.assume("secondary_heating_share", heating=system.label_fr,
                 percent=_percent(share), efficiency=_decimal(system.efficiency))
    return replace(state, secondary=system, secondary_share=share)


def _dh19(notes: Notes, zone: str, altitude_m: int | None) -> float:
    """Degree-hours of the zone at the home's altitude class (the DPE's three classes);
    below 400 m when the altitude is not given."""
    if altitude_m is None or altitude_m < 400:
        return float(notes.value("climate.dh19")[zone])
    table = notes.value("climate.dh19_altitude")
    key = "from_800_m" if altitude_m > 800 else "from_400_m"
    notes.assume("climate_altitude", altitude=altitude_m,
                 band="plus de 800 m" if altitude_m > 800 else "400 à 800 m")
    return float(table[key][zone])


def _zone_factor(notes: Notes, zone: str) -> float:
    table = notes.value("calibration.zone_factor")
    return float(table.get(zone, table.get(zone[:2], 1.0)))


def _need_factor(notes: Notes, housing_type: str, year: int) -> float:
    for until_year, factor in notes.value("calibration.need_factor")[housing_type]:
        if year <= until_year:
            return float(factor)
    return 1.0


def _efficiency_factor(notes: Notes, heating_energy: str) -> float:
    table = notes.value("calibration.efficiency_factor")
    return float(table.get(heating_energy, table["default"]))


def _insulated_since(notes: Notes, profile: Profile, envelope: env.Envelope,
                     insulated_u: dict) -> env.Envelope:
    """Roof or walls insulated since construction: their U at most the « insulated » one."""
    changed = dict(envelope)
    for answer, element, key, label in (
            (profile.roof_insulated, "roof", "roof", "toiture"),
            (profile.walls_insulated, "walls", "walls", "murs")):
        if answer is None:
            continue
        if answer and envelope[element].u > insulated_u[key]:
            changed[element] = replace(envelope[element], u=insulated_u[key])
            notes.assume("element_already_insulated", element=label.capitalize(),
                         u=_decimal(insulated_u[key], 1))
        elif not answer:
            notes.assume("element_not_insulated", element=label.capitalize())
    return changed


def _decimal(number: float, digits: int = 2) -> str:
    return f"{number:.{digits}f}".replace(".", ",")


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"
