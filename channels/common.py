"""What every channel shares: input limits, French error texts, and the polite fallback.

Rasa 3.6 swallows an exception raised while running an action ("Bot will continue, but the
actions events are lost") and then sends nothing: without a fallback the user would face
silence when the action server is down. Each connector therefore runs the turn through
`handle_with_fallback`, which sends `FALLBACK_TEXT` when the turn produced no bot message or
raised.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # keeps this module light: the web server imports it without Rasa
    from rasa.core.channels.channel import UserMessage
    from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

FALLBACK_TEXT = (
    "Désolé, je rencontre un problème technique et je ne peux pas vous répondre pour le "
    "moment. Réessayez dans quelques instants, ou appelez France Rénov' au 0 808 800 700 "
    "(service et appel gratuits)."
)

# A user message may hold up to this many characters (a long description of a house fits);
# beyond it the request is refused rather than fed to the NLU.
MAX_MESSAGE_CHARS = 10_000
# Raw request body limit: a 10,000-emoji message is ~120 kB once JSON-escaped.
MAX_BODY_BYTES = 256 * 1024
MAX_SENDER_CHARS = 128

_MAX_CHARS_FR = f"{MAX_MESSAGE_CHARS:,}".replace(",", "\u202f")  # 10 000, French style
TOO_LONG_TEXT = (
    f"Votre message est trop long ({_MAX_CHARS_FR} caractères au plus). "
    "Pouvez-vous le raccourcir ?"
)


# Failures of actions seen during the current turn. Rasa logs them and carries on; a logging
# filter on its processor records them here (the context variable is per asyncio task, so
# concurrent turns do not mix).
_action_failures: ContextVar[list[str] | None] = ContextVar("action_failures", default=None)
ACTION_FAILURE_LOG = "Encountered an exception while running action"


class _ActionFailureWatcher(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        failures = _action_failures.get()
        if failures is not None and str(record.msg).startswith(ACTION_FAILURE_LOG):
            failures.append(record.getMessage())
        return True  # only watches: the record is still logged


logging.getLogger("rasa.core.processor").addFilter(_ActionFailureWatcher())


class InputError(ValueError):
    """A request the channel refuses; the message is a French sentence for the caller."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def as_response(self) -> HTTPResponse:
        extra = {"field": self.field} if self.field else {}
        return error_response(str(self), 400, **extra)


# Lone UTF-16 surrogates (valid in JSON as "\ud800", not encodable in UTF-8) would make the
# tracker store or the JSON answer fail; NUL is refused by some databases.
_UNENCODABLE = re.compile("[\ud800-\udfff]")


# JSON answers go out as UTF-8 rather than \u escapes, so that French reads as it is with curl.
_dumps_utf8 = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


def dumps_utf8(body: Any) -> str:
    """Compact JSON in UTF-8; escaped as before if some text cannot be encoded (a lone
    surrogate coming from an action), rather than failing the answer."""
    text = _dumps_utf8(body)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(body, separators=(",", ":"))
    return text


def error_response(message: str, status: int, **extra: str) -> HTTPResponse:
    """A JSON error `{"error": message, ...}` in readable UTF-8."""
    from sanic import response  # noqa: PLC0415 (Sanic only where an answer is made)

    return response.json({"error": message, **extra}, status=status, dumps=dumps_utf8)


# Flood protection, per conversation id. A person types at most a message every few seconds;
# a script sending thousands would hold Rasa's per-conversation lock and the CPU for
# everyone else. Each sender gets a bucket of RATE_BURST messages, refilled at RATE_PER_SECOND;
# at most MAX_PENDING of its messages wait for an answer at once. Beyond that: HTTP 429 with
# Retry-After, and the message is not processed (the sender is told so, nothing is lost
# silently). Tunable from the environment (the limits are per Rasa process).
RATE_PER_SECOND = float(os.environ.get("BOT_RATE_PER_SECOND", "1"))
RATE_BURST = int(os.environ.get("BOT_RATE_BURST", "30"))
MAX_PENDING = int(os.environ.get("BOT_MAX_PENDING_PER_SENDER", "5"))
TOO_MANY_TEXT = (
    "Trop de messages en peu de temps pour cette conversation. Patientez quelques secondes "
    "avant d'envoyer le suivant."
)


