"""`make run` says each step of its start as it happens (runtime/run.py StartupProgress): the
action server answering its health check, then Rasa's libraries loaded (read from its log).
A real HTTP server stands for the action server; the log is a real file written meanwhile."""

from __future__ import annotations

import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

from runtime.run import StartupProgress


class Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_each_step_is_said_once_in_the_order_it_happens(tmp_path: Path, capsys):
    log = tmp_path / "rasa.log"
    log.write_text("2026-11-29 INFO Starting Rasa server on http://0.0.0.0:5005\n")  # earlier
    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    stack = SimpleNamespace(rasa=SimpleNamespace(log_path=log),
                            action_url=f"http://127.0.0.1:{server.server_port}")
    started = time.monotonic()
    with StartupProgress(stack, started, every_s=0.05) as progress:  # type: ignore[arg-type]
        time.sleep(0.3)
        assert progress.said == []  # the earlier start's line is not this start's
        threading.Thread(target=server.serve_forever, daemon=True).start()
        deadline = time.monotonic() + 5
        while not progress.said and time.monotonic() < deadline:
            time.sleep(0.05)
        with open(log, "a") as file:
            file.write("2026-11-30 INFO Starting Rasa server on http://0.0.0.0:5005\n")
        progress.join(5)
    server.shutdown()
    assert progress.said == ["serveur d'actions prêt",
                             "Rasa : bibliothèques chargées, lecture du modèle…"]
    assert re.search(r"^  · serveur d'actions prêt \(\d+ s\)$", capsys.readouterr().out, re.M)


def test_a_start_that_ends_before_the_steps_are_seen_stops_quietly(tmp_path: Path):
    stack = SimpleNamespace(rasa=SimpleNamespace(log_path=tmp_path / "absent.log"),
                            action_url="http://127.0.0.1:9")
    with StartupProgress(stack, time.monotonic(), every_s=0.05) as progress:  # type: ignore[arg-type]
        time.sleep(0.2)
    assert not progress.is_alive() and progress.said == []
