"""Dialogue quality: the test stories of tests/test_stories.yml, run by `rasa test core`.

Prints how many stories pass; any story whose predicted actions differ fails the test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from runtime.stack import ROOT

pytestmark = pytest.mark.e2e

STORIES = ROOT / "tests" / "test_stories.yml"


def story_names(path: Path) -> list[str]:
    return [block["story"] for block in yaml.safe_load(path.read_text())["stories"]]


def test_every_test_story_passes(trained_model, tmp_path):
    names = story_names(STORIES)
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", "--model", str(trained_model),
         "--stories", str(STORIES), "--out", str(tmp_path), "--no-plot"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    failed_file = tmp_path / "failed_test_stories.yml"
    failed = []
    if failed_file.exists():
        content = yaml.safe_load(failed_file.read_text()) or {}
        failed = [block.get("story", "?") for block in content.get("stories") or []]
    print(f"\nHistoires de test : {len(names) - len(failed)}/{len(names)} réussies")
    assert failed == [], f"failed stories: {failed}"
