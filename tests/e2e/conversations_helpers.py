"""A user who talks to the real servers over the REST webhook (dialogue e2e tests)."""

from __future__ import annotations

from dataclasses import dataclass, field

import requests

from runtime.stack import RasaStack

# How a homeowner of Amiens answers each question of the profile form, in plain French.
AMIENS_ANSWERS = {
    "postal_code": "80000",
    "occupancy": "je suis propriétaire occupant",
    "works": "isoler les combles",
    "size_attic_insulation": "80 m2",
    "size_windows": "8",
    "size_exterior_wall_insulation": "100 m2",
    "construction_year": "dans les années 70",
    "household_size": "nous sommes trois",
    "reference_income": "32 000 €",
    "housing_type": "une maison",
    "surface_m2": "cent vingt m2",
    "heating_energy": "au fioul",
    "dpe_class": "F",
    "dpe_class_after": "C",
    "total_cost_eur": "45 000 € HT",
    "confirm_change": "oui",
}


@dataclass
class Chat:
    stack: RasaStack
    sender: str
    log: list[tuple[str, list[dict]]] = field(default_factory=list)

    def say(self, message: str) -> list[dict]:
        response = requests.post(self.stack.rest_url,
                                 json={"sender": self.sender, "message": message}, timeout=120)
        assert response.status_code == 200, (message[:80], response.status_code,
                                              response.text[:300])
        replies = response.json()
        assert isinstance(replies, list)
        self.log.append((message, replies))
        return replies

    def text(self, message: str) -> str:
        return "\n".join(reply.get("text") or "" for reply in self.say(message))

    def slots(self) -> dict:
        return self.stack.tracker(self.sender).get("slots") or {}

    def requested_slot(self) -> str | None:
        return self.slots().get("requested_slot")

    def active_loop(self) -> str | None:
        return (self.stack.tracker(self.sender).get("active_loop") or {}).get("name")

    def fill_form(self, answers: dict[str, str] = AMIENS_ANSWERS, max_turns: int = 12) -> str:
        """Answers whatever the form asks until it stops; returns the bot's last texts."""
        last = ""
        for _ in range(max_turns):
            slot = self.requested_slot()
            if slot is None or self.active_loop() is None:
                return last
            last = self.text(answers[slot])
        raise AssertionError(f"The form never ended: {self.transcript()}")

    def transcript(self) -> str:
        lines = []
        for message, replies in self.log:
            lines.append(f"> {message[:80]}")
            lines += [f"< {(reply.get('text') or '')[:200]} "
                      f"{[b['title'] for b in reply.get('buttons') or []]}" for reply in replies]
        return "\n".join(lines)


def buttons(replies: list[dict]) -> list[str]:
    return [button["payload"] for reply in replies for button in reply.get("buttons") or []]
