"""The scaled setup (issue 13 §4), as Rasa runs in production, on one machine:

  nginx (one public port, no stickiness)
    -> N Rasa processes (same model, same token)
         tracker store: PostgreSQL (one tracker per conversation, shared)
         lock store:    Redis (one conversation's messages processed in order, whichever
                        process receives them)
         actions:       nginx (loopback) -> M action servers

PostgreSQL, Redis and nginx are the Debian packages (scripts/services/install.sh), started
in the foreground by scripts/services/start_*.sh with their data in `workdir`.

`make run-scaled` runs `python -m runtime.scaled` (data in var/scaled, public port 5005);
the tests and `benchmarks/bench_conversations.py --scaled` use ScaledStack on free ports.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml

from runtime.stack import (
    ROOT,
    ManagedProcess,
    _wait_until,
    action_server,
    bot_texts,
    free_port,
    rasa_ready,
    rasa_server,
    server_env,
    watch,
)

SERVICES = ROOT / "scripts" / "services"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
DATABASE = "rasa"
# A process that dies mid-turn leaves its ticket in Redis: the conversation waits this long
# (instead of Rasa's 60 s) before another process may take it. Longer than any turn.
LOCK_LIFETIME_S = 20
# Ports of `make run-scaled` (the tests and benchmarks take free ports).
PG_PORT = 54329
REDIS_PORT = 63799

# Rasa's SQLTrackerStore table (rasa/core/tracker_store.py, SQLEvent), created before the
# Rasa processes start so that they do not race to create it.
EVENTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id SERIAL PRIMARY KEY,
    sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT,
    intent_name VARCHAR(255),
    action_name VARCHAR(255),
    data TEXT
);
CREATE INDEX IF NOT EXISTS ix_events_sender_id ON events (sender_id);
"""


def install_services() -> None:
    """Installs the Debian packages if missing (raises RuntimeError with the reason)."""
    result = subprocess.run([str(SERVICES / "install.sh")], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError((result.stderr or result.stdout).strip() or "install.sh a échoué")


def _secret(path: Path) -> str:
    """A random password kept in `path` (mode 600), created on first use."""
    if not path.exists() or not path.read_text().strip():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(24) + "\n")
    return path.read_text().strip()


def process_children() -> dict[int, list[int]]:
    """Every running process's children, by parent pid, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    return children


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (kB)."""
    children = process_children()
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


