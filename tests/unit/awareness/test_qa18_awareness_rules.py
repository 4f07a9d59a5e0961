"""QA walk 18 (situational awareness), the pure rules: the age of a period after the day it is read
on, the latest complete UNHCR year as of a past day, the early-warning rules on the first months
of a series, the model chosen when the baseline is best, a nationality's forecast within its
route's, and how an alert's message words its figures."""

from __future__ import annotations

from datetime import date

from pactum.awareness import alerts
from pactum.awareness.indicators import freshness
from pactum.awareness.metrics import choose_model
from pactum.awareness.schemas import ForecastPoint, RouteForecast
from pactum.services.awareness import forecasting
from pactum.services.awareness.service import latest_complete_year

# --- W3-1: figures published after the day they are read on ------------------------------------


def test_a_month_after_the_day_is_not_said_to_be_of_that_month():
    """August 2020 read on 2015-03-08 was "latest data: August 2020 — the month of 2015-03-08"."""
    f = freshness("2020-08", date(2015, 3, 8))
    assert "the month of" not in f["text"] and f["months_old"] < 0
    assert f["text"] == "latest data: August 2020 — 65 months after 2015-03-08"
    year = freshness("2024", date(2015, 3, 8))
    assert year["text"] == "latest data: the year 2024 — not over on 2015-03-08"  # was "ended 0 months before"
    assert freshness("2025-04", date(2026, 11, 30))["text"] == "latest data: April 2025 — 19 months old on 2026-11-30"


def test_the_latest_complete_unhcr_year_of_a_past_day_is_before_that_days_year():
    reporting = {str(y): 29 for y in range(2000, 2026)}
    assert latest_complete_year(reporting, date(2015, 3, 8)) == "2014"  # was 2024
    assert latest_complete_year(reporting, date(2021, 1, 3)) == "2020"  # 2020-W53 ends on 3 January 2021
    assert latest_complete_year(reporting, date(2026, 11, 28)) == "2025"
    assert latest_complete_year({"2024": 29, "2025": 29}, date(2015, 3, 8)) is None  # nothing complete then


# --- W3-3: months before a series starts are no data ---------------------------------------------


def test_the_rapid_rise_reads_no_rise_from_months_before_the_series():
    """Frontex 2009-01 was "1,491 detections, from zero against the average of the previous 3 months (0)"."""
    series = {"2009-01": 1491.0, "2009-02": 1500.0, "2009-03": 1400.0, "2009-04": 1300.0}
    assert alerts.rapid_rise("Central Mediterranean Route", "2009-01", series, {}, alerts.AlertSettings()) is None
    s = alerts.AlertSettings()
    assert alerts.history_problem(alerts.RAPID_RISE, "2009-03", "2009-01", s).endswith(
        "(the first month it can check is 2009-04)")
    assert alerts.history_problem(alerts.RAPID_RISE, "2009-04", "2009-01", s) is None
    assert "36 months before it (the first month it can check is 2012-01)" in alerts.history_problem(
        alerts.ABOVE_INTERVAL, "2009-06", "2009-01", s)
    # inside the series a month without a count is a zero: a rise from zero is one
    sparse = {"2025-01": 0.0, "2025-04": 900.0}
    found = alerts.rapid_rise("R", "2025-04", sparse, {}, alerts.AlertSettings())
    assert found is not None and "from zero" in found.message


# --- W3-8: the baseline is always eligible -------------------------------------------------------


def test_a_baseline_far_better_than_every_model_is_chosen_whatever_its_coverage():
    scores = {"seasonal_naive": (0.044, 1.0), "ets": (0.61, 0.83), "theta": (0.574, 0.80)}
    assert choose_model(scores) == "seasonal_naive"  # was theta, thirteen times the error
    # the models are still compared among those whose intervals are calibrated
    assert choose_model({"seasonal_naive": (1.0, 0.6), "ets": (0.7, 0.95), "theta": (0.8, 0.82)}) == "theta"


# --- W3-4: a nationality within its route --------------------------------------------------------


def _fc(nationality: str | None, points: list[tuple[float, float, float]]) -> RouteForecast:
    return RouteForecast(route="Central Mediterranean Route", nationality=nationality, model="theta",
                         origin="2025-04", points=[ForecastPoint(month=f"2025-0{5 + i}", mean=m, lo_80=lo, hi_80=hi)
                                                   for i, (m, lo, hi) in enumerate(points)])


def test_a_nationality_forecast_never_exceeds_its_routes():
    route = _fc(None, [(8801.8, 5309.6, 14590.5), (10994.7, 5635.6, 21449.0)])
    bgd = _fc("BGD", [(9185.8, 1313.9, 97296.8), (900.0, 100.0, 2000.0)])
    out = forecasting.within_route(bgd, route)
    assert out.capped
    assert [(p.mean, p.lo_80, p.hi_80) for p in out.points] == [(8801.8, 1313.9, 14590.5), (900.0, 100.0, 2000.0)]
    small = _fc("SYR", [(400.0, 80.0, 3000.0), (800.0, 100.0, 4900.0)])
    assert forecasting.within_route(small, route) == small and not small.capped


def test_a_nationality_is_fitted_on_the_routes_last_36_months_not_on_years_of_zeros():
    months = [f"{y}-{m:02d}" for y in range(2009, 2026) for m in range(1, 13)][:196]  # 2009-01 .. 2025-04
    history = forecasting.nationality_history({"2024-12": 5.0, "2025-04": 9.0}, months)
    assert min(history) == "2022-05" and max(history) == "2025-04" and len(history) == 36
    assert history["2025-01"] == 0.0 and history["2025-04"] == 9.0
    assert forecasting.nationality_history({"2010-01": 5.0}, months) == {}  # none in the window


# --- W3-12: the wording of an alert --------------------------------------------------------------


def test_an_alert_says_one_encounter_and_an_average_below_one_with_a_decimal():
    series = {"2026-07": 0.0, "2026-08": 0.0, "2026-09": 1.0, "2026-10": 1.0}
    f = alerts.rapid_rise(alerts.ENCOUNTERS, "2026-10", series, {}, alerts.AlertSettings(min_volume=0),
                          counted=alerts.ENCOUNTERS)
    assert f is not None
    assert "2026-10: 1 encounter, +200% against the average of the previous 3 months (0.3); threshold +50%" \
        in f.message  # was "1 encounters, … (0)"


def test_a_rise_just_above_the_threshold_does_not_read_as_the_threshold():
    series = {"2025-01": 1000.0, "2025-02": 1000.0, "2025-03": 1000.0, "2025-04": 1503.0}
    f = alerts.rapid_rise("R", "2025-04", series, {}, alerts.AlertSettings())
    assert f is not None and "1,503 detections, +50.3% against the average of the previous 3 months (1,000); " \
                              "threshold +50%" in f.message  # was "+50% … threshold +50%"
    g = alerts.rapid_rise("R", "2025-04", series, {}, alerts.AlertSettings(rise_pct=12.5, baseline_months=1))
    assert g is not None and "+50% against the average of the previous 1 month (1,000); threshold +12.5%" in g.message
