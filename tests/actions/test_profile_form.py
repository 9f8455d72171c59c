"""validate_profile_form with a fake tracker: asks only what the goal needs, reads free
answers, re-asks with a clear French message, accepts corrections and digressions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa_sdk.executor import CollectingDispatcher

from actions.profile_form import ValidateProfileForm
from actions.slots import FORM_SLOTS, required_slots_for
from tests.actions.conftest import make_tracker, slot_sets, texts

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text())

AIDS_DONE = {"goal": "aids", "postal_code": "80000", "insee_code": "80021", "city": "Amiens",
             "occupancy": "owner_occupier", "housing_type": "house",
             "works": ["attic_insulation"], "size_attic_insulation": 80.0,
             "construction_year": 1975, "household_size": 3}


async def run_form(dispatcher, domain, **kwargs):
    events = await ValidateProfileForm().run(dispatcher, make_tracker(**kwargs), domain)
    return slot_sets(events)


def test_required_slots_depend_on_the_goal():
    assert required_slots_for("advisor", {}) == ["postal_code"]
    assert required_slots_for("craftsmen", {}) == ["postal_code", "works"]
    assert required_slots_for("aids", {}) == [
        "postal_code", "occupancy", "housing_type", "works", "construction_year",
        "household_size", "reference_income"]
    # Per-m² and per-window aids need the quantities; heat pumps need the heated surface.
    assert required_slots_for("aids", {"works": ["windows", "air_water_heat_pump",
                                                 "attic_insulation"]})[3:7] == [
        "works", "size_attic_insulation", "size_windows", "surface_m2"]
    assert "construction_year" not in required_slots_for("savings", {"dpe_class": "E"})
    assert required_slots_for("savings", {"dpe_class": "unknown"})[-3:] == [
        "dpe_class", "construction_year", "works"]
    assert required_slots_for(None, {}) == []


async def test_free_text_answer_in_words_is_read(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="cent vingt mètres carrés",
                           before={"goal": "savings", "postal_code": "80000",
                                   "housing_type": "house"},
                           requested_slot="surface_m2")
    assert slots["surface_m2"] == 120
    assert slots["requested_slot"] == "heating_energy"
    assert texts(dispatcher) == "C'est noté : surface habitable = 120 m²."


async def test_out_of_range_surface_is_asked_again(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="3 m2",
                           before={"goal": "savings", "postal_code": "80000",
                                   "housing_type": "house"},
                           requested_slot="surface_m2")
    assert slots["surface_m2"] is None
    assert slots["requested_slot"] == "surface_m2"
    assert "3 m² paraît trop petite" in texts(dispatcher)


async def test_decade_is_accepted_and_explained(dispatcher, domain):
    before = {key: AIDS_DONE[key] for key in AIDS_DONE
              if key not in ("construction_year", "household_size")}
    slots = await run_form(dispatcher, domain, text="dans les années 70", before=before,
                           requested_slot="construction_year")
    assert slots["construction_year"] == 1975
    assert slots["requested_slot"] == "household_size"
    assert "J'ai retenu 1975, le milieu des années 1970" in texts(dispatcher)


async def test_future_year_is_refused(dispatcher, domain):
    before = {key: AIDS_DONE[key] for key in AIDS_DONE
              if key not in ("construction_year", "household_size")}
    slots = await run_form(dispatcher, domain, text="2090", before=before,
                           requested_slot="construction_year")
    assert slots["construction_year"] is None
    assert slots["requested_slot"] == "construction_year"
    assert "L'année 2090 est dans le futur" in texts(dispatcher)


async def test_household_of_zero_is_refused(dispatcher, domain):
    before = {key: AIDS_DONE[key] for key in AIDS_DONE if key != "household_size"}
    slots = await run_form(dispatcher, domain, text="0", before=before,
                           requested_slot="household_size")
    assert slots["household_size"] is None
    assert "Un foyer compte au moins une personne" in texts(dispatcher)


async def test_last_answer_completes_the_form(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="32k", before=AIDS_DONE,
                           requested_slot="reference_income")
    assert slots["reference_income"] == 32000
    assert slots["requested_slot"] is None


async def test_correction_of_an_earlier_answer_mid_form(dispatcher, domain):
    """Asked for the income, the user corrects the household size: it is updated, said,
    and the income is asked again."""
    slots = await run_form(dispatcher, domain, text="en fait nous sommes 4 personnes",
                           before=AIDS_DONE, requested_slot="reference_income")
    assert slots["household_size"] == 4
    assert "reference_income" not in slots
    assert slots["requested_slot"] == "reference_income"
    assert ("C'est noté, je corrige : nombre de personnes du foyer = 4 personnes "
            "(au lieu de 3 personnes).") in texts(dispatcher)


async def test_correction_through_an_entity(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="finalement c'est 1982",
                           entities=[{"entity": "construction_year", "value": "1982"}],
                           candidates={"construction_year": "1982"},
                           before=AIDS_DONE, requested_slot="reference_income")
    assert slots["construction_year"] == 1982
    assert slots["requested_slot"] == "reference_income"
    assert "au lieu de 1975" in texts(dispatcher)


async def test_invalid_correction_keeps_the_earlier_answer(dispatcher, domain):
    before = {**AIDS_DONE, "surface_m2": 120.0}
    slots = await run_form(dispatcher, domain, text="3 m2", before=before,
                           requested_slot="reference_income")
    assert slots["surface_m2"] == 120.0
    assert "Je garde pour l'instant : surface habitable = 120 m²" in texts(dispatcher)


@pytest.mark.parametrize("intent", ["faq", "contact_advisor", "ask_capabilities", "restart",
                                    "out_of_scope"])
async def test_digression_is_not_read_as_an_answer(dispatcher, domain, intent):
    """Nothing extracted: the form is rejected and the rules answer the digression."""
    slots = await run_form(dispatcher, domain, text="C'est quoi le DPE ? 80 m2", intent=intent,
                           before={"goal": "savings"}, requested_slot="postal_code")
    assert set(slots) <= {"requested_slot"}
    assert dispatcher.messages == []


async def test_unknown_postal_code(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="99999", before={"goal": "advisor"},
                           requested_slot="postal_code")
    assert slots["postal_code"] is None
    assert "Le code postal 99999 ne correspond à aucune commune" in texts(dispatcher)


async def test_postal_code_of_one_commune(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="80090", before={"goal": "advisor"},
                           requested_slot="postal_code")
    assert (slots["postal_code"], slots["insee_code"], slots["city"]) == (
        "80090", "80021", "Amiens")
    assert slots["requested_slot"] is None
    assert "C'est noté : logement à Amiens (80090)." in texts(dispatcher)


async def test_postal_code_shared_by_several_communes_offers_buttons(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="80470", before={"goal": "advisor"},
                           requested_slot="postal_code")
    assert slots["postal_code"] is None
    assert slots["requested_slot"] == "postal_code"
    # The choice is the question itself (action_ask_postal_code), so its buttons are on the
    # turn's last message.
    message = slots["place_choice"]
    assert message["text"].startswith("Plusieurs communes ont le code postal 80470")
    titles = [button["title"] for button in message["buttons"]]
    assert "Saveuse (80470)" in titles and "Ailly-sur-Somme" in titles  # 20 characters at most
    assert {"title": "Saveuse (80470)",
            "payload": '/inform{"postal_code": "80470", "city": "Saveuse"}'} in message["buttons"]


async def test_commune_button_resolves_the_choice(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text='/inform{"postal_code": "80470"}',
                           entities=[{"entity": "postal_code", "value": "80470"},
                                     {"entity": "city", "value": "Saveuse"}],
                           candidates={"postal_code": "80470"},
                           before={"goal": "advisor"}, requested_slot="postal_code")
    assert (slots["postal_code"], slots["insee_code"], slots["city"]) == (
        "80470", "80730", "Saveuse")


async def test_town_name_instead_of_postal_code(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="j'habite à Amiens",
                           before={"goal": "advisor"}, requested_slot="postal_code")
    assert (slots["postal_code"], slots["insee_code"]) == ("80000", "80021")


async def test_unknown_town(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="Zzyzxville", before={"goal": "advisor"},
                           requested_slot="postal_code")
    assert slots["postal_code"] is None
    assert "Je ne trouve aucune commune nommée « Zzyzxville »" in texts(dispatcher)


async def test_savings_asks_the_year_only_when_the_dpe_is_unknown(dispatcher, domain):
    before = {"goal": "savings", "postal_code": "80000", "housing_type": "house",
              "surface_m2": 100.0, "heating_energy": "fuel_oil"}
    slots = await run_form(dispatcher, domain, text="je ne sais pas", intent="deny",
                           before=before, requested_slot="dpe_class")
    assert slots["dpe_class"] == "unknown"
    assert slots["requested_slot"] == "construction_year"


async def test_prefilled_raw_entities_are_normalised_at_activation(dispatcher, domain):
    """Entities given before the form starts ("maison de cent vingt m2 à Amiens") are
    validated when it activates; only the missing slots are then asked."""
    text = "maison de cent vingt m2 à 80000"
    slots = await run_form(dispatcher, domain, text=text, intent="ask_savings",
                           entities=[{"entity": "surface_m2", "value": "cent vingt m2",
                                      "start": 9, "end": 22},
                                     {"entity": "housing_type", "value": "maison"},
                                     {"entity": "postal_code", "value": "80000"}],
                           candidates={"surface_m2": "cent vingt m2", "housing_type": "maison",
                                       "postal_code": "80000"},
                           before={"goal": "savings"}, requested_slot=None,
                           active_loop=None)
    assert slots["surface_m2"] == 120
    assert slots["housing_type"] == "house"
    assert slots["requested_slot"] == "heating_energy"


@pytest.mark.parametrize("text", ["", "😀😀😀", "<script>alert(1)</script>", "x" * 10_000])
async def test_odd_answers_never_raise(dispatcher, domain, text):
    slots = await run_form(dispatcher, domain, text=text, before={"goal": "savings"},
                           requested_slot="surface_m2")
    assert slots.get("surface_m2") is None
    if text:
        assert dispatcher.messages  # a French reason, then the question again


async def test_work_quantities_are_asked_after_the_works(dispatcher, domain):
    before = {"goal": "aids", "postal_code": "80000", "occupancy": "owner_occupier",
              "housing_type": "house"}
    slots = await run_form(dispatcher, domain, text="les combles et huit fenêtres",
                           before=before, requested_slot="works")
    assert slots["works"] == ["attic_insulation", "windows"]
    assert slots["requested_slot"] == "size_attic_insulation"


async def test_work_surface_answer_in_m2_stays_with_the_work(dispatcher, domain):
    before = {"goal": "aids", "postal_code": "80000", "occupancy": "owner_occupier",
              "housing_type": "house", "works": ["attic_insulation", "windows"]}
    slots = await run_form(dispatcher, domain, text="quatre-vingts m2", before=before,
                           requested_slot="size_attic_insulation")
    assert slots["size_attic_insulation"] == 80
    assert "surface_m2" not in slots
    assert slots["requested_slot"] == "size_windows"


async def test_window_count_out_of_range(dispatcher, domain):
    before = {"goal": "aids", "postal_code": "80000", "occupancy": "owner_occupier",
              "housing_type": "house", "works": ["windows"]}
    slots = await run_form(dispatcher, domain, text="500", before=before,
                           requested_slot="size_windows")
    assert slots["size_windows"] is None
    assert "500 n'est pas un nombre plausible (entre 1 et 200)" in texts(dispatcher)


async def test_nlu_surface_entity_answers_the_work_area_question(dispatcher, domain):
    """Asked the attic area, "80 m2" is tagged `surface_m2` by the NLU: it is the attic
    area, and the home's surface keeps its earlier value."""
    before = {"goal": "aids", "postal_code": "80000", "occupancy": "owner_occupier",
              "housing_type": "house", "works": ["attic_insulation"], "surface_m2": 120.0}
    slots = await run_form(dispatcher, domain, text="80 m2",
                           entities=[{"entity": "surface_m2", "value": "80 m2"}],
                           candidates={"surface_m2": "80 m2"},
                           before=before, requested_slot="size_attic_insulation")
    assert slots["size_attic_insulation"] == 80
    assert slots["surface_m2"] == 120.0
    assert slots["requested_slot"] == "construction_year"
    assert texts(dispatcher) == "C'est noté : surface de combles à isoler = 80 m²."


