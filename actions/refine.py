"""« Affiner l'estimation »: the optional questions asked after a savings estimate (second
heater, walls and roof already insulated, party walls, floor of an apartment, boiler type and
age), read from buttons or free text, then the estimate computed again and compared.

They are never asked on the main path: only after the user asks to refine, and only those
that fit the home. Each answer fills the contract §3 field of the same name; « je ne sais
pas » stores UNKNOWN (the field stays out of the profile, the default assumption holds) and
« c'est tout » stops the questions.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from actions.normalise import MAX_ANSWER_CHARS, fold, numbers_in
from actions.reading import is_affirm, is_deny, is_dont_know
from bot.profile import (
    APARTMENT_FLOORS,
    BOILER_AGE_RANGE,
    BOILER_TYPES,
    HOUSE_POSITIONS,
    SECONDARY_HEATINGS,
)

UNKNOWN = "unknown"
# Asked in this order: what each answer gains in benchmarks/bench_calibration.py (share of
# train records within ±30 % without the DPE class, on top of the altitude: second heater
# 62 -> 66 %, walls 64 %, party walls 63 %, roof 63 %, floor 63 %, boiler type 60 % but
# held-out 54 -> 56 %, boiler age 60 %).
REFINE_SLOTS = ("secondary_heating", "walls_insulated", "house_position", "roof_insulated",
                "apartment_floor", "boiler_type", "boiler_age_years")
HOUSE_ONLY = frozenset({"walls_insulated", "house_position", "roof_insulated"})
APARTMENT_ONLY = frozenset({"apartment_floor"})
BOILER_ONLY = frozenset({"boiler_type", "boiler_age_years"})
BOILER_ENERGIES = frozenset({"gas", "fuel_oil", "propane"})  # a boiler heats the home
# The slot that holds the refine answers known before the refinement started (a dict):
# set while the questions are asked, read by action_answer to say what changed.
REFINING_SLOT = "refining"
REFINE_ENTITY = "refine"


def relevant_slots(slots: dict[str, Any]) -> list[str]:
    """The questions that fit the home, in the order of what they gain."""
    housing, energy = slots.get("housing_type"), slots.get("heating_energy")
    if housing not in ("house", "apartment"):
        return []  # no home described yet: no estimate to refine
    wanted = []
    for slot in REFINE_SLOTS:
        if slot in HOUSE_ONLY and housing != "house":
            continue
        if slot in APARTMENT_ONLY and housing != "apartment":
            continue
        if slot in BOILER_ONLY and energy not in BOILER_ENERGIES:
            continue
        wanted.append(slot)
    return wanted


def unanswered(slots: dict[str, Any]) -> list[str]:
    return [slot for slot in relevant_slots(slots) if slots.get(slot) is None]


def profile_fields(slots: dict[str, Any]) -> dict[str, Any]:
    """The contract §3 fields answered (never UNKNOWN, never a value of the wrong type)."""
    fields: dict[str, Any] = {}
    for slot in REFINE_SLOTS:
        value = slots.get(slot)
        if value is None or value == UNKNOWN:
            continue
        if slot in ("roof_insulated", "walls_insulated"):
            if isinstance(value, bool):
                fields[slot] = value
        elif slot == "boiler_age_years":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                fields[slot] = int(value)
        elif isinstance(value, str) and value in CHOICES[slot]:
            fields[slot] = value
    return fields


CHOICES = {"house_position": HOUSE_POSITIONS, "apartment_floor": APARTMENT_FLOORS,
           "secondary_heating": SECONDARY_HEATINGS, "boiler_type": BOILER_TYPES}

# --- what the user reads -------------------------------------------------------------

LABELS_FR = {
    "secondary_heating": "chauffage d'appoint",
    "walls_insulated": "murs déjà isolés",
    "house_position": "maison mitoyenne",
    "roof_insulated": "toiture déjà isolée",
    "apartment_floor": "étage de l'appartement",
    "boiler_type": "type de chaudière",
    "boiler_age_years": "âge de la chaudière",
}
VALUES_FR = {
    "secondary_heating": {"none": "aucun", "wood_stove": "poêle ou insert à bois",
                          "electric_heaters": "radiateurs électriques"},
    "house_position": {"detached": "non (maison individuelle)",
                       "semi_detached": "d'un côté", "terraced": "des deux côtés"},
    "apartment_floor": {"ground": "rez-de-chaussée", "middle": "étage intermédiaire",
                        "top": "dernier étage"},
    "boiler_type": {"standard": "standard", "low_temperature": "basse température",
                    "condensing": "à condensation"},
}


def display(slot: str, value: Any) -> str:
    if value == UNKNOWN:
        return "je ne sais pas"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if slot == "boiler_age_years" and isinstance(value, (int, float)):
        return f"{value:g} an{'s' if value >= 2 else ''}"
    return VALUES_FR.get(slot, {}).get(value, str(value))


def noted(slot: str, value: Any) -> str:
    return f"{LABELS_FR[slot]} : {display(slot, value)}"


def _payload(entity: str, value: Any) -> str:
    import json

    return "/inform" + json.dumps({entity: value}, ensure_ascii=False)


DONT_KNOW_BUTTON = {"title": "Je ne sais pas", "payload": "/dont_know"}
STOP_BUTTON = {"title": "C'est tout", "payload": _payload(REFINE_ENTITY, "stop")}
YES_NO = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]
REFINE_BUTTON = {"title": "Affiner l'estimation", "payload": _payload(REFINE_ENTITY, "start")}

QUESTIONS: dict[str, tuple[str, list[dict[str, str]]]] = {
    "secondary_heating": (
        "Utilisez-vous régulièrement un chauffage d'appoint (poêle ou insert à bois, "
        "radiateurs électriques) en plus du chauffage principal ?",
        [{"title": "Poêle/insert à bois",
          "payload": _payload("secondary_heating", "wood_stove")},
         {"title": "Radiateurs élec.",
          "payload": _payload("secondary_heating", "electric_heaters")},
         {"title": "Aucun", "payload": _payload("secondary_heating", "none")}]),
    "walls_insulated": ("Les murs ont-ils déjà été isolés depuis la construction ?", YES_NO),
    "house_position": (
        "La maison est-elle mitoyenne (murs partagés avec un voisin) ?",
        [{"title": "Non, individuelle", "payload": _payload("house_position", "detached")},
         {"title": "D'un côté", "payload": _payload("house_position", "semi_detached")},
         {"title": "Des deux côtés", "payload": _payload("house_position", "terraced")}]),
    "roof_insulated": ("La toiture (ou les combles) a-t-elle déjà été isolée ?", YES_NO),
    "apartment_floor": (
        "À quel étage est l'appartement ?",
        [{"title": "Rez-de-chaussée", "payload": _payload("apartment_floor", "ground")},
         {"title": "Intermédiaire", "payload": _payload("apartment_floor", "middle")},
         {"title": "Dernier étage", "payload": _payload("apartment_floor", "top")}]),
    "boiler_type": (
        "Quel type de chaudière avez-vous ?",
        [{"title": "Standard", "payload": _payload("boiler_type", "standard")},
         {"title": "Basse température", "payload": _payload("boiler_type", "low_temperature")},
         {"title": "À condensation", "payload": _payload("boiler_type", "condensing")}]),
    # Ages inside each band of calibration.answers.boiler_age_factor (15 / 25 years).
    "boiler_age_years": (
        "Quel âge a la chaudière, à peu près ?",
        [{"title": "Moins de 15 ans", "payload": _payload("boiler_age_years", 10)},
         {"title": "15 à 25 ans", "payload": _payload("boiler_age_years", 20)},
         {"title": "Plus de 25 ans", "payload": _payload("boiler_age_years", 30)}]),
}


def question(slot: str) -> tuple[str, list[dict[str, str]]]:
    text, buttons = QUESTIONS[slot]
    return text, [dict(b) for b in buttons] + [dict(DONT_KNOW_BUTTON), dict(STOP_BUTTON)]


START_MESSAGE = ("Quelques questions facultatives pour affiner l'estimation : répondez « je ne "
                 "sais pas » si besoin, ou « c'est tout » pour recalculer tout de suite.")
STOP_MESSAGE = "D'accord, je recalcule avec ce que vous m'avez dit."
DONT_KNOW_MESSAGE = "Pas de souci : je garde l'hypothèse par défaut."
NOT_UNDERSTOOD = ("Je n'ai pas compris cette réponse : choisissez ci-dessous, ou dites « je ne "
                  "sais pas » ou « c'est tout ».")
ASK_SIDES = "Mitoyenne d'un côté ou des deux côtés ?"

# --- reading free text ---------------------------------------------------------------

_REFINE = re.compile(r"\baffin|(?:\bpreci[sz]|plus juste|plus fiable).*(?:estim|econom|calcul|"
                     r"chiffre)|(?:estim|econom|calcul|chiffre).*(?:\bpreci[sz]|plus juste)")
_STOP = re.compile(r"^\s*(?:(?:non\W+)?c.est tout|ca suffit|ca ira|stop|passer|passons|"
                   r"arrete|on arrete|termine|fini|plus de questions?|assez de questions?)\b")
_NOT = r"(?:pas|non|jamais|aucune?ment|mal)\s+(?:[\w']+\s+){0,2}"
_INSULATED = r"isolee?s?\b"  # « isolés », never the verb « isoler » (a planned work)
_ROOF = re.compile(r"combles?|toit|toiture|grenier|rampants?|plafonds?|sous.toiture")
_WALLS = re.compile(r"\bmurs?\b|facades?|pignons?")
_TWO_SIDES = re.compile(r"(?:deux|2)\s+cotes|entre deux|en bande|milieu d.une? (?:rangee|rue)|"
                        r"deux (?:murs )?mitoyens|de chaque cote|des deux")
_ONE_SIDE = re.compile(r"(?:un|1|seul)\s+(?:seul\s+)?cote|jumelee?|accolee?|un mur mitoyen|"
                       r"une? (?:seule )?maison voisine|d.un cote")
_DETACHED = re.compile(r"individuelle|independante|non mitoyenne|pas mitoyenne|aucun mur|"
                       r"detachee|seule sur (?:son|le) terrain|isolee sur")
_PARTY = re.compile(r"mitoyen")
_GROUND = re.compile(r"rez.de.chaussee|\brdc\b|plain.pied|au sol\b")
_TOP = re.compile(r"dernier etage|sous les toits|sous le toit|tout en haut|en haut|au dessus "
                  r"de tous|attique")
_MIDDLE = re.compile(r"intermediaire|au milieu|du milieu|entre deux etages|ni en haut|"
                     r"\d+\s*(?:e|eme|er)\s+etage|etage courant|premier etage")
_WOOD = re.compile(r"poele|insert|cheminee|\bbois\b|buches?|granules")
_ELECTRIC = re.compile(r"radiateurs?|convecteurs?|electrique|soufflant|bain d.huile|"
                       r"grille.pain|panneaux? rayonnants?")
_NO_SECONDARY = re.compile(r"^\s*(?:aucun|rien|pas d.appoint|pas de chauffage d.appoint|"
                           r"non|nan|pas du tout|jamais)\b|seulement le chauffage|que le "
                           r"chauffage|^\s*pas (?:de |d.)(?:poele|insert|radiateurs?|appoint|"
                           r"chauffage)")
_APPOINT = re.compile(r"appoint|en plus|d.appui|complement")
_CONDENSING = re.compile(r"condensation")
_LOW_TEMPERATURE = re.compile(r"basse temp")
_STANDARD = re.compile(r"standard|classique|ordinaire|normale|ancienne generation|vieille "
                       r"generation")
_BOILER = re.compile(r"chaudiere")
_AGE = re.compile(r"(\d+)\s*ans\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def wants_refine(text: str) -> bool:
    """« Affiner l'estimation », « préciser » — short messages only (not a whole story)."""
    text = text or ""
    return len(text) <= 120 and bool(_REFINE.search(fold(text)))


