"""Shared pieces of the handoff tests: households described by their facts (test data, never
trained on), a real local SMTP server (aiosmtpd) and a local webhook receiver."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from bot.profile import parse_profile

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "handoff"

# A family of three in Amiens: a 1975 fuel-oil house, attic + heat pump + windows, with quotes.
AMIENS_FAMILY = {
    "date": "2026-11-29", "postal_code": "80000", "housing_type": "house",
    "occupancy": "owner_occupier", "construction_year": 1975, "surface_m2": 100,
    "heating_energy": "fuel_oil", "dpe_class": "F", "household_size": 3,
    "reference_income": 32000,
    "works": [{"type": "attic_insulation", "surface_m2": 80, "cost_eur": 4000},
              {"type": "air_water_heat_pump", "cost_eur": 14000},
              {"type": "windows", "count": 8, "cost_eur": 6400}],
}
# Someone in Abbeville who only said they want a pellet stove: little is known.
ABBEVILLE_STOVE = {"date": "2026-11-29", "postal_code": "80100",
                   "works": [{"type": "pellet_stove"}]}


@pytest.fixture(autouse=True)
def offline_directory(monkeypatch, tmp_path):
    """No outside service in tests: the directory API is a closed local port, the handoff
    file is per test."""
    monkeypatch.setenv("BOT_DATAFAIR_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HANDOFF_DB", str(tmp_path / "handoff.db"))


@pytest.fixture
def family():
    return parse_profile(AMIENS_FAMILY)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """aiosmtpd handler: keeps every accepted message; refuses recipients at invalid.test."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.endswith("@invalid.test"):
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> SmtpServer:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


class WebhookReceiver:
    """A desk's webhook: records the JSON bodies with their signature headers."""

    def __init__(self, status: int = 200) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append({
                    "body": body, "json": json.loads(body),
                    "signature": self.headers.get("X-Signature-256"),
                    "key": self.headers.get("Idempotency-Key")})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/rappels"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()