@dataclass
class ScaledStack:
    """PostgreSQL + Redis + nginx + N Rasa processes + M action servers."""

    model: Path
    workdir: Path
    rasa_processes: int = 2
    action_servers: int = 2
    public_port: int = field(default_factory=free_port)
    public_host: str = "127.0.0.1"
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    credentials: Path = ROOT / "credentials.yml"
    extra_env: dict[str, str] = field(default_factory=dict)
    data_dir: Path | None = None  # PostgreSQL data; default workdir/postgres
    pg_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)  # nginx -> action servers
    rasa_ports: list[int] = field(default_factory=list)
    action_ports: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.workdir.chmod(0o755)  # the postgres user must reach its data directory
        self.data_dir = self.data_dir or self.workdir / "postgres"
        secrets_dir = self.workdir / "secrets"
        self.pg_password = _secret(secrets_dir / "postgres")
        self.redis_password = _secret(secrets_dir / "redis")
        self.rasa_ports = self.rasa_ports or [free_port() for _ in range(self.rasa_processes)]
        self.action_ports = self.action_ports or [free_port()
                                                  for _ in range(self.action_servers)]
        self.env = server_env({"TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_S),
                               **self.extra_env}, self.token)
        logs = self.workdir / "logs"
        logs.mkdir(exist_ok=True)
        self.postgres = ManagedProcess(
            "PostgreSQL", [str(SERVICES / "start_postgres.sh"), str(self.data_dir),
                           str(self.pg_port), str(secrets_dir / "postgres")],
            logs / "postgres.log", dict(os.environ))
        self.redis = ManagedProcess(
            "Redis", [str(SERVICES / "start_redis.sh"), str(self.workdir / "redis"),
                      str(self.redis_port), str(secrets_dir / "redis")],
            logs / "redis.log", dict(os.environ))
        self.nginx_conf = self.workdir / "nginx" / "nginx.conf"
        self.nginx = ManagedProcess("nginx", [str(SERVICES / "start_nginx.sh"),
                                              str(self.nginx_conf)],
                                    logs / "nginx.log", dict(os.environ))
        self.endpoints = self.workdir / "endpoints.yml"
        self.actions = [action_server(port, logs / f"actions-{index + 1}.log", self.env,
                                      f"serveur d'actions {index + 1}")
                        for index, port in enumerate(self.action_ports)]
        self.rasas = [rasa_server(self.model, "127.0.0.1", port, self.credentials,
                                  self.endpoints, logs / f"rasa-{index + 1}.log", self.env,
                                  f"serveur Rasa {index + 1}")
                      for index, port in enumerate(self.rasa_ports)]

    # --- addresses ---------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host = "127.0.0.1" if self.public_host == "0.0.0.0" else self.public_host
        return f"http://{host}:{self.public_port}"

    @property
    def rest_url(self) -> str:
        return f"{self.base_url}/webhooks/rest/webhook"

    @property
    def rasa_urls(self) -> list[str]:
        """Each Rasa process directly (bypassing nginx)."""
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    @property
    def api_params(self) -> dict[str, str]:
        return {"token": self.token}

    @property
    def postgres_dsn(self) -> dict[str, object]:
        return {"host": "127.0.0.1", "port": self.pg_port, "user": "rasa",
                "password": self.pg_password, "dbname": DATABASE}

    # --- configuration -----------------------------------------------------------------

    def _write_endpoints(self) -> None:
        self.endpoints.write_text(yaml.safe_dump({
            "action_endpoint": {"url": f"http://127.0.0.1:{self.actions_port}/webhook"},
            # Rasa's SQL tracker store reading only the new rows (runtime/tracker_store.py).
            "tracker_store": {"type": "runtime.tracker_store.CachedSQLTrackerStore",
                              "dialect": "postgresql", "url": "127.0.0.1",
                              "port": self.pg_port, "db": DATABASE, "username": "rasa",
                              "password": self.pg_password},
            # Rasa's Redis lock store with atomic ticket changes (runtime/lock_store.py).
            "lock_store": {"type": "runtime.lock_store.AtomicRedisLockStore",
                           "url": "127.0.0.1", "port": self.redis_port,
                           "password": self.redis_password, "db": 1,
                           "key_prefix": "renovation"},
        }))
        self.endpoints.chmod(0o600)

    def _write_nginx_conf(self) -> None:
        prefix = self.nginx_conf.parent
        for sub in ("logs", "temp"):
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        user_directive = ""
        if os.geteuid() == 0:
            # Workers as the package's unprivileged user; they write only the temp files.
            user_directive = "user www-data;"
            shutil.chown(prefix / "temp", "www-data")
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
                            for port in self.rasa_ports)
        actions = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
                            for port in self.action_ports)
        text = NGINX_TEMPLATE.read_text()
        for key, value in {"prefix": str(prefix), "user_directive": user_directive,
                           "rasa_servers": servers, "action_servers": actions,
                           "public_host": self.public_host,
                           "public_port": str(self.public_port),
                           "actions_port": str(self.actions_port)}.items():
            text = text.replace("{" + key + "}", value)
        self.nginx_conf.write_text(text)

    # --- start and stop ----------------------------------------------------------------

    def start(self, timeout: float = 300) -> ScaledStack:
        install_services()
        self._write_endpoints()
        self._write_nginx_conf()
        # Everything at once: the Rasa processes spend their first 4-8 s importing Rasa and
        # TensorFlow, while PostgreSQL is ready in 0.2 s (2 s when it creates its data) and
        # the database is made ready meanwhile. Should a Rasa process reach its tracker store
        # first, Rasa retries the connection by itself (rasa/core/tracker_store.py).
        self.postgres.start()
        self.redis.start()
        for server in self.actions:
            server.start()
        self.nginx.start()
        for process in self.rasas:
            process.start()
        try:
            _wait_until(self._postgres_ready, 60, "PostgreSQL", self.postgres.process,
                        self.postgres.log_path)
            self._ensure_database()
            _wait_until(self._redis_ready, 30, "Redis", self.redis.process,
                        self.redis.log_path)
            for server, port in zip(self.actions, self.action_ports, strict=True):
                _wait_until(lambda p=port: requests.get(f"http://127.0.0.1:{p}/health",
                                                        timeout=2).ok,
                            timeout, server.name, server.process, server.log_path)
            for process, url in zip(self.rasas, self.rasa_urls, strict=True):
                _wait_until(lambda u=url: rasa_ready(u, self.token), timeout, process.name,
                            process.process, process.log_path)
            _wait_until(lambda: requests.get(f"{self.base_url}/", timeout=2).ok, 30, "nginx",
                        self.nginx.process, self.nginx.log_path)
        except BaseException:
            self.stop()
            raise
        return self

    def _postgres_ready(self) -> bool:
        import psycopg2  # noqa: PLC0415 (Rasa's dependency; only the scaled setup needs it)

        try:
            psycopg2.connect(**{**self.postgres_dsn, "dbname": "postgres"},
                             connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True

    def _redis_ready(self) -> bool:
        import redis  # noqa: PLC0415

        try:
            return bool(redis.Redis(host="127.0.0.1", port=self.redis_port,
                                    password=self.redis_password, socket_timeout=2).ping())
        except redis.RedisError:
            return False

    def _ensure_database(self, attempts: int = 3) -> None:
        import psycopg2  # noqa: PLC0415

        admin = psycopg2.connect(**{**self.postgres_dsn, "dbname": "postgres"})
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {DATABASE}")
        admin.close()
        try:
            with psycopg2.connect(**self.postgres_dsn) as connection, \
                    connection.cursor() as cursor:
                cursor.execute(EVENTS_SCHEMA)
        except psycopg2.IntegrityError:
            # A Rasa process created the same table at the same instant: look again.
            if attempts <= 1:
                raise
            time.sleep(0.5)
            self._ensure_database(attempts - 1)

    def stop(self) -> None:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda p: p.stop(), [*self.rasas, self.nginx, *self.actions]))
        # PostgreSQL's fast shutdown (SIGINT): no client is left once Rasa has stopped.
        self._signal_group(self.postgres, signal.SIGINT)
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda p: p.stop(), [self.postgres, self.redis]))

    @staticmethod
    def _signal_group(process: ManagedProcess, signum: int) -> None:
        if process.process is not None and process.process.poll() is None:
            try:
                os.killpg(process.process.pid, signum)
                process.process.wait(15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass

    def kill_rasa(self, index: int) -> None:
        """Kills one Rasa process at once (SIGKILL), as a crash would."""
        process = self.rasas[index].process
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def __enter__(self) -> ScaledStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- talking to it -----------------------------------------------------------------

    def say(self, sender: str, message: str, timeout: float = 60,
            via: str | None = None) -> list[dict]:
        """One message over the REST webhook, through nginx or straight to `via`."""
        response = requests.post(f"{via or self.base_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message}, timeout=timeout)
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str, via: str | None = None) -> dict:
        response = requests.get(f"{via or self.base_url}/conversations/{sender}/tracker",
                                params=self.api_params, timeout=30)
        response.raise_for_status()
        return response.json()

    def peak_rss_kb_by_process(self) -> dict[str, int | None]:
        """Peak memory of each Rasa and action process; current memory of each service."""
        memory: dict[str, int | None] = {}
        for index, process in enumerate(self.rasas):
            memory[f"rasa-{index + 1}"] = process.peak_rss_kb()
        for index, process in enumerate(self.actions):
            memory[f"actions-{index + 1}"] = process.peak_rss_kb()
        for name, process in (("postgres", self.postgres), ("redis", self.redis),
                              ("nginx", self.nginx)):
            memory[name] = _tree_rss_kb(process.process.pid) if process.process else None
        return memory


def purge_daily(stack: ScaledStack) -> threading.Thread:
    """The privacy notice's promise (30 days) kept without the web page's server: the
    conversations inactive for longer are purged from PostgreSQL at start, then daily, with
    their expired summaries and callback requests (as runtime/webserver.py does for SQLite)."""
    from bot.handoff import store  # noqa: PLC0415
    from channels.privacy import purge_inactive, url_from_endpoints  # noqa: PLC0415

    def purge() -> None:
        while True:
            try:
                count = purge_inactive(url_from_endpoints(stack.endpoints))
                # The handoff store the action servers write (HANDOFF_DB, else var/).
                handoff = stack.env.get("HANDOFF_DB")
                store.purge_expired(Path(handoff) if handoff else None)
                if count:
                    print(f"{count} conversation(s) inactive(s) effacée(s).", flush=True)
            except Exception as error:  # noqa: BLE001 (a failed purge must not stop serving)
                print(f"Purge des conversations impossible : {error}", file=sys.stderr)
            time.sleep(24 * 3600)

    thread = threading.Thread(target=purge, name="purge", daemon=True)
    thread.start()
    return thread


def main() -> int:
    """`make run-scaled`: the scaled setup on port 5005 (data in var/scaled)."""
    from runtime.run import api_token  # noqa: PLC0415
    from runtime.train import ensure_model  # noqa: PLC0415

    parser = argparse.ArgumentParser(description="Rasa à l'échelle : nginx, PostgreSQL, Redis")
    parser.add_argument("--rasa-processes", type=int,
                        default=int(os.environ.get("RASA_PROCESSES", "2")))
    parser.add_argument("--action-servers", type=int,
                        default=int(os.environ.get("ACTION_SERVERS", "2")))
    parser.add_argument("--port", type=int, default=5005)
    parser.add_argument("--web-port", type=int, default=8080,
                        help="port de la page web (0 : pas de page)")
    args = parser.parse_args()
    model = ensure_model()
    token, token_origin = api_token()
    # Fixed ports, so that scripts/migrate_sqlite_to_postgres.py finds PostgreSQL.
    stack = ScaledStack(model=model, workdir=ROOT / "var" / "scaled",
                        rasa_processes=args.rasa_processes,
                        action_servers=args.action_servers, public_port=args.port,
                        public_host="0.0.0.0", token=token, pg_port=PG_PORT,
                        redis_port=REDIS_PORT, actions_port=5150,
                        rasa_ports=[5105 + i for i in range(args.rasa_processes)],
                        action_ports=[5155 + i for i in range(args.action_servers)])
    # The web page, its erase button and dashboard reading the setup's PostgreSQL (its
    # endpoints.yml); the daily purge is purge_daily's, not the page's. `make run-scaled`
    # does not build the widget (make setup-web): without it, the rest runs, and says so.
    from runtime.webserver import WIDGET_BUNDLE  # noqa: PLC0415

    if args.web_port and not WIDGET_BUNDLE.is_file():
        print(f"Page web non démarrée : {WIDGET_BUNDLE.relative_to(ROOT)} est absent "
              "(make setup-web l'installe).", flush=True)
        args.web_port = 0
    web = ManagedProcess(
        "page web", [sys.executable, "-m", "runtime.webserver", "--port", str(args.web_port),
                     "--rasa-port", str(args.port), "--endpoints", str(stack.endpoints),
                     "--retention-days", "0"],
        stack.workdir / "logs" / "web.log", stack.env) if args.web_port else None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        print(f"Démarrage : PostgreSQL, Redis, nginx, {args.rasa_processes} serveurs Rasa, "
              f"{args.action_servers} serveurs d'actions…", flush=True)
        started = time.monotonic()
        stack.start()
        if web:
            web.start()
        print(
            f"\nPrêt en {time.monotonic() - started:.0f} s.\n"
            + (f"  • Page de discussion : http://localhost:{args.web_port}/\n" if web else "")
            + f"  • Webhook REST :  POST http://localhost:{args.port}/webhooks/rest/webhook\n"
            f"  • socket.io :     http://localhost:{args.port}/socket.io/\n"
            f"  • Jeton de l'API HTTP de Rasa : {token_origin}\n"
            f"  • Conversations : PostgreSQL ({stack.data_dir.relative_to(ROOT)}), verrous :"
            f" Redis, journaux : {(stack.workdir / 'logs').relative_to(ROOT)}/\n"
            "Ctrl-C pour tout arrêter.", flush=True)
        purge_daily(stack)
        return watch([*stack.rasas, *stack.actions, stack.nginx, stack.postgres, stack.redis,
                      web])
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"Échec du démarrage : {error}", file=sys.stderr)
        return 1
    finally:
        # A second Ctrl-C while stopping would leave PostgreSQL, Redis or nginx running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("\nArrêt des serveurs…", flush=True)
        if web:
            web.stop()
        stack.stop()


__all__ = ["ScaledStack", "bot_texts"]

if __name__ == "__main__":
    sys.exit(main())