async def test_window_count_tagged_as_household_size_is_the_count(dispatcher, domain):
    before = {"goal": "aids", "postal_code": "80000", "occupancy": "owner_occupier",
              "housing_type": "house", "works": ["windows"], "household_size": 3}
    slots = await run_form(dispatcher, domain, text="8",
                           entities=[{"entity": "household_size", "value": "8"}],
                           candidates={"household_size": "8"},
                           before=before, requested_slot="size_windows")
    assert slots["size_windows"] == 8
    assert slots["household_size"] == 3


async def test_bare_number_misread_as_postal_code_answers_the_question(dispatcher, domain):
    before = {key: AIDS_DONE[key] for key in AIDS_DONE
              if key not in ("construction_year", "household_size")}
    slots = await run_form(dispatcher, domain, text="2090",
                           entities=[{"entity": "postal_code", "value": "2090"}],
                           candidates={"postal_code": "2090"},
                           before=before, requested_slot="construction_year")
    assert slots["postal_code"] == "80000"
    assert slots["construction_year"] is None
    assert "L'année 2090 est dans le futur" in texts(dispatcher)
    assert "code postal" not in texts(dispatcher)


async def test_a_real_postal_code_mid_form_is_a_correction(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="en fait c'est à Paris 75011",
                           entities=[{"entity": "postal_code", "value": "75011"}],
                           candidates={"postal_code": "75011"},
                           before=AIDS_DONE, requested_slot="reference_income")
    assert (slots["postal_code"], slots["insee_code"]) == ("75011", "75056")
    assert "reference_income" not in slots
    assert "je corrige la commune : Paris (75011), au lieu de Amiens (80000)." in \
        texts(dispatcher)


