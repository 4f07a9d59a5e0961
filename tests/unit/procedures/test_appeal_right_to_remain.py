"""Whether an appeal lets the applicant remain (APR Art 68(2), (3)), read in the Italian Official
Journal text of Regulation (EU) 2024/1348: which decisions lose the automatic right, and the
unaccompanied minor in the border procedure who keeps it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pactum.procedures.model import CaseState
from pactum.procedures.workflow import Case, suspensive_effect

D = date(2026, 8, 3)


def decided(outcome: str, *, procedure: str = "regular", ground: str | None = None, minor: bool = False,
            context: str = "in_territory") -> Case:
    return Case(member_state="IT", procedure=procedure, context=context, state=CaseState.notified, made_on=D,
                registered_on=D, lodged_on=D, outcome=outcome, decided_on=date(2026, 8, 20),
                notified_on=date(2026, 8, 21), inadmissibility_ground=ground, unaccompanied_minor=minor)


@pytest.mark.parametrize(("ground", "point"), [
    ("first_country_of_asylum", "Article 38(1)(a)"),
    ("international_court_relocation", "Article 38(1)(d)"),
    ("return_decision_late_application", "Article 38(1)(e)"),
    ("subsequent_application", "Article 38(2)"),
])
def test_inadmissibility_on_the_grounds_of_article_68_3_b_has_no_automatic_effect(ground: str, point: str) -> None:
    suspends, why = suspensive_effect(decided("inadmissible", ground=ground))
    assert suspends is False
    assert "Article 68(3)(b)" in why and point in why and "Article 68(4)" in why


@pytest.mark.parametrize("ground", ["safe_third_country", "protection_in_another_member_state"])
def test_inadmissibility_on_a_safe_third_country_or_protection_elsewhere_keeps_the_right_to_remain(ground: str) -> None:
    # Art 38(1)(b) and (c) are not among the grounds of Art 68(3)(b)
    suspends, why = suspensive_effect(decided("inadmissible", ground=ground))
    assert suspends is True and "Article 68(2)" in why


def test_an_inadmissibility_in_the_border_procedure_is_no_merits_rejection() -> None:
    # Art 68(3)(a) concerns rejections as unfounded or manifestly unfounded only
    suspends, _ = suspensive_effect(decided("inadmissible", procedure="border", ground="safe_third_country",
                                            context="sar_disembarkation"))
    assert suspends is True


def test_a_rejection_in_the_accelerated_or_border_procedure_has_no_automatic_effect() -> None:
    for procedure in ("accelerated", "border"):
        suspends, why = suspensive_effect(decided("rejected_unfounded", procedure=procedure,
                                                  context="sar_disembarkation"))
        assert suspends is False and "Article 68(3)(a)" in why


def test_an_unaccompanied_minor_in_the_border_procedure_keeps_the_right_to_remain() -> None:
    minor = decided("rejected_manifestly_unfounded", procedure="border", minor=True, context="sar_disembarkation")
    suspends, why = suspensive_effect(minor)
    assert suspends is True and "unaccompanied minor" in why
    inadmissible = decided("inadmissible", procedure="border", ground="first_country_of_asylum", minor=True,
                           context="sar_disembarkation")
    assert suspensive_effect(inadmissible)[0] is True
    # in the accelerated procedure the minor has no such exception (Art 68(3)(a)(i))
    assert suspensive_effect(replace(minor, procedure="accelerated", context="in_territory"))[0] is False


def test_implicit_withdrawal_has_no_automatic_effect() -> None:
    suspends, why = suspensive_effect(decided("implicitly_withdrawn"))
    assert suspends is False and "Article 68(3)(c)" in why


def test_a_regular_rejection_suspends_automatically() -> None:
    assert suspensive_effect(decided("rejected_unfounded")) == (
        True, "Regulation (EU) 2024/1348, Article 68(2): automatic suspensive effect")


def test_no_leave_to_remain_is_asked_for_an_appeal_that_suspends_by_itself() -> None:
    from pactum.common.errors import Conflict
    from pactum.procedures.workflow import apply, available_actions

    lodged = replace(decided("rejected_unfounded"), state=CaseState.appeal_lodged, appeal_lodged_on=date(2026, 8, 25),
                     suspensive_effect=True)
    assert "request_to_remain" not in available_actions(lodged, "ana")
    with pytest.raises(Conflict, match="lets the applicant remain by itself"):
        apply(lodged, "request_to_remain", {"requested_on": "2026-08-26"}, "ana")


def test_a_remittal_clears_the_request_to_remain_of_the_earlier_appeal() -> None:
    from pactum.procedures.workflow import apply

    lodged = replace(decided("rejected_unfounded", procedure="accelerated"), state=CaseState.appeal_lodged,
                     appeal_lodged_on=date(2026, 8, 25), suspensive_effect=False)
    asked = apply(lodged, "request_to_remain", {"requested_on": "2026-08-25"}, "ana")
    assert asked.return_decision_action == "suspend"
    remitted = apply(asked.case, "decide_appeal", {"outcome": "remitted", "decided_on": "2026-10-01"}, "court").case
    assert remitted.remain_requested_on is None and remitted.remain_allowed is None
