"""Test-wide settings: hypothesis runs without per-example deadlines (a loaded 2-core
machine must not turn a slow example into a failure; speed is measured by benchmarks).
And `erase_on_the_page`: the page's erase button pressed on a page server started for one
request (tests/runtime/test_webserver_store.py, tests/scaled/test_erase_from_the_page.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from hypothesis import HealthCheck, settings

settings.register_profile(
    "project", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("project")


@pytest.fixture
def erase_on_the_page() -> Callable[..., requests.Response]:
    """(web server settings, session id, timeout) -> the answer of POST /api/effacer, from a
    page server started with those settings and stopped afterwards."""
    from runtime.stack import free_port
    from runtime.webserver import serve

    def erase(page_settings, session_id: str, timeout: float = 10) -> requests.Response:
        server = serve("127.0.0.1", free_port(), page_settings, retention_days=None,
                       outbox=False)
        try:
            return requests.post(f"{server.url}/api/effacer", json={"session_id": session_id},
                                 timeout=timeout)
        finally:
            server.stop()

    return erase
