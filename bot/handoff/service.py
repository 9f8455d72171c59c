"""What the conversation asks of the handoff, in two calls the actions make: store a summary
and give its links; send a callback request to the right desk and say truthfully whether
the desk's server accepted it. Rasa-free (actions/handoff.py wraps them)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from bot.handoff import outbox, store
from bot.handoff.contact import SLOTS
from bot.handoff.delivery import SmtpSettings, WebhookSettings
from bot.handoff.render import summary_pdf
from bot.handoff.routing import route
from bot.handoff.summary import build_summary
from bot.profile import parse_profile

logger = logging.getLogger("bot.handoff.service")


def public_url() -> str:
    return (os.environ.get("HANDOFF_PUBLIC_URL") or "http://localhost:8080").rstrip("/")


def _advisor(profile: Any) -> dict | None:
    """The commune's desk from the directory (may use the network; never fails the summary)."""
    if not (profile.postal_code or profile.insee_code):
        return None
    try:
        from bot.directory.advisor import find_advisor

        return find_advisor(profile)
    except Exception:  # an unknown commune, the API down: the national service is shown
        logger.info("Guichet introuvable pour le récapitulatif", exc_info=True)
        return None


def make_summary(sender_id: str, data: dict[str, Any], db: Path | None = None
                 ) -> dict[str, Any]:
    """Stores the summary of the profile `data` (contract §3); returns its links, the desk
    and the commune. Raises ProfileError (French) for an invalid profile."""
    profile = parse_profile(data)
    advisor = _advisor(profile)
    summary = build_summary(profile, advisor)
    token = store.save_summary(sender_id, summary, db)
    url = f"{public_url()}/recapitulatif/{token}"
    communes = (advisor or {}).get("communes") or []
    return {"token": token, "url": url, "pdf_url": f"{url}.pdf", "advisor": advisor,
            "insee_code": profile.insee_code or (communes[0]["insee_code"] if communes
                                                 else None),
            "commune": communes[0]["name"] if communes else profile.city}


def submit_callback(sender_id: str, data: dict[str, Any], first_name: str, contact_kind: str,
                    contact: str, slot: str, with_summary: bool, db: Path | None = None
                    ) -> dict[str, Any]:
    """Queues the request for the desk and tries to send it at once. Returns
    {"state": "sent" | "queued" | "rejected" | "no_destination", "desk": name}."""
    made = make_summary(sender_id, data, db) if with_summary else None
    if made is None:
        profile = parse_profile(data)
        advisor = _advisor(profile)
        communes = (advisor or {}).get("communes") or []
        insee = profile.insee_code or (communes[0]["insee_code"] if communes else None)
        commune = communes[0]["name"] if communes else profile.city
    else:
        advisor, insee, commune = made["advisor"], made["insee_code"], made["commune"]
    desk = route(insee, advisor)
    smtp, webhook = SmtpSettings.from_env(), WebhookSettings.from_env()
    transports = {}
    if desk.email and smtp:
        transports["smtp"] = desk.email
    if webhook:
        transports["webhook"] = webhook.url
    if not transports:
        logger.warning("Demande de rappel sans destination : configurez HANDOFF_SMTP_HOST et "
                       "l'adresse du guichet, ou HANDOFF_WEBHOOK_URL")
        return {"state": "no_destination", "desk": desk.desk}
    request = {"kind": "callback", "first_name": first_name, "contact_kind": contact_kind,
               "contact": contact, "slot": slot, "slot_label": SLOTS.get(slot, slot),
               "commune": commune, "desk": desk.desk, "route": desk.reason,
               "summary_token": made["token"] if made else None,
               "summary_url": made["url"] if made else None}
    ids = outbox.enqueue(sender_id, request, transports, db)
    try:  # one quick attempt now, so the household can be told "transmise"
        outbox.deliver_due(db, smtp, webhook, lambda token: summary_pdf(token, db),
                           only_ids=ids)
    except Exception:  # the background worker will try again
        logger.exception("Premier envoi de la demande de rappel impossible")
    states = outbox.states(ids, db)
    if "rejected" in states:
        state = "rejected"  # the desk's address or webhook refused it: say so, do not wait
    elif states and all(s == "sent" for s in states):
        state = "sent"
    else:
        state = "queued"
    return {"state": state, "desk": desk.desk}
