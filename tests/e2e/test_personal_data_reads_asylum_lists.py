"""Who saw which applicants in the lists of asylum cases: the read log of the queues.

Opening one asylum case was logged, but the queue that names every applicant of a state's open
cases (the page, its CSV, the API, the CLI), the caseworker's home page that lists the cases due
and the drafts, the API's applications of a person and the application form that names the
applications of a person linked to the applicant left no trace. Each such answer is now one read
of the kind "list of asylum cases", with a row for each applicant it showed (the page shown, not
the total the filters select), the state whose person they are, the way in, and which filters
were given (never their values). A refused list, a list that showed nobody and the platform's own
reads log nothing; the person's page, already logged as such, is not logged twice.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from pactum.api.app import create_app
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.store.tables.identity import identity_links
from tests.e2e.test_personal_data_reads import Headers, Login, _cli, _reads, _register, break_read_log

API = "/api/v1/procedures/applications"
QUEUE = "/api/v1/procedures/queue"


def _case(client: TestClient, auth_headers: Headers, surname: str, made_on: str = "2026-11-26",
          user: str = "it-caseworker", ms: str = "IT") -> tuple[str, dict[str, Any]]:
    """A person registered by ``user``'s state and their application, not registered yet (its
    registration deadline falls within the week): the person's id and the case."""
    person = _register(client, auth_headers, surname=surname, user=user, ms=ms)["person_id"]
    r = client.post(API, headers=auth_headers(user), json={"person_id": person, "made_on": made_on,
                                                           "context": "in_territory"})
    assert r.status_code == 201, r.text
    return person, dict(r.json())


def _lists(services: Services) -> list[dict[str, Any]]:
    return [r for r in _reads(services) if r["what"] == "asylum_case_list"]


def _answers(services: Services) -> list[tuple[Any, ...]]:
    """Each logged list as one answer, in the order read: who, their authority, the way in, the
    criteria given, and whom it showed (each with the state whose person they are)."""
    by_read: dict[str, list[dict[str, Any]]] = {}
    for r in _lists(services):
        by_read.setdefault(r["read_id"], []).append(r)
    out = []
    for rows in by_read.values():
        first = rows[0]
        assert {r["persons_shown"] for r in rows} == {len(rows)}
        assert {r["record_id"] for r in rows} == {None}
        out.append((first["username"], first["authority"], first["channel"], first["criteria"],
                    sorted((r["person_id"], r["person_member_state"]) for r in rows)))
    return out


@pytest.fixture
def two(client: TestClient, auth_headers: Headers) -> dict[str, Any]:
    """Two Italian applicants (the first's deadline the nearer) and a German one."""
    a, case_a = _case(client, auth_headers, "Othman", made_on="2026-11-25")
    b, case_b = _case(client, auth_headers, "Haddad", made_on="2026-11-26")
    de, _ = _case(client, auth_headers, "Weber", user="de-caseworker", ms="DE")
    return {"a": a, "b": b, "de": de, "case_a": case_a, "case_b": case_b}


def test_the_queue_logs_the_applicants_it_showed_on_each_way_in(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services,
        two: dict[str, Any]) -> None:
    a, b = two["a"], two["b"]
    assert _reads(services) == []  # registering and applying are changes (audited), not reads
    page = web_client("it-caseworker").get("/procedures")
    assert page.status_code == 200 and "Othman" in page.text and "Haddad" in page.text
    r = client.get(QUEUE, params={"limit": 1}, headers=auth_headers("it-dublin"))
    assert r.status_code == 200 and r.headers["X-Total-Count"] == "2"
    assert [x["person_id"] for x in r.json()] == [a]  # the page shown, not the total
    r = client.get(f"{QUEUE}.csv", params={"nationality": "tun"}, headers=auth_headers("it-return"))
    assert r.status_code == 200 and len(list(csv.DictReader(io.StringIO(r.text)))) == 2
    state = two["case_a"]["state"]
    r = web_client("it-caseworker").get("/procedures/queue.csv", params={"state": state, "overdue": "false"})
    assert r.status_code == 200 and "Othman" in r.text
    r = _cli(services, "it-caseworker", "procedures", "queue", "--offset", "1")
    assert r.exit_code == 0, r.stderr
    assert [x["person_id"] for x in json.loads(r.stdout)] == [b]
    r = _cli(services, "it-caseworker", "procedures", "queue", "--format", "csv", "--mine", "--limit", "1")
    assert r.exit_code == 0, r.stderr
    both = sorted([(a, "IT"), (b, "IT")])
    assert _answers(services) == [
        ("it-caseworker", "IT", "web", None, both),
        ("it-dublin", "IT", "api", None, [(a, "IT")]),
        ("it-return", "IT", "api", "nationality", both),
        ("it-caseworker", "IT", "web", "state", both),
        ("it-caseworker", "IT", "cli", None, [(b, "IT")]),
        ("it-caseworker", "IT", "cli", "assigned to me", [(a, "IT")]),
    ]
    # what was typed is never kept: the nationality, the state
    assert not any(v in str(r["criteria"]) for r in _lists(services) for v in ("TUN", "tun", state))
    # the German applicant was never shown to Italy's officers
    assert two["de"] not in {r["person_id"] for r in _reads(services)}
    # the auditor reads each of them
    r = client.get("/api/v1/audit/reads", params={"person_id": a}, headers=auth_headers("auditor"))
    assert r.status_code == 200, r.text
    seen = [(x["what"], x["channel"], x["username"]) for x in r.json()]
    assert ("asylum_case_list", "api", "it-dublin") in seen and len(seen) == 5


