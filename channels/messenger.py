"""Facebook Messenger channel, at Rasa's `facebook` URL (/webhooks/facebook/webhook).

Why not Rasa's built-in `facebook` connector: it reads only `X-Hub-Signature` (Meta now sends
`X-Hub-Signature-256`), compares signatures with `==`, answers a forged request with HTTP 200
and posts replies with no timeout to a hard-coded, long-retired Graph API version.

This one:
- checks `X-Hub-Signature-256` (HMAC-SHA256 of the raw body with the app secret) in constant
  time and refuses a missing or wrong signature with 403;
- answers Meta's GET verification handshake (`hub.mode=subscribe`, `hub.verify_token`,
  `hub.challenge`);
- answers Meta at once (200) and handles the events in the background, so a slow turn never
  makes Meta time out and deliver the same message again;
- sends replies through the Send API at a configurable Graph API base URL, with `requests`
  and a timeout, off the event loop;
- reads its settings from the environment (never from the repository) and switches itself
  off (HTTP 503 on its URL) when they are missing, so the assistant starts without Messenger.

Environment variables (values in credentials.yml, if any, take precedence):
  FACEBOOK_VERIFY_TOKEN        the verify token typed in the Meta app's webhook settings
  FACEBOOK_APP_SECRET          the Meta app's secret (signs each webhook call)
  FACEBOOK_PAGE_ACCESS_TOKEN   the page access token used to answer
  FACEBOOK_GRAPH_API_URL       optional, default DEFAULT_GRAPH_API_URL
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import requests
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.common import (
    MAX_BODY_BYTES,
    MAX_MESSAGE_CHARS,
    TOO_LONG_TEXT,
    TOO_MANY_TEXT,
    SenderRateLimiter,
    clean_text,
    error_response,
    handle_with_fallback,
)
from channels.privacy import (
    ERASE_FAILED_TEXT,  # noqa: F401 (part of this channel's texts)
    ERASED_TEXT,  # noqa: F401
    erase_from_channel,
    is_erase_request,
)

logger = logging.getLogger(__name__)

# v25.0 (Feb 2026) is supported until July 2028 (developers.facebook.com/docs/graph-api/
# changelog/versions); the base URL, version included, can be set in FACEBOOK_GRAPH_API_URL.
DEFAULT_GRAPH_API_URL = "https://graph.facebook.com/v25.0"
SEND_TIMEOUT_S = 10.0

# Send API limits (developers.facebook.com/docs/messenger-platform/reference/send-api).
MAX_TEXT_CHARS = 2000
MAX_QUICK_REPLIES = 13
MAX_QUICK_REPLY_TITLE = 20
MAX_PAYLOAD_CHARS = 1000

ONLY_TEXT_TEXT = (
    "Je ne sais lire que les messages écrits. Pouvez-vous me poser votre question par écrit ?"
)


ENV_VARS = {
    "verify": "FACEBOOK_VERIFY_TOKEN",
    "secret": "FACEBOOK_APP_SECRET",
    "page-access-token": "FACEBOOK_PAGE_ACCESS_TOKEN",
    "graph-api-url": "FACEBOOK_GRAPH_API_URL",
}


@dataclass(frozen=True)
class MessengerSettings:
    verify_token: str
    app_secret: str
    page_access_token: str
    graph_api_url: str = DEFAULT_GRAPH_API_URL

    @classmethod
    def load(cls, credentials: dict[str, Any] | None) -> MessengerSettings | None:
        """Settings from credentials.yml, else the environment; None when incomplete."""
        credentials = credentials or {}

        def read(key: str) -> str:
            value = credentials.get(key) or os.environ.get(ENV_VARS[key], "")
            return str(value).strip()

        verify, secret, token = read("verify"), read("secret"), read("page-access-token")
        if not (verify and secret and token):
            return None
        url = read("graph-api-url") or DEFAULT_GRAPH_API_URL
        return cls(verify, secret, token, url.rstrip("/"))


def signature_is_valid(app_secret: str, body: bytes, header: str | None) -> bool:
    """True when `header` is `sha256=<hex HMAC-SHA256 of body>`; constant-time compare."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    received = header[len("sha256="):].strip().lower()
    # Bytes: compare_digest refuses non-ASCII str, and a header may carry any latin-1 byte.
    return hmac.compare_digest(expected.encode(), received.encode("utf-8", "replace"))


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _split_text(text: str) -> list[str]:
    """Paragraphs (Rasa's convention: blank line = new bubble), cut at the Send API limit."""
    parts: list[str] = []
    for paragraph in text.strip().split("\n\n") or [text]:
        while len(paragraph) > MAX_TEXT_CHARS:
            cut = paragraph.rfind(" ", 0, MAX_TEXT_CHARS)
            cut = cut if cut > 0 else MAX_TEXT_CHARS
            parts.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip()
        if paragraph:
            parts.append(paragraph)
    return parts or [text or "…"]


