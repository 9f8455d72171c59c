"""Prints how fast the savings estimator is: estimates per second in-process (first call
included separately, then warm), and the wall time of one `python -m bot savings` call.

Run: .venv/bin/python benchmarks/bench_savings.py [--seconds 3] [--cli-calls 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.profile import parse_profile  # noqa: E402

PROFILES = [
    {"date": "2026-11-28", "postal_code": "80000", "housing_type": "house",
     "construction_year": 1975, "surface_m2": 100, "heating_energy": "fuel_oil",
     "works": [{"type": "attic_insulation", "surface_m2": 100}]},
    {"date": "2026-11-28", "insee_code": "80021", "housing_type": "house",
     "construction_year": 1975, "surface_m2": 100, "heating_energy": "fuel_oil",
     "dpe_class": "F", "works": [{"type": "attic_insulation", "surface_m2": 80, "cost_eur": 4000},
                                 {"type": "air_water_heat_pump", "cost_eur": 14000},
                                 {"type": "windows", "count": 8, "cost_eur": 6400}]},
    {"date": "2025-06-01", "postal_code": "75011", "housing_type": "apartment",
     "dpe_class": "G", "surface_m2": 30, "heating_energy": "electricity",
     "works": [{"type": "windows", "count": 3}, {"type": "air_air_heat_pump"}]},
    {"date": "2026-11-28", "postal_code": "13001", "construction_year": 1960,
     "surface_m2": 120, "heating_energy": "gas",
     "works": [{"type": t} for t in ("attic_insulation", "exterior_wall_insulation",
                                     "floor_insulation", "windows", "double_flow_ventilation",
                                     "geothermal_heat_pump", "solar_water_heater")]},
]


def in_process(seconds: float) -> None:
    started = time.perf_counter()
    from bot.savings.engine import estimate_savings  # import time counted in the first call
    profiles = [parse_profile(p) for p in PROFILES]
    estimate_savings(profiles[0])
    first = time.perf_counter() - started
    print(f"in-process, first estimate (imports, parameters and geo data loaded): "
          f"{first * 1000:.0f} ms")
    count, started = 0, time.perf_counter()
    durations: list[float] = []
    while time.perf_counter() - started < seconds:
        for profile in profiles:
            t0 = time.perf_counter()
            estimate_savings(profile)
            durations.append(time.perf_counter() - t0)
            count += 1
    elapsed = time.perf_counter() - started
    durations.sort()
    print(f"in-process, warm: {count / elapsed:,.0f} estimates/second over {count} estimates "
          f"({len(profiles)} profiles); p50 {statistics.median(durations) * 1000:.2f} ms, "
          f"p99 {durations[int(len(durations) * 0.99)] * 1000:.2f} ms")


def cli(calls: int) -> None:
    python = ROOT / ".venv" / "bin" / "python"
    command = [str(python if python.exists() else sys.executable), "-m", "bot", "savings"]
    times = []
    for i in range(calls):
        payload = json.dumps(PROFILES[i % len(PROFILES)]).encode()
        t0 = time.perf_counter()
        done = subprocess.run(command, input=payload, capture_output=True, cwd=ROOT, timeout=120)
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            print("CLI call failed:", done.stderr.decode().strip())
            return
    print(f"CLI `python -m bot savings`: {calls} calls, median {statistics.median(times):.2f} s, "
          f"min {min(times):.2f} s, max {max(times):.2f} s per call "
          f"({1 / statistics.median(times):.1f} calls/second)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--cli-calls", type=int, default=5)
    args = parser.parse_args()
    in_process(args.seconds)
    cli(args.cli_calls)


if __name__ == "__main__":
    main()
