"""Who is responsible for a Dublin case now: the determination with what happened since on the
case's requests applied.

The determination names the state the criteria designate on the facts at the lodging
(registration). The procedure between the states may move that responsibility: an acceptance
(express or by silence) confirms the requested state; a final refusal leaves the requesting state
responsible; a transfer period that ends without a transfer shifts responsibility to the requesting
state (Dublin III Art 29(2); AMMR Art 37(1), applied through :func:`cessation.after_events`); a
take-charge request not sent within its time limit leaves the state where the application was
lodged (registered) responsible (Dublin III Art 21(1); AMMR Art 39(1)). A responsibility offset
(AMMR Arts 63, 69) makes the contributing state responsible from the day it took the application
over: from then on it examines the application, whatever the determination's criterion said. The
discretionary clause (Dublin III Art 17(1); AMMR Art 35(1)) applied by the case's own state makes
that state responsible from the day it decided to examine the application (:func:`clause_of` reads
it from the case's trace).

Pure: the caller gives the case's requests with their deadlines already applied.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from .cessation import (
    BORDER_PENDING_BASIS,
    RETURNED_BASIS,
    BorderPeriod,
    CessationEvent,
    after_events,
    border_obligations_ended,
)
from .procedure import ACCEPTED, CLOSED, OPEN_REPLY, status_label
from .procedure import legal_basis as transition_basis
from .relocation_take_back import CESSATION_BASIS as RELOCATION_CESSATION_BASIS
from .relocation_take_back import GROUND as RELOCATION_GROUND
from .request_limits import LAPSE_BASIS, RequestLimit

_INSTRUMENT = {"dublin_iii": "Regulation (EU) No 604/2013", "ammr": "Regulation (EU) 2024/1351"}
_IMPL = "Commission Regulation (EC) No 1560/2003"

#: The rule that leaves the state of lodging (registration) responsible when no take-charge
#: request was sent in time (:data:`pactum.responsibility.request_limits.LAPSE_BASIS`).
NO_REQUEST_IN_TIME = {"dublin_iii": LAPSE_BASIS["dublin_iii", "take_charge"],
                      "ammr": LAPSE_BASIS["ammr", "take_charge"]}
#: The same for a take back: Dublin III moves responsibility to the state where the new
#: application was lodged; an AMMR take-back notification has no such limit (Art 41).
NO_TAKE_BACK_IN_TIME = {"dublin_iii": LAPSE_BASIS["dublin_iii", "take_back"]}
TAKE_BACK_LATE_NOTIFICATION = "Regulation (EU) 2024/1351, Article 41"

_DECISIVE = ACCEPTED | {"transfer_decided", "transfer_arranged", "transferred", "responsibility_shifted",
                        "refused_final"}


class RequestFacts(Protocol):
    """What is read of a request (a row of ``dublin_requests``)."""

    id: str
    kind: str
    status: str
    requesting_member_state: str
    requested_member_state: str
    sent_on: date
    accepted_on: date | None
    transferred_on: date | None
    closed_on: date | None


@dataclass(frozen=True, slots=True)
class OffsetTaken:
    """A responsibility offset taken over on the case (a row of ``solidarity_offsets``)."""

    contributor: str
    beneficiary: str
    on: date
    legal_basis: tuple[str, ...] = ()
    cycle_year: int | None = None
    mandatory: bool = False


@dataclass(frozen=True, slots=True)
class ClauseApplied:
    """The discretionary clause applied on the case (the ``discretionary_clause`` step of its trace):
    ``member_state`` decided on ``on`` to examine the application, ``previously`` being responsible."""

    member_state: str
    on: date
    previously: str | None = None
    legal_basis: tuple[str, ...] = ()


def clause_of(trace: Any) -> ClauseApplied | None:
    """The latest discretionary clause applied on a case, from its stored trace (None if none)."""
    found = None
    for s in trace or ():
        if not isinstance(s, dict) or s.get("rule") != "discretionary_clause":
            continue
        facts = s.get("facts") or {}
        try:
            on = date.fromisoformat(str(facts.get("on")))
        except ValueError:
            continue
        if facts.get("member_state"):
            found = ClauseApplied(str(facts["member_state"]), on, facts.get("previously_responsible"),
                                  tuple(str(b) for b in s.get("legal_basis") or ()))
    return found


@dataclass(frozen=True, slots=True)
class Examined:
    """The case's own state decided the application at first instance and notified the decision:
    it examined the application (Dublin III Art 2(d), "any examination of, or decision or ruling
    concerning, an application"), without a decision on responsibility where its Dublin case
    designated another state. Neither the asylum case nor its outcome is named: "Responsible now"
    is also read by another state a request went to."""

    member_state: str
    decided_on: date | None
    notified_on: date


#: Dublin III Art 3(1) and AMMR Art 16(1): one Member State examines the application; a state that
#: examined it without an express decision on responsibility did not breach Art 3(1) (CJEU C-56/17
#: Fathi, operative part 1, on Dublin III; our reading carries it over to the AMMR).
EXAMINED_BASIS = {"dublin_iii": ("Regulation (EU) No 604/2013, Article 3(1)", "CJEU C-56/17 Fathi"),
                  "ammr": ("Regulation (EU) 2024/1351, Article 16(1)", "CJEU C-56/17 Fathi")}
#: The state that decides to examine an application becomes responsible and, "where applicable",
#: informs the state it asked to take charge or take back (Dublin III Art 17(1), second
#: subparagraph) or that received its take-back notification (AMMR Art 37(1), read in the Official
#: Journal's Italian text): a request that still stands once the state examined the application is
#: withdrawn, which tells the state asked.
EXAMINED_INFORM = {"dublin_iii": "Regulation (EU) No 604/2013, Article 17(1), second subparagraph",
                   "ammr": "Regulation (EU) 2024/1351, Article 37(1)"}
#: The requests an examination by the requesting state overtakes: a take charge, a take back or a
#: take-back notification asks the other state to take the person so that it examines (or completes
#: the examination of) the application (Dublin III Art 18(2); AMMR Art 36(3)), which the
#: requesting state has examined itself.
_TAKEN_OVER_KINDS = frozenset({"take_charge", "take_back", "take_back_notification"})


@dataclass(frozen=True, slots=True)
class Ceased:
    """The take-back obligation of the state the determination designates ended before the case's
    application was registered, on facts the platform holds: the person left the territory of the
    Member States on ``left_on`` under ``member_state``'s return decision ``reference``, issued after
    the application there was withdrawn or rejected (``outcome``, in words), the departure confirmed
    (``how``: "removed" or "left voluntarily") (Dublin III Art 19(3); AMMR Art 37(5), read in the
    Official Journal's Italian text). The application registered after it is a new application that
    gives rise to a new determination: ``redetermined`` and ``criterion``/``legal_basis`` are the
    criteria applied again to the case's facts without the applications made in that state before
    the departure (``None``: not run, the state where the application was registered conducts it)."""

    member_state: str
    left_on: date
    reference: str
    how: str
    outcome: str
    redetermined: str | None = None
    criterion: str | None = None
    legal_basis: tuple[str, ...] = ()
    take_charge_limit: RequestLimit | None = None
    ground: str = "returned"
    """``returned`` (above) or ``border_procedure`` (AMMR Art 37(2)-(3)): ``member_state`` examined the
    application in the border procedure and its decision (``reference``, the asylum case; ``outcome``,
    in words) became final on ``border.final_on``; the obligations of Art 36(1) cease when the
    period ends (``border.ends_on``); ``left_on`` is then the day the decision became final."""
    border: BorderPeriod | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``cessation`` of "Responsible now": the ground, its article and the facts it rests on."""
        out: dict[str, Any] = {"ground": self.ground, "member_state": self.member_state,
                               "outcome": self.outcome, "redetermined": self.redetermined,
                               "criterion": self.criterion}
        if self.border is None:
            return {**out, "legal_basis": None, "left_on": self.left_on.isoformat(), "how": self.how,
                    "return_decision": self.reference}
        b = self.border
        return {**out, "legal_basis": b.legal_basis, "asylum_case": self.reference,
                "final_on": b.final_on.isoformat(), "period": b.length, "period_parameter": b.parameter,
                "ends_on": b.ends_on.isoformat()}


@dataclass(frozen=True, slots=True)
class ResidenceIssued:
    """A residence document ``member_state`` issued to the applicant after the case's application was
    registered, as its Dublin unit recorded it (a row of ``dublin_documents``, on the case's person or
    on the person of that state a same-person link joins to them): that state becomes the Member
    State responsible and the obligations are transferred to it (Dublin III Art 19(1); AMMR Art
    37(1), read in the Official Journal's Italian text: «Se uno Stato membro rilascia al richiedente
    un titolo di soggiorno ... tale Stato membro diventa lo Stato membro competente»)."""

    member_state: str
    issued_on: date
    record_id: str
    number: str | None = None
    valid_until: date | None = None

    def words(self) -> str:
        number = f" {self.number}" if self.number else ""
        until = f", valid until {self.valid_until.isoformat()}" if self.valid_until else ""
        return (f"{self.member_state} issued the applicant a residence document{number} on "
                f"{self.issued_on.isoformat()}{until} (record {self.record_id})")


#: The article by which the state that issues the applicant a residence document becomes responsible.
RESIDENCE_ISSUED_BASIS = {"dublin_iii": "Regulation (EU) No 604/2013, Article 19(1)",
                          "ammr": "Regulation (EU) 2024/1351, Article 37(1)"}
#: The rule of "Responsible now" for it.
RESIDENCE_ISSUED_RULE = "residence_document_issued"


def _issued_now(issued: ResidenceIssued | None, *, regime: str, registered_on: date, registered_in: str,
                determined: str, today: date, later: Sequence[date]) -> ResponsibleNow | None:
    """The state that issued the applicant a residence document after the registration, as
    responsible from that day (rule ``residence_document_issued``), unless a later event on the case
    (``later``: a discretionary clause, an offset taken over, an outcome reached on a request)
    decides; ``None`` then, or without such a document by ``today``."""
    if issued is None or issued.issued_on > today or any(d > issued.issued_on for d in later):
        return None
    basis = RESIDENCE_ISSUED_BASIS["ammr" if regime == "ammr" else "dublin_iii"]
    was = (f" instead of {determined}, which the determination designated" if issued.member_state != determined
           else "")
    return ResponsibleNow(issued.member_state,
                          f"{issued.words()}, after the application was registered in {registered_in} on "
                          f"{registered_on.isoformat()}: {issued.member_state} became the Member State "
                          f"responsible{was}, and the obligations of the Member State responsible are "
                          f"transferred to it ({basis})", [basis], issued.issued_on,
                          shifted=issued.member_state != determined, rule=RESIDENCE_ISSUED_RULE)


#: The rule of a cessation as "Responsible now" names it.
CEASED_RULE = "ceased"
#: The grounds on which the state asked refuses a request because its obligations ceased (it is for
#: that state to establish the facts when asked: Dublin III Art 19(2)-(3) "can establish, when
#: requested"; AMMR Art 37(4) "the Member State responsible establishes", 37(5)), as the reply
#: records them (``refusal_ground``), with the article by regime and the words of the refusal.
CESSATION_GROUNDS: dict[str, dict[str, Any]] = {
    "left_territory": {
        "label": "the person left the territory of the Member States for at least the period of absence",
        "basis": {"dublin_iii": "Regulation (EU) No 604/2013, Article 19(2)",
                  "ammr": "Regulation (EU) 2024/1351, Article 37(4)"},
        "words": "the person left the territory of the Member States on {left_on} and stayed away at least {period}"},
    "returned": {
        "label": "the person left the territory of the Member States under a return decision or removal order "
                 "issued after the application was withdrawn or rejected",
        "basis": dict(RETURNED_BASIS),
        "words": "the person left the territory of the Member States on {left_on} under a return decision or "
                 "removal order issued after the application was withdrawn or rejected"},
    "residence_document": {
        "label": "another Member State issued the person a residence document after the application lodged in "
                 "the state asked (recorded on the platform)",
        "basis": {"dublin_iii": "Regulation (EU) No 604/2013, Article 20(5), second subparagraph",
                  "ammr": "Regulation (EU) 2024/1351, Article 38(4), second subparagraph"},
        "words": "{document}"},
}
#: The grounds on which the state notified contests a take-back notification other than a
#: cessation of its obligations (AMMR Art 41(3), read in the Official Journal's Italian text: the
#: state notified confirms receipt «a meno che lo Stato membro notificato non dimostri entro tale
#: termine che non è competente a norma dell'articolo 37 o che la notifica di ripresa in carico si basa
#: su un'indicazione errata dello Stato membro competente a norma del regolamento (UE) 2024/1358»).
#: ``wrong_indication``: the notification rests on a wrong indication in Eurodac of the Member State
#: responsible; it lies only where the notification rests on such an indication
#: (:data:`INDICATION_GROUNDS`). The state notified demonstrates it: ``evidence`` is required.
CONTEST_GROUNDS: dict[str, dict[str, str]] = {
    "wrong_indication": {
        "label": "the notification rests on a wrong indication in Eurodac of the Member State responsible",
        "basis": "Regulation (EU) 2024/1351, Article 41(3)",
        "words": "the notification rests on a wrong indication of the Member State responsible in Eurodac "
                 "(Regulation (EU) 2024/1358)"},
}
#: The AMMR take-back grounds resting on an indication in Eurodac of the Member State responsible:
#: Art 36(1)(b) only (Pactum's reading: a notification on Art 38(4) rests on a determination not yet
#: indicated, one on Art 36(1)(c) on an admission, neither on an indication that could be wrong).
INDICATION_GROUNDS = ("indicated_responsible_in_eurodac",)


#: The grounds that end an obligation by the person's absence or departure (a day of leaving,
#: ``left_on``, and the application after it is a new one); ``residence_document`` has neither.
LEFT_GROUNDS = frozenset({"left_territory", "returned"})
#: The take-back ground whose obligation also ends where another Member State issued the person a
#: residence document: Dublin III Art 20(5), second subparagraph (the state of the first
#: application completing the determination); read in the Official Journal's Italian text: «Tale
#: obbligo viene meno qualora lo Stato membro tenuto a portare a termine il procedimento di
#: determinazione ... possa stabilire che il richiedente ha lasciato nel frattempo il territorio degli
#: Stati membri per un periodo di almeno tre mesi o che un altro Stato membro gli ha rilasciato un
#: titolo di soggiorno». The AMMR's counterpart, Art 38(4), second subparagraph, read in the same
#: text: «Tale obbligo cessa quando lo Stato membro che ha avviato la procedura di determinazione
#: stabilisce che il richiedente ha ottenuto un titolo di soggiorno da un altro Stato membro»: the
#: take back of Art 38(4), first subparagraph (ground ``during_determination``), made by a take-back
#: notification (Art 41), which the state notified contests (Art 41(3)).
#: Art 38(5), second sentence, read in the same text, ends the take back by the Member State of
#: relocation (ground ``relocation_confirmed``, :mod:`pactum.responsibility.relocation_take_back`) in
#: the same words: «Tale obbligo cessa quando lo Stato membro di ricollocazione stabilisce che il
#: richiedente ha ottenuto un titolo di soggiorno da un altro Stato membro».
DOCUMENT_ENDS = {"dublin_iii": ("withdrawn_during_determination",),
                 "ammr": ("during_determination", RELOCATION_GROUND)}
#: The AMMR take-back grounds that only a residence document ends: Art 38(4), second subparagraph,
#: names no absence and no return; Art 37(4)-(5) end the obligations of Art 36(1), not those of Art
#: 38(4).
DOCUMENT_ONLY = {"dublin_iii": (), "ammr": ("during_determination", RELOCATION_GROUND)}


#: Dublin III: the obligation of the state where the first application was lodged to take back a
#: person who withdrew it during the determination (Art 20(5), first subparagraph) ceases on an
#: absence of at least three months under its own second subparagraph, not Art 19(2).
_WITHDRAWN_DURING_DETERMINATION = "Regulation (EU) No 604/2013, Article 20(5), second subparagraph"


def cessation_basis(ground: str, regime: str, criterion: str | None = None) -> str:
    """The article of a cessation ground (:data:`CESSATION_GROUNDS`) under ``regime`` for a request
    resting on ``criterion`` (its take-back ground, if any)."""
    if ground == "left_territory" and regime != "ammr" and criterion == "withdrawn_during_determination":
        return _WITHDRAWN_DURING_DETERMINATION
    if ground == "residence_document" and regime == "ammr" and criterion == RELOCATION_GROUND:
        return RELOCATION_CESSATION_BASIS
    return str(CESSATION_GROUNDS[ground]["basis"]["ammr" if regime == "ammr" else "dublin_iii"])


def basis_not_cited(reason: str, legal_basis: Sequence[str]) -> list[str]:
    """The articles of ``legal_basis`` that ``reason`` does not already cite, in order: what the
    bracket after the reason names, so that an article the sentence cites is not cited again
    ("sent late, it still obliges IT to take the person back, Regulation (EU) 2024/1351, Article 41"
    then "(…; Regulation (EU) 2024/1351, Article 41)"). A citation counts only whole: "Article 41"
    is not cited by "Article 41(1)"."""
    return [b for b in dict.fromkeys(legal_basis) if not re.search(re.escape(b) + r"(?![\w(])", reason)]


def with_basis(reason: str, legal_basis: Sequence[str]) -> str:
    """``reason`` followed by the bracketed articles it does not cite itself (:func:`basis_not_cited`)."""
    rest = basis_not_cited(reason, legal_basis)
    return f"{reason} ({'; '.join(rest)})" if rest else reason


@dataclass(frozen=True)
class ResponsibleNow:
    member_state: str
    reason: str
    legal_basis: list[str] = field(default_factory=list)
    since: date | None = None
    request_id: str | None = None
    shifted: bool = False
    """Responsibility moved away from the state the determination designated."""
    rule: str = "determination"
    """What decided: ``determination``, ``request_pending``, ``accepted``, ``transferred``,
    ``refused_final``, ``transfer_deadline_missed``, ``no_request_in_time``, ``examined``,
    ``ceased``, ``residence_document_issued``, ``responsibility_offset`` or ``discretionary_clause``."""
    warning: str | None = None
    """What the case's Dublin unit should do about it, where the case contradicts itself: a request
    that still stands after the state examined the application (rule ``examined``), to withdraw."""
    cessation: dict[str, Any] | None = None
    """Rule ``ceased`` on the platform's records: the ground and the facts it was computed from
    (:meth:`Ceased.to_json`); ``None`` otherwise."""

    def to_json(self) -> dict[str, Any]:
        return {"member_state": self.member_state, "reason": self.reason, "legal_basis": self.legal_basis,
                "since": self.since.isoformat() if self.since else None, "request_id": self.request_id,
                "shifted": self.shifted, "rule": self.rule, "warning": self.warning,
                "cessation": self.cessation}


def _basis(action: str, regime: str, kind: str | None = None) -> list[str]:
    """The legal basis of a transition of the procedure on a request of ``kind``, for the case's
    regime."""
    wanted = (_INSTRUMENT.get(regime, ""), _IMPL)
    return [b for b in transition_basis(action, kind) if b.startswith(wanted)]


def _outcome_day(r: RequestFacts) -> date:
    return r.transferred_on or r.closed_on or r.accepted_on or r.sent_on


def responsible_now(*, regime: str, registered_on: date, registered_in: str, determined: str,
                    criterion: str, legal_basis: list[str], requests: list[Any], today: date,
                    request_limit: RequestLimit | None, may_request_late: bool = False,
                    offset: OffsetTaken | None = None, take_back: bool = False,
                    clause: ClauseApplied | None = None, examined: Examined | None = None,
                    ceased: Ceased | None = None, issued: ResidenceIssued | None = None) -> ResponsibleNow:
    """The state responsible on ``today`` and why.

    ``offset``: a responsibility offset taken over on the case (AMMR Arts 63, 69): from its date the
    contributing state examines the application; an outcome of a request reached after that day
    (none should be: a case is taken over only while no request is running) still comes first.

    ``clause``: the discretionary clause applied by the case's state (Dublin III Art 17(1); AMMR
    Art 35(1)): from the day it decided, that state is responsible (its running requests were
    withdrawn); an outcome of a request reached after that day (a later humanitarian request
    accepted) comes first, and of a clause and an offset the later one decides.

    ``request_limit``: the last day for a take-charge (Dublin III: take-back) request given the
    lodging (registration) and the Eurodac hit the case knows
    (:func:`pactum.responsibility.request_limits.request_limit`, the rule the request form and its
    refusal use), applied when no request stands; with no hit known where a request on a hit could
    still be made after the period from the registration, the reason says so (the form then offers
    the request only with a hit: AMMR Art 39(1) and Dublin III Art 23(2) read in the Official
    Journal's Italian text); ``may_request_late``: an unaccompanied minor's
    request under the AMMR may be made after it (Art 39(1), fourth subparagraph). ``take_back``:
    the designated state takes the person back (the person applied there before): Dublin III's
    take-back request has its own limit (Art 23(2)-(3)); an AMMR notification may be late (Art 41).

    ``examined``: the case's state decided the application at first instance and notified the
    decision: it examined the application and is the one state that does (Dublin III Art 3(1); AMMR
    Art 16(1); CJEU C-56/17 Fathi: no express decision on responsibility is needed first), in a
    take-charge and a take-back case alike, and a take-charge or take-back request still standing
    is overtaken (``warning`` says to withdraw it): :func:`_examined_now`.

    ``ceased``: in a take-back case, the designated state's take-back obligation ended before the
    application was registered (:class:`Ceased`): with no outcome reached on a request (a reply of the
    state asked decides: it is for it to establish the cessation), the application is a new one and
    the criteria applied again decide (rule ``ceased``): :func:`_ceased_now`. A take-back request the
    state asked refused, finally, on a cessation ground (its ``refusal_ground``) says so too.

    ``issued``: a residence document a state issued the applicant after the registration, recorded
    on the platform (:class:`ResidenceIssued`): that state is responsible from that day (Dublin III
    Art 19(1); AMMR Art 37(1)), unless a later clause, offset or outcome of a request decides."""
    kind_words = {"take_charge": "take-charge request", "take_back": "take-back request",
                  "take_back_notification": "take-back notification",
                  "humanitarian": "humanitarian-clause request"}
    decisive = [r for r in requests if r.status in _DECISIVE]
    later = [*(d.on for d in (clause, offset) if d is not None and d.on <= today), *map(_outcome_day, decisive)]
    by_document = _issued_now(issued, regime=regime, registered_on=registered_on, registered_in=registered_in,
                              determined=determined, today=today, later=later)
    if by_document is not None:
        return by_document
    if (clause is not None and clause.on <= today
            and (offset is None or offset.on > today or offset.on <= clause.on)
            and not any(_outcome_day(r) > clause.on for r in decisive)):
        instead = f" instead of {clause.previously}" if clause.previously and clause.previously != clause.member_state \
            else ""
        return ResponsibleNow(clause.member_state,
                              f"{clause.member_state} decided on {clause.on.isoformat()} to examine the application "
                              f"itself under the discretionary clause{instead}: {clause.member_state} is responsible "
                              "and assumes the obligations associated with that responsibility",
                              list(clause.legal_basis), clause.on, shifted=True, rule="discretionary_clause")
    if offset is not None and offset.on <= today and not any(_outcome_day(r) > offset.on for r in decisive):
        how = "mandatory " if offset.mandatory else ""
        cycle = f" of the {offset.cycle_year} solidarity cycle" if offset.cycle_year else ""
        return ResponsibleNow(offset.contributor,
                              f"{offset.contributor} took over the examination from {offset.beneficiary} as a "
                              f"{how}responsibility offset{cycle} on {offset.on.isoformat()}: "
                              f"{offset.contributor} examines the application",
                              list(offset.legal_basis), offset.on, shifted=True, rule="responsibility_offset")
    by_examination = _examined_now(regime=regime, registered_in=registered_in, determined=determined,
                                   requests=requests, today=today, request_limit=request_limit,
                                   may_request_late=may_request_late, take_back=take_back, examined=examined)
    if by_examination is not None:
        return by_examination
    if decisive:
        r = max(decisive, key=lambda x: (_outcome_day(x), x.sent_on, x.id))
        what = kind_words.get(r.kind, r.kind.replace("_", " "))
        requesting, requested = r.requesting_member_state, r.requested_member_state
        if r.status == "responsibility_shifted":
            lapsed = r.closed_on or today
            res = after_events(registered_on, requested, [CessationEvent(
                kind="transfer_deadline_missed", on=lapsed, member_state=requesting)], today)
            state = res.responsible_member_state or requesting
            return ResponsibleNow(state, f"{requested} was responsible after the {what}, but the transfer period "
                                         f"ended on {lapsed.isoformat()} without a transfer: responsibility "
                                         f"shifted to {state}", res.legal_basis, lapsed, r.id,
                                  shifted=state != determined, rule="transfer_deadline_missed")
        # a take-back notification is contested, not refused (AMMR Art 41(3)): final when made
        refused = (f"contested the {what} ({(r.closed_on or today).isoformat()}, "
                   "Regulation (EU) 2024/1351, Article 41(3))" if r.kind == "take_back_notification"
                   else f"refused the {what}, finally ({(r.closed_on or today).isoformat()})")
        if r.status == "refused_final" and getattr(r, "refusal_ground", None) == "residence_document":
            cite = cessation_basis("residence_document", regime, r.criterion)
            said = getattr(r, "refusal_evidence", None) or "another Member State issued the person a residence document"
            if r.criterion == RELOCATION_GROUND:  # Art 38(5): the state of relocation's obligation
                ended = "as the Member State of relocation, before the transfer, ended"
                stays = f"{requesting}, where the person applied, stays responsible unless it asks another state"
            else:
                ended = "to complete the determination ended"
                stays = f"{requesting}, which conducts the determination, stays responsible unless it asks another state"
            return ResponsibleNow(requesting, f"{requested} {refused}, as its obligation to take the "
                                              f"person back {ended}: {said}; {stays}",
                                  [cite], r.closed_on, r.id, shifted=requesting != determined, rule=CEASED_RULE)
        if r.status == "refused_final" and getattr(r, "refusal_ground", None) in CONTEST_GROUNDS:
            g = CONTEST_GROUNDS[str(r.refusal_ground)]
            shown = getattr(r, "refusal_evidence", None)
            return ResponsibleNow(requesting, f"{requested} {refused}, as {g['words']}"
                                              f"{f': {shown}' if shown else ''}; {requesting}, where the person is, "
                                              "stays responsible for the determination unless it asks another "
                                              "state", [g["basis"]], r.closed_on, r.id,
                                  shifted=requesting != determined, rule="refused_final")
        if r.status == "refused_final" and getattr(r, "refusal_ground", None) in CESSATION_GROUNDS:
            ground = str(r.refusal_ground)
            left = getattr(r, "refusal_left_on", None)
            cite = cessation_basis(ground, regime, r.criterion)
            said = str(CESSATION_GROUNDS[ground]["words"]).format(
                left_on=left.isoformat() if left else "?", period=absence_words(regime, registered_on))
            return ResponsibleNow(requesting, f"{requested} {refused}, as its obligations ceased: "
                                              f"{said}; the application registered in {registered_in} on "
                                              f"{registered_on.isoformat()} is a new application, which gives rise "
                                              f"to a new determination, conducted by {requesting}",
                                  [cite], r.closed_on, r.id, shifted=requesting != determined, rule=CEASED_RULE)
        if r.status == "refused_final":
            return ResponsibleNow(requesting, f"{requested} refused the {what} and the refusal is final "
                                              f"({(r.closed_on or today).isoformat()}): {requesting}, which "
                                              "conducts the determination, stays responsible unless it asks "
                                              "another state", _basis("accept_refusal", regime), r.closed_on,
                                  r.id, shifted=requesting != determined, rule="refused_final")
        if r.status == "transferred":
            day = r.transferred_on or r.closed_on
            return ResponsibleNow(requested, f"{requested} accepted the {what}; the person was transferred "
                                             f"on {day.isoformat() if day else '?'}",
                                  _basis("complete_transfer", regime), day, r.id, shifted=requested != determined,
                                  rule="transferred")
        tacit = r.status in ("accepted_tacitly", "confirmed_tacitly")
        how = "by not replying within the time limit" if tacit else "expressly"
        verb = "confirmed" if r.kind == "take_back_notification" else "accepted"
        action = ("lapse_confirmation" if r.kind == "take_back_notification" else "lapse_reply") if tacit \
            else ("confirm" if r.kind == "take_back_notification" else "accept")
        return ResponsibleNow(requested, f"{requested} {verb} the {what} {how} on "
                                         f"{(r.accepted_on or today).isoformat()}",
                              _basis(action, regime, r.kind), r.accepted_on, r.id, shifted=requested != determined,
                              rule="accepted")
    if ceased is not None and take_back and ceased.member_state == determined and _has_ceased(
            ceased, registered_on, today, requests):
        return _ceased_now(regime=regime, registered_on=registered_on, registered_in=registered_in,
                           determined=determined, requests=requests, today=today, ceased=ceased)
    determination = f"determined: {criterion.replace('_', ' ')}"
    if determined == registered_in:
        return ResponsibleNow(determined, determination, list(legal_basis), registered_on)
    waiting = [r for r in requests if r.status in OPEN_REPLY | {"refused"}]
    if waiting:
        r = max(waiting, key=lambda x: (x.sent_on, x.id))
        return ResponsibleNow(determined, f"{determination}; the {kind_words.get(r.kind, r.kind)} to "
                                          f"{r.requested_member_state} awaits its outcome ({r.status.replace('_', ' ')})",
                              list(legal_basis), registered_on, r.id, rule="request_pending")
    if request_limit is not None and today > request_limit.last_day and not may_request_late:
        what = "take-back request" if take_back else "take-charge request"
        basis = request_limit.lapse_basis
        unless = ""
        if request_limit.hit_may_extend:
            unless = (f", unless a {what} is made within the time limit running from a Eurodac hit ("
                      f"{request_limit.hit_period}): none is recorded on the case")
        return ResponsibleNow(registered_in, f"no {what} was sent to {determined} by "
                                             f"{request_limit.words()}: {registered_in}, where the "
                                             f"application was lodged, is responsible{unless}",
                              [basis], request_limit.last_day, shifted=True, rule="no_request_in_time")
    if request_limit is not None and request_limit.from_hit and not may_request_late:
        what = "take-back request" if take_back else "take-charge request"
        return ResponsibleNow(determined, f"{determination}; a {what} to {determined} lies until "
                                          f"{request_limit.words()}",
                              list(legal_basis), registered_on)
    if take_back and regime == "ammr":
        return ResponsibleNow(determined, f"{determination}; no take-back notification has been sent yet "
                                          f"(sent late, it still obliges {determined} to take the person back, "
                                          f"{TAKE_BACK_LATE_NOTIFICATION})",
                              [*legal_basis, TAKE_BACK_LATE_NOTIFICATION], registered_on)
    return ResponsibleNow(determined, f"{determination}; no request has been sent yet", list(legal_basis),
                          registered_on)


def absence_words(regime: str, on: date) -> str:
    """The period of absence after which the obligations cease (Dublin III Art 19(2); AMMR Art
    37(4)), in words, as in force on ``on``."""
    from pactum.law import param
    from pactum.law.periods import length_words

    from .cessation import ABSENCE

    p = param(ABSENCE["ammr" if regime == "ammr" else "dublin_iii"], on=on)
    return length_words(p.value, p.unit)


_TAKE_BACK_KINDS = frozenset({"take_back", "take_back_notification"})


def _border_ended(ceased: Ceased, registered_on: date, today: date, requests: Sequence[Any]) -> str | None:
    """:func:`pactum.responsibility.cessation.border_obligations_ended` on the case's requests: the
    take-back requests and notifications sent to the state that examined the application."""
    assert ceased.border is not None
    sent = [r.sent_on for r in requests
            if r.kind in _TAKE_BACK_KINDS and r.requested_member_state == ceased.member_state]
    return border_obligations_ended(ceased.border, registered_on=registered_on, today=today, take_back_sent_on=sent)


def _has_ceased(ceased: Ceased, registered_on: date, today: date, requests: Sequence[Any]) -> bool:
    """Whether the obligations of :class:`Ceased` ended for this application: a departure before the
    registration (Dublin III Art 19(3); AMMR Art 37(5)), or the period after a final decision in the
    border procedure (AMMR Art 37(2)-(3): :func:`_border_ended`)."""
    if ceased.border is not None:
        return _border_ended(ceased, registered_on, today, requests) is not None
    return ceased.left_on < registered_on


def _ceased_reason(ceased: Ceased, *, regime: str, registered_on: date, registered_in: str, determined: str,
                   today: date, requests: Sequence[Any]) -> tuple[str, list[str]]:
    """Why the designated state's obligations ended, computed from the records, and the articles."""
    what = "take-back notification" if regime == "ammr" else "take-back request"
    if ceased.border is None:
        return (f"{determined}'s obligation to take the person back ended: the person left the territory of the "
                f"Member States on {ceased.left_on.isoformat()} ({ceased.how}) under {determined}'s return decision "
                f"{ceased.reference}, issued after the application there was {ceased.outcome}; the application "
                f"registered in {registered_in} on {registered_on.isoformat()} is a new application, which gives rise "
                f"to a new determination, and no {what} to {determined} lies",
                [RETURNED_BASIS["ammr" if regime == "ammr" else "dublin_iii"]])
    b = ceased.border
    said = (f"{determined}'s obligations as the Member State responsible ended: {determined} examined the "
            f"application in the border procedure and its decision {ceased.reference} ({ceased.outcome}) became "
            f"final on {b.final_on.isoformat()}; the obligations cease {b.length} after that, the period ending on "
            f"{b.ends_on.isoformat()}")
    if _border_ended(ceased, registered_on, today, requests) == "new_application":
        return (f"{said}; the application registered in {registered_in} on {registered_on.isoformat()}, after that "
                f"period, is a new application, which gives rise to a new determination, and no {what} to "
                f"{determined} lies", [b.legal_basis])
    return (f"{said}, and no take-back procedure with {determined} was pending on that day, which alone would have "
            f"kept them ({BORDER_PENDING_BASIS}); no {what} to {determined} lies any more",
            [b.legal_basis, BORDER_PENDING_BASIS])


def _ceased_now(*, regime: str, registered_on: date, registered_in: str, determined: str,
                requests: list[Any], today: date, ceased: Ceased) -> ResponsibleNow:
    """Who is responsible once the designated state's take-back obligation ended before the
    application (:class:`Ceased`; rule ``ceased``).

    A request still awaiting its reply keeps the case pending (the state asked establishes the
    cessation when it replies); otherwise the criteria applied again name the state: the one where
    the application was registered, or another asked by a take-charge request within the time
    limit from the registration (the same limit as any take charge: Dublin III Art 21(1); AMMR Art
    39(1)), after which the state of registration is responsible. Our reading: the earlier
    application in the state whose obligation ended is no longer a ground of the determination (the
    new application "gives rise to a new determination"), every other fact of the case is."""
    reason, cites = _ceased_reason(ceased, regime=regime, registered_on=registered_on, registered_in=registered_in,
                                   determined=determined, today=today, requests=requests)
    new = ceased.redetermined or registered_in
    basis = [*cites, *ceased.legal_basis]
    # registered within the border procedure's period, the obligations ended the day after it
    since = registered_on if ceased.border is None or ceased.border.ends_on < registered_on else (
        ceased.border.ends_on + timedelta(days=1))
    shown = ceased.to_json()
    crit = f" on {ceased.criterion.replace('_', ' ')}" if ceased.criterion else ""
    waiting = [r for r in requests if r.status in OPEN_REPLY | {"refused"}]
    if waiting:
        r = max(waiting, key=lambda x: (x.sent_on, x.id))
        return ResponsibleNow(new, f"{reason}; the criteria applied again designate {new}{crit}; the request to "
                                   f"{r.requested_member_state} awaits its outcome ({r.status.replace('_', ' ')})",
                              basis, since, r.id, shifted=new != determined, rule=CEASED_RULE, cessation=shown)
    if new == registered_in:
        return ResponsibleNow(new, f"{reason}; the criteria applied again designate {new}{crit}, where the application "
                                   "was registered", basis, since, shifted=new != determined, rule=CEASED_RULE,
                              cessation=shown)
    limit = ceased.take_charge_limit
    if limit is not None and today > limit.last_day:
        return ResponsibleNow(registered_in, f"{reason}; the criteria applied again designate {new}{crit}, but no "
                                             f"take-charge request was sent to {new} by {limit.words()}: "
                                             f"{registered_in}, where the application was registered, is responsible",
                              [*basis, limit.lapse_basis], max(limit.last_day, since), shifted=True, rule=CEASED_RULE,
                              cessation=shown)
    until = f" until {limit.words()}" if limit is not None else ""
    return ResponsibleNow(new, f"{reason}; the criteria applied again designate {new}{crit}: a take-charge request "
                               f"to {new} lies{until}", basis, since, shifted=new != determined,
                          rule=CEASED_RULE, cessation=shown)


def _examined_now(*, regime: str, registered_in: str, determined: str, requests: list[Any], today: date,
                  request_limit: RequestLimit | None, may_request_late: bool, take_back: bool,
                  examined: Examined | None) -> ResponsibleNow | None:
    """The case's own state as responsible because it examined the application (rule
    ``examined``), or ``None`` when the examination does not decide.

    It decides where the state decided the application at first instance and notified the decision
    (on or before ``today``) while the determination designates another state, unless the person
    was transferred on one of the case's requests (the person is in the state asked), a
    humanitarian-clause request was accepted after the notification (the clause may still be
    invoked after a decision that is not on the substance, and its acceptance transfers
    responsibility: Dublin III Art 17(2); AMMR Art 35(2)), or, with no take-charge or take-back
    request standing, the time limit for a request had ended before the notification (the state of
    registration was responsible from that day, which that rule says) or a request ended in a final
    refusal or a lapsed transfer period (its own rule names the same state).

    A take-charge request, take-back request or take-back notification still standing (awaiting its
    reply, refused and open to re-examination, accepted, transfer decided or arranged) does not
    displace the examination, whenever it was sent: it asks the other state to take the person so
    that it examines, or completes the examination of, the application (Dublin III Art 18(2); AMMR
    Art 36(3)), which the requesting state has examined. The state that decides to examine an
    application becomes responsible and informs the state it asked (Dublin III Art 17(1), second
    subparagraph; AMMR Art 37(1)); the answer says so in ``warning``: withdraw the request. Our
    reading, carried over from CJEU C-56/17 Fathi (no express decision on responsibility is needed
    before the examination): the examination is the decision to examine.

    A take-back case is treated as a take charge: the state of the new application may decide to
    examine it (Dublin III Arts 17(1), 23(1) "may request", 23(3); AMMR Arts 35(1), 37(1), by which
    the take-back obligation of Art 36(1)(b) passes to the state that examines)."""
    if (examined is None or examined.member_state != registered_in or determined == registered_in
            or examined.notified_on > today):
        return None
    notified = examined.notified_on
    if any(r.status == "transferred" for r in requests):
        return None
    if any(r.kind == "humanitarian" and r.status in ACCEPTED | {"transfer_decided", "transfer_arranged"}
           and (r.accepted_on or r.sent_on) > notified for r in requests):
        return None
    standing = [r for r in requests if r.status not in CLOSED and (
        r.kind in _TAKEN_OVER_KINDS or r.status not in OPEN_REPLY | {"refused"})]
    if not standing:
        if any(r.status in ("refused_final", "responsibility_shifted") for r in requests):
            return None
        if request_limit is not None and not may_request_late and notified > request_limit.last_day:
            return None
    what = "take-charge request"
    if take_back:
        what = "take-back notification" if regime == "ammr" else "take-back request"
    decided = f" on {examined.decided_on.isoformat()}" if examined.decided_on else ""
    reason = (f"{registered_in} examined the application without a decision on responsibility: it decided it at "
              f"first instance{decided} and notified the decision on {notified.isoformat()}; the one state that "
              f"examines an application is responsible for it")
    if not standing:
        return ResponsibleNow(registered_in, f"{reason}, and no {what} to {determined} lies any more",
                              list(EXAMINED_BASIS.get(regime, EXAMINED_BASIS["dublin_iii"])), notified,
                              shifted=True, rule="examined")
    r = max(standing, key=lambda x: (x.sent_on, x.id))
    kind_words = {"take_charge": "take-charge request", "take_back": "take-back request",
                  "take_back_notification": "take-back notification",
                  "humanitarian": "humanitarian-clause request"}.get(r.kind, r.kind.replace("_", " "))
    to = r.requested_member_state
    status = status_label(r.kind, r.status)
    when = "after it was sent" if r.sent_on <= notified else "before it was sent"
    inform = EXAMINED_INFORM.get(regime, EXAMINED_INFORM["dublin_iii"])
    warning = (f"The {kind_words} to {to} ({r.id}, sent on {r.sent_on.isoformat()}) still stands ({status}), but "
               f"{registered_in} examined the application {when}: {to} is not to take the person so as to "
               f"examine it, and no transfer follows. Withdraw the request, which informs {to} ({inform})")
    return ResponsibleNow(registered_in, f"{reason}; the {kind_words} to {to} is overtaken ({status})",
                          [*EXAMINED_BASIS.get(regime, EXAMINED_BASIS["dublin_iii"]), inform], notified, r.id,
                          shifted=True, rule="examined", warning=warning)


def clause_refusal(member_state: str, responsible: str, reason: str, legal_basis: list[str],
                   transferred: list[tuple[str, str | None, str]]) -> str | None:
    """Why the case's state ``member_state`` may not apply the discretionary clause (Dublin III
    Art 17(1); AMMR Art 35(1)) to its case, or ``None`` when it may: the one rule by which the
    service refuses the clause and the case page leaves out its form.

    ``responsible``, ``reason``, ``legal_basis``: who is responsible now and why
    (:class:`ResponsibleNow`); ``transferred``: the case's requests on which the applicant was
    transferred, as ``(state asked, day or None, request id)``, in the order sent. Refused: the
    person was transferred (they are in the state asked, which examines the application), or the
    case's state is already responsible (nothing to apply the clause to)."""
    if transferred:
        to, day, request_id = transferred[-1]
        return (f"the applicant was transferred to {to}{f' on {day}' if day else ''} (request {request_id}): "
                f"the person is in {to}, which examines the application; {member_state} can no longer "
                "decide to examine it under the discretionary clause")
    if responsible == member_state:
        return (f"{member_state} is already responsible for this application ({reason}; "
                f"{'; '.join(legal_basis) or 'no other state designated'}): there is nothing to "
                "apply the discretionary clause to")
    return None
