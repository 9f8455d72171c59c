"""Actions that answer the user's question with the domain core (`bot/`): aids, savings,
RGE craftsmen, France Rénov' advice desk. They never raise: any failure becomes a polite
French message with a way forward."""

from __future__ import annotations

import contextlib
import importlib
import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import normalise, refine
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

NOT_YET = "Je ne peux pas encore répondre : "
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
    "dpe_class_after": normalise.parse_target_class,
    "total_cost_eur": normalise.parse_cost,
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
    if slots.get("renovation_scope") == "full":
        _full_renovation_defaults(data)
    data.update(refine.profile_fields(slots))  # the optional answers (« affiner »)
    works = slots.get("works")
    if works:
        with contextlib.suppress(InvalidAnswer):
            data["works"] = [_work(code, slots) for code in normalise.parse_works(works)]
    return data


def estimated_dpe_class(data: dict[str, Any]) -> str | None:
    """The class the savings model gives the home from its period and heating."""
    from bot.cli import run_command
    from bot.profile import parse_profile

    try:
        result = run_command("savings", parse_profile(
            {key: value for key, value in data.items() if key != "works"}))
        return (result.get("baseline") or {}).get("dpe_class_estimate")
    except Exception:  # not enough facts: the engine says what it misses
        logger.info("No DPE estimate", exc_info=True)
        return None


def _full_renovation_defaults(data: dict[str, Any]) -> None:
    """Unknown current class: estimated; unknown target: the minimum gain of 2 classes."""
    from bot.profile import DPE_CLASSES

    if "dpe_class" not in data:
        estimate = estimated_dpe_class(data)
        if estimate:
            data["dpe_class"] = estimate
            data["_dpe_estimated"] = True
    if "dpe_class_after" not in data and data.get("dpe_class") in DPE_CLASSES:
        index = max(DPE_CLASSES.index(data["dpe_class"]) - 2, 0)
        data["dpe_class_after"] = DPE_CLASSES[index]
        data["_target_assumed"] = True


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
    if goal == "aids":
        return aids_answer(slots)
    try:
        profile = parse_profile(_engine_data(profile_data(slots)))
        result = run_command(command, profile)
        text = _formatter(formatter_path)(result)
        line = sources_line(result, text)
        return f"{text}\n{line}" if line else text
    except ProfileError as error:
        return f"{NOT_YET}{error}"
    except Exception:  # an engine bug or an outside service down: say so politely
        logger.exception("Engine %s failed", command)
        return FAILURE_MESSAGE


def _engine_data(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if not key.startswith("_")}


