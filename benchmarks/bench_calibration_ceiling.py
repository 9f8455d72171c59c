"""How far can an estimate from what a homeowner can describe get from the official DPE
figures? Prints, on the 223 ADEME records of `tests/savings/data/dpe_calibration/`
(heating + hot-water final energy, ratio estimated / official, share within ±30 %):

1. a statistical layer on top of the physical model: a ridge log-linear correction of
   log(official / estimated) by period, energy, installation (individual or collective),
   surface band, floor, zone family and altitude class, fitted on the training records; in
   3- and 5-fold cross-validation every factor of the physical model is refitted on the
   folds' training records first, then the correction;
2. the best any model of the described inputs reaches (ridge, gradient boosting, random
   forest on log kWh/m², no physics), in 5-fold cross-validation and fitted on the training
   part then read on the held-out part;
3. apartments' « twins »: how far the official figure of an apartment is from the median of
   the other apartments that share every described input;
4. whether the held-out apartments are a typical draw: their 3-fold cross-validation ratios
   (every factor fitted without them) against those of the training part's apartments, and
   how often a random set of as many apartments gets a median as high; the same with the
   class (and the second heater) for the ±30 % share of the whole held-out part.

Nothing here is used by the assistant: it says whether a target can be reached.
Run: .venv/bin/python benchmarks/bench_calibration_ceiling.py
"""

from __future__ import annotations

import math
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_calibration as bench  # noqa: E402

from bot.savings import validation  # noqa: E402

ALTITUDE = ("altitude_m",)
PERIODS = (1947, 1974, 1988, 2005, 9999)
SURFACE_BANDS = (30, 50, 80, 10**6)


def _band(value: float, bounds: tuple) -> int:
    return next(i for i, b in enumerate(bounds) if value <= b)


def collective(record: dict) -> bool:
    """Heating shared by the building (collective boiler, network, mixed): a homeowner knows
    it (« chauffage collectif »), the profile has no field for it."""
    installation = (record["descriptors"].get("heating") or {}).get("installation")
    return bool(installation) and installation != "individual"


def categories(record: dict) -> list[str]:
    """The described inputs as categories (one-hot features)."""
    p, d = record["profile"], record["descriptors"]
    kind = p["housing_type"]
    floor = validation.answers(record).get("apartment_floor")
    return [f"{kind}", f"{kind}:period{_band(p['construction_year'], PERIODS)}",
            f"{kind}:{p['heating_energy']}", f"{kind}:collective{collective(record)}",
            f"{kind}:surface{_band(p['surface_m2'], SURFACE_BANDS)}", f"{kind}:floor{floor}",
            f"zone:{(d.get('climate_zone') or 'H2b')[:2]}", f"alt:{d.get('altitude_class')}"]


def answer_categories(record: dict) -> list[str]:
    return [f"{k}:{v}" for k, v in sorted(validation.answers(record).items())
            if k not in ("altitude_m", "boiler_age_years")]


class Ridge:
    """log(target) ≈ b0 + Σ β·one-hot, β shrunk towards 0 (λ), b0 not shrunk."""

    def __init__(self, lam: float, extra=None):
        self.lam, self.extra = lam, extra

    def _x(self, records: list[dict]) -> np.ndarray:
        return np.array([[1.0 if c in cats else 0.0 for c in self.levels]
                         for cats in map(self._cats, records)])

    def _cats(self, record: dict) -> list[str]:
        return categories(record) + (self.extra(record) if self.extra else [])

    def fit(self, records: list[dict], y: list[float]) -> Ridge:
        self.levels = sorted({c for r in records for c in self._cats(r)})
        x, target = self._x(records), np.array(y)
        self.b0 = float(np.mean(target))
        a = x.T @ x + self.lam * np.eye(x.shape[1])
        self.beta = np.linalg.solve(a, x.T @ (target - self.b0))
        return self

    def predict(self, records: list[dict]) -> np.ndarray:
        return self.b0 + self._x(records) @ self.beta


def _line(label: str, values: list[float]) -> str:
    f = validation.figures(values)
    return (f"{label:<52} n={f.count:>3} median {f.median_ratio:.2f}  "
            f"±30 % {f.within_30 * 100:3.0f}%")


def _fitted_values(train: list[dict]) -> dict:
    """Every no-class factor of the physical model refitted on `train` (as --fit does)."""
    dhw = bench.fit_dhw(train)
    with bench.overridden({"savings.calibration.dhw": dhw}):
        need, eff, _zones = bench.fit_need_and_efficiency(train)
    base_eff = bench.params.rule("savings.calibration.efficiency_factor",
                                 bench.dt.date(2026, 1, 1)).value
    return {"savings.calibration.need_factor":
            {h: [[b, f] for b, f in rows.items()] for h, rows in need.items()},
            "savings.calibration.efficiency_factor": {**base_eff, **eff},
            "savings.calibration.dhw": dhw}


