"""Form questions asked by actions rather than fixed responses: the yes/no question of a
change that waits for the user's confirmation (the form's `confirm_change` step, see
actions/profile_form.py), and the postal-code question when several communes match."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

YES_NO_BUTTONS = [{"title": "Oui", "payload": "/affirm"},
                  {"title": "Non", "payload": "/deny"}]


class ActionAskConfirmChange(Action):
    def name(self) -> str:
        return "action_ask_confirm_change"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        pending = tracker.get_slot("pending_change") or {}
        question = pending.get("question") if isinstance(pending, dict) else None
        dispatcher.utter_message(text=question or "Je confirme ce changement ?",
                                 buttons=[dict(button) for button in YES_NO_BUTTONS])
        return []


POSTAL_QUESTION = "Quel est le code postal du logement (ou le nom de sa commune) ?"


class ActionAskPostalCode(Action):
    """The communes to choose from, with their buttons, when a name or a code is shared."""

    def name(self) -> str:
        return "action_ask_postal_code"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        choice = tracker.get_slot("place_choice")
        if isinstance(choice, dict) and choice.get("buttons"):
            dispatcher.utter_message(text=choice.get("text") or POSTAL_QUESTION,
                                     buttons=list(choice["buttons"]))
        else:
            dispatcher.utter_message(text=POSTAL_QUESTION)
        return []
