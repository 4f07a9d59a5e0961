"""The exceptions to the right to remain the competent authority records on any application: a
surrender under a European arrest warrant (APR Art 10(3)), an extradition, surrender or transfer
(Art 10(4)(b), with Art 10(5)), a danger to public order or national security (Art 10(4)(c)); before
the Pact Directive 2013/32/EU Art 9(2), (3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pactum.procedures.right_to_remain import (
    ARREST_WARRANT,
    EXTRADITION,
    PUBLIC_ORDER,
    Recorded,
    check_lift,
    check_recorded,
    recorded_right_to_remain,
    subsequent_right_to_remain,
)

APR = "Regulation (EU) 2024/1348"
DIR = "Directive 2013/32/EU"


def fields(regime: str = "pact", **kw: object) -> list[str]:
    facts: dict = {"ground": EXTRADITION, "destination_kind": "third_country", "destination": "Serbia",
                   "reference": "extradition request of 2026-07-01", "reason": "prosecution for fraud",
                   "non_refoulement_satisfied": True, **kw}
    return [f for f, _ in check_recorded(regime, **facts)]


def test_extradition_to_a_third_country_or_a_court_needs_the_finding_on_refoulement_a_member_state_not() -> None:
    assert fields() == []
    assert fields(non_refoulement_satisfied=False) == ["non_refoulement_satisfied"]
    assert fields(destination_kind="international_court", non_refoulement_satisfied=False) == [
        "non_refoulement_satisfied"]
    assert fields(destination_kind="member_state", non_refoulement_satisfied=False) == []
    message = check_recorded("pact", ground=EXTRADITION, destination_kind="third_country", destination="Serbia",
                             reference="r", reason="x", non_refoulement_satisfied=False)[0][1]
    assert f"{APR}, Article 10(5)" in message and "direct or indirect refoulement" in message


def test_the_directive_asks_the_finding_only_for_an_extradition_to_a_third_country() -> None:
    assert fields("pre_pact", non_refoulement_satisfied=False) == ["non_refoulement_satisfied"]
    assert fields("pre_pact", destination_kind="international_court", non_refoulement_satisfied=False) == []
    message = check_recorded("pre_pact", ground=EXTRADITION, destination_kind="third_country", destination="Serbia",
                             reference="r", reason="x", non_refoulement_satisfied=False)[0][1]
    assert f"{DIR}, Article 9(3)" in message


def test_public_order_is_an_exception_of_the_regulation_only_and_needs_the_finding() -> None:
    base = {"destination_kind": None, "destination": None, "reference": None}
    assert fields(ground=PUBLIC_ORDER, **base) == []
    assert fields(ground=PUBLIC_ORDER, **{**base, "non_refoulement_satisfied": False}) == ["non_refoulement_satisfied"]
    assert fields(ground=PUBLIC_ORDER, **{**base, "destination": "Serbia"}) == ["destination"]
    refused = check_recorded("pre_pact", ground=PUBLIC_ORDER, reason="x", non_refoulement_satisfied=True, **base)
    assert [f for f, _ in refused] == ["ground"] and f"{DIR}, Article 9(2)" in refused[0][1]


def test_an_arrest_warrant_names_the_warrant_and_surrenders_to_a_member_state() -> None:
    ok = {"ground": ARREST_WARRANT, "destination_kind": None, "destination": "DE",
          "reference": "EAW DE-2026-77", "non_refoulement_satisfied": False}
    assert fields(**ok) == []
    assert fields(**{**ok, "destination_kind": "third_country"}) == ["destination_kind"]
    assert fields(**{**ok, "reference": None, "destination": None}) == ["destination", "reference"]
    assert fields(ground="deportation") == ["ground"]
    assert fields(reason="") == ["reason"]


def test_the_record_cites_the_paragraph_and_says_what_it_does_to_a_return() -> None:
    eaw = recorded_right_to_remain("pact", Recorded(ARREST_WARRANT, date(2026, 8, 3), "it.caseworker", None, "DE",
                                                    "EAW DE-2026-77", "wanted for robbery", False))
    assert eaw["legal_basis"] == [f"{APR}, Article 10(3)"] and eaw["right_to_remain"] is False
    assert eaw["destination_kind"] == "member_state" and eaw["return_decision_held_back"] is True
    assert "European arrest warrant EAW DE-2026-77" in eaw["note"] and "not a return" in eaw["note"]
    ext = recorded_right_to_remain("pre_pact", Recorded(EXTRADITION, date(2026, 5, 3), "it.caseworker",
                                                        "third_country", "Serbia", "request 12/2026", "fraud", True))
    assert ext["legal_basis"] == [f"{DIR}, Article 9(2)", f"{DIR}, Article 9(3)"]
    assert ext["return_decision_held_back"] is True
    danger = recorded_right_to_remain("pact", Recorded(PUBLIC_ORDER, date(2026, 8, 3), "it.caseworker", None, None,
                                                       None, "convicted of armed robbery", True))
    assert danger["legal_basis"] == [f"{APR}, Article 10(4)(c)"] and danger["return_decision_held_back"] is False
    assert "no removal to a third country may breach the principle of non-refoulement" in danger["note"]


def test_a_subsequent_application_without_its_own_exception_shows_the_recorded_one() -> None:
    danger = recorded_right_to_remain("pact", Recorded(PUBLIC_ORDER, date(2026, 8, 3), "it.caseworker", None, None,
                                                       None, "convicted of armed robbery", True))
    out = subsequent_right_to_remain(regime="pact", subsequent=True, previous=[], assessment=None,
                                     new_elements_found_on=None, recorded=danger)
    assert out is not None and out["right_to_remain"] is False and out["exception"] == PUBLIC_ORDER
    assert out["legal_basis"] == [f"{APR}, Article 10(4)(c)"] and out["return_decision_held_back"] is False
    plain = subsequent_right_to_remain(regime="pact", subsequent=True, previous=[], assessment=None,
                                       new_elements_found_on=None)
    assert plain is not None and plain["right_to_remain"] is True and plain["return_decision_held_back"] is True


def test_a_lift_needs_its_day_between_the_record_and_today_and_a_reason() -> None:
    recorded, today = date(2026, 8, 3), date(2026, 8, 12)
    assert check_lift(recorded_on=recorded, today=today, on=date(2026, 8, 10), reason="surrender refused") == []
    assert check_lift(recorded_on=recorded, today=today, on=recorded, reason="recorded in error") == []
    assert check_lift(recorded_on=recorded, today=today, on=today, reason="x") == []
    after = check_lift(recorded_on=recorded, today=today, on=date(2026, 8, 13), reason="x")
    assert after == [("on", "the day the exception is lifted cannot be after today (2026-08-12)")]
    before = check_lift(recorded_on=recorded, today=today, on=date(2026, 8, 2), reason="x")
    assert before == [("on", "the day the exception is lifted cannot be before the day it was recorded (2026-08-03)")]
    assert [f for f, _ in check_lift(recorded_on=recorded, today=today, on=None, reason="")] == ["on", "reason"]


def test_a_lifted_exception_gives_the_right_to_remain_of_article_10_1_back() -> None:
    rec = Recorded(ground=ARREST_WARRANT, on=date(2026, 8, 3), by="it.caseworker", destination_kind=None,
                   destination="DE", reference="EAW 2026/77", reason="arrested on the warrant",
                   non_refoulement_satisfied=False)
    standing = recorded_right_to_remain("pact", rec)
    assert standing["right_to_remain"] is False and standing["lifted"] is False and standing["lifted_on"] is None
    lifted = recorded_right_to_remain("pact", replace(rec, lifted_on=date(2026, 8, 10), lifted_by="it.reviewer",
                                                      lift_reason="surrender refused by the executing court"))
    assert lifted["right_to_remain"] is True and lifted["lifted"] is True and lifted["return_decision_held_back"]
    assert lifted["lifted_on"] == "2026-08-10" and lifted["lifted_by"] == "it.reviewer"
    assert lifted["lift_reason"] == "surrender refused by the executing court"
    assert lifted["legal_basis"] == [f"{APR}, Article 10(3)"] and lifted["ground"] == ARREST_WARRANT
    assert "was lifted on 2026-08-10: surrender refused by the executing court" in lifted["note"]
    assert f"({APR}, Article 10(1))" in lifted["note"]
    old = recorded_right_to_remain("pre_pact", replace(rec, lifted_on=date(2026, 5, 30), lifted_by="x", lift_reason="y"))
    assert old["right_to_remain"] is True and f"({DIR}, Article 9(1))" in old["note"]
