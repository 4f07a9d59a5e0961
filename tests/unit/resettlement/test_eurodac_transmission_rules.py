"""The transmission to Eurodac after a decision (Regulation (EU) 2024/1350, Art 9(24), applicable from
12 June 2026, Art 16(2); Regulation (EU) 2024/1358, Art 18(2), read in the Official Journal text): the
data of a person of at least six registered for an admission procedure are transmitted "quanto prima e
in ogni caso entro 72 ore dalla decisione" to grant international protection or a national
humanitarian status (point (a)), to refuse admission under Art 6(1)(f) (point (b)) or to discontinue
the procedure for consent not given or withdrawn (point (c))."""

from __future__ import annotations

from datetime import date

from pactum.resettlement import rules

UNION = rules.PlanFacts(key="2026-2027", kind="union_plan", first_year=2026, last_year=2027, total_places=10,
                        split={})
EXERCISE = rules.PlanFacts(key="2024-2025", kind="pledging_exercise", first_year=2024, last_year=2025,
                           total_places=10, split={})
TODAY = date(2026, 11, 28)


def fields(problems: list[tuple[str, str]]) -> list[str]:
    return [f for f, _ in problems]


def _case(**kw: object) -> rules.CaseFacts:
    return rules.CaseFacts(**{"referred_on": date(2026, 6, 1), "registered_on": date(2026, 6, 10), **kw})


def _clock(case: rules.CaseFacts, kind: str = "union_plan", today: date = TODAY) -> rules.EurodacClock:
    trigger = rules.eurodac_trigger(case.decision, case.decided_on, case.refusal_ground, case.discontinuation_ground,
                                    case.status_granted, case.status_decided_on)
    return rules.eurodac_clock(kind, trigger, case.eurodac_transmitted_on, case.eurodac_under_six, today)


def test_the_three_decisions_of_article_18_2_start_the_72_hours_and_nothing_else_does():
    granted = _case(decision="admitted", decided_on=date(2026, 9, 1), status_granted="refugee_status",
                    status_decided_on=date(2026, 11, 2))
    c = _clock(granted)
    # the 72 hours run from the decision to grant the status (not from the conclusion); Pactum records
    # days, so they end at the latest on the third day after the decision's day
    assert (c.status, c.trigger, c.decision_on, c.due_by) == ("overdue", "status_granted", date(2026, 11, 2),
                                                              date(2026, 11, 5))
    assert c.basis == ("Regulation (EU) 2024/1358, Article 18(2), first subparagraph, point (a), and second "
                       "subparagraph")
    assert c.to_dict()["applies_by"] == "Regulation (EU) 2024/1350, Article 9(24)"
    assert "Article 19(1), points (c) to (q)" in c.to_dict()["data"]
    assert _clock(granted, today=date(2026, 11, 5)).status == "due"
    refused = _case(decision="refused", decided_on=date(2026, 11, 27), refusal_ground="refused_by_a_member_state")
    assert (_clock(refused).status, _clock(refused).trigger, _clock(refused).due_by) == (
        "due", "refused_art_6_1_f", date(2026, 11, 30))
    ended = _case(decision="discontinued", decided_on=date(2026, 10, 1), discontinuation_ground="consent_withdrawn")
    assert (_clock(ended).trigger, _clock(ended).basis.split(", ")[3]) == ("consent_withdrawn", "point (c)")
    # another ground of refusal, another point of Art 9(11), an admission without a status, a family
    # member's residence permit (neither international protection nor a national humanitarian status)
    for case in (_case(decision="refused", decided_on=date(2026, 11, 1), refusal_ground="exclusion_crimes"),
                 _case(decision="discontinued", decided_on=date(2026, 11, 1),
                       discontinuation_ground="preference_to_vulnerable"),
                 _case(decision="admitted", decided_on=date(2026, 11, 1)),
                 _case(decision="admitted", decided_on=date(2026, 9, 1),
                       status_granted="family_member_residence_permit", status_decided_on=date(2026, 11, 1))):
        assert _clock(case).status == "none"
    # a pledging exercise ran under national programmes; a decision before 12 June 2026 came before Art 9(24)
    assert _clock(refused, kind="pledging_exercise").status == "none"
    early = _case(referred_on=date(2026, 1, 10), registered_on=date(2026, 2, 1), decision="refused",
                  decided_on=date(2026, 6, 11), refusal_ground="refused_by_a_member_state")
    assert (_clock(early).status, _clock(early).due_by) == ("not_applicable", None)


def test_a_transmission_reads_in_time_or_late_and_a_child_under_six_has_none():
    base = {"decision": "refused", "decided_on": date(2026, 11, 2), "refusal_ground": "refused_by_a_member_state"}
    assert _clock(_case(**base, eurodac_transmitted_on=date(2026, 11, 5))).status == "transmitted_in_time"
    late = _clock(_case(**base, eurodac_transmitted_on=date(2026, 11, 6)))
    assert (late.status, late.transmitted_on, late.due_by) == ("transmitted_late", date(2026, 11, 6),
                                                                 date(2026, 11, 5))
    six = _clock(_case(**base, eurodac_under_six=True))
    assert (six.status, six.due_by) == ("under_six", None)


