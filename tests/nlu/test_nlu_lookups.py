"""The generated NLU files are up to date: the communes lookup (from bot.geo), and the
synonyms, vocabulary lookups and regex features (from the vocabulary catalogue)."""

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


@pytest.mark.parametrize("relative", ["lookups/communes.yml", "lookups/vocabulary.yml",
                                      "synonyms.yml", "regex.yml"])
def test_committed_file_matches_a_fresh_build(builder, tmp_path, relative):
    assert builder.main(["--out-dir", str(tmp_path)]) == 0
    committed = REPO / "data" / "nlu" / relative
    assert committed.read_text("utf-8") == (tmp_path / relative).read_text("utf-8"), (
        "re-run scripts/build_nlu_lookups.py")


def test_synonyms_come_from_the_catalogue(training_data):
    from bot.vocabulary import catalogue, fold

    synonyms = training_data.entity_synonyms
    for value in catalogue().values:
        for text in value.synonyms:
            mapped = synonyms.get(fold(text), fold(text))
            # A text shared by two values maps to the first one in catalogue order.
            owners = [other.code for other in catalogue().values
                      if fold(text) in {fold(t) for t in other.synonyms + other.alone}]
            assert mapped in (value.code, owners[0]), (text, mapped)
    assert synonyms["pac"] == "air_water_heat_pump"
    assert synonyms["ite"] == "exterior_wall_insulation"
    assert synonyms["mazout"] == "fuel_oil"
    assert synonyms["par pac"] == "heat_pump"


def test_lookup_has_the_somme_and_big_towns_but_not_common_words(training_data):
    tables = {table["name"]: table["elements"] for table in training_data.lookup_tables}
    names = {name.lower() for name in tables["city"]}
    for place in ("amiens", "abbeville", "salouel", "salouël", "longueau", "boves",
                  "saint-quentin", "st quentin", "beauvais", "compiègne", "lille"):
        assert place in names, place
    for word in ("rue", "long", "y"):
        assert word not in names
    assert "paris" not in names  # outside Hauts-de-France
