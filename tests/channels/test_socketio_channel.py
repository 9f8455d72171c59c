"""The socket.io connector with a real socket.io client (long-polling, like the widget's first
transport), a scripted dialogue standing in for Rasa."""

from __future__ import annotations

import queue
import uuid

import pytest
import socketio

from channels.common import FALLBACK_TEXT, MAX_MESSAGE_CHARS, TOO_LONG_TEXT
from channels.socketio import BAD_MESSAGE_TEXT, SocketIOInput


@pytest.fixture(scope="module")
def server_and_dialogue(serve_channels):
    return serve_channels(SocketIOInput.from_credentials({
        "user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
        "session_persistence": True,
    }))


class WidgetLikeClient:
    """Does what rasa-webchat does: session_request, then user_uttered with session_id."""

    def __init__(self, url: str, session_id: str | None = None) -> None:
        self.answers: queue.Queue = queue.Queue()
        self.confirmed: queue.Queue = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("bot_uttered", self.answers.put)
        self.sio.on("session_confirm", self.confirmed.put)
        self.sio.connect(url, socketio_path="/socket.io", transports=["polling"], wait_timeout=10)
        self.sio.emit("session_request", {"session_id": session_id})
        self.session_id = self.confirmed.get(timeout=10)

    def say(self, text, count: int = 1, **extra) -> list[dict]:
        self.sio.emit("user_uttered", {"message": text, "session_id": self.session_id,
                                       "customData": {"language": "fr"}, **extra})
        return [self.answers.get(timeout=10) for _ in range(count)]

    def close(self) -> None:
        self.sio.disconnect()


@pytest.fixture
def client(server_and_dialogue):
    server, _ = server_and_dialogue
    widget = WidgetLikeClient(server.url, uuid.uuid4().hex)
    yield widget
    widget.close()


def test_session_is_confirmed_with_the_id_the_widget_keeps(server_and_dialogue):
    server, _ = server_and_dialogue
    widget = WidgetLikeClient(server.url, "ma-session-42")
    assert widget.session_id == "ma-session-42"
    widget.close()
    fresh = WidgetLikeClient(server.url, None)  # first visit: the server picks an id
    assert len(fresh.session_id) == 32
    fresh.close()


def test_message_is_answered_in_the_session_room(client, server_and_dialogue):
    _, dialogue = server_and_dialogue
    assert client.say("bonjour") == [{"text": "Vous avez dit : «bonjour»"}]
    assert dialogue.received[-1].sender_id == client.session_id
    assert dialogue.received[-1].input_channel == "socketio"


def test_a_reloaded_page_gets_the_answers_of_its_conversation(server_and_dialogue, client):
    server, dialogue = server_and_dialogue
    reloaded = WidgetLikeClient(server.url, client.session_id)  # same id from localStorage
    assert reloaded.say("encore") == [{"text": "Vous avez dit : «encore»"}]
    assert dialogue.received[-1].sender_id == client.session_id
    reloaded.close()


def test_buttons_reach_the_widget_as_quick_replies(client):
    assert client.say("menu") == [{
        "text": "Que voulez-vous faire ?",
        "quick_replies": [
            {"content_type": "text", "title": "Mes aides", "payload": "/ask_subsidies"},
            {"content_type": "text", "title": "Un artisan RGE", "payload": "/find_craftsman"},
        ],
    }]


def test_custom_payload_with_a_text_is_delivered_as_is(client):
    # Rasa's own socketio output would call emit(event, text=..., aids=...): a TypeError.
    assert client.say("carte et texte") == [{"text": "Total : 1 600 €",
                                             "aids": {"total_grants_eur": 1600}}]


def test_data_only_custom_payload_is_not_shown_as_undefined(client):
    # rasa-webchat renders String(message.text): "undefined". The user sees the apology.
    assert client.say("carte") == [{"text": FALLBACK_TEXT}]


@pytest.mark.parametrize("trigger", ["silence", "boom"])
def test_failed_turn_gets_the_french_apology(client, trigger):
    assert client.say(trigger) == [{"text": FALLBACK_TEXT}]


