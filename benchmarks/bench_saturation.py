"""Saturation throughput of the single and the scaled setups on this machine, and where the
CPU goes meanwhile (issue 13 §4: scaled >= 2x single?).

For each setup: start it, warm it up (2 conversations), then N users without pause
(`--think 0` of bench_conversations.py) hold conversations to the aids estimate; prints
messages/s, p50/p95, lost messages, and the CPU used during the load by each server process
(with its children), by the simulated users (this process), and by everything else on the
machine (other work), as a share of one core. On 2 cores, the sum cannot exceed 200 %.
  .venv/bin/python benchmarks/bench_saturation.py [--users 10] [--setups single,scaled]
      [--rasa-processes 2] [--action-servers 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_conversations import bench_users  # noqa: E402

from runtime.scaled import process_children  # noqa: E402
from runtime.stack import RasaStack  # noqa: E402
from runtime.train import ensure_model  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def tree_cpu(pid: int, tree: dict[int, list[int]]) -> float:
    """CPU seconds used so far by a process and its live descendants."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(tree.get(current, []))
        total += _cpu_of(current)
    return total


def machine_cpu() -> float:
    """CPU seconds used by the whole machine (all cores, idle and iowait excluded)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / TICK


def processes(stack) -> dict[str, int]:
    if isinstance(stack, RasaStack):
        managed = {"rasa": stack.rasa, "actions": stack.actions}
    else:
        managed = {f"rasa-{i + 1}": p for i, p in enumerate(stack.rasas)}
        managed.update({f"actions-{i + 1}": p for i, p in enumerate(stack.actions)})
        managed.update({"postgres": stack.postgres, "redis": stack.redis,
                        "nginx": stack.nginx})
    return {name: m.process.pid for name, m in managed.items() if m.process}


def snapshot(pids: dict[str, int]) -> dict[str, float]:
    tree = process_children()
    figures = {name: tree_cpu(pid, tree) for name, pid in pids.items()}
    # This process only (its threads are the simulated users): the servers are its children.
    figures["utilisateurs simulés"] = _cpu_of(os.getpid())
    figures["machine"] = machine_cpu()
    return figures


def measure(stack, users: int) -> None:
    bench_users(stack, 2, 10, (0.0, 0.0))  # warm-up: first turns load caches
    pids = processes(stack)
    before, started = snapshot(pids), time.monotonic()
    line = bench_users(stack, users, 10, (0.0, 0.0))
    after, wall = snapshot(pids), time.monotonic() - started
    used = {name: (after[name] - before[name]) / wall * 100 for name in after}
    ours = sum(value for name, value in used.items() if name != "machine")
    used["autres travaux de la machine"] = max(0.0, used["machine"] - ours)
    print(f"  {line['messages']} messages en {wall:.1f} s : {line['messages_per_second']} "
          f"msg/s, p50 {line['p50_ms']} ms, p95 {line['p95_ms']} ms, {line['errors']} "
          f"erreurs, {line['messages_lost']} perdus, charge {line['load_average']}")
    print("  CPU pendant la charge (% d'un cœur ; 2 cœurs = 200 %) :")
    for name, value in sorted(used.items(), key=lambda item: -item[1]):
        print(f"    {name:30s} {value:5.0f} %")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--setups", default="single,scaled")
    parser.add_argument("--rasa-processes", type=int, default=2)
    parser.add_argument("--action-servers", type=int, default=2)
    args = parser.parse_args()
    model = ensure_model(quiet=True)
    print(f"{os.cpu_count()} cœurs, charge au début {os.getloadavg()[0]:.2f}")
    for setup in args.setups.split(","):
        with tempfile.TemporaryDirectory(prefix="bench-saturation-") as workdir:
            if setup == "scaled":
                from runtime.scaled import ScaledStack  # noqa: PLC0415

                stack = ScaledStack(model=model, workdir=Path(workdir),
                                    rasa_processes=args.rasa_processes,
                                    action_servers=args.action_servers)
                title = (f"à l'échelle ({args.rasa_processes} Rasa, {args.action_servers} "
                         "actions, PostgreSQL, Redis, nginx)")
            else:
                stack, title = RasaStack(model=model, workdir=Path(workdir)), "un processus"
            print(f"\n{title}, {args.users} utilisateurs sans pause :", flush=True)
            try:
                stack.start()
                measure(stack, args.users)
            finally:
                stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
