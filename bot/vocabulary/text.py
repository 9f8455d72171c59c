"""Folded text with a map back to the original characters, and its tokens.

Matching happens on a folded copy (lower case, no accents, "²" -> "2"); every span found
there is mapped back to the user's own characters, so entities point at what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Words, digits, the euro sign, and the punctuation that ends a clause.
_TOKEN = re.compile(r"[a-z]+[0-9]*|[0-9]+|€|[,.;:!?()\n/=>→]")
# ":" is not a break: it links a label to its value ("rfr : 27 400").
PUNCTUATION = frozenset(",.;!?()\n")


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # in the folded text
    end: int
    index: int  # position in the token list

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def is_number(self) -> bool:
        return self.text.isdigit()

    @property
    def is_break(self) -> bool:
        return self.text in PUNCTUATION


def _fold_char(char: str) -> str:
    if char in "œŒ":
        return "oe"
    if char in "æÆ":
        return "ae"
    if char in "’‘`´":
        return "'"
    if char in "\u00a0\u202f\u2009\t":
        return " "
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return kept if kept else " "


@dataclass(frozen=True)
class FoldedText:
    original: str
    folded: str
    origin: tuple[int, ...]  # folded index -> original index

    @classmethod
    def of(cls, text: str) -> FoldedText:
        parts: list[str] = []
        origin: list[int] = []
        for position, char in enumerate(text):
            folded = char if char.isascii() and not char.isupper() else _fold_char(char)
            parts.append(folded)
            origin.extend([position] * len(folded))
        return cls(original=text, folded="".join(parts), origin=tuple(origin))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind folded[start:end]."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1

    def tokens(self) -> list[Token]:
        return [Token(match.group(), match.start(), match.end(), index)
                for index, match in enumerate(_TOKEN.finditer(self.folded))]


def tokenize(text: str) -> list[str]:
    """The folded tokens of a catalogue phrase."""
    return [token.text for token in FoldedText.of(text).tokens()]
