"""Turns what a user typed (or what the NLU extracted) into profile values.

Every parser returns a clean value or raises `InvalidAnswer` whose message is a French
sentence shown to the user as it is, ending with an example of an accepted answer.
Parsers accept both free text ("cent vingt m2") and entity values already mapped to
codes by the NLU ("fuel_oil"), so they are idempotent on their own output.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from price_parser import Price
from text_to_num import alpha2digit

from bot.profile import (
    COUNT_RANGE,
    DPE_CLASSES,
    EARLIEST_CONSTRUCTION_YEAR,
    HOUSEHOLD_SIZE_RANGE,
    INCOME_RANGE,
    SURFACE_RANGE,
    WORK_SURFACE_RANGE,
    WORK_TYPES,
)
from bot.vocabulary import catalogue
from bot.vocabulary.extract import NEGATED, extract

# A longer answer is not an answer to a form question: don't try to read numbers in it.
MAX_ANSWER_CHARS = 300
DPE_UNKNOWN = "unknown"


class InvalidAnswer(ValueError):
    """The answer cannot be used; the message (French) says why and how to answer."""


def fold(text: str) -> str:
    """Lower case without accents, for keyword matching ("Électricité" -> "electricite")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _text(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format(value, "g") if isinstance(value, float) else str(value)
    if isinstance(value, list):  # an entity found twice arrives as a list
        value = " ".join(str(item) for item in value)
    if not isinstance(value, str):
        return ""
    return value.strip()


def _digits_text(text: str) -> str:
    """Numbers written in words become digits ("cent vingt" -> "120")."""
    try:
        return alpha2digit(text, "fr", threshold=0)
    except Exception:  # text2num may choke on odd input; the digits already there still count
        return text


# "32 000", "1.200", "120,5": thousands separated by a space/dot, decimal comma.
_NUMBER = re.compile(r"(?<![\d,.])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)(?:,(\d+))?(?![\d])")


def numbers_in(text: str) -> list[float]:
    """All numbers in a French text, words included, in order of appearance."""
    found = []
    for match in _NUMBER.finditer(_digits_text(text)):
        whole = re.sub(r"[ \u00a0\u202f.]", "", match.group(1))
        number = float(whole + ("." + match.group(2) if match.group(2) else ""))
        found.append(number)
    return found


def _too_long(text: str) -> None:
    if len(text) > MAX_ANSWER_CHARS:
        raise InvalidAnswer("Votre message est trop long pour que j'y trouve la réponse : "
                            "répondez en quelques mots, s'il vous plaît.")


def _format_number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f") if value == int(value) else f"{value:g}"


def parse_surface(value: object) -> float:
    """Living area in m²: "120", "120 m2", "120m²", "cent vingt mètres carrés"."""
    text = _text(value)
    _too_long(text)
    numbers = numbers_in(text)
    example = "Indiquez la surface habitable en m², par exemple « 95 m2 »."
    if not numbers:
        raise InvalidAnswer("Je n'ai pas trouvé de surface dans votre réponse. " + example)
    surface = numbers[0]
    low, high = SURFACE_RANGE
    if surface < low:
        raise InvalidAnswer(f"Une surface de {_format_number(surface)} m² paraît trop petite "
                            f"pour un logement (au moins {low} m²). " + example)
    if surface > high:
        raise InvalidAnswer(f"Une surface de {_format_number(surface)} m² paraît trop grande "
                            f"pour un logement (au plus {high} m²). " + example)
    return round(surface, 1)


def parse_work_surface(value: object) -> float:
    """Area of one work in m² ("80 m2 de combles")."""
    text = _text(value)
    _too_long(text)
    numbers = numbers_in(text)
    example = "Indiquez la surface à isoler en m², par exemple « 80 m2 »."
    if not numbers:
        raise InvalidAnswer("Je n'ai pas trouvé de surface dans votre réponse. " + example)
    low, high = WORK_SURFACE_RANGE
    if not low <= numbers[0] <= high:
        raise InvalidAnswer(f"Une surface de {_format_number(numbers[0])} m² n'est pas "
                            f"plausible pour ces travaux (entre {low:g} et {high:g} m²). "
                            + example)
    return round(numbers[0], 1)


def parse_count(value: object) -> int:
    """A number of windows or units ("8", "huit fenêtres")."""
    text = _text(value)
    _too_long(text)
    numbers = numbers_in(text)
    example = "Indiquez un nombre, par exemple « 8 »."
    if not numbers:
        raise InvalidAnswer("Je n'ai pas trouvé de nombre dans votre réponse. " + example)
    low, high = COUNT_RANGE
    count = numbers[0]
    if count != int(count) or not low <= count <= high:
        raise InvalidAnswer(f"{_format_number(count)} n'est pas un nombre plausible "
                            f"(entre {low} et {high}). " + example)
    return int(count)


# "années 70", "années 1970", "les seventies" are decades: we keep the middle of the
# decade (1975), which puts the home in the right thermal-regulation period as often as
# any other guess and is said to the user.
_DECADE = re.compile(r"\bannees?\s*(\d{2}|\d{4})\b")
_BEFORE = re.compile(r"\b(?:avant|anterieur[e]?\s+a)\s+(\d{4})\b")


def has_decade(text: str) -> bool:
    """True when the text names a decade ("années 70", "les années soixante-dix")."""
    return bool(_DECADE.search(_digits_text(fold(text or ""))))


def parse_construction_year(value: object, today: dt.date | None = None) -> tuple[int, str]:
    """Returns (year, French note) — the note says how a decade was read, else ""."""
    today = today or dt.date.today()
    text = _text(value)
    _too_long(text)
    folded = _digits_text(fold(text))
    example = "Indiquez l'année de construction, par exemple « 1975 » ou « années 70 »."
    note = ""
    decade = _DECADE.search(folded)
    before = _BEFORE.search(folded)
    if decade:
        number = int(decade.group(1))
        if number < 100:
            if number % 10:
                raise InvalidAnswer(f"« années {number} » n'est pas une décennie. " + example)
            number += 2000 if number <= today.year % 100 - 10 else 1900
        if number % 10:
            raise InvalidAnswer(f"« années {number} » n'est pas une décennie. " + example)
        year = number + 5
        note = (f"J'ai retenu {year}, le milieu des années {number} ; "
                f"donnez l'année exacte si vous la connaissez.")
    elif before:
        year = int(before.group(1)) - 1
        note = f"J'ai retenu {year} (construit avant {year + 1})."
    else:
        candidates = [int(n) for n in numbers_in(folded) if n == int(n)]
        if not candidates:
            raise InvalidAnswer("Je n'ai pas trouvé d'année dans votre réponse. " + example)
        year = candidates[0]
        if year < 100:  # "en 75" -> 1975; "en 05" -> 2005
            year += 2000 if year <= today.year % 100 else 1900
    if year > today.year:
        raise InvalidAnswer(f"L'année {year} est dans le futur : j'ai besoin de l'année où le "
                            f"logement a été construit. " + example)
    if year < EARLIEST_CONSTRUCTION_YEAR:
        raise InvalidAnswer(f"L'année {year} paraît trop ancienne (avant "
                            f"{EARLIEST_CONSTRUCTION_YEAR}). " + example)
    return year, note


def _cue_pattern(name: str) -> re.Pattern:
    """A regex of one cue list of the vocabulary catalogue (folded words)."""
    words = sorted(catalogue().cues[name], key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(word) for word in words) + r")\b")


