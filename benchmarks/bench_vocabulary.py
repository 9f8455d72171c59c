"""Prints what the catalogue entity extractor costs: building its index, a typical
homeowner message, a long multi-fact message, and 10 000-character inputs (worst cases).
Run: .venv/bin/python benchmarks/bench_vocabulary.py"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.vocabulary.extract import extract  # noqa: E402
from bot.vocabulary.matcher import phrase_index  # noqa: E402

MESSAGES = {
    "short answer 'au fioul'": "au fioul",
    "multi-fact message (180 chars)": (
        "Maison de 160m2 au gaz naturel à Albert, construite en 1985, on est 5 et on gagne "
        "62 000 € par an, on veut isoler les combles et changer 12 fenêtres. Combien d'aides ?"),
    "10 000 chars of one work": "pompe à chaleur " * 625,
    "10 000 chars of numbers": "1 2 3 4 5 6 7 8 9 " * 556,
    "10 000 chars of typos": "isolatoin fennetres chaudiere granules pomp a chaleur " * 185,
    "10 000 chars of emoji": "😀🏠🔥" * 3334,
}


def timed(label: str, text: str, repeat: int) -> None:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        extract(text)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    print(f"{label:<34} p50 {statistics.median(samples):8.3f} ms   "
          f"p95 {samples[int(len(samples) * 0.95) - 1]:8.3f} ms   (n={repeat})")


def main() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    index = phrase_index()
    extract("pac")
    built = (time.perf_counter() - started) * 1000
    memory = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(f"catalogue + index: {len(index.phrases)} phrases, {len(index.words)} words, "
          f"built in {built:.0f} ms, {memory:.1f} MB peak")
    for label, text in MESSAGES.items():
        timed(label, text, 200 if len(text) < 1000 else 10)


if __name__ == "__main__":
    main()
