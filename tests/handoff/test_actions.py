"""The handoff's actions from the household's side: slots as the dialogue filled them, the
summary link, the callback form's checks, and what the household is told about delivery
(real SMTP server on 127.0.0.1; « transmise » only once the server accepted it)."""

from __future__ import annotations

import asyncio
import email
import email.policy

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import (
    ActionCancelRequest,
    ActionEraseData,
    ActionSubmitCallback,
    ActionSummary,
    ValidateCallbackForm,
)
from bot.handoff import outbox, store
from tests.handoff.conftest import SmtpServer

FAMILY_SLOTS = {"postal_code": "80000", "housing_type": "house", "occupancy": "owner_occupier",
                "construction_year": 1975, "surface_m2": 100, "heating_energy": "fuel_oil",
                "dpe_class": "F", "household_size": 3, "reference_income": 32000,
                "works": ["attic_insulation", "air_water_heat_pump"],
                "size_attic_insulation": 80}
CALLBACK = {"callback_first_name": "Élodie", "callback_contact": "06 12 34 56 78",
            "callback_slot": "matin", "callback_consent": True}
DESK = "laure@amiens.example.org"


def tracker(sender: str, slots: dict) -> Tracker:
    events = [{"event": "slot", "name": k, "value": v} for k, v in slots.items()]
    return Tracker(sender, dict(slots), {"intent": {"name": "request_summary"}, "entities": [],
                                         "text": ""}, events, False, None, None, "action_listen")


def run(action, sender: str, slots: dict) -> tuple[list[dict], list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(sender, slots), {}))
    return dispatcher.messages, events


@pytest.fixture
def desk_mail(monkeypatch):
    server = SmtpServer().start()
    monkeypatch.setenv("HANDOFF_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HANDOFF_SMTP_PORT", str(server.port))
    monkeypatch.setenv("HANDOFF_SMTP_STARTTLS", "0")
    monkeypatch.setenv("HANDOFF_SMTP_FROM", "assistant@example.org")
    monkeypatch.setenv("HANDOFF_AMIENS_DESK_EMAIL", DESK)
    monkeypatch.setenv("HANDOFF_PUBLIC_URL", "https://renov.example.org")
    yield server
    server.stop()


def test_summary_link_is_given_as_text_and_custom_payload(monkeypatch):
    monkeypatch.setenv("HANDOFF_PUBLIC_URL", "https://renov.example.org/")
    [message], _ = run(ActionSummary(), "web-abc", FAMILY_SLOTS)
    url = message["custom"]["summary"]["url"]
    assert url.startswith("https://renov.example.org/recapitulatif/")
    assert message["custom"]["summary"]["pdf_url"] == url + ".pdf"
    assert url in message["text"] and "30 jours" in message["text"]
    assert "80000" not in url and "web-abc" not in url
    summary, _ = store.load_summary(url.rsplit("/", 1)[1])
    assert {f["label"]: f["value"] for f in summary["home"]}["Commune"] == "80000 Amiens"


def test_summary_with_an_impossible_profile_says_why_in_french():
    [message], _ = run(ActionSummary(), "web-x", {"postal_code": "99999"})
    assert message["text"].startswith("Je ne peux pas préparer le récapitulatif : ")
    assert "Traceback" not in message["text"]


def test_callback_form_refuses_bad_answers_with_the_reason():
    form, dispatcher = ValidateCallbackForm(), CollectingDispatcher()
    assert form.validate_callback_first_name("Jean\r\nBcc: x@y.fr", dispatcher, None, {}) == {
        "callback_first_name": None}
    assert form.validate_callback_contact("06 12", dispatcher, None, {}) == {
        "callback_contact": None}
    assert form.validate_callback_contact("+33 6 12 34 56 78", dispatcher, None, {}) == {
        "callback_contact": "06 12 34 56 78"}
    assert form.validate_callback_slot("plutôt le matin", dispatcher, None, {}) == {
        "callback_slot": "matin"}
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith("Le prénom contient des caractères non autorisés")
    assert "numéro français valide" in texts[1]


