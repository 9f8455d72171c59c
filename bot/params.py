"""Dated parameters, the way OpenFisca keeps French law.

Every amount, threshold, price and factor lives in a YAML file under `bot/parameters/`.
A *leaf* is a mapping with `values` (start date -> value) and a `reference` (the legal
text or official page). A leaf may also carry `uncertain` (start date -> French warning)
when its source is flagged uncertain: callers pass that warning on to the user.

    from bot.params import parameter
    p = parameter("aids.vat.reduced_rate", date)   # -> ParameterValue
    p.value, p.reference, p.start, p.uncertain

Paths are dotted: directories, then the file name without `.yaml`, then keys inside it.
A value of `null` means the rule is not in force from that date on.
"""

from __future__ import annotations

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


def _as_date(key: Any) -> dt.date:
    if isinstance(key, dt.date):
        return key
    return dt.date.fromisoformat(str(key))


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
    reference = _entry_reference(entry) or node.get("reference", "")
    warning = _in_force(node.get("uncertain"), on)
    return ParameterValue(
        value=_entry_value(entry),
        start=start,
        reference=reference,
        uncertain=warning[1] if warning and warning[1] else None,
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


def _entry_reference(entry: Any) -> str | None:
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
            if key in ("description", "reference", "metadata", "documentation"):
                continue
            yield from _walk(f"{prefix}.{key}", child)
