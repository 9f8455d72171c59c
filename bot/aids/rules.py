"""Fast, cached access to the dated parameters for the aids engine.

`bot.params.parameter` is cached per (path, exact date); profiles come with many dates, so
we first map a date to the last day on which that leaf changed (a value or an uncertainty
flag): the answer is the same by construction, and the cache then holds a few entries per
leaf instead of one per day.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache

from bot.params import (
    PARAMETERS_DIR,
    ParameterNotFound,
    ParameterValue,
    iter_leaves,
    parameter,
)

AREA = "aids"  # only our own files are read ahead of time


def _as_date(key: object) -> dt.date:
    # YAML gives dates for unquoted ISO keys, strings otherwise.
    return key if isinstance(key, dt.date) else dt.date.fromisoformat(str(key))


@lru_cache(maxsize=1)
def _change_dates() -> dict[str, tuple[dt.date, ...]]:
    table = {}
    for path, leaf in iter_leaves(PARAMETERS_DIR / AREA):
        keys = list(leaf["values"]) + list(leaf.get("uncertain") or {})
        table[f"{AREA}.{path}"] = tuple(sorted({_as_date(key) for key in keys}))
    return table


def _period_start(dotted: str, on: dt.date) -> dt.date:
    dates = _change_dates().get(dotted)
    if not dates:
        return on  # unknown path: let bot.params raise its own error
    index = bisect.bisect_right(dates, on)
    return dates[index - 1] if index else on


@lru_cache(maxsize=8192)
def _lookup(dotted: str, start: dt.date) -> ParameterValue | None:
    try:
        return parameter(dotted, start)
    except ParameterNotFound:
        return None


def rule(dotted: str, on: dt.date) -> ParameterValue:
    """Same as bot.params.parameter(dotted, on), cached by period."""
    found = _lookup(dotted, _period_start(dotted, on))
    if found is None:
        raise ParameterNotFound(f"{dotted} has no value in force on {on.isoformat()}")
    return found


def rule_in_force(dotted: str, on: dt.date) -> bool:
    return _lookup(dotted, _period_start(dotted, on)) is not None
