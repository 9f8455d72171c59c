"""Actions that answer the user's question with the domain core (`bot/`): aids, savings,
RGE craftsmen, France Rénov' advice desk. They never raise: any failure becomes a polite
French message with a way forward."""

from __future__ import annotations

import contextlib
import importlib
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import normalise
from actions.buttons import next_step_buttons
from actions.normalise import DPE_UNKNOWN, InvalidAnswer
from actions.slots import GOAL_BY_INTENT, SIZED_WORKS, missing_slots
from actions.tracking import latest_intent
from bot.errors import ProfileError

logger = logging.getLogger(__name__)

# goal -> (CLI command of bot.cli, "module:formatter" turning its result into French)
ENGINES = {
    "aids": ("aids", "bot.aids.messages:format_aids_message"),
    "savings": ("savings", "bot.savings.messages:format_savings_message"),
    "craftsmen": ("craftsmen", "bot.directory.messages:format_craftsmen_message"),
    "advisor": ("advisor", "bot.directory.messages:format_advisor_message"),
}

INTROS = {
    "aids": "Pour estimer vos aides, il me faut quelques informations sur votre foyer et "
            "votre logement.",
    "savings": "Pour estimer vos économies, il me faut quelques informations sur votre "
               "logement.",
    "craftsmen": "Je cherche des artisans RGE près de chez vous.",
    "advisor": "Un conseiller France Rénov' peut vous accompagner gratuitement. Je cherche "
               "l'Espace Conseil de votre secteur.",
}

FAILURE_MESSAGE = ("Désolé, je n'arrive pas à faire ce calcul pour le moment. Vous pouvez "
                   "réessayer dans un instant, ou joindre un conseiller France Rénov' au "
                   "0 808 800 700 (service gratuit + prix d'un appel).")

# slot -> (profile field, parser). The parsers are the form's: values already validated
# pass unchanged, raw values left by the NLU outside the form are normalised here.
_PROFILE_FIELDS = {
    "housing_type": normalise.parse_housing_type,
    "occupancy": normalise.parse_occupancy,
    "construction_year": lambda value: normalise.parse_construction_year(value)[0],
    "surface_m2": normalise.parse_surface,
    "heating_energy": normalise.parse_heating_energy,
    "dpe_class": normalise.parse_dpe_class,
    "household_size": normalise.parse_household_size,
    "reference_income": normalise.parse_income,
}


def profile_data(slots: dict[str, Any]) -> dict[str, Any]:
    """The contract §3 profile dict built from the conversation's slots."""
    data: dict[str, Any] = {}
    for name in ("postal_code", "insee_code", "city"):
        value = slots.get(name)
        if isinstance(value, str) and value.strip():
            data[name] = value.strip()
    for name, parse in _PROFILE_FIELDS.items():
        value = slots.get(name)
        if value is None:
            continue
        try:
            data[name] = parse(value)
        except InvalidAnswer:
            continue  # an unreadable leftover is dropped; the engine says what it misses
    if data.get("dpe_class") == DPE_UNKNOWN:
        del data["dpe_class"]
    works = slots.get("works")
    if works:
        with contextlib.suppress(InvalidAnswer):
            data["works"] = [_work(code, slots) for code in normalise.parse_works(works)]
    return data


def _work(code: str, slots: dict[str, Any]) -> dict[str, Any]:
    """One contract §3 work, with its m² or its number of windows when the user gave it."""
    work: dict[str, Any] = {"type": code}
    size = slots.get(f"size_{code}")
    unit = SIZED_WORKS.get(code)
    if size is None or unit is None:
        return work
    try:
        if unit == "count":
            work["count"] = normalise.parse_count(size)
        else:
            work["surface_m2"] = normalise.parse_work_surface(size)
    except InvalidAnswer:
        pass
    return work


MAX_SOURCES = 3


def sources_line(result: dict[str, Any], text: str) -> str:
    """"Sources : …" with the official pages behind the figures shown (the aids that give
    money, or the result's own source), so that the user can check them."""
    urls: list[str] = []
    candidates = [result.get("source"), *(result.get("sources") or [])]
    for aid in result.get("aids") or []:
        if aid.get("eligible") and (aid.get("amount_eur") or aid.get("max_amount_eur")):
            candidates.append(aid.get("source"))
    for url in candidates:
        if (isinstance(url, str) and url.startswith(("https://", "http://"))
                and url not in urls and url not in text):
            urls.append(url)
    if not urls:
        return ""
    return "Sources : " + " ; ".join(urls[:MAX_SOURCES])


def _formatter(path: str):
    module_name, function_name = path.split(":")
    return getattr(importlib.import_module(module_name), function_name)


def compute_answer(goal: str, slots: dict[str, Any]) -> str:
    """French answer for `goal` from the slots; never raises."""
    from bot.cli import run_command
    from bot.profile import parse_profile

    command, formatter_path = ENGINES[goal]
    try:
        profile = parse_profile(profile_data(slots))
        result = run_command(command, profile)
        text = _formatter(formatter_path)(result)
        line = sources_line(result, text)
        return f"{text}\n{line}" if line else text
    except ProfileError as error:
        return f"Je ne peux pas encore répondre : {error}"
    except Exception:  # an engine bug or an outside service down: say so politely
        logger.exception("Engine %s failed", command)
        return FAILURE_MESSAGE


class ActionSetGoal(Action):
    """Remembers what the user wants computed, from the intent that asked for it."""

    def name(self) -> str:
        return "action_set_goal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        goal = GOAL_BY_INTENT.get(latest_intent(tracker) or "") or tracker.get_slot("goal")
        if goal not in ENGINES:
            return []
        slots = {**tracker.slots, "goal": goal}
        if missing_slots(goal, slots):
            dispatcher.utter_message(text=INTROS[goal])
        return [SlotSet("goal", goal)]


class ActionAnswer(Action):
    """Runs the engine for the current goal once the profile form is complete."""

    def name(self) -> str:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        goal = tracker.get_slot("goal")
        if goal not in ENGINES:
            dispatcher.utter_message(text="Que souhaitez-vous faire avec ces informations ?",
                                     buttons=next_step_buttons(None))
            return []
        try:
            text = compute_answer(goal, dict(tracker.slots))
        except Exception:  # belt and braces: compute_answer already catches
            logger.exception("Answer failed")
            text = FAILURE_MESSAGE
        dispatcher.utter_message(text=text, buttons=next_step_buttons(goal))
        return []
