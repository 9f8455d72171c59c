"""A simulated homeowner who holds a conversation over the REST webhook.

It answers whatever slot the form asks for (read from the tracker's `requested_slot`), so
the same script works whatever order the form asks its questions in. Used by the load
benchmark and the end-to-end tests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import requests

# How a homeowner of Amiens answers each question of the profile form.
ANSWERS = {
    "postal_code": "80000",
    "city": "Amiens",
    "location": "80000",
    "occupancy": "je suis propriétaire et j'y habite",
    "housing_type": "une maison",
    "construction_year": "1975",
    "surface_m2": "100 m2",
    "heating_energy": "au fioul",
    "dpe_class": "F",
    "household_size": "3 personnes",
    "reference_income": "32000 euros",
    "works": "une pompe à chaleur air eau",
    "work_type": "une pompe à chaleur air eau",
    "size_attic_insulation": "80 m2",
    "size_flat_roof_insulation": "60 m2",
    "size_exterior_wall_insulation": "120 m2",
    "size_interior_wall_insulation": "100 m2",
    "size_floor_insulation": "70 m2",
    "size_windows": "8",
}
OPENING = ["bonjour", "combien d'aides pour installer une pompe à chaleur air eau ?"]
FALLBACK_ANSWER = "oui"


@dataclass
class TurnResult:
    message: str
    seconds: float
    status: int
    replies: list[dict] = field(default_factory=list)


@dataclass
class Conversation:
    base_url: str
    sender: str
    timeout: float = 120
    turns: list[TurnResult] = field(default_factory=list)
    session: requests.Session = field(default_factory=requests.Session)

    @property
    def sent(self) -> list[str]:
        return [turn.message for turn in self.turns]

    def say(self, message: str) -> TurnResult:
        started = time.perf_counter()
        try:
            response = self.session.post(
                f"{self.base_url}/webhooks/rest/webhook",
                json={"sender": self.sender, "message": message}, timeout=self.timeout)
            status = response.status_code
            replies = response.json() if response.ok else []
        except (requests.RequestException, ValueError):
            status, replies = 0, []
        turn = TurnResult(message, time.perf_counter() - started, status, replies)
        self.turns.append(turn)
        return turn

    def requested_slot(self) -> str | None:
        response = self.session.get(
            f"{self.base_url}/conversations/{self.sender}/tracker", timeout=self.timeout)
        response.raise_for_status()
        return (response.json().get("slots") or {}).get("requested_slot")

    def reached_aids(self) -> bool:
        """True once the bot has given an aids estimate (an amount in euros)."""
        return any("€" in (reply.get("text") or "") and "aide" in (reply.get("text") or "").lower()
                   for turn in self.turns for reply in turn.replies)

    def run_to_aids(self, max_turns: int = 10) -> bool:
        """Opens the conversation, answers the form; stops at an estimate or max_turns."""
        for message in OPENING:
            self.say(message)
        while len(self.turns) < max_turns and not self.reached_aids():
            slot = self.requested_slot()
            self.say(ANSWERS.get(slot or "", FALLBACK_ANSWER))
        return self.reached_aids()


def user_messages_in_tracker(base_url: str, sender: str) -> list[str]:
    """The user messages the tracker store holds for a conversation, in order."""
    response = requests.get(f"{base_url}/conversations/{sender}/tracker", timeout=60)
    response.raise_for_status()
    return [event.get("text") for event in response.json().get("events", [])
            if event.get("event") == "user"]
