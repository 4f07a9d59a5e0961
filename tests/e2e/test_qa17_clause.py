"""QA 17: the discretionary clause on a state's own Dublin case (Dublin III Art 17(1); AMMR Art
35(1)). The state decides to examine the application although the criteria make another state
responsible: its running requests are withdrawn (the state asked sees why), it becomes the state
responsible and assumes the obligations (second subparagraph), and "responsible now" names it. On
the API, the command line and the case page. And the draft of the facts keeps an earlier
application when a record is linked both by a verified white link and by a yellow one."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from typer.testing import CliRunner

from pactum.common.clock import FixedClock
from pactum.common.errors import Conflict, NotFound, ValidationProblem
from pactum.responsibility.cessation import DiscretionaryClause
from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.store.tables.identity import identity_links
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import identity_records
from tests.conftest import unlabelled_fields

Login = Callable[[str], TestClient]
Who = Callable[[str], Principal]
Headers = Callable[[str], dict[str, str]]
API = "/api/v1/responsibility"
AMMR_35 = "Regulation (EU) 2024/1351, Article 35(1)"
D3_17 = "Regulation (EU) No 604/2013, Article 17(1)"


def _case(services: Services, who: Principal, ref: str, registered_on: str = "2026-11-20",
          entry_on: str = "2026-10-01", entry: bool = True) -> dict[str, Any]:
    """A German application (AMMR on the default dates); the entry into Italy makes Italy responsible."""
    facts: dict[str, Any] = {"application": {"registered_in": "DE", "registered_on": registered_on}}
    if entry:
        facts["entries"] = [{"kind": "irregular_crossing", "member_state": "IT", "on": entry_on}]
    return responsibility.create_case(services, who, CaseCreate.model_validate(
        {"reference": ref, "applicant_name": "Samir Haddad", "facts": facts}))


def _sent(services: Services, principal: Who, ref: str) -> tuple[dict[str, Any], dict[str, Any]]:
    case = _case(services, principal("de-dublin"), ref)
    req = responsibility.send_request(services, principal("de-dublin"), case["id"],
                                      RequestCreate.model_validate({"kind": "take_charge"}))
    return case, req


def _act(services: Services, who: Principal, req: dict[str, Any], action: str, **body: Any) -> dict[str, Any]:
    return responsibility.act(services, who, req["id"], action, RequestAction.model_validate(
        {"version": req["version"], **body}))


def _clause(services: Services, who: Principal, case: dict[str, Any], **body: Any) -> dict[str, Any]:
    return responsibility.apply_discretionary_clause(services, who, case["id"], DiscretionaryClause.model_validate(
        {"version": case["version"], "reasons": "the applicant's spouse lives in Germany", **body}))


def _move(services: Services, day: date) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime.combine(day, time(12, 0), tzinfo=clock.now().tzinfo))


def test_the_clause_withdraws_the_accepted_request_and_makes_the_own_state_responsible(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    de, it = principal("de-dublin"), principal("it-dublin")
    case, req = _sent(services, principal, "DE-CL-1")
    _act(services, it, req, "accept")
    before = responsibility.get_case(services, de, case["id"])
    assert before["responsible_now"]["member_state"] == "IT"
    r = client.post(f"{API}/cases/{case['id']}/discretionary-clause", headers=auth_headers("de-dublin"), json={
        "version": before["version"], "on": "2026-11-28", "reasons": "the applicant's spouse lives in Germany"})
    assert r.status_code == 200, r.text
    got = r.json()
    now = got["responsible_now"]
    assert (now["member_state"], now["rule"], now["since"]) == ("DE", "discretionary_clause", "2026-11-28")
    assert AMMR_35 in now["legal_basis"] and "discretionary clause" in now["reason"]
    # the trace says the state becomes responsible and assumes the obligations (second subparagraph)
    step = got["determination"]["trace"][-1]
    assert step["rule"] == "discretionary_clause" and AMMR_35 in step["legal_basis"]
    assert "Article 35(1), second subparagraph" in step["outcome"]
    assert "DE becomes the Member State responsible and assumes the obligations" in step["outcome"]
    assert step["facts"]["previously_responsible"] == "IT" and step["facts"]["requests_withdrawn"] == [req["id"]]
    assert got["discretionary_clause"]["determined"] == "IT"
    # the accepted request ended, with a timeline event saying why
    assert [q["status"] for q in got["requests"]] == ["withdrawn"]
    event = got["timeline"][-1]
    assert (event["action"], event["from_status"], event["to_status"]) == ("discretionary_clause", "accepted",
                                                                          "withdrawn")
    # Italy sees it closed, with the reason, in its request's timeline and its closed inbox
    seen = responsibility.get_request(services, it, req["id"])
    assert seen["status"] == "withdrawn" and seen["responsible_member_state"] == "DE"
    last = seen["timeline"][-1]
    assert last["action"] == "discretionary_clause" and "discretionary clause" in last["details"]["rule"]
    assert last["details"]["reasons"] == "the applicant's spouse lives in Germany"
    assert req["id"] not in [q["id"] for q in responsibility.queue(services, it, "inbox")]
    closed = responsibility.queue(services, it, "inbox", include_closed=True)
    assert next(q for q in closed if q["id"] == req["id"])["status"] == "withdrawn"
    # the case list says the same, a take-charge request no longer lies, and it was audited
    listed = next(c for c in responsibility.cases_page(services, de)["cases"] if c["id"] == case["id"])
    assert listed["responsible_now"]["member_state"] == "DE"
    with pytest.raises(Conflict, match="DE is responsible now"):
        responsibility.send_request(services, de, case["id"], RequestCreate.model_validate(
            {"kind": "take_charge", "requested_member_state": "IT"}))
    with services.engine.connect() as conn:
        audited = conn.execute(select(audit_log.c.action, audit_log.c.entity_id)
                               .where(audit_log.c.action == "responsibility.discretionary_clause")).all()
    assert [tuple(a) for a in audited] == [("responsibility.discretionary_clause", case["id"])]
    # applied once: a second time, DE is already responsible
    with pytest.raises(Conflict, match="already responsible"):
        _clause(services, de, got)


def test_a_pending_request_is_withdrawn_and_a_caseworker_may_apply_the_clause(
        services: Services, principal: Who) -> None:
    case, req = _sent(services, principal, "DE-CL-2")
    assert req["status"] == "pending"
    case = responsibility.get_case(services, principal("de-caseworker"), case["id"])
    got = _clause(services, principal("de-caseworker"), case)
    assert got["responsible_now"]["member_state"] == "DE"
    assert [q["status"] for q in got["requests"]] == ["withdrawn"]
    # with no request sent, the clause is recorded on the case alone
    bare = _case(services, principal("de-caseworker"), "DE-CL-3")
    done = _clause(services, principal("de-caseworker"), bare, on="2026-11-25")
    assert (done["responsible_now"]["member_state"], done["responsible_now"]["since"]) == ("DE", "2026-11-25")
    # the determination is kept as made (QA19 finding 5): the clause is in responsible_now
    assert (done["determination"]["responsible_member_state"], done["determination"]["criterion"]) == (
        "IT", "irregular_entry")
    assert done["discretionary_clause"]["determined"] == "IT"


def test_the_clause_is_refused_where_it_does_not_lie(services: Services, principal: Who, client: TestClient,
                                                     auth_headers: Headers) -> None:
    de, it = principal("de-dublin"), principal("it-dublin")
    # the own state is responsible already
    own = _case(services, de, "DE-CL-4", entry=False)
    assert own["responsible_now"]["member_state"] == "DE"
    with pytest.raises(Conflict, match="DE is already responsible"):
        _clause(services, de, own)
    case, req = _sent(services, principal, "DE-CL-5")
    case = responsibility.get_case(services, de, case["id"])
    url, h = f"{API}/cases/{case['id']}/discretionary-clause", auth_headers("de-dublin")
    body = {"version": case["version"], "reasons": "family in Germany"}
    # a day in the future, or before the registration: 422 naming "on"
    for on in ("2026-11-29", "2026-11-19"):
        r = client.post(url, headers=h, json={**body, "on": on})
        assert r.status_code == 422 and "on" in json.dumps(r.json()), r.text
    # no reasons
    r = client.post(url, headers=h, json={**body, "reasons": "  "})
    assert r.status_code == 422 and "reasons" in r.text
    # a stale version
    r = client.post(url, headers=h, json={**body, "version": case["version"] + 1})
    assert r.status_code == 409 and "changed" in r.text
    # another state's case (even the state asked on it): 404; no role: 403
    assert client.post(url, headers=auth_headers("it-dublin"), json=body).status_code == 404
    assert client.post(url, headers=auth_headers("fr-caseworker"), json=body).status_code == 404
    assert client.post(url, headers=auth_headers("de-analyst"), json=body).status_code == 403
    assert client.post(url, headers=auth_headers("de-return"), json=body).status_code == 403
    # a transfer already carried out: the person is in Italy
    req = _act(services, it, req, "accept")
    req = _act(services, de, req, "decide_transfer")
    req = _act(services, de, req, "arrange_transfer", planned_on="2026-11-28")
    req = _act(services, de, req, "complete_transfer", transferred_on="2026-11-28")
    case = responsibility.get_case(services, de, case["id"])
    r = client.post(url, headers=h, json={**body, "version": case["version"]})
    assert r.status_code == 409 and "the person is in IT" in r.text, r.text
    # nothing was written by any refusal
    after = responsibility.get_case(services, de, case["id"])
    assert after["version"] == case["version"] and after["responsible_now"]["member_state"] == "IT"
    with pytest.raises(ValidationProblem):
        _clause(services, de, after, on="2026-12-01")
    with pytest.raises(NotFound):
        _clause(services, it, after)


def test_under_dublin_iii_the_step_cites_article_17_and_outlasts_the_request_time_limit(
        services: Services, principal: Who) -> None:
    _move(services, date(2026, 6, 20))
    de = principal("de-dublin")
    case = _case(services, de, "DE-CL-6", registered_on="2026-06-15", entry_on="2026-05-01")
    assert (case["determination"]["regime"], case["responsible_now"]["member_state"]) == ("dublin_iii", "IT")
    got = _clause(services, de, case, on="2026-06-20")
    step = got["determination"]["trace"][-1]
    assert step["legal_basis"] == [D3_17]
    assert "Article 17(1), second subparagraph" in step["outcome"]
    assert got["responsible_now"]["legal_basis"] == [D3_17]
    # months later DE is responsible by the clause, not by a missed request time limit
    _move(services, date(2026, 11, 28))
    later = responsibility.get_case(services, de, case["id"])["responsible_now"]
    assert (later["member_state"], later["rule"]) == ("DE", "discretionary_clause")


def test_the_case_page_offers_the_clause_with_a_confirmation(services: Services, principal: Who,
                                                             web_client: Login) -> None:
    case, req = _sent(services, principal, "DE-CL-7")
    web = web_client("de-dublin")
    page = web.get(f"/responsibility/cases/{case['id']}").text
    assert 'id="discretionary-clause"' in page and AMMR_35 in page
    assert "This cannot be undone" in page and "the running request to IT is withdrawn" in page
    assert not unlabelled_fields(page)
    case = responsibility.get_case(services, principal("de-dublin"), case["id"])
    form = {"version": str(case["version"]), "on": "2026-11-28", "reasons": "spouse in Germany"}
    r = web.post(f"/responsibility/cases/{case['id']}/discretionary-clause", data=form)
    assert r.status_code == 422 and "Confirm: tick the box" in r.text and "spouse in Germany" in r.text
    r = web.post(f"/responsibility/cases/{case['id']}/discretionary-clause", data={**form, "on": "2026-12-05",
                                                                                      "confirm": "on"})
    assert r.status_code == 422 and "Decided on:" in r.text
    r = web.post(f"/responsibility/cases/{case['id']}/discretionary-clause", data={**form, "confirm": "on"},
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    shown = web.get(r.headers["location"]).text
    assert 'id="clause-applied"' in shown and '<strong id="responsible">DE</strong>' in shown
    assert '<strong id="determined">IT</strong>' in shown and 'id="discretionary-clause"' not in shown
    # the state asked reads it on its request page; another state's officer has no form
    it_page = web_client("it-dublin").get(f"/responsibility/requests/{req['id']}").text
    assert "discretionary clause" in it_page and "spouse in Germany" in it_page
    assert 'id="discretionary-clause"' not in web_client("it-dublin").get(f"/responsibility/cases/{case['id']}").text


def test_the_command_line_applies_the_clause(services: Services, principal: Who, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from pactum.cli.main import app

    case, _ = _sent(services, principal, "DE-CL-8")
    case = responsibility.get_case(services, principal("de-dublin"), case["id"])
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "de-dublin")
    file = tmp_path / "clause.json"
    file.write_text(json.dumps({"version": case["version"], "on": "2026-11-28", "reasons": "spouse in Germany"}))
    out = CliRunner().invoke(app, ["responsibility", "clause", case["id"], str(file)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["responsible_now"]["member_state"] == "DE"
    out = CliRunner().invoke(app, ["responsibility", "clause", case["id"], str(file)])
    assert out.exit_code == 2 and "already responsible" in out.output


def test_the_draft_keeps_an_earlier_application_linked_by_a_white_link_beside_a_yellow_one(
        client: TestClient, auth_headers: Headers, services: Services) -> None:
    from tests.e2e.test_registry_api import ARRIVAL
    from tests.e2e.test_responsibility_form import _registered_with_application

    person_id = _registered_with_application(client, auth_headers)  # IT, registered 2026-11-27
    el = client.post("/api/v1/registry/arrivals", headers=auth_headers("el-caseworker"), json={
        **ARRIVAL, "encounter": {"member_state": "EL", "occurred_at": "2026-07-02T06:30:00Z",
                                 "kind": "border_crossing_point_application"}}).json()
    with services.engine.begin() as conn:
        own = conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == person_id)).scalar()
        recorded = conn.execute(select(identity_records.c.recorded_on)
                                .where(identity_records.c.id == el["identity_record_id"])).scalar()
        # the same pair linked twice: verified white (the same person), then a yellow link still
        # awaiting verification (a later search), returned last
        for lid, colour, status, a, b in (("idl_b_white", "white", "verified", own, el["identity_record_id"]),
                                          ("idl_a_yellow", "yellow", "pending", el["identity_record_id"], own)):
            conn.execute(insert(identity_links).values(
                id=lid, record_id=a, linked_record_id=b, colour=colour, status=status,
                verifying_authority="IT", match_probability=0.9, basis={},
                created_at=services.clock.now(), version=1))
    draft = client.get(f"{API}/persons/{person_id}/facts", headers=auth_headers("it-dublin")).json()
    assert draft["facts"].get("earlier_applications") == [
        {"member_state": "EL", "registered_on": recorded.isoformat()}], draft
    assert any("idl_b_white" in s["source"] for s in draft["sources"])
    assert not any("awaits verification" in t for t in draft["to_check"])
