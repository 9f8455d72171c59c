"""The web chat page (web/) on port 8080, the project summaries and the operator's dashboard,
served by Sanic (the server Rasa already brings).

    python -m runtime.webserver [--host 0.0.0.0] [--port 8080] [--rasa-port 5005 | --rasa-url URL]
                                [--tracker-db var/tracker.db | --tracker-url URL |
                                 --endpoints var/scaled/endpoints.yml]
                                [--handoff-db var/handoff.db] [--retention-days 30]

- `/config.js` tells the page where Rasa's socket.io channel is: `--rasa-url`, or the host
  the browser used with `--rasa-port` (so the page works from another device of the network).
- The page's HTML gets the operator's name and contact from ASSISTANT_OPERATOR and
  ASSISTANT_CONTACT (environment).
- `POST /api/effacer {"session_id": "…"}` erases that conversation from the tracker store, its
  summaries and its callback requests (the page's « Effacer ma conversation » button);
  conversations inactive for more than `--retention-days` are purged at start and then daily.
  Both go through channels/privacy.py (SQLAlchemy): the SQLite file of `make run`
  (`--tracker-db`), or any SQL store, such as the PostgreSQL of `make run-scaled`, given by its
  URL (`--tracker-url`) or by the setup's endpoints.yml (`--endpoints`, password included).
- `/recapitulatif/<jeton>` and `/recapitulatif/<jeton>.pdf`: the household's summary (issue 14);
  the token is random, expires after the retention, and carries no personal data.
- `/admin`: the operator's dashboard, only when HANDOFF_ADMIN_TOKEN is set (login form, then a
  session cookie); otherwise it does not exist.
- The outbox of callback requests is delivered in the background (bot.handoff.outbox).
- Strict headers: a Content-Security-Policy that allows only this server and Rasa's, nosniff,
  no referrer.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import hmac
import html
import json
import logging
import os
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sanic import Request, Sanic, response
from sanic.exceptions import MethodNotSupported, NotFound

from bot.handoff import store
from bot.handoff.dashboard import aggregate
from bot.handoff.outbox import Worker
from bot.handoff.render import render_html, render_pdf, summary_pdf
from channels.common import InputError, check_sender
from channels.privacy import (
    DEFAULT_DB,
    RETENTION_DAYS,
    StoreError,
    Target,
    erase_conversation,
    parse_url,
    purge_inactive,
    url_from_endpoints,
)

logger = logging.getLogger("runtime.webserver")

ROOT = Path(__file__).resolve().parent.parent
WEB_DIR = ROOT / "web"
WIDGET_BUNDLE = WEB_DIR / "dist" / "webchat.js"

DEFAULT_OPERATOR = "l'équipe du projet open source « Assistant rénovation énergétique »"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
}
# What may be served: the page's own files and the copied widget bundle, nothing else
# (not node_modules, package files or build.js).
PUBLIC_FILES = {"index.html", "confidentialite.html", "app.js", "style.css", "favicon.svg",
                "dist/webchat.js", "dist/LICENSE-rasa-webchat.txt"}
# The dashboard's files (served to a logged-in operator only), the chart library from npm.
ADMIN_FILES = {"admin.js": WEB_DIR / "admin" / "admin.js",
               "admin.css": WEB_DIR / "admin" / "admin.css",
               "chart.js": WEB_DIR / "node_modules" / "chart.js" / "dist" / "chart.umd.js"}
MAX_API_BODY = 4096
ADMIN_COOKIE = "admin_session"
NOT_FOUND = "Page introuvable."


class Settings:
    def __init__(self, rasa_url: str | None, rasa_port: int, tracker_db: Path,
                 operator: str, contact: str, handoff_db: Path | None = None,
                 admin_token: str | None = None, tracker_store: Target | None = None) -> None:
        self.rasa_url = rasa_url.rstrip("/") if rasa_url else None
        self.rasa_port = rasa_port
        self.tracker_db = tracker_db  # the SQLite file the dashboard reads
        # Where erase and purge delete: that file, or a SQL store's URL (PostgreSQL).
        self.tracker_store: Target = tracker_store if tracker_store is not None else tracker_db
        self.operator = operator
        self.contact = contact
        self.handoff_db = handoff_db or store.default_db()
        self.admin_token = admin_token or None

    def socket_url(self, host_header: str | None) -> str:
        """Rasa's URL as the browser must reach it: same host name as this page."""
        if self.rasa_url:
            return self.rasa_url
        hostname = urlsplit(f"//{host_header or 'localhost'}").hostname or "localhost"
        if ":" in hostname:  # IPv6 literal
            hostname = f"[{hostname}]"
        return f"http://{hostname}:{self.rasa_port}"

    def render(self, page: str) -> bytes:
        contact = (f' — contact : <a href="mailto:{html.escape(self.contact)}">'
                   f"{html.escape(self.contact)}</a>") if self.contact else ""
        return (page.replace("{{OPERATOR}}", html.escape(self.operator, quote=False))
                    .replace("{{CONTACT}}", contact)
                    .replace("{{RETENTION_DAYS}}", str(RETENTION_DAYS))
                    .encode("utf-8"))

    def admin_session(self) -> str | None:
        """The cookie value a logged-in operator holds: derived from the token, never it."""
        if not self.admin_token:
            return None
        return hmac.new(self.admin_token.encode(), b"admin-session", hashlib.sha256).hexdigest()


