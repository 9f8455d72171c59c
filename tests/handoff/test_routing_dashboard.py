"""Which desk receives the request, and the dashboard's figures from odd tracker data."""

from __future__ import annotations

import json
import sqlite3
import time

from bot.handoff.dashboard import aggregate, mask
from bot.handoff.routing import route


def test_amiens_metropole_communes_go_to_its_desk(monkeypatch):
    monkeypatch.setenv("HANDOFF_AMIENS_DESK_EMAIL", "laure@amiens.example.org")
    for insee in ("80021", "80164", "80131"):  # Amiens, Camon, Boves
        desk = route(insee)
        assert (desk.reason, desk.email) == ("amiens_metropole", "laure@amiens.example.org")


def test_elsewhere_the_communes_desk_when_its_email_is_known_else_the_fallback(monkeypatch):
    monkeypatch.setenv("HANDOFF_FALLBACK_EMAIL", "repli@example.org")
    abbeville_desk = {"name": "Espace Conseil France Rénov' Baie de Somme",
                      "email": "conseil@baie.example.org"}
    assert route("80001", abbeville_desk).email == "conseil@baie.example.org"
    assert route("80001", {"name": "Sans e-mail", "email": None}).email == "repli@example.org"
    assert route(None).reason == "fallback"
    monkeypatch.delenv("HANDOFF_FALLBACK_EMAIL")
    monkeypatch.delenv("HANDOFF_AMIENS_DESK_EMAIL", raising=False)
    assert route("75056").email is None  # nothing configured: no e-mail, said to the user


def test_masking_removes_numbers_and_emails():
    assert mask("je gagne 32 000 € et mon mail est a.b@c.fr") == \
        "je gagne [nombre] € et mon mail est [e-mail]"
    assert len(mask("x" * 500)) == 120


def test_damaged_rows_do_not_hide_the_figures(tmp_path):
    db = tmp_path / "tracker.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                           "type_name TEXT, timestamp FLOAT, intent_name TEXT, data TEXT)")
        now = time.time()
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) "
            "VALUES (?, ?, ?, ?, ?)",
            [("a", "user", now, "ask_subsidies", "{pas du json"),
             ("a", "user", now, "ask_subsidies", json.dumps([1, 2])),
             ("b", "user", now, "ask_savings", json.dumps({"text": "économies"})),
             ("b", "slot", now, None, json.dumps({"name": "works", "value": "pas une liste"}))])
    figures = aggregate(db, None)
    assert figures["messages"] == 1 and figures["conversations"] == 2
    assert aggregate(tmp_path / "absent.db", None)["conversations"] == 0
