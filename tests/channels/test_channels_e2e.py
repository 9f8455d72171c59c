"""The three channels against the real servers: Rasa with credentials.yml (our connectors),
the action server, a SQLite tracker store; Messenger configured from environment variables
with a local Graph API stub; the web page in headless Chromium.

One Rasa stack for this module (started here because Messenger needs its settings in the
environment of the Rasa process, and because one test stops the action server).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import shutil
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import socketio
import yaml

from channels.common import FALLBACK_TEXT
from runtime.stack import ROOT, RasaStack, bot_texts
from runtime.train import ensure_model
from runtime.webserver import Settings, serve

pytestmark = pytest.mark.e2e

APP_SECRET = secrets.token_hex(16)
VERIFY_TOKEN = secrets.token_urlsafe(12)
PAGE_TOKEN = "test-page-token-" + secrets.token_hex(8)
OUTPUT = ROOT / "test-output" / "channels"
CHROMIUM = Path("/usr/bin/chromium")
FRENCH = re.compile(r"\b(le|la|les|de|des|vous|votre|vos|je|et|pour|un|une)\b", re.IGNORECASE)


def is_french_answer(text: str) -> bool:
    return len(text.strip()) >= 10 and bool(FRENCH.search(text))


@pytest.fixture(scope="module")
def stack(graph_api, tmp_path_factory):
    stack = RasaStack(
        model=ensure_model(quiet=True), workdir=tmp_path_factory.mktemp("channels-stack"),
        credentials=ROOT / "credentials.yml",
        extra_env={"FACEBOOK_VERIFY_TOKEN": VERIFY_TOKEN, "FACEBOOK_APP_SECRET": APP_SECRET,
                   "FACEBOOK_PAGE_ACCESS_TOKEN": PAGE_TOKEN,
                   "FACEBOOK_GRAPH_API_URL": graph_api.base_url},
    )
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def sender() -> str:
    return f"channels-{uuid.uuid4().hex[:12]}"


def rest(stack: RasaStack, body, **kwargs) -> requests.Response:
    if isinstance(body, bytes):
        return requests.post(stack.rest_url, data=body, timeout=120, **kwargs)
    return requests.post(stack.rest_url, json=body, timeout=120, **kwargs)


# --- REST: the README's examples -------------------------------------------------------------

def test_readme_example_greeting_answers_in_french_with_buttons(stack, sender):
    response = rest(stack, {"sender": sender, "message": "Bonjour"})
    assert response.status_code == 200
    messages = response.json()
    assert messages and all(m["recipient_id"] == sender for m in messages)
    assert is_french_answer(bot_texts(messages))
    # The buttons are those of the domain's greeting, as docs/channels.md shows them.
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    greetings = [variant.get("buttons", []) for variant in domain["responses"]["utter_greet"]]
    buttons = [b for m in messages for b in m.get("buttons", [])]
    assert buttons in greetings


def test_readme_example_health_check(stack):
    response = requests.get(f"{stack.base_url}/webhooks/rest/", timeout=30)
    assert response.json() == {"status": "ok"}


def test_readme_example_clicking_a_button_sends_its_payload(stack, sender):
    greeting = rest(stack, {"sender": sender, "message": "Bonjour"}).json()
    payload = next(b["payload"] for m in greeting for b in m.get("buttons", []))
    answer = rest(stack, {"sender": sender, "message": payload}).json()
    assert is_french_answer(bot_texts(answer))
    assert FALLBACK_TEXT not in bot_texts(answer)


def test_readme_example_one_sentence_question(stack, sender):
    answer = rest(stack, {"sender": sender, "message": "Quelles aides pour isoler mes combles ?"})
    assert answer.status_code == 200 and is_french_answer(bot_texts(answer.json()))


def test_readme_example_bad_body_gets_a_400(stack):
    response = rest(stack, b'{"sender": "x"}', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"error": "Le champ « message » est obligatoire.",
                               "field": "message"}


@pytest.mark.parametrize("text", ["", "🏠🔥😀", "<b>bonjour</b><script>alert(1)</script>",
                                  "isolation " * 1000], ids=["empty", "emoji", "html", "10k"])
def test_odd_messages_get_an_answer(stack, sender, text):
    response = rest(stack, {"sender": sender, "message": text[:10_000]})
    assert response.status_code == 200
    assert bot_texts(response.json()).strip()


def test_custom_payloads_keep_rasas_shape(stack, sender):
    """Every message is one of Rasa's REST shapes; a `custom` entry is a JSON object."""
    for text in ("Bonjour", "/ask_subsidies",
                 "J'habite à Amiens, nous sommes 3 avec 32 000 € de revenus"):
        for message in rest(stack, {"sender": sender, "message": text}).json():
            assert set(message) <= {"recipient_id", "text", "buttons", "custom", "image",
                                    "attachment"}
            if "custom" in message:
                assert isinstance(message["custom"], dict)


