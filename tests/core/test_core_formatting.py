"""One French formatting for every answer: euros, dates, m², kWh and the helpline."""

import datetime as dt

from bot import formatting
from bot.aids.context import format_eur as old_format_eur
from bot.aids.context import french_date as old_french_date


def test_euros_use_a_narrow_no_break_space_and_round_half_up():
    assert formatting.format_eur(12345) == "12\u202f345 €"
    assert formatting.format_eur(999.5) == "1\u202f000 €"
    assert formatting.format_eur(0.5) == "1 €"
    assert formatting.format_eur(0) == "0 €"


def test_dates_numbers_surfaces_and_energy():
    assert formatting.french_date(dt.date(2026, 1, 1)) == "1er janvier 2026"
    assert formatting.french_date(dt.date(2025, 8, 23)) == "23 août 2025"
    assert formatting.format_m2(80) == "80 m²"
    assert formatting.format_m2(12.5) == "12,5 m²"
    assert formatting.format_kwh(13500.4) == "13\u202f500 kWh"
    assert formatting.format_percent(0.055) == "5,5 %"
    assert formatting.french_decimal(1.9, 3) == "1,9"


def test_the_helpline_says_the_call_is_not_free():
    # 0 808 numbers: « service gratuit + prix appel » (Arcep), never « appel gratuit ».
    text = formatting.helpline()
    assert text == "0 808 800 700 (service gratuit + prix d'un appel)"
    assert "appel gratuit" not in text
    assert "9 h à 18 h" in formatting.helpline(with_hours=True)


def test_old_helper_names_still_import():
    assert old_format_eur is formatting.format_eur
    assert old_french_date is formatting.french_date