def content_security_policy(socket_url: str) -> str:
    origin = urlsplit(socket_url)
    ws_scheme = "wss" if origin.scheme == "https" else "ws"
    rasa = f"{origin.scheme}://{origin.netloc} {ws_scheme}://{origin.netloc}"
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: https:; font-src 'self' data:; connect-src 'self' {rasa}; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def _raw(body: bytes | str, content_type: str, status: int = 200,
         cache: str = "no-cache", **headers: str) -> response.HTTPResponse:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return response.raw(data, status=status, content_type=content_type,
                        headers={"Cache-Control": cache, **headers})


def _json(payload: dict, status: int = 200) -> response.HTTPResponse:
    return _raw(json.dumps(payload, ensure_ascii=False), "application/json; charset=utf-8",
                status)


def _not_found() -> response.HTTPResponse:
    return _raw(NOT_FOUND, CONTENT_TYPES[".txt"], 404)


def make_app(settings: Settings, name: str = "assistant_web") -> Sanic:
    app = Sanic(name, configure_logging=False)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.KEEP_ALIVE_TIMEOUT = 15

    @app.on_response
    async def security_headers(request: Request, resp: response.HTTPResponse) -> None:
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["Content-Security-Policy"] = content_security_policy(
            settings.socket_url(request.headers.get("host")))

    @app.exception(NotFound, MethodNotSupported)
    async def missing(request: Request, exception: Exception) -> response.HTTPResponse:
        if request.path.startswith("/api/"):
            return _json({"error": "Adresse inconnue."}, 404)
        return _not_found()

    @app.route("/config.js", methods=["GET", "HEAD"])
    async def config_js(request: Request) -> response.HTTPResponse:
        config = {"socketUrl": settings.socket_url(request.headers.get("host")),
                  "socketPath": "/socket.io/"}
        return _raw(f"window.ASSISTANT_CONFIG = {json.dumps(config)};\n", CONTENT_TYPES[".js"])

    @app.route("/", methods=["GET", "HEAD"])
    async def index(request: Request) -> response.HTTPResponse:
        return await static(request, "index.html")

    @app.route("/<name:path>", methods=["GET", "HEAD"])
    async def static(request: Request, name: str) -> response.HTTPResponse:
        if name not in PUBLIC_FILES:
            return _not_found()
        file = WEB_DIR / name
        try:
            body = file.read_bytes()
        except OSError:
            return _not_found()
        if file.suffix == ".html":
            body = settings.render(body.decode("utf-8"))
        cache = "public, max-age=3600" if name.startswith("dist/") else "no-cache"
        return _raw(body, CONTENT_TYPES.get(file.suffix, "application/octet-stream"),
                    cache=cache)

    @app.post("/api/effacer")
    async def erase(request: Request) -> response.HTTPResponse:
        # JSON only: a cross-site form cannot send it without a CORS preflight, which this
        # server never grants.
        if (request.headers.get("content-type") or "").split(";")[0].strip() != \
                "application/json":
            return _json({"error": "Le corps doit être du JSON (Content-Type: "
                                   "application/json)."}, 400)
        if not 0 < len(request.body or b"") <= MAX_API_BODY:
            return _json({"error": "Corps de requête absent ou trop long."}, 400)
        try:
            body = json.loads(request.body.decode("utf-8"))
            session_id = check_sender(
                body.get("session_id") if isinstance(body, dict) else None, "session_id")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _json({"error": "Le corps doit être un objet JSON."}, 400)
        except InputError as error:
            return _json({"error": str(error), "field": error.field}, 400)
        try:
            erased = await asyncio.to_thread(erase_conversation, settings.tracker_store,
                                             session_id, settings.handoff_db)
        except Exception:  # SQLAlchemyError, StoreError, OSError: a sentence, not a trace
            logger.exception("Effacement impossible")
            return _json({"error": "L'effacement a échoué ; réessayez plus tard."}, 503)
        return _json({"erased_events": erased})

    @app.route("/recapitulatif/<name>", methods=["GET", "HEAD"])
    async def summary(request: Request, name: str) -> response.HTTPResponse:
        token, is_pdf = (name[:-4], True) if name.endswith(".pdf") else (name, False)
        found = await asyncio.to_thread(store.load_summary, token, settings.handoff_db)
        if found is None:
            return _raw("Ce récapitulatif n'existe pas ou a expiré (il est conservé "
                        f"{RETENTION_DAYS} jours). Demandez-en un nouveau dans la conversation.",
                        CONTENT_TYPES[".txt"], 404, cache="no-store")
        data, expires = found
        expiry = dt.date.fromtimestamp(expires).isoformat()
        private = {"cache": "private, no-store", "X-Robots-Tag": "noindex, nofollow"}
        if is_pdf:
            try:
                pdf = await asyncio.to_thread(render_pdf, data, expiry)
            except Exception:  # OSError: Pango missing; never a trace to the household
                logger.exception("PDF du récapitulatif impossible")
                return _raw("Le PDF n'est pas disponible pour le moment ; la page du "
                            "récapitulatif reste consultable.", CONTENT_TYPES[".txt"], 503,
                            cache="no-store")
            return _raw(pdf, CONTENT_TYPES[".pdf"], **private,
                        **{"Content-Disposition": 'inline; filename="recapitulatif.pdf"'})
        page = render_html(data, pdf_url=f"/recapitulatif/{token}.pdf", expires=expiry)
        return _raw(page, CONTENT_TYPES[".html"], **private)

    def _is_operator(request: Request) -> bool:
        session = settings.admin_session()
        cookie = request.cookies.get(ADMIN_COOKIE) or ""
        return session is not None and hmac.compare_digest(cookie, session)

    @app.get("/admin")
    async def admin(request: Request) -> response.HTTPResponse:
        if settings.admin_token is None:
            return _not_found()  # never public by default: without a token it does not exist
        page = "index.html" if _is_operator(request) else "login.html"
        body = (WEB_DIR / "admin" / page).read_text(encoding="utf-8")
        return _raw(body.replace("{{ERROR}}", ""), CONTENT_TYPES[".html"], cache="no-store")

    @app.post("/admin/connexion")
    async def admin_login(request: Request) -> response.HTTPResponse:
        if settings.admin_token is None:
            return _not_found()
        given = (request.form.get("jeton") or "") if request.form else ""
        if not hmac.compare_digest(given.encode(), settings.admin_token.encode()):
            await asyncio.sleep(0.5)  # slows down guessing
            body = (WEB_DIR / "admin" / "login.html").read_text(encoding="utf-8")
            return _raw(body.replace("{{ERROR}}", '<p class="error" role="alert">Jeton '
                                     'incorrect.</p>'), CONTENT_TYPES[".html"], 403,
                        cache="no-store")
        resp = response.redirect("/admin", status=303)
        resp.cookies[ADMIN_COOKIE] = settings.admin_session() or ""
        resp.cookies[ADMIN_COOKIE]["httponly"] = True
        resp.cookies[ADMIN_COOKIE]["samesite"] = "Strict"
        resp.cookies[ADMIN_COOKIE]["path"] = "/admin"
        return resp

    @app.get("/admin/donnees.json")
    async def admin_data(request: Request) -> response.HTTPResponse:
        if not _is_operator(request):
            return _json({"error": "Connexion requise."}, 403)
        figures = await asyncio.to_thread(aggregate, settings.tracker_db, settings.handoff_db)
        return _json(figures)

    @app.get("/admin/<name>")
    async def admin_file(request: Request, name: str) -> response.HTTPResponse:
        if name not in ADMIN_FILES or not _is_operator(request):
            return _not_found()
        file = ADMIN_FILES[name]
        return _raw(file.read_bytes(), CONTENT_TYPES[file.suffix], cache="private, max-age=600")

    return app


