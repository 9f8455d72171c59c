"""How much of a message is made of words the training data never used.

Gibberish ("azertyuiop", "jfkdls qmpoz"), an insult or a foreign sentence is mostly words no
training example holds; the word and character counts of such a message are nearly empty, so the
classifier falls back on its priors (often `affirm` or `inform`). These cues say so outright.

The counts are leave-one-out: while training, a word is "unknown" to an example when no OTHER
example holds it, which is what an unseen message meets at prediction time.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

CUES = ("unknown_any", "unknown_half", "unknown_all", "no_letters")
_LETTER = re.compile(r"[^\W\d_]")


def content_words(forms: list[str]) -> list[str]:
    """The words that can be unknown: letters only, not catalogue placeholders."""
    words = []
    for form in forms:
        for word in form.split():
            if _LETTER.search(word) and not word.startswith("ent_"):
                words.append(word)
    return words


def document_frequency(all_forms: list[list[str]]) -> Counter:
    frequency: Counter = Counter()
    for forms in all_forms:
        frequency.update(set(content_words(forms)))
    return frequency


def unknown_cues(text: str, forms: list[str], frequency: Counter | dict,
                 training: bool = False) -> np.ndarray:
    """1 × CUES row of 0/1; `training`: this very message was counted in `frequency`."""
    row = np.zeros((1, len(CUES)))
    words = content_words(forms)
    own = 1 if training else 0
    unknown = sum(frequency.get(word, 0) - own <= 0 for word in words)
    if words:
        row[0, 0] = float(unknown >= 1)
        row[0, 1] = float(unknown * 2 >= len(words))
        row[0, 2] = float(unknown == len(words))
    row[0, 3] = float(not _LETTER.search(text or ""))
    return row
