"""Who can board a return operation, and the obstacles in the return officer's queue.

A person is eligible for a return operation when the return decision is enforceable (not
suspended by an appeal, the voluntary departure period is over or none was granted), the
identity and a travel document are confirmed, the destination has accepted readmission where a
request was needed, the person has not absconded and is fit to travel, and, for an unaccompanied
minor, the authority has recorded to whom the child is returned (Directive 2008/115/EC Art 10(2),
:mod:`pactum.returns.minors`). :func:`obstacles` lists what stands in the way, in the order an
officer resolves them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

OBSTACLES: dict[str, str] = {
    "withdrawn": "decision withdrawn",
    "departed": "departure already confirmed",
    "suspended": "appeal or request to remain pending",
    "voluntary_departure_running": "voluntary departure period still running",
    "leave_to_remain_time": "time to ask the court for leave to remain still running (Regulation (EU) 2024/1348, "
                            "Article 68(5)(d)(i))",
    "appeal_time": "time to appeal still running: an appeal would let the applicant remain (Regulation (EU) "
                   "2024/1348, Article 68(1), (2); before the Pact Directive 2013/32/EU, Article 46(5))",
    "absconded": "absconded",
    "identity_not_confirmed": "identity not confirmed",
    "no_travel_document": "no travel document",
    "readmission_pending": "readmission answer pending",
    "readmission_refused": "readmission refused by the third country",
    "not_fit_to_travel": "not fit to travel",
    "unaccompanied_minor": "unaccompanied minor: Art 10(2) guarantees not recorded",
    "enforced_by_other_state": "recognised and enforced by another Member State, where the person is "
                               "(Commission Recommendation (EU) 2023/682)",
}

#: Why the issuing state does not remove a person another Member State found and whose return
#: decision that state recognised: under Commission Recommendation (EU) 2023/682 the recognising
#: state enforces the decision (it removes the person from its territory); the issuing state
#: planning a removal of a person who is not on its territory would duplicate it (our reading).
RECOGNISED_ELSEWHERE_BASIS = "Commission Recommendation (EU) 2023/682 on mutual recognition of return decisions"

#: The departure modes that are a removal (Directive 2008/115/EC Art 3(5): the enforcement of the
#: obligation to return, the physical transportation out of the Member State): on the state's own
#: (``enforced``) or on a return operation (``operation``). The others (``voluntary``, ``avr``,
#: ``border_exit``) are the person's own departure, which a state confirms.
REMOVAL_MODES: tuple[str, ...] = ("enforced", "operation")
#: Where the person's own departure comes to the issuing state's knowledge although another state
#: recognised its decision: the person left through the issuing state's external border, whose
#: confirmation of return goes to its competent authority (Regulation (EU) 2018/1860, Article 6(1),
#: second subparagraph), or shows it that they left in accordance with the decision (Article 14(1),
#: second sentence). Either way the issuing state deletes its alert (Article 6(2), 14(1)).
OWN_DEPARTURE_BASIS = ("Regulation (EU) 2018/1860, Article 6(1), second subparagraph (a departure through the issuing "
                       "state's external border is confirmed to it), and Article 14(1) (the person shows they left "
                       "in accordance with the decision)")


def removal_by_recognising_state(member_state: str, since: date | None, mode: str) -> str:
    """Why the issuing state does not record a removal (``mode``, one of :data:`REMOVAL_MODES`) under
    its decision that ``member_state`` recognised (on ``since``) and enforces: that state found the
    person on its territory and carries out the removal (Commission Recommendation (EU) 2023/682); it
    confirms the departure it enforced, which deletes the alert. The issuing state removing the same
    person would record a removal it did not carry out, or duplicate the other state's (our reading).
    A departure the person made of their own accord remains the issuing state's to confirm where it
    comes to its knowledge (:data:`OWN_DEPARTURE_BASIS`)."""
    on = f" on {since.isoformat()}" if since else ""
    what = "a removal on a return operation" if mode == "operation" else "a removal"
    return (f"{member_state} recognised this return decision{on} and enforces it: the person is in {member_state}, "
            f"which carries out the removal and records it when it confirms the departure "
            f"({RECOGNISED_ELSEWHERE_BASIS}); {what} by the issuing state is not recorded. A departure the person "
            f"made of their own accord may still be confirmed as a voluntary departure ({OWN_DEPARTURE_BASIS})")


@dataclass(frozen=True)
class ReturnFacts:
    """What the queue knows about one person's return decision on a given day."""

    status: str
    voluntary_departure_last_day: date | None
    absconded: bool
    identity_confirmed: bool
    travel_document: bool
    fit_to_travel: bool
    readmission: str | None  # None (no request), "pending", "accepted", "refused"
    #: an unaccompanied minor on the day (:func:`pactum.returns.minors.unaccompanied_minor`)
    unaccompanied_minor: bool = False
    #: to whom the child is returned, once the authority is satisfied (Art 10(2)); None: not recorded
    minor_handover: str | None = None
    #: the last day the applicant may ask the court for leave to remain pending an appeal that does
    #: not suspend by itself (Regulation (EU) 2024/1348 Art 68(5)(d)(i)), or may still lodge an appeal
    #: that suspends by itself (Art 68(1), (2); Directive 2013/32/EU Art 46(5)): no removal until then
    removal_barred_until: date | None = None
    #: which of the two: ``leave_to_remain_time`` (the default, as stored before the second) or ``appeal_time``
    removal_barred_basis: str | None = None
    #: the other Member State that recognised the issuing state's decision on a hit and enforces it
    #: (Commission Recommendation (EU) 2023/682), and the day it recognised it; None: none did
    enforced_by: str | None = None
    enforced_since: date | None = None


