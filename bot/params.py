"""Dated parameters, the way OpenFisca keeps French law.

Every amount, threshold, price and factor lives in a YAML file under `bot/parameters/`.
A *leaf* is a mapping with `values` (start date -> value) and a `reference` (the legal
text or official page). A leaf may also carry `uncertain` (start date -> French warning)
when its source is flagged uncertain: callers pass that warning on to the user.

    from bot.params import Rules
    rules = Rules(date)                       # the one accessor every engine reads through
    p = rules.param("aids.vat.rates")         # -> ParameterValue; p.uncertain -> rules.warnings
    p.value, p.reference, p.sources, p.start, p.uncertain

`reference` is either one URL (older files) or a list of `{title, href}` primary sources
(Légifrance, Anah, service-public.fr…); secondary material sits under `cross_checks` and is
never shown. `ParameterValue.reference` is the first primary href (the old `source` string),
`ParameterValue.sources` the named list.

Paths are dotted: directories, then the file name without `.yaml`, then keys inside it.
A value of `null` means the rule is not in force from that date on.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

PARAMETERS_DIR = Path(__file__).parent / "parameters"
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ParameterNotFound(KeyError):
    """No such parameter, or none in force on the date asked (a programming error)."""


@dataclass(frozen=True)
class ParameterValue:
    value: Any
    start: dt.date
    reference: str
    uncertain: str | None = None
    sources: tuple[dict, ...] = ()
    unit: str | None = None


def parse_date(key: Any) -> dt.date:
    """The one date parser: a date, a datetime, or an ISO string (YAML keys are either)."""
    if isinstance(key, dt.datetime):
        return key.date()
    if isinstance(key, dt.date):
        return key
    return dt.date.fromisoformat(str(key))


_as_date = parse_date  # older name, still imported by tests


def named_sources(reference: Any) -> tuple[dict, ...]:
    """A reference as a tuple of {title, href}: a bare URL gets its domain as title."""
    if not reference:
        return ()
    if isinstance(reference, str):
        href = reference.split()[0]
        domain = href.split("/")[2] if "//" in href else href
        return ({"title": domain.removeprefix("www."), "href": href},)
    if isinstance(reference, dict):
        return ({"title": str(reference.get("title", "")), "href": str(reference["href"])},)
    return tuple(item for ref in reference for item in named_sources(ref))


def is_leaf(node: Any) -> bool:
    return isinstance(node, dict) and "values" in node


@cache
def _load_file(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        # libyaml's loader is ten times faster than the pure-Python one when it is built in.
        return yaml.load(handle, Loader=_SAFE_LOADER) or {}


def _find_node(dotted: str) -> tuple[Any, str]:
    parts = dotted.split(".")
    directory = PARAMETERS_DIR
    for index, part in enumerate(parts):
        file_path = directory / f"{part}.yaml"
        if file_path.is_file():
            node: Any = _load_file(file_path)
            for key in parts[index + 1:]:
                if not isinstance(node, dict) or key not in node:
                    raise ParameterNotFound(dotted)
                node = node[key]
            return node, str(file_path.relative_to(PARAMETERS_DIR))
        directory = directory / part
        if not directory.is_dir():
            break
    raise ParameterNotFound(dotted)


def _in_force(mapping: dict | None, on: dt.date) -> tuple[dt.date, Any] | None:
    if not mapping:
        return None
    best: tuple[dt.date, Any] | None = None
    for key, item in mapping.items():
        start = _as_date(key)
        if start <= on and (best is None or start > best[0]):
            best = (start, item)
    return best


@lru_cache(maxsize=4096)
def parameter(dotted: str, on: dt.date) -> ParameterValue:
    """The value of a leaf in force on a date, with its reference."""
    node, file_name = _find_node(dotted)
    if not is_leaf(node):
        raise ParameterNotFound(f"{dotted} is not a leaf (in {file_name})")
    found = _in_force(node["values"], on)
    if found is None or _entry_value(found[1]) is None:
        raise ParameterNotFound(f"{dotted} has no value in force on {on.isoformat()}")
    start, entry = found
    sources = named_sources(_entry_reference(entry) or node.get("reference"))
    warning = _in_force(node.get("uncertain"), on)
    return ParameterValue(
        value=_entry_value(entry),
        start=start,
        reference=sources[0]["href"] if sources else "",
        uncertain=warning[1] if warning and warning[1] else None,
        sources=sources,
        unit=node.get("unit"),
    )


def value(dotted: str, on: dt.date) -> Any:
    """Shortcut: only the value of `parameter`."""
    return parameter(dotted, on).value


def in_force(dotted: str, on: dt.date) -> bool:
    """True when the leaf has a non-null value on that date."""
    try:
        parameter(dotted, on)
    except ParameterNotFound:
        return False
    return True


def _entry_value(entry: Any) -> Any:
    # A dated entry is either the bare value or {value:, reference:}.
    if isinstance(entry, dict) and "value" in entry:
        return entry["value"]
    return entry


def _entry_reference(entry: Any) -> Any:
    if isinstance(entry, dict) and "value" in entry:
        return entry.get("reference")
    return None


def iter_leaves(directory: Path = PARAMETERS_DIR):
    """Yields (dotted path, leaf) for every leaf: used by the consistency tests."""
    for path in sorted(directory.rglob("*.yaml")):
        prefix = ".".join(path.relative_to(directory).with_suffix("").parts)
        yield from _walk(prefix, _load_file(path))


def _walk(prefix: str, node: Any):
    if is_leaf(node):
        yield prefix, node
    elif isinstance(node, dict):
        for key, child in node.items():
            if key in ("description", "reference", "metadata", "documentation", "notes",
                       "cross_checks", "unit"):
                continue
            yield from _walk(f"{prefix}.{key}", child)


# --- the one accessor ---------------------------------------------------------------------

@cache
def _change_dates() -> dict[str, tuple[dt.date, ...]]:
    """Every leaf's change dates (values and uncertainty flags), to cache by period."""
    table = {}
    for path, leaf in iter_leaves(PARAMETERS_DIR):
        keys = list(leaf["values"]) + list(leaf.get("uncertain") or {})
        table[path] = tuple(sorted({parse_date(key) for key in keys}))
    return table


