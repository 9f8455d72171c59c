"""Property tests: no negative amount, grants within the écrêtement cap and the cost, a
poorer household never gets less, and only period boundaries change a result."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.aids.engine import compute_aids
from bot.aids.income import CEILINGED, ceiling
from bot.params import iter_leaves, value
from bot.params import parse_date as _as_date
from bot.profile import DPE_CLASSES, HEATING_ENERGIES, OCCUPANCIES, WORK_TYPES, parse_profile

PLACES = ["80021", "80001", "75056", "33063", "13055", "59350"]
FIRST, LAST = dt.date(2025, 1, 1), dt.date(2026, 12, 31)


def _change_dates() -> list[dt.date]:
    """Every date on which a parameter of the engine (or its geography) changes, plus every
    1 January (the dwelling's age counts in whole years)."""
    dates = {dt.date(year, 1, 1) for year in range(FIRST.year, LAST.year + 2)}
    for path, leaf in iter_leaves():
        if path.startswith(("aids.", "geo.")):
            for key in list(leaf["values"]) + list(leaf.get("uncertain") or {}):
                dates.add(_as_date(key))
    return sorted(d for d in dates if FIRST <= d <= LAST + dt.timedelta(days=1))


CHANGES = _change_dates()
PERIODS = [(start, end - dt.timedelta(days=1))
           for start, end in zip(CHANGES, CHANGES[1:], strict=False)]


def dates_in(start: dt.date, end: dt.date):
    return st.integers(0, (end - start).days).map(lambda n: start + dt.timedelta(days=n))


NOTHING = st.none()
ANY_PLACE = st.sampled_from(PLACES + [None])


def mostly(strategy, rare=NOTHING):
    """Usually `strategy`, sometimes `rare`: eligible-looking profiles must be common for the
    properties to bite, odd ones must still appear."""
    return st.integers(0, 4).flatmap(lambda n: rare if n == 0 else strategy)


work = st.builds(
    lambda kind, surface, count, cost: {"type": kind, "surface_m2": surface, "count": count,
                                        "cost_eur": cost},
    st.sampled_from(WORK_TYPES),
    mostly(st.integers(1, 250)),
    mostly(st.integers(1, 20)),
    mostly(st.one_of(st.integers(0, 60000),
                     st.floats(0, 60000).map(lambda x: round(x, 2)))),  # cents too
)


@st.composite
def profiles(draw, place=ANY_PLACE, date=None):
    data = {
        "date": (draw(date) if date is not None else draw(dates_in(FIRST, LAST))).isoformat(),
        "insee_code": draw(place),
        "housing_type": draw(st.sampled_from(["house", "apartment", None])),
        "occupancy": draw(mostly(st.just("owner_occupier"),
                                 st.sampled_from(list(OCCUPANCIES) + [None]))),
        "construction_year": draw(mostly(st.integers(1900, 2005), st.integers(2005, 2025))),
        "surface_m2": draw(mostly(st.integers(20, 300))),
        "heating_energy": draw(st.sampled_from(list(HEATING_ENERGIES) + [None])),
        "dpe_class": draw(st.sampled_from(list(DPE_CLASSES) + [None])),
        "dpe_class_after": draw(st.sampled_from(list(DPE_CLASSES) + [None])),
        "household_size": draw(mostly(st.integers(1, 7))),
        "reference_income": draw(mostly(st.integers(0, 90000))),
        "works": draw(st.lists(work, max_size=5, unique_by=lambda w: w["type"])),
        "total_cost_eur": draw(mostly(st.integers(0, 120000))),
    }
    return {key: value for key, value in data.items() if value is not None}


def compute(data: dict) -> dict:
    clean = {**data, "works": [{k: v for k, v in w.items() if v is not None}
                               for w in data.get("works", [])]}
    return compute_aids(parse_profile(clean))


def offered(item: dict) -> int:
    """Amount granted, or that would be granted if its path were retained."""
    return item.get("amount_eur") or item.get("potential_amount_eur") or 0


@settings(max_examples=300)
@given(profiles())
def test_no_negative_amount(data):
    result = compute(data)
    assert result["total_grants_eur"] >= 0
    # Totals count the retained grants only; a grant that is not retained stays eligible.
    retained = [a for a in result["aids"] if a["kind"] == "grant" and a["retained"]]
    assert result["total_grants_eur"] == sum(a["amount_eur"] for a in retained)
    for item in result["aids"]:
        if item["eligible"] is True and item["kind"] == "grant" and not item["retained"]:
            assert "moins favorable ici" in item["reasons"][-1], item
    for item in result["aids"]:
        if item["eligible"] is not True:
            assert item["reasons"], item  # the user is always told why
        for key in ("amount_eur", "potential_amount_eur", "max_amount_eur", "amount_max_eur",
                    "vat_eur"):
            value = item.get(key)
            assert value is None or (isinstance(value, int) and value >= 0), (key, item)


@settings(max_examples=300)
@given(profiles())
def test_grants_never_exceed_the_ecretement_cap_nor_the_cost(data):
    result = compute(data)
    costs = {w["type"]: w.get("cost_eur") for w in data.get("works", [])}
    for kind, cost in costs.items():
        mpr = [a for a in result["aids"] if a["aid"] == "mpr_par_geste" and a["work"] == kind]
        cee = [a for a in result["aids"] if a["aid"] == "cee" and a.get("work") == kind]
        mpr_amount = offered(mpr[0]) if mpr else 0
        cee_amount = offered(cee[0]) if cee else 0
        if cost is not None:
            assert cee_amount <= cost
            assert mpr_amount + cee_amount <= cost
            cap = mpr[0].get("details", {}).get("ecretement_cap_eur") if mpr else None
            if cap is not None and mpr_amount > 0:
                assert mpr_amount + cee_amount <= cap
    pa = [a for a in result["aids"] if a["aid"] == "mpr_ampleur"]
    if pa and offered(pa[0]):
        details = pa[0]["details"]
        assert offered(pa[0]) <= details["ecretement_cap_eur"]
        assert offered(pa[0]) <= details["eligible_expense_eur"]
    for item in result["aids"]:
        if item["aid"] == "cee" and "work" not in item and "total_cost_eur" in data:
            assert offered(item) <= data["total_cost_eur"]


@settings(max_examples=150)
@given(profiles(place=st.sampled_from(PLACES)), st.integers(0, 90000),
       st.integers(0, 90000), st.integers(1, 7))
def test_a_poorer_household_never_gets_less(data, income_a, income_b, size):
    # Two random incomes plus the ceiling of each category (national scale: the IdF one is
    # higher, so these still cover several categories in Paris).
    scale = value("aids.income.outside_idf", dt.date.fromisoformat(data["date"]))
    ceilings = [ceiling(scale, category, size) for category in CEILINGED]
    incomes = sorted({income_a, income_b, *ceilings, ceilings[-1] + 1})
    base = {**data, "household_size": size}
    totals = [compute({**base, "reference_income": income})["total_grants_eur"]
              for income in incomes]
    assert totals == sorted(totals, reverse=True), list(zip(incomes, totals, strict=True))


@settings(max_examples=300)
@given(st.data())
def test_only_the_date_inside_one_period_changes_nothing(data):
    start, end = data.draw(st.sampled_from(PERIODS))
    profile = data.draw(profiles(date=dates_in(start, end)))
    other_day = data.draw(dates_in(start, end))
    first = compute(profile)
    second = compute({**profile, "date": other_day.isoformat()})
    first.pop("rules_date")
    second.pop("rules_date")
    assert first == second


def test_periods_include_the_boundaries_of_the_brief():
    starts = {start for start, _ in PERIODS}
    for day in (dt.date(2025, 9, 30), dt.date(2025, 10, 1), dt.date(2026, 1, 1),
                dt.date(2026, 2, 23), dt.date(2025, 6, 23), dt.date(2025, 3, 1)):
        assert day in starts
