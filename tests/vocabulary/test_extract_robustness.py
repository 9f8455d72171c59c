"""Whatever arrives, the extractor answers: never an exception, spans inside the text,
values that are contract codes or numbers, and bounded time on huge or odd messages."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.vocabulary import catalogue
from bot.vocabulary.extract import extract

CATEGORICAL = ("work_type", "heating_energy", "housing_type", "occupancy", "dpe_class",
               "dpe_class_after")
NUMERIC = ("reference_income", "total_cost_eur", "surface_m2", "work_quantity",
           "household_size", "construction_year", "number")
WORDS = ["pac", "pas", "de", "gaz", "fenêtres", "80", "m2", "on", "est", "3", "32 000", "€",
         "années", "70", "classe", "E", "sans", "isoler", "les", "murs", "par", "l'extérieur",
         "combles", "revenu", "k", "devis", "cinq", "mille", "ni", "fioul", ",", ".", "😀",
         "<b>", "1,2", "M", "code postal", "80000", "en", "C", "de G à C", "seul", "enfants"]


def _valid(span: dict, text: str) -> bool:
    entity, value = span["entity"], span["value"]
    if not 0 <= span["start"] < span["end"] <= len(text):
        return False
    if text[span["start"]:span["end"]] != span["text"]:
        return False
    if entity in ("dpe_class", "dpe_class_after"):
        return value in "ABCDEFG" and len(value) == 1
    if entity in CATEGORICAL:
        return value in catalogue().codes(entity)
    if entity == "postal_code":
        return isinstance(value, str) and len(value) == 5 and value.isdigit()
    if entity in NUMERIC:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return False


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_valid_spans(text):
    spans = extract(text)
    assert all(_valid(span, text) for span in spans)
    # Categorical and numeric spans never overlap each other.
    ordered = sorted(spans, key=lambda span: span["start"])
    for left, right in zip(ordered, ordered[1:], strict=False):
        assert left["end"] <= right["start"] or left["entity"].startswith("dpe")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=25))
def test_homeowner_like_word_salads_give_valid_spans(words):
    text = " ".join(words)
    assert all(_valid(span, text) for span in extract(text))


def test_odd_inputs_give_nothing_or_valid_spans():
    for value in (None, 42, 3.5, [], {}, b"pac", "", "   ", "\x00\x01", "\u202e pac"):
        spans = extract(value)
        assert isinstance(spans, list)
        if isinstance(value, str):
            assert all(_valid(span, value) for span in spans)


def test_huge_and_foreign_messages_are_read_in_bounded_time():
    inputs = [
        "pompe à chaleur " * 700,  # ~11 000 characters of one work
        "a" * 10_000,
        "x" * 10_000 + " fenêtres",
        "😀🏠🔥" * 3_400,
        "<div><script>alert('pac')</script>" * 300,
        "Привет, как дела? 你好世界 مرحبا بالعالم " * 250,
        "1 2 3 4 5 6 7 8 9 " * 560,
        "isolatoin fennetres chaudiere granules pomp a chaleur " * 190,
    ]
    for text in inputs:
        started = time.process_time()
        spans = extract(text)
        elapsed = time.process_time() - started
        assert all(_valid(span, text) for span in spans)
        assert elapsed < 1.0, (text[:30], elapsed)
