"""Whom a return decision may be issued to: the checks before the terms are computed.

Directive 2008/115/EC applies to third-country nationals *staying illegally* (Art 2(1)); a
return decision is issued to them (Art 6(1)). Before the terms of a decision are checked
(:mod:`pactum.returns.rules`), the issuing state's asylum records say whether the person is
staying illegally at all:

- **International protection granted by the issuing state** (a positive decision, or an appeal
  granting protection): the person is a beneficiary, staying legally on the residence permit that
  goes with the status. No return decision: :class:`Conflict` naming the case.
- **An application pending in the issuing state** (made and not yet decided, or sent back for a
  new examination by an appeal; or still undecided on the day the return decision is dated): the
  applicant has the right to remain until the determining authority decides (Regulation (EU)
  2024/1348 Art 10(1); for an application lodged before 12 June 2026 Directive 2013/32/EU
  Art 9(1)); the return decision comes with or after the rejection (Regulation (EU) 2024/1348
  Art 37; for an application lodged before 12 June 2026, Directive 2008/115/EC Art 6(6)): the law
  of the application's procedure, chosen by the day it was lodged (APR Art 79(3)) as the
  procedures workflow chooses it. :class:`Conflict` naming
  the case. A subsequent application that gives no right to remain while it is examined (Regulation
  (EU) 2024/1348 Art 10(4)(a), 56; Directive 2013/32/EU Art 41(1): the procedures area's
  ``right_to_remain``, derived or recorded by the determining authority) does not hold the
  decision back, nor does one whose applicant was recorded as a danger to public order or
  national security (APR Art 10(4)(c)): the trace step ``no_right_to_remain`` says why. A
  surrender or extradition recorded on it (APR Art 10(3), (4)(b); Directive 2013/32/EU Art 9(2))
  is not a return: the application still holds the decision back, and the refusal says so.
- **International protection granted by another Member State** (that state's Eurodac record of the
  same person is marked as a beneficiary's, Regulation (EU) 2024/1358 Art 31): the person is first
  required to go to that state (Art 6(2) Directive 2008/115/EC); a return decision only where they
  did not comply (ground ``did_not_go_to_protecting_state``) or their immediate departure is
  required for reasons of public policy or national security (ground ``public_security_risk``).
  Without one of those grounds: :class:`Conflict` naming the state.
- **The asylum case the decision is issued with** (``asylum_case_id``) must carry a negative
  decision (rejection, inadmissibility, implicit withdrawal) taken by the day of the return
  decision and not reversed on appeal; only then is the ground ``negative_asylum_decision`` set.
  The ground ``negative_asylum_decision`` without the case is refused: alert field (j) would state
  a reason the records do not show.
- **The return border procedure** (Regulation (EU) 2024/1349) applies to a person whose application
  was rejected in the asylum border procedure. A decision taken after the border procedure's
  maximum length (Regulation (EU) 2024/1348 Art 51(2): 12 weeks from registration) was no longer
  taken in it: the applicant had to be authorised to enter, and the ordinary rules of Directive
  2008/115/EC apply. The ground ``return_border_procedure`` is then dropped and the trace says why.

Each check records a :class:`~pactum.law.Trace` step; the service writes them before the steps of
the terms. A refusal or a step names an asylum case by its short reference (``IT-2026-000123``, as
every page names it and as the decision's ``asylum_case_id`` accepts it), by its id only where the
case has no reference (:attr:`AsylumCaseFacts.named`); the steps' facts keep the case's id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pactum.common.errors import Conflict, ValidationProblem
from pactum.common.text import counted
from pactum.law import LegalRef, Trace, regime_for
from pactum.law.regimes import procedures_regime

RD = "return_directive"

#: Art 6(2) Directive 2008/115/EC: the person holds international protection granted by another
#: Member State and did not comply with the requirement to go there.
DID_NOT_GO = "did_not_go_to_protecting_state"
#: Art 6(2), second sentence: the grounds on which a return decision is issued nonetheless.
ART_6_2_GROUNDS: tuple[str, ...] = (DID_NOT_GO, "public_security_risk")

#: Outcomes a case's decision may have, in words.
OUTCOME_WORDS = {
    "refugee_status": "refugee status",
    "subsidiary_protection": "subsidiary protection",
    "rejected_unfounded": "rejected as unfounded",
    "rejected_manifestly_unfounded": "rejected as manifestly unfounded",
    "inadmissible": "inadmissible",
    "implicitly_withdrawn": "implicitly withdrawn",
}


@dataclass(frozen=True)
class AsylumCaseFacts:
    """What the checks need to know of one asylum case of the person in the issuing state."""

    id: str
    state: str
    procedure: str
    made_on: date
    #: no decision taken yet (made, registered, lodged, interview, draft, review; also a case
    #: sent back by an appeal): the applicant has the right to remain
    pending: bool
    outcome: str | None = None
    decided_on: date | None = None
    #: the decision or the appeal granted international protection (what it granted)
    protection_granted: str | None = None
    #: the protection was granted by the appeal (not by the first-instance decision)
    granted_on_appeal: bool = False
    #: the day of the appeal decision that granted protection, where the case's events record it
    appeal_decided_on: date | None = None
    #: a negative decision taken and not reversed on appeal
    negative: bool = False
    #: the last day of the border procedure (Art 51(2) APR), for a case in the border procedure
    border_procedure_end: date | None = None
    #: the case's short reference (``IT-2026-000123``), by which the platform's pages name it and
    #: which the decision's ``asylum_case_id`` accepts; ``None`` for a case recorded without one
    reference: str | None = None
    #: the days the application was lodged and registered: the law of its procedure (the right to
    #: remain, the return decision with the rejection, the border procedure's end) is the one of
    #: the day it was lodged (APR Art 79(3)); ``None`` while not lodged (or not known), when the
    #: day it was registered, else made, stands in
    lodged_on: date | None = None
    registered_on: date | None = None
    #: a pending subsequent application that gives no right to remain while it is examined: the
    #: procedures area's note and provisions (``right_to_remain``); ``None`` otherwise
    no_right_to_remain: str | None = None
    no_right_to_remain_basis: tuple[str, ...] = ()
    #: a pending application whose applicant has no right to remain for a surrender or an
    #: extradition (APR Art 10(3), (4)(b); Directive 2013/32/EU Art 9(2)): the provisions of the
    #: recorded exception, which still holds the decision back (not a return); ``()`` otherwise
    surrender_only_basis: tuple[str, ...] = ()

    @property
    def procedures_regime(self) -> str:
        """``pact`` or ``pre_pact``: the procedures regime of the application, as the procedures
        workflow chooses it (``pactum.law.regimes.procedures_regime``)."""
        return procedures_regime(self.made_on, self.lodged_on, self.registered_on).regime

    @property
    def named(self) -> str:
        """The case as a message names it: its reference, or its id where it has none."""
        return self.reference or self.id


@dataclass(frozen=True)
class ProtectionElsewhere:
    """International protection granted by another Member State, as its marked Eurodac record of
    the same person shows it. ``through``: the states whose records of the person the same-person
    links pass through to reach that state's record (none for a direct link)."""

    member_state: str
    marked_on: date | None = None
    through: tuple[str, ...] = ()

    @property
    def joined(self) -> str:
        """How the marked record is joined to the person's, in words (empty for a direct link)."""
        if not self.through:
            return ""
        records = " and ".join(f"{s}'s" for s in self.through)
        return (f"{self.member_state}'s record is joined to the person's through {records} "
                f"record{'s' if len(self.through) > 1 else ''} of the same person")


