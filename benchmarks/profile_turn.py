"""Where a form turn's time goes (issue 13 §2): one Rasa agent loaded in this process (the
same code path as `rasa run`: NLU graph, policies, SQLite tracker store, in-memory lock
store, the real action server over HTTP), a conversation that fills the profile form to an
aids estimate, then a cProfile of the form turns, summed by stage:

  NLU components (each), policies (each), tracker store reads and writes, lock store,
  action server round trips (HTTP, including the action's own work), the rest.

Also prints the model loading time (per graph component). Usage:
  .venv/bin/python benchmarks/profile_turn.py [--model models/assistant.tar.gz] [--repeat 5]
Not part of `make bench` (run it when choosing what to cut).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from runtime.simulated_user import ANSWERS, OPENING  # noqa: E402
from runtime.stack import ROOT, action_server, free_port, server_env  # noqa: E402
from runtime.tracker_store import TRACKER_STORE_TYPE  # noqa: E402

# (stage, predicate on (file, function)) in order: first match wins for a frame. A stage's
# time is the cumulative time of its outermost frames only: Rasa wraps its tracker store
# (FailSafeTrackerStore -> SQLTrackerStore, get_or_create_tracker -> retrieve -> _retrieve),
# and summing every level counted the same read three or four times.
STAGES = [
    ("suivi : lecture (tracker store)", lambda f, n: "tracker_store.py" in f
     and n in ("retrieve", "retrieve_full_tracker", "_retrieve", "get_or_create_tracker",
               "_fetch_since")),
    ("suivi : écriture (tracker store)", lambda f, n: "tracker_store.py" in f
     and n in ("save", "_save")),
    ("verrou (lock store)", lambda f, n: "lock_store.py" in f and n == "lock"),
    # RemoteAction.run: the HTTP call and the action's own work on the action server.
    ("  dont serveur d'actions (aller-retour HTTP)", lambda f, n:
     f.endswith("actions/action.py") and n == "run"),
    ("NLU (analyse du message)", lambda f, n: f.endswith("core/processor.py")
     and n == "_parse_message_with_graph"),
    ("politiques (prédiction de l'action)", lambda f, n: f.endswith("core/processor.py")
     and n == "_predict_next_with_tracker"),
    ("actions (exécution, appels au serveur d'actions compris)",
     lambda f, n: f.endswith("core/processor.py") and n in ("_run_action",
                                                            "run_action_extract_slots")),
]


def stage_times(stats: pstats.Stats) -> dict[str, float]:
    """Seconds per stage, counting a frame only when its caller is not in the same stage."""
    def stage_of(func: tuple) -> str | None:
        file, _line, name = func
        return next((stage for stage, matches in STAGES if matches(file, name)), None)

    by_stage: dict[str, float] = defaultdict(float)
    for func, (_cc, _nc, _tt, cumulative, callers) in stats.stats.items():
        stage = stage_of(func)
        if stage is None:
            continue
        if not callers:
            by_stage[stage] += cumulative
            continue
        for caller, caller_stats in callers.items():
            if stage_of(caller) != stage:
                by_stage[stage] += caller_stats[3]
    return by_stage


def stage_of_component(name: str) -> str:
    return f"composant : {name}"


def quiet_logs() -> None:
    """As `rasa run` with its output in a file (not a terminal): structlog's JSON renderer.
    Rasa's default console renderer prints rich tracebacks (about 58 ms each) that a server
    writing to a log file never pays; debug lines would weigh on the profile too."""
    import logging  # noqa: PLC0415

    from rasa.utils.log_utils import configure_structlog  # noqa: PLC0415

    logging.basicConfig(level=logging.WARNING)
    for name in ("rasa", "rasa_sdk", "tensorflow", "absl"):
        logging.getLogger(name).setLevel(logging.WARNING)
    configure_structlog(logging.WARNING)


def profile_turns(model: Path, action_url: str, workdir: Path, repeat: int,
                  patched: bool = True, store: str = "cached", dump: Path | None = None,
                  keep_db: Path | None = None) -> None:
    quiet_logs()
    if patched:  # as runtime.rasa_server does (--unpatched: Rasa as shipped)
        from runtime import rasa_patches  # noqa: PLC0415

        rasa_patches.apply()
    from rasa.core.agent import load_agent  # noqa: PLC0415
    from rasa.core.utils import AvailableEndpoints  # noqa: PLC0415
    from rasa.engine.graph import GraphNode  # noqa: PLC0415

    # Time of each graph node (NLU components, policies, ensemble), per call.
    node_time: dict[str, list[float]] = defaultdict(list)
    original_call = GraphNode.__call__

    def timed_call(self, *inputs):  # noqa: ANN001, ANN002, ANN202
        started = time.perf_counter()
        try:
            return original_call(self, *inputs)
        finally:
            node_time[self._node_name].append(time.perf_counter() - started)

    GraphNode.__call__ = timed_call  # type: ignore[method-assign]

    async def main() -> None:
        started = time.perf_counter()
        store_type = TRACKER_STORE_TYPE if store == "cached" else "SQL"
        (workdir / "endpoints.yml").write_text(
            f"action_endpoint:\n  url: {action_url}/webhook\n"
            f"tracker_store:\n  type: {store_type}\n  dialect: sqlite\n"
            f"  db: {workdir / 'tracker.db'}\n")
        agent = await load_agent(
            model_path=str(model),
            endpoints=AvailableEndpoints.read_endpoints(str(workdir / "endpoints.yml")))
        print(f"Chargement du modèle : {time.perf_counter() - started:.1f} s")
        node_time.clear()
        from rasa.core.channels.channel import (  # noqa: PLC0415
            CollectingOutputChannel,
            UserMessage,
        )

        turn_seconds: list[float] = []
        profiler = cProfile.Profile()
        for _ in range(repeat):
            sender = f"profile-{uuid.uuid4().hex[:8]}"

            async def say(text: str, profiled: bool, sender: str = sender) -> list[dict]:
                out = CollectingOutputChannel()
                began = time.perf_counter()
                if profiled:
                    profiler.enable()
                await agent.handle_message(UserMessage(text, out, sender))
                if profiled:
                    profiler.disable()
                    turn_seconds.append(time.perf_counter() - began)
                return out.messages

            for text in OPENING:
                await say(text, profiled=False)
            for _ in range(10):
                tracker = await agent.tracker_store.retrieve(sender)
                slot = tracker.get_slot("requested_slot") if tracker else None
                if not slot:
                    break
                await say(ANSWERS.get(slot, "oui"), profiled=True)
        if dump:
            profiler.dump_stats(str(dump))
        if keep_db:  # the conversations, for benchmarks/bench_tracker_store.py
            import sqlite3  # noqa: PLC0415

            # The backup API, not a file copy: in WAL mode recent rows are in the log file.
            with sqlite3.connect(workdir / "tracker.db") as source, \
                    sqlite3.connect(keep_db) as target:
                source.backup(target)
        report(profiler, node_time, turn_seconds)

    asyncio.run(main())


def report(profiler: cProfile.Profile, node_time: dict[str, list[float]],
           turn_seconds: list[float]) -> None:
    turns = len(turn_seconds)
    total = sum(turn_seconds)
    print(f"\n{turns} tours de formulaire profilés : médiane "
          f"{statistics.median(turn_seconds) * 1000:.0f} ms, moyenne "
          f"{total / turns * 1000:.0f} ms par tour (sous cProfile, qui ralentit le Python)")
    stats = pstats.Stats(profiler)
    by_stage = stage_times(stats)
    print("\nPar étape (temps cumulé par tour) :")
    for stage, seconds in sorted(by_stage.items(), key=lambda item: -item[1]):
        print(f"  {stage:<45} {seconds / turns * 1000:8.1f} ms  "
              f"({seconds / total * 100:4.1f} %)")
    print("\nPar composant du graphe (NLU et politiques, temps par tour) :")
    per_turn = {name: sum(values) / turns for name, values in node_time.items()}
    for name, seconds in sorted(per_turn.items(), key=lambda item: -item[1])[:25]:
        print(f"  {name:<60} {seconds * 1000:8.1f} ms")
    print("\nFonctions les plus coûteuses (cumulé) :")
    stats.sort_stats("cumulative").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "assistant.tar.gz")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--unpatched", action="store_true",
                        help="without runtime/rasa_patches.py (the 'before' figure)")
    parser.add_argument("--store", choices=("cached", "sql"), default="cached",
                        help="tracker store: ours (runtime/tracker_store.py, as `make run`) "
                        "or Rasa's SQLTrackerStore as shipped (the 'before' figure)")
    parser.add_argument("--dump", type=Path, help="also write the cProfile stats there")
    parser.add_argument("--keep-db", type=Path, help="copy the SQLite tracker store there")
    parser.add_argument("--action-url", help="an action server already running (e.g. "
                        "benchmarks/record_actions.py, or one under a profiler)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        if args.action_url:
            profile_turns(args.model, args.action_url.rstrip("/"), Path(workdir), args.repeat,
                          not args.unpatched, args.store, args.dump,
                          args.keep_db)
            return 0
        port = free_port()
        actions = action_server(port, Path(workdir) / "actions.log", server_env({}, "-"))
        actions.start()
        try:
            import requests  # noqa: PLC0415

            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok:
                        break
                except requests.RequestException:
                    time.sleep(0.5)
            profile_turns(args.model, f"http://127.0.0.1:{port}", Path(workdir), args.repeat,
                          not args.unpatched, args.store, args.dump,
                          args.keep_db)
        finally:
            actions.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
