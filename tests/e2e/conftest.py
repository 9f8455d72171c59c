"""Fixtures that start the real servers once per test session.

`rasa_stack` trains the model if its inputs changed (runtime.train), then starts the action
server and the Rasa server on free ports with a fresh SQLite tracker store.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from runtime.stack import RasaStack
from runtime.train import ensure_model


@pytest.fixture(scope="session")
def trained_model():
    # BOT_TEST_MODEL: an already trained model to test with (e.g. while another change of
    # the training data is being trained); by default, the up-to-date model of models/.
    given = os.environ.get("BOT_TEST_MODEL")
    return Path(given) if given else ensure_model(quiet=True)


@pytest.fixture(scope="session")
def rasa_stack(trained_model, tmp_path_factory):
    stack = RasaStack(model=trained_model, workdir=tmp_path_factory.mktemp("stack"))
    stack.start()
    yield stack
    stack.stop()


@pytest.fixture
def sender() -> str:
    """A fresh conversation id for each test."""
    return f"test-{uuid.uuid4().hex[:12]}"

