"""Regulatory climate zone (H1a … H3) of a department (arrêté du 26 octobre 2010, annexe I)."""

from __future__ import annotations

import datetime as dt

from bot.params import parameter

CLIMATE_ZONES_PARAMETER = "geo.climate_zones"


def climate_zone(department_code: str, on: dt.date) -> str | None:
    """"80" -> "H1a" on the date `on` (the profile's date, chosen once at the entry). None
    for overseas departments (971…976), absent from the annex, and for codes that are not
    departments."""
    table = parameter(CLIMATE_ZONES_PARAMETER, on).value
    code = str(department_code).strip().upper()
    if len(code) == 1:
        code = "0" + code
    return table.get(code)


def climate_zone_reference(on: dt.date) -> str:
    return parameter(CLIMATE_ZONES_PARAMETER, on).reference
