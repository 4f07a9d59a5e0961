"""QA walk 18 (situational awareness), each finding pinned as the analyst meets it: a past week's
report reads the figures of its time; a week before 2014 has its report; the first months of the
Frontex series are refused for the rules rather than crash or raise a rise "from zero"; nationality
forecasts stay within their route's; the platform rule checks the last complete month; a backtest
may be run without storing it through the API; every encounter of the week is counted; a new
choice of model withdraws the forecasts of the old one; imports newest first; a note trimmed before
its length is checked; every problem of the backtest form at once; arrivals as CSV, alerts filtered,
backtests out of date after a new release."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import insert, select, update
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.common.errors import ValidationProblem
from pactum.services import awareness
from pactum.services.auth import SYSTEM, Principal, Role
from pactum.services.awareness import analytics
from pactum.services.awareness import report as weekly
from pactum.store.tables.awareness import awareness_forecasts, awareness_imports, awareness_monthly
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import encounters, identity_records, persons

CMR = "Central Mediterranean Route"
WA = "Western African Route"
HEADER = "month,route,border_type,nationality_iso3,nationality_name,detections\n"
IT_ANALYST = Principal("u-it", "it-analyst", "IT", frozenset({Role.analyst}))
runner = CliRunner()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _cli(monkeypatch, services, user: str = "frontex-analyst") -> None:
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(services.settings.var_dir))
    monkeypatch.setenv("PACTUM_CLI_USER", user)


# --- W3-1: a past week's report shows the figures of its time ------------------------------------


def test_a_past_weeks_report_reads_eurostat_and_unhcr_as_they_were_at_its_end(services, client, auth_headers,
                                                                              web_client):
    awareness.import_shipped(services, SYSTEM)
    h = auth_headers("euaa-analyst")
    rep = client.get("/api/v1/awareness/reports/2015-W10", headers=h).json()  # 2 to 8 March 2015
    eurostat, unhcr = rep["external"]["eurostat"], rep["external"]["unhcr"]
    # was 32,320 in 2020-08 ("latest data: August 2020 — the month of 2015-03-08") and UNHCR's 2024
    assert eurostat["change"]["month"] == "2015-02"
    assert eurostat["freshness"]["text"] == "latest data: February 2015 — 1 month old on 2015-03-08"
    assert unhcr["year"] == "2014" and unhcr["freshness"]["text"].startswith("latest data: the year 2014 — ended")
    assert rep["frontex"]["text"] == "latest data: February 2015 — 1 month old on 2015-03-08"
    page = _text(web_client("euaa-analyst").get("/awareness/reports/2015-W10").text)
    assert "2020-08" not in page and "August 2020" not in page and "in 2024" not in page
    rep = client.get("/api/v1/awareness/reports/2020-W53", headers=h).json()  # ends 3 January 2021
    assert rep["external"]["unhcr"]["year"] == "2020"  # was 2024
    assert rep["external"]["eurostat"]["change"]["month"] == "2020-08"
    # today's dashboard still reads the latest of each
    ext = client.get("/api/v1/awareness/dashboard", headers=h).json()["external"]
    assert ext["unhcr"]["year"] == "2025" and ext["eurostat"]["change"]["month"] == "2020-08"


# --- W3-2: a week before 2014 -----------------------------------------------------------------------


def test_a_report_for_a_week_before_2014_is_written_without_counting_minors(services, client, auth_headers,
                                                                           web_client, monkeypatch, tmp_path):
    h = auth_headers("com-analyst")
    r = client.get("/api/v1/awareness/reports/2012-W20", headers=h)  # was 500: NotInForce minor_age
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["frontex_month"] == "2012-04" and rep["minor_age"] is None
    assert rep["platform"]["minors"] is None and "minors not counted" in rep["platform"]["minors_note"]
    assert "2012-05-20" in rep["platform"]["minors_note"]
    assert client.get("/api/v1/awareness/reports/2009-W05/pdf", headers=h).status_code == 200
    page = web_client("com-analyst").get("/awareness/reports/2013-W52")
    assert page.status_code == 200 and "minors not counted" in _text(page.text)
    _cli(monkeypatch, services)
    out = runner.invoke(app, ["awareness", "report", "--week", "2012-W20", "--out", str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "situational-report-2012-W20.pdf").is_file()
    # from 2014 the Dublin III definition counts them again
    assert client.get("/api/v1/awareness/reports/2014-W02", headers=h).json()["minor_age"] == 18


# --- W3-3: the first months of a series ---------------------------------------------------------------


def test_the_rules_on_the_first_months_of_the_frontex_series_are_refused_naming_month(services, client, auth_headers,
                                                                                      web_client, monkeypatch):
    awareness.load_shipped_backtests(services, SYSTEM)
    h = auth_headers("frontex-analyst")
    for month in ("2009-01", "2009-02", "2011-12"):  # 2009-02 was a 500; 2009-01 four false alerts "from zero"
        r = client.post("/api/v1/awareness/alerts/evaluate", json={"month": month}, headers=h)
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "month"], r.text
        assert f"{month} cannot be evaluated, too little history before it" in r.text
        assert "the Frontex series start in 2009-01" in r.text and "first month it can check is 2012-01" in r.text
    assert "the rapid-rise rule" in client.post("/api/v1/awareness/alerts/evaluate", json={"month": "2009-02"},
                                                headers=h).text
    assert awareness.list_alerts(services, SYSTEM) == []  # no false alert
    page = web_client("frontex-analyst").post("/awareness/alerts/evaluate", data={"month": "2009-03"})
    assert page.status_code == 422 and "2009-03 cannot be evaluated" in _text(page.text)  # was 500
    _cli(monkeypatch, services)
    out = runner.invoke(app, ["awareness", "evaluate", "--month", "2009-06"])
    assert out.exit_code == 2 and "--month" in out.output and "cannot be evaluated" in out.output  # was exit 1


def test_months_before_a_states_first_encounters_are_no_data_not_zero(services):
    """IT's encounters start in 2026-08: October against 0, 0 and 900 raised a rise of +217%."""
    with services.engine.begin() as conn:
        conn.execute(insert(awareness_monthly), [
            {"month": m, "route": CMR, "member_state": "IT", "kind": "sar_disembarkation", "border_type": "Sea",
             "nationality": "TUN", "encounters": n, "minors": 0} for m, n in (("2026-08", 900), ("2026-10", 950))])
    assert awareness.evaluate_alerts(services, IT_ANALYST) == []  # October, the last complete month: no rule
    with pytest.raises(ValidationProblem, match="IT's encounters start in 2026-08"):
        awareness.evaluate_alerts(services, IT_ANALYST, month="2026-10")


