"""The applicant's absence from the personal interview despite sufficient efforts, in the workflow:
APR Art 13(14) (read in the Italian Official Journal text), kept apart from the implicit withdrawal of
Art 41(1)(d) and from the rescheduling of Art 13(11), fourth subparagraph. Before, the workflow had no
such step: without the interview held or omitted only an implicit withdrawal could be drafted."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import Conflict, ValidationProblem
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import Case, apply, available_actions, draft_before_interview

ABSENT = {
    "recorded_on": "2026-08-18",
    "efforts": "two written invitations, a phone reminder",
    "no_circumstances_beyond_control": True,
    "scheduled_interviews": [
        {"on": "2026-08-10", "superseded_on": "2026-08-11"},
        {"on": "2026-08-17", "superseded_on": None},
    ],
}


def _scheduled(made: str = "2026-08-03", lodged: str = "2026-08-04", on: str = "2026-08-17") -> Case:
    c = Case(
        member_state="IT",
        procedure="regular",
        context="in_territory",
        state=CaseState.made,
        made_on=date.fromisoformat(made),
    )
    c = apply(c, "register", {"registered_on": made}, "ana").case
    c = apply(c, "lodge", {"lodged_on": lodged}, "ana").case
    return apply(c, "schedule_interview", {"interview_on": on, "language": "Arabic"}, "ana").case


def test_the_absence_lets_a_rejection_be_drafted_and_decided_after_the_record() -> None:
    c = _scheduled()
    assert "record_interview_not_attended" in available_actions(c, "ana")
    with pytest.raises(Conflict, match="record_interview_not_attended"):
        apply(c, "draft_decision", {"outcome": "rejected_unfounded", "reasons": "x"}, "ana")
    change = apply(c, "record_interview_not_attended", dict(ABSENT), "ana")
    assert change.event == "interview_not_attended"
    assert change.detail["not_attended_on"] == ["2026-08-10", "2026-08-17"]
    assert change.detail["legal_basis"] == ["Regulation (EU) 2024/1348, Article 13(14)"]
    assert "Article 41(1)(d)" in change.detail["implicit_withdrawal"]
    c = change.case
    assert c.state == CaseState.interview_scheduled and draft_before_interview(c) is None
    assert "record_interview_not_attended" not in available_actions(c, "ana")
    c = apply(c, "draft_decision", {"outcome": "rejected_unfounded", "reasons": "on the file"}, "ana").case
    c = apply(c, "submit_for_review", {}, "ana").case
    with pytest.raises(ValidationProblem) as exc:
        apply(c, "approve", {"decided_on": "2026-08-17"}, "ben")
    assert exc.value.problems[0][0] == "decided_on"
    assert apply(c, "approve", {"decided_on": "2026-08-18"}, "ben").case.state == CaseState.decided


def test_circumstances_beyond_control_send_the_interview_back_to_a_new_scheduling() -> None:
    with pytest.raises(ValidationProblem) as exc:
        apply(
            _scheduled(),
            "record_interview_not_attended",
            {**ABSENT, "no_circumstances_beyond_control": False},
            "ana",
        )
    field, message = exc.value.problems[0]
    assert field == "no_circumstances_beyond_control" and "reschedules" in message


def test_not_before_the_day_the_interview_was_scheduled_for() -> None:
    with pytest.raises(ValidationProblem) as exc:
        apply(_scheduled(), "record_interview_not_attended", {**ABSENT, "recorded_on": "2026-08-16"}, "ana")
    assert dict(exc.value.problems)["recorded_on"].startswith(
        "cannot be before the day the personal interview"
    )


def test_a_remittal_clears_the_record_with_the_interview() -> None:
    c = apply(_scheduled(), "record_interview_not_attended", dict(ABSENT), "ana").case
    c = apply(c, "draft_decision", {"outcome": "rejected_unfounded", "reasons": "on the file"}, "ana").case
    c = apply(c, "submit_for_review", {}, "ana").case
    c = apply(c, "approve", {"decided_on": "2026-08-19"}, "ben").case
    c = apply(c, "notify", {"notified_on": "2026-08-20"}, "ana").case
    c = apply(c, "lodge_appeal", {"lodged_on": "2026-08-21"}, "ana").case
    c = apply(c, "decide_appeal", {"outcome": "remitted", "decided_on": "2026-09-01"}, "ana").case
    assert c.interview_omitted_on is None and c.interview_omission_ground is None
    assert draft_before_interview(c) is not None


def test_a_day_scheduled_anew_before_it_came_was_not_missed() -> None:
    # scheduled for the 20th, then on the 5th brought forward to the 12th: the applicant missed the 12th
    # only, and the record waits for the 12th, not the 20th
    c = _scheduled(on="2026-08-12")
    scheduled = [
        {"on": "2026-08-20", "superseded_on": "2026-08-05"},
        {"on": "2026-08-12", "superseded_on": None},
    ]
    change = apply(
        c,
        "record_interview_not_attended",
        {**ABSENT, "recorded_on": "2026-08-13", "scheduled_interviews": scheduled},
        "ana",
    )
    assert change.detail["not_attended_on"] == ["2026-08-12"]
    # scheduled for the 10th, then on the 8th put off to the 17th: the 10th was never missed
    scheduled = [
        {"on": "2026-08-10", "superseded_on": "2026-08-08"},
        {"on": "2026-08-17", "superseded_on": None},
    ]
    change = apply(
        _scheduled(), "record_interview_not_attended", {**ABSENT, "scheduled_interviews": scheduled}, "ana"
    )
    assert change.detail["not_attended_on"] == ["2026-08-17"]
