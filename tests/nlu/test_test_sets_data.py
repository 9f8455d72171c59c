"""The test sets written apart from the training data (issue 10): the held-out set of
`make test` (tests/nlu/heldout/, the sixth set, measured once by the fifth NLU pass) and the
second to fifth sets (tests/nlu/dev/second_heldout/ … fifth_heldout/, each measured once, then
read for error analysis). Each is well-formed, in the contract's vocabulary, large enough, and
apart from everything the pipelines were trained on and from the other sets.

All were written without reading the training data, the dev set or the earlier sets; this test
is what proves the separation. The first set (tests/nlu/dev/former_heldout/) predates these
checks and counts only as a set the others must not repeat.

Fast: YAML only, no Rasa import, no model.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.vocabulary.catalogue import CATEGORICAL_ENTITIES, catalogue
from nlu_eval.heldout import (
    DEV_DIR,
    FIFTH_HELDOUT_DIR,
    FORMER_HELDOUT_DIR,
    FOURTH_HELDOUT_DIR,
    HELDOUT_DIR,
    QUESTIONS,
    SECOND_HELDOUT_DIR,
    THIRD_HELDOUT_DIR,
    HeldoutMessage,
    load_heldout,
    training_key,
)

ROOT = Path(__file__).resolve().parents[2]
# The sets checked here: the second to fifth (measured once, then read) and the sixth (held out).
WRITTEN_APART = {"second": SECOND_HELDOUT_DIR, "third": THIRD_HELDOUT_DIR,
                 "fourth": FOURTH_HELDOUT_DIR, "fifth": FIFTH_HELDOUT_DIR, "sixth": HELDOUT_DIR}
SET_FILES = ("faq.yml", "handoff.yml", "inform.yml", "questions.yml", "short_and_chitchat.yml")
NLU_DIR = ROOT / "data" / "nlu"

# The brief's minimums.
MIN_MESSAGES = 450
MIN_PER_INTENT = 8
MIN_PER_FAQ_KEY = 5
MIN_MULTI_FACT = 40
MIN_SHORT_REPLIES = 40
# A reply of one or two words ("oui", "merci beaucoup") is a closed list that any training set
# also holds; from three words on, a text found in the training data is a leak.
MIN_WORDS_FOR_LEAK = 3
NUMERIC = ("surface_m2", "construction_year", "household_size", "reference_income",
           "total_cost_eur", "number", "work_quantity")
DPE_CLASSES = ("A", "B", "C", "D", "E", "F", "G")
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@pytest.fixture(scope="module", params=sorted(WRITTEN_APART))
def set_dir(request) -> Path:
    return WRITTEN_APART[request.param]


@pytest.fixture(scope="module")
def raw_items(set_dir) -> list[dict]:
    items = []
    for name in SET_FILES:
        loaded = yaml.safe_load((set_dir / name).read_text(encoding="utf-8"))
        assert isinstance(loaded, list) and loaded, name
        items.extend(loaded)
    return items


@pytest.fixture(scope="module")
def messages(set_dir) -> list[HeldoutMessage]:
    return load_heldout(set_dir)


@pytest.fixture(scope="module")
def domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def _faq_keys(domain: dict) -> set[str]:
    # utter_faq/* answers live in the domain or in data/nlu/responses/ (retrieval responses).
    names = set(domain.get("responses") or {})
    for path in sorted((NLU_DIR / "responses").glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names |= set(document.get("responses") or {})
    return {name.split("/", 1)[1] for name in names if name.startswith("utter_faq/")}


def _domain_entities(domain: dict) -> dict[str, set[str]]:
    """Entity name -> the roles the domain declares for it."""
    entities: dict[str, set[str]] = {}
    for item in domain["entities"]:
        if isinstance(item, str):
            entities[item] = set()
        else:
            for name, spec in item.items():
                entities[name] = set((spec or {}).get("roles") or ())
    return entities


def _training_texts() -> list[str]:
    """Intent examples of data/nlu/*.yml, annotations removed (lookups, synonyms excluded)."""
    texts = []
    for path in sorted(NLU_DIR.rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in document.get("nlu") or []:
            if "intent" not in block:
                continue
            examples = block.get("examples") or []
            if isinstance(examples, str):
                lines = [line.strip()[2:] for line in examples.splitlines()
                         if line.strip().startswith("- ")]
            else:
                lines = [str(example.get("text", "")) for example in examples]
            texts.extend(ANNOTATION.sub(r"\1", line) for line in lines)
    return texts


def test_the_set_is_its_five_files(set_dir, raw_items):
    # Every file is loaded by load_heldout(set_dir): nothing else hides in the folder.
    assert sorted(p.name for p in set_dir.rglob("*.yml")) == sorted(SET_FILES)


def test_every_file_parses_into_labelled_messages(raw_items):
    for item in raw_items:
        assert set(item) <= {"text", "intent", "entities"}, item
        assert isinstance(item["text"], str) and item["text"].strip(), item
        assert isinstance(item["intent"], str), item
        for entity in item.get("entities") or []:
            assert set(entity) <= {"entity", "value", "role"} and "value" in entity, item


def test_no_message_is_given_twice(messages):
    counts = Counter(training_key(m.text) for m in messages)
    assert [text for text, count in counts.items() if count > 1] == []


def test_intents_and_faq_keys_exist_in_the_domain(messages, domain):
    intents = set(domain["intents"])
    faq_keys = _faq_keys(domain)
    assert {m.base_intent for m in messages} <= intents
    assert {m.intent.split("/", 1)[1] for m in messages if m.base_intent == "faq"} <= faq_keys
    # A faq message names its sub-intent; no other intent has one.
    assert all(("/" in m.intent) == (m.base_intent == "faq") for m in messages)


def test_entities_and_codes_are_the_contract_vocabulary(raw_items, domain):
    declared = _domain_entities(domain)
    vocabulary = catalogue()
    codes = {entity: set(vocabulary.codes(entity)) for entity in CATEGORICAL_ENTITIES}
    codes["dpe_class_after"] = set(DPE_CLASSES)
    for item in raw_items:
        for entity in item.get("entities") or []:
            name, value, role = entity["entity"], entity["value"], entity.get("role")
            assert name in declared, item
            assert role is None or role in declared[name], item
            if name in codes:
                assert value in codes[name], item  # exact contract code, case included
            elif name == "postal_code":
                assert isinstance(value, str) and re.fullmatch(r"\d{5}", value), item
                assert value in item["text"].replace(" ", ""), item
            elif name == "city":
                assert isinstance(value, str) and value.strip(), item
                assert value in item["text"], item  # a commune name as written
            else:
                assert name in NUMERIC and isinstance(value, (int, float)), item
                assert not isinstance(value, bool) and value >= 0, item
            if name == "work_quantity":
                # The role is the work the quantity belongs to, one measured in m² or a count,
                # and that work is labelled in the same message.
                assert vocabulary.value("work_type", role).quantity in ("m2", "count"), item
                assert {"entity": "work_type", "value": role} in item["entities"], item
            if name == "construction_year" and role == "decade":
                assert value % 10 == 5, item  # « années 70 » is the middle of the decade


def test_counts_meet_the_minimums(messages, domain):
    assert len(messages) >= MIN_MESSAGES
    per_intent = Counter(m.base_intent for m in messages)
    assert {i: per_intent[i] for i in domain["intents"] if per_intent[i] < MIN_PER_INTENT} == {}
    per_faq = Counter(m.intent for m in messages if m.base_intent == "faq")
    assert {k: per_faq[f"faq/{k}"] for k in _faq_keys(domain)
            if per_faq[f"faq/{k}"] < MIN_PER_FAQ_KEY} == {}


def test_long_multi_fact_messages_end_with_their_question(messages):
    multi = [m for m in messages if m.intent in QUESTIONS and len(m.entities) >= 3
             and len(m.text.split()) >= 12 and m.text.rstrip().endswith("?")]
    assert len(multi) >= MIN_MULTI_FACT
    assert {m.intent for m in multi} == set(QUESTIONS)


def test_very_short_replies_are_there(messages):
    short = [m for m in messages if len(m.text.split()) <= 3]
    assert len(short) >= MIN_SHORT_REPLIES


def _folder_texts(folder: Path) -> list[str]:
    """Texts of the files directly in one folder (its sub-folders are listed on their own)."""
    return [str(item["text"]) for path in sorted(folder.glob("*.yml"))
            for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []]


def _other_test_texts(set_dir: Path) -> dict[str, list[str]]:
    """Texts of every other test set, folder by folder: the held-out set, the dev set and its
    sub-folders (the first and second held-out sets moved there); this set excluded."""
    folders = {HELDOUT_DIR, DEV_DIR}
    folders |= {path.parent for folder in set(folders) for path in folder.rglob("*.yml")}
    return {str(folder.relative_to(ROOT)): _folder_texts(folder)
            for folder in sorted(folders) if folder.resolve() != set_dir.resolve()}


def test_no_text_was_trained_on_or_tuned_on(set_dir, messages):
    def keys(texts) -> set[str]:
        return {training_key(text) for text in texts}

    seen = {"data/nlu": keys(_training_texts())}
    seen |= {folder: keys(texts) for folder, texts in _other_test_texts(set_dir).items()}
    # The training data and the earlier sets were found and read.
    assert seen["data/nlu"] and seen.get("tests/nlu/dev") and sum(map(len, seen.values())) > 2000
    for other in {*WRITTEN_APART.values(), FORMER_HELDOUT_DIR} - {set_dir}:
        assert len(seen.get(str(other.relative_to(ROOT)), ())) >= 450, other
    leaked = {source: [m.text for m in messages
                       if len(training_key(m.text).split()) >= MIN_WORDS_FOR_LEAK
                       and training_key(m.text) in texts]
              for source, texts in seen.items()}
    assert leaked == {source: [] for source in seen}
    # The closed list of one- and two-word replies stays a minority of the set.
    short = [m for m in messages if len(training_key(m.text).split()) < MIN_WORDS_FOR_LEAK]
    assert len(short) < len(messages) / 4
