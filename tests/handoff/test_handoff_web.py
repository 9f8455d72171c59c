"""The summary page, its PDF and the operator's dashboard over real HTTP (the Sanic web
server), then in headless Chromium: axe-core accessibility check and screenshots under
test-output/handoff/."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import requests

from bot.handoff import outbox, store
from bot.handoff.summary import build_summary
from runtime.webserver import Settings, serve
from tests.handoff.conftest import OUTPUT, ROOT

ADMIN_TOKEN = "jeton-operateur-de-test-0123456789"
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--no-first-run"]


def tracker_with_conversations(path: Path) -> Path:
    """A tracker store laid out like Rasa's SQL one, with three conversations."""
    now = time.time()

    def user(sender, stamp, intent, text, entities=()):
        data = {"event": "user", "text": text, "parse_data": {
            "intent": {"name": intent}, "entities": list(entities)}}
        return (sender, "user", stamp, intent, json.dumps(data))

    def slot(sender, stamp, name, value):
        return (sender, "slot", stamp, None, json.dumps({"event": "slot", "name": name,
                                                         "value": value}))

    rows = [
        user("famille-1", now - 3 * 86400, "ask_subsidies", "quelles aides pour 32000 € ?"),
        slot("famille-1", now - 3 * 86400 + 5, "insee_code", "80021"),
        slot("famille-1", now - 3 * 86400 + 6, "works", ["attic_insulation", "windows"]),
        slot("famille-1", now - 3 * 86400 + 7, "reference_income", 32000),
        user("famille-2", now - 86400, "ask_savings", "combien j'économise"),
        slot("famille-2", now - 86400 + 1, "insee_code", "80021"),
        slot("famille-2", now - 86400 + 2, "works", ["air_water_heat_pump"]),
        user("famille-3", now - 600, "out_of_scope", "appelez-moi au 06 12 34 56 78 jean@x.fr"),
        user("famille-3", now - 500, "find_craftsman", "un artisan à Abbeville"),
        slot("famille-3", now - 499, "insee_code", "80001"),
    ]
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT "
                   "NULL, type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name "
                   "VARCHAR(255), action_name VARCHAR(255), data TEXT)")
        db.executemany("INSERT INTO events (sender_id, type_name, timestamp, intent_name, data)"
                       " VALUES (?, ?, ?, ?, ?)", rows)
    return path


@pytest.fixture
def site(tmp_path, family):
    tracker = tracker_with_conversations(tmp_path / "tracker.db")
    handoff = tmp_path / "handoff.db"
    token = store.save_summary("famille-1", build_summary(family), handoff)
    outbox.enqueue("famille-1", {"first_name": "Élodie", "contact": "06 12 34 56 78",
                                 "desk": "LAURE", "commune": "Amiens"},
                   {"smtp": "desk@example.org"}, handoff)
    settings = Settings(None, 5005, tracker, "Équipe de test", "", handoff, ADMIN_TOKEN)
    server = serve("127.0.0.1", 0, settings, retention_days=None, outbox=False)
    yield {"url": server.url, "token": token, "tracker": tracker, "handoff": handoff}
    server.stop()


def test_summary_page_and_pdf_are_served_privately(site):
    url = f"{site['url']}/recapitulatif/{site['token']}"
    page = requests.get(url, timeout=30)
    assert page.status_code == 200 and "Mon récapitulatif" in page.text
    assert page.headers["Cache-Control"] == "private, no-store"
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert f'href="/recapitulatif/{site["token"]}.pdf"' in page.text
    pdf = requests.get(url + ".pdf", timeout=60)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) <= 300_000


@pytest.mark.parametrize("token", ["inconnu-mais-assez-long-0000", "x", "../../README.md",
                                   "%2e%2e%2fcredentials.yml", "a" * 500])
def test_unknown_or_odd_tokens_get_a_french_404(site, token):
    answer = requests.get(f"{site['url']}/recapitulatif/{token}", timeout=10)
    assert answer.status_code == 404
    assert answer.text.startswith(("Ce récapitulatif n'existe pas", "Page introuvable"))


def test_erasing_the_conversation_takes_its_summary_and_callback_away(site):
    answer = requests.post(f"{site['url']}/api/effacer", json={"session_id": "famille-1"},
                           timeout=10)
    assert answer.status_code == 200 and answer.json()["erased_events"] == 4
    assert requests.get(f"{site['url']}/recapitulatif/{site['token']}",
                        timeout=10).status_code == 404
    assert outbox.pending_for("famille-1", site["handoff"]) == []