#: Why the period for voluntary departure bars removal while it runs: Directive 2008/115/EC Art 8(2)
#: (the return decision "may be enforced only after the period has expired, unless a risk as
#: referred to in Article 7(4) arises during that period"); the return border procedure's shorter
#: period (Regulation (EU) 2024/1349) leaves the Directive's Art 8 as it is (our reading).
VOLUNTARY_DEPARTURE_BAR = ("no removal before it ends, unless a risk of Article 7(4) arises meanwhile "
                           "(Directive 2008/115/EC, Article 8(2))")


#: The article that lets an applicant remain while the time to appeal runs, by the asylum case's
#: procedures regime: APR Art 68(1), (2) (the return decision's effects suspended while the
#: applicant may remain, until the time limit for the appeal ends) or Directive 2013/32/EU Art 46(5).
APPEAL_TIME_BASIS = {True: "Regulation (EU) 2024/1348, Article 68(1), (2)",
                     False: "Directive 2013/32/EU, Article 46(5)"}


def obstacle_label(code: str, facts: ReturnFacts, pact: bool | None = None) -> str:
    """The words of obstacle ``code`` on this decision: :data:`OBSTACLES`, with the last day of the
    period for voluntary departure and the rule that bars removal meanwhile, the last day of a
    removal bar (the day included) and, for the time to appeal, the article of the asylum case's
    regime (``pact``: the case is under the APR; ``None``: not known, both are named)."""
    if code == "voluntary_departure_running" and facts.voluntary_departure_last_day:
        return (f"voluntary departure period still running, until {facts.voluntary_departure_last_day.isoformat()}: "
                f"{VOLUNTARY_DEPARTURE_BAR}")
    day = facts.removal_barred_until.isoformat() if facts.removal_barred_until else None
    if code == "leave_to_remain_time" and day:
        return (f"time to ask the court for leave to remain still running, until {day} (Regulation (EU) 2024/1348, "
                "Article 68(5)(d)(i))")
    if code == "appeal_time" and day:
        basis = APPEAL_TIME_BASIS[pact] if pact is not None else \
            f"{APPEAL_TIME_BASIS[True]}; before the Pact {APPEAL_TIME_BASIS[False]}"
        return f"time to appeal still running, until {day}: an appeal would let the applicant remain ({basis})"
    if code == "enforced_by_other_state" and facts.enforced_by:
        return enforced_elsewhere_words(facts.enforced_by, facts.enforced_since)
    return OBSTACLES[code]


def enforced_elsewhere_words(member_state: str, since: date | None) -> str:
    """The obstacle ``enforced_by_other_state`` in words: ``member_state`` recognised the decision
    (on ``since``) and enforces it where it found the person."""
    on = f" on {since.isoformat()}" if since else ""
    return (f"recognised by {member_state}{on}, which enforces it: the person is in {member_state}, "
            f"and {member_state} carries out the return, not the issuing state ({RECOGNISED_ELSEWHERE_BASIS})")


def enforceable(facts: ReturnFacts, on: date) -> bool:
    """The decision can be enforced on ``on``: issued, not suspended, no period left to run."""
    if facts.status != "issued":
        return False
    return (
        facts.voluntary_departure_last_day is None
        or facts.voluntary_departure_last_day < on
    )


def obstacles(facts: ReturnFacts, on: date) -> list[str]:
    """Codes of :data:`OBSTACLES` that stand between the person and a removal, in order."""
    out: list[str] = []
    if facts.status in ("withdrawn", "departed", "suspended"):
        return [facts.status]
    if facts.enforced_by:
        # another state recognised the decision and enforces it where the person is (Rec. 2023/682)
        out.append("enforced_by_other_state")
    if not enforceable(facts, on):
        out.append("voluntary_departure_running")
    if facts.removal_barred_until is not None and on <= facts.removal_barred_until:
        out.append("appeal_time" if facts.removal_barred_basis == "appeal_time" else "leave_to_remain_time")
    if facts.absconded:
        out.append("absconded")
    if not facts.identity_confirmed:
        out.append("identity_not_confirmed")
    if not facts.travel_document:
        out.append("no_travel_document")
    if facts.readmission == "pending":
        out.append("readmission_pending")
    elif facts.readmission == "refused":
        out.append("readmission_refused")
    if not facts.fit_to_travel:
        out.append("not_fit_to_travel")
    if facts.unaccompanied_minor and facts.minor_handover is None:
        # Directive 2008/115/EC Art 10(2): no removal before the authority is satisfied that the
        # child is returned to a family member, a nominated guardian or adequate reception
        out.append("unaccompanied_minor")
    return out


def eligible(facts: ReturnFacts, on: date) -> bool:
    """No obstacle left: the person may be selected for a return operation."""
    return not obstacles(facts, on)
