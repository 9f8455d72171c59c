"""Fallback: rephrase once, then offer choices — never the same sentence in a loop."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buttons import next_step_buttons
from actions.tracking import consecutive_intents

FALLBACK_INTENT = "nlu_fallback"


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        if tracker.active_loop.get("name"):
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
