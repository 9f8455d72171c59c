"""Prints how fast the aids engine is: profiles evaluated per second in-process (the first,
cold call apart — it loads parameters and the commune table — then warm, over varied
profiles and dates), and per command-line call of `python -m bot aids` (process start
included).

Run: .venv/bin/python benchmarks/bench_aids.py [--profiles 2000] [--seconds 3] [--cli-calls 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.profile import HEATING_ENERGIES, OCCUPANCIES, WORK_TYPES, parse_profile  # noqa: E402

PLACES = ["80021", "80001", "75056", "33063", "13055", "59350", None]


def random_profile(rng: random.Random) -> dict:
    day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(730))
    works = []
    for kind in rng.sample(WORK_TYPES, rng.randint(0, 4)):
        works.append({"type": kind, "surface_m2": rng.randint(10, 150),
                      "count": rng.randint(1, 12), "cost_eur": rng.randint(500, 25000)})
    data = {
        "date": day.isoformat(), "insee_code": rng.choice(PLACES),
        "housing_type": rng.choice(["house", "apartment"]),
        "occupancy": rng.choice(OCCUPANCIES), "construction_year": rng.randint(1900, 2020),
        "surface_m2": rng.randint(25, 250), "heating_energy": rng.choice(HEATING_ENERGIES),
        "dpe_class": rng.choice("DEFG"), "dpe_class_after": rng.choice("ABCD"),
        "household_size": rng.randint(1, 6), "reference_income": rng.randint(5000, 120000),
        "works": works, "total_cost_eur": rng.randint(5000, 90000),
    }
    return {key: value for key, value in data.items() if value is not None}


def bench_in_process(count: int, seconds: float) -> None:
    rng = random.Random(20261128)
    profiles = [parse_profile(random_profile(rng)) for _ in range(count)]
    start = time.perf_counter()
    from bot.aids.engine import compute_aids  # import cost counted in the cold call
    compute_aids(profiles[0])
    cold = time.perf_counter() - start
    print(f"in-process, cold first call (imports, parameters, communes): {cold * 1000:.1f} ms")
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for profile in profiles:
            compute_aids(profile)
        done += len(profiles)
    elapsed = time.perf_counter() - start
    print(f"in-process, warm: {done} profiles in {elapsed:.2f} s -> "
          f"{done / elapsed:,.0f} profiles/s ({elapsed / done * 1e6:.0f} µs per profile; "
          f"{len(profiles)} distinct profiles over 2025-2026)")


def bench_cli(calls: int) -> None:
    rng = random.Random(7)
    times = []
    for _ in range(calls):
        payload = json.dumps(random_profile(rng)).encode()
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "bot", "aids"], input=payload, cwd=ROOT,
                              capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            print("CLI error:", done.stderr.decode().strip())
            return
    mean = statistics.mean(times)
    print(f"command line: {calls} calls of `python -m bot aids`, median "
          f"{statistics.median(times) * 1000:.0f} ms, mean {mean * 1000:.0f} ms -> "
          f"{1 / mean:.1f} profiles/s per sequential call")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--cli-calls", type=int, default=10)
    args = parser.parse_args()
    bench_in_process(args.profiles, args.seconds)
    bench_cli(args.cli_calls)


if __name__ == "__main__":
    main()
