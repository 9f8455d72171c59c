"""Canonical forms of the normalising tokenizer (nlu/normalise.py, nlu/normalising_tokenizer.py).

Written from what a homeowner types: two messages that say the same thing in other words must
read the same to the classifier, while the tokens (and so the entities) keep the user's text.
"""

from __future__ import annotations

import pytest

from nlu.normalise import canonical, canonical_forms, gibberish

rasa = pytest.importorskip("rasa")


def _tokens(text: str):
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from nlu.normalising_tokenizer import NormalisingTokenizer

    tokenizer = NormalisingTokenizer(NormalisingTokenizer.get_default_config())
    return tokenizer.tokenize(Message({TEXT: text}), TEXT)


def _lemmas(text: str) -> str:
    return " ".join(t.lemma for t in _tokens(text) if t.lemma)


def test_two_homes_described_differently_read_the_same():
    first = _lemmas("maison de 1962 au gaz, on veut une pompe à chaleur, quelles aides ?")
    second = _lemmas("appart de 1975 au fioul, on veut une pac, quelles aides ?")
    assert first == second == (
        "ent_housing de ent_year au ent_energy on veut une ent_work quelles aides")


def test_numbers_read_as_their_role():
    lemmas = _lemmas("on est 4, on gagne 32000 par an, 120 m2 à 80000")
    assert "ent_count" in lemmas and "ent_income" in lemmas and "ent_surface" in lemmas
    assert "ent_postcode" in lemmas
    assert not any(ch.isdigit() for ch in lemmas)


def test_negated_value_reads_apart_from_a_wanted_one():
    assert "ent_not_energy" in _lemmas("pas de gaz chez nous")
    assert "ent_energy" in _lemmas("chauffage au gaz").split()


def test_tokens_and_offsets_stay_those_of_the_raw_text():
    text = "J'ai une PAC à Amiens, jsp combien ça coûte"
    tokens = _tokens(text)
    assert [text[t.start:t.end] for t in tokens] == [t.text for t in tokens]
    assert [t.text for t in tokens][:4] == ["J", "ai", "une", "PAC"]
    lemmas = [t.lemma for t in tokens]
    assert lemmas[:4] == ["j", "ai", "une", "ent_work"]
    assert "je sais pas" in lemmas and "coute" in lemmas


def test_a_multi_word_value_counts_once():
    lemmas = [t.lemma for t in _tokens("une pompe à chaleur air eau")]
    assert lemmas.count("ent_work") == 1
    assert lemmas[2:] == [""] * (len(lemmas) - 2)


@pytest.mark.parametrize(("word", "form"), [
    ("Électricité", "electricite"), ("jsp", "je sais pas"), ("cb", "combien"),
    ("SVP", "s il vous plait"), ("abruti", "w_insult"), ("Crétin", "w_insult"),
    ("azertyuiop", "w_gibberish"), ("qsdfgh", "w_gibberish"), ("zzzzz", "w_gibberish"),
])
def test_word_forms(word, form):
    assert canonical(word) == form


@pytest.mark.parametrize("word", ["rgpd", "bonjouuur", "ouiii", "elle", "schema", "vmc",
                                  "thermodynamique", "combles", "rythme"])
def test_real_words_are_not_gibberish(word):
    assert not gibberish(canonical(word))


@pytest.mark.parametrize("text", ["", "   ", "🙂" * 300, "<b>pac</b>", "مرحبا", "a" * 10_000,
                                  "12345 " * 500])
def test_odd_input_gets_one_form_per_token(text):
    tokens = _tokens(text)
    assert all(isinstance(t.lemma, str) for t in tokens)
    spans = [(t.start, t.end) for t in tokens]
    assert len(canonical_forms(text, spans)) == len(spans)


@pytest.mark.parametrize(("word", "form"), [
    ("🙂", "w_symbol"), ("?!", "w_symbol"), ("what", "w_english"), ("ché", "je sais"),
    ("hello", "hello"), ("thanks", "thanks"), ("yes", "yes"),
])
def test_symbols_english_and_greetings(word, form):
    assert canonical(word) == form
