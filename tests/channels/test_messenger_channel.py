"""The Messenger connector over real HTTP: signatures, handshake, replies through a local
Graph API stub, fallback; a scripted dialogue stands in for Rasa (the real one is in
test_channels_e2e.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time

import pytest
import requests

from channels.common import FALLBACK_TEXT
from channels.messenger import (
    DEFAULT_GRAPH_API_URL,
    ONLY_TEXT_TEXT,
    MessengerInput,
    signature_is_valid,
)

APP_SECRET = secrets.token_hex(16)
VERIFY_TOKEN = secrets.token_urlsafe(12)
PAGE_TOKEN = "test-page-token-" + secrets.token_hex(8)


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def page_event(*events: dict) -> bytes:
    return json.dumps({"object": "page", "entry": [
        {"id": "PAGE", "time": 1, "messaging": list(events)}
    ]}).encode()


def text_event(sender: str, text: str) -> dict:
    return {"sender": {"id": sender}, "recipient": {"id": "PAGE"}, "timestamp": 1,
            "message": {"mid": "m1", "text": text}}


@pytest.fixture(scope="module")
def graph_stub(graph_api):
    return graph_api


@pytest.fixture(scope="module")
def messenger(serve_channels, graph_stub):
    channel = MessengerInput.from_credentials({
        "verify": VERIFY_TOKEN, "secret": APP_SECRET, "page-access-token": PAGE_TOKEN,
        "graph-api-url": graph_stub.base_url,
    })
    server, dialogue = serve_channels(channel)
    return server, dialogue


@pytest.fixture
def post(messenger, graph_stub):
    server, _ = messenger
    graph_stub.requests.clear()

    def send(body: bytes, headers: dict | None = None) -> requests.Response:
        return requests.post(f"{server.url}/webhooks/facebook/webhook", data=body,
                             headers={"Content-Type": "application/json", **(headers or {})},
                             timeout=30)

    return send


def test_signature_check_is_hmac_sha256_of_the_raw_body():
    body = b'{"object":"page"}'
    assert signature_is_valid(APP_SECRET, body, sign(body))
    assert not signature_is_valid(APP_SECRET, body + b" ", sign(body))
    assert not signature_is_valid(APP_SECRET, body, sign(body, "autre-secret"))
    assert not signature_is_valid(APP_SECRET, body, sign(body).replace("sha256=", "sha1="))
    assert not signature_is_valid(APP_SECRET, body, None)
    assert not signature_is_valid(APP_SECRET, body, "sha256=")
    assert not signature_is_valid(APP_SECRET, body, "sha256=é" + "0" * 63)


def test_signed_message_is_answered_through_the_graph_api(post, graph_stub, messenger):
    _, dialogue = messenger
    body = page_event(text_event("psid-1", "bonjour"))
    response = post(body, {"X-Hub-Signature-256": sign(body)})
    assert (response.status_code, response.text) == (200, "EVENT_RECEIVED")
    assert graph_stub.wait_for(1) == [{
        "path": f"/v25.0/me/messages?access_token={PAGE_TOKEN}",
        "content_type": "application/json",
        "body": {"recipient": {"id": "psid-1"}, "messaging_type": "RESPONSE",
                 "message": {"text": "Vous avez dit : «bonjour»"}},
    }]
    assert dialogue.received[-1].sender_id == "psid-1"
    assert dialogue.received[-1].input_channel == "facebook"


@pytest.mark.parametrize("headers", [
    {},
    {"X-Hub-Signature-256": "sha256=" + "0" * 64},
    {"X-Hub-Signature-256": "sha256=nothex"},
    {"X-Hub-Signature": "sha1=" + "0" * 40},
    {"X-Hub-Signature-256": "sha256=\u00e9" + "0" * 63},
], ids=["unsigned", "forged", "garbage", "sha1-only", "non-ascii"])
def test_unsigned_or_forged_requests_are_refused_with_403(post, graph_stub, messenger, headers):
    _, dialogue = messenger
    before = len(dialogue.received)
    response = post(page_event(text_event("psid-2", "bonjour")), headers)
    assert response.status_code == 403
    assert response.json() == {"error": "Signature invalide."}
    assert len(dialogue.received) == before and graph_stub.requests == []


def test_a_body_changed_after_signing_is_refused(post, graph_stub):
    body = page_event(text_event("psid-2", "bonjour"))
    tampered = body.replace(b"bonjour", b"BONJOUR")
    assert post(tampered, {"X-Hub-Signature-256": sign(body)}).status_code == 403
    assert graph_stub.requests == []


def test_buttons_become_quick_replies_and_a_click_comes_back_as_the_payload(
        post, graph_stub, messenger):
    _, dialogue = messenger
    body = page_event(text_event("psid-3", "menu"))
    post(body, {"X-Hub-Signature-256": sign(body)})
    assert graph_stub.wait_for(1)[0]["body"]["message"] == {
        "text": "Que voulez-vous faire ?",
        "quick_replies": [
            {"content_type": "text", "title": "Mes aides", "payload": "/ask_subsidies"},
            {"content_type": "text", "title": "Un artisan RGE", "payload": "/find_craftsman"},
        ],
    }
    click = page_event({"sender": {"id": "psid-3"}, "recipient": {"id": "PAGE"},
                        "message": {"mid": "m2", "text": "Mes aides",
                                    "quick_reply": {"payload": "/ask_subsidies"}}})
    post(click, {"X-Hub-Signature-256": sign(click)})
    graph_stub.wait_for(2)
    assert dialogue.received[-1].text == "/ask_subsidies"
    postback = page_event({"sender": {"id": "psid-3"}, "recipient": {"id": "PAGE"},
                           "postback": {"title": "Un artisan", "payload": "/find_craftsman"}})
    post(postback, {"X-Hub-Signature-256": sign(postback)})
    graph_stub.wait_for(3)
    assert dialogue.received[-1].text == "/find_craftsman"


def test_every_event_of_a_batch_is_handled_and_echoes_are_ignored(post, graph_stub):
    body = page_event(
        text_event("psid-4", "un"),
        {"sender": {"id": "PAGE"}, "recipient": {"id": "psid-4"},
         "message": {"mid": "m3", "text": "écho", "is_echo": True}},
        {"sender": {"id": "psid-4"}, "recipient": {"id": "PAGE"}, "delivery": {"mids": []}},
        text_event("psid-5", "deux"),
    )
    assert post(body, {"X-Hub-Signature-256": sign(body)}).status_code == 200
    assert [(r["body"]["recipient"]["id"], r["body"]["message"]["text"])
            for r in graph_stub.wait_for(2)] == [("psid-4", "Vous avez dit : «un»"),
                                              ("psid-5", "Vous avez dit : «deux»")]


@pytest.mark.parametrize("trigger", ["silence", "boom"])
def test_failed_turn_sends_the_french_apology(post, graph_stub, trigger):
    body = page_event(text_event("psid-6", trigger))
    assert post(body, {"X-Hub-Signature-256": sign(body)}).status_code == 200
    graph_stub.wait_for(1)
    assert graph_stub.texts() == [FALLBACK_TEXT]


def test_attachments_get_a_polite_text_only_answer(post, graph_stub, messenger):
    _, dialogue = messenger
    before = len(dialogue.received)
    body = page_event({"sender": {"id": "psid-7"}, "recipient": {"id": "PAGE"},
                       "message": {"mid": "m4", "attachments": [
                           {"type": "image", "payload": {"url": "https://example.org/a.jpg"}}]}})
    post(body, {"X-Hub-Signature-256": sign(body)})
    graph_stub.wait_for(1)
    assert graph_stub.texts() == [ONLY_TEXT_TEXT]
    assert len(dialogue.received) == before


def test_long_answers_are_cut_at_the_send_api_limit(post, graph_stub):
    body = page_event(text_event("psid-8", "mot " * 900))
    post(body, {"X-Hub-Signature-256": sign(body)})
    graph_stub.wait_for(2)
    texts = graph_stub.texts()
    assert len(texts) == 2 and all(len(text) <= 2000 for text in texts)
    assert " ".join(texts).split() == ("Vous avez dit : «" + "mot " * 899 + "mot»").split()


@pytest.mark.parametrize("body", [b"not json", b"[1]", b'{"object": "user"}'])
def test_signed_but_malformed_bodies_get_a_400(post, body):
    response = post(body, {"X-Hub-Signature-256": sign(body)})
    assert response.status_code == 400 and "error" in response.json()


def test_verification_handshake_echoes_the_challenge(messenger):
    server, _ = messenger
    url = f"{server.url}/webhooks/facebook/webhook"
    ok = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                   "hub.challenge": "1158201444"}, timeout=10)
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "faux",
                                      "hub.challenge": "1158201444"}, timeout=10)
    assert wrong.status_code == 403 and "1158201444" not in wrong.text


def test_graph_api_down_does_not_break_the_webhook(serve_channels):
    channel = MessengerInput.from_credentials({
        "verify": VERIFY_TOKEN, "secret": APP_SECRET, "page-access-token": PAGE_TOKEN,
        "graph-api-url": "http://127.0.0.1:9/v25.0",  # discard port: connection refused
    })
    server, dialogue = serve_channels(channel)
    body = page_event(text_event("psid-9", "bonjour"))
    response = requests.post(f"{server.url}/webhooks/facebook/webhook", data=body,
                             headers={"X-Hub-Signature-256": sign(body)}, timeout=30)
    assert response.status_code == 200
    deadline = time.monotonic() + 30
    while not dialogue.received and time.monotonic() < deadline:
        time.sleep(0.02)
    assert dialogue.received[-1].text == "bonjour"


def test_settings_come_from_the_environment(monkeypatch, serve_channels, graph_stub):
    monkeypatch.setenv("FACEBOOK_VERIFY_TOKEN", VERIFY_TOKEN)
    monkeypatch.setenv("FACEBOOK_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("FACEBOOK_PAGE_ACCESS_TOKEN", PAGE_TOKEN)
    monkeypatch.delenv("FACEBOOK_GRAPH_API_URL", raising=False)
    settings = MessengerInput.from_credentials(None).settings
    assert (settings.verify_token, settings.app_secret, settings.page_access_token,
            settings.graph_api_url) == (VERIFY_TOKEN, APP_SECRET, PAGE_TOKEN,
                                        DEFAULT_GRAPH_API_URL)
    monkeypatch.setenv("FACEBOOK_GRAPH_API_URL", graph_stub.base_url + "/")
    assert MessengerInput.from_credentials(None).settings.graph_api_url == graph_stub.base_url


def test_without_settings_the_channel_is_off_but_the_server_runs(monkeypatch, serve_channels):
    for name in ("FACEBOOK_VERIFY_TOKEN", "FACEBOOK_APP_SECRET", "FACEBOOK_PAGE_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    channel = MessengerInput.from_credentials(None)
    assert channel.settings is None and channel.get_output_channel() is None
    server, dialogue = serve_channels(channel)
    url = f"{server.url}/webhooks/facebook/webhook"
    body = page_event(text_event("psid-10", "bonjour"))
    assert requests.post(url, data=body, headers={"X-Hub-Signature-256": sign(body)},
                         timeout=10).status_code == 503
    assert requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "",
                                     "hub.challenge": "1"}, timeout=10).status_code == 503
    assert dialogue.received == []


def test_a_flood_from_one_person_gets_a_sentence_and_no_turn_others_are_answered(
        serve_channels, graph_stub):
    from channels.common import TOO_MANY_TEXT, SenderRateLimiter  # noqa: PLC0415

    channel = MessengerInput.from_credentials({
        "verify": VERIFY_TOKEN, "secret": APP_SECRET, "page-access-token": PAGE_TOKEN,
        "graph-api-url": graph_stub.base_url})
    channel.rate_limiter = SenderRateLimiter(rate=0.01, burst=3, max_pending=100)
    server, dialogue = serve_channels(channel)
    graph_stub.requests.clear()
    # One batch: 20 messages of one person, then one of another (Meta batches events).
    body = page_event(*[text_event("psid-flood", f"spam {i}") for i in range(20)],
                      text_event("psid-calm", "bonjour"))
    answer = requests.post(f"{server.url}/webhooks/facebook/webhook", data=body, timeout=30,
                           headers={"Content-Type": "application/json",
                                    "X-Hub-Signature-256": sign(body)})
    assert answer.status_code == 200
    replies = [(r["body"]["recipient"]["id"], r["body"]["message"]["text"])
               for r in graph_stub.wait_for(21)]
    assert replies[:3] == [("psid-flood", f"Vous avez dit : «spam {i}»") for i in range(3)]
    assert replies[3:20] == [("psid-flood", TOO_MANY_TEXT)] * 17
    assert replies[20] == ("psid-calm", "Vous avez dit : «bonjour»")
    assert [m.text for m in dialogue.received] == [f"spam {i}" for i in range(3)] + ["bonjour"]
