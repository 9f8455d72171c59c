"""Every value annotated in the training data is one the assistant can normalise.

The NLU keeps entity values as written ("années 70", "trente mille euros", "appart"); the
dialogue side turns them into profile fields (actions/normalise.py). An annotated value the
normaliser rejects would teach the model to extract something the assistant then refuses.
"""

from __future__ import annotations

import pytest

normalise = pytest.importorskip("actions.normalise")

PARSERS = {
    "surface_m2": "parse_surface",
    "construction_year": "parse_construction_year",
    "household_size": "parse_household_size",
    "reference_income": "parse_income",
    "housing_type": "parse_housing_type",
    "occupancy": "parse_occupancy",
    "heating_energy": "parse_heating_energy",
    "dpe_class": "parse_dpe_class",
}


def test_annotated_values_are_accepted_by_the_dialogue_normaliser(examples, training_data):
    missing = [name for name in PARSERS.values() if not hasattr(normalise, name)]
    if missing:
        pytest.skip(f"actions.normalise has no {missing}")
    refused = []
    for ex in examples:
        for entity in ex.get("entities") or []:
            parser = PARSERS.get(entity["entity"])
            if parser is None:
                continue
            value = training_data.entity_synonyms.get(str(entity["value"]).lower(),
                                                      entity["value"])
            try:
                getattr(normalise, parser)(value)
            except Exception as error:  # noqa: BLE001 - any refusal is a finding here
                refused.append((entity["entity"], value, str(error)[:60]))
    assert refused == []


def test_spelled_out_values_are_read_as_the_right_numbers():
    assert normalise.parse_construction_year("mille neuf cent soixante-quinze")[0] == 1975
    assert normalise.parse_construction_year("années 70")[0] == 1975
    assert normalise.parse_income("trente mille euros") == 30000
    assert normalise.parse_income("32 000 €") == 32000
    assert normalise.parse_surface("cent vingt mètres carrés") == 120
    assert normalise.parse_household_size("quatre") == 4
