"""A subsequent application whose preliminary examination found new elements is examined on the
merits, and under the APR in the accelerated procedure. Read in the Italian Official Journal text of
Regulation (EU) 2024/1348 (d5p2rnkdz9-hub/SOSPATTO, public/patto-interattivo/1348.html): Art 55(6),
"if new elements ... have been presented or have arisen, the application is further examined on the
merits"; Art 42(1)(g), the determining authority "accelerates the examination on the merits" where
"it is a subsequent application that is not inadmissible"; Art 35(3), three months from lodging.
Pactum had no step for the finding: the case stayed in the admissibility procedure, its next deadline
the admissibility examination's two months (Art 35(1)), and it could still be rejected as
inadmissible on the ground of the subsequent application. Under Directive 2013/32/EU the
application "is further examined in conformity with Chapter II" (Art 40(3))."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import Conflict
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import Case, apply, available_actions, next_deadline


def _lodged(*, subsequent: bool = True, made_on: date = date(2026, 8, 3)) -> Case:
    day = made_on.isoformat()
    procedure = "admissibility" if subsequent else "regular"
    c = Case(member_state="IT", procedure=procedure, context="in_territory", state=CaseState.made,
             made_on=made_on, subsequent_application=subsequent)
    c = apply(c, "register", {"registered_on": day}, "ana").case
    return apply(c, "lodge", {"lodged_on": day}, "ana").case


def test_found_admissible_it_is_examined_in_the_accelerated_procedure_within_three_months() -> None:
    c = _lodged()
    before = next_deadline(c)
    assert before is not None and before.kind == "examination_admissibility" and before.due == date(2026, 10, 5)
    assert "admit_subsequent" in available_actions(c, "ana")
    change = apply(c, "admit_subsequent", {"found_on": "2026-08-20"}, "ana")
    assert change.event == "subsequent_admitted" and change.case.procedure == "accelerated"
    assert change.detail["legal_basis"] == ["Regulation (EU) 2024/1348, Article 55(6)",
                                            "Regulation (EU) 2024/1348, Article 42(1)(g)"]
    after = next_deadline(change.case)
    # three months from lodging on Mon 3 Aug 2026 (Art 35(3)), no longer two (Art 35(1))
    assert after is not None and after.kind == "examination_accelerated" and after.due == date(2026, 11, 3)
    assert "Article 35(3)" in after.legal_basis
    assert "admit_subsequent" not in available_actions(change.case, "ana")


def test_once_admitted_it_is_not_rejected_as_inadmissible_on_that_ground_but_may_be_manifestly_unfounded() -> None:
    c = apply(_lodged(), "admit_subsequent", {"found_on": "2026-08-20"}, "ana").case
    c = apply(c, "schedule_interview", {"interview_on": "2026-08-24", "language": "Arabic"}, "ana").case
    c = apply(c, "hold_interview", {"held_on": "2026-08-24", "interpreter_language": "Arabic"}, "ana").case
    with pytest.raises(Conflict, match="found new elements"):
        apply(c, "draft_decision", {"outcome": "inadmissible", "inadmissibility_ground": "subsequent_application",
                                    "reasons": "no new element"}, "ana")
    drafted = apply(c, "draft_decision", {"outcome": "rejected_manifestly_unfounded",
                                          "reasons": "the new elements do not substantiate the fear"}, "ana").case
    assert drafted.outcome == "rejected_manifestly_unfounded"


def test_only_a_subsequent_application_in_its_preliminary_examination_is_admitted() -> None:
    first = _lodged(subsequent=False)
    assert "admit_subsequent" not in available_actions(first, "ana")
    with pytest.raises(Conflict, match="preliminary examination"):
        apply(first, "admit_subsequent", {"found_on": "2026-08-20"}, "ana")
    admitted = apply(_lodged(), "admit_subsequent", {"found_on": "2026-08-20"}, "ana").case
    with pytest.raises(Conflict):
        apply(admitted, "admit_subsequent", {"found_on": "2026-08-21"}, "ana")


def test_under_the_directive_it_is_examined_further_in_the_examination_procedure() -> None:
    c = _lodged(made_on=date(2026, 3, 2))
    change = apply(c, "admit_subsequent", {"found_on": "2026-03-20"}, "ana")
    assert change.case.procedure == "regular"
    assert change.detail["legal_basis"] == ["Directive 2013/32/EU, Article 40(3)"]
    dl = next_deadline(change.case)
    assert dl is not None and dl.kind == "examination_regular" and dl.due == date(2026, 9, 2)
