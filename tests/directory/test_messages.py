"""Chat texts built from real results of the fake data-fair server."""

from __future__ import annotations

import datetime as dt

from bot.directory.advisor import find_advisor
from bot.directory.craftsmen import find_craftsmen
from bot.directory.messages import format_advisor_message, format_craftsmen_message
from bot.profile import parse_profile

TODAY = dt.date(2026, 11, 28)


def profile(**fields):
    return parse_profile(dict(fields, date="2026-11-28"), today=TODAY)


def test_craftsmen_message_lists_the_nearest_with_distance_and_phone(fake):
    text = format_craftsmen_message(find_craftsmen(profile(postal_code="80000",
                                                           works=["air_water_heat_pump"])))
    lines = text.splitlines()
    assert lines[0] == ("Voici 4 entreprises RGE proches d'Amiens pour : "
                        "pompe à chaleur air/eau.")
    assert lines[1] == ("1. CHAUFFAGE PICARD A (Amiens, 3,6 km) – tél. 03 22 00 00 01 – "
                        "pompe à chaleur air/eau")
    assert "france-renov.gouv.fr/annuaires-professionnels" in text


def test_craftsmen_message_when_the_api_is_down(fake):
    fake.mode = "500"
    text = format_craftsmen_message(find_craftsmen(profile(postal_code="80000",
                                                           works=["windows"])))
    assert text.startswith("Je n'ai pas pu consulter l'annuaire des entreprises RGE")
    assert "https://france-renov.gouv.fr/annuaires-professionnels/artisan-rge-architectes" in text


def test_craftsmen_message_when_nobody_is_found(fake):
    fake.mode = "empty"
    text = format_craftsmen_message(find_craftsmen(profile(postal_code="80000",
                                                           works=["windows"])))
    assert text.startswith("Je n'ai trouvé aucune entreprise RGE à moins de 100 km d'Amiens "
                           "pour : remplacement des fenêtres.")


def test_advisor_message_with_a_live_desk(fake, monkeypatch):
    monkeypatch.setenv("BOT_AMIENS_DESK_NAME", "PAREO")
    text = format_advisor_message(find_advisor(profile(insee_code="80021")))
    assert text.splitlines()[:3] == [
        "Votre Espace Conseil France Rénov' pour Amiens : PAREO.",
        "Adresse : 12 rue des Conseillers, 80000 Amiens",
        "Tél. : 03 22 00 11 22",
    ]
    assert "Numéro national : 0 808 800 700." in text


def test_advisor_message_offline_amiens_says_how_to_call(hanging):
    text = format_advisor_message(find_advisor(profile(insee_code="80021")))
    assert "LAURE" in text
    assert "appelez le 0 808 800 700" in text


def test_advisor_message_national_fallback(fake):
    fake.mode = "500"
    text = format_advisor_message(find_advisor(profile(insee_code="75056")))
    assert text.startswith("Pour Paris, appelez France Rénov' au 0 808 800 700, du lundi au "
                           "vendredi")
    assert text.count("0 808 800 700") == 1


def test_of_place_elides_and_contracts():
    from bot.directory.messages import of_place
    assert [of_place(n) for n in ("Amiens", "Le Havre", "Les Ulis", "La Rochelle", "Boves",
                                  "Épinal")] == [
        "d'Amiens", "du Havre", "des Ulis", "de la Rochelle", "de Boves", "d'Épinal"]
