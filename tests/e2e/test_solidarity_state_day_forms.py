"""A Member State's own solidarity forms default to, and are checked against, that state's day.

At 22:30 UTC on 1 March 2027 it is already 2 March in Athens (UTC+2), still 1 March in Brussels and in
UTC. Greece's deduction request, its agreement to receive beneficiaries of international protection and its
take-over of applications are the Greek authorities' acts of 2 March. Before: Greece's pledge page proposed
1 March (the UTC day) in every date field, and a request typed as 2 March was refused as "a future date" by
the API, the page and the command line alike; a relocation transfer's steps did the same on the tracker.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.common.clock import FixedClock
from pactum.services.bootstrap import Services
from tests.e2e.test_solidarity_web_actions import new_cycle, send

API = "/api/v1/solidarity"
H = Callable[[str], dict[str, str]]
W = Callable[[str], TestClient]
#: 22:30 UTC on 1 March 2027: 00:30 on 2 March in Athens, 23:30 on 1 March in Brussels
LATE_EVENING = datetime(2027, 3, 1, 22, 30, tzinfo=UTC)
ATHENS_DAY, UTC_DAY = "2027-03-02", "2027-03-01"
#: What Greece, not identified under migratory pressure by the Commission's decision, gives with its request
#: (Art 61(2), points (a) to (d))
SUBSTANTIATION = {k: "Arrivals on the islands doubled since January." for k in (
    "stabilisation", "replacement", "vulnerabilities", "migratory_pressure")}


def _at_late_evening(client: TestClient) -> Services:
    """The clock at :data:`LATE_EVENING`, the sessions opened before kept valid."""
    from pactum.store.tables.platform import sessions

    services: Services = client.app.state.services  # type: ignore[attr-defined]
    services.clock.set(LATE_EVENING)  # type: ignore[attr-defined]
    with services.engine.begin() as conn:
        conn.execute(update(sessions).values(expires_at=LATE_EVENING + timedelta(hours=12)))
    return services


def _pool(client: TestClient, auth_headers: H) -> None:
    """The 2027 pool in implementation: Italy under migratory pressure, Greece and Germany contribute."""
    new_cycle(client, auth_headers("com-solidarity"), status="implementation", pledges={"EL": 100, "DE": 200},
              IT="under_pressure")


def _date_value(html: str, form_id: str, name: str) -> str:
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', html, re.S)
    assert form, f"no form {form_id}"
    m = re.search(rf'name="{name}"[^>]*value="([^"]*)"', form[0])
    assert m, f"no {name} in {form_id}"
    return m[1]


def test_greeces_forms_default_to_the_day_in_athens(client: TestClient, auth_headers: H, web_client: W) -> None:
    _pool(client, auth_headers)
    _at_late_evening(client)
    for user in ("el-admin", "com-solidarity"):  # Greece's own coordinator, or the Commission acting for it
        html = web_client(user).get("/solidarity/pledge?year=2027&member_state=EL").text
        assert _date_value(html, "deduction-form", "on") == ATHENS_DAY, user
        assert _date_value(html, "agreement-form", "agreed_on") == ATHENS_DAY, user
    # Germany's page, read at the same moment, proposes Berlin's day (23:30 on 1 March)
    html = web_client("de-admin").get("/solidarity/pledge?year=2027").text
    assert _date_value(html, "deduction-form", "on") == UTC_DAY


def test_greece_requests_a_deduction_dated_today_in_athens(
    client: TestClient, auth_headers: H, web_client: W
) -> None:
    _pool(client, auth_headers)
    _at_late_evening(client)
    el = web_client("el-admin")
    html = el.get("/solidarity/pledge?year=2027").text
    status, where = send(el, html, "deduction-form", relocations="10", grounds="article_61", **SUBSTANTIATION)
    assert status == 303, where  # before: 422, "a deduction cannot be requested on a future date"
    assert "assesses it by 2027-03-30" in el.get(where).text  # four weeks from 2 March
    table = re.search(r'<table id="deduction-requests">.*?</table>', el.get(where).text, re.S)
    assert table and f"<td>{ATHENS_DAY}</td>" in table[0]
    # the API: the day after is still refused, and says which day it is in Greece
    r = client.post(f"{API}/cycles/2027/deductions", headers=auth_headers("el-admin"),
                    json={"relocations": 1, "on": "2027-03-03", "grounds": "article_61",
                          "substantiation": SUBSTANTIATION})
    assert r.status_code == 422
    on = [d for d in r.json()["detail"] if d["loc"][-1] == "on"]
    assert on and "future date (today is 2027-03-02 in EL)" in on[0]["msg"]


def test_greeces_agreement_and_take_over_are_checked_against_its_day(client: TestClient, auth_headers: H) -> None:
    _pool(client, auth_headers)
    _at_late_evening(client)
    el = auth_headers("el-admin")
    r = client.post(f"{API}/cycles/2027/beneficiary-agreements", headers=el,
                    json={"beneficiary_member_state": "IT", "agreed_on": ATHENS_DAY})
    assert r.status_code in (200, 201), r.text
    assert r.json()["agreed_on"] == ATHENS_DAY
    r = client.post(f"{API}/cycles/2027/offsets", headers=el,
                    json={"beneficiary_member_state": "IT", "count": 1, "on": "2027-03-03"})
    assert r.status_code == 422
    assert {tuple(d["loc"][-1:]) for d in r.json()["detail"]} == {("on",)}
    assert "today is 2027-03-02 in EL" in r.json()["detail"][0]["msg"]
    r = client.post(f"{API}/cycles/2027/offsets", headers=el,
                    json={"beneficiary_member_state": "IT", "count": 1, "on": ATHENS_DAY})
    # no application to take over in this pool: refused, but not for its date
    assert not any(d["loc"][-1] == "on" for d in (r.json().get("detail") or []) if isinstance(d, dict))


@pytest.fixture
def cli_at_late_evening(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "el-admin")
    monkeypatch.setattr("pactum.services.bootstrap.SystemClock", lambda: FixedClock(LATE_EVENING))
    return tmp_path


def test_the_command_line_records_greeces_request_of_today_in_athens(
    client: TestClient, auth_headers: H, cli_at_late_evening: Path
) -> None:
    _pool(client, auth_headers)
    _at_late_evening(client)
    f = cli_at_late_evening / "deduction.json"
    f.write_text(json.dumps({"relocations": 5, "on": ATHENS_DAY, "grounds": "article_61", "substantiation": SUBSTANTIATION}))
    r = CliRunner().invoke(app, ["solidarity", "deduction", "2027", str(f)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["requested_on"] == ATHENS_DAY


def test_a_transfer_step_defaults_to_the_day_of_the_state_whose_step_it_is(
    client: TestClient, auth_headers: H, web_client: W
) -> None:
    """Greece, benefitting, records the security check of a person relocated to Germany: its 2 March."""
    com = auth_headers("com-solidarity")
    new_cycle(client, com, status="implementation", pledges={"DE": 200}, EL="under_pressure")
    r = client.post(f"{API}/transfers", params={"year": 2027}, headers=com, json={"transfers": [{
        "applicant_ref": "EL-DAY-1", "origin_member_state": "EL", "destination_member_state": "DE",
        "matched_on": "2027-01-04"}]})
    assert r.status_code == 201, r.text
    _at_late_evening(client)
    el = web_client("el-admin")
    html = el.get("/solidarity/transfers?year=2027").text
    row = re.search(r'<form method="post" action="/solidarity/transfers/([^/"]+)/events".*?</form>', html, re.S)
    assert row and 'name="event" value="security_cleared"' in row[0]
    assert f'name="on" value="{ATHENS_DAY}"' in row[0]  # before: 2027-03-01
    # the step sent with the date left blank is dated that day, and recorded (before: the UTC day)
    version = re.search(r'name="version" value="(\d+)"', row[0])[1]  # type: ignore[index]
    r = el.post(f"/solidarity/transfers/{row[1]}/events",
                data={"event": "security_cleared", "version": version, "on": ""}, follow_redirects=False)
    assert r.status_code == 303, r.text
    t = client.get(f"{API}/transfers", params={"year": 2027}, headers=auth_headers("el-admin")).json()["transfers"]
    assert t[0]["security_cleared_on"] == ATHENS_DAY
    # Germany's acceptance, at the same moment, is of its own day; the API refuses Greece's 3 March
    r = client.post(f"{API}/transfers/{row[1]}/events", headers=auth_headers("de-admin"),
                    json={"event": "accepted", "on": ATHENS_DAY, "version": t[0]["version"]})
    assert r.status_code == 422 and "today is 2027-03-01 in DE" in r.text
