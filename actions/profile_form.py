"""Validation of the household-profile form: a value fills a slot only when it answers the
question asked or when the user's words name the slot; an already known value changes only
on an explicit correction ("non, on est 3") or after a yes/no confirmation; unusual values
are confirmed; every stored value is acknowledged ("C'est noté : …")."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import normalise, reading, refine_form
from actions.location import Ambiguous, choice_buttons, choice_message, resolve_place
from actions.normalise import DPE_UNKNOWN, InvalidAnswer
from actions.slots import (
    CONFIRM_SLOT,
    FORM_SLOTS,
    GOAL_BY_INTENT,
    HELP_BY_SLOT,
    SIZED_WORKS,
    SLOT_LABELS_FR,
    UNKNOWN,
    display_value,
    required_slots_for,
)
from actions.tracking import latest_intent, latest_text, previous_value
from bot.vocabulary import catalogue

logger = logging.getLogger(__name__)

# While the form waits for an answer, these intents are a question of their own (handled by
# rules, then the form resumes): their text is not read as an answer.
DIGRESSION_INTENTS = frozenset({
    "faq", "ask_capabilities", "bot_challenge", "out_of_scope", "restart", "goodbye",
    "ask_why", "ask_details", "ask_sources",
})
# Everything this action decides: any of them set by a slot mapping this turn is re-decided.
MANAGED_SLOTS = (*FORM_SLOTS, "city", "insee_code", "pending_change", "renovation_scope",
                 "place_choice")

Parser = Callable[[Any], Any]

# Insulation and windows: two of them make a project eligible to the parcours accompagné.
ENVELOPE_WORKS = frozenset(catalogue().works_in("insulation", "windows"))
FULL_RENOVATION_OFFER = (
    "Avec au moins deux travaux d'isolation, une rénovation complète (MaPrimeRénov' parcours "
    "accompagné) peut être bien mieux aidée. Voulez-vous plutôt l'estimer ? (quelques questions de "
    "plus : classe DPE actuelle et visée, coût total)")
FULL_RENOVATION_BUTTON = {"title": "Rénovation complète",
                          "payload": '/inform{"renovation_scope": "full"}'}


def _names_occupancy(text: str) -> bool:
    try:
        normalise.parse_occupancy(text)
    except InvalidAnswer:
        return False
    return True


def _year(value: Any) -> int:
    return normalise.parse_construction_year(value)[0]


PARSERS: dict[str, Parser] = {
    "housing_type": normalise.parse_housing_type,
    "occupancy": normalise.parse_occupancy,
    "construction_year": _year,
    "surface_m2": normalise.parse_surface,
    "heating_energy": normalise.parse_heating_energy,
    "dpe_class": normalise.parse_dpe_class,
    "dpe_class_after": normalise.parse_target_class,
    "household_size": normalise.parse_household_size,
    "reference_income": normalise.parse_income,
    "total_cost_eur": normalise.parse_cost,
}


def parser_for(slot: str) -> Parser | None:
    if slot.startswith("size_"):
        unit = SIZED_WORKS.get(slot.removeprefix("size_"))
        return normalise.parse_count if unit == "count" else normalise.parse_work_surface
    return PARSERS.get(slot)


class ValidateProfileForm(FormValidationAction):
    def name(self) -> str:
        return "validate_profile_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        required = required_slots_for(tracker.get_slot("goal"), tracker.slots)
        # « Affiner l'estimation »: the optional questions after the savings ones.
        required += refine_form.required(tracker.get_slot("goal"), tracker.slots)
        if tracker.get_slot("pending_change"):
            required.insert(0, CONFIRM_SLOT)
        return required

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        return []  # everything is read in get_validation_events

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        try:
            updates = FormTurn(tracker, dispatcher).run()
        except Exception:  # a bug must not become a 500, nor change the profile
            logger.exception("Form validation failed")
            dispatcher.utter_message(response="utter_not_understood")
            updates = {name: previous_value(tracker, name)
                       for name in tracker.slots_to_validate() if name in MANAGED_SLOTS}
        tracker.slots.update(updates)
        return [SlotSet(name, value) for name, value in updates.items()]


class FormTurn:
    """One user message read by the form: the slot updates and the bot's short replies."""

    def __init__(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
        self.tracker = tracker
        self.dispatcher = dispatcher
        self.text = latest_text(tracker).strip()
        self.intent = latest_intent(tracker)
        self.requested = tracker.get_slot("requested_slot")
        self.before = {name: previous_value(tracker, name) for name in MANAGED_SLOTS}
        self.before["goal"] = tracker.get_slot("goal")
        # Whatever a slot mapping set this turn is undone unless accepted below.
        self.updates: dict[str, Any] = {
            name: self.before[name] for name in tracker.slots_to_validate()
            if name in MANAGED_SLOTS}
        self.noted: list[str] = []
        self.corrected: list[str] = []
        self.offers: list[tuple[str, list[dict]]] = []  # said after "C'est noté"
        self.read: reading.Reading | None = None

    # --- helpers ---------------------------------------------------------------------

    def current(self, slot: str) -> Any:
        return self.updates.get(slot, self.before.get(slot))

    def say(self, text: str, buttons: list[dict] | None = None) -> None:
        self.dispatcher.utter_message(text=text, buttons=buttons or [])

    def set(self, slot: str, value: Any) -> None:
        self.updates[slot] = value

    def entities(self) -> list[dict]:
        return list((self.tracker.latest_message or {}).get("entities") or [])

    # --- the turn --------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        intent = self.intent or ""
        if not self.before.get("pending_change") and refine_form.handle(self, DIGRESSION_INTENTS):
            return self.updates  # « affiner l'estimation » and its answers
        if intent in DIGRESSION_INTENTS and not self.before.get("pending_change"):
            return self.updates
        if (self.before.get("pending_change") and self.requested == CONFIRM_SLOT
                and self.resolve_confirmation()):
            return self.updates
        goal = GOAL_BY_INTENT.get(intent)
        if goal:
            goal = implied_goal(self.text) or goal  # the words win over a misread intent
        if not goal and not self.before.get("goal"):
            # "on veut isoler les combles, quelles aides ?" read as `inform`: the words say
            # what the user wants computed.
            implied = implied_goal(self.text)
            if implied:
                self.set("goal", implied)
        requested = self.requested if self.requested != CONFIRM_SLOT else None
        if _MARKUP.search(self.text) and not self.text.startswith("/"):
            self.say("Je ne lis pas le code ni les balises : répondez en quelques mots, s'il "
                     "vous plaît.")
            if requested:
                self.set(requested, self.before.get(requested))
            return self.updates
        if goal:
            requested = None  # a new question: only the facts named in it are read
        read = reading.read_message(self.text, intent, self.entities(), requested)
        self.read = read
        if requested == "occupancy" and (intent == "affirm" or reading.is_affirm(self.text)) \
                and not _names_occupancy(self.text):
            self.affirm_occupancy(read)
        if read.full_renovation and self.current("renovation_scope") != "full":
            self.set("renovation_scope", "full")
            self.noted.append("rénovation complète (parcours accompagné)")
        if read.gas_boiler and not read.works_add and requested in (None, "works"):
            self.say("Une chaudière au gaz, même à condensation, n'ouvre plus droit à "
                     "MaPrimeRénov' ni aux primes Coup de pouce : il n'y a pas d'aide nationale "
                     "pour ce remplacement (l'éco-PTZ et la TVA réduite restent possibles). Une "
                     "pompe à chaleur ou une chaudière biomasse, elles, sont aidées.")
        if self.apply_works(read) and requested:
            # "pas les fenêtres finalement": the list changed, the text answers nothing else.
            read.proposals = [p for p in read.proposals if p.cued or p.slot != requested]
        if read.dont_know and requested and read.proposed(requested) is None:
            self.dont_know(requested)
        for proposal in read.proposals:
            self.propose(proposal, requested)
        self.acknowledge()
        changed = any(value != self.before.get(name) for name, value in self.updates.items())
        if (goal and goal != self.before.get("goal") and self.tracker.active_loop and changed
                and (implied_goal(self.text) or not self.before.get("goal"))):
            # A short answer misread as a question ("une centaine de m2" -> ask_savings)
            # must not change what is computed: the words must say it.
            self.set("goal", goal)  # "et un artisan pour une PAC ?" mid-form
        if not self.updates and requested and not goal:
            # Nothing read: keep the slot as it is (and say so) rather than reject the form.
            self.updates[requested] = self.before.get(requested)
        return self.updates

    def affirm_occupancy(self, read: reading.Reading) -> None:
        """"Oui" to utter_ask_occupancy: "Vous êtes propriétaire occupant d'une maison ?" when
        the housing type is unknown, "… de cet appartement et vous y habitez ?" otherwise."""
        read.proposals = [p for p in read.proposals if p.slot != "occupancy"]
        read.add("occupancy", "owner_occupier", True)
        if self.current("housing_type") is None:
            read.add("housing_type", "house", True)

    def acknowledge(self) -> None:
        for line in self.corrected:
            self.say(line)
        if self.noted:
            self.say("C'est noté : " + " ; ".join(self.noted) + ".")
        for text, buttons in self.offers:
            self.say(text, buttons)

    # --- confirmation ----------------------------------------------------------------

    def resolve_confirmation(self) -> bool:
        """Applies or drops the pending change; True when the message was that answer."""
        pending = self.before["pending_change"] or {}
        slot, value = pending.get("slot"), pending.get("value")
        self.set("pending_change", None)
        if self.intent == "affirm" or reading.is_affirm(self.text):
            if slot == "postal_code":
                self.set("postal_code", value)
                self.set("city", pending.get("city"))
                self.set("insee_code", pending.get("insee_code"))
                self.noted.append("commune = " + display_value("postal_code", value,
                                                               pending.get("city")))
            else:
                self.store(slot, value, correction=True, confirmed=True)
            self.acknowledge()
            return True
        if self.intent == "deny" or reading.is_deny(self.text):
            kept = self.before.get(slot)
            if kept is None:
                self.say("D'accord, je n'en tiens pas compte.")
            else:
                self.say(f"D'accord, je garde : {SLOT_LABELS_FR[slot]} = "
                         f"{display_value(slot, kept, self.before.get('city'))}.")
            return True
        return False  # another answer: the change is dropped, the message read normally

    # --- works -----------------------------------------------------------------------

    def apply_works(self, read: reading.Reading) -> bool:
        """Adds and removes works; True when the list changed."""
        before = list(self.current("works") or [])
        works = [code for code in before if code not in read.works_remove]
        added: list[str] = []
        for item in read.works_add:  # one by one: an NLU fragment must not hide the others
            try:
                added += [code for code in normalise.parse_works(item) if code not in added]
            except InvalidAnswer:
                continue
        works += [code for code in added if code not in works]
        if works == before:
            if self.requested == "works" and not read.works_add and not read.dont_know \
                    and not read.proposals and not read.gas_boiler:
                self.say("Je n'ai pas reconnu de travaux. Dites par exemple « isolation des "
                         "combles », « pompe à chaleur » ou « fenêtres », ou choisissez "
                         "ci-dessous.")
                self.set("works", self.before.get("works"))
            return False
        for code in before:
            if code not in works and f"size_{code}" in FORM_SLOTS:
                self.set(f"size_{code}", None)
        self.set("works", works or None)
        self.noted.append(f"travaux = {display_value('works', works)}" if works
                          else "plus aucun travaux prévu")
        self.offer_full_renovation(before, works)
        return True

    def offer_full_renovation(self, before: list[str], works: list[str]) -> None:
        """Two envelope works or more open the parcours accompagné, often far better paid
        than par geste: offered once, when the list reaches two, never forced."""
        if (self.current("renovation_scope") == "full" or self.current("goal") != "aids"
                or len(ENVELOPE_WORKS.intersection(works)) < 2
                or len(ENVELOPE_WORKS.intersection(before)) >= 2):
            return
        self.offers.append((FULL_RENOVATION_OFFER, [dict(FULL_RENOVATION_BUTTON)]))

    # --- "je ne sais pas" ------------------------------------------------------------

    def dont_know(self, slot: str) -> None:
        if slot == "dpe_class":
            self.set("dpe_class", DPE_UNKNOWN)
            self.say("Pas de souci : j'estimerai la classe DPE d'après l'année de construction "
                     "et le chauffage.")
            return
        if slot == "dpe_class_after":
            self.set("dpe_class_after", UNKNOWN)
            self.say("Pas de souci : je compterai le gain minimal du parcours accompagné "
                     "(2 classes DPE) ; l'audit énergétique dira ce qui est possible.")
            return
        if slot == "total_cost_eur":
            self.set("total_cost_eur", UNKNOWN)
            self.say("Pas de souci : je calcule sans le coût ; le plafonnement des aides "
                     "sera à vérifier sur devis.")
            return
        if slot.startswith("size_") and slot != "size_windows":
            floor = self.current("surface_m2")
            if slot == "size_attic_insulation" and isinstance(floor, (int, float)):
                self.set(slot, floor)
                self.say(f"Je retiens {display_value(slot, floor)}, à peu près la surface au "
                         "sol : corrigez-moi si besoin.")
                return
        help_text = HELP_BY_SLOT.get(slot)
        self.set(slot, self.before.get(slot))
        self.say(help_text or "Pas de souci, une estimation suffit.")

    # --- one proposed value ----------------------------------------------------------

    def propose(self, proposal: reading.Proposal, requested: str | None) -> None:
        slot = proposal.slot
        if slot == "postal_code":
            self.propose_place(proposal, requested)
            return
        parse = parser_for(slot)
        if parse is None or slot not in FORM_SLOTS:
            return
        raw = proposal.value
        if isinstance(raw, str):
            raw = normalise.approximate_numbers(raw)
        if (slot == "construction_year" and normalise.has_decade(self.text)
                and len(self.text) <= normalise.MAX_ANSWER_CHARS
                and not normalise.has_decade(normalise._text(raw))):
            raw = self.text  # the NLU tagged "soixante-dix" out of "années soixante-dix"
        try:
            try:
                value = parse(raw)
            except InvalidAnswer:
                fallback = self.read.entity_values.get(slot) if self.read else None
                if fallback is None or proposal.cued:
                    raise
                value = parse(fallback)
        except InvalidAnswer as error:
            if (slot == requested and not proposal.cued and not _year_like(requested, raw)
                    and self.bare_number_elsewhere(requested)):
                return
            if slot == requested and not proposal.cued and (
                    self.noted or self.corrected or self.updates.get("pending_change")):
                self.set(slot, self.before.get(slot))
                return  # the message answered something else (a correction): no error
            if slot == requested or proposal.cued:
                message = str(error)
                kept = self.before.get(slot)
                if kept is not None and slot != requested:
                    message += (f" Je garde pour l'instant : {SLOT_LABELS_FR[slot]} = "
                                f"{display_value(slot, kept)}.")
                self.say(message)
                self.set(slot, kept)
            return
        if slot == "construction_year":
            _, note = normalise.parse_construction_year(raw)
            if note and value != self.before.get(slot):
                self.say(note)
        if slot == "dpe_class" and value == DPE_UNKNOWN and self.before.get(slot) not in (
                None, DPE_UNKNOWN):
            return  # "je ne sais pas" never erases a known class
        if slot == requested and not proposal.cued and self.bare_number_elsewhere(
                requested, only_if_implausible=value):
            return
        self.store(slot, value, correction=proposal.cued and self.is_correction())

    def is_correction(self) -> bool:
        return bool(reading._CORRECTION.search(normalise.fold(self.text)))

    def bare_number_elsewhere(self, requested: str, only_if_implausible: Any = None) -> bool:
        """A bare number that cannot answer `requested` but fits one other empty slot of the
        current question: kept there, and the question asked again."""
        if only_if_implausible is not None and not reading.implausible(requested,
                                                                       only_if_implausible):
            return False
        goal = self.current("goal")
        wanted = [name for name in required_slots_for(goal, {**self.tracker.slots,
                                                               **self.updates})
                  if name in reading.NUMBER_SLOTS and name != requested
                  and self.current(name) in (None,)]
        fits = reading.bare_number_slots(self.text, wanted)
        if len(fits) != 1:
            return False
        (slot,) = fits
        value = parser_for(slot)(self.text)
        self.set(slot, value)
        self.set(requested, self.before.get(requested))
        self.noted.append(f"{SLOT_LABELS_FR[slot]} = {display_value(slot, value)}")
        return True

    def store(self, slot: str, value: Any, correction: bool, confirmed: bool = False) -> None:
        before = self.before.get(slot)
        if before == value:
            self.set(slot, value)
            return
        if not confirmed and reading.implausible(slot, value):
            self.ask_confirmation(slot, value, f"{display_value(slot, value)}, c'est bien "
                                               f"ça ({SLOT_LABELS_FR[slot]}) ?")
            return
        if before is None or before == UNKNOWN or slot == self.requested or correction \
                or confirmed or (slot == "dpe_class" and before == DPE_UNKNOWN):
            self.set(slot, value)
            if before is None or before in (UNKNOWN, DPE_UNKNOWN):
                self.noted.append(f"{SLOT_LABELS_FR[slot]} = {display_value(slot, value)}")
            else:
                self.corrected.append(
                    f"C'est noté, je corrige : {SLOT_LABELS_FR[slot]} = "
                    f"{display_value(slot, value)} (au lieu de {display_value(slot, before)}).")
            return
        self.ask_confirmation(slot, value, f"Vous aviez indiqué : {SLOT_LABELS_FR[slot]} = "
                                           f"{display_value(slot, before)}. Je le remplace "
                                           f"par {display_value(slot, value)} ?")

    def ask_confirmation(self, slot: str, value: Any, question: str) -> None:
        if self.updates.get("pending_change"):
            return  # one question at a time
        self.set(slot, self.before.get(slot))
        self.set("pending_change", {"slot": slot, "value": value, "question": question})

    # --- the place -------------------------------------------------------------------

    def propose_place(self, proposal: reading.Proposal, requested: str | None) -> None:
        previous = self.before.get("postal_code")
        previous_city = self.before.get("city")
        value = proposal.value
        try:
            place = resolve_place(normalise._text(value))
        except InvalidAnswer as error:
            if requested == "postal_code":
                if self.bare_number_elsewhere("postal_code"):
                    return
                self.say(str(error))
                self.set("postal_code", previous)
            return
        if isinstance(place, Ambiguous):
            place = _home_territory_choice(place)
        if isinstance(place, Ambiguous):
            if requested == "postal_code" or proposal.cued:
                # Asked by action_ask_postal_code as the question itself, so that the
                # buttons are on the turn's last message (the web widget shows only those).
                self.set("place_choice", {"text": choice_message(place),
                                          "buttons": choice_buttons(place)})
            self.set("postal_code", previous)
            return
        if (place.postal_code, place.name) == (previous, previous_city):
            return
        if previous is not None and requested != "postal_code" and not self.is_correction() \
                and not (self.text.startswith("/")):
            self.set("postal_code", previous)
            if not self.updates.get("pending_change"):
                self.set("pending_change", {
                    "slot": "postal_code", "value": place.postal_code,
                    "city": place.name, "insee_code": place.insee_code,
                    "question": f"Vous aviez indiqué : "
                                f"{display_value('postal_code', previous, previous_city)}. "
                                f"Le logement est-il plutôt à "
                                f"{display_value('postal_code', place.postal_code, place.name)} ?"})
            return
        self.set("postal_code", place.postal_code)
        self.set("place_choice", None)
        self.set("insee_code", place.insee_code)
        self.set("city", place.name)
        shown = display_value("postal_code", place.postal_code, place.name)
        if previous is None:
            self.noted.append(f"logement à {shown}")
        else:
            self.corrected.append(
                f"C'est noté, je corrige la commune : {shown}, au lieu de "
                f"{display_value('postal_code', previous, previous_city)}.")


_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e]")