def test_a_refused_or_empty_list_logs_nothing(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services,
        two: dict[str, Any]) -> None:
    # an analyst reads no case file (403); an unknown nationality, procedure or limit (422)
    assert client.get(QUEUE, headers=auth_headers("it-analyst")).status_code == 403
    assert web_client("it-analyst").get("/procedures").status_code == 403
    assert client.get(QUEUE, params={"nationality": "ZZZ"}, headers=auth_headers("it-caseworker")).status_code == 422
    assert client.get(f"{QUEUE}.csv", params={"procedure": "fast"},
                      headers=auth_headers("it-caseworker")).status_code == 422
    assert _cli(services, "it-caseworker", "procedures", "queue", "--limit", "0").exit_code == 2
    assert client.get(API, params={"person_id": two["a"]}, headers=auth_headers("it-analyst")).status_code == 403
    # lists that showed nobody: nothing overdue, nobody's cases assigned to the return officer,
    # another state's person
    assert client.get(QUEUE, params={"overdue": True}, headers=auth_headers("it-caseworker")).json() == []
    assert client.get(QUEUE, params={"mine": True}, headers=auth_headers("it-return")).json() == []
    assert client.get(API, params={"person_id": two["de"]}, headers=auth_headers("it-caseworker")).json() == []
    assert _cli(services, "it-caseworker", "procedures", "queue", "--nationality", "SYR").exit_code == 0
    assert _lists(services) == []
    # Germany's officer sees Germany's applicant only
    page = web_client("de-caseworker").get("/procedures")
    assert page.status_code == 200 and "Othman" not in page.text and "Weber" in page.text
    assert [(r["username"], r["person_id"], r["person_member_state"]) for r in _lists(services)] == [
        ("de-caseworker", two["de"], "DE")]


def test_the_platforms_own_reads_log_nothing(services: Services, two: dict[str, Any],
                                             principal: Callable[[str], Principal]) -> None:
    from pactum.services import procedures

    cw = principal("it-caseworker")
    assert len(procedures.queue(services, cw)) == 2
    assert procedures.queue_page(services, cw)["total"] == 2
    assert "Othman" in procedures.queue_csv(services, cw)
    assert procedures.cases_due(services, cw, within_days=7, shown=10, limit=100)["next_step"]["total"] == 2
    procedures.draft_work(services, cw)
    assert len(procedures.applications_of_person(services, cw, two["a"])) == 1
    assert _reads(services) == []


def test_the_api_applications_of_a_person_are_logged_the_person_page_once(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services,
        two: dict[str, Any]) -> None:
    a = two["a"]
    r = client.get(API, params={"person_id": a}, headers=auth_headers("it-dublin"))
    assert r.status_code == 200 and [x["id"] for x in r.json()] == [two["case_a"]["id"]]
    assert _answers(services) == [("it-dublin", "IT", "api", "person", [(a, "IT")])]
    # the person's page lists the person's applications: part of the page's read, not a list's (the
    # page logs the linked identities it shows apart, as person_links)
    page = web_client("it-caseworker").get(f"/registry/persons/{a}")
    assert page.status_code == 200 and two["case_a"]["id"] in page.text
    web_reads = [(x["what"], x["channel"]) for x in _reads(services)
                 if x["username"] == "it-caseworker" and x["what"] != "person_links"]
    assert web_reads == [("person_page", "web")]


def test_the_caseworkers_home_page_logs_the_applicants_it_lists(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services,
        two: dict[str, Any]) -> None:
    a, b = two["a"], two["b"]
    page = web_client("it-caseworker").get("/")
    assert page.status_code == 200 and "Othman" in page.text and "Haddad" in page.text
    assert _answers(services) == [("it-caseworker", "IT", "web", "next deadline due",
                                   sorted([(a, "IT"), (b, "IT")]))]
    # a user whose home page lists no case (a return officer) logs nothing of these lists
    assert web_client("it-return").get("/").status_code == 200
    assert len(_answers(services)) == 1


