"""What an appeal does to the return decision issued with the negative decision, the appeal outcome
of a second appeal, the terms of a return decision on notification, and the citations of the law
the case falls under (the APR from 12 June 2026, the Asylum Procedures Directive before)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pactum.common.errors import Conflict, ValidationProblem
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import ACTION_FIELDS, Case, apply

S = CaseState


def notified(procedure: str = "regular", outcome: str = "rejected_unfounded",
             made_on: date = date(2026, 8, 3)) -> Case:
    d = made_on
    c = Case(member_state="IT", procedure=procedure, context="in_territory", state=S.made, made_on=d)
    steps = [("register", {"registered_on": d}), ("lodge", {"lodged_on": d}),
             ("schedule_interview", {"interview_on": d, "language": "Arabic"}),
             ("hold_interview", {"held_on": d, "interpreter_language": "Arabic"}),
             ("draft_decision", {"outcome": outcome, "reasons": "no well-founded fear shown (interview record)"}), ("submit_for_review", {})]
    for action, payload in steps:
        c = apply(c, action, payload, "ana").case
    c = apply(c, "approve", {"decided_on": d}, "ben").case
    return apply(c, "notify", {"notified_on": d, "with_return_decision": True}, "ana").case


def test_a_suspensive_appeal_suspends_the_return_decision_and_the_outcome_says_what_follows() -> None:
    c = notified()  # regular procedure, APR: the appeal suspends automatically (Art 68(2))
    lodged = apply(c, "lodge_appeal", {"lodged_on": "2026-08-10"}, "ana")
    assert lodged.case.suspensive_effect is True and lodged.return_decision_action == "suspend"
    dismissed = apply(lodged.case, "decide_appeal", {"outcome": "dismissed", "decided_on": "2026-10-01"}, "court")
    assert dismissed.return_decision_action == "lift_suspension"
    for annulled in ("remitted", "granted_refugee_status", "granted_subsidiary_protection"):
        ch = apply(lodged.case, "decide_appeal", {"outcome": annulled, "decided_on": "2026-10-01"}, "court")
        assert ch.return_decision_action == "withdraw"


def test_an_appeal_without_automatic_suspensive_effect_leaves_the_return_decision() -> None:
    c = notified("border", "rejected_manifestly_unfounded")  # APR Art 68(3): the court decides
    lodged = apply(c, "lodge_appeal", {"lodged_on": "2026-08-10"}, "ana")
    assert lodged.case.suspensive_effect is False and lodged.return_decision_action is None


def test_a_second_appeal_after_a_remittal_has_no_outcome_yet() -> None:
    c = apply(notified(), "lodge_appeal", {"lodged_on": "2026-08-10"}, "ana").case
    c = apply(c, "decide_appeal", {"outcome": "remitted", "decided_on": "2026-09-01"}, "court").case
    assert c.appeal_outcome == "remitted"
    for action, payload in [("schedule_interview", {"interview_on": "2026-09-10", "language": "Arabic"}),
                            ("hold_interview", {"held_on": "2026-09-10", "interpreter_language": "Arabic"}),
                            ("draft_decision", {"outcome": "rejected_unfounded", "reasons": "no well-founded fear shown (interview record)"}), ("submit_for_review", {})]:
        c = apply(c, action, payload, "ana").case
    c = apply(c, "approve", {"decided_on": "2026-09-20"}, "ben").case
    c = apply(c, "notify", {"notified_on": "2026-09-21"}, "ana").case
    second = apply(c, "lodge_appeal", {"lodged_on": "2026-09-25"}, "ana").case
    assert second.state == S.appeal_lodged and second.appeal_outcome is None


def test_the_terms_of_a_return_decision_need_one() -> None:
    assert ("entry_ban_years", "number") in ACTION_FIELDS["notify"]  # the web form offers it
    decided = replace(notified(), state=S.decided, notified_on=None, appeal_deadline=None)
    with pytest.raises(ValidationProblem) as e:
        apply(decided, "notify", {"notified_on": "2026-08-03", "entry_ban_years": 2}, "ana")
    assert [f for f, _ in e.value.problems] == ["entry_ban_years"]
    done = apply(decided, "notify", {"notified_on": "2026-08-03", "with_return_decision": True,
                                     "entry_ban_years": 2}, "ana")
    assert done.return_decision


def test_a_case_under_the_directive_cites_the_directive() -> None:
    # made on 1 March 2026, before the APR applies: Directive 2013/32/EU governs the case
    old = notified(made_on=date(2026, 3, 2))
    timeline_basis = apply(
        apply(replace(old, state=S.lodged, interview_held_on=None), "schedule_interview",
              {"interview_on": "2026-03-03", "language": "Arabic"}, "ana").case,
        "hold_interview", {"held_on": "2026-03-03", "interpreter_language": "Arabic"}, "ana"
    ).detail["legal_basis"]
    assert timeline_basis == "Directive 2013/32/EU, Article 14"
    lodged = replace(old, state=S.lodged, interview_held_on=None, outcome=None)
    with pytest.raises(Conflict, match=r"\(Directive 2013/32/EU, Article 14\)"):
        apply(lodged, "draft_decision", {"outcome": "rejected_unfounded", "reasons": "no well-founded fear shown (interview record)"}, "ana")
    held = replace(lodged, state=S.interview_held, interview_held_on=date(2026, 3, 3))
    with pytest.raises(Conflict, match=r"Directive 2013/32/EU, Article 32\(2\)"):
        apply(held, "draft_decision", {"outcome": "rejected_manifestly_unfounded", "reasons": "no well-founded fear shown (interview record)"}, "ana")
    # the same under the APR
    new = replace(notified(), state=S.interview_held, outcome=None)
    # declared manifestly unfounded under Art 39(4) (Art 39(3) is the rejection as unfounded)
    with pytest.raises(Conflict, match=r"Regulation \(EU\) 2024/1348, Article 39\(4\)"):
        apply(new, "draft_decision", {"outcome": "rejected_manifestly_unfounded", "reasons": "no well-founded fear shown (interview record)"}, "ana")
    held_new = apply(replace(new, state=S.interview_scheduled), "hold_interview",
                     {"held_on": "2026-08-04", "interpreter_language": "Arabic"}, "ana")
    assert held_new.detail["legal_basis"] == "Regulation (EU) 2024/1348, Article 12(1)"
