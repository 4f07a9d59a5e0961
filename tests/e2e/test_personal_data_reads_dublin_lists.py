"""Who read the Dublin lists: the list of Dublin cases, the inbox and the outbox, on the read log.

A Dublin case or request opened was logged, but the lists that show the applicants' names (the
cases a state recorded, the requests in its inbox and outbox, their CSV files) left no trace. Each
page, API answer, CLI listing or CSV file that shows applicants is now one read of the persons it
showed (this page's, not the whole list's), each as the person of the state that recorded the
case, as the read of a single request logs it, with the filters given named, never their values.
A refused list, an empty one and an internal read (a service's own, a person's page listing the
person's cases) log nothing; a log that cannot be written fails the list.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from pactum.api.app import create_app
from pactum.services import responsibility
from pactum.services.bootstrap import Services
from tests.e2e.test_personal_data_reads import Headers, Login, _cli, _reads, _register, break_read_log
from tests.e2e.test_responsibility_support import EXAMPLE

KEYS = ("username", "authority", "what", "channel", "record_id", "criteria", "person_id", "person_member_state",
        "persons_shown")


def _got(services: Services) -> list[tuple[Any, ...]]:
    return [tuple(r[k] for k in KEYS) for r in _reads(services)]


def request_for_new_applicant(client: TestClient, auth_headers: Headers, surname: str, reference: str,
                              **body: Any) -> tuple[str, str]:
    """A German applicant registered, a Dublin case of theirs (Italy responsible, an irregular
    crossing) and a take charge request to Italy (``body`` adds to it): the person and the case."""
    person = _register(client, auth_headers, surname=surname, user="de-caseworker", ms="DE")["person_id"]
    r = client.post("/api/v1/responsibility/cases", headers=auth_headers("de-dublin"), json={
        "reference": reference, "person_id": person,
        "facts": {**EXAMPLE, "application": {"registered_in": "DE", "registered_on": "2026-11-20"}}})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/responsibility/cases/{r.json()['id']}/requests", headers=auth_headers("de-dublin"),
                    json={"kind": "take_charge", "requested_member_state": "IT", **body})
    assert r.status_code == 201, r.text
    return person, r.json()["case_id"]


def _world(client: TestClient, auth_headers: Headers) -> tuple[str, str, str]:
    """Germany's two cases of its applicants (Italy responsible, an irregular crossing), with a take
    charge request to Italy on each, and a third case recorded without a registry person (no
    request): the two persons and the first case."""
    persons, cases = [], []
    for n, surname in enumerate(("Othman", "Haddad"), start=1):
        person, case = request_for_new_applicant(client, auth_headers, surname, f"DE-LIST-{n}")
        persons.append(person)
        cases.append(case)
    r = client.post("/api/v1/responsibility/cases", headers=auth_headers("de-dublin"), json={
        "reference": "DE-LIST-NOBODY", "applicant_name": "Unregistered Applicant",
        "facts": {**EXAMPLE, "application": {"registered_in": "DE", "registered_on": "2026-11-20"}}})
    assert r.status_code == 201, r.text
    return persons[0], persons[1], cases[0]


def test_the_list_of_dublin_cases_logs_the_applicants_of_the_page_shown(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    a, b, _ = _world(client, auth_headers)
    assert _reads(services) == []  # recording cases and sending requests read nothing
    # refused (an analyst reads no case file; a page beyond the bound) and empty (France has none)
    assert client.get("/api/v1/responsibility/cases", headers=auth_headers("de-analyst")).status_code == 403
    assert client.get("/api/v1/responsibility/cases", params={"limit": 0},
                      headers=auth_headers("de-dublin")).status_code == 422
    r = client.get("/api/v1/responsibility/cases", headers=auth_headers("fr-dublin"))
    assert r.status_code == 200 and r.json() == []
    assert web_client("fr-dublin").get("/responsibility/cases").status_code == 200
    # internal: a service reading the list, and the person's page listing the person's cases
    responsibility.cases_page(services, _principal(services, "de-dublin"))
    assert _reads(services) == []
    assert web_client("de-dublin").get(f"/registry/persons/{a}").status_code == 200
    assert [r["what"] for r in _reads(services)] == ["person_page"]
    before = len(_reads(services))
    assert web_client("de-dublin").get("/responsibility/cases").status_code == 200
    r = client.get("/api/v1/responsibility/cases", params={"person_id": b}, headers=auth_headers("de-caseworker"))
    assert r.status_code == 200 and [c["person_id"] for c in r.json()] == [b]
    # one page of one case: the other applicant is not on it
    r = client.get("/api/v1/responsibility/cases", params={"limit": 1}, headers=auth_headers("de-dublin"))
    assert r.status_code == 200 and r.headers["X-Total-Count"] == "3"
    [shown] = [c for c in r.json()]
    got = _got(services)[before:]
    assert sorted(got[:2]) == sorted([
        ("de-dublin", "DE", "dublin_case_list", "web", None, None, a, "DE", 2),
        ("de-dublin", "DE", "dublin_case_list", "web", None, None, b, "DE", 2)])  # not the case without a person
    assert got[2] == ("de-caseworker", "DE", "dublin_case_list", "api", None, "person id", b, "DE", 1)
    # the newest case is the one recorded without a registry person: a page that shows nobody
    assert shown["reference"] == "DE-LIST-NOBODY" and shown["person_id"] is None
    assert got[3:] == []
    # the auditor reads them, in words
    seen = client.get("/api/v1/audit/reads", params={"person_id": b}, headers=auth_headers("auditor")).json()
    assert {x["what_label"] for x in seen} == {"list of Dublin cases"}


def _principal(services: Services, username: str) -> Any:
    from tests.conftest import principal_of

    return principal_of(services, username)


def test_the_inbox_and_outbox_log_the_applicants_as_the_requesting_states_persons(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    a, b, _ = _world(client, auth_headers)
    # refused: a role that reads no request, a filter that is not one; empty: France's inbox
    assert client.get("/api/v1/responsibility/inbox", headers=auth_headers("it-analyst")).status_code == 403
    assert client.get("/api/v1/responsibility/inbox", params={"status": "lost"},
                      headers=auth_headers("it-dublin")).status_code == 422
    assert client.get("/api/v1/responsibility/inbox.csv", params={"kind": "lost"},
                      headers=auth_headers("it-dublin")).status_code == 422
    assert _cli(services, "it-analyst", "responsibility", "inbox").exit_code == 2
    assert client.get("/api/v1/responsibility/inbox", headers=auth_headers("fr-dublin")).json() == []
    assert _cli(services, "fr-dublin", "responsibility", "inbox", "--format", "csv").exit_code == 0
    # an internal read (a service's own) logs nothing
    responsibility.queue_page(services, _principal(services, "it-dublin"), "inbox")
    responsibility.queue_csv(services, _principal(services, "it-dublin"), "inbox")
    assert _reads(services) == []
    # Italy's inbox: Germany's applicants, on each way in
    assert web_client("it-dublin").get("/responsibility/inbox").status_code == 200
    assert client.get("/api/v1/responsibility/inbox", params={"kind": "take_charge"},
                      headers=auth_headers("it-dublin")).status_code == 200
    r = _cli(services, "it-dublin", "responsibility", "inbox", "--all")
    assert r.exit_code == 0, r.stderr
    # Germany's outbox, one page of one request, and its CSV files (every page: one read)
    r = client.get("/api/v1/responsibility/outbox", params={"limit": 1}, headers=auth_headers("de-dublin"))
    assert r.status_code == 200 and r.headers["X-Total-Count"] == "2"
    [first] = r.json()
    first_person = a if first["case_reference"] == "DE-LIST-1" else b
    assert web_client("de-dublin").get("/responsibility/outbox.csv", params={"status": "pending"}).status_code == 200
    assert client.get("/api/v1/responsibility/outbox.csv", headers=auth_headers("de-dublin")).status_code == 200
    r = _cli(services, "de-dublin", "responsibility", "outbox", "--format", "csv", "--kind", "take_charge")
    assert r.exit_code == 0, r.stderr
    rows = _reads(services)
    reads_made = sorted((r["username"], r["channel"], r["criteria"] or "") for r in rows if r["person_id"] == a)
    assert reads_made == sorted([("it-dublin", "web", ""), ("it-dublin", "api", "kind"),
                                 ("it-dublin", "cli", "include closed")] + (
        [("de-dublin", "api", "")] if first_person == a else []) + [
        ("de-dublin", "web", "status"), ("de-dublin", "api", ""), ("de-dublin", "cli", "kind")])
    assert {(r["what"], r["person_member_state"], r["record_id"]) for r in rows} == {
        ("dublin_request_list", "DE", None)}
    by_read: dict[str, set[str]] = {}
    for r in rows:
        by_read.setdefault(r["read_id"], set()).add(r["person_id"])
    # seven lists and files: each of both applicants, but the page of one request
    assert sorted(len(p) for p in by_read.values()) == [1, 2, 2, 2, 2, 2, 2]
    assert {r["persons_shown"] for r in rows if len(by_read[r["read_id"]]) == 2} == {2}
    # Germany's auditor sees that Italy's officer read its persons' requests in the inbox
    seen = client.get("/api/v1/audit/reads", params={"person_id": a}, headers=auth_headers("de-admin")).json()
    assert ("it-dublin", "list of Dublin requests") in {(x["username"], x["what_label"]) for x in seen}


def test_a_refused_filter_on_the_inbox_page_logs_the_open_requests_it_shows_instead(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    a, b, _ = _world(client, auth_headers)
    page = web_client("it-dublin").get("/responsibility/inbox", params={"status": "lost"})
    assert page.status_code == 422 and "DE-LIST-1" in page.text
    assert {(r["channel"], r["criteria"], r["person_id"]) for r in _reads(services)} == {
        ("web", None, a), ("web", None, b)}


def test_the_home_pages_rows_can_be_logged_as_shown(
        client: TestClient, auth_headers: Headers, services: Services) -> None:
    a, b, _ = _world(client, auth_headers)
    it = _principal(services, "it-dublin")
    first = responsibility.queue_page(services, it, "inbox", limit=1)["requests"][0]
    responsibility.record_requests_shown(services, it, [first["id"]], None)
    responsibility.record_requests_shown(services, _principal(services, "fr-dublin"), [first["id"]], "web")
    assert _reads(services) == []  # internal, or not a request of the reader's state
    responsibility.record_requests_shown(services, it, [first["id"]], "web")
    [read] = _reads(services)
    assert (read["what"], read["channel"], read["person_member_state"], read["persons_shown"]) == (
        "dublin_request_list", "web", "DE", 1)
    assert read["person_id"] == (a if first["case_reference"] == "DE-LIST-1" else b)


def test_a_list_whose_log_cannot_be_written_fails_and_hands_out_nothing(
        client: TestClient, auth_headers: Headers, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    _world(client, auth_headers)

    break_read_log(monkeypatch)
    with TestClient(create_app(services), raise_server_exceptions=False) as c:
        for path, user in (("/api/v1/responsibility/cases", "de-dublin"), ("/api/v1/responsibility/inbox", "it-dublin"),
                           ("/api/v1/responsibility/outbox.csv", "de-dublin")):
            r = c.get(path, headers=auth_headers(user))
            assert r.status_code == 500 and "Othman" not in r.text and "DE-LIST" not in r.text, path
    assert _reads(services) == []
