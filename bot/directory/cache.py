"""A small on-disk JSON cache with expiry (one file per request, oldest pruned)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_ENTRIES = 500


@dataclass(frozen=True)
class CacheEntry:
    data: Any
    stored_at: float  # epoch seconds

    def age_s(self) -> float:
        return time.time() - self.stored_at


class DiskCache:
    def __init__(self, directory: Path, max_entries: int = MAX_ENTRIES) -> None:
        self.directory = directory
        self.max_entries = max_entries

    @staticmethod
    def key(*parts: Any) -> str:
        text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def get(self, key: str, max_age_s: float) -> CacheEntry | None:
        """The entry if younger than max_age_s; None if absent, expired or unreadable."""
        try:
            with self._path(key).open(encoding="utf-8") as handle:
                raw = json.load(handle)
            entry = CacheEntry(data=raw["data"], stored_at=float(raw["stored_at"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return entry if entry.age_s() <= max_age_s else None

    def put(self, key: str, data: Any) -> None:
        """Best effort: a read-only or full disk must not break an answer."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            payload = json.dumps({"stored_at": time.time(), "data": data}, ensure_ascii=False)
            # Write then rename, so a reader never sees half a file.
            handle, temp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(payload)
            os.replace(temp, self._path(key))
            self._prune()
        except OSError:
            return

    def _prune(self) -> None:
        files = sorted(self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for path in files[: max(0, len(files) - self.max_entries)]:
            path.unlink(missing_ok=True)
