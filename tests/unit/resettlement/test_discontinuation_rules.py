"""The rules of discontinuing an admission procedure (Regulation (EU) 2024/1350, Art 9(11) and (12),
read in the Official Journal text): the grounds in the order of the text, which the state must and
may discontinue on, what becomes of the person's data, and the clock of a discontinued procedure."""

from __future__ import annotations

from datetime import date

from pactum.resettlement import rules
from pactum.resettlement.model import DISCONTINUATION_GROUND_CODES

UNION = rules.PlanFacts(key="2026-2027", kind="union_plan", first_year=2026, last_year=2027, total_places=10,
                        split={})
TODAY = date(2026, 11, 28)


def test_the_grounds_follow_article_9_11_and_only_consent_withdrawn_is_mandatory():
    assert tuple(rules.DISCONTINUATION_GROUNDS) == DISCONTINUATION_GROUND_CODES
    assert [(g.where(), g.mandatory) for g in rules.DISCONTINUATION_GROUNDS.values()] == [
        ("Article 9(11), first subparagraph", True), ("Article 9(11)(a)", False), ("Article 9(11)(b)", False),
        ("Article 9(11)(c)", False)]
    (must, may) = rules.discontinuation_ground_groups()
    assert must[0].startswith("Must be discontinued") and [c for c, _ in must[1]] == ["consent_withdrawn"]
    assert may[0].endswith("Article 9(11), second subparagraph)") and len(may[1]) == 3


def test_article_9_12_keeps_the_data_three_years_after_consent_withdrawn_and_erases_them_otherwise():
    kept = rules.data_retention("consent_withdrawn", date(2026, 2, 28))
    # a storage period runs out by itself: not moved off a weekend (28 February 2029 is a Wednesday anyway)
    assert kept["keep_until"] == date(2029, 2, 28) and kept["erase_on"] is None
    assert kept["basis"] == "Regulation (EU) 2024/1350, Article 9(12), third subparagraph"
    erased = rules.data_retention("time_limits_beyond_control", date(2026, 5, 4))
    assert erased["erase_on"] == date(2026, 5, 4) and erased["keep_until"] is None
    assert rules.data_retention(None, date(2026, 5, 4)) is None


def test_a_discontinued_procedure_stops_its_clock_and_is_never_overdue():
    clock = rules.procedure_clock("union_plan", "ordinary", date(2026, 1, 10), date(2026, 11, 20), "DE", TODAY,
                                  registered_on=date(2026, 3, 1), discontinued=True)
    assert clock.status == "discontinued" and clock.deadline == date(2026, 10, 1)
    unregistered = rules.procedure_clock("union_plan", "ordinary", date(2026, 1, 10), date(2026, 2, 1), "DE", TODAY,
                                         registered_on=None, discontinued=True)
    assert unregistered.status == "discontinued" and unregistered.deadline is None
    assert rules.at_stage("discontinued", {"decision": "discontinued", "arrived_on": None, "clock": clock.to_dict()})
    assert not rules.at_stage("pending", {"decision": "discontinued", "arrived_on": None, "clock": clock.to_dict()})


def test_a_discontinuation_is_checked_as_the_text_allows_it():
    pending = rules.CaseFacts(referred_on=date(2026, 1, 10), registered_on=date(2026, 3, 1))
    ok = rules.check_discontinuation(pending, UNION, date(2026, 11, 20), "contribution_exceeded", "full", TODAY)
    assert ok == []
    fields = lambda problems: [f for f, _ in problems]  # noqa: E731
    assert fields(rules.check_discontinuation(pending, UNION, date(2026, 2, 1), "consent_withdrawn", "x",
                                              TODAY)) == ["discontinued_on"]
    waiting = rules.CaseFacts(referred_on=date(2026, 1, 10))
    assert fields(rules.check_discontinuation(waiting, UNION, date(2026, 2, 1), "time_limits_beyond_control", "x",
                                              TODAY)) == ["ground"]
    assert rules.check_discontinuation(waiting, UNION, date(2026, 2, 1), "consent_withdrawn", "x", TODAY) == []
    exercise = rules.PlanFacts(key="2022-2023", kind="pledging_exercise", first_year=2022, last_year=2023,
                               total_places=10, split={})
    assert fields(rules.check_discontinuation(waiting, exercise, date(2026, 2, 1), "consent_withdrawn", "x",
                                              TODAY)) == ["ground"]
    # a refusal is corrected first; after a positive conclusion only a withdrawal of consent before
    # the entry discontinues (Art 7(1), 9(11), 9(14): tests/unit/resettlement/test_after_conclusion_rules.py)
    refused = rules.CaseFacts(referred_on=date(2026, 1, 10), decision="refused", decided_on=date(2026, 5, 1),
                              refusal_ground="other", refusal_reason="x")
    assert fields(rules.check_discontinuation(refused, UNION, date(2026, 6, 1), "consent_withdrawn", "x",
                                              TODAY)) == ["decision"]
    # a discontinued record with an arrival or without its ground is not a valid record
    bad = rules.CaseFacts(referred_on=date(2026, 1, 10), decision="discontinued", decided_on=date(2026, 2, 1),
                          arrived_on=date(2026, 3, 1))
    assert sorted(fields(rules.check_case(bad, UNION, TODAY))) == ["arrived_on", "ground"]
