"""REST channel: Rasa's `rest` webhook (same URL, same request and response shapes) that
refuses malformed bodies with a 400 JSON error and never leaves the user without an answer;
a sender's flood gets 429s (channels.common.SenderRateLimiter), « effacer mes données »
erases the conversation (channels.privacy), as on every channel, and a request that nginx
sends again after a process died is answered once (channels.replay).

POST /webhooks/rest/webhook  {"sender": "...", "message": "...", "metadata": {...}?}
  -> 200 [{"recipient_id": "...", "text"?: "...", "buttons"?: [...], "custom"?: {...}}, ...]
  -> 400 {"error": "<phrase en français>", "field"?: "message"}
"""

from __future__ import annotations

import json
import uuid
from asyncio import Queue
from collections.abc import Awaitable, Callable
from typing import Any

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import QueueOutputChannel
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.common import (
    FALLBACK_TEXT,
    MAX_BODY_BYTES,
    InputError,
    SenderRateLimiter,
    check_sender,
    check_text,
    dumps_utf8,
    handle_with_fallback,
    too_many_requests,
)
from channels.privacy import erase_from_channel, is_erase_request
from channels.replay import checked_in_turn, request_id, stored_answers


class _CountingQueueOutputChannel(QueueOutputChannel):
    """Rasa's streaming collector, counting what it streams (a queue cannot be peeked)."""

    def __init__(self, message_queue: Queue | None = None) -> None:
        super().__init__(message_queue)
        self.sent = 0

    async def _persist_message(self, message: dict[str, Any]) -> None:
        self.sent += 1
        await super()._persist_message(message)


def parse_body(request: Request) -> dict[str, Any]:
    """The validated request: sender, message, input_channel, metadata. Raises InputError."""
    raw = request.body or b""
    if len(raw) > MAX_BODY_BYTES:
        raise InputError(f"Le corps de la requête dépasse {MAX_BODY_BYTES // 1024} Kio.")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InputError(
            "Le corps de la requête doit être un objet JSON (UTF-8), par exemple "
            '{"sender": "moi", "message": "Bonjour"}.'
        ) from None
    if not isinstance(body, dict):
        raise InputError(
            'Le corps de la requête doit être un objet JSON : {"sender": "…", "message": "…"}.'
        )
    # No sender: a fresh conversation rather than Rasa's shared "default" one, which would
    # mix the conversations (and personal details) of every anonymous caller.
    sender = body.get("sender")
    sender = uuid.uuid4().hex if sender is None else check_sender(sender)
    text = check_text(body.get("message"))
    input_channel = body.get("input_channel")
    if input_channel is not None and not isinstance(input_channel, str):
        raise InputError(
            "Le champ « input_channel » doit être une chaîne de caractères.", "input_channel"
        )
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise InputError("Le champ « metadata » doit être un objet JSON.", "metadata")
    return {"sender": sender, "text": text, "input_channel": input_channel or "rest",
            "metadata": metadata}


class RestInput(RasaRestInput):
    """Rasa's REST channel with input validation, a per-sender rate limit and the French
    fallback answer."""

    def __init__(self, rate_limiter: SenderRateLimiter | None = None) -> None:
        self.rate_limiter = rate_limiter or SenderRateLimiter()

    @classmethod
    def name(cls) -> str:
        return "rest"

    @staticmethod
    async def on_message_wrapper(
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        queue: Queue,
        sender_id: str,
        input_channel: str,
        metadata: dict[str, Any] | None,
    ) -> None:
        # Streaming mode (`?stream=true`): same as Rasa's, plus the fallback.
        collector = _CountingQueueOutputChannel(queue)
        message = UserMessage(
            text, collector, sender_id, input_channel=input_channel, metadata=metadata
        )
        await handle_with_fallback(on_new_message, message, lambda: collector.sent > 0)
        await queue.put("DONE")

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        webhook = Blueprint("custom_webhook_rest_fr", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                fields = parse_body(request)
            except InputError as error:
                return error.as_response()
            sender = fields["sender"]
            if not self.rate_limiter.admit(sender):
                return too_many_requests(self.rate_limiter.retry_after(sender))
            try:
                if is_erase_request(fields["text"]):
                    # Erased here, outside a Rasa turn (which would save the events again).
                    text = await erase_from_channel(request.app, sender)
                    return response.json([{"recipient_id": sender, "text": text}],
                                         dumps=dumps_utf8)
                return await answer(request, fields)
            finally:
                self.rate_limiter.done(sender)

        async def answer(request: Request, fields: dict[str, Any]) -> HTTPResponse:
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(
                        on_new_message, fields["text"], fields["sender"],
                        fields["input_channel"], fields["metadata"],
                    ),
                    content_type="text/event-stream",
                )

            message_id = request_id(request.headers)
            if message_id is not None and not checked_in_turn():
                # nginx sent this request again after a process died (channels.replay; with
                # runtime.rasa_patches applied, Rasa's turn checks it, under its own lock).
                stored = await stored_answers(request.app, fields["sender"], message_id)
                if stored is not None:
                    # A saved turn that said nothing got the apology the first time too.
                    stored = stored or [{"recipient_id": fields["sender"], "text": FALLBACK_TEXT}]
                    return response.json(stored, dumps=dumps_utf8)
            collector = CollectingOutputChannel()
            message = UserMessage(
                fields["text"], collector, fields["sender"],
                input_channel=fields["input_channel"], metadata=fields["metadata"],
                message_id=message_id,
            )
            await handle_with_fallback(on_new_message, message, lambda: bool(collector.messages))
            return response.json(collector.messages, dumps=dumps_utf8)

        return webhook