_ALONE = _cue_pattern("household_alone")
_COUPLE = _cue_pattern("household_couple")


def parse_household_size(value: object) -> int:
    """Number of people in the household: "4", "quatre", "nous sommes 4", "seul"."""
    text = _text(value)
    _too_long(text)
    example = "Indiquez le nombre de personnes du foyer, par exemple « 3 »."
    numbers = numbers_in(text)
    folded = fold(text)
    if not numbers:
        if _ALONE.search(folded):
            return 1
        if _COUPLE.search(folded):
            return 2
        raise InvalidAnswer("Je n'ai pas trouvé de nombre de personnes. " + example)
    size = numbers[0]
    if re.search(r"adulte", folded) and re.search(r"enfant", folded) and len(numbers) == 2:
        size = numbers[0] + numbers[1]  # "2 adultes et 3 enfants"
    low, high = HOUSEHOLD_SIZE_RANGE
    if size != int(size):
        raise InvalidAnswer("Le nombre de personnes doit être un nombre entier. " + example)
    if size < low:
        raise InvalidAnswer("Un foyer compte au moins une personne. " + example)
    if size > high:
        raise InvalidAnswer(f"{int(size)} personnes dans un même foyer, cela paraît beaucoup "
                            f"(au plus {high}). " + example)
    return int(size)


_THOUSANDS = re.compile(r"(\d+(?:[.,]\d+)?)\s*k\b|(\d+(?:[.,]\d+)?)\s*k(?=€|e)", re.IGNORECASE)


