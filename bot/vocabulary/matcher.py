"""Finds catalogue phrases in a text: accent-, case- and typo-tolerant, longest match first.

Phrases and text are compared on word keys: folded, little words (`cues.fillers`) skipped,
a final plural "s"/"x" dropped, and a word of 5 letters or more corrected to a catalogue
word at edit distance 1 (2 from 8 letters) with the same first letter.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.vocabulary.catalogue import Catalogue, catalogue
from bot.vocabulary.text import Token, tokenize

MAX_FUZZY_LENGTH = 24  # longer "words" are noise (URLs, keyboard mashing): never corrected


def word_key(word: str) -> str:
    if len(word) > 3 and word[-1] in "sx" and not word[-2].isdigit():
        return word[:-1]
    return word


def _distance(left: str, right: str, limit: int) -> int:
    """Damerau-Levenshtein (adjacent swaps), stopped early beyond `limit`."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(right) + 1))
    for i, lchar in enumerate(left, 1):
        current = [i] + [0] * len(right)
        for j, rchar in enumerate(right, 1):
            cost = 0 if lchar == rchar else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (i > 1 and j > 1 and lchar == right[j - 2] and left[i - 2] == rchar):
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@dataclass(frozen=True)
class Entry:
    entity: str
    code: str
    alone: bool  # only when it is the whole answer


@dataclass(frozen=True)
class Match:
    first: int  # token indexes (inclusive)
    last: int
    entries: tuple[Entry, ...]
    fuzzy: bool


class PhraseIndex:
    """Every synonym of the catalogue's categorical values, by word keys."""

    def __init__(self, vocabulary: Catalogue, entities: tuple[str, ...]) -> None:
        self.fillers = frozenset(vocabulary.cues["fillers"])
        self.not_typos = vocabulary.not_typos
        phrases: dict[tuple[str, ...], list[Entry]] = {}
        for value in vocabulary.values:
            if value.entity not in entities:
                continue
            for texts, alone in ((value.synonyms, False), (value.alone, True)):
                for text in texts:
                    key = self.key(tokenize(text))
                    entry = Entry(value.entity, value.code, alone)
                    if key and entry not in phrases.setdefault(key, []):
                        phrases[key].append(entry)
        self.phrases = {key: tuple(entries) for key, entries in phrases.items()}
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in sorted(self.phrases, key=len, reverse=True):
            self.by_first.setdefault(key[0], []).append(key)
        self.words = frozenset(word for key in self.phrases for word in key)
        self._deleted: dict[str, set[str]] = {}
        for word in self.words:
            if len(word) >= 4 and word.isalpha():
                for variant in _deletions(word) | {word}:
                    self._deleted.setdefault(variant, set()).add(word)
        self.correct = functools.lru_cache(maxsize=20000)(self._correct)

    def key(self, words: list[str]) -> tuple[str, ...]:
        return tuple(word_key(word) for word in words if word not in self.fillers)

    def _correct(self, word: str) -> tuple[str, bool]:
        """The catalogue word meant by `word` (typo-tolerant), and whether it was corrected."""
        if word in self.words or word in self.not_typos or not word.isalpha() \
                or not 5 <= len(word) <= MAX_FUZZY_LENGTH:
            return word, False
        limit = 2 if len(word) >= 8 else 1
        candidates: set[str] = set()
        for variant in _deletions(word) | {word}:
            candidates |= self._deleted.get(variant, set())
        best: list[tuple[int, str]] = []
        for candidate in candidates:
            if candidate[0] != word[0]:
                continue
            distance = _distance(word, candidate, limit)
            if distance <= limit:
                best.append((distance, candidate))
        if not best:
            return word, False
        best.sort()
        if len(best) > 1 and best[0][0] == best[1][0]:
            return word, False  # two catalogue words equally close: don't guess
        return best[0][1], True

    def find(self, tokens: list[Token], short_message: bool) -> list[Match]:
        """Non-overlapping matches, left to right, the longest phrase first at each place."""
        content = [token for token in tokens if token.text not in self.fillers]
        keys: list[str] = []
        corrected: list[bool] = []
        for token in content:
            word, fuzzy = self.correct(word_key(token.text))
            keys.append(word_key(word))
            corrected.append(fuzzy)
        # The longest phrase at each place, then the longest overall wins where two overlap
        # ("isoler la toiture-terrasse": "toiture terrasse" over "isoler la toiture").
        candidates: list[tuple[int, int, Match]] = []
        for position in range(len(content)):
            for key in self.by_first.get(keys[position], ()):
                end = position + len(key)
                if tuple(keys[position:end]) != key:
                    continue
                entries = tuple(entry for entry in self.phrases[key]
                                if short_message or not entry.alone)
                if entries:
                    candidates.append((position, end, Match(
                        content[position].index, content[end - 1].index, entries,
                        any(corrected[position:end]))))
                    break
        chosen: list[tuple[int, int, Match]] = []
        used = bytearray(len(content) + 1)
        for position, end, match in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
            if not any(used[position:end]):
                used[position:end] = b"\x01" * (end - position)
                chosen.append((position, end, match))
        return [match for _, _, match in sorted(chosen, key=lambda c: c[0])]


@functools.lru_cache(maxsize=1)
def phrase_index() -> PhraseIndex:
    return PhraseIndex(catalogue(), ("work_type", "heating_energy", "housing_type", "occupancy"))
