"""Asks the yes/no question of a change that waits for the user's confirmation (the form's
`confirm_change` step, see actions/profile_form.py)."""

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