_GOAL_WORDS = (
    ("aids", re.compile(r"\baides?\b|subvention|\bprimes?\b|maprimerenov|financ|"
                        r"\bdroit a\b|toucher")),
    ("savings", re.compile(r"economi")),
    ("craftsmen", re.compile(r"artisan|entreprise|\brge\b|installateur")),
    ("advisor", re.compile(r"conseiller")),
)


def implied_goal(text: str) -> str | None:
    folded = normalise.fold(text or "")
    found = [goal for goal, pattern in _GOAL_WORDS if pattern.search(folded)]
    return found[0] if len(found) == 1 else None


def _year_like(requested: str, raw: Any) -> bool:
    """A 4-digit number answering the year question is a (wrong) year, not another fact."""
    if requested != "construction_year":
        return False
    numbers = normalise.numbers_in(normalise._text(raw))
    return len(numbers) == 1 and 1000 <= numbers[0] <= 2999


def _home_territory_choice(choice: Ambiguous):
    """Several communes share a name: the one in the home territory (default the Somme),
    when exactly one is there, is taken; else the choice stays, home communes first."""
    from actions.location import Place, home_departments

    departments = home_departments()
    home = [c for c in choice.communes if c.insee_code[:2] in departments]
    if choice.postal_code is None and len(home) == 1:
        commune = home[0]
        return Place(commune.postal_codes[0] if commune.postal_codes else "",
                     commune.insee_code, commune.name)
    ordered = tuple(home) + tuple(c for c in choice.communes if c not in home)
    return Ambiguous(ordered, choice.postal_code)
