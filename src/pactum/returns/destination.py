"""The destination of a return decision, and the amended decision that changes it.

A return is the person's going back to their country of origin, a country of transit or another
third country (Directive 2008/115/EC Art 3(3)); the return decision imposes that obligation (Art
3(4)). Return decisions are issued in writing and give reasons in fact and in law, with
information about the available legal remedies (Art 12(1)), and the person has an effective
remedy against them (Art 13(1)), which may suspend their enforcement (Art 13(2)).

The Court of Justice (Grand Chamber) held in Joined Cases C-924/19 PPU and C-925/19 PPU, *FMS and
Others*, 14 May 2020 (ECLI:EU:C:2020:367), that the amendment by an administrative authority of
the country of destination stated in an earlier return decision is so substantial that it must be
regarded as a new return decision, against which the person must have an effective remedy under
Art 13(1), read in the light of Art 47 of the Charter (a review by an administrative authority
alone, without a court reviewing it afterwards, is not one). Read in the Court's summary on
curia.europa.eu (ECLI:EU:C:2020:367), the EUR-Lex notice of the judgment (62019CA0924) and the
summaries of the European Database of Asylum Law and of Agii (Belgium), in substance. The
Directive read in its Italian version (the EUR-Lex HTML republished in the GitHub repository
d5p2rnkdz9-hub/SOSPATTO, public/patto-interattivo/ext-dir-2008-115.html): Art 3(3) (the three
destinations of a return), 3(4) (a return decision imposes or states the obligation to return),
12(1) (in writing, reasons in fact and in law, the available remedies), 12(2) (a translation of
the main elements, the remedies included, on request: :mod:`pactum.returns.translation`, which an
amended decision has of its own), 13(1) (an effective remedy
before a judicial or administrative authority or an impartial, independent body) and 13(2) (which
may suspend the enforcement temporarily).

Being a new return decision, the amended decision sets its own period for voluntary departure:
a return decision provides an appropriate period of seven to thirty days, save the exceptions of
Art 7(2) (extended) and 7(4) (shorter or none: risk of absconding, a manifestly unfounded or
fraudulent application, a danger to public policy, public security or national security) (Art
7(1)); voluntary departure is compliance within the time-limit the return decision fixes (Art
3(8)); where a period was granted, the decision is enforced only after it has ended (Art 8(2)).
Read in the same Italian version (Arts 3(8), 7(1), 7(2), 7(4), 8(2)). So the period runs again
from the amended decision's day, with as many days as the decision granted unless the officer sets
another number, checked by the rules of the decision itself (:func:`pactum.returns.rules.decide_terms`
on the amended decision's day, with the decision's grounds and entry ban); a decision that granted
none (Art 7(4)) keeps granting none unless the officer grants one.

An assisted voluntary return case is arranged for one country, the decision's destination when it
was opened (its travel and its reintegration assistance are in that country): a case still open
for another country than the amended decision's is ended, cancelled with the reason naming the
amended decision (:func:`avr_ended_reason`), as a withdrawal of the decision ends it; the officer
opens a case for the new destination if the person agrees to it.

So in Pactum the destination of an issued decision is never a fact the officer edits: changing it
(or naming one where the decision had none: that too determines the country the person is to be
returned to, which is what the Court found so substantial) is an **amended decision on the
destination**, issued on a day, with reasons and the remedy information, audited, open to appeal.

Pure: the caller (``pactum.services.returns``) reads and writes the store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pactum.law import LegalRef

#: A return goes to the country of origin, of transit or another third country.
DESTINATION = LegalRef.of("return_directive", "3", "3")
#: What a return decision is (the amendment of its destination is regarded as a new one).
RETURN_DECISION = LegalRef.of("return_directive", "3", "4")
#: In writing, with reasons in fact and in law and information about the available remedies.
FORM = LegalRef.of("return_directive", "12", "1")
#: The effective remedy against decisions related to return.
REMEDY = LegalRef.of("return_directive", "13", "1")
#: The remedy's power to suspend the enforcement temporarily.
SUSPENSION = LegalRef.of("return_directive", "13", "2")
#: The period for voluntary departure a return decision sets, the amended one included.
PERIOD = LegalRef.of("return_directive", "7", "1")
#: A decision is enforced only after the period granted has ended.
ENFORCED_AFTER_PERIOD = LegalRef.of("return_directive", "8", "2")
#: The judgment, as cited.
JUDGMENT = ("judgment of the Court of Justice of 14 May 2020, FMS and Others, Joined Cases C-924/19 PPU and "
            "C-925/19 PPU, EU:C:2020:367")
#: The legal basis an amended decision on the destination states.
LEGAL_BASIS: tuple[str, ...] = (DESTINATION.cite(), RETURN_DECISION.cite(), PERIOD.cite(), FORM.cite(), REMEDY.cite(),
                                JUDGMENT)

#: The audit actions (entity ``return_decision``).
AMENDED = "returns.decision.destination_amended"
APPEALED = "returns.decision.destination_appealed"

#: The decision's statuses in which its destination may still be amended (it is to be enforced).
OPEN_STATUSES = frozenset({"issued", "suspended"})


def fact_refusal(current: str | None, typed: str | None, *, issuing: bool = True) -> str | None:
    """Why the facts for removal refuse ``typed`` as the decision's destination (``current``), or
    ``None`` when they do not (nothing typed, or the destination the decision already has).
    ``issuing``: the reader is the issuing state, which issues the amendment; another state (one
    that recognised the decision) asks the issuing state for it."""
    if typed is None or typed == current:
        return None
    what = (f"changing the destination from {current} to {typed}" if current
            else f"naming {typed} as the destination of a decision that named none")
    said = f"{what} is a new return decision, not a fact for removal ({JUDGMENT}; {RETURN_DECISION.cite()}): "
    if not issuing:
        return said + ("only the issuing state amends its decision's destination: ask it as supplementary "
                       "information on your hit")
    return said + (f"issue an amended decision on the destination, with reasons and the remedy information "
                   f"({FORM.cite()}, {REMEDY.cite()})")


def reference(decision_reference: str, number: int) -> str:
    """The amended decision's reference: the decision's, and its number among its amendments."""
    return f"{decision_reference}-D{number}"


def check_amendment(decision: Mapping[str, Any], *, destination: str, issued_on: date, today: date,
                    last_issued_on: date | None) -> list[tuple[str, str]]:
    """The problems of an amendment as typed (field, message): a destination the decision already
    has; a day in the future, before the decision or before its last amendment. The decision's
    status (409) is the caller's."""
    problems: list[tuple[str, str]] = []
    if destination == decision.get("destination_country"):
        problems.append(("destination_country", f"is already the decision's destination ({destination})"))
    if issued_on > today:
        problems.append(("issued_on", "an amended decision cannot be dated in the future"))
    elif issued_on < decision["issued_on"]:
        problems.append(("issued_on", f"is before the return decision it amends, issued on "
                                      f"{decision['issued_on'].isoformat()}"))
    elif last_issued_on is not None and issued_on < last_issued_on:
        problems.append(("issued_on", f"is before the decision's last amended destination, issued on "
                                      f"{last_issued_on.isoformat()}"))
    return problems