async def test_town_named_in_a_faq_question_is_not_an_answer(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="c'est quoi l'espace conseil d'Amiens ?",
                           intent="faq", entities=[{"entity": "city", "value": "Amiens"}],
                           before={"goal": "aids"}, requested_slot="postal_code")
    assert set(slots) <= {"requested_slot"}


async def test_new_question_with_facts_mid_form_switches_the_goal(dispatcher, domain):
    """"Et un artisan pour une pompe à chaleur ?" while the aids form asks the income."""
    slots = await run_form(dispatcher, domain, text="et un artisan pour une pompe à chaleur ?",
                           intent="find_craftsman",
                           entities=[{"entity": "work_type", "value": "air_water_heat_pump"}],
                           candidates={"works": ["air_water_heat_pump"]},
                           before=AIDS_DONE, requested_slot="reference_income")
    assert slots["goal"] == "craftsmen"
    assert slots["works"] == ["attic_insulation", "air_water_heat_pump"]  # added
    assert slots["requested_slot"] is None  # postal code and works known: answer now


def test_digression_entities_do_not_fill_slots(domain):
    """Slot mappings skip entities of digression intents (the FAQ is answered instead)."""
    for name, slot in domain["slots"].items():
        for mapping in slot["mappings"]:
            if mapping["type"] == "from_entity":
                assert "faq" in mapping["not_intent"], name


