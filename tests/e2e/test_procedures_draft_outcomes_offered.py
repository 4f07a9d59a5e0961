"""The draft form offers only the outcomes the workflow lets a draft take on the case: not
"explicitly withdrawn" (the applicant's withdrawal, recorded with record_withdrawal: APR Art 40),
nor "rejected manifestly unfounded" outside the accelerated or border procedure (APR Art 39(4) with
Art 42; the workflow refuses it, 409). Both were offered on every case and refused once chosen."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

try:
    from .test_decision_notice import interviewed
    from .test_procedures_support import World, login, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_decision_notice import interviewed  # type: ignore[no-redef]
    from test_procedures_support import World, login, make_world, ok  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _draft_options(html: str) -> list[str]:
    form = re.search(r'value="draft_decision".*?</form>', html, re.S)
    assert form is not None
    select = re.search(r'<select name="outcome".*?</select>', form.group(0), re.S)
    assert select is not None
    return re.findall(r'<option value="([a-z_]+)"', select.group(0))


def test_a_border_case_offers_manifestly_unfounded_never_an_explicit_withdrawal(world: World) -> None:
    case = interviewed(world, "Uddin", "BGD")
    assert case["procedure"] == "border"
    options = _draft_options(login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text)
    assert "rejected_manifestly_unfounded" in options and "explicitly_withdrawn" not in options
    assert {"refugee_status", "subsidiary_protection", "rejected_unfounded", "inadmissible",
            "implicitly_withdrawn"} <= set(options)


def test_a_regular_case_offers_no_rejection_as_manifestly_unfounded(world: World) -> None:
    pid = world.person("it.caseworker", surname="Tesfay", nationality="ERI", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory")
    world.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    assert case["procedure"] == "regular"
    # held: before the interview only an implicit withdrawal is offered
    # (test_procedures_new_form_and_draft_before_interview)
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-10", language="Tigrinya"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-10",
                        interpreter_language="Tigrinya"))
    options = _draft_options(login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text)
    assert "rejected_manifestly_unfounded" not in options and "explicitly_withdrawn" not in options
    assert "rejected_unfounded" in options


def test_a_subsequent_application_is_offered_manifestly_unfounded_and_its_rejection_runs_ten_days(
        world: World) -> None:
    """APR Arts 42(1)(g), 39(4), 67(7)(a), 68(3)(d): the case read from the store knows the
    application is a subsequent one (its routing's ground), whatever procedure it was routed to."""
    pid = world.person("it.caseworker", surname="Tesfay", nationality="ERI", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory", subsequent_application=True)
    assert case["procedure"] == "admissibility" and "subsequent_application" in case["routing_grounds"]
    world.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-10", language="Tigrinya"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-10",
                        interpreter_language="Tigrinya"))
    options = _draft_options(login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text)
    assert "rejected_manifestly_unfounded" in options
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome="rejected_unfounded",
                        reasons="no new element substantiates the fear"))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-20"))
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21"))
    assert case["appeal_deadline"] == "2026-08-31"  # Art 67(7)(a): 10 days, not the month
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-08-24"))
    assert case["suspensive_effect"] is False  # Art 68(3)(d)
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert "request_to_remain" in shown["actions"]


def test_the_border_pipeline_names_each_case_by_its_reference(world: World) -> None:
    """Every other list names a case by the reference an officer reads out; the pipeline showed ids."""
    case = interviewed(world, "Uddin", "BGD")
    row = next(r for r in ok(world.get("it.caseworker", "/border-pipeline"))["cases"] if r["id"] == case["id"])
    assert row["reference"] == case["reference"]
    page = login(world, "it.caseworker").get("/procedures/border").text
    assert f'<a href="/procedures/cases/{case["id"]}">{case["reference"]}</a>' in page
