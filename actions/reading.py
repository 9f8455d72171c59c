"""Reads one user message of the profile form into proposed slot values, without guessing.

A value is proposed for a slot when (a) it answers the question being asked, or (b) cue
words next to it name the slot (an entity role from the NLU, or the unit/cue words found in
the raw text as a safety net). A bare number that answers nothing asked is proposed for the
one slot it can only belong to, else dropped. A bare 5-digit number is never a postal code
unless the postal code is what was asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from actions import normalise
from actions.normalise import InvalidAnswer, fold

NUMBER_SLOTS = ("surface_m2", "household_size", "reference_income", "construction_year",
                "total_cost_eur")
# Values inside the parsers' hard ranges but outside these are confirmed before being kept.
PLAUSIBLE = {
    "surface_m2": (9, 1000),
    "household_size": (1, 12),
    "reference_income": (1000, 500_000),
    "total_cost_eur": (500, 500_000),
}
EARLIEST_PLAUSIBLE_YEAR = 1700

CATEGORICAL = {
    "housing_type": "housing_type", "occupancy": "occupancy", "heating_energy": "heating_energy",
    "dpe_class": "dpe_class", "dpe_class_after": "dpe_class_after",
}
NUMERIC_ENTITIES = {
    "surface_m2": "surface_m2", "household_size": "household_size",
    "reference_income": "reference_income", "construction_year": "construction_year",
    "total_cost_eur": "total_cost_eur",
}

# Cue words near a number that name its slot (folded text, no accents).
_CUES = {
    "surface_m2": re.compile(r"m2|m²|m 2|metres? carres?|\bmq\b|surface"),
    "reference_income": re.compile(r"revenu|gagn|\brfr\b|salaire|impot|fiscal|par an|/an"),
    "total_cost_eur": re.compile(r"travaux|devis|budget|cout|coute|facture|\bht\b|chantier|"
                                 r"enveloppe|prevoir|prevu"),
    "euros": re.compile(r"€|\beuros?\b|\beur\b|\d\s*k\b|\bk€"),
    "household_size": re.compile(r"personnes?|on est|on sera|nous sommes|enfants?|adultes?|"
                                 r"habitants?|foyer|\bseule?\b|couple|\bmenage\b"),
    "construction_year": re.compile(r"annees?|construit|construction|bati|datant|date de|"
                                    r"\ben\s+(1[5-9]|20)\d\d\b|\bde\s+(1[5-9]|20)\d\d\b"),
}
_POSTAL_CUE = re.compile(
    r"code postal|\bcp\b|\b(?:a|au|sur|habite|vis)\s+\d{2}\s?\d{3}\b"
    r"(?!\s*(?:€|euros?\b|eur\b|k\b|m2|m²))|"
    r"\b(?:a|au|sur)\s+(?!peu\b|environ\b|hauteur\b)[a-z][a-z' ,-]{1,40}\s\d{2}\s?\d{3}\b"
    r"(?!\s*(?:€|euros?\b|eur\b|k\b|m2|m²))")
_CORRECTION = re.compile(r"^\s*non\b|en fait|plutot|pardon|erreur|trompe|correction|corrige|"
                         r"rectif|finalement|au lieu de|je voulais dire|c.est pas .* mais")
_NEGATION = re.compile(r"\b(?:pas|sans|ni|plus besoin|aucune?|enleve[rz]?|retire[rz]?|"
                       r"supprime[rz]?|oublie[rz]?)\s+(?:[\w']+\s+){0,2}$")
_DONT_KNOW = re.compile(r"sais pas|sait pas|\bjsp\b|aucune idee|pas d.idee|ignore|pas sure?\b|"
                        r"je ne connais pas|connais pas|inconnu|je n.en sais rien|aucune id")
_AFFIRM = re.compile(r"^\s*(oui|ouais|yes|ok|d.accord|exact|exactement|c.est (bien )?ca|"
                     r"tout a fait|bien sur|absolument|confirme|volontiers|ca marche)\b")
_DENY = re.compile(r"^\s*(non|nan|no|pas du tout|absolument pas|surtout pas)\b")
_FULL_RENOVATION = re.compile(r"renovation (complete|globale|d.ampleur|totale|lourde|"
                              r"performante)|parcours accompagne|\bbbc\b|de fond en comble|"
                              r"tout renover|renover entierement|renover toute")
_GAS_BOILER = re.compile(r"chaudiere (a |au )?(gaz|condensation)|chaudiere gaz")
# "on vise la classe B", "objectif C", "passer en C", "de G à C" (current → target).
_TARGET_CLASS = re.compile(r"(?:vise[rz]?|visons|objectif|atteindre|passer (?:en|a)|cible|"
                           r"arriver (?:en|a)|monter (?:en|a))\s+(?:la\s+|une\s+)?"
                           r"(?:classe\s+|etiquette\s+|lettre\s+|dpe\s+)?([a-g])\b")
_FROM_TO_CLASS = re.compile(r"\bde\s+(?:la\s+classe\s+)?([a-g])\s+(?:a|en|vers)\s+"
                            r"(?:la\s+classe\s+)?([a-g])\b")
_ADDING = re.compile(r"\b(?:et aussi|aussi|en plus|ajoute[rz]?|rajoute[rz]?|egalement)\b")
_TOWN = re.compile(r"\b(?:à|a|au|sur)\s+((?:Saint|Sainte|[A-ZÀ-Ý])[\w'-]*(?:[ -][\w'-]+){0,3})")
_BARE_NUMBER = re.compile(r"^\s*\d[\d \u00a0\u202f.,]*\s*$")
_AREA_SLOTS = frozenset({"size_attic_insulation", "size_flat_roof_insulation",
                         "size_exterior_wall_insulation", "size_interior_wall_insulation",
                         "size_floor_insulation"})
_HOME_AREA = re.compile(r"surface|habitable|logement|maison|appartement|appart")
ENVELOPE_WORKS = frozenset({"attic_insulation", "flat_roof_insulation",
                            "exterior_wall_insulation", "interior_wall_insulation",
                            "floor_insulation", "windows"})


@dataclass
class Proposal:
    slot: str
    value: Any
    cued: bool  # the user's words name the slot (else: an answer to the question asked)


@dataclass
class Reading:
    proposals: list[Proposal] = field(default_factory=list)
    works_add: list[str] = field(default_factory=list)
    works_remove: list[str] = field(default_factory=list)
    dont_know: bool = False
    correction: bool = False
    full_renovation: bool = False
    gas_boiler: bool = False
    entity_values: dict[str, Any] = field(default_factory=dict)

    def proposed(self, slot: str) -> Proposal | None:
        return next((p for p in self.proposals if p.slot == slot), None)

    def add(self, slot: str, value: Any, cued: bool) -> None:
        if self.proposed(slot) is None:
            self.proposals.append(Proposal(slot, value, cued))


def is_dont_know(text: str) -> bool:
    return bool(_DONT_KNOW.search(fold(text))) and len(text) <= 80


def is_affirm(text: str) -> bool:
    return bool(_AFFIRM.search(fold(text)))


def is_deny(text: str) -> bool:
    return bool(_DENY.search(fold(text))) and not _AFFIRM.search(fold(text))


def wants_full_renovation(text: str) -> bool:
    return bool(_FULL_RENOVATION.search(fold(text or "")))


_CUE_REACH = 25  # characters between a number and the cue words that name it


def _distance(match: re.Match, start: int, end: int) -> int:
    if match.end() <= start:
        return start - match.end()
    if match.start() >= end:
        return match.start() - end
    return 0


def _nearest(pattern: re.Pattern, folded: str, start: int, end: int) -> int | None:
    distances = [_distance(m, start, end) for m in pattern.finditer(folded)]
    distances = [d for d in distances if d <= _CUE_REACH]
    return min(distances) if distances else None


def number_cue_slot(text: str, start: int | None, end: int | None) -> str | None:
    """The numeric slot named by the cue words nearest to a number, else None."""
    folded = fold(text or "")
    if start is None or end is None or len(folded) != len(text or ""):
        start, end = 0, len(folded)
    found: dict[str, int] = {}
    for slot in ("surface_m2", "household_size", "construction_year"):
        distance = _nearest(_CUES[slot], folded, start, end)
        if distance is not None:
            found[slot] = distance
    euros = _nearest(_CUES["euros"], folded, start, end)
    income = _nearest(_CUES["reference_income"], folded, start, end)
    cost = _nearest(_CUES["total_cost_eur"], folded, start, end)
    if income is not None and (cost is None or income <= cost):
        found["reference_income"] = income
    elif cost is not None and euros is not None:
        found["total_cost_eur"] = min(cost, euros)
    elif euros is not None:
        found["euros"] = euros
    if not found:
        return None
    best = min(found.values())
    nearest = [slot for slot, distance in found.items() if distance == best]
    return nearest[0] if len(nearest) == 1 else None


def negated_works(text: str) -> list[str]:
    """Works named right after a negation ("pas les fenêtres finalement", "sans la VMC")."""
    folded = fold(text or "")
    removed: list[str] = []
    for pattern, code in normalise._WORKS:  # the same keywords as the parser
        for match in re.finditer(pattern, folded):
            if _NEGATION.search(folded[:match.start()]) and code not in removed:
                removed.append(code)
    return removed


def read_message(text: str, intent: str | None, entities: list[dict],
                 requested: str | None) -> Reading:
    """Proposals for the slots, from the entities (with roles) and the raw text."""
    reading = Reading()
    folded = fold(text or "")
    is_payload = (text or "").startswith("/")
    reading.correction = bool(_CORRECTION.search(folded)) and not is_payload
    reading.dont_know = intent == "dont_know" or (not is_payload and is_dont_know(text or ""))
    reading.full_renovation = wants_full_renovation(text or "")
    reading.gas_boiler = bool(_GAS_BOILER.search(folded))
    bare_numbers: list[Any] = []
    tagged: list[tuple[str, Any]] = []  # DIET's role-less numbers without cue words
    city = next((e.get("value") for e in entities or [] if e.get("entity") == "city"
                 and isinstance(e.get("value"), str)), None)
    for entity in entities or []:
        name, value, role = entity.get("entity"), entity.get("value"), entity.get("role")
        if value is None or value == "":
            continue
        if name == "work_type":
            if requested == "heating_energy" and role != "negated":
                reading.entity_values["heating_energy"] = value
                continue  # the current heating, not a planned work
            (reading.works_remove if role == "negated" else reading.works_add).append(value)
        elif name in CATEGORICAL and role != "negated":
            if name == "dpe_class" and requested == "dpe_class_after" and not is_payload:
                reading.entity_values["dpe_class_after"] = value
                continue  # asked the target, a class is the target
            if name == "dpe_class" and (_TARGET_CLASS.search(folded)
                                        or _FROM_TO_CLASS.search(folded)):
                continue  # read below from the words, current and target apart
            if CATEGORICAL[name] == requested and not is_payload:
                # The whole answer is read below ("propriétaire bailleur" is one fact); the
                # entity is the fallback when the words are not understood.
                reading.entity_values[requested] = value
                continue
            reading.add(CATEGORICAL[name], value, True)
        elif name == "renovation_scope" and value == "full":
            reading.full_renovation = True
        elif name == "city" and isinstance(value, str) and re.search(r"[^\W\d_]", value):
            if not any(e.get("entity") == "postal_code" for e in entities):
                reading.add("postal_code", value, True)
        elif name == "postal_code":
            if is_payload or city or (role is None and _POSTAL_CUE.search(folded)):
                reading.add("postal_code", f"{value} {city}" if city else value, True)
            else:
                bare_numbers.append(value)
        elif name == "work_quantity" and role:
            reading.add(f"size_{role}", value, True)
        elif name in NUMERIC_ENTITIES:
            slot = NUMERIC_ENTITIES[name]
            if role or is_payload:  # the catalogue extractor read the cue words
                reading.add(slot, value, True)
                continue
            cue = number_cue_slot(text or "", entity.get("start"), entity.get("end"))
            if (slot == "surface_m2" and requested in _AREA_SLOTS and cue == slot
                    and not _HOME_AREA.search(folded)):
                reading.add(requested, value, True)  # "80 m2" answers "what area?"
                continue
            if cue == "euros" and slot in ("reference_income", "total_cost_eur"):
                cue = slot
            if cue == slot:
                reading.add(slot, value, True)
            elif cue in NUMBER_SLOTS:
                reading.add(cue, value, True)  # the DIET tag is wrong, the words are right
            else:
                bare_numbers.append(value)
                tagged.append((slot, value))
        elif name == "number":
            bare_numbers.append(value)
    if is_payload:
        return reading
    from_to = _FROM_TO_CLASS.search(folded)
    target = _TARGET_CLASS.search(folded)
    if from_to:
        reading.add("dpe_class", from_to.group(1).upper(), True)
        reading.add("dpe_class_after", from_to.group(2).upper(), True)
    elif target:
        reading.add("dpe_class_after", target.group(1).upper(), True)
    if (from_to or target) and not reading.full_renovation:
        reading.full_renovation = True  # a target class is the parcours accompagné
    if reading.correction and reading.proposed("postal_code") is None:
        town = _TOWN.search(text or "")  # "en fait c'est à Camon", unseen by the NLU
        if town:
            code = normalise.find_postal_code(text)
            name = town.group(1).strip(" .!?,")
            reading.add("postal_code", f"{code} {name}" if code else name, True)
    if reading.correction and len(tagged) == 1:
        reading.add(*tagged[0], True)  # "finalement c'est 1982": the tagged slot is corrected
    # The raw text, as a safety net for what the NLU missed (works named, works negated).
    removed = negated_works(text)
    reading.works_remove += [code for code in removed if code not in reading.works_remove]
    # The entities may be fragments ("isolation", "par l'intérieur"): the words count too,
    # when works are what is talked about (not "une pompe à chaleur" as current heating).
    found: list[str] = []
    if requested in (None, "works") or _ADDING.search(folded):
        try:
            found = (normalise.parse_works(text)
                     if len(text) <= normalise.MAX_ANSWER_CHARS else [])
        except InvalidAnswer:
            found = []
    reading.works_add += [code for code in found if code not in reading.works_add]
    reading.works_add = [code for code in reading.works_add if code not in reading.works_remove]
    if reading.dont_know:
        return reading
    if requested and reading.proposed(requested) is None and requested != "works":
        hint = normalise.slot_hint(text)
        if requested.startswith("size_") and hint == "surface_m2":
            hint = None  # "80 m2" answers "what area to insulate?"
        if hint and hint != requested and hint in NUMBER_SLOTS:
            reading.add(hint, text, True)
        elif (not reading.proposals or requested == "postal_code"
              or requested in CATEGORICAL.values()):
            reading.add(requested, text, False)
    elif bare_numbers and not requested:
        pass  # a bare number outside a question answers nothing
    return reading


def bare_number_slots(text: str, candidates: list[str]) -> list[str]:
    """The slots among `candidates` where a bare number (nothing but digits) is plausible."""
    if not _BARE_NUMBER.match(text or ""):
        return []
    numbers = normalise.numbers_in(text)
    if len(numbers) != 1:
        return []
    number = numbers[0]
    fits = []
    for slot in candidates:
        if slot == "construction_year":
            import datetime as dt
            if number == int(number) and EARLIEST_PLAUSIBLE_YEAR <= number <= dt.date.today().year:
                fits.append(slot)
        elif slot in PLAUSIBLE:
            low, high = PLAUSIBLE[slot]
            if slot == "household_size" and number != int(number):
                continue
            if low <= number <= high:
                fits.append(slot)
    return fits


def implausible(slot: str, value: Any) -> bool:
    """True for a valid value that is unusual enough to be confirmed before being kept."""
    import datetime as dt
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    if slot == "construction_year":
        return value < EARLIEST_PLAUSIBLE_YEAR or value > dt.date.today().year
    if slot in PLAUSIBLE:
        low, high = PLAUSIBLE[slot]
        return not low <= value <= high
    return False
