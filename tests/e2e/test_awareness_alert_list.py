"""The list of alerts on the web (``/awareness/alerts``), with the filters of the API and the CLI
(status, route, source and now month): an acknowledged alert of a series without a route page (a
platform series' "Inland (no route)") was shown nowhere on the web, and the notice after its
acknowledgement linked to a route page that does not exist (404)."""

from __future__ import annotations

import json
import re
from html import unescape

from sqlalchemy import insert
from typer.testing import CliRunner

from pactum.awareness import charts as charts_module
from pactum.cli.main import app
from pactum.services import awareness
from pactum.services.auth import SYSTEM, Principal, Role
from pactum.services.awareness import analytics
from pactum.store.tables.awareness import awareness_monthly
from tests.conftest import unlabelled_fields

IT_ANALYST = Principal("u-it", "it-analyst", "IT", frozenset({Role.analyst}))
INLAND = analytics.NO_ROUTE
runner = CliRunner()


def _text(html: str) -> str:
    return re.sub(r"\s+([,.;:)])", r"\1", re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))))


def _inland_alert(services):
    """An IT analyst's rapid-rise alert on IT's encounters with no route (2026-10), and the shared
    Frontex alerts of the shipped release (2025-04)."""
    with services.engine.begin() as conn:
        conn.execute(insert(awareness_monthly), [
            {"month": m, "route": INLAND, "member_state": "IT", "kind": "illegal_stay", "border_type": "Inland",
             "nationality": "SYR", "encounters": n, "minors": 0}
            for m, n in {"2026-07": 100, "2026-08": 100, "2026-09": 100, "2026-10": 900}.items()])
    (mine,) = awareness.evaluate_alerts(services, IT_ANALYST)
    assert (mine.source, mine.route, mine.month) == ("platform:IT", INLAND, "2026-10")
    assert awareness.evaluate_alerts(services, SYSTEM)  # the Frontex series' alerts of 2025-04
    return mine


def test_an_acknowledged_inland_alert_stays_listed_on_the_web_with_its_note(services, web_client):
    mine = _inland_alert(services)
    c = web_client("it-analyst")
    r = c.post(f"/awareness/alerts/{mine.id}/acknowledge",
               data={"version": "1", "note": "checked with the Questura", "next": "/awareness"},
               follow_redirects=False)
    assert r.status_code == 303
    done = c.get(r.headers["location"])
    notice = re.search(r'<p class="notice" role="status" id="acknowledged">(.*?)</p>', done.text, re.S).group(1)
    link = unescape(re.search(r'href="([^"]+)"', notice).group(1))
    # it links where the alert is kept, and that page exists and shows it with its note
    assert link == "/awareness/alerts?route=Inland+%28no+route%29&status=acknowledged"
    assert "the list of alerts" in _text(notice)
    kept = c.get(link)
    assert kept.status_code == 200
    row = _text(re.search(rf'<tr id="alert-{mine.id}">(.*?)</tr>', kept.text, re.S).group(1))
    assert "Inland (no route)" in row and "acknowledged by it-analyst at 2026-11-28 12:00 UTC" in row
    assert "Note: checked with the Questura" in row
    assert "1 alert, 0 open and 1 acknowledged." in _text(kept.text)
    assert not unlabelled_fields(kept.text)
    assert '<a href="/awareness/alerts"' in c.get("/").text  # in the analyst's navigation


def test_the_list_filters_as_the_api_does_and_names_a_bad_filter(services, web_client, client, auth_headers):
    mine = _inland_alert(services)
    c = web_client("it-analyst")
    every = _text(c.get("/awareness/alerts").text)
    api = client.get("/api/v1/awareness/alerts", headers=auth_headers("it-analyst")).json()
    assert f"{len(api)} alerts, {len(api)} open and 0 acknowledged." in every
    # the new month filter, on the API and the web alike
    april = client.get("/api/v1/awareness/alerts?month=2025-04", headers=auth_headers("it-analyst")).json()
    assert april and {a["month"] for a in april} == {"2025-04"} and mine.id not in {a["id"] for a in april}
    october = client.get("/api/v1/awareness/alerts?month=2026-10&source=platform:IT",
                         headers=auth_headers("it-analyst")).json()
    assert [a["id"] for a in october] == [mine.id]
    page = c.get("/awareness/alerts?month=2026-10&source=platform%3AIT")
    assert page.status_code == 200 and f'id="alert-{mine.id}"' in page.text
    assert page.text.count('<tr id="alert-') == 1
    # a filter naming nothing: 422, each beside its field, the month typed kept
    bad = c.get("/awareness/alerts?month=2026-13&source=bogus")
    assert bad.status_code == 422
    said = _text(bad.text)
    assert "month: '2026-13' is not a month YYYY-MM" in said and "source: 'bogus' is not frontex" in said
    assert 'id="f-month" value="2026-13"' in bad.text
    r = client.get("/api/v1/awareness/alerts?month=April", headers=auth_headers("it-analyst"))
    assert r.status_code == 422 and "month" in r.text


