"""The summary as an HTML page and as a PDF of the same HTML (WeasyPrint: one template, one
stylesheet, the same inline SVG charts; see docs/handoff.md for the measured choice)."""

from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.handoff.charts import before_after_bars, dpe_scale

# WeasyPrint logs every rendering step at INFO: keep the server's INFO log for events.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "web" / "summary"
NNBSP = "\u202f"
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]


def _number(value: Any) -> str:
    if value is None:
        return "—"
    return f"{round(float(value)):,}".replace(",", NNBSP)


def _eur(value: Any) -> str:
    return "—" if value is None else f"{_number(value)} €"


def _years(value: Any) -> str:
    return f"{float(value):.1f} ans".replace(".", ",")


def _date_fr(value: Any) -> str:
    if not value:
        return "—"
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS_FR[day.month - 1]} {day.year}"


def _shorten_url(url: str) -> str:
    """Sources are long URLs: show the host and the last path part, the link keeps it all."""
    text = unquote(url.split("://", 1)[-1]).rstrip("/")
    host, _, path = text.partition("/")
    tail = path.rsplit("/", 1)[-1]
    short = f"{host}/…/{tail}" if tail and "/" in path else text
    return short if len(short) <= 48 else short[:47] + "…"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters.update(eur=_eur, number=_number, years=_years, date_fr=_date_fr,
                       shorten_url=_shorten_url)
    return env


def charts(summary: dict[str, Any]) -> dict[str, str]:
    drawn = {"dpe": dpe_scale(summary.get("dpe_before"), summary.get("dpe_after"))
             if summary.get("dpe_before") or summary.get("dpe_after") else ""}
    savings = summary.get("savings")
    if savings:
        drawn["energy"] = before_after_bars("Consommation d'énergie par an",
                                            savings["baseline"]["final_energy_kwh"],
                                            savings["after"]["final_energy_kwh"], "kWh")
        drawn["bill"] = before_after_bars("Facture d'énergie par an",
                                          savings["baseline"]["cost_eur"],
                                          savings["after"]["cost_eur"], "€")
    return drawn


def render_html(summary: dict[str, Any], pdf_url: str | None = None,
                expires: str | None = None) -> str:
    css = (TEMPLATES / "summary.css").read_text(encoding="utf-8")
    return _environment().get_template("summary.html").render(
        s=summary, charts=charts(summary), css=css, pdf_url=pdf_url, expires=expires)


def render_pdf(summary: dict[str, Any], expires: str | None = None) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s, only for PDFs

    return HTML(string=render_html(summary, expires=expires), base_url=str(TEMPLATES)).write_pdf()


def summary_pdf(token: str, db: Path | None = None) -> bytes | None:
    """The stored summary's PDF, or None when it expired or was erased."""
    from bot.handoff.store import load_summary

    found = load_summary(token, db)
    if found is None:
        return None
    summary, expires = found
    return render_pdf(summary, expires=dt.date.fromtimestamp(expires).isoformat())
