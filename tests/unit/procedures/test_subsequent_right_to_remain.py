"""The right to remain while a subsequent application is examined, and its exceptions (APR
Art 10(1), (4)(a), Art 56(a), (b); before the Pact Directive 2013/32/EU Art 9(1), Art 41(1)(a), (b))."""

from __future__ import annotations

from datetime import date

from pactum.procedures.right_to_remain import (
    DELAY,
    FURTHER,
    Assessment,
    PreviousSubsequent,
    subsequent_right_to_remain,
)

DIR = "Directive 2013/32/EU"
APR = "Regulation (EU) 2024/1348"
DELAYED = Assessment(date(2026, 5, 20), "it.caseworker", "return decision of 2026-04-02", "lodged on the eve of removal")


def remain(regime: str = "pact", previous: list[PreviousSubsequent] | None = None,
           assessment: Assessment | None = None, found: date | None = None) -> dict:
    out = subsequent_right_to_remain(regime=regime, subsequent=True, previous=previous or [],
                                     assessment=assessment, new_elements_found_on=found)
    assert out is not None
    return out


def test_a_first_application_is_not_concerned() -> None:
    assert subsequent_right_to_remain(regime="pact", subsequent=False, previous=[], assessment=None,
                                      new_elements_found_on=None) is None


def test_only_a_final_negative_decision_on_the_previous_subsequent_application_opens_the_exception() -> None:
    not_final = PreviousSubsequent("a1", "IT-2026-000001", "inadmissible", date(2026, 3, 1), final=False)
    granted = PreviousSubsequent("a2", "IT-2026-000002", "subsidiary_protection", date(2026, 3, 1), final=True)
    assert remain(previous=[not_final, granted])["right_to_remain"] is True
    for outcome in ("inadmissible", "rejected_unfounded", "rejected_manifestly_unfounded"):
        out = remain(previous=[PreviousSubsequent("a3", None, outcome, date(2026, 3, 1), final=True)])
        assert out["right_to_remain"] is False and out["exception"] == FURTHER and out["derived"] is True
        assert out["legal_basis"] == [f"{APR}, Article 10(4)(a)", f"{APR}, Article 56(b)"]


def test_the_directive_cites_its_own_articles() -> None:
    assert remain("pre_pact")["legal_basis"] == [f"{DIR}, Article 9(1)"]
    assert remain("pre_pact", assessment=DELAYED)["legal_basis"] == [f"{DIR}, Article 41(1)(a)"]
    out = remain("pre_pact", previous=[PreviousSubsequent("a", None, "rejected_unfounded", None, final=True)])
    assert out["legal_basis"] == [f"{DIR}, Article 41(1)(b)"]


def test_the_assessment_removes_the_right_only_while_the_application_is_not_examined_further() -> None:
    out = remain(assessment=DELAYED)
    assert out["right_to_remain"] is False and out["exception"] == DELAY and out["recorded_on"] == "2026-05-20"
    out = remain(assessment=DELAYED, found=date(2026, 6, 1))
    assert out["right_to_remain"] is True and out["exception"] is None and out["lapsed"] == "2026-06-01"
    assert out["legal_basis"] == [f"{APR}, Article 10(1)"]
