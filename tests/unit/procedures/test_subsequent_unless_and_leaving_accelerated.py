"""APR Art 55(6)'s "unless" and the ways out of the accelerated procedure (Arts 42(2), 21(2)).

Read in the Italian Official Journal text of Regulation (EU) 2024/1348. Art 55(6): where new
elements are found, "the application is further examined on the merits, unless the application may
be considered inadmissible on the basis of another ground of Article 38(1)". Art 42(1)(g): the
examination of "a subsequent application that is not inadmissible" is accelerated; Art 42(3)(c)
allows it for an unaccompanied minor too. Art 42(2): the determining authority "may continue the
examination on the merits in accordance with Article 35(4) and Article 39" where the issues of fact
or law are too complex for the accelerated procedure, and "the applicant is informed of the change
in procedure". Art 21(2): where the support an applicant in need of special procedural guarantees
needs cannot be provided in the accelerated procedure, the authority "does not apply, or ceases to
apply" it. Art 35(3): three months from lodging; Art 35(4): six months.

Before, ``admit_subsequent`` always moved the case to the accelerated procedure (no other ground
could be examined first), and nothing let a case leave the accelerated procedure."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import Conflict, ValidationProblem
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import (
    Case,
    appeal_deadline,
    apply,
    available_actions,
    next_deadline,
    suspensive_effect,
)


def _lodged(*, subsequent: bool = True, procedure: str | None = None, made_on: date = date(2026, 8, 3),
            minor: bool = False) -> Case:
    day = made_on.isoformat()
    c = Case(member_state="IT", procedure=procedure or ("admissibility" if subsequent else "regular"),
             context="in_territory", state=CaseState.made, made_on=made_on, subsequent_application=subsequent,
             unaccompanied_minor=minor)
    c = apply(c, "register", {"registered_on": day}, "ana").case
    return apply(c, "lodge", {"lodged_on": day}, "ana").case


def _heard(c: Case) -> Case:
    c = apply(c, "schedule_interview", {"interview_on": "2026-08-24", "language": "Tigrinya"}, "ana").case
    return apply(c, "hold_interview", {"held_on": "2026-08-24", "interpreter_language": "Tigrinya"}, "ana").case


def test_new_elements_but_another_ground_of_art_38_1_keeps_the_admissibility_examination() -> None:
    change = apply(_lodged(), "admit_subsequent",
                   {"found_on": "2026-08-20", "inadmissibility_ground": "safe_third_country"}, "ana")
    c = change.case
    assert c.procedure == "admissibility" and c.new_elements_found_on == date(2026, 8, 20)
    assert change.detail["legal_basis"] == ["Regulation (EU) 2024/1348, Article 55(6)",
                                            "Regulation (EU) 2024/1348, Article 38(1)(b)",
                                            "Regulation (EU) 2024/1348, Article 35(1)"]
    dl = next_deadline(c)  # the admissibility examination's two months from lodging (Art 35(1)), not three
    assert dl is not None and dl.kind == "examination_admissibility" and dl.due == date(2026, 10, 5)
    acts = available_actions(c, "ana")
    assert "admit_subsequent" not in acts and "examine_on_merits" in acts
    c = _heard(c)
    with pytest.raises(Conflict, match="found new elements"):  # Art 38(2) is no longer open
        apply(c, "draft_decision", {"outcome": "inadmissible", "inadmissibility_ground": "subsequent_application",
                                    "reasons": "x"}, "ana")
    with pytest.raises(Conflict, match="examine_on_merits"):  # the merits wait on the other ground
        apply(c, "draft_decision", {"outcome": "rejected_unfounded", "reasons": "no fear"}, "ana")
    drafted = apply(c, "draft_decision", {"outcome": "inadmissible", "inadmissibility_ground": "safe_third_country",
                                          "reasons": "Albania is a safe third country for the applicant"}, "ana").case
    assert drafted.inadmissibility_ground == "safe_third_country"


def test_the_other_ground_not_applying_the_application_goes_to_the_accelerated_procedure() -> None:
    c = apply(_lodged(), "admit_subsequent",
              {"found_on": "2026-08-20", "inadmissibility_ground": "first_country_of_asylum"}, "ana").case
    with pytest.raises(ValidationProblem) as exc:
        apply(c, "examine_on_merits", {"found_on": "2026-08-19"}, "ana")
    assert exc.value.problems[0][0] == "found_on"
    change = apply(c, "examine_on_merits", {"found_on": "2026-09-01"}, "ana")
    assert change.event == "subsequent_not_inadmissible" and change.case.procedure == "accelerated"
    assert change.detail["legal_basis"] == ["Regulation (EU) 2024/1348, Article 55(6)",
                                            "Regulation (EU) 2024/1348, Article 42(1)(g)"]
    dl = next_deadline(change.case)
    assert dl is not None and dl.kind == "examination_accelerated" and dl.due == date(2026, 11, 3)
    assert "examine_on_merits" not in available_actions(change.case, "ana")


def test_the_other_ground_must_be_one_of_art_38_1_and_only_under_the_apr() -> None:
    with pytest.raises(ValidationProblem) as exc:
        apply(_lodged(), "admit_subsequent", {"found_on": "2026-08-20",
                                              "inadmissibility_ground": "subsequent_application"}, "ana")
    assert exc.value.problems[0][0] == "inadmissibility_ground" and "Article 38(1)" in exc.value.problems[0][1]
    with pytest.raises(ValidationProblem) as exc:
        apply(_lodged(made_on=date(2026, 3, 2)), "admit_subsequent",
              {"found_on": "2026-03-20", "inadmissibility_ground": "safe_third_country"}, "ana")
    assert exc.value.problems[0][0] == "inadmissibility_ground" and "Article 40(3)" in exc.value.problems[0][1]


def test_an_unaccompanied_minors_subsequent_application_is_accelerated_under_art_42_3_c() -> None:
    change = apply(_lodged(minor=True), "admit_subsequent", {"found_on": "2026-08-20"}, "ana")
    assert change.case.procedure == "accelerated"
    assert "Regulation (EU) 2024/1348, Article 42(3)(c)" in change.detail["legal_basis"]


def test_too_complex_for_the_accelerated_procedure_it_continues_within_six_months_the_applicant_informed() -> None:
    c = _lodged(subsequent=False, procedure="accelerated")
    assert "leave_accelerated" in available_actions(c, "ana")
    with pytest.raises(ValidationProblem) as exc:
        apply(c, "leave_accelerated", {"changed_on": "2026-09-10", "change_reason": "too_complex"}, "ana")
    assert [f for f, _m in exc.value.problems] == ["applicant_informed"]
    assert "Article 42(2)" in exc.value.problems[0][1]
    change = apply(c, "leave_accelerated", {"changed_on": "2026-09-10", "change_reason": "too_complex",
                                            "applicant_informed": True}, "ana")
    assert change.event == "accelerated_left" and change.case.procedure == "regular"
    assert change.detail["legal_basis"] == ["Regulation (EU) 2024/1348, Article 42(2)",
                                            "Regulation (EU) 2024/1348, Article 35(4)",
                                            "Regulation (EU) 2024/1348, Article 39"]
    dl = next_deadline(change.case)  # six months from lodging on 3 August 2026 (Art 35(4)), not three
    assert dl is not None and dl.kind == "examination_regular" and dl.due == date(2027, 2, 3)
    assert "leave_accelerated" not in available_actions(change.case, "ana")
    # a rejection is no longer one "in the accelerated procedure": the appeal keeps its automatic
    # suspensive effect (Art 68(2)), not Art 68(3)(a)(i); but the circumstance of Art 42(1) still
    # applies at the decision, so the appeal's time limit stays Art 67(7)(a)'s ten days at most
    heard = _heard(change.case)
    rejected = apply(heard, "draft_decision", {"outcome": "rejected_unfounded", "reasons": "x"}, "ana").case
    assert suspensive_effect(rejected)[0] is True
    due, steps = appeal_deadline(rejected, date(2026, 9, 30))
    assert due == date(2026, 10, 12) and any("Article 67(7)(a)" in s for s in steps)


def test_special_procedural_guarantees_cease_the_accelerated_procedure_under_art_21_2() -> None:
    c = _lodged(subsequent=False, procedure="accelerated")
    change = apply(c, "leave_accelerated", {"changed_on": "2026-08-10",
                                            "change_reason": "special_procedural_guarantees"}, "ana")
    assert change.case.procedure == "regular"
    assert change.detail["legal_basis"][0] == "Regulation (EU) 2024/1348, Article 21(2)"


def test_leaving_is_refused_outside_the_accelerated_procedure_under_the_directive_and_with_bad_fields() -> None:
    with pytest.raises(Conflict, match="accelerated procedure"):
        apply(_lodged(subsequent=False), "leave_accelerated",
              {"changed_on": "2026-08-10", "change_reason": "special_procedural_guarantees"}, "ana")
    directive = _lodged(subsequent=False, procedure="accelerated", made_on=date(2026, 3, 2))
    assert "leave_accelerated" not in available_actions(directive, "ana")
    with pytest.raises(Conflict, match="Article 31\\(8\\)"):
        apply(directive, "leave_accelerated", {"changed_on": "2026-03-10", "change_reason": "too_complex",
                                               "applicant_informed": True}, "ana")
    with pytest.raises(ValidationProblem) as exc:
        apply(_lodged(subsequent=False, procedure="accelerated"), "leave_accelerated",
              {"changed_on": "2026-08-01", "change_reason": "tired"}, "ana")
    assert sorted(f for f, _m in exc.value.problems) == ["change_reason", "changed_on"]


def test_a_subsequent_application_left_the_accelerated_procedure_keeps_its_appeal_rules() -> None:
    c = apply(_lodged(), "admit_subsequent", {"found_on": "2026-08-20"}, "ana").case
    c = apply(c, "leave_accelerated", {"changed_on": "2026-09-10", "change_reason": "too_complex",
                                       "applicant_informed": True}, "ana").case
    assert c.procedure == "regular"
    heard = _heard(c)
    with pytest.raises(Conflict, match="found new elements"):
        apply(heard, "draft_decision", {"outcome": "inadmissible", "inadmissibility_ground": "subsequent_application",
                                        "reasons": "x"}, "ana")
    rejected = apply(heard, "draft_decision", {"outcome": "rejected_unfounded", "reasons": "x"}, "ana").case
    assert suspensive_effect(rejected)[0] is False  # Art 68(3)(d)
