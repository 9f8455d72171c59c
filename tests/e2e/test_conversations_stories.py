"""The dialogue test stories pass on the trained model:
`rasa test core --stories tests/test_stories.yml --fail-on-prediction-errors`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_test_stories_pass(trained_model, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", "--model", str(trained_model),
         "--stories", "tests/test_stories.yml", "--fail-on-prediction-errors",
         "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = (tmp_path / "failed_test_stories.yml").read_text()
    assert "None of the test stories failed" in report
