"""Compare NLU pipelines on the held-out set (issue 10); writes results/nlu/ (git-ignored).

    .venv/bin/python scripts/nlu_compare.py run                      # all candidates + baseline
    .venv/bin/python scripts/nlu_compare.py run --candidates logreg_sparse --cv
    .venv/bin/python scripts/nlu_compare.py evaluate --model models/assistant.tar.gz --json x.json
    .venv/bin/python scripts/nlu_compare.py table                    # comparison.md from the JSONs

Each candidate is trained with `rasa train nlu` on data/nlu into results/nlu/models/, then
evaluated in a fresh process (so load time and memory are its own): intent accuracy, macro-F1,
per-intent F1, faq sub-intent accuracy, entity P/R/F1 (value and role must match), parse
latency p50/p95 in-process, model size, load time, RSS. --cv adds Rasa's 5-fold
cross-validation of the candidate (long: one training per fold).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlu_eval import baseline, candidates  # noqa: E402
from nlu_eval.heldout import (  # noqa: E402
    DEV_DIR,
    FORMER_HELDOUT_DIR,
    HELDOUT_DIR,
    SECOND_HELDOUT_DIR,
    load_heldout,
)
from nlu_eval.metrics import full_report  # noqa: E402

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
       "RASA_TELEMETRY_ENABLED": "false"}


def evaluate_model(model: Path, output: Path, directory: Path = HELDOUT_DIR) -> dict:
    from nlu_eval.rasa_model import LoadedModel, rss_mb

    messages = load_heldout(directory)
    loaded = LoadedModel(model)
    predictions = loaded.predict(messages)
    report = full_report(messages, predictions)
    report.update(model_mb=model.stat().st_size / 2**20, load_seconds=loaded.load_seconds,
                  rss_mb=rss_mb())
    report["errors"] = [
        {"text": m.text, "gold": m.intent, "found": p.intent, "faq": p.faq_key,
         "confidence": round(p.confidence, 3), "gold_entities": m.entities,
         "found_entities": p.entities}
        for m, p in zip(messages, predictions, strict=True)
        if p.intent != m.base_intent or set(p.entities) != set(m.entities)
        or (m.base_intent == "faq" and p.faq_key != m.intent)
    ]
    output.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return report


def server_ready(model: Path, runs: int) -> dict:
    """Seconds until a real `rasa run --enable-api` answers /status, and its RSS then."""
    import tempfile

    from runtime.stack import RasaStack

    figures = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as workdir:
            stack = RasaStack(model=model, workdir=Path(workdir), start_actions=False)
            started = time.perf_counter()
            stack.start_rasa(timeout=600)
            ready = time.perf_counter() - started
            stack.say("bench", "bonjour")
            rss = (stack.peak_rss_kb_by_process()["rasa"] or 0) / 1024
            stack.stop_rasa()
        figures.append({"ready_seconds": round(ready, 1), "rss_mb": round(rss)})
        print(f"serveur prêt en {ready:.1f} s, RSS {rss:.0f} Mo", flush=True)
    return {"runs": figures}


def cross_validate(config: Path, out: Path, folds: int) -> dict:
    cv_dir = out / f"cv_{config.stem}"
    command = [sys.executable, "-m", "rasa", "test", "nlu", "--config", str(config),
               "--nlu", "data/nlu", "--cross-validation", "--folds", str(folds),
               "--out", str(cv_dir)]
    with open(out / f"cv_{config.stem}.log", "w") as log:
        subprocess.run(command, cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT,
                       check=True)
    report = json.loads((cv_dir / "intent_report.json").read_text())
    return {"accuracy": report["accuracy"], "macro_f1": report["macro avg"]["f1-score"]}


def run_candidate(name: str, out: Path, cv: bool, folds: int) -> None:
    configs, models = out / "configs", out / "models"
    configs.mkdir(parents=True, exist_ok=True)
    models.mkdir(parents=True, exist_ok=True)
    config = configs / f"{name}.yml"
    config.write_text(candidates.config_text(name), encoding="utf-8")
    print(f"[{name}] training…", flush=True)
    started = time.perf_counter()
    with open(out / f"train_{name}.log", "w") as log:
        subprocess.run([sys.executable, "-m", "rasa", "train", "nlu", "--config", str(config),
                        "--nlu", "data/nlu", "--out", str(models), "--fixed-model-name", name],
                       cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT, check=True)
    train_seconds = time.perf_counter() - started
    print(f"[{name}] trained in {train_seconds:.0f} s; evaluating…", flush=True)
    result = out / f"{name}.json"
    subprocess.run([sys.executable, __file__, "evaluate", "--model",
                    str(models / f"{name}.tar.gz"), "--json", str(result)],
                   cwd=ROOT, env=ENV, check=True)
    report = json.loads(result.read_text())
    report["train_seconds"] = train_seconds
    report["catalogue"] = candidates.catalogue_available()
    if cv:
        print(f"[{name}] {folds}-fold cross-validation…", flush=True)
        report["cv"] = cross_validate(config, out, folds)
    result.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")


def run_baseline(out: Path, cv: bool, folds: int) -> None:
    messages = load_heldout()
    predictions, train_seconds = baseline.predict(messages)
    report = full_report(messages, predictions)
    report["train_seconds"] = train_seconds
    if cv:
        report["cv"] = baseline.cross_validate(folds)
    (out / "baseline_tfidf_logreg.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")


def _fmt(value: object, digits: int = 3) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def table(out: Path) -> str:
    rows = ["| candidate | intent acc. | macro-F1 | faq sub-intent acc. | multi-fact acc. | "
            "categorical ent. F1 | numeric ent. F1 | CV acc. (5-fold) | parse p50 / p95 ms | "
            "model MB | load s | RSS MB | train s |",
            "|---" * 13 + "|"]
    for path in sorted(out.glob("*.json")):
        r = json.loads(path.read_text())
        if "intent" not in r:
            continue
        intent, entities, cv = r["intent"], r["entities"], r.get("cv") or {}
        rows.append(
            f"| `{path.stem}` | {_fmt(intent['accuracy'])} | {_fmt(intent['macro_f1'])} | "
            f"{_fmt(intent['faq_accuracy'])} | {_fmt(intent['multi_fact_accuracy'])} | "
            f"{_fmt(entities['categorical']['f1'])} | {_fmt(entities['numeric']['f1'])} | "
            f"{_fmt(cv.get('accuracy'))} | {_fmt(r['parse_ms_p50'], 1)} / "
            f"{_fmt(r['parse_ms_p95'], 1)} | {_fmt(r.get('model_mb'), 1)} | "
            f"{_fmt(r.get('load_seconds'), 1)} | {_fmt(r.get('rss_mb'), 0)} | "
            f"{_fmt(r.get('train_seconds'), 0)} |")
    text = "\n".join(rows) + "\n"
    (out / "comparison.md").write_text(text, encoding="utf-8")
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--candidates", default=",".join(candidates.DEFAULT))
    run.add_argument("--cv", action="store_true", help="5-fold cross-validation too (long)")
    run.add_argument("--folds", type=int, default=5)
    run.add_argument("--no-baseline", action="store_true")
    run.add_argument("--out", type=Path, default=ROOT / "results" / "nlu")
    evaluate = sub.add_parser("evaluate")
    evaluate.add_argument("--model", type=Path, required=True)
    evaluate.add_argument("--json", type=Path, required=True)
    evaluate.add_argument("--set", choices=("heldout", "dev", "old", "v2"), default="heldout",
                          help="dev: the development set pipelines are tuned on; old: the "
                               "first held-out set, development data since the third pass")
    evaluate.add_argument("--dir", type=Path, default=None,
                          help="another directory of test messages (overrides --set)")
    base = sub.add_parser("baseline", help="the TF-IDF + LR baseline on one set")
    base.add_argument("--json", type=Path, required=True)
    base.add_argument("--set", choices=("heldout", "dev", "old", "v2"), default="heldout")
    base.add_argument("--dir", type=Path, default=None)
    server = sub.add_parser("server", help="time a real Rasa server until /status answers")
    server.add_argument("--model", type=Path, default=ROOT / "models" / "assistant.tar.gz")
    server.add_argument("--runs", type=int, default=3)
    server.add_argument("--json", type=Path, default=None)
    show = sub.add_parser("table")
    show.add_argument("--out", type=Path, default=ROOT / "results" / "nlu")
    args = parser.parse_args()

    if args.command in ("evaluate", "baseline"):
        directory = args.dir or {"dev": DEV_DIR, "old": FORMER_HELDOUT_DIR,
                                   "v2": SECOND_HELDOUT_DIR}.get(args.set,
                                                                             HELDOUT_DIR)
    if args.command == "baseline":
        messages = load_heldout(directory)
        predictions, _ = baseline.predict(messages)
        report = full_report(messages, predictions)
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"baseline: intent accuracy {report['intent']['accuracy']:.3f} "
              f"on {len(messages)} messages of {directory}")
        return 0
    if args.command == "evaluate":
        report = evaluate_model(args.model, args.json, directory)
        print(f"intent accuracy {report['intent']['accuracy']:.3f}, "
              f"load {report['load_seconds']:.1f} s, RSS {report['rss_mb']:.0f} MB")
        return 0
    if args.command == "server":
        figures = server_ready(args.model, args.runs)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
        return 0
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    if args.command == "run":
        if not args.no_baseline:
            run_baseline(out, args.cv, args.folds)
        for name in [n for n in args.candidates.split(",") if n]:
            try:
                run_candidate(name, out, args.cv, args.folds)
            except subprocess.CalledProcessError as error:
                print(f"[{name}] échec : {error} (voir {out}/train_{name}.log)", flush=True)
    print(table(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
