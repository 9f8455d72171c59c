"""A simulated homeowner who holds a conversation over the REST webhook.

It answers whatever slot the form asks for (read from the tracker's `requested_slot`), so
the same script works whatever order the form asks its questions in. Used by the load
benchmark and the end-to-end tests.
"""

from __future__ import annotations

import json
import time
import uuid
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
    token: str | None = None  # Rasa's HTTP API token (RasaStack.token), to read the tracker
    session: requests.Session = field(default_factory=requests.Session)
    # Send each message with its own X-Request-ID, as nginx does in the scaled setup (the
    # channel then checks whether it was already handled: channels/replay.py).
    request_ids: bool = False

    @property
    def sent(self) -> list[str]:
        return [turn.message for turn in self.turns]

    def say(self, message: str) -> TurnResult:
        started = time.perf_counter()
        try:
            response = self.session.post(
                f"{self.base_url}/webhooks/rest/webhook",
                json={"sender": self.sender, "message": message}, timeout=self.timeout,
                headers={"X-Request-ID": uuid.uuid4().hex} if self.request_ids else None)
            status = response.status_code
            replies = response.json() if response.ok else []
        except (requests.RequestException, ValueError):
            status, replies = 0, []
        turn = TurnResult(message, time.perf_counter() - started, status, replies)
        self.turns.append(turn)
        return turn

    def requested_slot(self) -> str | None:
        response = self.session.get(
            f"{self.base_url}/conversations/{self.sender}/tracker",
            params={"token": self.token} if self.token else None, timeout=self.timeout)
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


def user_messages_in_tracker(base_url: str, sender: str, token: str | None = None) -> list[str]:
    """The user messages the tracker store holds for a conversation, in order."""
    response = requests.get(f"{base_url}/conversations/{sender}/tracker",
                            params={"token": token} if token else None, timeout=60)
    response.raise_for_status()
    return [event.get("text") for event in response.json().get("events", [])
            if event.get("event") == "user"]


# --- Personas: homeowners described by facts (tests/personas/*.yml) --------------------

AIDS_ANSWER_MARK = "Aides estimées"
CONFIRM_SLOT = "confirm_change"

_HOUSING_WORDS = {"house": "une maison", "apartment": "un appartement"}
_OCCUPANCY_WORDS = {
    "owner_occupier": "je suis propriétaire et j'y vis",
    "landlord": "je le loue à un locataire, j'en suis propriétaire",
    "tenant": "je suis locataire",
    "second_home_owner": "c'est ma résidence secondaire",
}
_HEATING_WORDS = {
    "electricity": "radiateurs électriques", "gas": "chaudière gaz", "fuel_oil": "fioul",
    "propane": "propane", "wood_logs": "poêle à bois bûches", "wood_pellets": "granulés",
    "district_heating": "réseau de chaleur", "heat_pump": "pompe à chaleur",
}
_WORK_WORDS = {
    "attic_insulation": "isolation des combles", "flat_roof_insulation": "toit terrasse",
    "exterior_wall_insulation": "isolation des murs par l'extérieur",
    "interior_wall_insulation": "isolation des murs par l'intérieur",
    "floor_insulation": "isolation du plancher bas", "windows": "changer les fenêtres",
    "air_water_heat_pump": "pompe à chaleur air eau",
    "geothermal_heat_pump": "pompe à chaleur géothermique",
    "air_air_heat_pump": "pompe à chaleur air air",
    "thermodynamic_water_heater": "chauffe-eau thermodynamique",
    "solar_water_heater": "chauffe-eau solaire", "pellet_stove": "poêle à granulés",
    "log_stove": "poêle à bûches", "pellet_boiler": "chaudière à granulés",
    "double_flow_ventilation": "VMC double flux",
}


def default_answer(slot: str, facts: dict) -> str:
    """How a homeowner states one fact when asked, in plain words."""
    works = {work["type"]: work for work in facts.get("works") or []}
    if slot == "postal_code":
        return str(facts["postal_code"])
    if slot == "housing_type":
        return _HOUSING_WORDS[facts["housing_type"]]
    if slot == "occupancy":
        return _OCCUPANCY_WORDS[facts["occupancy"]]
    if slot == "construction_year":
        return f"construite en {facts['construction_year']}"
    if slot == "surface_m2":
        return f"{facts['surface_m2']} m2"
    if slot == "heating_energy":
        return _HEATING_WORDS[facts["heating_energy"]]
    if slot == "dpe_class":
        return facts.get("dpe_class") or "je ne sais pas"
    if slot == "dpe_class_after":
        return f"classe {facts['dpe_class_after']}"
    if slot == "total_cost_eur":
        return f"{facts['total_cost_eur']} euros HT"
    if slot == "household_size":
        return f"{facts['household_size']} personnes"
    if slot == "reference_income":
        return f"{facts['reference_income']} euros"
    if slot == "works":
        return " et ".join(_WORK_WORDS[code] for code in works)
    if slot.startswith("size_"):
        work = works.get(slot.removeprefix("size_"), {})
        if "count" in work:
            return str(work["count"])
        if "surface_m2" in work:
            return f"{work['surface_m2']} m2"
        return "je ne sais pas"
    if slot == CONFIRM_SLOT:
        return "oui"
    return "je ne sais pas"


def _button_stating(buttons: list[dict], slot: str, facts: dict) -> dict | None:
    """The button that answers `slot` with several of the persona's facts at once, if any:
    a homeowner asked "propriétaire occupant d'une maison ?" taps "Proprio · maison"."""
    for button in buttons:
        payload = str(button.get("payload") or "")
        if not payload.startswith("/") or "{" not in payload:
            continue
        try:
            values = json.loads(payload[payload.index("{"):])
        except ValueError:
            continue
        if slot in values and len(values) > 1 and all(
                facts.get(name) == value for name, value in values.items()):
            return button
    return None


