"""The catalogue covers the contract's vocabulary, once, with usable labels."""

from __future__ import annotations

import pytest

from bot.vocabulary import catalogue
from bot.vocabulary.catalogue import MAX_SHORT_LABEL, QUANTITIES, WORK_FAMILIES, _load, fold

# Contract §3, written out here: bot/profile.py now reads its codes from the catalogue.
CONTRACT = {
    "work_type": (
        "attic_insulation", "flat_roof_insulation", "exterior_wall_insulation",
        "interior_wall_insulation", "floor_insulation", "windows", "air_water_heat_pump",
        "geothermal_heat_pump", "air_air_heat_pump", "thermodynamic_water_heater",
        "solar_water_heater", "combined_solar_system", "pellet_stove", "log_stove",
        "pellet_boiler", "log_boiler", "double_flow_ventilation", "energy_audit",
        "heating_network_connection", "fuel_tank_removal"),
    "heating_energy": ("electricity", "gas", "fuel_oil", "propane", "wood_logs",
                       "wood_pellets", "district_heating", "heat_pump"),
    "housing_type": ("house", "apartment"),
    "occupancy": ("owner_occupier", "landlord", "tenant", "second_home_owner"),
    "dpe_class": ("A", "B", "C", "D", "E", "F", "G"),
}


@pytest.mark.parametrize("entity", sorted(CONTRACT))
def test_every_contract_code_and_no_other(entity):
    assert catalogue().codes(entity) == CONTRACT[entity]


def test_the_profile_and_the_engines_read_the_catalogue():
    from actions.slots import HEATING_FR, SIZED_WORKS
    from bot.profile import WORK_LABELS_FR, WORK_TYPES

    assert CONTRACT["work_type"] == WORK_TYPES
    assert WORK_LABELS_FR["windows"] == catalogue().value("work_type", "windows").label
    assert SIZED_WORKS == {"attic_insulation": "m2", "flat_roof_insulation": "m2",
                           "exterior_wall_insulation": "m2", "interior_wall_insulation": "m2",
                           "floor_insulation": "m2", "windows": "count"}
    assert HEATING_FR["wood_logs"] == "bois (bûches)"


def test_button_titles_fit_a_messenger_quick_reply():
    too_long = [value.short_label for value in catalogue().values
                if not 0 < len(value.short_label) <= MAX_SHORT_LABEL]
    assert too_long == []


def test_works_have_a_family_and_a_quantity():
    for value in catalogue().of("work_type"):
        assert value.family in WORK_FAMILIES, value.code
        assert value.quantity in QUANTITIES, value.code
    assert set(catalogue().works_with_quantity("m2")) == {
        "attic_insulation", "flat_roof_insulation", "exterior_wall_insulation",
        "interior_wall_insulation", "floor_insulation"}
    assert catalogue().works_with_quantity("count") == ("windows",)
    assert set(catalogue().works_in("hot_water")) == {
        "thermodynamic_water_heater", "solar_water_heater"}


def test_the_forms_people_type_are_listed():
    def synonyms(entity, code):
        return {fold(text) for text in catalogue().value(entity, code).synonyms}

    assert {"pac", "pompe a chaleur"} <= synonyms("work_type", "air_water_heat_pump")
    assert {"ite", "isolation par l'exterieur", "isoler les murs"} <= synonyms(
        "work_type", "exterior_wall_insulation")
    assert "iti" in synonyms("work_type", "interior_wall_insulation")
    assert "combles perdus" in synonyms("work_type", "attic_insulation")
    assert "ballon thermo" in synonyms("work_type", "thermodynamic_water_heater")
    assert "poele a granule" in synonyms("work_type", "pellet_stove")
    assert {"fioul", "fuel", "mazout"} <= synonyms("heating_energy", "fuel_oil")
    assert {"tout electrique", "grille-pain"} <= synonyms("heating_energy", "electricity")
    assert "clim reversible" in synonyms("work_type", "air_air_heat_pump")
    assert "vmc double flux" in synonyms("work_type", "double_flow_ventilation")
    assert "double vitrage" in synonyms("work_type", "windows")


def test_a_text_means_one_value_per_entity():
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for value in catalogue().values:
        for text in value.synonyms + value.alone:
            key = (value.entity, fold(text))
            if key in seen and seen[key] != value.code:
                clashes.append((key, seen[key], value.code))
            seen[key] = value.code
    assert clashes == []


def test_labels_are_french_and_distinct():
    labels = catalogue().labels("work_type")
    assert labels["exterior_wall_insulation"] == "isolation des murs par l'extérieur"
    assert len(set(labels.values())) == len(labels)


def test_a_broken_catalogue_is_refused(tmp_path):
    broken = tmp_path / "catalogue.yml"
    broken.write_text("work_type:\n  windows: {label: fenêtres}\n", "utf-8")
    with pytest.raises(KeyError):
        _load(broken)
