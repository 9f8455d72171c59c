"""Runs our channel blueprints in a real Sanic server on 127.0.0.1 (free port, own thread),
with a scripted dialogue handler in place of Rasa's agent, so the connectors' own logic
(validation, fallback, signatures, Graph API calls) is tested over real HTTP in seconds.
The same connectors are tested against the real Rasa server in test_*_e2e.py."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic

Handler = Callable[[UserMessage], Awaitable[Any]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ScriptedDialogue:
    """Stands in for Rasa's agent: answers by what the user says.

    "silence" -> no answer; "boom" -> raises; "action down" -> logs Rasa's action-failure
    line after a first message (as Rasa 3.6 does when the action server is unreachable);
    "menu" -> a text with buttons; "carte" -> a data-only custom payload; "carte et texte"
    -> a custom payload with a text; anything else -> an echo.
    """

    def __init__(self) -> None:
        self.received: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        out, sender, text = message.output_channel, message.sender_id, message.text or ""
        if text == "silence":
            return
        if text == "boom":
            raise RuntimeError("panne simulée")
        if text == "action down":
            await out.send_text_message(sender, "Je calcule…")
            logging.getLogger("rasa.core.processor").error(
                "Encountered an exception while running action 'action_aids'.Bot will "
                "continue, but the actions events are lost."
            )
            return
        if text == "menu":
            await out.send_text_with_buttons(sender, "Que voulez-vous faire ?", [
                {"title": "Mes aides", "payload": "/ask_subsidies"},
                {"title": "Un artisan RGE", "payload": "/find_craftsman"},
            ])
            return
        if text == "carte":
            await out.send_custom_json(sender, {"aids": {"total_grants_eur": 1600}})
            return
        if text == "carte et texte":
            await out.send_custom_json(sender, {"text": "Total : 1 600 €",
                                                "aids": {"total_grants_eur": 1600}})
            return
        await out.send_text_message(sender, f"Vous avez dit : «{text}»")


class ChannelServer:
    """A Sanic app serving the given channels under /webhooks/<name>/, like `rasa run`."""

    def __init__(self, channels: list[InputChannel], handler: Handler) -> None:
        self.port = free_port()
        self.app = Sanic(f"channels_test_{uuid.uuid4().hex[:8]}", configure_logging=False)
        # Sanic's "touchup" rewrites some server methods from their source at start; in test
        # mode it keeps the originals, so a second app in the same process can start too.
        Sanic.test_mode = True
        for channel in channels:
            self.app.blueprint(channel.blueprint(handler),
                               url_prefix=f"/webhooks/{channel.url_prefix()}")
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ChannelServer:
        self.thread.start()

        async def serve() -> Any:
            server = await self.app.create_server(
                host="127.0.0.1", port=self.port, return_asyncio_server=True
            )
            await server.startup()
            await server.start_serving()
            return server

        self.server = asyncio.run_coroutine_threadsafe(serve(), self.loop).result(30)
        return self

    def stop(self) -> None:
        if self.server is not None:
            async def close() -> None:
                self.server.close()
                await self.server.wait_closed()

            asyncio.run_coroutine_threadsafe(close(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


class GraphApiStub:
    """A local HTTP server speaking the Send API: records `POST /<version>/me/messages`."""

    def __init__(self, status: int = 200) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = status
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append({"path": self.path, "body": body,
                                      "content_type": self.headers.get("Content-Type")})
                answer = json.dumps({"recipient_id": body.get("recipient", {}).get("id"),
                                     "message_id": f"m_{len(stub.requests)}"}).encode()
                self.send_response(stub.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v25.0"

    def texts(self) -> list[str]:
        return [r["body"]["message"].get("text", "") for r in self.requests]

    def wait_for(self, count: int = 1, timeout: float = 30, settle: float = 0.3) -> list[dict]:
        """The requests once `count` have arrived (Messenger answers in the background),
        after a short quiet period so that a late extra request is seen too."""
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(settle)
        return self.requests

    def __enter__(self) -> GraphApiStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def serve_channels() -> Iterator[Callable[..., tuple[ChannelServer, ScriptedDialogue]]]:
    """Factory: serve_channels(channel, ...) -> (running server, its scripted dialogue)."""
    servers: list[ChannelServer] = []

    def start(*channels: InputChannel) -> tuple[ChannelServer, ScriptedDialogue]:
        dialogue = ScriptedDialogue()
        servers.append(ChannelServer(list(channels), dialogue).start())
        return servers[-1], dialogue

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def graph_api() -> Iterator[GraphApiStub]:
    with GraphApiStub() as stub:
        yield stub
