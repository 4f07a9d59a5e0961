"""Golden backtest on the real Frontex series (Western Balkan Route, one month ahead, origins
May 2024 to March 2025): the scores the platform reproduces, and that the chosen model beats the
seasonal naive baseline. The full rolling-origin table (origins from 2016, every route) runs in
bench/awareness/backtest.py and is recorded in docs/performance.md."""

import pytest

from pactum.services.awareness.forecasting import backtest
from pactum.services.awareness.series import shipped_route_series

GOLDEN = {
    "seasonal_naive": (0.4955, 0.5455),
    "ets": (0.0358, 0.9091),
    "arima": (0.0317, 0.7273),
    "theta": (0.0318, 0.9091),
    "ensemble": (0.0307, 0.8182),
}


def test_western_balkan_one_month_ahead_matches_golden_scores():
    series = shipped_route_series()["Western Balkan Route"]
    run = backtest("Western Balkan Route", series, 1, first_origin="2024-05")
    res = run.result
    assert res.origins == 11
    got = {m.model: (m.mase, m.coverage_80) for m in res.models}
    for model, (mase, cov) in GOLDEN.items():
        assert got[model][0] == pytest.approx(mase, abs=2e-4), model
        assert got[model][1] == pytest.approx(cov, abs=1e-3), model
    assert res.chosen == "ensemble"  # the only model whose coverage is within 5 points of 80%
    assert res.mase_ratio < 1
    # the live forecast's interval half-widths come from the same errors, one per step
    assert len(run.calibration["ensemble"]) == 1 and run.calibration["ensemble"][0] > 0
