"""Heat-loss model against the worked example of the reference (savings-model.md §2.3):
house of 100 m², built 1975, single storey 10 × 10 m, Amiens (H1a)."""

import datetime as dt

import pytest

from bot.savings import envelope as env
from bot.savings.notes import Notes

DAY = dt.date(2026, 11, 28)


def example_envelope(roof_u: float | None = None) -> env.Envelope:
    notes = Notes(DAY)
    period = env.period_row(notes, 1975)
    envelope = env.build_envelope(notes, 100, "house", period, roof_exposed=True,
                                  floor_exposed=True)
    if roof_u is not None:
        envelope["roof"] = env.Element(envelope["roof"].area, roof_u, envelope["roof"].b)
    return envelope


def test_geometry_of_the_example_house():
    geo = env.geometry(Notes(DAY), 100, "house")
    # 10 × 10 m, 2.5 m high: 100 m² of walls − 15 m² of windows − 2 m² of door = 83 m².
    assert geo.storeys == 1
    assert geo.wall_area == pytest.approx(83)
    assert geo.window_area == pytest.approx(15)
    assert geo.roof_area == pytest.approx(100)


def test_1975_period_defaults():
    row = env.period_row(Notes(DAY), 1975)
    assert (row["wall_u"], row["roof_u"], row["floor_u"]) == (1.0, 0.5, 0.9)
    assert env.period_row(Notes(DAY), 1974)["roof_u"] == 2.5
    assert env.period_row(Notes(DAY), 2013)["wall_u"] == 0.23


def test_element_h_values_of_the_example():
    e = example_envelope()
    assert e["walls"].h == pytest.approx(83.0)  # 83 m² × U 1.0
    assert e["windows"].h + e["door"].h == pytest.approx(15 * 3.0 + 2 * 3.5)
    assert e["floor"].h == pytest.approx(60, abs=0.5)  # "floor H ≈ 60 W/K"
    assert e["thermal_bridges"].h == pytest.approx(25)
    assert e["ventilation"].h == pytest.approx(75.8, abs=0.05)  # 0.34 × 2.23 × 100
    assert e["infiltration"].h == pytest.approx(33, abs=0.1)
    assert e["roof"].h == pytest.approx(47.5)  # 100 m² × 0.5 × b 0.95


def test_gv_and_loss_shares_attic_uninsulated():
    # Reference: GV 566 W/K; roof 42 %, air 19 %, walls 15 %, floor 11 %, windows+door 9 %,
    # bridges 4 %.
    e = example_envelope(roof_u=2.5)
    assert env.heat_loss_coefficient(e) == pytest.approx(566, abs=1)
    shares = {k: round(100 * v) for k, v in env.loss_shares(e).items()}
    assert shares == {"roof": 42, "air": 19, "walls": 15, "floor": 11, "windows": 9,
                      "thermal_bridges": 4}


def test_gv_and_loss_shares_1975_default_attic():
    # Reference: GV 376 W/K; roof 13 %, air 29 %, walls 22 %.
    e = example_envelope()
    assert env.heat_loss_coefficient(e) == pytest.approx(376, abs=1)
    shares = env.loss_shares(e)
    assert round(100 * shares["roof"]) == 13
    assert round(100 * shares["air"]) == 29
    assert round(100 * shares["walls"]) == 22
    assert sum(shares.values()) == pytest.approx(1.0)


def test_partial_change_is_area_weighted():
    element = env.Element(100, 2.0)
    assert element.with_u(1.0, 0.25).u == pytest.approx(1.75)
    assert element.with_u(1.0, 3.0).u == pytest.approx(1.0)  # capped at the whole element


def test_apartment_has_no_roof_or_floor_losses_on_a_middle_floor():
    notes = Notes(DAY)
    period = env.period_row(notes, 1960)
    e = env.build_envelope(notes, 60, "apartment", period, roof_exposed=False,
                           floor_exposed=False)
    assert e["roof"].h == 0 and e["floor"].h == 0
    house = env.build_envelope(notes, 60, "house", period, roof_exposed=True, floor_exposed=True)
    assert env.heat_loss_coefficient(e) < env.heat_loss_coefficient(house) / 2


def test_large_house_has_two_storeys():
    geo = env.geometry(Notes(DAY), 160, "house")
    assert geo.storeys == 2
    assert geo.roof_area == pytest.approx(80)
