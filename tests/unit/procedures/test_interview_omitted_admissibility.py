"""The admissibility interview omitted, in the workflow: APR Art 13(11)(d) (a subsequent application's
preliminary examination, Art 55(4), on a written statement) and (e) (the application inadmissible
under Art 38(1)(c): another Member State granted protection), read in the Italian Official Journal
text; before the Pact Directive 2013/32/EU Art 34(1) with 42(2)(b). Before, ``omit_interview`` knew
only points (a) and (c): a subsequent application without new elements, or an applicant protected
in another Member State, could not be declared inadmissible without an interview being held."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pactum.common.errors import Conflict, ValidationProblem
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import Case, apply, available_actions, draft_before_interview

APR_D = "Regulation (EU) 2024/1348, Article 13(11)(d)"
APR_E = "Regulation (EU) 2024/1348, Article 13(11)(e)"


def _lodged(*, subsequent: bool = False, made: str = "2026-08-03", lodged: str = "2026-08-04") -> Case:
    c = Case(
        member_state="IT",
        procedure="admissibility" if subsequent else "regular",
        context="in_territory",
        state=CaseState.made,
        made_on=date.fromisoformat(made),
        subsequent_application=subsequent,
    )
    c = apply(c, "register", {"registered_on": made}, "ana").case
    return apply(c, "lodge", {"lodged_on": lodged}, "ana").case


def _omit(c: Case, ground: str, **more: Any) -> Case:
    return apply(
        c,
        "omit_interview",
        {
            "omitted_on": "2026-08-20",
            "omission_ground": ground,
            "omission_reason": "written statement of 18 August",
            **more,
        },
        "ana",
    ).case


def _fields(exc: pytest.ExceptionInfo[ValidationProblem]) -> dict[str, str]:
    return dict(exc.value.problems)


def _draft(c: Case, outcome: str, **more: Any) -> Case:
    return apply(
        c, "draft_decision", {"outcome": outcome, "reasons": "in fact and in law", **more}, "ana"
    ).case


def test_a_subsequent_application_without_new_elements_is_inadmissible_without_an_interview() -> None:
    change = apply(
        _lodged(subsequent=True),
        "omit_interview",
        {
            "omitted_on": "2026-08-20",
            "omission_ground": "written_preliminary_examination",
            "omission_reason": "written statement of 18 August: no new elements",
        },
        "ana",
    )
    assert change.event == "interview_omitted"
    assert change.detail["legal_basis"] == [APR_D]
    assert change.detail["interview"] == "admissibility"
    assert change.detail["inadmissibility_ground"] == "subsequent_application"
    c = change.case
    before = draft_before_interview(c)
    assert before is not None and before["outcomes"] == ["inadmissible", "implicitly_withdrawn"]
    drafted = apply(
        c,
        "draft_decision",
        {
            "outcome": "inadmissible",
            "inadmissibility_ground": "subsequent_application",
            "reasons": "no new elements",
        },
        "ana",
    )
    assert drafted.detail["interview_omitted"]["ground"] == "written_preliminary_examination"
    c = apply(drafted.case, "submit_for_review", {}, "ana").case
    with pytest.raises(ValidationProblem) as exc:
        apply(c, "approve", {"decided_on": "2026-08-19"}, "ben")
    assert "decided_on" in _fields(exc)
    assert apply(c, "approve", {"decided_on": "2026-08-21"}, "ben").case.state == CaseState.decided


def test_the_written_examination_omits_no_interview_on_the_merits() -> None:
    c = _omit(_lodged(subsequent=True), "written_preliminary_examination")
    with pytest.raises(ValidationProblem) as exc:
        _draft(c, "rejected_unfounded")
    assert "interview on the merits" in _fields(exc)["outcome"]
    with pytest.raises(ValidationProblem) as exc:
        _draft(c, "inadmissible", inadmissibility_ground="safe_third_country")
    assert "subsequent_application" in _fields(exc)["inadmissibility_ground"]


def test_new_elements_found_end_the_omission_and_the_merits_need_their_interview() -> None:
    c = _omit(_lodged(subsequent=True), "written_preliminary_examination")
    assert "omit_interview" not in available_actions(c, "ana")
    c = apply(c, "admit_subsequent", {"found_on": "2026-08-22"}, "ana").case
    assert draft_before_interview(c)["outcomes"] == ["implicitly_withdrawn"]  # type: ignore[index]
    with pytest.raises(Conflict, match="new elements"):
        _draft(c, "rejected_unfounded")
    # the interview on the merits may itself be omitted on a ground of the substance
    assert "omit_interview" in available_actions(c, "ana")
    c = apply(
        c,
        "omit_interview",
        {
            "omitted_on": "2026-08-23",
            "omission_ground": "unfit_or_unable",
            "omission_reason": "enduring",
            "fitness_not_in_doubt": True,
            "written_information_until": "2026-09-10",
        },
        "ana",
    ).case
    assert c.interview_omission_ground == "unfit_or_unable"
    assert draft_before_interview(c) is None


def test_the_written_examination_does_not_lie_on_a_first_application() -> None:
    with pytest.raises(ValidationProblem) as exc:
        _omit(_lodged(), "written_preliminary_examination")
    assert APR_D in _fields(exc)["omission_ground"] and "first application" in _fields(exc)["omission_ground"]


def test_protection_in_another_member_state_is_declared_inadmissible_without_an_interview() -> None:
    c = _omit(
        _lodged(),
        "protection_in_another_member_state",
        omission_reason="refugee status granted by DE on 3 March 2025 (Eurodac hit)",
    )
    drafted = apply(
        c,
        "draft_decision",
        {
            "outcome": "inadmissible",
            "reasons": "protected in DE",
            "inadmissibility_ground": "protection_in_another_member_state",
        },
        "ana",
    )
    assert drafted.detail["interview_omitted"]["legal_basis"] == [APR_E]
    with pytest.raises(ValidationProblem) as exc:
        _draft(c, "inadmissible", inadmissibility_ground="first_country_of_asylum")
    assert "Article 11" in _fields(exc)["inadmissibility_ground"]
    with pytest.raises(ValidationProblem) as exc:
        _draft(c, "refugee_status")
    assert "outcome" in _fields(exc)


@pytest.mark.parametrize("ground", ["safe_third_country", "first_country_of_asylum", "not_inadmissible"])
def test_grounds_the_text_does_not_give_are_refused_saying_why(ground: str) -> None:
    with pytest.raises(ValidationProblem) as exc:
        _omit(_lodged(), ground)
    assert "Article 13(11)" in _fields(exc)["omission_ground"]


def test_fields_of_the_substantive_interview_are_refused_on_an_admissibility_ground() -> None:
    with pytest.raises(ValidationProblem) as exc:
        _omit(
            _lodged(subsequent=True),
            "written_preliminary_examination",
            written_information_until="2026-09-03",
            same_rights_as_refugee_status=True,
        )
    assert {"written_information_until", "same_rights_as_refugee_status"} <= set(_fields(exc))


def test_under_the_directive_only_the_written_preliminary_examination() -> None:
    old = _lodged(subsequent=True, made="2026-05-04", lodged="2026-05-05")
    change = apply(
        old,
        "omit_interview",
        {
            "omitted_on": "2026-05-20",
            "omission_ground": "written_preliminary_examination",
            "omission_reason": "written submissions",
        },
        "ana",
    )
    assert change.detail["legal_basis"] == ["Directive 2013/32/EU, Article 42(2)(b)"]
    first = _lodged(made="2026-05-04", lodged="2026-05-05")
    with pytest.raises(ValidationProblem) as exc:
        apply(
            first,
            "omit_interview",
            {
                "omitted_on": "2026-05-20",
                "omission_ground": "protection_in_another_member_state",
                "omission_reason": "granted by DE",
            },
            "ana",
        )
    assert "Article 34(1)" in _fields(exc)["omission_ground"]