@dataclass(frozen=True)
class StayCheck:
    """What the checks leave for the decision: its grounds, extra legal basis and trace steps."""

    grounds: list[str]
    legal_basis: list[str] = field(default_factory=list)
    trace: list[dict[str, Any]] = field(default_factory=list)


def _right_to_remain(case: AsylumCaseFacts) -> LegalRef:
    """The applicant's right to remain pending the decision, by the regime of the application
    (by the day it was lodged, APR Art 79(3)): APR Art 10(1), before it Directive 2013/32/EU
    Art 9(1)."""
    if case.procedures_regime == "pact":
        return LegalRef.of("apr", "10", "1")
    return LegalRef.of("procedures_directive", "9", "1")


def _with_rejection(case: AsylumCaseFacts) -> LegalRef:
    """Where the law says a return decision is issued with (or after) the decision rejecting the
    application, by the regime of the application (by the day it was lodged, APR Art 79(3)):
    Regulation (EU) 2024/1348 Art 37 for an application under the Pact, Directive 2008/115/EC
    Art 6(6) before it."""
    if case.procedures_regime == "pact":
        return LegalRef.of("apr", "37")
    return LegalRef.of(RD, "6", "6")


def _protection_words(what: str) -> str:
    return OUTCOME_WORDS.get(what, what.replace("_", " "))


