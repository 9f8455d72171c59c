"""Starts and stops the real servers: the action server and the Rasa server.

Used by `make run` (fixed ports), the end-to-end tests and the benchmarks (free ports).
Each server runs in its own process group and logs to a file in the work directory.
"""

from __future__ import annotations

import os
import secrets
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


def watch(processes: list[ManagedProcess | None], every_s: float = 1.0) -> int:
    """Blocks while every started process runs (`make run`, `make run-scaled`); when one
    stops, says which and where its log is, and returns 1. Ctrl-C reaches the caller."""
    while True:
        for managed in processes:
            if managed and managed.process and managed.process.poll() is not None:
                name = managed.name[:1].upper() + managed.name[1:]
                print(f"{name} s'est arrêté (voir {managed.log_path}).",
                      file=sys.stderr)
                return 1
        time.sleep(every_s)


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


def server_env(extra_env: dict[str, str], token: str) -> dict[str, str]:
    """Environment of the servers: the venv first on PATH, the API token, and the action
    server bound to 127.0.0.1 (rasa-sdk reads SANIC_HOST; only Rasa has to reach it)."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1",
           "SANIC_HOST": "127.0.0.1", **extra_env, "RASA_AUTH_TOKEN": token}
    bin_dir = Path(sys.executable).parent
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def action_server(port: int, log: Path, env: dict[str, str],
                  name: str = "serveur d'actions") -> ManagedProcess:
    return ManagedProcess(
        name, [sys.executable, "-m", "rasa", "run", "actions", "--actions", "actions",
               "--port", str(port)], log, env)


def rasa_server(model: Path, host: str, port: int, credentials: Path, endpoints: Path,
                log: Path, env: dict[str, str], name: str = "serveur Rasa") -> ManagedProcess:
    """Rasa with its HTTP API behind the token of env["RASA_AUTH_TOKEN"] (runtime.rasa_server
    keeps the token off the command line)."""
    return ManagedProcess(
        name, [sys.executable, "-m", "runtime.rasa_server", "run", "--model", str(model),
               "--enable-api", "--cors", "*", "--interface", host, "--port", str(port),
               "--credentials", str(credentials), "--endpoints", str(endpoints)],
        log, env)


def rasa_ready(base_url: str, token: str) -> bool:
    response = requests.get(f"{base_url}/status", params={"token": token}, timeout=2)
    return response.ok and bool(response.json().get("model_file"))


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
    # Token of Rasa's HTTP API (tracker, model, events): without it those calls get 401.
    # The channels (webhooks, socket.io) and the health check `/` need none.
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.tracker_db = self.tracker_db or self.workdir / "tracker.db"
        self.endpoints = self.workdir / "endpoints.yml"
        self.endpoints.write_text(yaml.safe_dump({
            "action_endpoint": {"url": f"http://127.0.0.1:{self.action_port}/webhook"},
            # Rasa's SQL tracker store reading only the new rows (runtime/tracker_store.py).
            "tracker_store": {"type": "runtime.tracker_store.CachedSQLTrackerStore",
                              "dialect": "sqlite", "db": str(self.tracker_db)},
        }))
        self.env = server_env(self.extra_env, self.token)
        self.actions = action_server(self.action_port, self.workdir / "actions.log", self.env)
        self.rasa = rasa_server(self.model, self.host, self.rasa_port, self.credentials,
                                self.endpoints, self.workdir / "rasa.log", self.env)

    @property
    def api_params(self) -> dict[str, str]:
        """Query parameters that open Rasa's HTTP API (`?token=…`)."""
        return {"token": self.token}

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
        # Both at once: Rasa does not need the action server to load its model.
        actions = self.actions.start() if self.start_actions else None
        rasa = self.rasa.start()
        try:
            if actions is not None:
                _wait_until(lambda: requests.get(f"{self.action_url}/health", timeout=2).ok,
                            timeout, self.actions.name, actions, self.actions.log_path)
            _wait_until(lambda: rasa_ready(self.base_url, self.token), timeout,
                        self.rasa.name, rasa, self.rasa.log_path)
        except BaseException:
            self.stop()
            raise
        return self

    def start_action_server(self, timeout: float = 120) -> None:
        process = self.actions.start()
        _wait_until(lambda: requests.get(f"{self.action_url}/health", timeout=2).ok,
                    timeout, self.actions.name, process, self.actions.log_path)

    def start_rasa(self, timeout: float = 240) -> None:
        process = self.rasa.start()

        _wait_until(lambda: rasa_ready(self.base_url, self.token), timeout, self.rasa.name,
                    process, self.rasa.log_path)

    def peak_rss_kb_by_process(self) -> dict[str, int | None]:
        return {"rasa": self.rasa.peak_rss_kb(), "actions": self.actions.peak_rss_kb()}

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
        response = requests.get(f"{self.base_url}/conversations/{sender}/tracker",
                                params=self.api_params, timeout=30)
        response.raise_for_status()
        return response.json()


def bot_texts(messages: list[dict]) -> str:
    """All the bot's texts of one turn, joined: what the user reads."""
    return "\n".join(message.get("text", "") for message in messages)
