"""The admin API is closed (issue 13 §1): Rasa's HTTP API (tracker, events, model, parse)
refuses a caller without the token, while the channels and the health check still answer,
and the action server listens on 127.0.0.1 only."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from runtime.stack import bot_texts

pytestmark = pytest.mark.e2e

REFUSED = {401, 403}


def admin_calls(base: str, sender: str) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", f"{base}/conversations/{sender}/tracker", None),
        ("GET", f"{base}/conversations/{sender}/story", None),
        ("POST", f"{base}/conversations/{sender}/tracker/events",
         {"event": "slot", "name": "reference_income", "value": 1}),
        ("PUT", f"{base}/conversations/{sender}/tracker/events", []),
        ("POST", f"{base}/conversations/{sender}/messages",
         {"text": "bonjour", "sender": "user"}),
        ("POST", f"{base}/model/parse", {"text": "bonjour"}),
        ("PUT", f"{base}/model", {"model_file": "/tmp/autre.tar.gz"}),
        ("DELETE", f"{base}/model", None),
        ("GET", f"{base}/status", None),
        ("GET", f"{base}/domain", None),
    ]


def test_admin_calls_without_the_token_are_refused_and_change_nothing(rasa_stack, sender):
    rasa_stack.say(sender, "bonjour, j'habite à Amiens et je gagne 32000 euros")
    before = rasa_stack.tracker(sender)["events"]
    for params in (None, {"token": "mauvais-jeton"}):
        for method, url, body in admin_calls(rasa_stack.base_url, sender):
            response = requests.request(method, url, json=body, params=params, timeout=30)
            assert response.status_code in REFUSED, (method, url, response.status_code)
            assert "32000" not in response.text
    # Nothing was injected, and the model is still loaded.
    assert rasa_stack.tracker(sender)["events"] == before
    status = requests.get(f"{rasa_stack.base_url}/status", params=rasa_stack.api_params,
                          timeout=30)
    assert status.ok and status.json()["model_file"]


def test_with_the_token_the_api_answers(rasa_stack, sender):
    parse = requests.post(f"{rasa_stack.base_url}/model/parse", json={"text": "bonjour"},
                          params=rasa_stack.api_params, timeout=30)
    assert parse.ok and parse.json()["intent"]["name"] == "greet"
    assert rasa_stack.tracker(sender)["sender_id"] == sender


def test_channels_and_health_check_need_no_token(rasa_stack, sender):
    assert requests.get(f"{rasa_stack.base_url}/", timeout=30).ok
    assert requests.get(f"{rasa_stack.base_url}/webhooks/rest/", timeout=30).json() == \
        {"status": "ok"}
    assert bot_texts(rasa_stack.say(sender, "bonjour")).strip()
    # socket.io handshake (the web widget's channel).
    handshake = requests.get(f"{rasa_stack.base_url}/socket.io/",
                             params={"EIO": "4", "transport": "polling"}, timeout=30)
    assert handshake.ok and '"sid"' in handshake.text


def listening_addresses(port: int) -> set[str]:
    """Local addresses listening on `port`, read from /proc/net/tcp and tcp6."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                addresses.add(address)
    return addresses


def test_the_action_server_listens_on_localhost_only(rasa_stack):
    addresses = listening_addresses(rasa_stack.action_port)
    assert addresses == {"0100007F"}, addresses  # 127.0.0.1, little-endian hex
