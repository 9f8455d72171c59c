"""The `python -m bot` command line: exit codes and messages for bad input (contract §1)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: bytes | str = b"") -> subprocess.CompletedProcess:
    if isinstance(stdin, str):
        stdin = stdin.encode()
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, cwd=ROOT,
                          capture_output=True, timeout=120)


@pytest.mark.parametrize("stdin,fragment", [
    (b"", "vide"),
    (b"   \n", "vide"),
    (b"{not json", "JSON valide"),
    (b"[1, 2]", "objet JSON"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "JSON"),
    (b'{"surface_m2": "x"}', "surface_m2"),
    (b'{"works": [{"type": "spa"}]}', "type inconnu"),
    (b" " * 1_100_000, "1 Mo"),
], ids=["empty", "blank", "broken", "array", "binary", "deep", "bad-number", "bad-work",
        "huge"])
@pytest.mark.parametrize("command", ["aids", "savings", "craftsmen", "advisor"])
def test_bad_profiles_exit_2_with_one_french_line(command, stdin, fragment):
    result = run_cli(command, stdin=stdin)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert result.stdout == b""
    assert stderr.startswith("Erreur : ") and fragment in stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr


def test_missing_profile_file_and_bad_arguments():
    result = run_cli("aids", "--profile", "/nonexistent/profile.json")
    assert result.returncode == 2 and "introuvable" in result.stderr.decode()
    result = run_cli("teleport")
    assert result.returncode == 2 and "arguments invalides" in result.stderr.decode()


def test_profile_file_is_read(tmp_path):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"housing_type": "castle"}), encoding="utf-8")
    result = run_cli("savings", "--profile", str(path))
    assert result.returncode == 2 and "housing_type" in result.stderr.decode()
