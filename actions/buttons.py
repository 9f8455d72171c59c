"""Buttons for the next step: each one sends an intent the assistant already knows."""

from __future__ import annotations

_BUTTONS = {
    "aids": {"title": "Estimer mes aides", "payload": "/ask_subsidies"},
    "savings": {"title": "Mes économies", "payload": "/ask_savings"},
    "craftsmen": {"title": "Un artisan RGE", "payload": "/find_craftsman"},
    "advisor": {"title": "Un conseiller", "payload": "/contact_advisor"},
}
RESTART_BUTTON = {"title": "Recommencer", "payload": "/restart"}


def next_step_buttons(done: str | None) -> list[dict[str, str]]:
    """The other questions the user may ask next (all of them when `done` is None)."""
    buttons = [dict(button) for goal, button in _BUTTONS.items() if goal != done]
    if done is not None:
        buttons.append(dict(RESTART_BUTTON))
    return buttons
