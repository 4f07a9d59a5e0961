"""A decision after the end of the border procedure (APR Art 51(2): 12 weeks from registration)
is not a decision in the border procedure: the applicant was authorised to enter when it ended,
so neither the border procedure's two-week appeal time limit nor its exception to the automatic
suspensive effect applies (APR Arts 67(7), 68). A decision by that end keeps both. A case closed
because its applicant was transferred under the Dublin rules is closed, with no deadline."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import ValidationProblem
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import (
    Case,
    apply,
    border_procedure_end,
    in_border_procedure,
    is_closed,
    next_deadline,
    suspensive_effect,
)


def _border_case_decided(decided_on: str, outcome: str = "rejected_unfounded",
                         reasons: str = "no well-founded fear") -> Case:
    c = Case(member_state="IT", procedure="border", context="sar_disembarkation",
             state=CaseState.made, made_on=date(2026, 8, 3))
    c = apply(c, "register", {"registered_on": "2026-08-03"}, "ana").case
    c = apply(c, "lodge", {"lodged_on": "2026-08-04"}, "ana").case
    c = apply(c, "schedule_interview", {"interview_on": "2026-08-10", "language": "Bengali"}, "ana").case
    c = apply(c, "hold_interview", {"held_on": "2026-08-10", "interpreter_language": "Bengali"}, "ana").case
    c = apply(c, "draft_decision", {"outcome": outcome, "reasons": reasons}, "ana").case
    c = apply(c, "submit_for_review", {}, "ana").case
    return apply(c, "approve", {"decided_on": decided_on}, "ben").case


def test_the_border_procedure_ends_twelve_weeks_after_registration() -> None:
    c = _border_case_decided("2026-10-26")
    assert border_procedure_end(c) == date(2026, 10, 26)
    assert in_border_procedure(c)


def test_a_rejection_by_the_end_of_the_border_procedure_keeps_its_rules() -> None:
    c = _border_case_decided("2026-10-26")
    notified = apply(c, "notify", {"notified_on": "2026-10-27"}, "ana").case
    assert notified.appeal_deadline == date(2026, 11, 6)  # ten days (APR Art 67(7)(a))
    assert suspensive_effect(notified)[0] is False


def test_a_rejection_after_the_end_of_the_border_procedure_has_the_regular_rules() -> None:
    c = _border_case_decided("2026-11-02")
    assert not in_border_procedure(c)
    notified = apply(c, "notify", {"notified_on": "2026-11-03"}, "ana").case
    assert notified.appeal_deadline == date(2026, 12, 3)  # one month, not ten days
    effect, basis = suspensive_effect(notified)
    assert effect is True and "68(2)" in basis
    appealed = apply(notified, "lodge_appeal", {"lodged_on": "2026-11-20"}, "ana")
    assert appealed.case.suspensive_effect is True and appealed.return_decision_action == "suspend"


def test_a_notification_on_a_day_past_the_calendar_is_refused_naming_the_field() -> None:
    c = _border_case_decided("2026-10-26")
    with pytest.raises(ValidationProblem) as e:
        apply(c, "notify", {"notified_on": "9999-12-30"}, "ana")
    assert e.value.problems[0][0] == "notified_on"


def test_closing_as_transferred_records_the_request_and_ends_the_case() -> None:
    c = Case(member_state="DE", procedure="regular", context="in_territory", state=CaseState.made,
             made_on=date(2026, 8, 3))
    c = apply(c, "register", {"registered_on": "2026-08-03"}, "ana").case
    with pytest.raises(ValidationProblem) as e:
        apply(c, "close_transferred", {}, "ana")
    assert e.value.problems[0][0] == "dublin_request_id"
    change = apply(c, "close_transferred", {"dublin_request_id": "dbr_1", "transferred_on": "2026-10-01",
                                            "transferred_to": "IT", "regime": "dublin_iii"}, "ana")
    assert change.case.state == CaseState.transferred and is_closed(change.case.state)
    assert next_deadline(change.case) is None
    assert change.detail["legal_basis"][0] == "Regulation (EU) No 604/2013, Article 26(1)"


def test_a_return_decision_after_the_border_procedure_is_not_in_the_return_border_procedure() -> None:
    from pactum.services.procedures import _return_grounds

    row = {"member_state": "IT", "procedure": "border", "context": "sar_disembarkation",
           "state": "decided", "made_on": date(2026, 8, 3), "registered_on": date(2026, 8, 3),
           "lodged_on": date(2026, 8, 4), "interview_held_on": date(2026, 8, 10),
           "interpreter_language": "Bengali", "outcome": "rejected_unfounded", "drafted_by": "ana",
           "decided_on": date(2026, 10, 26), "notified_on": None, "appeal_deadline": None,
           "appeal_lodged_on": None, "suspensive_effect": None, "appeal_outcome": None,
           "inadmissibility_ground": None}
    assert "return_border_procedure" in _return_grounds(row)
    assert "return_border_procedure" not in _return_grounds({**row, "decided_on": date(2026, 11, 2)})


def test_a_passed_border_end_is_no_deadline_of_a_case_notified_within_it() -> None:
    from pactum.procedures.workflow import border_end_behind

    decided = _border_case_decided("2026-10-20")  # the border procedure ends on 26 October
    notified = apply(decided, "notify", {"notified_on": "2026-10-20"}, "ana").case
    appealed = apply(notified, "lodge_appeal", {"lodged_on": "2026-10-22"}, "ana").case
    # until it passes, the end is the nearest deadline (the appeal is decided within it or not at all)
    for case in (notified, appealed):
        assert next_deadline(case, date(2026, 10, 26)).kind == "border_procedure_end"  # type: ignore[union-attr]
    # the day after, the case waits on the applicant's appeal time limit or on the court's
    assert not border_end_behind(notified, date(2026, 10, 26)) and border_end_behind(notified, date(2026, 10, 27))
    assert next_deadline(notified, date(2026, 10, 27)).kind == "appeal"  # type: ignore[union-attr]
    court = next_deadline(appealed, date(2026, 10, 27))
    assert court is not None and (court.kind, court.due) == ("appeal_decision", date(2026, 12, 22))
    # decided and not notified: the end stays the (overdue) next deadline, the notification is due
    assert next_deadline(decided, date(2026, 11, 2)).kind == "border_procedure_end"  # type: ignore[union-attr]
    # undecided: the border procedure ended by itself (APR Art 51(2)), the examination goes on
    # outside it, here in the regular procedure (no ground of Art 42(1)): six months from lodging
    pending = Case(member_state="IT", procedure="border", context="sar_disembarkation", state=CaseState.lodged,
                   made_on=date(2026, 8, 3), registered_on=date(2026, 8, 3), lodged_on=date(2026, 8, 4))
    dl = next_deadline(pending, date(2026, 11, 2))
    assert dl is not None and (dl.kind, dl.due) == ("examination_regular", date(2027, 2, 4))
    assert "no decision taken in it" in dl.computation[0]
    assert not border_end_behind(pending, date(2026, 11, 2))
