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


# The official domains a primary reference may point to (issue #12's allow-list).
OFFICIAL = ("legifrance.gouv.fr", "anah.gouv.fr", "france-renov.gouv.fr", "service-public.fr",
            "ecologie.gouv.fr", "economie.gouv.fr", "impots.gouv.fr", "cre.fr", "ademe.fr",
            "data.gouv.fr", "insee.fr", "amiens.fr", "somme.fr", "hautsdefrance.fr")


def is_official(href: str) -> bool:
    host = re.match(r"^https://([^/\s]+)(/\S*)?$", href)
    if not host:
        return False
    name = host.group(1).lower()
    return any(name == domain or name.endswith("." + domain) for domain in OFFICIAL)


def test_the_official_check_can_fail():
    assert is_official("https://www.legifrance.gouv.fr/loda/id/JORFTEXT000041400291")
    assert is_official("https://pass-renovation.hautsdefrance.fr")
    assert not is_official("https://github.com/betagouv/reno/blob/master/x.yaml")
    assert not is_official("https://www.capeb.fr/actualites")
    assert not is_official("https://fakelegifrance.gouv.fr.example.com/x")


@pytest.mark.parametrize("path,leaf", REAL_LEAVES, ids=[p for p, _ in REAL_LEAVES])
def test_every_leaf_is_dated_and_sourced(path, leaf):
    dates = [params._as_date(key) for key in leaf["values"]]
    assert dates, f"{path}: no values"
    assert dates == sorted(dates), f"{path}: dates out of order"
    for key, warning in (leaf.get("uncertain") or {}).items():
        params._as_date(key)
        assert warning is None or (isinstance(warning, str) and warning.strip())


@pytest.mark.parametrize("path,leaf", REAL_LEAVES, ids=[p for p, _ in REAL_LEAVES])
def test_every_leaf_has_an_official_primary_reference_or_says_why_not(path, leaf):
    references = leaf.get("reference")
    assert isinstance(references, list), f"{path}: reference must be a list of {{title, href}}"
    for ref in references:
        assert set(ref) == {"title", "href"} and ref["title"].strip(), (path, ref)
        assert is_official(ref["href"]), f"{path}: {ref['href']} is not an official domain"
    if not references:
        reason = leaf.get("uncertain_source")
        assert isinstance(reason, str) and len(reason) > 20, f"{path}: no primary source, no reason"
    assert str(leaf.get("unit", "")).strip(), f"{path}: no unit"
    assert str(leaf.get("notes", "")).strip(), f"{path}: no notes"
    for key, entry in leaf["values"].items():
        # Dated entries may keep secondary material, never as a shown reference.
        assert params._entry_reference(entry) is None, f"{path} ({key}): entry reference"


def test_secondary_material_is_never_a_source():
    first_titles: dict[str, str] = {}
    for path, leaf in REAL_LEAVES:
        named = params.named_sources(leaf.get("reference"))
        for ref in named:
            assert "github.com" not in ref["href"], path
        if named:
            # Entries name their sources by the first href: one href, one title.
            href, title = named[0]["href"], named[0]["title"]
            assert first_titles.setdefault(href, title) == title, (path, href)



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
