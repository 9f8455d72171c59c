"""`python -m bot savings`: what the works of a profile would save (contract §5).

    estimate_savings(profile) -> {"baseline", "after", "savings", "per_work",
                                  "payback_years", "assumptions", …}

Two runs of the same model: the conventional one (DPE-style, the high end of `eur_range`)
and the measured-evidence one (envelope savings cut to their measured share, heat pumps at
their field performance, other equipment changes cut to the real use of F/G homes: the low
end).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.formatting import format_eur, french_date, french_decimal
from bot.geo import communes_field
from bot.profile import WORK_LABELS_FR, Profile, Work
from bot.savings import works as works_mod
from bot.savings.assumptions_fr import fragment
from bot.savings.baseline import Baseline, build_baseline
from bot.savings.co2 import co2_kg
from bot.savings.costs import WorkCost, work_cost
from bot.savings.dpe import electricity_factor, estimate_class, primary_energy_kwh
from bot.savings.envelope import loss_shares
from bot.savings.home import HomeState, by_energy, total_kwh
from bot.savings.notes import Notes
from bot.savings.prices import bill_parts, energy_price

ENVELOPE_TYPES = set(works_mod.INSULATION_WORKS) | {"windows", "double_flow_ventilation"}
MEASURED_HEAT_PUMPS = {"air_water_heat_pump", "geothermal_heat_pump"}
NO_ENERGY = set(works_mod.NO_ENERGY_WORKS)


@dataclass(frozen=True)
class Figures:
    kwh: float
    eur_energy: float  # the part of the bill that follows the kWh
    eur_fixed: float  # subscriptions, tank rental
    co2: float

    @property
    def eur(self) -> float:
        return self.eur_energy + self.eur_fixed


def _figures(notes: Notes, state: HomeState) -> Figures:
    final = state.final_energy()
    energy, fixed = bill_parts(notes, by_energy(final))
    return Figures(total_kwh(final), energy, fixed, co2_kg(notes, final))


def _measured_eur(before: Figures, after: Figures, work: Work, real_use: float) -> float:
    """Measured-evidence € saving of one work. Envelope works and heat pumps are already
    measured in the run; other heating and hot-water changes keep only the real-use share
    of their energy saving (F/G homes use much less than their DPE says)."""
    energy = before.eur_energy - after.eur_energy
    if work.type not in ENVELOPE_TYPES | MEASURED_HEAT_PUMPS and energy > 0:
        energy *= real_use
    return energy + before.eur_fixed - after.eur_fixed


def _run(notes: Notes, base: Baseline, works: list[Work], main_heating: str | None,
         realism: float, measured: bool) -> list[HomeState]:
    """States of the home after each work, in application order (first = before works)."""
    ctx = works_mod.WorkContext(
        notes=notes, zone=base.state.zone, measured=measured, realism=realism,
        main_heating=main_heating,
        windows_queue=list(base.windows_queue),
        windows_left_m2=base.state.envelope["windows_replaced"].area,
    )
    states = [base.state]
    for work in works:
        states.append(works_mod.apply_work(ctx, states[-1], work))
    return states


def _model_quantity(base: Baseline, work: Work, notes: Notes) -> float:
    """The m² (or number of windows) the model assumed for a work without a surface."""
    g = base.geometry
    if work.type in ("attic_insulation", "flat_roof_insulation"):
        return g.roof_area
    if work.type in ("exterior_wall_insulation", "interior_wall_insulation"):
        return g.wall_area
    if work.type == "floor_insulation":
        return g.floor_area
    if work.type == "windows":
        unit = notes.value("envelope.geometry")["window_unit_area_m2"]
        return works_mod.window_area(notes, work, g.window_area) / unit
    return 1.0


def _payback(notes: Notes, profile: Profile, costs: list[WorkCost], ordered: list[Work],
             eur_high: float, eur_low: float) -> tuple[float | None, list[float | None] | None]:
    if not ordered:
        return None, None
    saving_works_unknown = any(
        c.eur is None and w.type not in works_mod.NO_ENERGY_WORKS
        for c, w in zip(costs, ordered, strict=True)
    )
    if all(c.source == "profile" for c in costs):
        total = sum(c.eur for c in costs)
    elif any(c.source == "total" for c in costs):
        total = float(profile.total_cost_eur)
        notes.assume("payback_total_cost", amount=format_eur(total))
    elif saving_works_unknown:
        notes.assume("payback_not_computed")
        return None, None
    else:
        total = sum(c.eur for c in costs if c.eur is not None)
    notes.assume("payback_definition")

    def years(eur: float) -> float | None:
        return round(total / eur, 1) if eur > 0 else None

    if eur_high <= 0:
        notes.assume("payback_none")
    low, high = sorted((eur_low, eur_high))
    return years(eur_high), [years(high), years(low)]


def _realism(notes: Notes, heating_energy: str) -> float:
    table = notes.value("works.realism")
    return table.get(heating_energy, table["default"])


def _state_summary(notes: Notes, state: HomeState) -> dict[str, Any]:
    figures = _figures(notes, state)
    # Heating + hot water in primary energy, with the conversion factor in force on the date.
    primary = primary_energy_kwh(notes, state.final_energy())
    return {
        "final_energy_kwh": round(figures.kwh),
        "cost_eur": round(figures.eur),
        "co2_kg": round(figures.co2),
        "dpe_class_estimate": estimate_class(notes, state),
        "primary_energy_kwh": round(primary),
        "primary_energy_kwh_m2": round(primary / state.surface, 1),
    }


def estimate_savings(profile: Profile) -> dict[str, Any]:
    notes = Notes(profile.date)
    base = build_baseline(notes, profile)
    ordered = works_mod.ordered(profile.works)
    main_heating = works_mod.main_heating_work(profile.works)
    for work in ordered:
        if work.type in works_mod.HEATING_WORKS and work.type != main_heating:
            notes.assume("second_heating_not_counted", work=WORK_LABELS_FR[work.type],
                         main=WORK_LABELS_FR[main_heating])
    realism = _realism(notes, profile.heating_energy)
    conventional = _run(notes, base, ordered, main_heating, realism, measured=False)
    measured = _run(notes, base, ordered, main_heating, realism, measured=True)
    conv_figures = [_figures(notes, s) for s in conventional]
    meas_figures = [_figures(notes, s) for s in measured]

    before = _state_summary(notes, conventional[0])
    after = _state_summary(notes, conventional[-1])
    real_use = notes.value("works.real_use")[before["dpe_class_estimate"]]
    measured_eur = [_measured_eur(meas_figures[i], meas_figures[i + 1], work, real_use)
                    for i, work in enumerate(ordered)]
    saved_kwh = before["final_energy_kwh"] - after["final_energy_kwh"]
    saved_eur = before["cost_eur"] - after["cost_eur"]
    saved_eur_low = round(sum(measured_eur))
    low, high = sorted((saved_eur_low, saved_eur))

    use_total = profile.total_cost_eur is not None and any(w.cost_eur is None for w in ordered)
    costs = [WorkCost(None, "total") if use_total and w.cost_eur is None
             else work_cost(notes, w, _model_quantity(base, w, notes)) for w in ordered]
    per_work = []
    for i, (work, cost) in enumerate(zip(ordered, costs, strict=True)):
        c0, c1 = conv_figures[i], conv_figures[i + 1]
        per_work.append({
            "type": work.type,
            "kwh": round(c0.kwh - c1.kwh),
            "eur": round(c0.eur - c1.eur),
            "eur_low": round(measured_eur[i]),
            "co2_kg": round(c0.co2 - c1.co2),
            "cost_eur": None if cost.eur is None else round(cost.eur),
            "cost_source": cost.source,
        })
    payback, payback_range = _payback(notes, profile, costs, ordered, saved_eur, saved_eur_low)

    _general_assumptions(notes, profile, base, conventional, realism, after)
    if real_use < 1 and any(w.type not in ENVELOPE_TYPES | MEASURED_HEAT_PUMPS | NO_ENERGY
                            for w in ordered):
        notes.assume("low_end_equipment_real_use", dpe_class=before["dpe_class_estimate"],
                     percent=round(real_use * 100))
    energies = set(by_energy(conventional[0].final_energy())) | \
        set(by_energy(conventional[-1].final_energy()))
    prices = {energy: energy_price(notes, energy) for energy in sorted(energies)}
    result: dict[str, Any] = {
        "baseline": before,
        "after": after,
        "savings": {
            "kwh": saved_kwh,
            "eur": saved_eur,
            "co2_kg": before["co2_kg"] - after["co2_kg"],
            "percent": round(100 * saved_kwh / before["final_energy_kwh"])
            if before["final_energy_kwh"] > 0 else 0,
            "eur_range": [low, high],
        },
        "per_work": per_work,
        "payback_years": payback,
        "payback_years_range": payback_range,
        "assumptions": notes.assumptions,
        "assumption_codes": notes.assumption_codes,
        "warnings": notes.warnings,
        "rules_date": profile.date.isoformat(),
        "prices_date": max(p.observed for p in prices.values()).isoformat(),
        "energy_prices": {
            energy: {"eur_per_kwh": round(p.eur_per_kwh, 4),
                     "fixed_eur_per_year": round(p.fixed_eur_per_year, 2),
                     "observed": p.observed.isoformat(), "source": p.reference}
            for energy, p in prices.items()
        },
        "climate_zone": base.state.zone,
        "primary_energy_factor_electricity": electricity_factor(notes),
        "loss_shares": _loss_shares(base.state),
    }
    if base.location is not None:
        result["communes"] = communes_field(base.location)
    return result


def _loss_shares(state: HomeState) -> dict[str, int]:
    return {group: round(100 * share) for group, share in loss_shares(state.envelope).items()}


def _general_assumptions(notes: Notes, profile: Profile, base: Baseline,
                         conventional: list[HomeState], realism: float,
                         after: dict[str, Any]) -> None:
    before_energies = by_energy(conventional[0].final_energy())
    after_energies = by_energy(conventional[-1].final_energy())
    notes.assume("conventional_consumption")
    types = {w.type for w in profile.works}
    if types & ENVELOPE_TYPES:
        notes.assume("low_end_envelope_measured", percent=round(realism * 100))
    if types & MEASURED_HEAT_PUMPS:
        cold = notes.value("systems.measured_cold_zone")
        heating = notes.value("systems.heating")
        cops = ", ".join(
            f"COP {_decimal(heating[t]['measured'])} {WORK_LABELS_FR[t].split()[-1]}"
            for t in sorted(types & MEASURED_HEAT_PUMPS))
        penalty = (fragment("heat_pump_cold_zone").format(
            percent=round((1 - cold["factor"]) * 100))
                   if base.state.zone in cold["zones"] else "")
        notes.assume("low_end_heat_pump_measured", cops=cops, cold=penalty)
    if profile.altitude_m is None:
        notes.assume("climate_zone_low_altitude", zone=base.state.zone)
    for energy in ("gas", "propane"):
        if before_energies.get(energy, 0) > 0 and after_energies.get(energy, 0) <= 0:
            fixed = energy_price(notes, energy).fixed_eur_per_year
            notes.assume("gas_subscription_dropped" if energy == "gas"
                         else "propane_tank_dropped", fixed=f"{fixed:.0f}")
    if "electricity" in before_energies or "electricity" in after_energies:
        factor = french_decimal(electricity_factor(notes), 3)
        notes.assume("electricity_primary_factor", date=french_date(profile.date),
                     factor=factor)
    wet_heat_pump = {"baseline_heat_pump", "air_water_heat_pump", "geothermal_heat_pump"}
    if any(s.heating.key in wet_heat_pump for s in conventional):
        notes.assume("heat_pump_water_radiators")
    if profile.dpe_class_after and profile.dpe_class_after != after["dpe_class_estimate"]:
        notes.assume("target_class_differs", target=profile.dpe_class_after,
                     estimate=after["dpe_class_estimate"])
    if not profile.works:
        notes.assume("no_works")


def _decimal(number: float) -> str:
    return french_decimal(number, 3)
