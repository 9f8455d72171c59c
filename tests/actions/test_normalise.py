"""French answers -> profile values: numbers in words, units, decades, amounts, ranges."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions import normalise
from actions.normalise import InvalidAnswer

TODAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(("text", "expected"), [
    ("120", 120), ("120 m2", 120), ("120m²", 120), ("cent vingt mètres carrés", 120),
    ("environ quatre-vingt-dix m2", 90), ("120,5 m²", 120.5), ("1 200 m2", 1200),
    (95, 95),
])
def test_surface(text, expected):
    assert normalise.parse_surface(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("3 m2", "trop petite"), ("5000 m2", "trop grande"), ("beaucoup", "pas trouvé de surface"),
    ("😀😀😀", "pas trouvé"), ("<b>grand</b>", "pas trouvé"), ("9" * 400, "trop long"),
])
def test_surface_rejected_with_french_reason(text, message):
    with pytest.raises(InvalidAnswer, match=message):
        normalise.parse_surface(text)


@pytest.mark.parametrize(("text", "year"), [
    ("1975", 1975), ("construite en 1982", 1982), ("mille neuf cent soixante-quinze", 1975),
    ("dix-neuf cent soixante-quinze", 1975), ("en 75", 1975), ("en 05", 2005),
    ("deux mille dix", 2010), (1990, 1990),
])
def test_construction_year(text, year):
    assert normalise.parse_construction_year(text, TODAY) == (year, "")


@pytest.mark.parametrize(("text", "year"), [
    ("années 70", 1975), ("les années soixante-dix", 1975), ("années 1920", 1925),
    ("dans les années 2000", 2005), ("années 10", 2015),
])
def test_decade_is_read_as_its_middle_and_said(text, year):
    parsed, note = normalise.parse_construction_year(text, TODAY)
    assert parsed == year
    assert f"J'ai retenu {year}" in note


def test_before_a_year():
    assert normalise.parse_construction_year("avant 1948", TODAY) == (
        1947, "J'ai retenu 1947 (construit avant 1948).")


@pytest.mark.parametrize(("text", "message"), [
    ("2090", "2090 est dans le futur"), ("1200", "trop ancienne"),
    ("années 75", "n'est pas une décennie"), ("je ne sais pas", "pas trouvé d'année"),
])
def test_construction_year_rejected(text, message):
    with pytest.raises(InvalidAnswer, match=message):
        normalise.parse_construction_year(text, TODAY)


@pytest.mark.parametrize(("text", "size"), [
    ("4", 4), ("quatre", 4), ("nous sommes trois", 3), ("5 personnes", 5), ("seul", 1),
    ("je vis seule", 1), ("en couple", 2), ("2 adultes et 3 enfants", 5),
])
def test_household_size(text, size):
    assert normalise.parse_household_size(text) == size


@pytest.mark.parametrize(("text", "message"), [
    ("0", "au moins une personne"), ("aucun", "pas trouvé"), ("45", "paraît beaucoup"),
    ("2,5", "entier"),
])
def test_household_size_rejected(text, message):
    with pytest.raises(InvalidAnswer, match=message):
        normalise.parse_household_size(text)


@pytest.mark.parametrize(("text", "income"), [
    ("32 000 €", 32000), ("32000", 32000), ("32k", 32000), ("32 k€", 32000),
    ("trente-deux mille euros", 32000), ("environ 25 500 euros par an", 25500),
    ("32.000 euros", 32000), ("18 500,40 €", 18500), ("12,5k", 12500),
])
def test_income(text, income):
    assert normalise.parse_income(text) == income


@pytest.mark.parametrize(("text", "message"), [
    ("je ne sais pas", "pas trouvé de montant"), ("32 €", "milliers d'euros"),
    ("99999999999 €", "pas plausible"),
])
def test_income_rejected(text, message):
    with pytest.raises(InvalidAnswer, match=message):
        normalise.parse_income(text)


@pytest.mark.parametrize(("text", "code"), [
    ("80000", "80000"), ("80 000", "80000"), ("j'habite au 80090 Amiens", "80090"),
    ("1975", None), ("800000", None),
])
def test_postal_code(text, code):
    assert normalise.find_postal_code(text) == code


@pytest.mark.parametrize(("parse", "text", "code"), [
    (normalise.parse_housing_type, "une maison", "house"),
    (normalise.parse_housing_type, "un appart", "apartment"),
    (normalise.parse_housing_type, "apartment", "apartment"),
    (normalise.parse_occupancy, "je suis locataire", "tenant"),
    (normalise.parse_occupancy, "propriétaire", "owner_occupier"),
    (normalise.parse_occupancy, "propriétaire bailleur", "landlord"),
    (normalise.parse_occupancy, "c'est une résidence secondaire", "second_home_owner"),
    (normalise.parse_heating_energy, "au fioul", "fuel_oil"),
    (normalise.parse_heating_energy, "Électrique", "electricity"),
    (normalise.parse_heating_energy, "chaudière gaz", "gas"),
    (normalise.parse_heating_energy, "poêle à granulés", "wood_pellets"),
    (normalise.parse_heating_energy, "une PAC", "heat_pump"),
    # Catalogue synonyms, SMS forms and typos; a negated value does not count.
    (normalise.parse_housing_type, "un T3", "apartment"),
    (normalise.parse_housing_type, "une longère", "house"),
    (normalise.parse_housing_type, "un apartement en copropriété", "apartment"),
    (normalise.parse_occupancy, "proprio", "owner_occupier"),
    (normalise.parse_occupancy, "j'y habite", "owner_occupier"),
    (normalise.parse_occupancy, "c'est notre maison de vacances", "second_home_owner"),
    (normalise.parse_heating_energy, "mazout", "fuel_oil"),
    (normalise.parse_heating_energy, "tout elec", "electricity"),
    (normalise.parse_heating_energy, "des grille-pain", "electricity"),
    (normalise.parse_heating_energy, "pas de gaz, on est au fioul", "fuel_oil"),
    (normalise.parse_heating_energy, "gaz en citerne", "propane"),
    (normalise.parse_heating_energy, "un insert", "wood_logs"),
    (normalise.parse_heating_energy, "chaudière à pellets", "wood_pellets"),
    (normalise.parse_heating_energy, "pellet_boiler", "wood_pellets"),
    (normalise.parse_dpe_class, "classe E", "E"),
    (normalise.parse_dpe_class, "f", "F"),
    (normalise.parse_dpe_class, "je ne sais pas", "unknown"),
    (normalise.parse_dpe_class, "non", "unknown"),
])
def test_choices(parse, text, code):
    assert parse(text) == code


def test_choice_rejected_says_what_to_answer():
    with pytest.raises(InvalidAnswer, match="« maison » ou « appartement »"):
        normalise.parse_housing_type("bof")
    with pytest.raises(InvalidAnswer, match="de A à G"):
        normalise.parse_dpe_class("j'ai à peu près aucune lettre")


@pytest.mark.parametrize(("text", "codes"), [
    ("isoler les combles et changer les fenêtres", ["attic_insulation", "windows"]),
    ("isolation des murs par l'intérieur", ["interior_wall_insulation"]),
    ("isolation des murs", ["exterior_wall_insulation"]),
    ("une pompe à chaleur air/eau", ["air_water_heat_pump"]),
    ("isoler la toiture-terrasse", ["flat_roof_insulation"]),
    ("chauffe-eau solaire", ["solar_water_heater"]),
    ("chaudière à granulés et VMC double flux", ["pellet_boiler", "double_flow_ventilation"]),
    (["attic_insulation", "windows", "windows"], ["attic_insulation", "windows"]),
    ("ITE + ballon thermo", ["exterior_wall_insulation", "thermodynamic_water_heater"]),
    ("poele a granule", ["pellet_stove"]),
    ("isolation des conbles", ["attic_insulation"]),
    ("clim reversible", ["air_air_heat_pump"]),
    ("les combles mais pas les fenêtres", ["attic_insulation"]),
    ("double vitrage", ["windows"]),
    ("iti", ["interior_wall_insulation"]),
])
def test_works(text, codes):
    assert normalise.parse_works(text) == codes


def test_works_rejected():
    with pytest.raises(InvalidAnswer, match="pas reconnu de travaux"):
        normalise.parse_works("je ne sais pas encore")
    with pytest.raises(InvalidAnswer, match="pas reconnu de travaux"):
        normalise.parse_works("refaire la salle de bain")
    with pytest.raises(InvalidAnswer, match="pas reconnu de travaux"):
        normalise.parse_works("pas les fenêtres finalement")


def test_heating_rejected_for_an_unknown_or_negated_energy():
    for text in ("aucune idée", "pas de gaz", "le soleil"):
        with pytest.raises(InvalidAnswer, match="pas reconnu l'énergie de chauffage"):
            normalise.parse_heating_energy(text)


def test_work_patterns_for_raw_text_scans_come_from_the_catalogue():
    import re

    codes = {code for pattern, code in normalise._WORKS
             if re.search(pattern, "pas la vmc double flux finalement")}
    assert codes == {"double_flow_ventilation"}


@pytest.mark.parametrize(("text", "slot"), [
    ("150 m2", "surface_m2"), ("32000 euros", "reference_income"),
    ("nous sommes 4 personnes", "household_size"), ("construite dans les années 70",
                                                    "construction_year"),
    ("4", None), ("Amiens", None),
])
def test_slot_hint(text, slot):
    assert normalise.slot_hint(text) == slot


PARSERS = [normalise.parse_surface, normalise.parse_household_size, normalise.parse_income,
           normalise.parse_housing_type, normalise.parse_occupancy,
           normalise.parse_heating_energy, normalise.parse_dpe_class, normalise.parse_works,
           lambda text: normalise.parse_construction_year(text, TODAY)]


@given(st.text(max_size=400), st.sampled_from(PARSERS))
def test_any_text_gives_a_value_or_a_french_reason(text, parse):
    try:
        parse(text)
    except InvalidAnswer as error:
        assert str(error).rstrip().endswith((".", "?", "»")), str(error)


@given(st.integers(min_value=5, max_value=2000))
def test_surface_roundtrip(surface):
    assert normalise.parse_surface(f"{surface} m2") == surface
    assert normalise.parse_surface(normalise.parse_surface(str(surface))) == surface


@pytest.mark.parametrize("tagged", ["air_water_heat_pump", "geothermal_heat_pump",
                                    "air_air_heat_pump"])
def test_a_heat_pump_work_code_as_current_heating_means_heat_pump(tagged):
    # The NLU maps "pac" to a work code; asked about current heating, it is a heat pump.
    assert normalise.parse_heating_energy(tagged) == "heat_pump"
