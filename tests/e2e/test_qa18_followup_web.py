"""QA walk 18, the follow-up on the web: the same rules as the API (a change dated back, no state
of play after today, nothing done after today, plausible data, no crash on a huge amount), and what
the pages now tell a reader: what is late, how old the information is, a partner's milestones, the
funding by Member State and on a date, what a stage means."""

from __future__ import annotations

import re

import pytest

from pactum.services import followup
from pactum.services.auth import SYSTEM

EDITOR = "com-analyst"


@pytest.fixture
def loaded(services):
    followup.load(services, SYSTEM)
    return services


def _version(services, kind, key) -> str:
    return str(followup.item_view(services, kind, key)["version"])


def _section(html: str, element_id: str) -> str:
    return html.split(f'id="{element_id}"', 1)[1].split("</table>", 1)[0]


def test_a_correction_dated_back_on_the_edit_form_holds_today(loaded, web_client):
    c = web_client(EDITOR)
    r = c.post("/followup/items/funding/12.F1/edit", data={
        "version": _version(loaded, "funding", "12.F1"), "stage": "committed", "valid_from": "2023-07-31"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    r = c.post("/followup/items/funding/12.F1/edit", data={
        "version": _version(loaded, "funding", "12.F1"), "amount_eur": "45000000", "valid_from": "2023-07-01",
        "reason": "annex typo"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    row = re.search(r"<tr><td>12\.F1</td>.*?</tr>", c.get("/followup/commitments/12").text, re.S)
    assert row is not None and "€45m" in row.group(0) and ">committed<" in row.group(0)
    # a correction dated before the version that set the amount itself (1 July): refused, naming it
    r = c.post("/followup/items/funding/12.F1/edit", data={
        "version": _version(loaded, "funding", "12.F1"), "amount_eur": "50000000", "valid_from": "2023-06-23"})
    assert r.status_code == 409 and "2023-07-01" in r.text and "cannot be carried past it" in r.text


def test_a_huge_amount_on_the_form_is_said_beside_the_field(loaded, web_client):
    c = web_client(EDITOR)
    r = c.post("/followup/items/funding/12.F1/edit", data={
        "version": _version(loaded, "funding", "12.F1"), "amount_eur": "480000000000000000000000000000",
        "valid_from": "2026-11-28"})
    assert r.status_code == 422, r.text[:300]
    assert 'id="error-amount_eur"' in r.text and "1,000 billion" in r.text


@pytest.mark.parametrize("path", ["/followup/report?as_of=2030-01-01", "/followup?as_of=9999-12-31",
                                  "/followup/funding?as_of=2030-01-01", "/followup/partners/TUN?as_of=2030-01-01"])
def test_no_page_shows_a_state_of_play_after_today(loaded, web_client, path):
    r = web_client("it-caseworker").get(path)
    # the filter by its label: the list's own form ("State on"), the error page ("Date")
    assert r.status_code == 422 and ("Date: " in r.text or "State on: " in r.text) and "after today" in r.text


def test_a_new_milestone_done_in_the_future_is_refused_on_the_form(loaded, web_client):
    r = web_client(EDITOR).post("/followup/items/milestone/new", data={
        "parent": "15", "key": "15.M9", "description": "Talent Pool adopted", "due": "2024-12-31",
        "done_on": "2099-05-05", "valid_from": "2026-11-28"})
    assert r.status_code == 422
    assert 'id="error-done_on"' in r.text and "after today" in r.text


def test_a_member_state_is_not_a_new_partner_country(loaded, web_client):
    r = web_client(EDITOR).post("/followup/items/partner/new", data={
        "code": "FRA", "name": "France", "valid_from": "2026-11-28"})
    assert r.status_code == 422
    assert 'id="error-code"' in r.text and "bound by the Pact" in r.text


def test_the_overdue_and_blocked_filters_on_the_commitments_page(loaded, web_client):
    c = web_client("it-caseworker")
    r = c.get("/followup", params={"as_of": "2024-01-15", "status": "overdue"})
    assert r.status_code == 200, r.text[:300]
    listed = re.findall(r'href="/followup/commitments/(\d+)\?as_of=2024-01-15"', r.text)
    assert "12" in listed and "13" not in listed
    assert '<option value="overdue" selected' in r.text
    r = c.get("/followup", params={"status": "blocked"})
    assert re.findall(r'href="/followup/commitments/(\d+)\?', r.text) == ["2"]
    assert "an action blocked" in r.text


def test_the_report_says_how_old_its_information_is_and_what_a_stage_means(loaded, web_client):
    page = web_client("it-caseworker").get("/followup/report", params={"as_of": "2026-11-28"}).text
    assert "kept up to date since" not in page
    assert "Information as of 23 June 2023: nothing has been recorded since the annex" in page
    assert page.count("Information as of 23 June 2023") >= 16  # the report and each commitment
    assert "a call’s budget is open" in page  # "committed" said for what it is here
    assert "does not total by instrument" in page
    late = _section(web_client("it-caseworker").get("/followup/report", params={"as_of": "2024-01-15"}).text,
                    "late-tranches")
    assert "11.F8" in late and "€45m" in late and "2023-12-31" in late


def test_the_commitment_page_says_how_old_each_item_is(loaded, web_client):
    page = web_client("it-caseworker").get("/followup/commitments/11").text
    assert 'id="information-as-of"' in page and "Information as of 23 June 2023" in page
    assert page.count("as of 23 June 2023") >= len(followup.commitment(loaded, 11).actions)


def test_a_partner_page_lists_its_milestones_on_a_date(loaded, web_client):
    page = web_client("it-caseworker").get("/followup/partners/TUN", params={"as_of": "2024-01-15"}).text
    milestones = _section(page, "partner-milestones")
    row = re.search(r'<tr class="overdue">.*?12\.M1: .*?</tr>', milestones, re.S)
    assert row is not None and "North of Africa" in row.group(0) and "overdue" in row.group(0)
    assert 'id="date-form"' in page and 'name="as_of" value="2024-01-15"' in page
    partners = web_client("it-caseworker").get("/followup/partners", params={"as_of": "2024-01-15"}).text
    assert 'id="date-form"' in partners and 'href="/followup/partners/TUN?as_of=2024-01-15"' in partners
    pakistan = web_client("it-caseworker").get("/followup/partners/PAK").text
    assert "regional: the other countries are not named" in pakistan


def test_the_funding_page_on_a_date_and_for_a_member_state(loaded, web_client):
    c = web_client("it-caseworker")
    page = c.get("/followup/funding", params={"as_of": "2024-01-15"}).text
    assert 'id="funding-form"' in page and 'name="as_of" value="2024-01-15"' in page
    assert "11.F8" in _section(page, "late-tranches")
    states = _section(page, "by-member-state")
    assert "BG Bulgaria" in states and "CY Cyprus" in states
    assert "does not total by instrument" in page
    cyprus = c.get("/followup/funding", params={"member_state": "CY"}).text
    assert 'id="member-state-rule"' in cyprus
    calls = _section(cyprus, "by-instrument")
    assert "Pournara reception centre" in calls and "Call for equipment" not in calls
    assert c.get("/followup/funding", params={"member_state": "XX"}).status_code == 422


def test_a_day_before_the_annex_offers_a_date_not_a_new_load(loaded, web_client):
    r = web_client(EDITOR).get("/followup", params={"as_of": "1500-06-01"})
    assert r.status_code == 404
    assert "No state of play before 2023-06-23" in r.text
    assert 'action="/followup/load"' not in r.text and "Load the annex" not in r.text
    assert 'type="date" name="as_of" min="2023-06-23"' in r.text


def test_before_anything_is_loaded_the_editor_still_loads(services, web_client):
    r = web_client(EDITOR).get("/followup")
    assert r.status_code == 200 and 'action="/followup/load"' in r.text
