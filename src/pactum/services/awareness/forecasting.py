"""Forecasts per route with statsforecast, and rolling-origin backtests that choose the model.

Models (statsforecast): ``seasonal_naive`` (SeasonalNaive, lag 12), ``ets`` (AutoETS),
``arima`` (AutoARIMA), ``theta`` (AutoTheta) and ``ensemble`` (the mean of ETS, ARIMA and Theta,
point forecast and interval bounds alike). Every model is fitted on ``log(1 + detections)``: border
detections grow and fall multiplicatively, so intervals on the log scale are asymmetric on the
original scale, as they should be, and forecasts can never be negative. Back-transformed point
forecasts are medians, the right target for absolute-error metrics such as MASE.

Backtests are rolling-origin: each origin is a month from January 2016 to ``horizon`` months
before the end of the data; models see only data up to the origin; they are re-estimated every
``refit`` origins (statsforecast's ``refit``; between re-estimations the fitted model is updated
with the new observations, as an analyst's forecast would be between annual model reviews).

Fits of the shipped releases are shipped too (``forecasts_shipped.json`` beside this module): a
forecast is a pure function of its series, model, horizon and calibration, and fitting AutoARIMA
and the ensemble on every route and nationality of the shipped Frontex release costs minutes of CPU
that every demo build would repeat. ``forecast`` returns a shipped fit only when every input is
exactly the same (and the statsforecast version too); any other input, such as a new release, is
fitted. ``python -m pactum.services.awareness.shipped`` regenerates the file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from pactum.awareness.indicators import month_add, month_range
from pactum.awareness.metrics import (
    choose_model,
    conformal_halfwidth,
    mase,
    persistence_upper,
    seasonal_naive_scale,
)
from pactum.awareness.schemas import BacktestModelScore, BacktestResult, ForecastPoint, RouteForecast

FIRST_ORIGIN = "2016-01"
LEVEL = 80
BASE_MODELS = ("seasonal_naive", "ets", "arima", "theta")
ENSEMBLE_OF = ("ets", "arima", "theta")
MODELS = (*BASE_MODELS, "ensemble")
DEFAULT_REFIT = 12
CALIBRATION_WINDOW = 36
WARM_UP_MONTHS = 36  # months of data before the earliest origin (the first warm-up origin)
SHIPPED_FITS = Path(__file__).with_name("forecasts_shipped.json")
_RECORDING: list[dict[str, Any]] | None = None
"""While not None, every forecast fitted (not found among the shipped fits) is appended here."""


def _numba_cache() -> None:
    """statsforecast compiles with numba on first use: keep the compiled code under var/."""
    if "NUMBA_CACHE_DIR" not in os.environ:
        root = Path(os.environ.get("PACTUM_VAR_DIR", Path.cwd() / "var"))
        (root / "numba").mkdir(parents=True, exist_ok=True)
        os.environ["NUMBA_CACHE_DIR"] = str(root / "numba")


def _models(names: tuple[str, ...]) -> list[Any]:
    _numba_cache()
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive

    factory = {
        "seasonal_naive": lambda: SeasonalNaive(season_length=12, alias="seasonal_naive"),
        "ets": lambda: AutoETS(season_length=12, alias="ets"),
        "arima": lambda: AutoARIMA(season_length=12, alias="arima"),
        "theta": lambda: AutoTheta(season_length=12, alias="theta"),
    }
    return [factory[n]() for n in names]


def _frame(series: Mapping[str, float]) -> Any:
    import numpy as np
    import pandas as pd

    months = month_range(min(series), max(series))
    y = np.log1p(np.array([max(0.0, float(series.get(m, 0.0))) for m in months]))
    return pd.DataFrame({"unique_id": "s", "ds": pd.to_datetime([m + "-01" for m in months]), "y": y})


def _needed(models: tuple[str, ...]) -> tuple[str, ...]:
    base = [m for m in BASE_MODELS if m in models or (m in ENSEMBLE_OF and "ensemble" in models)]
    if "seasonal_naive" not in base:
        base.insert(0, "seasonal_naive")
    return tuple(base)


def _add_ensemble(frame: Any) -> None:
    lv = f"-lo-{LEVEL}", f"-hi-{LEVEL}"
    frame["ensemble"] = frame[list(ENSEMBLE_OF)].mean(axis=1)
    frame[f"ensemble{lv[0]}"] = frame[[m + lv[0] for m in ENSEMBLE_OF]].mean(axis=1)
    frame[f"ensemble{lv[1]}"] = frame[[m + lv[1] for m in ENSEMBLE_OF]].mean(axis=1)


@dataclass(frozen=True)
class BacktestRun:
    """A backtest's contract result plus what live forecasts need from it: per model, the
    conformal half-widths (log scale) of the 80% interval for steps 1..horizon."""

    result: BacktestResult
    calibration: dict[str, list[float]]


def backtest(
    route: str,
    series: Mapping[str, float],
    horizon: int,
    *,
    models: tuple[str, ...] = MODELS,
    first_origin: str = FIRST_ORIGIN,
    last_origin: str | None = None,
    refit: int = DEFAULT_REFIT,
    calibration_window: int = CALIBRATION_WINDOW,
) -> BacktestRun:
    """Rolling-origin backtest of ``models`` on one monthly series; chooses the route's model.

    The 80% intervals are split-conformal: at each origin, the half-width for step ``k`` is the
    conformal quantile of the model's absolute log-scale errors at step ``k`` over the most recent
    ``calibration_window`` earlier origins whose outcome was already known at that origin. The
    warm-up origins before ``first_origin`` only feed this calibration; they are not scored.
    """
    import numpy as np
    from statsforecast import StatsForecast

    if not 1 <= horizon <= 6:
        raise ValueError("horizon must be between 1 and 6 months")
    months = month_range(min(series), max(series))
    last_possible = month_add(months[-1], -horizon)
    last = min(last_origin, last_possible) if last_origin else last_possible
    origins = month_range(first_origin, last)
    if not origins:
        raise ValueError("the series is too short for a backtest from " + first_origin)
    warm_first = max(month_add(first_origin, -calibration_window), month_add(months[0], WARM_UP_MONTHS))
    all_origins = month_range(warm_first, last)
    df = _frame(series)
    # cross_validation forecasts the last n_windows origins; drop data after the last origin + h.
    df = df[df["ds"] <= np.datetime64(month_add(last, horizon) + "-01")]
    names = _needed(models)
    sf = StatsForecast(models=_models(names), freq="MS", n_jobs=1)
    cv = sf.cross_validation(df=df, h=horizon, step_size=1, n_windows=len(all_origins), refit=refit)
    if "ensemble" in models:
        cv["ensemble"] = cv[list(ENSEMBLE_OF)].mean(axis=1)
    # log-scale forecasts per origin: {origin: (actual_log[h], {model: forecast_log[h]})}
    paths: dict[str, tuple[list[float], dict[str, list[float]]]] = {}
    for cutoff, grp in cv.groupby("cutoff", sort=True):
        paths[cutoff.strftime("%Y-%m")] = (
            grp["y"].tolist(),
            {m: grp[m].tolist() for m in models},
        )
    raw = [max(0.0, float(series.get(m, 0.0))) for m in months]
    pos = {m: i for i, m in enumerate(months)}

    def halfwidths(model: str, origin: str) -> list[float | None]:
        out: list[float | None] = []
        for k in range(horizon):
            past = [
                o for o in all_origins
                if o < origin and month_add(o, k + 1) <= origin
            ][-calibration_window:]
            errs = [abs(paths[o][0][k] - paths[o][1][model][k]) for o in past]
            out.append(conformal_halfwidth(errs, LEVEL / 100))
        return out

    errors: dict[str, list[float]] = {m: [] for m in models}
    inside: dict[str, list[bool]] = {m: [] for m in models}
    for origin in origins:
        actual_log, fcs = paths[origin]
        scale = seasonal_naive_scale(raw[: pos[origin] + 1])
        actual = [float(np.expm1(a)) for a in actual_log]
        for m in models:
            errors[m].append(mase(actual, [float(np.expm1(f)) for f in fcs[m]], scale))
            for k, hw in enumerate(halfwidths(m, origin)):
                width = float("inf") if hw is None else hw
                inside[m].append(abs(actual_log[k] - fcs[m][k]) <= width)
    scores = {m: (float(np.mean(errors[m])), sum(inside[m]) / len(inside[m])) for m in models}
    chosen = choose_model(scores) if "seasonal_naive" in scores else min(scores, key=lambda k: scores[k][0])
    end = month_add(last, 1)
    calibration = {
        m: [hw if hw is not None else 0.0 for hw in halfwidths(m, end)] for m in models
    }
    result = BacktestResult(
        route=route,
        horizon=horizon,
        origins=len(origins),
        models=[
            BacktestModelScore(model=m, mase=round(scores[m][0], 4), coverage_80=round(scores[m][1], 4))
            for m in models
        ],
        chosen=chosen,
    )
    return BacktestRun(result=result, calibration=calibration)


def forecast(
    route: str,
    series: Mapping[str, float],
    model: str,
    horizon: int = 6,
    *,
    calibration: list[float] | None = None,
    nationality: str | None = None,
) -> RouteForecast:
    """Forecast the ``horizon`` months after the series' last month with ``model``.

    With ``calibration`` (the backtest's conformal half-widths on the log scale, one per step) the
    80% interval is the calibrated one; without it (a nationality's forecast), the model's own 80%
    interval is used, widened to persistence after a month the model treats as an outlier
    (:func:`with_persistence`).
    """
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}")
    if calibration is not None and len(calibration) < horizon:
        raise ValueError("the calibration covers fewer steps than the horizon")
    fitted = _fitted(route, series, model, horizon, calibration, nationality)
    return fitted if calibration is not None else with_persistence(fitted, series)


def with_persistence(fc: RouteForecast, series: Mapping[str, float]) -> RouteForecast:
    """``fc`` (made with the model's own interval) with its upper bounds raised to the naive
    (persistence) forecast's when the series' last month lies above the model's 80% interval for the
    month after it: the model then treats that month as an outlier (a nationality series of small
    numbers and a sudden jump, which ETS fits with a level that barely moves), while the month after a
    jump often repeats it. The interval becomes the union of both views; the median stays the model's.

    Over the shipped Frontex release, at the 83 past months where a nationality's jump (at least five
    times its past year's average and at least 100) lay above the model's (ETS) interval, 40% of the
    months after it lay above that interval too (nominally 10%), 3.6% above the union; the union's
    coverage was 81% (nominally 80%). The forecast says it was widened (``widened``)."""
    if not fc.points or not series:
        return fc
    last = float(series[max(series)])
    if last <= fc.points[0].hi_80:
        return fc
    import math

    months = month_range(min(series), max(series))
    history = [math.log1p(max(0.0, float(series.get(m, 0.0)))) for m in months]
    upper = persistence_upper(history, len(fc.points), LEVEL / 100)
    points = [p.model_copy(update={"hi_80": max(p.hi_80, round(math.expm1(u), 1))})
              for p, u in zip(fc.points, upper, strict=True)]
    return fc.model_copy(update={"points": points, "widened": True})


#: The months a nationality's forecast is fitted on: the route's last three years (the models'
#: warm-up, as the backtest's, and the history the above-interval rule needs).
NATIONALITY_WINDOW = WARM_UP_MONTHS


def nationality_history(nationality: Mapping[str, float], route_months: list[str]) -> dict[str, float]:
    """The months a nationality's forecast is fitted on: the route's last :data:`NATIONALITY_WINDOW`
    months (all of them when the route has fewer), a month without rows being a zero (Frontex
    lists only the months with detections; the route runs over the release's months). Not the
    route's whole range from 2009: years of zeros or of another migration pattern before the recent
    months made the models read a nationality's rise as an explosive trend (Bangladesh on the
    Central Mediterranean forecast at 9,186 for May 2025, 1,314–97,297, its highest month ever
    2,461); fitted on the last 36 months: 1,247 (667–2,662). Empty when the nationality has no
    detection in those months."""
    window = route_months[-NATIONALITY_WINDOW:]
    out = {m: float(nationality.get(m, 0.0)) for m in window}
    return out if any(v > 0 for v in out.values()) else {}


def within_route(fc: RouteForecast, route_fc: RouteForecast) -> RouteForecast:
    """A nationality's forecast kept within its route's: a nationality is part of the route, so in
    each month neither its median nor its interval's bounds exceed the route's (the lower bound
    stays at most the median). Marked ``capped`` when lowered."""
    route_points = {p.month: p for p in route_fc.points}
    points = []
    capped = False
    for p in fc.points:
        r = route_points.get(p.month)
        if r is None:
            points.append(p)
            continue
        mean, hi = min(p.mean, r.mean), min(p.hi_80, r.hi_80)
        lo = min(p.lo_80, mean)
        capped = capped or (mean, lo, hi) != (p.mean, p.lo_80, p.hi_80)
        points.append(p.model_copy(update={"mean": mean, "lo_80": lo, "hi_80": hi}))
    return fc.model_copy(update={"points": points, "capped": capped}) if capped else fc


def _fitted(route: str, series: Mapping[str, float], model: str, horizon: int, calibration: list[float] | None,
            nationality: str | None) -> RouteForecast:
    """The model's forecast: a shipped fit of the same inputs, else fitted now."""
    inputs = fit_inputs(series, model, horizon, calibration)
    shipped = shipped_fits().get(fit_key(inputs))
    if shipped is not None and shipped["inputs"] == inputs:
        return RouteForecast(route=route, nationality=nationality, model=model, origin=shipped["origin"],
                             points=[ForecastPoint(**p) for p in shipped["points"]])
    import numpy as np  # statsforecast, pandas and scipy load only when a fit is needed
    from statsforecast import StatsForecast

    names = _needed((model,))
    sf = StatsForecast(models=_models(names), freq="MS", n_jobs=1)
    fc = sf.forecast(df=_frame(series), h=horizon, level=[LEVEL])
    if model == "ensemble":
        _add_ensemble(fc)
    origin = max(series)
    points = []
    for i, (_, row) in enumerate(fc.iterrows()):
        centre = float(row[model])
        if calibration is not None:
            lo, hi = centre - calibration[i], centre + calibration[i]
        else:
            lo, hi = float(row[f"{model}-lo-{LEVEL}"]), float(row[f"{model}-hi-{LEVEL}"])
        points.append(
            ForecastPoint(
                month=month_add(origin, i + 1),
                mean=round(float(np.expm1(centre)), 1),
                lo_80=round(max(0.0, float(np.expm1(lo))), 1),
                hi_80=round(max(0.0, float(np.expm1(hi))), 1),
            )
        )
    if _RECORDING is not None:
        _RECORDING.append({"inputs": inputs, "origin": origin, "points": [p.model_dump() for p in points]})
    return RouteForecast(route=route, nationality=nationality, model=model, origin=origin, points=points)


def fit_inputs(series: Mapping[str, float], model: str, horizon: int,
               calibration: list[float] | None) -> dict[str, Any]:
    """Everything a forecast depends on, as JSON values (the series in month order)."""
    return {
        "series": [[m, float(series[m])] for m in sorted(series)],
        "model": model,
        "horizon": horizon,
        "calibration": None if calibration is None else [float(c) for c in calibration[:horizon]],
        "level": LEVEL,
        "statsforecast": metadata.version("statsforecast"),
    }


def fit_key(inputs: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


@lru_cache(maxsize=1)
def shipped_fits() -> dict[str, dict[str, Any]]:
    """The shipped fits by ``fit_key`` of their inputs (empty when the file is absent)."""
    if not SHIPPED_FITS.is_file():
        return {}
    data = json.loads(SHIPPED_FITS.read_text(encoding="utf-8"))
    return {fit_key(f["inputs"]): f for f in data["fits"]}