def _purge_daily(settings: Settings, days: float, stop: threading.Event) -> None:
    while True:
        try:
            count = purge_inactive(settings.tracker_store, days)
            if count:
                logger.info("%d conversation(s) inactive(s) effacée(s)", count)
            store.purge_expired(settings.handoff_db, days=days)
        except Exception:
            logger.exception("Purge des conversations impossible")
        if stop.wait(24 * 3600):
            return


def _warm_pdf() -> None:
    try:
        from weasyprint import HTML

        HTML(string="<p>Mon récapitulatif</p>").write_pdf()
    except Exception:  # a missing Pango shows on the first real PDF, with its own message
        logger.warning("Le moteur PDF n'a pas pu être préchargé.")


class WebServer:
    """The app in its own thread and event loop (tests, and `runtime.run` through main())."""

    def __init__(self, host: str, port: int, settings: Settings,
                 retention_days: float | None, outbox: bool = True) -> None:
        if not WIDGET_BUNDLE.is_file():
            raise FileNotFoundError(
                f"{WIDGET_BUNDLE.relative_to(ROOT)} est absent : lancez "
                "scripts/setup_browser.sh (ou make setup-web) pour installer le widget.")
        # Sanic's "touchup" rewrites server methods at start; test mode keeps the originals so
        # that several apps can run in one process (the tests start one per module).
        Sanic.test_mode = True
        self.settings = settings
        self.app = make_app(settings, f"assistant_web_{os.getpid()}_{id(self)}")
        self.host, self.requested_port = host, port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server: Any = None
        self._port = port
        self.stop_event = threading.Event()
        self.retention_days = retention_days
        self.worker = Worker(settings.handoff_db, attachment_for=lambda token: summary_pdf(
            token, settings.handoff_db)) if outbox else None

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> WebServer:
        self.thread.start()

        # Our own bound socket: Sanic 21.12 reads port 0 as "its default 8000", not "any".
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.requested_port))
        except OSError:
            sock.close()
            self.loop.call_soon_threadsafe(self.loop.stop)
            raise

        async def serve() -> Any:
            server = await self.app.create_server(sock=sock, return_asyncio_server=True,
                                                  access_log=False)
            await server.startup()
            await server.start_serving()
            return server

        self._port = sock.getsockname()[1]
        self.server = asyncio.run_coroutine_threadsafe(serve(), self.loop).result(30)
        if self.retention_days is not None:
            threading.Thread(target=_purge_daily, daemon=True,
                             args=(self.settings, self.retention_days, self.stop_event)).start()
        if self.worker is not None:
            self.worker.start()
        # The first PDF loads Pango and the fonts (about 1-3 s): pay it now, not on the
        # first household's click.
        threading.Thread(target=_warm_pdf, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        if self.worker is not None:
            self.worker.stop()
        if self.server is not None:
            async def close() -> None:
                self.server.close()
                await self.server.wait_closed()

            asyncio.run_coroutine_threadsafe(close(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    # The http.server API this class replaced, for callers written against it (the channels'
    # e2e test): the server already runs once started.
    @property
    def server_address(self) -> tuple[str, int]:
        return self.host, self.port

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self.stop_event.wait()

    def shutdown(self) -> None:
        if not self.stop_event.is_set():
            self.stop()

    def server_close(self) -> None:
        """Nothing left to close after shutdown()."""


def serve(host: str, port: int, settings: Settings, retention_days: float | None,
          outbox: bool = True) -> WebServer:
    return WebServer(host, port, settings, retention_days, outbox).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sert la page du chat (web/).")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-port", type=int, default=5005,
                        help="port de Rasa, sur le même hôte que la page (défaut : 5005)")
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_PUBLIC_URL"),
                        help="adresse publique de Rasa, si elle n'est pas sur le même hôte")
    store = parser.add_mutually_exclusive_group()
    store.add_argument("--tracker-db", type=Path, default=DEFAULT_DB,
                       help=f"base SQLite des conversations (défaut : {DEFAULT_DB})")
    store.add_argument("--tracker-url",
                       help="adresse SQLAlchemy de la base des conversations (PostgreSQL…)")
    store.add_argument("--endpoints", type=Path,
                       help="endpoints.yml de l'installation (son tracker_store, par exemple "
                            "var/scaled/endpoints.yml de make run-scaled)")
    parser.add_argument("--handoff-db", type=Path, default=None,
                        help="base des récapitulatifs et demandes de rappel "
                             "(défaut : HANDOFF_DB ou var/handoff.db)")
    parser.add_argument("--retention-days", type=float, default=RETENTION_DAYS,
                        help="purge des conversations inactives ; 0 : pas de purge")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    try:
        tracker_store: sa.engine.URL | None = url_from_endpoints(args.endpoints) \
            if args.endpoints \
            else parse_url(args.tracker_url) if args.tracker_url else None
    except StoreError as error:
        print(f"Page web : {error}", file=sys.stderr)
        return 2
    dashboard_db = args.tracker_db
    if tracker_store is not None:
        # The dashboard (bot/handoff/dashboard.py) reads a SQLite file only: that of the store,
        # or none (PostgreSQL) rather than make run's var/tracker.db, another setup's data.
        sqlite = tracker_store.get_backend_name() == "sqlite" and tracker_store.database
        dashboard_db = Path(tracker_store.database) if sqlite else Path(os.devnull)
    settings = Settings(args.rasa_url, args.rasa_port, dashboard_db,
                        os.environ.get("ASSISTANT_OPERATOR") or DEFAULT_OPERATOR,
                        os.environ.get("ASSISTANT_CONTACT", ""), args.handoff_db,
                        os.environ.get("HANDOFF_ADMIN_TOKEN"), tracker_store)
    try:
        server = serve(args.host, args.port, settings, args.retention_days or None)
    except (FileNotFoundError, OSError) as error:
        print(f"Page web : {error}", file=sys.stderr)
        return 1
    print(f"Page web : http://{args.host}:{server.port}/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
