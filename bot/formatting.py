"""French formatting written once: euros, dates, m², kWh and the national helpline.

Engines and message modules import from here so that every answer writes « 12 345 € »
(narrow no-break space, as the Imprimerie nationale rules ask) and the helpline the same way.
"""

from __future__ import annotations

import datetime as dt
import math

NNBSP = "\u202f"  # espace fine insécable: thousands separator and before « € », « % »
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")

# France Rénov' national number. 0 806 to 0 809 numbers are « service gratuit + prix
# appel » in the Arcep's SVA tariff grid (only 0 800 to 0 805 are « service et appel
# gratuits »): the advice is free, the call costs a normal call. France Rénov' prints
# « Service gratuit + prix appel » next to the number on france-renov.gouv.fr.
HELPLINE_NUMBER = "0 808 800 700"
HELPLINE_COST = "service gratuit + prix d'un appel"
HELPLINE_HOURS = "du lundi au vendredi, de 9 h à 18 h"


def euros(amount: float) -> int:
    """Rounded to the euro, half up (Python's round() rounds half to even)."""
    return int(math.floor(amount + 0.5))


def group_thousands(number: int) -> str:
    """12345 -> « 12 345 » (narrow no-break space)."""
    return f"{number:,}".replace(",", NNBSP)


def format_eur(amount: float) -> str:
    """12345 -> « 12 345 € »."""
    return group_thousands(euros(amount)) + " €"


def french_decimal(number: float, digits: int = 1) -> str:
    """2.5 -> « 2,5 »; whole numbers lose their decimals (3.0 -> « 3 »)."""
    rounded = round(number, digits)
    if rounded == int(rounded):
        return group_thousands(int(rounded))
    whole, _, decimals = f"{rounded:.{digits}f}".partition(".")
    return group_thousands(int(whole)) + "," + decimals.rstrip("0")


def format_m2(surface: float) -> str:
    """80 -> « 80 m² »."""
    return f"{french_decimal(surface)} m²"


def format_kwh(kwh: float) -> str:
    """13500 -> « 13 500 kWh »."""
    return f"{group_thousands(euros(kwh))} kWh"


def format_percent(share: float) -> str:
    """0.75 -> « 75 % »."""
    return f"{french_decimal(share * 100)} %"


def french_date(day: dt.date) -> str:
    """2026-01-01 -> « 1er janvier 2026 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS_FR[day.month - 1]} {day.year}"


def helpline(with_hours: bool = False) -> str:
    """« 0 808 800 700 (service gratuit + prix d'un appel) »."""
    text = f"{HELPLINE_NUMBER} ({HELPLINE_COST}"
    if with_hours:
        text += f", {HELPLINE_HOURS}"
    return text + ")"
