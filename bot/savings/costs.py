"""Cost of each work: the one the profile gives (HT), else a typical cost from the reference
(said so in the assumptions), else unknown."""

from __future__ import annotations

from dataclasses import dataclass

from bot.formatting import format_eur
from bot.profile import WORK_LABELS_FR, Work
from bot.savings.notes import Notes


@dataclass(frozen=True)
class WorkCost:
    eur: float | None
    source: str  # "profile" | "typical" | "unknown" | "total" (covered by total_cost_eur)


_euros = format_eur  # one French euro format for every engine


def work_cost(notes: Notes, work: Work, model_quantity: float) -> WorkCost:
    """`model_quantity`: m² (or windows) the model assumed when the profile gives none."""
    if work.cost_eur is not None:
        return WorkCost(float(work.cost_eur), "profile")
    spec = notes.value("costs.typical")[work.type]
    label = WORK_LABELS_FR[work.type]
    if spec["typical"] is None:
        notes.assume("cost_unknown_not_counted", work=label)
        return WorkCost(None, "unknown")
    if spec["unit"] == "per_m2":
        quantity = work.surface_m2 or model_quantity
        amount = spec["typical"] * quantity
        detail = f"{spec['typical']} €/m² × {quantity:.0f} m²"
    elif spec["unit"] == "per_window":
        quantity = work.count or max(round(model_quantity), 1)
        amount = spec["typical"] * quantity
        detail = f"{spec['typical']} € × {quantity} fenêtres"
    else:
        amount = spec["typical"]
        detail = "forfait"
    notes.assume("cost_typical", work=label, amount=_euros(amount), detail=detail,
                 source=spec["source_fr"])
    if spec.get("uncertain"):
        notes.warn(f"Le coût typique de « {label} » est peu sûr ({spec['source_fr']}) : "
                   "le temps de retour est indicatif, demandez un devis.")
    return WorkCost(amount, "typical")
