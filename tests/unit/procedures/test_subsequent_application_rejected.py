"""A subsequent application that is not inadmissible is examined under APR Art 42(1)(g) (read in
the Italian Official Journal text, 1348.html). Its rejection as unfounded or manifestly unfounded
is appealed within Art 67(7)(a)'s five to ten days ("if at the time of the decision any of the
circumstances of Art 42(1) ... applies"), and the appeal gives no automatic right to remain
(Art 68(3)(d): "a decision rejecting a subsequent application as unfounded or manifestly
unfounded"); Art 39(4) lets it be declared manifestly unfounded. The routing sends a subsequent
application to the admissibility procedure (its preliminary examination); Pactum then gave its
rejection on the merits the regular month, the automatic suspensive effect and refused the
rejection as manifestly unfounded. A case under Directive 2013/32/EU is unchanged."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import Conflict
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import Case, apply, suspensive_effect


def _drafted(outcome: str, *, subsequent: bool, made_on: date = date(2026, 8, 3)) -> Case:
    day = made_on.isoformat()
    c = Case(member_state="IT", procedure="admissibility", context="in_territory", state=CaseState.made,
             made_on=made_on, subsequent_application=subsequent)
    c = apply(c, "register", {"registered_on": day}, "ana").case
    c = apply(c, "lodge", {"lodged_on": day}, "ana").case
    c = apply(c, "schedule_interview", {"interview_on": day, "language": "Arabic"}, "ana").case
    c = apply(c, "hold_interview", {"held_on": day, "interpreter_language": "Arabic"}, "ana").case
    return apply(c, "draft_decision", {"outcome": outcome, "reasons": "no new element substantiates the fear"},
                 "ana").case


def _notified(outcome: str, *, subsequent: bool, made_on: date = date(2026, 8, 3)) -> Case:
    c = apply(_drafted(outcome, subsequent=subsequent, made_on=made_on), "submit_for_review", {}, "ana").case
    c = apply(c, "approve", {"decided_on": "2026-08-20" if made_on.year == 2026 and made_on.month > 6
                             else "2026-04-20"}, "ben").case
    notified = "2026-08-21" if made_on.month > 6 else "2026-04-21"
    return apply(c, "notify", {"notified_on": notified}, "ana").case


def test_the_rejection_of_a_subsequent_application_is_appealed_within_ten_days_without_automatic_stay() -> None:
    c = _notified("rejected_unfounded", subsequent=True)
    assert c.appeal_deadline == date(2026, 8, 31)  # 10 days from Fri 21 Aug: Mon 31 Aug (was 21 Sep, a month)
    susp, basis = suspensive_effect(c)
    assert susp is False and basis.startswith("Regulation (EU) 2024/1348, Article 68(3)(d)")
    appealed = apply(c, "lodge_appeal", {"lodged_on": "2026-08-24"}, "ana")
    assert appealed.case.suspensive_effect is False and appealed.return_decision_action is None


def test_a_subsequent_application_may_be_rejected_as_manifestly_unfounded() -> None:
    c = _drafted("rejected_manifestly_unfounded", subsequent=True)
    assert c.outcome == "rejected_manifestly_unfounded"


def test_a_first_application_in_the_same_procedure_keeps_the_month_and_the_stay() -> None:
    c = _notified("rejected_unfounded", subsequent=False)
    assert c.appeal_deadline == date(2026, 9, 21)
    assert suspensive_effect(c)[0] is True
    with pytest.raises(Conflict):
        _drafted("rejected_manifestly_unfounded", subsequent=False)


def test_under_the_directive_nothing_changes() -> None:
    c = _notified("rejected_unfounded", subsequent=True, made_on=date(2026, 3, 2))
    assert suspensive_effect(c)[0] is True
    with pytest.raises(Conflict):
        _drafted("rejected_manifestly_unfounded", subsequent=True, made_on=date(2026, 3, 2))


def test_the_courts_time_limit_is_said_to_be_a_platform_default() -> None:
    """APR Art 69 has national law set reasonable time limits for the court, without a figure: the
    appealed case's next deadline said "2 months ... (Article 69)" as if the Regulation set it."""
    from pactum.procedures.workflow import next_deadline

    c = apply(_notified("rejected_unfounded", subsequent=False), "lodge_appeal", {"lodged_on": "2026-08-24"}, "ana").case
    dl = next_deadline(c)
    assert dl is not None and dl.kind == "appeal_decision"
    assert any("leaves this time limit to national law" in step and "platform's default" in step
               for step in dl.computation)
