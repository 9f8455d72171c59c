"""Actions of the handoff (issue 14): the project summary's link, the callback request form
(first name, phone or e-mail, time slot, consent to send the summary), its withdrawal, and
erasing what the handoff keeps. The work is done by bot.handoff.service (Rasa-free)."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.answers import _engine_data, profile_data
from bot.errors import ProfileError
from bot.handoff import outbox, store
from bot.handoff.contact import SLOTS, check_contact, check_first_name, check_slot
from bot.handoff.service import make_summary, submit_callback

logger = logging.getLogger(__name__)

CALLBACK_SLOTS = ("callback_first_name", "callback_contact", "callback_slot",
                  "callback_consent")
FAILURE = ("Je n'arrive pas à préparer votre récapitulatif pour le moment. Vous pouvez "
           "appeler le service France Rénov' au 0 808 800 700.")
NATIONAL = "0 808 800 700"


def _profile(tracker: Tracker) -> dict[str, Any]:
    return _engine_data(profile_data(dict(tracker.slots)))


class ActionSummary(Action):
    """« Mon récapitulatif » : stores the summary, gives its page and PDF links (text for
    every channel, and a `custom` payload with the URLs for REST and the web widget)."""

    def name(self) -> str:
        return "action_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        try:
            made = make_summary(tracker.sender_id, _profile(tracker))
        except ProfileError as error:
            dispatcher.utter_message(text=f"Je ne peux pas préparer le récapitulatif : {error}")
            return []
        except Exception:
            logger.exception("Récapitulatif impossible")
            dispatcher.utter_message(text=FAILURE)
            return []
        dispatcher.utter_message(
            text=(f"Votre récapitulatif est prêt (valable {store.RETENTION_DAYS} jours) : "
                  f"{made['url']}\nEn PDF : {made['pdf_url']}"),
            json_message={"summary": {"url": made["url"], "pdf_url": made["pdf_url"]}})
        return []


class ValidateCallbackForm(FormValidationAction):
    """Each answer is checked (French formats, no control characters); a wrong one is asked
    again with the reason."""

    def name(self) -> str:
        return "validate_callback_form"

    @staticmethod
    def _check(check, value: Any, slot: str, dispatcher: CollectingDispatcher
               ) -> dict[str, Any]:
        try:
            return {slot: check(value)}
        except ProfileError as error:
            dispatcher.utter_message(text=str(error))
            return {slot: None}

    def validate_callback_first_name(self, value: Any, dispatcher: CollectingDispatcher,
                                     tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._check(check_first_name, value, "callback_first_name", dispatcher)

    def validate_callback_contact(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        checked = self._check(check_contact, value, "callback_contact", dispatcher)
        kind_value = checked["callback_contact"]
        return {"callback_contact": kind_value[1] if kind_value else None}

    def validate_callback_slot(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._check(check_slot, value, "callback_slot", dispatcher)

    def validate_callback_consent(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if isinstance(value, bool):
            return {"callback_consent": value}
        dispatcher.utter_message(text="Répondez par oui ou par non, s'il vous plaît.")
        return {"callback_consent": None}


class ActionSubmitCallback(Action):
    """Sends the request once the form is complete and the household said yes; tells the
    truth: « transmise » only when the desk's server accepted it."""

    def name(self) -> str:
        return "action_submit_callback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        reset = [SlotSet(slot, None) for slot in CALLBACK_SLOTS]
        values = {slot: tracker.get_slot(slot) for slot in CALLBACK_SLOTS}
        if values["callback_consent"] is not True:
            dispatcher.utter_message(text="Entendu : rien n'est envoyé. Vous pouvez appeler "
                                          f"le service France Rénov' au {NATIONAL}.")
            return reset
        try:
            kind, contact = check_contact(values["callback_contact"])
            result = submit_callback(
                tracker.sender_id, _profile(tracker), check_first_name(
                    values["callback_first_name"]), kind, contact,
                check_slot(values["callback_slot"]), with_summary=True)
        except ProfileError as error:
            dispatcher.utter_message(text=f"Je ne peux pas envoyer la demande : {error}")
            return reset
        except Exception:
            logger.exception("Demande de rappel impossible")
            dispatcher.utter_message(text=FAILURE)
            return reset
        slot = SLOTS.get(values["callback_slot"], "")
        if result["state"] == "sent":
            text = (f"Votre demande a été transmise à {result['desk']}, avec votre "
                    f"récapitulatif : un conseiller vous recontactera {slot}.")
        elif result["state"] == "queued":
            text = ("Votre demande est enregistrée et sera transmise dès que possible à "
                    f"{result['desk']} (leur messagerie ne répond pas pour l'instant).")
        elif result["state"] == "rejected":
            text = (f"La messagerie de {result['desk']} a refusé la demande. Appelez le "
                    f"service France Rénov' au {NATIONAL}.")
        else:
            text = ("Je ne peux pas transmettre de demande : aucun guichet n'est configuré "
                    f"pour ce service. Appelez le service France Rénov' au {NATIONAL}.")
        if result["state"] in ("sent", "queued"):
            text += " Pour l'annuler, dites « annuler ma demande »."
        dispatcher.utter_message(text=text)
        return reset


class ActionCancelRequest(Action):
    def name(self) -> str:
        return "action_cancel_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        counts = outbox.withdraw(tracker.sender_id)
        if counts["withdrawn"]:
            text = "Votre demande de rappel est annulée : elle ne sera pas envoyée."
        elif counts["cancellations"]:
            text = ("Votre demande avait déjà été transmise : le guichet est prévenu de son "
                    "annulation.")
        else:
            text = "Vous n'avez pas de demande de rappel en cours."
        dispatcher.utter_message(text=text)
        return [SlotSet(slot, None) for slot in CALLBACK_SLOTS]


class ActionEraseData(Action):
    """Erases the summaries and callback requests now. The conversation itself cannot be
    erased from inside one of its turns (Rasa saves the turn afterwards): the web page's
    button and « effacer mes données » typed on any channel erase it (the channel does it
    before the turn), and it is purged anyway after 30 days of silence."""

    def name(self) -> str:
        return "action_erase_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        store.erase_sender(tracker.sender_id)
        dispatcher.utter_message(text=(
            "Vos récapitulatifs et demandes de rappel sont effacés. Pour effacer aussi cette "
            "conversation, écrivez exactement « effacer mes données » (ou, sur la page, "
            "utilisez le bouton « Effacer ma conversation ») ; sinon elle est effacée après "
            f"{store.RETENTION_DAYS} jours sans message."))
        return [SlotSet(slot, None) for slot in CALLBACK_SLOTS]
