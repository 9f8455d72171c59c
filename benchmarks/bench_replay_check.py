"""What the check « was this message already handled? » (channels/replay.py) costs per message,
in the two places it has run:

  channel  (before 30 November): the REST channel takes the conversation's lock and reads the
           tracker before Rasa's turn, which then takes the lock and reads it again;
  in turn  (runtime/rasa_patches.py check_replays_in_turn): the events of the tracker Rasa has
           just read for its turn are scanned; no lock, no read.

Real parts: our CachedSQLTrackerStore on a SQLite file (as `make run`), Rasa's in-memory lock
store, conversations of a form of 5 to 20 turns written as Rasa writes them. Median and p95 of
wall time and CPU time per check, `--repeat` checks per size, interleaved.
  .venv/bin/python benchmarks/bench_replay_check.py [--repeat 400]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rasa.core.lock_store import InMemoryLockStore  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import (  # noqa: E402
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

from channels.replay import answers_after  # noqa: E402
from runtime.tracker_store import CachedSQLTrackerStore  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def form_conversation(sender: str, turns: int, domain: Domain) -> DialogueStateTracker:
    """A conversation of `turns` answers to the profile form, stored as Rasa stores it."""
    now = time.time() - 600
    events = [ActionExecuted("action_session_start", timestamp=now),
              SessionStarted(timestamp=now), ActionExecuted("action_listen", timestamp=now)]
    for index in range(turns):
        stamp = now + index
        events += [
            UserUttered(f"réponse {index}", {"name": "inform", "confidence": 0.93},
                        message_id=f"message-{index:06d}", timestamp=stamp),
            SlotSet("requested_slot", "postal_code", timestamp=stamp),
            ActionExecuted("profile_form", timestamp=stamp),
            SlotSet("postal_code", "80000", timestamp=stamp),
            BotUttered("Quelle est l'année de construction du logement ?",
                       {"buttons": [{"title": "Avant 1948", "payload": "1947"}]},
                       timestamp=stamp),
            ActionExecuted("action_listen", timestamp=stamp),
        ]
    return DialogueStateTracker.from_events(sender, events, domain.slots)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(store: CachedSQLTrackerStore, sender: str, repeat: int) -> dict[str, list]:
    locks = InMemoryLockStore()
    tracker = await store.retrieve(sender)  # the turn's own read (not counted)
    figures: dict[str, list] = {"channel_wall": [], "channel_cpu": [], "in_turn_wall": [],
                                "in_turn_cpu": []}
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        async with locks.lock(sender):
            read = await store.retrieve(sender)
        answers_after(list(read.events), sender, "retried-0001")
        figures["channel_wall"].append(time.perf_counter() - wall)
        figures["channel_cpu"].append(time.process_time() - cpu)
        wall, cpu = time.perf_counter(), time.process_time()
        answers_after(list(tracker.events), sender, "retried-0001")
        figures["in_turn_wall"].append(time.perf_counter() - wall)
        figures["in_turn_cpu"].append(time.process_time() - cpu)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=400)
    parser.add_argument("--turns", default="5,10,20")
    args = parser.parse_args()
    domain = Domain.load(str(ROOT / "domain.yml"))
    print(f"charge : {' '.join(f'{x:.2f}' for x in os.getloadavg())} ; {os.cpu_count()} cœurs")
    with tempfile.TemporaryDirectory() as workdir:
        store = CachedSQLTrackerStore(domain=domain, dialect="sqlite",
                                      db=str(Path(workdir) / "tracker.db"))
        for turns in [int(value) for value in args.turns.split(",")]:
            sender = f"bench-{turns}"
            tracker = form_conversation(sender, turns, domain)
            asyncio.run(store.save(tracker))
            figures = asyncio.run(measure(store, sender, args.repeat))
            print(f"conversation de {turns} tours ({len(tracker.events)} événements) :")
            for place, label in (("channel", "dans le canal (verrou + lecture)"),
                                 ("in_turn", "dans le tour de Rasa")):
                wall, cpu = figures[f"{place}_wall"], figures[f"{place}_cpu"]
                print(f"  {label:<34} médiane {statistics.median(wall) * 1000:7.3f} ms, "
                      f"p95 {percentile(wall, 0.95) * 1000:7.3f} ms ; calcul médiane "
                      f"{statistics.median(cpu) * 1000:7.3f} ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
