"""The problems of an assisted voluntary return case as typed come back together
(:func:`pactum.returns.avr.check_case`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pactum.returns.avr import check_case

ISSUED, TODAY = date(2026, 8, 20), date(2026, 9, 1)


def _check(**typed: object) -> list[tuple[str, str]]:
    case: dict[str, object] = {"programme": "IOM AVRR", "funding_source": "AMIF", "amount_eur": Decimal("1500"),
                               "opened_on": TODAY, **typed}
    return check_case(decision_issued_on=ISSUED, today=TODAY, **case)  # type: ignore[arg-type]


def test_a_case_as_typed_has_no_problem() -> None:
    assert _check() == [] and _check(amount_eur=Decimal("0"), opened_on=ISSUED) == []


def test_every_problem_comes_back_in_the_forms_order() -> None:
    assert _check(programme="", funding_source="f" * 201, amount_eur=Decimal("-0.01"), opened_on=date(2026, 9, 2)) == [
        ("programme", "is required"), ("funding_source", "at most 200 characters"),
        ("amount_eur", "cannot be below 0"),
        ("opened_on", "an assisted voluntary return case cannot be opened on a future date")]


def test_the_amount_fits_the_store() -> None:
    assert _check(amount_eur=Decimal("1.234")) == [("amount_eur", "at most 2 decimal places (cents)")]
    assert _check(amount_eur=Decimal("10000000000")) == [("amount_eur", "at most 9999999999.99")]
    assert _check(amount_eur=Decimal("NaN")) == [("amount_eur", "must be an amount in euro")]
    assert _check(opened_on=date(2026, 8, 19)) == [
        ("opened_on", "an assisted voluntary return case under this return decision cannot be opened before it was "
                      "issued on 2026-08-20")]