def test_acknowledging_from_the_list_returns_to_it_with_its_filters(services, web_client):
    mine = _inland_alert(services)
    c = web_client("it-analyst")
    back = "/awareness/alerts?source=platform%3AIT"
    r = c.post(f"/awareness/alerts/{mine.id}/acknowledge", data={"version": "1", "next": back},
               follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"{back}&acknowledged={mine.id}#acknowledged"
    page = c.get(r.headers["location"])
    assert "Alert acknowledged: Inland (no route), 2026-10" in _text(page.text)
    assert "It has left the open alerts" not in page.text  # it is listed right there
    # a stale acknowledgement from the list: 409 on the same list
    again = c.post(f"/awareness/alerts/{mine.id}/acknowledge", data={"version": "1", "next": back})
    assert again.status_code == 409 and "Early-warning alerts" in again.text


def test_the_cli_lists_by_month(services, monkeypatch):
    mine = _inland_alert(services)
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(services.settings.var_dir))
    monkeypatch.setenv("PACTUM_CLI_USER", "it-analyst")
    out = runner.invoke(app, ["awareness", "alerts", "--month", "2026-10"])
    assert out.exit_code == 0, out.output
    # IT's own alert, and the one on every state's encounters (raised by an EU body's evaluation)
    assert sorted((a["source"], a["route"], a["month"]) for a in json.loads(out.output)) == \
        [("platform", INLAND, "2026-10"), ("platform:IT", INLAND, "2026-10")]
    out = runner.invoke(app, ["awareness", "alerts", "--month", "2026-10", "--source", "platform:IT"])
    assert [a["id"] for a in json.loads(out.output)] == [mine.id]
    out = runner.invoke(app, ["awareness", "alerts", "--month", "2026/10"])
    assert out.exit_code == 2 and "--month" in out.output


def test_the_route_page_says_why_its_model_was_chosen(services, web_client, client, auth_headers, monkeypatch):
    """The Western African Route's ensemble covered 88.4% of actuals: the page said it was chosen
    among the models covering 75–85%."""
    awareness.load_shipped_backtests(services, SYSTEM)
    route = "Western African Route"
    api = client.get(f"/api/v1/awareness/routes/{route}", headers=auth_headers("frontex-analyst")).json()
    assert api["chosen_model"] == "ensemble"
    assert api["choice_basis"].startswith("ensemble: no model but seasonal_naive had 80% intervals covering 75–85%")
    c = web_client("frontex-analyst")
    page = c.get(f"/awareness/routes/{route}").text  # no forecast run yet: the backtest says it
    basis = _text(re.search(r'<span class="choice-basis">(.*?)</span>', page, re.S).group(1))
    assert "its intervals covered 88.4% of actuals, wider than the nominal 80%" in basis
    awareness.refresh_forecasts(services, SYSTEM)  # with the forecast, its model's paragraph says it too
    page = c.get(f"/awareness/routes/{route}").text
    basis = _text(re.search(r'<span id="choice-basis">(.*?)</span>', page, re.S).group(1))
    assert "its intervals covered 88.4% of actuals, wider than the nominal 80%" in basis
    assert "the models whose 80% intervals cover 75–85% of actuals" not in basis
    listed = client.get("/api/v1/awareness/backtests", headers=auth_headers("euaa-analyst")).json()
    central = next(b for b in listed if b["route"] == "Central Mediterranean Route")
    assert central["choice_basis"] == (
        "theta: the lowest MASE among seasonal_naive (the baseline) and the models whose 80% intervals covered "
        "75–85% of actuals (ets, arima, theta; outside it: ensemble 85.63%)")
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(services.settings.var_dir))
    monkeypatch.setenv("PACTUM_CLI_USER", "frontex-analyst")
    monkeypatch.setenv("COLUMNS", "400")
    out = runner.invoke(app, ["awareness", "route", route, "--format", "table"])
    assert out.exit_code == 0, out.output
    assert "Chosen: ensemble: no model but seasonal_naive had 80% intervals covering 75–85%" in " ".join(out.output.split())


