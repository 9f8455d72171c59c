"""The rules date is chosen once, at the entry (the profile's `date`, or today where the CLI
or an action parses it): no engine reads the clock behind the caller's back."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.geo.climate import climate_zone

BOT = Path(__file__).resolve().parents[2] / "bot"
# Engines and the parameter layer: every date they use comes from the profile.
ENGINE_PARTS = ("aids", "savings", "geo", "params.py", "formatting.py")
CLOCK = re.compile(r"\b(date\.today|datetime\.now|datetime\.today|time\.time)\s*\(")


def test_no_engine_reads_the_clock():
    files = []
    for part in ENGINE_PARTS:
        path = BOT / part
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    assert len(files) > 20  # the scan really found the engines
    offenders = [f"{path.relative_to(BOT)}:{n}" for path in files
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if CLOCK.search(line)]
    assert offenders == []


def test_the_climate_zone_needs_its_date():
    with pytest.raises(TypeError):
        climate_zone("80")  # type: ignore[call-arg]
    assert climate_zone("80", dt.date(2026, 1, 1)) == "H1a"
