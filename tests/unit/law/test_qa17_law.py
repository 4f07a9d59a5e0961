"""QA round 17, law findings F3 (law part), F4, F7, F10, F11, F12.

- A maximum that restricts the person and runs out by itself (screening, border procedure, return
  border procedure, entry ban) is not extended to a working day by Reg. 1182/71 Art 3(4)/3(5).
- The AMMR clocks take the parameters in force on the registration date (a hit before 1 July 2026).
- The Return Directive's periods cite the Directive only, not the RBPR's application clause.
- The appeal time limits, the regular examination and the appeal decision are calculator kinds;
  the appeal limit says it is the upper bound of the range left to national law.
- The APR registration note no longer says the 15-day variant is not modelled.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient

from pactum.common.errors import ValidationProblem
from pactum.law import add_period, param, time_limit
from pactum.procedures.model import CaseState
from pactum.procedures.workflow import Case, apply, border_procedure_end, in_border_procedure, next_deadline

ART_3_4 = "Regulation (EEC, Euratom) No 1182/71, Article 3(4)"
ART_3_5 = "Regulation (EEC, Euratom) No 1182/71, Article 3(5)"
NOT_EXTENDED = "not extended to a working day: a maximum that runs out by itself"
#: The application clause of the Return Border Procedure Regulation. Its Article 6 is the crisis
#: measures (OJ L, 2024/1349), not the application date, so it must never be cited as such.
RBPR_APPLICATION = "Regulation (EU) 2024/1349, Article 14(2)"  # read in the OJ text (was Art 8)
RBPR_ART_6_CRISIS = "Regulation (EU) 2024/1349, Article 6"


def _says(result_steps: list[str], words: str) -> bool:
    return any(words in s for s in result_steps)


# --- F3 / F4: maxima that run out by themselves -------------------------------------------------


@pytest.mark.parametrize(("kind", "variant", "event", "state", "ends", "old_end"), [
    # 3-day inland screening from 23 December ends on Saturday 26 December (a holiday in DE), not
    # on Monday 28 December
    ("screening", "inland", date(2026, 12, 23), "DE", date(2026, 12, 26), date(2026, 12, 28)),
    # 3 days from Friday 3 July 2026 contain one working day: not stretched by Art 3(5) to Tuesday
    ("screening", "inland", date(2026, 7, 3), "IT", date(2026, 7, 6), date(2026, 7, 7)),
    ("screening", None, date(2026, 7, 4), "IT", date(2026, 7, 11), date(2026, 7, 13)),
    ("border_procedure", None, date(2026, 7, 4), "IT", date(2026, 9, 26), date(2026, 9, 28)),
    ("border_procedure", "relocated", date(2026, 7, 4), "IT", date(2026, 10, 24), date(2026, 10, 26)),
    # before the Pact: Directive 2013/32 Art 43(2), 4 weeks from Saturday 1 November 2025
    ("border_procedure", None, date(2025, 11, 1), "IT", date(2025, 11, 29), date(2025, 12, 1)),
    ("return_border_procedure", None, date(2026, 7, 4), "IT", date(2026, 9, 26), date(2026, 9, 28)),
    ("entry_ban_max", None, date(2026, 7, 5), "DE", date(2031, 7, 5), date(2031, 7, 7)),
])
def test_a_ceiling_on_a_restriction_is_not_extended_to_a_working_day(kind, variant, event, state, ends, old_end):
    r = time_limit(kind, event, state, variant=variant)
    assert r.ends_on == ends, f"{kind} ends {r.ends_on}, the ceiling is {ends} (it used to say {old_end})"
    assert ART_3_4 not in r.legal_basis and ART_3_5 not in r.legal_basis
    assert _says(r.computation, NOT_EXTENDED)


def test_the_computation_names_what_article_3_would_have_done_and_why_it_does_not():
    r = time_limit("screening", date(2026, 12, 23), "DE", variant="inland")
    step = next(s for s in r.computation if NOT_EXTENDED in s)
    assert "2026-12-26 is a Saturday and a public holiday in DE" in step
    assert "contains only 1 working day in DE" in step
    assert "not a time for anyone to act" in step and step.endswith("it ends on Saturday 2026-12-26")
    assert _says(r.computation, "the person is not held for it")


def test_a_time_to_act_is_still_extended():
    # the 15-day voluntary departure of the return border procedure gives the person time to leave
    r = time_limit("voluntary_departure", date(2026, 7, 4), "IT", variant="return_border_max")
    assert r.ends_on == date(2026, 7, 20) and ART_3_4 in r.legal_basis
    # an AMMR take-charge reply is a time for the requested state to act
    r = time_limit("take_charge_reply", date(2026, 8, 26), "DE", application_registered_on=date(2026, 7, 15))
    assert r.ends_on == date(2026, 9, 28) and ART_3_4 in r.legal_basis


def test_add_period_can_count_a_ban_of_the_length_imposed_without_extension():
    # a 1-year ban from the departure on 14 November 2025 ends on Saturday 14 November 2026
    assert add_period(date(2025, 11, 14), 1, "years", "MT", extend=False) == date(2026, 11, 14)
    assert add_period(date(2025, 11, 14), 1, "years", "MT") == date(2026, 11, 16)


def _border_case(decided_on: str | None = None) -> Case:
    c = Case(member_state="IT", procedure="border", context="sar_disembarkation",
             state=CaseState.made, made_on=date(2026, 7, 4))
    c = apply(c, "register", {"registered_on": "2026-07-04"}, "ana").case
    if decided_on is None:
        return c
    c = apply(c, "lodge", {"lodged_on": "2026-07-06"}, "ana").case
    c = apply(c, "schedule_interview", {"interview_on": "2026-07-10", "language": "Bengali"}, "ana").case
    c = apply(c, "hold_interview", {"held_on": "2026-07-10", "interpreter_language": "Bengali"}, "ana").case
    c = apply(c, "draft_decision", {"outcome": "rejected_unfounded", "reasons": "no well-founded fear"}, "ana").case
    c = apply(c, "submit_for_review", {}, "ana").case
    return apply(c, "approve", {"decided_on": decided_on}, "ben").case


def test_the_case_workflow_ends_the_border_procedure_on_its_twelfth_saturday():
    c = _border_case()
    assert border_procedure_end(c) == date(2026, 9, 26)  # not Monday 28 September
    lodged = apply(c, "lodge", {"lodged_on": "2026-07-06"}, "ana").case
    d = next_deadline(lodged)
    # the border procedure's end is the earliest deadline of a lodged border case
    assert d is not None and (d.kind, d.due) == ("border_procedure_end", date(2026, 9, 26)), d
    assert _says(d.computation, NOT_EXTENDED)


def test_a_decision_on_the_monday_after_the_border_procedure_ended_is_outside_it():
    c = _border_case("2026-09-28")
    assert not in_border_procedure(c)
    notified = apply(c, "notify", {"notified_on": "2026-09-29"}, "ana").case
    # the regular appeal time limit (1 month), not the border procedure's 10 days (9 October)
    assert notified.appeal_deadline == date(2026, 10, 29)


# --- F7: AMMR clocks from a hit before 1 July 2026 ------------------------------------------------


def test_an_ammr_take_charge_request_runs_from_a_hit_before_the_first_of_july():
    r = time_limit("take_charge_request", date(2026, 6, 30), "DE", application_registered_on=date(2026, 7, 2),
                   eurodac_hit=True)
    assert r.regime == "ammr" and r.parameter == "ammr.take_charge.request_after_hit"
    assert r.ends_on == date(2026, 7, 30) and r.period == "1 month"
    assert r.legal_basis[0] == "Regulation (EU) 2024/1351, Article 39(1)"


def test_an_ammr_take_back_notification_runs_from_a_hit_before_the_first_of_july():
    r = time_limit("take_back_notification", date(2026, 6, 30), "DE", application_registered_on=date(2026, 7, 2))
    assert r.regime == "ammr" and r.ends_on == date(2026, 7, 14) and r.period == "2 weeks"
    assert r.legal_basis[0] == "Regulation (EU) 2024/1351, Article 41(1)"


# --- F10: the Return Directive's periods cite the Directive only ---------------------------------


@pytest.mark.parametrize(("kind", "variant", "event"), [
    ("entry_ban_max", None, date(2026, 7, 5)),
    ("voluntary_departure", "max", date(2026, 7, 4)),
    ("voluntary_departure", "min", date(2026, 7, 4)),
    ("voluntary_departure", "max", date(2026, 3, 2)),
])
def test_return_directive_periods_do_not_cite_the_return_border_procedure_regulation(kind, variant, event):
    r = time_limit(kind, event, "IT", variant=variant)
    assert RBPR_APPLICATION not in r.legal_basis
    assert all("2024/1349" not in b for b in r.legal_basis)
    assert r.legal_basis[0].startswith("Directive 2008/115/EC, Article")
    assert not _says(r.computation, "Pact on Migration and Asylum applies")
    assert r.computation[0].endswith("Directive 2008/115/EC applies, the same before and after the Pact "
                                     "on Migration and Asylum")


@pytest.mark.parametrize(("kind", "variant"), [("return_border_procedure", None),
                                               ("voluntary_departure", "return_border_max")])
def test_the_return_border_procedure_still_cites_its_application_clause(kind, variant):
    r = time_limit(kind, date(2026, 7, 4), "IT", variant=variant)
    assert RBPR_APPLICATION in r.legal_basis
    assert RBPR_ART_6_CRISIS not in r.legal_basis  # the crisis article is no application clause


# --- F11: appeal and regular examination in the calculator ---------------------------------------


def test_the_appeal_time_limit_is_the_upper_bound_of_the_national_range():
    # APR Art 67(7)(a) (OJ L, 2024/1348): a minimum of five days and a maximum of ten days; 11 July
    # 2026 is a Saturday, so the limit ends on Monday 13 July (Art 73)
    r = time_limit("appeal", date(2026, 7, 1), "DE", variant="expedited")
    assert r.ends_on == date(2026, 7, 13) and r.period == "10 days"
    assert r.legal_basis[0] == "Regulation (EU) 2024/1348, Article 67(7)(a)"
    assert _says(r.computation, "10 days is the upper bound of that range")
    assert _says(r.computation, "where national law sets a shorter time limit, it ends earlier")
    regular = time_limit("appeal", date(2026, 7, 1), "DE", variant="regular")
    assert regular.ends_on == date(2026, 8, 3)  # 1 August 2026 is a Saturday
    assert regular.legal_basis[0] == "Regulation (EU) 2024/1348, Article 67(7)(b)"


def test_the_appeal_time_limit_before_the_pact_is_a_platform_default():
    r = time_limit("appeal", date(2025, 7, 1), "DE", variant="regular")
    assert r.regime == "pre_pact" and r.legal_basis[0] == "Directive 2013/32/EU, Article 46(4)"
    assert _says(r.computation, "not an EU rule")


def test_the_appeal_kind_asks_which_appeal():
    with pytest.raises(ValidationProblem) as exc:
        time_limit("appeal", date(2026, 7, 1), "DE")
    assert exc.value.problems[0][0] == "variant" and "expedited" in exc.value.problems[0][1]


def test_regular_examination_and_appeal_decision_are_kinds():
    r = time_limit("regular_procedure", date(2026, 7, 1), "DE")
    assert r.ends_on == date(2027, 1, 4)  # 1 January 2027 is New Year's Day, then a weekend
    # APR Art 35(4) (OJ L, 2024/1348): six months for the regular examination; 35(1) is admissibility
    assert r.legal_basis[0] == "Regulation (EU) 2024/1348, Article 35(4)"
    assert time_limit("regular_procedure", date(2025, 7, 1), "DE").legal_basis[0] == \
        "Directive 2013/32/EU, Article 31(3)"
    d = time_limit("appeal_decision", date(2026, 7, 1), "DE", variant="expedited")
    assert d.ends_on == date(2026, 9, 1) and d.legal_basis[0] == "Regulation (EU) 2024/1348, Article 69"


def test_the_workflow_appeal_deadline_says_it_is_the_upper_bound():
    c = _border_case("2026-09-10")
    notified = apply(c, "notify", {"notified_on": "2026-09-11"}, "ana")
    assert notified.case.appeal_deadline == date(2026, 9, 21)  # ten days (APR Art 67(7)(a))
    assert _says(notified.detail["computation"], "10 days is the upper bound of that range")


def test_the_calculator_offers_the_appeal(client: TestClient, auth_headers: Callable[[str], dict[str, str]],
                                          web_client: Callable[[str], TestClient]):
    h = auth_headers("de-dublin")
    kinds = {k["kind"]: k for k in client.get("/api/v1/law/time-limit-kinds", headers=h).json()}
    assert kinds["appeal"]["variants"] == ["expedited", "regular"]
    assert "regular_procedure" in kinds and "appeal_decision" in kinds
    r = client.post("/api/v1/law/time-limits", headers=h,
                    json={"kind": "appeal", "event_at": "2026-07-01", "member_state": "DE", "variant": "expedited"})
    assert r.status_code == 200 and r.json()["ends_on"] == "2026-07-13"
    page = web_client("de-dublin").post("/law/time-limits", data={
        "kind": "appeal", "variant": "regular", "event_at": "2026-07-01", "member_state": "DE"})
    assert page.status_code == 200 and "ends on 2026-08-03" in page.text and "upper bound" in page.text


# --- F12: the registration note ------------------------------------------------------------------


def test_the_registration_note_names_the_fifteen_day_variant():
    p = param("apr.registration.time_limit", on=date(2026, 6, 12))
    assert p.note is not None and "not modelled" not in p.note
    assert "disproportionate_number" in p.note
    r = time_limit("application_registration", date(2026, 6, 12), "DE")
    assert not _says(r.computation, "not modelled")
    assert time_limit("application_registration", date(2026, 7, 1), "DE",
                      variant="disproportionate_number").ends_on == date(2026, 7, 16)