# --- W3-4: nationality forecasts within their route --------------------------------------------------


def test_no_nationality_forecast_exceeds_its_routes(services, client, auth_headers):
    awareness.load_shipped_backtests(services, SYSTEM)
    awareness.refresh_forecasts(services, SYSTEM)
    h = auth_headers("frontex-analyst")
    cmr = client.get(f"/api/v1/awareness/routes/{CMR}", headers=h).json()
    bgd = next(f for f in cmr["nationality_forecasts"] if f["nationality"] == "BGD")
    # was 9,186 (1,314–97,297) for May 2025, the route's 8,802, Bangladesh's highest month ever 2,461
    assert bgd["points"][0]["month"] == "2025-05" and bgd["points"][0]["mean"] < 2461
    for route in awareness.dashboard(services, SYSTEM)["routes"]:
        data = client.get(f"/api/v1/awareness/routes/{route['route']}", headers=h).json()
        whole = {p["month"]: p for p in data["forecast"]["points"]}
        for f in data["nationality_forecasts"]:
            for p in f["points"]:
                assert p["mean"] <= whole[p["month"]]["mean"] and p["hi_80"] <= whole[p["month"]]["hi_80"], \
                    (route["route"], f["nationality"], p)
                assert p["lo_80"] <= p["mean"]


