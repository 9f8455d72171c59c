"""Which desk receives a callback request: Amiens Métropole's desk for its 39 communes, the
France Rénov' desk of the commune elsewhere when its e-mail is known, else a configurable
fallback. Addresses the public sources do not give come from the environment:
HANDOFF_AMIENS_DESK_EMAIL, HANDOFF_FALLBACK_EMAIL, HANDOFF_WEBHOOK_URL (all optional)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from bot.directory.reference import amiens_metropole_desk


@dataclass(frozen=True)
class Route:
    desk: str           # name shown to the household and in the dashboard
    email: str | None   # where the e-mail goes (None: no SMTP delivery for this request)
    reason: str         # "amiens_metropole" | "local_desk" | "fallback"


def route(insee_code: str | None, advisor: dict | None = None) -> Route:
    """The desk for a commune; `advisor` is the directory's result (contract §6) if known."""
    fallback = os.environ.get("HANDOFF_FALLBACK_EMAIL", "").strip() or None
    amiens = amiens_metropole_desk()
    if insee_code and insee_code in amiens["communes"]:
        name = os.environ.get("BOT_AMIENS_DESK_NAME", "").strip() or amiens["name"]
        email = os.environ.get("HANDOFF_AMIENS_DESK_EMAIL", "").strip() or amiens.get("email")
        return Route(name, email or fallback, "amiens_metropole")
    if advisor and advisor.get("email") and advisor.get("name"):
        return Route(advisor["name"], advisor["email"], "local_desk")
    return Route("France Rénov' (adresse de repli)", fallback, "fallback")
