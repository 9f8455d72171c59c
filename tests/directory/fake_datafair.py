"""A local HTTP server speaking the part of the data-fair API (data.ademe.fr) our code uses:
GET /data-fair/api/v1/datasets/<id>/lines with `qs` (Lucene subset: field:"x",
field:("a" OR "b"), field:true, joined by AND), `geo_distance` (lon:lat:metres, sorted by
distance, `_geo_distance` added), `select`, `size`, `after`, and the `next` link.

Unknown fields in `qs` or `select` answer 400, as Elasticsearch-backed data-fair does, so a
misspelt field name in the client fails the tests. Fault modes reproduce real incidents.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

PREFIX = "/data-fair/api/v1/datasets/"
_CLAUSE = re.compile(r'(\w+):(\((?:[^()"]|"(?:[^"\\]|\\.)*")*\)|"(?:[^"\\]|\\.)*"|[^\s()]+)')
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


class BadQuery(ValueError):
    pass


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse_qs_filter(query: str) -> list[tuple[str, list]]:
    """[(field, accepted values)] of a conjunction of clauses."""
    clauses, position = [], 0
    for match in _CLAUSE.finditer(query):
        between = query[position:match.start()].strip()
        if between not in ("", "AND"):
            raise BadQuery(f"unsupported query part {between!r}")
        field, raw = match.groups()
        if raw.startswith("("):
            inner = raw[1:-1]
            values = [_unescape(v) for v in _QUOTED.findall(inner)]
            if _QUOTED.sub("", inner).replace("OR", "").strip():
                raise BadQuery(f"unsupported group {raw!r}")
        elif raw.startswith('"'):
            values = [_unescape(raw[1:-1])]
        else:
            values = [{"true": True, "false": False}.get(raw, raw)]
        clauses.append((field, values))
        position = match.end()
    if query[position:].strip():
        raise BadQuery(f"unsupported query end {query[position:]!r}")
    return clauses


def haversine_m(lat1, lon1, lat2, lon2) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371000.0 * math.asin(min(1.0, math.sqrt(a)))


class FakeDataFair:
    """Start with `with FakeDataFair(datasets) as fake:`; `fake.base_url` is the
    datasets API base (what BOT_DATAFAIR_URL takes)."""

    def __init__(self, datasets: dict[str, list[dict]]) -> None:
        self.datasets = datasets
        self.faults: list[str] = []  # consumed one per request: "500", "timeout", "malformed"
        self.mode: str | None = None  # applied to every request when set
        self.timeout_sleep_s = 1.5
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/data-fair/api/v1/datasets"

    def __enter__(self) -> FakeDataFair:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def lines_requests(self, dataset: str) -> list[dict[str, str]]:
        return [params for path, params in self.requests if path == f"{PREFIX}{dataset}/lines"]

    # -- the API --------------------------------------------------------------------
    def answer(self, path: str, params: dict[str, str]) -> tuple[int, bytes]:
        if not path.startswith(PREFIX) or not path.endswith("/lines"):
            return 404, b'{"error":"not found"}'
        dataset = path[len(PREFIX):-len("/lines")]
        if dataset not in self.datasets:
            return 404, b'{"error":"dataset not found"}'
        rows = self.datasets[dataset]
        fields = set().union(*(row.keys() for row in rows)) if rows else set()
        try:
            selected = self._filter(rows, fields, params)
        except BadQuery as error:
            return 400, str(error).encode()
        size = min(int(params.get("size", 12)), 10000)
        offset = int(params.get("after", 0))
        page = selected[offset:offset + size]
        select = [f for f in params.get("select", "").split(",") if f]
        unknown = [f for f in select if f not in fields]
        if unknown:
            return 400, f"unknown fields in select: {unknown}".encode()
        if select:
            page = [{k: v for k, v in row.items() if k in select or k == "_geo_distance"}
                    for row in page]
        body: dict = {"total": len(selected), "results": page}
        if offset + size < len(selected):
            host, port = self._server.server_address[:2]
            body["next"] = (f"http://{host}:{port}{path}?"
                            + urlencode(dict(params, after=str(offset + size))))
        return 200, json.dumps(body, ensure_ascii=False).encode("utf-8")

    def _filter(self, rows: list[dict], fields: set[str], params: dict[str, str]) -> list[dict]:
        clauses = parse_qs_filter(params.get("qs", "")) if params.get("qs") else []
        for field, _ in clauses:
            if field not in fields:
                raise BadQuery(f"unknown field {field}")
        kept = [dict(row) for row in rows
                if all(row.get(field) in values for field, values in clauses)]
        if "geo_distance" in params:
            lon, lat, distance = re.split(r"[,:]", params["geo_distance"])
            for row in kept:
                point_lat, point_lon = (float(x) for x in row["_geopoint"].split(","))
                row["_geo_distance"] = round(haversine_m(float(lat), float(lon),
                                                         point_lat, point_lon))
            kept = sorted((row for row in kept if row["_geo_distance"] <= float(distance)),
                          key=lambda row: row["_geo_distance"])
        return kept

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                split = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(split.query).items()}
                fake.requests.append((split.path, params))
                fault = fake.faults.pop(0) if fake.faults else fake.mode
                if fault == "timeout":
                    time.sleep(fake.timeout_sleep_s)
                    status, body = fake.answer(split.path, params)
                elif fault == "500":
                    status, body = 500, b'{"error":"internal"}'
                elif fault == "malformed":
                    status, body = 200, b'{"total": 3, "results": [{"siret": '
                elif fault == "empty":
                    status, body = 200, b'{"total": 0, "results": []}'
                else:
                    status, body = fake.answer(split.path, params)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, *args):  # keep test output clean
                pass

        return Handler
