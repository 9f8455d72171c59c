"""Variants of the intent classifier measured by nlu_eval/tuning.py (dev set + 5-fold CV)."""

from __future__ import annotations

import functools
import re

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
    Variant("baseline", baseline=True),  # TF-IDF + LR (nlu_eval/baseline.py)
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


# --- Third pass: canonical forms (nlu/normalise.py), tokens cut by Rasa's own tokenizer. ---

@functools.lru_cache(maxsize=20000)
def rasa_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Token spans of Rasa's WhitespaceTokenizer (what the real pipeline sees)."""
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    tokenizer = _tokenizer()
    return tuple((t.start, t.end) for t in tokenizer.tokenize(Message({TEXT: text}), TEXT)) \
        if text.strip() else ()


@functools.lru_cache(maxsize=1)
def _tokenizer():
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer

    return WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


@functools.lru_cache(maxsize=20000)
def canonical_text(text: str, keep_entities: bool = False) -> str:
    """The message as the normalising tokenizer's lemmas, joined (numbers as Rasa marks them)."""
    from nlu.normalise import canonical, canonical_forms

    spans = rasa_spans(text)
    if keep_entities:
        forms = [canonical(text[s:e]) for s, e in spans]
    else:
        forms = canonical_forms(text, list(spans))
    return " ".join(re.sub(r"\b[0-9]+\b", "__NUMBER__", f) for f in forms if f)


def canonical_vectoriser(ngrams: tuple[int, int] = (1, 2), analyzer: str = "word",
                         max_features: int = 4000, keep_entities: bool = False):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer=analyzer, ngram_range=ngrams, max_features=max_features,
                           token_pattern=r"(?u)\b\w+\b",
                           preprocessor=functools.partial(canonical_text,
                                                          keep_entities=keep_entities))


CANON = canonical_vectoriser
CANON_13 = functools.partial(canonical_vectoriser, ngrams=(1, 3), max_features=6000)
FOLDED = functools.partial(canonical_vectoriser, keep_entities=True)

VARIANTS += [
    Variant("canon_c3", extra=[CANON], c=3.0),
    Variant("canon13_c3", extra=[CANON_13], c=3.0),
    Variant("folded_c3", extra=[FOLDED], c=3.0),
    Variant("canon_last_c3", extra=[CANON, LAST_WORDS], c=3.0),
    Variant("canon_c1", extra=[CANON], c=1.0),
    Variant("canon_c10", extra=[CANON], c=10.0),
]


@functools.lru_cache(maxsize=20000)
def canonical_last_clause(text: str, only_multi: bool = True) -> str:
    """The canonical forms of the last clause (of a message of two clauses or more, or of any
    message when not only_multi), found on the whole message, as FinalClauseFeaturizer with
    use_lemma reads them."""
    from nlu.final_clause import final_clause_start
    from nlu.normalise import canonical_forms

    start = final_clause_start(text, only_multi=only_multi)
    if start is None:
        return ""
    spans = rasa_spans(text)
    forms = canonical_forms(text, list(spans))
    return " ".join(re.sub(r"\b[0-9]+\b", "__NUMBER__", f)
                    for (s, _), f in zip(spans, forms, strict=True) if s >= start and f)


def canonical_last_vectoriser():
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer="word", ngram_range=(1, 2), max_features=3000,
                           token_pattern=r"(?u)\b\w+\b", preprocessor=canonical_last_clause)


CANON_LAST = canonical_last_vectoriser
CANON_CHARS = functools.partial(canonical_vectoriser, ngrams=(2, 4), analyzer="char_wb",
                                max_features=10000)

VARIANTS += [
    Variant("canon_clast_c3", extra=[CANON, CANON_LAST], c=3.0),
    Variant("canon_clast_c10", extra=[CANON, CANON_LAST], c=10.0),
    Variant("canon_c3_unbal", extra=[CANON], c=3.0, class_weight=None),
    Variant("canon_cx3_c3", extra=[CANON], c=3.0, cue_weight=3.0),
]


class UnknownWordsVectoriser:
    """nlu_eval/unknown_words.py cues; leave-one-out on the texts it was fitted on."""

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight
        self.frequency: dict = {}
        self.training: set[str] = set()

    def _forms(self, text: str) -> list[str]:
        from nlu.normalise import canonical_forms

        return canonical_forms(text, list(rasa_spans(text)))

    def fit(self, texts: list[str]) -> UnknownWordsVectoriser:
        from nlu_eval.unknown_words import document_frequency

        self.frequency = document_frequency([self._forms(t) for t in texts])
        self.training = set(texts)
        return self

    def transform(self, texts: list[str]):
        import numpy as np
        import scipy.sparse

        from nlu_eval.unknown_words import unknown_cues

        rows = [unknown_cues(t, self._forms(t), self.frequency, t in self.training)
                for t in texts]
        return scipy.sparse.csr_matrix(np.vstack(rows) * self.weight)


VARIANTS += [
    Variant("canon_unk_c3", extra=[CANON, UnknownWordsVectoriser], c=3.0),
    Variant("canon_clast_unk_c3", extra=[CANON, CANON_LAST, UnknownWordsVectoriser], c=3.0),
    Variant("cues_unk_c3", extra=[UnknownWordsVectoriser], c=3.0),
]

VARIANTS += [
    Variant("canon2_c3", extra=[CANON], c=3.0),  # + word classes and gibberish (same code)
]


@functools.lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("french")


