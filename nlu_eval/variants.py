"""Variants of the intent classifier measured by nlu_eval/tuning.py (dev set + 5-fold CV)."""

from __future__ import annotations

import functools

from nlu_eval.tuning import Variant


def last_clause_vectoriser(ngrams: tuple[int, int] = (1, 2), only_multi: bool = True,
                           analyzer: str = "word"):
    from sklearn.feature_extraction.text import CountVectorizer

    from nlu.final_clause import final_clause

    def preprocess(text: str) -> str:
        return final_clause(text, only_multi=only_multi)

    return CountVectorizer(analyzer=analyzer, ngram_range=ngrams, max_features=3000,
                           preprocessor=preprocess)


LAST_WORDS = last_clause_vectoriser
LAST_CHARS = functools.partial(last_clause_vectoriser, ngrams=(2, 4), analyzer="char_wb")

# Class weights "balanced" unless said (Rasa's LogisticRegressionClassifier fixes it so).
VARIANTS = [
    Variant("sparse", cues=False),
    Variant("cues"),  # the pipeline of config.yml before this pass
    Variant("cues_unbalanced", class_weight=None),
    Variant("cues_c3", c=3.0),
    Variant("cues_c10", c=10.0),
    Variant("cues_c10_unbalanced", c=10.0, class_weight=None),
    Variant("cues_x3", cue_weight=3.0),
    Variant("last", extra=[LAST_WORDS]),
    Variant("last_unbalanced", extra=[LAST_WORDS], class_weight=None),
    Variant("last_always", extra=[functools.partial(last_clause_vectoriser, only_multi=False)]),
    Variant("last_chars", extra=[LAST_WORDS, LAST_CHARS]),
    Variant("last_c10", extra=[LAST_WORDS], c=10.0),
]
