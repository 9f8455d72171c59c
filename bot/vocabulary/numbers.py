"""Numbers as people type them, with their span: "32 000 €", "30k", "1,2 M", "80m2",
"trente-deux mille", "cent vingt", "une centaine", "années 70"."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bot.vocabulary.text import FoldedText, Token

_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16,
}
_TENS = {"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
         "soixante": 60, "septante": 70, "huitante": 80, "octante": 80, "nonante": 90}
_SCALES = {"mille": 1000, "milles": 1000, "million": 1_000_000, "millions": 1_000_000,
           "milliard": 1_000_000_000, "milliards": 1_000_000_000}
# "une centaine" is about 100: approximate amounts still answer the question.
_ROUND = {"dizaine": 10, "dizaines": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20,
          "trentaine": 30, "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60,
          "centaine": 100, "centaines": 100, "millier": 1000, "milliers": 1000}
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_SCALES) | frozenset(_ROUND) \
    | {"cent", "cents", "et"}
# Words that are numbers only next to another number word ("un logement neuf", "une maison").
_ONLY_IN_SEQUENCES = frozenset({"un", "une", "neuf", "et"})

# "32 000", "3.200", "1,2", "120": thousands by space or dot, decimals by comma (or dot).
_DIGITS = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ .]\d{3})+(?![\d])|\d+)(?:[.,](\d{1,2})(?!\d))?(?![\d])")
_MULTIPLIER = re.compile(
    r"(\s?)(k\s?€|keur\b|ke\b|k\b|mille\b|millions?\b|mio\b|md\b|m€|€|euros?\b|eur\b|e\b|"
    r"m\s?2\b|mq\b|metres?\s+carres?|metre\s+carre|m\b)", re.ASCII)
_ORDINAL = re.compile(r"(?:e|eme|er|ere|nd|nde)(?![a-z])")
_SURFACE_UNIT = re.compile(r"m\s?2|m²|mq|metres?\s+carres?|metre\s+carre")


@dataclass(frozen=True)
class Number:
    value: float
    start: int  # folded span, unit included
    end: int
    unit: str | None  # "eur", "m2" or None
    multiplied: bool  # "k", "mille", "M": an amount, never a postal code or a year
    digits: str  # the digits as typed (no separator), "" for words
    first_token: int  # index of the first token of the number
    last_token: int
    grouped: bool = False  # typed with a thousands separator ("80 000"): an amount

    @property
    def whole(self) -> bool:
        return self.value == int(self.value)


def _token_range(tokens: list[Token], starts: list[int], start: int,
                 end: int) -> tuple[int, int]:
    """First and last token index inside folded[start:end] (binary search: long texts)."""
    first = bisect.bisect_right(starts, start) - 1
    if first < 0 or tokens[first].end <= start:
        first += 1
    last = bisect.bisect_left(starts, end) - 1
    if first >= len(tokens) or last < first:
        return 0, -1
    return first, last


_OF_UNIT = re.compile(r"\s+(?:de|d')\s*(m\s?2\b|mq\b|metres?\s+carres?|metre\s+carre|euros?\b|€)")


def _unit_after(text: FoldedText, end: int) -> tuple[str | None, float, int]:
    """Unit or multiplier right after a number: (unit, factor, new end)."""
    of_unit = _OF_UNIT.match(text.folded, end)  # "une centaine de m2", "des milliers d'euros"
    if of_unit:
        return ("m2" if _SURFACE_UNIT.match(of_unit.group(1)) else "eur"), 1, of_unit.end()
    match = _MULTIPLIER.match(text.folded, end)
    if not match:
        return None, 1, end
    word = match.group(2)
    original = text.original[text.origin[match.start(2)]]
    if word == "e" and match.group(1):  # "3 e étage" is not euros; "32000e" is
        return None, 1, end
    if _SURFACE_UNIT.fullmatch(word):
        return "m2", 1, match.end()
    if word.startswith("k"):
        return "eur", 1000, match.end()
    if word in ("mille",):
        return None, 1000, match.end()
    if word.startswith("million") or word in ("mio", "m€"):
        return ("eur" if word == "m€" else None), 1_000_000, match.end()
    if word == "md":
        return None, 1_000_000_000, match.end()
    if word == "m":
        # "1,2 M" is a million; "120 m" (lower case) is a surface typed in a hurry.
        if original == "M":
            return None, 1_000_000, match.end()
        return "m2", 1, match.end()
    if word in ("€", "euro", "euros", "eur", "e"):
        return "eur", 1, match.end()
    return None, 1, end


def _word_value(words: list[str]) -> float | None:
    total = 0
    current = 0
    seen = False
    for word in words:
        if word == "et":
            continue
        seen = True
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            if _TENS[word] == 20 and current % 100 == 4:  # quatre-vingt(s)
                current += 76
            else:
                current += _TENS[word]
        elif word in ("cent", "cents"):
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        elif word in _ROUND:
            current = (current or 1) * _ROUND[word]
    return float(total + current) if seen else None


def _word_numbers(text: FoldedText, tokens: list[Token], starts: list[int],
                  whole_message: bool) -> list[Number]:
    found: list[Number] = []
    index = 0
    while index < len(tokens):
        if tokens[index].text not in NUMBER_WORDS or tokens[index].text == "et":
            index += 1
            continue
        run = [tokens[index]]
        cursor = index + 1
        while cursor < len(tokens) and tokens[cursor].text in NUMBER_WORDS:
            run.append(tokens[cursor])
            cursor += 1
        while run and run[-1].text == "et":
            run.pop()
        words = [token.text for token in run]
        alone_ok = whole_message or len(words) > 1 or words[0] not in _ONLY_IN_SEQUENCES
        # "un/une" is an article unless it is the whole answer; "neuf" alone means "new".
        if words and alone_ok and not (len(words) == 1 and words[0] in ("un", "une")
                                       and len(tokens) > 1):
            value = _word_value(words)
            if value is not None:
                start, end = run[0].start, run[-1].end
                unit, factor, end = _unit_after(text, end)
                found.append(Number(value * factor, start, end, unit, factor > 1, "",
                                    run[0].index, _token_range(tokens, starts, start, end)[1]))
        index = cursor
    return found


def find_numbers(text: FoldedText, tokens: list[Token]) -> list[Number]:
    """Every number of the text, in order, with its unit when one follows."""
    found: list[Number] = []
    folded = text.folded
    starts = [token.start for token in tokens]
    for match in _DIGITS.finditer(folded):
        whole = re.sub(r"[ .]", "", match.group(1))
        if len(whole) > 15:  # a serial number, not a quantity
            continue
        value = float(whole + ("." + match.group(2) if match.group(2) else ""))
        if value < 100 and _ORDINAL.match(folded, match.end()):
            continue  # "2e étage", "1er"
        unit, factor, end = _unit_after(text, match.end())
        # "32 mille": digits then a scale word.
        if factor == 1 and unit is None:
            after = re.match(r"\s+(mille|millions?)\b", folded[match.end():])
            if after:
                factor = 1000 if after.group(1) == "mille" else 1_000_000
                end = match.end() + after.end()
        first, last = _token_range(tokens, starts, match.start(), end)
        found.append(Number(value * factor, match.start(), end, unit, factor > 1,
                            whole if factor == 1 and not match.group(2) else "", first, last,
                            grouped=whole != match.group(1)))
    content = [token for token in tokens if not token.is_break]
    whole_message = len(content) <= 2
    # "taux zéro", "repartir de 0": zero is never a profile fact.
    found = [number for number in found if number.value != 0]
    words = _word_numbers(text, tokens, starts, whole_message)
    taken = [(number.start, number.end) for number in found]
    found.extend(number for number in words
                 if not any(number.start < end and number.end > start for start, end in taken))
    return sorted((number for number in found if number.value != 0),
                  key=lambda number: number.start)
