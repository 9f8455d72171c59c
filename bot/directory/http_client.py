"""HTTP access to data-fair datasets (data.ademe.fr): requests-cache and urllib3's Retry
(bot/directory/cache.py) do the caching, timeouts and retries; this module reads the pages
and says where an answer came from."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import requests

from bot.directory.cache import TRANSIENT_STATUS, directory_session
from bot.directory.config import DirectoryConfig

USER_AGENT = "renovation-energetique-bot/1.0 (+assistant France Renov')"
MAX_PAGES = 5
__all__ = ["TRANSIENT_STATUS", "BadRequest", "DataFairDataset", "Fetched",
           "ServiceUnavailable", "get_json"]


class ServiceUnavailable(Exception):
    """The API could not give a usable answer (down, slow, malformed)."""


class BadRequest(ServiceUnavailable):
    """HTTP 400: the API refused our parameters (e.g. a column renamed in the dataset)."""


@dataclass(frozen=True)
class Fetched:
    data: Any
    source: str  # "api" or "cache"
    fetched_at: float  # epoch seconds of the live answer


@dataclass(frozen=True)
class Page:
    data: Any
    from_cache: bool
    fetched_at: float


def get_json(session: requests.Session, url: str, params: dict[str, Any] | None,
             config: DirectoryConfig, only_if_cached: bool = False) -> Page:
    """GET a JSON document through the caching, retrying session."""
    try:
        response = session.get(url, params=params, timeout=config.timeout_s,
                               headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                               **({"only_if_cached": True} if only_if_cached else {}))
    except requests.RequestException as error:  # retries exhausted, budget spent, bad URL
        raise ServiceUnavailable(type(error).__name__) from error
    if response.status_code == 504 and only_if_cached:
        raise ServiceUnavailable("pas en cache")
    if response.status_code == 400:
        raise BadRequest("HTTP 400")
    if response.status_code != 200:
        raise ServiceUnavailable(f"HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError as error:  # a proxy error page, a cut answer
        raise ServiceUnavailable("réponse JSON invalide") from error
    from_cache = bool(getattr(response, "from_cache", False))
    created = getattr(response, "created_at", None)
    fetched_at = created.timestamp() if from_cache and created else time.time()
    return Page(data, from_cache, fetched_at)


class DataFairDataset:
    """`/lines` of one data-fair dataset, cached; stops calling once the service failed."""

    def __init__(self, dataset: str, config: DirectoryConfig, ttl_s: int,
                 session: requests.Session | None = None) -> None:
        self.config = config
        self.url = f"{config.datafair_url}/{dataset}/lines"
        # Time budget of one search (all pages and radii): past it, no retry is started.
        self.deadline = time.monotonic() + config.budget_s
        self.session = session or directory_session(config, ttl_s, self.deadline)
        self.failed: str | None = None  # reason of the first failure of this search

    def lines(self, params: dict[str, Any], max_pages: int = 1) -> Fetched:
        """All rows of up to max_pages pages (following `next`), live or from the cache
        (fresh, or expired when the API fails).

        Raises ServiceUnavailable when neither the API nor a usable cache entry answers.
        """
        try:
            try:
                return self._fetch(params, max_pages)
            except BadRequest:
                if "select" not in params:
                    raise
                # A selected column missing from the live schema: ask for whole rows.
                return self._fetch({k: v for k, v in params.items() if k != "select"},
                                   max_pages)
        except ServiceUnavailable as error:
            self.failed = self.failed or str(error)
            raise ServiceUnavailable(self.failed) from error

    def _fetch(self, params: dict[str, Any], max_pages: int) -> Fetched:
        rows: list[dict] = []
        url: str | None = self.url
        query: dict[str, Any] | None = params
        from_cache, fetched_at = True, time.time()
        for _ in range(max(1, min(max_pages, MAX_PAGES))):
            # Once the service failed in this search, only the cache is asked.
            page = get_json(self.session, url, query, self.config,
                            only_if_cached=self.failed is not None)
            data = page.data
            if not isinstance(data, dict) or not isinstance(data.get("results"), list):
                raise ServiceUnavailable("réponse inattendue (pas de « results »)")
            from_cache = from_cache and page.from_cache
            fetched_at = min(fetched_at, page.fetched_at)
            rows.extend(row for row in data["results"] if isinstance(row, dict))
            url = data.get("next") if data["results"] else None
            if not url or not isinstance(url, str):
                break
            query = None  # `next` already carries every parameter and the `after` cursor
        return Fetched(rows, "cache" if from_cache else "api", fetched_at)
