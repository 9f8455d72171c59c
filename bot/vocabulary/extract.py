"""Entities of a French message, from the catalogue: contract codes and numbers with roles.

`extract(text)` returns spans {entity, value, start, end, role?, confidence, text}, sorted by
position, never overlapping. Pure Python, no Rasa: the Rasa component (nlu/) wraps it.

- Categorical values (work_type, heating_energy, housing_type, occupancy) come from the
  catalogue's synonyms; a value named after "pas", "sans", "ni"… gets role "negated".
- dpe_class / dpe_class_after: a letter A–G only with a cue ("classe E", "passer en C",
  "de G à C") or alone as the whole message.
- Numbers get their entity from the words around them (catalogue `cues`): reference_income,
  total_cost_eur, surface_m2, work_quantity (role = the work), household_size,
  construction_year (role "decade" for "années 70"), postal_code (role "uncued" for a bare
  5-digit number), and `number` for a number with no cue at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from bot.vocabulary.catalogue import catalogue
from bot.vocabulary.matcher import Match, phrase_index
from bot.vocabulary.numbers import Number, find_numbers
from bot.vocabulary.text import FoldedText

MAX_CHARS = 20_000  # beyond this, only the beginning is read (bounded time)
NEGATED = "negated"
MAX_NUMBERS = 200  # a real message never holds more; the rest of a long paste is ignored
CONTEXT_WINDOW = 6  # words looked at before a value for its cues

Span = dict[str, Any]


class _Cues:
    """A group of cue phrases, indexed by their last word (cheap on long messages)."""

    def __init__(self, phrases: list[tuple[str, ...]]) -> None:
        self.by_last: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            if phrase:
                self.by_last.setdefault(phrase[-1], []).append(phrase)

    def ends(self, words: list[str], cut: int) -> bool:
        """True when a cue phrase ends at words[cut - 1]."""
        for phrase in self.by_last.get(words[cut - 1], ()):
            size = len(phrase)
            if cut >= size and tuple(words[cut - size:cut]) == phrase:
                return True
        return False


@functools.lru_cache(maxsize=64)
def _phrases(name: str) -> _Cues:
    return _Cues([tuple(cue.split()) for cue in catalogue().cues[name]])


def _contains(words: list[str], cues: _Cues) -> bool:
    return any(cues.ends(words, cut) for cut in range(len(words), 0, -1))


def _nearest(words: list[str], groups: dict[str, _Cues]) -> str | None:
    """The group whose cue ends closest to the end of `words` (words read backwards)."""
    for cut in range(len(words), 0, -1):
        for name, cues in groups.items():
            if cues.ends(words, cut):
                return name
    return None


class _Message:
    def __init__(self, text: str) -> None:
        self.text = FoldedText.of(text[:MAX_CHARS])
        self.tokens = self.text.tokens()
        self.breaks = frozenset(catalogue().cues["clause_breaks"])
        self.work_ends: dict[int, str] = {}  # last token of a work -> its code

    def before(self, index: int, size: int = CONTEXT_WINDOW, stop_at: set[int] | None = None,
               clause: bool = True) -> list[str]:
        """Up to `size` words before token `index`, stopping at punctuation (and at a clause
        word such as "mais" when `clause`)."""
        words: list[str] = []
        cursor = index - 1
        while cursor >= 0 and len(words) < size:
            token = self.tokens[cursor]
            if token.is_break or (stop_at and cursor in stop_at):
                break
            if clause and token.text in self.breaks:
                break
            words.insert(0, token.text)
            cursor -= 1
        return words

    def after(self, index: int, size: int = 4) -> list[str]:
        words: list[str] = []
        cursor = index + 1
        while cursor < len(self.tokens) and len(words) < size:
            token = self.tokens[cursor]
            if token.is_break:
                break
            words.append(token.text)
            cursor += 1
        return words

    def span(self, entity: str, value: Any, first: int, last: int, role: str | None = None,
             confidence: float = 1.0, start: int | None = None, end: int | None = None) -> Span:
        folded_start = self.tokens[first].start if start is None else start
        folded_end = self.tokens[last].end if end is None else end
        begin, finish = self.text.original_span(folded_start, folded_end)
        span: Span = {"entity": entity, "value": value, "start": begin, "end": finish,
                      "confidence": confidence, "text": self.text.original[begin:finish],
                      "_tokens": (first, last), "_folded": (folded_start, folded_end)}
        if role:
            span["role"] = role
        return span


# ---------------------------------------------------------------- categorical values

def _choose(message: _Message, match: Match) -> tuple[str, str] | None:
    """One (entity, code) for a match; a text both a work and a heating is decided by
    the words before it ("je me chauffe avec une pac" vs "je veux une pac")."""
    entries = match.entries
    entities = {entry.entity for entry in entries}
    if len(entities) > 1:
        words = message.before(match.first, size=8)
        # A plan anywhere in the clause wins ("remplacer la chaudière fioul par une pac").
        heating = not _contains(words, _phrases("work_context")) and _contains(
            words, _phrases("heating_context"))
        wanted = "heating_energy" if heating else "work_type"
        entries = tuple(entry for entry in entries if entry.entity == wanted) or entries
    entry = entries[0]
    return entry.entity, entry.code


def _categorical(message: _Message) -> list[Span]:
    words = [token for token in message.tokens if not token.is_break]
    short = len(words) <= 3
    matches = phrase_index().find(message.tokens, short)
    negation = _phrases("negation")
    ends = {match.last for match in matches}
    spans = []
    seen: set[tuple[str, str, str | None]] = set()
    for match in matches:
        chosen = _choose(message, match)
        if chosen is None:
            continue
        entity, code = chosen
        previous = message.tokens[match.first - 1].text if match.first else ""
        if previous in _POSSESSIVES and message.tokens[match.first].text in _OWNER_WORDS:
            continue  # "mon proprio", "notre bailleur": someone else, not the user
        context = message.before(match.first, size=5, stop_at=ends)
        # "ni" carries the negation of the value before it ("pas de gaz ni de fioul").
        role = NEGATED if _contains(context, negation) else None
        if entity == "occupancy" and code == "tenant" and _contains(
                message.before(match.first, size=8), _LETTING):
            code = "landlord"  # "je loue ma maison à un locataire"
        if (entity, code, role) in seen:
            continue  # "proprio… j'en suis propriétaire": one value said twice
        seen.add((entity, code, role))
        spans.append(message.span(entity, code, match.first, match.last, role,
                                  0.9 if match.fuzzy else 1.0))
    return spans


_LETTING = _Cues([("loue",), ("louons",), ("louer",), ("loues",), ("mets", "en", "location")])
_POSSESSIVES = frozenset({"mon", "ma", "notre", "son", "sa", "leur", "votre", "ton", "ta"})
_OWNER_WORDS = frozenset({"proprio", "proprios", "proprietaire", "proprietaires", "bailleur",
                          "bailleurs", "bailleuse"})


# ---------------------------------------------------------------- DPE classes

_DPE_WORD = r"(?:dpe|classee|classe|etiquette|note|lettre)\b"
_LINK = r"(?:\s+(?:energie|energetique|dpe|actuelle|actuel|est|c\s*'?\s*est|etait|en|de|du|:|=))*"
_LETTER = r"([a-g])(?![\w'’])"
_CURRENT = re.compile(rf"\b{_DPE_WORD}{_LINK}\s*[:=]?\s*{_LETTER}")
_AFTER = re.compile(r"\b(?:passer|atteindre|arriver|viser|vise|objectif|monter|remonter|obtenir|"
                    r"gagner|cible|sortir)\b(?:\s+(?:a|au|en|la|une|:|de|l))*"
                    rf"(?:\s+{_DPE_WORD})?(?:\s+(?:a|en|:))?\s*{_LETTER}")
_FROM_TO = re.compile(rf"\b(?:de|d|du|en)\s*'?\s*{_LETTER}\s*(?:a|en|vers|->|→|=>|>)\s*{_LETTER}")
_STATE = re.compile(rf"\b(?:suis|sommes|est|sont|actuellement)\s+(?:en\s+|classe\s+)?{_LETTER}")
_ALONE = re.compile(rf"^\s*(?:{_DPE_WORD}\s*)?{_LETTER}\s*[.!]?\s*$")


def _upper(message: _Message, position: int) -> bool:
    return message.text.original[message.text.origin[position]].isupper()


def _letter_span(message: _Message, entity: str, match: re.Match, group: int) -> Span:
    begin, finish = message.text.original_span(match.start(group), match.end(group))
    return {"entity": entity, "value": match.group(group).upper(), "start": begin,
            "end": finish, "confidence": 1.0, "text": message.text.original[begin:finish]}


def _dpe(message: _Message) -> list[Span]:
    folded = message.text.folded
    spans: list[Span] = []
    taken: set[int] = set()
    names_dpe = bool(re.search(rf"\b{_DPE_WORD}\b|\bpassoire", folded))

    def add(entity: str, match: re.Match, group: int) -> None:
        if match.start(group) not in taken:
            taken.add(match.start(group))
            spans.append(_letter_span(message, entity, match, group))

    for match in _FROM_TO.finditer(folded):
        # "de G à C" is an improvement; "de A à G" describes the scale.
        better = match.group(2) < match.group(1)
        if better and (names_dpe or (_upper(message, match.start(1))
                                     and _upper(message, match.start(2)))):
            add("dpe_class", match, 1)
            add("dpe_class_after", match, 2)
    for match in _AFTER.finditer(folded):
        if names_dpe or _upper(message, match.start(1)):
            add("dpe_class_after", match, 1)
    for match in _CURRENT.finditer(folded):
        cue_words = message.before(_token_at(message, match.start()), size=4)
        after_cue = _contains(cue_words, _phrases("dpe_after"))
        add("dpe_class_after" if after_cue else "dpe_class", match, 1)
    for match in _STATE.finditer(folded):
        if _upper(message, match.start(1)):
            add("dpe_class", match, 1)
    alone = _ALONE.match(folded)
    if alone:
        add("dpe_class", alone, 1)
    return spans


def _token_at(message: _Message, position: int) -> int:
    for token in message.tokens:
        if token.end > position:
            return token.index
    return len(message.tokens)


# ---------------------------------------------------------------- numbers

def _this_year() -> int:
    return dt.date.today().year


@functools.lru_cache(maxsize=1)
def _OTHER_UNITS() -> frozenset[str]:  # noqa: N802 - a cached constant
    return frozenset(catalogue().cues["other_units"])


@functools.lru_cache(maxsize=1)
def _quantities() -> dict[str, str]:
    return {value.code: value.quantity for value in catalogue().of("work_type")}


def _named_after_unit(message: _Message, number: Number) -> Span | None:
    """"80 m² de murs", "50 m2 de plancher": a word that names a work only in a short answer
    ("murs", "plancher") does so right after a quantity in m²."""
    following = message.tokens[number.last_token + 1:number.last_token + 5]
    if not following or following[0].text not in ("de", "d"):
        return None
    for match in phrase_index().find(following, True):
        if match.first == following[0].index + 1 or (
                match.first == following[0].index + 2
                and message.tokens[match.first - 1].text in ("la", "les", "l")):
            for entry in match.entries:
                if entry.entity == "work_type" and _quantities()[entry.code] == "m2":
                    return message.span("work_type", entry.code, match.first, match.last)
        break
    return None


def _work_near(message: _Message, number: Number, works: dict[int, tuple[str, int]],
               quantity: str) -> tuple[str, int] | None:
    """A work needing `quantity` named right after the number ("80 m² de combles", "8
    fenêtres") or just before it ("combles : 80 m2", "isoler les murs, 120 m2")."""
    quantities = _quantities()
    ends = message.work_ends
    for cursor in range(number.last_token + 1, min(number.last_token + 5, len(message.tokens))):
        token = message.tokens[cursor]
        if token.is_break or token.is_number:
            break
        if cursor in works and quantities[works[cursor][0]] == quantity:
            return works[cursor]
    for cursor in range(number.first_token - 1, max(number.first_token - 6, -1), -1):
        token = message.tokens[cursor]
        if token.is_number or token.text in (".", ";", "!", "?", "\n"):
            break
        code = ends.get(cursor)
        if code and quantities[code] == quantity:
            return code, cursor
    return None


def _money_role(message: _Message, number: Number) -> str | None:
    before = message.before(number.first_token, size=8, clause=False)
    after = message.after(number.last_token, size=4)
    groups = {"total_cost_eur": _phrases("total_cost_eur"),
              "reference_income": _phrases("reference_income")}
    nearest = _nearest(before, groups)
    if nearest:
        return nearest
    # "60 000 € de travaux", "32k par an": cue right after the amount.
    for size in range(1, len(after) + 1):
        for name, cues in groups.items():
            if cues.ends(after, size):
                return name
    return None


_PHONE = re.compile(r"(?<![\d,.])(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_MONTHLY = _Cues([("mois",), ("mensuel",), ("mensuels",), ("mensuellement",)])


def _names_a_tax_year(message: _Message, number: Number) -> bool:
    if number.unit or number.multiplied or len(number.digits) != 4 or \
            not 1990 <= number.value <= _this_year() + 1:
        return False
    following = message.tokens[number.last_token + 1:number.last_token + 4]
    return any(token.is_number for token in following)


def _monthly(message: _Message, number: Number) -> bool:
    around = message.before(number.first_token, size=4) + message.after(number.last_token, 4)
    return _contains(around, _MONTHLY)


def _is_postal(number: Number) -> bool:
    return len(number.digits) == 5 and not number.multiplied and number.unit is None \
        and 1 <= int(number.digits[:2]) <= 98


def _household(message: _Message, number: Number) -> str | None:
    """"on est 4", "4 personnes", "2 adultes", "3 enfants" -> a kind, else None."""
    if not number.whole or not 0 < number.value <= 30:
        return None
    after = message.after(number.last_token, size=2)
    if after and after[0] in ("enfant", "enfants", "gosses", "petits", "ados"):
        return "children"
    if after and after[0] in ("adulte", "adultes"):
        return "adults"
    if after and after[0] in ("personne", "personnes", "pers", "habitants", "occupants"):
        return "people"
    before = _without_fillers(message.before(number.first_token, size=5, clause=False))
    if _contains(before[-2:], _phrases("household_size_before")) or \
            before[-2:] in (["on", "est"], ["nous", "sommes"]):
        return "people"
    return None


def _without_fillers(words: list[str]) -> list[str]:
    """The words before a number without the fillers at their end ("on est donc" -> "on est")."""
    fillers = _phrases("household_filler")
    while words and fillers.ends(words, len(words)):
        words = words[:len(words) - _ends_length(words, fillers)]
    return words


def _ends_length(words: list[str], cues: _Cues) -> int:
    """How many of the last words make the longest cue they end with."""
    return max((len(phrase) for phrase in cues.by_last.get(words[-1], ())
                if tuple(words[-len(phrase):]) == phrase), default=0)


def _year(message: _Message, number: Number) -> Span | None:
    before = message.before(number.first_token, size=3)
    if before and before[-1] in ("annee", "annees") and not number.multiplied:
        # "années 70", "années 1970", "années soixante-dix": the middle of the decade.
        decade = int(number.value)
        if decade < 100 and decade % 10 == 0:
            decade += 1900 if decade > _this_year() % 100 - 10 else 2000
        if decade % 10 == 0 and 1700 <= decade <= _this_year():
            return message.span("construction_year", decade + 5, number.first_token,
                                number.last_token, "decade", start=number.start,
                                end=number.end)
    if len(number.digits) == 2 and len(before) >= 2 and before[-1] in ("en", "de") and \
            before[-2] in ("construit", "construite", "construction", "datant", "date", "bati",
                           "batie"):
        # "construite en 75": the century is the one that puts the year in the past.
        year = int(number.value) + (2000 if number.value <= _this_year() % 100 else 1900)
        return message.span("construction_year", year, number.first_token, number.last_token,
                            start=number.start, end=number.end)
    if not number.whole or number.multiplied or number.unit or \
            not 1500 <= number.value <= _this_year() or (number.digits and
                                                         len(number.digits) != 4):
        return None
    if before and before[-1] in ("avant",):
        return message.span("construction_year", int(number.value) - 1, number.first_token,
                            number.last_token, "before", start=number.start, end=number.end)
    wider = message.before(number.first_token, size=5)
    # "isolé les combles en 2010" dates the works, not the home.
    after_work = any(index in message.work_ends
                     for index in range(max(number.first_token - 6, 0), number.first_token))
    right_before = bool(before) and not after_work and _phrases("construction_year").ends(
        before, len(before))
    if right_before or _contains(wider, _phrases("construction_year_words")) or \
            any(word in ("maison", "appartement", "logement", "pavillon", "immeuble")
                for word in before):
        return message.span("construction_year", int(number.value), number.first_token,
                            number.last_token, start=number.start, end=number.end)
    return None


def _is_a_year(number: Number) -> bool:
    return number.whole and not number.multiplied and not number.unit and \
        len(number.digits) == 4 and 1700 <= number.value <= _this_year() + 1


def _dates_something_else(message: _Message, number: Number) -> bool:
    if number.value >= _this_year():
        return True  # "encore en 2026": now, not the age of a home
    return _contains(message.before(number.first_token, size=4),
                     _phrases("year_of_something_else"))


def _between_breaks(message: _Message, number: Number) -> bool:
    """The number is a clause of its own: ", 1958," or at an end of the message."""
    return _token_between_breaks(message, number.first_token, number.last_token)


def _token_between_breaks(message: _Message, first: int, last: int | None = None) -> bool:
    before, after = first - 1, (first if last is None else last) + 1
    return (before < 0 or message.tokens[before].is_break) and \
        (after >= len(message.tokens) or message.tokens[after].is_break)


def _is_rate(message: _Message, number: Number) -> bool:
    if number.unit:
        return False
    if message.text.folded[number.end:number.end + 3].lstrip().startswith("%"):
        return True
    return _contains(message.before(number.first_token, size=3), _phrases("rate"))


def _postal_cued(message: _Message, number: Number) -> bool:
    before = message.before(number.first_token, size=5)
    if _contains(before, _phrases("postal_code")):
        return True
    # "Amiens (80000)": a capitalised word just before the bracket.
    if number.first_token >= 2 and message.tokens[number.first_token - 1].text == "(":
        previous = message.tokens[number.first_token - 2]
        if previous.is_word and _upper(message, previous.start):
            return True
    # "80000 Amiens": a capitalised word right after.
    if number.last_token + 1 < len(message.tokens):
        following = message.tokens[number.last_token + 1]
        if following.is_word and _upper(message, following.start):
            return True
    return _commune_named_next_to(message, number)


# Words of commune names too common to name one ("Saint-Valery-sur-Somme": "valery" names it).
# (normalize_name already writes "St" as "saint").
_NAME_GLUE = frozenset({"sur", "sous", "en", "le", "la", "les", "de", "du", "des", "d", "l",
                        "saint", "sainte", "saints", "saintes", "aux", "au", "et"})


def _commune_named_next_to(message: _Message, number: Number) -> bool:
    """"albert 80300", "Lille, 59000": a word of a commune of that postal code next to it."""
    from bot.geo.normalize import normalize_name
    from bot.geo.search import communes_by_postal_code

    names = {word for commune in communes_by_postal_code(number.digits)
             for word in normalize_name(commune.name).split()} - _NAME_GLUE
    if not names:
        return False
    near = [*message.tokens[max(number.first_token - 3, 0):number.first_token],
            *message.tokens[number.last_token + 1:number.last_token + 4]]
    return any(token.is_word and token.text in names for token in near)


def _numbers(message: _Message, works: dict[int, tuple[str, int]], taken: list[tuple[int, int]],
             spans_out: list[Span]) -> None:
    covered = bytearray(len(message.text.folded) + 1)
    for start, end in taken:
        covered[start:end] = b"\x01" * (end - start)
    for phone in _PHONE.finditer(message.text.folded):  # "06 12 34 56 78": not a quantity
        covered[phone.start():phone.end()] = b"\x01" * (phone.end() - phone.start())
    numbers = [number for number in find_numbers(message.text, message.tokens)[:MAX_NUMBERS]
               if not any(covered[number.start:number.end])]
    household: list[tuple[str, Number]] = []
    for number in numbers:
        value: float | int = int(number.value) if number.whole else round(number.value, 2)

        def emit(entity: str, role: str | None = None, shown: Any = value,
                 number: Number = number) -> None:
            spans_out.append(message.span(entity, shown, number.first_token, number.last_token,
                                          role, start=number.start, end=number.end))

        if _is_rate(message, number):
            continue  # "TVA à 5,5 %", "un taux de 10": a rate, not a fact of the home
        if number.unit == "m2":
            if _contains(message.before(number.first_token, size=4),
                         _phrases("dwelling_surface")) \
                    and _named_after_unit(message, number) is None:
                emit("surface_m2")  # "appart de 75 m2", a work named nearby or not
                continue
            work = _work_near(message, number, works, "m2")
            named = None if work else _named_after_unit(message, number)
            if named and not any(covered[named["_folded"][0]:named["_folded"][1]]):
                spans_out.append(named)
                work = (named["value"], named["_tokens"][1])
            if work:
                emit("work_quantity", work[0])
            else:
                emit("surface_m2")
            continue
        if number.whole and 0 < number.value <= 200:
            work = _work_near(message, number, works, "count")
            if work and work[1] > number.last_token:
                emit("work_quantity", work[0])
                continue
            if number.value == 1 and number.last_token + 1 in works:
                continue  # "je veux 1 pac": SMS for the article "une"
        following = message.after(number.last_token, size=1)
        if not number.unit and following and following[0] in _OTHER_UNITS():
            continue  # "2500 l de fioul par an", "une chaudière de 15 ans", "3 chambres"
        if _is_postal(number) and _contains(message.before(number.first_token, size=2),
                                            _phrases("postal_code_named")):
            emit("postal_code", None, number.digits)  # "code postal 80290", even after "revenus"
            continue
        kind = _household(message, number)
        if kind:
            household.append((kind, number))
            continue
        if _is_a_year(number) and _dates_something_else(message, number):
            continue  # "chaudière gaz de 2005", "achetée en 2021": not when the home was built
        year = _year(message, number)
        if year:
            spans_out.append(year)
            continue
        if taken and _is_a_year(number) and number.value < _this_year() and \
                _between_breaks(message, number):
            emit("construction_year")  # "maison, 1970, fioul": a year among facts of the home
            continue
        role = _money_role(message, number)
        if role and _names_a_tax_year(message, number):
            continue  # "rfr 2023 : 51 000": 2023 is the year of the tax notice
        if role and (number.unit == "eur" or number.multiplied or number.value >= 100):
            # The RFR is yearly: a monthly pay is counted over 12 months, role "monthly" says
            # so (the dialogue can confirm it rather than take 2 000 € for a year's income).
            if role == "reference_income" and _monthly(message, number):
                emit(role, "monthly", round(value * 12))
            else:
                emit(role)
            continue
        if number.unit == "eur":
            emit("number")  # an amount with no word saying whose: the question decides
            continue
        surface_before = message.before(number.first_token, size=3)
        if _contains(surface_before, _phrases("surface_m2")) and 9 <= number.value <= 2000:
            emit("surface_m2")
            continue
        if _is_postal(number):
            cued = _postal_cued(message, number)
            if cued or not number.grouped:  # "80 000" alone is an amount, not a place
                emit("postal_code", None if cued else "uncued", number.digits)
                continue
        emit("number")
    spans_out.extend(_household_spans(message, household))


def _household_spans(message: _Message, found: list[tuple[str, Number]]) -> list[Span]:
    """One household_size: people, or adults + children ("2 adultes et 3 enfants" -> 5,
    "en couple avec 2 enfants" -> 4); children alone count alone (adults only if stated)."""
    if not found:
        return []
    kinds = {kind: number for kind, number in found}
    first = min(number.first_token for _, number in found)
    last = max(number.last_token for _, number in found)
    start = min(number.start for _, number in found)
    end = max(number.end for _, number in found)
    if "people" in kinds:
        number = kinds["people"]
        size = int(number.value)
        children = kinds.get("children")
        between = message.tokens[number.last_token + 1:children.first_token] if children else []
        if children and children.first_token > number.last_token and all(
                token.text in ("plus", "et", "avec", "puis") for token in between):
            # "nous sommes 2 + 1 enfant", "on est deux plus trois enfants"
            size += int(children.value)
            return [message.span("household_size", size, number.first_token,
                                 children.last_token, start=number.start, end=children.end)]
        return [message.span("household_size", size, number.first_token,
                             number.last_token, start=number.start, end=number.end)]
    adults = int(kinds["adults"].value) if "adults" in kinds else _stated_adults(message)
    children = int(kinds["children"].value) if "children" in kinds else 0
    if adults is None:
        adults = 0
    return [message.span("household_size", adults + children, first, last,
                         start=start, end=end)]


def _stated_adults(message: _Message) -> int | None:
    words = [token.text for token in message.tokens if not token.is_break]
    if _contains(words, _phrases("household_couple")):
        return 2
    if _contains(words, _phrases("household_alone")):
        return 1
    return None


def _household_words(message: _Message, spans: list[Span]) -> list[Span]:
    """"je vis seul" -> 1, "en couple" -> 2, when no number said the size."""
    if any(span["entity"] == "household_size" for span in spans):
        return []
    words = [token for token in message.tokens if not token.is_break]
    texts = [token.text for token in words]
    for size, name in ((2, "household_couple"), (1, "household_alone")):
        phrases = [phrase for group in _phrases(name).by_last.values() for phrase in group]
        for phrase in sorted(phrases, key=len, reverse=True):
            for start in range(len(texts) - len(phrase) + 1):
                if tuple(texts[start:start + len(phrase)]) != phrase:
                    continue
                if phrase in (("seul",), ("seule",)) and not _alone_is_household(texts, start) \
                        and not _token_between_breaks(message, words[start].index):
                    continue  # ", seule," among the facts of the home is the household
                return [message.span("household_size", size, words[start].index,
                                     words[start + len(phrase) - 1].index)]
    return []


def _alone_is_household(texts: list[str], position: int) -> bool:
    # "seul" is about the household in "je vis seul", "seul" (whole answer), not in
    # "un seul devis" or "la seule fenêtre".
    following = texts[position + 1] if position + 1 < len(texts) else ""
    return len(texts) <= 2 or following in ("", "dans", "chez", "avec", "au", "a") or (
        position > 0 and texts[position - 1] in (
            "vis", "suis", "habite", "vit", "tout", "toute", "personne"))


# ---------------------------------------------------------------- all together

def extract(text: object) -> list[Span]:
    """All entities of a message, sorted by position. Never raises on odd input."""
    if not isinstance(text, str) or not text.strip():
        return []
    # The NLU pipeline reads each message three times (canonical forms, cues, entities):
    # the last messages are remembered; every caller gets its own copies of the spans.
    return [dict(span) for span in _extract_remembered(text, _this_year())]


@functools.lru_cache(maxsize=32)
def _extract_remembered(text: str, year: int) -> tuple[Span, ...]:
    """extract() of one text; `year` is in the key only so that a new year reads afresh."""
    return tuple(_extract(text))


def _extract(text: str) -> list[Span]:
    message = _Message(text)
    spans = _categorical(message)
    spans.extend(_dpe(message))
    works = {span["_tokens"][0]: (span["value"], span["_tokens"][1]) for span in spans
             if span["entity"] == "work_type"}
    message.work_ends = {last: code for code, last in works.values()}
    taken = [span["_folded"] for span in spans if "_folded" in span]
    _numbers(message, works, taken, spans)
    spans.extend(_household_words(message, spans))
    kept: list[Span] = []
    for span in sorted(spans, key=lambda span: (span["start"], -span["end"])):
        span.pop("_tokens", None)
        span.pop("_folded", None)
        # One character can fold to several ("¼" -> "1⁄4"): never two spans on it.
        if kept and span["start"] < kept[-1]["end"] and not span["entity"].startswith("dpe"):
            continue
        kept.append(span)
    return kept


def entity_values(text: object, entity: str, include_negated: bool = False) -> list[Any]:
    """The values of one entity in a text, in order (negated ones left out by default)."""
    return [span["value"] for span in extract(text) if span["entity"] == entity
            and (include_negated or span.get("role") != NEGATED)]
