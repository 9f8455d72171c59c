"""Shared fixtures for the checks on the NLU training data (no training, no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NLU_DIR = REPO / "data" / "nlu"


@pytest.fixture(scope="session")
def training_data():
    # Rasa's own reader (schema validation included): what `rasa train` will see.
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(NLU_DIR), language="fr")


@pytest.fixture(scope="session")
def examples(training_data):
    """Intent examples (lookup/regex/synonym entries excluded)."""
    return [ex for ex in training_data.intent_examples if ex.get("text")]
