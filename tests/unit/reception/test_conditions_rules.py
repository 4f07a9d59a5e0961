"""The rules a caseworker applies to one applicant's material reception conditions: the grounds of
Directive (EU) 2024/1346, Article 23(2) (Directive 2013/33/EU, Article 20, before 12 June 2026),
which allow a withdrawal, the Article 21 case, the dates, and what is kept whatever the decision."""

from __future__ import annotations

from datetime import date
from typing import Any

from pactum.reception import conditions as cond

TODAY = date(2026, 11, 28)
FIRST = date(2015, 7, 21)


def _body(**changes: Any) -> cond.ConditionsDecisionCreate:
    data: dict[str, Any] = {
        "person_id": "per-1", "measure": "reduce", "conditions": "daily_expenses_allowance", "ground": "23_2_b",
        "decided_on": "2026-11-20", "individual_assessment": "single adult, no special needs",
        "reasons": "missed two interviews", "health_care_ensured": True, "standard_of_living_ensured": True,
        **changes}
    return cond.ConditionsDecisionCreate.model_validate({k: v for k, v in data.items() if v is not None})


def _problems(body: cond.ConditionsDecisionCreate, own: str = "IT") -> dict[str, str]:
    return dict(cond.check_decision(body, own, TODAY, FIRST))


def test_the_six_grounds_of_article_23_2_each_with_its_citation():
    new = cond.grounds_of(date(2026, 6, 12))
    assert [g.citation for g in new] == [f"Directive (EU) 2024/1346, Article 23(2)({p})" for p in "abcdef"]
    old = cond.grounds_of(date(2026, 6, 11))
    assert [g.citation for g in old] == [
        "Directive 2013/33/EU, Article 20(1)(a)", "Directive 2013/33/EU, Article 20(1)(b)",
        "Directive 2013/33/EU, Article 20(1)(c)", "Directive 2013/33/EU, Article 20(2)",
        "Directive 2013/33/EU, Article 20(3)", "Directive 2013/33/EU, Article 20(4)"]


def test_a_reduction_of_the_allowance_cites_the_first_subparagraph_and_the_ground():
    assert _problems(_body()) == {}
    assert cond.decision_basis("reduce", "daily_expenses_allowance", "23_2_b") == (
        "Directive (EU) 2024/1346, Article 23(1), first subparagraph, and Article 23(2)(b)")
    assert cond.decision_basis("withdraw", "other_conditions", "23_2_e") == (
        "Directive (EU) 2024/1346, Article 23(1), second subparagraph, point (b), and Article 23(2)(e)")


def test_the_allowance_may_be_withdrawn_on_every_ground_other_conditions_only_on_ground_e():
    for g in cond.grounds_of(TODAY):
        assert cond.allowed(g, "withdraw", "daily_expenses_allowance")
        assert cond.allowed(g, "withdraw", "other_conditions") == (g.code == "23_2_e")
        assert cond.allowed(g, "reduce", "other_conditions")
    said = _problems(_body(measure="withdraw", conditions="other_conditions", ground="23_2_a"))
    assert "only on ground (e)" in said["measure"]
    assert _problems(_body(measure="withdraw", conditions="other_conditions", ground="23_2_e")) == {}


def test_before_12_june_2026_the_grounds_of_directive_2013_33_govern():
    said = _problems(_body(decided_on="2026-03-02"))
    assert "Directive 2013/33/EU does" in said["ground"] and "2013_20_1_b" in said["ground"]
    assert _problems(_body(decided_on="2026-03-02", ground="2013_20_1_b", measure="withdraw")) == {}
    # late application (Art 20(2)) and a sanction (Art 20(4), our reading) allow a reduction only
    for ground in ("2013_20_2", "2013_20_4"):
        assert "reduction only" in _problems(_body(decided_on="2026-03-02", ground=ground, measure="withdraw"))["measure"]
    said = _problems(_body(decided_on="2026-06-12", ground="2013_20_1_b"))
    assert "Directive (EU) 2024/1346 does" in said["ground"]
    assert cond.regime(date(2026, 6, 11)) == "Directive 2013/33/EU"
    assert cond.regime(date(2026, 6, 12)) == "Directive (EU) 2024/1346"