def is_stop(text: str) -> bool:
    return bool(_STOP.search(fold(text or "")))


def _insulated(folded: str, part: re.Pattern) -> bool | None:
    """« les combles sont isolés » -> True, « murs pas isolés » -> False, else None."""
    if not part.search(folded):
        return None
    if re.search(_NOT + _INSULATED, folded) or re.search(r"\bnon\s+" + _INSULATED, folded):
        return False
    if re.search(_INSULATED, folded) or re.search(r"deja (?:ete )?isol", folded):
        return True
    return None


def read_facts(text: str, requested: str | None, today: dt.date | None = None
               ) -> dict[str, Any]:
    """The refine answers a message gives: those its words name, and the requested one
    when the words answer it. Never a main-heating change nor a new work."""
    if len(text or "") > MAX_ANSWER_CHARS:
        return {}  # a whole story is not an answer to a short question
    folded = fold(text or "")
    facts: dict[str, Any] = {}
    roof = _insulated(folded, _ROOF)
    if roof is not None:
        facts["roof_insulated"] = roof
    walls = _insulated(folded, _WALLS)
    if walls is not None:
        facts["walls_insulated"] = walls
    if requested == "house_position" or _PARTY.search(folded):
        if _TWO_SIDES.search(folded):
            facts["house_position"] = "terraced"
        elif _ONE_SIDE.search(folded):
            facts["house_position"] = "semi_detached"
        elif _DETACHED.search(folded) or (requested == "house_position" and is_deny(text)):
            facts["house_position"] = "detached"
    if requested == "apartment_floor" or "etage" in folded or _GROUND.search(folded):
        if _GROUND.search(folded):
            facts["apartment_floor"] = "ground"
        elif _TOP.search(folded):
            facts["apartment_floor"] = "top"
        elif _MIDDLE.search(folded):
            facts["apartment_floor"] = "middle"
    secondary_cue = requested == "secondary_heating" or _APPOINT.search(folded)
    if secondary_cue or (_WOOD.search(folded) and not _BOILER.search(folded)):
        if _WOOD.search(folded) and not re.search(_NOT + r"(?:de |d.)?(?:poele|insert|bois)",
                                                  folded):
            facts["secondary_heating"] = "wood_stove"
        elif secondary_cue and _ELECTRIC.search(folded) and not re.search(
                _NOT + r"(?:de |d.)?radiat", folded):
            facts["secondary_heating"] = "electric_heaters"
        elif requested == "secondary_heating" and (_NO_SECONDARY.search(folded)
                                                   or is_deny(text)):
            facts["secondary_heating"] = "none"
    if requested in ("boiler_type", "boiler_age_years") or _BOILER.search(folded):
        if _CONDENSING.search(folded):
            facts["boiler_type"] = "condensing"
        elif _LOW_TEMPERATURE.search(folded):
            facts["boiler_type"] = "low_temperature"
        elif _STANDARD.search(folded):
            facts["boiler_type"] = "standard"
        age = _boiler_age(folded, requested == "boiler_age_years", today)
        if age is not None:
            facts["boiler_age_years"] = age
    if requested in ("roof_insulated", "walls_insulated") and requested not in facts:
        if is_affirm(text) or re.fullmatch(r"\s*(?:oui\W+)?(?:elle |ils |elles )?(?:sont |est )?"
                                           + _INSULATED + r"\W*", folded):
            facts[requested] = True
        elif is_deny(text) or re.match(r"\s*" + _NOT + _INSULATED, folded):
            facts[requested] = False
    return facts


