"""The law of an asylum application's procedure is chosen by the day it was LODGED (Regulation (EU)
2024/1348, Article 79(3)): the APR governs applications lodged from 12 June 2026, Directive
2013/32/EU those lodged before it. An application made on 8 June and lodged on 15 June 2026 is
examined under the APR (its time limits, decisions, notice and the right to remain); one made and
lodged before 12 June stays under the Directive when it is decided in July 2026. Before lodging, the
day it was made (once registered, the day it was registered) stands in; the registration time limit
runs under the law in force the day the application was made."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pactum.common.errors import Conflict
from pactum.law import param
from pactum.law.regimes import procedures_regime
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import (
    Case,
    appeal_deadline,
    apply,
    border_limit,
    case_regime,
    next_deadline,
    registration_due,
    suspensive_effect,
)
from tests.e2e.test_procedures_support import World, login, make_world, ok
from tests.unit.returns.test_stay import case as stay_case
from tests.unit.returns.test_stay import check as stay_check

D = date.fromisoformat
APR, APD = "Regulation (EU) 2024/1348", "Directive 2013/32/EU"
ART_79_3 = f"{APR}, Article 79(3)"
S = CaseState


# --------------------------------------------------------------------------- the workflow (domain)

def _case(made_on: str, procedure: str = "regular", context: str = "in_territory") -> Case:
    return Case(member_state="IT", procedure=procedure, context=context, state=S.made, made_on=D(made_on))


def _to_notified(c: Case, registered: str, lodged: str, decided: str, notified: str,
                 outcome: str = "inadmissible") -> Case:
    c = apply(c, "register", {"registered_on": registered}, "ana").case
    c = apply(c, "lodge", {"lodged_on": lodged}, "ana").case
    c = apply(c, "schedule_interview", {"interview_on": lodged, "language": "Arabic"}, "ana").case
    c = apply(c, "hold_interview", {"held_on": lodged, "interpreter_language": "Arabic"}, "ana").case
    c = apply(c, "draft_decision", {"outcome": outcome, "inadmissibility_ground": "first_country_of_asylum",
                                    "reasons": "protected in a first country of asylum"}, "ana").case
    c = apply(c, "submit_for_review", {}, "ana").case
    c = apply(c, "approve", {"decided_on": decided}, "ben").case
    return apply(c, "notify", {"notified_on": notified}, "ana").case


def test_made_before_and_lodged_after_the_cut_over_runs_the_apr_time_limits() -> None:
    made = _case("2026-06-08")
    # not lodged yet: the day it was made stands in (the Directive), and the case says so
    assert case_regime(made).regime == "pre_pact" and "not lodged yet" in case_regime(made).why()
    lodged = apply(apply(made, "register", {"registered_on": "2026-06-09"}, "ana").case,
                   "lodge", {"lodged_on": "2026-06-15"}, "ana").case
    law = case_regime(lodged)
    assert (law.regime, law.by, law.on, law.final) == ("pact", "lodged_on", D("2026-06-15"), True)
    assert law.why() == f"lodged on 2026-06-15 ({ART_79_3})"
    # the regular examination: 6 months from lodging under APR Art 35(4), not the Directive's Art 31(3)
    dl = next_deadline(lodged)
    assert dl is not None and dl.kind == "examination_regular" and dl.due == D("2026-12-15")
    assert dl.legal_basis == f"{APR}, Article 35(4)"
    # decided in July, notified Monday 13 July 2026: the appeal against an inadmissibility decision
    # is the APR's 10 days (Art 67(7)(a)) -> Thursday 23 July, not the Directive's 2 weeks (27 July)
    notified = _to_notified(made, "2026-06-09", "2026-06-15", "2026-07-10", "2026-07-13")
    assert notified.appeal_deadline == D("2026-07-23")
    dl = next_deadline(notified)
    assert dl is not None and dl.legal_basis == f"{APR}, Article 67(7)(a)"
    # inadmissible on a first country of asylum under the APR: Art 38(1)(a); an appeal does not
    # suspend removal by itself (Art 68(3)(b)): the court decides on the applicant's request (68(4))
    suspends, why = suspensive_effect(notified)
    assert suspends is False and why.startswith(f"{APR}, Article 68(3)(b)") and f"{APR}, Article 38(1)(a)" in why


def test_made_and_lodged_before_the_cut_over_stays_under_the_directive_when_decided_in_july() -> None:
    notified = _to_notified(_case("2026-06-01"), "2026-06-02", "2026-06-05", "2026-07-10", "2026-07-13")
    law = case_regime(notified)
    assert (law.regime, law.by, law.on) == ("pre_pact", "lodged_on", D("2026-06-05"))
    assert law.text() == (f"{APD} (law before the Pact on Migration and Asylum): the application was "
                          f"lodged on 2026-06-05 ({ART_79_3})")
    # the Directive's 2 weeks (a platform default for national law under its Art 46(4)) -> 27 July
    assert notified.appeal_deadline == D("2026-07-27")
    assert appeal_deadline(notified, D("2026-07-13"))[0] == D("2026-07-27")
    dl = next_deadline(notified)
    assert dl is not None and dl.legal_basis.startswith(f"{APD}, Article 46(4)")
    assert suspensive_effect(notified)[1].startswith(f"{APD}, Article 46(5)")
    # an appeal decided later, remitting the case, does not move it: still lodged on 5 June
    appealed = apply(notified, "lodge_appeal", {"lodged_on": "2026-07-20"}, "ana").case
    remitted = apply(appealed, "decide_appeal", {"outcome": "remitted", "decided_on": "2026-09-01"}, "court").case
    assert remitted.state == S.lodged and case_regime(remitted).regime == "pre_pact"


def test_the_border_procedure_of_an_application_lodged_under_the_apr_is_its_12_weeks() -> None:
    """Registered on 9 June (before the cut-over), lodged on 15 June: the APR's 12 weeks from
    registration (Art 51(2)), read although its value applies from 12 June; before lodging the
    Directive's 4 weeks (Art 43(2)) stood in."""
    registered = apply(_case("2026-06-08", "border", "sar_disembarkation"), "register",
                       {"registered_on": "2026-06-09"}, "ana").case
    before = next_deadline(replace(registered, state=S.lodged, lodged_on=None))
    assert before is not None and before.kind == "border_procedure_end"
    assert (before.due, before.legal_basis) == (D("2026-07-07"), f"{APD}, Article 43(2)")
    lodged = apply(registered, "lodge", {"lodged_on": "2026-06-15"}, "ana").case
    end = next_deadline(lodged)
    assert end is not None and end.kind == "border_procedure_end"
    assert (end.due, end.legal_basis) == (D("2026-09-01"), f"{APR}, Article 51(2)")
    assert border_limit(lodged)[0] == 84 and f"{APR}, Article 51(2)" in border_limit(lodged)[1]


