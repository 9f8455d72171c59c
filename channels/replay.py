"""A message that nginx sends twice is answered once.

Behind nginx (`make run-scaled`), a Rasa process that dies mid-turn makes nginx send the same
POST to another process (`proxy_next_upstream … non_idempotent`: the person gets an answer
instead of an error). If the dead process had already saved the turn and died before
answering, the message would be handled a second time and stored twice. nginx gives every
client request one `X-Request-ID`, the same on each retry; the REST channel uses it as the
message's id, and a message whose id is already in the conversation gets the answers stored
after it instead of a second turn.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered

REQUEST_ID_HEADER = "x-request-id"
_REQUEST_ID = re.compile(r"^[0-9A-Za-z-]{8,64}$")
# The fields of a bot message that Rasa's CollectingOutputChannel sends back.
_BOT_FIELDS = ("buttons", "image", "attachment", "custom", "elements", "quick_replies")


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
