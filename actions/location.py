"""Reads "where the home is" from a postal code, a town name, or both, through `bot.geo`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from actions.normalise import InvalidAnswer, find_postal_code, fold
from bot.geo import Commune, find_communes

MAX_NAME_CHARS = 80
# The territory whose communes come first when a name is shared (department codes, comma
# separated): the Somme unless HOME_DEPARTMENTS says otherwise.
HOME_DEPARTMENTS_ENV = "HOME_DEPARTMENTS"
DEFAULT_HOME_DEPARTMENTS = "80"
MAX_CHOICES = 8
# Words around a town name in an answer such as "j'habite à Amiens".
_PREFIX = re.compile(
    r"^(?:(?:j.habite|je vis|je suis|on habite|nous habitons|nous vivons|c.est|le logement est|"
    r"la maison est|l.appartement est|ma maison est|situe|commune de|ville de|code postal)"
    r"\s*)+(?:a|au|aux|en|sur|dans|de|:)?\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Place:
    postal_code: str
    insee_code: str
    name: str


@dataclass(frozen=True)
class Ambiguous:
    """Several communes match: the user chooses among them."""

    communes: tuple[Commune, ...]
    postal_code: str | None


def _town_name(text: str) -> str:
    name = re.sub(r"(?<!\d)\d{2}\s?\d{3}(?!\d)", " ", text).strip(" ,.;!?-")
    folded = fold(name)
    match = _PREFIX.match(folded)
    if match:
        name = name[match.end():]
    return name.strip(" ,.;!?-«»\"'")


def resolve_place(text: str, city: str | None = None) -> Place | Ambiguous:
    """A Place, an Ambiguous choice, or InvalidAnswer (French) when nothing matches."""
    text = (text or "").strip()
    code = find_postal_code(text)
    name = (city or "").strip() or _town_name(text)
    if len(name) > MAX_NAME_CHARS:
        name = ""
    if code:
        communes = find_communes(postal_code=code)
        if not communes:
            raise InvalidAnswer(f"Le code postal {code} ne correspond à aucune commune. "
                                "Vérifiez-le, ou indiquez le nom de votre commune.")
        if name and len(communes) > 1:
            named = find_communes(postal_code=code, name=name)
            if len(named) == 1:
                communes = named
        if len(communes) == 1:
            return Place(code, communes[0].insee_code, communes[0].name)
        return Ambiguous(tuple(communes), code)
    if not name or not re.search(r"[a-zA-ZÀ-ÿ]", name):
        raise InvalidAnswer("Je n'ai trouvé ni code postal ni nom de commune. Indiquez le code "
                            "postal du logement (par exemple « 80000 ») ou sa commune.")
    communes = find_communes(name=name)
    if not communes:
        raise InvalidAnswer(f"Je ne trouve aucune commune nommée « {name[:40]} ». Vérifiez "
                            "l'orthographe, ou donnez le code postal (par exemple « 80000 »).")
    if len(communes) == 1:
        commune = communes[0]
        return Place(commune.postal_codes[0] if commune.postal_codes else "", commune.insee_code,
                     commune.name)
    return Ambiguous(tuple(communes), None)


def choice_buttons(choice: Ambiguous) -> list[dict[str, str]]:
    """One button per commune; its payload sets both the postal code and the town name."""
    buttons = []
    for commune in choice.communes[:MAX_CHOICES]:
        code = choice.postal_code or (commune.postal_codes[0] if commune.postal_codes else "")
        if not code:
            continue
        payload = ('/inform{"postal_code": "' + code + '", "city": "'
                   + commune.name.replace('"', "") + '"}')
        buttons.append({"title": button_title(commune.name, code), "payload": payload})
    return buttons


MAX_TITLE_CHARS = 20  # Messenger quick replies cut longer titles


def button_title(name: str, code: str) -> str:
    """"Longueau (80330)", or a shorter form that still fits in 20 characters."""
    for title in (f"{name} ({code})", name,
                  name.replace("Saint-", "St-").replace("Sainte-", "Ste-")):
        if len(title) <= MAX_TITLE_CHARS:
            return title
    return name


def choice_message(choice: Ambiguous) -> str:
    if choice.postal_code:
        return (f"Plusieurs communes ont le code postal {choice.postal_code}. "
                "Laquelle est la vôtre ?")
    return "Plusieurs communes portent ce nom. Laquelle est la vôtre ?"


def home_departments() -> frozenset[str]:
    raw = os.environ.get(HOME_DEPARTMENTS_ENV, DEFAULT_HOME_DEPARTMENTS)
    return frozenset(part.strip() for part in raw.split(",") if part.strip())
