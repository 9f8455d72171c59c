"""The communes lookup table is generated from bot.geo and is up to date."""

from __future__ import annotations

import importlib.util

import pytest

from tests.nlu.conftest import REPO


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location(
        "build_nlu_lookups", REPO / "scripts" / "build_nlu_lookups.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_spellings_cover_what_people_type(builder):
    assert builder.spellings("Saint-Quentin") == [
        "Saint-Quentin", "saint-quentin", "saint quentin", "st quentin"]
    assert builder.spellings("Salouël") == ["Salouël", "salouel"]
    assert builder.spellings("Amiens") == ["Amiens", "amiens"]


def test_committed_lookup_matches_a_fresh_build(builder, tmp_path):
    fresh = tmp_path / "communes.yml"
    assert builder.main(["--output", str(fresh)]) == 0
    committed = REPO / "data" / "nlu" / "lookups" / "communes.yml"
    assert committed.read_text("utf-8") == fresh.read_text("utf-8"), (
        "re-run scripts/build_nlu_lookups.py")


def test_lookup_has_the_somme_and_big_towns_but_not_common_words(training_data):
    tables = {table["name"]: table["elements"] for table in training_data.lookup_tables}
    names = {name.lower() for name in tables["city"]}
    for place in ("amiens", "abbeville", "salouel", "salouël", "longueau", "boves",
                  "saint-quentin", "st quentin", "beauvais", "compiègne", "lille"):
        assert place in names, place
    for word in ("rue", "long", "y"):
        assert word not in names
    assert "paris" not in names  # outside Hauts-de-France
