"""A grant of refugee status is open to no appeal (APR Art 67(1), (2)): its case JSON, page and
queue give it no appeal deadline, the page offers neither an appeal nor a withdrawal (refused with
409 when tried), and the finality job closes it as final. Before, the notification set a month's
appeal time limit (Art 67(7)(b)) that the queue showed as the next deadline, the page offered
"Lodge an appeal" and a withdrawal form with a return decision, and the case stayed open a month."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pactum.services import procedures

try:
    from .test_procedures_support import World, login, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world, ok  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _granted(world: World, outcome: str, surname: str) -> dict[str, Any]:
    pid = world.person("it.caseworker", surname=surname, nationality="SYR", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory")
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-03"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-03", language="Arabic"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-03", interpreter_language="Arabic"))
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome=outcome, reasons="well-founded fear"))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-03"))
    return ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-03"))


def test_a_notified_grant_of_refugee_status_waits_on_no_appeal(world: World) -> None:
    granted = _granted(world, "refugee_status", "Haddad")
    subsidiary = _granted(world, "subsidiary_protection", "Khalil")
    assert granted["appeal_deadline"] is None and granted["next_deadline"] is None
    assert subsidiary["appeal_deadline"] is not None and subsidiary["next_deadline_kind"] == "appeal"
    shown = ok(world.get("it.caseworker", f"/applications/{granted['id']}"))
    assert shown["deadline"] is None
    assert "lodge_appeal" not in shown["actions"] and "record_withdrawal" not in shown["actions"]
    r = world.act("it.caseworker", granted, "lodge_appeal", lodged_on="2026-08-03")
    assert r.status_code == 409 and "Article 67(1)" in r.text
    page = login(world, "it.caseworker").get(f"/procedures/cases/{granted['id']}").text
    assert "Lodge appeal</button>" not in page and "Record withdrawal</button>" not in page
    assert "No legal deadline runs in this state." in page
    world.travel(datetime(2026, 8, 4, 2, 0, tzinfo=UTC))
    procedures.capacity_and_finality_job(world.services, world.clock.now())
    assert ok(world.get("it.caseworker", f"/applications/{granted['id']}"))["state"] == "final"
    assert ok(world.get("it.caseworker", f"/applications/{subsidiary['id']}"))["state"] == "notified"
