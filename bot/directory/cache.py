"""The HTTP session of the directory clients: requests-cache (an SQLite file in the cache
directory) in front, urllib3's `Retry` below, instead of a hand-written cache and retry loop.

- A 200 answer holding a JSON page (`results` list) is kept `ttl_s` seconds; an expired one
  still answers, up to `stale_cache_max_s` more, when the live API fails (stale-if-error).
- Timeouts, connection errors and 429/5xx are retried with exponential backoff, but no retry
  starts past the search's time budget (a user is waiting).
- A cache that cannot be opened (read-only disk) falls back to a plain session.
"""

from __future__ import annotations

import pickle
import sqlite3
import time
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from bot.directory.config import DirectoryConfig

TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})
CACHE_FILE = "http_cache"  # requests-cache adds .sqlite


class BudgetRetry(Retry):
    """urllib3's Retry that also stops when the next attempt would start past `deadline`
    (time.monotonic())."""

    def __init__(self, *args: Any, deadline: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def new(self, **kwargs: Any) -> BudgetRetry:
        retry = super().new(**kwargs)
        retry.deadline = self.deadline
        return retry

    def increment(self, method: str | None = None, url: str | None = None, *args: Any,
                  **kwargs: Any) -> BudgetRetry:
        retry = super().increment(method, url, *args, **kwargs)
        if self.deadline is not None and \
                time.monotonic() + retry.get_backoff_time() >= self.deadline:
            error = kwargs.get("error") or (args[1] if len(args) > 1 else None)
            raise MaxRetryError(kwargs.get("_pool"), url or "", error)
        return retry


def _is_json_page(response: requests.Response) -> bool:
    """Only well-formed pages are cached (a proxy's error page must not stick for a day)."""
    try:
        page = response.json()
    except ValueError:
        return False
    return isinstance(page, dict) and isinstance(page.get("results"), list)


def directory_session(config: DirectoryConfig, ttl_s: int,
                      deadline: float | None = None) -> requests.Session:
    """A session that caches, retries within the budget, and times out per request."""
    retry = BudgetRetry(
        total=config.retries, connect=config.retries, read=config.retries,
        status=config.retries, other=0, backoff_factor=config.backoff_s,
        status_forcelist=TRANSIENT_STATUS, allowed_methods=frozenset({"GET"}),
        raise_on_status=False, respect_retry_after_header=False, deadline=deadline)
    try:
        from requests_cache import CachedSession  # noqa: PLC0415 (import cost: ~50 ms)
        from requests_cache.serializers import SerializerPipeline, Stage  # noqa: PLC0415

        # Whole responses pickled: requests-cache's default (cattrs) cannot resolve its own
        # type hints with the attrs 22.1 that Rasa 3.6 pins. The file is ours, in var/.
        serializer = SerializerPipeline([Stage(dumps=pickle.dumps, loads=pickle.loads)],
                                        name="pickle-only", is_binary=True)

        config.cache_dir.mkdir(parents=True, exist_ok=True)
        session: requests.Session = CachedSession(
            str(config.cache_dir / CACHE_FILE), backend="sqlite", wal=True,
            serializer=serializer,
            expire_after=max(1, ttl_s), stale_if_error=config.stale_cache_max_s,
            allowable_codes=(200,), allowable_methods=("GET",), filter_fn=_is_json_page,
            cache_control=False, match_headers=False)
    except (OSError, sqlite3.Error):
        session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