def test_a_decision_is_dated_up_to_today_and_takes_effect_no_earlier():
    assert "after today" in _problems(_body(decided_on="2026-11-29"))["decided_on"]
    assert "before 2015-07-21" in _problems(_body(decided_on="2015-07-20"))["decided_on"]
    said = _problems(_body(effective_from="2026-11-19"))
    assert "not reduced or withdrawn before the decision" in said["effective_from"]
    assert "Article 23(4) and (5)" in said["effective_from"]


def test_health_care_and_the_standard_of_living_are_kept_whatever_the_decision():
    said = _problems(_body(health_care_ensured=False, standard_of_living_ensured=False))
    assert "Article 22" in said["health_care_ensured"] and "Charter" in said["standard_of_living_ensured"]
    old = _problems(_body(decided_on="2026-03-02", ground="2013_20_1_b", health_care_ensured=False))
    assert "Directive 2013/33/EU, Article 19" in old["health_care_ensured"]


def test_assessment_and_reasons_are_required_in_writing_and_said_with_the_laws_problems():
    """A blank assessment or reason is refused in the same answer as a future date, a ground the law
    does not give and the guarantees left unconfirmed: the caseworker fixes everything at once."""
    said = _problems(_body(individual_assessment="  ", reasons="", decided_on="2026-12-02", ground="23_2_z",
                           health_care_ensured=False))
    assert "individual assessment" in said["individual_assessment"]
    assert "reasons of the decision" in said["reasons"]
    assert "after today" in said["decided_on"]
    assert "no ground '23_2_z'" in said["ground"]
    assert "Article 22" in said["health_care_ensured"]
    said = _problems(_body(measure="replace", conditions="housing", reasons="x" * 4001, case_id="c" * 41))
    assert said["measure"] == "one of reduce, withdraw, not_entitled"
    assert said["conditions"] == "daily_expenses_allowance or other_conditions"
    assert said["reasons"] == "at most 4000 characters (now 4001)" and "at most 40" in said["case_id"]


def test_a_lifting_without_a_reason_is_said_with_its_date():
    lift = cond.ConditionsLifting(version=1, lifted_on=date(2026, 11, 19), reason=" ", restoration="some")
    said = dict(cond.check_lifting(lift, date(2026, 11, 20), TODAY))
    assert said == {"restoration": "all or part", "reason": "required: say why the conditions are restored",
                    "lifted_on": "2026-11-19 is before the decision (2026-11-20)"}


def test_article_21_from_the_notified_transfer_decision_with_another_state_required():
    body = _body(measure="not_entitled", conditions=None, ground=None, required_state="IT")
    assert _problems(body, own="DE") == {}
    assert cond.decision_basis("not_entitled", None, None) == (
        "Directive (EU) 2024/1346, Article 21; Regulation (EU) 2024/1351, Article 17(4)")
    assert "other than the one required" in _problems(body, own="IT")["required_state"]
    said = _problems(_body(measure="not_entitled", conditions=None, ground=None, required_state="IT",
                           decided_on="2026-06-11"), own="DE")
    assert "Article 21" in said["measure"] and "does not apply" in said["measure"]
    said = _problems(_body(measure="not_entitled", required_state="IT"), own="DE")
    assert set(said) == {"ground", "conditions"}
    assert "required_state" in _problems(_body(measure="not_entitled", conditions=None, ground=None), own="DE")


def test_restoration_follows_article_23_3_where_the_grounds_cease():
    assert cond.lifting_basis("reduce", "23_2_a", "all") == "Directive (EU) 2024/1346, Article 23(3)"
    assert "duly reasoned decision" in cond.lifting_basis("reduce", "23_2_f", "part")
    assert "our reading" in cond.lifting_basis("reduce", "23_2_d", "all")
    assert cond.lifting_basis("reduce", "2013_20_1_a", "all") == "Directive 2013/33/EU, Article 20(1), second subparagraph"
    lift = cond.ConditionsLifting(version=1, lifted_on=date(2026, 11, 29), reason="came to the interview")
    assert "after today" in dict(cond.check_lifting(lift, date(2026, 11, 20), TODAY))["lifted_on"]
    lift = cond.ConditionsLifting(version=1, lifted_on=date(2026, 11, 19), reason="x")
    assert "before the decision" in dict(cond.check_lifting(lift, date(2026, 11, 20), TODAY))["lifted_on"]
