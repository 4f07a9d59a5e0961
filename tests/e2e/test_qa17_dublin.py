"""QA walk "officers" (findings F3, F5, F10 and F11, Dublin part): a transfer dated before its
acceptance, a refusal left open after its re-examination window, the inbox/outbox filters and CSV
exports, and the labels of the Dublin pages."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from pactum.common.clock import FixedClock
from pactum.common.errors import Conflict, ValidationProblem
from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.store.tables.platform import audit_log
from pactum.store.tables.responsibility import dublin_requests
from tests.conftest import unlabelled_fields

Login = Callable[[str], TestClient]
Who = Callable[[str], Principal]
API = "/api/v1/responsibility"


def _case(services: Services, who: Principal, ref: str, kind: str = "irregular_crossing",
          name: str = "Samir Haddad") -> dict[str, Any]:
    """A German application of 2026-11-20 (AMMR); the entry into Italy makes Italy responsible."""
    return responsibility.create_case(services, who, CaseCreate.model_validate({
        "reference": ref, "applicant_name": name,
        "facts": {"application": {"registered_in": "DE", "registered_on": "2026-11-20"},
                  "entries": [{"kind": kind, "member_state": "IT", "on": "2026-10-01"}]}}))


def _sent(services: Services, principal: Who, ref: str, **body: Any) -> dict[str, Any]:
    case = _case(services, principal("de-caseworker"), ref, **{k: body.pop(k) for k in ("kind", "name") if k in body})
    return responsibility.send_request(services, principal("de-dublin"), case["id"],
                                       RequestCreate.model_validate({"kind": "take_charge", **body}))


def _act(services: Services, who: Principal, req: dict[str, Any], action: str, **body: Any) -> dict[str, Any]:
    return responsibility.act(services, who, req["id"], action, RequestAction.model_validate(
        {"version": req["version"], **body}))


def _arranged(services: Services, principal: Who, ref: str) -> dict[str, Any]:
    """Sent, accepted, the transfer decided and arranged, all on 2026-11-28 (the QA's steps)."""
    de, it = principal("de-dublin"), principal("it-dublin")
    req = _act(services, it, _sent(services, principal, ref), "accept")
    req = _act(services, de, req, "decide_transfer")
    return _act(services, de, req, "arrange_transfer", planned_on="2026-12-10")


def _move(services: Services, day: date) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime.combine(day, time(12, 0), tzinfo=clock.now().tzinfo))


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- F3: a transfer cannot be dated before the request, its acceptance or the transfer decision --


def test_a_transfer_dated_before_the_acceptance_and_the_transfer_decision_is_refused(
        services: Services, principal: Who, client: TestClient, auth_headers: Callable[[str], dict[str, str]],
        web_client: Login) -> None:
    req = _arranged(services, principal, "DE-D-QA000001")
    assert req["accepted_on"] == req["transfer_decided_on"] == "2026-11-28"
    # the QA's date: a month before the request, its acceptance and the transfer decision
    r = client.post(f"{API}/requests/{req['id']}/complete_transfer", headers=auth_headers("de-dublin"),
                    json={"version": req["version"], "transferred_on": "2026-11-01"})
    assert r.status_code == 422, r.text
    problem = json.dumps(r.json())
    assert "transferred_on" in problem and "is before the transfer decision (2026-11-28)" in problem
    assert "Articles 42(1) and 46(1)" in problem  # AMMR: transfer after the acceptance and the decision
    # nothing was written
    got = responsibility.get_request(services, principal("de-dublin"), req["id"])
    assert got["status"] == "transfer_arranged" and got["transferred_on"] is None
    assert got["version"] == req["version"]
    # the web form says it next to its label
    page = web_client("de-dublin").post(f"/responsibility/requests/{req['id']}", data={
        "action": "complete_transfer", "version": str(req["version"]), "transferred_on": "2026-11-27"})
    assert page.status_code == 422 and "Transferred on: is before" in page.text
    # the day of the acceptance and decision itself is possible
    done = _act(services, principal("de-dublin"), req, "complete_transfer", transferred_on="2026-11-28")
    assert done["status"] == "transferred" and done["transferred_on"] == "2026-11-28"


