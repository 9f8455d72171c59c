"""The web chat page (web/) on port 8080: a small static server from the standard library.

    python -m runtime.webserver [--host 0.0.0.0] [--port 8080] [--rasa-port 5005 | --rasa-url URL]
                                [--tracker-db var/tracker.db] [--retention-days 30]

- `/config.js` tells the page where Rasa's socket.io channel is: `--rasa-url`, or the host
  the browser used with `--rasa-port` (so the page works from another device of the network).
- The page's HTML gets the operator's name and contact from ASSISTANT_OPERATOR and
  ASSISTANT_CONTACT (environment).
- `POST /api/effacer {"session_id": "…"}` erases that conversation from the tracker store
  (the page's « Effacer ma conversation » button); conversations inactive for more than
  `--retention-days` are purged at start and then daily, as the privacy notice says.
- Strict headers: a Content-Security-Policy that allows only this server and Rasa's, nosniff,
  no referrer.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import os
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from channels.common import InputError, check_sender
from channels.privacy import DEFAULT_DB, RETENTION_DAYS, erase_conversation, purge_inactive

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
}
# What may be served: the page's own files and the copied widget bundle, nothing else
# (not node_modules, package files or build.js).
PUBLIC_FILES = {"index.html", "confidentialite.html", "app.js", "style.css", "favicon.svg",
                "dist/webchat.js", "dist/LICENSE-rasa-webchat.txt"}
MAX_API_BODY = 4096


class Settings:
    def __init__(self, rasa_url: str | None, rasa_port: int, tracker_db: Path,
                 operator: str, contact: str) -> None:
        self.rasa_url = rasa_url.rstrip("/") if rasa_url else None
        self.rasa_port = rasa_port
        self.tracker_db = tracker_db
        self.operator = operator
        self.contact = contact

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


def content_security_policy(socket_url: str) -> str:
    origin = urlsplit(socket_url)
    ws_scheme = "wss" if origin.scheme == "https" else "ws"
    rasa = f"{origin.scheme}://{origin.netloc} {ws_scheme}://{origin.netloc}"
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: https:; font-src 'self' data:; connect-src 'self' {rasa}; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def make_handler(settings: Settings) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "assistant-web"
        sys_version = ""

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            logger.info("%s %s", self.address_string(), format % args)

        def _send(self, status: int, body: bytes, content_type: str,
                  cache: str = "no-cache") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Content-Security-Policy",
                             content_security_policy(settings.socket_url(self.headers["Host"])))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, status: int, payload: dict) -> None:
            self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")

        def do_GET(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            if path in ("/", ""):
                path = "/index.html"
            if path == "/config.js":
                config = {"socketUrl": settings.socket_url(self.headers["Host"]),
                          "socketPath": "/socket.io/"}
                body = f"window.ASSISTANT_CONFIG = {json.dumps(config)};\n".encode()
                self._send(HTTPStatus.OK, body, CONTENT_TYPES[".js"])
                return
            name = path.lstrip("/")
            file = WEB_DIR / name
            try:
                if name not in PUBLIC_FILES:
                    raise FileNotFoundError(name)
                body = file.read_bytes()
            except OSError:
                self._send(HTTPStatus.NOT_FOUND, b"Page introuvable.",
                           CONTENT_TYPES[".txt"])
                return
            if file.suffix == ".html":
                body = settings.render(body.decode("utf-8"))
            cache = "public, max-age=3600" if name.startswith("dist/") else "no-cache"
            self._send(HTTPStatus.OK, body,
                       CONTENT_TYPES.get(file.suffix, "application/octet-stream"), cache)

        do_HEAD = do_GET  # noqa: N815

        def do_POST(self) -> None:  # noqa: N802
            if urlsplit(self.path).path != "/api/effacer":
                self._json(HTTPStatus.NOT_FOUND, {"error": "Adresse inconnue."})
                return
            # JSON only: a cross-site form cannot send it without a CORS preflight, which this
            # server never grants.
            if (self.headers.get("Content-Type") or "").split(";")[0].strip() != \
                    "application/json":
                self._json(HTTPStatus.BAD_REQUEST, {
                    "error": "Le corps doit être du JSON (Content-Type: application/json)."})
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 < length <= MAX_API_BODY:
                self._json(HTTPStatus.BAD_REQUEST,
                           {"error": "Corps de requête absent ou trop long."})
                return
            try:
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                session_id = check_sender(
                    body.get("session_id") if isinstance(body, dict) else None, "session_id"
                )
            except (UnicodeDecodeError, json.JSONDecodeError):
                self._json(HTTPStatus.BAD_REQUEST, {"error": "Le corps doit être un objet JSON."})
                return
            except InputError as error:
                self._json(HTTPStatus.BAD_REQUEST, {"error": str(error), "field": error.field})
                return
            try:
                erased = erase_conversation(settings.tracker_db, session_id)
            except Exception:  # sqlite3.Error, OSError: the user gets a sentence, not a trace
                logger.exception("Effacement impossible")
                self._json(HTTPStatus.SERVICE_UNAVAILABLE,
                           {"error": "L'effacement a échoué ; réessayez plus tard."})
                return
            self._json(HTTPStatus.OK, {"erased_events": erased})

    return Handler


def _purge_daily(db: Path, days: float, stop: threading.Event) -> None:
    while True:
        try:
            count = purge_inactive(db, days)
            if count:
                logger.info("%d conversation(s) inactive(s) effacée(s)", count)
        except Exception:
            logger.exception("Purge des conversations impossible")
        if stop.wait(24 * 3600):
            return


def serve(host: str, port: int, settings: Settings, retention_days: float | None
          ) -> ThreadingHTTPServer:
    if not WIDGET_BUNDLE.is_file():
        raise FileNotFoundError(
            f"{WIDGET_BUNDLE.relative_to(ROOT)} est absent : lancez scripts/setup_browser.sh "
            "(ou make setup-web) pour installer le widget."
        )
    server = ThreadingHTTPServer((host, port), make_handler(settings))
    server.daemon_threads = True
    if retention_days is not None:
        stop = threading.Event()
        threading.Thread(target=_purge_daily, args=(settings.tracker_db, retention_days, stop),
                         daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sert la page du chat (web/).")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-port", type=int, default=5005,
                        help="port de Rasa, sur le même hôte que la page (défaut : 5005)")
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_PUBLIC_URL"),
                        help="adresse publique de Rasa, si elle n'est pas sur le même hôte")
    parser.add_argument("--tracker-db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--retention-days", type=float, default=RETENTION_DAYS,
                        help="purge des conversations inactives ; 0 : pas de purge")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    settings = Settings(args.rasa_url, args.rasa_port, args.tracker_db,
                        os.environ.get("ASSISTANT_OPERATOR") or DEFAULT_OPERATOR,
                        os.environ.get("ASSISTANT_CONTACT", ""))
    try:
        server = serve(args.host, args.port, settings, args.retention_days or None)
    except (FileNotFoundError, OSError) as error:
        print(f"Page web : {error}", file=sys.stderr)
        return 1
    print(f"Page web : http://{args.host}:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
