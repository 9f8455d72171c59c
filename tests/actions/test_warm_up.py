"""The action server loads the communes, the vocabulary and the parameters before its first
conversation, not during it (rasa-sdk imports every module of `actions` before it listens)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import actions.warm_up\n"
    "from bot.geo.store import load_store\n"
    "from bot.vocabulary.catalogue import catalogue\n"
    "print(load_store.cache_info().currsize, catalogue.cache_info().currsize)\n"
)


def _loaded_after_import(**env: str) -> str:
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**os.environ, **env}, check=True)
    return result.stdout.strip()


def test_importing_the_actions_loads_what_the_first_turns_need():
    assert _loaded_after_import() == "1 1"


def test_the_warm_up_can_be_switched_off_for_measurements():
    assert _loaded_after_import(ASSISTANT_ACTIONS_NO_WARM_UP="1") == "0 0"


def test_the_sample_household_goes_through_both_engines():
    from actions.warm_up import SAMPLE_HOUSEHOLD  # noqa: PLC0415
    from bot.cli import run_command  # noqa: PLC0415
    from bot.profile import parse_profile  # noqa: PLC0415

    profile = parse_profile(SAMPLE_HOUSEHOLD)
    assert run_command("aids", profile)["aids"]
    assert run_command("savings", profile)["baseline"]["dpe_class_estimate"] in "ABCDEFG"
