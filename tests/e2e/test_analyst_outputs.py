"""Two analyst outputs as a reader gets them: the weekly situational report (page, and the HTML the
PDF is made from) and the decision statistics page. Every figure carries thousands separators, its
unit, its period and its source; codes are written as words; a count's axis has whole ticks; a
page's tabs offer only what the user may do."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

import pytest

from pactum.awareness import charts
from pactum.services import awareness, indicators
from pactum.services.auth import SYSTEM
from pactum.services.awareness import report as weekly

WEEK = "2026-W47"  # the test clock's week is 2026-W48; 2026-W47 ends on 2026-11-22
NBSP = "\u00a0"


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _tabs(html: str) -> list[str]:
    nav = re.search(r'<nav class="tabs" aria-label="Asylum procedures">(.*?)</nav>', html, re.S)
    assert nav, "no tabs on the page"
    return re.findall(r'<a href="([^"]+)"', nav.group(1))


# ------------------------------------------------------------------ weekly report


def test_platform_chart_counts_encounters_with_whole_ticks(client, auth_headers):
    rep = client.get(f"/api/v1/awareness/reports/{WEEK}", headers=auth_headers("euaa-analyst")).json()
    # the report's JSON keeps its fields (and names the Frontex release with its age since)
    assert set(rep) == {"week", "generated_at", "generated_by", "scope", "frontex_month", "frontex", "routes",
                        "top_by_route", "top_unknown_share", "alerts", "platform", "indicators", "external",
                        "minor_age", "specs", "build_seconds",
                        # added (FD-17): the title, saying when the border data are not current, and why
                        "title", "staleness", "stale_after_months"}
    # (and, added: ``minors_note``, why minors are not counted for a week before the rule was in force)
    assert set(rep["platform"]) == {"by_route", "total", "minors", "minors_share", "screenings_started",
                                    "screenings_completed", "minors_note",
                                    # added: the week's encounters recorded only after it (not counted)
                                    "recorded_after_week"}
    value_axis = rep["specs"]["platform"]["encoding"]["x"]
    assert value_axis["title"] == "Encounters"  # not "Detections": the platform counts encounters
    assert value_axis["axis"]["tickMinStep"] == 1 and value_axis["axis"]["format"].endswith("d")
    assert "2026-11-16 to 2026-11-22" in rep["specs"]["platform"]["title"]
    # every count chart of the report has whole ticks, and names its source and period
    for spec in (rep["specs"]["arrivals"], rep["specs"]["nationalities"], *rep["specs"]["forecasts"]):
        encodings = [spec["encoding"]] if "encoding" in spec else [la["encoding"] for la in spec["layer"]]
        axes = [e[c]["axis"] for e in encodings for c in ("x", "y") if e.get(c, {}).get("type") == "quantitative"
                and "axis" in e[c]]
        assert axes and all(a["tickMinStep"] == 1 for a in axes), spec["title"]
        assert "Frontex" in spec["title"] and "2025" in spec["title"], spec["title"]


def test_the_pdf_charts_name_what_they_count_and_tick_whole_numbers():
    spec = charts.bars_spec("Platform encounters by route, 2026-W47", [
        {"label": "Central Mediterranean", "value": 3}, {"label": "Western Balkan", "value": 1}], y_title="Encounters")
    assert "Encounters" in charts.to_svg(spec)
    line = charts.lines_spec("Detections", [{"month": "2025-03", "series": "a", "value": 3},
                                            {"month": "2025-04", "series": "a", "value": 26_000}])
    svg = charts.to_svg(line)
    ticks = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    assert ticks == ["0", "5,000", "10,000", "15,000", "20,000", "25,000"]  # not "21k" steps of 7k
    assert ">Detections</text>" in svg  # the value axis is titled in the PDF as on the page
    small = charts.to_svg(charts.lines_spec("t", [{"month": "2025-03", "series": "a", "value": 1},
                                                  {"month": "2025-04", "series": "a", "value": 3}]))
    assert re.findall(r'text-anchor="end">([^<]+)</text>', small) == ["0", "1", "2", "3"]


@pytest.fixture
def big_indicators(monkeypatch):
    """Three areas' indicators give the demo world's sizes (the test store is empty)."""
    registry = indicators.load_all()  # every area's module imported before any is replaced

    def fixed(name: str, value: object) -> None:
        ind = registry[name]
        monkeypatch.setitem(indicators._INDICATORS, name, replace(ind, fn=lambda c, d, ms: value))

    fixed("registrations", 2318)
    fixed("relocation_transfers_total", 4379)
    fixed("relocation_transfers_by_origin", {"CY": 1498, "IT": 2108, "MT": 155})


def test_live_indicators_have_separators_units_periods_and_sources_in_words(services, principal, web_client,
                                                                            big_indicators):
    page = web_client("euaa-analyst").get(f"/awareness/reports/{WEEK}")
    assert page.status_code == 200
    rep = weekly.build(services, principal("euaa-analyst"), WEEK)
    for html in (page.text, weekly.render_html(rep)):  # the page, and the HTML the PDF is made from
        section = html.split("7. Procedure throughput", 1)[1].split("</table>", 1)[0]
        text = _text(section)
        assert "2318" not in text and "4379" not in text and "2108" not in text
        assert f"2,318{NBSP}encounters" in text and f"4,379{NBSP}transfers" in text
        assert "IT 2,108; CY 1,498; MT 155" in text  # by state, largest first, no ambiguous commas
        assert "all records up to 2026-11-22" in text and "2026-01-01 to 2026-11-22" in text
        assert "Registration and screening" in text and "Asylum procedures" in text
        assert not re.search(r"<td>(registry|procedures|solidarity|returns|responsibility)</td>", section)
        assert '<td class="num">2,318' in section  # right-aligned
        sources = _text(html.split("Sources:", 1)[1].split("</p>", 1)[0])
        assert all(s in sources for s in ("Frontex", "Eurostat", "UNHCR", "platform")), sources


def test_alerts_and_shares_are_in_words_with_their_period(services, web_client):
    awareness.evaluate_alerts(services, SYSTEM)
    html = web_client("frontex-analyst").get("/awareness/reports/2026-W48").text  # the alerts' week
    alerts = html.split("3. Early-warning alerts", 1)[1].split("</table>", 1)[0]
    assert "<td>rapid_rise</td>" not in alerts and "<td>above_interval</td>" not in alerts
    assert "rapid rise" in alerts and "Frontex detections" in alerts
    assert re.search(r"Bangladesh \(\+[\d,]+\)", alerts)  # the drivers by name, with separators
    tops = _text(html.split("4. Top nationalities", 1)[1].split("<h2>", 1)[0])
    assert "2025-02 to 2025-04" in tops and "Frontex" in tops and "Bangladesh" in tops
    assert "BGD 38%" not in tops
    five = _text(html.split("5. The platform", 1)[1].split("<h2>", 1)[0])
    assert "2026-11-23 to 2026-11-29" in five and "Source:" in five


# ------------------------------------------------------------------ decision statistics


def test_decision_statistics_show_separated_right_aligned_counts_and_their_real_source(web_client):
    html = web_client("euaa-analyst").get("/procedures/statistics?year=2025").text
    table = html.split('<table id="statistics">', 1)[1].split("</table>", 1)[0]
    afg = re.search(r"<tr><td>Afghanistan \(AFG\)</td>(.*?)</tr>", table).group(1)
    cells = re.findall(r'<td class="num">([^<]*)', afg)
    # total, refugee status, subsidiary protection, humanitarian status, rejected, otherwise closed
    assert cells[:6] == ["89,375", "57,260", "8,241", "0", "23,874", "13,316"], afg
    assert all(re.fullmatch(r"[\d,]+", c) for c in cells[:6])
    assert re.search(r'<th class="num">Total decisions</th>', table)
    note = _text(html.split('id="statistics-source"', 1)[1].split("<table", 1)[0])
    assert "Layout of Eurostat" not in note
    assert "UNHCR Refugee Population Statistics Database" in note and "not Eurostat's" in note
    assert "2025" in note and "persons" in note


def test_procedure_tabs_offer_an_analyst_only_what_an_analyst_may_do(web_client):
    for user in ("euaa-analyst", "com-analyst", "frontex-analyst"):
        tabs = _tabs(web_client(user).get("/procedures/statistics").text)
        assert tabs == ["/procedures/border", "/procedures/statistics", "/procedures/safe-countries"], (user, tabs)
        assert web_client(user).get("/procedures/safe-countries").status_code == 200
    # an EU body's administrator may not make an application (the service needs a state)
    eu_admin = _tabs(web_client("eu-admin").get("/procedures/statistics").text)
    assert "/procedures/new" not in eu_admin and "/procedures/routing" in eu_admin
    tabs = _tabs(web_client("it-caseworker").get("/procedures/statistics").text)
    assert {"/procedures", "/procedures/new", "/procedures/routing"} <= set(tabs), tabs
    # a state's administrator manages users, not asylum cases: no queue, no application
    tabs = _tabs(web_client("it-admin").get("/procedures/statistics").text)
    assert "/procedures/routing" in tabs and not {"/procedures", "/procedures/new"} & set(tabs), tabs
