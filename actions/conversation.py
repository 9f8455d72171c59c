"""Fallback: rephrase once, then offer choices — never the same sentence in a loop."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buttons import next_step_buttons
from actions.refine import wants_refine
from actions.refine_form import reads_answer
from actions.tracking import consecutive_intents, latest_text

FALLBACK_INTENT = "nlu_fallback"


def refine_requested(tracker: Tracker) -> bool:
    """« Affiner l'estimation » typed after an answer (no form open, a home described): the
    NLU may not know the words, the profile form reads them and asks the questions."""
    return (not tracker.active_loop.get("name") and bool(tracker.get_slot("housing_type"))
            and wants_refine(latest_text(tracker)))


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        if refine_requested(tracker):
            return [FollowupAction("profile_form")]  # « affiner » after an estimate
        if tracker.active_loop.get("name"):
            if reads_answer(latest_text(tracker), tracker.get_slot("requested_slot"),
                            FALLBACK_INTENT):
                return []  # « mitoyenne d'un côté »: unknown to the NLU, read by the form
            # The form asks its question again right after this message.
            dispatcher.utter_message(text="Je n'ai pas compris votre réponse.")
            return []
        if consecutive_intents(tracker, FALLBACK_INTENT) <= 1:
            dispatcher.utter_message(
                text="Je n'ai pas bien compris. Pouvez-vous reformuler ? Par exemple : "
                     "« Quelles aides pour isoler mes combles ? » ou « Combien vais-je "
                     "économiser avec une pompe à chaleur ? »")
        else:
            dispatcher.utter_message(
                text="Je ne suis toujours pas sûr de comprendre. Voici ce que je peux faire "
                     "pour vous :", buttons=next_step_buttons(None))
        return []
