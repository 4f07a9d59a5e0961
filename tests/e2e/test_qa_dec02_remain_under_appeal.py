"""QA walk of 2 December: the exceptions to the right to remain of APR Art 10(3), (4)(b), (c)
(Directive 2013/32/EU Art 9(2), (3)) are exceptions to the right to remain "until the determining
authority has taken a decision" (Art 10(1) / Art 9(1)). A case decided, notified and appealed was
still offered the record (and the lift), whose note then said the applicant "again has the right to
remain until the determining authority decides": false once it has. Under appeal the right to remain
is APR Art 68 / Directive 2013/32/EU Art 46(5)-(8), recorded on the appeal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

try:
    from .test_procedures_support import World, login, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world, ok  # type: ignore[no-redef]

EXTRADITION = {"ground": "extradition_or_surrender", "destination_kind": "third_country", "destination": "Serbia",
               "reference": "extradition request no. 12/2026", "reason": "sought for prosecution",
               "non_refoulement_satisfied": True}


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def test_an_appealed_case_takes_no_exception_to_the_right_to_remain(world: World) -> None:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Okafor", nationality="NGA"))
    world.travel(datetime(2026, 8, 25, 9, 0, tzinfo=UTC))
    for action, fields in [("lodge", {"lodged_on": "2026-08-04"}),
                           ("schedule_interview", {"interview_on": "2026-08-10", "language": "English"}),
                           ("hold_interview", {"held_on": "2026-08-10", "interpreter_language": "English"}),
                           ("draft_decision", {"outcome": "rejected_unfounded", "reasons": "no persecution shown"}),
                           ("submit_for_review", {})]:
        case = ok(world.act("it.caseworker", case, action, **fields))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-20"))
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21"))
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-08-24"))
    assert case["state"] == "appeal_lodged"
    assert case["remain_exception_recordable"] is False
    r = world.post("it.caseworker", f"/applications/{case['id']}/no-right-to-remain",
                   {"version": case["version"], **EXTRADITION})
    assert r.status_code == 409, r.text
    assert "is appeal lodged: the right to remain during the administrative procedure ends with the " \
           "determining authority's decision" in r.json()["detail"]
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    assert 'id="remain-exception"' not in page


def test_an_appealed_subsequent_application_takes_no_assessment_of_delay(world: World) -> None:
    """The same for the exception of APR Art 10(4)(a) (a first subsequent application made merely to
    delay or frustrate a return), recorded "before the decision on it"."""
    pid = world.person("it.caseworker", surname="Tesfay", nationality="ERI", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory", subsequent_application=True)
    world.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    for action, fields in [("lodge", {"lodged_on": "2026-08-04"}),
                           ("schedule_interview", {"interview_on": "2026-08-10", "language": "Tigrinya"}),
                           ("hold_interview", {"held_on": "2026-08-10", "interpreter_language": "Tigrinya"}),
                           ("draft_decision", {"outcome": "rejected_unfounded", "reasons": "no new element"}),
                           ("submit_for_review", {})]:
        case = ok(world.act("it.caseworker", case, action, **fields))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-20"))
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21"))
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-08-24"))
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["right_to_remain"]["recordable"] is False
    r = world.post("it.caseworker", f"/applications/{case['id']}/remain-exception",
                   {"version": case["version"], "removal_decision": "return decision IT-RD-2026-000042 of 2026-07-20",
                    "reason": "lodged the day before the booked flight", "non_refoulement_considered": True})
    assert r.status_code == 409, r.text
    assert "is appeal lodged: the right to remain while the application is examined" in r.json()["detail"]
