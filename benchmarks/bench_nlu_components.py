"""CPU per message of each NLU graph component (issue 13 §2): the trained model loaded in this
process (as `rasa run` does, with runtime.rasa_patches and the eager model load), the messages
of tests/nlu/dev/ parsed one by one, the process CPU time (time.process_time) of each graph
node summed per message. Prints per component: mean and p95 ms per message, share of the NLU.

  .venv/bin/python benchmarks/bench_nlu_components.py [--model models/assistant.tar.gz]
      [--messages 1000] [--rounds 3] [--compare]
--compare: passes alternate between the current code and the former one (the intent
classifier's `process` of commit 32db920: Rasa's stock matrix, built three times per message;
Rasa's own tf.function call instead of rasa_patches' direct graph call), interleaved
before/after in one process under the same load.
Not part of `make bench` (run it when choosing what to cut in the NLU).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
SETS = (ROOT / "tests" / "nlu" / "dev", ROOT / "tests" / "nlu" / "heldout")


def dev_messages(limit: int) -> list[str]:
    """The development then held-out messages (never trained on), at most `limit`."""
    import yaml  # noqa: PLC0415

    texts: list[str] = []
    for path in (file for folder in SETS for file in sorted(folder.glob("*.yml"))):
        texts += [str(item["text"]) for item in yaml.safe_load(path.read_text("utf-8")) or []]
    return texts[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "assistant.tar.gz"))
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the messages "
                        "(the first is a warm-up, not counted)")
    parser.add_argument("--compare", action="store_true",
                        help="alternate passes: project's code / Rasa's stock classifier")
    args = parser.parse_args()

    from benchmarks.profile_turn import quiet_logs  # noqa: PLC0415

    quiet_logs()
    from runtime import fast_model_load, rasa_patches  # noqa: PLC0415

    rasa_patches.apply()
    fast_model_load.apply()
    from rasa.core.agent import Agent  # noqa: PLC0415
    from rasa.engine.graph import GraphNode  # noqa: PLC0415

    node_cpu: dict[str, float] = defaultdict(float)
    original_call = GraphNode.__call__

    def timed_call(self, *inputs):  # noqa: ANN001, ANN002, ANN202
        started = time.process_time()
        try:
            return original_call(self, *inputs)
        finally:
            node_cpu[self._node_name] += time.process_time() - started

    GraphNode.__call__ = timed_call  # type: ignore[method-assign]
    agent = Agent.load(args.model)
    texts = dev_messages(args.messages)
    variants = ["après", "avant"] if args.compare else ["projet"]
    per_message = {v: defaultdict(list) for v in variants}
    totals: dict[str, list[float]] = {v: [] for v in variants}

    async def run() -> None:
        for round_index in range(args.rounds * len(variants)):
            variant = variants[round_index % len(variants)]
            stock_classifier(agent, variant == "avant")
            for text in texts:
                node_cpu.clear()
                started = time.process_time()
                await agent.parse_message(text)
                total = time.process_time() - started
                if round_index < len(variants):
                    continue  # warm-up pass of each variant
                totals[variant].append(total * 1000)
                for name, seconds in node_cpu.items():
                    per_message[variant][name].append(seconds * 1000)

    asyncio.run(run())
    for variant in variants:
        mean_total = statistics.fmean(totals[variant])
        print(f"[{variant}] {len(texts)} messages × {args.rounds - 1} passes comptées ; "
              f"CPU NLU par message : moyenne {mean_total:.2f} ms, "
              f"p95 {statistics.quantiles(totals[variant], n=20)[-1]:.2f} ms")
        for name, values in sorted(per_message[variant].items(), key=lambda kv: -sum(kv[1])):
            mean = statistics.fmean(values)
            p95 = statistics.quantiles(values, n=20)[-1] if len(values) > 1 else mean
            print(f"  {name:55s} {mean:7.3f} ms  p95 {p95:7.3f}  "
                  f"{100 * mean / mean_total:5.1f} %")
    return 0


def stock_classifier(agent: Any, former: bool) -> None:
    """The intent classifier's former process (former=True) or the current one. A graph node
    keeps the function it was built with (GraphNode._fn): it is swapped there."""
    from rasa.nlu.classifiers.logistic_regression_classifier import (  # noqa: PLC0415
        LogisticRegressionClassifier as Stock,
    )
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT  # noqa: PLC0415

    from nlu.intent_classifier import SafeLogisticRegressionClassifier as Safe  # noqa: PLC0415

    def former_process(self: Any, messages: list) -> list:  # commit 32db920, verbatim logic
        def has_all_features(message: Any) -> bool:
            if message.get_sparse_features(attribute=TEXT)[1] is None:
                return False
            expected = getattr(self.clf, "n_features_in_", None)
            return expected is None or Stock._create_X(self, [message]).shape[1] == expected

        usable = [has_all_features(m) for m in messages]
        complete = [m for m, ok in zip(messages, usable, strict=True) if ok]
        if complete:
            Stock.process(self, complete)
        for message, ok in zip(messages, usable, strict=True):
            if not ok:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages

    from rasa.utils.tensorflow.models import RasaModel  # noqa: PLC0415

    _KEPT.setdefault("_rasa_predict", RasaModel._rasa_predict)
    shipped = getattr(_KEPT["_rasa_predict"], "shipped", _KEPT["_rasa_predict"])
    RasaModel._rasa_predict = shipped if former else _KEPT["_rasa_predict"]  # type: ignore
    _KEPT.setdefault("_create_X", Safe.__dict__["_create_X"])
    Safe._create_X = Stock._create_X if former else _KEPT["_create_X"]  # type: ignore[method-assign]
    for node in agent.processor.graph_runner._instantiated_nodes.values():
        if isinstance(node._component, Safe) and node._fn_name == "process":
            node._fn = former_process if former else Safe.process


_KEPT: dict[str, Any] = {}


if __name__ == "__main__":
    sys.exit(main())
