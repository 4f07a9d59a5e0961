"""The admission procedure's clock runs from the day the Member State registered the person
(Regulation (EU) 2024/1350, Art 9(3)), not from UNHCR's referral: seven months for the ordinary
procedure (Art 9(9)), one month for emergency admission (Art 9(10)). A case with no registration
recorded awaits one: no due date, never overdue."""

from __future__ import annotations

import random
from datetime import date

import pytest

from pactum.resettlement import rules
from pactum.scenario.steps import resettlement as demo

TODAY = date(2026, 11, 28)
UNION_PLAN = rules.PlanFacts(key="2026-2027", kind="union_plan", first_year=2026, last_year=2027, total_places=100,
                             split={})


def _clock(procedure: str, referred: date, registered: date | None, decided: date | None = None,
           today: date = TODAY) -> rules.Clock:
    return rules.procedure_clock("union_plan", procedure, referred, decided, "DE", today, registered_on=registered)


def test_the_ordinary_procedure_is_due_seven_months_from_the_registration_not_the_referral():
    clock = _clock("ordinary", date(2025, 1, 10), date(2025, 3, 1))
    assert clock.deadline == date(2025, 10, 1)  # not 2025-08-10, seven months from the referral
    assert clock.counted_from == date(2025, 3, 1) and clock.limit == "7 months"
    assert "Article 9(9)" in str(clock.basis) and "Article 9(3)" in str(clock.basis)
    assert clock.status == "overdue"  # undecided on 2026-11-28
    assert _clock("ordinary", date(2025, 1, 10), date(2025, 3, 1), decided=date(2025, 9, 15)).status == "in_time"
    # decided after seven months from the referral but within seven months of the registration
    assert _clock("ordinary", date(2025, 1, 10), date(2025, 3, 1), decided=date(2025, 8, 20)).status == "in_time"
    assert _clock("ordinary", date(2025, 1, 10), date(2025, 3, 1), decided=date(2025, 10, 2)).status == "late"


def test_an_emergency_admission_is_due_one_month_from_the_registration():
    clock = _clock("expedited", date(2025, 1, 10), date(2025, 3, 1), today=date(2025, 3, 20))
    assert clock.deadline == date(2025, 4, 1) and clock.limit == "1 month" and clock.status == "running"
    assert _clock("expedited", date(2025, 1, 10), date(2025, 3, 1), today=date(2025, 4, 2)).status == "overdue"


def test_a_case_without_registration_awaits_it_and_is_never_overdue():
    # referred years ago, still not registered: the clock has not started
    clock = _clock("ordinary", date(2025, 1, 10), None)
    assert clock.status == "awaiting_registration" and clock.deadline is None and clock.counted_from is None
    assert clock.limit == "7 months"  # what will run once the state registers the person
    # decided or withdrawn without a registration recorded: the duration is not measured
    assert _clock("ordinary", date(2025, 1, 10), None, decided=date(2025, 12, 1)).status == "not_registered"
    withdrawn = rules.procedure_clock("union_plan", "ordinary", date(2025, 1, 10), date(2025, 2, 1), "DE", TODAY,
                                      registered_on=None, withdrawn=True)
    assert withdrawn.status == "withdrawn" and withdrawn.deadline is None


def _case(**kw: object) -> rules.CaseFacts:
    return rules.CaseFacts(**{"referred_on": date(2026, 2, 10), **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(("registered", "decided", "says"), [
    (date(2026, 2, 9), None, "is before the referral (2026-02-10)"),
    (date(2026, 11, 29), None, "is after today (2026-11-28)"),
    (date(2026, 5, 2), date(2026, 5, 1), "is after the decision (2026-05-01)"),
])
def test_a_registration_before_the_referral_in_the_future_or_after_the_decision_is_refused(registered, decided, says):
    extra = {"decision": "admitted", "decided_on": decided} if decided else {}
    problems = rules.check_case(_case(registered_on=registered, **extra), UNION_PLAN, TODAY)
    assert [f for f, _ in problems] == ["registered_on"] and says in problems[0][1]


def test_a_registration_on_the_day_of_the_referral_or_of_the_decision_is_accepted():
    assert rules.check_case(_case(registered_on=date(2026, 2, 10)), UNION_PLAN, TODAY) == []
    assert rules.check_case(_case(registered_on=date(2026, 5, 1), decision="admitted", decided_on=date(2026, 5, 1)),
                            UNION_PLAN, TODAY) == []


def test_a_referral_is_not_withdrawn_before_the_person_was_registered():
    problems = rules.check_withdrawal(_case(registered_on=date(2026, 3, 1)), date(2026, 2, 20), "left", TODAY)
    assert [f for f, _ in problems] == ["withdrawn_on"] and "before the registration (2026-03-01)" in problems[0][1]


def test_the_demo_world_registers_persons_days_after_the_referral_without_changing_its_other_draws():
    plan = {"starts_on": date(2026, 1, 1), "ends_on": date(2027, 12, 31), "first_year": 2026, "kind": "union_plan"}
    line = {"category": "resettlement", "first_asylum": "TUR", "places": 10}
    end = date(2026, 11, 28)
    people = [demo._person(random.Random(n), plan, line, "DE", n, end, random.Random(f"r{n}")) for n in range(300)]
    registered = [p for p in people if "registered_on" in p]
    assert len(registered) > 250
    for p in registered:
        days = (p["registered_on"] - p["referred_on"]).days  # type: ignore[operator]
        assert demo.REGISTRATION_DAYS[0] <= days <= demo.REGISTRATION_DAYS[1]
        assert p["registered_on"] <= min(p.get("decided_on") or end, end)  # type: ignore[operator]
    # only persons still pending are left awaiting registration
    assert all("decision" not in p for p in people if "registered_on" not in p)
    assert any("registered_on" not in p for p in people)
    # the registrations come from their own stream: the referral, decision and arrival drawn for a
    # person are the same whatever that stream draws
    again = [demo._person(random.Random(n), plan, line, "DE", n, end, random.Random(f"other{n}")) for n in range(300)]
    strip = ("registered_on",)
    assert [{k: v for k, v in p.items() if k not in strip} for p in people] == \
        [{k: v for k, v in p.items() if k not in strip} for p in again]
