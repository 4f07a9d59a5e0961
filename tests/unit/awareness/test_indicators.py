"""Indicator arithmetic, ISO weeks, alert rules, release validation and chart rendering."""

import pytest

from pactum.awareness import alerts, charts
from pactum.awareness.external import parse
from pactum.awareness.indicators import change, month_add, month_range, top_shares
from pactum.awareness.periods import parse_week, week_of
from pactum.common.errors import ValidationProblem


def test_month_arithmetic_crosses_years():
    assert month_add("2025-01", -1) == "2024-12"
    assert month_add("2024-11", 14) == "2026-01"
    assert month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]


def test_change_against_previous_month_and_same_month_last_year():
    s = {"2024-03": 1000.0, "2025-02": 1600.0, "2025-03": 2000.0}
    c = change(s, "2025-03")
    assert (c.change_month_pct, c.change_year_pct) == (25.0, 100.0)
    assert change({"2025-03": 10.0}, "2025-03").change_year_pct is None


def test_top_shares_rank_by_volume_and_give_share_of_total():
    top = top_shares({"SYR": 50, "AFG": 30, "TUR": 20}, 2)
    assert [(t.nationality, t.share) for t in top] == [("SYR", 0.5), ("AFG", 0.3)]


def test_iso_week_2026_w47_runs_monday_16_to_sunday_22_november():
    w = parse_week("2026-W47")
    assert (w.start.isoformat(), w.end.isoformat()) == ("2026-11-16", "2026-11-22")
    assert week_of(w.end).label == "2026-W47"
    with pytest.raises(ValueError, match="ISO week"):
        parse_week("2026-47")
    with pytest.raises(ValueError, match="no week 53"):
        parse_week("2025-W53")


BY_NAT = {
    "GIN": {"2025-01": 100, "2025-02": 100, "2025-03": 100, "2025-04": 700},
    "CIV": {"2025-01": 200, "2025-02": 200, "2025-03": 200, "2025-04": 400},
    "TUN": {"2025-01": 300, "2025-02": 300, "2025-03": 300, "2025-04": 250},
}
TOTAL = {m: float(sum(v[m] for v in BY_NAT.values())) for m in ("2025-01", "2025-02", "2025-03", "2025-04")}


def test_rapid_rise_names_the_nationalities_driving_it():
    f = alerts.rapid_rise("Central Mediterranean Route", "2025-04", TOTAL, BY_NAT, alerts.AlertSettings(rise_pct=50))
    assert f is not None and f.rule == "rapid_rise"
    assert f.observed == 1350 and f.threshold == 900.0
    assert [d["nationality"] for d in f.drivers] == ["GIN", "CIV"]
    assert f.drivers[0]["share_of_increase"] == 0.75  # 600 of the 800 increase


def test_rapid_rise_respects_threshold_and_minimum_volume():
    assert alerts.rapid_rise("R", "2025-04", TOTAL, BY_NAT, alerts.AlertSettings(rise_pct=150)) is None
    assert alerts.rapid_rise("R", "2025-04", TOTAL, BY_NAT, alerts.AlertSettings(rise_pct=10, min_volume=2000)) is None


def test_above_interval_only_when_observed_exceeds_upper_bound():
    s = alerts.AlertSettings()
    assert alerts.above_interval("R", "2025-04", 1350, 1400, "ets", BY_NAT, s) is None
    f = alerts.above_interval("R", "2025-04", 1350, 1200, "ets", BY_NAT, s)
    assert f is not None and "above the upper 80% bound 1,200 of the ets forecast" in f.message


FRONTEX_HEADER = "month,route,border_type,nationality_iso3,nationality_name,detections\n"


def test_valid_frontex_release_parses_every_row():
    rows = parse("frontex", FRONTEX_HEADER + "2025-05,Central Mediterranean Route,Sea,GIN,Guinea,120\n")
    assert rows[0].route == "Central Mediterranean Route" and rows[0].value == 120


def test_a_release_saved_by_excel_with_a_byte_order_mark_parses():
    """Excel's "CSV UTF-8" starts the file with U+FEFF: it was read as part of the first column's
    name, and the release refused as "missing column month"."""
    rows = parse("frontex", "\ufeff" + FRONTEX_HEADER + "2025-05,Central Mediterranean Route,Sea,GIN,Guinea,120\n")
    assert rows[0].period == "2025-05" and rows[0].value == 120


def test_malformed_release_names_line_and_column():
    text = FRONTEX_HEADER + "2025-05,Central Mediterranean Route,Sea,GIN,Guinea,120\n2025-13,Nowhere,Air,gi,x,-4\n"
    with pytest.raises(ValidationProblem) as exc:
        parse("frontex", text, known_routes=frozenset({"Central Mediterranean Route"}))
    fields = [f for f, _ in exc.value.problems]
    assert fields == ["line 3.month", "line 3.route", "line 3.border_type", "line 3.nationality_iso3", "line 3.detections"]


def test_missing_columns_and_unknown_source_are_refused():
    with pytest.raises(ValidationProblem, match="missing column"):
        parse("frontex", "month,route\n2025-01,x\n")
    with pytest.raises(ValidationProblem, match="unknown source"):
        parse("imf", "a\n1\n")


def test_svg_chart_draws_history_forecast_band_and_legend():
    spec = charts.forecast_spec("CMR", [{"month": "2025-03", "value": 100}, {"month": "2025-04", "value": 200}],
                                [{"month": "2025-05", "mean": 210, "lo_80": 150, "hi_80": 300}])
    svg = charts.to_svg(spec)
    assert svg.startswith("<svg") and "<polygon" in svg and svg.count("<polyline") == 2
    assert "80% interval" in svg and "forecast" in svg and "observed" in svg


def test_svg_bars_show_values():
    svg = charts.to_svg(charts.bars_spec("Top", [{"label": "SYR", "value": 1200}, {"label": "AFG", "value": 300}]))
    assert "SYR" in svg and "1,200" in svg and svg.count("<rect") == 2
