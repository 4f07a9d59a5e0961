"""FD-17: a weekly report whose newest border data are older than the threshold (2 months) says so
in its title and on every PDF page, shows the alerts of those old months as historical rather than
open, and says a forecast of months already over is one made from the old data."""

from __future__ import annotations

import re
from html import unescape

import pytest

from pactum.services import awareness
from pactum.services.auth import SYSTEM
from pactum.services.awareness import report as weekly

STALE_TITLE = "Situational report 2026-W47 — no current border data (latest April 2025)"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _page_texts(pdf_html: str) -> list[str]:
    """The text WeasyPrint lays out on each page of the PDF, margin boxes included."""
    from weasyprint import HTML

    texts = []
    for page in HTML(string=pdf_html).render().pages:
        words = [box.text for box in page._page_box.descendants() if hasattr(box, "text")]
        texts.append(re.sub(r"\s+", " ", " ".join(words)))
    return texts


@pytest.fixture
def world(services):
    """The demo world's awareness: shipped data to April 2025, forecasts from it, alerts on it."""
    awareness.load_shipped_backtests(services, SYSTEM)
    awareness.refresh_forecasts(services, SYSTEM)
    awareness.evaluate_alerts(services, SYSTEM)
    return services


def test_the_title_says_there_is_no_current_border_data(world, web_client):
    rep = weekly.build(world, SYSTEM, "2026-W47")
    assert rep["title"] == STALE_TITLE
    assert rep["stale_after_months"] == 2
    html = _text(weekly.render_html(rep))
    assert f"{STALE_TITLE} " in html
    assert ("No current border data: the newest Frontex month is April 2025, 19 months before the report's day. "
            "The arrivals, alerts and forecasts in this report describe April 2025") in html
    page = web_client("frontex-analyst").get("/awareness/reports/2026-W47").text
    assert f"<title>{STALE_TITLE}" in unescape(page)
    assert STALE_TITLE in _text(page)


def test_every_pdf_page_carries_the_warning(world):
    rep = weekly.build(world, SYSTEM, "2026-W47")
    pages = _page_texts(weekly.render_html(rep))
    assert len(pages) > 1
    for text in pages:
        assert "No current border data: the newest Frontex month is April 2025" in text


def test_old_alerts_are_historical_not_open_and_stay_open_in_the_store(world):
    rep = weekly.build(world, SYSTEM, "2026-W48")  # the week in progress: the alerts were raised in it
    assert rep["alerts"] and all(a["historical"] for a in rep["alerts"])
    html = _text(weekly.render_html(rep))
    assert "historical (not acknowledged; its month 2025-04 is more than 2 months before 2026-11-28)" in html
    assert re.search(r"</td>\s*<td>open</td>", weekly.render_html(rep)) is None
    # the stored alerts are not closed: the alert list still gives them as open
    assert len(awareness.list_alerts(world, SYSTEM, open_only=True)) == len(rep["alerts"])


def test_a_forecast_of_months_already_past_says_so(world):
    rep = weekly.build(world, SYSTEM, "2026-W47")
    with_forecast = [r for r in rep["routes"] if r["forecast"]]
    assert with_forecast
    for r in with_forecast:
        assert r["forecast_past"] == "forecast made from data up to 2025-04, months already past"
    html = _text(weekly.render_html(rep))
    assert "(forecast made from data up to 2025-04, months already past)" in html
    assert all(spec["title"].endswith("; forecast made from data up to 2025-04, months already past")
               for spec in rep["specs"]["forecasts"])


def test_a_forecast_not_yet_past_and_current_data_carry_no_warning():
    assert weekly.forecast_past({"origin": "2025-04", "points": [{"month": "2025-05"}, {"month": "2025-06"}]},
                                "2025-04") is None
    assert weekly.forecast_past({"origin": "2025-04", "points": [{"month": "2025-05"}, {"month": "2025-06"}]},
                                "2025-05") == "forecast made from data up to 2025-04; 2025-05 already past"
    current = {"months_old": 2, "stale": False}
    assert weekly.staleness("2025-W23", current, "2025-04", "2025-06-08") is None
    assert weekly.historical_alert({"month": "2025-04", "acknowledged_at": None}, __import__("datetime").date(2025, 6, 8)) is False
