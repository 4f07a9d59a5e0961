"""What a QA walk of situational awareness found, each pinned: a route's series runs to its
release's last month, stored backtests and forecasts agree with what is shown and are the EU
bodies' to store, weekly reports only for weeks ended and with the forecasts of their time, inland
encounters named as such, the minimum volume on both rules, a month no series has, the UNHCR
latest complete year, who acknowledges what, the refresh audited, every form problem at once."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
from sqlalchemy import insert, select, update
from typer.testing import CliRunner

from pactum.awareness import alerts as rules
from pactum.cli.main import app
from pactum.services import awareness
from pactum.services.auth import SYSTEM, Principal, Role
from pactum.services.awareness import analytics
from pactum.services.awareness import report as weekly
from pactum.services.awareness.series import shipped_route_series
from pactum.services.awareness.service import latest_complete_year, route_series
from pactum.store.tables.awareness import awareness_backtests, awareness_monthly
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import encounters, identity_records, persons

HEADER = "month,route,border_type,nationality_iso3,nationality_name,detections\n"
WA = "Western African Route"
CMR = "Central Mediterranean Route"
IT_ANALYST = Principal("u-it", "it-analyst", "IT", frozenset({Role.analyst}))
runner = CliRunner()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# --- 1. zeros at the end of a route are data ---------------------------------------------------


def test_a_route_runs_to_the_release_last_month_when_its_last_months_had_no_detection(services, client,
                                                                                         auth_headers):
    release = HEADER + "".join(
        f"{m},{CMR},Sea,GIN,Guinea,{n}\n" for m, n in (("2025-01", 100), ("2025-02", 120), ("2025-03", 90),
                                                        ("2025-04", 150))
    ) + "2025-01,Black Sea Route,Sea,TUR,Türkiye,3\n2025-02,Black Sea Route,Sea,TUR,Türkiye,2\n"
    h = auth_headers("frontex-analyst") | {"Content-Type": "text/csv"}
    assert client.post("/api/v1/awareness/imports/frontex?release=test", content=release, headers=h).status_code == 201
    with services.engine.connect() as conn:
        series = route_series(conn)
    assert series["Black Sea Route"] == {"2025-01": 3.0, "2025-02": 2.0, "2025-03": 0.0, "2025-04": 0.0}
    dash = client.get("/api/v1/awareness/dashboard", headers=h).json()
    assert {r["route"]: r["last_month"] for r in dash["routes"]} == {CMR: "2025-04", "Black Sea Route": "2025-04"}


def test_the_shipped_release_imported_gives_the_shipped_route_series(services):
    awareness.import_release(services, SYSTEM, "frontex",
                             awareness.service.data_path(awareness.service.FRONTEX_NATIONALITY)
                             .read_text(encoding="utf-8"), "shipped")
    with services.engine.connect() as conn:
        series = route_series(conn)
    shipped = shipped_route_series()
    assert max(series["Black Sea Route"]) == "2025-04" and max(series["Other"]) == "2025-04"
    assert series == shipped  # every route, 2009-01 to 2025-04, zeros included


# --- 2, 3, 4. stored backtests, the forecast shown, past and future weekly reports -------------


def test_backtests_and_forecasts_are_stored_by_eu_bodies_and_the_forecast_shown_follows_the_choice(
        services, client, auth_headers, web_client):
    it = auth_headers("it-analyst")
    r = client.post("/api/v1/awareness/backtests", json={"route": WA, "horizon": 1, "first_origin": "2024-04"},
                    headers=it)
    assert r.status_code == 403 and "an EU body's analyst stores it" in r.text
    assert client.post("/api/v1/awareness/forecasts", headers=it).status_code == 403
    # a state's analyst may still try one without storing it
    trial = awareness.run_backtest(services, IT_ANALYST, WA, 1, store=False, first_origin="2025-01")
    assert trial.origins == 3 and awareness.list_backtests(services, SYSTEM) == []

    h = auth_headers("frontex-analyst")
    assert client.post("/api/v1/awareness/backtests", json={"route": WA, "horizon": 1, "first_origin": "2024-04"},
                       headers=h).status_code == 201
    assert client.post("/api/v1/awareness/forecasts", headers=h).status_code == 200
    wa = next(x for x in client.get("/api/v1/awareness/dashboard", headers=h).json()["routes"] if x["route"] == WA)
    assert wa["forecast"]["model"] == wa["chosen_model"] and wa["forecast"]["origin"] == "2025-04"
    assert wa["forecast_note"] is None
    page = web_client("frontex-analyst").get("/awareness").text
    row = re.search(rf'<tr data-route="{WA}">(.*?)</tr>', page, re.S).group(1)
    assert "2025-05: " in _text(row)  # the month the "next month" figure is for

    # the past week's report shows no forecast made later than its data (2015-W10: data to 2015-02)
    rep = client.get("/api/v1/awareness/reports/2015-W10", headers=h).json()
    assert rep["frontex_month"] == "2015-02"
    assert all(x["forecast"] is None for x in rep["routes"]) and rep["specs"]["forecasts"] == []
    # a recent week's shows the forecast from its month
    rep = client.get("/api/v1/awareness/reports/2026-W47", headers=h).json()
    assert next(x for x in rep["routes"] if x["route"] == WA)["forecast"]["origin"] == "2025-04"

    # another model chosen since (a backtest stored later): the old forecast is not shown as the route's
    other = next(m for m in ("ets", "theta") if m != wa["chosen_model"])
    with services.engine.begin() as conn:
        conn.execute(update(awareness_backtests).where(awareness_backtests.c.route == WA).values(chosen=other))
    wa = next(x for x in client.get("/api/v1/awareness/dashboard", headers=h).json()["routes"] if x["route"] == WA)
    assert wa["chosen_model"] == other and wa["forecast"] is None
    assert "run the forecasts again" in wa["forecast_note"]
    route = client.get(f"/api/v1/awareness/routes/{WA}", headers=h).json()
    assert route["forecast"] is None and route["nationality_forecasts"] == []

    # a release ending earlier: the forecast from 2025-04 does not start from the series' last month
    release = HEADER + f"2025-02,{WA},Sea,MLI,Mali,10\n2025-03,{WA},Sea,MLI,Mali,20\n"
    assert client.post("/api/v1/awareness/imports/frontex?release=March", content=release,
                       headers=h | {"Content-Type": "text/csv"}).status_code == 201
    wa = next(x for x in client.get("/api/v1/awareness/dashboard", headers=h).json()["routes"] if x["route"] == WA)
    assert wa["last_month"] == "2025-03" and wa["forecast"] is None


def test_a_web_backtest_by_a_state_analyst_is_shown_not_stored(services, web_client):
    it = web_client("it-analyst")
    page = it.get("/awareness/forecasts").text
    assert 'action="/awareness/forecasts"' not in page  # no button to store forecasts for everyone
    r = it.post("/awareness/backtests", data={"route": WA, "horizon": "1", "first_origin": "2025-01"})
    assert r.status_code == 200
    said = _text(r.text).replace(" ,", ",")
    assert "Backtest run, not stored" in said and f"{WA}, horizon 1 month, 3 origins from 2025-01" in said
    assert awareness.list_backtests(services, SYSTEM) == []


def test_a_report_for_a_week_not_begun_is_refused_and_this_week_is_to_today(services, client, auth_headers,
                                                                            monkeypatch):
    h = auth_headers("com-analyst")
    for week in ("2027-W10", "2026-W49"):  # today is Saturday 2026-11-28, in 2026-W48
        r = client.get(f"/api/v1/awareness/reports/{week}", headers=h)
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "week", r.text
        assert f"{week}" in r.text and "has not begun (today is 2026-11-28)" in r.text and "2026-W48" in r.text
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(services.settings.var_dir))
    monkeypatch.setenv("PACTUM_CLI_USER", "frontex-analyst")
    out = runner.invoke(app, ["awareness", "report", "--week", "2027-W10", "--out", "/nonexistent/x"])
    assert out.exit_code == 2 and "--week" in out.output and "2027-W10" in out.output
    # the week in progress: its figures to today, said so; a week ended: to its last day
    rep = client.get("/api/v1/awareness/reports/2026-W48", headers=h).json()
    assert rep["week"]["in_progress"] and rep["week"]["as_of"] == "2026-11-28"
    assert "(in progress: figures to 2026-11-28)" in weekly.render_html(rep)
    rep = client.get("/api/v1/awareness/reports/2015-W09", headers=h).json()  # 23 Feb to 1 Mar 2015
    assert not rep["week"]["in_progress"] and rep["week"]["as_of"] == "2015-03-01"
    assert rep["frontex_month"] == "2015-02"
    rep = client.get("/api/v1/awareness/reports/2015-W08", headers=h).json()  # to 22 Feb: January's figures
    assert rep["frontex_month"] == "2015-01"


# --- 5. inland encounters, and platform alerts counting encounters ---------------------------


def test_encounters_without_a_route_are_counted_as_inland_not_as_frontex_other(services):
    created = datetime(2026, 11, 1, tzinfo=UTC)
    with services.engine.begin() as conn:
        conn.execute(insert(persons).values(id="p1", member_state="DE", created_at=created, version=1))
        conn.execute(insert(identity_records).values(
            id="i1", person_id="p1", member_state="DE", recorded_on=date(2026, 9, 1), category="applicant",
            nationality="SYR", date_of_birth="1990", created_at=created))
        conn.execute(insert(encounters).values(
            id="e1", person_id="p1", identity_record_id="i1", member_state="DE",
            occurred_at=datetime(2026, 10, 2, tzinfo=UTC), route=None, kind="illegal_stay", created_at=created))
    awareness.refresh(services, SYSTEM, full=True)
    with services.engine.connect() as conn:
        routes = [r for (r,) in conn.execute(select(awareness_monthly.c.route))]
    assert routes == [analytics.NO_ROUTE] == ["Inland (no route)"]
    dash = awareness.dashboard(services, SYSTEM)
    assert dash["platform_no_route"]["total"] == 1
    assert all(r["platform"]["total"] == 0 for r in dash["routes"] if r["route"] == "Other")


def _monthly(services, state: str, route: str, counts: dict[str, int]) -> None:
    with services.engine.begin() as conn:
        conn.execute(insert(awareness_monthly), [
            {"month": m, "route": route, "member_state": state, "kind": "irregular_crossing", "border_type": "Land",
             "nationality": "SYR", "encounters": n, "minors": 0} for m, n in counts.items()])


def test_platform_alerts_say_encounters_and_states_acknowledge_their_own(services, client, auth_headers):
    _monthly(services, "IT", analytics.NO_ROUTE, {"2026-07": 100, "2026-08": 100, "2026-09": 100,
                                                  "2026-10": 900, "2026-11": 10})
    mine = awareness.evaluate_alerts(services, IT_ANALYST)
    assert [(a.source, a.route, a.month) for a in mine] == [("platform:IT", "Inland (no route)", "2026-10")]
    assert "900 encounters" in mine[0].message and "detections" not in mine[0].message
    frontex = [a for a in awareness.evaluate_alerts(services, SYSTEM) if a.source == "frontex"]
    assert frontex

    it, de, euaa = auth_headers("it-analyst"), auth_headers("de-analyst"), auth_headers("euaa-analyst")
    shared = frontex[0]
    r = client.post(f"/api/v1/awareness/alerts/{shared.id}/acknowledge", json={"version": 1}, headers=it)
    assert r.status_code == 403 and "an EU body's analyst acknowledges them" in r.text
    r = client.post(f"/api/v1/awareness/alerts/{mine[0].id}/acknowledge", json={"version": 1}, headers=de)
    assert r.status_code == 404  # DE does not see IT's platform alerts
    r = client.post(f"/api/v1/awareness/alerts/{mine[0].id}/acknowledge", json={"version": 1}, headers=euaa)
    assert r.status_code == 403
    assert client.post(f"/api/v1/awareness/alerts/{mine[0].id}/acknowledge", json={"version": 1},
                       headers=it).status_code == 200
    assert client.post(f"/api/v1/awareness/alerts/{shared.id}/acknowledge", json={"version": 1},
                       headers=euaa).status_code == 200


def test_a_state_analyst_page_offers_no_acknowledgement_of_shared_alerts(services, web_client):
    awareness.evaluate_alerts(services, SYSTEM)
    page = web_client("it-analyst").get("/awareness").text
    assert "an EU body's analyst acknowledges it" in unescape(page)
    assert '/acknowledge"' not in page
    assert '/acknowledge"' in web_client("frontex-analyst").get("/awareness").text


# --- 6. the minimum volume on the interval rule too --------------------------------------------


def test_the_interval_rule_ignores_tiny_numbers_below_the_minimum_volume():
    args = ("Other", "2024-09", 2.0, 1.0, "ets", {})
    assert rules.above_interval(*args, rules.AlertSettings()) is None
    found = rules.above_interval(*args, rules.AlertSettings(min_volume=0))
    assert found is not None and found.message.startswith("Other, 2024-09: 2 detections, above the upper 80% bound")


# --- 7. a month no series has ------------------------------------------------------------------


def test_evaluating_a_month_no_series_has_is_refused_naming_the_months_they_cover(services, client, auth_headers,
                                                                                 web_client, monkeypatch):
    r = client.post("/api/v1/awareness/alerts/evaluate", json={"month": "2030-01"},
                    headers=auth_headers("frontex-analyst"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "month"
    assert "no series has 2030-01: the Frontex series run from 2009-01 to 2025-04" in r.text
    page = web_client("frontex-analyst").post("/awareness/alerts/evaluate", data={"month": "2008-01"})
    assert page.status_code == 422 and "no series has 2008-01" in unescape(page.text)
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(services.settings.var_dir))
    monkeypatch.setenv("PACTUM_CLI_USER", "frontex-analyst")
    out = runner.invoke(app, ["awareness", "evaluate", "--month", "2030-01"])
    assert out.exit_code == 2 and "--month" in out.output and "no series has 2030-01" in out.output


# --- 8. the UNHCR latest complete year ----------------------------------------------------------


def test_the_latest_complete_unhcr_year_is_decided_from_the_data():
    assert latest_complete_year({"2023": 32, "2024": 32, "2025": 32}, date(2026, 11, 28)) == "2025"
    assert latest_complete_year({"2023": 32, "2024": 32, "2025": 20}, date(2026, 11, 28)) == "2024"
    assert latest_complete_year({"2025": 32, "2026": 32}, date(2026, 11, 28)) == "2025"  # 2026 still running
    assert latest_complete_year({"2024": 5}, date(2026, 11, 28)) == "2024"


def test_the_shipped_unhcr_release_reads_its_last_year(services):
    awareness.import_shipped(services, SYSTEM)
    assert awareness.dashboard(services, SYSTEM)["external"]["unhcr"]["year"] == "2025"


# --- 10. the refresh audited ---------------------------------------------------------------------


def test_a_refresh_is_audited(services, web_client):
    assert web_client("euaa-analyst").post("/awareness/refresh", data={"full": "1"}).status_code == 200
    with services.engine.connect() as conn:
        entries = conn.execute(select(audit_log.c.action, audit_log.c.after)
                               .where(audit_log.c.action == "awareness.refresh")).all()
    assert [(a, json.loads(b) if isinstance(b, str) else b) for a, b in entries] == \
        [("awareness.refresh", {"rows": 0, "full": True})]


# --- 11. every problem of the evaluate form at once, decimals as on the API -----------------------


def test_the_evaluate_form_says_every_problem_at_once_and_takes_decimals(services, web_client):
    c = web_client("frontex-analyst")
    r = c.post("/awareness/alerts/evaluate",
               data={"month": "2025-13", "rise_pct": "-5", "baseline_months": "0", "min_volume": "abc"})
    assert r.status_code == 422
    said = unescape(r.text)
    for problem in ("'2025-13' is not a month YYYY-MM", "-5 is not a percentage above 0",
                    "0 is not between 1 and 12", "'abc' is not a number"):
        assert problem in said
    for name in ("month", "rise_pct", "baseline_months", "min_volume"):
        assert re.search(rf'id="check-{name}"[^>]*aria-invalid="true"', r.text), name
    r = c.post("/awareness/alerts/evaluate", data={"rise_pct": "50.5", "min_volume": "1000"}, follow_redirects=False)
    assert r.status_code == 303 and "rise_pct=50.5" in r.headers["location"]
    said = _text(c.get(r.headers["location"]).text)
    assert "a rise of more than 50.5% over the average of the 3 months before, with at least 1,000 detections" in said


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_the_evaluate_form_refuses_numbers_that_are_not(web_client, value):
    r = web_client("frontex-analyst").post("/awareness/alerts/evaluate", data={"rise_pct": value})
    assert r.status_code == 422


def test_a_refresh_body_is_refused_not_ignored(client, auth_headers) -> None:
    h = auth_headers("frontex-analyst")
    r = client.post("/api/v1/awareness/refresh", headers=h, json={"full": True})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body"]
    assert "?full=true" in r.json()["detail"][0]["msg"]
    assert client.post("/api/v1/awareness/refresh", headers=h, params={"full": "true"}).status_code == 200


def test_a_state_analyst_evaluates_own_encounters_and_raises_no_shared_alert(services, client, auth_headers, web_client):
    """The Frontex series' alerts are stored for every analyst of every state: Italy's analyst
    running the rules (with a low threshold) must not raise them for everyone; Italy's own
    encounters are still checked."""
    _monthly(services, "IT", analytics.NO_ROUTE, {"2026-07": 100, "2026-08": 100, "2026-09": 100,
                                                  "2026-10": 900, "2026-11": 10})
    r = client.post("/api/v1/awareness/alerts/evaluate", json={"rise_pct": 1, "min_volume": 0},
                    headers=auth_headers("it-analyst"))
    assert r.status_code == 200
    assert {a["source"] for a in r.json()} == {"platform:IT"}
    euaa = client.get("/api/v1/awareness/alerts", headers=auth_headers("euaa-analyst")).json()
    assert [a for a in euaa if a["source"] == "frontex"] == []
    page = web_client("it-analyst").get("/awareness").text
    assert "an EU body’s analyst raises them" in page
    r = client.post("/api/v1/awareness/alerts/evaluate", json={"rise_pct": 1, "min_volume": 0},
                    headers=auth_headers("frontex-analyst"))
    assert r.status_code == 200 and any(a["source"] == "frontex" for a in r.json())
