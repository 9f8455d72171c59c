"""The refinement inside the profile form: starting it, reading each answer, asking each
question (action_ask_<slot>), and the answer that says what the answers changed."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import refine
from actions.normalise import fold
from actions.refine import REFINE_SLOTS, REFINING_SLOT, UNKNOWN

logger = logging.getLogger(__name__)


def required(goal: str | None, slots: dict[str, Any]) -> list[str]:
    """The refine questions the form asks after the savings ones, while refining."""
    if goal != "savings" or not isinstance(slots.get(REFINING_SLOT), dict):
        return []
    return refine.relevant_slots(slots)


def start(turn: Any) -> None:
    """Remembers the answers known so far (to say what changes), forgets the « je ne sais
    pas » (asked again), and computes savings."""
    slots = {**turn.tracker.slots, **turn.updates}
    turn.set(REFINING_SLOT, {slot: slots.get(slot) for slot in REFINE_SLOTS
                             if slots.get(slot) not in (None, UNKNOWN)})
    for slot in REFINE_SLOTS:
        if slots.get(slot) == UNKNOWN:
            turn.set(slot, None)
    turn.set("goal", "savings")
    if refine.unanswered({**slots, **turn.updates}):
        turn.say(refine.START_MESSAGE)


def reads_answer(text: str, requested: str | None, intent: str | None) -> bool:
    """True when a message answers the refine question asked (the fallback stays silent:
    the form reads it right after)."""
    return requested in REFINE_SLOTS and bool(
        refine.read_facts(text, requested) or refine.is_stop(text)
        or refine.dont_know(text, intent))


def handle(turn: Any, digressions: frozenset[str] = frozenset()) -> bool:
    """Reads the message when it starts the refinement or answers one of its questions;
    False when it is anything else (the profile form reads it). A digression (a FAQ…)
    answered by its rule is not an answer, but « préciser l'estimation » misread as one
    still starts the refinement."""
    from actions.profile_form import implied_goal
    from actions.slots import GOAL_BY_INTENT

    entities = turn.entities()
    asked = refine.refine_entity(entities)
    # Typed words start it only after an answer (no question pending: « affiner » in the
    # middle of the aids questions is no reason to switch to savings).
    if asked == "start" or (not turn.requested and refine.wants_refine(turn.text)
                            and GOAL_BY_INTENT.get(turn.intent or "") in (None, "savings")
                            and implied_goal(turn.text) in (None, "savings")):
        start(turn)
        return True
    # A digression is answered by its rule; « des deux côtés » misread as out of scope is
    # still read when its words answer (the rule's message came first).
    if turn.requested not in REFINE_SLOTS or ((turn.intent or "") in digressions and not (
            turn.intent == "out_of_scope" and refine.read_facts(turn.text, turn.requested))):
        return False
    if GOAL_BY_INTENT.get(turn.intent or "") or implied_goal(turn.text):
        # « et mes aides ? »: another question, the refinement stops where it is.
        turn.set(REFINING_SLOT, None)
        return False
    slots = {**turn.tracker.slots, **turn.updates}
    if asked == "stop" or refine.is_stop(turn.text):
        for slot in refine.unanswered(slots):
            turn.set(slot, UNKNOWN)
        turn.say(refine.STOP_MESSAGE)
        return True
    if turn.text.startswith("/"):  # a button: its payload's values, nothing else
        facts = refine.entity_facts(entities)
    else:
        facts = refine.read_facts(turn.text, turn.requested)
    if turn.intent == "affirm" and turn.requested in ("roof_insulated", "walls_insulated"):
        facts.setdefault(turn.requested, True)
    if turn.intent == "deny" and turn.requested in ("roof_insulated", "walls_insulated"):
        facts.setdefault(turn.requested, False)
    if turn.intent == "deny" and turn.requested == "secondary_heating":
        facts.setdefault("secondary_heating", "none")
    wanted = set(refine.relevant_slots(slots))
    notes = []
    for slot, value in facts.items():
        if slot in wanted and slots.get(slot) != value:
            turn.set(slot, value)
            notes.append(refine.noted(slot, value))
    if notes:
        turn.say("C'est noté : " + " ; ".join(notes) + ".")
    if turn.requested in facts:
        return True
    if refine.dont_know(turn.text, turn.intent):
        turn.set(turn.requested, UNKNOWN)
        turn.say(refine.DONT_KNOW_MESSAGE)
    elif not notes:
        if names_profile_fact(turn.text, turn.intent, entities):
            return False  # « en fait on est chauffé au gaz »: the profile form reads it
        sides = turn.requested == "house_position" and "mitoyen" in fold(turn.text)
        turn.say(refine.ASK_SIDES if sides else refine.NOT_UNDERSTOOD)
    return True


def names_profile_fact(text: str, intent: str | None, entities: list[dict]) -> bool:
    """A fact of the main profile named by its words (a correction, a work added)."""
    from actions.reading import read_message

    if text.startswith("/"):
        return False
    read = read_message(text, intent, entities, None)
    return bool(read.works_add or read.works_remove or any(p.cued for p in read.proposals))


# --- the questions -------------------------------------------------------------------


class _AskRefine(Action, ABC):
    slot = ""

    # Abstract (ABC): rasa-sdk registers every concrete Action subclass by its name.
    @abstractmethod
    def name(self) -> str: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        text, buttons = refine.question(self.slot)
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


# One registered action per question (rasa-sdk registers every Action subclass by name).
def _ask_action(slot: str) -> type[_AskRefine]:
    return type(f"ActionAsk_{slot}", (_AskRefine,),
                {"slot": slot, "name": lambda self: f"action_ask_{slot}"})


ASK_ACTIONS = {slot: _ask_action(slot) for slot in REFINE_SLOTS}


# --- what changed --------------------------------------------------------------------


def comparison(slots: dict[str, Any]) -> str:
    """« Avec vos précisions : … avant → après » from the engine run twice; never raises."""
    from actions.answers import _engine_data, profile_data
    from bot.cli import run_command
    from bot.formatting import format_eur, format_kwh
    from bot.profile import parse_profile

    known_before = slots.get(REFINING_SLOT) or {}
    before_slots = {**slots, **{slot: known_before.get(slot) for slot in REFINE_SLOTS}}
    try:
        before = run_command("savings", parse_profile(_engine_data(profile_data(before_slots))))
        after = run_command("savings", parse_profile(_engine_data(profile_data(slots))))
    except Exception:  # the answer that follows says what the engine misses
        logger.info("No refinement comparison", exc_info=True)
        return ""
    said = [refine.noted(slot, slots.get(slot)) for slot in REFINE_SLOTS
            if slots.get(slot) not in (None, UNKNOWN)
            and known_before.get(slot) != slots.get(slot)]
    if not said:
        return ("Sans nouvelle précision, l'estimation ne change pas : "
                f"{format_kwh(after['baseline']['final_energy_kwh'])} par an avant travaux.")
    lines = ["Avec vos précisions (" + " ; ".join(said) + "), l'estimation change :"]
    b0, b1 = before["baseline"], after["baseline"]
    lines.append(f"• Consommation avant travaux : {format_kwh(b0['final_energy_kwh'])} → "
                 f"{format_kwh(b1['final_energy_kwh'])} par an ({format_eur(b0['cost_eur'])} → "
                 f"{format_eur(b1['cost_eur'])} par an), DPE estimé "
                 f"{b0['dpe_class_estimate']} → {b1['dpe_class_estimate']}.")
    if after.get("per_work"):
        s0, s1 = before["savings"], after["savings"]
        lines.append(f"• Économie des travaux : {format_kwh(s0['kwh'])} → "
                     f"{format_kwh(s1['kwh'])} par an ({format_eur(s0['eur'])} → "
                     f"{format_eur(s1['eur'])} par an).")
    new = [text for text in after.get("assumptions") or []
           if text not in (before.get("assumptions") or [])]
    if new:
        lines.append("Hypothèses prises en compte :")
        lines += [f"• {text}" for text in new]
    return "\n".join(lines)