def test_a_transfer_is_not_dated_while_a_suspensive_appeal_was_pending(services: Services,
                                                                       principal: Who) -> None:
    de, it = principal("de-dublin"), principal("it-dublin")
    req = _act(services, it, _sent(services, principal, "DE-D-QA000002"), "accept")
    req = _act(services, de, req, "decide_transfer")
    req = _act(services, de, req, "record_appeal", appeal_lodged_on="2026-11-28", suspensive_effect=True)
    _move(services, date(2026, 12, 20))
    req = _act(services, de, req, "decide_appeal", appeal_decided_on="2026-12-15")
    req = _act(services, de, req, "arrange_transfer", planned_on="2026-12-21")
    with pytest.raises(ValidationProblem) as refused:
        _act(services, de, req, "complete_transfer", transferred_on="2026-12-01")
    assert refused.value.problems[0][0] == "transferred_on"
    assert "suspensive effect" in refused.value.problems[0][1]
    done = _act(services, de, req, "complete_transfer", transferred_on="2026-12-16")
    assert done["status"] == "transferred"


def test_the_statistics_leave_impossible_transfer_dates_out_of_the_average(
        services: Services, principal: Who, client: TestClient,
        auth_headers: Callable[[str], dict[str, str]], web_client: Login) -> None:
    de = principal("de-dublin")
    good = _arranged(services, principal, "DE-D-QA000003")
    _act(services, de, good, "complete_transfer", transferred_on="2026-11-28")
    bad = _arranged(services, principal, "DE-D-QA000004")
    _act(services, de, bad, "complete_transfer", transferred_on="2026-11-28")
    # a transfer recorded before the date check existed, dated a month before its request
    with services.engine.begin() as conn:
        conn.execute(update(dublin_requests).where(dublin_requests.c.id == bad["id"]).values(
            transferred_on=date(2026, 11, 1), closed_on=date(2026, 11, 1)))
    stats = client.get(f"{API}/statistics", headers=auth_headers("com-analyst")).json()
    row = next(r for r in stats if (r["requesting_member_state"], r["requested_member_state"]) == ("DE", "IT"))
    assert row["transfers"] == 2
    assert row["average_days_to_transfer"] == 0.0  # the good one only, not (0 - 27) / 2
    assert row["transfers_with_impossible_dates"] == 1
    page = web_client("com-analyst").get("/responsibility/statistics").text
    assert "-13.5" not in page and 'id="impossible-dates"' in page
    assert "1 transfer recorded with a date before the request" in page


# --- F5: a refusal not contested within the re-examination window is final and leaves the inbox --


def test_a_refusal_whose_reexamination_window_passed_is_final_and_leaves_the_inbox(
        services: Services, principal: Who, client: TestClient,
        auth_headers: Callable[[str], dict[str, str]]) -> None:
    it, de = principal("it-dublin"), principal("de-dublin")
    refused = _act(services, it, _sent(services, principal, "DE-D-QA000010"), "refuse", reasons="No entry recorded")
    other = _act(services, it, _sent(services, principal, "DE-D-QA000011"), "refuse", reasons="No entry recorded")
    window = refused["reexamination_request_due"]
    assert window is not None and window >= "2026-12-19"  # three weeks (Reg. 1560/2003 Art 5(2))
    # within the window the refusal stands: the requesting state may still ask for re-examination
    _move(services, date.fromisoformat(window))
    inbox = responsibility.queue(services, it, "inbox")
    assert refused["id"] in [r["id"] for r in inbox]
    # the day after, the refusal is final: the job closes it on the window's last day
    _move(services, date.fromisoformat(window) + timedelta(days=1))
    summary = responsibility.deadlines_job(services, services.clock.now())
    assert "refusal final: 2" in summary
    for who in (it, de):
        box = "inbox" if who is it else "outbox"
        assert refused["id"] not in [r["id"] for r in responsibility.queue(services, who, box)]
    seen = client.get(f"{API}/inbox", headers=auth_headers("it-dublin")).json()
    assert other["id"] not in [r["id"] for r in seen]
    got = responsibility.get_request(services, de, refused["id"])
    assert got["status"] == "refused_final" and got["closed_on"] == window
    assert got["responsible_member_state"] == "DE" and got["your_actions"] == []
    assert got["timeline"][-1]["action"] == "lapse_reexamination_request"
    closed = client.get(f"{API}/inbox", params={"include_closed": "true"}, headers=auth_headers("it-dublin")).json()
    assert {r["id"]: r["status"] for r in closed}[refused["id"]] == "refused_final"
    case = responsibility.get_case(services, de, got["case_id"])
    assert case["responsible_now"]["rule"] == "refused_final"
    with services.engine.connect() as conn:
        actions = [a for (a,) in conn.execute(select(audit_log.c.action))]
    assert "responsibility.refusal_final" in actions
    # too late now to ask for a re-examination
    with pytest.raises(Conflict):
        _act(services, de, got, "request_reexamination", reasons="new evidence")


