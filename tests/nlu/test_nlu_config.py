"""config.yml holds the French pipeline and policies the issue asks for."""

from __future__ import annotations

import yaml

from tests.nlu.conftest import REPO


def _config() -> dict:
    return yaml.safe_load((REPO / "config.yml").read_text("utf-8"))


def _components(config: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for component in config["pipeline"]:
        found.setdefault(component["name"], []).append(component)
    return found


def test_french_spacy_pipeline_with_diet_synonyms_regex_and_fallback():
    config = _config()
    assert config["language"] == "fr"
    names = [component["name"] for component in config["pipeline"]]
    components = _components(config)
    assert components["SpacyNLP"][0]["model"] == "fr_core_news_sm"
    # Order matters: spaCy first, the tokenizer before every featurizer, DIET after them.
    assert names[:3] == ["SpacyNLP", "SpacyTokenizer", "SpacyFeaturizer"]
    analyzers = {component.get("analyzer", "word")
                 for component in components["CountVectorsFeaturizer"]}
    assert analyzers == {"word", "char_wb"}
    assert components["RegexFeaturizer"][0]["case_sensitive"] is False
    assert names.index("DIETClassifier") > max(
        index for index, name in enumerate(names) if name.endswith("Featurizer"))
    assert names.index("EntitySynonymMapper") > names.index("DIETClassifier")
    assert components["ResponseSelector"][0]["retrieval_intent"] == "faq"
    fallback = components["FallbackClassifier"][0]
    assert 0.3 <= fallback["threshold"] <= 0.7
    assert names[-1] == "FallbackClassifier"


def test_policies_memoization_rules_with_core_fallback_and_ted():
    policies = {policy["name"]: policy for policy in _config()["policies"]}
    assert set(policies) == {"MemoizationPolicy", "RulePolicy", "TEDPolicy"}
    rule = policies["RulePolicy"]
    assert 0 < rule["core_fallback_threshold"] < 1
    assert rule["core_fallback_action_name"] == "action_default_fallback"
    assert policies["TEDPolicy"]["epochs"] <= 100


def test_config_is_accepted_by_rasa_recipe():
    # Rasa's own config validation (recipe and component names), without training.
    from rasa.engine.recipes.recipe import Recipe
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_config(str(REPO / "config.yml"))
    config = importer.get_config()
    recipe = Recipe.recipe_for_name(config.get("recipe"))
    assert recipe.__class__.__name__ == "DefaultV1Recipe"
