"""APR Art 43(3) (read in the Italian Official Journal text, 1348.html): the applicant is not
authorised to enter at the end of the border procedure where the appeal gives no right to remain
and the court refused leave to remain (c) or none was asked in time (b); "in the cases of the first
subparagraph, where the applicant is the subject of a return decision ... Article 4 of Regulation
(EU) 2024/1349 applies". Pactum said the return border procedure applies to a case notified
without a return decision too."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pactum.procedures.model import CaseState
from pactum.procedures.workflow import Case, apply, entry_at_border_end


def _refused_leave() -> Case:
    c = Case(member_state="IT", procedure="border", context="sar_disembarkation", state=CaseState.made,
             made_on=date(2026, 8, 3))
    for action, payload, who in (
            ("register", {"registered_on": "2026-08-03"}, "ana"), ("lodge", {"lodged_on": "2026-08-04"}, "ana"),
            ("schedule_interview", {"interview_on": "2026-08-10", "language": "Bengali"}, "ana"),
            ("hold_interview", {"held_on": "2026-08-10", "interpreter_language": "Bengali"}, "ana"),
            ("draft_decision", {"outcome": "rejected_unfounded", "reasons": "no well-founded fear"}, "ana"),
            ("submit_for_review", {}, "ana"), ("approve", {"decided_on": "2026-08-20"}, "ben"),
            ("notify", {"notified_on": "2026-08-21"}, "ana"), ("lodge_appeal", {"lodged_on": "2026-08-24"}, "ana"),
            ("request_to_remain", {"requested_on": "2026-08-25"}, "ana"),
            ("decide_request_to_remain", {"decided_on": "2026-09-01", "allowed": False}, "ana")):
        c = apply(c, action, payload, who).case
    return c


def test_without_a_return_decision_the_return_border_procedure_is_not_said_to_apply() -> None:
    entry, why = entry_at_border_end(_refused_leave(), date(2026, 11, 1))
    assert entry is False and why.startswith("Regulation (EU) 2024/1348, Article 43(3)(c)")
    assert "no return decision was issued with the decision" in why
    assert "Regulation (EU) 2024/1349, Article 4 applies once one is" in why


def test_with_a_return_decision_it_applies() -> None:
    entry, why = entry_at_border_end(replace(_refused_leave(), return_decision_issued=True), date(2026, 11, 1))
    assert entry is False and why.endswith("Regulation (EU) 2024/1349, Article 4 applies")


def test_a_final_case_without_an_appeal_says_nothing_of_leave_to_remain() -> None:
    """Leave to remain is asked pending an appeal (APR Art 68(4)): a decision that became final
    without one has none to ask for; the case page still said the time to ask had passed."""
    from pactum.procedures.workflow import remain_facts

    c = Case(member_state="IT", procedure="border", context="sar_disembarkation", state=CaseState.made,
             made_on=date(2026, 8, 3))
    for action, payload, who in (
            ("register", {"registered_on": "2026-08-03"}, "ana"), ("lodge", {"lodged_on": "2026-08-04"}, "ana"),
            ("schedule_interview", {"interview_on": "2026-08-10", "language": "Bengali"}, "ana"),
            ("hold_interview", {"held_on": "2026-08-10", "interpreter_language": "Bengali"}, "ana"),
            ("draft_decision", {"outcome": "rejected_unfounded", "reasons": "no well-founded fear"}, "ana"),
            ("submit_for_review", {}, "ana"), ("approve", {"decided_on": "2026-08-20"}, "ben"),
            ("notify", {"notified_on": "2026-08-21"}, "ana")):
        c = apply(c, action, payload, who).case
    assert remain_facts(c, date(2026, 8, 22)) is not None  # notified: the time to ask runs
    final = apply(c, "close", {"on": "2026-09-15"}, "ana").case
    assert remain_facts(final, date(2026, 9, 16)) is None
