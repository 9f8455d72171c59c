"""Checks the savings model against real DPEs (ADEME observatory records, see
`tests/savings/data/dpe_calibration/README.md`): the ratio of the model's heating + hot-water
final energy to the official one, on a training part (used to fit the calibration
parameters) and a held-out part (never used to fit them).

The split is fixed by the DPE number, so that every run sees the same parts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import ProfileError
from bot.profile import parse_profile
from bot.savings.dpe import bounds, class_of
from bot.savings.engine import estimate_savings
from bot.savings.notes import Notes

DATA = Path(__file__).resolve().parents[2] / "tests" / "savings" / "data" / "dpe_calibration"
HELD_OUT_SHARE = 3  # one record in three is held out
# The DPE's E/F bounds above 800 m in zones H1b, H1c, H2d (arrêté du 31 mars 2021): not used
# by the model (it does not know the altitude), only to re-read the records' classes.
MOUNTAIN_ZONES = ("H1b", "H1c", "H2d")
MOUNTAIN_BOUNDS = ((390, 500), (80, 110))
OPTIONAL_FIELDS = ("house_position", "apartment_floor", "roof_insulated", "walls_insulated",
                   "boiler_age_years", "boiler_type", "secondary_heating", "altitude_m")
# The altitude the homeowner would give: the DPE's when filed, else the middle of its class.
ALTITUDE_BY_CLASS = {"<400m": 150, "400-800m": 600, ">800m": 900}
# DPE generators a homeowner would call a wood stove or electric heaters used alongside the
# main heating (« chauffage d'appoint »).
WOOD_SECONDARY = ("wood_stove", "wood_insert", "wood_closed_fireplace", "wood_cooker",
                  "pellet_stove")
ELECTRIC_SECONDARY = ("electric_convector", "electric_radiant_panel", "electric_radiator",
                      "electric_storage_heater", "electric_other_joule")


def load_records(path: Path = DATA / "cases.jsonl") -> list[dict]:
    """Usable records: one per duplicate group, a heating energy of the contract."""
    records, groups = [], set()
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        group = record["meta"].get("possible_duplicate_group")
        if group is not None:
            if group in groups:
                continue
            groups.add(group)
        if record["profile"].get("heating_energy") is None:
            continue
        records.append(record)
    return records


def is_held_out(record: dict) -> bool:
    digest = hashlib.sha256(record["id"].encode()).digest()
    return digest[0] % HELD_OUT_SHARE == 0


def answers(record: dict) -> dict[str, Any]:
    """What the homeowner could answer to the optional questions, read from the DPE."""
    d = record["descriptors"]
    found: dict[str, Any] = {}
    if record["profile"]["housing_type"] == "house":
        share = d.get("party_wall_share") or 0.0
        if d.get("house_attachment") == "detached" or share == 0:
            found["house_position"] = "detached"
        else:
            found["house_position"] = "terraced" if share >= 0.3 else "semi_detached"
    else:
        floor = d.get("apartment_floor_position")
        if floor in ("ground", "top", "middle"):
            found["apartment_floor"] = floor
        elif floor == "ground_and_top":
            found["apartment_floor"] = "top"
    for part, field in (("roof", "roof_insulated"), ("walls", "walls_insulated")):
        status = (d.get(part) or {}).get("insulation")
        if status in ("insulated", "not_insulated"):
            found[field] = status == "insulated"
    main = ((d.get("heating") or {}).get("main") or {})
    generator = main.get("generator") or ""
    if "boiler" in generator and "wood" not in generator and "pellet" not in generator:
        found["boiler_type"] = ("condensing" if "condensing" in generator else
                                "low_temperature" if "low_temperature" in generator
                                else "standard")
        age = _boiler_age(main.get("period"), record["date"])
        if age is not None:
            found["boiler_age_years"] = age
    found["secondary_heating"] = _secondary(d.get("heating") or {})
    altitude = d.get("altitude_m")
    if altitude is None:
        altitude = ALTITUDE_BY_CLASS.get(d.get("altitude_class"))
    if altitude is not None:
        found["altitude_m"] = int(max(0, round(altitude)))
    return found


def _secondary(heating: dict) -> str:
    """The second heater a homeowner would name: a wood stove first (it moves the estimate
    most), else electric heaters, else none."""
    generators = [s.get("generator") or "" for s in heating.get("secondary") or []]
    if any(g in WOOD_SECONDARY for g in generators):
        return "wood_stove"
    if any(g in ELECTRIC_SECONDARY for g in generators):
        return "electric_heaters"
    return "none"


def _boiler_age(period: str | None, date: str) -> int | None:
    """Age from the DPE's installation period (its middle year)."""
    if not period:
        return None
    digits = [int(p) for p in period.replace(">=", " ").replace(">", " ").replace("<", " ")
              .replace("-", " ").split() if p.isdigit()]
    if not digits:
        return None
    year = sum(digits) / len(digits)
    if period.startswith("<"):
        year = digits[0] - 8
    return max(0, int(date[:4]) - round(year))


