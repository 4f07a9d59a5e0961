"""Whether a subsequent application gives the right to remain while it is examined.

An applicant may remain in the Member State until the determining authority decides (Regulation
(EU) 2024/1348 (APR) Art 10(1); before the Pact Directive 2013/32/EU Art 9(1)). For a subsequent
application the Member State may make an exception (APR Art 10(4)(a), where the conditions of
Art 56 are met; Directive 2013/32/EU Art 41(1)):

- **a further subsequent application after a final decision on a previous one** (APR Art 56(b): a
  second or further subsequent application, after a final decision rejecting the previous
  subsequent application as inadmissible, unfounded or manifestly unfounded; Directive Art
  41(1)(b): another subsequent application in the same Member State after a final decision
  declaring a first subsequent application inadmissible or rejecting it as unfounded). The
  platform derives it from the person's cases in the state: a subsequent application of theirs
  made earlier, whose decision (inadmissible, unfounded, manifestly unfounded) is final.
- **a first subsequent application lodged merely to delay or frustrate removal** (APR Art 56(a);
  Directive Art 41(1)(a)): an assessment of the applicant's purpose that only the determining
  authority can make; it records it (with the decision whose enforcement would result in the
  imminent removal). The provision also requires that the application "is not further examined"
  (APR Art 55(7); Directive Art 40(5)): once the preliminary examination finds new elements the
  application is examined further and the recorded assessment no longer removes the right to
  remain (our reading).

The platform's reading: the exceptions are options for the Member State ("may"); a state that
uses the platform's record of an exception applies it. Art 10(3) and 10(4)(b), (c) APR
(surrender under a European arrest warrant, extradition, danger to public order) concern any
application and are not modelled here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pactum.law import LegalRef

#: The ground the determining authority records (APR Art 56(a); Directive 2013/32/EU Art 41(1)(a)).
DELAY = "first_subsequent_to_delay_removal"
#: The ground the platform derives (APR Art 56(b); Directive 2013/32/EU Art 41(1)(b)).
FURTHER = "further_subsequent_after_final_decision"

#: The outcomes of a previous subsequent application that open the exception of APR Art 56(b)
#: (inadmissible, unfounded, manifestly unfounded); Directive Art 41(1)(b) names inadmissibility
#: and rejection as unfounded (a manifestly unfounded application is rejected as unfounded).
PREVIOUS_OUTCOMES: tuple[str, ...] = ("inadmissible", "rejected_unfounded", "rejected_manifestly_unfounded")

GROUNDS: dict[str, str] = {
    DELAY: "a first subsequent application lodged merely to delay or frustrate the enforcement of a "
           "decision which would result in the applicant's imminent removal",
    FURTHER: "a further subsequent application after a final decision rejecting a previous subsequent "
             "application as inadmissible, unfounded or manifestly unfounded",
}


@dataclass(frozen=True)
class PreviousSubsequent:
    """An earlier subsequent application of the same person in the same state, decided."""

    id: str
    reference: str | None
    outcome: str | None
    decided_on: date | None
    #: the decision on it is final (the case is closed as final, or its appeal was dismissed)
    final: bool

    @property
    def named(self) -> str:
        return self.reference or self.id


@dataclass(frozen=True)
class Assessment:
    """The determining authority's record that a first subsequent application was lodged merely
    to delay or frustrate removal (APR Art 56(a); Directive 2013/32/EU Art 41(1)(a))."""

    on: date
    by: str
    removal_decision: str
    reason: str


def refs(regime: str, ground: str | None) -> list[LegalRef]:
    """The provisions of the right to remain (``ground`` ``None``) or of the exception."""
    if regime == "pact":
        if ground is None:
            return [LegalRef.of("apr", "10", "1")]
        return [LegalRef.of("apr", "10", "4", "a"), LegalRef.of("apr", "56", None, "a" if ground == DELAY else "b")]
    if ground is None:
        return [LegalRef.of("procedures_directive", "9", "1")]
    return [LegalRef.of("procedures_directive", "41", "1", "a" if ground == DELAY else "b")]


def previous_final(previous: list[PreviousSubsequent]) -> PreviousSubsequent | None:
    """The last earlier subsequent application whose final decision opens the exception."""
    hits = [p for p in previous if p.final and p.outcome in PREVIOUS_OUTCOMES]
    return hits[-1] if hits else None


def _words(outcome: str | None) -> str:
    return {"inadmissible": "declared inadmissible", "rejected_unfounded": "rejected as unfounded",
            "rejected_manifestly_unfounded": "rejected as manifestly unfounded"}.get(outcome or "", outcome or "")


def subsequent_right_to_remain(*, regime: str, subsequent: bool, previous: list[PreviousSubsequent],
                               assessment: Assessment | None, new_elements_found_on: date | None
                               ) -> dict[str, Any] | None:
    """The case JSON's ``right_to_remain`` for a subsequent application (``None`` for a first
    application): ``right_to_remain`` (bool), ``exception`` (a ground of :data:`GROUNDS` or
    ``None``), ``derived`` (the platform found it in its records) or recorded by the determining
    authority (``recorded_by``, ``recorded_on``, ``removal_decision``, ``reason``), the
    provisions and a sentence ``note``."""
    if not subsequent:
        return None
    out: dict[str, Any] = {"right_to_remain": True, "exception": None, "derived": False,
                           "previous_application": None, "recorded_on": None, "recorded_by": None,
                           "removal_decision": None, "reason": None, "lapsed": None}
    prev = previous_final(previous)
    if prev is not None:
        basis = refs(regime, FURTHER)
        when = f" on {prev.decided_on.isoformat()}" if prev.decided_on else ""
        out.update(right_to_remain=False, exception=FURTHER, derived=True,
                   previous_application={"id": prev.id, "reference": prev.reference, "outcome": prev.outcome,
                                         "decided_on": prev.decided_on.isoformat() if prev.decided_on else None},
                   legal_basis=[r.cite() for r in basis],
                   note=(f"no right to remain while it is examined: a further subsequent application after the "
                         f"final decision on the previous subsequent application {prev.named} ({_words(prev.outcome)}"
                         f"{when}) ({'; '.join(r.cite() for r in basis)})"))
        return out
    if assessment is not None:
        common = {"recorded_on": assessment.on.isoformat(), "recorded_by": assessment.by,
                  "removal_decision": assessment.removal_decision, "reason": assessment.reason}
        if new_elements_found_on is None:
            basis = refs(regime, DELAY)
            out.update(right_to_remain=False, exception=DELAY, legal_basis=[r.cite() for r in basis], **common,
                       note=(f"no right to remain while it is examined: the determining authority found on "
                             f"{assessment.on.isoformat()} that this first subsequent application was lodged merely "
                             f"to delay or frustrate the enforcement of {assessment.removal_decision}, and no new "
                             f"elements have been found ({'; '.join(r.cite() for r in basis)})"))
            return out
        further = ("Regulation (EU) 2024/1348, Article 55(6); the exception needs an application not further "
                   "examined, Article 56(a)" if regime == "pact" else
                   "the exception needs an application not further examined under Article 40(5), "
                   "Directive 2013/32/EU, Article 41(1)(a)")
        out.update(common, lapsed=new_elements_found_on.isoformat())
        basis = refs(regime, None)
        out.update(legal_basis=[r.cite() for r in basis],
                   note=(f"the applicant has the right to remain ({basis[0].cite()}): the assessment recorded on "
                         f"{assessment.on.isoformat()} (lodged merely to delay removal) lapsed when new elements were "
                         f"found on {new_elements_found_on.isoformat()} and the application is examined further "
                         f"({further})"))
        return out
    basis = refs(regime, None)
    out.update(legal_basis=[r.cite() for r in basis],
               note=(f"the applicant has the right to remain until the determining authority decides "
                     f"({basis[0].cite()}); no exception for subsequent applications applies"))
    return out
