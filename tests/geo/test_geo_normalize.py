from hypothesis import given
from hypothesis import strategies as st

from bot.geo.normalize import normalize_name, without_article


def test_examples():
    assert normalize_name("St-Étienne-du-Rouvray") == "saint etienne du rouvray"
    assert normalize_name("L'Haÿ-les-Roses") == "l hay les roses"
    assert normalize_name("Ste  Geneviève-des-Bois") == "sainte genevieve des bois"
    assert normalize_name("Œuilly") == "oeuilly"
    assert without_article("le havre") == "havre"
    assert without_article("lens") == "lens"


@given(st.text(max_size=60))
def test_normalisation_is_idempotent_and_plain(text):
    once = normalize_name(text)
    assert normalize_name(once) == once
    assert once == once.strip() and "  " not in once
    assert all(c.isascii() for c in once)
