"""An application in the border procedure is lodged within five days of its first registration,
"by way of derogation from Article 28" (APR Art 51(1), read in the Italian Official Journal text,
1348.html): not within Art 28(1)'s 21 days, which the case showed as its next deadline. Missing the
five days does not end the border procedure (Art 51(1), second sentence). Other procedures, and a
border case under Directive 2013/32/EU, keep their own lodging time limit."""

from __future__ import annotations

from datetime import date

from pactum.procedures.model import CaseState
from pactum.procedures.workflow import Case, apply, border_procedure_end, next_deadline


def _registered(procedure: str, made_on: date, registered_on: str, context: str = "sar_disembarkation") -> Case:
    c = Case(member_state="IT", procedure=procedure, context=context, state=CaseState.made, made_on=made_on)
    return apply(c, "register", {"registered_on": registered_on}, "ana").case


def test_a_border_case_is_lodged_within_five_days_of_registration() -> None:
    c = _registered("border", date(2026, 11, 19), "2026-11-19")
    dl = next_deadline(c)
    assert dl is not None
    assert (dl.kind, dl.due) == ("lodging", date(2026, 11, 24))  # was 2026-12-10 (21 days, Art 28(1))
    assert dl.legal_basis == "Regulation (EU) 2024/1348, Article 51(1)"
    assert "border procedure" in dl.computation[0] and "Article 28(1)" in dl.computation[0]
    assert border_procedure_end(c) == date(2027, 2, 11)  # the end is not moved by the lodging rule


def test_five_days_after_relocation_too_and_a_last_day_on_a_sunday_moves_to_monday() -> None:
    # registered on Tuesday 2026-11-17: the fifth day is Sunday 22 November, moved to Monday 23 (Art 73(c))
    c = _registered("border", date(2026, 11, 16), "2026-11-17", context="relocation")
    dl = next_deadline(c)
    assert dl is not None and (dl.kind, dl.due) == ("lodging", date(2026, 11, 23))


def test_other_procedures_and_the_directive_keep_their_own_lodging_time_limit() -> None:
    regular = next_deadline(_registered("regular", date(2026, 11, 19), "2026-11-19"))
    assert regular is not None and (regular.due, regular.legal_basis) == (
        date(2026, 12, 10), "Regulation (EU) 2024/1348, Article 28(1)")
    directive = next_deadline(_registered("border", date(2026, 3, 2), "2026-03-03"))
    assert directive is None or directive.legal_basis != "Regulation (EU) 2024/1348, Article 51(1)"