def test_registration_runs_under_the_law_of_the_day_the_application_was_made() -> None:
    """The registration time limit runs from the making (a Monday, 8 June 2026): the Directive's
    3 working days (Art 6(1)), also once the application is lodged under the APR."""
    made = _case("2026-06-08")
    due = registration_due(made)
    assert due is not None and (due.due, due.legal_basis) == (D("2026-06-11"), f"{APD}, Article 6(1)")
    lodged = replace(made, state=S.lodged, registered_on=D("2026-06-09"), lodged_on=D("2026-06-15"))
    assert case_regime(lodged).regime == "pact"
    assert registration_due(lodged) == due


def test_registered_from_the_cut_over_is_lodged_under_the_apr() -> None:
    """Lodging never comes before registration: an application made on 8 June and registered on
    13 June 2026 is certain to be lodged under the APR, whose lodging time limit then runs (21 days,
    Art 28(1))."""
    registered = apply(_case("2026-06-08"), "register", {"registered_on": "2026-06-13"}, "ana").case
    law = case_regime(registered)
    assert (law.regime, law.by, law.final) == ("pact", "registered_on", False)
    dl = next_deadline(registered)
    assert dl is not None and dl.kind == "lodging" and dl.legal_basis == f"{APR}, Article 28(1)"


def test_the_rule_is_cited_from_the_law_tree() -> None:
    p = param("regimes.procedures.chosen_by", on=D("2026-06-12"))
    assert (p.value, p.cite()) == ("lodged_on", ART_79_3)
    assert "Pactum follows Art. 79(3)" in str(param("regimes.procedures.pact_from", on=D("2026-06-12")).note)
    assert procedures_regime(D("2026-06-08"), D("2026-06-12")).regime == "pact"  # the day itself: the APR
    assert procedures_regime(D("2026-06-08"), D("2026-06-11")).regime == "pre_pact"


# --------------------------------------------------------------------------- the right to remain (returns)

def test_the_right_to_remain_follows_the_law_of_the_lodging() -> None:
    pending = {"state": "lodged", "pending": True, "outcome": None, "decided_on": None, "negative": False}
    # made before, lodged after the cut-over: the APR's Art 10(1), and Art 37 for the return decision
    with pytest.raises(Conflict) as refused:
        stay_check(stay_case(made_on=D("2026-06-08"), registered_on=D("2026-06-09"), lodged_on=D("2026-06-15"),
                             **pending), issued_on="2026-07-20")
    assert f"{APR}, Article 10(1)" in str(refused.value) and f"{APR}, Article 37" in str(refused.value)
    # made and lodged before it, still pending in July: the Directive's Art 9(1)
    with pytest.raises(Conflict) as refused:
        stay_check(stay_case(made_on=D("2026-06-01"), lodged_on=D("2026-06-05"), **pending), issued_on="2026-07-20")
    assert f"{APD}, Article 9(1)" in str(refused.value)
    assert "Directive 2008/115/EC, Article 6(6)" in str(refused.value)


