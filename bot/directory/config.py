"""Settings of the directory services, from environment variables (read at each call so
that tests and deployments can change them without code)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATAFAIR_URL = "https://data.ademe.fr/data-fair/api/v1/datasets"
DEFAULT_AMIENS_DESK_NAME = "LAURE – Lieu d'accueil unique de la rénovation énergétique"


@dataclass(frozen=True)
class DirectoryConfig:
    datafair_url: str  # base of the ADEME data-fair datasets API
    rge_dataset: str
    ecfr_perimeter_dataset: str
    timeout_s: float  # per HTTP request (connect and read)
    retries: int  # extra attempts after a transient failure
    backoff_s: float  # first wait between attempts, doubled each time
    budget_s: float  # no retry starts later than this after the search began
    cache_dir: Path
    craftsmen_cache_ttl_s: int
    advisor_cache_ttl_s: int
    stale_cache_max_s: int  # an expired entry still helps when the API is down, this long
    amiens_desk_name: str  # the deployment may brand the Amiens Métropole desk (e.g. PAREO)


def _float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def load_config() -> DirectoryConfig:
    cache_dir = Path(os.environ.get("BOT_CACHE_DIR", REPO_ROOT / "var" / "cache"))
    return DirectoryConfig(
        datafair_url=os.environ.get("BOT_DATAFAIR_URL", DEFAULT_DATAFAIR_URL).rstrip("/"),
        rge_dataset=os.environ.get("BOT_RGE_DATASET", "liste-des-entreprises-rge-2"),
        ecfr_perimeter_dataset=os.environ.get(
            "BOT_ECFR_DATASET", "perimetre-espaces-conseil-france-renov"),
        timeout_s=_float("BOT_HTTP_TIMEOUT", 4.0),
        retries=int(_float("BOT_HTTP_RETRIES", 2)),
        backoff_s=_float("BOT_HTTP_BACKOFF", 0.5),
        budget_s=_float("BOT_HTTP_BUDGET", 8.0),
        cache_dir=cache_dir,
        craftsmen_cache_ttl_s=int(_float("BOT_CRAFTSMEN_CACHE_TTL", 24 * 3600)),
        advisor_cache_ttl_s=int(_float("BOT_ADVISOR_CACHE_TTL", 7 * 24 * 3600)),
        stale_cache_max_s=int(_float("BOT_STALE_CACHE_MAX", 30 * 24 * 3600)),
        amiens_desk_name=os.environ.get("BOT_AMIENS_DESK_NAME", "").strip()
        or DEFAULT_AMIENS_DESK_NAME,
    )