def test_a_draft_on_the_reviewers_home_page_is_logged(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    cw = auth_headers("it-caseworker")
    person = _register(client, auth_headers, surname="Mansour")["person_id"]
    r = client.post(API, headers=cw, json={"person_id": person, "made_on": "2026-11-20",
                                           "registered_on": "2026-11-20", "context": "sar_disembarkation"})
    assert r.status_code == 201, r.text
    case = r.json()
    steps = [("lodge", {"lodged_on": "2026-11-24"}),
             ("schedule_interview", {"interview_on": "2026-11-26", "language": "Arabic"}),
             ("hold_interview", {"held_on": "2026-11-26", "interpreter_language": "Arabic"}),
             ("draft_decision", {"outcome": "rejected_unfounded", "reasons": "no persecution shown"}),
             ("submit_for_review", {})]
    for action, fields in steps:
        r = client.post(f"{API}/{case['id']}/actions", headers=cw,
                        json={"action": action, "version": case["version"], **fields})
        assert r.status_code == 200, r.text
        case = r.json()
    assert _reads(services) == []
    page = web_client("it-reviewer").get("/")
    assert page.status_code == 200 and "Adel Mansour" in page.text
    assert ("it-reviewer", "IT", "web", "drafts returned or to review", [(person, "IT")]) in _answers(services)


def test_the_application_form_logs_the_linked_persons_it_names(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    old = _register(client, auth_headers, surname="Othman")
    new = _register(client, auth_headers, surname="Otman")
    r = client.post(API, headers=auth_headers("it-caseworker"), json={
        "person_id": old["person_id"], "made_on": "2026-11-26", "context": "in_territory"})
    assert r.status_code == 201, r.text
    case, reference = r.json()["id"], r.json()["reference"]
    with services.engine.begin() as conn:  # a yellow link joins the two records, to be verified
        conn.execute(insert(identity_links).values(
            id="idl_lists_1", record_id=new["identity_record_id"], linked_record_id=old["identity_record_id"],
            colour="yellow", status="pending", verifying_authority="IT", match_probability=0.9,
            basis={"component": "national", "explanation": {}}, created_at=services.clock.now(), version=1))
    page = web_client("it-caseworker").get("/procedures/new", params={"person_id": new["person_id"]})
    assert page.status_code == 200 and case in page.text
    assert _answers(services) == [("it-caseworker", "IT", "web", "linked to person", [(old["person_id"], "IT")])]
    # making the application names it too, in the answer to a change: no read
    r = client.post(API, headers=auth_headers("it-caseworker"), json={
        "person_id": new["person_id"], "made_on": "2026-11-28", "context": "in_territory"})
    assert r.status_code == 201 and any(reference in w for w in r.json()["warnings"])
    assert len(_answers(services)) == 1


def test_a_list_whose_log_cannot_be_written_fails_and_hands_out_nobody(
        auth_headers: Headers, services: Services, two: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    break_read_log(monkeypatch)
    with TestClient(create_app(services), raise_server_exceptions=False) as c:
        for url in (QUEUE, f"{QUEUE}.csv"):
            r = c.get(url, headers=auth_headers("it-caseworker"))
            assert r.status_code == 500 and "Othman" not in r.text



def test_the_border_procedure_pipeline_logs_the_applicants_of_its_cases(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    person = _register(client, auth_headers, surname="Saleh")["person_id"]
    r = client.post(API, headers=auth_headers("it-caseworker"), json={
        "person_id": person, "made_on": "2026-11-21", "registered_on": "2026-11-21",
        "context": "sar_disembarkation"})
    assert r.status_code == 201 and r.json()["procedure"] == "border", r.text
    case = r.json()["id"]
    r = client.get("/api/v1/procedures/border-pipeline", headers=auth_headers("it-caseworker"))
    assert r.status_code == 200 and [c["id"] for c in r.json()["cases"]] == [case]
    page = web_client("it-caseworker").get("/procedures/border")
    assert page.status_code == 200 and case in page.text
    assert _answers(services) == [("it-caseworker", "IT", "api", "procedure", [(person, "IT")]),
                                  ("it-caseworker", "IT", "web", "procedure", [(person, "IT")])]
    # the analyst's border page shows capacity and refusals, no case: nothing logged
    assert web_client("it-analyst").get("/procedures/border").status_code == 200
    assert len(_answers(services)) == 2


@pytest.mark.postgres
def test_the_queue_read_on_postgresql_logs_its_applicants(pg_services: Services) -> None:
    """On PostgreSQL the queue page reads the driver's plain tuples: the log takes the persons
    from them, in the same transaction, and a page that showed nobody logs nothing."""
    from datetime import date

    from pactum.services import procedures
    from pactum.services.procedures import ApplicationCreate
    from tests.e2e.test_procedures_postgres import person, who

    s = pg_services
    cw = who(s, "it-caseworker")
    people = [person(s, cw, surname, "ERI", "2026-11-20T06:00:00+00:00") for surname in ("Haile", "Tesfay")]
    for p in people:
        procedures.create_application(s, cw, ApplicationCreate(person_id=p, made_on=date(2026, 11, 25),
                                                               context="in_territory"))
    page = procedures.queue_page(s, cw, limit=1, channel="web")
    assert page["total"] == 2 and len(page["rows"]) == 1
    assert procedures.queue_page(s, cw, overdue=True, channel="api")["rows"] == []
    assert "Tesfay" in procedures.queue_csv(s, cw, channel="cli")
    assert _answers(s) == [("it-caseworker", "IT", "web", None, [(page["rows"][0][1], "IT")]),
                           ("it-caseworker", "IT", "cli", None, sorted((p, "IT") for p in people))]
