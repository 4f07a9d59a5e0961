"""``pactum.returns.stay``: the refusals and steps name an asylum case by its reference.

Every page names an asylum case by its short reference (``IT-2026-000123``), and the return
decision's ``asylum_case_id`` accepts it; the checks of whom a return decision may be issued to
named the case by its internal id (``asy_...``), which the officer sees nowhere else, and told
the officer to type that id. They now name it by its reference (by its id only where the case
has none), and the steps' facts keep the id.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pactum.common.errors import Conflict, ValidationProblem
from pactum.returns.stay import AsylumCaseFacts, check_stay

D = date.fromisoformat
ID, REF = "asy_01JCASE0000000000000000", "IT-2026-000123"


def case(**kw: Any) -> AsylumCaseFacts:
    base: dict[str, Any] = {"id": ID, "reference": REF, "state": "notified", "procedure": "regular",
                            "made_on": D("2026-07-01"), "pending": False, "outcome": "rejected_unfounded",
                            "decided_on": D("2026-08-20"), "negative": True}
    return AsylumCaseFacts(**{**base, **kw})


def check(*cases: AsylumCaseFacts, grounds: list[str] | None = None, asylum_case_id: str | None = None,
          issued_on: str = "2026-09-01") -> Any:
    return check_stay(issued_on=D(issued_on), member_state="IT", grounds=list(grounds or []),
                      asylum_case_id=asylum_case_id, cases=list(cases), protection_elsewhere=[])


def refused(exc: pytest.ExceptionInfo[Any]) -> str:
    value = exc.value
    return value.problems[0][1] if isinstance(value, ValidationProblem) else str(value)


def test_protection_granted_names_the_case_by_its_reference() -> None:
    with pytest.raises(Conflict) as exc:
        check(case(outcome="refugee_status", negative=False, protection_granted="refugee_status"))
    assert f"granted refugee status by IT on 2026-08-20 (asylum case {REF})" in refused(exc)
    assert ID not in refused(exc)


def test_a_pending_application_names_the_case_by_its_reference() -> None:
    with pytest.raises(Conflict) as exc:
        check(case(state="lodged", pending=True, outcome=None, decided_on=None, negative=False))
    assert f"the person's application for international protection {REF} in IT is pending" in refused(exc)
    assert ID not in refused(exc)
    with pytest.raises(Conflict) as exc:
        check(case(), asylum_case_id=ID, issued_on="2026-08-10")
    assert f"application for international protection {REF} in IT was pending on 2026-08-10" in refused(exc)


def test_the_hint_to_name_the_case_gives_the_references_the_form_accepts() -> None:
    other = case(id="asy_01JCASE0000000000000001", reference="IT-2026-000124")
    with pytest.raises(ValidationProblem) as exc:
        check(case(), other, grounds=["negative_asylum_decision"])
    assert exc.value.problems[0][0] == "grounds"
    assert f"name the asylum case (asylum_case_id: {REF}, IT-2026-000124)" in refused(exc)
    assert ID not in refused(exc)


def test_a_case_without_a_negative_decision_is_named_by_its_reference() -> None:
    granted = case(outcome="subsidiary_protection", negative=False)
    with pytest.raises(ValidationProblem) as exc:
        check(granted, asylum_case_id=ID)
    assert exc.value.problems[0][0] == "asylum_case_id"
    assert refused(exc).startswith(f"{REF} has no negative decision (notified, subsidiary protection)")


def test_the_step_names_the_case_by_its_reference_and_keeps_its_id_in_the_facts() -> None:
    out = check(case(), asylum_case_id=ID)
    step = out.trace[-1]
    assert step["rule"] == "negative_asylum_decision"
    assert step["outcome"] == f"issued with the decision on case {REF}: rejected as unfounded on 2026-08-20"
    assert step["facts"]["asylum_case_id"] == ID


def test_a_case_outside_the_border_procedure_is_named_by_its_reference() -> None:
    with pytest.raises(ValidationProblem) as exc:
        check(case(), asylum_case_id=ID, grounds=["return_border_procedure"])
    assert f"'return_border_procedure': asylum case {REF} was examined in the regular procedure" in refused(exc)


def test_a_case_recorded_without_a_reference_is_named_by_its_id() -> None:
    with pytest.raises(ValidationProblem) as exc:
        check(case(reference=None), grounds=["negative_asylum_decision"])
    assert f"name the asylum case (asylum_case_id: {ID})" in refused(exc)
