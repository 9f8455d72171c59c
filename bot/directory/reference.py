"""Reference data of the directory (YAML files in bot/directory/data/)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"


@cache
def load(name: str) -> dict[str, Any]:
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def rge_domains() -> dict[str, list[str]]:
    return load("rge_domains")["works"]


def france_renov() -> dict[str, Any]:
    return load("france_renov")


def amiens_metropole_desk() -> dict[str, Any]:
    return load("amiens_metropole_desk")
