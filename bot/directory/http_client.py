"""HTTP access to data-fair datasets (data.ademe.fr): timeouts, retries with exponential
backoff on transient errors, and an on-disk cache in front."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import requests

from bot.directory.cache import DiskCache
from bot.directory.config import DirectoryConfig

USER_AGENT = "renovation-energetique-bot/1.0 (+assistant France Renov')"
TRANSIENT_STATUS = {429, 500, 502, 503, 504}
MAX_PAGES = 5


class ServiceUnavailable(Exception):
    """The API could not give a usable answer (down, slow, malformed)."""


class BadRequest(ServiceUnavailable):
    """HTTP 400: the API refused our parameters (e.g. a column renamed in the dataset)."""


@dataclass(frozen=True)
class Fetched:
    data: Any
    source: str  # "api" or "cache"
    fetched_at: float  # epoch seconds of the live answer


def get_json(session: requests.Session, url: str, params: dict[str, Any] | None,
             config: DirectoryConfig, deadline: float | None = None) -> Any:
    """GET a JSON document, retrying timeouts, connection errors and 429/5xx.

    No new attempt starts after `deadline` (time.monotonic()): a user is waiting."""
    last_error = "aucune réponse"
    for attempt in range(config.retries + 1):
        if attempt:
            wait = config.backoff_s * 2 ** (attempt - 1)
            if deadline is not None and time.monotonic() + wait >= deadline:
                break
            time.sleep(wait)
        try:
            response = session.get(url, params=params, timeout=config.timeout_s,
                                   headers={"User-Agent": USER_AGENT,
                                            "Accept": "application/json"})
        except (requests.Timeout, requests.ConnectionError) as error:
            last_error = type(error).__name__
            continue
        except requests.RequestException as error:  # invalid URL and the like: no retry
            raise ServiceUnavailable(type(error).__name__) from error
        if response.status_code in TRANSIENT_STATUS:
            last_error = f"HTTP {response.status_code}"
            continue
        if response.status_code == 400:
            raise BadRequest("HTTP 400")
        if response.status_code != 200:
            raise ServiceUnavailable(f"HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as error:  # a proxy error page, a cut answer
            raise ServiceUnavailable("réponse JSON invalide") from error
    raise ServiceUnavailable(last_error)


class DataFairDataset:
    """`/lines` of one data-fair dataset, cached; stops calling once the service failed."""

    def __init__(self, dataset: str, config: DirectoryConfig, ttl_s: int,
                 session: requests.Session | None = None) -> None:
        self.config = config
        self.url = f"{config.datafair_url}/{dataset}/lines"
        self.ttl_s = ttl_s
        self.session = session or requests.Session()
        self.cache = DiskCache(config.cache_dir)
        self.failed: str | None = None  # reason of the first failure of this search
        # Time budget of one search (all pages and radii): past it, no retry is started.
        self.deadline = time.monotonic() + config.budget_s

    def lines(self, params: dict[str, Any], max_pages: int = 1) -> Fetched:
        """All rows of up to max_pages pages (following `next`), live or from the cache.

        Raises ServiceUnavailable when neither the API nor a usable cache entry answers.
        """
        key = DiskCache.key(self.url, params, max_pages)
        fresh = self.cache.get(key, self.ttl_s)
        if fresh is not None:
            return Fetched(fresh.data, "cache", fresh.stored_at)
        if self.failed is None:
            try:
                try:
                    rows = self._fetch(params, max_pages)
                except BadRequest:
                    if "select" not in params:
                        raise
                    # A selected column missing from the live schema: ask for whole rows.
                    rows = self._fetch({k: v for k, v in params.items() if k != "select"},
                                       max_pages)
            except ServiceUnavailable as error:
                self.failed = str(error)
            else:
                self.cache.put(key, rows)
                return Fetched(rows, "api", time.time())
        stale = self.cache.get(key, self.config.stale_cache_max_s)
        if stale is not None:
            return Fetched(stale.data, "cache", stale.stored_at)
        raise ServiceUnavailable(self.failed or "indisponible")

    def _fetch(self, params: dict[str, Any], max_pages: int) -> list[dict]:
        rows: list[dict] = []
        url: str | None = self.url
        query: dict[str, Any] | None = params
        for _ in range(max(1, min(max_pages, MAX_PAGES))):
            page = get_json(self.session, url, query, self.config, self.deadline)
            if not isinstance(page, dict) or not isinstance(page.get("results"), list):
                raise ServiceUnavailable("réponse inattendue (pas de « results »)")
            rows.extend(row for row in page["results"] if isinstance(row, dict))
            url = page.get("next") if page["results"] else None
            if not url or not isinstance(url, str):
                break
            query = None  # `next` already carries every parameter and the `after` cursor
        return rows