def kind(record: dict) -> str:
    """Why a record with its class may be hard to place: a second heating energy the
    profile cannot say (another energy for ≥ 25 % of the heating), a small G home (G has no
    upper bound, and its small-surface bounds are far apart), else a plain one."""
    shares = ((record["descriptors"].get("heating") or {}).get("energy_shares") or {})
    if shares and max(shares.values()) < 0.75:
        return "second heating energy >= 25 %"
    if record["profile"]["dpe_class"] == "G" and record["profile"]["surface_m2"] < 40:
        return "class G below 40 m2"
    return "one energy, not a small G"


def class_at_its_date(record: dict) -> str:
    """The class the record's filed per-m² figures get with the thresholds in force on the
    DPE's date for its surface (small-surface scale from 1 July 2024, mountain E/F bounds
    above 800 m): to check that the records' classes read as the model reads them."""
    official, d = record["official"], record["descriptors"]
    notes = Notes(dt.date.fromisoformat(record["date"]))
    surface = record["profile"]["surface_m2"]
    energy, ges = bounds(notes, surface)
    if surface >= 40 and d.get("altitude_class") == ">800m" and \
            d.get("climate_zone") in MOUNTAIN_ZONES:
        energy[4:], ges[4:] = list(MOUNTAIN_BOUNDS[0]), list(MOUNTAIN_BOUNDS[1])
    return class_of(official["primary_5_uses_kwh_m2"], official["ges_5_uses_kg_m2"],
                    energy, ges)


def profile_of(record: dict, with_class: bool, fields: tuple[str, ...] = ()) -> dict:
    data = {k: v for k, v in record["profile"].items() if v is not None}
    if not with_class:
        data.pop("dpe_class", None)
    known = answers(record)
    data.update({k: known[k] for k in fields if k in known})
    return data


def estimate(profile: dict) -> float | None:
    try:
        result = estimate_savings(parse_profile(profile))
    except ProfileError:
        # A postal code the commune table does not know: keep the record, default climate.
        profile = {k: v for k, v in profile.items() if k not in ("postal_code", "insee_code")}
        try:
            result = estimate_savings(parse_profile(profile))
        except ProfileError:
            return None
    return float(result["baseline"]["final_energy_kwh"])


@dataclass(frozen=True)
class Figures:
    count: int
    median_ratio: float
    within_30: float  # share of records within ±30 %

    def as_dict(self) -> dict[str, float]:
        return {"count": self.count, "median_ratio": round(self.median_ratio, 3),
                "within_30_percent": round(self.within_30, 3)}


def ratios(records: list[dict], with_class: bool, fields: tuple[str, ...] = ()) -> list[float]:
    out = []
    for record in records:
        official = record["official"]["final_heating_dhw_kwh"]
        model = estimate(profile_of(record, with_class, fields))
        if model is None or not official:
            continue
        out.append(model / official)
    return out


def figures(values: list[float]) -> Figures:
    if not values:
        return Figures(0, float("nan"), 0.0)
    within = sum(1 for r in values if 0.7 <= r <= 1.3) / len(values)
    return Figures(len(values), statistics.median(values), within)


def report(fields: tuple[str, ...] = ()) -> dict[str, dict[str, dict[str, float]]]:
    """{part: {group: figures}} for the parts train / held_out and the groups houses,
    apartments (without the DPE class) and with_class (all homes, class given)."""
    records = load_records()
    result: dict[str, dict[str, dict[str, float]]] = {}
    for part in ("train", "held_out"):
        chosen = [r for r in records if is_held_out(r) == (part == "held_out")]
        houses = [r for r in chosen if r["profile"]["housing_type"] == "house"]
        flats = [r for r in chosen if r["profile"]["housing_type"] == "apartment"]
        result[part] = {
            "houses": figures(ratios(houses, False, fields)).as_dict(),
            "apartments": figures(ratios(flats, False, fields)).as_dict(),
            "all_without_class": figures(ratios(chosen, False, fields)).as_dict(),
            "with_class": figures(ratios(chosen, True, fields)).as_dict(),
        }
    return result
