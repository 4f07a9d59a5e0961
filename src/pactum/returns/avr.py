"""The problems of an assisted voluntary return case as typed, all at once.

A case is opened under a return decision, for the decision's destination as it stands, with a
programme, a funding source and an amount of assistance. The form and the API report every problem
of what was typed in one answer (``ValidationProblem`` with one entry per field), as the other
returns forms do, instead of the amount first and the day after it was corrected.

Pure: the caller (``pactum.services.returns.open_avr``) adds what the store knows (the decision's
destination and the amended decision that named it).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

#: The longest programme and funding source names, and the amount's bounds (the store's column:
#: twelve digits, two of them after the decimal point).
NAME_MAX = 200
AMOUNT_PLACES = 2
AMOUNT_MAX = Decimal("9999999999.99")


def check_case(*, programme: str, funding_source: str, amount_eur: Decimal, opened_on: date,
               decision_issued_on: date, today: date) -> list[tuple[str, str]]:
    """Every problem of a case as typed (field, message), in the form's order: no programme or
    funding source (or a name too long), an amount below zero, with more than two decimals or
    beyond the store's bound, a day in the future or before the return decision was issued."""
    problems: list[tuple[str, str]] = []
    for field, value in (("programme", programme), ("funding_source", funding_source)):
        if not value.strip():
            problems.append((field, "is required"))
        elif len(value) > NAME_MAX:
            problems.append((field, f"at most {NAME_MAX} characters"))
    if not amount_eur.is_finite():
        problems.append(("amount_eur", "must be an amount in euro"))
    elif amount_eur < 0:
        problems.append(("amount_eur", "cannot be below 0"))
    elif amount_eur != amount_eur.quantize(Decimal(1).scaleb(-AMOUNT_PLACES)):
        problems.append(("amount_eur", f"at most {AMOUNT_PLACES} decimal places (cents)"))
    elif amount_eur > AMOUNT_MAX:
        problems.append(("amount_eur", f"at most {AMOUNT_MAX}"))
    if opened_on > today:
        problems.append(("opened_on", "an assisted voluntary return case cannot be opened on a future date"))
    elif opened_on < decision_issued_on:
        problems.append(("opened_on", f"an assisted voluntary return case under this return decision cannot be "
                                      f"opened before it was issued on {decision_issued_on.isoformat()}"))
    return problems


__all__ = ["AMOUNT_MAX", "AMOUNT_PLACES", "NAME_MAX", "check_case"]
