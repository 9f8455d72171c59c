"""Latency and throughput of the real servers under simulated users (issues 7 and 13).

Starts the action server and the Rasa server on free ports (SQLite tracker store; with
--scaled, the scaled setup of runtime/scaled.py behind nginx), then:
  1. NLU only: /model/parse, sequential and 8 concurrent;
  2. for 1, 10, 50 and 100 concurrent users, each holds a conversation of up to 10 turns
     that reaches an aids estimate, thinking 1 to 2 s before each message like a person
     (--think 0: no pause, to find the saturation throughput); prints p50/p95/p99 latency
     per message, messages per second, errors, how many reached the estimate, and the peak
     memory of each process;
  3. checks that every conversation's tracker holds every user message sent, in order.
The simulated user reads the form's requested slot (with the API token) after each answer to
know which question is asked: load a real user does not add, kept small by asking Rasa for
the tracker without its events (`include_events=NONE`); the full trackers are read once, at
the end, to count lost messages. `--store sql` runs Rasa's own SQLTrackerStore instead of
ours (runtime/tracker_store.py), for before/after figures.
Prints figures and writes them to results/bench/conversations.json. Usage:
  .venv/bin/python benchmarks/bench_conversations.py [--users 1,10,50,100] [--turns 10]
      [--think 1-2] [--scaled [--rasa-processes 2 --action-servers 2]] [--store sql]
      [--request-id] [--stagger] [--timing [--per-turn]]
`--request-id` sends each message with an X-Request-ID as nginx does (the replay check of
channels/replay.py then runs in the single setup too); ASSISTANT_RASA_UNPATCHED=replay_in_turn
in the environment gives the former check, in the channel, for before/after figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from runtime.simulated_user import (  # noqa: E402
    OPENING,
    Conversation,
    TurnResult,
    user_messages_in_tracker,
)
from runtime.stack import ROOT, RasaStack  # noqa: E402
from runtime.train import ensure_model  # noqa: E402

NLU_SAMPLES = [
    "bonjour", "combien je toucherais pour une pompe à chaleur ?",
    "ma maison de 1975 est chauffée au fioul", "je cherche un artisan RGE à Amiens",
    "c'est quoi l'éco-PTZ", "on est 4 avec 32000 euros de revenu fiscal",
]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def latency_line(values: list[float]) -> dict:
    return {"p50_ms": round(percentile(values, 0.50) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "p99_ms": round(percentile(values, 0.99) * 1000, 1),
            "mean_ms": round(statistics.fmean(values) * 1000, 1) if values else None}


@dataclass
class ThinkingConversation(Conversation):
    """A simulated user who pauses `think` seconds (uniform in [low, high]) before each
    message but the first, as a person reading the answer and typing."""

    think: tuple[float, float] = (1.0, 2.0)
    rng: random.Random = field(default_factory=random.Random)
    # When each answer arrived (perf_counter) and the form slot each message answered,
    # to join the turns with Rasa's own timings (--per-turn).
    ended: list[float] = field(default_factory=list)
    answered_slot: list[str | None] = field(default_factory=list)
    _asked: str | None = None
    # Pause before the first message (--stagger): without it every user says « bonjour »
    # in the same millisecond, a burst real visitors do not make.
    first_delay: float = 0.0

    def say(self, message: str) -> TurnResult:
        if self.turns and self.think[1] > 0:
            time.sleep(self.rng.uniform(*self.think))
        elif not self.turns and self.first_delay > 0:
            time.sleep(self.first_delay)
        turn = super().say(message)
        self.ended.append(time.perf_counter())
        self.answered_slot.append(self._asked)
        self._asked = None
        return turn

    def requested_slot(self) -> str | None:
        # The slots only: serialising every event of the conversation at each turn was the
        # benchmark's own load on the server.
        response = self.session.get(
            f"{self.base_url}/conversations/{self.sender}/tracker",
            params={"token": self.token, "include_events": "NONE"}, timeout=self.timeout)
        response.raise_for_status()
        self._asked = (response.json().get("slots") or {}).get("requested_slot")
        return self._asked


def bench_nlu(stack: RasaStack, requests_count: int = 200) -> dict:
    url = f"{stack.base_url}/model/parse"
    session = requests.Session()

    def parse(index: int) -> float:
        started = time.perf_counter()
        session.post(url, json={"text": NLU_SAMPLES[index % len(NLU_SAMPLES)]},
                     params=stack.api_params, timeout=60).raise_for_status()
        return time.perf_counter() - started

    results = {}
    for workers in (1, 8):
        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            latencies = list(pool.map(parse, range(requests_count)))
        wall = time.perf_counter() - started
        results[f"{workers}_concurrent"] = {
            **latency_line(latencies), "requests": requests_count,
            "per_second": round(requests_count / wall, 1)}
    return results


def read_timings(path: Path | None, skip: int) -> tuple[dict, int]:
    """Median and p95 per stage of the turns timed inside Rasa (runtime/rasa_patches.py
    time_turns) since line `skip`; and the new line count."""
    if path is None or not path.exists():
        return {}, skip
    lines = path.read_text().splitlines()
    turns = [json.loads(line) for line in lines[skip:] if line.strip()]
    stages = sorted({stage for turn in turns for stage in turn})
    summary = {stage: {"p50_ms": round(percentile([t.get(stage, 0.0) for t in turns], 0.5), 1),
                       "p95_ms": round(percentile([t.get(stage, 0.0) for t in turns], 0.95), 1),
                       "mean_ms": round(statistics.fmean(t.get(stage, 0.0) for t in turns), 1)}
               for stage in stages}
    return summary, len(lines)


def turn_kind(conversation: ThinkingConversation, index: int) -> str:
    """Which step of the aids conversation a message is, for the per-turn breakdown."""
    turn = conversation.turns[index]
    if any("€" in (reply.get("text") or "") and "aide" in (reply.get("text") or "").lower()
           for reply in turn.replies):
        return "estimation d'aides"
    if index < len(OPENING):
        return ("salutation", "demande d'aides")[index]
    return f"formulaire : {conversation.answered_slot[index] or '?'}"


def per_turn_breakdown(conversations: list[ThinkingConversation], path: Path | None,
                       skip: int, slow_share: float = 0.10) -> dict:
    """Joins each message the users sent with its line of Rasa's timings and breaks the
    slowest `slow_share` of messages down by kind of turn and by stage.

    Rasa writes a timing line when its handler returns, just before answering: sorted by the
    time each answer arrived, the messages are in the file's order. The join is checked
    (Rasa's turn must fit in the client's latency); the count of misfits is reported.
    `outside_handler` is the client's latency minus Rasa's turn: HTTP, the channel, the
    conversation lock and waiting for the event loop before the handler starts;
    `unaccounted` is the turn minus its timed stages (the processor's own work and event-loop
    waits between the stages)."""
    if path is None or not path.exists():
        return {}
    lines = [json.loads(line) for line in path.read_text().splitlines()[skip:] if line.strip()]
    turns = []
    for conversation in conversations:
        for index, turn in enumerate(conversation.turns):
            ended = conversation.ended[index]
            turns.append({"kind": turn_kind(conversation, index), "ms": turn.seconds * 1000,
                          "started": ended - turn.seconds, "ended": ended})
    if len(lines) != len(turns):
        return {"error": f"{len(lines)} lignes de Rasa pour {len(turns)} messages"}
    turns.sort(key=lambda turn: turn["ended"])
    misfits = 0
    for turn, stages in zip(turns, lines, strict=True):
        turn["stages"] = dict(stages)
        if stages.get("turn", 0.0) > turn["ms"] + 1.0:
            misfits += 1
        inside = sum(v for k, v in stages.items() if k != "turn")
        turn["stages"]["unaccounted"] = max(0.0, stages.get("turn", 0.0) - inside)
        turn["stages"]["outside_handler"] = max(0.0, turn["ms"] - stages.get("turn", 0.0))
        # Other users' messages the server was handling while this one was.
        turn["in_flight"] = sum(1 for other in turns if other is not turn
                                and other["started"] < turn["ended"]
                                and other["ended"] > turn["started"])
    first = min(turn["started"] for turn in turns)
    threshold = percentile([turn["ms"] for turn in turns], 1 - slow_share)
    slow = [turn for turn in turns if turn["ms"] >= threshold]
    stage_names = sorted({name for turn in turns for name in turn["stages"]})

    def mean(values: list[float]) -> float:
        return round(statistics.fmean(values), 1) if values else 0.0

    def group(selected: list[dict]) -> dict:
        return {"messages": len(selected), "latency_mean_ms": mean([t["ms"] for t in selected]),
                "in_flight_mean": mean([t["in_flight"] for t in selected]),
                "stages_mean_ms": {name: mean([t["stages"].get(name, 0.0) for t in selected])
                                   for name in stage_names}}

    kinds = sorted({turn["kind"] for turn in turns})
    return {
        "join_misfits": misfits, "slow_threshold_ms": round(threshold, 1),
        "all": group(turns), "slowest": group(slow),
        "by_kind": {kind: {
            "messages": sum(1 for t in turns if t["kind"] == kind),
            "p50_ms": round(percentile([t["ms"] for t in turns if t["kind"] == kind], 0.5), 1),
            "p95_ms": round(percentile([t["ms"] for t in turns if t["kind"] == kind], 0.95), 1),
            "in_slowest": sum(1 for t in slow if t["kind"] == kind),
            "slowest_stages_mean_ms": group([t for t in slow if t["kind"] == kind])[
                "stages_mean_ms"]} for kind in kinds},
        "slowest_turns": [{"kind": t["kind"], "ms": round(t["ms"], 1),
                           "sent_at_s": round(t["started"] - first, 2),
                           "in_flight": t["in_flight"],
                           "stages": {k: round(v, 1) for k, v in t["stages"].items()}}
                          for t in sorted(slow, key=lambda t: -t["ms"])],
    }


def print_per_turn(breakdown: dict) -> None:
    if not breakdown:
        return
    if "error" in breakdown:
        print(f"    par tour : jointure impossible ({breakdown['error']})", flush=True)
        return
    print(f"    par tour : 10 % les plus lents = au-delà de {breakdown['slow_threshold_ms']} ms "
          f"({breakdown['join_misfits']} jointures douteuses)", flush=True)
    for label in ("all", "slowest"):
        figures = breakdown[label]
        stages = ", ".join(f"{name} {ms}" for name, ms in figures["stages_mean_ms"].items())
        print(f"      {label:<8} {figures['messages']:3d} messages, moyenne "
              f"{figures['latency_mean_ms']} ms, {figures['in_flight_mean']} autres en cours ; "
              f"moyennes (ms) : {stages}", flush=True)
    for kind, figures in breakdown["by_kind"].items():
        print(f"      {kind:<32} {figures['messages']:3d} msg, p50 {figures['p50_ms']:6.1f}, "
              f"p95 {figures['p95_ms']:6.1f} ms, {figures['in_slowest']} parmi les plus lents",
              flush=True)


def server_cpu_s(stack) -> dict[str, float]:
    """CPU seconds used so far by each Rasa and action server process (/proc)."""
    named = ([("rasa", stack.rasa), ("actions", stack.actions)] if hasattr(stack, "rasa") else
             [*((f"rasa-{i + 1}", p) for i, p in enumerate(stack.rasas)),
              *((f"actions-{i + 1}", p) for i, p in enumerate(stack.actions))])
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for name, managed in named:
        try:
            fields = Path(f"/proc/{managed.process.pid}/stat").read_text().rsplit(")", 1)[1]
            utime, stime = fields.split()[11:13]
            seconds[name] = (int(utime) + int(stime)) / ticks
        except (AttributeError, OSError, ValueError):
            continue
    return seconds


# PostgreSQL flushes a backend's statistics when it has been idle this long (version 15).
STATS_FLUSH_S = 11.0


def service_counters(stack) -> dict[str, int]:
    """So far in the scaled setup: PostgreSQL transactions and rows read (pg_stat_database),
    Redis commands (INFO stats). Counts of work, unlike times, do not move with the load."""
    import psycopg2  # noqa: PLC0415
    import redis  # noqa: PLC0415

    connection = psycopg2.connect(**stack.postgres_dsn)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT xact_commit + xact_rollback, tup_returned, tup_fetched "
                           "FROM pg_stat_database WHERE datname = current_database()")
            transactions, returned, fetched = cursor.fetchone()
    finally:
        connection.close()
    info = redis.Redis(host="127.0.0.1", port=stack.redis_port,
                       password=stack.redis_password).info("stats")
    return {"postgres_transactions": transactions, "postgres_rows_scanned": returned,
            "postgres_rows_fetched": fetched, "redis_commands": info["total_commands_processed"]}


def bench_users(stack, users: int, max_turns: int, think: tuple[float, float],
                timing: Path | None = None, per_turn: bool = False,
                stagger: bool = False, request_ids: bool = False,
                service_counts: bool = False) -> dict:
    conversations = [
        ThinkingConversation(stack.base_url, f"bench-{users}-{uuid.uuid4().hex[:10]}",
                             token=stack.token, think=think, rng=random.Random(index),
                             request_ids=request_ids)
        for index in range(users)]
    for conversation in conversations if stagger else ():
        conversation.first_delay = conversation.rng.uniform(0.0, max(think))
    _, timed_before = read_timings(timing, 0)
    load_before = os.getloadavg()[0]
    client_cpu = time.process_time()  # this process: the simulated users (all threads)
    servers_before = server_cpu_s(stack)
    counted = service_counts and hasattr(stack, "postgres_dsn")
    if counted:
        time.sleep(STATS_FLUSH_S)  # the start's and the previous run's work counted before
    services_before = service_counters(stack) if counted else {}
    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        reached = list(pool.map(lambda c: c.run_to_aids(max_turns), conversations))
    wall = time.perf_counter() - started
    load_after = os.getloadavg()[0]
    client_cpu = time.process_time() - client_cpu
    servers_after = server_cpu_s(stack)
    if counted:
        time.sleep(STATS_FLUSH_S)  # before the check of lost messages reads the trackers
    services_after = service_counters(stack) if counted else {}
    stages, _ = read_timings(timing, timed_before)
    breakdown = per_turn_breakdown(conversations, timing, timed_before) if per_turn else None
    turns = [turn for conversation in conversations for turn in conversation.turns]
    latencies = [turn.seconds for turn in turns]
    errors = sum(1 for turn in turns if turn.status != 200)
    lost_conversations = lost_messages = 0
    for conversation in conversations:
        stored = user_messages_in_tracker(stack.base_url, conversation.sender, stack.token)
        if stored != conversation.sent:
            lost_conversations += 1
            lost_messages += max(0, len(conversation.sent) - len(stored))
    return {
        "users": users, "think_s": list(think), "messages": len(turns),
        **latency_line(latencies),
        "messages_per_second": round(len(turns) / wall, 1), "errors": errors,
        "reached_aids_estimate": sum(reached),
        "conversations_with_lost_messages": lost_conversations, "messages_lost": lost_messages,
        # CPU the load generator itself used per message (it shares the machine's cores).
        "client_cpu_ms_per_message": round(client_cpu * 1000 / max(1, len(turns)), 1),
        # CPU of each server process per message, and its share of one core during the run.
        "server_cpu_ms_per_message": {
            name: round((servers_after[name] - before) * 1000 / max(1, len(turns)), 1)
            for name, before in servers_before.items() if name in servers_after},
        "server_cpu_share_of_a_core": {
            name: round((servers_after[name] - before) / wall, 2)
            for name, before in servers_before.items() if name in servers_after},
        # PostgreSQL transactions and rows, Redis commands, per message (--service-counts;
        # the simulated users' own reads of the requested slot included).
        "services_per_message": {
            name: round((services_after[name] - before) / max(1, len(turns)), 2)
            for name, before in services_before.items()},
        # Wall time of each stage inside Rasa, per message (--timing).
        "stages_in_rasa": stages,
        # The machine's 1-minute load average before and after (other work shares it).
        "load_average": [round(load_before, 2), round(load_after, 2)],
        "peak_rss_mb": {name: round((kb or 0) / 1024)
                        for name, kb in stack.peak_rss_kb_by_process().items()},
        **({"per_turn": breakdown} if breakdown is not None else {}),
    }


def use_shipped_store(endpoints: Path) -> None:
    """Rasa's SQLTrackerStore in place of ours, same database."""
    config = yaml.safe_load(endpoints.read_text())
    config["tracker_store"]["type"] = "SQL"
    endpoints.write_text(yaml.safe_dump(config))


