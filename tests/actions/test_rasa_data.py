"""`rasa data validate`: the domain, rules, stories and NLU data agree (no unknown intent,
action or response, no story conflict)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_INTENTS = {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge",
                    "ask_capabilities", "ask_subsidies", "ask_savings", "find_craftsman",
                    "contact_advisor", "inform", "faq", "restart", "out_of_scope"}
CONTRACT_ENTITIES = {"work_type", "heating_energy", "housing_type", "occupancy", "dpe_class",
                     "postal_code", "city", "surface_m2", "construction_year", "household_size",
                     "reference_income"}


def test_rasa_data_validate_passes():
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--domain", "domain.yml",
         "--data", "data", "--config", "config.yml"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "No story structure conflicts found" in result.stdout + result.stderr


def test_domain_vocabulary_is_the_contracts():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    # The contract's names, plus the additions agreed in issues 10 and 11 (add, never rename).
    assert CONTRACT_INTENTS | {"dont_know", "ask_why", "ask_details",
                               "ask_sources"} <= set(domain["intents"])
    names = {next(iter(entity)) if isinstance(entity, dict) else entity
             for entity in domain["entities"]}
    assert CONTRACT_ENTITIES | {"dpe_class_after", "total_cost_eur", "number",
                                "work_quantity", "renovation_scope"} <= names


def test_every_form_slot_has_a_question():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    for slot in domain["forms"]["profile_form"]["required_slots"]:
        assert (f"utter_ask_{slot}" in domain["responses"]
                or f"action_ask_{slot}" in domain["actions"]), slot
