"""Trains the Rasa model only when its inputs changed.

The fingerprint is a hash of config, domain and training data; it is stored beside the
model. A file lock keeps two concurrent callers (tests, run) from training at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = ROOT / "models"
MODEL_NAME = "assistant"
# The custom NLU components (nlu/) and the vocabulary they read (bot/vocabulary/) shape the
# features the classifier learns: a change there needs a new model too.
TRAINING_INPUTS = ("config.yml", "domain.yml", "data", "nlu", "bot/vocabulary")


def model_path() -> Path:
    return MODELS_DIR / f"{MODEL_NAME}.tar.gz"


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()
                       and "__pycache__" not in p.parts) if path.is_dir() else [path]
        for file in files:
            if file.exists():
                digest.update(str(file.relative_to(root)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def ensure_model(quiet: bool = False) -> Path:
    """Returns the path of an up-to-date model, training it first if needed."""
    MODELS_DIR.mkdir(exist_ok=True)
    stamp = MODELS_DIR / f"{MODEL_NAME}.fingerprint"
    with open(MODELS_DIR / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        wanted = fingerprint()
        if model_path().exists() and stamp.exists() and stamp.read_text() == wanted:
            return model_path()
        if not quiet:
            print("Entraînement du modèle (données ou configuration modifiées)…", flush=True)
        started = time.monotonic()
        command = [
            sys.executable, "-m", "rasa", "train", "--fixed-model-name", MODEL_NAME,
            "--out", str(MODELS_DIR), "--config", "config.yml", "--domain", "domain.yml",
            "--data", "data",
            # Rasa's own cache fingerprints each component's config and data, not the code of
            # nlu/ nor bot/vocabulary/: reusing it would keep features of the former code.
            "--force",
        ]
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
        log_path = MODELS_DIR / "train.log"
        with open(log_path, "w") as log:
            result = subprocess.run(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                    env=env)
        if result.returncode != 0 or not model_path().exists():
            tail = log_path.read_text(errors="replace").splitlines()[-30:]
            raise RuntimeError("L'entraînement a échoué :\n" + "\n".join(tail))
        stamp.write_text(wanted)
        if not quiet:
            print(f"Modèle entraîné en {time.monotonic() - started:.0f} s : {model_path()}",
                  flush=True)
        return model_path()


if __name__ == "__main__":
    ensure_model()
