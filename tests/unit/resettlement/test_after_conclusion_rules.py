"""What follows a positive conclusion (Regulation (EU) 2024/1350, Art 9(14) to (20), read in the
Official Journal text): the status the category's paragraph provides (refugee or subsidiary
protection status after a resettlement, Art 9(15); international protection or a national
humanitarian status after a humanitarian admission, Art 9(17); a family member's residence permit,
Art 9(16), (18)); the entry within twelve months of the conclusion (Art 9(20), no extension); a
withdrawal of consent after the conclusion and before the entry discontinues the procedure (Art
7(1), 9(11), 9(14)); and whether UNHCR was given the reason of a discontinuation (Art 9(11), third
subparagraph) or of a refusal (Art 9(13), second subparagraph)."""

from __future__ import annotations

from datetime import date

from pactum.resettlement import rules
from pactum.resettlement.model import STATUS_CODES

UNION = rules.PlanFacts(key="2026-2027", kind="union_plan", first_year=2026, last_year=2027, total_places=10,
                        split={})
EXERCISE = rules.PlanFacts(key="2024-2025", kind="pledging_exercise", first_year=2024, last_year=2025,
                           total_places=10, split={})
TODAY = date(2026, 11, 28)


def fields(problems: list[tuple[str, str]]) -> list[str]:
    return [f for f, _ in problems]


def _admitted(category: str = "resettlement", **kw: object) -> rules.CaseFacts:
    return rules.CaseFacts(**{"referred_on": date(2026, 1, 10), "registered_on": date(2026, 2, 1),
                              "decision": "admitted", "decided_on": date(2026, 5, 4), "category": category, **kw})


def test_the_statuses_follow_article_9_15_to_18_and_the_national_status_is_for_humanitarian_admission_only():
    assert tuple(rules.STATUSES) == STATUS_CODES
    refugee = rules.STATUSES["refugee_status"]
    assert refugee.cite("resettlement") == "Regulation (EU) 2024/1350, Article 9(15)"
    assert refugee.cite("humanitarian_admission") == "Regulation (EU) 2024/1350, Article 9(17)"
    # emergency admission is through resettlement or humanitarian admission (Art 2(4))
    assert refugee.cite("emergency_admission") == "Regulation (EU) 2024/1350, Article 9(15) or (17)"
    national = rules.STATUSES["national_humanitarian_status"]
    assert national.cite("resettlement") is None and national.cite("humanitarian_admission").endswith("9(17)")
    family = rules.STATUSES["family_member_residence_permit"]
    assert (family.cite("resettlement").endswith("9(16)"), family.cite("humanitarian_admission").endswith("9(18)")) == (
        True, True)


def test_a_status_is_recorded_after_a_positive_conclusion_in_the_category_the_text_grants_it():
    ok = _admitted(status_granted="refugee_status", status_decided_on=date(2026, 5, 4))
    assert rules.check_case(ok, UNION, TODAY) == []
    # a national humanitarian status after a resettlement: Art 9(15) grants refugee or subsidiary protection
    wrong = _admitted(status_granted="national_humanitarian_status", status_decided_on=date(2026, 6, 1))
    (problem,) = rules.check_case(wrong, UNION, TODAY)
    assert problem[0] == "status_granted" and "Article 9(15)" in problem[1]
    assert rules.check_case(_admitted("humanitarian_admission", status_granted="national_humanitarian_status",
                                      status_decided_on=date(2026, 6, 1)), UNION, TODAY) == []
    # before the conclusion, without its day, after today, or without a positive conclusion
    assert fields(rules.check_case(_admitted(status_granted="refugee_status", status_decided_on=date(2026, 5, 1)),
                                   UNION, TODAY)) == ["status_decided_on"]
    assert fields(rules.check_case(_admitted(status_granted="refugee_status"), UNION, TODAY)) == ["status_decided_on"]
    assert fields(rules.check_case(_admitted(status_granted="refugee_status", status_decided_on=date(2026, 12, 1)),
                                   UNION, TODAY)) == ["status_decided_on"]
    pending = rules.CaseFacts(referred_on=date(2026, 1, 10), status_granted="refugee_status",
                              status_decided_on=date(2026, 5, 4))
    assert fields(rules.check_case(pending, UNION, TODAY)) == ["status_granted"]
    # a pledging exercise ran under national programmes: Art 9(15)-(18) do not govern it
    old = _admitted(referred_on=date(2025, 1, 10), registered_on=date(2025, 2, 1), decided_on=date(2025, 5, 4),
                    status_granted="refugee_status", status_decided_on=date(2025, 6, 1))
    assert fields(rules.check_case(old, EXERCISE, TODAY)) == ["status_granted"]


def test_a_status_left_out_is_asked_for_in_words_with_only_the_statuses_of_the_category():
    """The refusal reads on the web form beside a select of words: it names the statuses the
    category's paragraph grants in words, then as the API and CLI take them."""
    (problem,) = rules.check_case(_admitted(status_granted=None, status_decided_on=date(2026, 6, 1)), UNION, TODAY)
    assert problem == ("status_granted", "give the status granted: refugee status, subsidiary protection status or "
                       "a family member's residence permit (refugee_status, subsidiary_protection or "
                       "family_member_residence_permit)")
    (problem,) = rules.check_case(_admitted("humanitarian_admission", status_granted=None,
                                            status_decided_on=date(2026, 6, 1)), UNION, TODAY)
    assert "the national humanitarian status" in problem[1] and "national_humanitarian_status" in problem[1]