def test_dashboard_does_not_exist_without_a_token(tmp_path):
    settings = Settings(None, 5005, tmp_path / "tracker.db", "x", "", tmp_path / "h.db", None)
    server = serve("127.0.0.1", 0, settings, retention_days=None, outbox=False)
    try:
        for path in ("/admin", "/admin/donnees.json", "/admin/chart.js"):
            assert requests.get(server.url + path, timeout=10).status_code in (403, 404)
        assert requests.post(server.url + "/admin/connexion", data={"jeton": ""},
                             timeout=10).status_code == 404
    finally:
        server.stop()


def test_dashboard_needs_the_token_and_shows_no_personal_data(site):
    session = requests.Session()
    assert "Jeton d'accès" in session.get(f"{site['url']}/admin", timeout=10).text
    assert session.get(f"{site['url']}/admin/donnees.json", timeout=10).status_code == 403
    wrong = session.post(f"{site['url']}/admin/connexion", data={"jeton": "devine"}, timeout=10)
    assert wrong.status_code == 403 and "Jeton incorrect" in wrong.text
    login = session.post(f"{site['url']}/admin/connexion", data={"jeton": ADMIN_TOKEN},
                         timeout=10)
    assert login.status_code == 200 and "Tableau de bord" in login.text
    assert ADMIN_TOKEN not in str(session.cookies.values())
    figures = session.get(f"{site['url']}/admin/donnees.json", timeout=10).json()
    assert figures["conversations"] == 3 and figures["messages"] == 4
    assert figures["unmatched"] == 1 and figures["unmatched_rate"] == 0.25
    assert figures["communes"][0] == {"insee_code": "80021", "name": "Amiens",
                                      "conversations": 2}
    goals = {g["goal"]: g["conversations"] for g in figures["goals"]}
    assert goals == {"Aides": 1, "Économies": 1, "Artisans RGE": 1, "Conseiller": 0}
    assert {"work": "isolation des combles", "conversations": 1} in figures["works"]
    assert figures["callbacks"] == [{"desk": "LAURE", "transport": "e-mail",
                                     "state": "en attente", "count": 1}]
    text = json.dumps(figures, ensure_ascii=False)
    for personal in ("32000", "32 000", "06 12", "jean@x.fr", "Élodie", "famille-"):
        assert personal not in text
    assert figures["last_unmatched"] == ["appelez-moi au [nombre] [e-mail]"]


@pytest.mark.browser
def test_summary_and_dashboard_in_chromium_with_axe_and_screenshots(site, tmp_path):
    if not CHROMIUM.exists() or not AXE.exists():
        pytest.fail("Chromium ou axe-core manque : lancez make setup-web.")
    from playwright.sync_api import expect, sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_FLAGS)
        try:
            # bypass_csp: lets the test inject axe-core; the pages' own CSP is checked above.
            page = browser.new_page(viewport={"width": 900, "height": 1200}, locale="fr-FR",
                                    bypass_csp=True)
            page.on("request", lambda r: outside.append(r.url)
                    if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
            page.goto(f"{site['url']}/recapitulatif/{site['token']}")
            expect(page.get_by_role("heading", name="Mon récapitulatif")).to_be_visible()
            expect(page.get_by_role("img", name=re.compile("Étiquette DPE"))).to_be_visible()
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})")
            problems = [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"]]
            assert problems == [], problems
            page.screenshot(path=str(OUTPUT / "summary-page.png"), full_page=True)

            page.goto(f"{site['url']}/admin")
            page.get_by_label("Jeton d'accès de l'opérateur").fill(ADMIN_TOKEN)
            page.get_by_role("button", name="Se connecter").click()
            expect(page.locator("body[data-loaded=true]")).to_be_attached(timeout=30_000)
            expect(page.locator("#kpi-conversations")).to_have_text("3")
            expect(page.locator("#communes tbody tr").first).to_contain_text("Amiens")
            assert page.locator("canvas#goals").bounding_box()["height"] > 100
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})")
            assert [v["id"] for v in result["violations"]] == []
            page.screenshot(path=str(OUTPUT / "dashboard.png"), full_page=True)
        finally:
            browser.close()
    assert outside == []
    # A page of the PDF, as the desk and the household see it.
    pdf = tmp_path / "recapitulatif.pdf"
    pdf.write_bytes(requests.get(f"{site['url']}/recapitulatif/{site['token']}.pdf",
                                 timeout=60).content)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(OUTPUT / "summary-pdf-page1")], check=True, timeout=60)
    assert (OUTPUT / "summary-pdf-page1.png").stat().st_size > 10_000
