"""Where the home is, from a postal code, a town name or both (bot.geo, offline data)."""

from __future__ import annotations

import pytest

from actions.location import Ambiguous, Place, choice_buttons, resolve_place
from actions.normalise import InvalidAnswer


@pytest.mark.parametrize("text", ["80000", "80 000", "Amiens", "j'habite à Amiens",
                                  "AMIENS", "80090 Amiens", "c'est à amiens"])
def test_amiens(text):
    place = resolve_place(text)
    assert isinstance(place, Place)
    assert place.insee_code == "80021" and place.name == "Amiens"


def test_postal_code_and_town_pick_one_of_a_shared_code():
    assert resolve_place("80470", city="Dreuil-lès-Amiens") == Place("80470", "80256",
                                                                      "Dreuil-lès-Amiens")
    assert resolve_place("80470 Saveuse") == Place("80470", "80730", "Saveuse")


def test_homonyms_offer_a_choice_with_their_postal_codes():
    choice = resolve_place("Saint-Martin")
    assert isinstance(choice, Ambiguous) and choice.postal_code is None
    assert len(choice.communes) > 1
    payloads = [button["payload"] for button in choice_buttons(choice)]
    assert '/inform{"postal_code": "65360", "city": "Saint-Martin"}' in payloads


@pytest.mark.parametrize(("text", "message"), [
    ("99999", "Le code postal 99999 ne correspond à aucune commune"),
    ("Zzyzxville", "Je ne trouve aucune commune nommée « Zzyzxville »"),
    ("", "ni code postal ni nom de commune"),
    ("1234", "ni code postal ni nom de commune"),
    ("😀", "ni code postal ni nom de commune"),
])
def test_nothing_matches(text, message):
    with pytest.raises(InvalidAnswer, match=message):
        resolve_place(text)