def test_the_entry_is_due_twelve_months_from_the_conclusion_and_reads_due_soon_then_overdue():
    # concluded 2026-05-04: twelve months (Reg. 1182/71) end on 2027-05-04, a Tuesday
    t = rules.transfer_clock("union_plan", "resettlement", "admitted", date(2026, 5, 4), None, "DE", TODAY)
    assert (t.status, t.due_by, t.rapid) == ("awaiting", date(2027, 5, 4), False)
    assert "Article 9(20)" in str(t.basis)
    assert rules.transfer_clock("union_plan", "resettlement", "admitted", date(2026, 5, 4), None, "DE",
                                date(2027, 3, 10)).status == "due_soon"
    assert rules.transfer_clock("union_plan", "resettlement", "admitted", date(2026, 5, 4), None, "DE",
                                date(2027, 5, 5)).status == "overdue"
    # arrived: in time or after the twelve months
    assert rules.transfer_clock("union_plan", "resettlement", "admitted", date(2026, 5, 4), date(2027, 5, 4), "DE",
                                date(2027, 6, 1)).status == "arrived_in_time"
    assert rules.transfer_clock("union_plan", "resettlement", "admitted", date(2026, 5, 4), date(2027, 5, 10), "DE",
                                date(2027, 6, 1)).status == "arrived_late"
    # emergency admission: rapid transfer, the twelve months its outer bound; a pledging exercise: no limit
    assert rules.transfer_clock("union_plan", "emergency_admission", "admitted", date(2026, 5, 4), None, "DE",
                                TODAY).rapid is True
    assert rules.transfer_clock("pledging_exercise", "resettlement", "admitted", date(2025, 5, 4), None, "DE",
                                TODAY).status == "no_limit"
    assert rules.transfer_clock("union_plan", "resettlement", "refused", date(2026, 5, 4), None, "DE",
                                TODAY).status == "none"


def test_consent_withdrawn_after_a_positive_conclusion_and_before_the_entry_discontinues_the_procedure():
    admitted = _admitted()
    assert rules.check_discontinuation(admitted, UNION, date(2026, 6, 1), "consent_withdrawn", "x", TODAY) == []
    # the points of the second subparagraph concern a procedure not concluded (our reading)
    (problem,) = rules.check_discontinuation(admitted, UNION, date(2026, 6, 1), "preference_to_vulnerable", "x", TODAY)
    assert problem[0] == "ground" and "Article 7(1)" in problem[1]
    # not before the conclusion; not once the person has entered
    assert fields(rules.check_discontinuation(admitted, UNION, date(2026, 5, 1), "consent_withdrawn", "x",
                                              TODAY)) == ["discontinued_on"]
    arrived = _admitted(arrived_on=date(2026, 7, 1))
    (problem,) = rules.check_discontinuation(arrived, UNION, date(2026, 8, 1), "consent_withdrawn", "x", TODAY)
    assert problem[0] == "discontinued_on" and "entered on 2026-07-01" in problem[1]
    # the record as stored: discontinued, the conclusion kept; a status decided after the discontinuation is refused
    stored = rules.CaseFacts(referred_on=date(2026, 1, 10), registered_on=date(2026, 2, 1), decision="discontinued",
                             decided_on=date(2026, 6, 1), refusal_reason="x", discontinuation_ground="consent_withdrawn",
                             concluded_on=date(2026, 5, 4), status_granted="refugee_status",
                             status_decided_on=date(2026, 5, 20))
    assert rules.check_case(stored, UNION, TODAY) == []
    stored.status_decided_on = date(2026, 6, 2)
    assert fields(rules.check_case(stored, UNION, TODAY)) == ["status_decided_on"]


def test_whether_unhcr_was_given_the_reason_is_recorded_for_a_discontinuation_or_a_refusal_only():
    ended = rules.CaseFacts(referred_on=date(2026, 1, 10), decision="discontinued", decided_on=date(2026, 6, 1),
                            refusal_reason="x", discontinuation_ground="consent_withdrawn",
                            unhcr_informed="informed", unhcr_informed_on=date(2026, 6, 3))
    assert rules.check_case(ended, UNION, TODAY) == []
    ended.unhcr_informed_on = date(2026, 5, 30)
    assert fields(rules.check_case(ended, UNION, TODAY)) == ["unhcr_informed_on"]
    ended.unhcr_informed_on = None
    assert fields(rules.check_case(ended, UNION, TODAY)) == ["unhcr_informed_on"]
    ended.unhcr_informed, ended.unhcr_informed_on = "public_interest", None
    assert rules.check_case(ended, UNION, TODAY) == []
    refused = rules.CaseFacts(referred_on=date(2026, 1, 10), decision="refused", decided_on=date(2026, 6, 1),
                              refusal_ground="danger_to_public_order", unhcr_informed="not_necessary")
    assert rules.check_case(refused, UNION, TODAY) == []
    assert fields(rules.check_case(_admitted(unhcr_informed="informed", unhcr_informed_on=date(2026, 6, 1)),
                                   UNION, TODAY)) == ["unhcr_informed"]
    assert rules.UNHCR_BASIS == {"discontinued": "Regulation (EU) 2024/1350, Article 9(11), third subparagraph",
                                 "refused": "Regulation (EU) 2024/1350, Article 9(13), second subparagraph"}
