"""A message that nginx sends twice is answered once.

Behind nginx (`make run-scaled`), a Rasa process that dies mid-turn makes nginx send the same
POST to another process (`proxy_next_upstream … non_idempotent`: the person gets an answer
instead of an error). If the dead process had already saved the turn and died before
answering, the message would be handled a second time and stored twice. nginx gives every
client request one `X-Request-ID`, the same on each retry; the REST channel uses it as the
message's id, and a message whose id is already in the conversation gets the answers stored
after it instead of a second turn.

Where the check runs: inside Rasa's own turn (runtime/rasa_patches.py `check_replays_in_turn`,
which calls `answers_after` on the tracker Rasa has just read under the conversation's lock:
no second lock, no second read). When that patch is left out (ASSISTANT_RASA_UNPATCHED=1 or
`replay_in_turn`), the REST channel checks here first with `stored_answers` (one more lock and
one more tracker read per message, the design before 30 November).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered

REQUEST_ID_HEADER = "x-request-id"
_REQUEST_ID = re.compile(r"^[0-9A-Za-z-]{8,64}$")
# The fields of a bot message that Rasa's CollectingOutputChannel sends back.
_BOT_FIELDS = ("buttons", "image", "attachment", "custom", "elements", "quick_replies")
# True once runtime.rasa_patches has made Rasa's MessageProcessor check replays itself.
_checked_in_turn = False


def mark_checked_in_turn() -> None:
    """Called by the Rasa patch: the channel need not check before the turn."""
    global _checked_in_turn
    _checked_in_turn = True


def checked_in_turn() -> bool:
    """Whether Rasa's turn checks replays itself (else the channel calls stored_answers)."""
    return _checked_in_turn


def request_id(headers: Any) -> str | None:
    """The request's id set by nginx, or None (absent or malformed: handled as usual)."""
    value = headers.get(REQUEST_ID_HEADER)
    return value if isinstance(value, str) and _REQUEST_ID.match(value) else None


def answers_after(events: list[Any], sender: str, message_id: str) -> list[dict] | None:
    """The bot messages stored after the user message `message_id`, as the REST channel
    sends them; None when that message is not in the conversation."""
    starts = [i for i, event in enumerate(events)
              if isinstance(event, UserUttered) and event.message_id == message_id]
    if not starts:
        return None
    answers: list[dict] = []
    for event in events[starts[-1] + 1:]:
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            answer: dict[str, Any] = {"recipient_id": sender}
            if event.text:
                answer["text"] = event.text
            answer.update({key: event.data[key] for key in _BOT_FIELDS if event.data.get(key)})
            answers.append(answer)
    return answers


async def stored_answers(app: Any, sender: str, message_id: str) -> list[dict] | None:
    """The answers already given to this message, read under the conversation's lock (a
    turn still running elsewhere finishes first); None when it was never handled."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    store = getattr(agent, "tracker_store", None)
    lock_store = getattr(agent, "lock_store", None)
    if store is None or lock_store is None:
        return None
    async with lock_store.lock(sender):
        tracker = await store.retrieve(sender)
    if tracker is None:
        return None
    return answers_after(list(tracker.events), sender, message_id)
