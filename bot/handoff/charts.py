"""Charts drawn server-side as inline SVG, so the page and the PDF show the same drawing and
nothing is fetched from a CDN: before/after bars and the DPE label on the official A–G scale.
"""

from __future__ import annotations

from html import escape

NNBSP = "\u202f"
# The DPE label's official colours (arrêté du 31 mars 2021, annexe 1: étiquette énergie).
DPE_COLOURS = {"A": "#009c6d", "B": "#52b153", "C": "#78bd76", "D": "#f4e70f",
               "E": "#f0b50f", "F": "#eb8235", "G": "#d7221f"}
DPE_TEXT = {"D": "#000", "E": "#000"}


def _number(value: float) -> str:
    return f"{round(value):,}".replace(",", NNBSP)


def before_after_bars(title: str, before: float, after: float, unit: str) -> str:
    """Two horizontal bars (avant / après) with their values; `title` names the chart for
    screen readers (role="img" + aria-label, the text is also drawn)."""
    width, label_w, bar_h, gap = 360, 60, 22, 10
    top = max(before, after, 1)
    scale = (width - label_w - 110) / top
    rows = [("Avant", before, "#8a5a00"), ("Après", after, "#1f6f43")]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
             f'{2 * bar_h + 3 * gap}" width="{width}" role="img" '
             f'aria-label="{escape(title)} : avant {_number(before)} {escape(unit)}, après '
             f'{_number(after)} {escape(unit)}" class="chart">']
    for index, (label, value, colour) in enumerate(rows):
        y = gap + index * (bar_h + gap)
        length = max(value * scale, 1)
        parts.append(f'<text x="0" y="{y + 16}" font-size="13">{label}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h}" '
                     f'fill="{colour}"/>'
                     f'<text x="{label_w + length + 6:.1f}" y="{y + 16}" font-size="13">'
                     f'{_number(value)} {escape(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def dpe_scale(before: str | None, after: str | None) -> str:
    """The A–G arrows of the energy label, with « avant » and « après » markers."""
    row_h, gap, width = 20, 3, 360
    classes = "ABCDEFG"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
             f'{7 * (row_h + gap)}" width="{width}" role="img" class="chart" '
             f'aria-label="Étiquette DPE : classe {escape(before or "inconnue")} avant, classe '
             f'{escape(after or "inconnue")} après travaux">']
    for index, letter in enumerate(classes):
        y = index * (row_h + gap)
        length = 70 + index * 22
        colour, text = DPE_COLOURS[letter], DPE_TEXT.get(letter, "#fff")
        parts.append(f'<polygon points="0,{y} {length},{y} {length + 10},{y + row_h / 2} '
                     f'{length},{y + row_h} 0,{y + row_h}" fill="{colour}"/>'
                     f'<text x="8" y="{y + 15}" font-size="14" font-weight="bold" '
                     f'fill="{text}">{letter}</text>')
        markers = [word for word, cls in (("avant", before), ("après", after)) if cls == letter]
        if markers:
            parts.append(f'<text x="{length + 18}" y="{y + 15}" font-size="13" '
                         f'font-weight="bold">◀ {" et ".join(markers)}</text>')
    parts.append("</svg>")
    return "".join(parts)
