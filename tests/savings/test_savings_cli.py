"""`python -m bot savings` as a user runs it: JSON on stdin, exit 0 with the contract's
shape; exit 2 and one French line on stderr for invalid profiles, never a traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
PROFILE = {"date": "2026-11-28", "postal_code": "80000", "housing_type": "house",
           "construction_year": 1975, "surface_m2": 100, "heating_energy": "fuel_oil",
           "dpe_class": "F",
           "works": [{"type": "attic_insulation", "surface_m2": 80, "cost_eur": 4000},
                     {"type": "air_water_heat_pump", "cost_eur": 14000},
                     {"type": "windows", "count": 8, "cost_eur": 6400}]}


def run_cli(stdin: str, *args: str) -> subprocess.CompletedProcess:
    python = str(PYTHON) if PYTHON.exists() else sys.executable
    return subprocess.run([python, "-m", "bot", "savings", *args], input=stdin.encode(),
                          capture_output=True, cwd=ROOT, timeout=120)


def test_success_has_the_contract_shape():
    done = run_cli(json.dumps(PROFILE))
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    for part in ("baseline", "after"):
        assert set(result[part]) >= {"final_energy_kwh", "cost_eur", "co2_kg",
                                     "dpe_class_estimate"}
    assert set(result["savings"]) >= {"kwh", "eur", "co2_kg", "percent", "eur_range"}
    assert [w["type"] for w in result["per_work"]] == ["attic_insulation", "windows",
                                                       "air_water_heat_pump"]
    assert result["payback_years"] == pytest.approx(24400 / result["savings"]["eur"], abs=0.06)
    assert result["baseline"]["dpe_class_estimate"] == "F"
    assert result["communes"] == [{"insee_code": "80021", "name": "Amiens"}]
    assert result["savings"]["eur_range"][0] < result["savings"]["eur_range"][1]
    assert done.stderr == b""


def test_success_with_profile_file(tmp_path):
    path = tmp_path / "profil.json"
    path.write_text(json.dumps(PROFILE), encoding="utf-8")
    done = run_cli("", "--profile", str(path))
    assert done.returncode == 0
    assert json.loads(done.stdout)["climate_zone"] == "H1a"


@pytest.mark.parametrize(("change", "needle"), [
    ({"surface_m2": None}, "« surface_m2 » est nécessaire"),
    ({"heating_energy": None}, "« heating_energy » est nécessaire"),
    ({"construction_year": None, "dpe_class": None}, "« construction_year » ou « dpe_class »"),
    ({"heating_energy": "charbon"}, "« heating_energy » a une valeur inconnue"),
    ({"surface_m2": -5}, "hors des valeurs plausibles"),
    ({"postal_code": "00000"}, "ne correspond à aucune commune"),
    ({"postal_code": "97400"}, "outre-mer"),
    ({"works": [{"type": "tapis_volant"}]}, "type inconnu"),
])
def test_invalid_profile_exits_2_with_one_french_line(change, needle):
    profile = {k: v for k, v in {**PROFILE, **change}.items() if v is not None}
    done = run_cli(json.dumps(profile))
    assert done.returncode == 2
    err = done.stderr.decode()
    assert needle in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert done.stdout == b""


@pytest.mark.parametrize("stdin", ["", "{pas du json", "[1, 2]", "null"])
def test_not_a_profile_exits_2(stdin):
    done = run_cli(stdin)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr.decode()
    assert done.stderr.decode().count("\n") == 1


def test_optional_answers_go_through_the_command_line():
    answers = {"house_position": "terraced", "roof_insulated": True, "walls_insulated": False,
               "boiler_type": "condensing", "boiler_age_years": 4}
    plain = json.loads(run_cli(json.dumps({**PROFILE, "dpe_class": None})).stdout)
    done = run_cli(json.dumps({**PROFILE, "dpe_class": None, **answers}))
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    assert result["baseline"]["final_energy_kwh"] < plain["baseline"]["final_energy_kwh"]
    assert result["baseline"]["primary_energy_kwh"] > 0
    assert result["primary_energy_factor_electricity"] == 1.9


@pytest.mark.parametrize("field,value", [("boiler_type", "vieille"), ("roof_insulated", "yes"),
                                         ("boiler_age_years", 1e9)])
def test_bad_optional_answer_is_one_french_line(field, value):
    done = run_cli(json.dumps({**PROFILE, field: value}))
    assert done.returncode == 2
    err = done.stderr.decode().strip()
    assert f"« {field} »" in err and "\n" not in err and "Traceback" not in err
    assert done.stdout == b""