def period_days(decision: Mapping[str, Any], typed: int | None) -> int:
    """The days of the period for voluntary departure the amended decision grants: as typed, or as
    many as the decision granted (0: refused under Art 7(4), refused again)."""
    return typed if typed is not None else int(decision.get("voluntary_departure_days") or 0)


def period_words(days: int, last_day: date | None) -> str:
    """The amended decision's period in words, for the audit and the page."""
    if not days or last_day is None:
        return f"no period for voluntary departure ({PERIOD.cite()} read with Article 7(4))"
    return f"{days} days for voluntary departure, to {last_day.isoformat()} ({PERIOD.cite()})"


def avr_ended_reason(decision_reference: str, amendment_reference: str, case_destination: str,
                     destination: str) -> str:
    """Why an assisted voluntary return case open for ``case_destination`` is cancelled by the
    amended decision that makes ``destination`` the decision's: the return it arranged is to a
    country the decision no longer names."""
    return (f"destination of return decision {decision_reference} amended to {destination} by {amendment_reference}: "
            f"the case was arranged for {case_destination} ({DESTINATION.cite()}); open a case for {destination} if "
            f"the person agrees")


def avr_annulled_reason(decision_reference: str, amendment_reference: str, decided_on: date,
                        case_destination: str, destination: str | None) -> str:
    """Why an assisted voluntary return case open for ``case_destination`` is cancelled when the
    amended decision that named it is annulled on appeal: the decision names ``destination`` again."""
    again = (f"return decision {decision_reference} names {destination} again" if destination
             else f"return decision {decision_reference} names no destination again")
    said = (f"amended decision on the destination {amendment_reference} annulled on appeal on {decided_on.isoformat()}: "
            f"{again}; the case was arranged for {case_destination} ({DESTINATION.cite()})")
    return said + (f"; open a case for {destination} if the person agrees" if destination else "")


