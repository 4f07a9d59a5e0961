"""The case workflow as a caseworker and a lawyer know it: each step in order, every step refused
outside its states with the reason, the deadlines each state runs against."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pactum.common.errors import Conflict, ValidationProblem
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import (
    ACTION_FIELDS,
    ACTIONS,
    Case,
    apply,
    available_actions,
    border_limit,
    next_deadline,
    suspensive_effect,
)

S = CaseState


def new_case(procedure: str = "regular", made_on: date = date(2026, 8, 3), **kw: object) -> Case:
    return Case(member_state="IT", procedure=procedure, context="sar_disembarkation",
                state=S.made, made_on=made_on, **kw)  # type: ignore[arg-type]


def walk_to_notified(procedure: str = "regular", outcome: str = "rejected_unfounded") -> Case:
    c = new_case(procedure)
    c = apply(c, "register", {"registered_on": "2026-08-03"}, "ana").case
    c = apply(c, "lodge", {"lodged_on": "2026-08-05"}, "ana").case
    c = apply(c, "schedule_interview", {"interview_on": "2026-08-12", "language": "Arabic"}, "ana").case
    c = apply(c, "hold_interview", {"held_on": "2026-08-12", "interpreter_language": "Arabic"}, "ana").case
    c = apply(c, "draft_decision", {"outcome": outcome, "reasons": "no well-founded fear shown (interview record)"}, "ana").case
    c = apply(c, "submit_for_review", {}, "ana").case
    c = apply(c, "approve", {"decided_on": "2026-08-20"}, "ben").case
    return apply(c, "notify", {"notified_on": "2026-08-21"}, "ana").case


def test_the_whole_path_records_every_fact() -> None:
    c = walk_to_notified()
    assert c.state == S.notified
    assert c.interpreter_language == "Arabic" and c.drafted_by == "ana"
    assert c.decided_on == date(2026, 8, 20)
    # regular procedure, APR: 1 month from notification on Fri 21 Aug 2026 -> Mon 21 Sep 2026
    assert c.appeal_deadline == date(2026, 9, 21)
    ch = apply(c, "lodge_appeal", {"lodged_on": "2026-09-21"}, "ana")
    assert ch.case.state == S.appeal_lodged and ch.case.suspensive_effect is True
    done = apply(ch.case, "decide_appeal", {"outcome": "granted_subsidiary_protection",
                                            "decided_on": "2026-12-01"}, "court").case
    assert done.state == S.appeal_decided and done.appeal_outcome == "granted_subsidiary_protection"


ILLEGAL = [(a, s) for a, (allowed, _) in ACTIONS.items() for s in S if s not in allowed]


@pytest.mark.parametrize(("action", "state"), ILLEGAL, ids=[f"{a}-from-{s.value}" for a, s in ILLEGAL])
def test_every_step_outside_its_states_is_refused_with_the_reason(action: str, state: CaseState) -> None:
    c = replace(new_case(), state=state)
    with pytest.raises(Conflict) as e:
        apply(c, action, {}, "ana")
    msg = str(e.value)
    assert msg.startswith("cannot")
    assert state.value in msg or "before" in msg


def test_deciding_before_the_interview_is_refused() -> None:
    c = new_case()
    c = apply(c, "register", {"registered_on": "2026-08-03"}, "ana").case
    c = apply(c, "lodge", {"lodged_on": "2026-08-04"}, "ana").case
    with pytest.raises(Conflict, match="before the personal interview is held"):
        apply(c, "draft_decision", {"outcome": "rejected_unfounded", "reasons": "no well-founded fear shown (interview record)"}, "ana")
    # implicit withdrawal needs no interview (the applicant did not appear)
    assert apply(c, "draft_decision", {"outcome": "implicitly_withdrawn", "reasons": "did not appear for the interview"}, "ana").case.state == S.draft_decision


def test_appealing_after_the_time_limit_is_refused() -> None:
    c = walk_to_notified()
    with pytest.raises(Conflict, match="after the time limit ended on 2026-09-21"):
        apply(c, "lodge_appeal", {"lodged_on": "2026-09-22"}, "ana")


def test_appeal_time_limit_in_the_border_procedure_is_ten_days() -> None:
    # APR Art 67(7)(a) (OJ L, 2024/1348): five to ten days; the platform uses the ten
    c = walk_to_notified("border", "rejected_manifestly_unfounded")
    assert c.appeal_deadline == date(2026, 8, 31)
    assert suspensive_effect(c)[0] is False


def test_the_drafter_cannot_approve_and_a_returned_draft_goes_back() -> None:
    c = new_case()
    for action, p in [("register", {"registered_on": "2026-08-03"}), ("lodge", {"lodged_on": "2026-08-04"}),
                      ("schedule_interview", {"interview_on": "2026-08-05", "language": "Dari"}),
                      ("hold_interview", {"held_on": "2026-08-05", "interpreter_language": "Dari"}),
                      ("draft_decision", {"outcome": "refugee_status"}), ("submit_for_review", {})]:
        c = apply(c, action, p, "ana").case
    with pytest.raises(Conflict, match="another officer"):
        apply(c, "approve", {"decided_on": "2026-08-10"}, "ana")
    # so the drafter is not offered the approval; the reviewer is
    assert "approve" not in available_actions(c, "ana") and "return_draft" in available_actions(c, "ana")
    assert available_actions(c, "ben") == ["approve", "return_draft", "close_transferred", "record_withdrawal"]
    with pytest.raises(ValidationProblem):
        apply(c, "return_draft", {}, "ben")
    assert apply(c, "return_draft", {"reason": "cite COI"}, "ben").case.state == S.draft_decision


def test_return_decision_only_with_a_negative_decision() -> None:
    c = walk_to_notified()
    pos = replace(c, state=S.decided, outcome="refugee_status", notified_on=None)
    with pytest.raises(Conflict, match="negative decision"):
        apply(pos, "notify", {"notified_on": "2026-08-21", "with_return_decision": True}, "ana")
    neg = replace(c, state=S.decided, notified_on=None)
    assert apply(neg, "notify", {"notified_on": "2026-08-21", "with_return_decision": True}, "ana").return_decision


def test_manifestly_unfounded_only_in_accelerated_or_border_procedure() -> None:
    c = replace(new_case("regular"), state=S.interview_held, interview_held_on=date(2026, 8, 5))
    with pytest.raises(Conflict, match="manifestly unfounded"):
        apply(c, "draft_decision", {"outcome": "rejected_manifestly_unfounded", "reasons": "no well-founded fear shown (interview record)"}, "ana")
    acc = replace(c, procedure="accelerated")
    assert apply(acc, "draft_decision", {"outcome": "rejected_manifestly_unfounded", "reasons": "no well-founded fear shown (interview record)"}, "ana").case.outcome


def test_remitted_appeal_reopens_the_examination() -> None:
    c = walk_to_notified()
    c = apply(c, "lodge_appeal", {"lodged_on": "2026-09-01"}, "ana").case
    c = apply(c, "decide_appeal", {"outcome": "remitted", "decided_on": "2026-11-02"}, "court").case
    assert c.state == S.lodged and c.outcome is None and c.interview_held_on is None


def test_bad_fields_are_named() -> None:
    with pytest.raises(ValidationProblem) as e:
        apply(new_case(), "register", {"registered_on": "2026-07-01"}, "ana")
    assert e.value.problems[0][0] == "registered_on"
    c = replace(new_case(), state=S.interview_scheduled, lodged_on=date(2026, 8, 4))
    with pytest.raises(ValidationProblem) as e:
        apply(c, "hold_interview", {"held_on": "2026-08-06"}, "ana")
    assert e.value.problems[0][0] == "interpreter_language"
    with pytest.raises(ValidationProblem):
        apply(c, "no_such_step", {}, "ana")


def test_deadlines_per_state() -> None:
    c = new_case()
    d = next_deadline(c)
    # registration 5 days from Mon 3 Aug 2026 is Sat 8 Aug -> Reg. 1182/71 Art 3(4): Mon 10 Aug
    assert d is not None and (d.kind, d.due) == ("registration", date(2026, 8, 10))
    pre = next_deadline(new_case(made_on=date(2025, 8, 1)))  # Directive: 3 working days from Fri
    assert pre is not None and pre.due == date(2025, 8, 6)
    reg = apply(c, "register", {"registered_on": "2026-08-03"}, "ana").case
    dl = next_deadline(reg)
    assert dl is not None and dl.kind == "lodging" and dl.due == date(2026, 8, 24)
    lodged = apply(reg, "lodge", {"lodged_on": "2026-08-05"}, "ana").case
    dl = next_deadline(lodged)
    assert dl is not None and dl.kind == "examination_regular" and dl.due == date(2027, 2, 5)
    acc = replace(lodged, procedure="accelerated")
    dl = next_deadline(acc)
    assert dl is not None and dl.due == date(2026, 11, 5)
    border = replace(lodged, procedure="border")
    dl = next_deadline(border)
    assert dl is not None and dl.kind == "border_procedure_end" and dl.due == date(2026, 10, 26)
    assert next_deadline(replace(lodged, state=S.final)) is None


def test_border_limit_is_16_weeks_after_relocation_and_4_weeks_before_the_apr() -> None:
    def border(made_on: date, context: str) -> Case:
        return replace(new_case("border", made_on), context=context, state=S.registered, registered_on=made_on)

    assert border_limit(border(date(2026, 8, 3), "sar_disembarkation"))[0] == 84
    assert border_limit(border(date(2026, 8, 3), "relocation"))[0] == 112
    assert border_limit(border(date(2025, 8, 3), "border_crossing_point"))[0] == 28


def test_every_action_documents_its_fields() -> None:
    assert set(ACTION_FIELDS) == set(ACTIONS)


def test_a_period_of_one_is_written_in_the_singular() -> None:
    import re

    from pactum.law.periods import length_words
    from pactum.procedures.workflow import appeal_deadline

    # regular procedure, APR: the appeal time limit is 1 month (Art 67(7)(b))
    due, computation = appeal_deadline(walk_to_notified(), date(2026, 8, 21))
    assert due == date(2026, 9, 21)
    assert computation[0].startswith("1 month from 2026-08-21 (")
    assert not any(re.search(r"\b1 (month|year|week|day|working day)s\b", line) for line in computation)
    # border procedure: 10 days stays plural
    assert appeal_deadline(walk_to_notified("border", "rejected_manifestly_unfounded"),
                           date(2026, 8, 21))[1][0].startswith("10 days from 2026-08-21 (")
    assert [length_words(1, u) for u in ("months", "years", "weeks", "days", "working_days")] == [
        "1 month", "1 year", "1 week", "1 day", "1 working day"]
    assert length_words(2, "months") == "2 months"


def _interviewed(made_on: date) -> Case:
    c = new_case(made_on=made_on)
    d = made_on.isoformat()
    c = apply(c, "register", {"registered_on": d}, "ana").case
    c = apply(c, "lodge", {"lodged_on": d}, "ana").case
    c = apply(c, "schedule_interview", {"interview_on": d, "language": "Arabic"}, "ana").case
    return apply(c, "hold_interview", {"held_on": d, "interpreter_language": "Arabic"}, "ana").case


@pytest.mark.parametrize("outcome", ["rejected_unfounded", "rejected_manifestly_unfounded", "inadmissible",
                                     "implicitly_withdrawn", "subsidiary_protection"])
def test_a_decision_that_rejects_states_its_reasons_in_fact_and_in_law(outcome: str) -> None:
    """APR Art 36(2): a rejection (as inadmissible, unfounded or manifestly unfounded with regard to
    refugee status or subsidiary protection status, or as withdrawn) states the reasons in fact and
    in law; granting subsidiary protection alone rejects the claim to refugee status. Before the
    Pact, the Directive's Art 11(2)."""
    payload = {"outcome": outcome, "inadmissibility_ground": "safe_third_country"}
    pact = replace(_interviewed(date(2026, 8, 3)), procedure="accelerated")
    with pytest.raises(ValidationProblem) as err:
        apply(pact, "draft_decision", payload | {"reasons": "  "}, "ana")
    assert err.value.problems[0][0] == "reasons" and "Article 36(2)" in err.value.problems[0][1]
    assert "2024/1348" in err.value.problems[0][1]
    old = replace(_interviewed(date(2026, 3, 2)), procedure="accelerated")
    with pytest.raises(ValidationProblem, match=r"2013/32/EU, Article 11\(2\)"):
        apply(old, "draft_decision", payload, "ana")
    drafted = apply(pact, "draft_decision", payload | {"reasons": "no risk on return shown"}, "ana")
    assert drafted.case.state == S.draft_decision and drafted.detail["reasons"] == "no risk on return shown"