def parse_think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="1,10,50,100")
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--think", default="1-2",
                        help="pause before each message, in seconds: 1-2 (default) or 0")
    parser.add_argument("--model", type=Path, default=None,
                        help="a trained model (default: models/, trained if needed)")
    parser.add_argument("--scaled", action="store_true",
                        help="the scaled setup: PostgreSQL, Redis, nginx, several Rasa")
    parser.add_argument("--rasa-processes", type=int, default=2)
    parser.add_argument("--action-servers", type=int, default=2)
    parser.add_argument("--skip-nlu", action="store_true")
    parser.add_argument("--timing", action="store_true",
                        help="time each stage of a turn inside Rasa (tracker, NLU, policies, "
                        "action server calls) and print their median and p95")
    parser.add_argument("--per-turn", action="store_true",
                        help="with --timing: join each message with its timing in Rasa and "
                        "break the slowest 10 %% down by kind of turn and by stage")
    parser.add_argument("--stagger", action="store_true",
                        help="each user waits 0 to the longest pause before its first "
                        "message instead of all starting at once")
    parser.add_argument("--request-id", action="store_true",
                        help="each message carries its own X-Request-ID as behind nginx, so "
                        "the single setup checks replays too (channels/replay.py)")
    parser.add_argument("--service-counts", action="store_true",
                        help="with --scaled: PostgreSQL transactions and rows read and Redis "
                        "commands per message (adds 2 × 11 s of waiting per run)")
    parser.add_argument("--store", choices=("cached", "sql"), default="cached",
                        help="sql: Rasa's SQLTrackerStore as shipped (the 'before' figure)")
    args = parser.parse_args()
    think = parse_think(args.think)
    model = args.model or ensure_model()
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine_cores": os.cpu_count(),
                    "setup": "scaled" if args.scaled else "single"}
    with tempfile.TemporaryDirectory() as workdir:
        started = time.perf_counter()
        timing = Path(workdir) / "turns.jsonl" if args.timing else None
        extra_env = {"ASSISTANT_TURN_TIMING": str(timing)} if timing else {}
        if args.scaled:
            from runtime.scaled import ScaledStack  # noqa: PLC0415

            stack = ScaledStack(model=model, workdir=Path(workdir),
                                rasa_processes=args.rasa_processes,
                                action_servers=args.action_servers, extra_env=extra_env)
            if args.store == "sql":
                write_endpoints = stack._write_endpoints

                def shipped_store_endpoints() -> None:
                    write_endpoints()
                    use_shipped_store(stack.endpoints)

                stack._write_endpoints = shipped_store_endpoints  # type: ignore[method-assign]
        else:
            stack = RasaStack(model=model, workdir=Path(workdir), extra_env=extra_env)
            if args.store == "sql":
                use_shipped_store(stack.endpoints)
        report["tracker_store"] = args.store
        report["request_ids"] = args.request_id
        report["rasa_unpatched"] = os.environ.get("ASSISTANT_RASA_UNPATCHED", "")
        try:
            stack.start()
            report["ready_s"] = round(time.perf_counter() - started, 1)
            print(f"Serveurs prêts en {report['ready_s']} s.", flush=True)
            run_benchmarks(stack, args, think, report, timing)
        finally:
            stack.stop()
    out = ROOT / "results" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    name = "conversations_scaled.json" if args.scaled else "conversations.json"
    (out / name).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Résultats : {out / name}")
    lost = sum(line["conversations_with_lost_messages"] for line in report["conversations"])
    return 1 if lost else 0


