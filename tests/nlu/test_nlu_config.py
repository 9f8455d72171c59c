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


def test_measured_pipeline_sparse_logreg_catalogue_and_light_faq_selector():
    # The pipeline chosen in docs/nlu.md: nlu_eval/candidates.py `logreg_tfidf_keys`.
    config = _config()
    assert config["language"] == "fr"
    names = [component["name"] for component in config["pipeline"]]
    components = _components(config)
    assert names[0] == "nlu.normalising_tokenizer.NormalisingTokenizer"
    analyzers = {component["analyzer"] for component in components["CountVectorsFeaturizer"]}
    assert analyzers == {"word", "char_wb"}
    # Raw words and characters (the ResponseSelector's) ignore the lemmas; one counts them.
    by_alias = {c["alias"]: c for c in components["CountVectorsFeaturizer"]}
    assert by_alias["word_counts"]["use_lemma"] is False
    assert by_alias["char_counts"]["use_lemma"] is False
    assert by_alias["canon_counts"]["use_lemma"] is True
    # Capped vocabularies keep the model small (issue 10: <= 20 MB).
    assert all(0 < c["max_features"] <= 20000 for c in components["CountVectorsFeaturizer"])
    assert components["RegexFeaturizer"][0]["case_sensitive"] is False
    classifier = names.index("nlu.intent_classifier.SafeLogisticRegressionClassifier")
    assert classifier > max(i for i, name in enumerate(names) if name.endswith("Featurizer"))
    # Fifth pass: tf-idf weighting of the counts and the faq sub-intents as classes.
    settings = components["nlu.intent_classifier.SafeLogisticRegressionClassifier"][0]
    assert settings["weighting"] == "tfidf" and settings["faq_sub_intents"] is True
    assert "DIETClassifier" not in names and "SpacyNLP" not in names
    # Entities: the catalogue, after the commune lookup it may override.
    catalogue = names.index("nlu.catalogue_extractor.CatalogueEntityExtractor")
    assert names.index("RegexEntityExtractor") < catalogue
    assert components["RegexEntityExtractor"][0]["use_regexes"] is False
    only = set(components["nlu.catalogue_extractor.CatalogueEntityExtractor"][0][
        "drop_other_extractors_for"])
    assert "city" not in only and {"work_type", "postal_code", "reference_income"} <= only
    selector = components["ResponseSelector"][0]
    assert selector["retrieval_intent"] == "faq"
    assert selector["epochs"] <= 50
    assert set(selector["featurizers"]) <= {"word_counts", "char_counts"}
    fallback = components["FallbackClassifier"][0]
    assert 0.2 <= fallback["threshold"] <= 0.5
    assert names[-1] == "FallbackClassifier"


def test_config_pipeline_is_the_measured_candidate():
    # docs/nlu.md's figures are those of nlu_eval's `logreg_tfidf_keys`: keep both in step.
    from nlu_eval.candidates import config_text

    measured = yaml.safe_load(config_text("logreg_tfidf_keys", REPO))["pipeline"]
    assert _config()["pipeline"] == measured


def test_policies_memoization_rules_with_core_fallback():
    # The policies belong to the dialogue/speed side; TED is optional (removed for start-up time).
    policies = {policy["name"]: policy for policy in _config()["policies"]}
    assert {"MemoizationPolicy", "RulePolicy"} <= set(policies)
    rule = policies["RulePolicy"]
    assert 0 < rule["core_fallback_threshold"] < 1
    assert rule["core_fallback_action_name"] == "action_default_fallback"
    if "TEDPolicy" in policies:
        assert policies["TEDPolicy"]["epochs"] <= 100


def test_config_is_accepted_by_rasa_recipe():
    # Rasa's own config validation (recipe and component names), without training.
    from rasa.engine.recipes.recipe import Recipe
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_config(str(REPO / "config.yml"))
    config = importer.get_config()
    recipe = Recipe.recipe_for_name(config.get("recipe"))
    assert recipe.__class__.__name__ == "DefaultV1Recipe"
