"""The handoff through the real servers (trained Rasa, action server, Sanic web server,
aiosmtpd as the desk's mail server): a household asks for its summary by REST and opens the
link, then asks for a callback, answers the form, and the desk receives one e-mail."""

from __future__ import annotations

import email
import email.policy
import os
import uuid
from pathlib import Path

import pytest
import requests

from runtime.stack import RasaStack
from runtime.train import ensure_model
from runtime.webserver import Settings, serve
from tests.handoff.conftest import SmtpServer

pytestmark = pytest.mark.e2e
DESK = "repli@guichet.example.org"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("handoff-stack")
    smtp = SmtpServer().start()
    handoff_db = workdir / "handoff.db"
    settings = Settings(None, 5005, workdir / "tracker.db", "Test", "", handoff_db, None)
    web = serve("127.0.0.1", 0, settings, retention_days=None, outbox=False)
    given = os.environ.get("BOT_TEST_MODEL")
    model = Path(given) if given else ensure_model(quiet=True)
    stack = RasaStack(model=model, workdir=workdir, tracker_db=workdir / "tracker.db",
                      extra_env={"HANDOFF_DB": str(handoff_db), "HANDOFF_PUBLIC_URL": web.url,
                                 "HANDOFF_SMTP_HOST": "127.0.0.1",
                                 "HANDOFF_SMTP_PORT": str(smtp.port),
                                 "HANDOFF_SMTP_STARTTLS": "0",
                                 "HANDOFF_FALLBACK_EMAIL": DESK,
                                 "BOT_DATAFAIR_URL": "http://127.0.0.1:9"})
    stack.start()
    yield stack, web, smtp
    stack.stop()
    web.stop()
    smtp.stop()


def say(stack: RasaStack, sender: str, message: str) -> list[dict]:
    answer = requests.post(stack.rest_url, json={"sender": sender, "message": message},
                           timeout=120)
    assert answer.status_code == 200
    return answer.json()


def test_summary_by_rest_gives_a_custom_payload_whose_page_opens(servers):
    stack, web, _ = servers
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    replies = say(stack, sender, "Envoyez-moi un récapitulatif de mon projet")
    custom = [r["custom"]["summary"] for r in replies if "summary" in (r.get("custom") or {})]
    assert custom, replies
    assert custom[0]["url"].startswith(f"{web.url}/recapitulatif/")
    page = requests.get(custom[0]["url"], timeout=30)
    assert page.status_code == 200 and "Mon récapitulatif" in page.text
    assert any(custom[0]["url"] in (r.get("text") or "") for r in replies)


def test_callback_request_by_conversation_reaches_the_desk_once(servers):
    stack, _, smtp = servers
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    turns = ["je voudrais qu'un conseiller me rappelle", "Élodie", "06 12 34 56 78",
             "le matin", "/affirm"]
    texts = ["\n".join(r.get("text") or "" for r in say(stack, sender, turn)) for turn in turns]
    assert "prénom" in texts[0]
    assert "téléphone" in texts[1] and "rappelé" in texts[2] and "d'accord" in texts[3]
    assert texts[4].startswith("Votre demande a été transmise"), texts
    [envelope] = [e for e in smtp.mailbox.messages if "Élodie".encode() in e.content
                  or b"=C3=89lodie" in e.content]
    assert envelope.rcpt_tos == [DESK]
    mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert "06 12 34 56 78" in mail.get_body(("plain",)).get_content()
    cancel = "\n".join(r.get("text") or "" for r in say(stack, sender, "annuler ma demande"))
    assert "déjà été transmise" in cancel