def check_stay(
    *,
    issued_on: date,
    member_state: str,
    grounds: list[str],
    asylum_case_id: str | None,
    cases: list[AsylumCaseFacts],
    protection_elsewhere: list[ProtectionElsewhere],
) -> StayCheck:
    """The checks of the module docstring, in that order; the grounds to record.

    Raises :class:`Conflict` (the person is not staying illegally, or an Art 6(2) ground is
    missing) or :class:`ValidationProblem` (``asylum_case_id`` or ``grounds`` do not hold)."""
    trace = Trace()
    grounds = list(grounds)
    basis: list[str] = []
    rd_2_1, rd_6_1, rd_6_2 = LegalRef.of(RD, "2", "1"), LegalRef.of(RD, "6", "1"), LegalRef.of(RD, "6", "2")
    case_facts = [{"id": c.id, "state": c.state, "procedure": c.procedure, "outcome": c.outcome,
                   "decided_on": c.decided_on} for c in cases]

    # International protection granted by the issuing state: staying legally.
    granted = [c for c in cases if c.protection_granted]
    if granted:
        c = granted[0]
        if c.granted_on_appeal:
            # the first-instance decision (``decided_on``) rejected it: the grant is the appeal's
            when = " on appeal" + (f" on {c.appeal_decided_on.isoformat()}" if c.appeal_decided_on else "")
        else:
            when = f" on {c.decided_on.isoformat()}" if c.decided_on else ""
        raise Conflict(
            f"the person was granted {_protection_words(c.protection_granted or '')} by {member_state}"
            f"{when} (asylum case {c.named}): a beneficiary of international protection stays legally, "
            f"the Return Directive does not apply to them ({rd_2_1.cite()}; {rd_6_1.cite()}); no return "
            "decision can be issued")

    # An application pending in the issuing state: the right to remain.
    for c in cases:
        undecided_then = (not c.pending and c.made_on <= issued_on and c.decided_on is not None
                          and c.decided_on > issued_on)
        if c.pending and c.no_right_to_remain:
            trace.step(rule="no_right_to_remain", legal_basis=list(c.no_right_to_remain_basis),
                       facts={"asylum_case_id": c.id, "state": c.state},
                       outcome=f"application {c.named} pending: {c.no_right_to_remain}")
            continue
        if c.pending or undecided_then:
            ref = _right_to_remain(c)
            when = (f"is pending (made on {c.made_on.isoformat()}, {c.state.replace('_', ' ')})" if c.pending
                    else f"was pending on {issued_on.isoformat()} (decided only on "
                         f"{c.decided_on.isoformat() if c.decided_on else ''})")
            raise Conflict(
                f"the person's application for international protection {c.named} in {member_state} {when}: "
                f"an applicant has the right to remain until the determining authority decides "
                f"({ref.cite()}); a return decision is issued with or after the rejection "
                f"({_with_rejection(c).cite()})" + (
                    f"; the exception recorded on it for a surrender or extradition "
                    f"({'; '.join(c.surrender_only_basis)}) lets that take place, it is not a return"
                    if c.pending and c.surrender_only_basis else ""))
    trace.step(rule="staying_illegally", legal_basis=[rd_2_1, rd_6_1],
               facts={"member_state": member_state, "asylum_cases": case_facts},
               outcome=(f"no international protection granted by {member_state} and no application pending "
                        f"there" + (" that gives the right to remain"
                                    if any(c.pending and c.no_right_to_remain for c in cases) else "") + (f" ({counted(len(cases), 'asylum case')} decided)" if cases else
                                    " (no asylum case recorded)")))

    # International protection granted by another Member State: Art 6(2).
    if protection_elsewhere:
        states = sorted({p.member_state for p in protection_elsewhere})
        named = ", ".join(states)
        exception = [g for g in grounds if g in ART_6_2_GROUNDS]
        joined = "; ".join(p.joined for p in protection_elsewhere if p.joined)
        if not exception:
            raise Conflict(
                f"the person holds international protection granted by {named} (Eurodac marks that "
                f"state's record of the same person, Regulation (EU) 2024/1358, Article 31"
                + (f"; {joined}" if joined else "") + "): they are "
                f"required to go to {named} first ({rd_6_2.cite()}); a return decision is issued only if "
                f"they did not comply (ground '{DID_NOT_GO}') or their immediate departure is required "
                f"for reasons of public policy or national security (ground 'public_security_risk')")
        basis.append(rd_6_2.cite())
        trace.step(rule="protection_in_another_member_state", legal_basis=[rd_6_2],
                   facts={"granted_by": states, "grounds": exception,
                          **({"through": {p.member_state: list(p.through) for p in protection_elsewhere
                                          if p.through}} if joined else {})},
                   outcome=f"protection granted by {named}; return decision under the second sentence of "
                           f"Article 6(2): {', '.join(g.replace('_', ' ') for g in exception)}"
                           + (f" ({joined})" if joined else ""))
    elif DID_NOT_GO in grounds:
        # the officer knows of a grant the platform does not show: recorded as stated
        basis.append(rd_6_2.cite())
        trace.step(rule="protection_in_another_member_state", legal_basis=[rd_6_2],
                   facts={"granted_by": [], "grounds": [DID_NOT_GO]},
                   outcome="stated by the officer (no marked Eurodac record of another state found): the person "
                           "did not go to the Member State that granted protection")

    # The asylum case the decision goes with, and the grounds that name it.
    case = None
    if asylum_case_id is not None:
        case = next((c for c in cases if c.id == asylum_case_id), None)
        if case is None or not case.negative:
            what = ("is not an asylum case of this person" if case is None else
                    f"has no negative decision ({case.state.replace('_', ' ')}"
                    + (f", {_protection_words(case.outcome)}" if case.outcome else "") + ")")
            raise ValidationProblem.one(
                "asylum_case_id",
                f"{asylum_case_id if case is None else case.named} {what}: a return decision is issued with a "
                "decision rejecting the application, declaring it inadmissible or implicitly withdrawn")
        if "negative_asylum_decision" not in grounds:
            grounds.append("negative_asylum_decision")
        trace.step(rule="negative_asylum_decision", legal_basis=[_with_rejection(case)],
                   facts={"asylum_case_id": case.id, "outcome": case.outcome, "decided_on": case.decided_on},
                   outcome=f"issued with the decision on case {case.named}: "
                           f"{_protection_words(case.outcome or '')} on "
                           f"{case.decided_on.isoformat() if case.decided_on else 'an unknown day'}")
    elif "negative_asylum_decision" in grounds:
        negative = [c.named for c in cases if c.negative]
        hint = (f"name the asylum case (asylum_case_id: {', '.join(negative)})" if negative else
                f"no negative asylum decision of this person is recorded in {member_state}")
        raise ValidationProblem.one(
            "grounds", f"'negative_asylum_decision' goes with the asylum case it was issued with: {hint}")

    if "return_border_procedure" in grounds:
        # the return border procedure (Regulation (EU) 2024/1349) once the Pact applies; before, the
        # border procedure of Directive 2013/32/EU Article 43
        rbpr = (LegalRef.of("return_border", "4", "1") if regime_for("returns", issued_on) == "pact"
                else LegalRef.of("procedures_directive", "43"))
        if case is None:
            raise ValidationProblem.one(
                "grounds", "'return_border_procedure' follows the rejection of an application in the asylum "
                           f"border procedure ({rbpr.cite()}): name that asylum case (asylum_case_id)")
        if case.procedure != "border":
            raise ValidationProblem.one(
                "grounds", f"'return_border_procedure': asylum case {case.named} was examined in the "
                           f"{case.procedure} procedure, not in the border procedure ({rbpr.cite()})")
        end = case.border_procedure_end
        limit = (LegalRef.of("apr", "51", "2") if case.procedures_regime == "pact"
                 else LegalRef.of("procedures_directive", "43", "2"))
        if end is not None and case.decided_on is not None and case.decided_on > end:
            grounds.remove("return_border_procedure")
            trace.step(rule="return_border_procedure", legal_basis=[limit, rbpr],
                       facts={"asylum_case_id": case.id, "decided_on": case.decided_on,
                              "border_procedure_end": end},
                       outcome=f"does not apply: the asylum decision of {case.decided_on.isoformat()} came after "
                               f"the border procedure ended on {end.isoformat()} ({limit.cite()}: the applicant "
                               "is then authorised to enter); the ordinary rules of Directive 2008/115/EC apply")
        else:
            trace.step(rule="return_border_procedure", legal_basis=[limit, rbpr],
                       facts={"asylum_case_id": case.id, "decided_on": case.decided_on,
                              "border_procedure_end": end},
                       outcome="applies: rejected in the border procedure"
                               + (f" on {case.decided_on.isoformat()}, within its end on {end.isoformat()}"
                                  if end is not None and case.decided_on is not None else ""))
    return StayCheck(grounds=grounds, legal_basis=basis, trace=trace.to_list())
