"""The applicant's explicit withdrawal of the application, as a lawyer reads it.

Under the Asylum Procedure Regulation (Regulation (EU) 2024/1348, for applications made from
12 June 2026): the applicant may withdraw the application on their own initiative at any stage of
the procedure, in person in writing or through the legal adviser who legally represents them
(Art 40(1)); the determining authority adopts a decision declaring the application explicitly
withdrawn, final and not open to an appeal under Chapter V (Art 40(3)); where it had already found
that the applicant does not qualify, it may still reject the application as unfounded or manifestly
unfounded (Art 40(4)); a return decision is issued with the decision declaring the application
explicitly withdrawn (Art 37). Before the Pact: Directive 2013/32/EU Art 27(1), the determining
authority discontinues the examination or rejects the application, the form left to national law.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pactum.common.errors import Conflict, ValidationProblem
from pactum.procedures.model import NEGATIVE_OUTCOMES, CaseState, Outcome
from pactum.procedures.workflow import (
    ACTION_FIELDS,
    ACTIONS,
    Case,
    apply,
    available_actions,
    is_closed,
    next_deadline,
)

S = CaseState
APR_40_1 = "Regulation (EU) 2024/1348, Article 40(1)"
APR_40_3 = "Regulation (EU) 2024/1348, Article 40(3)"
APR_40_4 = "Regulation (EU) 2024/1348, Article 40(4)"
APR_37 = "Regulation (EU) 2024/1348, Article 37"
APD_27_1 = "Directive 2013/32/EU, Article 27(1)"
RD_6_6 = "Directive 2008/115/EC, Article 6(6)"

WITHDRAWAL = {"withdrawn_on": "2026-08-10", "how": "in_person_in_writing", "decision": "declare_withdrawn",
              "decided_on": "2026-08-11"}


def lodged(made_on: date = date(2026, 8, 3), procedure: str = "regular") -> Case:
    c = Case(member_state="IT", procedure=procedure, context="in_territory", state=S.made, made_on=made_on)
    c = apply(c, "register", {"registered_on": made_on.isoformat()}, "ana").case
    return apply(c, "lodge", {"lodged_on": made_on.isoformat()}, "ana").case


def drafted(outcome: str = "rejected_unfounded", made_on: date = date(2026, 8, 3)) -> Case:
    c = lodged(made_on)
    c = apply(c, "schedule_interview", {"interview_on": made_on.isoformat(), "language": "Arabic"}, "ana").case
    c = apply(c, "hold_interview", {"held_on": made_on.isoformat(), "interpreter_language": "Arabic"}, "ana").case
    return apply(c, "draft_decision", {"outcome": outcome, "reasons": "no well-founded fear shown"}, "ana").case


def problems(exc: pytest.ExceptionInfo[ValidationProblem]) -> dict[str, str]:
    return dict(exc.value.problems)


def test_under_the_apr_the_application_is_declared_explicitly_withdrawn_and_the_case_closes() -> None:
    ch = apply(lodged(), "record_withdrawal", WITHDRAWAL, "ana")
    assert ch.event == "withdrawal_recorded"
    assert ch.case.state == S.withdrawn and is_closed(S.withdrawn)
    assert ch.case.outcome == Outcome.explicitly_withdrawn == "explicitly_withdrawn"
    assert ch.case.decided_on == date(2026, 8, 11)
    # the decision is final, not open to an appeal: no appeal deadline, no deadline at all
    assert ch.detail["final"] is True and "not open to an appeal" in ch.detail["note"]
    assert next_deadline(ch.case) is None and available_actions(ch.case, "ana", date(2026, 8, 12)) == []
    # a return decision goes with it (APR Art 37), by default
    assert ch.return_decision is True and ch.detail["with_return_decision"] is True
    assert ch.detail["legal_basis"] == [APR_40_1, APR_40_3, APR_37]
    assert (ch.detail["withdrawn_on"], ch.detail["how"], ch.detail["decision"]) == (
        "2026-08-10", "in_person_in_writing", "declare_withdrawn")


def test_an_explicit_withdrawal_is_a_negative_decision_for_the_return_decision() -> None:
    # the returns area issues a return decision only with a negative decision (Art 37 APR)
    assert Outcome.explicitly_withdrawn in NEGATIVE_OUTCOMES


def test_the_officer_may_say_no_return_decision_goes_with_it_and_then_no_terms() -> None:
    ch = apply(lodged(), "record_withdrawal", {**WITHDRAWAL, "with_return_decision": False}, "ana")
    assert ch.return_decision is False and APR_37 not in ch.detail["legal_basis"]
    with pytest.raises(ValidationProblem) as e:
        apply(lodged(), "record_withdrawal", {**WITHDRAWAL, "with_return_decision": False,
                                              "voluntary_departure_days": 14}, "ana")
    assert "only with a return decision" in problems(e)["voluntary_departure_days"]


@pytest.mark.parametrize("state", [S.made, S.registered, S.lodged, S.interview_scheduled, S.interview_held,
                                   S.draft_decision, S.under_review, S.decided, S.notified, S.appeal_lodged])
def test_it_lies_at_any_stage_of_the_procedure_before_the_decision_is_final(state: CaseState) -> None:
    c = replace(lodged(), state=state, outcome="rejected_unfounded" if state in (
        S.decided, S.notified, S.appeal_lodged) else None)
    assert "record_withdrawal" in ACTIONS and state in ACTIONS["record_withdrawal"][0]
    assert apply(c, "record_withdrawal", WITHDRAWAL, "ana").case.state == S.withdrawn


@pytest.mark.parametrize(("state", "why"), [
    (S.final, "the decision on the application is final"),
    (S.appeal_decided, "the appeal was decided and the decision on the application is final"),
    (S.transferred, "the Member State responsible examines the application"),
    (S.withdrawn, "the withdrawal is already recorded"),
])
def test_it_is_refused_once_the_decision_is_final_or_the_case_closed(state: CaseState, why: str) -> None:
    with pytest.raises(Conflict) as e:
        apply(replace(lodged(), state=state), "record_withdrawal", WITHDRAWAL, "ana")
    assert str(e.value).startswith(f"cannot record the applicant's explicit withdrawal while the case is '{state.value}'")
    assert why in str(e.value)


def test_after_the_appeal_time_limit_ran_out_the_decision_is_final_and_not_withdrawn() -> None:
    c = drafted()
    c = apply(c, "submit_for_review", {}, "ana").case
    c = apply(c, "approve", {"decided_on": "2026-08-05"}, "ben").case
    c = apply(c, "notify", {"notified_on": "2026-08-06"}, "ana").case  # appeal: 1 month, to 7 September
    assert c.appeal_deadline == date(2026, 9, 7)
    assert "record_withdrawal" in available_actions(c, "ana", date(2026, 9, 7))
    assert "record_withdrawal" not in available_actions(c, "ana", date(2026, 9, 8))
    with pytest.raises(Conflict, match="after the appeal time limit ended on 2026-09-07 without an appeal"):
        apply(c, "record_withdrawal", {**WITHDRAWAL, "withdrawn_on": "2026-09-08", "decided_on": "2026-09-08"}, "ana")


def test_a_withdrawal_before_the_application_was_made_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationProblem) as e:
        apply(lodged(), "record_withdrawal", {**WITHDRAWAL, "withdrawn_on": "2026-08-02"}, "ana")
    assert problems(e) == {"withdrawn_on": "cannot be before the day the application was made (2026-08-03)"}


def test_the_decision_cannot_come_before_the_withdrawal() -> None:
    with pytest.raises(ValidationProblem) as e:
        apply(lodged(), "record_withdrawal", {**WITHDRAWAL, "decided_on": "2026-08-09"}, "ana")
    assert problems(e) == {"decided_on": "cannot be before the withdrawal (2026-08-10)"}


def test_under_the_apr_the_withdrawal_is_in_writing_each_bad_field_named_at_once() -> None:
    with pytest.raises(ValidationProblem) as e:
        apply(lodged(), "record_withdrawal", {"withdrawn_on": "", "how": "orally_recorded",
                                              "decision": "discontinue"}, "ana")
    got = problems(e)
    assert set(got) == {"withdrawn_on", "how", "decision"}
    assert got["how"].startswith("'orally_recorded' is not a way the applicant withdraws the application under "
                                 f"{APR_40_1}; one of in_person_in_writing, through_legal_adviser")
    assert got["decision"].startswith(f"'discontinue' is not a decision the determining authority takes on the "
                                      f"withdrawal under {APR_40_3}; one of declare_withdrawn, reject")
    ch = apply(lodged(), "record_withdrawal", {**WITHDRAWAL, "how": "through_legal_adviser"}, "ana")
    assert ch.detail["how"] == "through_legal_adviser"


def test_a_rejection_after_the_withdrawal_needs_the_finding_already_on_file() -> None:
    # lodged, nothing found yet: Art 40(4) does not apply
    with pytest.raises(ValidationProblem) as e:
        apply(lodged(), "record_withdrawal", {**WITHDRAWAL, "decision": "reject", "decided_on": None}, "ana")
    assert "needs the determining authority's finding that the applicant does not qualify" in problems(e)["decision"]
    assert APR_40_4 in problems(e)["decision"]
    # a drafted grant is no finding that the applicant does not qualify
    with pytest.raises(ValidationProblem) as e:
        apply(drafted("refugee_status"), "record_withdrawal", {**WITHDRAWAL, "decision": "reject",
                                                               "decided_on": None}, "ana")
    assert "(the file holds refugee status)" in problems(e)["decision"]


def test_a_rejection_after_the_withdrawal_takes_its_course_with_review_notification_and_appeal() -> None:
    c = drafted("rejected_unfounded")
    ch = apply(c, "record_withdrawal", {"withdrawn_on": "2026-08-10", "how": "in_person_in_writing",
                                        "decision": "reject"}, "ana")
    # the case stays where it is: the rejection is reviewed, approved and notified as any other
    assert ch.case == c and ch.event == "withdrawal_recorded" and ch.return_decision is False
    assert ch.detail["legal_basis"] == [APR_40_1, APR_40_4] and ch.detail["outcome"] == "rejected_unfounded"
    # what the next steps decide is not typed here
    with pytest.raises(ValidationProblem) as e:
        apply(c, "record_withdrawal", {"withdrawn_on": "2026-08-10", "how": "in_person_in_writing",
                                       "decision": "reject", "decided_on": "2026-08-11",
                                       "with_return_decision": True}, "ana")
    assert set(problems(e)) == {"decided_on", "with_return_decision"}


def test_a_rejection_already_notified_is_not_taken_again() -> None:
    c = replace(drafted(), state=S.notified, notified_on=date(2026, 8, 6), appeal_deadline=date(2026, 9, 7))
    with pytest.raises(ValidationProblem) as e:
        apply(c, "record_withdrawal", {**WITHDRAWAL, "decision": "reject"}, "ana")
    assert problems(e)["decision"].startswith("the rejection was notified on 2026-08-06: it is not taken again")


def test_a_grant_of_protection_is_not_undone_by_a_withdrawal() -> None:
    c = replace(drafted("subsidiary_protection"), state=S.decided, decided_on=date(2026, 8, 5))
    with pytest.raises(Conflict, match="grants subsidiary protection: a withdrawal of the application does not undo"):
        apply(c, "record_withdrawal", WITHDRAWAL, "ana")


def test_withdrawing_during_a_suspensive_appeal_lets_the_return_decision_run_again() -> None:
    c = replace(drafted(), state=S.appeal_lodged, notified_on=date(2026, 8, 6), return_decision_issued=True,
                appeal_lodged_on=date(2026, 8, 7), suspensive_effect=True)
    ch = apply(c, "record_withdrawal", WITHDRAWAL, "ana")
    assert ch.case.state == S.withdrawn
    # the return decision issued with the notified rejection stays; no second one
    assert ch.return_decision is False and ch.return_decision_action == "lift_suspension"
    with pytest.raises(ValidationProblem) as e:
        apply(c, "record_withdrawal", {**WITHDRAWAL, "with_return_decision": True}, "ana")
    assert "already issued" in problems(e)["with_return_decision"]


def test_before_the_pact_the_examination_is_discontinued_under_the_directive() -> None:
    c = lodged(made_on=date(2026, 3, 2))
    ch = apply(c, "record_withdrawal", {"withdrawn_on": "2026-03-10", "how": "orally_recorded",
                                        "decision": "discontinue", "decided_on": "2026-03-11"}, "ana")
    assert ch.case.state == S.withdrawn and ch.case.outcome == "explicitly_withdrawn"
    assert ch.detail["note"] == "the examination is discontinued" and ch.detail["final"] is False
    # the Return Directive allows the return decision with it (Art 6(6)); it is not the default
    assert ch.return_decision is False and ch.detail["legal_basis"] == [APD_27_1]
    ch = apply(c, "record_withdrawal", {"withdrawn_on": "2026-03-10", "how": "in_person_in_writing",
                                        "decision": "discontinue", "decided_on": "2026-03-11",
                                        "with_return_decision": True}, "ana")
    assert ch.return_decision is True and RD_6_6 in ch.detail["legal_basis"]
    with pytest.raises(ValidationProblem) as e:
        apply(c, "record_withdrawal", {**WITHDRAWAL, "withdrawn_on": "2026-03-10", "decided_on": "2026-03-11"}, "ana")
    assert f"under {APD_27_1}; one of discontinue, reject" in problems(e)["decision"]


def test_an_explicit_withdrawal_is_not_drafted_as_a_decision() -> None:
    c = drafted()
    c = replace(c, state=S.interview_held)
    with pytest.raises(ValidationProblem) as e:
        apply(c, "draft_decision", {"outcome": "explicitly_withdrawn", "reasons": "withdrew"}, "ana")
    assert "record it with the step record_withdrawal" in problems(e)["outcome"]


def test_the_step_takes_its_fields() -> None:
    assert [n for n, _k in ACTION_FIELDS["record_withdrawal"]] == [
        "withdrawn_on", "how", "decision", "decided_on", "with_return_decision", "voluntary_departure_days",
        "entry_ban_years", "entry_ban_months"]
