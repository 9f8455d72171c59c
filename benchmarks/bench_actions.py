"""The action server's own work, without HTTP: replays recorded webhook calls (see
`benchmarks/record_actions.py`) through rasa-sdk's ActionExecutor in this process and
prints the time per action (median over the calls and repeats), optionally a cProfile.
Usage:
  .venv/bin/python benchmarks/bench_actions.py calls.jsonl [--repeat 5] [--profile]
Not part of `make bench` (needs a recording; run it when choosing what to cut).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import cProfile
import json
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("calls", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    import logging  # noqa: PLC0415

    logging.basicConfig(level=logging.WARNING)
    from rasa_sdk.executor import ActionExecutor  # noqa: PLC0415

    executor = ActionExecutor()
    executor.register_package("actions")
    calls = [json.loads(line) for line in args.calls.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    times: dict[str, list[float]] = defaultdict(list)
    profiler = cProfile.Profile()

    async def replay() -> None:
        for call in calls:  # warm-up: imports, parameter files, indexes
            await executor.run(copy.deepcopy(call))
        for _ in range(args.repeat):
            for call in calls:
                payload = copy.deepcopy(call)
                if args.profile:
                    profiler.enable()
                began = time.perf_counter()
                await executor.run(payload)
                times[call["next_action"]].append(time.perf_counter() - began)
                if args.profile:
                    profiler.disable()

    asyncio.run(replay())
    total = sum(sum(values) for values in times.values())
    print(f"{len(calls)} appels rejoués {args.repeat} fois ; travail des actions sans HTTP :")
    for name, values in sorted(times.items(), key=lambda item: -sum(item[1])):
        print(f"  {name:<28} {len(values):4d} appels  médiane "
              f"{statistics.median(values) * 1000:7.2f} ms  max {max(values) * 1000:7.2f} ms"
              f"  ({sum(values) / total * 100:4.1f} %)")
    if args.profile:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
