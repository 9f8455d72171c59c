"""The answer actions: profile built from slots, goal set from the intent, engine failures
and invalid profiles turned into polite French messages with next-step buttons."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import answers
from actions.answers import ActionAnswer, ActionSetGoal, profile_data
from actions.conversation import ActionFallback
from bot.profile import parse_profile
from tests.actions.conftest import make_tracker, slot_sets, texts, user_event


def test_profile_data_from_validated_and_raw_slots():
    slots = {"goal": "aids", "postal_code": "80000", "insee_code": "80021", "city": "Amiens",
             "occupancy": "owner_occupier", "works": ["attic_insulation", "windows"],
             "size_attic_insulation": "80 m2", "size_windows": 8,
             "construction_year": "années 70", "household_size": "trois",
             "reference_income": "32 000 €", "surface_m2": 120.0, "dpe_class": "unknown",
             "heating_energy": "fioul", "housing_type": None, "requested_slot": None}
    data = profile_data(slots)
    assert data == {
        "postal_code": "80000", "insee_code": "80021", "city": "Amiens",
        "occupancy": "owner_occupier", "construction_year": 1975, "surface_m2": 120.0,
        "heating_energy": "fuel_oil", "household_size": 3, "reference_income": 32000,
        "works": [{"type": "attic_insulation", "surface_m2": 80},
                  {"type": "windows", "count": 8}],
    }
    profile = parse_profile(data)
    assert profile.work_types() == ["attic_insulation", "windows"]
    assert profile.dpe_class is None


def test_unreadable_leftover_slot_is_dropped():
    assert profile_data({"surface_m2": "beaucoup", "household_size": 0}) == {}


@pytest.mark.parametrize(("intent", "goal"), [
    ("ask_subsidies", "aids"), ("ask_savings", "savings"), ("find_craftsman", "craftsmen"),
    ("contact_advisor", "advisor"),
])
async def test_goal_from_intent(dispatcher, domain, intent, goal):
    tracker = make_tracker(text="...", intent=intent, active_loop=None)
    events = await ActionSetGoal().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"goal": goal}
    assert texts(dispatcher) == answers.INTROS[goal]


async def test_goal_intro_skipped_when_nothing_is_missing(dispatcher, domain):
    tracker = make_tracker(text="un conseiller", intent="contact_advisor",
                           before={"postal_code": "80000"}, active_loop=None)
    events = await ActionSetGoal().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"goal": "advisor"}
    assert dispatcher.messages == []


async def test_answer_without_goal_offers_the_choices(dispatcher, domain):
    tracker = make_tracker(text="80000", active_loop=None)
    assert await ActionAnswer().run(dispatcher, tracker, domain) == []
    payloads = [button["payload"] for button in dispatcher.messages[0]["buttons"]]
    assert payloads == ["/ask_subsidies", "/ask_savings", "/find_craftsman",
                        "/contact_advisor"]


async def test_invalid_profile_is_explained(dispatcher, domain):
    """A postal code that names no commune reaches the engine: its ProfileError is said."""
    tracker = make_tracker(text="ok", before={"goal": "advisor", "postal_code": "99999"},
                           active_loop=None)
    await ActionAnswer().run(dispatcher, tracker, domain)
    message = dispatcher.messages[0]
    assert message["text"] == ("Je ne peux pas encore répondre : Le code postal « 99999 » ne "
                               "correspond à aucune commune.")
    assert {"title": "Recommencer", "payload": "/restart"} in message["buttons"]


async def test_engine_failure_is_a_polite_message(dispatcher, domain, monkeypatch):
    def broken(profile):
        raise RuntimeError("engine bug")

    monkeypatch.setattr("bot.cli._load_command", lambda name: broken)
    tracker = make_tracker(text="ok", before={"goal": "savings", "postal_code": "80000"},
                           active_loop=None)
    await ActionAnswer().run(dispatcher, tracker, domain)
    message = dispatcher.messages[0]
    assert message["text"] == answers.FAILURE_MESSAGE
    assert [button["payload"] for button in message["buttons"]] == [
        "/ask_subsidies", "/find_craftsman", "/contact_advisor", "/restart"]
    aids = CollectingDispatcher()
    tracker = make_tracker(text="ok", before={"goal": "aids", "postal_code": "80000"},
                           active_loop=None)
    await ActionAnswer().run(aids, tracker, domain)
    assert aids.messages[-1]["text"] == answers.FAILURE_MESSAGE


async def test_answer_buttons_after_savings(dispatcher, domain, monkeypatch):
    monkeypatch.setattr("bot.cli._load_command", lambda name: lambda profile: {"ok": 1})
    monkeypatch.setitem(answers.ENGINES, "savings", ("savings", "json:dumps"))
    tracker = make_tracker(text="ok", before={"goal": "savings"}, active_loop=None)
    await ActionAnswer().run(dispatcher, tracker, domain)
    message = dispatcher.messages[0]
    assert message["text"] == '{"ok": 1}'
    assert [button["title"] for button in message["buttons"]] == [
        "Estimer mes aides", "Un artisan RGE", "Un conseiller",
        "Mon récapitulatif", "Recommencer"]


async def test_fallback_rephrases_then_offers_choices(dispatcher, domain):
    first = make_tracker(text="blabla", intent="nlu_fallback", active_loop=None)
    await ActionFallback().run(dispatcher, first, domain)
    assert "Pouvez-vous reformuler" in dispatcher.messages[0]["text"]
    assert "buttons" not in dispatcher.messages[0] or not dispatcher.messages[0]["buttons"]

    second = make_tracker(text="blabla encore", intent="nlu_fallback", active_loop=None,
                          history=[user_event("blabla", "nlu_fallback")])
    await ActionFallback().run(dispatcher, second, domain)
    assert dispatcher.messages[1]["text"].startswith("Je ne suis toujours pas sûr")
    assert len(dispatcher.messages[1]["buttons"]) == 4


async def test_fallback_inside_the_form_lets_the_form_ask_again(dispatcher, domain):
    tracker = make_tracker(text="blabla", intent="nlu_fallback", requested_slot="surface_m2")
    await ActionFallback().run(dispatcher, tracker, domain)
    assert texts(dispatcher) == "Je n'ai pas compris votre réponse."


def test_sources_of_the_money_shown_are_listed():
    result = {"aids": [
        {"aid": "mpr_par_geste", "eligible": True, "amount_eur": 1600,
         "source": "https://example.gouv.fr/mpr"},
        {"aid": "mpr_ampleur", "eligible": False, "amount_eur": 0,
         "source": "https://example.gouv.fr/ampleur"},
        {"aid": "eco_ptz", "eligible": True, "max_amount_eur": 15000,
         "source": "https://example.gouv.fr/ptz"},
        {"aid": "cee", "eligible": True, "amount_eur": 1088,
         "source": "https://example.gouv.fr/mpr"},
    ]}
    assert answers.sources_line(result, "") == (
        "Sources : https://example.gouv.fr/mpr ; https://example.gouv.fr/ptz")
    assert answers.sources_line({"source": "offline-snapshot"}, "") == ""
    assert answers.sources_line({"source": "https://a.fr"}, "voir https://a.fr") == ""


async def test_aids_answer_for_a_modest_household_of_amiens(dispatcher, domain):
    """Worked example with the real engine (rules of the conversation's date): a modest
    household (3 people, 32 000 €) insulating 80 m² of attic gets MaPrimeRénov' par geste
    at 20 €/m², i.e. 1 600 €, with the rules' date and the sources."""
    slots = {"goal": "aids", "postal_code": "80000", "insee_code": "80021", "city": "Amiens",
             "occupancy": "owner_occupier", "housing_type": "house",
             "works": ["attic_insulation"], "size_attic_insulation": 80.0,
             "construction_year": 1975, "household_size": 3, "reference_income": 32000}
    tracker = make_tracker(text="32000", before=slots, active_loop=None)
    await ActionAnswer().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == (
        "Je calcule pour : isolation des combles (80 m²).")
    message = dispatcher.messages[1]
    text = message["text"]
    assert "MaPrimeRénov' par geste (isolation des combles) : 1\u202f600 €" in text, text
    assert "revenus modestes" in text
    assert len(text) <= 700
    assert "https://" not in text and "%" not in text
    assert [button["payload"] for button in message["buttons"]] == [
        "/ask_details", "/ask_sources", "/ask_savings", "/contact_advisor",
        "/request_summary"]
    assert all(len(button["title"]) <= 20 for button in message["buttons"])

    details = CollectingDispatcher()
    await answers.ActionDetails().run(details, tracker, domain)
    detail_lines = details.messages[0]["text"].splitlines()
    # One line per aid: the retained amount, or why it is not (here: the income ceiling of
    # the chèque énergie, a single insulation work for the parcours accompagné); no links.
    assert ("✓ MaPrimeRénov' par geste (isolation des combles) : 1\u202f600 €, retenue"
            in detail_lines[1]), detail_lines
    assert any(line.startswith("✗ Chèque énergie : non, revenu par unité de consommation")
               for line in detail_lines), detail_lines
    assert any(line.startswith("✗ MaPrimeRénov' parcours accompagné : non, le projet doit "
                               "comporter au moins 2 gestes") for line in detail_lines)
    assert "Total des aides retenues" in detail_lines[-2]
    assert "http" not in details.messages[0]["text"]
    sources = CollectingDispatcher()
    await answers.ActionSources().run(sources, tracker, domain)
    source_text = sources.messages[0]["text"]
    assert "](https://" in source_text  # named Markdown links
    assert not any(line.startswith("http") for line in source_text.splitlines())


def test_every_button_title_fits_a_messenger_quick_reply(domain):
    """Messenger cuts quick-reply titles after 20 characters: none of ours is cut."""
    from actions.buttons import next_step_buttons

    titles = [button["title"] for response in domain["responses"].values()
              for variant in response for button in variant.get("buttons") or []]
    titles += [button["title"] for button in next_step_buttons("aids")]
    titles += [button["title"] for button in answers.AIDS_BUTTONS]
    assert titles and all(len(title) <= 20 for title in titles), [
        title for title in titles if len(title) > 20]


async def test_details_of_a_full_renovation_name_what_replaces_the_per_work_aids(domain):
    """A very modest couple of Amiens, G → C for 60 000 € HT: the parcours accompagné is
    retained (32 000 €); the per-work aids are said to be replaced, the Coup de pouce
    « rénovation d'ampleur » set aside with its reason."""
    slots = {"goal": "aids", "postal_code": "80000", "insee_code": "80021", "city": "Amiens",
             "occupancy": "owner_occupier", "housing_type": "house",
             "renovation_scope": "full", "works": ["attic_insulation",
                                                   "exterior_wall_insulation"],
             "construction_year": 1955, "surface_m2": 90.0, "heating_energy": "fuel_oil",
             "dpe_class": "G", "dpe_class_after": "C", "total_cost_eur": 60000,
             "household_size": 2, "reference_income": 18000}
    tracker = make_tracker(text="/ask_details", intent="ask_details", before=slots,
                           active_loop=None)
    details = CollectingDispatcher()
    await answers.ActionDetails().run(details, tracker, domain)
    lines = details.messages[0]["text"].splitlines()
    assert "✓ MaPrimeRénov' parcours accompagné : 32\u202f000 €, retenue." in lines
    assert ("– Prime CEE (isolation des combles) : non calculée, le parcours accompagné est "
            "retenu à la place.") in lines
    assert any(line.startswith("– Coup de pouce CEE « rénovation d'ampleur » : ")
               and "non retenue, non cumulable" in line for line in lines), lines
    assert "Total des aides retenues : 34\u202f000 €." in lines
