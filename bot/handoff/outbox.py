"""The durable outbox of callback requests (table `outbox` of bot.handoff.store's file).

A request is written first, then sent; a failed send is retried with exponential backoff
until the server accepts it, so nothing is lost when the mail server or webhook is down.
One request = one row per transport (UNIQUE request_key: a repeated request is suppressed),
claimed with a lease before sending (two workers never send the same row at once).

    python -m bot.handoff.outbox deliver [--loop]     # what the web server does in background
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.handoff.delivery import (
    PermanentError,
    SmtpSettings,
    TransientError,
    WebhookSettings,
    build_email,
    send_email,
    send_webhook,
)
from bot.handoff.store import connect, sender_key

logger = logging.getLogger("bot.handoff.outbox")
LEASE_S = 120.0  # a claimed row whose worker died is taken again after this


def _float_env(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name) or default)
    except ValueError:
        return default


def backoff_s(attempts: int) -> float:
    """Wait before the next try: base × 2^(attempts-1), capped (HANDOFF_RETRY_BASE_S, _MAX_S)."""
    base = _float_env("HANDOFF_RETRY_BASE_S", 10.0)
    cap = _float_env("HANDOFF_RETRY_MAX_S", 900.0)
    return min(base * 2 ** max(attempts - 1, 0), cap)


def enqueue(sender_id: str, request: dict[str, Any], transports: dict[str, str],
            db: Path | None = None, now: float | None = None) -> list[int]:
    """Stores the request once per transport ({"smtp": address, "webhook": url}); returns the
    row ids (the existing ones when the same request was already stored)."""
    moment = time.time() if now is None else now
    key = sender_key(sender_id)
    identity = json.dumps([key, request.get("contact"), request.get("summary_token"),
                           request.get("kind", "callback")], ensure_ascii=False)
    ids = []
    with closing(connect(db)) as connection:
        for transport, destination in sorted(transports.items()):
            request_key = hashlib.sha256(f"{identity}|{transport}".encode()).hexdigest()
            connection.execute(
                "INSERT OR IGNORE INTO outbox (request_key, sender_key, created, transport, "
                "destination, desk, payload, next_attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (request_key, key, moment, transport, destination, request.get("desk", ""),
                 json.dumps(request, ensure_ascii=False), moment))
            ids.append(connection.execute("SELECT id FROM outbox WHERE request_key = ?",
                                          (request_key,)).fetchone()[0])
    return ids


def states(ids: list[int], db: Path | None = None) -> list[str]:
    if not ids:
        return []
    with closing(connect(db)) as connection:
        marks = ",".join("?" * len(ids))
        return [row[0] for row in connection.execute(
            f"SELECT state FROM outbox WHERE id IN ({marks})", ids)]


def pending_for(sender_id: str, db: Path | None = None) -> list[dict[str, Any]]:
    with closing(connect(db)) as connection:
        return [{"id": r[0], "state": r[1], "kind": json.loads(r[2]).get("kind", "callback")}
                for r in connection.execute(
                    "SELECT id, state, payload FROM outbox WHERE sender_key = ? ORDER BY id",
                    (sender_key(sender_id),))]


def withdraw(sender_id: str, db: Path | None = None, now: float | None = None
             ) -> dict[str, int]:
    """The household cancels: unsent rows are withdrawn; for rows already sent, a
    cancellation notice is queued to the same desk. Returns both counts."""
    moment = time.time() if now is None else now
    key = sender_key(sender_id)
    with closing(connect(db)) as connection:
        withdrawn = connection.execute(
            "UPDATE outbox SET state = 'withdrawn' WHERE sender_key = ? AND state IN "
            "('pending', 'sending') AND json_extract(payload, '$.kind') IS NOT 'cancellation'",
            (key,)).rowcount
        sent = connection.execute(
            "SELECT transport, destination, payload FROM outbox WHERE sender_key = ? AND "
            "state = 'sent' AND json_extract(payload, '$.kind') IS NOT 'cancellation'",
            (key,)).fetchall()
    notices = 0
    for transport, destination, payload in sent:
        request = json.loads(payload) | {"kind": "cancellation"}
        notices += len(enqueue(sender_id, request, {transport: destination}, db, moment))
    return {"withdrawn": withdrawn, "cancellations": notices}


def email_text(request: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) in French. The subject names no one (it shows in mailbox lists).
    Line breaks in the household's words are flattened: they cannot forge a line."""
    request = {key: " ".join(value.split()) if isinstance(value, str) else value
               for key, value in request.items()}
    commune = request.get("commune") or "commune non indiquée"
    if request.get("kind") == "cancellation":
        return (f"Annulation d'une demande de rappel — {commune}",
                f"Bonjour,\n\n{request.get('first_name')} annule sa demande de rappel "
                f"({request.get('contact')}). Merci de ne pas donner suite.\n")
    lines = [
        "Bonjour,", "",
        "Un ménage demande à être rappelé par votre Espace Conseil France Rénov', avec son "
        "accord exprès, depuis l'assistant rénovation énergétique.", "",
        f"Prénom : {request.get('first_name')}",
        f"{'Téléphone' if request.get('contact_kind') == 'phone' else 'E-mail'} : "
        f"{request.get('contact')}",
        f"Créneau souhaité : {request.get('slot_label') or request.get('slot')}",
        f"Commune : {commune}", "",
    ]
    if request.get("summary_url"):
        lines += [f"Son récapitulatif (valable 30 jours) : {request['summary_url']}",
                  "Le même récapitulatif est joint en PDF.", ""]
    lines += ["Ce message est envoyé automatiquement ; le ménage peut annuler sa demande."]
    return f"Demande de rappel — {commune}", "\n".join(lines) + "\n"


