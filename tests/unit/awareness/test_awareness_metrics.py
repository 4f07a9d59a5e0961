"""Backtest metrics and the model choice, on numbers a forecaster can check by hand."""

import pytest

from pactum.awareness.metrics import (
    choose_model,
    conformal_halfwidth,
    interval_coverage,
    mase,
    seasonal_naive_scale,
)


def test_seasonal_naive_scale_is_mean_absolute_year_on_year_change():
    history = [10.0] * 12 + [12.0] * 12  # every month rose by 2 a year later
    assert seasonal_naive_scale(history) == 2.0


def test_scale_falls_back_to_lag_one_on_short_history_and_one_on_flat():
    assert seasonal_naive_scale([1.0, 3.0, 2.0]) == 1.5
    assert seasonal_naive_scale([5.0] * 30) == 1.0


def test_mase_divides_mean_absolute_error_by_the_scale():
    assert mase([100, 200, 300], [110, 190, 330], scale=10.0) == pytest.approx((10 + 10 + 30) / 3 / 10)


def test_mase_rejects_mismatched_paths():
    with pytest.raises(ValueError):
        mase([1, 2], [1], scale=1.0)


def test_coverage_counts_actuals_inside_bounds_inclusive():
    assert interval_coverage([5, 10, 20, 1], [0, 10, 0, 2], [10, 15, 19, 3]) == 0.5


def test_conformal_halfwidth_uses_the_finite_sample_quantile():
    errors = [float(i) for i in range(1, 10)]  # 9 errors: ceil(10 * 0.8) = 8th smallest
    assert conformal_halfwidth(errors, 0.8) == 8.0
    assert conformal_halfwidth([1.0, 2.0], 0.8) is None  # too few errors for an 80% bound
    assert conformal_halfwidth([], 0.8) is None


def test_lowest_mase_among_calibrated_models_wins():
    scores = {"seasonal_naive": (1.0, 0.80), "ets": (0.7, 0.95), "theta": (0.8, 0.82)}
    assert choose_model(scores) == "theta"  # ets is more accurate but its intervals are too wide


def test_baseline_kept_when_nothing_beats_it():
    scores = {"seasonal_naive": (0.9, 0.80), "ets": (1.1, 0.80), "arima": (1.3, 0.79)}
    assert choose_model(scores) == "seasonal_naive"


def test_lowest_mase_overall_when_no_model_is_calibrated():
    scores = {"seasonal_naive": (1.0, 0.60), "ets": (0.9, 0.99)}
    assert choose_model(scores) == "ets"
