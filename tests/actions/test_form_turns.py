"""The form never guesses destructively (issue 11 §1–3), with a fake tracker: a bare
5-digit number never moves the home, bad input changes nothing, a change to a known
answer needs an explicit correction or a yes, "je ne sais pas" gets a default or help,
the works are a list the user edits."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.profile_form import ValidateProfileForm
from actions.slots import CONFIRM_SLOT
from tests.actions.conftest import make_tracker, slot_sets, texts

AMIENS = {"postal_code": "80000", "insee_code": "80021", "city": "Amiens"}
HOME = {"goal": "aids", **AMIENS, "occupancy": "owner_occupier", "housing_type": "house",
        "works": ["attic_insulation", "windows", "air_water_heat_pump"]}
# Every question of the form but the postal code, asked with the facts before it known.
QUESTIONS = ["occupancy", "housing_type", "works", "size_attic_insulation", "size_windows",
             "surface_m2", "heating_energy", "construction_year", "household_size",
             "reference_income", "dpe_class", "dpe_class_after", "total_cost_eur"]


async def turn(domain, text, requested, before=None, intent="inform", entities=None,
               candidates=None):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text=text, intent=intent, entities=entities,
                           candidates=candidates, before=before or HOME,
                           requested_slot=requested)
    events = await ValidateProfileForm().run(dispatcher, tracker, domain)
    return slot_sets(events), texts(dispatcher)


def _final(before: dict, slots: dict, name: str):
    return slots.get(name, before.get(name))


@pytest.mark.parametrize("requested", QUESTIONS)
async def test_no_five_digit_answer_ever_moves_the_home(domain, requested):
    """Every 5-digit number from 01000 to 98000 (step 1 000), typed alone as the answer to
    each non-postal question, the way the NLU tags it (a postal_code entity): the commune
    stays Amiens, and no other known answer changes."""
    for number in range(1000, 98001, 1000):
        text = f"{number:05d}"
        for before in (HOME, {**HOME, "household_size": 3, "reference_income": 30000}):
            slots, _ = await turn(domain, text, requested, before=before,
                                  entities=[{"entity": "postal_code", "value": text,
                                             "start": 0, "end": 5}],
                                  candidates={"postal_code": text})
            for name in ("postal_code", "insee_code", "city"):
                assert _final(before, slots, name) == before[name], (text, requested, slots)
            for name, value in before.items():
                if name != requested:
                    assert _final(before, slots, name) == value, (text, requested, name)


BAD_INPUTS = ["🏠🔥💶", "x" * 5000, "<script>alert('x')</script><b>80000</b>",
              "What is the weather like in London?", "Как дела?", "", "   ", "\u0000\u202e"]


@pytest.mark.parametrize("text", BAD_INPUTS)
@pytest.mark.parametrize("requested", ["household_size", "reference_income", "works",
                                       "surface_m2", "construction_year"])
async def test_bad_input_mid_form_changes_nothing(domain, text, requested):
    before = {**HOME, "surface_m2": 100.0, "heating_energy": "fuel_oil",
              "size_attic_insulation": 80.0, "size_windows": 8, "household_size": 3,
              "construction_year": 1975}
    before.pop(requested, None)
    slots, said = await turn(domain, text, requested, before=before)
    for name, value in before.items():
        assert _final(before, slots, name) == value, (name, slots)
    assert slots.get(requested) is None
    assert "Traceback" not in said


async def test_a_bare_income_answering_another_question_is_kept_and_the_question_stays(domain):
    before = {k: v for k, v in HOME.items() if k != "occupancy"}
    slots, said = await turn(domain, "29000", "occupancy", before=before,
                             entities=[{"entity": "postal_code", "value": "29000"}],
                             candidates={"postal_code": "29000"})
    assert slots["reference_income"] == 29000
    assert slots["postal_code"] == "80000"
    assert slots["requested_slot"] == "occupancy"
    assert "C'est noté : revenu fiscal de référence = 29\u202f000 €." in said


async def test_a_year_where_the_surface_is_asked_is_confirmed_not_stored(domain):
    slots, _ = await turn(domain, "1975", "surface_m2")
    assert slots["surface_m2"] is None
    assert slots["pending_change"]["value"] == 1975
    assert slots["requested_slot"] == CONFIRM_SLOT


async def test_a_number_in_words_for_the_household_is_the_household(domain):
    slots, _ = await turn(domain, "cinq", "household_size",
                          entities=[{"entity": "construction_year", "value": "cinq"}],
                          candidates={"construction_year": "cinq"})
    assert slots["household_size"] == 5
    assert slots.get("construction_year") is None


async def test_about_a_hundred_square_metres(domain):
    slots, said = await turn(domain, "une centaine de m2", "surface_m2")
    assert slots["surface_m2"] == 100
    assert "surface habitable = 100 m²" in said


async def test_works_cost_is_not_the_income(domain):
    slots, _ = await turn(domain, "60 000 € de travaux", "reference_income",
                          entities=[{"entity": "reference_income", "value": "60 000 €",
                                     "start": 0, "end": 8}],
                          candidates={"reference_income": "60 000 €"})
    assert slots["total_cost_eur"] == 60000
    assert slots["reference_income"] is None


async def test_change_without_correction_words_is_confirmed_first(domain):
    before = {**HOME, "household_size": 4}
    entity = [{"entity": "household_size", "value": "3", "start": 7, "end": 8}]
    slots, _ = await turn(domain, "on est 3", "reference_income", before=before,
                          entities=entity, candidates={"household_size": "3"})
    assert slots["household_size"] == 4
    assert slots["requested_slot"] == CONFIRM_SLOT
    pending = slots["pending_change"]
    confirmed, said = await turn(domain, "oui", CONFIRM_SLOT, intent="affirm",
                                 before={**before, "pending_change": pending})
    assert confirmed["household_size"] == 3 and confirmed["pending_change"] is None
    assert "au lieu de 4 personnes" in said
    refused, said = await turn(domain, "non", CONFIRM_SLOT, intent="deny",
                               before={**before, "pending_change": pending})
    assert refused.get("household_size", 4) == 4 and refused["pending_change"] is None
    assert "je garde" in said


async def test_explicit_correction_is_applied_at_once(domain):
    before = {**HOME, "household_size": 4}
    slots, said = await turn(domain, "non, on est 3", "reference_income", before=before,
                             entities=[{"entity": "household_size", "value": "3",
                                        "start": 11, "end": 12}],
                             candidates={"household_size": "3"})
    assert slots["household_size"] == 3
    assert "je corrige" in said


async def test_commune_correction_in_words(domain):
    slots, said = await turn(domain, "en fait c'est à Camon", "household_size",
                             entities=[{"entity": "city", "value": "Camon", "start": 16,
                                        "end": 21}],
                             candidates={"city": "Camon"})
    assert (slots["postal_code"], slots["city"]) == ("80450", "Camon")  # the Somme's Camon
    assert "je corrige la commune" in said


async def test_shared_commune_name_prefers_the_home_territory(domain, monkeypatch):
    before = {"goal": "advisor"}
    slots, _ = await turn(domain, "Dury", "postal_code", before=before)
    assert slots["postal_code"] == "80480"
    monkeypatch.setenv("HOME_DEPARTMENTS", "62")
    slots, _ = await turn(domain, "Dury", "postal_code", before=before)
    assert slots["postal_code"] == "62156"


@pytest.mark.parametrize("requested, expected", [
    ("reference_income", "avis d'impôt"),
    ("size_windows", "porte-fenêtre"),
    ("construction_year", "décennie"),
])
async def test_dont_know_gets_help(domain, requested, expected):
    slots, said = await turn(domain, "aucune idée", requested, intent="dont_know")
    assert expected in said
    assert slots.get(requested) is None


async def test_dont_know_the_dpe_gets_a_stated_default(domain):
    slots, said = await turn(domain, "je sais pas", "dpe_class", intent="dont_know")
    assert slots["dpe_class"] == "unknown"
    assert "estimerai" in said


async def test_attic_area_defaults_to_the_floor_area(domain):
    slots, said = await turn(domain, "jsp", "size_attic_insulation",
                             before={**HOME, "surface_m2": 90.0}, intent="dont_know")
    assert slots["size_attic_insulation"] == 90.0
    assert "surface au sol" in said


async def test_works_are_a_list_the_user_edits(domain):
    before = {**HOME, "works": ["attic_insulation"]}
    added, said = await turn(domain, "et aussi les fenêtres", "household_size", before=before,
                             entities=[{"entity": "work_type", "value": "windows"}],
                             candidates={"works": ["windows"]})
    assert added["works"] == ["attic_insulation", "windows"]
    assert "isolation des combles, remplacement des fenêtres" in said
    button, _ = await turn(domain, '/inform{"work_type": "air_water_heat_pump"}', "works",
                           before=before,
                           entities=[{"entity": "work_type", "value": "air_water_heat_pump"}],
                           candidates={"works": ["air_water_heat_pump"]})
    assert button["works"] == ["attic_insulation", "air_water_heat_pump"]
    removed, _ = await turn(domain, "pas les fenêtres finalement", "size_windows",
                            before={**before, "works": ["attic_insulation", "windows"]})
    assert removed["works"] == ["attic_insulation"]
    assert removed.get("size_windows") is None


async def test_full_renovation_asks_target_and_cost(domain):
    slots, said = await turn(domain, "je veux une rénovation complète", "household_size")
    assert slots["renovation_scope"] == "full"
    assert "rénovation complète" in said
    assert slots["requested_slot"] == "construction_year"
    from actions.slots import required_slots_for

    assert {"dpe_class", "dpe_class_after", "total_cost_eur", "heating_energy"} <= set(
        required_slots_for("aids", {"renovation_scope": "full"}))


async def test_heat_pump_asks_the_current_heating(domain):
    from actions.slots import required_slots_for

    required = required_slots_for("aids", {"works": ["air_water_heat_pump"]})
    assert "heating_energy" in required
    assert "surface_m2" in required  # its CEE sheet is priced by the heated surface


@pytest.mark.parametrize("work", ["pellet_stove", "pellet_boiler", "log_stove"])
async def test_a_flat_priced_heating_work_asks_the_heating_not_the_surface(domain, work):
    """A pellet stove's CEE prime is a flat amount (bot/parameters/aids/cee.yaml): the
    heated surface would change nothing, so it is not asked; the heating still is."""
    from actions.slots import required_slots_for

    required = required_slots_for("aids", {"works": [work]})
    assert "heating_energy" in required
    assert "surface_m2" not in required
    both = required_slots_for("aids", {"works": [work, "air_air_heat_pump"]})
    assert "surface_m2" in both


async def test_gas_boiler_gets_a_clear_answer(domain):
    _, said = await turn(domain, "une chaudière gaz à condensation", "works",
                         before={k: v for k, v in HOME.items() if k != "works"})
    assert "pas d'aide nationale" in said


async def test_shared_postal_code_is_asked_with_buttons_as_the_last_message(domain):
    from actions.confirm import ActionAskPostalCode

    slots, _ = await turn(domain, "80330", "postal_code", before={"goal": "advisor"})
    assert slots["postal_code"] is None
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="80330", before={"goal": "advisor", **slots},
                           requested_slot="postal_code")
    await ActionAskPostalCode().run(dispatcher, tracker, domain)
    (message,) = dispatcher.messages
    titles = [button["title"] for button in message["buttons"]]
    assert titles == ["Cagny (80330)", "Longueau (80330)"] or set(titles) == {
        "Cagny (80330)", "Longueau (80330)"}
    assert all(len(title) <= 20 for title in titles)


async def test_a_negated_work_tagged_by_the_nlu_is_removed(domain):
    before = {**HOME, "works": ["attic_insulation", "windows"]}
    slots, _ = await turn(domain, "pas les fenêtres finalement", "size_windows", before=before,
                          entities=[{"entity": "work_type", "value": "windows"}],
                          candidates={"works": ["windows"]})
    assert slots["works"] == ["attic_insulation"]
    negated, _ = await turn(domain, "sans les fenêtres", "size_windows", before=before,
                            entities=[{"entity": "work_type", "value": "windows",
                                       "role": "negated"}])
    assert negated["works"] == ["attic_insulation"]


@pytest.mark.parametrize("text, entities, expected", [
    ("classe C", [{"entity": "dpe_class", "value": "C"}], {"dpe_class_after": "C"}),
    ("rénovation globale : on vise la classe B", [{"entity": "dpe_class", "value": "B"}],
     {"dpe_class_after": "B", "renovation_scope": "full"}),
    ("passer de G à C", [], {"dpe_class": "G", "dpe_class_after": "C"}),
])
async def test_target_class_is_not_the_current_class(domain, text, entities, expected):
    before = {**HOME, "renovation_scope": "full", "dpe_class": "G"}
    if "dpe_class" in expected:
        before.pop("dpe_class")
    slots, _ = await turn(domain, text, "dpe_class_after", before=before, entities=entities)
    for name, value in expected.items():
        assert _final(before, slots, name) == value, slots
    assert _final(before, slots, "dpe_class") == expected.get("dpe_class", "G")


async def test_a_question_read_as_inform_still_sets_what_to_compute(domain):
    slots, _ = await turn(domain, "on veut isoler les combles et changer les fenêtres, quelles "
                          "aides ?", None, before={"goal": None},
                          entities=[{"entity": "work_type", "value": "attic_insulation"},
                                    {"entity": "work_type", "value": "windows"}],
                          candidates={"works": ["attic_insulation", "windows"]})
    assert slots["goal"] == "aids"
    assert slots["works"] == ["attic_insulation", "windows"]
    assert slots["requested_slot"] == "postal_code"


async def test_commune_correction_unseen_by_the_nlu(domain):
    slots, said = await turn(domain, "en fait c'est à Camon", "occupancy")
    assert (slots["postal_code"], slots["city"]) == ("80450", "Camon")
    assert "je corrige la commune" in said
    assert "statut" not in said  # no error about the question asked


async def test_town_and_code_named_together_correct_the_home(domain):
    slots, said = await turn(domain, "en fait j'habite à Paris, 75011", None,
                             entities=[{"entity": "city", "value": "Paris"},
                                       {"entity": "postal_code", "value": "75011",
                                        "role": "uncued"}])
    assert (slots["postal_code"], slots["city"]) == ("75011", "Paris")
    unseen, _ = await turn(domain, "en fait j'habite à Paris, 75011", None)
    assert unseen["postal_code"] == "75011"


# The occupancy question names the commonest answer ("Vous êtes propriétaire occupant d'une
# maison ?"): a button or a typed answer may give the housing type with it.
NO_HOME = {"goal": "aids", **AMIENS}


async def test_the_merged_button_sets_occupancy_and_housing_type_at_once(domain):
    slots, said = await turn(domain, '/inform{"occupancy": "owner_occupier", '
                             '"housing_type": "apartment"}', "occupancy", before=NO_HOME,
                             entities=[{"entity": "occupancy", "value": "owner_occupier"},
                                       {"entity": "housing_type", "value": "apartment"}])
    assert slots["occupancy"] == "owner_occupier"
    assert slots["housing_type"] == "apartment"


async def test_yes_to_the_merged_question_means_owner_occupier_of_a_house(domain):
    slots, said = await turn(domain, "oui", "occupancy", before=NO_HOME, intent="affirm")
    assert (slots["occupancy"], slots["housing_type"]) == ("owner_occupier", "house")
    assert "C'est noté" in said


async def test_yes_once_the_flat_is_known_keeps_the_flat(domain):
    before = {**NO_HOME, "housing_type": "apartment"}
    slots, _ = await turn(domain, "oui", "occupancy", before=before, intent="affirm")
    assert slots["occupancy"] == "owner_occupier"
    assert _final(before, slots, "housing_type") == "apartment"


async def test_a_typed_occupancy_alone_leaves_the_housing_type_to_ask(domain):
    slots, _ = await turn(domain, "je suis locataire", "occupancy", before=NO_HOME,
                          entities=[{"entity": "occupancy", "value": "tenant"}])
    assert slots["occupancy"] == "tenant"
    assert slots.get("housing_type") is None


async def test_a_second_envelope_work_offers_the_full_renovation_once(domain):
    before = {"goal": "aids", **AMIENS, "occupancy": "owner_occupier", "housing_type": "house",
              "works": ["attic_insulation"]}
    slots, said = await turn(domain, "et aussi les fenêtres", "size_attic_insulation",
                             before=before,
                             entities=[{"entity": "work_type", "value": "windows"}])
    assert slots["works"] == ["attic_insulation", "windows"]
    assert "rénovation complète" in said and "parcours accompagné" in said
    assert slots.get("renovation_scope") is None  # offered, not forced
    # A third envelope work: already offered, not again.
    before = {**before, "works": ["attic_insulation", "windows"]}
    slots, said = await turn(domain, "et aussi le plancher", "size_windows", before=before,
                             entities=[{"entity": "work_type", "value": "floor_insulation"}])
    assert "floor_insulation" in slots["works"]
    assert "parcours accompagné" not in said


async def test_the_offer_button_starts_the_full_renovation(domain):
    from actions.profile_form import FULL_RENOVATION_BUTTON
    before = {"goal": "aids", **AMIENS, "occupancy": "owner_occupier", "housing_type": "house",
              "works": ["attic_insulation", "windows"]}
    slots, _ = await turn(domain, FULL_RENOVATION_BUTTON["payload"], "size_attic_insulation",
                          before=before,
                          entities=[{"entity": "renovation_scope", "value": "full"}])
    assert slots["renovation_scope"] == "full"


async def test_a_heat_pump_with_one_insulation_work_is_not_offered_the_full_path(domain):
    before = {"goal": "aids", **AMIENS, "occupancy": "owner_occupier", "housing_type": "house",
              "works": ["attic_insulation"]}
    _, said = await turn(domain, "et aussi une pompe à chaleur", "size_attic_insulation",
                         before=before,
                         entities=[{"entity": "work_type", "value": "air_water_heat_pump"}])
    assert "parcours accompagné" not in said
