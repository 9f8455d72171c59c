"""Latency and throughput of the real servers under simulated users (issue 7).

Starts the action server and the Rasa server on free ports (SQLite tracker store), then:
  1. NLU only: /model/parse, sequential and 8 concurrent;
  2. for 1, 10 and 50 concurrent users, each holds a conversation of up to 10 turns that
     reaches an aids estimate; prints p50/p95/p99 latency per message, messages per second,
     errors, how many reached the estimate, and the peak memory of each process;
  3. checks that every conversation's tracker holds every user message sent, in order.
Prints figures and writes them to results/bench/conversations.json. Usage:
  .venv/bin/python benchmarks/bench_conversations.py [--users 1,10,50] [--turns 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from runtime.simulated_user import Conversation, user_messages_in_tracker  # noqa: E402
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


def bench_nlu(stack: RasaStack, requests_count: int = 200) -> dict:
    url = f"{stack.base_url}/model/parse"
    session = requests.Session()

    def parse(index: int) -> float:
        started = time.perf_counter()
        session.post(url, json={"text": NLU_SAMPLES[index % len(NLU_SAMPLES)]},
                     timeout=60).raise_for_status()
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


def bench_users(stack: RasaStack, users: int, max_turns: int) -> dict:
    conversations = [Conversation(stack.base_url, f"bench-{users}-{uuid.uuid4().hex[:10]}")
                     for _ in range(users)]
    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        reached = list(pool.map(lambda c: c.run_to_aids(max_turns), conversations))
    wall = time.perf_counter() - started
    turns = [turn for conversation in conversations for turn in conversation.turns]
    latencies = [turn.seconds for turn in turns]
    errors = sum(1 for turn in turns if turn.status != 200)
    lost = 0
    for conversation in conversations:
        if user_messages_in_tracker(stack.base_url, conversation.sender) != conversation.sent:
            lost += 1
    return {
        "users": users, "messages": len(turns), **latency_line(latencies),
        "messages_per_second": round(len(turns) / wall, 1), "errors": errors,
        "reached_aids_estimate": sum(reached), "conversations_with_lost_messages": lost,
        "peak_rss_mb": {"rasa": round((stack.rasa.peak_rss_kb() or 0) / 1024),
                        "actions": round((stack.actions.peak_rss_kb() or 0) / 1024)},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="1,10,50")
    parser.add_argument("--turns", type=int, default=10)
    args = parser.parse_args()
    model = ensure_model()
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine_cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as workdir, \
            RasaStack(model=model, workdir=Path(workdir)) as stack:
        print("Serveurs prêts. NLU seule (/model/parse)…", flush=True)
        report["nlu_parse"] = bench_nlu(stack)
        for label, line in report["nlu_parse"].items():
            print(f"  {label:>13}: p50 {line['p50_ms']} ms, p95 {line['p95_ms']} ms, "
                  f"p99 {line['p99_ms']} ms, {line['per_second']} req/s", flush=True)
        report["conversations"] = []
        for users in [int(value) for value in args.users.split(",")]:
            print(f"{users} utilisateur(s) simultané(s)…", flush=True)
            line = bench_users(stack, users, args.turns)
            report["conversations"].append(line)
            print(f"  {line['messages']} messages : p50 {line['p50_ms']} ms, "
                  f"p95 {line['p95_ms']} ms, p99 {line['p99_ms']} ms, "
                  f"{line['messages_per_second']} msg/s, {line['errors']} erreurs, "
                  f"{line['reached_aids_estimate']}/{users} estimations d'aides atteintes, "
                  f"{line['conversations_with_lost_messages']} conversations incomplètes, "
                  f"mémoire max Rasa {line['peak_rss_mb']['rasa']} Mo / actions "
                  f"{line['peak_rss_mb']['actions']} Mo", flush=True)
    out = ROOT / "results" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "conversations.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Résultats : {out / 'conversations.json'}")
    lost = sum(line["conversations_with_lost_messages"] for line in report["conversations"])
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
