"""The daily journeys of the EU-level and administrative users, as pages: what a page says after an
action, where a refused form says what is wrong, and the figures a reader needs beside a table.

Solidarity coordinator and a state's administrator (pool, pledge page, offsets), Frontex/EUAA
analyst (acknowledging an alert, the weekly report's other weeks), Commission analyst (editing an
item of the follow-up and its history), administrators and auditor (users, audit log, time limits).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient

from pactum.services import awareness, followup
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services

W = Callable[[str], TestClient]


@pytest.fixture
def world(demo_world: Callable[..., Services]) -> Services:
    return demo_world(scale="XS", only=["solidarity"], end=date(2026, 11, 28))


def _section(html: str, marker: str, end: str = "</section>") -> str:
    return html.split(marker, 1)[1].split(end, 1)[0]


# ------------------------------------------------------------------ solidarity


def test_a_saved_pledge_is_confirmed_on_the_page_it_leads_to(services: Services, web_client: W, auth_headers) -> None:
    com = auth_headers("com-solidarity")
    assert web_client("com-solidarity").post("/api/v1/solidarity/cycles", headers=com, json={
        "year": 2027, "proposal_on": "2026-10-15"}).status_code == 201
    # pledges are made once the High-Level Forum opens pledging (AMMR Art 57(1), Art 13)
    assert web_client("com-solidarity").post("/api/v1/solidarity/cycles/2027/actions/open_pledging", headers=com,
                                             json={"version": 1, "on": "2026-10-28"}).status_code == 200
    c = web_client("nl-admin")
    assert 'id="notice"' not in c.get("/solidarity/pledge?year=2027").text
    ok = c.post("/solidarity/pledge", data={"year": "2027", "relocations": "600"}, follow_redirects=False)
    assert ok.status_code == 303
    html = c.get(ok.headers["location"]).text
    assert 'id="notice"' in html and "Pledge saved" in html and "600 relocations" in html


def test_a_state_is_told_why_it_can_no_longer_change_its_pledge(world: Services, web_client: W) -> None:
    html = web_client("de-admin").get("/solidarity/pledge").text
    assert 'id="pledge-form"' not in html
    closed = html.split('id="pledging-closed"', 1)[1].split("</p>", 1)[0]
    assert "can no longer be changed" in closed and "implementation" in closed
    # an EU reader of the same page is not addressed as the state
    assert 'id="pledging-closed"' not in web_client("com-solidarity").get(
        "/solidarity/pledge?year=2026&member_state=DE").text


def test_a_state_sees_its_granted_deduction_and_what_remains_due(world: Services, web_client: W) -> None:
    pool = web_client("com-solidarity").get("/solidarity").text
    row = pool.split('member_state=AT">AT</a>', 1)[1].split("</tr>", 1)[0]
    deducted = int(re.findall(r'<td class="num">([\d,]+)</td>', row)[1].replace(",", ""))
    assert deducted > 0
    html = web_client("at-admin").get("/solidarity/pledge").text
    said = html.split('id="deduction"', 1)[1].split("</p>", 1)[0]
    assert f"<strong>{deducted:,}</strong> relocations" in said and "Due after the deduction" in said


def test_the_pool_table_adds_up_the_states_and_says_its_units(world: Services, web_client: W) -> None:
    html = web_client("com-solidarity").get("/solidarity").text
    total = html.split('id="accounts-total"', 1)[1].split("</tr>", 1)[0]
    assert "All states" in total and "21,000" in total  # the fair shares add up to the pool
    assert "Equivalents: relocations plus the financial and alternative contributions" in html
    # the deductions are written as the other figures are, with their thousands separated
    assert re.search(r'<td class="num">\d{4,}</td>', _section(html, 'id="accounts"', "</table>")) is None
    assert 'id="cycles"' in html and '<strong aria-current="page">2026</strong>' in html


def test_a_refused_take_over_is_said_next_to_its_form(world: Services, web_client: W) -> None:
    c = web_client("de-admin")
    r = c.post("/solidarity/offsets", data={"year": "2026", "beneficiary_member_state": "IT", "count": "5000",
                                            "on": "2026-11-28"})
    assert r.status_code == 422
    offsets = _section(r.text, 'id="offsets"')
    assert "Nothing was taken over" in offsets and "Applications:" in offsets
    # not at the top of the page, far from the form
    assert "Applications:" not in r.text.split('id="offsets"', 1)[0]


# ------------------------------------------------------------------ awareness


def test_acknowledging_an_alert_says_so_with_the_note(services: Services, web_client: W) -> None:
    alert = next(a for a in awareness.evaluate_alerts(services, SYSTEM) if a.route == "Central Mediterranean Route")
    c = web_client("frontex-analyst")
    dashboard = c.get("/awareness").text
    # the alert's route leads to the route's page
    row = dashboard.split(f'id="alert-{alert.id}"', 1)[1].split("</tr>", 1)[0]
    assert 'href="/awareness/routes/Central%20Mediterranean%20Route"' in row
    r = c.post(f"/awareness/alerts/{alert.id}/acknowledge",
               data={"version": alert.version, "note": "checked with the Italian desk", "next": "/awareness"},
               follow_redirects=False)
    assert r.status_code == 303
    page = c.get(r.headers["location"]).text
    said = page.split('id="acknowledged"', 1)[1].split("</p>", 1)[0]
    assert "Alert acknowledged: Central Mediterranean Route" in said and "checked with the Italian desk" in said
    assert "/awareness/routes/Central%20Mediterranean%20Route" in said  # where the alert now is
    assert f'id="alert-{alert.id}"' not in page


def test_the_weekly_report_leads_to_the_weeks_around_it(services: Services, web_client: W) -> None:
    c = web_client("euaa-analyst")
    current = c.get("/awareness/reports/2026-W48").text  # the clock's week
    weeks = current.split('id="weeks"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/awareness/reports/2026-W47"' in weeks and "2026-W49" not in weeks  # not written yet
    older = c.get("/awareness/reports/2026-W45").text.split('id="weeks"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/awareness/reports/2026-W44"' in older and 'href="/awareness/reports/2026-W46"' in older
    assert 'href="/awareness/reports/2026-W48"' in older


# ------------------------------------------------------------------ follow-up


def test_a_saved_edit_is_confirmed_in_the_history_with_a_way_back(services: Services, web_client: W) -> None:
    followup.load(services, SYSTEM)
    c = web_client("com-analyst")
    r = c.post("/followup/items/action/2.j/edit", data={
        "version": "1", "status": "ongoing", "valid_from": "2026-11-20", "reason": "negotiator appointed"},
        follow_redirects=False)
    assert r.status_code == 303
    history = c.get(r.headers["location"]).text
    assert 'id="saved"' in history and "Saved as version 2" in history
    assert 'href="/followup/commitments/2"' in history  # back to the commitment the action belongs to
    assert 'id="saved"' not in c.get("/followup/items/action/2.j/history").text


def test_an_edit_error_is_said_next_to_its_field(services: Services, web_client: W) -> None:
    followup.load(services, SYSTEM)
    r = web_client("com-analyst").post("/followup/items/action/2.j/edit", data={
        "version": "1", "status_note": "x", "valid_from": "2031-01-01"})
    assert r.status_code == 422
    field = r.text.split('name="valid_from"', 1)[1].split("</fieldset>", 1)[0]
    assert 'id="error-valid_from"' in field and "future" in field
    assert 'aria-invalid="true" aria-describedby="error-valid_from"' in r.text
    assert "<label>Status note" in r.text  # a field named as words, not status_note
    # YAML that does not parse: said under the field, which keeps what was typed
    r = web_client("com-analyst").post("/followup/items/action/2.b/edit", data={
        "version": "1", "figures": "- [unclosed", "valid_from": "2026-11-28"})
    figures = r.text.split('name="figures"', 1)[1].split("</p>", 1)[0]
    assert r.status_code == 422 and "- [unclosed</textarea>" in figures and 'id="error-figures"' in figures


# ------------------------------------------------------------------ administration


def test_creating_a_user_is_confirmed_and_a_missing_role_said_in_plain_words(web_client: W) -> None:
    admin = web_client("it-admin")
    bad = admin.post("/admin/users", data={"username": "it-new", "full_name": "New Officer", "authority": "IT",
                                           "password": "longenough1"})
    assert bad.status_code == 422
    roles = bad.text.split("<legend>Roles", 1)[1].split("</fieldset>", 1)[0]
    assert "tick at least one role" in roles and "List should have" not in bad.text
    ok = admin.post("/admin/users", data={"username": "it-new", "full_name": "New Officer", "authority": "IT",
                                          "password": "longenough1", "roles": "caseworker"}, follow_redirects=False)
    assert ok.status_code == 303
    page = admin.get(ok.headers["location"]).text
    assert "User it-new (IT) created" in page.split('id="notice"', 1)[1].split("</p>", 1)[0]
    assert 'id="user-it-new"' in page


def test_unticking_every_role_of_a_user_is_refused_in_its_row(web_client: W, services: Services) -> None:
    from pactum.services import users
    from tests.conftest import principal_of

    admin = web_client("it-admin")
    target = users.user_by_username(services, principal_of(services, "it-admin"), "it-caseworker")
    r = admin.post(f"/admin/users/{target.id}", data={"version": str(target.version), "active": "on"})
    assert r.status_code == 422  # before: taken as "no change" and nothing said
    row = r.text.split('id="user-it-caseworker"', 1)[1].split("</tr>", 1)[0]
    assert "tick at least one role" in row
    # a change is saved (saving the row unchanged is "nothing to change", nothing written)
    saved = admin.post(f"/admin/users/{target.id}", data={"version": str(target.version),
                                                          "roles": ["caseworker", "analyst"], "active": "on"},
                       follow_redirects=False)
    assert "User it-caseworker (IT) saved" in admin.get(saved.headers["location"]).text


def test_the_audit_log_says_what_it_shows_and_finds_an_entity(web_client: W) -> None:
    c = web_client("it-admin")
    c.post("/admin/users", data={"username": "it-new", "full_name": "New Officer", "authority": "IT",
                                 "password": "longenough1", "roles": "caseworker"})
    audit = web_client("auditor").get("/audit").text
    assert "newest first" in audit.split('id="shown"', 1)[1].split("</p>", 1)[0]
    entity = re.search(r'<a href="/audit\?entity_id=([^"]+)"[^>]*>([^<]+)</a>', audit.split("user.created", 1)[1])
    assert entity is not None
    one = web_client("auditor").get(f"/audit?entity_id={entity[1]}").text
    assert "entr" in one.split('id="shown"', 1)[1] and entity[2] in one
    assert "web_session.opened" not in one  # only the entries of that user


def test_a_time_limit_error_is_said_next_to_the_field(web_client: W) -> None:
    r = web_client("it-dublin").post("/law/time-limits", data={"kind": "transfer_decision", "event_at": "2026-13-01",
                                                               "member_state": "IT"})
    assert r.status_code == 422
    field = r.text.split('name="event_at"', 1)[1].split("</label>", 1)[0]
    assert 'id="event_at-error"' in field and "month must be in 1..12" in field
    assert "Value error" not in r.text
    ok = web_client("it-dublin").post("/law/time-limits", data={
        "kind": "transfer_decision", "event_at": "2027-05-19", "member_state": "DE",
        "application_registered_on": "2027-04-01"})
    heading = ok.text.split('id="result"', 1)[1].split("</h2>", 1)[0]
    assert "transfer_decision:" not in heading  # the time limit by its title, not its code
    # a detention ordered after the registration: one week from it (AMMR Art 45(1))
    held = web_client("it-dublin").post("/law/time-limits", data={
        "kind": "take_charge_request", "event_at": "2026-08-17", "member_state": "FR",
        "application_registered_on": "2026-08-17", "detained": "on", "detained_on": "2026-09-10"})
    assert held.status_code == 200 and "2026-09-17" in held.text and "placed in detention on 2026-09-10" in held.text
    alone = web_client("it-dublin").post("/law/time-limits", data={
        "kind": "take_charge_request", "event_at": "2026-08-17", "member_state": "FR",
        "application_registered_on": "2026-08-17", "detained_on": "2026-09-10"})
    assert alone.status_code == 422
    field = alone.text.split('name="detained_on"', 1)[1].split("</label>", 1)[0]
    assert "not stated to be detained" in field



def test_the_time_limit_form_takes_the_day_the_application_was_lodged(web_client: W) -> None:
    # APR Art 79(3): made on 8 June, lodged on 15 June 2026, the appeal limit is the APR's 10 days
    c = web_client("it-caseworker")
    r = c.post("/law/time-limits", data={"kind": "appeal", "variant": "expedited", "event_at": "2026-07-13",
                                        "member_state": "IT", "application_made_on": "2026-06-08",
                                        "application_lodged_on": "2026-06-15"})
    assert r.status_code == 200 and "ends on 2026-07-23" in r.text
    assert "Application lodged on 2026-06-15" in r.text
    late = c.post("/law/time-limits", data={"kind": "appeal", "variant": "expedited", "event_at": "2026-07-13",
                                           "member_state": "IT", "application_made_on": "2026-06-20",
                                           "application_lodged_on": "2026-06-15"})
    assert late.status_code == 422
    field = late.text.split('name="application_lodged_on"', 1)[1].split("</label>", 1)[0]
    assert "an application is lodged after it is made" in field

def test_the_platform_administrator_reads_one_authoritys_users_at_a_time(web_client: W) -> None:
    c = web_client("eu-admin")
    everyone = c.get("/admin/users").text
    assert 'id="authority-filter"' in everyone and "it-caseworker" in everyone and "de-caseworker" in everyone
    italy = c.get("/admin/users", params={"authority": "it"}).text
    assert "it-caseworker" in italy and "de-caseworker" not in italy
    assert "users of IT (" in italy and '<option selected>IT</option>' in italy
    # an authority that is none of the platform's shows everyone, not an empty page
    assert "de-caseworker" in c.get("/admin/users", params={"authority": "XX"}).text
    # a state's administrator manages its own users only: no filter to offer
    assert 'id="authority-filter"' not in web_client("it-admin").get("/admin/users").text


def test_saving_a_user_as_it_was_says_nothing_was_changed(web_client: W, services: Services) -> None:
    from sqlalchemy import func, select

    from pactum.services import users
    from pactum.store.tables.platform import audit_log
    from tests.conftest import principal_of

    admin = web_client("it-admin")
    target = users.user_by_username(services, principal_of(services, "it-admin"), "it-caseworker")
    with services.engine.connect() as conn:
        entries = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    row = admin.post(f"/admin/users/{target.id}", data={
        "version": str(target.version), "roles": [r.value for r in target.roles], "active": "on"},
        follow_redirects=False)
    name = admin.post(f"/admin/users/{target.id}/edit", data={
        "version": str(target.version), "full_name": target.full_name, "password": "", "confirm_password": ""},
        follow_redirects=False)
    for saved in (row, name):
        # no error (the API's "nothing to change: give one of …" is for a client that sent nothing)
        assert saved.status_code == 303 and saved.headers["location"].startswith("/admin/users?unchanged=")
        page = admin.get(saved.headers["location"]).text
        assert "Nothing to save for user it-caseworker (IT): nothing was changed." in page
        assert "give one of" not in page
    with services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == entries
    assert users.get_user(services, principal_of(services, "it-admin"), target.id).version == target.version
