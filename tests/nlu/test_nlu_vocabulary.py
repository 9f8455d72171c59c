"""The training data covers the contract's §7 vocabulary, with enough examples per intent,
and every entity value that comes out of synonym mapping is a canonical contract value."""

from __future__ import annotations

import re
from collections import Counter

from bot.profile import DPE_CLASSES, HEATING_ENERGIES, HOUSING_TYPES, OCCUPANCIES, WORK_TYPES

# Contract §7, as written there, plus the intents agreed for issues 10-11 (add, never rename).
CONTRACT_INTENTS = {
    "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "ask_capabilities",
    "ask_subsidies", "ask_savings", "find_craftsman", "contact_advisor", "inform", "faq",
    "restart", "out_of_scope",
}
ADDED_INTENTS = {"dont_know", "ask_why", "ask_details", "ask_sources"}
FAQ_SUB_INTENTS = {
    "maprimerenov", "cee", "eco_ptz", "vat", "dpe", "rge", "energy_audit",
    "accompagnateur_renov", "cheque_energie", "local_desk",
    "reference_income", "copropriete", "tenant",
}
CANONICAL_VALUES = {
    "work_type": set(WORK_TYPES),
    "heating_energy": set(HEATING_ENERGIES),
    "housing_type": set(HOUSING_TYPES),
    "occupancy": set(OCCUPANCIES),
    "dpe_class": set(DPE_CLASSES),
    "dpe_class_after": set(DPE_CLASSES),
}
FREE_TEXT_ENTITIES = {
    "postal_code", "city", "surface_m2", "construction_year", "household_size",
    "reference_income", "total_cost_eur", "work_quantity", "number",
}
MIN_EXAMPLES = 30  # contract intents
MIN_ADDED_EXAMPLES = 10  # intents added later (short, narrow phrasings)
MIN_INFORM_EXAMPLES = 80
MIN_FAQ_EXAMPLES = 8


def _domain_intents() -> set[str]:
    import yaml

    from tests.nlu.conftest import REPO

    domain = yaml.safe_load((REPO / "domain.yml").read_text("utf-8"))
    return {next(iter(item)) if isinstance(item, dict) else item
            for item in domain.get("intents", [])}


def test_every_contract_intent_and_only_declared_ones(training_data):
    assert training_data.intents >= CONTRACT_INTENTS | ADDED_INTENTS
    # An intent trained but not declared in the domain is a typo or a forgotten declaration.
    assert training_data.intents - _domain_intents() == set()


def test_every_faq_sub_intent_has_examples_and_an_answer(examples, training_data):
    keys = {ex.get("intent_response_key") for ex in examples if ex.get("intent") == "faq"}
    assert keys >= {f"faq/{name}" for name in FAQ_SUB_INTENTS}
    assert {key.split("/")[1] for key in keys} <= {
        name.split("/")[1] for name in training_data.responses}


def test_example_counts_meet_the_minimums(examples):
    per_intent = Counter(ex.get("intent") for ex in examples)
    per_faq = Counter(ex.get("intent_response_key") for ex in examples
                      if ex.get("intent") == "faq")
    too_few = {name: count for name, count in per_intent.items()
               if name != "faq" and count < (
                   MIN_EXAMPLES if name in CONTRACT_INTENTS else MIN_ADDED_EXAMPLES)}
    assert too_few == {}
    assert per_intent["inform"] >= MIN_INFORM_EXAMPLES
    assert min(per_faq.values()) >= MIN_FAQ_EXAMPLES
    assert len(per_faq) >= len(FAQ_SUB_INTENTS)


def test_annotated_entities_are_contract_entities(training_data):
    core = set(CANONICAL_VALUES) - {"dpe_class_after"} | {"postal_code", "city", "surface_m2",
                                                           "construction_year", "household_size",
                                                           "reference_income"}
    assert core <= training_data.entities <= set(CANONICAL_VALUES) | FREE_TEXT_ENTITIES


def test_every_synonym_maps_to_a_canonical_value(training_data):
    canonical = set().union(*CANONICAL_VALUES.values())
    wrong = {text: value for text, value in training_data.entity_synonyms.items()
             if value not in canonical}
    assert wrong == {}


def test_synonyms_of_an_entity_type_are_not_shared_with_another_value():
    # The synonym table is global (text -> one value): a text must not mean two things.
    # Rasa keeps the last one silently, so the YAML is read directly here.
    import yaml

    from tests.nlu.conftest import NLU_DIR

    seen: dict[str, str] = {}
    clashes = []
    for item in yaml.safe_load((NLU_DIR / "synonyms.yml").read_text("utf-8"))["nlu"]:
        for line in item["examples"].splitlines():
            text = line.strip()[2:].strip().lower()
            if text in seen and seen[text] != item["synonym"]:
                clashes.append((text, seen[text], item["synonym"]))
            seen[text] = item["synonym"]
    assert clashes == []


def test_annotated_enum_entities_resolve_to_their_own_canonical_values(examples,
                                                                       training_data):
    synonyms = training_data.entity_synonyms
    wrong = []
    for ex in examples:
        for entity in ex.get("entities") or []:
            kind = entity["entity"]
            if kind not in CANONICAL_VALUES:
                continue
            value = str(entity["value"])
            value = synonyms.get(value.lower(), value)
            if value not in CANONICAL_VALUES[kind]:
                wrong.append((ex.get("text"), kind, entity["value"], value))
    assert wrong == []


def test_postal_codes_are_five_digits(examples):
    bad = [entity["value"] for ex in examples for entity in ex.get("entities") or []
           if entity["entity"] == "postal_code" and not re.fullmatch(r"\d{5}", entity["value"])]
    assert bad == []


def test_answers_are_dated_and_name_an_official_site(training_data):
    for name, variants in training_data.responses.items():
        for variant in variants:
            text = variant["text"]
            if "€" in text:  # an amount is only true for a period: say which
                assert "2026" in text, name
            assert ".gouv.fr" in text or "service-public.fr" in text, name
            assert 200 < len(text) < 1600, name


def test_answers_state_the_uncertain_points():
    # aids-rules.md §6 flags these as uncertain: the answers must say so, not guess.
    import yaml

    from tests.nlu.conftest import NLU_DIR

    responses = yaml.safe_load((NLU_DIR / "responses" / "faq.yml").read_text("utf-8"))
    text = {name: value[0]["text"] for name, value in responses["responses"].items()}
    assert "plafonds de revenus 2026" in text["utter_faq/maprimerenov"]
    assert "30 000 € ou\n50 000 €" in text["utter_faq/eco_ptz"] or \
        "30 000 € ou 50 000 €" in text["utter_faq/eco_ptz"].replace("\n", " ")
    assert "⚠" in text["utter_faq/cheque_energie"]
    assert "0 808 800 700" in text["utter_faq/local_desk"]