# --- W3-5: the platform rule checks the last complete month ----------------------------------------


def test_the_platform_rule_checks_the_last_complete_month_of_a_route_with_nothing_yet_this_month(services):
    """Today is 2026-11-28: October is the last complete month, also for a route with no encounter in
    November (the rule checked each route's latest month minus one: September)."""
    with services.engine.begin() as conn:
        conn.execute(insert(awareness_monthly), [
            {"month": m, "route": CMR, "member_state": "IT", "kind": "sar_disembarkation", "border_type": "Sea",
             "nationality": "TUN", "encounters": n, "minors": 0}
            for m, n in (("2026-06", 100), ("2026-07", 100), ("2026-08", 100), ("2026-09", 100), ("2026-10", 900))])
    found = awareness.evaluate_alerts(services, IT_ANALYST)
    assert [(a.source, a.route, a.month, a.rule) for a in found] == [("platform:IT", CMR, "2026-10", "rapid_rise")]


# --- W3-6: a backtest not stored, unknown fields refused -------------------------------------------


def test_a_backtest_may_be_run_without_storing_it_and_unknown_fields_are_refused(services, client, auth_headers):
    h, it = auth_headers("frontex-analyst"), auth_headers("it-analyst")
    for body, headers, path in (({"route": "Other", "horizon": 1, "foo": 1}, h, "backtests"),
                                ({"foo": 1}, h, "alerts/evaluate"), ({"month": "2025-04", "rise": 20}, it, "alerts/evaluate")):
        r = client.post(f"/api/v1/awareness/{path}", json=body, headers=headers)
        assert r.status_code == 422, r.text  # was 201 / 200, the field silently ignored
        assert r.json()["detail"][0]["loc"][-1] in ("foo", "rise")
    r = client.post("/api/v1/awareness/backtests", json={"route": "Other", "horizon": 1, "first_origin": "2025-01",
                                                         "store": False}, headers=it)
    assert r.status_code == 200, r.text  # a state analyst may try one (was 403: stored by default, store ignored)
    assert r.json()["origins"] == 3 and awareness.list_backtests(services, SYSTEM) == []
    with services.engine.connect() as conn:
        assert not list(conn.execute(select(audit_log).where(audit_log.c.action == "awareness.backtest")))


# --- W3-7: every encounter of the week -----------------------------------------------------------


def test_the_weekly_report_counts_encounters_with_no_route(services, client, auth_headers):
    created = datetime(2026, 11, 20, tzinfo=UTC)
    with services.engine.begin() as conn:
        for i, (route, kind) in enumerate(((CMR, "sar_disembarkation"), (CMR, "sar_disembarkation"),
                                           (None, "illegal_stay"))):
            conn.execute(insert(persons).values(id=f"p{i}", member_state="IT", created_at=created, version=1))
            conn.execute(insert(identity_records).values(
                id=f"i{i}", person_id=f"p{i}", member_state="IT", recorded_on=date(2026, 11, 24),
                category="applicant", nationality="TUN", date_of_birth="2012" if i == 2 else "1990",
                created_at=created))
            conn.execute(insert(encounters).values(
                id=f"e{i}", person_id=f"p{i}", identity_record_id=f"i{i}", member_state="IT",
                occurred_at=datetime(2026, 11, 24, 9, tzinfo=UTC) + timedelta(hours=i), route=route, kind=kind,
                created_at=created))
    rep = client.get("/api/v1/awareness/reports/2026-W48", headers=auth_headers("com-analyst")).json()
    assert rep["platform"]["total"] == 3  # was 2: the illegal stay left out
    assert rep["platform"]["by_route"][analytics.NO_ROUTE] == 1 and rep["platform"]["by_route"][CMR] == 2
    assert rep["platform"]["minors"] == 1
    body = _text(weekly.render_html(rep))
    assert "Encounters registered: 3" in body and "Of these, 1 was inland, with no route" in body


