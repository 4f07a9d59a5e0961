"""The Dublin unit's home page lists the requests its state must act on this week with their
applicants' names, read from the inbox and outbox internally: those rows are now one read of a list
of Dublin requests (the applicants shown, each as the person of the state that recorded the case);
a home page that shows no request logs nothing. Before, the home page named applicants and left no
trace in the read log."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from pactum.services.bootstrap import Services
from tests.e2e.test_personal_data_reads import Headers, Login, _reads
from tests.e2e.test_personal_data_reads_dublin_lists import request_for_new_applicant


def test_the_dublin_units_home_page_logs_the_applicants_it_shows(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    # a detained applicant's request, which Italy answers within a week, and an ordinary one (a month)
    detained, _ = request_for_new_applicant(client, auth_headers, "Othman", "DE-HOME-1", detained=True)
    request_for_new_applicant(client, auth_headers, "Haddad", "DE-HOME-2")
    services.clock.set(datetime(2026, 12, 1, 9, tzinfo=UTC))  # type: ignore[attr-defined]  # 4 days left for the first
    page = web_client("it-dublin").get("/").text
    assert 'id="dublin-due"' in page and "DE-HOME-1" in page and "DE-HOME-2" not in page
    rows = [r for r in _reads(services) if r["what"] == "dublin_request_list"]
    assert [(r["username"], r["channel"], r["person_id"], r["person_member_state"]) for r in rows] == [
        ("it-dublin", "web", detained, "DE")]
    # Germany's next step comes after Italy's reply: its home page lists no request, and logs none
    web_client("de-dublin").get("/")
    assert [r["username"] for r in _reads(services) if r["what"] == "dublin_request_list"] == ["it-dublin"]
