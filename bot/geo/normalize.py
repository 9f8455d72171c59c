"""Normalisation of French commune names, so that "st quentin", "SAINT-QUENTIN" and
"Saint Quentin" compare equal (accents, case, hyphens, apostrophes, "St"/"Ste")."""

from __future__ import annotations

import re
import unicodedata

# Abbreviations people (and La Poste) write for the first words of commune names.
_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ARTICLES = ("le ", "la ", "les ", "l ")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalize_name(text: str) -> str:
    """Lower case, no accents, words separated by one space, abbreviations expanded.

    >>> normalize_name("St-Étienne-du-Rouvray")
    'saint etienne du rouvray'
    """
    plain = strip_accents(text).lower().replace("œ", "oe").replace("æ", "ae")
    words = _NON_ALNUM.sub(" ", plain).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def without_article(normalized: str) -> str:
    """"le havre" -> "havre": users often drop the leading article."""
    for article in _ARTICLES:
        if normalized.startswith(article):
            return normalized[len(article):]
    return normalized
