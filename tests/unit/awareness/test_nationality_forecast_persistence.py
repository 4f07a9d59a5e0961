"""A nationality's forecast after a jump its model treats as an outlier: the Eastern Borders Route's
2,388 detections of unknown nationality in April 2025 were forecast at 5.1 (1.1–16.6) for May, an
interval that excluded any repetition of April. The interval now reaches what persistence gives."""

from __future__ import annotations

import math

import pytest

from pactum.awareness.indicators import month_range
from pactum.awareness.metrics import persistence_upper
from pactum.awareness.schemas import ForecastPoint, RouteForecast
from pactum.services.awareness import forecasting
from pactum.services.awareness.series import shipped_route_series
from pactum.services.awareness.service import _shipped_breakdown

EBR = "Eastern Borders Route"


def _nationality(code: str) -> dict[str, float]:
    route = shipped_route_series()[EBR]
    series = _shipped_breakdown("nationality_iso3")[EBR].get(code, {})
    return {m: series.get(m, 0.0) for m in month_range(min(route), max(route))}


def test_persistence_upper_is_the_last_value_plus_the_naive_models_spread():
    history = [0.0, 1.0, 0.0, 1.0]  # changes +1, -1, +1: sigma 1
    z = 1.2815515655446004  # the 90% normal quantile: the top of a two-sided 80% interval
    assert persistence_upper(history, 2) == pytest.approx([1.0 + z, 1.0 + z * math.sqrt(2)])
    with pytest.raises(ValueError):
        persistence_upper([], 1)


def _forecast(hi: float) -> RouteForecast:
    return RouteForecast(route=EBR, nationality="OOO", model="ets", origin="2025-04",
                         points=[ForecastPoint(month="2025-05", mean=5.0, lo_80=1.0, hi_80=hi)])


def test_a_last_month_above_the_models_interval_widens_it_to_persistence():
    series = {"2025-01": 0.0, "2025-02": 10.0, "2025-03": 18.0, "2025-04": 2388.0}
    out = forecasting.with_persistence(_forecast(16.6), series)
    assert out.widened and out.points[0].hi_80 > 2388
    assert (out.points[0].mean, out.points[0].lo_80) == (5.0, 1.0)  # the model's median and lower bound stay
    # a last month inside the model's interval changes nothing
    same = forecasting.with_persistence(_forecast(3000.0), series)
    assert not same.widened and same.points[0].hi_80 == 3000.0


def test_the_shipped_unknown_nationality_forecast_no_longer_excludes_aprils_figure():
    ooo = forecasting.forecast(EBR, _nationality("OOO"), "ets", 3, nationality="OOO")
    first = ooo.points[0]
    assert ooo.widened and first.month == "2025-05"
    assert first.mean == 5.1 and first.hi_80 > 2388  # was 5.1 (1.1–16.6)
    ukr = forecasting.forecast(EBR, _nationality("UKR"), "ets", 3, nationality="UKR")
    assert not ukr.widened  # April's 537 lay inside the model's interval: its own interval is kept
