"""The issue's bad-input case, shared by the single and the scaled setups: one sender floods
the REST webhook with 2,000 requests in about 10 s while three people hold a conversation.
Expected: only 200s and 429s (never a 5xx or a dropped connection), every person gets every
answer and finds every message in their tracker, in order."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import aiohttp
import requests

from runtime.simulated_user import user_messages_in_tracker

PERSON_MESSAGES = ["bonjour", "c'est quoi l'éco-PTZ ?", "et MaPrimeRénov' ?",
                   "merci beaucoup", "au revoir"]


@dataclass
class FloodResult:
    statuses: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # connection errors, timeouts
    people: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    stored: dict[str, list[str]] = field(default_factory=dict)
    elapsed: float = 0.0
    refusal: dict | None = None  # the body of one 429 answer
    retry_after: str | None = None

    def summary(self) -> str:
        others = len(self.statuses) - self.statuses.count(200) - self.statuses.count(429)
        return (f"{len(self.statuses)} requêtes en {self.elapsed:.1f} s : "
                f"{self.statuses.count(200)} traitées, {self.statuses.count(429)} refusées "
                f"(429), autres : {others}, échecs de connexion : {len(self.failures)}")


async def _flood(result: FloodResult, rest_url: str, robot: str, source: str | None,
                 total: int, seconds: float) -> None:
    """`total` requests sent at a steady pace whatever the answers' delays (a script does
    not wait), from the local address `source` if given (127.0.0.2 is not nginx's exempt
    loopback)."""
    connector = aiohttp.TCPConnector(limit=500, local_addr=(source, 0) if source else None)
    timeout = aiohttp.ClientTimeout(total=180)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one(index: int) -> None:
            await asyncio.sleep(index * seconds / total)
            try:
                async with session.post(rest_url, json={"sender": robot,
                                                        "message": f"spam {index}"}) as answer:
                    body = await answer.read()
                    result.statuses.append(answer.status)
                    if answer.status == 429 and result.refusal is None:
                        result.refusal = json.loads(body)
                        result.retry_after = answer.headers.get("Retry-After")
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                result.failures.append(repr(error))

        await asyncio.gather(*(one(index) for index in range(total)))


def flood_while_people_talk(rest_url: str, api_url: str, token: str, robot: str,
                            source: str | None = None, total: int = 2000,
                            seconds: float = 10.0,
                            people: tuple[str, ...] = ()) -> FloodResult:
    """`total` requests of `robot` over `seconds` while each of `people` sends
    PERSON_MESSAGES one after the other (0.3 s apart)."""
    result = FloodResult()

    def person(name: str) -> list[tuple[int, str]]:
        answers = []
        with requests.Session() as session:
            for message in PERSON_MESSAGES:
                response = session.post(rest_url, json={"sender": name, "message": message},
                                        timeout=120)
                texts = response.json() if response.status_code == 200 else []
                answers.append((response.status_code,
                                " ".join(m.get("text", "") for m in texts)))
                time.sleep(0.3)
        return answers

    started = time.monotonic()
    flood = threading.Thread(target=lambda: asyncio.run(
        _flood(result, rest_url, robot, source, total, seconds)))
    flood.start()
    with ThreadPoolExecutor(len(people) or 1) as pool:
        result.people = dict(zip(people, pool.map(person, people), strict=True))
    flood.join()
    result.elapsed = time.monotonic() - started
    for name in (*people, robot):
        result.stored[name] = user_messages_in_tracker(api_url, name, token)
    return result