def run_benchmarks(stack, args: argparse.Namespace, think: tuple[float, float],
                   report: dict, timing: Path | None = None) -> None:
    if not args.skip_nlu:
        print("NLU seule (/model/parse)…", flush=True)
        report["nlu_parse"] = bench_nlu(stack)
        for label, line in report["nlu_parse"].items():
            print(f"  {label:>13}: p50 {line['p50_ms']} ms, p95 {line['p95_ms']} ms, "
                  f"p99 {line['p99_ms']} ms, {line['per_second']} req/s", flush=True)
    report["conversations"] = []
    for users in [int(value) for value in args.users.split(",")]:
        print(f"{users} utilisateur(s) simultané(s), pause {think[0]}–{think[1]} s…",
              flush=True)
        line = bench_users(stack, users, args.turns, think, timing,
                           per_turn=getattr(args, "per_turn", False),
                           stagger=getattr(args, "stagger", False),
                           request_ids=getattr(args, "request_id", False),
                           service_counts=getattr(args, "service_counts", False))
        report["conversations"].append(line)
        memory = ", ".join(f"{name} {mb} Mo" for name, mb in line["peak_rss_mb"].items())
        print(f"  {line['messages']} messages : p50 {line['p50_ms']} ms, "
              f"p95 {line['p95_ms']} ms, p99 {line['p99_ms']} ms, "
              f"{line['messages_per_second']} msg/s, {line['errors']} erreurs, "
              f"{line['reached_aids_estimate']}/{users} estimations d'aides atteintes, "
              f"{line['messages_lost']} messages perdus "
              f"({line['conversations_with_lost_messages']} conversations incomplètes), "
              f"mémoire max : {memory}, "
              f"calcul du client {line['client_cpu_ms_per_message']} ms/message, "
              f"charge {line['load_average'][0]} -> "
              f"{line['load_average'][1]}", flush=True)
        print("    calcul par message : " + ", ".join(
            f"{name} {ms} ms ({line['server_cpu_share_of_a_core'][name]:.0%} d'un cœur)"
            for name, ms in line["server_cpu_ms_per_message"].items()), flush=True)
        if line["services_per_message"]:
            print("    par message : " + ", ".join(
                f"{name} {value}" for name, value in line["services_per_message"].items()),
                flush=True)
        for stage, figures in line["stages_in_rasa"].items():
            print(f"    dans Rasa, {stage:<14} p50 {figures['p50_ms']:7.1f} ms  "
                  f"p95 {figures['p95_ms']:7.1f} ms  moyenne {figures['mean_ms']:7.1f} ms",
                  flush=True)
        print_per_turn(line.get("per_turn") or {})


if __name__ == "__main__":
    sys.exit(main())
