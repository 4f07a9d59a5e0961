"""APR Art 41(4), read in the Italian Official Journal text: the competent authority may suspend the
procedure to give the applicant the opportunity to justify or rectify an omission or action of Art
41(1) before a decision declaring the application implicitly withdrawn. Before, Pactum had no such
step: an implicit withdrawal could be drafted at once, with no record of the time given."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import Conflict, ValidationProblem
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import Case, apply, available_actions

SUSPEND = {
    "suspended_on": "2026-08-20",
    "implicit_withdrawal_ground": "refused_address",
    "to_justify": "no address given since 5 August",
    "justify_until": "2026-09-03",
}


def _lodged(made: str = "2026-08-03", lodged: str = "2026-08-04") -> Case:
    c = Case(
        member_state="IT",
        procedure="regular",
        context="in_territory",
        state=CaseState.made,
        made_on=date.fromisoformat(made),
    )
    c = apply(c, "register", {"registered_on": made}, "ana").case
    return apply(c, "lodge", {"lodged_on": lodged}, "ana").case


def test_no_implicit_withdrawal_is_drafted_while_the_applicant_may_justify() -> None:
    c = _lodged()
    assert "suspend_examination" in available_actions(c, "ana")
    change = apply(c, "suspend_examination", SUSPEND, "ana")
    assert change.event == "examination_suspended"
    assert change.detail["legal_basis"] == [
        "Regulation (EU) 2024/1348, Article 41(4)",
        "Regulation (EU) 2024/1348, Article 41(1)(c)",
    ]
    c = change.case
    assert "draft_decision" not in available_actions(c, "ana")
    assert "resume_examination" in available_actions(c, "ana")
    with pytest.raises(Conflict, match="suspended since 2026-08-20"):
        apply(c, "draft_decision", {"outcome": "implicitly_withdrawn", "reasons": "no address"}, "ana")
    # the time given runs until 3 September: not resumed as unjustified before it ends
    with pytest.raises(ValidationProblem) as exc:
        apply(c, "resume_examination", {"resumed_on": "2026-09-03"}, "ana")
    assert "resumed_on" in dict(exc.value.problems)
    resumed = apply(c, "resume_examination", {"resumed_on": "2026-09-04"}, "ana")
    assert "implicitly withdrawn" in resumed.detail["then"]
    drafted = apply(
        resumed.case, "draft_decision", {"outcome": "implicitly_withdrawn", "reasons": "no address"}, "ana"
    )
    assert drafted.case.state == CaseState.draft_decision


def test_a_justification_resumes_the_examination_at_once() -> None:
    c = apply(_lodged(), "suspend_examination", SUSPEND, "ana").case
    resumed = apply(c, "resume_examination", {"resumed_on": "2026-08-25", "justified": True}, "ana")
    assert resumed.detail["justified"] is True and resumed.case.suspended_on is None
    assert "suspend_examination" in available_actions(resumed.case, "ana")


def test_refusals_name_each_field() -> None:
    with pytest.raises(ValidationProblem) as exc:
        apply(
            _lodged(),
            "suspend_examination",
            {
                "suspended_on": "2026-08-20",
                "implicit_withdrawal_ground": "late",
                "to_justify": "",
                "justify_until": "2026-08-20",
            },
            "ana",
        )
    assert set(dict(exc.value.problems)) == {"implicit_withdrawal_ground", "to_justify", "justify_until"}


def test_not_under_the_directive() -> None:
    old = _lodged(made="2026-05-04", lodged="2026-05-05")
    assert "suspend_examination" not in available_actions(old, "ana")
    with pytest.raises(Conflict, match="Article 28"):
        apply(old, "suspend_examination", {**SUSPEND, "suspended_on": "2026-05-20"}, "ana")


def test_points_a_and_d_of_art_41_1_lie_only_where_they_can() -> None:
    """QA: (a) is an application not lodged, never true once lodged; (d) concerns the personal interview
    the applicant was required to attend (or refused to answer questions in): not before one was
    scheduled or held. The form's choices and the step use the one check."""
    from pactum.procedures.workflow import (
        implicit_withdrawal_ground_refusal,
        implicit_withdrawal_grounds_on_case,
    )

    c = _lodged()
    for ground, point in (("not_lodged", "41(1)(a)"), ("did_not_attend_interview", "41(1)(d)")):
        with pytest.raises(ValidationProblem) as exc:
            apply(c, "suspend_examination", {**SUSPEND, "implicit_withdrawal_ground": ground}, "ana")
        assert exc.value.problems == [("implicit_withdrawal_ground", implicit_withdrawal_ground_refusal(c, ground))]
        assert point in exc.value.problems[0][1]
        assert implicit_withdrawal_grounds_on_case(c)[ground]["lies"] is False
    scheduled = apply(c, "schedule_interview", {"interview_on": "2026-08-18", "language": "Arabic"}, "ana").case
    assert implicit_withdrawal_ground_refusal(scheduled, "did_not_attend_interview") is None
    assert implicit_withdrawal_ground_refusal(scheduled, "not_lodged") is not None


def test_a_closing_step_ends_the_suspension() -> None:
    c = apply(_lodged(), "suspend_examination", SUSPEND, "ana").case
    change = apply(c, "record_withdrawal", {"withdrawn_on": "2026-08-21", "how": "in_person_in_writing",
                                            "decision": "declare_withdrawn", "decided_on": "2026-08-21"}, "ana")
    assert change.case.suspended_on is None and change.case.suspension_ground is None
    assert change.detail["suspension_ended"]["ground"] == "refused_address"