def test_a_refusal_read_after_its_window_is_final_at_once(services: Services, principal: Who) -> None:
    it = principal("it-dublin")
    refused = _act(services, it, _sent(services, principal, "DE-D-QA000012"), "refuse", reasons="No entry")
    _move(services, date.fromisoformat(refused["reexamination_request_due"]) + timedelta(days=3))
    # no job ran: the inbox applies the lapsed window before it is shown, as it does for silence
    assert responsibility.queue(services, it, "inbox") == []


# --- F10: filters and CSV exports of the inbox, outbox and statistics ----------------------------


def test_inbox_filters_by_status_and_kind_on_the_web_and_the_api(
        services: Services, principal: Who, client: TestClient,
        auth_headers: Callable[[str], dict[str, str]], web_client: Login) -> None:
    it = principal("it-dublin")
    pending = _sent(services, principal, "DE-D-QA000020")
    refused = _act(services, it, _sent(services, principal, "DE-D-QA000021"), "refuse", reasons="No entry")
    web = web_client("it-dublin")
    page = web.get("/responsibility/inbox", params={"status": "refused"}).text
    assert "DE-D-QA000021" in page and "DE-D-QA000020" not in page
    assert '<option value="refused" selected>refused</option>' in page
    assert unlabelled_fields(page) == []
    page = web.get("/responsibility/inbox", params={"kind": "take_back"}).text
    assert "DE-D-QA000020" not in page and "No request in the inbox matches these filters" in page
    page = web.get("/responsibility/inbox", params={"kind": "take_charge", "status": "pending"}).text
    assert "DE-D-QA000020" in page and "DE-D-QA000021" not in page
    bad = web.get("/responsibility/inbox", params={"status": "lost"})
    assert bad.status_code == 422 and "Status: unknown status" in bad.text
    assert "DE-D-QA000020" in bad.text  # the list, unfiltered, under the message
    api = client.get(f"{API}/inbox", params={"kind": "take_charge", "status": "refused"},
                     headers=auth_headers("it-dublin")).json()
    assert [r["id"] for r in api] == [refused["id"]]
    bad = client.get(f"{API}/inbox", params={"kind": "take_over"}, headers=auth_headers("it-dublin"))
    assert bad.status_code == 422 and "kind" in bad.text
    assert pending["id"] in [r["id"] for r in client.get(f"{API}/inbox", headers=auth_headers("it-dublin")).json()]


