"""Checks what the household gives for a callback: a first name, a French phone number or an
e-mail address, a time slot. Each check returns the clean value or raises ProfileError with a
French sentence; control characters (header injection: "\\r\\nBcc: …") are refused outright."""

from __future__ import annotations

import re

from bot.errors import ProfileError

_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿŒœ]+(?:[ '’\-][A-Za-zÀ-ÖØ-öø-ÿŒœ]+)*$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
                    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
SLOTS = {"matin": "le matin", "midi": "entre midi et deux", "apres-midi": "l'après-midi",
         "soir": "en fin de journée", "indifferent": "à tout moment"}
_SLOT_WORDS = [("apres-midi", ("après-midi", "apres-midi", "aprem", "après midi", "apres midi")),
               ("midi", ("midi",)), ("matin", ("matin", "matinée")),
               ("soir", ("soir", "fin de journée", "fin de journee", "après 17", "18h")),
               ("indifferent", ("indifférent", "indifferent", "peu importe", "n'importe",
                                "quand vous voulez", "tout moment"))]


def _text(value: object, label: str, longest: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ProfileError(f"{label} est vide.")
    if _CONTROL.search(value):
        raise ProfileError(f"{label} contient des caractères non autorisés.")
    text = " ".join(value.split())
    if len(text) > longest:
        raise ProfileError(f"{label} est trop long ({longest} caractères au plus).")
    return text


def check_first_name(value: object) -> str:
    name = _text(value, "Le prénom", 40)
    if not _NAME.match(name):
        raise ProfileError("Le prénom ne doit contenir que des lettres, des espaces, des "
                           "tirets ou des apostrophes.")
    return name


def check_phone(value: object) -> str:
    """A French number (mainland or overseas), given as 06 12 34 56 78, 06.12.34.56.78,
    +33 6 12 34 56 78 or 0033 6…; returned as « 06 12 34 56 78 »."""
    text = _text(value, "Le numéro de téléphone", 25)
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        raise ProfileError("Ce numéro de téléphone n'est pas un numéro français valide "
                           "(exemple : 06 12 34 56 78).")
    return " ".join(digits[i:i + 2] for i in range(0, 10, 2))


def check_email(value: object) -> str:
    text = _text(value, "L'adresse e-mail", 254)
    if not _EMAIL.match(text) or ".." in text:
        raise ProfileError("Cette adresse e-mail n'est pas valide (exemple : "
                           "prenom.nom@exemple.fr).")
    return text


def check_contact(value: object) -> tuple[str, str]:
    """("phone" | "email", clean value) from whatever the household typed."""
    text = _text(value, "Le contact", 254)
    if "@" in text:
        return "email", check_email(text)
    return "phone", check_phone(text)


def check_slot(value: object) -> str:
    """A slot code of SLOTS from free French words."""
    text = _text(value, "Le créneau", 80).lower()
    if text in SLOTS:
        return text
    for code, words in _SLOT_WORDS:
        if any(word in text for word in words):
            return code
    raise ProfileError("Je n'ai pas compris le créneau : le matin, entre midi et deux, "
                       "l'après-midi, en fin de journée, ou à tout moment ?")
