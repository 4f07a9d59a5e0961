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
uses the platform's record of an exception applies it.

Any application, first or subsequent, loses the right to remain on a ground the competent authority
records (:func:`check_recorded`, :func:`recorded_right_to_remain`), as the Official Journal text
(Italian) has it:

- **surrender to another Member State under a European arrest warrant** (APR Art 10(3): the
  applicant "non ha diritto di rimanere" where the person "è soggetta ad una procedura di consegna
  a un altro Stato membro in virtù degli obblighi derivanti da un mandato d'arresto europeo"
  (Framework Decision 2002/584/JHA): no option, the right is lost; Directive 2013/32/EU Art 9(2):
  an exception the Member State "may" make where it intends to surrender a person to another
  Member State under a European arrest warrant);
- **extradition, surrender or transfer** to another Member State, a third country, the
  International Criminal Court or another international court or tribunal, for criminal
  prosecution or the execution of a custodial sentence or detention order (APR Art 10(4)(b);
  Directive Art 9(2)). To a third country or an international court only where the competent
  authority is satisfied that the decision will not result in direct or indirect refoulement
  (APR Art 10(5); Directive Art 9(3), which names extradition to a third country only);
- **a danger to public order or national security** (APR Art 10(4)(c), without prejudice to
  Articles 12 and 17 of Regulation (EU) 2024/1347, provided the exception does not result in the
  applicant's removal to a third country in breach of non-refoulement). The Directive has no such
  exception (Art 9(2): "solo se"): refused for an application under it.

What the exception does (our reading): under Art 10(3) and (4)(b) the right to remain gives way
to the surrender or extradition, which is criminal-law cooperation, not a return: the pending
application still holds a return decision back (``return_decision_held_back``), and its
examination goes on. Art 10(5) guards the extradition alone; only Art 10(4)(c) carries its own
safeguard against the applicant's *removal* ("allontanamento") to a third country, so only that
exception, like Art 10(4)(a), lets a return decision be issued while the application is examined.

A recorded exception may be lifted (:func:`check_lift`; our reading, the Regulation does not speak
of lifting): it lasts as long as its ground, and once lifted the right to remain of APR Art 10(1)
(Directive 2013/32/EU Art 9(1)) applies again. The determining authority's assessment that a first
subsequent application was lodged merely to delay or frustrate removal may be withdrawn likewise
(:func:`check_withdrawal`): the removal no longer imminent (the return decision withdrawn or
annulled), the assessment reconsidered or made in error; the right to remain applies again.
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
    #: the assessment withdrawn (:func:`check_withdrawal`): the day, who, why; ``None`` while it stands
    withdrawn_on: date | None = None
    withdrawn_by: str | None = None
    withdrawal_reason: str | None = None


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


def _recorded_over(out: dict[str, Any], recorded: dict[str, Any] | None) -> dict[str, Any]:
    """``out`` (a subsequent application's right to remain, which it would have) with an exception of
    Art 10(3)-(4) ``recorded`` on the case over it: no right to remain, that ground, its provisions,
    and a note saying both (the applicant would otherwise have the right to remain)."""
    if recorded is not None:
        otherwise = out["note"].replace("the applicant has the right to remain",
                                        "the applicant would otherwise have the right to remain", 1)
        out.update(right_to_remain=False, exception=recorded["ground"], legal_basis=recorded["legal_basis"],
                   return_decision_held_back=recorded["return_decision_held_back"],
                   note=f"{recorded['note']}; {otherwise}")
    return out


def subsequent_right_to_remain(*, regime: str, subsequent: bool, previous: list[PreviousSubsequent],
                               assessment: Assessment | None, new_elements_found_on: date | None,
                               recorded: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The case JSON's ``right_to_remain`` for a subsequent application (``None`` for a first
    application): ``right_to_remain`` (bool), ``exception`` (a ground of :data:`GROUNDS` or
    ``None``), ``derived`` (the platform found it in its records) or recorded by the determining
    authority (``recorded_by``, ``recorded_on``, ``removal_decision``, ``reason``), the
    provisions and a sentence ``note``. Where no exception for subsequent applications applies
    but a ground of APR Art 10(3), (4)(b), (c) (Directive 2013/32/EU Art 9(2)) is ``recorded``
    (:func:`recorded_right_to_remain`), it says so, with ``exception`` that ground.
    ``return_decision_held_back``: whether the pending application still holds a return decision
    back (false for the exceptions of Art 10(4)(a) and (c))."""
    if not subsequent:
        return None
    out: dict[str, Any] = {"right_to_remain": True, "exception": None, "derived": False,
                           "previous_application": None, "recorded_on": None, "recorded_by": None,
                           "removal_decision": None, "reason": None, "lapsed": None,
                           "withdrawn": False, "withdrawn_on": None, "withdrawn_by": None, "withdrawal_reason": None,
                           "return_decision_held_back": True}
    prev = previous_final(previous)
    if prev is not None:
        basis = refs(regime, FURTHER)
        when = f" on {prev.decided_on.isoformat()}" if prev.decided_on else ""
        out.update(right_to_remain=False, exception=FURTHER, derived=True, return_decision_held_back=False,
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
        if assessment.withdrawn_on is not None:
            basis = refs(regime, None)
            out.update(common, withdrawn=True, withdrawn_on=assessment.withdrawn_on.isoformat(),
                       withdrawn_by=assessment.withdrawn_by, withdrawal_reason=assessment.withdrawal_reason,
                       legal_basis=[r.cite() for r in basis],
                       note=(f"the applicant has the right to remain until the determining authority decides "
                             f"({basis[0].cite()}): the assessment recorded on {assessment.on.isoformat()} that "
                             f"the application was lodged merely to delay or frustrate the enforcement of "
                             f"{assessment.removal_decision} ({'; '.join(r.cite() for r in refs(regime, DELAY))}) "
                             f"was withdrawn on {assessment.withdrawn_on.isoformat()}: {assessment.withdrawal_reason}"))
            return _recorded_over(out, recorded)
        if new_elements_found_on is None:
            basis = refs(regime, DELAY)
            out.update(right_to_remain=False, exception=DELAY, legal_basis=[r.cite() for r in basis], **common,
                       return_decision_held_back=False,
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
        return _recorded_over(out, recorded)
    if recorded is not None:
        out.update(right_to_remain=False, exception=recorded["ground"], legal_basis=recorded["legal_basis"],
                   recorded_on=recorded["recorded_on"], recorded_by=recorded["recorded_by"],
                   reason=recorded["reason"], return_decision_held_back=recorded["return_decision_held_back"],
                   note=recorded["note"])
        return out
    basis = refs(regime, None)
    out.update(legal_basis=[r.cite() for r in basis],
               note=(f"the applicant has the right to remain until the determining authority decides "
                     f"({basis[0].cite()}); no exception for subsequent applications applies"))
    return out


#: APR Art 10(3); Directive 2013/32/EU Art 9(2): surrender to another Member State under a European
#: arrest warrant (Framework Decision 2002/584/JHA).
ARREST_WARRANT = "european_arrest_warrant_surrender"
#: APR Art 10(4)(b); Directive 2013/32/EU Art 9(2): extradition, surrender or transfer for criminal
#: prosecution or the execution of a custodial sentence or detention order.
EXTRADITION = "extradition_or_surrender"
#: APR Art 10(4)(c): a danger to public order or national security (no counterpart in the Directive).
PUBLIC_ORDER = "danger_to_public_order_or_national_security"

RECORDED_GROUNDS: dict[str, str] = {
    ARREST_WARRANT: "subject to a procedure of surrender to another Member State under a European arrest warrant",
    EXTRADITION: "is or will be extradited, surrendered or transferred for criminal prosecution or the execution "
                 "of a custodial sentence or detention order",
    PUBLIC_ORDER: "a danger to public order or national security",
}

MEMBER_STATE = "member_state"
THIRD_COUNTRY = "third_country"
INTERNATIONAL_COURT = "international_court"
#: Where an extradition or surrender of APR Art 10(4)(b) leads (Directive 2013/32/EU Art 9(2)).
DESTINATIONS: dict[str, str] = {
    MEMBER_STATE: "another Member State",
    THIRD_COUNTRY: "a third country",
    INTERNATIONAL_COURT: "the International Criminal Court or another international court or tribunal",
}


@dataclass(frozen=True)
class Recorded:
    """The competent authority's record of a ground of APR Art 10(3), (4)(b) or (4)(c)
    (Directive 2013/32/EU Art 9(2)) on a case."""

    ground: str
    on: date
    by: str
    #: where the applicant is surrendered or extradited (:data:`DESTINATIONS`); ``None`` for
    #: :data:`PUBLIC_ORDER`
    destination_kind: str | None
    #: the state or court, as the officer names it; ``None`` for :data:`PUBLIC_ORDER`
    destination: str | None
    #: the European arrest warrant or the extradition or surrender request or decision
    reference: str | None
    reason: str
    #: the authority is satisfied the step will not breach non-refoulement (APR Art 10(4)(c), (5);
    #: Directive 2013/32/EU Art 9(3))
    non_refoulement_satisfied: bool
    #: the record lifted (:func:`check_lift`): the day, who, why; ``None`` while the exception stands
    lifted_on: date | None = None
    lifted_by: str | None = None
    lift_reason: str | None = None


def recorded_refs(regime: str, ground: str, destination_kind: str | None = None) -> list[LegalRef]:
    """The provisions of a recorded ground, with the non-refoulement condition where it applies."""
    if regime == "pact":
        if ground == ARREST_WARRANT:
            return [LegalRef.of("apr", "10", "3")]
        if ground == EXTRADITION:
            return [LegalRef.of("apr", "10", "4", "b")] + (
                [LegalRef.of("apr", "10", "5")] if destination_kind in (THIRD_COUNTRY, INTERNATIONAL_COURT) else [])
        return [LegalRef.of("apr", "10", "4", "c")]
    return [LegalRef.of("procedures_directive", "9", "2")] + (
        [LegalRef.of("procedures_directive", "9", "3")]
        if ground == EXTRADITION and destination_kind == THIRD_COUNTRY else [])


def non_refoulement_required(regime: str, ground: str, destination_kind: str | None) -> bool:
    """Whether the record needs the authority's finding on non-refoulement: APR Art 10(4)(c) (the
    exception must not result in removal to a third country in breach of it), Art 10(5)
    (extradition, surrender or transfer to a third country or an international court); Directive
    2013/32/EU Art 9(3) (extradition to a third country)."""
    if regime == "pact":
        return ground == PUBLIC_ORDER or (ground == EXTRADITION
                                          and destination_kind in (THIRD_COUNTRY, INTERNATIONAL_COURT))
    return ground == EXTRADITION and destination_kind == THIRD_COUNTRY


def check_recorded(regime: str, *, ground: str, destination_kind: str | None, destination: str | None,
                   reference: str | None, reason: str, non_refoulement_satisfied: bool) -> list[tuple[str, str]]:
    """The record's fields against the law's conditions: ``(field, message)`` pairs, empty when it
    may be recorded (the case's state is the service's to check)."""
    out: list[tuple[str, str]] = []
    if ground not in RECORDED_GROUNDS:
        return [("ground", f"one of {', '.join(RECORDED_GROUNDS)}")]
    if ground == PUBLIC_ORDER:
        if regime != "pact":
            return [("ground", "Directive 2013/32/EU, Article 9(2) allows an exception to the right to remain only "
                               "for a subsequent application or a surrender or extradition, not for a danger to "
                               "public order or national security (that exception is Regulation (EU) 2024/1348, "
                               "Article 10(4)(c), for applications under the Pact)")]
        for name, value in (("destination_kind", destination_kind), ("destination", destination),
                            ("reference", reference)):
            if value:
                out.append((name, "not for a danger to public order or national security: leave it empty"))
    else:
        if ground == ARREST_WARRANT and destination_kind not in (None, MEMBER_STATE):
            out.append(("destination_kind", "a European arrest warrant surrenders to another Member State "
                                            "(member_state); extradition elsewhere is extradition_or_surrender"))
        elif ground == EXTRADITION and destination_kind not in DESTINATIONS:
            out.append(("destination_kind", f"where the applicant is extradited or surrendered: one of "
                                            f"{', '.join(DESTINATIONS)}"))
        if not destination:
            out.append(("destination", "name the Member State, third country or court the applicant is surrendered "
                                       "or extradited to"))
        if not reference:
            out.append(("reference", "name the European arrest warrant or the extradition or surrender request"
                        if ground == EXTRADITION else "name the European arrest warrant"))
    if not reason:
        out.append(("reason", "give the facts on which the exception rests"))
    kind = MEMBER_STATE if ground == ARREST_WARRANT else destination_kind
    if not non_refoulement_satisfied and non_refoulement_required(regime, ground, kind):
        basis = "; ".join(r.cite() for r in recorded_refs(regime, ground, kind) if r.paragraph != "2")
        out.append(("non_refoulement_satisfied",
                    f"the exception is made only where the competent authority is satisfied that it will not "
                    f"result in direct or indirect refoulement ({basis}): confirm it"))
    return out


def recorded_right_to_remain(regime: str, rec: Recorded) -> dict[str, Any]:
    """The case JSON's ``remain_exception``: the recorded ground, the record's facts, the
    provisions, ``return_decision_held_back`` (false only for a danger to public order, our
    reading, module docstring) and a sentence ``note``."""
    kind = MEMBER_STATE if rec.ground == ARREST_WARRANT else rec.destination_kind
    basis = recorded_refs(regime, rec.ground, kind)
    cites = "; ".join(r.cite() for r in basis)
    held_back = rec.ground != PUBLIC_ORDER
    if rec.ground == ARREST_WARRANT:
        what = (f"the applicant is subject to a procedure of surrender to {rec.destination} under the European "
                f"arrest warrant {rec.reference}")
    elif rec.ground == EXTRADITION:
        what = (f"the applicant is or will be extradited or surrendered to {rec.destination} "
                f"({DESTINATIONS.get(kind or '', kind or '')}) under {rec.reference}")
    else:
        what = "the applicant is a danger to public order or national security"
    effect = ("the surrender or extradition is not a return: the pending application still holds a return "
              "decision back" if held_back else
              "a return decision is no longer held back by the application, and no removal to a third country "
              "may breach the principle of non-refoulement")
    found = ("; the competent authority is satisfied that it will not result in direct or indirect refoulement"
             if rec.non_refoulement_satisfied else "")
    out = {"ground": rec.ground, "right_to_remain": False, "recorded_on": rec.on.isoformat(), "recorded_by": rec.by,
           "destination_kind": kind if rec.ground != PUBLIC_ORDER else None, "destination": rec.destination,
           "reference": rec.reference, "reason": rec.reason,
           "non_refoulement_satisfied": rec.non_refoulement_satisfied,
           "return_decision_held_back": held_back, "legal_basis": [r.cite() for r in basis],
           "lifted": False, "lifted_on": None, "lifted_by": None, "lift_reason": None,
           "note": (f"no right to remain during the administrative procedure: {what}, recorded on "
                    f"{rec.on.isoformat()}{found} ({cites}); {effect}")}
    if rec.lifted_on is not None:
        remain = refs(regime, None)[0].cite()
        out.update(right_to_remain=True, return_decision_held_back=True, lifted=True,
                   lifted_on=rec.lifted_on.isoformat(), lifted_by=rec.lifted_by, lift_reason=rec.lift_reason,
                   note=(f"the exception to the right to remain recorded on {rec.on.isoformat()} ({what}; {cites}) "
                         f"was lifted on {rec.lifted_on.isoformat()}: {rec.lift_reason}; the applicant again has the "
                         f"right to remain until the determining authority decides ({remain}), and the pending "
                         f"application holds a return decision back"))
    return out


def _check_ending(*, recorded_on: date, today: date, on: date | None, reason: str, what: str, done: str,
                  missing_on: str, missing_reason: str) -> list[tuple[str, str]]:
    """The day and reasons of the end of a record (a lift, a withdrawal): the day given, not
    after ``today``, not before the record; the reasons given. ``what`` and ``done`` name the
    record and what is done to it ("the exception", "lifted")."""
    out: list[tuple[str, str]] = []
    if on is None:
        out.append(("on", missing_on))
    elif on > today:
        out.append(("on", f"the day {what} is {done} cannot be after today ({today.isoformat()})"))
    elif on < recorded_on:
        out.append(("on", f"the day {what} is {done} cannot be before the day it was recorded ({recorded_on.isoformat()})"))
    if not reason:
        out.append(("reason", missing_reason))
    return out


def check_lift(*, recorded_on: date, today: date, on: date | None, reason: str) -> list[tuple[str, str]]:
    """A lift of a recorded exception (:class:`Recorded`) against its conditions: ``(field,
    message)`` pairs, empty when it may be lifted (whether one stands is the service's to check).

    Our reading: the Regulation does not speak of lifting an exception. Each ground describes a
    situation (a surrender procedure under way, an extradition that is or will be carried out, a
    danger the applicant is found to be); the exception lasts as long as its ground, and when the
    ground falls away (the executing court refuses the surrender, the extradition request is
    withdrawn or refused, the danger assessment is reversed) or the record was made in error, the
    rule of APR Art 10(1) (Directive 2013/32/EU Art 9(1)) applies again: the applicant may remain
    until the determining authority decides. The day is the day the ground fell away or the error was
    found: not after ``today`` and not before the record."""
    return _check_ending(
        recorded_on=recorded_on, today=today, on=on, reason=reason, what="the exception", done="lifted",
        missing_on="give the day the ground of the exception fell away or the error was found",
        missing_reason="say why the exception no longer applies (the surrender or extradition refused or "
                       "withdrawn, the danger assessment reversed, the record made in error)")


def check_withdrawal(*, recorded_on: date, today: date, on: date | None, reason: str) -> list[tuple[str, str]]:
    """A withdrawal of the assessment of APR Art 56(a) / Directive 2013/32/EU Art 41(1)(a)
    (:class:`Assessment`) against its conditions: ``(field, message)`` pairs, empty when it may be
    withdrawn (whether one stands is the service's to check).

    Our reading: neither the Regulation nor the Directive speaks of withdrawing the assessment. It
    is the determining authority's finding on the applicant's purpose with regard to a removal that
    would be imminent; where that removal is no longer imminent (the return decision withdrawn,
    annulled or suspended), the authority reconsiders the finding or finds it made in error, the
    exception of Art 10(4)(a) no longer applies and the right to remain of Art 10(1) (Directive
    Art 9(1)) applies again until the determining authority decides. The day is the day the
    authority withdrew it: not after ``today`` and not before the assessment."""
    return _check_ending(
        recorded_on=recorded_on, today=today, on=on, reason=reason, what="the assessment", done="withdrawn",
        missing_on="give the day the determining authority withdrew the assessment",
        missing_reason="say why the assessment is withdrawn (the removal no longer imminent, the assessment "
                       "reconsidered, the record made in error)")
