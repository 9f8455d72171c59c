"""Starts and stops the real servers: the action server and the Rasa server.

Used by `make run` (fixed ports), the end-to-end tests and the benchmarks (free ports).
Each server runs in its own process group and logs to a file in the work directory.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(check, timeout: float, what: str, process: subprocess.Popen,
                log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
            raise RuntimeError(
                f"{what} s'est arrêté (code {process.returncode}). Fin du journal :\n{tail}")
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{what} n'a pas démarré en {timeout:.0f} s (journal : {log})")


@dataclass
class ManagedProcess:
    name: str
    command: list[str]
    log_path: Path
    env: dict[str, str]
    process: subprocess.Popen | None = None

    def start(self) -> subprocess.Popen:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                start_new_session=True,  # own process group: stopping it stops its children
            )
        return self.process

    def stop(self, grace: float = 10) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)
        except ProcessLookupError:
            pass

    def peak_rss_kb(self) -> int | None:
        """Peak resident memory (VmHWM) of the process, from /proc."""
        if self.process is None:
            return None
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None


@dataclass
class RasaStack:
    """The action server and the Rasa server, with a SQLite tracker store in `workdir`."""

    model: Path
    workdir: Path
    credentials: Path = ROOT / "credentials.yml"
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    tracker_db: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    start_actions: bool = True

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.tracker_db = self.tracker_db or self.workdir / "tracker.db"
        self.endpoints = self.workdir / "endpoints.yml"
        self.endpoints.write_text(yaml.safe_dump({
            "action_endpoint": {"url": f"http://127.0.0.1:{self.action_port}/webhook"},
            "tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(self.tracker_db)},
        }))
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1",
               **self.extra_env}
        bin_dir = Path(sys.executable).parent
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
        self.actions = ManagedProcess(
            "serveur d'actions",
            [sys.executable, "-m", "rasa", "run", "actions", "--actions", "actions",
             "--port", str(self.action_port)],
            self.workdir / "actions.log", env,
        )
        self.rasa = ManagedProcess(
            "serveur Rasa",
            [sys.executable, "-m", "rasa", "run", "--model", str(self.model), "--enable-api",
             "--cors", "*", "--interface", self.host, "--port", str(self.rasa_port),
             "--credentials", str(self.credentials), "--endpoints", str(self.endpoints)],
            self.workdir / "rasa.log", env,
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def rest_url(self) -> str:
        return f"{self.base_url}/webhooks/rest/webhook"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def start(self, timeout: float = 240) -> RasaStack:
        if self.start_actions:
            self.start_action_server(timeout)
        self.start_rasa(timeout)
        return self

    def start_action_server(self, timeout: float = 120) -> None:
        process = self.actions.start()
        _wait_until(lambda: requests.get(f"{self.action_url}/health", timeout=2).ok,
                    timeout, self.actions.name, process, self.actions.log_path)

    def start_rasa(self, timeout: float = 240) -> None:
        process = self.rasa.start()

        def ready() -> bool:
            response = requests.get(f"{self.base_url}/status", timeout=2)
            return response.ok and bool(response.json().get("model_file"))

        _wait_until(ready, timeout, self.rasa.name, process, self.rasa.log_path)

    def stop_action_server(self) -> None:
        self.actions.stop()

    def stop_rasa(self) -> None:
        self.rasa.stop()

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()

    def __enter__(self) -> RasaStack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def say(self, sender: str, message: str, timeout: float = 60) -> list[dict]:
        """Sends one message over the REST webhook; returns the bot's messages."""
        response = requests.post(self.rest_url, json={"sender": sender, "message": message},
                                 timeout=timeout)
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict:
        response = requests.get(f"{self.base_url}/conversations/{sender}/tracker", timeout=30)
        response.raise_for_status()
        return response.json()


def bot_texts(messages: list[dict]) -> str:
    """All the bot's texts of one turn, joined: what the user reads."""
    return "\n".join(message.get("text", "") for message in messages)
