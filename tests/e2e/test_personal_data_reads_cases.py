"""Who read a person's asylum case, Dublin case or request, or return decision: the read log.

The read log (``services.reads``) recorded a person's page, a screening, an identity link and the
registry's searches, but not the other pages that show a person's data: an officer who opened an
asylum case, a Dublin case or request, or a return decision, over the web, the API or the command
line, left no trace. Each such read is now logged with the case's, request's or decision's id and
the person shown, with the state whose person they are; a refused (403) or missing (404) page logs
nothing, and a case, request or decision returned by the change that recorded it is no read.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from pactum.services.bootstrap import Services
from tests.e2e.test_personal_data_reads import Headers, Login, _cli, _reads, _register
from tests.e2e.test_responsibility_support import EXAMPLE

KEYS = ("username", "authority", "what", "channel", "record_id", "person_id", "person_member_state",
        "persons_shown")


def _got(services: Services) -> list[tuple[Any, ...]]:
    return [tuple(r[k] for k in KEYS) for r in _reads(services)]


def test_opening_an_asylum_case_logs_a_read_of_its_applicant_on_each_way_in(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    person = _register(client, auth_headers)["person_id"]
    r = client.post("/api/v1/procedures/applications", headers=auth_headers("it-caseworker"), json={
        "person_id": person, "made_on": "2026-11-26", "registered_on": "2026-11-26", "context": "in_territory"})
    assert r.status_code == 201, r.text
    case = r.json()["id"]
    assert _reads(services) == []  # the case the application returns is a change, not a read
    # refused (a Dublin officer of another state: not found; an analyst reads no case file) or missing
    assert web_client("de-caseworker").get(f"/procedures/cases/{case}").status_code == 404
    assert client.get(f"/api/v1/procedures/applications/{case}", headers=auth_headers("it-analyst")).status_code == 403
    assert client.get("/api/v1/procedures/applications/asy_nobody",
                      headers=auth_headers("it-caseworker")).status_code == 404
    assert _cli(services, "de-caseworker", "procedures", "show", case).exit_code == 2
    assert _reads(services) == []
    assert web_client("it-caseworker").get(f"/procedures/cases/{case}").status_code == 200
    assert client.get(f"/api/v1/procedures/applications/{case}", headers=auth_headers("it-dublin")).status_code == 200
    r = _cli(services, "it-return", "procedures", "show", case)
    assert r.exit_code == 0, r.stderr
    assert _got(services) == [
        ("it-caseworker", "IT", "asylum_case", "web", case, person, "IT", 1),
        ("it-dublin", "IT", "asylum_case", "api", case, person, "IT", 1),
        ("it-return", "IT", "asylum_case", "cli", case, person, "IT", 1)]
    # the auditor's page says what was read in words
    page = web_client("auditor").get("/audit/reads", params={"person_id": person}).text
    assert page.count(f'<td>asylum case <code class="ident">{case}</code></td>') == 3


def _dublin(client: TestClient, auth_headers: Headers) -> tuple[str, str, str]:
    """Germany's case of its applicant (Italy responsible, an irregular crossing), and its take
    charge request to Italy: the person, the case, the request."""
    person = _register(client, auth_headers, user="de-caseworker", ms="DE")["person_id"]
    r = client.post("/api/v1/responsibility/cases", headers=auth_headers("de-dublin"),
                    json={"reference": "DE-READ-1", "person_id": person, "facts": {
                        **EXAMPLE, "application": {"registered_in": "DE", "registered_on": "2026-11-20"}}})
    assert r.status_code == 201, r.text
    case = r.json()["id"]
    r = client.post(f"/api/v1/responsibility/cases/{case}/requests", headers=auth_headers("de-dublin"),
                    json={"kind": "take_charge", "requested_member_state": "IT"})
    assert r.status_code == 201, r.text
    return person, case, r.json()["id"]


def test_opening_a_dublin_case_logs_a_read_of_its_applicant(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    person, case, _ = _dublin(client, auth_headers)
    assert _reads(services) == []  # recording the case and sending the request read nothing
    assert web_client("fr-dublin").get(f"/responsibility/cases/{case}").status_code == 404
    assert client.get(f"/api/v1/responsibility/cases/{case}", headers=auth_headers("de-return")).status_code == 403
    assert client.get("/api/v1/responsibility/cases/dbc_nobody", headers=auth_headers("de-dublin")).status_code == 404
    assert _reads(services) == []
    assert web_client("de-dublin").get(f"/responsibility/cases/{case}").status_code == 200
    # Italy, asked on the case, reads it: the applicant is Germany's person
    assert client.get(f"/api/v1/responsibility/cases/{case}", headers=auth_headers("it-dublin")).status_code == 200
    r = _cli(services, "de-caseworker", "responsibility", "show", case)
    assert r.exit_code == 0, r.stderr
    assert _got(services) == [
        ("de-dublin", "DE", "dublin_case", "web", case, person, "DE", 1),
        ("it-dublin", "IT", "dublin_case", "api", case, person, "DE", 1),
        ("de-caseworker", "DE", "dublin_case", "cli", case, person, "DE", 1)]


def test_a_dublin_request_is_logged_as_read_of_the_applicant_by_either_state(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    person, _, request = _dublin(client, auth_headers)
    assert web_client("fr-dublin").get(f"/responsibility/requests/{request}").status_code == 404
    assert client.get(f"/api/v1/responsibility/requests/{request}",
                      headers=auth_headers("it-return")).status_code == 403
    assert _reads(services) == []
    assert web_client("it-dublin").get(f"/responsibility/requests/{request}").status_code == 200
    assert client.get(f"/api/v1/responsibility/requests/{request}",
                      headers=auth_headers("de-dublin")).status_code == 200
    assert _got(services) == [
        ("it-dublin", "IT", "dublin_request", "web", request, person, "DE", 1),
        ("de-dublin", "DE", "dublin_request", "api", request, person, "DE", 1)]
    # Germany's auditor sees that Italy's officer read its person's request; Italy's its officer's
    seen = client.get("/api/v1/audit/reads", headers=auth_headers("de-admin")).json()
    assert {(x["username"], x["what_label"]) for x in seen} == {("it-dublin", "Dublin request"),
                                                                 ("de-dublin", "Dublin request")}
    seen = client.get("/api/v1/audit/reads", headers=auth_headers("it-admin")).json()
    assert [x["username"] for x in seen] == ["it-dublin"]


def test_opening_a_return_decision_logs_a_read_of_its_person(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    person = _register(client, auth_headers, user="de-caseworker", ms="DE")["person_id"]
    h = auth_headers("de-return")
    r = client.post("/api/v1/returns/decisions", headers=h, json={"person_id": person, "issued_on": "2026-11-25"})
    assert r.status_code == 201, r.text
    decision = r.json()["id"]
    r = client.patch(f"/api/v1/returns/decisions/{decision}/facts", headers=h,
                     json={"version": r.json()["version"], "fit_to_travel": True})
    assert r.status_code == 200, r.text
    assert _reads(services) == []  # issuing the decision and changing its facts read nothing
    assert web_client("it-return").get(f"/returns/decisions/{decision}").status_code == 404
    assert client.get(f"/api/v1/returns/decisions/{decision}", headers=auth_headers("de-dublin")).status_code == 403
    assert client.get("/api/v1/returns/decisions/rtd_nobody", headers=h).status_code == 404
    assert _reads(services) == []
    assert web_client("de-return").get(f"/returns/decisions/{decision}").status_code == 200
    assert client.get(f"/api/v1/returns/decisions/{decision}", headers=auth_headers("de-caseworker")).status_code == 200
    r = _cli(services, "de-return", "returns", "show", decision)
    assert r.exit_code == 0, r.stderr
    assert _got(services) == [
        ("de-return", "DE", "return_decision", "web", decision, person, "DE", 1),
        ("de-caseworker", "DE", "return_decision", "api", decision, person, "DE", 1),
        ("de-return", "DE", "return_decision", "cli", decision, person, "DE", 1)]