# --- Messenger ------------------------------------------------------------------------------

def messenger_post(stack: RasaStack, body: bytes, signature: str | None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return requests.post(f"{stack.base_url}/webhooks/facebook/webhook", data=body,
                         headers=headers, timeout=120)


def signed(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def messenger_event(psid: str, text: str) -> bytes:
    return json.dumps({"object": "page", "entry": [{"id": "PAGE", "time": 1, "messaging": [
        {"sender": {"id": psid}, "recipient": {"id": "PAGE"}, "timestamp": 1,
         "message": {"mid": f"m-{uuid.uuid4().hex}", "text": text}}]}]}).encode()


def test_messenger_signed_message_is_answered_through_the_graph_api(stack, graph_api):
    graph_api.requests.clear()
    psid = f"psid-{uuid.uuid4().hex[:8]}"
    body = messenger_event(psid, "Bonjour")
    response = messenger_post(stack, body, signed(body))
    assert response.status_code == 200
    assert graph_api.wait_for(1, timeout=60), "no reply reached the Graph API stub"
    for request in graph_api.requests:
        assert request["path"] == f"/v25.0/me/messages?access_token={PAGE_TOKEN}"
        assert request["body"]["recipient"] == {"id": psid}
    assert is_french_answer(" ".join(graph_api.texts()))
    replies = [r["body"]["message"].get("quick_replies", []) for r in graph_api.requests]
    assert any(replies), "the greeting's buttons should become quick replies"


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "forged"],
                         ids=["unsigned", "forged", "garbage"])
def test_messenger_unsigned_or_forged_is_refused(stack, graph_api, signature):
    graph_api.requests.clear()
    body = messenger_event("psid-intruder", "Bonjour")
    if signature == "forged":
        signature = signed(body, secret="not-the-app-secret")
    response = messenger_post(stack, body, signature)
    assert response.status_code == 403
    assert graph_api.requests == []
    tracker = stack.tracker("psid-intruder")
    assert not [e for e in tracker["events"] if e["event"] == "user"]


def test_messenger_verification_handshake(stack):
    url = f"{stack.base_url}/webhooks/facebook/webhook"
    ok = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                   "hub.challenge": "987654321"}, timeout=30)
    assert (ok.status_code, ok.text) == (200, "987654321")
    bad = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "wrong",
                                    "hub.challenge": "987654321"}, timeout=30)
    assert bad.status_code == 403


# --- Flood (issue 13, bad input): one sender's 2,000 requests in 10 s -------------------------

def test_a_flood_of_2000_requests_gets_429s_and_other_people_lose_nothing(stack):
    from tests.channels.flood import PERSON_MESSAGES, flood_while_people_talk  # noqa: PLC0415

    people = tuple(f"voisin-{uuid.uuid4().hex[:8]}" for _ in range(3))
    robot = f"robot-{uuid.uuid4().hex[:8]}"
    result = flood_while_people_talk(stack.rest_url, stack.base_url, stack.token, robot,
                                     people=people)
    print("\n" + result.summary())
    assert result.failures == [] and len(result.statuses) == 2000
    assert set(result.statuses) <= {200, 429}
    assert result.statuses.count(429) >= 1900
    assert "Patientez" in result.refusal["error"] and int(result.retry_after) >= 1
    for name in people:  # every answer, and every message stored, in order
        assert [status for status, _ in result.people[name]] == [200] * len(PERSON_MESSAGES)
        assert all(text.strip() and FALLBACK_TEXT not in text
                   for _, text in result.people[name]), result.people[name]
        assert result.stored[name] == PERSON_MESSAGES
    # What was let through was processed and stored; the rest never reached Rasa.
    assert len(result.stored[robot]) == result.statuses.count(200)


def test_typing_effacer_mes_donnees_erases_the_conversation(stack, sender):
    from channels.privacy import ERASED_TEXT  # noqa: PLC0415

    other = f"autre-{uuid.uuid4().hex[:8]}"
    rest(stack, {"sender": other, "message": "bonjour"})
    rest(stack, {"sender": sender, "message": "Bonjour, j'habite à Amiens"})
    answer = rest(stack, {"sender": sender, "message": "effacer mes données"})
    assert answer.json() == [{"recipient_id": sender, "text": ERASED_TEXT}]
    assert not [e for e in stack.tracker(sender)["events"] if e["event"] == "user"]
    assert [e["text"] for e in stack.tracker(other)["events"] if e["event"] == "user"] == \
        ["bonjour"]
    # The conversation starts afresh.
    assert is_french_answer(bot_texts(rest(stack, {"sender": sender,
                                                   "message": "bonjour"}).json()))
    assert [e["text"] for e in stack.tracker(sender)["events"] if e["event"] == "user"] == \
        ["bonjour"]