def _estimates(records: list[dict], values: dict | None) -> list[tuple[dict, float]]:
    """(record, ratio estimated / official) without the class, the altitude said."""
    out = []
    with bench.overridden(values or {}):
        for r in records:
            ratio = validation.ratios([r], False, ALTITUDE)
            if ratio:
                out.append((r, ratio[0]))
    return out


def correction_layer(records: list[dict]) -> None:
    print("\n1. Ridge log-linear correction on top of the physical model (altitude said)")
    train = [r for r in records if not validation.is_held_out(r)]
    held = [r for r in records if validation.is_held_out(r)]
    lams = (1.0, 3.0, 10.0)
    for folds in (3, 5):
        pooled: dict[str, list[float]] = defaultdict(list)
        for fold in range(folds):
            fold_train = [r for r in records if bench._fold(r, folds) != fold]
            fold_test = [r for r in records if bench._fold(r, folds) == fold]
            values = _fitted_values(fold_train)
            fitted, tested = _estimates(fold_train, values), _estimates(fold_test, values)
            for r, ratio in tested:
                pooled[f"{r['profile']['housing_type']} physical model"].append(ratio)
            for lam in lams:
                model = Ridge(lam).fit([r for r, _ in fitted],
                                       [-math.log(q) for _, q in fitted])
                shift = model.predict([r for r, _ in tested])
                for (r, ratio), s in zip(tested, shift, strict=True):
                    pooled[f"{r['profile']['housing_type']} + correction λ={lam:g}"].append(
                        ratio * math.exp(s))
        print(f"  {folds}-fold cross-validation (223 records, every factor refitted per fold)")
        for label in sorted(pooled):
            print("   " + _line(label, pooled[label]))
    fitted, tested = _estimates(train, None), _estimates(held, None)
    print("  fitted on the training part, read on the held-out part")
    for lam in (None, *lams):
        shift = [0.0] * len(tested)
        if lam is not None:
            model = Ridge(lam).fit([r for r, _ in fitted], [-math.log(q) for _, q in fitted])
            shift = model.predict([r for r, _ in tested])
        for kind in ("house", "apartment"):
            values = [q * math.exp(s) for (r, q), s in zip(tested, shift, strict=True)
                      if r["profile"]["housing_type"] == kind]
            label = "physical model" if lam is None else f"+ correction λ={lam:g}"
            print("   " + _line(f"held-out {kind}s, {label}", values))


def _statistical_models():
    from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor

    def wrap(make):
        class Model:
            def __init__(self, extra=None):
                self.extra = extra

            def _x(self, records):
                cats = [categories(r) + (self.extra(r) if self.extra else []) for r in records]
                return np.array([[1.0 if c in row else 0.0 for c in self.levels]
                                 + [math.log(r["profile"]["surface_m2"])]
                                 for row, r in zip(cats, records, strict=True)])

            def fit(self, records, y):
                self.levels = sorted({c for r in records for c in categories(r)
                                      + (self.extra(r) if self.extra else [])})
                self.model = make().fit(self._x(records), np.array(y))
                return self

            def predict(self, records):
                return self.model.predict(self._x(records))
        return Model

    return {
        "ridge λ=3": lambda extra: Ridge(3.0, extra),
        "gradient boosting": wrap(lambda: GradientBoostingRegressor(
            n_estimators=150, max_depth=2, learning_rate=0.05, subsample=0.8,
            random_state=0, loss="absolute_error")),
        "random forest": wrap(lambda: RandomForestRegressor(
            n_estimators=300, min_samples_leaf=3, random_state=0)),
    }


def _per_m2(record: dict) -> float:
    return math.log(record["official"]["final_heating_dhw_kwh"] / record["profile"]["surface_m2"])


def _ratios_of(model, train, test) -> dict[str, list[float]]:
    model.fit(train, [_per_m2(r) for r in train])
    out: dict[str, list[float]] = defaultdict(list)
    for r, p in zip(test, model.predict(test), strict=True):
        out[r["profile"]["housing_type"]].append(math.exp(p - _per_m2(r)))
    return out


