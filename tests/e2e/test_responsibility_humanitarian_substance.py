"""The humanitarian clause lies only before a first decision on the substance.

Dublin III Art 17(2) and AMMR Art 35(2) let a state ask another to take charge of an applicant on
humanitarian grounds "at any time before a first decision regarding the substance is taken". A
humanitarian-clause request was accepted whenever it was sent, also after the requesting state had
granted or refused protection on the merits. It is now refused (422 on ``kind``, CLI exit 2 with
one line, the case page's form saying why beside the field) once the asylum case of the person in
the requesting state has a decision on the substance (refugee status, subsidiary protection, a
rejection as unfounded or manifestly unfounded) approved at first instance; a rejection as
inadmissible is no decision on the substance. The refusal names the decision, its day and the
article of the case's regime, and writes nothing. It names the asylum case by its short reference
(``DE-2026-000001``), as officers read it out, no longer by its id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.common.errors import ValidationProblem
from pactum.responsibility.schemas import RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.store.tables.platform import audit_log
from pactum.store.tables.responsibility import dublin_request_events, dublin_requests

Headers = Callable[[str], dict[str, str]]
Login = Callable[[str], TestClient]
Who = Callable[[str], Principal]

D3_17_2 = "Regulation (EU) No 604/2013, Article 17(2)"
AMMR_35_2 = "Regulation (EU) 2024/1351, Article 35(2)"
DUBLIN_III = {"made_on": "2026-05-10", "registered_on": "2026-05-12", "interview": "2026-05-20",
              "decided_on": "2026-06-15"}
AMMR = {"made_on": "2026-09-01", "registered_on": "2026-09-01", "interview": "2026-09-10",
        "decided_on": "2026-10-15"}


def _ok(r: Any, code: int = 200) -> dict[str, Any]:
    assert r.status_code == code, r.text
    return dict(r.json())


def _person(client: TestClient, auth_headers: Headers, surname: str, on: str) -> str:
    body = {"identity": {"given_names": "Adel", "surname": surname, "sex": "M", "date_of_birth": "2001-05-03",
                         "nationality": "SYR", "documents": []},
            "encounter": {"member_state": "DE", "occurred_at": f"{on}T08:00:00Z",
                          "kind": "in_territory_application", "place": "Munich"}}
    return str(_ok(client.post("/api/v1/registry/arrivals", json=body, headers=auth_headers("de-caseworker")),
                   201)["person_id"])


def _act(client: TestClient, auth_headers: Headers, user: str, case: dict[str, Any], action: str,
         **fields: Any) -> dict[str, Any]:
    return _ok(client.post(f"/api/v1/procedures/applications/{case['id']}/actions", headers=auth_headers(user),
                           json={"action": action, "version": case["version"], **fields}))


def _asylum_case(client: TestClient, auth_headers: Headers, person: str, days: dict[str, str],
                 outcome: str | None, **decision: Any) -> dict[str, Any]:
    """Germany's asylum case of the person, interviewed; with ``outcome``, decided at first
    instance (drafted, then approved by the second-level reviewer on ``decided_on``)."""
    case = _ok(client.post("/api/v1/procedures/applications", headers=auth_headers("de-caseworker"), json={
        "person_id": person, "made_on": days["made_on"], "registered_on": days["registered_on"],
        "context": "in_territory"}), 201)
    case = _act(client, auth_headers, "de-caseworker", case, "lodge", lodged_on=days["registered_on"])
    case = _act(client, auth_headers, "de-caseworker", case, "schedule_interview", interview_on=days["interview"],
                language="Arabic")
    case = _act(client, auth_headers, "de-caseworker", case, "hold_interview", held_on=days["interview"],
                interpreter_language="Arabic")
    if outcome is None:
        return case
    case = _act(client, auth_headers, "de-caseworker", case, "draft_decision", outcome=outcome,
                reasons="The account was examined in full.", **decision)
    case = _act(client, auth_headers, "de-caseworker", case, "submit_for_review")
    return _act(client, auth_headers, "de-reviewer", case, "approve", decided_on=days["decided_on"])


def _dublin_case(client: TestClient, auth_headers: Headers, person: str, reference: str,
                 registered_on: str) -> dict[str, Any]:
    """Germany's Dublin case of the person's application (Italy responsible: an irregular entry)."""
    facts = {"application": {"registered_in": "DE", "registered_on": registered_on},
             "applicant": {"date_of_birth": "2001-05-03", "unaccompanied_minor": False},
             "family_members": [], "documents": [], "diplomas": [],
             "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-03-01"}],
             "stays": [], "relocated_to": None, "security_threat": False}
    return _ok(client.post("/api/v1/responsibility/cases", headers=auth_headers("de-dublin"),
                           json={"reference": reference, "person_id": person, "facts": facts}), 201)


def _decided(client: TestClient, auth_headers: Headers, days: dict[str, str], surname: str,
             outcome: str = "rejected_unfounded", **decision: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """An asylum case decided at first instance, then the Dublin case of its application."""
    person = _person(client, auth_headers, surname, days["made_on"])
    asylum = _asylum_case(client, auth_headers, person, days, outcome, **decision)
    return asylum, _dublin_case(client, auth_headers, person, f"DE-HUM-{surname}", days["registered_on"])


HUMANITARIAN = {"kind": "humanitarian", "requested_member_state": "AT", "consented_in_writing_on": "2026-09-01",
                "evidence": [{"kind": "other", "description": "The applicant's brother lives in Vienna"}]}


def _written(services: Services) -> tuple[int, int, int]:
    with services.engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()  # type: ignore[return-value]
                     for t in (dublin_requests, dublin_request_events, audit_log))


# ------------------------------------------------------------------ before the decision


def test_a_humanitarian_request_before_a_first_decision_is_sent(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    person = _person(client, auth_headers, "Before", DUBLIN_III["made_on"])
    asylum = _asylum_case(client, auth_headers, person, DUBLIN_III, None)  # interviewed, not decided
    case = _dublin_case(client, auth_headers, person, "DE-HUM-1", DUBLIN_III["registered_on"])
    # the case page offers the clause
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    assert '<option value="humanitarian"' in page and 'id="humanitarian-barred"' not in page
    shown = _ok(client.get(f"/api/v1/responsibility/cases/{case['id']}", headers=auth_headers("de-dublin")))
    assert shown["asylum_case"]["id"] == asylum["id"] and shown["asylum_case"]["substance_decision"] is None
    sent = _ok(client.post(f"/api/v1/responsibility/cases/{case['id']}/requests", headers=auth_headers("de-dublin"),
                           json=HUMANITARIAN), 201)
    assert sent["kind"] == "humanitarian" and sent["requested_member_state"] == "AT" and sent["status"] == "pending"


def test_an_inadmissibility_decision_is_not_on_the_substance(
        client: TestClient, auth_headers: Headers) -> None:
    asylum, case = _decided(client, auth_headers, AMMR, "Inadmissible", outcome="inadmissible",
                            inadmissibility_ground="first_country_of_asylum")
    assert asylum["state"] == "decided" and asylum["outcome"] == "inadmissible"
    shown = _ok(client.get(f"/api/v1/responsibility/cases/{case['id']}", headers=auth_headers("de-dublin")))
    assert shown["asylum_case"]["substance_decision"] is None
    _ok(client.post(f"/api/v1/responsibility/cases/{case['id']}/requests", headers=auth_headers("de-dublin"),
                    json=HUMANITARIAN), 201)


# ------------------------------------------------------------------ after the decision


def test_the_service_refuses_it_after_a_first_decision_on_the_substance_and_writes_nothing(
        client: TestClient, auth_headers: Headers, services: Services, principal: Who) -> None:
    asylum, case = _decided(client, auth_headers, DUBLIN_III, "Service")
    before = _written(services)
    try:
        responsibility.send_request(services, principal("de-dublin"), case["id"],
                                    RequestCreate.model_validate(HUMANITARIAN))
    except ValidationProblem as exc:
        [(field, message)] = exc.problems
    else:
        raise AssertionError("a humanitarian-clause request after a decision on the substance was sent")
    assert field == "kind"
    assert message == (
        "a humanitarian-clause request may be made only before a first decision regarding the substance is "
        f"taken ({D3_17_2}): DE took one on 2026-06-15, asylum case {asylum['reference']}: rejected as unfounded")
    assert _written(services) == before  # no request, no timeline event, no audit entry


def test_under_dublin_iii_the_api_refuses_it_citing_article_17_2(
        client: TestClient, auth_headers: Headers, services: Services) -> None:
    asylum, case = _decided(client, auth_headers, DUBLIN_III, "Granted", outcome="refugee_status")
    assert case["determination"]["regime"] == "dublin_iii"
    shown = _ok(client.get(f"/api/v1/responsibility/cases/{case['id']}", headers=auth_headers("de-dublin")))
    assert shown["asylum_case"]["substance_decision"] == {
        "outcome": "refugee_status", "outcome_label": "refugee status granted", "decided_on": "2026-06-15"}
    h = auth_headers("de-dublin")  # opening a session is audited: before counting
    before = _written(services)
    r = client.post(f"/api/v1/responsibility/cases/{case['id']}/requests", headers=h, json=HUMANITARIAN)
    assert r.status_code == 422, r.text
    [problem] = r.json()["detail"]
    assert problem["loc"] == ["body", "kind"]
    assert D3_17_2 in problem["msg"] and AMMR_35_2 not in problem["msg"]
    assert f"took one on 2026-06-15, asylum case {asylum['reference']}: refugee status granted" in problem["msg"]
    assert _written(services) == before
    # a take charge is still the unit's to send (nothing notified: the decision was not)
    assert shown["asylum_case"]["notified_on"] is None


def test_under_the_ammr_the_api_refuses_it_citing_article_35_2(
        client: TestClient, auth_headers: Headers, services: Services) -> None:
    asylum, case = _decided(client, auth_headers, AMMR, "Unfounded")
    assert case["determination"]["regime"] == "ammr"
    h = auth_headers("de-dublin")  # opening a session is audited: before counting
    before = _written(services)
    r = client.post(f"/api/v1/responsibility/cases/{case['id']}/requests", headers=h, json=HUMANITARIAN)
    assert r.status_code == 422, r.text
    [problem] = r.json()["detail"]
    assert problem["loc"] == ["body", "kind"]
    assert AMMR_35_2 in problem["msg"] and D3_17_2 not in problem["msg"]
    assert f"took one on 2026-10-15, asylum case {asylum['reference']}: rejected as unfounded" in problem["msg"]
    assert _written(services) == before


def test_the_cli_refuses_it_with_one_line_and_exit_2(
        client: TestClient, auth_headers: Headers, services: Services, tmp_path: Path) -> None:
    _, case = _decided(client, auth_headers, AMMR, "Cli", outcome="subsidiary_protection")
    body = tmp_path / "humanitarian.json"
    body.write_text(json.dumps(HUMANITARIAN))
    before = _written(services)
    r = CliRunner().invoke(app, ["responsibility", "request", case["id"], str(body)],
                           env={"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "de-dublin"})
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "kind" in lines[0] and AMMR_35_2 in lines[0] and "subsidiary protection granted" in lines[0]
    assert _written(services) == before


def test_the_case_page_does_not_offer_the_clause_and_says_why_beside_the_field(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    asylum, case = _decided(client, auth_headers, DUBLIN_III, "Web")
    web = web_client("de-dublin")
    page = web.get(f"/responsibility/cases/{case['id']}").text
    assert '<option value="humanitarian"' not in page
    note = page.split('id="humanitarian-barred"', 1)[1].split("</p>", 1)[0]
    assert D3_17_2 in note and "2026-06-15" in note and asylum["reference"] in note
    # a form sent anyway (the page was opened before the decision) is refused beside the field
    before = _written(services)
    r = web.post(f"/responsibility/cases/{case['id']}/requests",
                 data={"kind": "humanitarian", "requested_member_state": "AT",
                       "evidence[0].kind": "other", "evidence[0].description": "A brother in Vienna"})
    assert r.status_code == 422
    label = r.text.split("<label>Kind", 1)[1].split("</label>", 1)[0]
    assert 'aria-invalid="true"' in label and 'class="error field-error"' in label
    assert "Kind: a humanitarian-clause request may be made only before a first decision" in label
    assert D3_17_2 in label and "rejected as unfounded" in label
    assert _written(services) == before


def test_a_first_decision_annulled_on_appeal_and_sent_back_was_still_taken(
        client: TestClient, auth_headers: Headers) -> None:
    person = _person(client, auth_headers, "Remitted", AMMR["made_on"])
    asylum = _asylum_case(client, auth_headers, person, AMMR, "rejected_unfounded")
    asylum = _act(client, auth_headers, "de-caseworker", asylum, "notify", notified_on="2026-10-16")
    asylum = _act(client, auth_headers, "de-caseworker", asylum, "lodge_appeal", lodged_on="2026-10-20")
    asylum = _act(client, auth_headers, "de-caseworker", asylum, "decide_appeal", outcome="remitted",
                  decided_on="2026-11-10")
    assert asylum["state"] == "lodged" and asylum["outcome"] is None and asylum["decided_on"] is None
    case = _dublin_case(client, auth_headers, person, "DE-HUM-REMITTED", AMMR["registered_on"])
    r = client.post(f"/api/v1/responsibility/cases/{case['id']}/requests", headers=auth_headers("de-dublin"),
                    json=HUMANITARIAN)
    assert r.status_code == 422, r.text
    [problem] = r.json()["detail"]
    assert problem["loc"] == ["body", "kind"]
    assert f"took one on 2026-10-15, asylum case {asylum['reference']}: rejected as unfounded" in problem["msg"]
