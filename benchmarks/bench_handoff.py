"""Prints how long « Mon récapitulatif » takes and weighs, for a typical project (a family of
three in Amiens, 1975 fuel-oil house, three works with quotes): summary data (the aids and
savings engines), HTML page, PDF (WeasyPrint), PDF size and pages; then, when ReportLab is
importable (not a project dependency: `pip install --target /tmp/rl reportlab` and
PYTHONPATH=/tmp/rl), the same text and tables laid out by ReportLab, for the comparison kept
in docs/handoff.md.

Run: .venv/bin/python benchmarks/bench_handoff.py [--runs 10]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BOT_DATAFAIR_URL", "http://127.0.0.1:9")  # no network: offline desk

from bot.handoff.render import render_html, render_pdf  # noqa: E402
from bot.handoff.summary import build_summary  # noqa: E402
from bot.profile import parse_profile  # noqa: E402

TYPICAL = {
    "postal_code": "80000", "housing_type": "house", "occupancy": "owner_occupier",
    "construction_year": 1975, "surface_m2": 100, "heating_energy": "fuel_oil",
    "dpe_class": "F", "household_size": 3, "reference_income": 32000,
    "works": [{"type": "attic_insulation", "surface_m2": 80, "cost_eur": 4000},
              {"type": "air_water_heat_pump", "cost_eur": 14000},
              {"type": "windows", "count": 8, "cost_eur": 6400}],
}


def timed(function, runs: int) -> tuple[float, float, float, object]:
    """(first call s, median wall s and median CPU s of the next `runs` calls, last result).
    CPU time is printed too: on a shared 2-core machine the wall time mostly measures the
    neighbours."""
    start = time.perf_counter()
    result = function()
    first = time.perf_counter() - start
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return first, statistics.median(walls), statistics.median(cpus), result


def ms(first: float, wall: float, cpu: float) -> str:
    return (f"first {first * 1000:.0f} ms, then median {wall * 1000:.0f} ms wall / "
            f"{cpu * 1000:.0f} ms CPU")


def pages(pdf: bytes) -> int | None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        try:
            info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True,
                                  check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return None
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def reportlab_pdf(summary: dict) -> bytes:
    """The summary's text and tables with ReportLab's platypus (no charts: drawing them again
    in ReportLab's own graphics is the extra work this option would cost)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    styles = getSampleStyleSheet()
    story = [Paragraph("Mon récapitulatif", styles["Title"])]
    story.append(Table([[f["label"], f["value"]] for f in summary["home"]]))
    story.append(Table([[w["label"], w["quantity"] or "", w["cost_eur"] or ""]
                        for w in summary["works"]]))
    story.append(Table([[Paragraph(a["label"], styles["Normal"]), a["amount_eur"] or "—",
                         a["status"]] for a in summary["grants"] + summary["other_aids"]]))
    for line in summary["caveats"] + summary["documents"]:
        story.append(Paragraph(line, styles["Normal"]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def site_size(*names: str) -> float:
    """Installed size in MB of the given top-level packages in this interpreter."""
    total = 0
    for name in names:
        try:
            module = __import__(name)
        except ImportError:
            continue
        path = Path(module.__file__).parent
        total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return total / 1e6


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    profile = parse_profile(TYPICAL)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    *times, summary = timed(lambda: build_summary(profile), args.runs)
    print(f"summary data (engines): {ms(*times)}")
    *times, page = timed(lambda: render_html(summary), args.runs)
    print(f"HTML page: {ms(*times)}, {len(page.encode()) / 1000:.0f} kB")
    *times, pdf = timed(lambda: render_pdf(summary), args.runs)
    print(f"PDF WeasyPrint: {ms(*times)} (the first loads Pango and fonts), "
          f"{len(pdf) / 1000:.0f} kB, {pages(pdf)} page(s) A4")
    weight = site_size("weasyprint", "pydyf", "tinycss2", "cssselect2", "tinyhtml5", "pyphen")
    print(f"WeasyPrint installed: {weight:.1f} MB of Python packages (+ fontTools, already "
          "there; Pango comes with Debian's chromium)")
    try:
        import reportlab  # noqa: F401
    except ImportError:
        print("ReportLab: not installed, comparison skipped")
        return 0
    *times, other = timed(lambda: reportlab_pdf(summary), args.runs)
    print(f"PDF ReportLab (text and tables only): {ms(*times)}, {len(other) / 1000:.0f} kB, "
          f"{pages(other)} page(s); installed {site_size('reportlab'):.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
