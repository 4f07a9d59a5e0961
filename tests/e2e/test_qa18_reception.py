"""QA walk 18, reception (API and CLI): screenings that record no needs are not counted as special
reception needs; a report typed with the wrong date or period is withdrawn (audited, version
checked) and counts nowhere; rates are compared and subtracted unrounded; an import says every
problem of every line at once; the filters refuse what cannot be read, naming the field; a state's
history and the occupancy by reporting week come as CSV; an EU body's administrator does not read
the reports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.reception import rules
from pactum.store.tables.platform import audit_log
from tests.e2e.test_reception_api import _screen

API = "/api/v1/reception"
ZERO: dict[str, Any] = {
    "initial_places": 0, "initial_accommodated": 0, "open_places": 0, "open_accommodated": 0,
    "minors_places": 0, "minors_accommodated": 0, "border_places": 0, "border_accommodated": 0,
    "detention_places": 0, "detention_accommodated": 0, "private_housing": 0, "waiting_list": 0,
}
WEEK: dict[str, Any] = {**ZERO, "reported_on": "2026-11-23", "period": "week", "open_places": 5000,
                        "open_accommodated": 4000, "contingency_plan": "in_place"}
runner = CliRunner()


def _record(client, h, **changes: Any) -> dict[str, Any]:
    r = client.post(f"{API}/reports", headers=h, json={**WEEK, **changes})
    assert r.status_code == 201, r.text
    return r.json()


def _locs(r) -> dict[tuple[str, ...], str]:
    return {tuple(p["loc"]): p["msg"] for p in r.json()["detail"]}


@pytest.fixture
def cli(services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))

    def run(user: str, *args: str, stdin: str | None = None):
        monkeypatch.setenv("PACTUM_CLI_USER", user)
        return runner.invoke(app, ["reception", *args], input=stdin)

    return run


# -- W1-3: a screening that records no needs is not a special reception need ---------------------


@pytest.mark.parametrize("text", ["not applicable", "Nothing found.", "none observed", "N/A", "nil",
                                  "no special reception needs identified", "No vulnerabilities", "—"])
def test_statements_of_nothing_are_not_special_reception_needs(text: str) -> None:
    assert rules.has_special_needs(text) is False


@pytest.mark.parametrize("text", ["pregnant", "unaccompanied minor", "torture survivor; needs medical care",
                                  "no family members, unaccompanied", "special reception needs"])
def test_what_records_a_need_still_counts(text: str) -> None:
    assert rules.has_special_needs(text) is True


@pytest.mark.parametrize("text", ["none", "no", "n/a", "nothing", "not applicable", "not identified", "not found",
                                  "not known", "not observed", "not detected", "none observed", "nothing found",
                                  "none identified", "none recorded", "no vulnerability", "no vulnerabilities found",
                                  "no special needs", "no special reception needs", "no special procedural needs"])
def test_the_reception_rule_reads_the_statements_the_responsibility_area_reads(text: str) -> None:
    # the statements of nothing src/pactum/services/responsibility.py (_NOTHING) skips, bar those of
    # family: the reception area now reads them as no special needs, from the shared definition
    from pactum.services.responsibility import _states_nothing

    assert _states_nothing(text) and not rules.has_special_needs(text)


@pytest.mark.parametrize(("text", "nothing"), [("none observed", True), ("no family members", True),
                                               ("no special needs identified", True), ("pregnant", False),
                                               ("", False), ("not applicable.", True)])
def test_the_shared_definition_of_a_statement_of_nothing(text: str, nothing: bool) -> None:
    from pactum.common.nothing import NO_FAMILY, NO_NEEDS, says_nothing

    assert says_nothing(text, NO_NEEDS, NO_FAMILY) is nothing


def test_screened_persons_answered_with_nothing_are_not_counted_with_special_needs(client, auth_headers):
    h = auth_headers("it-caseworker")
    _screen(client, h, "not applicable", "Haddad")
    _screen(client, h, "nothing found", "Nasser")
    _screen(client, h, "none observed", "Khalil")
    _screen(client, h, "pregnant", "Saleh")
    needs = _record(client, h)["special_needs"]
    assert needs["screened"] == 4
    assert needs["with_special_reception_needs"] == 1  # the pregnant applicant only


# -- W1-5: a report typed with the wrong date or period is withdrawn -------------------------------


def test_a_correction_of_the_date_or_period_says_to_withdraw_the_report(client, auth_headers):
    h = auth_headers("it-caseworker")
    report = _record(client, h)
    r = client.post(f"{API}/reports/{report['id']}/correction", headers=h,
                    json={"reported_on": "2026-11-16", "period": "month", "version": 1, "reason": "wrong day"})
    assert r.status_code == 422
    locs = _locs(r)
    assert set(locs) == {("body", "reported_on"), ("body", "period")}
    assert "withdraw the report and record the right one" in locs[("body", "reported_on")]


def test_a_report_of_the_wrong_day_is_withdrawn_and_counts_nowhere(client, auth_headers, services):
    h = auth_headers("it-caseworker")
    right = _record(client, h, reported_on="2026-11-16", open_accommodated=4000)
    wrong = _record(client, h, reported_on="2026-11-26", open_accommodated=4900)  # typed 26 for 23
    euaa = auth_headers("euaa-analyst")
    assert client.get(f"{API}/states/IT", headers=euaa).json()["latest"]["id"] == wrong["id"]
    url = f"{API}/reports/{wrong['id']}/withdrawal"

    # refused: another state's officer, an analyst, a blank reason, a stale version
    assert client.post(url, headers=auth_headers("de-caseworker"), json={"version": 1, "reason": "x"}).status_code == 404
    assert client.post(url, headers=auth_headers("it-analyst"), json={"version": 1, "reason": "x"}).status_code == 403
    r = client.post(url, headers=h, json={"version": 1, "reason": "  "})
    assert r.status_code == 422 and _locs(r) == {("body", "reason"): "required: say why the report is withdrawn"}
    r = client.post(f"{API}/reports/{wrong['id']}/correction", headers=h,
                    json={"waiting_list": 3, "version": 1, "reason": "waiting list"})
    assert r.status_code == 200 and r.json()["version"] == 2
    r = client.post(url, headers=h, json={"version": 1, "reason": "typed 26 for 23"})
    assert r.status_code == 409 and "now version 2" in r.json()["detail"]

    r = client.post(url, headers=h, json={"version": 2, "reason": "typed 26 November for 23 November"})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["withdrawn"] and done["reported_on"] == "2026-11-26" and done["withdrawn_by"] == "it-caseworker"
    assert done["latest_reported_on"] == "2026-11-16"

    # counts nowhere: the report itself, the state's history and latest, the list, the overview
    r = client.get(f"{API}/reports/{wrong['id']}", headers=euaa)
    assert r.status_code == 404 and "was withdrawn" in r.json()["detail"]
    assert "typed 26 November" in r.json()["detail"]
    state = client.get(f"{API}/states/IT", headers=euaa).json()
    assert state["latest"]["id"] == right["id"] and state["last_reported_on"] == "2026-11-16"
    assert [x["id"] for x in state["reports"]] == [right["id"]]
    (listed,) = state["withdrawn"]
    assert (listed["id"], listed["reported_on"], listed["version"]) == (wrong["id"], "2026-11-26", 2)
    assert wrong["id"] not in {x["id"] for x in client.get(f"{API}/reports", headers=euaa).json()}
    o = client.get(f"{API}/overview", headers=euaa).json()
    assert o["totals"]["accommodated"] == 4000
    # audited, with the report and every version of it
    with services.engine.connect() as conn:
        entry = conn.execute(select(audit_log).where(audit_log.c.action == "reception.report_withdrawn")).mappings().one()
    assert entry["entity_id"] == wrong["id"] and entry["actor"] == "it-caseworker"
    assert [v["version"] for v in entry["before"]["versions"]] == [1, 2]
    assert entry["before"]["open_accommodated"] == 4900 and entry["after"]["reason"].startswith("typed 26")
    # the officer then files the right report; the withdrawn date may be reported again too
    _record(client, h, reported_on="2026-11-23", open_accommodated=4500)
    _record(client, h, reported_on="2026-11-26", open_accommodated=4600)


def test_withdrawal_from_the_command_line(cli, client, auth_headers):
    report = _record(client, auth_headers("el-admin"), reported_on="2026-11-20", period="month")
    r = cli("el-admin", "withdraw", report["id"], "-", stdin=json.dumps({"version": 3, "reason": "monthly, not weekly"}))
    assert r.exit_code == 2 and "now version 1" in r.output and len(r.output.strip().splitlines()) == 1
    r = cli("el-admin", "withdraw", report["id"], "-", stdin=json.dumps({"version": 1, "reason": "weekly, typed monthly"}))
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["withdrawn"] is True
    r = cli("euaa-analyst", "show", report["id"])
    assert r.exit_code == 2 and "was withdrawn" in r.output


# -- W1-7: rates compared and subtracted unrounded --------------------------------------------------


def test_a_rate_just_under_the_threshold_is_not_pressure(client, auth_headers):
    report = _record(client, auth_headers("it-caseworker"), open_places=100_000, open_accommodated=89_996)
    codes = {f["code"] for f in report["flags"]}
    assert "pressure" not in codes and "above_threshold" not in codes
    assert report["under_pressure"] is False
    assert report["total"]["rate"] == 0.9  # shown rounded, compared exactly


def test_a_change_in_points_is_the_difference_of_the_exact_rates(client, auth_headers):
    h = auth_headers("pl-caseworker")
    _record(client, h, reported_on="2026-11-16", open_places=100_000, open_accommodated=80_000)
    report = _record(client, h, open_places=1_000_000, open_accommodated=756_504)  # 75.6504%
    assert report["change"]["rate_points"] == -4.3  # -4.3496, not -4.35 from rates rounded first
    assert {f["type"]: f["rate_change_points"] for f in report["facilities"]}["open"] == -4.3


def test_the_trend_is_told_by_the_exact_change() -> None:
    from datetime import date

    before, after = date(2026, 10, 26), date(2026, 11, 23)
    assert rules.trend([(before, 0.8), (after, 0.81996)])["direction"] == "stable"  # +1.996 points
    assert rules.trend([(before, 80 / 100), (after, 82 / 100)])["direction"] == "rising"  # +2 points exactly


# -- W1-9: every problem of every line at once ------------------------------------------------------


def test_an_import_says_every_problem_of_every_line_in_one_answer(client, auth_headers):
    h = auth_headers("it-caseworker")
    _record(client, h, reported_on="2026-11-02")
    text = ("reported_on,period,open_places,open_accommodated\n"
            "2014-01-01,week,abc,10\n"      # a figure that is no number, and a date before 2015
            "2026-10-26,week,100,90\n"
            "2026-10-26,week,100,91\n"      # the same date twice in the file
            "2027-01-04,week,100,90\n"      # after today
            "2026-11-02,week,100,90\n")     # already reported
    r = client.post(f"{API}/reports/import", headers={**h, "Content-Type": "text/csv"}, content=text)
    assert r.status_code == 422
    said = [tuple(p["loc"][1:]) for p in r.json()["detail"]]
    assert said == [("line 2", "open_places"), ("line 2", "reported_on"), ("line 4", "reported_on"),
                    ("line 5", "reported_on"), ("line 6", "reported_on")]
    msgs = {tuple(p["loc"][1:]): p["msg"] for p in r.json()["detail"]}
    assert "before 2015-07-21" in msgs[("line 2", "reported_on")]
    assert "already reported on line 3" in msgs[("line 4", "reported_on")]
    assert "after today" in msgs[("line 5", "reported_on")]
    assert "IT already reported 2026-11-02" in msgs[("line 6", "reported_on")]


def test_one_line_with_a_negative_figure_and_an_early_date_names_both(cli, tmp_path):
    f = tmp_path / "reports.csv"
    f.write_text("reported_on,period,open_places\n2014-01-01,week,-1\n")
    r = cli("it-caseworker", "import", str(f))
    assert r.exit_code == 2
    assert "line 2.open_places" in r.output and "line 2.reported_on" in r.output


# -- W1-11: filters refused, naming the field ---------------------------------------------------------


@pytest.mark.parametrize(("query", "field"), [
    ("/reports?since=2026-11-30&until=2026-01-01", "until"),
    ("/reports?member_state=XX", "member_state"),
    ("/overview?on=2027-01-01", "on"),
    ("/overview?on=2010-01-01", "on"),
    ("/overview?on=0001-01-01", "on"),
    ("/overview.csv?on=2027-01-01", "on"),
    ("/series?on=2027-01-01", "on"),
    ("/states/IT?since=2027-01-01", "since"),
])
def test_filters_that_cannot_be_read_are_refused_naming_the_field(client, auth_headers, query: str, field: str):
    r = client.get(API + query, headers=auth_headers("euaa-analyst"))
    assert r.status_code == 422, r.text
    (problem,) = r.json()["detail"]
    assert problem["loc"] == ["query", field]
    if field == "until":
        assert "since" in problem["msg"] and "until" in problem["msg"]


def test_the_command_line_refuses_the_same_filters_in_one_line(cli):
    for args, said in ((("list", "--since", "2026-11-30", "--until", "2026-01-01"), "until"),
                       (("list", "--member-state", "XX"), "--member-state"),
                       (("overview", "--on", "2027-01-01"), "on"),
                       (("state", "IT", "--since", "2027-01-01"), "since")):
        r = cli("euaa-analyst", *args)
        assert r.exit_code == 2, (args, r.output)
        assert len(r.output.strip().splitlines()) == 1 and f"{said}:" in r.output


# -- W1-12: a state's history as CSV; the occupancy by reporting week ----------------------------------


def test_a_state_s_history_as_csv(client, auth_headers, cli):
    h = auth_headers("it-caseworker")
    _record(client, h, reported_on="2026-11-16", open_accommodated=4000)
    _record(client, h, reported_on="2026-11-23", open_accommodated=4600, waiting_list=12)
    r = client.get(f"{API}/states/IT/history.csv", headers=auth_headers("euaa-analyst"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [x["reported_on"] for x in rows] == ["2026-11-16", "2026-11-23"]  # the oldest first
    assert rows[1]["open_accommodated"] == "4600" and rows[1]["waiting_list"] == "12"
    assert rows[1]["occupancy_percent"] == "92.0" and rows[1]["rate_change_points"] == "12.0"
    assert rows[1]["under_pressure"] == "true" and "waiting_list" in rows[1]["flags"]
    assert client.get(f"{API}/states/IT/history.csv", headers=auth_headers("de-analyst")).status_code == 403
    r = cli("it-analyst", "state", "IT", "--format", "csv")
    assert r.exit_code == 0, r.output
    assert [x["reported_on"] for x in csv.DictReader(io.StringIO(r.output))] == ["2026-11-16", "2026-11-23"]


def test_the_eu_occupancy_by_reporting_week(client, auth_headers, cli):
    _record(client, auth_headers("it-caseworker"), reported_on="2026-11-09", open_places=1000, open_accommodated=900)
    _record(client, auth_headers("it-caseworker"), reported_on="2026-11-23", open_places=1000, open_accommodated=950)
    _record(client, auth_headers("el-caseworker"), reported_on="2026-11-17", open_places=500, open_accommodated=250)
    euaa = auth_headers("euaa-analyst")
    weeks = client.get(f"{API}/series", headers=euaa).json()["weeks"]
    by_week = {w["week"]: w for w in weeks}
    assert [w["week"] for w in weeks] == ["2026-W46", "2026-W47", "2026-W48"]  # from Monday 9 November
    assert (by_week["2026-W46"]["places"], by_week["2026-W46"]["accommodated"]) == (1000, 900)
    assert (by_week["2026-W47"]["places"], by_week["2026-W47"]["accommodated"]) == (1500, 1150)  # IT's of 9 Nov
    assert by_week["2026-W48"]["week_ending"] == "2026-11-28"  # up to today
    assert by_week["2026-W48"]["accommodated"] == 1200 and by_week["2026-W48"]["states_reporting"] == 2
    assert [w["reports_in_week"] for w in weeks] == [1, 1, 1]
    # the last week is the overview's EU totals of the day
    o = client.get(f"{API}/overview", headers=euaa).json()
    assert o["series"] == weeks and o["totals"]["accommodated"] == weeks[-1]["accommodated"]
    r = client.get(f"{API}/series.csv?on=2026-11-22", headers=euaa)
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [x["week"] for x in rows] == ["2026-W46", "2026-W47"]
    assert rows[-1]["occupancy_percent"] == "76.7" and rows[-1]["scope"] == "EU"
    # a state's user: its own state
    mine = client.get(f"{API}/series", headers=auth_headers("el-analyst")).json()
    assert mine["scope"] == "EL" and [w["week"] for w in mine["weeks"]] == ["2026-W47", "2026-W48"]
    r = cli("euaa-analyst", "series", "--format", "csv")
    assert r.exit_code == 0 and "2026-W48" in r.output


# -- W1-13: who reads the reports ----------------------------------------------------------------------


def test_the_platform_administrator_does_not_read_the_reports(client, auth_headers):
    _record(client, auth_headers("it-caseworker"))
    for path in ("/overview", "/reports", "/states/IT", "/series", "/overview.csv"):
        assert client.get(API + path, headers=auth_headers("eu-admin")).status_code == 403, path
    # the Commission's solidarity coordinator is a Commission analyst; the auditor reads too
    for user in ("com-solidarity", "auditor", "euaa-analyst"):
        assert client.get(f"{API}/overview", headers=auth_headers(user)).status_code == 200, user
