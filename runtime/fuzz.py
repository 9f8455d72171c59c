"""Generated bad input for the REST webhook: odd messages and malformed HTTP bodies.

Every case must get an answer below 500 and leave the server able to answer the next one.
Deterministic for a given seed, so a failure can be replayed.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field

import requests

ODD_TEXTS = [
    "", " ", "\n\t", "😀😀😀", "🏠🔥💶", "<script>alert(1)</script>", "<b>bonjour</b>",
    "' OR 1=1 --", "{{7*7}}", "${jndi:ldap://x}", "\u0000", "\ufeff", "\u202e",
    "a" * 10_000, "é" * 5_000, "combien " * 1_500, "/restart", "/greet{\"x\":", "/",
    "/inform{\"postal_code\": \"99999\"}", "/inform{\"surface_m2\": -5}", "80000" * 100,
    "Ma maison de 1975 à Amiens, fioul, 3 personnes, 32 000 €", "NaN", "null", "[]",
]
PIECES = ["pompe", "à", "chaleur", "fioul", "80000", "m2", "€", "😀", "<i>", "\\", "\"", "'",
          "combles", "aide", "mille", "vingt", "?", "!", "\u200b", "ß", "ø", "中文", "\r\n"]


@dataclass
class FuzzReport:
    sent: int = 0
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    connection_errors: int = 0

    def summary(self) -> str:
        codes = ", ".join(f"{code}: {count}" for code, count in sorted(self.statuses.items()))
        return (f"{self.sent} requêtes envoyées ; codes HTTP {codes} ; "
                f"{len(self.server_errors)} erreurs 5xx ; "
                f"{self.connection_errors} connexions perdues")


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(ODD_TEXTS)
    if rng.random() < 0.3:
        return "".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(rng.randint(1, 60)))
    return " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30)))


def malformed_bodies(rng: random.Random) -> list[tuple[bytes, str]]:
    """(body, content type) pairs that are not a valid REST message."""
    return [
        (b"", "application/json"),
        (b"{", "application/json"),
        (b"not json at all", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b"null", "application/json"),
        (b'"just a string"', "application/json"),
        (b'{"sender": "x"}', "application/json"),
        (b'{"message": "bonjour"}', "application/json"),
        (b'{"sender": 12, "message": "bonjour"}', "application/json"),
        (b'{"sender": "x", "message": 12}', "application/json"),
        (b'{"sender": "x", "message": null}', "application/json"),
        (b'{"sender": "x", "message": {"a": 1}}', "application/json"),
        (b'{"sender": "x", "message": ["a"]}', "application/json"),
        (b'{"sender": "", "message": "bonjour"}', "application/json"),
        (b'{"sender": "' + b"s" * 5000 + b'", "message": "bonjour"}', "application/json"),
        (b'{"sender": "x", "message": "\xff\xfe"}', "application/json"),
        (b'{"sender": "x", "message": "bonjour"}', "text/plain"),
        (b"sender=x&message=bonjour", "application/x-www-form-urlencoded"),
        (b'{"sender": "x", "message": "' + b"a" * 200_000 + b'"}', "application/json"),
        (b"[" * 5000 + b"]" * 5000, "application/json"),
        (bytes(rng.randint(0, 255) for _ in range(200)), "application/json"),
    ]


def run_fuzz(base_url: str, count: int = 1000, seed: int = 1, timeout: float = 120,
             senders: int = 20) -> FuzzReport:
    rng = random.Random(seed)
    url = f"{base_url}/webhooks/rest/webhook"
    report = FuzzReport()
    session = requests.Session()
    bodies = malformed_bodies(rng)
    for index in range(count):
        if index % 5 == 4:
            body, content_type = bodies[(index // 5) % len(bodies)]
        else:
            message = random_text(rng)
            body = json.dumps({"sender": f"fuzz-{index % senders}", "message": message}).encode()
            content_type = "application/json"
        try:
            response = session.post(url, data=body, headers={"Content-Type": content_type},
                                    timeout=timeout)
        except requests.RequestException:
            report.connection_errors += 1
            report.sent += 1
            continue
        report.sent += 1
        report.statuses[response.status_code] += 1
        if response.status_code >= 500:
            report.server_errors.append(f"#{index}: {body[:80]!r} -> {response.status_code}")
    return report