def _read_amount(text: str, example: str) -> float:
    """An amount in euros written in digits or words: "32 000 €", "32k", "1,2 k€"."""
    digits = _digits_text(text)
    amount: Decimal | None = None
    thousands = _THOUSANDS.search(digits)
    if thousands:
        with_decimal = (thousands.group(1) or thousands.group(2)).replace(",", ".")
        try:
            amount = Decimal(with_decimal) * 1000
        except InvalidOperation:
            amount = None
    if amount is None:
        amount = Price.fromstring(digits).amount
    if amount is None:
        raise InvalidAnswer("Je n'ai pas trouvé de montant dans votre réponse. " + example)
    return float(amount)


def parse_income(value: object) -> float:
    """Revenu fiscal de référence in euros: "32 000 €", "32k", "trente-deux mille euros"."""
    text = _text(value)
    _too_long(text)
    example = ("Indiquez le revenu fiscal de référence du foyer (en euros par an, sur votre "
               "avis d'impôt), par exemple « 32 000 € ».")
    income = _read_amount(text, example)
    low, high = INCOME_RANGE
    if income < low or income > high:
        raise InvalidAnswer(f"Un revenu de {_format_number(income)} € n'est pas plausible. "
                            + example)
    if 0 < income < 100:
        raise InvalidAnswer(f"{_format_number(income)} € par an paraît trop faible : "
                            "s'agit-il de milliers d'euros ? " + example)
    return round(income)


_POSTAL = re.compile(r"(?<!\d)(\d{2})\s?(\d{3})(?!\d)")


def find_postal_code(value: object) -> str | None:
    """A five-digit postal code in the text ("80000", "80 000"), else None."""
    match = _POSTAL.search(_text(value))
    return match.group(1) + match.group(2) if match else None


def _catalogue_choice(value: object, entity: str, example: str, what: str) -> str:
    """The first value of `entity` the vocabulary catalogue finds in the answer (a negated
    one, "pas de gaz", does not count)."""
    text = _text(value)
    _too_long(text)
    codes = catalogue().codes(entity)
    if text in codes:
        return text
    for span in extract(text):
        if span["entity"] == entity and span.get("role") != NEGATED:
            return span["value"]
    raise InvalidAnswer(f"Je n'ai pas reconnu {what} dans votre réponse. " + example)


def parse_housing_type(value: object) -> str:
    return _catalogue_choice(value, "housing_type", "Répondez « maison » ou « appartement ».",
                             "le type de logement")


def parse_occupancy(value: object) -> str:
    return _catalogue_choice(
        value, "occupancy",
        "Répondez par exemple « propriétaire occupant », « propriétaire bailleur », "
        "« locataire » ou « résidence secondaire ».", "votre statut d'occupation",
    )


_HEATING_EXAMPLE = ("Répondez par exemple « gaz », « fioul », « électricité », « bois », "
                    "« granulés », « pompe à chaleur » ou « réseau de chaleur ».")


def parse_heating_energy(value: object) -> str:
    """The current heating energy. Equipment named as a work ("une PAC", "poêle à granulés",
    or its work code from the NLU) means the energy it uses (catalogue `energy`)."""
    text = _text(value)
    energies = {item.code: item.energy for item in catalogue().of("work_type") if item.energy}
    if text in energies:
        return energies[text]
    try:
        return _catalogue_choice(value, "heating_energy", _HEATING_EXAMPLE,
                                 "l'énergie de chauffage")
    except InvalidAnswer:
        for span in extract(text):
            if span["entity"] == "work_type" and span.get("role") != NEGATED \
                    and span["value"] in energies:
                return energies[span["value"]]
        raise


_UNKNOWN = re.compile(r"sais pas|sait pas|inconnu|aucune idee|pas de dpe|pas fait|ignore|"
                      r"^non\b|je ne (le )?connais pas|pas sur")
_DPE_LETTER = re.compile(r"(?:^|[\s«\"'(:])([a-g])(?=$|[\s»\".,!)])", re.IGNORECASE)


def parse_dpe_class(value: object) -> str:
    """DPE letter A–G, or DPE_UNKNOWN when the user does not know it."""
    text = _text(value)
    _too_long(text)
    if text.upper() in DPE_CLASSES:
        return text.upper()
    if text == DPE_UNKNOWN or _UNKNOWN.search(fold(text)):
        return DPE_UNKNOWN
    # "classe E", "étiquette F", "E" — but not the "a" of "j'ai a peu près".
    folded = fold(text)
    labelled = re.search(r"(?:classe|etiquette|dpe|lettre|note)\s*(?:est\s*|:\s*)?([a-g])\b",
                         folded)
    if labelled:
        return labelled.group(1).upper()
    letters = {match.group(1).upper() for match in _DPE_LETTER.finditer(text)
               if match.group(1).isupper() or len(text) <= 3}
    if len(letters) == 1:
        return letters.pop()
    raise InvalidAnswer("Je n'ai pas reconnu de classe DPE. Répondez par une lettre de A à G, "
                        "ou « je ne sais pas ».")


