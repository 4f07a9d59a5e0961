"""Unaccompanied minors in return (Directive 2008/115/EC, Article 10).

- Art 5(a): the best interests of the child are taken into account when implementing the Directive.
- Art 10(1): before a return decision is issued to an unaccompanied minor, assistance by appropriate
  bodies other than the authorities enforcing return is granted, with due consideration for the
  best interests of the child. The Directive allows the decision: Pactum warns, it does not refuse.
- Art 10(2): before removing an unaccompanied minor, the authorities must be satisfied that the
  child will be returned to a member of their family, a nominated guardian or adequate reception
  facilities in the State of return. Until the officer records which (and how the authority
  satisfied itself), the removal queue and the return operations carry an obstacle.

Who counts as an unaccompanied minor: a person recorded as an unaccompanied minor on one of their
asylum applications (the procedures area's flag) who may still be a minor on the day looked at.
The Directive does not define "minor"; Art 3(9) lists minors and unaccompanied minors among
vulnerable persons, and the age of majority used is 18 (the threshold of the asylum acquis).
A date of birth that leaves the age uncertain (``2008`` on 30 November 2026: 17 or 18) counts as
a minor, and an unknown date of birth keeps the flag: the readings that protect the child.
"""

from __future__ import annotations

from datetime import date

from pactum.common.dates import PartialDate
from pactum.law import LegalRef

#: Below this age a person is a minor.
MAJORITY_AGE = 18

#: Art 10(2): to whom the child is returned, as the officer records it.
HANDOVERS: dict[str, str] = {
    "family_member": "a member of the child's family",
    "nominated_guardian": "a nominated guardian",
    "reception_facilities": "adequate reception facilities in the State of return",
}

ART_5A = LegalRef.of("return_directive", "5", None, "a")
ART_10_1 = LegalRef.of("return_directive", "10", "1")
ART_10_2 = LegalRef.of("return_directive", "10", "2")


def may_be_minor(date_of_birth: str | None, on: date) -> bool:
    """Whether the person may be under :data:`MAJORITY_AGE` on ``on``: the youngest age the
    recorded date of birth allows is below it. ``None`` (or unreadable) when nothing says: ``True``."""
    if not date_of_birth:
        return True
    try:
        youngest, _ = PartialDate.parse(date_of_birth).age_range_on(on)
    except ValueError:
        return True
    return youngest < MAJORITY_AGE


def unaccompanied_minor(flagged: bool, date_of_birth: str | None, on: date) -> bool:
    """Recorded as an unaccompanied minor (``flagged``) and possibly still a minor on ``on``."""
    return flagged and may_be_minor(date_of_birth, on)


def warnings(*, handover: str | None) -> list[str]:
    """What the officer is told about a return decision for an unaccompanied minor."""
    out = [
        "The person is recorded as an unaccompanied minor: the best interests of the child are a primary "
        f"consideration ({ART_5A.cite()}), and assistance by appropriate bodies other than the authorities "
        f"enforcing return must be granted before the return decision is issued ({ART_10_1.cite()})."
    ]
    if handover not in HANDOVERS:
        out.append(
            "Before removal, the authorities must be satisfied that the child will be returned to a member of "
            "the family, a nominated guardian or adequate reception facilities in the State of return "
            f"({ART_10_2.cite()}): record it in the facts for removal; until then the removal is blocked."
        )
    return out
