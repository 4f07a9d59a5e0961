"""The Dublin unit's home page lists the requests its state must act on this week with their
applicants' names, read from the inbox and outbox internally: those rows are now one read of a list
of Dublin requests (the applicants shown, each as the person of the state that recorded the case);
a home page that shows no request logs nothing. Before, the home page named applicants and left no
trace in the read log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from pactum.services.bootstrap import Services
from tests.e2e.test_personal_data_reads import Headers, Login, _reads, _register
from tests.e2e.test_responsibility_support import EXAMPLE


def _request(client: TestClient, auth_headers: Headers, surname: str, n: int, **body: Any) -> str:
    person = _register(client, auth_headers, surname=surname, user="de-caseworker", ms="DE")["person_id"]
    r = client.post("/api/v1/responsibility/cases", headers=auth_headers("de-dublin"), json={
        "reference": f"DE-HOME-{n}", "person_id": person,
        "facts": {**EXAMPLE, "application": {"registered_in": "DE", "registered_on": "2026-11-20"}}})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/responsibility/cases/{r.json()['id']}/requests", headers=auth_headers("de-dublin"),
                    json={"kind": "take_charge", "requested_member_state": "IT", **body})
    assert r.status_code == 201, r.text
    return person


def test_the_dublin_units_home_page_logs_the_applicants_it_shows(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    # a detained applicant's request, which Italy answers within a week, and an ordinary one (a month)
    detained = _request(client, auth_headers, "Othman", 1, detained=True)
    _request(client, auth_headers, "Haddad", 2)
    services.clock.set(datetime(2026, 12, 1, 9, tzinfo=UTC))  # type: ignore[attr-defined]  # 4 days left for the first
    page = web_client("it-dublin").get("/").text
    assert 'id="dublin-due"' in page and "DE-HOME-1" in page and "DE-HOME-2" not in page
    rows = [r for r in _reads(services) if r["what"] == "dublin_request_list"]
    assert [(r["username"], r["channel"], r["person_id"], r["person_member_state"]) for r in rows] == [
        ("it-dublin", "web", detained, "DE")]
    # Germany's next step comes after Italy's reply: its home page lists no request, and logs none
    web_client("de-dublin").get("/")
    assert [r["username"] for r in _reads(services) if r["what"] == "dublin_request_list"] == ["it-dublin"]
