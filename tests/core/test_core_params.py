"""The dated-parameter loader, and the consistency of every parameter file in the repo."""

import datetime as dt
import re

import pytest

from bot import params

D = dt.date

SAMPLE = """
rate:
  description: Taux réduit de TVA
  reference: https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006309085
  values:
    2014-01-01: 0.055
    2025-03-01:
      value: 0.2
      reference: https://bofip.impots.gouv.fr/example
  uncertain:
    2025-03-01: "Taux à confirmer."
nested:
  ended:
    reference: https://example.gouv.fr/ended
    values:
      2020-01-01: 100
      2024-01-01: null
"""


@pytest.fixture
def sample_tree(tmp_path, monkeypatch):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "vat.yaml").write_text(SAMPLE, encoding="utf-8")
    monkeypatch.setattr(params, "PARAMETERS_DIR", tmp_path)
    params.clear_caches()
    yield tmp_path
    params.clear_caches()


def test_value_in_force_is_picked_by_date(sample_tree):
    before = params.parameter("demo.vat.rate", D(2025, 2, 28))
    after = params.parameter("demo.vat.rate", D(2025, 3, 1))
    assert (before.value, before.start) == (0.055, D(2014, 1, 1))
    assert before.reference.startswith("https://www.legifrance.gouv.fr")
    assert before.uncertain is None
    assert (after.value, after.start) == (0.2, D(2025, 3, 1))
    assert after.reference == "https://bofip.impots.gouv.fr/example"
    assert after.uncertain == "Taux à confirmer."


def test_null_ends_a_rule_and_nothing_before_the_first_date(sample_tree):
    assert params.value("demo.vat.nested.ended", D(2023, 12, 31)) == 100
    assert not params.in_force("demo.vat.nested.ended", D(2024, 1, 1))
    assert not params.in_force("demo.vat.rate", D(2013, 12, 31))
    with pytest.raises(params.ParameterNotFound):
        params.parameter("demo.vat.nested.ended", D(2024, 6, 1))
    with pytest.raises(params.ParameterNotFound):
        params.parameter("demo.nothing", D(2024, 6, 1))


def test_leaves_are_listed_with_dotted_paths(sample_tree):
    assert [path for path, _ in params.iter_leaves(sample_tree)] == [
        "demo.vat.rate", "demo.vat.nested.ended"]


# --- every real parameter file ------------------------------------------------------------

REAL_LEAVES = list(params.iter_leaves())
URL = re.compile(r"^https?://\S+$")


@pytest.mark.parametrize("path,leaf", REAL_LEAVES, ids=[p for p, _ in REAL_LEAVES])
def test_every_leaf_is_dated_and_sourced(path, leaf):
    dates = [params._as_date(key) for key in leaf["values"]]
    assert dates, f"{path}: no values"
    assert dates == sorted(dates), f"{path}: dates out of order"
    for key, entry in leaf["values"].items():
        reference = params._entry_reference(entry) or leaf.get("reference")
        assert reference and URL.match(str(reference).split()[0]), (
            f"{path} ({key}): no reference URL")
    for key, warning in (leaf.get("uncertain") or {}).items():
        params._as_date(key)
        assert warning is None or (isinstance(warning, str) and warning.strip())


# --- the one accessor ---------------------------------------------------------------------

def test_rules_collect_each_warning_once_and_parse_dates_once(sample_tree):
    rules = params.Rules("2025-03-02")
    assert rules.on == D(2025, 3, 2)
    assert rules.value("demo.vat.rate") == 0.2
    rules.param("demo.vat.rate")
    assert rules.warnings == ["Taux à confirmer."]
    quiet = params.Rules(D(2025, 3, 2))
    assert quiet.param("demo.vat.rate", warn=False).uncertain == "Taux à confirmer."
    assert quiet.warnings == []
    assert params.Rules(D(2024, 1, 1)).has("demo.vat.nested.ended") is False
    with pytest.raises(ValueError):
        params.Rules("le 3 mars")


def test_named_references_give_the_first_primary_href(sample_tree):
    found = params.parameter("demo.vat.rate", D(2020, 1, 1))
    assert found.sources == ({"title": "legifrance.gouv.fr", "href": found.reference},)
