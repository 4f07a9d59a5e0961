"""An asylum case whose applicant was transferred under the Dublin rules: the requesting state's
case ends as transferred, not examined there (Dublin III Arts 26(1), 29; AMMR Arts 42, 46), and
leaves the overdue queue; the case page shows who is responsible now beside the determination.
Administrators do not act on (or read) case files: the decision and its second-level review are
the asylum officers'."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from pactum.services.auth import Role
from pactum.store.tables.responsibility import dublin_cases, dublin_requests

try:
    from .test_procedures_support import World, login, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    w.user("de.admin", "DE", Role.admin)
    w.user("it.admin", "IT", Role.admin)
    return w


def ok(r: Any) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    return dict(r.json())


def _dublin(world: World, person_id: str, *, status: str, transferred_on: date | None,
            determined: str = "IT", requested: str = "IT", request_id: str = "dbr_1") -> None:
    now = world.clock.now()
    with world.services.engine.begin() as conn:
        conn.execute(insert(dublin_cases).values(
            id="dbc_1", reference="DE-2026-0007", person_id=person_id, member_state="DE",
            registered_on=date(2026, 8, 3), facts={}, regime="ammr", responsible_member_state=determined,
            criterion="irregular_entry", legal_basis=[], trace=[], created_by="de.dublin",
            created_at=now, version=1))
        conn.execute(insert(dublin_requests).values(
            id=request_id, case_id="dbc_1", kind="take_charge", regime="ammr",
            registered_on=date(2026, 8, 3), requesting_member_state="DE", requested_member_state=requested,
            status=status, legal_basis=[], evidence=[], eurodac_hit=False, detained=False,
            unaccompanied_minor=False, sent_on=date(2026, 8, 10), request_deadline=date(2026, 10, 3),
            late=False, accepted_on=date(2026, 8, 20), transferred_on=transferred_on,
            responsible_member_state=requested if status == "transferred" else None, deadlines={},
            created_by="de.dublin", created_at=now, updated_at=now, version=1))


def _german_case(world: World) -> tuple[str, dict[str, Any]]:
    pid = world.person("de.caseworker", surname="Sultani", nationality="AFG", kind="in_territory_application")
    return pid, world.apply("de.caseworker", pid, context="in_territory")


def test_case_of_a_person_transferred_out_closes_as_transferred_and_leaves_the_queue(world: World) -> None:
    pid, case = _german_case(world)
    _dublin(world, pid, status="transferred", transferred_on=date(2026, 10, 1))
    world.travel(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    shown = ok(world.get("de.caseworker", f"/applications/{case['id']}"))
    # registered, never lodged: overdue, and the page says the applicant was transferred out
    assert shown["state"] == "registered" and shown["overdue"] is True
    assert shown["transferred_out"] == {"dublin_request_id": "dbr_1", "kind": "take_charge", "to": "IT",
                                        "transferred_on": "2026-10-01"}
    assert "close_transferred" in shown["actions"]
    assert [c["id"] for c in world.get("de.caseworker", "/queue", overdue=True).json()] == [case["id"]]
    # the Dublin request must be named, and be one under which Germany transferred this applicant
    r = world.act("de.caseworker", shown, "close_transferred")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "dublin_request_id"
    r = world.act("de.caseworker", shown, "close_transferred", dublin_request_id="dbr_other")
    assert r.status_code == 422 and "dbr_1" in r.text
    closed = ok(world.act("de.caseworker", shown, "close_transferred", dublin_request_id="dbr_1"))
    assert closed["state"] == "transferred" and closed["next_deadline"] is None
    assert closed["overdue"] is False and closed["actions"] == []
    last = closed["timeline"][-1]
    assert last["event"] == "transferred" and last["detail"]["transferred_to"] == "IT"
    assert last["detail"]["transferred_on"] == "2026-10-01"
    assert "Regulation (EU) 2024/1351, Article 42(1)" in last["detail"]["legal_basis"]
    assert world.get("de.caseworker", "/queue", overdue=True).json() == []
    assert world.get("de.caseworker", "/queue").json() == []
    # no longer open: a new application of the person in Germany may be made
    again = world.post("de.caseworker", "/applications", {
        "person_id": pid, "made_on": "2026-11-27", "registered_on": "2026-11-27", "context": "in_territory"})
    assert again.status_code == 201, again.text
    page = login(world, "de.caseworker").get(f"/procedures/cases/{case['id']}")
    assert page.status_code == 200 and "not examined here" in page.text


def test_closing_as_transferred_needs_a_transfer_carried_out(world: World) -> None:
    pid, case = _german_case(world)
    _dublin(world, pid, status="transfer_decided", transferred_on=None)
    shown = ok(world.get("de.caseworker", f"/applications/{case['id']}"))
    assert shown["transferred_out"] is None and "close_transferred" not in shown["actions"]
    r = world.act("de.caseworker", shown, "close_transferred", dublin_request_id="dbr_1")
    assert r.status_code == 422 and "transfers recorded: none" in r.text


def test_case_page_shows_who_is_responsible_now_beside_the_determination(world: World) -> None:
    pid, case = _german_case(world)
    # the determination said Italy; Italy refused for good: Germany is responsible now
    _dublin(world, pid, status="refused_final", transferred_on=None)
    shown = ok(world.get("de.caseworker", f"/applications/{case['id']}"))
    assert shown["responsible_state"] == "IT"  # the determination, as before
    now = shown["responsible_now"]
    assert now["member_state"] == "DE" and now["shifted"] is True
    assert now["determined"] == "IT" and now["dublin_case"] == "DE-2026-0007"
    page = login(world, "de.caseworker").get(f"/procedures/cases/{case['id']}")
    assert 'id="responsible-now"' in page.text


def test_administrators_do_not_act_on_or_read_case_files(world: World) -> None:
    pid = world.person("it.caseworker", surname="Uddin", nationality="BGD")
    case = world.apply("it.caseworker", pid)
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-03"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-03", language="Bengali"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-03",
                        interpreter_language="Bengali"))
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome="refugee_status", reasons="credible"))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    # the user administrator is not the second officer of the review
    assert world.act("it.admin", case, "approve", decided_on="2026-08-03").status_code == 403
    assert world.get("it.admin", f"/applications/{case['id']}").status_code == 403
    assert world.get("it.admin", "/queue").status_code == 403
    assert world.post("it.admin", "/applications", {
        "person_id": pid, "made_on": "2026-08-01", "context": "sar_disembarkation"}).status_code == 403
    assert ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-03"))["state"] == "decided"
    # the administrator still records refusals of entry and reads the capacity
    assert world.get("it.admin", "/capacity").status_code == 200