def ceiling(records: list[dict]) -> None:
    print("\n2. Statistical models of the described inputs alone (log kWh/m², no physics)")
    train = [r for r in records if not validation.is_held_out(r)]
    held = [r for r in records if validation.is_held_out(r)]
    for inputs, extra in (("type, year, surface, energy, zone, altitude, collective, floor",
                           None),
                          ("… + every optional answer", answer_categories)):
        print(f"  inputs: {inputs}")
        for name, make in _statistical_models().items():
            pooled: dict[str, list[float]] = defaultdict(list)
            for fold in range(5):
                fold_train = [r for r in records if bench._fold(r, 5) != fold]
                fold_test = [r for r in records if bench._fold(r, 5) == fold]
                for kind, values in _ratios_of(make(extra), fold_train, fold_test).items():
                    pooled[kind].extend(values)
            held_out = _ratios_of(make(extra), train, held)
            for kind in ("house", "apartment"):
                print("   " + _line(f"{name}, {kind}s, 5-fold CV", pooled[kind]))
                print("   " + _line(f"{name}, {kind}s, training → held-out", held_out[kind]))


def twins(records: list[dict]) -> None:
    """Each apartment against the median official kWh/m² of the others sharing its period,
    energy, zone family, installation and surface band (the floor too in the second line)."""
    print("\n3. Apartments against their twins (same described inputs; official kWh/m²)")
    flats = [r for r in records if r["profile"]["housing_type"] == "apartment"]
    for with_floor in (False, True):
        def key(r: dict, with_floor: bool = with_floor) -> tuple:
            cats = categories(r)
            return tuple(cats[1:5] + cats[6:7] + ([cats[5]] if with_floor else []))
        cells: dict[tuple, list[dict]] = defaultdict(list)
        for r in flats:
            cells[key(r)].append(r)
        values = []
        for r in flats:
            others = [o for o in cells[key(r)] if o is not r]
            if others:
                median = statistics.median(math.exp(_per_m2(o)) for o in others)
                values.append(median / math.exp(_per_m2(r)))
        label = "period, energy, collective, surface band, zone" + (", floor" if with_floor
                                                                     else "")
        print("   " + _line(f"twins' median / own ({label})", values))


def split_check(records: list[dict], draws: int = 20000) -> None:
    print("\n4. Are the held-out apartments a typical draw? (3-fold CV ratios, altitude said)")
    ratio: dict[str, float] = {}
    for fold in range(3):
        fold_train = [r for r in records if bench._fold(r, 3) != fold]
        fold_test = [r for r in records if bench._fold(r, 3) == fold]
        for r, q in _estimates(fold_test, _fitted_values(fold_train)):
            ratio[r["id"]] = q
    flats = [r for r in records if r["profile"]["housing_type"] == "apartment"
             and r["id"] in ratio]
    held = [ratio[r["id"]] for r in flats if validation.is_held_out(r)]
    train = [ratio[r["id"]] for r in flats if not validation.is_held_out(r)]
    print("   " + _line("held-out apartments", held))
    print("   " + _line("training-part apartments", train))
    pool, rng = held + train, random.Random(0)
    median, share = statistics.median(held), validation.figures(held).within_30
    high = low = 0
    for _ in range(draws):
        f = validation.figures(rng.sample(pool, len(held)))
        high += f.median_ratio >= median
        low += f.within_30 <= share
    print(f"   random sets of {len(held)} of these {len(pool)} apartments: median ≥ "
          f"{median:.2f} in {high / draws * 100:.1f} %, ±30 % share ≤ {share * 100:.0f} % in "
          f"{low / draws * 100:.1f} %")
    with_class: dict[str, float] = {}
    for fold in range(3):
        g_train = [r for r in records if bench._fold(r, 3) != fold
                   and r["profile"]["dpe_class"] == "G"]
        with bench.overridden({"savings.dpe.class_g_ratio": bench.fit_g_ratio(g_train)}):
            for r in records:
                if bench._fold(r, 3) == fold:
                    q = validation.ratios([r], True, bench.G_FIELDS)
                    if q:
                        with_class[r["id"]] = q[0]
    held = [q for i, q in with_class.items() if i in {r["id"] for r in records
                                                       if validation.is_held_out(r)}]
    pool = list(with_class.values())
    share = validation.figures(held).within_30
    low = sum(validation.figures(rng.sample(pool, len(held))).within_30 <= share
              for _ in range(draws))
    print("   " + _line("with the class and second heater, held-out part", held))
    print("   " + _line("with the class and second heater, all records", pool))
    print(f"   random sets of {len(held)} of these {len(pool)} records: ±30 % share ≤ "
          f"{share * 100:.0f} % in {low / draws * 100:.1f} %")


def main() -> None:
    start = time.perf_counter()
    records = validation.load_records()
    print(f"{len(records)} records: {sum(not validation.is_held_out(r) for r in records)} "
          f"training, {sum(validation.is_held_out(r) for r in records)} held out")
    correction_layer(records)
    ceiling(records)
    twins(records)
    split_check(records)
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
