"""Loads, before the action server answers, what the first conversations would otherwise
load during their turns.

Measured in a fresh action server (docs/performance.md § 10): the commune table and its name
index took 250–400 ms on the first postal code, the parameters' change dates 55 ms on the
first estimate, and that work blocked every other call meanwhile: it made the p95 of the
first minutes at 10 users (175–382 ms against 87–89 ms once warm).

rasa-sdk has no start-up hook: it imports every module of this package before it listens,
so importing this module is the hook. `ASSISTANT_ACTIONS_NO_WARM_UP=1` skips it (before/after
measurements). A failure here is logged and never stops the server.
"""

from __future__ import annotations

import logging
import os
import time

logger = logging.getLogger(__name__)

# A sample household, only to run every engine path once (its figures are thrown away).
SAMPLE_HOUSEHOLD = {
    "postal_code": "80000",
    "housing_type": "house",
    "occupancy": "owner_occupier",
    "construction_year": 1975,
    "heating_energy": "fuel_oil",
    "household_size": 3,
    "reference_income": 32000,
    "surface_m2": 100,
    "works": [{"type": "air_water_heat_pump"}, {"type": "attic_insulation", "surface_m2": 80}],
}
SAMPLE_MESSAGE = "Maison de 1975 à Amiens au fioul, on est 3, quelles aides pour une PAC ?"


def warm_up() -> float:
    """Runs the geography, the vocabulary and the aids and savings engines once; seconds."""
    from bot.cli import run_command
    from bot.geo import find_communes
    from bot.profile import parse_profile
    from bot.vocabulary.extract import extract

    start = time.perf_counter()
    find_communes(name="Amiens")
    extract(SAMPLE_MESSAGE)
    profile = parse_profile(SAMPLE_HOUSEHOLD)
    for command in ("aids", "savings"):
        run_command(command, profile)
    return time.perf_counter() - start


if os.environ.get("ASSISTANT_ACTIONS_NO_WARM_UP") != "1":
    try:
        logger.info("Serveur d'actions préparé en %.2f s", warm_up())
    except Exception:  # a warm-up problem must not keep the server from starting
        logger.exception("Préparation du serveur d'actions incomplète")
