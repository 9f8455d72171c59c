"""« Mon récapitulatif » from the household's side: what it shows, in the page and the PDF."""

from __future__ import annotations

import re
import subprocess
import time

from bot.handoff import store
from bot.handoff.render import render_html, render_pdf
from bot.handoff.summary import build_summary
from bot.profile import parse_profile
from tests.handoff.conftest import ABBEVILLE_STOVE


def test_summary_shows_the_home_the_works_and_every_aid_with_its_status(family):
    summary = build_summary(family)
    home = {fact["label"]: fact["value"] for fact in summary["home"]}
    assert home["Commune"] == "80000 Amiens"
    assert home["Chauffage"] == "Fioul" and home["Classe DPE actuelle"] == "F"
    assert home["Classe DPE visée"] == "non indiqué"
    assert [w["label"] for w in summary["works"]] == [
        "isolation des combles", "pompe à chaleur air/eau", "remplacement des fenêtres"]
    assert summary["total_cost_eur"] == 24400
    # The totals are the aids engine's, and what is left to pay follows from them.
    retained = [aid for aid in summary["grants"] if aid["retained"]]
    assert summary["total_grants_eur"] == sum(aid["amount_eur"] for aid in retained) > 0
    assert summary["remaining_cost_eur"] == 24400 - summary["total_grants_eur"]
    labels = [aid["label"] for aid in summary["grants"]]
    assert "MaPrimeRénov' par geste (isolation des combles)" in labels
    # An aid that cannot be counted says why, in French.
    chèque = next(a for a in summary["other_aids"] if a["aid"] == "cheque_energie")
    assert chèque["status"] == "Non éligible" and "plafond" in chèque["why"][0]
    assert {loan["aid"] for loan in summary["loans"]} >= {"eco_ptz"}
    assert summary["dpe_before"] == "F" and summary["dpe_after"] in "ABCDE"
    assert all(s["href"].startswith("https://") for s in summary["sources"])


def test_page_draws_the_charts_inline_and_the_figures_match(family):
    summary = build_summary(family)
    page = render_html(summary, pdf_url="/recapitulatif/x.pdf")
    # Nothing fetched from elsewhere: no script, no stylesheet link, no image source.
    assert page.count("<svg") == 3
    assert "<script" not in page and "<link" not in page and " src=" not in page
    assert 'aria-label="Étiquette DPE : classe F avant, classe ' in page
    kwh = f"{summary['savings']['baseline']['final_energy_kwh']:,}".replace(",", "\u202f")
    assert f"avant {kwh} kWh" in page
    remaining = f"{summary['remaining_cost_eur']:,}".replace(",", "\u202f")
    assert f"{remaining} €" in page
    assert "avis d&#39;impôt" in page and "devis" in page and "Sources officielles" in page


def test_pdf_has_the_same_content_in_two_a4_pages_or_fewer(family, tmp_path):
    summary = build_summary(family)
    pdf = render_pdf(summary)
    assert pdf.startswith(b"%PDF") and len(pdf) <= 300_000
    path = tmp_path / "recap.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) <= 2
    assert "595.276 x 841.89 pts (A4)" in info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Mon récapitulatif" in text and "Reste à votre charge" in text
    assert "80000 Amiens" in text
    total = f"{summary['total_grants_eur']:,}".replace(",", r"\s?")
    assert re.search(rf"Total des aides retenues\s+{total} €", text)


def test_little_known_still_gives_a_summary_that_says_what_is_missing():
    summary = build_summary(parse_profile(ABBEVILLE_STOVE))
    assert summary["savings"] is None and summary["savings_missing"]
    assert summary["remaining_cost_eur"] is None
    page = render_html(summary)
    assert summary["savings_missing"].replace("'", "&#39;") in page
    assert "Reste à votre charge" not in page


def test_token_is_random_carries_no_personal_data_and_expires_with_the_purge(family):
    summary = build_summary(family)
    tokens = {store.save_summary("messenger-123456", summary) for _ in range(3)}
    assert len(tokens) == 3
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
        assert "80000" not in token and "123456" not in token
    token = tokens.pop()
    assert store.load_summary(token)[0] == summary
    in_31_days = time.time() + 31 * 86400
    assert store.load_summary(token, now=in_31_days) is None
    assert store.load_summary("../../etc/passwd") is None
    assert store.purge_expired(now=in_31_days) == 3


def test_erasing_the_conversation_erases_its_summaries(family):
    summary = build_summary(family)
    mine = store.save_summary("alice", summary)
    other = store.save_summary("bob", summary)
    assert store.erase_sender("alice") == 1
    assert store.load_summary(mine) is None and store.load_summary(other) is not None
