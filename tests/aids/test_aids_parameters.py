"""Consistency of the aids parameter files: every work and category is covered, periods
are coherent, every figure is sourced (the generic checks are in tests/core)."""

import datetime as dt

import pytest

from bot.aids.income import CATEGORIES, CEILINGED
from bot.params import iter_leaves, parameter
from bot.profile import WORK_TYPES

LEAVES = dict(iter_leaves())
DAYS = [dt.date(2025, 1, 1), dt.date(2025, 6, 23), dt.date(2025, 9, 30), dt.date(2025, 10, 1),
        dt.date(2026, 1, 1), dt.date(2026, 2, 23), dt.date(2026, 12, 31)]


def test_every_work_has_a_par_geste_leaf():
    for work in WORK_TYPES:
        assert f"aids.mpr.geste.works.{work}" in LEAVES


@pytest.mark.parametrize("day", DAYS)
def test_par_geste_amounts_cover_every_category_and_decrease(day):
    for work in WORK_TYPES:
        try:
            rule = parameter(f"aids.mpr.geste.works.{work}", day).value
        except KeyError:
            continue
        amounts = [rule[c] for c in CATEGORIES]
        assert amounts == sorted(amounts, reverse=True), work
        assert rule["unit"] in ("m2", "unit", "flat") and rule["expense_cap"] > 0


@pytest.mark.parametrize("day", DAYS)
def test_income_scales_are_increasing(day):
    for name in ("outside_idf", "idf"):
        scale = parameter(f"aids.income.{name}", day).value
        for category in CEILINGED:
            assert len(scale[category]) == 5
            assert scale[category] == sorted(scale[category])
        for size in range(5):
            row = [scale[c][size] for c in CEILINGED]
            assert row == sorted(row)


@pytest.mark.parametrize("day", DAYS)
def test_open_ampleur_periods_have_complete_bands(day):
    period = parameter("aids.mpr.ampleur.periods", day).value
    if not period["open"] and not period.get("show_potential"):
        return
    for band in period["bands"]:
        rates = [band[c] for c in CATEGORIES]
        assert rates == sorted(rates, reverse=True)
    assert set(period["admitted_categories"]) <= set(CATEGORIES)


def test_removed_works_are_really_removed():
    day = dt.date(2026, 1, 1)
    for work in parameter("aids.mpr.geste.removed_works", day).value:
        with pytest.raises(KeyError):
            parameter(f"aids.mpr.geste.works.{work}", day)


def test_period_cache_gives_exactly_what_bot_params_gives():
    from bot.aids.rules import rule, rule_in_force
    from bot.params import in_force

    days = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(0, 800, 3)]
    for path in (p for p in LEAVES if p.startswith("aids.")):
        for day in days:
            assert rule_in_force(path, day) == in_force(path, day), (path, day)
            if in_force(path, day):
                assert rule(path, day) == parameter(path, day), (path, day)
