"""`python -m bot aids` as a user runs it: JSON on stdin or --profile, exit 2 and one French
line for bad profiles, never a traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROFILE = {"date": "2026-03-02", "insee_code": "80021", "housing_type": "house",
           "occupancy": "owner_occupier", "construction_year": 1975, "surface_m2": 100,
           "household_size": 1, "reference_income": 15000,
           "works": [{"type": "attic_insulation", "surface_m2": 80, "cost_eur": 4000}]}


def run_cli(stdin: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "aids", *args], input=stdin.encode(),
                          capture_output=True, cwd=ROOT, timeout=120)


def test_success_on_stdin():
    done = run_cli(json.dumps(PROFILE))
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    mpr = [a for a in result["aids"] if a["aid"] == "mpr_par_geste"][0]
    assert mpr["amount_eur"] == 2000  # 80 m² x 25 €
    assert result["total_grants_eur"] == 2000 + 1088


def test_success_with_profile_file(tmp_path):
    path = tmp_path / "profil.json"
    path.write_text(json.dumps(PROFILE), encoding="utf-8")
    done = run_cli("", "--profile", str(path))
    assert done.returncode == 0
    assert json.loads(done.stdout)["income_category"] == "very_modest"


@pytest.mark.parametrize("stdin,needle", [
    ("pas du json", "JSON"),
    ("", "vide"),
    (json.dumps({**PROFILE, "works": [{"type": "jacuzzi"}]}), "type inconnu"),
    (json.dumps({**PROFILE, "reference_income": -5}), "reference_income"),
    (json.dumps({**PROFILE, "household_size": "trois"}), "household_size"),
    (json.dumps({**PROFILE, "postal_code": "00000", "insee_code": None}), "00000"),
    (json.dumps({**PROFILE, "date": "2026-13-45"}), "date"),
    (json.dumps([1, 2]), "objet JSON"),
])
def test_bad_profiles_exit_2_with_one_french_line(stdin, needle):
    done = run_cli(stdin)
    err = done.stderr.decode()
    assert done.returncode == 2
    assert done.stdout == b""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert needle in err
