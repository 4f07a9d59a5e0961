"""QA 17, F1: a state does not decide an application on the merits while its own Dublin case says
another state is responsible now (a request accepted or awaiting its reply): the application is
examined by the one state responsible (Dublin III Art 3(1); AMMR Art 16(1)), unless the state
decides to examine it under the discretionary clause (Dublin III Art 17(1); AMMR Art 35(1)).
Drafting (any outcome), approving and notifying are refused with 409 naming the responsible
state, the Dublin request and the article; the case page says why the steps are not offered."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from pactum.services.auth import Role
from pactum.store.tables.procedures import asylum_applications

try:
    from .test_procedures_support import World, dublin_case_with_request, login, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import (  # type: ignore[no-redef]
        World,
        dublin_case_with_request,
        login,
        make_world,
        ok,
    )

AMMR_16 = "Regulation (EU) 2024/1351, Article 16(1)"
AMMR_35 = "Regulation (EU) 2024/1351, Article 35(1)"


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    w.user("de.reviewer", "DE", Role.caseworker)
    return w


def _dublin(world: World, person_id: str, *, status: str, accepted_on: date | None = date(2026, 8, 20),
            closed_on: date | None = None) -> None:
    """DE's Dublin case of the person: Italy determined, DE's take-charge request to Italy."""
    dublin_case_with_request(world, person_id, status=status, accepted_on=accepted_on, closed_on=closed_on)


def _interviewed(world: World) -> tuple[str, dict[str, Any]]:
    pid = world.person("de.caseworker", surname="Sultani", nationality="AFG", kind="in_territory_application")
    case = world.apply("de.caseworker", pid, context="in_territory")
    case = ok(world.act("de.caseworker", case, "lodge", lodged_on="2026-08-03"))
    case = ok(world.act("de.caseworker", case, "schedule_interview", interview_on="2026-08-03", language="Dari"))
    case = ok(world.act("de.caseworker", case, "hold_interview", held_on="2026-08-03",
                        interpreter_language="Dari"))
    return pid, case


def _refused_409(r: Any) -> str:
    assert r.status_code == 409, r.text
    text = str(r.json()["detail"])
    # it names the responsible state, the Dublin request and the articles
    assert "IT is responsible now" in text and "dbr_1" in text and "DE-2026-0007" in text, text
    assert AMMR_16 in text and AMMR_35 in text, text
    return text


def test_no_decision_of_any_outcome_while_the_transfer_to_the_responsible_state_is_pending(world: World) -> None:
    pid, case = _interviewed(world)
    _dublin(world, pid, status="transfer_decided")
    world.travel(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    shown = ok(world.get("de.caseworker", f"/applications/{case['id']}"))
    assert shown["responsible_now"]["member_state"] == "IT"
    assert "draft_decision" not in shown["actions"] and shown["withheld_actions"] == ["draft_decision", "record_withdrawal"]
    blocked = shown["decision_blocked"]
    assert blocked["member_state"] == "IT" and blocked["request_id"] == "dbr_1"
    assert blocked["legal_basis"] == [AMMR_16, AMMR_35]
    for outcome, reasons in (("rejected_unfounded", "not credible"), ("refugee_status", None),
                             ("inadmissible", "safe third country"), ("implicitly_withdrawn", "did not appear")):
        fields = {"outcome": outcome, **({"reasons": reasons} if reasons else {})}
        if outcome == "inadmissible":
            fields["inadmissibility_ground"] = "safe_third_country"
        _refused_409(world.act("de.caseworker", shown, "draft_decision", **fields))
    # nothing was written
    again = ok(world.get("de.caseworker", f"/applications/{case['id']}"))
    assert again["state"] == "interview_held" and again["version"] == shown["version"]
    # the case page says why the decision steps are not offered
    page = login(world, "de.caseworker").get(f"/procedures/cases/{case['id']}")
    assert page.status_code == 200 and 'id="decision-blocked"' in page.text
    assert "Draft the decision: not offered" in page.text and AMMR_35 in page.text
    assert 'value="draft_decision"' not in page.text


def test_a_pending_request_also_stops_the_decision(world: World) -> None:
    pid, case = _interviewed(world)
    _dublin(world, pid, status="pending", accepted_on=None)
    world.travel(datetime(2026, 8, 20, 12, 0, tzinfo=UTC))
    r = world.act("de.caseworker", case, "draft_decision", outcome="rejected_unfounded", reasons="not credible")
    assert "awaits its outcome" in _refused_409(r)


def test_approval_and_notification_are_refused_once_the_request_is_accepted(world: World) -> None:
    pid, case = _interviewed(world)
    case = ok(world.act("de.caseworker", case, "draft_decision", outcome="rejected_unfounded",
                        reasons="not credible"))
    case = ok(world.act("de.caseworker", case, "submit_for_review"))
    _dublin(world, pid, status="accepted")
    world.travel(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    _refused_409(world.act("de.reviewer", case, "approve", decided_on="2026-11-30"))
    shown = ok(world.get("de.reviewer", f"/applications/{case['id']}"))
    assert shown["state"] == "under_review" and "approve" not in shown["actions"]
    # approved before the request was sent: the notification (and its return decision) waits too
    with world.services.engine.begin() as conn:
        conn.execute(update(asylum_applications).where(asylum_applications.c.id == case["id"]).values(
            state="decided", decided_on=date(2026, 8, 9), outcome="rejected_unfounded"))
    shown = ok(world.get("de.caseworker", f"/applications/{case['id']}"))
    assert shown["withheld_actions"] == ["notify", "record_withdrawal"]
    _refused_409(world.act("de.caseworker", shown, "notify", notified_on="2026-11-30",
                           with_return_decision=True, voluntary_departure_days=14))
    assert ok(world.get("de.caseworker", f"/applications/{case['id']}"))["return_decision_id"] is None
    # the web form is refused with 409 and the reason on the page
    client = login(world, "de.caseworker")
    r = client.post(f"/procedures/cases/{case['id']}/act", data={
        "action": "notify", "version": str(shown["version"]), "notified_on": "2026-11-30"})
    assert r.status_code == 409 and "IT is responsible now" in r.text


def test_the_state_decides_once_responsibility_is_its_own(world: World) -> None:
    pid, case = _interviewed(world)
    # Italy refused for good: Germany, which conducts the determination, is responsible
    _dublin(world, pid, status="refused_final", accepted_on=None, closed_on=date(2026, 9, 30))
    world.travel(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    shown = ok(world.get("de.caseworker", f"/applications/{case['id']}"))
    assert shown["decision_blocked"] is None and "draft_decision" in shown["actions"]
    ok(world.act("de.caseworker", shown, "draft_decision", outcome="refugee_status"))
