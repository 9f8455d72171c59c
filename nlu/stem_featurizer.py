"""Rasa 3.6 NLU component: word counts of the Snowball stems of the tokens' canonical forms.

"rappelez-moi", "être rappelé", "qu'on me rappelle" share the stem "rappel"; "isoler",
"isolation", "isolée" share "isol". After the normalising tokenizer (nlu/normalising_tokenizer.py)
each token's lemma is its canonical form; this featurizer counts the stems of those forms, words
and word pairs, in a vocabulary of its own (the class words `ent_*` / `w_*` stay whole). The
classifier reads them next to the raw and canonical counts: measured on the development sets
and by cross-validation (docs/nlu.md).

config.yml (after the normalising tokenizer, before the intent classifier):
    - name: nlu.stem_featurizer.StemFeaturizer
      max_features: 4000
"""

from __future__ import annotations

import functools
import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.sentence_counts import SentenceCountFeaturizer

MAX_TOKENS = 400  # a huge message: only its head is stemmed (bounded time)


@functools.lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("french")


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball stem of one canonical word; class words and numbers stay whole."""
    if word.startswith(("ent_", "w_", "__")) or not word.isalpha():
        return word
    return _stemmer().stemWord(word)


def stemmed(forms: list[str]) -> str:
    """The stems of canonical forms ("je sais pas", "rappelez-moi": words each), joined."""
    return " ".join(stem(word) for form in forms[:MAX_TOKENS]
                    for word in re.findall(r"\w+", form))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
                          is_trainable=True)
class StemFeaturizer(SentenceCountFeaturizer):
    """Word 1–2-gram counts of stems, in a vocabulary learnt from the training data."""

    VOCABULARY_FILE = "stem_vocabulary.json"
    DEFAULT_MAX_FEATURES = 4000
    TOKEN_PATTERN = r"(?u)\b\w+\b"  # one-letter stems too ("j", "y")

    def sentence_text(self, message: Message) -> str:
        return stemmed([t.lemma for t in message.get(TOKENS_NAMES[TEXT], []) or []])
