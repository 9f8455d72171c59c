"""scripts/nlu_summary.py on small hand-written rasa reports (figures checked by hand)."""

from __future__ import annotations

import importlib.util
import json

import pytest

from tests.nlu.conftest import REPO

INTENT_REPORT = {
    "greet": {"precision": 1.0, "recall": 0.9, "f1-score": 0.947, "support": 10,
              "confused_with": {"affirm": 1}},
    "affirm": {"precision": 0.8, "recall": 1.0, "f1-score": 0.889, "support": 8,
               "confused_with": {}},
    "inform": {"precision": 0.9, "recall": 0.75, "f1-score": 0.818, "support": 12,
               "confused_with": {"ask_subsidies": 2, "affirm": 1}},
    "accuracy": 0.867,
    "macro avg": {"precision": 0.9, "recall": 0.883, "f1-score": 0.885, "support": 30},
    "weighted avg": {"precision": 0.9, "recall": 0.867, "f1-score": 0.873, "support": 30},
}
ENTITY_REPORT = {
    "city": {"precision": 1.0, "recall": 0.5, "f1-score": 0.667, "support": 4,
             "confused_with": {"no_entity": 2}},
    "no_entity": {"precision": 0.99, "recall": 1.0, "f1-score": 0.995, "support": 400},
    "micro avg": {"precision": 1.0, "recall": 0.5, "f1-score": 0.667, "support": 4},
    "macro avg": {"precision": 1.0, "recall": 0.5, "f1-score": 0.667, "support": 4},
    "weighted avg": {"precision": 1.0, "recall": 0.5, "f1-score": 0.667, "support": 4},
}


@pytest.fixture(scope="module")
def summary():
    spec = importlib.util.spec_from_file_location(
        "nlu_summary", REPO / "scripts" / "nlu_summary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labels_sorted_worst_first_without_averages_or_no_entity(summary):
    assert [label for label, _ in summary.label_rows(INTENT_REPORT)] == [
        "inform", "affirm", "greet"]
    assert [label for label, _ in summary.label_rows(ENTITY_REPORT)] == ["city"]


def test_confusion_pairs_most_frequent_first(summary):
    assert summary.confusion_pairs(INTENT_REPORT) == [
        ("inform", "ask_subsidies", 2), ("greet", "affirm", 1), ("inform", "affirm", 1)]
    assert summary.confusion_pairs(INTENT_REPORT, limit=1) == [("inform", "ask_subsidies", 2)]


def test_fold_spread_read_from_rasa_log(summary):
    log = ("2026-11-28 INFO rasa.model_testing - test Accuracy: 0.912 (0.021)\n"
           "2026-11-28 INFO rasa.model_testing - test F1-score: 0.905 (0.018)\n"
           "2026-11-28 INFO rasa.model_testing - train F1-score: 1.000 (0.000)\n")
    assert summary.fold_spread(log) == [
        ("test", "Accuracy", 0.912, 0.021), ("test", "F1-score", 0.905, 0.018),
        ("train", "F1-score", 1.0, 0.0)]


def test_summary_markdown_from_a_results_folder(summary, tmp_path):
    (tmp_path / "intent_report.json").write_text(json.dumps(INTENT_REPORT))
    (tmp_path / "DIETClassifier_report.json").write_text(json.dumps(ENTITY_REPORT))
    output = tmp_path / "summary.md"
    assert summary.main(["--results", str(tmp_path), "--output", str(output),
                         "--folds", "5", "--seconds", "754"]) == 0
    text = output.read_text()
    assert "5 folds)" in text and "12 min 34 s" in text
    assert "accuracy **0.867**, macro F1 **0.885**, weighted F1 **0.873** (3 labels)" in text
    assert "Worst 3: `inform` 0.818, `affirm` 0.889, `greet` 0.947" in text
    assert "- `inform` → `ask_subsidies`: 2" in text
    assert "macro F1 **0.667**, weighted F1 **0.667**, micro F1 **0.667** (1 labels)" in text
    assert "- `city` → `no_entity`: 2" in text
    assert "## FAQ answers (ResponseSelector, faq/*)\n\nReport not found." in text


def test_missing_results_is_a_clear_message(summary, tmp_path, capsys):
    assert summary.main(["--results", str(tmp_path)]) == 1
    assert "scripts/nlu_report.sh" in capsys.readouterr().out
