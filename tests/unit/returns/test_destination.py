"""The destination of a return decision is part of the decision (Directive 2008/115/EC Art 3(3)):
changing it is a new return decision (CJEU C-924/19 PPU and C-925/19 PPU, FMS and Others), never a
fact for removal. The pure rules of :mod:`pactum.returns.destination`."""

from __future__ import annotations

from datetime import date

from pactum.returns import destination

DECISION = {"reference": "IT-RD-2026-0000abcd", "issued_on": date(2026, 8, 20), "destination_country": "BGD"}
TODAY = date(2026, 11, 28)


def test_the_facts_refuse_a_change_of_destination_and_say_to_issue_the_amendment() -> None:
    said = destination.fact_refusal("BGD", "PAK")
    assert said is not None
    assert said.startswith("changing the destination from BGD to PAK is a new return decision, not a fact for removal")
    assert "C-924/19 PPU" in said and "issue an amended decision on the destination" in said
    assert "Directive 2008/115/EC, Article 12(1)" in said and "Directive 2008/115/EC, Article 13(1)" in said


def test_naming_a_destination_where_the_decision_had_none_is_refused_too() -> None:
    said = destination.fact_refusal(None, "ERI")
    assert said is not None and said.startswith("naming ERI as the destination of a decision that named none")


def test_a_state_that_recognised_the_decision_is_told_to_ask_the_issuing_state() -> None:
    said = destination.fact_refusal("BGD", "PAK", issuing=False)
    assert said is not None and said.endswith(
        "only the issuing state amends its decision's destination: ask it as supplementary information on your hit")


def test_the_destination_the_decision_already_has_or_none_typed_is_no_change() -> None:
    assert destination.fact_refusal("BGD", "BGD") is None
    assert destination.fact_refusal("BGD", None) is None
    assert destination.fact_refusal(None, None) is None


def test_an_amendment_is_dated_from_the_decision_and_its_last_amendment_to_today() -> None:
    ok = destination.check_amendment(DECISION, destination="PAK", issued_on=date(2026, 9, 1), today=TODAY,
                                     last_issued_on=None)
    assert ok == []
    assert destination.check_amendment(DECISION, destination="BGD", issued_on=date(2026, 9, 1), today=TODAY,
                                       last_issued_on=None) == [
        ("destination_country", "is already the decision's destination (BGD)")]
    assert destination.check_amendment(DECISION, destination="PAK", issued_on=date(2026, 11, 29), today=TODAY,
                                       last_issued_on=None) == [
        ("issued_on", "an amended decision cannot be dated in the future")]
    assert destination.check_amendment(DECISION, destination="PAK", issued_on=date(2026, 8, 19), today=TODAY,
                                       last_issued_on=None) == [
        ("issued_on", "is before the return decision it amends, issued on 2026-08-20")]
    assert destination.check_amendment(DECISION, destination="PAK", issued_on=date(2026, 9, 1), today=TODAY,
                                       last_issued_on=date(2026, 9, 5)) == [
        ("issued_on", "is before the decision's last amended destination, issued on 2026-09-05")]


def test_the_amendment_is_referenced_from_the_decision_and_states_the_law_and_the_judgment() -> None:
    assert destination.reference("IT-RD-2026-0000abcd", 2) == "IT-RD-2026-0000abcd-D2"
    assert destination.LEGAL_BASIS == (
        "Directive 2008/115/EC, Article 3(3)", "Directive 2008/115/EC, Article 3(4)",
        "Directive 2008/115/EC, Article 7(1)", "Directive 2008/115/EC, Article 12(1)", "Directive 2008/115/EC, Article 13(1)",
        "judgment of the Court of Justice of 14 May 2020, FMS and Others, Joined Cases C-924/19 PPU and "
        "C-925/19 PPU, EU:C:2020:367")