def _boiler_age(folded: str, asked: bool, today: dt.date | None) -> int | None:
    """« de 2012 » -> its age this year; « 25 ans » -> 25; a bare number when asked."""
    year_now = (today or dt.date.today()).year
    low, high = BOILER_AGE_RANGE
    year = _YEAR.search(folded)
    if year and int(year.group(1)) <= year_now:
        return max(low, min(high, year_now - int(year.group(1))))
    age = _AGE.search(folded)
    if age and low <= int(age.group(1)) <= high:
        return int(age.group(1))
    if asked:
        numbers = numbers_in(folded)
        if len(numbers) == 1 and numbers[0] == int(numbers[0]) and low <= numbers[0] <= high:
            return int(numbers[0])
    return None


def entity_facts(entities: list[dict]) -> dict[str, Any]:
    """Values sent by the buttons' payloads (`/inform{"house_position": "terraced"}`)."""
    facts: dict[str, Any] = {}
    for entity in entities or []:
        name, value = entity.get("entity"), entity.get("value")
        if name in CHOICES and value in CHOICES[name]:
            facts[name] = value
        elif name == "boiler_age_years":
            try:
                age = int(value)
            except (TypeError, ValueError):
                continue
            if BOILER_AGE_RANGE[0] <= age <= BOILER_AGE_RANGE[1]:
                facts[name] = age
    return facts


def refine_entity(entities: list[dict]) -> str | None:
    for entity in entities or []:
        if entity.get("entity") == REFINE_ENTITY and entity.get("value") in ("start", "stop"):
            return entity["value"]
    return None


def dont_know(text: str, intent: str | None) -> bool:
    return intent == "dont_know" or is_dont_know(text or "")