def test_a_message_sent_again_by_nginx_is_answered_once_and_stored_once(stack, sender):
    """nginx sends a POST again to another Rasa process when the first died mid-turn, with the
    same X-Request-ID: if the turn had been saved, the stored answers come back, no new turn."""
    request_id = uuid.uuid4().hex
    rest(stack, {"sender": sender, "message": "bonjour"})
    body = {"sender": sender, "message": "quelles aides pour une pompe à chaleur ?"}
    first = rest(stack, body, headers={"X-Request-ID": request_id})
    again = rest(stack, body, headers={"X-Request-ID": request_id})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and is_french_answer(bot_texts(first.json()))
    users = [e["text"] for e in stack.tracker(sender)["events"] if e["event"] == "user"]
    assert users == ["bonjour", "quelles aides pour une pompe à chaleur ?"]
    # Another request (another id, or none) is a new message, even with the same words.
    rest(stack, body, headers={"X-Request-ID": uuid.uuid4().hex})
    rest(stack, body, headers={"X-Request-ID": "<script>"})  # malformed: an ordinary request
    users = [e["text"] for e in stack.tracker(sender)["events"] if e["event"] == "user"]
    assert users.count("quelles aides pour une pompe à chaleur ?") == 3


# --- Privacy: erasing a conversation from the real tracker store ----------------------------

def test_erasing_a_conversation_removes_it_from_rasa(stack, sender):
    from channels.privacy import erase_conversation

    rest(stack, {"sender": sender, "message": "Bonjour, j'habite à Amiens"})
    assert [e for e in stack.tracker(sender)["events"] if e["event"] == "user"]
    assert erase_conversation(stack.tracker_db, sender) > 0
    with sqlite3.connect(stack.tracker_db) as db:
        assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?",
                          (sender,)).fetchone() == (0,)
    assert not [e for e in stack.tracker(sender)["events"] if e["event"] == "user"]


# --- Web page in headless Chromium ----------------------------------------------------------

@pytest.fixture(scope="module")
def tracker_db(stack) -> Path:
    return stack.tracker_db


@pytest.fixture(scope="module")
def web_url(stack):
    settings = Settings(stack.base_url, stack.rasa_port, stack.tracker_db,
                        "l'équipe de test", "")
    server = serve("127.0.0.1", 0, settings, retention_days=None)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-dev-shm-usage"]


