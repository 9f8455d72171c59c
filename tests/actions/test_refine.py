"""« Affiner l'estimation »: the optional questions after a savings estimate, read from the
user's words or the buttons, then the estimate computed again and compared (actions/refine.py,
actions/refine_form.py). A homeowner's answers, never a main-heating change nor a new work."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from actions import refine
from actions.answers import ActionAnswer, profile_data
from actions.profile_form import ValidateProfileForm
from actions.refine_form import comparison
from bot.cli import run_command
from bot.formatting import format_eur, format_kwh
from bot.profile import parse_profile
from tests.actions.conftest import make_tracker, slot_sets, texts

TODAY = dt.date(2026, 11, 29)
# A 1975 fuel-oil house of Amiens whose savings were just estimated (attic insulation).
HOUSE = {"goal": "savings", "postal_code": "80000", "insee_code": "80021", "city": "Amiens",
         "housing_type": "house", "surface_m2": 100.0, "heating_energy": "fuel_oil",
         "dpe_class": "unknown", "construction_year": 1975, "works": ["attic_insulation"]}
FLAT = {**HOUSE, "housing_type": "apartment", "heating_energy": "electricity",
        "surface_m2": 55.0, "occupancy": "tenant", "works": ["windows"]}


@pytest.mark.parametrize(("text", "requested", "expected"), [
    ("mitoyenne des deux côtés", "house_position", {"house_position": "terraced"}),
    ("mitoyenne d'un côté", "house_position", {"house_position": "semi_detached"}),
    ("non, elle est individuelle", "house_position", {"house_position": "detached"}),
    ("non", "house_position", {"house_position": "detached"}),
    ("dernier étage", "apartment_floor", {"apartment_floor": "top"}),
    ("au rez-de-chaussée", "secondary_heating", {"apartment_floor": "ground"}),
    ("on est au 2e étage", "apartment_floor", {"apartment_floor": "middle"}),
    ("poêle à bois", "secondary_heating", {"secondary_heating": "wood_stove"}),
    ("poêle à bois", "walls_insulated", {"secondary_heating": "wood_stove"}),
    ("radiateurs électriques en appoint", "walls_insulated",
     {"secondary_heating": "electric_heaters"}),
    ("des radiateurs électriques", "secondary_heating",
     {"secondary_heating": "electric_heaters"}),
    ("non", "secondary_heating", {"secondary_heating": "none"}),
    ("pas d'appoint", "secondary_heating", {"secondary_heating": "none"}),
    ("pas de poêle", "secondary_heating", {"secondary_heating": "none"}),
    ("des deux côtés", "house_position", {"house_position": "terraced"}),
    ("chaudière à condensation de 2012", "boiler_type",
     {"boiler_type": "condensing", "boiler_age_years": 14}),
    ("une vieille chaudière de 25 ans", "boiler_type", {"boiler_age_years": 25}),
    ("basse température", "boiler_type", {"boiler_type": "low_temperature"}),
    ("12", "boiler_age_years", {"boiler_age_years": 12}),
    ("les combles sont isolés", "secondary_heating", {"roof_insulated": True}),
    ("combles isolés", "roof_insulated", {"roof_insulated": True}),
    ("non", "roof_insulated", {"roof_insulated": False}),
    ("oui", "walls_insulated", {"walls_insulated": True}),
    ("les murs ne sont pas isolés", "roof_insulated", {"walls_insulated": False}),
    ("murs pas isolés", "walls_insulated", {"walls_insulated": False}),
])
def test_free_text_answers_are_read(text, requested, expected):
    assert refine.read_facts(text, requested, today=TODAY) == expected


@pytest.mark.parametrize("text", [
    "isoler les combles",  # a planned work, not an insulated roof
    "je ne sais pas",
    "", " ", "😀" * 50, "<script>alert(1)</script>", "x" * 5000,
    "les combles sont isolés " + "et ainsi de suite " * 30,
])
def test_what_is_not_an_answer_fills_nothing(text):
    assert refine.read_facts(text, "roof_insulated", today=TODAY) == {}


def test_questions_fit_the_home_in_the_order_of_their_gain():
    assert refine.relevant_slots(HOUSE) == [
        "secondary_heating", "walls_insulated", "house_position", "roof_insulated",
        "boiler_type", "boiler_age_years"]
    assert refine.relevant_slots(FLAT) == ["secondary_heating", "apartment_floor"]
    assert refine.relevant_slots({**HOUSE, "heating_energy": "electricity"}) == [
        "secondary_heating", "walls_insulated", "house_position", "roof_insulated"]


def test_button_titles_are_short_and_payloads_are_read():
    for slot in refine.REFINE_SLOTS:
        text, buttons = refine.question(slot)
        assert text and all(len(button["title"]) <= 20 for button in buttons)
        for button in buttons:
            if button["payload"].startswith("/inform"):
                entities = [{"entity": name, "value": value} for name, value
                            in json.loads(button["payload"][len("/inform"):]).items()]
                if entities[0]["entity"] != "refine":
                    assert refine.entity_facts(entities) == {
                        entities[0]["entity"]: entities[0]["value"]}
    assert len(refine.REFINE_BUTTON["title"]) <= 20


def test_unknown_and_wrong_types_stay_out_of_the_profile():
    slots = {**HOUSE, "house_position": "semi_detached", "roof_insulated": "unknown",
             "walls_insulated": "yes", "boiler_age_years": "old", "secondary_heating": 3}
    data = profile_data(slots)
    assert data["house_position"] == "semi_detached"
    for field in ("roof_insulated", "walls_insulated", "boiler_age_years",
                  "secondary_heating"):
        assert field not in data


async def run_form(dispatcher, domain, **kwargs):
    form = ValidateProfileForm()
    tracker = make_tracker(**kwargs)
    events = await form.run(dispatcher, tracker, domain)
    return slot_sets(events)


async def test_the_button_starts_the_questions(dispatcher, domain):
    done = {**HOUSE, "roof_insulated": "unknown"}
    slots = await run_form(dispatcher, domain, text='/inform{"refine": "start"}',
                           entities=[{"entity": "refine", "value": "start"}],
                           before=done, active_loop=None)
    assert slots["refining"] == {}
    assert slots["roof_insulated"] is None  # « je ne sais pas » of last time: asked again
    assert slots["requested_slot"] == "secondary_heating"
    assert "facultatives" in texts(dispatcher)


async def test_a_wood_stove_is_a_second_heater_not_a_new_heating(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="poêle à bois", requested_slot=
                           "secondary_heating", before={**HOUSE, "refining": {}},
                           entities=[{"entity": "work_type", "value": "log_stove"}])
    assert slots["secondary_heating"] == "wood_stove"
    assert "heating_energy" not in slots and "works" not in slots
    assert slots["requested_slot"] == "walls_insulated"
    assert "chauffage d'appoint : poêle ou insert à bois" in texts(dispatcher)


async def test_an_answer_to_another_question_is_kept_and_the_question_asked_again(
        dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="dernier étage",
                           requested_slot="secondary_heating", before={**FLAT, "refining": {}})
    assert slots["apartment_floor"] == "top"
    assert slots["requested_slot"] == "secondary_heating"


async def test_dont_know_leaves_the_field_out_and_moves_on(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="je ne sais pas", intent="dont_know",
                           requested_slot="secondary_heating", before={**FLAT, "refining": {}})
    assert slots["secondary_heating"] == "unknown"
    assert slots["requested_slot"] == "apartment_floor"
    assert "secondary_heating" not in profile_data({**FLAT, **slots})


async def test_cest_tout_stops_the_questions(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="c'est tout", intent="deny",
                           requested_slot="walls_insulated",
                           before={**HOUSE, "refining": {}, "secondary_heating": "none"})
    assert all(slots[name] == "unknown" for name in (
        "walls_insulated", "house_position", "roof_insulated", "boiler_type",
        "boiler_age_years"))
    assert slots["requested_slot"] is None
    assert "recalcule" in texts(dispatcher)


async def test_an_unreadable_answer_changes_nothing(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="<b>" * 200, intent="nlu_fallback",
                           requested_slot="house_position", before={**HOUSE, "refining": {}})
    assert slots.get("house_position") is None
    assert slots["requested_slot"] == "secondary_heating"
    assert "choisissez" in texts(dispatcher)


async def test_asking_for_aids_stops_the_refinement(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="et quelles aides ?",
                           intent="ask_subsidies", requested_slot="walls_insulated",
                           before={**HOUSE, "refining": {}, "goal": "aids"})
    assert slots["refining"] is None


def test_the_comparison_gives_the_engines_figures():
    after_slots = {**HOUSE, "refining": {}, "house_position": "semi_detached",
                   "roof_insulated": True, "secondary_heating": "wood_stove"}
    text = comparison(after_slots)
    before = run_command("savings", parse_profile(profile_data(HOUSE)))
    after = run_command("savings", parse_profile(profile_data(after_slots)))
    assert after["baseline"]["final_energy_kwh"] < before["baseline"]["final_energy_kwh"]
    for figures in (before, after):
        assert format_kwh(figures["baseline"]["final_energy_kwh"]) in text
        assert format_eur(figures["baseline"]["cost_eur"]) in text
        assert format_kwh(figures["savings"]["kwh"]) in text
    assert "Maison mitoyenne" in text and "Chauffage d'appoint" in text


async def test_the_answer_after_refining_says_what_changed(dispatcher, domain):
    slots = {**HOUSE, "refining": {}, "walls_insulated": True}
    events = await ActionAnswer().run(dispatcher, make_tracker(before=slots, active_loop=None),
                                      domain)
    assert slot_sets(events) == {"refining": None}
    assert "l'estimation change" in dispatcher.messages[0]["text"]
    payloads = [b["payload"] for b in dispatcher.messages[-1]["buttons"]]
    assert refine.REFINE_BUTTON["payload"] in payloads  # other questions remain


async def test_the_savings_answer_offers_to_refine_only_while_questions_remain(
        dispatcher, domain):
    answered = {slot: "unknown" for slot in refine.REFINE_SLOTS}
    await ActionAnswer().run(dispatcher, make_tracker(before={**HOUSE, **answered},
                                                      active_loop=None), domain)
    payloads = [b["payload"] for b in dispatcher.messages[-1]["buttons"]]
    assert refine.REFINE_BUTTON["payload"] not in payloads


async def test_an_answer_misread_as_out_of_scope_is_still_read(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="des deux côtés", intent="out_of_scope",
                           requested_slot="house_position", before={**HOUSE, "refining": {}})
    assert slots["house_position"] == "terraced"


async def test_a_faq_in_the_middle_is_not_an_answer(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="c'est quoi un poêle à bois ?",
                           intent="faq", requested_slot="secondary_heating",
                           before={**HOUSE, "refining": {}})
    assert slots.get("secondary_heating") is None
    assert slots["requested_slot"] == "secondary_heating"


async def test_a_new_question_ends_an_unfinished_refinement(dispatcher, domain):
    from actions.answers import ActionSetGoal

    tracker = make_tracker(text="/ask_savings", intent="ask_savings",
                           before={**HOUSE, "refining": {}}, active_loop=None)
    events = await ActionSetGoal().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"goal": "savings", "refining": None}


def test_the_recap_shows_the_answers_given_and_only_those():
    from bot.handoff.summary import build_summary

    slots = {**HOUSE, "occupancy": "owner_occupier", "house_position": "terraced",
             "roof_insulated": False, "walls_insulated": "unknown", "boiler_age_years": 20}
    profile = parse_profile(profile_data(slots))
    home = {fact["label"]: fact["value"] for fact in build_summary(profile)["home"]}
    assert home["Maison mitoyenne"] == "des deux côtés"
    assert home["Toiture déjà isolée"] == "non"
    assert home["Âge de la chaudière"] == "20 ans"
    assert "Murs déjà isolés" not in home and "Chauffage d'appoint" not in home


async def test_typed_words_do_not_start_it_in_the_middle_of_other_questions(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="je voudrais affiner",
                           requested_slot="household_size",
                           before={**HOUSE, "goal": "aids", "occupancy": "owner_occupier"})
    assert slots.get("refining") is None and slots.get("goal", "aids") == "aids"


async def test_a_correction_of_the_home_is_still_heard(dispatcher, domain):
    slots = await run_form(dispatcher, domain, text="en fait on se chauffe au gaz",
                           requested_slot="boiler_type", before={**HOUSE, "refining": {}},
                           entities=[{"entity": "heating_energy", "value": "gas"}])
    assert slots["heating_energy"] == "gas"
    assert slots.get("boiler_type") is None
