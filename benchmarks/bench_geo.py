"""Prints how long the offline geography takes: loading the table, and lookups by INSEE
code, postal code, exact name and misspelt name (run: .venv/bin/python benchmarks/geo_lookup.py)."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.geo import find_communes  # noqa: E402
from bot.geo.store import load_store  # noqa: E402


def timed(label: str, function, repeat: int) -> None:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"{label:<38} median {statistics.median(samples):8.3f} ms   "
          f"max {max(samples):8.3f} ms   (n={repeat})")


def main() -> None:
    started = time.perf_counter()
    store = load_store()
    print(f"load {len(store.by_insee)} communes: {(time.perf_counter() - started) * 1000:.0f} ms")
    started = time.perf_counter()
    names = len(store.by_name)
    print(f"name index ({names} keys, built on the first name search): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")
    timed("insee_code 80021", lambda: find_communes(insee_code="80021"), 1000)
    timed("postal_code 80480 (7 communes)", lambda: find_communes(postal_code="80480"), 1000)
    timed("name 'saint-quentin' (exact)", lambda: find_communes(name="saint-quentin"), 1000)
    timed("name 'Amyens' (typo, fuzzy)", lambda: find_communes(name="Amyens"), 50)
    timed("name 'xxxxxxxxxx' (no match)", lambda: find_communes(name="x" * 10), 50)
    timed("postal 80480 + name 'Salouel'",
          lambda: find_communes(postal_code="80480", name="Salouel"), 1000)


if __name__ == "__main__":
    main()
