"""Income category from household size and RFR, national or Île-de-France scale."""

import datetime as dt

import pytest

from bot.aids.income import category_for, ceiling
from bot.params import value

D = dt.date(2025, 6, 1)
OUTSIDE = value("aids.income.outside_idf", D)
IDF = value("aids.income.idf", D)


@pytest.mark.parametrize("size,very_modest,modest,intermediate", [
    (1, 17173, 22015, 30844), (2, 25115, 32197, 45340), (3, 30206, 38719, 54592),
    (4, 35285, 45234, 63844), (5, 40388, 51775, 73098),
    (6, 45482, 58300, 82352),  # 5 persons + one extra person (reference §1.2)
])
def test_outside_idf_boundaries_are_inclusive(size, very_modest, modest, intermediate):
    assert ceiling(OUTSIDE, "very_modest", size) == very_modest
    assert category_for(very_modest, size, OUTSIDE) == "very_modest"
    assert category_for(very_modest + 1, size, OUTSIDE) == "modest"
    assert category_for(modest, size, OUTSIDE) == "modest"
    assert category_for(modest + 1, size, OUTSIDE) == "intermediate"
    assert category_for(intermediate, size, OUTSIDE) == "intermediate"
    assert category_for(intermediate + 1, size, OUTSIDE) == "high"


def test_idf_scale_and_extra_persons(aids):
    assert category_for(34884, 2, IDF) == "very_modest"
    assert category_for(34885, 2, IDF) == "modest"
    assert ceiling(IDF, "intermediate", 7) == 95758 + 2 * 12122
    assert ceiling(IDF, "modest", 6) == 68123 + 8568


def test_paris_uses_the_idf_scale_amiens_the_national_one(aids):
    # 2 persons, 30 000 €: very modest in Paris, modest in Amiens.
    paris = aids(insee_code="75056", household_size=2, reference_income=30000)
    amiens = aids(insee_code="80021", household_size=2, reference_income=30000)
    assert paris["income_category"] == "very_modest"
    assert amiens["income_category"] == "modest"


def test_missing_income_or_size_gives_null_and_a_warning(aids):
    result = aids(reference_income=None, household_size=3)
    assert result["income_category"] is None
    assert any("revenu fiscal de référence" in w for w in result["warnings"])
    result = aids(reference_income=20000, household_size=None)
    assert result["income_category"] is None


def test_unknown_place_gives_a_category_only_when_both_scales_agree(aids):
    agree = aids(insee_code=None, household_size=1, reference_income=10000)
    assert agree["income_category"] == "very_modest"
    disagree = aids(insee_code=None, household_size=1, reference_income=20000)
    assert disagree["income_category"] is None
    assert any("code postal" in w for w in disagree["warnings"])


def test_2026_ceilings_are_flagged_as_not_found(aids):
    result_2025 = aids(date="2025-11-02", reference_income=20000)
    result_2026 = aids(date="2026-03-02", reference_income=20000)
    flag = "plafonds de revenus 2026 n'ont pas été trouvés"
    assert not any(flag in w for w in result_2025["warnings"])
    assert any(flag in w for w in result_2026["warnings"])
    # Same category: the 2025 table is applied, never an invented 2026 one.
    assert result_2025["income_category"] == result_2026["income_category"] == "modest"


def test_income_just_above_a_ceiling_is_flagged_in_2026(aids):
    near = aids(reference_income=17173 + 100)  # 0.6 % above the very-modest ceiling
    far = aids(reference_income=19000)
    assert near["income_category"] == "modest"
    assert any("dépasse de peu le plafond" in w for w in near["warnings"])
    assert not any("dépasse de peu" in w for w in far["warnings"])


def test_landlord_is_told_the_household_address_decides(aids):
    result = aids(occupancy="landlord", reference_income=20000)
    assert any("adresse de votre foyer" in w for w in result["warnings"])