def test_request_reaches_the_amiens_desk_and_the_household_is_told_transmise(desk_mail):
    [message], events = run(ActionSubmitCallback(), "web-elodie", FAMILY_SLOTS | CALLBACK)
    assert message["text"].startswith("Votre demande a été transmise à LAURE")
    assert "le matin" in message["text"] and "annuler ma demande" in message["text"]
    assert all(e["value"] is None for e in events)  # the form's answers are not kept
    [envelope] = desk_mail.mailbox.messages
    assert envelope.rcpt_tos == [DESK]
    mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
    body = mail.get_body(("plain",)).get_content()
    assert "Prénom : Élodie" in body and "https://renov.example.org/recapitulatif/" in body
    [pdf] = list(mail.iter_attachments())
    assert pdf.get_content().startswith(b"%PDF")


def test_mail_server_down_the_household_is_told_it_will_be_sent(desk_mail):
    desk_mail.stop()
    [message], _ = run(ActionSubmitCallback(), "web-paul", FAMILY_SLOTS | CALLBACK)
    assert "sera transmise dès que possible à LAURE" in message["text"]
    assert [i["state"] for i in outbox.pending_for("web-paul")] == ["pending"]
    [cancelled], _ = run(ActionCancelRequest(), "web-paul", {})
    assert cancelled["text"] == "Votre demande de rappel est annulée : elle ne sera pas envoyée."
    assert [i["state"] for i in outbox.pending_for("web-paul")] == ["withdrawn"]


def test_without_consent_nothing_is_sent(desk_mail):
    [message], _ = run(ActionSubmitCallback(), "web-no",
                       FAMILY_SLOTS | CALLBACK | {"callback_consent": False})
    assert message["text"].startswith("Entendu : rien n'est envoyé.")
    assert desk_mail.mailbox.messages == [] and outbox.pending_for("web-no") == []


def test_no_desk_configured_says_so_and_gives_the_national_number(monkeypatch):
    for name in ("HANDOFF_SMTP_HOST", "HANDOFF_WEBHOOK_URL", "HANDOFF_FALLBACK_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    [message], _ = run(ActionSubmitCallback(), "web-z", FAMILY_SLOTS | CALLBACK)
    assert "aucun guichet n'est configuré" in message["text"] and "0 808 800 700" in message["text"]


def test_erase_data_removes_summaries_and_requests(desk_mail):
    run(ActionSummary(), "web-e", FAMILY_SLOTS)
    desk_mail.stop()
    run(ActionSubmitCallback(), "web-e", FAMILY_SLOTS | CALLBACK)
    [message], _ = run(ActionEraseData(), "web-e", {})
    assert message["text"].startswith("Vos récapitulatifs et demandes de rappel sont effacés.")
    assert outbox.pending_for("web-e") == []
    with store.connect() as db:
        assert db.execute("SELECT COUNT(*) FROM summaries").fetchone()[0] == 0


def test_no_personal_data_in_info_logs(desk_mail, caplog):
    """Names, phone numbers, incomes and the summary's token stay out of the INFO logs,
    whether the desk's server answers or not."""
    caplog.set_level("INFO")
    [sent], _ = run(ActionSubmitCallback(), "web-logs", FAMILY_SLOTS | CALLBACK)
    desk_mail.stop()
    run(ActionSubmitCallback(), "web-logs-2", FAMILY_SLOTS | CALLBACK)
    [summary], _ = run(ActionSummary(), "web-logs-3", FAMILY_SLOTS)
    token = summary["custom"]["summary"]["url"].rsplit("/", 1)[1]
    logged = "\n".join(record.getMessage() for record in caplog.records
                       if record.levelno >= 20)
    assert "Boîte d'envoi" in logged  # something is logged, so the check means something
    for personal in ("Élodie", "06 12 34 56 78", "0612345678", "32000", "32 000", token,
                     "web-logs"):
        assert personal not in logged
