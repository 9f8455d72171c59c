"""SMTP with STARTTLS and a login, as a real desk's server asks: aiosmtpd on 127.0.0.1 with a
self-signed certificate (made here with `cryptography`), STARTTLS and AUTH required."""

from __future__ import annotations

import datetime as dt
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.handoff import outbox
from bot.handoff.delivery import SmtpSettings
from tests.handoff.conftest import Mailbox, free_port


def self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    return context


@pytest.fixture
def tls_server(tmp_path):
    mailbox = Mailbox()

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"guichet" and auth_data.password == b"mot-de-passe"
        return AuthResult(success=ok)

    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port,
                            tls_context=self_signed(tmp_path), require_starttls=True,
                            authenticator=authenticate, auth_required=True)
    controller.start()
    yield port, mailbox
    controller.stop()


def request() -> dict:
    return {"first_name": "Léa", "contact": "06 11 22 33 44", "contact_kind": "phone",
            "commune": "Abbeville", "desk": "Guichet"}


def test_starttls_and_login_deliver(tls_server):
    port, mailbox = tls_server
    settings = SmtpSettings("127.0.0.1", port, "assistant@example.org", user="guichet",
                            password="mot-de-passe", tls_verify=False)
    ids = outbox.enqueue("lea", request(), {"smtp": "desk@example.org"})
    assert outbox.deliver_due(smtp=settings)["sent"] == 1
    assert outbox.states(ids) == ["sent"] and len(mailbox.messages) == 1


def test_without_starttls_the_server_refuses_and_nothing_is_lost(tls_server):
    port, mailbox = tls_server
    plain = SmtpSettings("127.0.0.1", port, "assistant@example.org", user="guichet",
                         password="mot-de-passe", starttls=False)
    ids = outbox.enqueue("lea", request(), {"smtp": "desk@example.org"})
    outbox.deliver_due(smtp=plain)
    # A configuration mistake, not a refusal of this message: kept and retried (and visible
    # in the dashboard as « en attente »), never dropped.
    assert mailbox.messages == [] and outbox.states(ids) == ["pending"]


def test_an_unverified_certificate_is_refused_by_default(tls_server):
    port, mailbox = tls_server
    strict = SmtpSettings("127.0.0.1", port, "assistant@example.org", user="guichet",
                          password="mot-de-passe")
    ids = outbox.enqueue("lea", request(), {"smtp": "desk@example.org"})
    assert outbox.deliver_due(smtp=strict)["retry"] == 1
    assert mailbox.messages == [] and outbox.states(ids) == ["pending"]
