"""The personal interview on the substance omitted, in the workflow: APR Art 13(11)(a), (c) (read in
the Italian Official Journal text) and, for an application lodged before 12 June 2026, Directive
2013/32/EU Art 14(2)(a), (b). Before, a decision on the application needed the interview held, with
no way to record the omission the law allows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pactum.common.errors import Conflict, ValidationProblem
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import Case, apply, available_actions, draft_before_interview

UNFIT = {
    "omitted_on": "2026-08-20",
    "omission_ground": "unfit_or_unable",
    "omission_reason": "enduring psychosis",
    "medical_consulted_on": "2026-08-18",
    "medical_finding": "enduring",
    "written_information_until": "2026-09-03",
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


def _fields(exc: pytest.ExceptionInfo[ValidationProblem]) -> dict[str, str]:
    return dict(exc.value.problems)


def _decide(c: Case, outcome: str, decided_on: str, **draft: Any) -> Case:
    c = apply(c, "draft_decision", {"outcome": outcome, "reasons": "in fact and in law", **draft}, "ana").case
    c = apply(c, "submit_for_review", {}, "ana").case
    return apply(c, "approve", {"decided_on": decided_on}, "ben").case


def test_before_any_omission_a_grant_waits_for_the_interview() -> None:
    c = _lodged()
    assert "omit_interview" in available_actions(c, "ana")
    with pytest.raises(Conflict, match="omit_interview"):
        apply(c, "draft_decision", {"outcome": "refugee_status"}, "ana")


def test_ground_a_lets_refugee_status_be_granted_and_refuses_a_rejection_naming_the_outcome() -> None:
    change = apply(
        _lodged(),
        "omit_interview",
        {
            "omitted_on": "2026-08-20",
            "omission_ground": "positive_decision",
            "omission_reason": "UNHCR mandate refugee",
        },
        "ana",
    )
    assert change.event == "interview_omitted" and change.case.state == CaseState.lodged
    assert change.detail["legal_basis"] == ["Regulation (EU) 2024/1348, Article 13(11)(a)"]
    c = change.case
    assert "omit_interview" not in available_actions(c, "ana")
    with pytest.raises(Conflict, match="already recorded as omitted on 2026-08-20"):
        apply(
            c,
            "omit_interview",
            {"omitted_on": "2026-08-20", "omission_ground": "positive_decision", "omission_reason": "x"},
            "ana",
        )
    assert draft_before_interview(c)["outcomes"] == ["refugee_status", "implicitly_withdrawn"]  # type: ignore[index]
    for outcome in ("rejected_unfounded", "inadmissible", "subsidiary_protection"):
        with pytest.raises(ValidationProblem) as exc:
            apply(
                c,
                "draft_decision",
                {"outcome": outcome, "reasons": "r", "inadmissibility_ground": "first_country_of_asylum"},
                "ana",
            )
        assert list(_fields(exc)) == ["outcome"]
    decided = _decide(c, "refugee_status", "2026-08-21")
    assert (decided.state, decided.outcome) == (CaseState.decided, "refugee_status")


def test_ground_c_lets_any_decision_be_taken_after_the_written_opportunity() -> None:
    c = apply(_lodged(), "omit_interview", UNFIT, "ana").case
    assert draft_before_interview(c) is None
    drafted = apply(c, "draft_decision", {"outcome": "rejected_unfounded", "reasons": "r"}, "ana")
    assert (
        drafted.detail["interview_omitted"]["legal_basis"][0]
        == "Regulation (EU) 2024/1348, Article 13(11)(c)"
    )
    under_review = apply(drafted.case, "submit_for_review", {}, "ana").case
    with pytest.raises(ValidationProblem) as exc:
        apply(under_review, "approve", {"decided_on": "2026-09-03"}, "ben")
    assert "until 2026-09-03" in _fields(exc)["decided_on"]
    assert apply(under_review, "approve", {"decided_on": "2026-09-04"}, "ben").case.state == CaseState.decided


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"medical_consulted_on": None, "medical_finding": None}, "medical_consulted_on"),
        ({"medical_finding": "temporary"}, "medical_finding"),
        ({"medical_finding": None}, "medical_finding"),
        ({"written_information_until": None}, "written_information_until"),
        ({"written_information_until": "2026-08-20"}, "written_information_until"),
        ({"omitted_on": "2026-08-03"}, "omitted_on"),
        ({"omission_reason": "  "}, "omission_reason"),
        ({"omission_ground": "exhausted"}, "omission_ground"),
        ({"same_rights_as_refugee_status": True}, "same_rights_as_refugee_status"),
    ],
)
def test_ground_c_refusals_name_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationProblem) as exc:
        apply(_lodged(), "omit_interview", {**UNFIT, **change}, "ana")
    assert field in _fields(exc)


def test_no_doubt_stands_in_for_the_medical_consultation() -> None:
    c = apply(
        _lodged(),
        "omit_interview",
        {**UNFIT, "medical_consulted_on": None, "medical_finding": None, "fitness_not_in_doubt": True},
        "ana",
    ).case
    assert c.interview_omission_ground == "unfit_or_unable"


def test_ground_a_refuses_the_fields_of_ground_c() -> None:
    with pytest.raises(ValidationProblem) as exc:
        apply(
            _lodged(),
            "omit_interview",
            {
                "omitted_on": "2026-08-20",
                "omission_ground": "positive_decision",
                "omission_reason": "documents",
                "written_information_until": "2026-09-03",
                "medical_finding": "enduring",
            },
            "ana",
        )
    assert set(_fields(exc)) == {"written_information_until", "medical_finding"}


def test_a_case_lodged_under_the_directive_omits_on_its_article_14_2() -> None:
    c = _lodged(made="2026-05-04", lodged="2026-05-05")
    change = apply(
        c,
        "omit_interview",
        {"omitted_on": "2026-05-20", "omission_ground": "positive_decision", "omission_reason": "documents"},
        "ana",
    )
    assert change.detail["legal_basis"] == ["Directive 2013/32/EU, Article 14(2)(a)"]
    with pytest.raises(ValidationProblem) as exc:  # Art 14(2)(a): refugee status only
        apply(change.case, "draft_decision", {"outcome": "subsidiary_protection", "reasons": "r"}, "ana")
    assert "refugee status" in _fields(exc)["outcome"]


def test_a_remittal_clears_the_omission_with_the_interview() -> None:
    c = _decide(apply(_lodged(), "omit_interview", UNFIT, "ana").case, "rejected_unfounded", "2026-09-04")
    c = apply(c, "notify", {"notified_on": "2026-09-05"}, "ana").case
    c = apply(c, "lodge_appeal", {"lodged_on": "2026-09-06"}, "ana").case
    c = apply(c, "decide_appeal", {"outcome": "remitted", "decided_on": "2026-10-01"}, "ana").case
    assert (c.state, c.interview_omitted_on, c.interview_omission_ground) == (CaseState.lodged, None, None)
    with pytest.raises(Conflict):
        apply(c, "draft_decision", {"outcome": "rejected_unfounded", "reasons": "r"}, "ana")
