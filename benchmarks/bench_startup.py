"""Startup time of `make run` and `make run-scaled` with a trained model (issue 13 §3), phase
by phase, read from the servers' logs as they are written (polled every 50 ms):

  single: action server up; Rasa imports done ("Starting Rasa server"), model loading
          started ("Loading model"), ready (`/status` names the model: REST answers);
  scaled: the same per Rasa process, plus PostgreSQL and Redis ready, and nginx answering.

Prints the machine's load (`uptime`) first: on 2 shared cores the figures move with it.
`cpu:…` is the CPU time each server used until ready: what the start costs whatever the load.
  .venv/bin/python benchmarks/bench_startup.py [--runs 3] [--scaled] [--single]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from runtime.stack import RasaStack  # noqa: E402
from runtime.train import ensure_model  # noqa: E402

# Log lines that mark a phase, and the phase's name.
MARKS = {
    "Action endpoint is up and running": "actions_up",
    "Starting Rasa server on": "rasa_imported",
    "Loading model": "model_loading",
    "database system is ready to accept connections": "postgres_ready",
    "Ready to accept connections": "redis_ready",
}


class LogWatcher(threading.Thread):
    """Notes when each marked line first appears in each log file (seconds after start)."""

    def __init__(self, files: dict[str, Path], started: float) -> None:
        super().__init__(daemon=True)
        self.files, self.started = files, started
        self.seen: dict[str, float] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        offsets = {name: (path.stat().st_size if path.exists() else 0)
                   for name, path in self.files.items()}
        while not self.stopping.is_set():
            for name, path in self.files.items():
                if not path.exists():
                    continue
                with open(path, errors="replace") as log:
                    log.seek(offsets[name])
                    text = log.read()
                    offsets[name] = log.tell()
                for line in text.splitlines():
                    for mark, phase in MARKS.items():
                        key = f"{name}:{phase}"
                        if mark in line and key not in self.seen:
                            self.seen[key] = time.monotonic() - self.started
            time.sleep(0.05)


def cpu_seconds(process) -> float | None:
    """CPU time (user + system) a started process has used so far, from /proc."""
    if process.process is None:
        return None
    try:
        fields = Path(f"/proc/{process.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


def single_run(model: Path) -> dict[str, float]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    stack = RasaStack(model=model, workdir=workdir)
    started = time.monotonic()
    watcher = LogWatcher({"actions": stack.actions.log_path, "rasa": stack.rasa.log_path},
                         started)
    watcher.start()
    try:
        stack.start()
        ready = time.monotonic() - started
        cpu = {"cpu:rasa": cpu_seconds(stack.rasa), "cpu:actions": cpu_seconds(stack.actions)}
    finally:
        watcher.stopping.set()
        stack.stop()
    return {**watcher.seen, "ready": ready, **{k: v for k, v in cpu.items() if v}}


def scaled_run(model: Path, rasa_processes: int, action_servers: int,
               workdir: Path) -> dict[str, float]:
    """One start of the scaled setup in `workdir` (the first one creates the database)."""
    from runtime.scaled import ScaledStack  # noqa: PLC0415

    stack = ScaledStack(model=model, workdir=workdir, rasa_processes=rasa_processes,
                        action_servers=action_servers)
    logs = {"postgres": stack.postgres.log_path, "redis": stack.redis.log_path}
    logs.update({f"rasa-{i + 1}": p.log_path for i, p in enumerate(stack.rasas)})
    logs.update({f"actions-{i + 1}": p.log_path for i, p in enumerate(stack.actions)})
    started = time.monotonic()
    watcher = LogWatcher(logs, started)
    watcher.start()
    try:
        stack.start()
        ready = time.monotonic() - started
        cpu = {f"cpu:rasa-{i + 1}": cpu_seconds(p) for i, p in enumerate(stack.rasas)}
        cpu.update({f"cpu:actions-{i + 1}": cpu_seconds(p) for i, p in enumerate(stack.actions)})
    finally:
        watcher.stopping.set()
        stack.stop()
    return {**watcher.seen, "ready": ready, **{k: v for k, v in cpu.items() if v}}


def report(title: str, runs: list[dict[str, float]]) -> None:
    print(f"\n{title} ({len(runs)} démarrages), secondes après le lancement :")
    keys = sorted({key for run in runs for key in run}, key=lambda k: statistics.median(
        [run[k] for run in runs if k in run]))
    for key in keys:
        values = [run[key] for run in runs if key in run]
        print(f"  {key:28s} médiane {statistics.median(values):5.1f}   "
              f"({', '.join(f'{v:.1f}' for v in values)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--single", action="store_true", help="seulement `make run`")
    parser.add_argument("--scaled", action="store_true", help="seulement `make run-scaled`")
    parser.add_argument("--rasa-processes", type=int, default=2)
    parser.add_argument("--action-servers", type=int, default=2)
    args = parser.parse_args()
    both = not (args.single or args.scaled)
    model = ensure_model(quiet=True)
    print(f"charge (uptime) au début : {load()} ; {os.cpu_count()} cœurs")
    if args.single or both:
        report("make run (1 serveur d'actions, 1 serveur Rasa)",
               [single_run(model) for _ in range(args.runs)])
        print(f"charge : {load()}")
    if args.scaled or both:
        workdir = Path(tempfile.mkdtemp(prefix="bench-startup-scaled-"))
        runs = [scaled_run(model, args.rasa_processes, args.action_servers, workdir)
                for _ in range(args.runs + 1)]
        title = (f"make run-scaled ({args.rasa_processes} Rasa, {args.action_servers} "
                 "actions, PostgreSQL, Redis, nginx)")
        report(f"{title}, premier démarrage (création de la base)", runs[:1])
        report(f"{title}, redémarrages", runs[1:])
        print(f"charge : {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