def test_inbox_and_outbox_as_csv_with_the_next_deadline(
        services: Services, principal: Who, client: TestClient,
        auth_headers: Callable[[str], dict[str, str]], web_client: Login, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    req = _sent(services, principal, "DE-D-QA000030", name="=HYPERLINK(\"http://x\")")
    web = web_client("it-dublin")
    page = web.get("/responsibility/inbox", params={"kind": "take_charge"}).text
    assert 'href="/responsibility/inbox.csv?kind=take_charge"' in page
    r = web.get("/responsibility/inbox.csv", params={"kind": "take_charge"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="dublin-inbox-2026-11-28.csv"' in r.headers["content-disposition"]
    rows = _csv(r.text)
    assert len(rows) == 1
    row = rows[0]
    assert row["case_reference"] == "DE-D-QA000030" and row["requesting_member_state"] == "DE"
    assert row["next_deadline"] == "reply" and row["next_deadline_on"] == req["reply_due"]
    assert row["days_left"] == str(req["next_deadline"]["days_left"]) and row["status_label"] == "awaiting reply"
    assert row["applicant_name"].startswith("'=")  # opens as text in a spreadsheet
    assert web.get("/responsibility/inbox.csv", params={"status": "lost"}).status_code == 422
    api = client.get(f"{API}/outbox.csv", headers=auth_headers("de-dublin"))
    assert api.status_code == 200 and [x["request_id"] for x in _csv(api.text)] == [req["id"]]
    assert client.get(f"{API}/inbox.csv", headers=auth_headers("it-dublin")).text == r.text
    # the command line writes the same file
    from pactum.cli.main import app

    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "it-dublin")
    out = CliRunner().invoke(app, ["responsibility", "inbox", "--format", "csv", "--kind", "take_charge"])
    assert out.exit_code == 0, out.output
    assert [x["request_id"] for x in _csv(out.output)] == [req["id"]]
    out = CliRunner().invoke(app, ["responsibility", "inbox", "--status", "lost"])
    assert out.exit_code == 2 and "status" in out.output


def test_statistics_as_csv(services: Services, principal: Who, client: TestClient,
                           auth_headers: Callable[[str], dict[str, str]], web_client: Login) -> None:
    _sent(services, principal, "DE-D-QA000040")
    web = web_client("com-analyst")
    assert 'href="/responsibility/statistics.csv"' in web.get("/responsibility/statistics").text
    r = web.get("/responsibility/statistics.csv", params={"year": "2026"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = _csv(r.text)
    assert rows == [{"requesting_member_state": "DE", "requested_member_state": "IT", "requests": "1",
                     "accepted": "0", "refused": "0", "open": "1", "acceptance_rate": "", "transfers": "0",
                     "transfer_rate": "0.0", "average_days_to_transfer": "",
                     "transfers_with_impossible_dates": "0", "year": "2026",
                     "contested": "0"}]
    bad = web.get("/responsibility/statistics.csv", params={"year": "twenty"})
    assert bad.status_code == 422 and "Year" in bad.text
    api = client.get(f"{API}/statistics.csv", params={"year": 2026}, headers=auth_headers("com-analyst"))
    assert api.status_code == 200 and api.text == r.text


# --- F11: labels of the Dublin pages ----------------------------------------------------------------


def test_the_request_page_names_the_criterion_and_says_the_evidence_kind_once(
        services: Services, principal: Who, web_client: Login) -> None:
    req = _sent(services, principal, "DE-D-QA000050", kind="sar_disembarkation", evidence=[
        {"kind": "eurodac_hit", "description": "Eurodac hit: registered in IT on 2026-10-01"},
        {"kind": "travel_ticket", "description": "ferry ticket Tunis-Palermo"}])
    assert req["criterion"] == "sar_disembarkation"
    assert req["criterion_label"] == "disembarkation after search and rescue"
    page = web_client("it-dublin").get(f"/responsibility/requests/{req['id']}").text
    assert re.search(r"<dt>Criterion</dt><dd>disembarkation after search and rescue <span class=\"muted\">"
                     r"Regulation \(EU\) 2024/1351, Article 33\(2\)</span>", page)
    assert "sar disembarkation" not in page
    evidence = page.split('<ul id="evidence">', 1)[1].split("</ul>", 1)[0]
    assert "<li>Eurodac hit: registered in IT on 2026-10-01</li>" in evidence
    assert evidence.lower().count("eurodac hit") == 1
    assert "<li>travel ticket: ferry ticket Tunis-Palermo</li>" in evidence
    case = web_client("de-dublin").get(f"/responsibility/cases/{req['case_id']}").text
    assert "<small>disembarkation after search and rescue</small>" in case


def test_a_suspended_transfer_says_so_in_the_lists_deadline_cell(services: Services, principal: Who,
                                                                  web_client: Login) -> None:
    de, it = principal("de-dublin"), principal("it-dublin")
    req = _act(services, it, _sent(services, principal, "DE-D-QA000060"), "accept")
    req = _act(services, de, req, "decide_transfer")
    req = _act(services, de, req, "record_appeal", appeal_lodged_on="2026-11-28", suspensive_effect=True)
    assert req["next_deadline"] is None and req["transfer_suspended"] is True
    for user, box in (("it-dublin", "inbox"), ("de-dublin", "outbox")):
        page = web_client(user).get(f"/responsibility/{box}").text
        row = next(r for r in page.split("<tr") if "DE-D-QA000060" in r)
        assert "suspended (appeal)" in row
    rows = _csv(web_client("it-dublin").get("/responsibility/inbox.csv").text)
    assert [r["next_deadline"] for r in rows if r["case_reference"] == "DE-D-QA000060"] == ["suspended (appeal)"]


def _to_options(page: str) -> list[str]:
    select_ = page.split('name="requested_member_state">', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option[^>]*>([A-Z]{2})</option>", select_)


def test_the_send_form_offers_other_states_only(services: Services, principal: Who, web_client: Login) -> None:
    case = _case(services, principal("de-caseworker"), "DE-D-QA000070")
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    states = _to_options(page)
    assert "IT" in states and "FR" in states and "DE" not in states
    # the events form of "who is responsible on a day" still offers every state (DE may apply a clause)
    assert 'name="events[0].member_state"' in page and '<option value="DE">DE</option>' in page


def test_the_no_request_notice_does_not_name_the_own_state(services: Services, principal: Who,
                                                           web_client: Login, client: TestClient,
                                                           auth_headers: Callable[[str], dict[str, str]]) -> None:
    """A responsibility offset makes the case's own state responsible (AMMR Arts 63, 69) and the
    determination then names it: the notice must not say "a take-charge request to DE"."""
    try:
        from .test_solidarity_offsets import API as SOLIDARITY
        from .test_solidarity_offsets import VOLUNTARY, _adopted_pool
    except ImportError:  # tests/e2e is not a package
        from test_solidarity_offsets import API as SOLIDARITY  # type: ignore[no-redef]
        from test_solidarity_offsets import VOLUNTARY, _adopted_pool

    _adopted_pool(client, auth_headers, VOLUNTARY)
    case = _case(services, principal("de-caseworker"), "DE-D-QA000071")
    r = client.post(f"{SOLIDARITY}/cycles/2026/offsets", headers=auth_headers("de-admin"),
                    json={"beneficiary_member_state": "IT", "count": 1, "on": "2026-11-20"})
    assert r.status_code == 201, r.text
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    notice = page.split('id="no-request">', 1)[1].split("</div>", 1)[0]
    assert "a take charge no longer lies" in notice and "responsibility offset" in notice
    assert "request to DE" not in notice


@pytest.mark.postgres
def test_a_lapsed_reexamination_window_closes_the_refusal_on_postgres(pg_services: Services) -> None:
    from pactum.services.auth import Role
    from pactum.store.tables.platform import users

    def who(username: str) -> Principal:
        with pg_services.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).one()
        return Principal(row.id, row.username, row.authority, frozenset(Role(r) for r in row.roles))

    it, de = who("it-dublin"), who("de-dublin")
    refused = _act(pg_services, it, _sent(pg_services, who, "PG-QA17-1"), "refuse", reasons="No entry recorded")
    kept = _act(pg_services, it, _sent(pg_services, who, "PG-QA17-2"), "refuse", reasons="No entry recorded")
    kept = _act(pg_services, de, kept, "request_reexamination", reasons="Eurodac IT2 hit")
    window = date.fromisoformat(refused["reexamination_request_due"])
    _move(pg_services, window + timedelta(days=1))
    summary = responsibility.deadlines_job(pg_services, pg_services.clock.now())
    assert "refusal final: 1" in summary  # the one re-examined is not a lapsed refusal
    got = responsibility.get_request(pg_services, de, refused["id"])
    assert got["status"] == "refused_final" and got["closed_on"] == window.isoformat()
    assert got["timeline"][-1]["action"] == "lapse_reexamination_request"
    assert "refusal final: 0" in responsibility.deadlines_job(pg_services, pg_services.clock.now())