async def test_town_in_the_opening_question_is_read_at_activation(dispatcher, domain):
    slots = await run_form(dispatcher, domain,
                           text="Quelles aides pour isoler mes combles ? J'habite à Amiens.",
                           intent="ask_subsidies",
                           entities=[{"entity": "work_type", "value": "attic_insulation"},
                                     {"entity": "city", "value": "Amiens"}],
                           candidates={"works": ["attic_insulation"]},
                           before={"goal": "aids"}, requested_slot=None, active_loop=None)
    assert (slots["postal_code"], slots["insee_code"]) == ("80000", "80021")
    assert slots["requested_slot"] == "occupancy"
    assert "logement à Amiens (80000)" in texts(dispatcher)


@settings(max_examples=150)
@given(text=st.text(max_size=300), requested=st.sampled_from(FORM_SLOTS),
       intent=st.sampled_from(["inform", "nlu_fallback", "deny", "faq", "ask_savings"]))
async def test_any_answer_to_any_question_never_raises(text, requested, intent):
    """Whatever is typed, the validator answers with slot events (and maybe a French
    message), never an exception; a profile slot it sets is a normalised value or None."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text=text, intent=intent, before={**AIDS_DONE, "goal": "savings"},
                           requested_slot=requested)
    events = await ValidateProfileForm().run(dispatcher, tracker, DOMAIN)
    for name, value in slot_sets(events).items():
        if name in ("surface_m2", "reference_income") and value is not None:
            assert isinstance(value, (int, float))
        if name == "household_size" and value is not None:
            assert isinstance(value, int) and 1 <= value <= 30


async def test_commune_chosen_earlier_is_not_asked_again(dispatcher, domain):
    """When the form starts again (new question), an already resolved shared postal code
    is kept as it is, without offering the choice again."""
    before = {"goal": "advisor", "postal_code": "80470", "insee_code": "80730",
              "city": "Saveuse"}
    slots = await run_form(dispatcher, domain, text="/find_craftsman", intent="find_craftsman",
                           candidates={"postal_code": "80470"}, before=before,
                           requested_slot=None, active_loop=None)
    assert slots["postal_code"] == "80470"
    assert dispatcher.messages == []


async def test_works_missed_by_the_nlu_are_added_from_the_words(dispatcher, domain):
    before = {"goal": "craftsmen", "postal_code": "80000", "insee_code": "80021"}
    slots = await run_form(dispatcher, domain, text="isoler les combles et changer les fenêtres",
                           entities=[{"entity": "work_type", "value": "attic_insulation"}],
                           candidates={"works": ["attic_insulation"]}, before=before,
                           requested_slot="works")
    assert slots["works"] == ["attic_insulation", "windows"]
    assert slots["requested_slot"] is None


async def test_decade_read_from_the_words_when_the_nlu_tags_only_the_number(dispatcher, domain):
    before = {key: AIDS_DONE[key] for key in AIDS_DONE
              if key not in ("construction_year", "household_size")}
    slots = await run_form(dispatcher, domain, text="années soixante-dix",
                           entities=[{"entity": "construction_year", "value": "soixante-dix"}],
                           candidates={"construction_year": "soixante-dix"},
                           before=before, requested_slot="construction_year")
    assert slots["construction_year"] == 1975
    assert "J'ai retenu 1975" in texts(dispatcher)
