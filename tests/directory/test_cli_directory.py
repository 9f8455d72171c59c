"""`python -m bot craftsmen|advisor` end to end: a real process, real HTTP to 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(command: str, profile: dict, fake=None, tmp_path=None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if fake is not None:
        env.update(BOT_DATAFAIR_URL=fake.base_url, BOT_CACHE_DIR=str(tmp_path),
                   BOT_HTTP_TIMEOUT="0.4", BOT_HTTP_BACKOFF="0.01")
    return subprocess.run([sys.executable, "-m", "bot", command], input=json.dumps(profile),
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def test_craftsmen_command(fake, tmp_path):
    done = run("craftsmen", {"date": "2026-11-28", "postal_code": "80000",
                             "works": [{"type": "air_water_heat_pump", "cost_eur": 12000}]},
               fake, tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["source"] == "ademe-rge-api"
    first = result["craftsmen"][0]
    assert set(first) >= {"siret", "name", "address", "postal_code", "city", "distance_km",
                          "phone", "email", "website", "works", "qualifications", "valid_until"}
    assert (first["siret"], first["distance_km"]) == ("11111111100011", 3.6)
    assert result["communes"] == [{"insee_code": "80021", "name": "Amiens"}]


def test_advisor_command_shared_postal_code(fake, tmp_path):
    done = run("advisor", {"postal_code": "80480", "city": "Dury"}, fake, tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["insee_code"], result["commune"]) == ("80261", "Dury")
    assert result["national_phone"] == "0 808 800 700"


def test_unknown_postal_code_exits_2_with_one_french_line(fake, tmp_path):
    done = run("advisor", {"postal_code": "00000"}, fake, tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == ("Erreur : Le code postal « 00000 » ne correspond à aucune "
                                   "commune.")


def test_craftsmen_without_works_exits_2(fake, tmp_path):
    done = run("craftsmen", {"postal_code": "80000"}, fake, tmp_path)
    assert done.returncode == 2
    assert "works" in done.stderr and "Traceback" not in done.stderr
