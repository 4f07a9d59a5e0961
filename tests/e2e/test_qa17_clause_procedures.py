"""QA 17: the way out the procedures case names exists. A state may not decide an application
while its own Dublin case says another state is responsible (Dublin III Art 3(1); AMMR Art 16(1));
once it applies the discretionary clause on that case (AMMR Art 35(1)), it is responsible and the
decision refused before is allowed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from pactum.responsibility.cessation import DiscretionaryClause
from pactum.services import responsibility
from pactum.services.auth import Role

try:
    from .test_procedures_support import World, dublin_case_with_request, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, dublin_case_with_request, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    w.user("de.dublin", "DE", Role.dublin_unit)
    return w


def _interviewed(world: World) -> tuple[str, dict[str, Any]]:
    pid = world.person("de.caseworker", surname="Sultani", nationality="AFG", kind="in_territory_application")
    case = world.apply("de.caseworker", pid, context="in_territory")
    for action, fields in (("lodge", {"lodged_on": "2026-08-03"}),
                           ("schedule_interview", {"interview_on": "2026-08-03", "language": "Dari"}),
                           ("hold_interview", {"held_on": "2026-08-03", "interpreter_language": "Dari"})):
        r = world.act("de.caseworker", case, action, **fields)
        assert r.status_code == 200, r.text
        case = r.json()
    return pid, case


def test_a_decision_refused_while_italy_is_responsible_is_allowed_after_the_clause(world: World) -> None:
    pid, case = _interviewed(world)
    # DE's Dublin case: Italy determined, request accepted
    dublin_case_with_request(world, pid, transfer_due=date(2027, 2, 22), responsible_member_state="IT", version=2)
    world.travel(datetime(2026, 9, 1, 12, 0, tzinfo=UTC))
    draft = {"outcome": "rejected_unfounded", "reasons": "not credible"}
    r = world.act("de.caseworker", case, "draft_decision", **draft)
    assert r.status_code == 409 and "IT is responsible now" in r.text and "discretionary clause" in r.text, r.text

    got = responsibility.apply_discretionary_clause(
        world.services, world.principals["de.dublin"], "dbc_1",
        DiscretionaryClause(version=1, on=date(2026, 9, 1), reasons="the applicant's child attends school here"))
    assert got["responsible_now"]["member_state"] == "DE"
    assert got["requests"][0]["status"] == "withdrawn"

    shown = world.get("de.caseworker", f"/applications/{case['id']}").json()
    assert shown["responsible_now"]["member_state"] == "DE"
    assert shown["responsible_now"]["rule"] == "discretionary_clause"
    assert shown["decision_blocked"] is None and "draft_decision" in shown["actions"]
    r = world.act("de.caseworker", shown, "draft_decision", **draft)
    assert r.status_code == 200, r.text