def check_appeal(amendment: Mapping[str, Any], *, lodged_on: date, today: date) -> list[tuple[str, str]]:
    """The problems of an appeal against an amended decision as typed: not before it, nor in the future."""
    if lodged_on > today:
        return [("lodged_on", "an appeal cannot be recorded as lodged in the future")]
    if lodged_on < amendment["issued_on"]:
        return [("lodged_on", f"is before the amended decision {amendment['reference']}, issued on "
                              f"{amendment['issued_on'].isoformat()}")]
    return []


def suspension_reason(amendment: Mapping[str, Any], lodged_on: date) -> str:
    """The decision's status reason when a suspensive appeal against the amendment suspends it."""
    return (f"appeal with suspensive effect lodged on {lodged_on.isoformat()} against the amended decision on the "
            f"destination {amendment['reference']} ({SUSPENSION.cite()})")


#: The audit action of the outcome recorded (entity ``return_decision``).
APPEAL_DECIDED = "returns.decision.destination_appeal_decided"


def check_outcome(amendment: Mapping[str, Any], *, decided_on: date, today: date) -> list[tuple[str, str]]:
    """The problems of the court's outcome as typed: not in the future, nor before the appeal was lodged."""
    if decided_on > today:
        return [("decided_on", "the court's decision on the appeal cannot be dated in the future")]
    lodged = amendment["appeal_lodged_on"]
    if lodged is not None and decided_on < lodged:
        return [("decided_on", f"is before the appeal against {amendment['reference']} was lodged, on "
                               f"{lodged.isoformat()}")]
    return []


def standing(amendments: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The amended decision whose destination the return decision has: the latest one not annulled
    on appeal (``None``: every amendment was annulled, or there is none: the decision's own
    destination stands). An annulled amendment goes as if never issued: the decision as it stood
    before it (the earlier amendment's, or the decision's own) stands again, unless a later
    amendment changed the destination since, which, a new return decision of its own, stands."""
    for row in reversed(amendments):
        if row.get("appeal_outcome") != "allowed":
            return row
    return None


def outcome_reason(amendment: Mapping[str, Any], outcome: str, decided_on: date) -> str:
    """The decision's status reason when the outcome ends the suspension the appeal brought."""
    return (f"appeal against the amended decision on the destination {amendment['reference']} {outcome} on "
            f"{decided_on.isoformat()} ({REMEDY.cite()})")


def annulled_words(amendment: Mapping[str, Any], decided_on: date, destination: str | None,
                   kept_by: str | None) -> str:
    """What the annulment of ``amendment`` does to the destination, in words: the destination that
    stands again (``destination``), or the later amendment that keeps its own (``kept_by``)."""
    said = f"{amendment['reference']} annulled on appeal on {decided_on.isoformat()}"
    if kept_by is not None:
        return f"{said}; the destination stays {destination}, as the later amended decision {kept_by} decided"
    return f"{said}; the destination is {destination or 'none'} again, as the decision stood before it"


__all__ = ["AMENDED", "APPEALED", "APPEAL_DECIDED", "DESTINATION", "ENFORCED_AFTER_PERIOD", "FORM", "JUDGMENT",
           "LEGAL_BASIS", "OPEN_STATUSES", "PERIOD", "REMEDY", "RETURN_DECISION", "SUSPENSION", "annulled_words",
           "avr_annulled_reason", "avr_ended_reason", "check_amendment", "check_appeal", "check_outcome",
           "fact_refusal", "outcome_reason", "period_days", "period_words", "reference", "standing",
           "suspension_reason"]