def test_refugee_status_needs_no_statement_of_reasons() -> None:
    assert apply(_interviewed(date(2026, 8, 3)), "draft_decision", {"outcome": "refugee_status"},
                 "ana").case.outcome == "refugee_status"


def test_a_deadline_follows_a_change_of_its_legal_parameter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Periods are computed once per parameter tree: a value a legal officer changes is the one
    the next deadline runs on, and the old one comes back with the old tree."""
    import pactum.law.tree as tree_module

    c = new_case()  # made Mon 3 Aug 2026 in Italy
    first = next_deadline(c)
    assert first is not None and first.due == date(2026, 8, 10)  # 5 days, Sat 8 Aug -> Mon 10 Aug
    first.computation.clear()  # what a caller does with its copy changes no later answer
    histories = dict(tree_module.tree())
    h = histories["apr.registration.time_limit"]
    histories[h.path] = replace(h, values=((h.values[0][0], 15, "days"),))
    monkeypatch.setattr(tree_module, "tree", lambda: histories)
    changed = next_deadline(c)
    assert changed is not None and changed.due == date(2026, 8, 18)  # 15 days: Tue 18 Aug
    assert changed.computation[0].startswith("15 days from 2026-08-03")
    monkeypatch.undo()
    again = next_deadline(c)
    assert again is not None and again.due == date(2026, 8, 10)
    assert again.computation[0].startswith("5 days from 2026-08-03")
