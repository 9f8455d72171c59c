"""The REST connector over real HTTP, with a scripted dialogue in place of Rasa."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from channels.common import FALLBACK_TEXT, MAX_MESSAGE_CHARS, SenderRateLimiter
from channels.rest import RestInput


@pytest.fixture(scope="module")
def server_and_dialogue(serve_channels):
    return serve_channels(RestInput())


@pytest.fixture
def post(server_and_dialogue):
    server, _ = server_and_dialogue

    def send(body, content_type: str = "application/json") -> requests.Response:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return requests.post(f"{server.url}/webhooks/rest/webhook", data=data,
                             headers={"Content-Type": content_type}, timeout=30)

    return send


def test_health_route_is_rasas(server_and_dialogue):
    server, _ = server_and_dialogue
    assert requests.get(f"{server.url}/webhooks/rest/", timeout=10).json() == {"status": "ok"}


def test_answer_has_rasas_shape(post):
    response = post({"sender": "alice", "message": "bonjour"})
    assert response.status_code == 200
    assert response.json() == [{"recipient_id": "alice", "text": "Vous avez dit : «bonjour»"}]


def test_buttons_and_custom_payloads_come_back_as_in_rasa(post):
    assert post({"sender": "alice", "message": "menu"}).json() == [{
        "recipient_id": "alice", "text": "Que voulez-vous faire ?",
        "buttons": [{"title": "Mes aides", "payload": "/ask_subsidies"},
                    {"title": "Un artisan RGE", "payload": "/find_craftsman"}],
    }]
    assert post({"sender": "alice", "message": "carte"}).json() == [
        {"recipient_id": "alice", "custom": {"aids": {"total_grants_eur": 1600}}}
    ]


@pytest.mark.parametrize("trigger", ["silence", "boom"])
def test_a_turn_with_no_answer_or_an_error_gets_the_french_apology(post, trigger):
    response = post({"sender": "bob", "message": trigger})
    assert response.status_code == 200
    assert response.json() == [{"recipient_id": "bob", "text": FALLBACK_TEXT}]
    assert "0 808 800 700" in FALLBACK_TEXT


def test_a_failed_action_adds_the_apology_after_what_was_already_said(post):
    texts = [m["text"] for m in post({"sender": "bob", "message": "action down"}).json()]
    assert texts == ["Je calcule…", FALLBACK_TEXT]


def test_stream_mode_also_gets_the_apology(server_and_dialogue):
    server, _ = server_and_dialogue
    response = requests.post(f"{server.url}/webhooks/rest/webhook?stream=true",
                             json={"sender": "carol", "message": "silence"}, timeout=30)
    lines = [json.loads(line) for line in response.text.splitlines() if line.strip()]
    assert [line["text"] for line in lines] == [FALLBACK_TEXT]


@pytest.mark.parametrize("text", [
    "", "   ", "😀🏠🔥", "<script>alert('x')</script><b>bonjour</b>", "é" * MAX_MESSAGE_CHARS,
])
def test_odd_but_valid_messages_reach_the_dialogue_unchanged(post, server_and_dialogue, text):
    _, dialogue = server_and_dialogue
    response = post({"sender": "dave", "message": text})
    assert response.status_code == 200
    # Rasa's UserMessage strips surrounding blanks.
    assert response.json()[0]["text"] == f"Vous avez dit : «{text.strip()}»"
    assert dialogue.received[-1].text == text.strip()


def test_lone_surrogates_are_replaced_not_crashing(post, server_and_dialogue):
    _, dialogue = server_and_dialogue
    response = post(b'{"sender": "eve", "message": "a\\ud800b\\u0000c"}')
    assert response.status_code == 200
    assert dialogue.received[-1].text == "a\ufffdbc"


def test_missing_sender_gets_a_fresh_conversation_not_a_shared_one(post):
    first = post({"message": "bonjour"}).json()[0]["recipient_id"]
    second = post({"message": "bonjour"}).json()[0]["recipient_id"]
    assert len(first) == 32 and first != second and "default" not in (first, second)


def test_metadata_reaches_the_dialogue(post, server_and_dialogue):
    _, dialogue = server_and_dialogue
    post({"sender": "frank", "message": "salut", "metadata": {"page": "aides"}})
    assert dialogue.received[-1].metadata == {"page": "aides"}
    assert dialogue.received[-1].input_channel == "rest"


@pytest.mark.parametrize(("body", "field"), [
    (b"", None),
    (b"{", None),
    (b"not json", None),
    (b"\xff\xfe", None),
    (b"[" * 5000 + b"]" * 5000, None),
    (b"[1, 2]", None),
    (b"null", None),
    (b'"bonjour"', None),
    (b'{"sender": "x"}', "message"),
    (b'{"sender": "x", "message": null}', "message"),
    (b'{"sender": "x", "message": 12}', "message"),
    (b'{"sender": "x", "message": ["a"]}', "message"),
    (b'{"sender": "x", "message": {"a": 1}}', "message"),
    (b'{"sender": 12, "message": "bonjour"}', "sender"),
    (b'{"sender": "", "message": "bonjour"}', "sender"),
    (b'{"sender": "a\\nb", "message": "bonjour"}', "sender"),
    (b'{"sender": "' + b"s" * 5000 + b'", "message": "bonjour"}', "sender"),
    (b'{"sender": "x", "message": "bonjour", "metadata": "oui"}', "metadata"),
    (b'{"sender": "x", "message": "bonjour", "input_channel": 3}', "input_channel"),
    (json.dumps({"sender": "x", "message": "a" * (MAX_MESSAGE_CHARS + 1)}).encode(), "message"),
    (json.dumps({"sender": "x", "message": "a" * 300_000}).encode(), None),
], ids=lambda value: repr(value)[:40] if isinstance(value, bytes) else str(value))
def test_bad_bodies_get_a_400_with_a_french_json_error(post, server_and_dialogue, body, field):
    _, dialogue = server_and_dialogue
    before = len(dialogue.received)
    response = post(body)
    assert response.status_code == 400
    error = response.json()
    assert error.get("field") == field
    assert error["error"].startswith("Le ") and error["error"].endswith(".")
    assert len(dialogue.received) == before  # nothing reached the dialogue


def test_error_reads_as_is_with_curl(post):
    response = post(b'{"sender": "x"}')
    assert response.content == ('{"error":"Le champ « message » est obligatoire.",'
                                '"field":"message"}').encode()


def test_answers_are_plain_utf8_json(post):
    response = post({"sender": "alice", "message": "économies"})
    assert response.content == (
        '[{"recipient_id":"alice","text":"Vous avez dit : «économies»"}]'.encode())


def test_body_sent_as_text_plain_is_still_read(post):
    response = post(b'{"sender": "gina", "message": "bonjour"}', "text/plain")
    assert response.json()[0]["text"] == "Vous avez dit : «bonjour»"


# --- Flood protection (issue 13): a per-sender rate limit ----------------------------------

class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_gives_a_burst_then_the_sustained_rate():
    clock = FakeClock()
    limiter = SenderRateLimiter(rate=1.0, burst=3, max_pending=10, clock=clock)
    admitted = [limiter.admit("flood") for _ in range(5)]
    for _ in admitted:
        limiter.done("flood")
    assert admitted == [True, True, True, False, False]
    assert limiter.admit("someone-else")  # another sender is not affected
    assert limiter.retry_after("flood") == 1
    clock.now += 1.0
    assert limiter.admit("flood") and not limiter.admit("flood")


def test_rate_limiter_caps_the_messages_waiting_for_an_answer():
    limiter = SenderRateLimiter(rate=100.0, burst=100, max_pending=2, clock=FakeClock())
    assert limiter.admit("a") and limiter.admit("a")
    assert not limiter.admit("a")
    limiter.done("a")
    assert limiter.admit("a")


def test_rate_limiter_forgets_idle_senders_so_memory_stays_bounded():
    clock = FakeClock()
    limiter = SenderRateLimiter(rate=1.0, burst=2, max_pending=5, max_senders=100, clock=clock)
    for index in range(1000):
        assert limiter.admit(f"visitor-{index}")
        limiter.done(f"visitor-{index}")
        clock.now += 2.0  # each one's bucket is full again before the next arrives
    assert len(limiter._buckets) <= 100


def test_a_flood_of_2000_requests_from_one_sender_gets_429s_and_others_lose_nothing(
        serve_channels):
    server, dialogue = serve_channels(RestInput(SenderRateLimiter(rate=1.0, burst=30)))
    url = f"{server.url}/webhooks/rest/webhook"
    flood_statuses: list[int] = []
    refusals: list[requests.Response] = []

    def flood(worker: int) -> None:
        with requests.Session() as session:
            for index in range(125):
                response = session.post(url, json={"sender": "robot",
                                                   "message": f"spam {worker}-{index}"},
                                        timeout=30)
                flood_statuses.append(response.status_code)
                if response.status_code == 429 and len(refusals) < 3:
                    refusals.append(response)

    def person(name: str) -> list[tuple[int, str]]:
        answers = []
        with requests.Session() as session:
            for index in range(10):
                response = session.post(url, json={"sender": name,
                                                   "message": f"message {index}"}, timeout=30)
                answers.append((response.status_code, response.json()[0]["text"]))
                time.sleep(0.2)
        return answers

    started = time.monotonic()
    with ThreadPoolExecutor(20) as pool:
        floods = [pool.submit(flood, worker) for worker in range(16)]
        people = {name: pool.submit(person, name) for name in ("alice", "bob", "chloe")}
        for future in floods:
            future.result()
        answers = {name: future.result() for name, future in people.items()}
    elapsed = time.monotonic() - started
    print(f"\n2 000 requêtes en {elapsed:.1f} s : {flood_statuses.count(200)} traitées, "
          f"{flood_statuses.count(429)} refusées (429)")

    assert len(flood_statuses) == 2000
    assert set(flood_statuses) <= {200, 429}
    assert 30 <= flood_statuses.count(200) <= 30 + elapsed * 1.0 + 1
    refused = refusals[0]
    assert int(refused.headers["Retry-After"]) >= 1
    assert "Patientez" in refused.json()["error"]
    # Every other person got every answer, and the dialogue saw their messages in order.
    for name, turns in answers.items():
        assert turns == [(200, f"Vous avez dit : «message {i}»") for i in range(10)]
        assert [m.text for m in dialogue.received if m.sender_id == name] == \
            [f"message {i}" for i in range(10)]
    # The flood's admitted messages all reached the dialogue; refused ones did not.
    assert sum(m.sender_id == "robot" for m in dialogue.received) == flood_statuses.count(200)


# --- « effacer mes données » is handled by the channel, as on Messenger ----------------------

def test_effacer_mes_donnees_erases_that_conversation_only(serve_channels, tmp_path,
                                                          monkeypatch):
    import sqlite3  # noqa: PLC0415

    from channels.privacy import ERASED_TEXT, TRACKER_DB_ENV  # noqa: PLC0415

    db = tmp_path / "tracker.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                           "type_name TEXT, timestamp FLOAT, data TEXT)")
        connection.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) "
                               "VALUES (?, 'user', 1.0, '{}')",
                               [("lea",), ("lea",), ("marc",)])
    monkeypatch.setenv(TRACKER_DB_ENV, str(db))
    server, dialogue = serve_channels(RestInput())
    answer = requests.post(f"{server.url}/webhooks/rest/webhook",
                           json={"sender": "lea", "message": "Effacer mes données !"}, timeout=30)
    assert answer.status_code == 200
    assert answer.json() == [{"recipient_id": "lea", "text": ERASED_TEXT}]
    assert dialogue.received == []  # no Rasa turn (it would save the events again)
    with sqlite3.connect(db) as connection:
        assert dict(connection.execute(
            "SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id")) == {"marc": 1}