def _period_start(dotted: str, on: dt.date) -> dt.date:
    # Profiles come with many dates: mapping a date to the last change of that leaf gives
    # the same answer by construction, and the cache holds a few entries per leaf.
    dates = _change_dates().get(dotted)
    if not dates:
        return on  # unknown path: parameter() raises its own error
    index = bisect.bisect_right(dates, on)
    return dates[index - 1] if index else on


@lru_cache(maxsize=8192)
def _lookup(dotted: str, start: dt.date) -> ParameterValue | None:
    try:
        return parameter(dotted, start)
    except ParameterNotFound:
        return None


def rule(dotted: str, on: dt.date) -> ParameterValue:
    """`parameter(dotted, on)`, cached by period (the fast path every engine uses)."""
    found = _lookup(dotted, _period_start(dotted, on))
    if found is None:
        raise ParameterNotFound(f"{dotted} has no value in force on {on.isoformat()}")
    return found


def rule_in_force(dotted: str, on: dt.date) -> bool:
    return _lookup(dotted, _period_start(dotted, on)) is not None


class Rules:
    """The parameters in force on one date, read by every engine; the French warnings of
    uncertain values are collected here, once each, in the order met."""

    def __init__(self, on: Any, prefix: str = "") -> None:
        self.on = parse_date(on)
        self.prefix = prefix  # e.g. "savings." so that engines write short paths
        self.warnings: list[str] = []
        self._named: dict[str, tuple[dict, ...]] = {}  # href -> the named primary sources

    def _path(self, dotted: str) -> str:
        return self.prefix + dotted if self.prefix else dotted

    def param(self, dotted: str, warn: bool = True) -> ParameterValue:
        """The value in force; `warn=False` leaves it to the caller to decide whether the
        uncertainty applies (then call `warn(found.uncertain)`)."""
        found = rule(self.prefix + dotted if self.prefix else dotted, self.on)
        if found.reference not in self._named:
            self._named[found.reference] = found.sources
        if warn and found.uncertain:
            self.warn(found.uncertain)
        return found

    def value(self, dotted: str) -> Any:
        return self.param(dotted).value

    def has(self, dotted: str) -> bool:
        return rule_in_force(self._path(dotted), self.on)

    def warn(self, message: str | None) -> None:
        if message and message not in self.warnings:
            self.warnings.append(message)

    def sources_for(self, href: str) -> list[dict]:
        """The named primary sources of a parameter read through this accessor, by the href
        the engines keep as their `source` string (copies: results may be changed)."""
        return [{"title": item["title"], "href": item["href"]}
                for item in self._named.get(href, ())]


def clear_caches() -> None:
    """For tests that point PARAMETERS_DIR elsewhere."""
    for cached in (_load_file, parameter, _change_dates, _lookup):
        cached.cache_clear()
