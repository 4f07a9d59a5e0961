"""Leaving the border procedure (APR Art 53(2), Art 21(2); before the Pact Directive 2013/32/EU
Art 24(3)) and its end passing with no decision taken (APR Art 51(2); Directive Art 43(2)).

Read in the Italian Official Journal texts: Art 53(2) makes the Member State cease "at any stage" to
apply the border procedure on points (a)-(e), authorise the applicant to enter and apply "the
appropriate procedure under Chapter III"; Art 51(2) authorises entry at the end of the 12 weeks.
The examination then runs within Art 35's time limit from lodging: three months in the accelerated
procedure (Art 35(3)), six in the regular one (Art 35(4)), two for admissibility (Art 35(1))."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pactum.common.errors import Conflict, ValidationProblem
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import (
    Case,
    appeal_deadline,
    apply,
    available_actions,
    border_ended_undecided,
    in_border_procedure,
    next_deadline,
    suspensive_effect,
)


def _border(grounds: tuple[str, ...] = ("low_recognition_rate",), lodged: bool = True, **kw: object) -> Case:
    """A border case registered on Monday 3 August 2026 (its end: 26 October), lodged the next day."""
    c = Case(member_state="IT", procedure="border", context="sar_disembarkation", state=CaseState.made,
             made_on=date(2026, 8, 3), grounds=grounds, **kw)  # type: ignore[arg-type]
    c = apply(c, "register", {"registered_on": "2026-08-03"}, "ana").case
    if lodged:
        c = apply(c, "lodge", {"lodged_on": "2026-08-04"}, "ana").case
    return c


def _leave(c: Case, ground: str, on: str = "2026-08-20") -> tuple[Case, dict[str, object]]:
    change = apply(c, "leave_border_procedure", {"left_on": on, "ground": ground}, "ana")
    assert change.event == "border_procedure_left"
    return change.case, change.detail


def test_medical_reasons_end_the_border_procedure_and_the_accelerated_examination_follows() -> None:
    case, detail = _leave(_border(), "medical_reasons")
    assert case.procedure == "accelerated" and case.border_left_on == date(2026, 8, 20)
    assert detail["entry_authorised"] is True and detail["procedure_before"] == "border"
    assert "Regulation (EU) 2024/1348, Article 53(2)(d)" in detail["legal_basis"]  # type: ignore[operator]
    assert "Regulation (EU) 2024/1348, Article 42(1)" in detail["legal_basis"]  # type: ignore[operator]
    assert "authorised to enter the territory" in str(detail["note"])
    # three months from lodging (Art 35(3)), no longer the border procedure's end of 26 October
    dl = next_deadline(case, date(2026, 8, 20))
    assert dl is not None and (dl.kind, dl.due) == ("examination_accelerated", date(2026, 11, 4))
    assert "35(3)" in dl.legal_basis and detail["time_limit"] == f"2026-11-04 ({dl.legal_basis})"
    # a later rejection is not taken in the border procedure (Art 68(3)(a)(ii) no longer in play;
    # the accelerated procedure's own exception is, point (i))
    assert not in_border_procedure(case)


def test_grounds_no_longer_applicable_lead_to_the_regular_procedure_and_its_appeal_rules() -> None:
    case, detail = _leave(_border(), "grounds_not_applicable")
    assert case.procedure == "regular" and not case.left_accelerated
    assert "Regulation (EU) 2024/1348, Article 53(2)(a)" in detail["legal_basis"]  # type: ignore[operator]
    dl = next_deadline(case, date(2026, 8, 20))
    assert dl is not None and (dl.kind, dl.due) == ("examination_regular", date(2027, 2, 4))  # six months
    case = apply(case, "schedule_interview", {"interview_on": "2026-09-01", "language": "Bengali"}, "ana").case
    case = apply(case, "hold_interview", {"held_on": "2026-09-01", "interpreter_language": "Bengali"}, "ana").case
    case = apply(case, "draft_decision", {"outcome": "rejected_unfounded", "reasons": "no fear shown"}, "ana").case
    case = apply(case, "submit_for_review", {}, "ana").case
    case = apply(case, "approve", {"decided_on": "2026-09-10"}, "ben").case
    # the regular one month to appeal, with the automatic right to remain (Art 68(2))
    assert appeal_deadline(case, date(2026, 9, 11))[0] == date(2026, 10, 12)
    assert suspensive_effect(replace(case, state=CaseState.notified))[0] is True


def test_special_procedural_guarantees_under_article_21_2_leave_both_special_procedures() -> None:
    case, detail = _leave(_border(), "special_procedural_guarantees")
    assert case.procedure == "regular" and case.left_accelerated  # the circumstance still applies at decision
    assert detail["legal_basis"][0] == "Regulation (EU) 2024/1348, Article 21(2)"  # type: ignore[index]


def test_an_admissibility_ground_is_examined_within_two_months_outside_the_border() -> None:
    case, _detail = _leave(_border(grounds=("low_recognition_rate", "safe_third_country")), "detention_guarantees_unmet")
    assert case.procedure == "admissibility"
    dl = next_deadline(case, date(2026, 8, 20))
    assert dl is not None and dl.kind == "examination_admissibility" and "35(1)" in dl.legal_basis


def test_a_registered_case_leaving_is_lodged_within_article_28_not_the_border_five_days() -> None:
    border = _border(lodged=False)
    five = next_deadline(border, date(2026, 8, 4))
    assert five is not None and (five.kind, five.due) == ("lodging", date(2026, 8, 10))  # Art 51(1), Monday
    case, detail = _leave(border, "special_reception_needs_unsupported", on="2026-08-05")
    dl = next_deadline(case, date(2026, 8, 5))
    assert dl is not None and dl.kind == "lodging" and dl.due == date(2026, 8, 24) and "28" in dl.legal_basis
    assert detail["time_limit"] is None and "runs from lodging" in str(detail["note"])


def test_refusals_name_their_fields() -> None:
    with pytest.raises(ValidationProblem) as exc:
        apply(_border(), "leave_border_procedure", {"left_on": "2026-07-01", "ground": ""}, "ana")
    fields = dict(exc.value.problems)
    assert "registration" in fields["left_on"] and "medical_reasons" in fields["ground"]
    with pytest.raises(ValidationProblem) as exc:  # after the end, Art 51(2) already ended it
        apply(_border(), "leave_border_procedure", {"left_on": "2026-10-27", "ground": "medical_reasons"}, "ana")
    assert "ended on 2026-10-26" in dict(exc.value.problems)["left_on"]
    with pytest.raises(Conflict, match="only a case in the border procedure"):
        apply(replace(_border(), procedure="accelerated"), "leave_border_procedure",
              {"left_on": "2026-08-20", "ground": "medical_reasons"}, "ana")


def test_under_the_directive_only_article_24_3_ends_the_border_procedure() -> None:
    old = Case(member_state="IT", procedure="border", context="sar_disembarkation", state=CaseState.lodged,
               made_on=date(2026, 5, 4), registered_on=date(2026, 5, 4), lodged_on=date(2026, 5, 5))
    with pytest.raises(ValidationProblem) as exc:
        apply(old, "leave_border_procedure", {"left_on": "2026-05-10", "ground": "medical_reasons"}, "ana")
    said = dict(exc.value.problems)["ground"]
    assert "Directive 2013/32/EU, Article 24(3)" in said and "national law" in said
    case, detail = _leave(old, "special_procedural_guarantees", on="2026-05-10")
    assert case.procedure == "regular" and "Directive 2013/32/EU, Article 24(3)" in detail["legal_basis"]  # type: ignore[operator]


def test_the_step_is_offered_in_the_border_procedure_until_its_end_and_before_a_draft() -> None:
    case = _border()
    assert "leave_border_procedure" in available_actions(case, "ana", date(2026, 10, 26))
    assert "leave_border_procedure" not in available_actions(case, "ana", date(2026, 10, 27))
    assert "leave_border_procedure" not in available_actions(replace(case, procedure="accelerated"), "ana")
    assert "leave_border_procedure" not in available_actions(replace(case, state=CaseState.draft_decision), "ana")


def test_an_undecided_case_at_the_border_end_is_examined_further_outside_it() -> None:
    case = _border()
    assert border_ended_undecided(case, date(2026, 10, 26)) is None  # its last day
    ended = border_ended_undecided(case, date(2026, 10, 27))
    assert ended is not None and ended[0] == "accelerated"
    dl = next_deadline(case, date(2026, 10, 27))
    # no longer the passed end (26 October) but the accelerated examination's three months
    assert dl is not None and (dl.kind, dl.due) == ("examination_accelerated", date(2026, 11, 4))
    assert dl.computation[0].startswith("the border procedure ended on 2026-10-26")
    assert "no decision taken in it" in dl.computation[0]
    assert "authorised to enter the territory (Regulation (EU) 2024/1348, Article 51(2))" in dl.computation[0]
    # with no circumstance of Art 42(1), the regular examination's six months
    plain = next_deadline(_border(grounds=()), date(2026, 10, 27))
    assert plain is not None and (plain.kind, plain.due) == ("examination_regular", date(2027, 2, 4))
    # decided in time and not notified: the end stays its overdue deadline (the notification is due)
    decided = replace(case, state=CaseState.decided, decided_on=date(2026, 10, 20), outcome="rejected_unfounded")
    assert border_ended_undecided(decided, date(2026, 10, 27)) is None
    assert next_deadline(decided, date(2026, 10, 27)).kind == "border_procedure_end"  # type: ignore[union-attr]


def test_under_the_directive_the_four_weeks_end_admits_the_applicant() -> None:
    old = Case(member_state="IT", procedure="border", context="sar_disembarkation", state=CaseState.lodged,
               made_on=date(2026, 5, 4), registered_on=date(2026, 5, 4), lodged_on=date(2026, 5, 5))
    ended = border_ended_undecided(old, date(2026, 6, 2))  # four weeks: 1 June
    assert ended is not None and "Directive 2013/32/EU, Article 43(2)" in ended[1]
    dl = next_deadline(old, date(2026, 6, 2))
    assert dl is not None and (dl.kind, dl.due) == ("examination_regular", date(2026, 11, 5))


@pytest.mark.parametrize("facts", [
    {"nationality": "BGD"},  # low recognition rate: accelerated
    {"nationality": "BGD", "safe_third_country_connection": "TUR"},  # admissibility first
    {"nationality": "SYR", "security_threat": True},  # security: accelerated
    {"nationality": "AFG", "misled_authorities": True},
])
def test_the_procedure_after_leaving_is_the_one_the_routing_gives_with_the_same_point(facts: dict[str, object]) -> None:
    """Leaving the border procedure on medical reasons (Art 53(2)(d)) after registration ends in the
    procedure the routing gives when the same reasons are known when the application is made."""
    from pactum.procedures.model import RoutingInput
    from pactum.procedures.routing import route
    from pactum.procedures.safe_countries import shipped_entries
    from pactum.procedures.statistics import shipped_statistics

    stats, lists = list(shipped_statistics()), list(shipped_entries())
    base = {"applied_on": "2026-08-03", "member_state": "IT", "context": "sar_disembarkation", **facts}
    at_border = route(RoutingInput(**base), stats, lists)  # type: ignore[arg-type]
    exempt = route(RoutingInput(**base, vulnerabilities=["medical_reasons"]), stats, lists)  # type: ignore[arg-type]
    assert at_border.procedure == "border" and exempt.procedure != "border"
    case, _detail = _leave(_border(grounds=tuple(at_border.grounds)), "medical_reasons")
    assert case.procedure == exempt.procedure
