"""Sending one outbox item: by SMTP (settings from the environment, STARTTLS) or by a JSON
webhook signed with HMAC-SHA256. Errors are sorted into « try again later » (TransientError:
server down, 4xx) and « will never work » (PermanentError: 5xx, refused recipient)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import requests


class TransientError(Exception):
    """Worth retrying later."""


class PermanentError(Exception):
    """Retrying will not help (bad address, refused message)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout_s: float = 10.0
    tls_verify: bool = True

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        host = os.environ.get("HANDOFF_SMTP_HOST", "").strip()
        if not host:
            return None
        return cls(host=host, port=int(os.environ.get("HANDOFF_SMTP_PORT") or 587),
                   sender=os.environ.get("HANDOFF_SMTP_FROM") or "assistant@localhost",
                   user=os.environ.get("HANDOFF_SMTP_USER") or None,
                   password=os.environ.get("HANDOFF_SMTP_PASSWORD") or None,
                   starttls=os.environ.get("HANDOFF_SMTP_STARTTLS", "1") != "0",
                   tls_verify=os.environ.get("HANDOFF_SMTP_TLS_VERIFY", "1") != "0")


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    secret: str
    timeout_s: float = 10.0

    @classmethod
    def from_env(cls) -> WebhookSettings | None:
        url = os.environ.get("HANDOFF_WEBHOOK_URL", "").strip()
        secret = os.environ.get("HANDOFF_WEBHOOK_SECRET", "")
        return cls(url, secret) if url and secret else None


def build_email(settings: SmtpSettings, to: str, subject: str, body: str, message_id: str,
                attachment: bytes | None = None) -> EmailMessage:
    """The e-mail; EmailMessage refuses CR/LF in header values (no header injection)."""
    message = EmailMessage()
    message["From"] = formataddr(("Assistant rénovation énergétique", settings.sender))
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid()
    message.set_content(body)
    if attachment:
        message.add_attachment(attachment, maintype="application", subtype="pdf",
                               filename="recapitulatif.pdf")
    return message


def send_email(settings: SmtpSettings, message: EmailMessage) -> None:
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s) as smtp:
            if settings.starttls:
                context = ssl.create_default_context()
                if not settings.tls_verify:
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                smtp.starttls(context=context)
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentError("adresse du destinataire refusée") from error
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600:
            raise PermanentError(f"refus du serveur ({error.smtp_code})") from error
        raise TransientError(f"serveur indisponible ({error.smtp_code})") from error
    except (OSError, smtplib.SMTPException) as error:
        raise TransientError(f"serveur injoignable ({type(error).__name__})") from error


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def send_webhook(settings: WebhookSettings, payload: dict, idempotency_key: str) -> None:
    """POSTs the JSON; the receiver checks X-Signature-256 and may de-duplicate on
    Idempotency-Key (the outbox may retry after a lost answer)."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    try:
        response = requests.post(settings.url, data=body, timeout=settings.timeout_s, headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Signature-256": signature(settings.secret, body),
            "Idempotency-Key": idempotency_key})
    except requests.RequestException as error:
        raise TransientError(f"webhook injoignable ({type(error).__name__})") from error
    if response.status_code >= 500 or response.status_code == 429:
        raise TransientError(f"webhook indisponible ({response.status_code})")
    if response.status_code >= 400:
        raise PermanentError(f"webhook a refusé la demande ({response.status_code})")
