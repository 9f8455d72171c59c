"""Socket.IO channel for the web chat widget (rasa-webchat): Rasa's `socketio` channel with
the French fallback, checked input, and custom payloads that cannot crash the emitter.

Events are Rasa's: the client emits `session_request {session_id}` then
`user_uttered {message, session_id, customData?}`; the bot answers with `bot_uttered`.
"""

from __future__ import annotations

import inspect
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import rasa.core.channels.channel
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.common import (
    MAX_MESSAGE_CHARS,
    TOO_LONG_TEXT,
    TOO_MANY_TEXT,
    InputError,
    SenderRateLimiter,
    check_sender,
    clean_text,
    handle_with_fallback,
)
from channels.privacy import erase_from_channel, is_erase_request

logger = logging.getLogger(__name__)

BAD_MESSAGE_TEXT = "Je n'ai pas pu lire votre message. Pouvez-vous le reformuler ?"

# The keyword arguments `AsyncServer.emit` accepts besides the event name: Rasa passes a
# custom payload as `emit(event, **payload)`, so any other key would raise a TypeError.
_EMIT_KEYWORDS = {"data", "to", "room", "skip_sid", "namespace", "callback"}


class CountingSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, counting the messages it emits."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Custom payloads the widget can show: Rasa's convention (`{"data": …}` spread into
        `emit`) as Rasa does; a payload with a `text` or an `attachment` as the message itself.
        Other payloads (data for REST clients) are not sent: rasa-webchat would show them as
        the text "undefined" (and Rasa's emit(**payload) would raise a TypeError)."""
        if not isinstance(json_message, dict):
            return
        if json_message and json_message.keys() <= _EMIT_KEYWORDS:
            self.sent += 1
            await super().send_custom_json(recipient_id, json_message, **kwargs)
        elif isinstance(json_message.get("text"), str) or "attachment" in json_message:
            await self._send_message(recipient_id, json_message)
        else:
            logger.debug("Charge utile custom non affichable par le widget : ignorée")


class _AppAwareSocketBlueprint(SocketBlueprint):
    """Rasa's socket.io blueprint, remembering the app it is registered on (its agent holds
    the tracker and lock stores that erasing needs)."""

    def register(self, app: Any, options: dict[str, Any]) -> None:
        self.ctx.app = app
        super().register(app, options)


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socketio channel (same credentials keys) with the French fallback, the same
    per-sender rate limit as the REST channel, and « effacer mes données »."""

    rate_limiter: SenderRateLimiter | None = None

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> CountingSocketIOOutput | None:
        if self.sio is None:
            return None
        return CountingSocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        # Same server settings as Rasa's: CORS is left to Sanic (`rasa run --cors`).
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        socketio_webhook = _AppAwareSocketBlueprint(
            sio, self.socketio_path, "socketio_webhook_fr", __name__
        )
        self.sio = sio
        limiter = self.rate_limiter = self.rate_limiter or SenderRateLimiter()

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token) and bool(
                rasa.core.channels.channel.decode_bearer_token(
                    token, self.jwt_key, self.jwt_algorithm
                )
            )

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            try:
                session_id = check_sender(session_id, "session_id")
            except InputError:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                # python-socketio >= 5.10 made enter_room a coroutine (RasaHQ/rasa#13027).
                entered = sio.enter_room(sid, session_id)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            output = CountingSocketIOOutput(sio, self.bot_message_evt)
            if not isinstance(data, dict):
                await output.send_text_message(sid, BAD_MESSAGE_TEXT)
                return
            if self.session_persistence:
                try:
                    sender_id = check_sender(data.get("session_id"), "session_id")
                except InputError:
                    logger.warning("Message socket.io sans session_id valide : ignoré")
                    await output.send_text_message(sid, BAD_MESSAGE_TEXT)
                    return
            else:
                sender_id = sid

            text = data.get("message", "")
            if not isinstance(text, str):
                await output.send_text_message(sender_id, BAD_MESSAGE_TEXT)
                return
            if len(text) > MAX_MESSAGE_CHARS:
                await output.send_text_message(sender_id, TOO_LONG_TEXT)
                return

            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except json.JSONDecodeError:
                    metadata = {}
            if not isinstance(metadata, dict):
                metadata = {}

            # A flood over one socket (or many sockets of one session) is refused with a
            # sentence, as the REST channel answers 429: the turns of others keep the CPU.
            if not limiter.admit(sender_id):
                await output.send_text_message(sender_id, TOO_MANY_TEXT)
                return
            try:
                if is_erase_request(text):
                    await output.send_text_message(sender_id, await erase_from_channel(
                        getattr(socketio_webhook.ctx, "app", None), sender_id))
                    return
                message = UserMessage(clean_text(text), output, sender_id,
                                      input_channel=self.name(), metadata=metadata)
                await handle_with_fallback(on_new_message, message, lambda: output.sent > 0)
            finally:
                limiter.done(sender_id)

        return socketio_webhook
