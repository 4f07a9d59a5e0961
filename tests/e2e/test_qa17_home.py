"""QA 17, finding F9: the home page (``/``) answers "what must I do now" for each role, every item
linking to the page where it is done: the Dublin unit's requests due within 7 days, the
caseworker's cases due and drafts returned to them, the reviewer's drafts awaiting second-level
review, the return officer's returns work (not screening deadlines)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from fastapi.testclient import TestClient

from pactum.responsibility.schemas import CaseCreate, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

Login = Callable[[str], TestClient]
API = "/api/v1/procedures/applications"


def _section(page: str, section_id: str) -> str:
    """The HTML of one section of the home page (``<section id=…>`` to its end)."""
    assert f'id="{section_id}"' in page, f"no section {section_id}"
    return page.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


# ------------------------------------------------------------------ the Dublin unit


def _dublin_request(services: Services, principal: Callable[[str], Principal], ref: str) -> dict[str, Any]:
    case = responsibility.create_case(services, principal("de-caseworker"), CaseCreate.model_validate({
        "reference": ref, "applicant_name": "Samir Haddad",
        "facts": {"application": {"registered_in": "DE", "registered_on": "2026-11-20"},
                  "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-10-01"}]}}))
    return responsibility.send_request(services, principal("de-dublin"), case["id"], RequestCreate(kind="take_charge"))


def test_the_dublin_unit_sees_the_requests_it_must_answer_within_7_days(
        services: Services, web_client: Login, principal: Callable[[str], Principal]) -> None:
    req = _dublin_request(services, principal, "DE-H-1")
    # sent 2026-11-28, reply due 2026-12-28: a month away, nothing due this week
    due = _section(web_client("it-dublin").get("/").text, "dublin-due")
    assert "Nothing due in the next 7 days" in due and "DE-H-1" not in due
    services.clock.set(datetime(2026, 12, 22, 9, 0, tzinfo=UTC))
    it = web_client("it-dublin")
    due = _section(it.get("/").text, "dublin-due")
    row = re.search(r"<tr[^>]*>(.*?DE-H-1.*?)</tr>", due, re.S)
    assert row, due
    assert f'href="/responsibility/requests/{req["id"]}"' in row.group(1)
    assert "inbox, from DE" in row.group(1) and "reply" in row.group(1) and "2026-12-28" in row.group(1)
    assert 'data-days-left="6"' in row.group(1)
    # the reply is Italy's to give, not Germany's: Germany's home page does not list it
    de_due = _section(web_client("de-dublin").get("/").text, "dublin-due")
    assert "DE-H-1" not in de_due and "Nothing due in the next 7 days" in de_due
    # once Italy accepted (22 December), deciding the transfer is Germany's step, within two
    # weeks (AMMR Art 42(1)): due 5 January, so on Germany's home page from 29 December
    ok = it.post(f"/responsibility/requests/{req['id']}", data={"action": "accept", "version": "1"},
                 follow_redirects=False)
    assert ok.status_code == 303
    assert "DE-H-1" not in _section(it.get("/").text, "dublin-due")
    assert "DE-H-1" not in _section(web_client("de-dublin").get("/").text, "dublin-due")
    services.clock.set(datetime(2026, 12, 30, 9, 0, tzinfo=UTC))
    de_due = _section(web_client("de-dublin").get("/").text, "dublin-due")
    row = re.search(r"<tr[^>]*>(.*?DE-H-1.*?)</tr>", de_due, re.S)
    assert row, de_due
    assert "outbox, to IT" in row.group(1) and "transfer decision" in row.group(1)
    assert "2027-01-05" in row.group(1) and 'data-days-left="6"' in row.group(1)
    assert "DE-H-1" not in _section(web_client("it-dublin").get("/").text, "dublin-due")


# ------------------------------------------------------------------ caseworker and reviewer


ARRIVAL = {
    "identity": {"given_names": "Karim", "surname": "Mansour", "sex": "M", "date_of_birth": "1996-03",
                 "nationality": "SYR", "documents": []},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-08T06:30:00Z", "kind": "sar_disembarkation",
                  "place": "Lampedusa", "route": "Central Mediterranean Route"},
}


def _application(client: TestClient, headers: dict[str, str], surname: str) -> dict[str, Any]:
    arrival = copy.deepcopy(ARRIVAL)
    arrival["identity"]["surname"] = surname
    r = client.post("/api/v1/registry/arrivals", json=arrival, headers=headers)
    assert r.status_code == 201, r.text
    r = client.post(API, json={"person_id": r.json()["person_id"], "made_on": "2026-11-09",
                               "registered_on": "2026-11-10", "context": "sar_disembarkation"}, headers=headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _act(client: TestClient, headers: dict[str, str], case: dict[str, Any], action: str,
         **fields: Any) -> dict[str, Any]:
    r = client.post(f"{API}/{case['id']}/actions", json={"action": action, "version": case["version"], **fields},
                    headers=headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _draft_submitted(client: TestClient, headers: dict[str, str], surname: str) -> dict[str, Any]:
    case = _application(client, headers, surname)
    case = _act(client, headers, case, "lodge", lodged_on="2026-11-24")
    case = _act(client, headers, case, "schedule_interview", interview_on="2026-11-26", language="Arabic")
    case = _act(client, headers, case, "hold_interview", held_on="2026-11-26", interpreter_language="Arabic")
    case = _act(client, headers, case, "draft_decision", outcome="rejected_unfounded",
                reasons="no persecution shown")
    return _act(client, headers, case, "submit_for_review")


def test_a_submitted_draft_is_on_the_reviewers_home_page_and_a_returned_one_on_the_drafters(
        client: TestClient, auth_headers: Callable[[str], dict[str, str]], web_client: Login) -> None:
    cw, rv = auth_headers("it-caseworker"), auth_headers("it-reviewer")
    case = _draft_submitted(client, cw, "Mansour")
    reviewer = web_client("it-reviewer")
    review = _section(reviewer.get("/").text, "drafts-to-review")
    assert f'href="/procedures/cases/{case["id"]}"' in review
    assert "Karim Mansour" in review and "rejected unfounded" in review and "it-caseworker" in review
    # the drafter may not review their own draft (four eyes): not listed for them, but counted
    caseworker = web_client("it-caseworker")
    own = _section(caseworker.get("/").text, "drafts-to-review")
    assert case["id"] not in own.split("drafts-to-review-count")[0]
    assert "No draft awaits your review" in own and "1 draft of yours awaits another officer's review" in own
    assert "No draft of yours was returned" in _section(caseworker.get("/").text, "drafts-returned")

    _act(client, rv, case, "return_draft", reason="weigh the country report of 2026")
    returned = _section(caseworker.get("/").text, "drafts-returned")
    assert f'href="/procedures/cases/{case["id"]}"' in returned
    assert "it-reviewer" in returned and "weigh the country report of 2026" in returned
    assert case["id"] not in _section(reviewer.get("/").text, "drafts-to-review")
    # the reviewer drafted nothing: nothing was returned to them
    assert "No draft of yours was returned" in _section(reviewer.get("/").text, "drafts-returned")


def test_the_caseworker_sees_the_cases_due_within_7_days_bounded_with_a_link_to_all(
        client: TestClient, auth_headers: Callable[[str], dict[str, str]], web_client: Login,
        monkeypatch: Any) -> None:
    cw = auth_headers("it-caseworker")
    page = web_client("it-caseworker").get("/").text
    assert "Nothing due in the next 7 days" in _section(page, "cases-due")
    cases = [_application(client, cw, name) for name in ("Mansour", "Khalil", "Saleh")]
    # registered on 10 November: lodged within 21 days, by 1 December (APR Art 28(1))
    assert all(c["next_deadline"] <= "2026-12-05" for c in cases), [c["next_deadline"] for c in cases]
    monkeypatch.setattr("pactum.web.views.platform.WORK_SHOWN", 2)
    due = _section(web_client("it-caseworker").get("/").text, "cases-due")
    assert due.count('href="/procedures/cases/') == 2
    assert "2 of 3 shown" in due and '<a href="/procedures">all 3 in the asylum cases queue</a>' in due
    assert "lodging" in due  # the step whose deadline it is
    # a Dublin unit, a return officer and an analyst have no asylum cases list
    for user in ("it-dublin", "it-return", "it-analyst"):
        assert 'id="cases-due"' not in web_client(user).get("/").text


# ------------------------------------------------------------------ the return officer


def test_the_return_officer_sees_the_returns_work_not_screening_deadlines(
        client: TestClient, auth_headers: Callable[[str], dict[str, str]], web_client: Login) -> None:
    arrival = copy.deepcopy(ARRIVAL)
    arrival["encounter"].update({"member_state": "DE", "kind": "irregular_crossing", "place": "Munich",
                                 "route": None})
    r = client.post("/api/v1/registry/arrivals", json=arrival, headers=auth_headers("de-caseworker"))
    assert r.status_code == 201, r.text
    r = client.post("/api/v1/returns/decisions", headers=auth_headers("de-return"),
                    json={"person_id": r.json()["person_id"], "issued_on": "2026-11-25"})
    assert r.status_code == 201, r.text
    page = web_client("de-return").get("/").text
    assert "Screening deadlines due" not in page and "Register an arrival" not in page
    work = _section(page, "returns-work")
    assert re.search(r'id="returns-open">1<', work)
    for link in ('href="/returns"', 'href="/returns/hits"', 'href="/returns/notifications?unread=on"'):
        assert link in work
    # the caseworker, who screens, still has the screening deadlines
    assert "Screening deadlines due" in web_client("de-caseworker").get("/").text


# ------------------------------------------------------------------ accessibility


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.th_without_scope = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "th" and not dict(attrs).get("scope"):
            self.th_without_scope += 1


def test_every_home_page_has_its_headings_in_order_and_scoped_table_headers(
        services: Services, client: TestClient, auth_headers: Callable[[str], dict[str, str]],
        web_client: Login, principal: Callable[[str], Principal]) -> None:
    _draft_submitted(client, auth_headers("it-caseworker"), "Mansour")
    _dublin_request(services, principal, "DE-H-2")
    client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    for user in ("it-dublin", "it-caseworker", "it-reviewer", "it-return", "it-admin", "it-analyst", "auditor"):
        page = web_client(user).get("/")
        assert page.status_code == 200, (user, page.text)
        outline = _Outline()
        outline.feed(page.text.split("<main", 1)[-1])
        assert outline.headings[0] == 1, (user, outline.headings)
        assert all(b - a <= 1 for a, b in zip(outline.headings, outline.headings[1:], strict=False)), (
            user, outline.headings)
        assert outline.th_without_scope == 0, user