def _send(row: tuple, smtp: SmtpSettings | None, webhook: WebhookSettings | None,
          attachment_for: Callable[[str], bytes | None] | None) -> None:
    _, request_key, transport, destination, payload = row
    request = json.loads(payload)
    if transport == "smtp":
        if smtp is None:
            raise TransientError("SMTP non configuré")
        subject, body = email_text(request)
        pdf = None
        if attachment_for and request.get("summary_token") and \
                request.get("kind") != "cancellation":
            pdf = attachment_for(request["summary_token"])
        try:
            message = build_email(smtp, destination, subject, body,
                                  f"<{request_key[:32]}@assistant-renovation>", pdf)
        except ValueError as error:  # header values with CR/LF, malformed address
            raise PermanentError("message invalide") from error
        send_email(smtp, message)
    elif transport == "webhook":
        if webhook is None:
            raise TransientError("webhook non configuré")
        send_webhook(webhook, {"request": request, "id": request_key}, request_key)
    else:
        raise PermanentError(f"transport inconnu : {transport}")


def deliver_due(db: Path | None = None, smtp: SmtpSettings | None = None,
                webhook: WebhookSettings | None = None,
                attachment_for: Callable[[str], bytes | None] | None = None,
                now: float | None = None, limit: int = 50,
                only_ids: list[int] | None = None) -> dict[str, int]:
    """Sends the due rows (or only `only_ids` if due); returns counts by outcome."""
    moment = time.time() if now is None else now
    counts = {"sent": 0, "retry": 0, "rejected": 0}
    max_attempts = int(_float_env("HANDOFF_MAX_ATTEMPTS", 200))
    with closing(connect(db)) as connection:
        query = ("SELECT id, request_key, transport, destination, payload FROM outbox WHERE "
                 "state IN ('pending', 'sending') AND next_attempt <= ?")
        params: list[Any] = [moment]
        if only_ids:
            query += f" AND id IN ({','.join('?' * len(only_ids))})"
            params += only_ids
        rows = connection.execute(query + " ORDER BY id LIMIT ?", [*params, limit]).fetchall()
        for row in rows:
            claimed = connection.execute(
                "UPDATE outbox SET state = 'sending', next_attempt = ?, attempts = attempts + 1 "
                "WHERE id = ? AND state IN ('pending', 'sending') AND next_attempt <= ?",
                (time.time() + LEASE_S, row[0], moment)).rowcount
            if not claimed:
                continue  # another worker took it
            try:
                _send(row, smtp, webhook, attachment_for)
            except PermanentError as error:
                _finish(connection, row[0], "rejected", str(error))
                counts["rejected"] += 1
            except (TransientError, sqlite3.Error, OSError) as error:
                attempts = connection.execute("SELECT attempts FROM outbox WHERE id = ?",
                                              (row[0],)).fetchone()[0]
                state = "failed" if attempts >= max_attempts else "pending"
                connection.execute(
                    "UPDATE outbox SET state = ?, next_attempt = ?, last_error = ? WHERE id = ?",
                    (state, time.time() + backoff_s(attempts), str(error), row[0]))
                counts["retry"] += 1
            else:
                _finish(connection, row[0], "sent", None)
                counts["sent"] += 1
    if any(counts.values()):
        logger.info("Boîte d'envoi : %(sent)d envoyé(s), %(retry)d à réessayer, "
                    "%(rejected)d refusé(s)", counts)
    return counts


def _finish(connection: sqlite3.Connection, row_id: int, state: str, error: str | None) -> None:
    connection.execute("UPDATE outbox SET state = ?, last_error = ?, sent_at = ? WHERE id = ? "
                       "AND state = 'sending'", (state, error, time.time(), row_id))


class Worker:
    """Delivers due rows every `poll_s` seconds in a daemon thread until stop()."""

    def __init__(self, db: Path | None = None, poll_s: float = 5.0,
                 attachment_for: Callable[[str], bytes | None] | None = None,
                 smtp: SmtpSettings | None = None, webhook: WebhookSettings | None = None
                 ) -> None:
        self.db, self.poll_s, self.attachment_for = db, poll_s, attachment_for
        self.smtp = smtp or SmtpSettings.from_env()
        self.webhook = webhook or WebhookSettings.from_env()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="outbox")

    def start(self) -> Worker:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                deliver_due(self.db, self.smtp, self.webhook, self.attachment_for)
            except Exception:  # never let the thread die: the next round tries again
                logger.exception("Boîte d'envoi : erreur inattendue")
            self._stop.wait(self.poll_s)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.handoff.outbox",
                                     description="Envoie les demandes de rappel en attente.")
    parser.add_argument("command", choices=["deliver"])
    parser.add_argument("--loop", action="store_true", help="continue toutes les 5 secondes")
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    from bot.handoff.render import summary_pdf
    if args.loop:
        worker = Worker(args.db, attachment_for=lambda t: summary_pdf(t, args.db)).start()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            worker.stop()
        return 0
    counts = deliver_due(args.db, SmtpSettings.from_env(), WebhookSettings.from_env(),
                         lambda t: summary_pdf(t, args.db))
    print(f"{counts['sent']} envoyé(s), {counts['retry']} à réessayer, "
          f"{counts['rejected']} refusé(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