# --- W3-8: a new choice of model withdraws the old forecasts -------------------------------------


def test_a_backtest_that_sets_the_routes_model_withdraws_the_forecasts_of_the_old_calibration(services, client,
                                                                                          auth_headers):
    """The Central Mediterranean keeps theta when backtested again from 2024-02: the forecasts made
    with the shipped backtest's calibration stayed on show as the route's."""
    awareness.load_shipped_backtests(services, SYSTEM)
    awareness.refresh_forecasts(services, SYSTEM)
    h = auth_headers("frontex-analyst")

    def cmr() -> dict:
        return next(r for r in client.get("/api/v1/awareness/dashboard", headers=h).json()["routes"] if r["route"] == CMR)

    assert cmr()["forecast"]["origin"] == "2025-04" and cmr()["chosen_model"] == "theta"
    with services.engine.connect() as conn:
        made = len(list(conn.execute(select(awareness_forecasts.c.id).where(
            awareness_forecasts.c.route == CMR, awareness_forecasts.c.origin == "2025-04"))))
    r = client.post("/api/v1/awareness/backtests", json={"route": CMR, "horizon": 3, "first_origin": "2024-02"},
                    headers=h)
    assert r.status_code == 201 and r.json()["chosen"] == "theta", r.text  # the same model, a new calibration
    # was the forecast made with the shipped backtest's calibration, still on show
    assert cmr()["forecast"] is None and cmr()["forecast_note"] == "no forecast yet: run the forecasts"
    route = client.get(f"/api/v1/awareness/routes/{CMR}", headers=h).json()
    assert route["forecast"] is None and route["nationality_forecasts"] == []
    with services.engine.connect() as conn:
        entry = conn.execute(select(audit_log.c.after).where(audit_log.c.action == "awareness.backtest")).scalar_one()
    assert made == 4 and entry["forecasts_withdrawn"] == made  # the route's and its top three nationalities'
    assert client.post("/api/v1/awareness/forecasts", headers=h).status_code == 200
    assert cmr()["forecast"]["model"] == "theta"


# --- W3-9: imports newest first ----------------------------------------------------------------


def test_the_imports_list_is_newest_first_in_the_order_they_were_made(services, client, auth_headers):
    h = auth_headers("frontex-analyst") | {"Content-Type": "text/csv"}
    first = client.post("/api/v1/awareness/imports/frontex?release=first",
                        content=HEADER + f"2025-01,{CMR},Sea,TUN,Tunisia,5\n", headers=h).json()
    second = client.post("/api/v1/awareness/imports/frontex?release=second",
                         content=HEADER + f"2025-02,{CMR},Sea,TUN,Tunisia,6\n", headers=h).json()
    with services.engine.begin() as conn:  # the demo world stamps its imports at noon of the day it is built
        conn.execute(update(awareness_imports).where(awareness_imports.c.id == second["id"])
                     .values(created_at=datetime(2026, 11, 27, 12, tzinfo=UTC)))
    listed = [i["release"] for i in client.get("/api/v1/awareness/imports", headers=h).json()]
    assert listed == ["second", "first"]  # was first, second: by time stamp
    assert awareness.dashboard(services, SYSTEM)["frontex"]["release"] == "second"  # the current release
    assert first["id"] < second["id"]


# --- W3-10: the note trimmed before its length is checked ----------------------------------------


def test_an_acknowledgement_note_is_trimmed_before_its_length_is_checked(services, client, auth_headers):
    alert = awareness.evaluate_alerts(services, SYSTEM)[0]
    r = client.post(f"/api/v1/awareness/alerts/{alert.id}/acknowledge",
                    json={"version": alert.version, "note": "  " + "x" * 2000 + "  "}, headers=auth_headers("frontex-analyst"))
    assert r.status_code == 200, r.text  # was 422: 2,004 characters before trimming
    assert r.json()["note"] == "x" * 2000