def _work_patterns() -> list[tuple[str, str]]:
    """(regex on folded text, work code) for every way the catalogue names a work, longest
    first (kept for callers that scan raw text, e.g. for negated works)."""
    pairs = []
    for item in catalogue().of("work_type"):
        for text in item.synonyms + item.alone:
            words = re.findall(r"[a-z0-9]+", fold(text))
            if words:
                pattern = r"\b" + r"[\s'’-]*".join(map(re.escape, words)) + r"s?\b"
                pairs.append((pattern, item.code))
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


_WORKS = _work_patterns()


def parse_works(value: object) -> list[str]:
    """Planned works as codes, in the order given, without duplicates (negated ones, "pas
    les fenêtres", left out)."""
    items = value if isinstance(value, list) else [value]
    codes: list[str] = []
    for item in items:
        text = _text(item)
        _too_long(text)
        if text in WORK_TYPES:
            found = [text]
        else:
            found = [span["value"] for span in extract(text)
                     if span["entity"] == "work_type" and span.get("role") != NEGATED]
        codes.extend(code for code in found if code not in codes)
    if not codes:
        raise InvalidAnswer("Je n'ai pas reconnu de travaux. Dites par exemple « isolation des "
                            "combles », « pompe à chaleur » ou « fenêtres », ou choisissez "
                            "ci-dessous.")
    return codes


# Words that tie a number to one question whatever was asked ("150 m2" is a surface even
# when the form asked for the income): the user is correcting an earlier answer.
_SLOT_HINTS = [
    (re.compile(r"\d\s*(m2|m²|m 2|metres? carres?|mq)\b|\bm²"), "surface_m2"),
    (re.compile(r"€|\beuros?\b|\d\s*k\b|revenu"), "reference_income"),
    (re.compile(r"\d\s*(personnes?|habitants?|adultes?)\b"), "household_size"),
    (re.compile(r"\bannees?\s*\d|construit|construction|\bbati\b|\bdate de\b"),
     "construction_year"),
]


def slot_hint(text: str) -> str | None:
    """The profile slot a short answer clearly belongs to, from its unit words, else None."""
    folded = _digits_text(fold(text or ""))
    hits = {slot for pattern, slot in _SLOT_HINTS if pattern.search(folded)}
    return hits.pop() if len(hits) == 1 else None


# --- Added by the dialogue side (issue 11) ---------------------------------------------

def parse_cost(value: object) -> float:
    """Total cost of the works, in euros HT: "60 000 €", "60k", "soixante mille euros"."""
    text = _text(value)
    _too_long(text)
    example = "Indiquez le coût total des travaux hors taxes, par exemple « 45 000 € »."
    cost = _read_amount(text, example)
    from bot.profile import COST_RANGE  # the profile's own bounds

    if not COST_RANGE[0] < cost <= COST_RANGE[1]:
        raise InvalidAnswer(f"Un coût de {_format_number(cost)} € n'est pas plausible. "
                            + example)
    return round(cost)


def parse_target_class(value: object) -> str:
    """The DPE class aimed at after the works (A–G); "unknown" is not a target."""
    target = parse_dpe_class(value)
    if target == DPE_UNKNOWN:
        raise InvalidAnswer("Je n'ai pas reconnu de classe visée. Répondez par une lettre de "
                            "A à G, par exemple « C ».")
    return target


_APPROXIMATE = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100,
}


def approximate_numbers(text: str) -> str:
    """"une centaine de m2" -> "100 de m2", "deux centaines" -> "200": an approximate
    quantity is read as its round number."""
    def replace(match: re.Match) -> str:
        count = {"une": 1, "un": 1, "deux": 2, "trois": 3, "quelques": 1}.get(
            fold(match.group(1) or "une"), 1)
        return str(count * _APPROXIMATE[fold(match.group(2))])

    pattern = r"\b(?:(une?|deux|trois|quelques)\s+)?(" + "|".join(_APPROXIMATE) + r")s?\b"
    return re.sub(pattern, replace, text or "", flags=re.IGNORECASE)