class SenderRateLimiter:
    """Token bucket and in-flight cap per sender. Used from one asyncio loop (no lock)."""

    def __init__(self, rate: float = RATE_PER_SECOND, burst: int = RATE_BURST,
                 max_pending: int = MAX_PENDING, max_senders: int = 50_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.max_pending = rate, burst, max_pending
        self.max_senders = max_senders
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # sender -> (tokens, updated at)
        self._pending: dict[str, int] = {}
        self.refused = 0

    def _tokens(self, sender: str, now: float) -> float:
        tokens, updated = self._buckets.get(sender, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - updated) * self.rate)

    def retry_after(self, sender: str) -> int:
        """Whole seconds until this sender may send again."""
        missing = 1 - self._tokens(sender, self.clock())
        return max(1, int(missing / self.rate + 0.999)) if self.rate > 0 else 60

    def admit(self, sender: str) -> bool:
        """True if the sender's message may be processed now (then call `done` after)."""
        now = self.clock()
        tokens = self._tokens(sender, now)
        if tokens < 1 or self._pending.get(sender, 0) >= self.max_pending:
            self._buckets[sender] = (tokens, now)
            self.refused += 1
            return False
        if len(self._buckets) >= self.max_senders:
            self._forget_idle(now)
        self._buckets[sender] = (tokens - 1, now)
        self._pending[sender] = self._pending.get(sender, 0) + 1
        return True

    def done(self, sender: str) -> None:
        left = self._pending.get(sender, 1) - 1
        if left > 0:
            self._pending[sender] = left
        else:
            self._pending.pop(sender, None)

    def _forget_idle(self, now: float) -> None:
        """Drops the senders whose bucket is full again: they are back to the default."""
        for sender in [s for s in self._buckets if s not in self._pending
                       and self._tokens(s, now) >= self.burst]:
            del self._buckets[sender]


def too_many_requests(retry_after: int) -> HTTPResponse:
    """HTTP 429 with a French JSON error and Retry-After."""
    answer = error_response(TOO_MANY_TEXT, 429)
    answer.headers["Retry-After"] = str(retry_after)
    return answer


def clean_text(text: str) -> str:
    """The message with characters that cannot be stored replaced (U+FFFD) or dropped."""
    return _UNENCODABLE.sub("\ufffd", text).replace("\x00", "")


def check_text(value: Any, field: str = "message") -> str:
    """Validates a user message: a string of at most MAX_MESSAGE_CHARS characters.
    Returns it cleaned (see clean_text)."""
    if value is None:
        raise InputError(f"Le champ « {field} » est obligatoire.", field)
    if not isinstance(value, str):
        raise InputError(f"Le champ « {field} » doit être une chaîne de caractères.", field)
    if len(value) > MAX_MESSAGE_CHARS:
        raise InputError(
            f"Le champ « {field} » dépasse {MAX_MESSAGE_CHARS} caractères.", field
        )
    return clean_text(value)


def check_sender(value: Any, field: str = "sender") -> str:
    """Validates a conversation id: a non-empty string of printable characters."""
    if not isinstance(value, str):
        raise InputError(f"Le champ « {field} » doit être une chaîne de caractères.", field)
    if not value.strip() or len(value) > MAX_SENDER_CHARS or not value.isprintable():
        raise InputError(
            f"Le champ « {field} » doit être un identifiant non vide de "
            f"{MAX_SENDER_CHARS} caractères au plus, sans caractère de contrôle.",
            field,
        )
    return value


async def handle_with_fallback(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    bot_has_spoken: Callable[[], bool],
) -> None:
    """Runs one turn; says FALLBACK_TEXT if the turn failed or produced no bot message.

    A turn fails when it raises or when Rasa logged an action failure during it (the
    action's answer is then lost even if an earlier message of the turn went out).
    """
    failed = False
    failures: list[str] = []
    token = _action_failures.set(failures)
    try:
        await on_new_message(message)
    except asyncio.CancelledError:
        # The request timed out while the turn was running (Rasa's REST channel logs and
        # answers with what it has); the user still deserves a word.
        logger.error("Tour de conversation interrompu (délai dépassé) : %s", message.sender_id)
        failed = True
    except Exception:
        logger.exception("Échec du traitement du message de %s", message.sender_id)
        failed = True
    finally:
        _action_failures.reset(token)
    failed = failed or bool(failures)
    if failed or not bot_has_spoken():
        if not failed:
            logger.warning("Aucune réponse du bot pour %s : message d'excuse envoyé",
                           message.sender_id)
        await message.output_channel.send_text_message(message.sender_id, FALLBACK_TEXT)