def test_failed_action_after_a_first_message_adds_the_apology(client):
    assert client.say("action down", count=2) == [{"text": "Je calcule…"},
                                                  {"text": FALLBACK_TEXT}]


@pytest.mark.parametrize(("payload", "answer"), [
    (12, BAD_MESSAGE_TEXT),
    (["a"], BAD_MESSAGE_TEXT),
    ("a" * (MAX_MESSAGE_CHARS + 1), TOO_LONG_TEXT),
])
def test_unreadable_messages_get_a_polite_answer_and_skip_the_dialogue(
        client, server_and_dialogue, payload, answer):
    _, dialogue = server_and_dialogue
    before = len(dialogue.received)
    assert client.say(payload) == [{"text": answer}]
    assert len(dialogue.received) == before


def test_odd_metadata_is_ignored(client, server_and_dialogue):
    _, dialogue = server_and_dialogue
    assert client.say("salut", metadata="{pas du json") == [{"text": "Vous avez dit : «salut»"}]
    assert dialogue.received[-1].metadata == {}


# --- Flood protection and erasing, as on the REST channel ------------------------------------

def test_a_flood_from_one_session_is_refused_and_others_lose_nothing(serve_channels,
                                                                     monkeypatch):
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    from engineio.payload import Payload  # noqa: PLC0415

    from channels.common import TOO_MANY_TEXT, SenderRateLimiter  # noqa: PLC0415

    # The long-polling client reads the answers in batches: let it read big ones.
    monkeypatch.setattr(Payload, "max_decode_packets", 1000)
    channel = SocketIOInput.from_credentials({
        "user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
        "session_persistence": True})
    channel.rate_limiter = SenderRateLimiter(rate=1.0, burst=5)
    server, dialogue = serve_channels(channel)
    robot = WidgetLikeClient(server.url, "robot-session")
    people = [WidgetLikeClient(server.url, f"personne-{i}") for i in range(3)]

    def person(widget: WidgetLikeClient) -> list[list[dict]]:
        return [widget.say(f"message {i}") for i in range(5)]

    with ThreadPoolExecutor(4) as pool:
        talks = [pool.submit(person, widget) for widget in people]
        for index in range(200):
            robot.sio.emit("user_uttered", {"message": f"spam {index}",
                                            "session_id": robot.session_id})
        answers = [robot.answers.get(timeout=30) for _ in range(200)]
        heard = [talk.result(timeout=60) for talk in talks]
    texts = [answer["text"] for answer in answers]
    assert texts.count(TOO_MANY_TEXT) >= 190  # burst of 5, then about 1 a second
    assert len(texts) - texts.count(TOO_MANY_TEXT) == \
        sum(m.sender_id == "robot-session" for m in dialogue.received)
    for widget, turns in zip(people, heard, strict=True):
        assert turns == [[{"text": f"Vous avez dit : «message {i}»"}] for i in range(5)]
        assert [m.text for m in dialogue.received if m.sender_id == widget.session_id] == \
            [f"message {i}" for i in range(5)]
    for widget in (robot, *people):
        widget.close()


def test_effacer_mes_donnees_on_the_widget_erases_the_conversation(
        server_and_dialogue, client, tmp_path, monkeypatch):
    import sqlite3  # noqa: PLC0415

    from channels.privacy import ERASED_TEXT, TRACKER_DB_ENV  # noqa: PLC0415

    _, dialogue = server_and_dialogue
    db = tmp_path / "tracker.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                           "type_name TEXT, timestamp FLOAT, data TEXT)")
        connection.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) "
                               "VALUES (?, 'user', 1.0, '{}')",
                               [(client.session_id,), ("quelqu-un",)])
    monkeypatch.setenv(TRACKER_DB_ENV, str(db))
    before = len(dialogue.received)
    assert client.say("effacer ma conversation") == [{"text": ERASED_TEXT}]
    assert len(dialogue.received) == before
    with sqlite3.connect(db) as connection:
        assert [row[0] for row in connection.execute("SELECT sender_id FROM events")] == \
            ["quelqu-un"]