@pytest.mark.browser
def test_web_chat_in_headless_chromium(web_url, tracker_db, tmp_path):
    if not CHROMIUM.exists():
        pytest.fail("Chromium manque : lancez scripts/setup_browser.sh (make setup-web).")
    from playwright.sync_api import expect, sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "webchat-failure.png").unlink(missing_ok=True)
    profile = tmp_path / "chromium-profile"
    outside_requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
            locale="fr-FR",
        )
        try:
            page = browser.new_page()
            page.on("request", lambda r: outside_requests.append(r.url)
                    if not r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:"))
                    else None)
            page.goto(web_url)
            expect(page.get_by_role("link", name=re.compile("Confidentialité"))).to_be_visible()
            expect(page.get_by_text("Service proposé par l'équipe de test")).to_be_visible()

            answers = page.locator(".rw-response")
            words = re.compile(r"\w{3,}")

            def answer_text(index: int) -> str:
                """Waits for the bot's answer number `index` to show text, returns it."""
                expect(answers.nth(index)).to_have_text(words, timeout=60_000)
                return answers.nth(index).inner_text()

            # The widget sends /greet: the greeting comes with clickable buttons.
            buttons = page.locator(".rw-replies .rw-reply")
            expect(buttons.first).to_be_visible(timeout=60_000)
            assert is_french_answer(answer_text(0))

            count = answers.count()
            field = page.locator(".rw-new-message")
            expect(field).to_have_attribute("placeholder", "Écrivez votre question…")
            field.fill("Qu'est-ce que MaPrimeRénov' ?")
            field.press("Enter")
            expect(page.locator(".rw-client").last).to_contain_text("MaPrimeRénov'")
            assert is_french_answer(answer_text(count))

            # Click the first button still on screen (the greeting's, or a later one).
            page.wait_for_timeout(500)
            count = answers.count()
            clickable = page.locator(".rw-replies .rw-reply")
            if clickable.count() == 0:  # the question's answer replaced them: greet again
                field.fill("bonjour")
                field.press("Enter")
                expect(clickable.first).to_be_visible(timeout=60_000)
                count = answers.count()
            title = clickable.first.inner_text()
            clickable.first.click()
            expect(page.locator(".rw-client").last).to_contain_text(title)
            text = answer_text(count)
            assert is_french_answer(text) and FALLBACK_TEXT not in text
            page.screenshot(path=str(OUTPUT / "webchat.png"), full_page=True)

            # The conversation is kept across a reload (same session id from localStorage).
            # The widget shows messages one by one: wait until they have all arrived.
            before, stable_since = answers.count(), time.monotonic()
            while time.monotonic() - stable_since < 4:
                page.wait_for_timeout(500)
                if answers.count() != before:
                    before, stable_since = answers.count(), time.monotonic()
            session_js = "JSON.parse(localStorage.getItem('chat_session')).session_id"
            session = page.evaluate(session_js)
            page.reload()
            expect(answers.nth(before - 1)).to_be_visible(timeout=30_000)
            expect(page.locator(".rw-client").first).to_contain_text("MaPrimeRénov'")
            assert page.evaluate(session_js) == session
            # Phone-sized screen: one screen high, nothing wider, the input field in view.
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            assert page.evaluate("document.documentElement.scrollHeight") <= 844
            expect(field).to_be_in_viewport()
            page.screenshot(path=str(OUTPUT / "webchat-after-reload.png"))

            # « Effacer ma conversation »: erased on the server, a fresh session in the page.
            page.once("dialog", lambda dialog: dialog.accept())
            page.get_by_role("button", name="Effacer ma conversation").click()
            expect(page.locator(".rw-client")).to_have_count(0, timeout=30_000)
            expect(buttons.first).to_be_visible(timeout=60_000)  # greeted again
            assert page.evaluate(session_js) != session
            with sqlite3.connect(tracker_db) as db:
                assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ? AND "
                                  "type_name = 'user'", (session,)).fetchone() == (0,)
        except Exception:
            page.screenshot(path=str(OUTPUT / "webchat-failure.png"), full_page=True)
            raise
        finally:
            browser.close()
            shutil.rmtree(profile, ignore_errors=True)
    assert outside_requests == []  # no CDN, no Google Fonts


# --- Last: the action server goes down -------------------------------------------------------

def test_every_channel_apologises_in_french_when_the_action_server_is_down(
        stack, sender, graph_api):
    stack.stop_action_server()
    try:
        time.sleep(0.5)
        # A question that needs a custom action (the aids computation).
        reply = rest(stack, {"sender": sender, "message": "Je veux estimer mes aides"})
        texts = bot_texts(reply.json())
        for text in ("J'habite à Amiens, 80000", "Nous sommes 3 avec 32000 euros de revenus"):
            if FALLBACK_TEXT in texts:
                break
            texts = bot_texts(rest(stack, {"sender": sender, "message": text}).json())
        assert reply.status_code == 200 and FALLBACK_TEXT in texts

        graph_api.requests.clear()
        psid = f"psid-{uuid.uuid4().hex[:8]}"
        for text in ("Je veux estimer mes aides", "80000"):
            body = messenger_event(psid, text)
            assert messenger_post(stack, body, signed(body)).status_code == 200
            deadline = time.monotonic() + 60
            while FALLBACK_TEXT not in graph_api.texts() and time.monotonic() < deadline:
                time.sleep(0.2)
            if FALLBACK_TEXT in graph_api.texts():
                break
        assert FALLBACK_TEXT in graph_api.texts()

        # The web widget's channel, with a socket.io client doing what rasa-webchat does.
        said: list[str] = []
        confirmed = threading.Event()
        client = socketio.Client(reconnection=False)
        client.on("bot_uttered", lambda message: said.append(message.get("text", "")))
        client.on("session_confirm", lambda _session: confirmed.set())
        client.connect(stack.base_url, transports=["polling"], wait_timeout=30)
        try:
            client.emit("session_request", {"session_id": f"web-{sender}"})
            assert confirmed.wait(30)
            for text in ("Je veux estimer mes aides", "80000"):
                client.emit("user_uttered", {"message": text, "session_id": f"web-{sender}"})
                deadline = time.monotonic() + 60
                while FALLBACK_TEXT not in said and time.monotonic() < deadline:
                    time.sleep(0.2)
                if FALLBACK_TEXT in said:
                    break
        finally:
            client.disconnect()
        assert FALLBACK_TEXT in said
    finally:
        stack.start_action_server()
