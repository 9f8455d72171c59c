"""nlu/cue_featurizer.py: the catalogue cues given to the intent classifier."""

from __future__ import annotations

import pytest

pytest.importorskip("rasa")

from nlu.cue_featurizer import CUES, cue_features  # noqa: E402


def _tokens(text: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for index, char in enumerate(text + " "):
        if char.isspace() or char in ",?":
            if start is not None:
                spans.append((start, index))
                start = None
        elif start is None:
            start = index
    return spans


def _on(sentence) -> set[str]:
    return {CUES[i] for i, value in enumerate(sentence[0]) if value}


def test_a_long_message_with_facts_and_a_question():
    text = "maison de 1970 au fioul, on est 3, je veux une pac, quelles aides ?"
    sequence, sentence = cue_features(text, _tokens(text))
    assert {"housing_type", "construction_year", "heating_energy", "household_size",
            "work_type", "question", "facts_2", "facts_4"} <= _on(sentence)
    assert "mostly_facts" not in _on(sentence)
    assert sequence.shape == (len(_tokens(text)), len(CUES))
    # The token "fioul" carries the heating cue, "quelles" none.
    words = [text[a:b] for a, b in _tokens(text)]
    assert sequence[words.index("fioul"), CUES.index("heating_energy")] == 1
    assert not sequence[words.index("quelles")].any()


def test_a_bare_answer_is_mostly_facts_and_chit_chat_has_no_cue():
    _, sentence = cue_features("ballon thermo", _tokens("ballon thermo"))
    assert _on(sentence) == {"work_type", "mostly_facts"}
    _, sentence = cue_features("raconte-moi une blague", _tokens("raconte-moi une blague"))
    assert _on(sentence) == set()


def test_negation_and_bounded_odd_input():
    text = "pas de gaz chez nous"
    _, sentence = cue_features(text, _tokens(text))
    assert {"heating_energy", "negated"} <= _on(sentence)
    huge = "isoler les combles " * 2000
    sequence, sentence = cue_features(huge, _tokens(huge))
    assert sequence.shape[0] == len(_tokens(huge))
    assert "work_type" in _on(sentence)
    for odd in ("", "🙂🙂", "<b>42</b>", "مرحبا"):
        sequence, sentence = cue_features(odd, _tokens(odd))
        assert sentence.shape == (1, len(CUES))