# --- W3-11: every problem of the backtest form ----------------------------------------------------


def test_the_backtest_form_shows_every_problem_beside_its_field(web_client):
    r = web_client("frontex-analyst").post("/awareness/backtests",
                                           data={"route": "", "horizon": "abc", "first_origin": "2011-13"})
    assert r.status_code == 422
    for field in ("route", "horizon", "first_origin"):  # was only horizon
        assert f'id="bt-error-{field}"' in r.text, field
    page = _text(r.text)
    assert "choose a route" in page and "'2011-13' is not a month YYYY-MM" in page


# --- W3-12: arrivals as CSV, alerts filtered, backtests out of date, wording ------------------


def test_arrivals_by_route_and_month_download_as_csv_from_the_api_the_web_and_the_cli(services, client, auth_headers,
                                                                                    web_client, monkeypatch):
    r = client.get("/api/v1/awareness/arrivals.csv", headers=auth_headers("it-analyst"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == ["route", "month", "detections", "release"]
    cmr = {x["month"]: x["detections"] for x in rows if x["route"] == CMR}
    assert cmr["2025-04"] == "6578" and min(cmr) == "2009-01" and len(cmr) == 196
    web = web_client("it-analyst")
    assert 'href="/awareness/arrivals.csv"' in web.get("/awareness").text
    assert web.get("/awareness/arrivals.csv").text == r.text
    _cli(monkeypatch, services, "it-analyst")
    out = runner.invoke(app, ["awareness", "arrivals"])
    assert out.exit_code == 0 and list(csv.DictReader(io.StringIO(out.output))) == rows


def test_alerts_are_filtered_by_route_status_and_source(services, client, auth_headers):
    created = awareness.evaluate_alerts(services, SYSTEM)
    h = auth_headers("frontex-analyst")
    one = created[0]
    client.post(f"/api/v1/awareness/alerts/{one.id}/acknowledge", json={"version": one.version}, headers=h)
    got = client.get("/api/v1/awareness/alerts", params={"route": one.route}, headers=h).json()
    assert got and {a["route"] for a in got} == {one.route}  # was every route's: the filter ignored
    acked = client.get("/api/v1/awareness/alerts", params={"status": "acknowledged"}, headers=h).json()
    assert [a["id"] for a in acked] == [one.id]
    still = client.get("/api/v1/awareness/alerts", params={"status": "open", "source": "frontex"}, headers=h).json()
    assert one.id not in {a["id"] for a in still} and len(still) == len(created) - 1
    r = client.get("/api/v1/awareness/alerts", params={"status": "closed", "source": "eurostat"}, headers=h)
    assert r.status_code == 422
    assert [d["loc"] for d in r.json()["detail"]] == [["query", "status"], ["query", "source"]]


def test_stored_backtests_are_marked_out_of_date_after_a_release_running_further(services, client, auth_headers,
                                                                              web_client):
    awareness.load_shipped_backtests(services, SYSTEM)
    h = auth_headers("frontex-analyst")
    assert not any(b["out_of_date"] for b in client.get("/api/v1/awareness/backtests", headers=h).json())
    release = HEADER + f"2025-05,{WA},Sea,MLI,Mali,300\n2025-06,{WA},Sea,MLI,Mali,400\n"
    assert client.post("/api/v1/awareness/imports/frontex?release=June", content=release,
                       headers=h | {"Content-Type": "text/csv"}).status_code == 201
    backtests = client.get("/api/v1/awareness/backtests", headers=h).json()
    assert backtests and all(b["out_of_date"] for b in backtests)
    assert backtests[0]["out_of_date_note"].startswith("out of date: its data end in 2025-04, the Frontex release "
                                                       "read now in 2025-06")
    assert "out of date: its data end in 2025-04" in _text(web_client("frontex-analyst").get("/awareness/forecasts").text)