class GraphApiClient:
    """The Send API (`POST {graph}/me/messages`) through `requests`, with a timeout."""

    def __init__(self, settings: MessengerSettings) -> None:
        self.settings = settings
        self.session = requests.Session()

    def _post(self, body: dict[str, Any]) -> bool:
        try:
            reply = self.session.post(
                f"{self.settings.graph_api_url}/me/messages",
                params={"access_token": self.settings.page_access_token},
                json=body,
                timeout=SEND_TIMEOUT_S,
            )
        except requests.RequestException as error:
            logger.error("Graph API injoignable : %s", type(error).__name__)
            return False
        if not reply.ok:
            logger.error("Graph API : HTTP %s %s", reply.status_code, reply.text[:300])
        return reply.ok

    async def send_message(self, recipient_id: str, message: dict[str, Any]) -> bool:
        body = {"recipient": {"id": recipient_id}, "messaging_type": "RESPONSE",
                "message": message}
        return await asyncio.to_thread(self._post, body)


class MessengerOutput(OutputChannel):
    """Turns Rasa's bot messages into Send API messages; counts what it sends."""

    @classmethod
    def name(cls) -> str:
        return "facebook"

    def __init__(self, client: GraphApiClient) -> None:
        super().__init__()
        self.client = client
        self.sent = 0

    async def _send(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.client.send_message(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in _split_text(text):
            await self._send(recipient_id, {"text": part})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Buttons become quick replies: up to 13, unlike the 3 of a button template."""
        parts = _split_text(text)
        for part in parts[:-1]:
            await self._send(recipient_id, {"text": part})
        quick_replies = [
            {
                "content_type": "text",
                "title": _truncate(str(button.get("title", "")), MAX_QUICK_REPLY_TITLE),
                "payload": _truncate(str(button.get("payload", "")), MAX_PAYLOAD_CHARS),
            }
            for button in buttons[:MAX_QUICK_REPLIES]
            if button.get("title") and button.get("payload")
        ]
        message: dict[str, Any] = {"text": parts[-1]}
        if quick_replies:
            message["quick_replies"] = quick_replies
        await self._send(recipient_id, message)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(recipient_id, {
            "attachment": {"type": "image", "payload": {"url": image, "is_reusable": True}}
        })

    async def send_attachment(  # type: ignore[override]
        self, recipient_id: str, attachment: Any, **kwargs: Any
    ) -> None:
        if isinstance(attachment, str):
            await self.send_text_message(recipient_id, attachment)
        else:
            await self._send(recipient_id, {"attachment": attachment})

    async def send_elements(
        self, recipient_id: str, elements: Iterable[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send(recipient_id, {"attachment": {
            "type": "template",
            "payload": {"template_type": "generic", "elements": list(elements)[:10]},
        }})

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """`custom` payloads: `{"facebook": <Send API message>}` is sent as is; a payload
        with a `text` is sent as text; other (data for the web widget) are not for Messenger.
        """
        if not isinstance(json_message, dict):
            return
        if isinstance(json_message.get("facebook"), dict):
            await self._send(recipient_id, json_message["facebook"])
        elif isinstance(json_message.get("text"), str) and json_message["text"].strip():
            await self.send_text_message(recipient_id, json_message["text"])


def _event_text(event: dict[str, Any]) -> str | None:
    """The text a Messenger event carries for the bot: quick reply or postback payload first
    (a clicked button), then typed text; "" for an attachment; None for anything else
    (echoes, deliveries, reads)."""
    postback = event.get("postback")
    if isinstance(postback, dict):
        payload = postback.get("payload")
        return payload if isinstance(payload, str) else None
    message = event.get("message")
    if not isinstance(message, dict) or message.get("is_echo"):
        return None
    quick_reply = message.get("quick_reply")
    if isinstance(quick_reply, dict) and isinstance(quick_reply.get("payload"), str):
        return quick_reply["payload"]
    if isinstance(message.get("text"), str):
        return message["text"]
    if message.get("attachments"):
        return ""
    return None


class MessengerInput(InputChannel):
    """Messenger webhook; configured from the environment (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> MessengerInput:
        settings = MessengerSettings.load(credentials)
        if settings is None:
            logger.warning(
                "Messenger désactivé : définissez %s, %s et %s pour l'activer.",
                ENV_VARS["verify"], ENV_VARS["secret"], ENV_VARS["page-access-token"],
            )
        return cls(settings)

    def __init__(self, settings: MessengerSettings | None) -> None:
        self.settings = settings
        # Background turns, referenced until done (asyncio keeps only weak references).
        self._turns: set[asyncio.Task] = set()
        # The same per-sender limit as the other channels (a flood gets a sentence, no turn).
        self.rate_limiter = SenderRateLimiter()

    def get_output_channel(self) -> OutputChannel | None:
        return MessengerOutput(GraphApiClient(self.settings)) if self.settings else None

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        webhook = Blueprint("messenger_webhook_fr", __name__)
        settings = self.settings
        client = GraphApiClient(settings) if settings else None

        def disabled() -> HTTPResponse:
            return error_response("Le canal Messenger n'est pas configuré sur ce serveur.", 503)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if settings else "disabled"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if settings is None:
                return disabled()
            token = request.args.get("hub.verify_token") or ""
            challenge = request.args.get("hub.challenge")
            if (
                request.args.get("hub.mode") == "subscribe"
                and challenge is not None
                and hmac.compare_digest(token.encode(), settings.verify_token.encode())
            ):
                return response.text(challenge)
            logger.warning("Vérification Messenger refusée : jeton de vérification incorrect")
            return error_response("Jeton de vérification incorrect.", 403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if settings is None or client is None:
                return disabled()
            body = request.body or b""
            if len(body) > MAX_BODY_BYTES:
                return error_response("Requête trop volumineuse.", 400)
            if not signature_is_valid(
                settings.app_secret, body, request.headers.get("X-Hub-Signature-256")
            ):
                logger.warning("Appel Messenger refusé : signature X-Hub-Signature-256 invalide")
                return error_response("Signature invalide.", 403)
            try:
                payload = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                return error_response("Le corps doit être du JSON.", 400)
            if not isinstance(payload, dict) or payload.get("object") != "page":
                return error_response("Événement de page attendu.", 400)

            entries = payload.get("entry")
            events = [
                event
                for entry in (entries if isinstance(entries, list) else [])
                if isinstance(entry, dict) and isinstance(entry.get("messaging"), list)
                for event in entry["messaging"]
                if isinstance(event, dict)
            ]
            if events:
                self._app = request.app  # erase parity (issue 14): its tracker store
                turn = asyncio.create_task(self._handle_events(events, client, on_new_message))
                self._turns.add(turn)
                turn.add_done_callback(self._turns.discard)
            return response.text("EVENT_RECEIVED")

        return webhook

    async def _erase(self, sender_id: str) -> str:
        return await erase_from_channel(getattr(self, "_app", None), sender_id)

    async def _handle_events(
        self,
        events: list[dict[str, Any]],
        client: GraphApiClient,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        """One batch, in order (Meta may batch several messages of one person)."""
        for event in events:
            try:
                await self._handle_event(event, client, on_new_message)
            except Exception:  # a bad event must not stop the rest of the batch
                logger.exception("Événement Messenger non traité")

    async def _handle_event(
        self,
        event: dict[str, Any],
        client: GraphApiClient,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        sender = event.get("sender")
        sender_id = sender.get("id") if isinstance(sender, dict) else None
        text = _event_text(event)
        if not isinstance(sender_id, str) or not sender_id or text is None:
            return
        output = MessengerOutput(client)
        if text == "":
            await output.send_text_message(sender_id, ONLY_TEXT_TEXT)
            return
        if len(text) > MAX_MESSAGE_CHARS:
            await output.send_text_message(sender_id, TOO_LONG_TEXT)
            return
        if not self.rate_limiter.admit(sender_id):
            await output.send_text_message(sender_id, TOO_MANY_TEXT)
            return
        try:
            if is_erase_request(text):  # issue 14: erased here, outside a Rasa turn
                await output.send_text_message(sender_id, await self._erase(sender_id))
                return
            message = UserMessage(clean_text(text), output, sender_id,
                                  input_channel=self.name())
            await handle_with_fallback(on_new_message, message, lambda: output.sent > 0)
        finally:
            self.rate_limiter.done(sender_id)