@functools.lru_cache(maxsize=20000)
def stemmed_text(text: str) -> str:
    """canonical_text with each ordinary word cut to its Snowball stem ("rappelez" -> "rappel")."""
    words = re.findall(r"\w+", canonical_text(text))
    return " ".join(w if w.startswith(("ent_", "w_", "__")) else _stemmer().stemWord(w)
                    for w in words)


def stem_vectoriser(ngrams: tuple[int, int] = (1, 2)):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer="word", ngram_range=ngrams, max_features=4000,
                           token_pattern=r"(?u)\b\w+\b", preprocessor=stemmed_text)


VARIANTS += [
    Variant("stem_clast_c3", extra=[stem_vectoriser, CANON_LAST], c=3.0),
    Variant("canon_stem_clast_c3", extra=[CANON, stem_vectoriser, CANON_LAST], c=3.0),
]

VARIANTS += [
    Variant("canon_stem_clast_c10", extra=[CANON, stem_vectoriser, CANON_LAST], c=10.0),
    Variant("canon_stem_c3", extra=[CANON, stem_vectoriser], c=3.0),
]

# --- Fourth pass: the faq sub-intents as classes of the intent classifier. ---
VARIANTS += [
    Variant("keys_canon_stem_clast_c3", extra=[CANON, stem_vectoriser, CANON_LAST], c=3.0,
            faq_keys=True),
    Variant("keys_canon_stem_clast_c10", extra=[CANON, stem_vectoriser, CANON_LAST], c=10.0,
            faq_keys=True),
]

# --- Fifth pass: tf-idf weighting of the same features (the baseline's weighting). ---
FULL = [CANON, stem_vectoriser, CANON_LAST]
VARIANTS += [
    Variant(f"tfidf_c{c:g}", extra=FULL, c=c, weighting="tfidf") for c in (3.0, 10.0, 30.0, 100.0)
]
VARIANTS += [
    Variant(f"tfidf_unbal_c{c:g}", extra=FULL, c=c, weighting="tfidf", class_weight=None)
    for c in (10.0, 30.0)
]
VARIANTS += [
    Variant(f"keys_tfidf_c{c:g}", extra=FULL, c=c, weighting="tfidf", faq_keys=True)
    for c in (10.0, 30.0)
]
VARIANTS += [
    Variant(f"keys_tfidf_c{c:g}", extra=FULL, c=c, weighting="tfidf", faq_keys=True)
    for c in (100.0, 300.0)
]
VARIANTS += [
    Variant("keys_tfidf_c1000", extra=FULL, c=1000.0, weighting="tfidf", faq_keys=True),
    Variant("keys_noidf_c100", extra=FULL, c=100.0, weighting="tfidf_noidf", faq_keys=True),
    Variant("keys_l2_c100", extra=FULL, c=100.0, weighting="l2", faq_keys=True),
    Variant("keys_tfidf_cx3_c300", extra=FULL, c=300.0, weighting="tfidf", faq_keys=True,
            cue_weight=3.0),
    Variant("keys_tfidf_nocue_c300", extra=FULL, c=300.0, weighting="tfidf", faq_keys=True,
            cues=False),
    Variant("keys_tfidf_unbal_c300", extra=FULL, c=300.0, weighting="tfidf", faq_keys=True,
            class_weight=None),
    Variant("keys_c3", extra=FULL, c=3.0, faq_keys=True),
]


def char_vectoriser(ngrams: tuple[int, int] = (2, 5), max_features: int = 10000):
    from sklearn.feature_extraction.text import CountVectorizer

    from nlu_eval.tuning import token_text

    return CountVectorizer(analyzer="char_wb", ngram_range=ngrams, max_features=max_features,
                           preprocessor=token_text)


def stem_chars_vectoriser():
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer="char_wb", ngram_range=(3, 5), max_features=8000,
                           preprocessor=stemmed_text)


VARIANTS += [
    Variant("keys_tfidf_c3000", extra=FULL, c=3000.0, weighting="tfidf", faq_keys=True),
    Variant("keys_tfidf_char25_c1000", extra=[*FULL, char_vectoriser], c=1000.0,
            weighting="tfidf", faq_keys=True),
    Variant("keys_tfidf_stemchars_c1000", extra=[*FULL, stem_chars_vectoriser], c=1000.0,
            weighting="tfidf", faq_keys=True),
    Variant("keys_tfidf_nolast_c1000", extra=[CANON, stem_vectoriser], c=1000.0,
            weighting="tfidf", faq_keys=True),
    Variant("keys_tfidf_nostem_c1000", extra=[CANON, CANON_LAST], c=1000.0,
            weighting="tfidf", faq_keys=True),
]

VARIANTS += [
    Variant(f"keys_blocks_c{c:g}", extra=FULL, c=c, weighting="tfidf_blocks", faq_keys=True)
    for c in (10.0, 30.0, 100.0, 300.0)
]


def canonical_last_clause_always(text: str) -> str:
    """Every message's last clause: what a short faq question says is learnt where a long
    message of facts asks it."""
    return canonical_last_clause(text, only_multi=False)


def canonical_last_always_vectoriser():
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer="word", ngram_range=(1, 2), max_features=3000,
                           token_pattern=r"(?u)\b\w+\b", preprocessor=canonical_last_clause_always)


VARIANTS += [
    Variant("keys_tfidf_lastalways_c1000", extra=[CANON, stem_vectoriser,
                                                  canonical_last_always_vectoriser],
            c=1000.0, weighting="tfidf", faq_keys=True),
    Variant("keys_tfidf_lastboth_c1000", extra=[*FULL, canonical_last_always_vectoriser],
            c=1000.0, weighting="tfidf", faq_keys=True),
]
