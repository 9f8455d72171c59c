"""`make run`: trains if needed, starts the action server, the Rasa server and the web page,
says where to talk to the assistant, and stops everything cleanly on Ctrl-C."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import signal
import sys
import threading
import time
from pathlib import Path

import requests

from runtime.stack import ROOT, ManagedProcess, RasaStack, watch
from runtime.train import ensure_model

RASA_PORT = 5005
ACTION_PORT = 5055
WEB_PORT = 8080
TOKEN_FILE = ROOT / "var" / "rasa_token"


def api_token() -> tuple[str, str]:
    """The token of Rasa's HTTP API and where it comes from: RASA_AUTH_TOKEN if set, else
    var/rasa_token, written (mode 600, git-ignored) on the first start."""
    token = os.environ.get("RASA_AUTH_TOKEN", "").strip()
    if token:
        return token, "la variable d'environnement RASA_AUTH_TOKEN"
    if not TOKEN_FILE.exists() or not TOKEN_FILE.read_text().strip():
        TOKEN_FILE.parent.mkdir(exist_ok=True)
        descriptor = os.open(TOKEN_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(32) + "\n")
    return TOKEN_FILE.read_text().strip(), str(TOKEN_FILE.relative_to(ROOT))


def _web_server(env: dict[str, str]) -> ManagedProcess | None:
    if importlib.util.find_spec("runtime.webserver") is None:
        return None
    return ManagedProcess(
        "page web", [sys.executable, "-m", "runtime.webserver", "--port", str(WEB_PORT)],
        ROOT / "var" / "web.log", env,
    )


class StartupProgress(threading.Thread):
    """Says each step of the start as it happens (the action server answers, Rasa has loaded
    its libraries, Rasa reads the model), so a slow start does not look like a hang."""

    # Lines of Rasa's log that mark a step (the same marks as benchmarks/bench_startup.py).
    RASA_STEPS = (("Starting Rasa server on", "bibliothèques chargées, lecture du modèle…"),)

    def __init__(self, stack: RasaStack, started: float, every_s: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.stack, self.started, self.every_s = stack, started, every_s
        self.done = threading.Event()
        self.said: list[str] = []
        log = stack.rasa.log_path  # appended to at each start: read only what this one adds
        self.offset = log.stat().st_size if log.exists() else 0

    def say(self, text: str) -> None:
        self.said.append(text)
        print(f"  · {text} ({time.monotonic() - self.started:.0f} s)", flush=True)

    def run(self) -> None:
        actions_up = False
        steps = list(self.RASA_STEPS)
        log = self.stack.rasa.log_path
        while not self.done.wait(self.every_s):
            if not actions_up:
                with contextlib.suppress(requests.RequestException):
                    actions_up = requests.get(f"{self.stack.action_url}/health", timeout=1).ok
                if actions_up:
                    self.say("serveur d'actions prêt")
            if steps and log.exists():
                with open(log, "rb") as file:
                    file.seek(self.offset)
                    new = file.read().decode("utf-8", errors="replace")
                for mark, text in [step for step in steps if step[0] in new]:
                    steps.remove((mark, text))
                    self.say(f"Rasa : {text}")
            if actions_up and not steps:
                return

    def __enter__(self) -> StartupProgress:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.join(2)


def main() -> int:
    (ROOT / "var").mkdir(exist_ok=True)
    model = ensure_model()
    token, token_origin = api_token()
    # Rasa listens on every interface (the channels are public) but its HTTP API answers only
    # with the token; the action server listens on 127.0.0.1 only.
    stack = RasaStack(
        model=model, workdir=ROOT / "var", rasa_port=RASA_PORT, action_port=ACTION_PORT,
        host="0.0.0.0", tracker_db=ROOT / "var" / "tracker.db", token=token,
    )
    web = _web_server(stack.env)
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        # A second Ctrl-C while stopping would leave servers running: finish the stop.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("\nArrêt des serveurs…", flush=True)
        if web:
            web.stop()
        stack.stop()
        print("Tout est arrêté. Les conversations restent dans var/tracker.db.", flush=True)

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    # A shell that starts us in the background ignores Ctrl-C for us: take it back.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        # Measured with a trained model (benchmarks/bench_startup.py, docs/performance.md
        # section 6): 10.1-11.1 s at load 3 (30 November), 12-17 s at load 5-7.
        print("Démarrage du serveur d'actions et du serveur Rasa (10 à 17 s selon la charge "
              "de la machine)…", flush=True)
        started = time.monotonic()
        with StartupProgress(stack, started):
            stack.start()
        if web:
            web.start()
        print(
            f"\nL'assistant est prêt en {time.monotonic() - started:.0f} s.\n"
            f"  • Page de discussion :  http://localhost:{WEB_PORT}/\n"
            f"  • Webhook REST :        POST http://localhost:{RASA_PORT}/webhooks/rest/webhook\n"
            f"  • Analyse NLU :         POST http://localhost:{RASA_PORT}/model/parse?token=…\n"
            f"  • Jeton de l'API HTTP de Rasa (conversations, modèle) : {token_origin}\n"
            f"  • Journaux :            {Path('var')}/rasa.log, var/actions.log\n"
            "Ctrl-C pour tout arrêter.",
            flush=True,
        )
        return watch([stack.rasa, stack.actions, web])
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"Échec du démarrage : {error}", file=sys.stderr)
        return 1
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