def test_an_appeal_is_lodged_after_the_amendment_and_not_in_the_future() -> None:
    amendment = {"reference": "IT-RD-2026-0000abcd-D1", "issued_on": date(2026, 9, 1)}
    assert destination.check_appeal(amendment, lodged_on=date(2026, 9, 3), today=TODAY) == []
    assert destination.check_appeal(amendment, lodged_on=date(2026, 8, 31), today=TODAY) == [
        ("lodged_on", "is before the amended decision IT-RD-2026-0000abcd-D1, issued on 2026-09-01")]
    assert destination.check_appeal(amendment, lodged_on=date(2026, 11, 30), today=TODAY) == [
        ("lodged_on", "an appeal cannot be recorded as lodged in the future")]
    assert destination.suspension_reason(amendment, date(2026, 9, 3)) == (
        "appeal with suspensive effect lodged on 2026-09-03 against the amended decision on the destination "
        "IT-RD-2026-0000abcd-D1 (Directive 2008/115/EC, Article 13(2))")


def test_the_amended_decision_grants_the_decisions_days_again_unless_the_officer_sets_others() -> None:
    assert destination.period_days({"voluntary_departure_days": 7}, None) == 7
    assert destination.period_days({"voluntary_departure_days": 7}, 30) == 30
    assert destination.period_days({"voluntary_departure_days": 0}, None) == 0
    assert destination.period_words(7, date(2026, 9, 7)) == (
        "7 days for voluntary departure, to 2026-09-07 (Directive 2008/115/EC, Article 7(1))")
    assert destination.period_words(0, None) == (
        "no period for voluntary departure (Directive 2008/115/EC, Article 7(1) read with Article 7(4))")


def test_an_assisted_return_for_another_country_is_ended_naming_the_amended_decision() -> None:
    assert destination.avr_ended_reason("IT-RD-1", "IT-RD-1-D1", "BGD", "PAK") == (
        "destination of return decision IT-RD-1 amended to PAK by IT-RD-1-D1: the case was arranged for BGD "
        "(Directive 2008/115/EC, Article 3(3)); open a case for PAK if the person agrees")


# --------------------------------------------------------------------------- the appeal's outcome


def _amendment(number: int, to: str, outcome: str | None = None) -> dict[str, object]:
    return {"number": number, "reference": f"IT-RD-2026-0000abcd-D{number}", "destination_country": to,
            "appeal_outcome": outcome}


def test_the_latest_amendment_not_annulled_names_the_destination_that_stands() -> None:
    d1, d2 = _amendment(1, "PAK"), _amendment(2, "AFG")
    assert destination.standing([d1, d2]) is d2
    # the latest annulled: the earlier amended decision stands again
    assert destination.standing([d1, _amendment(2, "AFG", "allowed")]) is d1
    # an earlier one annulled does not touch the later one, a new return decision of its own
    assert destination.standing([_amendment(1, "PAK", "allowed"), d2]) is d2
    # every one annulled, or a dismissed appeal: the decision's own / the amended decision stands
    assert destination.standing([_amendment(1, "PAK", "allowed")]) is None
    dismissed = _amendment(1, "PAK", "dismissed")
    assert destination.standing([dismissed]) is dismissed
    assert destination.standing([]) is None


def test_the_courts_outcome_is_not_dated_in_the_future_nor_before_the_appeal() -> None:
    appealed = {"reference": "IT-RD-2026-0000abcd-D1", "appeal_lodged_on": date(2026, 9, 1)}
    assert destination.check_outcome(appealed, decided_on=date(2026, 9, 1), today=TODAY) == []
    assert destination.check_outcome(appealed, decided_on=date(2026, 11, 29), today=TODAY) == [
        ("decided_on", "the court's decision on the appeal cannot be dated in the future")]
    assert destination.check_outcome(appealed, decided_on=date(2026, 8, 31), today=TODAY) == [
        ("decided_on", "is before the appeal against IT-RD-2026-0000abcd-D1 was lodged, on 2026-09-01")]


def test_the_annulment_says_which_destination_stands() -> None:
    d1 = _amendment(1, "PAK", "allowed")
    assert destination.annulled_words(d1, date(2026, 9, 1), "BGD", None) == (
        "IT-RD-2026-0000abcd-D1 annulled on appeal on 2026-09-01; the destination is BGD again, as the decision "
        "stood before it")
    assert destination.annulled_words(d1, date(2026, 9, 1), "AFG", "IT-RD-2026-0000abcd-D2") == (
        "IT-RD-2026-0000abcd-D1 annulled on appeal on 2026-09-01; the destination stays AFG, as the later amended "
        "decision IT-RD-2026-0000abcd-D2 decided")