def test_a_transmission_recorded_must_stand_on_a_decision_of_article_18_2():
    ok = _case(decision="refused", decided_on=date(2026, 11, 2), refusal_ground="refused_by_a_member_state",
               eurodac_transmitted_on=date(2026, 11, 3))
    assert rules.check_case(ok, UNION, TODAY) == []
    # before the decision it transmits, after today, both a day and "under six"
    before = _case(decision="refused", decided_on=date(2026, 11, 2), refusal_ground="refused_by_a_member_state",
                   eurodac_transmitted_on=date(2026, 11, 1))
    (problem,) = rules.check_case(before, UNION, TODAY)
    assert problem[0] == "eurodac_transmitted_on" and "before the decision it transmits (2026-11-02" in problem[1]
    future = _case(decision="refused", decided_on=date(2026, 11, 2), refusal_ground="refused_by_a_member_state",
                   eurodac_transmitted_on=date(2026, 11, 29))
    assert fields(rules.check_case(future, UNION, TODAY)) == ["eurodac_transmitted_on"]
    both = _case(decision="refused", decided_on=date(2026, 11, 2), refusal_ground="refused_by_a_member_state",
                 eurodac_transmitted_on=date(2026, 11, 3), eurodac_under_six=True)
    (problem,) = rules.check_case(both, UNION, TODAY)
    assert problem[0] == "eurodac_under_six" and "at least six" in problem[1]
    # no decision of Art 18(2): pending, another ground, a pledging exercise, before 12 June 2026
    (problem,) = rules.check_case(_case(eurodac_transmitted_on=date(2026, 11, 3)), UNION, TODAY)
    assert problem[0] == "eurodac_transmitted_on" and "Article 18(2)" in problem[1] and "point (b)" in problem[1]
    # "under six" without a decision of Art 18(2): since 2026-12-02 it also answers the transmission for
    # comparison of Art 18(1), so a registered person's is kept; an unregistered person's is refused
    assert fields(rules.check_case(_case(decision="refused", decided_on=date(2026, 11, 2), refusal_ground="other",
                                         refusal_reason="not eligible", eurodac_under_six=True),
                                   UNION, TODAY)) == []
    assert fields(rules.check_case(_case(registered_on=None, decision="refused", decided_on=date(2026, 11, 2),
                                         refusal_ground="other", refusal_reason="not eligible",
                                         eurodac_under_six=True), UNION, TODAY)) == ["eurodac_under_six"]
    old = rules.CaseFacts(referred_on=date(2025, 1, 10), decision="refused", decided_on=date(2025, 3, 1),
                          refusal_ground="other", refusal_reason="national criteria",
                          eurodac_transmitted_on=date(2025, 3, 2))
    (problem,) = rules.check_case(old, EXERCISE, TODAY)
    assert problem[0] == "eurodac_transmitted_on" and "pledging exercise" in problem[1]
    early = _case(referred_on=date(2026, 1, 10), registered_on=date(2026, 2, 1), decision="refused",
                  decided_on=date(2026, 6, 11), refusal_ground="refused_by_a_member_state",
                  eurodac_transmitted_on=date(2026, 6, 12))
    (problem,) = rules.check_case(early, UNION, TODAY)
    assert problem[0] == "eurodac_transmitted_on" and "before 12 June 2026" in problem[1]
    assert "Article 9(24)" in problem[1]


def test_the_stages_list_the_transmissions_due_and_overdue():
    assert "eurodac_due" in rules.CASE_STAGES and "eurodac_overdue" in rules.CASE_STAGES
    case = {"decision": "refused", "eurodac": {"status": "overdue"}}
    assert rules.at_stage("eurodac_overdue", case) and not rules.at_stage("eurodac_due", case)
    limit = rules.eurodac_limit(TODAY)
    assert limit is not None and limit["limit"] == "72 hours"
    assert limit["basis"] == "Regulation (EU) 2024/1358, Article 18(2), second subparagraph"
    assert rules.eurodac_limit(date(2026, 6, 11)) is None


def test_eurodac_keeps_the_data_five_years_after_a_status_and_three_after_a_refusal_or_discontinuation():
    """Regulation (EU) 2024/1358, Art 29(3) and (4), from the day of the transmission."""
    granted = rules.eurodac_clock("union_plan", ("status_granted", date(2026, 11, 2)), date(2026, 11, 4), None, TODAY,
                                  "DE")
    assert (granted.kept_until, granted.retention_basis) == (
        date(2031, 11, 4), "Regulation (EU) 2024/1358, Article 29(3), from the transmission")
    refused = rules.eurodac_clock("union_plan", ("refused_art_6_1_f", date(2026, 11, 2)), date(2026, 11, 4), None,
                                  TODAY, "DE")
    assert (refused.kept_until, refused.retention_basis) == (
        date(2029, 11, 4), "Regulation (EU) 2024/1358, Article 29(4), from the transmission")
    assert rules.eurodac_clock("union_plan", ("status_granted", date(2026, 11, 2)), None, None, TODAY,
                               "DE").kept_until is None
