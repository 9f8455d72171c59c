"""Validation of the household-profile form: asks only what the current question needs,
reads free answers ("cent vingt m2", "années 70", "32k") and re-asks with a clear message."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import normalise
from actions.location import Ambiguous, choice_buttons, choice_message, resolve_place
from actions.normalise import InvalidAnswer
from actions.slots import (
    FORM_SLOTS,
    GOAL_BY_INTENT,
    SIZED_WORKS,
    SLOT_LABELS_FR,
    display_value,
    required_slots_for,
)
from actions.tracking import latest_entity, latest_intent, latest_text, previous_value

logger = logging.getLogger(__name__)

# While the form waits for an answer, these intents are a question of their own (handled by
# rules, then the form resumes): their text is not read as an answer.
DIGRESSION_INTENTS = frozenset({
    "faq", "ask_capabilities", "bot_challenge", "out_of_scope", "restart", "goodbye",
    *GOAL_BY_INTENT,
})

Parser = Callable[[Any], Any]
_NUMBER_SLOTS = frozenset({"surface_m2", "household_size", "reference_income",
                           "construction_year"})


class ValidateProfileForm(FormValidationAction):
    def name(self) -> str:
        return "validate_profile_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        return required_slots_for(tracker.get_slot("goal"), tracker.slots)

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        try:
            extracted = self.extract_from_message(tracker)
        except Exception:  # never break the form on odd input: the question is asked again
            logger.exception("Extraction failed")
            extracted = {}
        tracker.slots.update(extracted)
        return [SlotSet(name, value) for name, value in extracted.items()]

    @staticmethod
    def extract_from_message(tracker: Tracker) -> dict[str, Any]:
        """Reads the answer to the requested slot from the raw text when the NLU found no
        entity for it, and a town named anywhere in the message."""
        candidates = tracker.slots_to_validate()
        text = latest_text(tracker).strip()
        intent = latest_intent(tracker)
        extracted: dict[str, Any] = {}
        if intent in DIGRESSION_INTENTS and intent not in GOAL_BY_INTENT:
            return extracted  # a question of its own: nothing in it is an answer
        city = latest_entity(tracker, "city")
        if city and _LETTER.search(city) and "postal_code" not in candidates:
            extracted["postal_code"] = city
        requested = tracker.get_slot("requested_slot")
        if requested == "works" and candidates.get("works") and not text.startswith("/"):
            # The NLU may tag only some of the works listed: the keywords add the others.
            with contextlib.suppress(InvalidAnswer):
                tagged = normalise.parse_works(candidates["works"])
                extracted["works"] = tagged + [code for code in normalise.parse_works(text)
                                               if code not in tagged]
            return extracted
        if (not requested or requested not in FORM_SLOTS or not text
                or text.startswith("/") or intent in DIGRESSION_INTENTS
                or requested in candidates or requested in extracted):
            return extracted
        given = set(candidates) & set(FORM_SLOTS)
        if len(given) == 1:
            (tagged,) = given
            if tagged != requested and _misread(tagged, candidates[tagged], requested, text):
                extracted[requested] = text
                extracted[tagged] = previous_value(tracker, tagged)
                return extracted
        if given:
            return extracted  # an entity filled another slot: a correction, not an answer
        hint = normalise.slot_hint(text)
        if requested.startswith("size_") and hint == "surface_m2":
            hint = None  # "80 m2" answers "what area to insulate?"
        target = hint if hint and hint != requested else requested
        extracted[target] = text
        return extracted

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        # Every profile slot given is validated, not only those the current goal needs: a
        # correction of any answer must be read and acknowledged.
        slots = tracker.slots_to_validate()
        for name in list(slots):
            if name not in FORM_SLOTS:
                slots.pop(name)
                continue
            # The extraction above may have replaced an NLU candidate: the tracker's slots
            # hold the latest value.
            slots[name] = tracker.get_slot(name)
            if slots[name] is None:
                continue
            try:
                if name.startswith("size_"):
                    output = self.validate_size(name, slots[name], dispatcher, tracker)
                else:
                    output = getattr(self, f"validate_{name}")(slots[name], dispatcher,
                                                                tracker, domain)
            except Exception:  # a bug must not become a 500: ask again instead
                logger.exception("Validation of %s failed", name)
                dispatcher.utter_message(response="utter_not_understood")
                output = {name: previous_value(tracker, name)}
            slots.update(output)
            tracker.slots.update(output)
        # "Et pour trouver un artisan à Lyon ?" in the middle of the form: the facts are
        # read and the question changes. (Without facts, the form is rejected and the
        # rules run action_set_goal.)
        goal = GOAL_BY_INTENT.get(latest_intent(tracker) or "")
        if goal and slots and goal != tracker.get_slot("goal") and tracker.active_loop:
            slots["goal"] = goal
            tracker.slots["goal"] = goal
        return [SlotSet(name, value) for name, value in slots.items()]

    # --- one validator per slot -------------------------------------------------------

    @staticmethod
    def _check(slot: str, parse: Parser, value: Any, dispatcher: CollectingDispatcher,
               tracker: Tracker) -> dict[str, Any]:
        previous = previous_value(tracker, slot)
        try:
            clean = parse(value)
        except InvalidAnswer as error:
            message = str(error)
            if previous is not None:
                message += (f" Je garde pour l'instant : {SLOT_LABELS_FR[slot]} = "
                            f"{display_value(slot, previous, tracker.get_slot('city'))}.")
            dispatcher.utter_message(text=message)
            return {slot: previous}
        _acknowledge_correction(slot, parse, previous, clean, dispatcher)
        return {slot: clean}

    def validate_postal_code(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        previous = previous_value(tracker, "postal_code")
        previous_city = previous_value(tracker, "city")
        new_city = latest_entity(tracker, "city")
        if (value == previous and tracker.get_slot("insee_code")
                and (not new_city or new_city == previous_city)):
            return {"postal_code": value}  # re-checked when the form restarts: unchanged
        try:
            place = resolve_place(normalise._text(value), latest_entity(tracker, "city"))
        except InvalidAnswer as error:
            dispatcher.utter_message(text=str(error))
            return {"postal_code": previous}
        if isinstance(place, Ambiguous):
            dispatcher.utter_message(text=choice_message(place), buttons=choice_buttons(place))
            return {"postal_code": previous}
        result = {"postal_code": place.postal_code, "insee_code": place.insee_code,
                  "city": place.name}
        shown = display_value("postal_code", place.postal_code, place.name)
        if previous is not None and (previous, previous_city) != (place.postal_code, place.name):
            old = display_value("postal_code", previous, previous_city)
            dispatcher.utter_message(text=f"C'est noté, je corrige la commune : {shown}, "
                                          f"au lieu de {old}.")
        elif previous is None:
            dispatcher.utter_message(text=f"C'est noté : logement à {shown}.")
        return result

    def validate_housing_type(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._check("housing_type", normalise.parse_housing_type, value, dispatcher,
                           tracker)

    def validate_occupancy(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._check("occupancy", normalise.parse_occupancy, value, dispatcher, tracker)

    def validate_construction_year(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        notes: list[str] = []

        def parse(raw: Any) -> int:
            year, note = normalise.parse_construction_year(raw)
            if note:
                notes.append(note)
            return year

        # The NLU may tag "soixante-dix" out of "années soixante-dix": read the decade.
        text = latest_text(tracker)
        if (isinstance(value, str) and len(text) <= normalise.MAX_ANSWER_CHARS
                and normalise.has_decade(text) and not normalise.has_decade(value)):
            value = text
        output = self._check("construction_year", parse, value, dispatcher, tracker)
        if notes and output.get("construction_year") is not None:
            dispatcher.utter_message(text=notes[0])
        return output

    def validate_surface_m2(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._check("surface_m2", normalise.parse_surface, value, dispatcher, tracker)

    def validate_heating_energy(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._check("heating_energy", normalise.parse_heating_energy, value, dispatcher,
                           tracker)

    def validate_dpe_class(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._check("dpe_class", normalise.parse_dpe_class, value, dispatcher, tracker)

    def validate_household_size(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._check("household_size", normalise.parse_household_size, value,
                           dispatcher, tracker)

    def validate_reference_income(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._check("reference_income", normalise.parse_income, value, dispatcher,
                           tracker)

    def validate_works(self, value, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._check("works", normalise.parse_works, value, dispatcher, tracker)

    def validate_size(self, slot: str, value: Any, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> dict[str, Any]:
        unit = SIZED_WORKS[slot.removeprefix("size_")]
        parse = normalise.parse_count if unit == "count" else normalise.parse_work_surface
        return self._check(slot, parse, value, dispatcher, tracker)


_LETTER = re.compile(r"[^\W\d_]")


def _plausible_place(value: Any) -> str:
    text = normalise._text(value)
    if not (normalise.find_postal_code(text) or _LETTER.search(text)):
        raise InvalidAnswer("ni code postal ni commune")
    return text


# How each slot's value is checked, to tell an NLU misreading from a correction.
_PARSERS: dict[str, Parser] = {
    "postal_code": _plausible_place,
    "housing_type": normalise.parse_housing_type,
    "occupancy": normalise.parse_occupancy,
    "construction_year": normalise.parse_construction_year,
    "surface_m2": normalise.parse_surface,
    "heating_energy": normalise.parse_heating_energy,
    "dpe_class": normalise.parse_dpe_class,
    "household_size": normalise.parse_household_size,
    "reference_income": normalise.parse_income,
    "works": normalise.parse_works,
}


def _misread(tagged: str, value: Any, requested: str, text: str) -> bool:
    """True when the NLU put the answer to `requested` in another slot `tagged`.

    The NLU knows no entity for work quantities ("80 m2" is tagged as the home's surface,
    "8" maybe as a household size), and may tag a bare number wrongly ("2090" as a postal
    code). Unless the words name the other slot ("nous sommes 8 personnes"), an entity
    that is no valid value of its own slot, or a number given for a work quantity, is the
    answer to the question asked."""
    hint = normalise.slot_hint(text)
    if hint == tagged and not (tagged == "surface_m2" and requested.startswith("size_")):
        return False
    if requested.startswith("size_") and tagged in _NUMBER_SLOTS:
        return True
    parse = _PARSERS.get(tagged)
    if parse is None:
        return False
    try:
        parse(value)
    except InvalidAnswer:
        return True
    return False


def _acknowledge_correction(slot: str, parse: Parser, previous: Any, clean: Any,
                            dispatcher: CollectingDispatcher) -> None:
    """Says so when an answer replaces a different earlier one."""
    if previous is None:
        return
    try:
        before = parse(previous)
    except (InvalidAnswer, TypeError, ValueError):
        before = previous
    if before == clean:
        return
    dispatcher.utter_message(
        text=f"C'est noté, je corrige : {SLOT_LABELS_FR[slot]} = {display_value(slot, clean)} "
             f"(au lieu de {display_value(slot, before)})."
    )