def test_the_weekly_report_page_names_each_chart(services, web_client):
    """The report's web page drew its charts as bare elements, without the role and name the other
    pages' charts and the report's own SVG (HTML file, PDF) have (WCAG 2.1 1.1.1)."""
    awareness.load_shipped_backtests(services, SYSTEM)
    awareness.refresh_forecasts(services, SYSTEM)
    page = web_client("frontex-analyst").get("/awareness/reports/2026-W48").text
    charts = re.findall(r'<div class="chart" id="(chart-[^"]+)"([^>]*)>', page)
    assert [c for c, _ in charts][:2] == ["chart-arrivals", "chart-forecast-1"] and len(charts) >= 4
    for chart_id, attributes in charts:
        name = re.search(r'role="img" aria-label="([^"]+)"', attributes)
        assert name, f"{chart_id} has no accessible name"
    named = dict((c, unescape(re.search(r'aria-label="([^"]+)"', a).group(1))) for c, a in charts)
    assert named["chart-arrivals"] == "Detections by route, 2023-05 to 2025-04 (Frontex)"
    assert named["chart-forecast-1"].startswith("Central Mediterranean Route: monthly detections and forecast (theta")
    empty = charts_module.to_svg({"title": "Encounters by route", "layer": [
        {"mark": {"type": "line"}, "encoding": {"x": {"field": "month"}, "y": {"field": "value"}}}],
        "data": {"values": []}})
    assert 'role="img" aria-label="Encounters by route: no data for this period"' in empty


def test_the_alert_tables_say_how_the_drivers_shares_are_counted(services, web_client):
    """The Central Mediterranean alert of April 2025 reads "Bangladesh (BGD) (+1,235, 32%)" beside a
    rise of 3,497 (6,578 against 3,081): 1,235 is 35% of that. The 32% is of the increases of every
    nationality that rose; the page did not say so."""
    awareness.evaluate_alerts(services, SYSTEM)
    (alert,) = [a for a in awareness.list_alerts(services, SYSTEM)
                if a.route == "Central Mediterranean Route" and a.rule == "rapid_rise"]
    bgd = alert.drivers[0]
    assert (bgd["nationality"], bgd["increase"], round(bgd["share_of_increase"] * 100)) == ("BGD", 1235, 32)
    for path in ("/awareness", "/awareness/alerts", "/awareness/routes/Central%20Mediterranean%20Route"):
        page = web_client("frontex-analyst").get(path).text
        note = _text(re.search(r'<p class="muted" id="drivers-note">(.*?)</p>', page, re.S).group(1))
        assert "its share of the increases of every nationality that rose" in note, path
        assert "a share is smaller than the nationality's part of the route's own rise" in note


def test_the_weekly_report_totals_the_screenings_completed(services, client, auth_headers):
    """"Screenings started: 4; screenings completed, by outcome: asylum 4, border procedure 1,
    relocation 1": six completed, two of them started the week before, and the report gave no total."""
    from datetime import UTC, datetime

    from pactum.store.tables.registry import persons, screenings

    created = datetime(2026, 11, 1, tzinfo=UTC)
    with services.engine.begin() as conn:
        conn.execute(insert(persons).values(id="p1", member_state="IT", created_at=created, version=1))
        for i, (started, outcome) in enumerate([(10, "asylum"), (17, "asylum"), (18, "border_procedure")]):
            conn.execute(insert(screenings).values(
                id=f"s{i}", person_id="p1", member_state="IT", variant="external_border",
                started_at=datetime(2026, 11, started, 9, tzinfo=UTC),
                deadline_at=datetime(2026, 11, started + 7, 9, tzinfo=UTC),
                outcome=outcome, completed_at=datetime(2026, 11, 19, 9, tzinfo=UTC), version=1))
    rep = client.get("/api/v1/awareness/reports/2026-W47", headers=auth_headers("it-analyst")).json()
    assert rep["platform"]["screenings_started"] == 2
    assert rep["platform"]["screenings_completed"] == {"asylum": 2, "border_procedure": 1}
    from pactum.services.awareness import report as weekly

    said = _text(weekly.render_html(rep))
    assert ("Screenings started: 2; screenings completed: 3, by outcome: asylum 2, border procedure 1 "
            "(a screening completed in the week may have started before it).") in said
