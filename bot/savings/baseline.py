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
        notes.assume(f"Commune non indiquée : climat moyen de la zone {zone} retenu.")
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
        notes.assume("Type de logement non indiqué : une maison est supposée.")

    if profile.construction_year is not None:
        year = profile.construction_year
    else:
        year = notes.value("envelope.period_by_dpe_class")[profile.dpe_class]
    period = env.period_row(notes, year)
    if profile.construction_year is None:
        notes.assume(f"Année de construction non indiquée : isolation d'origine d'un logement "
                     f"{period['label']} supposée, d'après la classe DPE {profile.dpe_class}.")
    if period.get("note_fr"):
        notes.assume(period["note_fr"])

    types = {work.type for work in profile.works}
    roof_exposed = floor_exposed = True
    if housing_type == "apartment":
        roof_exposed = bool(types & set(ROOF_WORKS))
        floor_exposed = "floor_insulation" in types
        exposed = notes.value("envelope.geometry")["apartment_exposed_wall_fraction"]
        notes.assume(
            "Appartement : " + ("dernier étage (travaux de toiture indiqués)" if roof_exposed
                                else "pas de toiture sur l'extérieur")
            + ", " + ("plancher sur local non chauffé (travaux de plancher indiqués)"
                      if floor_exposed else "pas de plancher bas sur l'extérieur")
            + f", {_percent(exposed)} du pourtour sur l'extérieur."
        )
    geometry = env.geometry(notes, surface, housing_type)
    queue = tuple(window_area(notes, w, geometry.window_area)
                  for w in profile.works if w.type == "windows")
    replaced = min(sum(queue), geometry.window_area)
    if queue:
        notes.assume(f"Fenêtres remplacées supposées en simple vitrage ({replaced:.0f} m² sur "
                     f"{geometry.window_area:.0f} m² de fenêtres), remplacées par des fenêtres "
                     f"Uw ≤ {_decimal(notes.value('works.windows')['new_u'], 1)}.")
    envelope = env.build_envelope(notes, surface, housing_type, period,
                                  roof_exposed=roof_exposed, floor_exposed=floor_exposed,
                                  replaced_window_area=replaced)
    heating = systems.baseline_heating(notes, profile.heating_energy, zone)
    dhw = systems.baseline_dhw(notes, profile.heating_energy, heating)
    state = HomeState(
        surface=surface,
        zone=zone,
        envelope=envelope,
        dh19=notes.value("climate.dh19")[zone],
        free_gains=notes.value("climate.free_gain_fraction"),
        heating=heating,
        dhw=dhw,
        dhw_need_kwh=notes.value("systems.dhw")["need_kwh_per_m2"] * surface,
    )
    notes.assume(f"Chauffage actuel : {heating.label_fr} (rendement saisonnier "
                 f"{_decimal(heating.efficiency)}) ; eau chaude : {dhw.label_fr}.")
    if profile.dpe_class is not None:
        k = calibration_for_class(notes, state, profile.dpe_class)
        if k is None:
            notes.warn(f"La classe DPE {profile.dpe_class} déclarée n'est pas cohérente avec "
                       "l'eau chaude estimée : la consommation est estimée d'après l'époque "
                       "de construction.")
        else:
            state = replace(state, calibration=k)
            notes.assume(f"Consommation de départ calée au milieu de la classe DPE "
                         f"{profile.dpe_class} déclarée ; la répartition des pertes suit "
                         f"l'époque {period['label']}.", first=True)
    else:
        notes.assume(f"Consommation de départ conventionnelle (méthode type DPE) d'un logement "
                     f"{period['label']} à l'isolation d'origine, sans rénovation depuis.",
                     first=True)
    return Baseline(state, location, housing_type, period, geometry, queue)


def _decimal(number: float, digits: int = 2) -> str:
    return f"{number:.{digits}f}".replace(".", ",")


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"