def test_the_return_decision_with_the_rejection_cites_the_law_of_the_lodging() -> None:
    out = stay_check(stay_case(made_on=D("2026-06-08"), lodged_on=D("2026-06-15"), decided_on=D("2026-07-10")),
                     asylum_case_id="asy_1", issued_on="2026-07-13")
    step = next(s for s in out.trace if s["rule"] == "negative_asylum_decision")
    assert step["legal_basis"] == [f"{APR}, Article 37"]
    out = stay_check(stay_case(made_on=D("2026-06-01"), lodged_on=D("2026-06-05"), decided_on=D("2026-07-10")),
                     asylum_case_id="asy_1", issued_on="2026-07-13")
    step = next(s for s in out.trace if s["rule"] == "negative_asylum_decision")
    assert step["legal_basis"] == ["Directive 2008/115/EC, Article 6(6)"]


# --------------------------------------------------------------------------- the case page and the notice

@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _notified_case(world: World, surname: str, made: str, registered: str, lodged: str) -> dict[str, Any]:
    """An Italian case met and made in June 2026, declared inadmissible on 10 July and notified on
    Monday 13 July 2026."""
    pid = world.person("it.caseworker", surname=surname, nationality="SYR", kind="in_territory_application",
                       occurred_at="2026-06-01T06:00:00+00:00")
    case = world.apply("it.caseworker", pid, made_on=made, registered_on=registered, context="in_territory")
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on=lodged))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-06-22", language="Arabic"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-06-22", interpreter_language="Arabic"))
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome="inadmissible",
                        inadmissibility_ground="first_country_of_asylum",
                        reasons="The applicant is protected in a first country of asylum and can be readmitted."))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-07-10"))
    return ok(world.act("it.caseworker", case, "notify", notified_on="2026-07-13"))


def test_case_page_api_and_notice_of_an_application_lodged_under_the_apr(world: World) -> None:
    case = _notified_case(world, "Haddad", "2026-06-08", "2026-06-09", "2026-06-15")
    assert case["appeal_deadline"] == "2026-07-23"  # APR Art 67(7)(a): 10 days
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    law = shown["applicable_law"]
    assert (law["regime"], law["instrument"], law["chosen_by"], law["on"], law["final"]) == (
        "pact", APR, "lodged_on", "2026-06-15", True)
    assert law["legal_basis"] == ART_79_3
    assert shown["deadline"]["legal_basis"] == f"{APR}, Article 67(7)(a)"
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}")
    assert page.status_code == 200
    assert 'id="applicable-law"' in page.text and f"lodged on 2026-06-15 ({ART_79_3})" in page.text
    n = ok(world.client.get(f"/api/v1/procedures/cases/{case['id']}/notice", headers=world.headers("it.caseworker")))
    assert n["regime"] == "pact" and n["applicable_law"]["why"] == f"lodged on 2026-06-15 ({ART_79_3})"
    assert n["legal_basis"][:2] == [f"{APR}, Article 36(1)", f"{APR}, Article 36(2)"]
    assert f"{APR}, Article 38(1)(a)" in n["legal_basis"]
    assert n["challenge"]["time_limit"]["last_day"] == "2026-07-23"
    assert n["challenge"]["remedy_legal_basis"] == f"{APR}, Article 67(1)"
    html = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}/notice")
    assert f"examined under {APR}: it was lodged on 2026-06-15" in html.text


def test_notice_of_an_application_lodged_before_the_cut_over_and_decided_in_july(world: World) -> None:
    case = _notified_case(world, "Khoury", "2026-06-01", "2026-06-02", "2026-06-05")
    assert case["appeal_deadline"] == "2026-07-27"  # the Directive's 2 weeks
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["applicable_law"]["regime"] == "pre_pact" and shown["applicable_law"]["instrument"] == APD
    n = ok(world.client.get(f"/api/v1/procedures/cases/{case['id']}/notice", headers=world.headers("it.caseworker")))
    assert n["regime"] == "pre_pact"
    assert n["legal_basis"][:2] == [f"{APD}, Article 11(1)", f"{APD}, Article 11(2)"]
    assert not any(b.startswith(APR) for b in n["legal_basis"])
    assert n["applicable_law"]["why"] == f"lodged on 2026-06-05 ({ART_79_3})"