@dataclass
class PersonaRun:
    """One persona's conversation: the messages sent, the bot's texts, the final slots."""

    persona: dict
    user_turns: int = 0
    turns_to_answer: int | None = None
    answer: str = ""
    slots: dict = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)
    closing_replies: list[str] = field(default_factory=list)  # the bot's replies to `closing`

    def transcript(self) -> str:
        return "\n".join(f"> {message}\n< {reply}" for message, reply in self.log)


def run_persona(base_url: str, sender: str, persona: dict, max_turns: int = 24,
                headers: dict | None = None, token: str | None = None) -> PersonaRun:
    """Talks as the persona: opening messages, then answers whatever the form asks, with
    the persona's own words when given (`answers`), its twists injected before a slot is
    asked (`twists`: {before: slot, say: text}) or after it is answered (`after`)."""
    session = requests.Session()
    if headers:
        session.headers.update(headers)
    run = PersonaRun(persona)
    facts = persona["facts"]
    answers = persona.get("answers") or {}
    twists = list(persona.get("twists") or [])
    asked: dict[str, int] = {}
    last_buttons: list[dict] = []

    def say(message: str) -> str:
        response = session.post(f"{base_url}/webhooks/rest/webhook",
                                json={"sender": sender, "message": message}, timeout=120)
        replies = response.json() if response.ok else []
        last_buttons[:] = [button for reply in replies for button in reply.get("buttons") or []]
        text = "\n".join((reply.get("text") or "") + "".join(
            f" [{button.get('title')}]" for button in reply.get("buttons") or [])
            for reply in replies)
        run.user_turns += 1
        run.log.append((message, text))
        if AIDS_ANSWER_MARK in text and run.turns_to_answer is None:
            run.turns_to_answer = run.user_turns
            run.answer = text
        return text

    def tracker() -> dict:
        response = session.get(f"{base_url}/conversations/{sender}/tracker",
                               params={"token": token} if token else None, timeout=60)
        response.raise_for_status()
        return response.json()

    for message in persona.get("opening") or []:
        say(message)
    while run.user_turns < max_turns and run.turns_to_answer is None:
        state = tracker()
        slot = (state.get("slots") or {}).get("requested_slot")
        if not (state.get("active_loop") or {}).get("name") or not slot:
            break
        twist = next((t for t in twists if t.get("before") == slot), None)
        if twist:
            twists.remove(twist)
            say(twist["say"])
            continue
        asked[slot] = asked.get(slot, 0) + 1
        if asked[slot] > 3:
            break  # the same question again and again: the persona gives up
        town = persona.get("city")
        pressed = next((button for button in last_buttons if town and slot == "postal_code"
                        and str(button.get("title", "")).startswith(town)), None)
        if pressed:  # the persona taps its town among the communes offered
            say(pressed["payload"])
            continue
        answer = answers.get(slot)
        pressed = None if answer is not None else _button_stating(last_buttons, slot, facts)
        if pressed:  # one tap states two of its facts ("Proprio · maison")
            say(pressed["payload"])
            continue
        if isinstance(answer, list):
            answer = answer[min(asked[slot], len(answer)) - 1]
        say(answer if answer is not None else default_answer(slot, facts))
        after = next((t for t in twists if t.get("after") == slot), None)
        if after:
            twists.remove(after)
            say(after["say"])
    for message in persona.get("closing") or []:
        run.closing_replies.append(say(message))
    run.slots = tracker().get("slots") or {}
    return run


def expected_total(persona: dict) -> int:
    """The total of grants the engine gives for the persona's true profile."""
    from bot.cli import run_command
    from bot.profile import parse_profile

    result = run_command("aids", parse_profile(dict(persona["facts"])))
    return int(result["total_grants_eur"])


_SLOT_FACTS = ("housing_type", "occupancy", "construction_year", "surface_m2",
               "heating_energy", "household_size", "reference_income", "dpe_class",
               "dpe_class_after", "total_cost_eur")


def check_persona(run: PersonaRun) -> list[str]:
    """What is wrong at the end of the persona's conversation ([] when all is right)."""
    from bot.aids.context import format_eur

    facts = run.persona["facts"]
    problems: list[str] = []
    slots = run.slots
    if slots.get("postal_code") != facts["postal_code"]:
        problems.append(f"postal_code {slots.get('postal_code')} != {facts['postal_code']}")
    for name in _SLOT_FACTS:
        value = slots.get(name)
        if value is None or value == "unknown":
            continue  # not asked (the engine did not need it) or not known
        wanted = facts.get(name)
        if isinstance(value, (int, float)) and isinstance(wanted, (int, float)):
            same = float(value) == float(wanted)
        else:
            same = value == wanted
        if not same:
            problems.append(f"{name} {value!r} != {wanted!r}")
    wanted_works = sorted(work["type"] for work in facts.get("works") or [])
    if sorted(slots.get("works") or []) != wanted_works:
        problems.append(f"works {slots.get('works')} != {wanted_works}")
    expected = run.persona.get("expect") or {}
    if run.turns_to_answer is None:
        problems.append("no aids answer")
    else:
        total = expected.get("total_grants_eur", expected_total(run.persona))
        if total and format_eur(total) not in run.answer:
            problems.append(f"total {format_eur(total)} not in the answer")
        for words in expected.get("answer_contains") or []:
            if words not in run.answer:
                problems.append(f"« {words} » not in the answer")
    replies = "\n".join(run.closing_replies)
    for words in expected.get("closing_contains") or []:  # e.g. the "Pourquoi ?" answer
        if words not in replies:
            problems.append(f"« {words} » not in the replies to the closing messages")
    return problems
