"""Compact markdown summary of a `rasa test nlu --cross-validation` run.

Reads the reports rasa writes into its --out folder (intent_report.json,
DIETClassifier_report.json, response_selection_report.json, and the run log for the
per-fold spread) and writes summary.md: macro / weighted F1, a per-label table, the worst
labels and the most frequent confusions.

    .venv/bin/python scripts/nlu_summary.py --results results/nlu --output results/nlu/summary.md
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

# Keys of sklearn's classification_report that are averages, not labels.
AVERAGE_KEYS = ("accuracy", "macro avg", "weighted avg", "micro avg")
NO_ENTITY = "no_entity"

Report = dict[str, Any]


def load_report(path: Path) -> Report | None:
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def label_rows(report: Report) -> list[tuple[str, dict]]:
    """Per-label entries (averages and rasa's `no_entity` left out), worst F1 first."""
    rows = [(label, values) for label, values in report.items()
            if label not in AVERAGE_KEYS and label != NO_ENTITY and isinstance(values, dict)]
    return sorted(rows, key=lambda row: (row[1].get("f1-score", 0.0), row[0]))


def confusion_pairs(report: Report, limit: int = 10) -> list[tuple[str, str, int]]:
    """(true label, predicted label, count), most frequent first."""
    pairs = []
    for label, values in label_rows(report):
        for predicted, count in (values.get("confused_with") or {}).items():
            if count:
                pairs.append((label, predicted, int(count)))
    return sorted(pairs, key=lambda pair: (-pair[2], pair[0], pair[1]))[:limit]


def averages(report: Report) -> dict[str, float | None]:
    def f1(key: str) -> float | None:
        value = report.get(key)
        return value.get("f1-score") if isinstance(value, dict) else None

    accuracy = report.get("accuracy")
    return {
        "accuracy": accuracy if isinstance(accuracy, (int, float)) else None,
        "macro_f1": f1("macro avg"),
        "weighted_f1": f1("weighted avg"),
        "micro_f1": f1("micro avg"),
    }


_FOLD_LINE = re.compile(r"\b(train|test) (Accuracy|F1-score|Precision): "
                        r"(\d+(?:\.\d+)?) \((\d+(?:\.\d+)?)\)")


def fold_spread(log_text: str) -> list[tuple[str, str, float, float]]:
    """Mean (std) over folds as rasa logs them: (dataset, metric, mean, std), in log order."""
    return [(m[1], m[2], float(m[3]), float(m[4])) for m in _FOLD_LINE.finditer(log_text)]


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _table(rows: list[tuple[str, dict]]) -> list[str]:
    lines = ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label, values in rows:
        lines.append(f"| `{label}` | {_fmt(values.get('precision'))} | "
                     f"{_fmt(values.get('recall'))} | {_fmt(values.get('f1-score'))} | "
                     f"{values.get('support', '—')} |")
    return lines


def _pairs(pairs: list[tuple[str, str, int]]) -> list[str]:
    if not pairs:
        return ["No confusion."]
    return [f"- `{true}` → `{predicted}`: {count}" for true, predicted, count in pairs]


def _section(title: str, report: Report | None, worst: int) -> list[str]:
    if report is None:
        return [f"## {title}", "", "Report not found.", ""]
    avg = averages(report)
    rows = label_rows(report)
    head = [f"## {title}", ""]
    figures = []
    if avg["accuracy"] is not None:
        figures.append(f"accuracy **{_fmt(avg['accuracy'])}**")
    figures.append(f"macro F1 **{_fmt(avg['macro_f1'])}**")
    figures.append(f"weighted F1 **{_fmt(avg['weighted_f1'])}**")
    if avg["micro_f1"] is not None:
        figures.append(f"micro F1 **{_fmt(avg['micro_f1'])}**")
    head += [", ".join(figures) + f" ({len(rows)} labels)", ""]
    head += [f"Worst {min(worst, len(rows))}: " + ", ".join(
        f"`{label}` {_fmt(values.get('f1-score'))}" for label, values in rows[:worst]), ""]
    head += ["Top confusion pairs (true → predicted: count):", ""]
    head += _pairs(confusion_pairs(report)) + [""]
    head += _table(rows) + [""]
    return head


def summarise(results: Path, folds: int | None = None, seconds: int | None = None) -> str:
    intents = load_report(results / "intent_report.json")
    entities = load_report(results / "DIETClassifier_report.json")
    responses = load_report(results / "response_selection_report.json")
    lines = ["# NLU cross-validation report", ""]
    run = "`scripts/nlu_report.sh` (`rasa test nlu --cross-validation`"
    run += f", {folds} folds)" if folds else ")"
    if seconds is not None:
        run += f", {seconds // 60} min {seconds % 60:02d} s"
    lines += [f"Produced by {run}. Figures are accumulated over the held-out folds.", ""]
    log = results / "rasa_test.log"
    spread = fold_spread(log.read_text(encoding="utf-8", errors="replace")) if log.is_file() \
        else []
    if spread:
        lines += ["Mean (standard deviation) over folds, in the order rasa logs them "
                  "(intents, entities, response selection):", ""]
        lines += [f"- {dataset} {metric}: {mean:.3f} ({std:.3f})"
                  for dataset, metric, mean, std in spread if dataset == "test"]
        lines.append("")
    lines += _section("Intents (DIETClassifier)", intents, worst=5)
    lines += _section("Entities (DIETClassifier + synonyms)", entities, worst=5)
    lines += _section("FAQ answers (ResponseSelector, faq/*)", responses, worst=3)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=Path("results/nlu"))
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=None)
    parser.add_argument("--seconds", type=int, default=None)
    args = parser.parse_args(argv)
    if load_report(args.results / "intent_report.json") is None:
        print(f"Aucun rapport dans {args.results} : lancez d'abord scripts/nlu_report.sh.")
        return 1
    text = summarise(args.results, args.folds, args.seconds)
    output = args.output or args.results / "summary.md"
    output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
