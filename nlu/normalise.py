"""Canonical word forms of a message: what the normalising tokenizer puts in each token's lemma.

Word counts only generalise over words seen in training. Here every token gets one canonical
form, so messages that say the same thing in other words share features:

- lower case, accents folded ("électricité" -> "electricite");
- SMS forms and abbreviations expanded ("jsp" -> "je sais pas", "cb" -> "combien");
- what the vocabulary catalogue recognises replaced by its type: "maison de 1962 au gaz" and
  "appart de 1975 au fioul" both read "ent_housing de ent_year au ent_energy" (a number by
  its role: ent_income, ent_surface, ent_count…; a negated value gets the `ent_not_` prefix).

A value spanning several tokens ("pompe à chaleur") gives its type to the first token and an
empty form to the others, so a long value counts once. Offsets are untouched: the entities
still point at what the user typed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from bot.vocabulary.extract import extract

MAX_CHARS = 2000  # only the head of a huge message is read (bounded time)

# Entity type -> placeholder word (lower case: CountVectorsFeaturizer lower-cases anyway).
PLACEHOLDERS = {
    "work_type": "ent_work",
    "heating_energy": "ent_energy",
    "housing_type": "ent_housing",
    "occupancy": "ent_occupancy",
    "dpe_class": "ent_dpe",
    "dpe_class_after": "ent_dpe_target",
    "postal_code": "ent_postcode",
    "reference_income": "ent_income",
    "total_cost_eur": "ent_cost",
    "surface_m2": "ent_surface",
    "work_quantity": "ent_quantity",
    "household_size": "ent_count",
    "construction_year": "ent_year",
    "number": "ent_number",
}

# Chat and SMS spellings (folded, one token) -> the words they stand for.
SMS_FORMS = {
    "jsp": "je sais pas", "jsais": "je sais", "chais": "je sais", "chai": "je sais",
    "che": "je sais", "chepa": "je sais pas", "chaipa": "je sais pas",
    "jpense": "je pense", "jveux": "je veux", "jvoudrais": "je voudrais",
    "cb": "combien", "cmb": "combien", "combi1": "combien",
    "svp": "s il vous plait", "stp": "s il te plait", "svpl": "s il vous plait",
    "pk": "pourquoi", "pq": "pourquoi", "pkoi": "pourquoi", "pourkoi": "pourquoi",
    "bcp": "beaucoup", "bcq": "beaucoup", "qd": "quand", "qq": "quelques", "qqch": "quelque chose",
    "qqn": "quelqu un", "tt": "tout", "tjs": "toujours", "tjrs": "toujours", "ds": "dans",
    "dc": "donc", "pr": "pour", "pcq": "parce que", "psk": "parce que",
    "msg": "message", "rdv": "rendez vous",
    "slt": "salut", "bjr": "bonjour", "bsr": "bonsoir", "cc": "coucou", "mrc": "merci",
    "mci": "merci", "thx": "merci", "dac": "d accord", "dacc": "d accord", "dak": "d accord",
    "ok": "ok", "oki": "ok", "okay": "ok", "ouai": "ouais", "ouep": "ouais", "wesh": "salut",
    "nn": "non", "nan": "non", "mdr": "mdr", "ptdr": "mdr", "jpp": "mdr", "bb": "bebe",
    "ct": "c etait", "koi": "quoi", "kel": "quel", "kelle": "quelle",
    "kels": "quels", "kelles": "quelles", "ki": "qui", "ke": "que", "jai": "j ai",
    "chui": "je suis", "chuis": "je suis", "jsuis": "je suis", "ya": "il y a", "yen": "il y en",
    "vs": "vous", "ns": "nous", "auj": "aujourd hui", "ajd": "aujourd hui", "dsl": "desole",
    "deso": "desole", "bref": "bref", "infos": "informations", "info": "information",
}


# Words of one kind -> one class word, so an insult never seen in training still reads as one.
WORD_CLASSES = {
    "w_insult": (
        "abruti", "abrutie", "idiot", "idiote", "imbecile", "cretin", "cretine", "con", "conne",
        "connard", "connasse", "debile", "stupide", "bete", "naze", "nase", "nul", "nulle",
        "nuls", "minable", "incapable", "incapables", "pourri", "pourrie", "merde", "merdique",
        "chiant", "chiante", "enfoire", "salaud", "salope", "putain", "bordel", "batard",
        "couillon", "andouille", "boulet", "mongol", "attarde", "tocard", "bouffon", "guignol",
        "glandu", "pignouf", "ringard", "inutile", "inutiles", "gueule", "degage", "fdp", "ntm",
        "pute", "chier", "foutre", "foutu", "foutue", "emmerde", "emmerdes",
    ),
    # English function words no French sentence uses: "what is this", "how are you" (not
    # "hello", "thanks", "yes": French speakers greet, thank and agree with them).
    "w_english": (
        "the", "what", "is", "this", "that", "are", "you", "your", "how", "does", "can",
        "my", "it", "of", "with", "speak", "english", "where", "who", "why", "which", "there",
        "help", "want", "have", "would",
    ),
}
_CLASS_OF = {word: name for name, words in WORD_CLASSES.items() for word in words}
# Keyboard rows and runs: "azertyuiop", "qsdfgh", "jfkdls" are not words.
_KEYBOARD = re.compile(r"azer|zert|erty|rtyu|tyui|yuio|uiop|qwer|wert|qsdf|sdfg|dfgh|fghj|"
                       r"ghjk|hjkl|jklm|asdf|wxcv|xcvb|cvbn|vbn|hjk")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")


def gibberish(word: str) -> bool:
    """A folded word of 4 letters or more that no French writer types."""
    if len(word) < 4 or not word.isalpha():
        return False
    # Not: stretched words ("bonjouuur", "ouiii") and acronyms ("rgpd", "vmc") are real.
    return bool(_KEYBOARD.search(word) or _CONSONANT_RUN.search(word) or len(set(word)) == 1
                or (len(word) >= 6 and len(set(word)) <= 2)
                or (len(word) >= 5 and not re.search(r"[aeiouy]", word)))


def fold(word: str) -> str:
    """Lower case without accents; œ -> oe, typographic apostrophes -> space."""
    word = word.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", word)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"['’‘`´]", " ", kept)


def canonical(word: str) -> str:
    """One word's canonical form (not an entity): folded, SMS form expanded."""
    folded = fold(word).strip()
    if folded and not any(c.isalnum() for c in folded):
        return "w_symbol"  # emoji, "?!", "..."
    if folded in _CLASS_OF:
        return _CLASS_OF[folded]
    if gibberish(folded):
        return "w_gibberish"
    return SMS_FORMS.get(folded, folded)


def canonical_forms(text: str, token_spans: list[tuple[int, int]],
                    spans: list[dict[str, Any]] | None = None) -> list[str]:
    """The canonical form of each token (same order); spans: catalogue entities if known."""
    if spans is None:
        spans = extract(text[:MAX_CHARS]) if isinstance(text, str) else []
    forms = [canonical(text[start:end]) for start, end in token_spans]
    for span in spans:
        placeholder = PLACEHOLDERS.get(span.get("entity", ""))
        if placeholder is None:
            continue
        if span.get("role") == "negated":
            placeholder = "ent_not_" + placeholder[4:]
        start, end = int(span.get("start") or 0), int(span.get("end") or 0)
        inside = [row for row, (token_start, token_end) in enumerate(token_spans)
                  if token_start < end and token_end > start]
        for position, row in enumerate(inside):
            forms[row] = placeholder if position == 0 else ""
    return forms
