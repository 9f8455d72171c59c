"""The catalogue extractor runs inside a real Rasa NLU model: trained by Rasa's own training
code with the component loaded by its module path, then parsing messages through Rasa."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path

import pytest

from tests.nlu.conftest import REPO

COMPONENT = "nlu.catalogue_extractor.CatalogueEntityExtractor"

# A tiny training set written for this test only (not data/nlu): the classifier is not
# what is tested here, only that the component is trained, stored, loaded and run.
TRAINING = """\
version: "3.1"
nlu:
- intent: ask_subsidies
  examples: |
    - quelles aides pour mes travaux
    - j'ai droit à quelles primes
    - combien d'aides je peux avoir
- intent: inform
  examples: |
    - [maison](housing_type) au gaz
    - c'est un [appart](housing_type)
    - on habite à Amiens
    - code postal [80000](postal_code)
    - on est à [80090](postal_code)
- intent: greet
  examples: |
    - bonjour
    - salut
    - coucou
"""


def _config(replace: bool) -> str:
    return textwrap.dedent(f"""\
        recipe: default.v1
        language: fr
        assistant_id: catalogue-test
        pipeline:
          - name: WhitespaceTokenizer
          - name: CountVectorsFeaturizer
          - name: LogisticRegressionClassifier
          - name: RegexEntityExtractor
            use_regexes: true
          - name: {COMPONENT}
            replace_overlapping: {str(replace).lower()}
          - name: EntitySynonymMapper
        policies: []
        """)


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    work = tmp_path_factory.mktemp("catalogue_model")
    (work / "nlu.yml").write_text(TRAINING + textwrap.dedent("""\
        - regex: postal_code
          examples: |
            - \\d{5}
        """), "utf-8")
    (work / "config.yml").write_text(_config(replace=True), "utf-8")
    model = train_nlu(str(work / "config.yml"), str(work / "nlu.yml"), str(work),
                      fixed_model_name="catalogue")
    assert model and Path(model).exists()
    return Agent.load(model)


def _parse(agent, text: str) -> dict:
    return asyncio.run(agent.parse_message(text))


def _entities(result: dict) -> set[tuple]:
    return {(entity["entity"], entity["value"], entity.get("role"))
            for entity in result["entities"]}


def test_config_names_the_component_by_module_path():
    assert f"name: {COMPONENT}" in (REPO / "config.yml").read_text("utf-8")


def test_rasa_parses_a_long_first_message_into_contract_codes(agent):
    result = _parse(agent, "Bonjour, maison de 1972 au fioul, on est 4 et on gagne 29 000 € "
                           "par an, on voudrait isoler les murs et mettre une PAC. Des aides ?")
    assert _entities(result) == {
        ("housing_type", "house", None), ("construction_year", 1972, None),
        ("heating_energy", "fuel_oil", None), ("household_size", 4, None),
        ("reference_income", 29000, None), ("work_type", "exterior_wall_insulation", None),
        ("work_type", "air_water_heat_pump", None)}
    assert {entity["extractor"] for entity in result["entities"]} == {
        "CatalogueEntityExtractor"}


def test_catalogue_spans_replace_overlapping_entities_of_other_extractors(agent):
    # RegexEntityExtractor tags every 5-digit number as a postal code; the catalogue knows
    # that "on gagne 32000 par an" is an income, and its entity wins.
    result = _parse(agent, "on gagne 32000 par an")
    assert _entities(result) == {("reference_income", 32000, None)}


def _component(**config):
    from nlu.catalogue_extractor import CatalogueEntityExtractor

    return CatalogueEntityExtractor({**CatalogueEntityExtractor.get_default_config(),
                                     **config}, "catalogue")


def _message_with_diet_entities(text: str, entities: list[dict]):
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={"text": text})
    message.set("entities", [{**entity, "extractor": "DIETClassifier"}
                             for entity in entities], add_to_output=True)
    return message


def test_overlap_policy_is_a_config_option():
    text = "on gagne 32000 par an à Amiens"
    diet = [{"entity": "postal_code", "value": "32000", "start": 9, "end": 14},
            {"entity": "city", "value": "Amiens", "start": 24, "end": 30}]
    replaced = _component().process([_message_with_diet_entities(text, diet)])[0]
    assert {(e["entity"], e["value"]) for e in replaced.get("entities")} == {
        ("reference_income", 32000), ("city", "Amiens")}
    kept = _component(replace_overlapping=False).process(
        [_message_with_diet_entities(text, diet)])[0]
    assert {(e["entity"], e["value"]) for e in kept.get("entities")} == {
        ("postal_code", "32000"), ("reference_income", 32000), ("city", "Amiens")}
    exclusive = _component(drop_other_extractors_for=["city"]).process(
        [_message_with_diet_entities(text, diet)])[0]
    assert {(e["entity"], e["value"]) for e in exclusive.get("entities")} == {
        ("reference_income", 32000)}


def test_a_commune_name_wins_over_the_catalogue_word_inside_it():
    text = "j'habite à Courcelles-au-Bois, je voudrais isoler les combles"
    lookup = [{"entity": "city", "value": "Courcelles-au-Bois", "start": 11, "end": 29}]
    entities = _component().process([_message_with_diet_entities(text, lookup)])[0].get(
        "entities")
    assert {(e["entity"], e["value"]) for e in entities} == {
        ("city", "Courcelles-au-Bois"), ("work_type", "attic_insulation")}
    text = "on habite à Combles, chauffage au fioul"
    lookup = [{"entity": "city", "value": "Combles", "start": 12, "end": 19}]
    entities = _component().process([_message_with_diet_entities(text, lookup)])[0].get(
        "entities")
    assert {(e["entity"], e["value"]) for e in entities} == {
        ("city", "Combles"), ("heating_energy", "fuel_oil")}


def test_negated_values_and_roles_reach_rasa(agent):
    result = _parse(agent, "pas de gaz, 80 m2 de combles")
    assert _entities(result) == {("heating_energy", "gas", "negated"),
                                 ("work_quantity", 80, "attic_insulation"),
                                 ("work_type", "attic_insulation", None)}


def test_bad_input_parses_without_entities_or_errors(agent):
    for text in ("", "😀" * 2000, "<script>alert(1)</script>", "x" * 10_000):
        result = _parse(agent, text)
        assert result["intent"] is not None
        assert all(entity["extractor"] for entity in result["entities"])
