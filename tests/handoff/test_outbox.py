"""Callback requests reach the desk through the durable outbox: a real SMTP server (aiosmtpd on
127.0.0.1) and a local webhook receiver; delivery, outage, duplicates, bad addresses,
header injection, withdrawal and erasure."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import threading
import time

import pytest

from bot.errors import ProfileError
from bot.handoff import outbox, store
from bot.handoff.contact import check_contact, check_first_name, check_phone, check_slot
from bot.handoff.delivery import SmtpSettings, WebhookSettings
from bot.handoff.summary import build_summary
from tests.handoff.conftest import SmtpServer

DESK = "desk@laure.example.org"


def smtp_for(server: SmtpServer) -> SmtpSettings:
    return SmtpSettings("127.0.0.1", server.port, "assistant@example.org", starttls=False,
                        timeout_s=3)


def request(first_name: str = "Élodie", contact: str = "06 12 34 56 78",
            token: str | None = None) -> dict:
    kind, clean = check_contact(contact)
    return {"first_name": check_first_name(first_name), "contact_kind": kind,
            "contact": clean, "slot": "matin", "slot_label": "le matin", "commune": "Amiens",
            "desk": "LAURE", "summary_token": token,
            "summary_url": f"http://127.0.0.1:8080/recapitulatif/{token}" if token else None}


def parsed(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def test_a_request_is_delivered_by_email_with_the_summary_attached(smtp_server, family):
    token = store.save_summary("élodie-web", build_summary(family))
    ids = outbox.enqueue("élodie-web", request(token=token), {"smtp": DESK})
    assert outbox.states(ids) == ["pending"]
    counts = outbox.deliver_due(smtp=smtp_for(smtp_server),
                                attachment_for=lambda t: b"%PDF-1.7 test" if t == token else None)
    assert counts == {"sent": 1, "retry": 0, "rejected": 0}
    assert outbox.states(ids) == ["sent"]
    [envelope] = smtp_server.mailbox.messages
    assert envelope.rcpt_tos == [DESK]
    message = parsed(envelope)
    assert message["Subject"] == "Demande de rappel — Amiens"  # no name in the subject
    body = message.get_body(("plain",)).get_content()
    assert "Prénom : Élodie" in body and "Téléphone : 06 12 34 56 78" in body
    assert f"/recapitulatif/{token}" in body and "le matin" in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "recapitulatif.pdf"
    assert attachment.get_content() == b"%PDF-1.7 test"


def test_the_same_request_twice_sends_one_email(smtp_server):
    first = outbox.enqueue("jean", request("Jean"), {"smtp": DESK})
    again = outbox.enqueue("jean", request("Jean"), {"smtp": DESK})
    assert first == again
    outbox.deliver_due(smtp=smtp_for(smtp_server))
    outbox.deliver_due(smtp=smtp_for(smtp_server))
    assert len(smtp_server.mailbox.messages) == 1


def test_a_refused_address_is_not_retried_forever(smtp_server):
    ids = outbox.enqueue("paul", request("Paul"), {"smtp": "guichet@invalid.test"})
    assert outbox.deliver_due(smtp=smtp_for(smtp_server))["rejected"] == 1
    assert outbox.states(ids) == ["rejected"]
    assert outbox.deliver_due(smtp=smtp_for(smtp_server), now=time.time() + 3600) == {
        "sent": 0, "retry": 0, "rejected": 0}
    assert smtp_server.mailbox.messages == []


@pytest.mark.parametrize("name", ["Jean\r\nBcc: tous@example.org", "Jean\nSubject: promo",
                                  "Jean%0d%0aBcc:x@y.fr", "<script>", "", " ", "x" * 41, 42,
                                  None, "Jean\u2028Bcc: a@b.fr"])
def test_names_that_could_forge_a_header_or_are_not_names_are_refused(name):
    with pytest.raises(ProfileError) as error:
        check_first_name(name)
    assert str(error.value)[0].isupper() and "Traceback" not in str(error.value)


def test_header_injection_cannot_reach_the_desk_even_past_the_checks(smtp_server):
    """If a caller skipped the checks, the e-mail still gets no extra header or recipient."""
    forged = request() | {"first_name": "Jean\r\nBcc: tous@example.org",
                          "commune": "Amiens\r\nBcc: tous@example.org"}
    outbox.enqueue("forger", forged, {"smtp": DESK})
    outbox.deliver_due(smtp=smtp_for(smtp_server))
    sent = smtp_server.mailbox.messages
    assert all(e.rcpt_tos == [DESK] for e in sent)
    for envelope in sent:
        assert parsed(envelope)["Bcc"] is None
        assert b"\nBcc:" not in envelope.content.split(b"\r\n\r\n", 1)[0]


def test_french_phone_numbers_and_emails_are_checked():
    assert check_phone("+33 6 12 34 56 78") == "06 12 34 56 78"
    assert check_phone("0033612345678") == "06 12 34 56 78"
    assert check_phone("03.22.33.44.55") == "03 22 33 44 55"
    assert check_contact("Elodie.Martin@exemple.fr") == ("email", "Elodie.Martin@exemple.fr")
    for bad in ("06 12 34", "12 34 56 78 90", "+44 20 7946 0958", "a@b", "a@@b.fr",
                "x@exemple.fr\r\nBcc: y@z.fr", "a..b@exemple.fr"):
        with pytest.raises(ProfileError):
            check_contact(bad)
    assert check_slot("plutôt l'après-midi") == "apres-midi"
    assert check_slot("le matin svp") == "matin"
    with pytest.raises(ProfileError):
        check_slot("mardi")


def test_webhook_is_signed_and_carries_the_request(webhook):
    settings = WebhookSettings(webhook.url, "secret-partagé")
    ids = outbox.enqueue("lea", request("Léa", "lea@exemple.fr"), {"webhook": webhook.url})
    assert outbox.deliver_due(webhook=settings)["sent"] == 1
    assert outbox.states(ids) == ["sent"]
    [call] = webhook.received
    expected = "sha256=" + hmac.new("secret-partagé".encode(), call["body"],
                                    hashlib.sha256).hexdigest()
    assert call["signature"] == expected
    assert call["json"]["request"]["contact"] == "lea@exemple.fr"
    assert call["key"] == call["json"]["id"]


def test_webhook_down_is_retried_with_backoff(webhook, monkeypatch):
    monkeypatch.setenv("HANDOFF_RETRY_BASE_S", "60")
    webhook.status = 503
    settings = WebhookSettings(webhook.url, "s")
    ids = outbox.enqueue("marc", request("Marc"), {"webhook": webhook.url})
    assert outbox.deliver_due(webhook=settings)["retry"] == 1
    assert outbox.states(ids) == ["pending"]
    assert outbox.deliver_due(webhook=settings)["retry"] == 0  # not due before the backoff
    webhook.status = 200
    assert outbox.deliver_due(webhook=settings, now=time.time() + 61)["sent"] == 1
    assert len(webhook.received) == 2


def test_withdrawal_before_sending_sends_nothing_and_after_sending_warns_the_desk(smtp_server):
    ids = outbox.enqueue("anne", request("Anne"), {"smtp": DESK})
    assert outbox.withdraw("anne") == {"withdrawn": 1, "cancellations": 0}
    outbox.deliver_due(smtp=smtp_for(smtp_server))
    assert smtp_server.mailbox.messages == [] and outbox.states(ids) == ["withdrawn"]

    outbox.enqueue("bruno", request("Bruno"), {"smtp": DESK})
    outbox.deliver_due(smtp=smtp_for(smtp_server))
    assert outbox.withdraw("bruno") == {"withdrawn": 0, "cancellations": 1}
    outbox.deliver_due(smtp=smtp_for(smtp_server))
    subjects = [parsed(e)["Subject"] for e in smtp_server.mailbox.messages]
    assert subjects == ["Demande de rappel — Amiens", "Annulation d'une demande de rappel — Amiens"]


def test_erasing_the_conversation_erases_its_outbox_items():
    outbox.enqueue("carla", request("Carla"), {"smtp": DESK})
    outbox.enqueue("dan", request("Dan"), {"smtp": DESK})
    assert store.erase_sender("carla") == 1
    assert [item["state"] for item in outbox.pending_for("carla")] == []
    assert len(outbox.pending_for("dan")) == 1


def test_server_down_for_30_seconds_during_20_requests_then_all_20_arrive_once(monkeypatch):
    """The outage test of issue 14: the mail server is stopped while 20 households ask for a
    callback; the background worker retries; when the server is back, each arrives once."""
    monkeypatch.setenv("HANDOFF_RETRY_BASE_S", "1")
    monkeypatch.setenv("HANDOFF_RETRY_MAX_S", "4")
    server = SmtpServer()  # port chosen, not listening: the server is down
    worker = outbox.Worker(poll_s=0.5, smtp=smtp_for(server)).start()
    started = time.monotonic()
    try:
        for number in range(20):
            outbox.enqueue(f"menage-{number}", request(contact=f"06 00 00 00 {number:02d}"),
                           {"smtp": DESK})
            time.sleep(1.0)
        time.sleep(max(0.0, 30 - (time.monotonic() - started)))
        assert server.mailbox.messages == []
        server.start()
        outage_s = time.monotonic() - started
        deadline = time.monotonic() + 30
        while len(server.mailbox.messages) < 20 and time.monotonic() < deadline:
            time.sleep(0.2)
        recovered_s = time.monotonic() - started - outage_s
        time.sleep(2)  # a late duplicate would show now
    finally:
        worker.stop()
        server.stop()
    contacts = sorted(parsed(e).get_body(("plain",)).get_content().split("Téléphone : ")[1]
                      .split("\n")[0].strip() for e in server.mailbox.messages)
    assert contacts == [f"06 00 00 00 {n:02d}" for n in range(20)]
    print(f"\npanne SMTP {outage_s:.0f} s, 20 demandes ; toutes remises "
          f"{recovered_s:.1f} s après le retour du serveur, 0 doublon")
    assert threading.active_count() < 50