def aids_result(slots: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the profile data used, the aids engine's result) for the conversation's slots."""
    from bot.cli import run_command
    from bot.profile import parse_profile

    data = profile_data(slots)
    return data, run_command("aids", parse_profile(_engine_data(data)))


def assumption_notes(data: dict[str, Any], slots: dict[str, Any]) -> list[str]:
    """The assumptions behind the figures, said in one short line each."""
    notes: list[str] = []
    works = [work["type"] for work in data.get("works") or []]
    if data.get("_dpe_estimated"):
        notes.append(f"DPE actuel estimé {data['dpe_class']} (année et chauffage).")
    if data.get("_target_assumed"):
        notes.append(f"Classe visée supposée : {data['dpe_class_after']} (gain de 2 classes).")
    if "air_water_heat_pump" in works:
        notes.append("Hypothèse : pompe à chaleur air/eau (ou hybride).")
    if works and not data.get("total_cost_eur") and not any(
            work.get("cost_eur") for work in data.get("works") or []):
        notes.append("Sans devis, le plafonnement des aides n'a pas pu être vérifié.")
    occupancy = data.get("occupancy")
    if occupancy in OCCUPANCY_NOTES:
        notes.insert(0, OCCUPANCY_NOTES[occupancy])
    elif data.get("housing_type") == "apartment":
        notes.append("En copropriété, les parties communes (toit, façade, chauffage collectif) "
                     "relèvent du syndic : MaPrimeRénov' Copropriété.")
    return notes


OCCUPANCY_NOTES = {
    "tenant": ("Locataire : c'est le propriétaire qui demande les aides aux travaux (il doit "
               "louer un logement décent) ; vous pouvez avoir le chèque énergie et l'aide "
               "gratuite de France Rénov'."),
    "second_home_owner": ("Résidence secondaire : MaPrimeRénov' est réservée aux résidences "
                          "principales ; les primes CEE restent possibles."),
    "landlord": ("Bailleur : MaPrimeRénov' exige de louer le logement en résidence principale "
                 "au moins 6 ans après les travaux."),
}


def aids_answer(slots: dict[str, Any]) -> str:
    """The phone-sized aids answer; never raises."""
    from bot.aids.messages import format_aids_chat

    try:
        data, result = aids_result(slots)
        return format_aids_chat(result, assumption_notes(data, slots))
    except ProfileError as error:
        return f"Je ne peux pas encore répondre : {error}"
    except Exception:
        logger.exception("Engine aids failed")
        return FAILURE_MESSAGE


SUMMARY_BUTTON = {"title": "Mon récapitulatif", "payload": "/request_summary"}
AIDS_BUTTONS = [
    {"title": "Détails", "payload": "/ask_details"},
    {"title": "Sources", "payload": "/ask_sources"},
    {"title": "Économies", "payload": "/ask_savings"},
    {"title": "Un conseiller", "payload": "/contact_advisor"},
    SUMMARY_BUTTON,
]


def works_recall(slots: dict[str, Any]) -> str:
    """"Je calcule pour : …" — the works list, with their quantities, before the answer."""
    from bot.profile import WORK_LABELS_FR

    items = []
    for code in slots.get("works") or []:
        size = slots.get(f"size_{code}")
        label = WORK_LABELS_FR.get(code, code)
        if isinstance(size, (int, float)):
            label += f" ({size:g} m²)" if SIZED_WORKS.get(code) == "m2" else f" ({size:g})"
        items.append(label)
    if slots.get("renovation_scope") == "full":
        items.insert(0, "rénovation complète")
    return "Je calcule pour : " + ", ".join(items) + "." if items else ""


class ActionSetGoal(Action):
    """Remembers what the user wants computed, from the intent that asked for it."""

    def name(self) -> str:
        return "action_set_goal"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        from actions.profile_form import implied_goal
        from actions.tracking import latest_text

        goal = GOAL_BY_INTENT.get(latest_intent(tracker) or "") or tracker.get_slot("goal")
        # The words win over a misread intent ("quelles aides pour une PAC ?" -> aids).
        goal = implied_goal(latest_text(tracker)) or goal
        if goal not in ENGINES:
            return []
        slots = {**tracker.slots, "goal": goal}
        if missing_slots(goal, slots):
            dispatcher.utter_message(text=INTROS[goal])
        events: list[EventType] = [SlotSet("goal", goal)]
        if not tracker.active_loop.get("name") and isinstance(
                tracker.get_slot(refine.REFINING_SLOT), dict):
            events.append(SlotSet(refine.REFINING_SLOT, None))  # a refinement left unfinished
        return events


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
        if goal == "aids":
            recall = works_recall(dict(tracker.slots))
            if recall:
                dispatcher.utter_message(text=recall)
            dispatcher.utter_message(text=text, buttons=[dict(b) for b in AIDS_BUTTONS])
            return []
        buttons = next_step_buttons(goal)
        events: list[EventType] = []
        if goal == "savings" and text != FAILURE_MESSAGE:
            buttons.insert(-1, dict(SUMMARY_BUTTON))  # keep the estimate: page + PDF (issue 14)
            slots = dict(tracker.slots)
            if isinstance(slots.get(refine.REFINING_SLOT), dict):
                from actions.refine_form import comparison

                change = comparison(slots)
                if change:
                    dispatcher.utter_message(text=change)
                events.append(SlotSet(refine.REFINING_SLOT, None))
            if refine.unanswered(slots) and not text.startswith(NOT_YET):
                buttons.insert(0, dict(refine.REFINE_BUTTON))  # optional questions
        dispatcher.utter_message(text=text, buttons=buttons)
        return events


class _AidsFollowUp(Action, ABC):
    """Details, sources or reasons of the aids answer, computed again from the slots."""

    formatter = ""

    # Abstract (ABC): rasa-sdk registers every concrete Action subclass by its name.
    @abstractmethod
    def name(self) -> str: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        from actions.conversation import refine_requested
        from bot.aids import messages

        if refine_requested(tracker):  # « préciser l'estimation » read as ask_details
            return [FollowupAction("profile_form")]
        slots = dict(tracker.slots)
        if missing_slots("aids", slots):
            # Inside the form its question follows: the buttons go on that last message.
            in_form = bool((tracker.active_loop or {}).get("name"))
            dispatcher.utter_message(
                text="Je n'ai pas encore assez d'informations pour estimer vos aides : "
                     "répondez aux questions, je vous expliquerai ensuite chaque montant.",
                buttons=[] if in_form else next_step_buttons(None))
            return []
        try:
            _, result = aids_result(slots)
            text = getattr(messages, self.formatter)(result)
        except Exception:
            logger.exception("Follow-up %s failed", self.name())
            text = FAILURE_MESSAGE
        dispatcher.utter_message(text=text, buttons=[dict(b) for b in AIDS_BUTTONS
                                                     if b["payload"] != f"/{self.intent}"])
        return []


class ActionDetails(_AidsFollowUp):
    formatter = "format_aids_details"
    intent = "ask_details"

    def name(self) -> str:
        return "action_details"


class ActionSources(_AidsFollowUp):
    formatter = "format_aids_sources"
    intent = "ask_sources"

    def name(self) -> str:
        return "action_sources"


class ActionWhy(_AidsFollowUp):
    formatter = "format_aids_why"
    intent = "ask_why"

    def name(self) -> str:
        return "action_why"
