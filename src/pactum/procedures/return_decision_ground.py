"""The inadmissibility ground of an application made late after a return decision: Regulation
(EU) 2024/1348 (APR) Art 38(1)(e), read in the Italian text of the Regulation.

The determining authority may reject an application as inadmissible where a return decision was
issued to the applicant under Art 6 of Directive 2008/115/EC and the applicant made the application
only after seven working days (``apr.inadmissibility.return_decision_window``) from the day they
received it, provided they had been informed of the consequences of not applying within that time
and no new relevant elements arose since it expired. On that ground the admissibility examination
ends within ten working days (Art 35(1), second subparagraph:
``apr.time_limits.admissibility_ground_38_1_e``). Both periods are counted as Reg. 1182/71 counts
working days, with the public holidays of the Member State (``compute_period``).

Pure: no store, no services. The service finds the return decision; this module counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pactum.law import compute_period, param

#: the parameter of the seven working days, and of the ten working days of the examination
P_WINDOW = "apr.inadmissibility.return_decision_window"
P_EXAMINATION = "apr.time_limits.admissibility_ground_38_1_e"

#: the ground's code, as drafts and the case JSON name it
GROUND = "return_decision_late_application"


def _day(d: date | datetime) -> date:
    return d.date() if isinstance(d, datetime) else d


@dataclass(frozen=True)
class LateApplication:
    """Whether an application made on ``made_on`` was made after the working days that followed the
    receipt of a return decision on ``received_on`` in ``member_state`` (``late``), the last of them
    (``last_day``), and how it was counted."""

    received_on: date
    made_on: date
    member_state: str
    working_days: int
    last_day: date
    late: bool
    steps: list[str] = field(default_factory=list)
    legal_basis: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"received_on": self.received_on.isoformat(), "made_on": self.made_on.isoformat(),
                "member_state": self.member_state, "working_days": self.working_days,
                "last_day": self.last_day.isoformat(), "late": self.late, "steps": list(self.steps),
                "legal_basis": list(self.legal_basis)}


def late_after_return_decision(received_on: date, made_on: date, member_state: str) -> LateApplication:
    """Count the working days from the receipt of the return decision (the day of receipt not
    counted, Reg. 1182/71 Art 3(1); Saturdays, Sundays and the state's public holidays not counted,
    Art 2(2) and 3(3)) and say whether the application was made after the last of them. The window
    in force on the day the application was made applies."""
    window = param(P_WINDOW, on=made_on)
    amount = int(window.value)
    period = compute_period(received_on, amount, str(window.unit), member_state)
    last = _day(period.end)
    late = made_on > last
    ref = window.reference.cite()
    outcome = (f"the application made on {made_on.isoformat()} was made after the {amount} working days "
               f"from the receipt of the return decision on {received_on.isoformat()}, which ended on "
               f"{last.isoformat()} ({ref})" if late else
               f"the application made on {made_on.isoformat()} was made within the {amount} working days "
               f"from the receipt of the return decision on {received_on.isoformat()} (until "
               f"{last.isoformat()}): the ground of {ref} does not apply")
    return LateApplication(received_on=received_on, made_on=made_on, member_state=period.member_state,
                           working_days=amount, last_day=last, late=late, steps=[*period.steps, outcome],
                           legal_basis=list(dict.fromkeys([ref, *(r.cite() for r in period.legal_basis)])))


@dataclass(frozen=True)
class ExaminationEnd:
    """The last day of the admissibility examination on the ground (``ends_on``; ``None`` while
    the application is not lodged), the limit as read (``limit``) and its citation."""

    ends_on: date | None
    limit: str
    legal_basis: str
    steps: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"ends_on": self.ends_on.isoformat() if self.ends_on else None, "limit": self.limit,
                "legal_basis": self.legal_basis, "steps": list(self.steps)}


def examination_end(lodged_on: date | None, member_state: str, on: date) -> ExaminationEnd:
    """The end of the admissibility examination on the ground: the working days of Art 35(1),
    second subparagraph, counted from the lodging of the application."""
    limit = param(P_EXAMINATION, on=on)
    amount = int(limit.value)
    words = f"{amount} working days from lodging"
    ref = limit.reference.cite()
    if lodged_on is None:
        return ExaminationEnd(None, words, ref, ["the application is not lodged yet: the period runs from lodging"])
    period = compute_period(lodged_on, amount, str(limit.unit), member_state)
    return ExaminationEnd(_day(period.end), words, ref, list(period.steps))
