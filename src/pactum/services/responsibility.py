"""Responsibility: determinations, Dublin cases, and the procedure between Member States' Dublin
units (take charge, take back, notification, re-examination, transfer).

Every command is one unit of work with its audit entry and timeline event. Deadlines come from
:func:`pactum.law.time_limit`. Silence at a deadline is applied by the ``responsibility.deadlines``
job and, for the rows a user is about to see or act on, at read time (same code, scoped to those
rows), so nobody ever sees a request as pending after its reply deadline.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    MetaData,
    String,
    Table,
    and_,
    case,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.sql.elements import ColumnElement

from pactum.common import nothing
from pactum.common.clock import as_utc
from pactum.common.csvrows import csv_table
from pactum.common.dates import check_statistics_year
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.paging import page_problems
from pactum.common.states import member_state as normalise_state
from pactum.common.text import code_words, shortened
from pactum.law import add_period, param, regime_for, time_limit
from pactum.law.time_limits import RULES as TIME_LIMIT_RULES
from pactum.law.tree import NotInForce, history
from pactum.procedures.model import Outcome
from pactum.registry.local_time import local_today, stored_day
from pactum.responsibility import procedure as proc
from pactum.responsibility import relocation_take_back as relocation_tb
from pactum.responsibility.cessation import CessationRequest, DiscretionaryClause, discretionary_clause_step
from pactum.responsibility.criteria import determine as determine_facts
from pactum.responsibility.current import (
    CEASED_RULE,
    CESSATION_GROUNDS,
    CONTEST_GROUNDS,
    DOCUMENT_ENDS,
    DOCUMENT_ONLY,
    INDICATION_GROUNDS,
    LEFT_GROUNDS,
    Ceased,
    Examined,
    OffsetTaken,
    ResidenceIssued,
    ResponsibleNow,
    absence_words,
    cessation_basis,
    clause_of,
    clause_refusal,
    responsible_now,
    with_basis,
)
from pactum.responsibility.determination import cessation_of, facts_of
from pactum.responsibility.model import Determination, Facts
from pactum.responsibility.params import regime_on
from pactum.responsibility.request_limits import (
    HIT_REPLACES,
    HIT_SOURCE_WORDS,
    LIMIT_KIND,
    KnownHit,
    RequestLimit,
    hit_runs,
    hit_runs_nothing,
    known_hit,
    latest_hit,
    request_limit,
)
from pactum.responsibility.schemas import (
    CaseCreate,
    DeterminationRequest,
    DocumentCorrection,
    DocumentRecord,
    DocumentWithdrawal,
    Evidence,
    EvidenceKind,
    HitCreate,
    RequestAction,
    RequestCreate,
    document_record_problems,
)
from pactum.services import reads, registry
from pactum.services.auth import SYSTEM, Principal, Role, require
from pactum.services.bootstrap import Services
from pactum.services.indicators import indicator
from pactum.services.jobs import job
from pactum.services.uow import UnitOfWork
from pactum.store.tables.base import update_versioned
from pactum.store.tables.responsibility import (
    dublin_cases,
    dublin_documents,
    dublin_hits,
    dublin_request_events,
    dublin_requests,
)

R = dublin_requests
#: Who may use the determination calculators and read the statistics (no case file in them).
READ_ROLES = (Role.caseworker, Role.dublin_unit, Role.analyst, Role.auditor, Role.admin)
#: Who reads a Dublin case file or request: the asylum authority and the Dublin unit of a state
#: party to it. A case file holds the applicant's name, family and travel, which only the states
#: concerned exchange (Dublin III Art 34; AMMR Art 48); analysts read the statistics, the auditor
#: the audit log, administrators the users, and no EU body reads case files.
CASE_READERS = (Role.caseworker, Role.dublin_unit)
#: Who records a state's Dublin cases and drafts their facts from the records.
CASE_RECORDERS = (Role.caseworker, Role.dublin_unit)


# --- Determinations -------------------------------------------------------------------------------


def determine(services: Services, principal: Principal, body: DeterminationRequest) -> dict[str, Any]:
    """``POST /api/v1/responsibility/determinations``: the responsible state, why, with the trace."""
    require(principal, *READ_ROLES)
    return determine_facts(facts_of(body)).to_json()


def cessation(services: Services, principal: Principal, body: CessationRequest) -> dict[str, Any]:
    """``POST /api/v1/responsibility/cessation``: who is responsible after later events
    (discretionary clause, residence document, missed transfer deadline, absence, return, end of
    the obligations after the border procedure)."""
    require(principal, *READ_ROLES)
    return cessation_of(body)


def determine_batch(services: Services, principal: Principal, facts: Iterable[Facts]
                    ) -> list[Determination]:
    """Many determinations in one call (batch re-determination, the benchmark). The results carry
    their trace steps; render one with ``Determination.to_json()``.

    The cyclic garbage collector is paused for the batch: a determination creates only acyclic
    objects (tuples, frozen dataclasses, dicts of strings and dates) that reference counting
    frees, while the collector's repeated passes over the growing list of results (and the
    caller's facts) took close to half the time of a million-application batch."""
    require(principal, *READ_ROLES)
    paused = gc.isenabled()
    gc.disable()
    try:
        return [determine_facts(f) for f in facts]
    finally:
        if paused:
            gc.enable()


# --- Cases ----------------------------------------------------------------------------------------


def shift_responsibility(conn: Connection, case_id: str, new_state: str, step: dict[str, Any]) -> Any:
    """Make ``new_state`` responsible for the case, appending ``step`` (its legal basis and trace).

    Used where the law moves responsibility outside the request procedure, such as a solidarity
    offset (AMMR Arts 63, 69). Returns the case row as it was before the change.
    """
    case = conn.execute(select(dublin_cases).where(dublin_cases.c.id == case_id)).one()
    basis = list(case.legal_basis or [])
    update_versioned(conn, dublin_cases, case_id, case.version, {
        "responsible_member_state": new_state,
        "legal_basis": [*basis, *(b for b in step["legal_basis"] if b not in basis)],
        "trace": [*(case.trace or []), step],
    })
    return case


def _no_eurodac_on(day: date) -> str | None:
    """Why no Eurodac hit can be dated ``day`` (a hit is the result of a Eurodac comparison, under
    the Eurodac regulation in force that day), or ``None`` when one can. The time limit then runs
    from the parameters of the application's registration (AMMR clocks from a hit before July
    2026), so the hit's own date is checked here."""
    prefix = "eurodac" if regime_for("eurodac", day) == "pact" else "eurodac603"
    try:
        param(f"{prefix}.transmission.applicant", on=day)
    except NotInForce:
        return (f"no Eurodac comparison gives a hit on {day.isoformat()}: no Eurodac regulation the "
                f"platform applies is in force on {day.isoformat()}")
    return None


#: The applicant's data compared in Eurodac are transmitted from the application's registration
#: (AMMR era) or lodging (Dublin III era): the law tree's ``eurodac.transmission.applicant`` (Art
#: 15(1)(a)) and ``eurodac603.transmission.applicant`` (Art 9(1)), cited as the tree cites them.
_APPLICANT_DATA = {"ammr": ("registered", "eurodac.transmission.applicant"),
                   "dublin_iii": ("lodged", "eurodac603.transmission.applicant")}


def _applicant_data(regime: str) -> tuple[str, str]:
    """What the application was under ``regime`` when its data went to Eurodac (``registered``,
    ``lodged``), and the article that sends them, from the law tree."""
    what, path = _APPLICANT_DATA.get(regime, _APPLICANT_DATA["dublin_iii"])
    return what, history(path).reference.cite()


def _hit_before_application(regime: str, hit_on: date, registered_on: date) -> str:
    """Why a Eurodac hit dated before the application it answers is refused: a typing error, not a
    time limit that ran out before the application existed."""
    what, basis = _applicant_data(regime)
    return (f"{hit_on.isoformat()} is before the application was {what} ({registered_on.isoformat()}): the hit "
            f"answers the comparison of the applicant's data, transmitted once the application was {what} "
            f"({basis}); check the date")


def _own_state(principal: Principal) -> str:
    from pactum.services.auth import require_member_state

    return require_member_state(principal)


def create_case(services: Services, principal: Principal, body: CaseCreate) -> dict[str, Any]:
    """Determine responsibility for an application of the principal's state and keep the result
    with its explanation."""
    require(principal, *CASE_RECORDERS)
    ms = _own_state(principal)
    facts = facts_of(body.facts)
    if facts.registered_in != ms:
        raise ValidationProblem.one(
            "facts.application.registered_in",
            f"is {facts.registered_in}: you can only record applications registered in {ms}")
    result = determine_facts(facts)
    with services.uow() as uow:
        if facts.registered_on > uow.now.date():
            raise ValidationProblem.one("facts.application.registered_on",
                                        "an application cannot be registered on a future date")
        same = uow.conn.execute(select(dublin_cases.c.id).where(
            dublin_cases.c.member_state == ms, dublin_cases.c.reference == body.reference)).scalar()
        if same is not None:
            raise Conflict(f"{ms} already has a Dublin case with reference {body.reference!r} ({same})")
        name = body.applicant_name
        if body.person_id is not None:
            registry.check_own_person(uow.conn, body.person_id, ms)
            if not (name or "").strip():  # as the demo's cases: the name of the latest identity record
                name = _name_of(uow.conn, body.person_id)
        case_id = new_id("dbc")
        row = {
            "id": case_id, "reference": body.reference, "person_id": body.person_id,
            "applicant_name": name, "member_state": ms,
            "registered_on": facts.registered_on,
            "facts": body.facts.model_dump(mode="json", by_alias=True, exclude_none=True),
            "regime": result.regime, "responsible_member_state": result.responsible_member_state,
            "criterion": result.criterion, "legal_basis": list(result.legal_basis),
            "trace": result.trace_list(), "created_by": principal.username,
            "created_at": uow.now, "version": 1,
        }
        uow.conn.execute(insert(dublin_cases).values(**row))
        uow.audit(principal, "responsibility.case_determined", "dublin_case", case_id,
                  after={"reference": body.reference, "responsible": result.responsible_member_state,
                         "criterion": result.criterion, "regime": result.regime})
        uow.commit()
    return get_case(services, principal, case_id, channel=None)


def apply_discretionary_clause(services: Services, principal: Principal, case_id: str,
                               body: DiscretionaryClause) -> dict[str, Any]:
    """``POST /api/v1/responsibility/cases/{id}/discretionary-clause``: the case's state decides to
    examine the application itself although another state is responsible under the criteria
    (Dublin III Art 17(1); AMMR Art 35(1)). In one unit of work: every request of the case still
    running (awaiting a reply, refused and open to re-examination, accepted, transfer decided or
    arranged) is withdrawn with a timeline event saying why, which the state asked sees; the case's
    responsibility passes to the state with a trace step citing the clause (the state becomes
    responsible and assumes the obligations, second subparagraph); "responsible now" names it.

    Who: the state's caseworkers and Dublin unit (:data:`CASE_RECORDERS`): the decision to examine
    is the asylum authority's, recorded on the case its officers record. Refused: another state's
    case (404); ``on`` after today, before the registration or before the state's own latest act on
    the case's requests (422 on ``on``); a stale ``version``
    (409); a transfer already carried out (409: the person is in the other state, which examines
    the application); a case whose state is already responsible (409: nothing to apply)."""
    require(principal, *CASE_RECORDERS)
    ms = _own_state(principal)
    with services.uow() as uow:
        conn = uow.conn
        c = _own_case(conn, case_id, ms)
        today = uow.now.date()
        on = body.on or today
        if on > today:
            raise ValidationProblem.one("on", f"{on.isoformat()} is after today ({today.isoformat()}): record the "
                                              "discretionary clause once the state has decided to examine the application")
        if on < c.registered_on:
            raise ValidationProblem.one("on", f"{on.isoformat()} is before the application was registered "
                                              f"({c.registered_on.isoformat()})")
        _sweep(uow, today=today, where=R.c.case_id == case_id)
        rows = list(conn.execute(select(R).where(R.c.case_id == case_id).order_by(R.c.created_at)))
        now = _responsible_now(c, rows, today, _offsets_of(conn, [case_id]).get(case_id),
                               _hits_of(conn, [case_id]).get(case_id, []), _examined_of(conn, [c]).get(c.id),
                               _ceased_of(conn, [c]).get(c.id),
                               _issued_of(conn, [c]).get(c.id))
        refused = clause_refusal(ms, now.member_state, now.reason, now.legal_basis, _transfers(rows))
        if refused is not None:  # transferred, or already responsible: the case page says the same
            raise Conflict(refused)
        if c.version != body.version:
            raise Conflict(f"Dublin case {c.reference} was changed by someone else (version {c.version}, you "
                           f"acted on version {body.version}); reload it and decide again")
        E = dublin_request_events
        # the state's own latest act on the case's requests: the day it decided is not before it
        last = conn.execute(select(E.c.at, E.c.action, E.c.request_id).where(
            E.c.request_id.in_([r.id for r in rows]), E.c.authority == ms)
            .order_by(E.c.at.desc(), E.c.id.desc()).limit(1)).first()
        acted_on = stored_day(last.at, ms) if last is not None else None  # the day on the state's clock
        if last is not None and acted_on is not None and on < acted_on:
            raise ValidationProblem.one("on", f"{on.isoformat()} is before {ms}'s own latest act on this case's "
                                              f"requests ({code_words(last.action)} on "
                                              f"{acted_on.isoformat()}, request {last.request_id}): a state "
                                              "that decided to examine the application would not have acted on "
                                              "its requests after it; give the day it decided")
        running = [r for r in rows if r.status not in proc.CLOSED]
        step = discretionary_clause_step(c.regime, member_state=ms, previously=now.member_state, on=on,
                                         reasons=body.reasons, determined=c.responsible_member_state,
                                         requests_ended=[(r.id, r.requested_member_state) for r in running])
        why = (f"{ms} decided on {on.isoformat()} to examine the application itself under the discretionary "
               f"clause ({'; '.join(step['legal_basis'])}): {ms} is responsible and this request ends")
        for r in running:
            target = proc.next_status(r.kind, r.status, "withdraw")
            update_versioned(conn, R, r.id, r.version, {
                "status": target, "closed_on": today, "responsible_member_state": ms, "updated_at": uow.now})
            _event(uow, principal, r.id, case_id, "discretionary_clause", r.status, target,
                   {"rule": why, "reasons": body.reasons, "on": on.isoformat(), "legal_basis": step["legal_basis"]})
        # The determination stays as made (the contract: the state the criteria designated, its
        # criterion and articles); the clause is a step of the case's trace, from which
        # "responsible now" and ``discretionary_clause`` read it.
        update_versioned(conn, dublin_cases, case_id, c.version, {"trace": [*(c.trace or []), step]})
        uow.audit(principal, "responsibility.discretionary_clause", "dublin_case", case_id,
                  before={"responsible_now": now.member_state, "rule": now.rule, "version": c.version},
                  after={"responsible_member_state": ms, "on": on.isoformat(), "reasons": body.reasons,
                         "legal_basis": step["legal_basis"],
                         "requests_withdrawn": [r.id for r in running]})
        uow.commit()
    return get_case(services, principal, case_id, channel=None)


def _own_case(conn: Connection, case_id: str, ms: str) -> Any:
    """The Dublin case ``case_id`` recorded by ``ms`` (a row of ``dublin_cases``); another state's
    or none: 404, as a case the principal may not see."""
    c = conn.execute(select(dublin_cases).where(dublin_cases.c.id == case_id)).first()
    if c is None or c.member_state != ms:
        raise NotFound(f"Dublin case {case_id} not found")
    return c


# --- Hits received before a request ------------------------------------------------------------


def record_hit(services: Services, principal: Principal, case_id: str, body: HitCreate) -> dict[str, Any]:
    """``POST /api/v1/responsibility/cases/{id}/hits``: the case's Dublin unit records a Eurodac (or,
    under the AMMR, VIS) hit it received, before any request. From then on the time limit of the
    request the hit concerns (:data:`~pactum.responsibility.request_limits.HIT_RUNS`) runs from it
    on the case page, in ``request_limits``, "Responsible now", the request form and the refusal
    of a late request: under the AMMR one month from a hit with data of an irregular crossing or a
    search-and-rescue disembarkation, or a VIS hit, in place of the two months from the
    registration (Art 39(1), second subparagraph); under Dublin III two months from a hit with
    irregular-crossing data within the three months from the lodging (Art 21(1), second
    subparagraph), two months from a hit with an earlier application's data for a take back
    (Art 23(2)).

    Who: the Dublin unit of the case's state. Refused: another state's case (404); ``hit_on``
    after today, before a Eurodac regulation applied, or before the application was registered
    (lodged); ``member_state`` not a Member State or the case's own; a Eurodac hit without its
    ``category``, a VIS hit with one; a hit from which the case's regime runs no request's time
    limit (422, naming the field); the case closed to requests (the applicant transferred, or the
    case's state responsible by the discretionary clause, an offset or a missed transfer period), a
    hit that would reopen a time limit that has passed (the state of registration is responsible)
    or the same hit already recorded (409). Returns the case."""
    require(principal, Role.dublin_unit)
    ms = _own_state(principal)
    with services.uow() as uow:
        conn = uow.conn
        c = _own_case(conn, case_id, ms)
        today = uow.now.date()
        problems: list[tuple[str, str]] = []
        other = None
        try:
            other = normalise_state(body.member_state)
        except ValueError as e:
            problems.append(("member_state", str(e)))
        if other == ms:
            problems.append(("member_state", f"is your own state ({ms}): the hit points to the Member State whose "
                                             "data it matched, another than the one the application was made in"))
        runs = None
        if body.source == "eurodac" and body.category is None:
            problems.append(("category", "the category of the Eurodac data the hit matched is required "
                                         "(irregular_crossing, sar, applicant, ...)"))
        elif body.source == "vis" and body.category is not None:
            problems.append(("category", "a VIS hit has no Eurodac category: leave it out"))
        else:
            runs = hit_runs(c.regime, body.source, body.category)
            if runs is None:
                problems.append(("source" if body.source == "vis" else "category",
                                 hit_runs_nothing(c.regime, body.source, body.category)))
        if body.hit_on > today:
            problems.append(("hit_on", "is in the future"))
        elif body.source == "eurodac" and (unknown := _no_eurodac_on(body.hit_on)):
            problems.append(("hit_on", unknown))
        elif body.hit_on < c.registered_on:
            problems.append(("hit_on", _hit_before_application(c.regime, body.hit_on, c.registered_on)
                             if body.source == "eurodac" else
                             f"{body.hit_on.isoformat()} is before the application was registered "
                             f"({c.registered_on.isoformat()}): the month runs from a hit received on the "
                             "application; check the date"))
        if problems or runs is None:
            raise ValidationProblem(problems)
        _sweep(uow, today=today, where=R.c.case_id == case_id)
        rows = list(conn.execute(select(R).where(R.c.case_id == case_id).order_by(R.c.created_at)))
        hits = _hits_of(conn, [case_id]).get(case_id, [])
        now = _responsible_now(c, rows, today, _offsets_of(conn, [case_id]).get(case_id), hits,
                               _examined_of(conn, [c]).get(c.id),
                               _ceased_of(conn, [c]).get(c.id),
                               _issued_of(conn, [c]).get(c.id))
        barred = hit_barred(ms, [(r.requested_member_state, r.id) for r in rows if r.status == "transferred"],
                            now.member_state, now.rule, now.reason, now.legal_basis)
        if barred is not None:
            raise Conflict(barred)
        kind = runs[0]
        if kind in LIMIT_KIND and proc.kind_allowed(kind, c.regime):
            # a time limit that has passed has moved responsibility (AMMR Art 39(1), third
            # subparagraph; Dublin III Arts 21(1), third subparagraph, 23(3)): a hit recorded now
            # may date it earlier, not reopen it; where no hit was known and a period from one may
            # still run, the hit is what the request needs (``only_with_eurodac_hit``)
            current = case_request_limit(c, rows, kind, hits)
            after = request_limit(c.regime, kind, c.registered_on, ms, body.hit_on, hit_source=body.source)
            if today > current.last_day and not current.hit_may_extend and after.last_day > current.last_day:
                raise Conflict(f"the time limit for a {_KIND_WORDS[kind]} ended on {current.words()}: {ms} is "
                               f"responsible ({current.lapse_basis}); a hit received since does not reopen it")
        same = next((h for h in hits if (h.hit_on, h.source, h.category, h.member_state)
                     == (body.hit_on, body.source, body.category, other)), None)
        if same is not None:
            raise Conflict(f"this hit is already recorded on case {c.reference} ({same.id}, by {same.recorded_by} on "
                           f"{stored_day(same.recorded_at, ms).isoformat()})")
        hid = new_id("dbh")
        conn.execute(insert(dublin_hits).values(
            id=hid, case_id=case_id, source=body.source, category=body.category, member_state=other,
            hit_on=body.hit_on, reference=(body.reference or "").strip() or None, kind=runs[0],
            recorded_by=principal.username, recorded_at=uow.now))
        uow.audit(principal, "responsibility.hit_recorded", "dublin_case", case_id,
                  after={"hit": hid, "source": body.source, "category": body.category, "member_state": other,
                         "hit_on": body.hit_on.isoformat(), "runs": runs[0], "legal_basis": runs[1]})
        uow.commit()
    return get_case(services, principal, case_id, channel=None)


# --- Residence documents and visas issued by the state ---------------------------------------------


def _own_person(conn: Connection, person_id: str, ms: str) -> None:
    """``person_id`` must be a person of ``ms``'s registry: another state's or none is 404, as a
    person the principal may not see."""
    from pactum.store.tables.registry import persons

    if conn.execute(select(persons.c.member_state).where(persons.c.id == person_id)).scalar() != ms:
        raise NotFound(f"no person {shortened(person_id)!r} registered in {ms}")


def _own_document(conn: Connection, document_id: str, ms: str) -> Any:
    """The document record ``document_id`` of ``ms``; another state's or none: 404."""
    D = dublin_documents
    row = conn.execute(select(D).where(D.c.id == document_id)).first()
    if row is None or row.member_state != ms:
        raise NotFound(f"no residence document or visa {shortened(document_id)!r} recorded by {ms}")
    return row


def _document_public(row: Any, used_by: Sequence[Any] = ()) -> dict[str, Any]:
    return {"id": row.id, "person_id": row.person_id, "issued_by": row.member_state, "kind": row.kind,
            "number": row.number, "issued_on": row.issued_on.isoformat(),
            "valid_from": row.valid_from.isoformat(), "valid_until": row.valid_until.isoformat(),
            "visa_type": row.visa_type, "issued_on_behalf_of": row.issued_on_behalf_of,
            "recorded_by": row.recorded_by, "recorded_at": as_utc(row.recorded_at).isoformat(),
            "corrected_by": row.corrected_by,
            "corrected_at": as_utc(row.corrected_at).isoformat() if row.corrected_at else None,
            "withdrawn": row.withdrawn_at is not None, "withdrawn_by": row.withdrawn_by,
            "withdrawn_reason": row.withdrawn_reason, "version": row.version,
            "used_by_cases": [{"id": c.id, "reference": c.reference, "member_state": c.member_state}
                              for c in used_by]}


def _cases_using(conn: Connection, document_id: str) -> list[Any]:
    """The recorded Dublin cases, of any state, whose facts took the document in (the draft gives
    it as ``documents[i].record_id``): they were determined on it."""
    from sqlalchemy import String, cast

    rows = conn.execute(select(dublin_cases.c.id, dublin_cases.c.reference, dublin_cases.c.member_state,
                               dublin_cases.c.facts)
                        .where(cast(dublin_cases.c.facts, String).contains(document_id))
                        .order_by(dublin_cases.c.created_at)).all()
    return [c for c in rows if any(isinstance(d, dict) and d.get("record_id") == document_id
                                   for d in ((c.facts or {}).get("documents") or []))]


def _document_values(body: DocumentRecord, ms: str, today: date) -> dict[str, Any]:
    problems = document_record_problems(body, ms, today)
    if problems:
        raise ValidationProblem(problems)
    return {"kind": body.kind, "number": (body.number or "").strip() or None, "issued_on": body.issued_on,
            "valid_from": body.valid_from, "valid_until": body.valid_until,
            "visa_type": body.visa_type if body.kind == "visa" else None,
            "issued_on_behalf_of": normalise_state(body.issued_on_behalf_of) if body.issued_on_behalf_of else None}


def _audited(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


def record_document(services: Services, principal: Principal, person_id: str, body: DocumentRecord
                    ) -> dict[str, Any]:
    """``POST /api/v1/responsibility/persons/{id}/documents``: the Dublin unit records a residence
    document or visa its Member State issued to a person of its registry (AMMR Art 29; Dublin III
    Art 12). The draft of the facts of a determination for that person, in this state or in another
    whose person a same-person identity link joins to them, then takes it in. Refused: another
    state's person (404); contradictory fields (422 naming them, :func:`document_record_problems`)."""
    require(principal, Role.dublin_unit)
    ms = _own_state(principal)
    with services.uow() as uow:
        conn = uow.conn
        _own_person(conn, person_id, ms)
        values = _document_values(body, ms, local_today(uow.now, ms))
        did = new_id("dbd")
        conn.execute(insert(dublin_documents).values(id=did, person_id=person_id, member_state=ms,
                                                     recorded_by=principal.username, recorded_at=uow.now,
                                                     **values))
        uow.audit(principal, "responsibility.document_recorded", "dublin_document", did,
                  after={"person_id": person_id, "issued_by": ms, **_audited(values)})
        uow.commit()
        row = _own_document(conn, did, ms)
    return _document_public(row)


def person_documents(services: Services, principal: Principal, person_id: str, *,
                     withdrawn: bool = False, channel: str | None = "web") -> list[dict[str, Any]]:
    """``GET /api/v1/responsibility/persons/{id}/documents``: the residence documents and visas the
    principal's state recorded for its person (withdrawn ones only with ``withdrawn``), each with
    the recorded cases that took it into their facts. Another state's person is 404: its documents
    reach another state only through the draft of the facts.

    The list is one read of the person (``services.reads``, ``dublin_documents`` on ``channel``;
    ``None``: an internal read, not logged), as the state's own, also when it is empty (it says that
    the state recorded no document for the person); written last before the commit: a refused (403)
    or missing (404) list logs nothing, and a list whose log cannot be written is not handed out."""
    require(principal, *CASE_READERS)
    ms = _own_state(principal)
    D = dublin_documents
    with services.uow() as uow:
        conn = uow.conn
        _own_person(conn, person_id, ms)
        q = select(D).where(D.c.person_id == person_id, D.c.member_state == ms)
        if not withdrawn:
            q = q.where(D.c.withdrawn_at.is_(None))
        rows = conn.execute(q.order_by(D.c.valid_until.desc(), D.c.id)).all()
        out = [_document_public(r, _cases_using(conn, r.id)) for r in rows]
        if channel is not None:
            reads.record_read(conn, principal, {person_id: ms}, reads.DUBLIN_DOCUMENTS, channel, at=uow.now)
            uow.commit()
        return out


def _changed_after_use(conn: Connection, row: Any, reason: str | None, what: str) -> list[Any]:
    """A document a recorded case was determined on is changed only with a reason (audited); the
    case keeps the facts it was determined on."""
    used = _cases_using(conn, row.id)
    if used and not (reason or "").strip():
        names = ", ".join(f"{c.reference} ({c.member_state})" for c in used)
        raise Conflict(f"the document was taken into the facts of the Dublin case{'s' if len(used) > 1 else ''} "
                       f"{names}: give the reason to {what} it (the case keeps the facts it was determined on)")
    return used


def correct_document(services: Services, principal: Principal, document_id: str, body: DocumentCorrection
                     ) -> dict[str, Any]:
    """``PUT /api/v1/responsibility/documents/{id}``: the issuing state's Dublin unit corrects a
    recorded document (the whole record, with the version it saw: 409 if it changed). Once a
    recorded Dublin case took it into its facts, only with ``reason`` (409 without), audited with
    the cases named; those cases keep the facts they were determined on."""
    require(principal, Role.dublin_unit)
    ms = _own_state(principal)
    with services.uow() as uow:
        conn = uow.conn
        row = _own_document(conn, document_id, ms)
        if row.withdrawn_at is not None:
            raise Conflict(f"the document {document_id} was withdrawn on "
                           f"{stored_day(row.withdrawn_at, ms).isoformat()}: record it again instead")
        values = _document_values(body, ms, local_today(uow.now, ms))
        used = _changed_after_use(conn, row, body.reason, "correct")
        before = {k: getattr(row, k) for k in values}
        update_versioned(conn, dublin_documents, document_id, body.version,
                         {**values, "corrected_by": principal.username, "corrected_at": uow.now})
        uow.audit(principal, "responsibility.document_corrected", "dublin_document", document_id,
                  before=_audited(before), after={**_audited(values), "reason": (body.reason or None),
                                                  "used_by_cases": [c.id for c in used]})
        uow.commit()
        row = _own_document(conn, document_id, ms)
        return _document_public(row, _cases_using(conn, document_id))


def withdraw_document(services: Services, principal: Principal, document_id: str, body: DocumentWithdrawal
                      ) -> dict[str, Any]:
    """``POST /api/v1/responsibility/documents/{id}/withdraw``: a document recorded in error is taken
    back and enters no draft of the facts any more (kept, with who withdrew it and why). Once a
    recorded Dublin case took it in, only with ``reason`` (409 without); the case keeps its facts."""
    require(principal, Role.dublin_unit)
    ms = _own_state(principal)
    with services.uow() as uow:
        conn = uow.conn
        row = _own_document(conn, document_id, ms)
        if row.withdrawn_at is not None:
            raise Conflict(f"the document {document_id} is already withdrawn")
        used = _changed_after_use(conn, row, body.reason, "withdraw")
        update_versioned(conn, dublin_documents, document_id, body.version,
                         {"withdrawn_by": principal.username, "withdrawn_at": uow.now,
                          "withdrawn_reason": (body.reason or "").strip() or None})
        uow.audit(principal, "responsibility.document_withdrawn", "dublin_document", document_id,
                  after={"reason": body.reason or None, "used_by_cases": [c.id for c in used]})
        uow.commit()
        row = _own_document(conn, document_id, ms)
        return _document_public(row, used)


def _draft_documents(conn: Connection, holders: Sequence[tuple[str, str, str | None]]
                     ) -> list[tuple[Any, str | None]]:
    """The documents recorded, not withdrawn, for each ``(person_id, issuing state, link)``: the
    principal's own person (link None) and another state's person a same-person identity link
    joins to them."""
    if not holders:
        return []
    D = dublin_documents
    link_of = {(p, s): lk for p, s, lk in holders}
    rows = conn.execute(select(D).where(D.c.person_id.in_([p for p, _s, _l in holders]),
                                        D.c.withdrawn_at.is_(None))
                        .order_by(D.c.valid_from, D.c.id)).all()
    return [(r, link_of[(r.person_id, r.member_state)]) for r in rows if (r.person_id, r.member_state) in link_of]


def hit_barred(member_state: str, transferred: Sequence[tuple[str, str]], responsible: str, rule: str,
               reason: str, legal_basis: Sequence[str]) -> str | None:
    """Why no hit is recorded on a case of ``member_state`` any more (the 409 of :func:`record_hit`,
    and why the case page leaves out its form), or ``None``: the applicant was transferred on one
    of its requests (``transferred``: the state asked and the request's id, in the order sent), or
    the case's state became responsible by a missed transfer period, an offset or the
    discretionary clause, or by examining the application (rule ``examined``: no take charge or take
    back lies then) (``responsible``, ``rule``, ``reason``, ``legal_basis``: who is responsible now
    and why). Either way no request a hit runs the time limit of lies on the case again."""
    if transferred:
        to, request_id = transferred[-1]
        return (f"the applicant was transferred to {to} on this case (request {request_id}): no request lies on "
                "it any more, and a hit runs no time limit")
    if responsible == member_state and rule in _NO_REQUEST_AFTER:
        return (f"{member_state} is responsible now: {with_basis(reason, legal_basis)}; no request lies on this "
                "case any more, and a hit runs no time limit")
    if responsible == member_state and rule == "examined":
        # the state examined the application: no take charge or take back lies, and a hit runs the
        # time limit of those only (a humanitarian-clause request has none)
        return (f"{member_state} is responsible now: {with_basis(reason, legal_basis)}; no take-charge or "
                "take-back request lies on this case any more, and a hit runs no time limit")
    return None


def _hit_effect(c: Any, h: Any) -> tuple[str, date | None]:
    """What hit ``h`` (a row of ``dublin_hits``) does on case ``c``, in words, and the last day of
    the request it runs (from the hit alone; the case's ``request_limits`` says which hit decides)."""
    runs = hit_runs(c.regime, h.source, h.category)
    if runs is None:  # not recorded so; said rather than failed
        return hit_runs_nothing(c.regime, h.source, h.category), None
    kind, basis = runs
    what = _KIND_WORDS.get(kind, kind)
    label = f"{HIT_SOURCE_WORDS.get(h.source, 'Eurodac')} hit"
    if kind in LIMIT_KIND:
        lim = request_limit(c.regime, kind, c.registered_on, c.member_state, h.hit_on,
                            on_hit=True if kind == "take_back" else None, hit_source=h.source)
        from_reg = "lodging" if c.regime == "dublin_iii" else "registration"
        if lim.from_hit:
            compare = ("earlier than" if lim.last_day < lim.registration_day
                       else "later than" if lim.last_day > lim.registration_day else "the same day as")
            replaces = ("in place of" if (c.regime, kind) in {("ammr", "take_charge"), ("dublin_iii", "take_charge")}
                        else "besides")
            return (f"a {what} lies until {lim.last_day.isoformat()}, {lim.result.period} from this {label} "
                    f"({basis}), {replaces} the period from the {from_reg} ending on "
                    f"{lim.registration_day.isoformat()} ({compare} it)"), lim.last_day
        return (f"the {lim.result.period} from this {label} would run past the three months from the lodging, "
                f"which the period from a hit may not (CJEU C-670/16 Mengesteab): a {what} lies until "
                f"{lim.words()}"), lim.last_day
    day, _info = _limit(_REQUEST_LIMIT[kind], h.hit_on, c.member_state, c.registered_on, eurodac_hit=True)
    return (f"a {what} is due by {day.isoformat()}, two weeks from this {label} ({basis}); sent later it still "
            "obliges the state notified"), day


def _hit_public(c: Any, h: Any, bars: Mapping[str, RequestBar] | None = None) -> dict[str, Any]:
    """A recorded hit as the case shows it; ``bars``: the case's :func:`request_bars`, which say
    when the request the hit runs does not lie now (a request running, a transfer, the state
    responsible), so that its effect does not read as if it did."""
    effect, last_day = _hit_effect(c, h)
    runs = hit_runs(c.regime, h.source, h.category)
    barred = (bars or {}).get(runs[0]) if runs else None
    if barred is not None and not barred.hit_only:
        effect = f"{effect}; but no {_KIND_WORDS.get(barred.kind, barred.kind)} lies on this case now: " \
                 f"{barred.briefly or barred.reason}"
    return {"id": h.id, "source": h.source, "category": h.category, "member_state": h.member_state,
            "hit_on": h.hit_on.isoformat(), "reference": h.reference, "kind": h.kind,
            "last_day": last_day.isoformat() if last_day else None, "effect": effect,
            "legal_basis": [runs[1]] if runs else [], "recorded_by": h.recorded_by,
            "recorded_at": as_utc(h.recorded_at).isoformat()}


def _hit_event(c: Any, h: Any) -> dict[str, Any]:
    """A recorded hit as an entry of the case's timeline."""
    return {"at": as_utc(h.recorded_at).isoformat(), "actor": h.recorded_by, "authority": c.member_state,
            "action": "hit_recorded", "from_status": None, "to_status": None, "request_id": None,
            "details": {"source": h.source, "category": h.category, "member_state": h.member_state,
                        "hit_on": h.hit_on.isoformat(), "reference": h.reference}}


def _request_limits_public(c: Any, rows: Sequence[Any], hits: Sequence[Any]) -> list[dict[str, Any]]:
    """The last day of each request of the case's regime whose lateness moves responsibility (take
    charge; Dublin III take back), from the registration (lodging) and the hit the case knows
    (:func:`case_request_limit`): the day the case page, the request form and "Responsible now"
    say."""
    out = []
    for kind in LIMIT_KIND:
        if not proc.kind_allowed(kind, c.regime):
            continue
        lim = case_request_limit(c, rows, kind, hits)
        found = latest_hit(kind, _stated(rows), _recorded(hits, c.member_state))
        # Dublin III take back (Art 23(2)): a period for each basis. Where the two months from the
        # hit end before the three months from the lodging, the case's last day is that of a
        # request on other evidence; the request on the hit ends earlier, and the case says so
        on_hit = None
        if lim.hit_on is not None and not lim.from_hit and (c.regime, kind) not in HIT_REPLACES:
            on_hit = request_limit(c.regime, kind, c.registered_on, c.member_state, lim.hit_on, on_hit=True,
                                   hit_source=lim.hit_source)
        out.append({"kind": kind, "last_day": lim.last_day.isoformat(), "from_hit": lim.from_hit,
                    "on_hit_last_day": on_hit.last_day.isoformat() if on_hit else None,
                    "on_hit_words": on_hit.words() if on_hit else None,
                    "hit_on": lim.hit_on.isoformat() if lim.hit_on else None,
                    "hit_source": lim.hit_source if lim.hit_on else None,
                    "hit_recorded_on": found.recorded_on.isoformat() if found and found.recorded_on else None,
                    # the request that stated the hit, where the case learnt it from one (not recorded)
                    "hit_request": _stating_request(rows, kind) if found and found.recorded_on is None else None,
                    "registration_day": lim.registration_day.isoformat(), "words": lim.words(),
                    "legal_basis": lim.legal_basis, "lapse_basis": lim.lapse_basis})
    return out


def _stating_request(rows: Sequence[Any], kind: str) -> dict[str, Any] | None:
    """The request of ``kind`` whose stated hit the case knows (:func:`latest_hit` among requests:
    the latest sent that states one): its id, the state it went to and the day it was sent."""
    stating = [r for r in rows if r.kind == kind and r.eurodac_hit and r.hit_on is not None]
    if not stating:
        return None
    r = sorted(stating, key=lambda r: r.sent_on)[-1]
    return {"id": r.id, "requested_member_state": r.requested_member_state, "sent_on": r.sent_on.isoformat()}


def _transfers(rows: Sequence[Any]) -> list[tuple[str, str | None, str]]:
    """The case's requests on which the applicant was transferred, as
    :func:`~pactum.responsibility.current.clause_refusal` reads them."""
    out = []
    for r in rows:
        if r.status == "transferred":
            day = r.transferred_on or r.closed_on
            out.append((r.requested_member_state, day.isoformat() if day else None, r.id))
    return out


def _record_name(record: Any) -> str | None:
    """The name of an identity record as the case shows it: given names then surname, in Latin
    script where the record has it."""
    return " ".join(x for x in (record.given_names_latin or record.given_names,
                                record.surname_latin or record.surname) if x) or None


def _name_of(conn: Connection, person_id: str) -> str | None:
    """The name of the person's latest identity record."""
    from pactum.store.tables.registry import identity_records as I

    latest = conn.execute(select(I.c.given_names, I.c.given_names_latin, I.c.surname, I.c.surname_latin)
                          .where(I.c.person_id == person_id)
                          .order_by(I.c.recorded_on.desc(), I.c.id.desc()).limit(1)).first()
    return None if latest is None else _record_name(latest)


def _case_visible(conn: Connection, principal: Principal, case_row: Any) -> bool:
    ms = principal.member_state
    if ms is None:
        return False
    if case_row.member_state == ms:
        return True
    other = conn.execute(select(func.count()).select_from(R).where(
        R.c.case_id == case_row.id,
        or_(R.c.requested_member_state == ms, R.c.requesting_member_state == ms))).scalar()
    return bool(other)


def get_case(services: Services, principal: Principal, case_id: str, *,
             channel: str | None = "web") -> dict[str, Any]:
    """A case with its determination, explanation, requests and timeline. A state asked on the
    case (not the one that recorded it) sees the requests between it and the requesting state
    only, and who is responsible as those requests establish: not the requests to third states.
    The read is logged (``services.reads``, on ``channel``; ``None``: an internal read, not
    logged), the applicant as the recording state's person."""
    require(principal, *CASE_READERS)
    with services.uow() as uow:
        conn = uow.conn
        c = conn.execute(select(dublin_cases).where(dublin_cases.c.id == case_id)).first()
        if c is None or not _case_visible(conn, principal, c):
            raise NotFound(f"Dublin case {case_id} not found")
        _sweep(uow, today=uow.now.date(), where=R.c.case_id == case_id)
        rows = list(conn.execute(select(R).where(R.c.case_id == case_id).order_by(R.c.created_at)))
        if principal.member_state != c.member_state:
            rows = [r for r in rows if _request_visible(principal, r)]
        requests = [_request_public(r, uow.now.date()) for r in rows]
        own = principal.member_state == c.member_state
        # the hits the case's own Dublin unit recorded: its file, as its requests are
        hits = _hits_of(conn, [c.id]).get(c.id, [])
        now = _responsible_now(c, rows, uow.now.date(), _offsets_of(conn, [c.id]).get(c.id), hits,
                               _examined_of(conn, [c]).get(c.id),
                               _ceased_of(conn, [c]).get(c.id),
                               _issued_of(conn, [c]).get(c.id))
        events = conn.execute(select(dublin_request_events).where(
            dublin_request_events.c.request_id.in_([r.id for r in rows]))
            .order_by(dublin_request_events.c.at, dublin_request_events.c.id))
        timeline = [{"at": as_utc(c.created_at).isoformat(), "actor": c.created_by, "authority": c.member_state,
                     "action": "determined", "to_status": None,
                     "details": {"responsible_member_state": c.responsible_member_state,
                                 "criterion": c.criterion}}]
        kinds = {r.id: r.kind for r in rows}
        timeline += [{"at": as_utc(e.at).isoformat(), "actor": e.actor, "authority": e.authority,
                      "action": e.action, "from_status": e.from_status, "to_status": e.to_status,
                      **_status_words(kinds.get(e.request_id, ""), e.from_status, e.to_status),
                      "request_id": e.request_id, "details": e.details} for e in events]
        if own and hits:
            timeline = sorted(timeline + [_hit_event(c, h) for h in hits], key=lambda e: str(e["at"]))
        own_app = asylum_case_of(conn, c) if principal.member_state == c.member_state else None
        if own_app is not None:
            # a request still standing that this examination overtook, singled out beside the form
            own_app["overtaken_request"] = _overtaken_public(now, rows, c.member_state)
        # whether a request lies, and why not, by the rule that refuses one (the recording state's)
        bars = request_bars(conn, c, rows, uow.now.date(), now, hits) if own else {}
        hint = _document_hint(conn, c, rows, now, local_today(uow.now, c.member_state), bars) if own else None
        relocated = _relocation_hint(conn, c, rows, now, bars) if own else None
        lies = _lies(c, bars) if own else None
        limits = _request_limits_public(c, rows, hits) if own else None
        if channel is not None:  # logged with the read, committed with the sweep
            reads.record_read(conn, principal, {c.person_id: c.member_state} if c.person_id else {},
                              reads.DUBLIN_CASE, channel, at=uow.now, record_id=case_id)
        uow.commit()
    return {
        "id": c.id, "reference": c.reference, "person_id": c.person_id,
        "applicant_name": c.applicant_name, "member_state": c.member_state,
        "registered_on": c.registered_on.isoformat(), "facts": c.facts,
        "determination": {"responsible_member_state": c.responsible_member_state,
                          "regime": c.regime, "criterion": c.criterion,
                          "criterion_label": proc.criterion_label(c.criterion),
                          "legal_basis": c.legal_basis, "trace": c.trace},
        # the warning is the recording state's to act on (withdraw its request): not the state asked's
        "responsible_now": {**now.to_json(), "warning": now.warning if own else None},
        "discretionary_clause": _clause_public(c.trace),
        # the application's asylum case, for the state that recorded the case (its own file)
        "asylum_case": own_app,
        # whether a request (take charge, take back, notification, humanitarian clause) lies on the
        # case and why not, by kind, for the state that recorded it: the rule send_request refuses by
        "new_request": lies,
        # the Eurodac and VIS hits recorded on the case before a request, and the last day of each
        # time-limited request they and the registration give (the recording state's)
        "hits": [_hit_public(c, h, bars) for h in hits] if own else None,
        "request_limits": limits,
        # before a take back is sent: a residence document another state issued, on the records,
        # which would end it on its ground (Dublin III Art 20(5); AMMR Art 38(4), second
        # subparagraphs); read for this case only, not in the lists
        "residence_document_elsewhere": hint,
        # before a take-back notification is sent: a relocation on the records that obliges the
        # Member State of relocation to take the person back (AMMR Art 38(5))
        "relocation_take_back": relocated,
        "requests": requests, "timeline": timeline, "version": c.version,
    }


#: The take-back ground a residence document of another state ends, as the case page names it
#: before a request: what must also be so for the document to end the take back.
_HINT_CONDITION = {
    "dublin_iii": ("withdrawn_during_determination",
                   "if the person withdrew the application there while the Member State responsible was being "
                   "determined"),
    "ammr": ("during_determination",
             "if the application registered there is still in the determination of the Member State responsible, "
             "which it started and has not yet indicated in Eurodac"),
}


def _document_hint(conn: Connection, c: Any, rows: Sequence[Any], now: ResponsibleNow,
                   today: date, bars: Mapping[str, RequestBar]) -> dict[str, Any] | None:
    """The case page's hint before a take back is sent (``None`` otherwise): the state the
    determination designates is one where the person applied before (a take back, not a take
    charge), no request of the case stands or ended but by withdrawal, and the records hold a
    residence document another Member State issued after that application
    (:func:`_document_issued_elsewhere`, the rule a refusal or contest on ``residence_document``
    applies): on the take-back ground of :data:`_HINT_CONDITION` the document ends the obligation to
    take the person back, which the state asked establishes; not where no take back lies any more
    (``bars``, :func:`request_bars`). One query, for the case read only."""
    kind = "take_back_notification" if c.regime == "ammr" else "take_back"
    if kind in bars and not bars[kind].hit_only:
        return None
    asked = c.responsible_member_state
    if asked is None or asked == c.member_state or c.person_id is None or now.rule == CEASED_RULE:
        return None
    if any(r.status != "withdrawn" for r in rows):
        return None
    applied = [e for e in (c.facts or {}).get("earlier_applications") or []
               if isinstance(e, dict) and e.get("member_state") == asked]
    if not applied:
        return None
    doc = _document_issued_elsewhere(conn, c, asked, today)
    if doc is None:
        return None
    regime = "ammr" if c.regime == "ammr" else "dublin_iii"
    ground, condition = _HINT_CONDITION[regime]
    what = "take-back notification" if regime == "ammr" else "take-back request"
    answer = "contest" if regime == "ammr" else "refuse"
    cite = cessation_basis("residence_document", c.regime, ground)
    words = _elsewhere_words(doc)
    return {"record_id": doc.id, "issued_by": doc.member_state, "issued_on": doc.issued_on.isoformat(),
            "requested_member_state": asked, "kind": kind, "take_back_ground": ground, "legal_basis": cite,
            "words": words,
            "hint": f"On the platform's records, {words}: {condition}, {asked}'s obligation to take the person back "
                    f"ends ({cite}), and {asked} may {answer} a {what} on take-back ground {ground} on that ground"}


def _clause_public(trace: Any) -> dict[str, Any] | None:
    """The discretionary clause applied on the case, as its trace records it (None if not applied):
    who decided on which day, who was responsible before, the state the determination designated,
    the reasons and the articles."""
    step = next((s for s in reversed(trace or []) if isinstance(s, dict) and s.get("rule") == "discretionary_clause"),
                None)
    if step is None:
        return None
    f = step.get("facts") or {}
    return {"member_state": f.get("member_state"), "on": f.get("on"),
            "previously_responsible": f.get("previously_responsible"), "determined": f.get("determined"),
            "reasons": f.get("reasons"), "requests_withdrawn": f.get("requests_withdrawn") or [],
            "legal_basis": step.get("legal_basis") or [], "outcome": step.get("outcome")}


#: The most Dublin cases one page of the list holds (``limit``), and its default.
CASES_PAGE_MAX = 1000
CASES_PAGE_DEFAULT = 200


def cases_page(services: Services, principal: Principal, *, limit: int = CASES_PAGE_DEFAULT,
               offset: int = 0, person_id: str | None = None, channel: str | None = None) -> dict[str, Any]:
    """The Dublin cases of the principal's state, the latest first: ``limit`` cases
    (1–:data:`CASES_PAGE_MAX`) from ``offset``, with ``total`` the number there are (the list
    stopped at 200 without saying so). ``person_id`` narrows them to one registered person's.
    The page's applicants are logged as read (``services.reads``, one read on ``channel``, each
    case's person as the recording state's; ``None``: an internal read, not logged; a page that
    shows no registered person logs nothing)."""
    require(principal, *CASE_READERS)
    problems = page_problems(limit, offset, CASES_PAGE_MAX)
    if problems:
        raise ValidationProblem(problems)
    q = select(dublin_cases).where(dublin_cases.c.member_state == _own_state(principal))
    if person_id:
        q = q.where(dublin_cases.c.person_id == person_id)
    with services.uow() as uow:
        conn = uow.conn
        today = uow.now.date()
        total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        cases = list(conn.execute(q.order_by(dublin_cases.c.created_at.desc(), dublin_cases.c.id.desc())
                                  .limit(limit).offset(offset)))
        ids = [c.id for c in cases]
        by_case: dict[str, list[Any]] = {}
        if ids:
            # lapsed deadlines applied first, as on the case page (the same code, these cases' rows)
            _sweep(uow, today=today, where=R.c.case_id.in_(ids))
            for r in conn.execute(select(R).where(R.c.case_id.in_(ids)).order_by(R.c.created_at)):
                by_case.setdefault(r.case_id, []).append(r)
        offsets = _offsets_of(conn, ids)
        hits_by_case = _hits_of(conn, ids)
        examined = _examined_of(conn, cases)
        ceased = _ceased_of(conn, cases)
        issued = _issued_of(conn, cases)
        shown = {c.person_id: c.member_state for c in cases if c.person_id}
        # logged with the read, committed with the sweep
        reads.record_list_read(uow, principal, shown, reads.DUBLIN_CASE_LIST, channel,
                               criteria=reads.criteria_given(person_id=person_id or ""))
        uow.commit()
    out = []
    for c in cases:
        now = _responsible_now(c, by_case.get(c.id, []), today, offsets.get(c.id), hits_by_case.get(c.id, []),
                               examined.get(c.id), ceased.get(c.id), issued.get(c.id))
        out.append({"id": c.id, "reference": c.reference, "applicant_name": c.applicant_name,
                    "person_id": c.person_id,
                    "member_state": c.member_state, "registered_on": c.registered_on.isoformat(),
                    "regime": c.regime, "responsible_member_state": c.responsible_member_state,
                    "criterion": c.criterion, "criterion_label": proc.criterion_label(c.criterion),
                    "responsible_now": {"member_state": now.member_state, "reason": now.reason,
                                        "shifted": now.shifted, "rule": now.rule, "warning": now.warning}})
    return {"cases": out, "total": total, "offset": offset, "limit": limit}


def _offsets_of(conn: Connection, case_ids: Sequence[str]) -> dict[str, OffsetTaken]:
    """The responsibility offsets (AMMR Arts 63, 69) taken over on these cases, by case."""
    from pactum.store.tables.solidarity import solidarity_cycles as Y
    from pactum.store.tables.solidarity import solidarity_offsets as O

    out: dict[str, OffsetTaken] = {}
    ids = list(case_ids)
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for o in conn.execute(select(O.c.case_id, O.c.contributor_member_state, O.c.beneficiary_member_state,
                                     O.c.taken_over_on, O.c.legal_basis, O.c.mandatory, Y.c.year)
                              .select_from(O.join(Y, Y.c.id == O.c.cycle_id))
                              .where(O.c.case_id.in_(chunk)).order_by(O.c.taken_over_on)):
            out[o.case_id] = OffsetTaken(o.contributor_member_state, o.beneficiary_member_state, o.taken_over_on,
                                         tuple(o.legal_basis or ()), o.year, bool(o.mandatory))
    return out


def current_responsibility(conn: Connection, cases: Sequence[Any], today: date
                           ) -> dict[str, tuple[ResponsibleNow, list[Any]]]:
    """For each case row: who is responsible on ``today`` (as its page says) and its requests still
    running (any status but closed: awaiting a reply, refused and open to re-examination, accepted,
    transfer decided or arranged). For the solidarity offsets, which may take over an application
    only while the benefitting state is responsible for it and no Dublin procedure runs on it."""
    ids = [c.id for c in cases]
    by_case: dict[str, list[Any]] = {}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for r in conn.execute(select(R).where(R.c.case_id.in_(chunk)).order_by(R.c.created_at)):
            by_case.setdefault(r.case_id, []).append(r)
    offsets = _offsets_of(conn, ids)
    hits = _hits_of(conn, ids)
    examined = _examined_of(conn, cases)
    ceased = _ceased_of(conn, cases)
    issued = _issued_of(conn, cases)
    return {c.id: (_responsible_now(c, by_case.get(c.id, []), today, offsets.get(c.id), hits.get(c.id, []),
                                    examined.get(c.id), ceased.get(c.id), issued.get(c.id)),
                   [r for r in by_case.get(c.id, []) if r.status not in proc.CLOSED]) for c in cases}


def _examined_of(conn: Connection, cases: Sequence[Any]) -> dict[str, Examined]:
    """The cases whose own state decided the application at first instance and notified the
    decision (the asylum case :func:`asylum_case_of` chooses: the person's application in the
    case's state made on or before the case's day, the latest, or the earliest when all are later),
    by case id: what "Responsible now" reads for Dublin III Art 3(1) / AMMR Art 16(1) as CJEU
    C-56/17 Fathi reads it (:func:`pactum.responsibility.current.responsible_now`)."""
    from pactum.store.tables.procedures import asylum_applications as A

    wanted = [c for c in cases if c.person_id is not None]
    apps: dict[tuple[str, str], list[Any]] = {}
    people = sorted({c.person_id for c in wanted})
    for chunk in (people[i:i + 500] for i in range(0, len(people), 500)):
        for a in conn.execute(select(A.c.id, A.c.member_state, A.c.person_id, A.c.made_on, A.c.decided_on,
                                     A.c.notified_on).where(A.c.person_id.in_(chunk))
                              .order_by(A.c.made_on, A.c.id)):
            apps.setdefault((a.member_state, a.person_id), []).append(a)
    out: dict[str, Examined] = {}
    for c in wanted:
        mine = apps.get((c.member_state, c.person_id))
        if not mine:
            continue
        before = [a for a in mine if a.made_on <= c.registered_on]
        a = before[-1] if before else mine[0]
        if a.notified_on is not None:
            out[c.id] = Examined(c.member_state, a.decided_on, a.notified_on)
    return out


#: How a confirmed departure under a return decision left the territory (``departure_mode`` of
#: ``return_decisions``), as "Responsible now" says it: removed, or left by itself.
_DEPARTED_HOW = {"enforced": "removed", "operation": "removed in a return operation",
                 "voluntary": "left voluntarily", "avr": "left voluntarily with return assistance",
                 "border_exit": "left through an external border"}
#: The outcomes of an asylum case that withdraw or reject the application (Dublin III Art 18(1)(c)-(d);
#: AMMR Art 37(5) "a seguito della revoca o del rigetto della domanda"), in words. Our reading: a
#: rejection as inadmissible is a rejection (AMMR Art 37(2) names "rigetto della domanda per
#: inammissibilità, infondatezza o manifesta infondatezza"), and an application treated as
#: implicitly withdrawn is withdrawn.
_WITHDRAWN_OR_REJECTED = {Outcome.rejected_unfounded: "rejected as unfounded",
                          Outcome.rejected_manifestly_unfounded: "rejected as manifestly unfounded",
                          Outcome.inadmissible: "rejected as inadmissible",
                          Outcome.implicitly_withdrawn: "treated as implicitly withdrawn",
                          Outcome.explicitly_withdrawn: "withdrawn"}


def _ceased_of(conn: Connection, cases: Sequence[Any]) -> dict[str, Ceased]:
    """The take-back cases whose designated state's take-back obligation ended before the case's
    application was registered, on what the platform records (Dublin III Art 19(3); AMMR Art 37(5)):
    a return decision of that state on the person, issued on or after the day that state decided the
    person's application there as rejected or withdrawn (or linked to that asylum case), whose
    departure was confirmed before the registration; the latest such departure. Left out when the
    person applied in that state again after leaving (the case's ``earlier_applications``): that
    application is a ground of a take back of its own. With it, the criteria applied again to the
    case's facts without the applications made before the departure (a new determination)."""
    from pactum.store.tables.procedures import asylum_applications as A
    from pactum.store.tables.returns import return_decisions as RD

    wanted = [c for c in cases if c.person_id is not None and c.responsible_member_state != c.member_state
              and _take_back_case(c)]
    if not wanted:
        return {}
    linked = _same_persons_of(conn, [(c.person_id, c.member_state) for c in wanted])
    people = sorted({c.person_id for c in wanted} | {p for found in linked.values() for _, p in found})
    decisions: dict[tuple[str, str], list[Any]] = {}
    apps: dict[tuple[str, str], list[Any]] = {}
    for chunk in (people[i:i + 500] for i in range(0, len(people), 500)):
        for d in conn.execute(select(RD.c.person_id, RD.c.member_state, RD.c.reference, RD.c.asylum_case_id,
                                     RD.c.issued_on, RD.c.departed_on, RD.c.departure_mode)
                              .where(RD.c.person_id.in_(chunk), RD.c.departed_on.is_not(None))):
            decisions.setdefault((d.member_state, d.person_id), []).append(d)
        for a in conn.execute(select(A.c.id, A.c.member_state, A.c.person_id, A.c.made_on, A.c.outcome,
                                     A.c.decided_on).where(A.c.person_id.in_(chunk),
                                                           A.c.outcome.in_(list(_WITHDRAWN_OR_REJECTED)))):
            apps.setdefault((a.member_state, a.person_id), []).append(a)
    border_apps = _border_decisions(conn, people) if any(c.regime == "ammr" for c in wanted) else {}
    out: dict[str, Ceased] = {}
    for c in wanted:
        state = c.responsible_member_state
        # the person as that state knows them: the case's person, or the person of that state the
        # Eurodac hit joins to them (a white or red same-person link; each state has its own persons)
        theirs = [c.person_id, *sorted(p for ms, p in linked.get(c.person_id, ()) if ms == state)]
        refused = [a for p in theirs for a in apps.get((state, p), [])]
        found: tuple[Any, Any] | None = None
        for d in (d for p in theirs for d in decisions.get((state, p), [])):
            if d.departed_on >= c.registered_on:
                continue
            after = [a for a in refused if a.id == d.asylum_case_id or (
                a.decided_on is not None and a.decided_on <= d.issued_on and a.made_on <= d.departed_on)]
            if not after:
                continue
            if found is None or d.departed_on > found[0].departed_on:
                found = (d, max(after, key=lambda a: (a.decided_on or a.made_on, a.id)))
        if found is None:
            border = _border_ceased(c, state, theirs, border_apps) if c.regime == "ammr" else None
            if border is not None:
                out[c.id] = border
            continue
        d, a = found
        if _applied_again(c, state, d.departed_on):
            continue
        out[c.id] = Ceased(state, d.departed_on, d.reference,
                           _DEPARTED_HOW.get(d.departure_mode or "", "departure confirmed"),
                           _WITHDRAWN_OR_REJECTED.get(a.outcome, str(a.outcome).replace("_", " ")),
                           *_redetermined(c, d.departed_on))
    return out


def _issued_of(conn: Connection, cases: Sequence[Any]) -> dict[str, ResidenceIssued]:
    """For each case of a registered person, the latest residence document a Member State issued the
    applicant after the case's application was registered, as the issuing state's Dublin unit
    recorded it (not withdrawn): on the case's person by the case's state, or on the person of
    another state a same-person identity link joins to them (:func:`_same_persons_of`), by that
    state. That state became responsible (Dublin III Art 19(1); AMMR Art 37(1))."""
    wanted = [c for c in cases if c.person_id is not None]
    if not wanted:
        return {}
    D = dublin_documents
    # none issued after the earliest registration: nothing to look for (the links are not read)
    if conn.execute(select(D.c.id).where(D.c.kind == "residence_document", D.c.withdrawn_at.is_(None),
                                         D.c.issued_on > min(c.registered_on for c in wanted)).limit(1)).first() is None:
        return {}
    linked = _same_persons_of(conn, [(c.person_id, c.member_state) for c in wanted])
    holders = {(c.person_id, c.member_state) for c in wanted} | {
        (p, ms) for c in wanted for ms, p in linked.get(c.person_id, ())}
    people = sorted({p for p, _ms in holders})
    docs: dict[str, list[Any]] = {}
    for chunk in (people[i:i + 500] for i in range(0, len(people), 500)):
        for d in conn.execute(select(D.c.id, D.c.person_id, D.c.member_state, D.c.number, D.c.issued_on,
                                     D.c.valid_until).where(D.c.person_id.in_(chunk), D.c.kind == "residence_document",
                                                            D.c.withdrawn_at.is_(None))):
            if (d.person_id, d.member_state) in holders:
                docs.setdefault(d.person_id, []).append(d)
    out: dict[str, ResidenceIssued] = {}
    for c in wanted:
        mine = [*docs.get(c.person_id, []), *(d for ms, p in sorted(linked.get(c.person_id, ()))
                                              for d in docs.get(p, []) if d.member_state == ms)]
        mine = [d for d in mine if d.issued_on > c.registered_on
                and (d.person_id != c.person_id or d.member_state == c.member_state)]
        if mine:
            d = max(mine, key=lambda x: (x.issued_on, x.id))
            out[c.id] = ResidenceIssued(d.member_state, d.issued_on, d.id, d.number, d.valid_until)
    return out


def _applied_again(c: Any, state: str, after: date) -> bool:
    """Whether case ``c``'s facts record an application of the person in ``state`` registered after
    ``after``: a take-back ground of its own, which the cessation before it does not end."""
    return any(isinstance(e, dict) and e.get("member_state") == state
               and str(e.get("registered_on") or "") > after.isoformat()
               for e in (c.facts or {}).get("earlier_applications") or [])


#: The states of an asylum case whose decision is final (AMMR Art 37(2) "siano divenute
#: definitive"): closed as final once the appeal time limit passed without an appeal, the appeal
#: dismissed, or the application declared explicitly withdrawn (APR Art 40(3): final, no appeal).
_FINAL_STATES = ("final", "appeal_decided", "withdrawn")


def _border_decisions(conn: Connection, people: Sequence[str]) -> dict[tuple[str, str], list[tuple[Any, date]]]:
    """``{(state, person id): [(asylum case, the day its decision became final)]}``: the asylum
    cases of ``people`` examined in the border procedure under the APR whose decision rejecting the
    application (inadmissible, unfounded, manifestly unfounded) or declaring it implicitly or
    explicitly withdrawn is final (AMMR Art 37(2), first subparagraph). Examined in the border
    procedure: a border case decided by the border procedure's end, not having left it
    (``workflow.in_border_procedure``; APR Arts 51(2), 53(2)). The day it became final, as the
    procedures area records it: the day the case was closed as final (its ``final`` event; else the
    day after the appeal time limit), the day the appeal was dismissed, or the day of the decision
    declaring the application explicitly withdrawn. Our reading: the appeal decision is final when
    given (no further instance is recorded)."""
    from pactum.procedures import workflow
    from pactum.procedures.model import AppealOutcome
    from pactum.services.procedures import case_from_row
    from pactum.store.tables.procedures import asylum_applications as A
    from pactum.store.tables.procedures import asylum_case_events as E

    rows: list[Any] = []
    for chunk in (list(people[i:i + 500]) for i in range(0, len(people), 500)):
        rows += conn.execute(select(A).where(
            A.c.person_id.in_(chunk), A.c.procedure == "border", A.c.state.in_(_FINAL_STATES),
            A.c.outcome.in_(list(_WITHDRAWN_OR_REJECTED)))).mappings().all()
    rows = [r for r in rows if workflow.in_border_procedure(case := case_from_row(r)) and r["border_left_on"] is None
            and workflow.case_regime(case).regime == "pact"
            and (r["state"] != "appeal_decided" or r["appeal_outcome"] == AppealOutcome.dismissed.value)]
    days: dict[str, date] = {}
    ids = [r["id"] for r in rows]
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for e in conn.execute(select(E.c.case_id, E.c.event, E.c.detail).where(
                E.c.case_id.in_(chunk), E.c.event.in_(("final", "appeal_decided"))).order_by(E.c.at, E.c.id)):
            on = (e.detail or {}).get("on" if e.event == "final" else "decided_on")
            if on:
                days[e.case_id] = date.fromisoformat(str(on))
    out: dict[tuple[str, str], list[tuple[Any, date]]] = {}
    for r in rows:
        final_on = days.get(r["id"])
        if final_on is None and r["state"] == "final" and r["appeal_deadline"] is not None:
            final_on = r["appeal_deadline"] + timedelta(days=1)
        if final_on is None and r["state"] == "withdrawn":
            final_on = r["decided_on"]
        if final_on is not None:
            out.setdefault((r["member_state"], r["person_id"]), []).append((r, final_on))
    return out


def _border_ceased(c: Any, state: str, theirs: Sequence[str],
                   border_apps: Mapping[tuple[str, str], list[tuple[Any, date]]]) -> Ceased | None:
    """The obligations of ``state``, designated by AMMR case ``c``, after its decision in the border
    procedure became final (AMMR Art 37(2)-(3), :func:`_border_decisions`): the latest such decision
    on the person as ``state`` knows them (``theirs``), with the period of Art 37(2) computed
    (:func:`pactum.responsibility.cessation.border_period`). Whether they ended for this application
    (registered after the period, or none pending when it ended) "Responsible now" decides with the
    case's requests. Left out when the person applied in ``state`` again after the decision became
    final (that application is a take-back ground of its own)."""
    from pactum.law import NotInForce
    from pactum.responsibility.cessation import border_period

    found = [x for p in theirs for x in border_apps.get((state, p), [])]
    if not found:
        return None
    a, final_on = max(found, key=lambda x: (x[1], x[0]["id"]))
    if _applied_again(c, state, final_on):
        return None
    try:
        period = border_period(final_on, on=max(final_on, c.registered_on))
    except NotInForce:
        return None
    redetermined = _redetermined(c, final_on + timedelta(days=1))
    return Ceased(state, final_on, a["reference"], "border procedure",
                  _WITHDRAWN_OR_REJECTED.get(a["outcome"], str(a["outcome"]).replace("_", " ")),
                  *redetermined, ground="border_procedure", border=period)


def _same_persons_of(conn: Connection, people: Sequence[tuple[str, str]]) -> dict[str, set[tuple[str, str]]]:
    """``{person id: {(state, that state's person id)}}``: the persons of other states the
    same-person identity links join to each of ``people`` (``(person id, the state whose person it
    is)``), directly or through a chain of other persons' records, as the platform reads "the same
    person in other states" everywhere: :func:`pactum.services.registry.same_person_network` (a
    white or red link joins, a green one breaks the chain; bounded and cycle-safe). The states keep
    their own persons; the hits join them. Persons with no same-person link at all are found in one
    query per 500 and not walked."""
    from pactum.services.registry import SAME_PERSON_COLOURS, SAME_PERSON_STATUSES, same_person_network
    from pactum.store.tables.identity import identity_links as L
    from pactum.store.tables.registry import identity_records as IR

    wanted = sorted(set(people))
    ids = sorted({p for p, _ms in wanted})
    same = (L.c.colour.in_(SAME_PERSON_COLOURS), L.c.status.in_(SAME_PERSON_STATUSES))
    linked: set[str] = set()
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        own = select(IR.c.id).where(IR.c.person_id.in_(chunk))
        hit = select(IR.c.person_id).where(IR.c.person_id.in_(chunk), IR.c.id.in_(
            select(L.c.record_id).where(*same, L.c.record_id.in_(own)).union(
                select(L.c.linked_record_id).where(*same, L.c.linked_record_id.in_(own)))))
        linked.update(str(p) for (p,) in conn.execute(hit.distinct()))
    out: dict[str, set[tuple[str, str]]] = {}
    for person_id, ms in wanted:
        if person_id not in linked:
            continue
        reached = same_person_network(conn, person_id, ms)
        if reached:
            out.setdefault(person_id, set()).update((r.member_state, r.person_id) for r in reached.values())
    return out


def _redetermined(c: Any, left_on: date) -> tuple[str | None, str | None, tuple[str, ...]]:
    """The criteria applied again to case ``c``'s facts without the applications made before the
    person left the territory on ``left_on``: the new determination of the application registered
    after an effective return (Dublin III Art 19(3), second subparagraph; AMMR Art 37(5), second
    subparagraph). ``(None, None, ())`` when the facts no longer make a determination request."""
    from pactum.responsibility.determination import determine_json

    facts = dict(c.facts or {})
    facts["earlier_applications"] = [
        e for e in facts.get("earlier_applications") or []
        if isinstance(e, dict) and str(e.get("registered_on") or "") >= left_on.isoformat()]
    try:
        d = determine_json(facts)
    except ValidationProblem:
        return None, None, ()
    return d.get("responsible_member_state"), d.get("criterion"), tuple(d.get("legal_basis") or ())


def _responsible_now(c: Any, requests: Sequence[Any], today: date,
                     offset: OffsetTaken | None = None, hits: Sequence[Any] = (),
                     examined: Examined | None = None, ceased: Ceased | None = None,
                     issued: ResidenceIssued | None = None) -> ResponsibleNow:
    """The state responsible for case ``c`` on ``today``: its determination with what happened on
    its ``requests`` (deadlines already applied) since, a responsibility ``offset`` taken over, the
    time limit of a request from the ``hits`` recorded on the case (rows of ``dublin_hits``), the
    application ``examined`` by the case's state (:func:`_examined_of`) and a residence document
    ``issued`` to the applicant since the registration (:func:`_issued_of`)."""
    limit = None
    take_back = _take_back_case(c)
    if c.responsible_member_state != c.member_state and not (take_back and c.regime == "ammr"):
        # An AMMR take-back notification has no limit whose end moves responsibility (Art 41)
        limit = case_request_limit(c, requests, "take_back" if take_back else "take_charge", hits)
    uam = bool(((c.facts or {}).get("applicant") or {}).get("unaccompanied_minor"))
    return responsible_now(
        regime=c.regime, registered_on=c.registered_on, registered_in=c.member_state,
        determined=c.responsible_member_state, criterion=c.criterion, legal_basis=list(c.legal_basis or []),
        requests=list(requests), today=today, request_limit=limit,
        may_request_late=c.regime == "ammr" and uam, offset=offset, take_back=take_back,
        clause=clause_of(getattr(c, "trace", None)), examined=examined,
        ceased=None if ceased is None else dataclass_replace(
            ceased, take_charge_limit=case_request_limit(c, requests, "take_charge", hits)), issued=issued)


def _stated(requests: Sequence[Any]) -> list[tuple[str, bool, date | None, date, str]]:
    return [(r.kind, bool(r.eurodac_hit), r.hit_on, r.sent_on, getattr(r, "hit_source", None) or "eurodac")
            for r in requests]


def _recorded(hits: Sequence[Any], member_state: str) -> list[tuple[str, date, date, str]]:
    """The hits recorded on a case of ``member_state``, each with the day its Dublin unit recorded
    it: the day on the state's clock (its capital's), the clock of the days its requests are sent
    on, not the UTC day of the moment stored."""
    return [(h.kind, h.hit_on, stored_day(h.recorded_at, member_state), h.source) for h in hits]


def case_hit(requests: Sequence[Any], kind: str, hits: Sequence[Any] = (), member_state: str = "") -> date | None:
    """The Eurodac (or VIS) hit case's ``requests`` (in the order sent) and recorded ``hits`` (rows
    of ``dublin_hits``, in the order recorded) give for ``kind``: the latest the case learnt of
    (:func:`pactum.responsibility.request_limits.known_hit`)."""
    return known_hit(kind, _stated(requests), _recorded(hits, member_state))


def case_request_limit(c: Any, requests: Sequence[Any], kind: str, hits: Sequence[Any] = ()) -> RequestLimit:
    """The last day of a ``kind`` request (take charge; Dublin III take back) on case ``c`` (a row
    of ``dublin_cases``) with the hit its ``requests`` state or its recorded ``hits`` give: the day
    "Responsible now", the case's ``new_request`` and ``request_limits``, the request form and the
    refusal of a late request all use (:func:`pactum.responsibility.request_limits.request_limit`)."""
    found = latest_hit(kind, _stated(requests), _recorded(hits, c.member_state))
    return request_limit(c.regime, kind, c.registered_on, c.member_state, found.hit_on if found else None,
                         hit_source=found.source if found else "eurodac")


def _hits_of(conn: Connection, case_ids: Sequence[str]) -> dict[str, list[Any]]:
    """The hits recorded on these cases (rows of ``dublin_hits``), by case, in the order recorded."""
    out: dict[str, list[Any]] = {}
    ids = list(case_ids)
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for h in conn.execute(select(dublin_hits).where(dublin_hits.c.case_id.in_(chunk))
                              .order_by(dublin_hits.c.recorded_at, dublin_hits.c.id)):
            out.setdefault(h.case_id, []).append(h)
    return out


def _take_back_case(c: Any) -> bool:
    """Whether the state the determination designates takes the person back rather than charge:
    the person applied there before (Dublin III Arts 18(1)(b)-(d), 20(5), 23; AMMR Art 36(1)(b),
    41), whichever criterion designated it."""
    if c.criterion == "first_application":
        return True
    earlier = (c.facts or {}).get("earlier_applications") or []
    return any(isinstance(e, dict) and e.get("member_state") == c.responsible_member_state for e in earlier)


def _take_back_instead(c: Any, requested: str, now: ResponsibleNow, *, on_the_form: bool = False) -> str | None:
    """Why a take charge to ``requested`` is refused on case ``c``: the person applied there before
    the case's application, so it takes them back (:func:`proc.take_back_instead`); ``None``: no
    earlier application there, or the take-back obligation ended (``now``, rule ``ceased``: Dublin
    III Art 19(2)-(3); AMMR Art 37(4)-(5)), the application then determined afresh and a take
    charge lying to that state on a criterion. :func:`send_request` refuses by it, and
    :func:`request_bars` for the state the determination designates, so that the request form does
    not offer a take charge the service refuses."""
    if now.rule == CEASED_RULE:
        return None
    earlier = _earlier_application_in(c, requested)
    return None if earlier is None else proc.take_back_instead(c.regime, requested, earlier, on_the_form=on_the_form)


def _earlier_application_in(c: Any, state: str) -> date | None:
    """The day of the first application the person made in ``state`` before the case's application
    was registered (``None``: none given in the case's ``earlier_applications``)."""
    days = []
    for e in (c.facts or {}).get("earlier_applications") or []:
        if not isinstance(e, dict) or e.get("member_state") != state:
            continue
        try:
            day = date.fromisoformat(str(e.get("registered_on")))
        except ValueError:
            continue
        if day < c.registered_on:
            days.append(day)
    return min(days) if days else None


#: Another state's Eurodac category that records an entry into the Union for the determination
#: (Dublin III Art 13(1); AMMR Art 33(1)): the entry kinds of :data:`model.EntryKind`.
_ENTRY_OF_EURODAC = {"irregular_crossing": "irregular_crossing", "sar": "sar_disembarkation"}
#: The state's own encounters that are such entries.
_ENTRY_OF_ENCOUNTER = {"irregular_crossing": "irregular_crossing",
                       "sar_disembarkation": "sar_disembarkation"}


def facts_from_records(services: Services, principal: Principal, person_id: str, *,
                       channel: str | None = None) -> dict[str, Any]:
    """A draft of a registered person's facts for the determination, from the platform's records,
    for the officer to check and complete (``facts`` in the shape of
    :class:`~pactum.responsibility.schemas.DeterminationRequest`, without what no record holds):

    - the application: the state's earliest asylum application of the person, registered on its
      registration date (or the day it was made, when not yet registered), the date that decides
      which rules apply; whether the applicant is an unaccompanied minor, as that case says;
    - the date of birth of the person's latest identity record, where it is a full date;
    - the entries: the state's own encounters of the person at an irregular crossing or after a
      search-and-rescue disembarkation, and another state's record of such an entry linked to the
      person as the same person (a white or red multiple-identity link);
    - the earlier applications (``earlier_applications``, only when there is one): another state's
      applicant record linked to the person as the same person (white or red), made on or before
      the registration, dated by that record: the first application decides where no criterion
      applies (Dublin III Art 3(2); AMMR Art 16(2));
    - the documents (``documents``, only when there is one): the residence documents and visas
      recorded by the state that issued them, on this person or on another state's person a
      same-person link joins to them, up to the registration, each with its ``record_id`` and
      ``number`` (AMMR Art 29; Dublin III Art 12): :func:`_draft_documents_into`.

    ``sources`` says where each filled fact came from; ``to_check`` lists what the records point to
    but cannot fill in: family the screening recorded, vulnerabilities, another state's record
    whose link awaits verification, an earlier application in another state (also a fact: a take
    back may apply).

    The draft is one read of the person (``services.reads``, ``dublin_facts_draft`` on ``channel``,
    the person as the state's own; ``None``: an internal read, not logged), written after the
    checks and the reads, as the draft is handed out: a refused draft (403, 404) logs nothing. It
    names no other person: family and vulnerabilities are quoted from the person's own screening,
    and another state's record is shown by its id, state, category and day, without its identity
    (as a Dublin case holding the same facts logs its applicant only)."""
    from pactum.store.tables.procedures import asylum_applications as A
    from pactum.store.tables.registry import (
        encounters,
        eurodac_records,
        identity_records,
        persons,
        screenings,
    )

    require(principal, *CASE_RECORDERS)
    ms = _own_state(principal)
    facts: dict[str, Any] = {"application": {"registered_in": ms}, "applicant": {}, "entries": []}
    sources: list[dict[str, str]] = []
    to_check: list[str] = []
    with services.uow() as uow:
        conn = uow.conn
        if conn.execute(select(persons.c.member_state).where(persons.c.id == person_id)).scalar() != ms:
            raise NotFound(f"no person {person_id!r} registered in {ms}")
        records = conn.execute(select(identity_records).where(identity_records.c.person_id == person_id)
                               .order_by(identity_records.c.recorded_on, identity_records.c.id)).all()
        latest = records[-1] if records else None
        name = None
        if latest is not None:
            name = _record_name(latest)
            dob = latest.date_of_birth or ""
            if len(dob) == 10:
                facts["applicant"]["date_of_birth"] = dob
                sources.append({"field": "applicant.date_of_birth",
                                "source": f"identity record {latest.id} of {latest.recorded_on.isoformat()}"})
            else:
                to_check.append(f"The date of birth is recorded as {dob or 'unknown'}: give the full date "
                                "where the applicant's age decides (a minor's criteria).")
        app = conn.execute(select(A.c.id, A.c.made_on, A.c.registered_on, A.c.unaccompanied_minor)
                           .where(A.c.member_state == ms, A.c.person_id == person_id)
                           .order_by(A.c.made_on, A.c.id).limit(1)).first()
        registered_on = None
        if app is None:
            to_check.append(f"No asylum application of this person is recorded in {ms}: give the day "
                            "the application was registered (for an application under Dublin III, the day "
                            "it was lodged: the first written record of it that reached the competent "
                            "authority, Regulation (EU) No 604/2013, Article 20(2)).")
        else:
            registered_on = app.registered_on or app.made_on
            facts["application"]["registered_on"] = registered_on.isoformat()
            facts["applicant"]["unaccompanied_minor"] = bool(app.unaccompanied_minor)
            said = (f"registered on {app.registered_on.isoformat()}" if app.registered_on
                    else f"made on {app.made_on.isoformat()}, not yet registered")
            sources.append({"field": "application.registered_on", "source": f"asylum application {app.id}, {said}"})
            sources.append({"field": "applicant.unaccompanied_minor", "source": f"asylum application {app.id}"})
        regime = _draft_regime(registered_on)
        if app is not None and regime == "dublin_iii":
            to_check.append(_lodging_check(app.made_on, app.registered_on))
        entries: dict[tuple[str, str, str], tuple[str, str | None]] = {}
        earlier: dict[tuple[str, str], str] = {}
        made_on = app.made_on if app is not None else registered_on
        for e in conn.execute(select(encounters.c.id, encounters.c.kind, encounters.c.member_state,
                                     encounters.c.occurred_at, encounters.c.time_zone, encounters.c.region)
                              .where(encounters.c.person_id == person_id).order_by(encounters.c.occurred_at)):
            kind = _ENTRY_OF_ENCOUNTER.get(e.kind)
            # the day of the entry is the day on the clock where it happened (Reg. 1182/71 Art 3(1):
            # "the day during which an event occurs"), its recorded zone or the state's capital's
            entered_on = stored_day(e.occurred_at, e.member_state, e.time_zone)
            if kind and (registered_on is None or entered_on <= registered_on):
                entries.setdefault((kind, e.member_state, entered_on.isoformat()),
                                   (f"encounter {e.id} recorded by {e.member_state}", _outermost(e.member_state, e.region)))
        # where the application was made: the place of the person's latest encounter recorded by the
        # state up to the day it was made (the encounter the procedures area takes its context from,
        # and the one that decides whether the application has a Eurodac record)
        placed = registry.application_encounter(conn, person_id, ms, made_on) if made_on is not None else None
        if placed is not None:
            region = _outermost(ms, placed["region"])
            if region is not None:
                facts["application"]["region"] = region
                sources.append({"field": "application.region", "source": (
                    f"encounter {placed['id']} of {placed['day'].isoformat()} ({placed['kind'].replace('_', ' ')}), "
                    f"the person's latest recorded by {ms} up to the day the application was made")})
                to_check.append(_outermost_check(region, placed["id"], placed["day"]))
        own_ids = [r.id for r in records]
        # the residence documents and visas: the state's own records of its person, and another
        # state's of its person that a same-person link joins to this one (as the entries above)
        holders: list[tuple[str, str, str | None]] = [(person_id, ms, None)]
        if own_ids:
            # the other states' records of the same person (the persons the same-person network
            # reaches, directly or through a chain) and those a link awaiting verification joins to
            # one of them, each with the link that names it (:func:`_draft_links`)
            others = _draft_links(conn, person_id, ms)
            other_rows = conn.execute(select(identity_records.c.id, identity_records.c.member_state,
                                             identity_records.c.category, identity_records.c.recorded_on,
                                             identity_records.c.person_id)
                                      .where(identity_records.c.id.in_(list(others)),
                                             identity_records.c.member_state != ms)
                                      .order_by(identity_records.c.recorded_on)).all() if others else []
            # Eurodac data past their retention day are erased, whether or not the erasure job has
            # run yet (Reg. (EU) 2024/1358 Art 29): they no longer reach the draft
            today = uow.now.date()
            shared = {e.identity_record_id: e for e in conn.execute(
                select(eurodac_records.c.identity_record_id, eurodac_records.c.marked_at,
                       eurodac_records.c.erased_at).where(
                    eurodac_records.c.identity_record_id.in_([o.id for o in other_rows]),
                    eurodac_records.c.erased_at.is_(None), eurodac_records.c.retention_until >= today))
            } if other_rows else {}
            for o in other_rows:
                lk = others[o.id]
                if lk.same:
                    holders.append((o.person_id, o.member_state,
                                    f"identity record {o.id} of {o.member_state} ({lk.colour} link {lk.id})"))
                kept = shared.get(o.id)
                if kept is None or kept.erased_at is not None:
                    continue  # another state's record reaches this draft through Eurodac only
                if kept.marked_at is not None:
                    to_check.append(f"{o.member_state} granted international protection (Eurodac mark of "
                                    f"{stored_day(kept.marked_at, o.member_state).isoformat()}, identity record {o.id}): the "
                                    "application may be inadmissible and a take back does not apply.")
                what = f"{code_words(o.category or 'record')} recorded by {o.member_state} on {o.recorded_on.isoformat()}"
                if not lk.same:
                    to_check.append(f"A record of {o.member_state} may be the same person ({what}): "
                                    f"the multiple-identity link {lk.id} awaits verification{lk.on}.")
                    continue
                kind = _ENTRY_OF_EURODAC.get(o.category or "")
                if kind and (registered_on is None or o.recorded_on <= registered_on):
                    entries.setdefault((kind, o.member_state, o.recorded_on.isoformat()),
                                       (f"identity record {o.id} of {o.member_state} ({lk.colour} link {lk.id})",
                                        None))
                elif o.category == "applicant":
                    away = _applied_outside(conn, o.person_id, o.member_state, o.recorded_on)
                    if away is not None:  # AMMR Art 76, Dublin III Art 43: not an application under them
                        to_check.append(
                            f"{o.member_state} recorded an application for international protection on "
                            f"{o.recorded_on.isoformat()} (identity record {o.id}, {lk.colour} link {lk.id}), which "
                            f"its records place in {away}: as regards the French Republic the Regulation applies "
                            "only to its European territory (Regulation (EU) 2024/1351, Article 76; Regulation "
                            "(EU) No 604/2013, Article 43), so it is not an earlier application under it and is "
                            "left out; no take back rests on it.")
                        continue
                    if registered_on is None or o.recorded_on <= registered_on:
                        earlier.setdefault((o.member_state, o.recorded_on.isoformat()),
                                           f"applicant record {o.id} of {o.member_state} ({lk.colour} link {lk.id})")
                    to_check.append(f"{o.member_state} recorded an application for international protection "
                                    f"on {o.recorded_on.isoformat()} (identity record {o.id}, {lk.colour} link "
                                    f"{lk.id}): a take-back may apply.")
        for i, ((kind, state, on), (source, where)) in enumerate(sorted(entries.items(), key=lambda kv: kv[0][2])):
            facts["entries"].append({"kind": kind, "member_state": state, "on": on,
                                     **({"region": where} if where else {})})
            sources.append({"field": f"entries[{i}]", "source": source})
        for i, ((state, on), source) in enumerate(sorted(earlier.items(), key=lambda kv: (kv[0][1], kv[0][0]))):
            facts.setdefault("earlier_applications", []).append({"member_state": state, "registered_on": on})
            sources.append({"field": f"earlier_applications[{i}]", "source": source})
            to_check.append(_earlier_application_check(regime, state, on))
        _draft_documents_into(conn, holders, registered_on, regime, facts, sources, to_check)
        for s in conn.execute(select(screenings.c.family_in_member_state, screenings.c.vulnerability)
                              .where(screenings.c.person_id == person_id).order_by(screenings.c.started_at)):
            if not _states_nothing(s.family_in_member_state):
                to_check.append(f"The screening recorded family in a Member State: "
                                f"\u201c{s.family_in_member_state.strip()}\u201d.")
            if not _states_nothing(s.vulnerability):
                to_check.append(f"The screening recorded a vulnerability: \u201c{s.vulnerability.strip()}\u201d "
                                "(a dependency on a relative may decide).")
        # logged with the read and committed last: a refused read logs nothing, a failed log fails it
        if channel is not None:
            reads.record_read(conn, principal, {person_id: ms}, reads.DUBLIN_FACTS_DRAFT, channel, at=uow.now)
            uow.commit()
    return {"person_id": person_id, "applicant_name": name, "facts": facts, "sources": sources,
            "to_check": to_check}


def _document_words(row: Any) -> str:
    """A recorded document as the draft names it: "short-stay visa FR-V-123 issued by FR on
    2025-01-10, valid 2025-02-01 to 2025-04-30 (record dbd-...)"."""
    kind = f"{row.visa_type.replace('_', '-')} visa" if row.visa_type else row.kind.replace("_", " ")
    return (f"{kind}{' ' + row.number if row.number else ''} issued by {row.member_state}"
            f"{' on behalf of ' + row.issued_on_behalf_of if row.issued_on_behalf_of else ''} on "
            f"{row.issued_on.isoformat()}, valid {row.valid_from.isoformat()} to {row.valid_until.isoformat()} "
            f"(record {row.id})")


_ISSUED_SINCE = {"ammr": "Regulation (EU) 2024/1351, Article 37(1)",
                 "dublin_iii": "Regulation (EU) No 604/2013, Article 19(1)"}
_DOCUMENT_CRITERION = {"ammr": "Regulation (EU) 2024/1351, Article 29",
                       "dublin_iii": "Regulation (EU) No 604/2013, Article 12"}


def _draft_documents_into(conn: Connection, holders: Sequence[tuple[str, str, str | None]],
                          registered_on: date | None, regime: str | None, facts: dict[str, Any],
                          sources: list[dict[str, str]], to_check: list[str]) -> None:
    """The recorded residence documents and visas as facts of the draft (``documents``, each with its
    ``record_id`` and ``number``, which the trace names), up to the registration: a document issued
    after it is not part of the situation the criteria are applied to (AMMR Art 24(2); Dublin III Art
    7(2)) and goes to ``to_check`` (the issuing state of a residence document becomes responsible:
    AMMR Art 37(1), Dublin III Art 19(1))."""
    basis = _DOCUMENT_CRITERION.get(regime or "", "Regulation (EU) 2024/1351, Article 29; Regulation (EU) "
                                                  "No 604/2013, Article 12")
    for row, link in _draft_documents(conn, holders):
        words = _document_words(row)
        if registered_on is not None and row.issued_on > registered_on:
            since = _ISSUED_SINCE.get(regime or "", "Regulation (EU) 2024/1351, Article 37(1); Regulation "
                                                    "(EU) No 604/2013, Article 19(1)")
            to_check.append(
                f"{row.member_state} issued a {words} after the application was registered "
                f"({registered_on.isoformat()}): it is not part of the situation the criteria are applied to "
                "and is left out of the documents. "
                + (f"A residence document issued to the applicant makes {row.member_state} responsible ({since}): "
                   "record it under \u201cwho is responsible on a day\u201d of the case."
                   if row.kind == "residence_document" else "A visa issued since decides nothing here."))
            continue
        doc: dict[str, Any] = {"kind": row.kind, "issued_by": row.member_state,
                               "valid_from": row.valid_from.isoformat(), "valid_until": row.valid_until.isoformat()}
        if row.kind == "visa" and row.visa_type:
            doc["visa_type"] = row.visa_type
        if row.kind == "visa" and row.issued_on_behalf_of:
            doc["issued_on_behalf_of"] = row.issued_on_behalf_of
        doc["record_id"] = row.id
        if row.number:
            doc["number"] = row.number
        i = len(facts.setdefault("documents", []))
        facts["documents"].append(doc)
        sources.append({"field": f"documents[{i}]", "source": (
            f"{words}, recorded by {row.member_state}" + (f", through {link}" if link else "")
            + f" ({basis})")})


def _outermost(member_state: str, region: str | None) -> str | None:
    """An encounter's region as the draft of the facts gives it: only where it changes the law,
    France's outermost regions, outside the territory to which the AMMR (Art 76) and Dublin III
    (Art 43) apply; the Canary Islands, the Azores and Madeira are within it, and their entries
    read as before."""
    if region is None:
        return None
    from pactum.registry.local_time import region_of

    r = region_of(region)
    return region if r is not None and not r.european and member_state == "FR" else None


def _applied_outside(conn: Connection, person_id: str, member_state: str, on: date) -> str | None:
    """Where another state's record places an application it recorded on ``on``, when that is one of
    France's outermost regions ("FR-976 (Mayotte)", from the latest encounter of that state's person
    up to that day, :func:`pactum.services.registry.application_encounter`, as the draft places the
    state's own application); None otherwise. An application made there is none under the AMMR (Art
    76) or Dublin III (Art 43); the registry writes it no Eurodac applicant record, but a store may
    hold one written before it stopped doing so."""
    if member_state != "FR":
        return None
    from pactum.registry.local_time import region_of

    latest = registry.application_encounter(conn, person_id, member_state, on)
    region = _outermost(member_state, latest["region"]) if latest is not None else None
    r = region_of(region) if region else None
    return f"{region} ({r.name})" if region and r else None


def _outermost_check(region: str, encounter_id: str, on: date) -> str:
    """What the officer confirms when the records place the application in France's outermost
    regions: where it was made decides whether the Regulation governs it at all."""
    from pactum.registry.local_time import region_of

    r = region_of(region)
    name = r.name if r is not None else region
    return (f"The records place the application in {region} ({name}): the person's latest encounter up to "
            f"the day it was made ({encounter_id}, {on.isoformat()}) was there. As regards the French Republic "
            "the Regulation applies only to its European territory (Regulation (EU) 2024/1351, Article 76; "
            "Regulation (EU) No 604/2013, Article 43), so no Member State responsible is determined for an "
            "application made there. If it was made in metropolitan France, clear the region.")


def _draft_regime(registered_on: date | None) -> str | None:
    """The regime of the drafted application (by its registration, AMMR Art 84); ``None`` when no
    application is recorded or no responsibility rules apply on its date."""
    if registered_on is None:
        return None
    try:
        return regime_on(registered_on)
    except (NotInForce, ValueError):
        return None


def _lodging_check(made_on: date, registered_on: date | None) -> str:
    """What "registered on" holds for an application under Dublin III, whose criteria and time
    limits count from the *lodging* (Art 20(2); CJEU C-670/16 *Mengesteab*: an informal written
    record that reached the authority counts), not from a later formal registration."""
    said = (f"made on {made_on.isoformat()} and registered on {registered_on.isoformat()}" if registered_on
            else f"made on {made_on.isoformat()}, not yet registered")
    return ("Under Dublin III the criteria and time limits count from the day the application was lodged: "
            "the day the first written record of it (the applicant's form or a report by the authorities, "
            "even an informal one) reached the competent authority (Regulation (EU) No 604/2013, Article "
            f"20(2); CJEU C-670/16 Mengesteab). The records give it as {said}: enter as "
            "\u201cregistered on\u201d the day of that first written record, which may be before the "
            f"registration and is not before {made_on.isoformat()}.")


def _earlier_application_check(regime: str | None, state: str, on: str) -> str:
    """What to confirm about an earlier application dated by its Eurodac applicant record: the day
    that counts is its lodging (Dublin III Arts 3(2), 20(2)) or its registration (AMMR Art 16(2)),
    and the applicant's data reach Eurodac only after it (Reg. 603/2013 Art 9(1): after the
    lodging; Reg. 2024/1358 Art 15(1)(a): after the registration), so that day is the record's or an
    earlier one, never a later one."""
    head = f"The earlier application in {state} is dated {on}, the day its Eurodac applicant record was made. "
    if regime == "dublin_iii":
        return head + ("Under Dublin III it counts from its lodging (Regulation (EU) No 604/2013, Articles 3(2) "
                       "and 20(2)): the day the first written record of it, even an informal one, reached the "
                       "competent authority (CJEU C-670/16 Mengesteab). The fingerprints are sent to Eurodac "
                       "after the lodging (Regulation (EU) No 603/2013, Article 9(1)): ask "
                       f"{state} for the day of that first written record, which may be some days before {on}, "
                       "not after it.")
    if regime == "ammr":
        return head + ("Under the AMMR it counts from its registration (Regulation (EU) 2024/1351, Article "
                       "16(2)). The biometric data are sent to Eurodac after the registration (Regulation (EU) "
                       f"2024/1358, Article 15(1)(a)): confirm the day of the registration with {state}, which may "
                       f"be some days before {on}, not after it.")
    return head + ("It counts from its lodging under Dublin III (the first written record that reached the "
                   "competent authority: Regulation (EU) No 604/2013, Article 20(2); CJEU C-670/16 Mengesteab) "
                   "or its registration under the AMMR (Regulation (EU) 2024/1351, Article 16(2)), and the "
                   f"Eurodac record is made after that day: confirm it with {state}, which may be some days "
                   f"before {on}, not after it.")


def _draft_links(conn: Connection, person_id: str, ms: str) -> dict[str, SimpleNamespace]:
    """The other states' identity records the draft of ``ms``'s person ``person_id``'s facts reads,
    by record id, each with the link that names it (``id``, ``colour``), whether it is the same
    person's (``same``) and, for one that is not, where its link is (``on``):

    - the same person's: every record of the persons :func:`pactum.services.registry.same_person_network`
      reaches (a white or red link, made automatically or verified, directly or through other
      persons' records; a green link breaks the chain), named by the same-person link on the
      person's own records that joins the record where there is one, else by the chain's last link
      and the states passed through ("idl-…, through DE");
    - to check: a record of another person that a link awaiting verification (yellow, pending) joins
      to a record of the person or of a person the network reaches (A white to DE's B, B yellow to
      EL's C: C may be the person too), named by that link and, on a person reached, by the link that
      joined that person (``on``).

    Which links say "the same person" and which "to check" is the registry's one reading
    (:func:`pactum.services.registry.says_same_person`, :func:`~pactum.services.registry.awaits_verification`):
    a record both reached by the network and joined by a yellow link is the same person's."""
    from pactum.services.registry import (
        TO_CHECK_COLOURS,
        TO_CHECK_STATUSES,
        _same_person_clause,
        awaits_verification,
        same_person_network,
        says_same_person,
    )
    from pactum.store.tables.identity import identity_links as L
    from pactum.store.tables.registry import identity_records as IR

    network = same_person_network(conn, person_id, ms)
    person_of = {r.id: r.person_id for r in conn.execute(
        select(IR.c.id, IR.c.person_id).where(IR.c.person_id.in_(sorted({person_id, *network}))))}
    if not person_of:
        return {}
    members = sorted(person_of)
    links = conn.execute(select(L.c.id, L.c.record_id, L.c.linked_record_id, L.c.colour, L.c.status).where(
        or_(L.c.record_id.in_(members), L.c.linked_record_id.in_(members)),
        or_(_same_person_clause(L), and_(L.c.colour.in_(TO_CHECK_COLOURS), L.c.status.in_(TO_CHECK_STATUSES))))
        .order_by(L.c.id)).all()
    colour_of = {lk.id: lk.colour for lk in links}
    direct: dict[str, Any] = {}  # a record of a person reached -> the same-person link on the person's own records
    for lk in links:
        if says_same_person(lk.colour, lk.status):
            for own, other in ((lk.record_id, lk.linked_record_id), (lk.linked_record_id, lk.record_id)):
                if person_of.get(own) == person_id and person_of.get(other) not in (None, person_id):
                    direct.setdefault(other, lk)
    out: dict[str, SimpleNamespace] = {}
    for rid, pid in sorted(person_of.items()):
        if pid == person_id:
            continue
        reached = network[pid]
        if rid in direct:
            out[rid] = SimpleNamespace(id=direct[rid].id, colour=direct[rid].colour, same=True, on="")
        else:
            through = f", through {', '.join(reached.through)}" if reached.through else ""
            out[rid] = SimpleNamespace(id=f"{reached.links[-1]}{through}",
                                       colour=colour_of.get(reached.links[-1], "white"), same=True, on="")
    for lk in links:
        if not awaits_verification(lk.colour, lk.status):
            continue
        for near, far in ((lk.record_id, lk.linked_record_id), (lk.linked_record_id, lk.record_id)):
            if near not in person_of or far in person_of or far in out:
                continue
            holder = person_of[near]
            on = ""
            if holder != person_id:
                r = network[holder]
                through = f", through {', '.join(r.through)}" if r.through else ""
                on = (f" (on a record of {r.member_state}'s person, the same person by "
                      f"{colour_of.get(r.links[-1], 'white')} link {r.links[-1]}{through})")
            out[far] = SimpleNamespace(id=lk.id, colour=lk.colour, same=False, on=on)
    return out


def _states_nothing(text: str | None) -> bool:
    """The screening's free text is blank or says there is nothing ("none identified", "no",
    "n/a", "no vulnerability found"): nothing to check (the reception area reads the same
    statements, :mod:`pactum.common.nothing`)."""
    return nothing.is_blank(text) or nothing.says_nothing(text, nothing.NO_NEEDS, nothing.NO_FAMILY)


# --- Deadlines --------------------------------------------------------------------------------------


def _limit(kind: str, event: date, state: str, registered_on: date, *, eurodac_hit: bool = False,
           detained: bool = False, detained_on: date | None = None,
           variant: str | None = None) -> tuple[date, dict[str, Any]]:
    r = time_limit(kind, event_at=event, member_state=state, application_registered_on=registered_on,
                   eurodac_hit=eurodac_hit, detained=detained, detained_on=detained_on, variant=variant)
    end_at = r.end
    end = end_at.date() if isinstance(end_at, datetime) else end_at
    return end, {"ends_on": end.isoformat(), "period": r.period, "legal_basis": r.legal_basis,
                 "computation": r.computation, "unverified": r.unverified}


def _applied(info: dict[str, Any]) -> str:
    """The article of the time limit applied (the first legal basis of a :func:`_limit`)."""
    return str((info.get("legal_basis") or ["the time limit"])[0])


_REQUEST_LIMIT = {"take_charge": "take_charge_request", "take_back": "take_back_request",
                  "take_back_notification": "take_back_notification"}
_REPLY_LIMIT = {"take_charge": "take_charge_reply", "take_back": "take_back_reply",
                "take_back_notification": "take_back_confirmation",
                "humanitarian": "humanitarian_reply"}


@dataclass(frozen=True)
class _AcceptanceDeadlines:
    transfer_due: date
    transfer_decision_due: date | None
    deadlines: dict[str, Any]


#: What passing the transfer limit for a detained person means: release, not a shift of
#: responsibility.
_DETENTION_END = {
    "dublin_iii": ("Regulation (EU) No 604/2013, Article 28(3), fourth subparagraph",
                   "Articles 21, 23, 24 and 29 continue to apply"),
    "ammr": ("Regulation (EU) 2024/1351, Article 45(3)",
             "the transfer period of Article 46(1) continues to run"),
}


def _while_detained(regime: str, start: date, requesting: str, registered_on: date,
                    transfer_due: date) -> dict[str, Any]:
    """The shorter limit for transferring a detained person (Dublin III Art 28(3) third
    subparagraph; AMMR Art 45(3)): a time limit of the detention, shown beside the transfer period.
    Passing it does not shift responsibility; only the ordinary transfer period does."""
    _, info = _limit("transfer", start, requesting, registered_on, detained=True)
    basis, ordinary = _DETENTION_END[regime]
    info["legal_basis"] = list(dict.fromkeys([*info["legal_basis"], basis]))
    info["computation"] = [*info["computation"],
                           f"If the transfer is not carried out by then, the person may no longer be "
                           f"detained for the transfer; {ordinary}: the transfer period ends on "
                           f"{transfer_due.isoformat()} ({basis})"]
    return info


def _after_acceptance(regime: str, accepted_on: date, requesting: str, registered_on: date,
                      detained: bool) -> _AcceptanceDeadlines:
    due, info = _limit("transfer", accepted_on, requesting, registered_on)
    deadlines = {"transfer": info}
    if detained:
        deadlines["transfer_while_detained"] = _while_detained(regime, accepted_on, requesting,
                                                               registered_on, due)
    decision_due = None
    if regime == "ammr":
        decision_due, dinfo = _limit("transfer_decision", accepted_on, requesting, registered_on)
        deadlines["transfer_decision"] = dinfo
    return _AcceptanceDeadlines(due, decision_due, deadlines)


def _rule_path(kind: str, regime: str) -> str | None:
    """The parameter :func:`pactum.law.time_limit` uses for ``kind`` (not detained, no hit)."""
    for r in TIME_LIMIT_RULES:
        if (r.kind == kind and r.regime == regime and r.variant is None and not r.eurodac_hit
                and not r.detained):
            return r.path
    return None


@lru_cache(maxsize=65536)
def transfer_due_on(regime: str, accepted_on: date, requesting: str) -> date:
    """Last day of the transfer period: the same result as ``time_limit("transfer", ...)``, without
    its explanation (the sweep computes thousands; the explanation is added when a user reads).
    A detained person's shorter limit ends the detention, not the period (Dublin III Art 28(3);
    AMMR Art 45(3)), so it is not this date."""
    path = _rule_path("transfer", regime)
    assert path is not None
    p = param(path, on=accepted_on)
    end = add_period(accepted_on, int(p.value), str(p.unit), requesting)
    return end.date() if isinstance(end, datetime) else end


@lru_cache(maxsize=65536)
def reexamination_request_due_on(regime: str, refused_on: date, requesting: str) -> date | None:
    """Last day to ask for the re-examination of a refusal (Reg. 1560/2003 Art 5(2))."""
    path = _rule_path("reexamination_request", regime)
    if path is None:
        return None
    p = param(path, on=refused_on)
    end = add_period(refused_on, int(p.value), str(p.unit), requesting)
    return end.date() if isinstance(end, datetime) else end


@lru_cache(maxsize=65536)
def transfer_decision_due_on(regime: str, accepted_on: date, requesting: str) -> date | None:
    path = _rule_path("transfer_decision", regime)
    if path is None:
        return None
    p = param(path, on=accepted_on)
    end = add_period(accepted_on, int(p.value), str(p.unit), requesting)
    return end.date() if isinstance(end, datetime) else end


# --- Requests -----------------------------------------------------------------------------------


def send_request(services: Services, principal: Principal, case_id: str, body: RequestCreate
                 ) -> dict[str, Any]:
    """The requesting state's Dublin unit sends a request (or notification) on one of its cases."""
    require(principal, Role.dublin_unit)
    ms = _own_state(principal)
    with services.uow() as uow:
        conn = uow.conn
        c = _own_case(conn, case_id, ms)
        problems: list[tuple[str, str]] = []
        try:
            requested = normalise_state(body.requested_member_state or c.responsible_member_state)
        except ValueError as e:
            raise ValidationProblem.one("requested_member_state", str(e)) from None
        if requested == ms:
            problems.append(("requested_member_state",
                             f"is your own state ({ms}): a request goes to another Member State"))
        if not proc.kind_allowed(body.kind, c.regime):
            other = "take_back_notification" if body.kind == "take_back" else "take_back"
            problems.append(("kind", f"{body.kind} does not exist under {c.regime} "
                             f"(application registered on {c.registered_on}); use {other}"))
        today = uow.now.date()
        # what lies on the case whatever the form says: the rule the case page shows (request_bars)
        _sweep(uow, today=today, where=R.c.case_id == case_id)
        rows = list(conn.execute(select(R).where(R.c.case_id == case_id).order_by(R.c.created_at)))
        hits = _hits_of(conn, [case_id]).get(case_id, [])
        now = _responsible_now(c, rows, today, _offsets_of(conn, [case_id]).get(case_id), hits,
                               _examined_of(conn, [c]).get(c.id),
                               _ceased_of(conn, [c]).get(c.id),
                               _issued_of(conn, [c]).get(c.id))
        bar = request_bars(conn, c, rows, today, now, hits).get(body.kind)
        # a request to the state whose data a hit recorded on the case matched rests on that hit
        # (AMMR Arts 39(1), 40(2), 41(1); Dublin III Arts 21(1), 23(2), 25(1)): it carries it
        inherited = _recorded_hit_for(c, body.kind, requested, rows, hits, today)
        if inherited is not None:
            if "eurodac_hit" in body.model_fields_set and not body.eurodac_hit and body.hit_on is None \
                    and body.kind != "take_back":
                problems.append(("eurodac_hit", _contradicts_hit(c, body.kind, inherited)))
                inherited = None
            elif body.hit_on is None and body.hit_source is not None and body.hit_source != inherited.source:
                problems.append(("hit_source", _contradicts_source(inherited, body.hit_source, c.member_state)))
                inherited = None
            elif body.hit_on is None:
                body = _carrying_hit(body, c, inherited)
            else:
                inherited = None  # the request states its own hit
        hit_source: str = body.hit_source or "eurodac"
        hit_words = f"{HIT_SOURCE_WORDS[hit_source]} hit"
        if body.hit_source is not None and not any(f == "hit_source" for f, _m in problems):
            source_problem = _source_problem(c.regime, body.kind, body.hit_source,
                                             body.eurodac_hit or body.kind == "take_back_notification")
            if source_problem:
                problems.append(("hit_source", source_problem))
        if body.eurodac_hit and body.hit_on is None:
            problems.append(("hit_on", f"the date of the {hit_words} is required when there is a {hit_words}"))
        if body.hit_on is not None and body.hit_on > today:
            problems.append(("hit_on", "is in the future"))
        elif body.hit_on is not None and (unknown := _no_eurodac_on(body.hit_on)):
            problems.append(("hit_on", unknown))
        elif body.hit_on is not None and body.hit_on < c.registered_on:
            problems.append(("hit_on", _hit_before_application(c.regime, body.hit_on, c.registered_on)))
        if body.detained_on is not None and not body.detained:
            problems.append(("detained_on", "a detention date is given but the person is not stated "
                                            "to be detained: state the detention, or leave the date out"))
        elif body.detained_on is not None and body.detained_on > today:
            problems.append(("detained_on", "is in the future"))
        if body.kind == "humanitarian" and not body.requested_member_state:
            problems.append(("requested_member_state",
                             "a humanitarian-clause request names the state asked"))
        if body.kind == "take_back_notification" and body.hit_on is None:
            problems.append(("hit_on", "a take-back notification runs from the Eurodac hit: give its date"))
        elif body.hit_on is not None and not body.eurodac_hit and body.kind != "take_back_notification":
            # a date alone is not a hit: the time limit would silently run from the lodging
            problems.append(("eurodac_hit", "a hit date is given but no Eurodac hit is stated: "
                                            "state the hit, or leave the date out"))
        unfounded: list[tuple[str, str]] = []
        relocation_evidence: dict[str, str] | None = None  # the relocation an Art 38(5) notification rests on
        instead = _take_back_instead(c, requested, now) if body.kind == "take_charge" else None
        if instead is not None:
            problems.append(("kind", instead))
        elif proc.kind_allowed(body.kind, c.regime):
            ground = proc.take_back_ground_problem(body.kind, c.regime, body.take_back_ground, requested)
            if ground:
                problems.append(("kind" if body.take_back_ground is None else "take_back_ground", ground))
            elif body.take_back_ground == relocation_tb.GROUND:
                # Art 38(5): the state asked is the Member State of relocation, on the relocations recorded
                found_relocation = _relocation_obliging(conn, c, requested)
                if found_relocation.problem is not None:
                    problems.append(("take_back_ground", found_relocation.problem))
                else:
                    assert found_relocation.relocation is not None
                    relocation_evidence = {"kind": "other", "description": (
                        f"On the platform's records: {found_relocation.relocation.words()}; the application was "
                        f"registered in {ms} on {c.registered_on.isoformat()} ({relocation_tb.BASIS})")}
            # a take charge rests on a criterion of the hierarchy (Dublin III Art 21(3); AMMR Art 39);
            # where no request lies at all (a 409 below: responsible now, a request running, the
            # time limit passed), that is said first
            criterion_problem = proc.take_charge_criterion_problem(
                body.kind, c.regime, body.criterion, requested, c.responsible_member_state, c.criterion)
            if criterion_problem:
                unfounded.append(("criterion", criterion_problem))
        if body.kind == "humanitarian":
            if bar is not None and bar.field == "kind":  # after a first decision on the substance
                problems.append(("kind", bar.reason))
            else:
                problems.extend(_consent_problems(c.regime, body.consented_in_writing_on, c.registered_on, today))
        elif body.consented_in_writing_on is not None:
            problems.append(("consented_in_writing_on",
                             "only a humanitarian-clause request carries the written consent of the persons "
                             "concerned: leave the date out, or send a humanitarian-clause request"))
        problems.extend(proc.urgent_problems(c.regime, body.kind, body.urgent_ground, body.urgent_decision_on,
                                             body.urgent_reasons, body.urgent_reply_by, c.registered_on, today))
        if problems:
            raise ValidationProblem(problems + unfounded)
        if bar is not None and bar.field is None and not bar.hit_only:
            # no such request lies on the case (transferred, a request running, decided and notified,
            # responsible now, the time limit passed): the case page says the same instead of the form
            raise Conflict(bar.reason)
        event = body.hit_on if (body.eurodac_hit or body.kind == "take_back_notification") \
            and body.hit_on else c.registered_on
        assert event is not None
        ordinary: RequestLimit | None = None
        found = None  # the hit the case knows, when the request states none
        if body.kind in LIMIT_KIND:
            # the one rule for the last day given the registration and the hit (the case page's
            # "Responsible now" and new_request use it too): a take charge runs from the hit the
            # request states or, failing that, the hit the case knows (stated on an earlier request
            # or recorded on the case; the month or two from a hit replace the period from the
            # registration, AMMR Art 39(1) and Dublin III Art 21(1), second subparagraphs); a
            # Dublin III take back from the hit only when based on it (Art 23(2))
            stated = body.hit_on if body.eurodac_hit else None
            source = hit_source
            if inherited is not None:  # the hit the case records, which the request now carries
                found = KnownHit(inherited.hit_on, inherited.source, stored_day(inherited.recorded_at, c.member_state))
                source = inherited.source
            if body.kind == "take_charge":
                if inherited is None:
                    found = None if stated else latest_hit(body.kind, _stated(rows), _recorded(hits, c.member_state))
                    source = found.source if found else source
                hit, on_hit = stated or (found.hit_on if found else None), None
            else:
                hit, on_hit = stated, stated is not None
            try:
                ordinary = request_limit(c.regime, body.kind, c.registered_on, ms, hit, on_hit=on_hit,
                                         hit_source=source)
            except ValidationProblem as exc:  # the limit runs from the hit: the request's own field
                if stated is None:
                    raise
                raise ValidationProblem([("hit_on" if f == "event_at" else f, m) for f, m in exc.problems]) from None
        if body.kind in _REQUEST_LIMIT:
            if ordinary is not None and not body.detained:
                deadline, dinfo = ordinary.last_day, _limit_info(ordinary, body.eurodac_hit and inherited is None, found)
            else:
                try:
                    deadline, dinfo = _limit(_REQUEST_LIMIT[body.kind], event, ms, c.registered_on,
                                             eurodac_hit=body.eurodac_hit, detained=body.detained,
                                             detained_on=body.detained_on)
                except ValidationProblem as exc:  # the limit runs from the hit: the request's own field
                    if event is not body.hit_on:
                        raise
                    raise ValidationProblem([("hit_on" if f == "event_at" else f, m)
                                             for f, m in exc.problems]) from None
        else:  # humanitarian clause: any time before a first decision on the substance (checked above)
            deadline, dinfo = today, {"ends_on": today.isoformat(), "period": "none",
                                      "legal_basis": [], "computation": [
                                          "A humanitarian-clause request may be made at any time "
                                          "before a first decision on the substance"]}
        uam = bool((c.facts.get("applicant") or {}).get("unaccompanied_minor"))
        late = today > deadline
        may_be_late = body.kind == "take_back_notification" or (c.regime == "ammr" and uam)
        if not late and body.detained and body.detained_on is not None and ordinary is not None:
            # A detention ordered after the registration has its own, shorter limit (AMMR Art
            # 45(1)); it derogates from the ordinary limit and does not reopen one that has passed.
            if today > ordinary.last_day:
                deadline, dinfo, late = ordinary.last_day, _limit_info(ordinary, body.eurodac_hit and inherited is None, found), True
        elif late and body.detained and ordinary is not None:
            # The shorter limit for a detained person passed. Its consequence is that the person
            # may no longer be detained for the transfer, not a shift of responsibility: the
            # ordinary limits continue to apply (Dublin III Art 28(3), fourth subparagraph).
            oinfo = _limit_info(ordinary, body.eurodac_hit and inherited is None, found)
            if today <= ordinary.last_day or may_be_late:
                release = (" the person may no longer be detained for the transfer "
                           "(Regulation (EU) No 604/2013, Article 28(3), fourth subparagraph);"
                           if c.regime == "dublin_iii" else "")
                raise Conflict(
                    f"the time limit for a request concerning a detained person ended on "
                    f"{deadline.isoformat()} ({_applied(dinfo)}):{release} the ordinary time limit "
                    + (f"runs until {ordinary.last_day.isoformat()} ({_applied(oinfo)})"
                       if today <= ordinary.last_day
                       else f"ended on {ordinary.last_day.isoformat()} ({_applied(oinfo)}) but does not bar "
                            "this request")
                    + ": send the request without 'detained' if the person is no longer detained")
            deadline, dinfo = ordinary.last_day, oinfo  # the limit that decides responsibility
        if late and not may_be_late:
            assert ordinary is not None
            raise Conflict(_late_refusal(ms, ordinary))
        if unfounded:
            raise ValidationProblem(unfounded)
        reply_due, rinfo = _limit(_REPLY_LIMIT[body.kind], today, requested, c.registered_on,
                                  eurodac_hit=body.eurodac_hit, detained=body.detained)
        if inherited is not None:
            rinfo["computation"].insert(0, _carried_words(c, inherited))
        if body.urgent_ground is not None:
            reply_due, rinfo = _urgent_reply(c.regime, today, requested, c.registered_on, body.urgent_reply_by,
                                             reply_due, rinfo)
        if hit_source == "vis" and body.eurodac_hit:  # the law tree's words name both sources
            dinfo, rinfo = _vis_words(dinfo), _vis_words(rinfo)
        rid = new_id("dbr")
        criterion = c.criterion if requested == c.responsible_member_state else None
        basis = c.legal_basis if requested == c.responsible_member_state else []
        if body.criterion is not None and requested != c.responsible_member_state:
            # the criterion named for a state the determination does not designate, cited as the
            # criteria engine cites it
            criterion = body.criterion
            basis = list(proc.take_charge_criteria(c.regime)[body.criterion])
        if body.take_back_ground is not None:  # a take back rests on its ground, not on a criterion
            criterion = body.take_back_ground
            basis = [proc.TAKE_BACK_GROUNDS[c.regime][body.take_back_ground][1]]
        row = {
            "id": rid, "case_id": case_id, "kind": body.kind, "regime": c.regime,
            "registered_on": c.registered_on, "requesting_member_state": ms,
            "requested_member_state": requested, "status": "pending",
            "criterion": criterion, "legal_basis": basis,
            "evidence": [e.model_dump() for e in body.evidence] + ([relocation_evidence] if relocation_evidence else []),
            "eurodac_hit": body.eurodac_hit, "hit_on": body.hit_on, "hit_source": hit_source,
            "detained": body.detained, "detained_on": body.detained_on,
            "urgent_ground": body.urgent_ground, "urgent_decision_on": body.urgent_decision_on,
            "urgent_reasons": (body.urgent_reasons or "").strip() or None, "urgent_reply_by": body.urgent_reply_by,
            "consented_in_writing_on": body.consented_in_writing_on,
            "unaccompanied_minor": uam, "sent_on": today, "request_deadline": deadline,
            "late": late, "reply_due": reply_due,
            "deadlines": {"request": dinfo, "reply": rinfo},
            "created_by": principal.username, "created_at": uow.now, "updated_at": uow.now,
            "version": 1,
        }
        conn.execute(insert(R).values(**row))
        _event(uow, principal, rid, case_id, "sent", None, "pending",
               {"kind": body.kind, "requested_member_state": requested,
                "reply_due": reply_due.isoformat(), "late": late,
                **({"carries_hit": _hit_label(inherited)} if inherited else {})})
        uow.audit(principal, f"responsibility.{body.kind}_sent", "dublin_request", rid,
                  after={"case": case_id, "requested": requested, "reply_due": reply_due,
                         "late": late})
        uow.commit()
    return get_request(services, principal, rid, channel=None)


def _relocation_obliging(conn: Connection, c: Any, requested: str) -> relocation_tb.Finding:
    """Whether ``requested`` takes the person of case ``c`` back as the Member State of relocation
    (AMMR Art 38(5), :func:`pactum.responsibility.relocation_take_back.relocation_obliging`): the
    relocations the solidarity area recorded of the case's person or of a person of another state a
    same-person identity link joins to them (:func:`_same_persons_of`), read as they are stored
    (``accepted_on`` the confirmation of Art 67(9), ``arrived_on`` the transfer of Art 67(11))."""
    if c.person_id is None:
        return relocation_tb.Finding(None, "the case names no registered person: the relocations recorded are read "
                                           f"from the person's records ({relocation_tb.BASIS})")
    return relocation_tb.relocation_obliging(_relocations_of(conn, c), requested, c.registered_on)


def _relocations_of(conn: Connection, c: Any) -> list[relocation_tb.Relocation]:
    """The AMMR relocations the solidarity area recorded of case ``c``'s person or of a person of
    another state a same-person identity link joins to them, in the order of their confirmation."""
    from pactum.store.tables.solidarity import relocation_transfers as T

    if c.person_id is None:
        return []
    people = {c.person_id, *(p for _ms, p in _same_persons_of(conn, [(c.person_id, c.member_state)])
                             .get(c.person_id, ()))}
    rows = conn.execute(select(T.c.id, T.c.origin_member_state, T.c.destination_member_state, T.c.accepted_on,
                               T.c.arrived_on, T.c.stage, T.c.closed_on)
                        .where(T.c.person_id.in_(sorted(people)), T.c.era == "ammr")
                        .order_by(T.c.accepted_on, T.c.id)).all()
    return [relocation_tb.Relocation(r.id, r.origin_member_state, r.destination_member_state, r.accepted_on,
                                     r.arrived_on, r.stage, r.closed_on) for r in rows]


def _relocation_hint(conn: Connection, c: Any, rows: Sequence[Any], now: ResponsibleNow,
                     bars: Mapping[str, RequestBar]) -> dict[str, Any] | None:
    """The case page's hint before a take-back notification is sent (``None`` otherwise): an AMMR
    case whose person the records show relocated (:func:`_relocations_of`) to a Member State that
    confirmed the relocation before the registration and to which the transfer was not carried out
    by then (AMMR Art 38(5), :func:`~pactum.responsibility.relocation_take_back.relocation_obliging`),
    no request of the case standing (or ended but by withdrawal) and a notification still lying."""
    if c.regime != "ammr" or c.person_id is None or now.rule == CEASED_RULE:
        return None
    if "take_back_notification" in bars and not bars["take_back_notification"].hit_only:
        return None
    if any(r.status != "withdrawn" for r in rows):
        return None
    relocations = _relocations_of(conn, c)
    for state in sorted({r.destination for r in relocations} - {c.member_state}):
        found = relocation_tb.relocation_obliging(relocations, state, c.registered_on)
        if found.relocation is not None:
            return {"relocation_id": found.relocation.id, "requested_member_state": state,
                    "take_back_ground": relocation_tb.GROUND, "legal_basis": relocation_tb.BASIS,
                    "words": found.relocation.words(),
                    "hint": f"On the platform's records, {found.relocation.words()}: {state}, the Member State of "
                            f"relocation, takes the person back ({relocation_tb.BASIS}); send it a take-back "
                            f"notification on take-back ground {relocation_tb.GROUND}"}
    return None


def _recorded_hit_for(c: Any, kind: str, requested: str, rows: Sequence[Any], hits: Sequence[Any],
                      today: date) -> Any | None:
    """The hit recorded on case ``c`` (a row of ``dublin_hits``) that a ``kind`` request to
    ``requested`` rests on, ``None`` when none: the latest hit the case knows for that kind
    (:func:`~pactum.responsibility.request_limits.latest_hit`), recorded on the case (not stated on
    an earlier request) on data of the state requested. A Dublin III take back rests on it only
    while the two months from it run (Art 23(2): after them, only a request on other evidence lies,
    within the three months from the lodging)."""
    found = latest_hit(kind, _stated(rows), _recorded(hits, c.member_state))
    if found is None or found.recorded_on is None:
        return None
    hit = next((h for h in reversed(hits) if h.kind == kind and h.member_state == requested
                and (h.hit_on, h.source, stored_day(h.recorded_at, c.member_state)) == (found.hit_on, found.source,
                                                                         found.recorded_on)), None)
    if hit is not None and kind == "take_back" and today > request_limit(
            c.regime, kind, c.registered_on, c.member_state, hit.hit_on, on_hit=True).last_day:
        return None
    return hit


#: Where the reply to a request resting on a hit is shorter (the requested state's time to answer).
_HIT_REPLY = {("ammr", "take_charge"): "two weeks (Regulation (EU) 2024/1351, Article 40(2))",
              ("dublin_iii", "take_back"): "two weeks (Regulation (EU) No 604/2013, Article 25(1))"}


def _hit_label(h: Any) -> str:
    return f"{HIT_SOURCE_WORDS.get(h.source, 'Eurodac')} hit of {h.hit_on.isoformat()} on data of {h.member_state}"


def _contradicts_hit(c: Any, kind: str, h: Any) -> str:
    """Why a request stating no hit is refused on a case that records one on the requested state's data."""
    runs = hit_runs(c.regime, h.source, h.category)
    basis = runs[1] if runs else ""
    reply = _HIT_REPLY.get((c.regime, kind))
    return (f"the case records the {_hit_label(h)} (recorded on {stored_day(h.recorded_at, c.member_state).isoformat()}): "
            f"the request rests on it ({basis})" + (f" and is answered within {reply}" if reply else "")
            + ": leave eurodac_hit out, or set it, and the request carries the hit")


def _carrying_hit(body: RequestCreate, c: Any, h: Any) -> RequestCreate:
    """``body`` carrying the hit ``h`` recorded on the case: its day, and the hit among the evidence
    when the request sends none of its kind (AMMR Art 39(3), 41(2); Reg. 1560/2003 Annex II)."""
    kind: EvidenceKind = "vis_hit" if h.source == "vis" else "eurodac_hit"
    evidence = list(body.evidence)
    if not any(e.kind == kind for e in evidence):
        what = f" ({code_words(h.category)})" if h.category else ""
        ref = f", reference {h.reference}" if h.reference else ""
        evidence.append(Evidence(kind=kind, description=(
            f"{HIT_SOURCE_WORDS.get(h.source, 'Eurodac')} hit on data of {h.member_state}{what}{ref}, received on "
            f"{h.hit_on.isoformat()} (recorded on the case on {stored_day(h.recorded_at, c.member_state).isoformat()})")))
    return body.model_copy(update={"eurodac_hit": True, "hit_on": h.hit_on, "hit_source": h.source,
                                   "evidence": evidence})


def _urgent_reply(regime: str, received: date, requested: str, registered_on: date, asked: date | None,
                  due: date, info: dict[str, Any]) -> tuple[date, dict[str, Any]]:
    """The reply to a take charge asking for an urgent reply, received on ``received``, given the
    reply ``due`` (with its ``info``) without urgency: Dublin III, the time asked is to be met and
    the reply comes in any event within one month (Art 22(6)), silence then being acceptance (Art
    22(7)); AMMR, within the time indicated or, where none, two weeks (Art 40(7)), silence being
    acceptance (Art 40(8)). Never later than ``due`` (a detained person's week, a hit's two weeks);
    a time asked after ``due`` is refused (422 on ``urgent_reply_by``): it is not urgent."""
    ask, reply = proc.URGENT_BASIS[regime]
    outer, uinfo = _limit("take_charge_reply", received, requested, registered_on, variant="urgent")
    asked_words = f"An urgent reply is asked by {asked.isoformat()} ({ask})" if asked else \
        f"An urgent reply is asked without a time ({ask})"
    if regime == "dublin_iii":
        assert asked is not None  # required under Dublin III (urgent_problems)
        if asked > outer:
            raise ValidationProblem.one("urgent_reply_by", (
                f"{asked.isoformat()} is after the month within which an urgent reply comes in any event "
                f"({outer.isoformat()}, {reply}): ask for an earlier day, or send the request without urgency"))
        words = (f"{asked_words}: the requested Member State makes every effort to reply by then and, where "
                 f"examining the request is particularly complex, replies in any event within one month "
                 f"({reply}); no reply by {outer.isoformat()} is acceptance ({D3_22_7})")
        shown = {**uinfo, "asked_by": asked.isoformat(), "computation": [words, *uinfo["computation"]]}
    elif asked is not None:
        if asked > due:
            raise ValidationProblem.one("urgent_reply_by", (
                f"{asked.isoformat()} is after the day the reply is due without urgency ({due.isoformat()}, "
                f"{_applied(info)}): ask for an earlier day, or leave urgent_reply_by out (two weeks, {reply})"))
        outer = asked
        shown = {"ends_on": asked.isoformat(), "period": "the time indicated in the request",
                 "legal_basis": [reply, ask], "asked_by": asked.isoformat(), "unverified": False,
                 "computation": [f"{asked_words}: the requested Member State replies within the time indicated "
                                 f"({reply}); no reply by {asked.isoformat()} is acceptance ({AMMR_40_8})"]}
    else:
        shown = {**uinfo, "computation": [f"{asked_words}: the requested Member State replies within two weeks of "
                                          f"receipt ({reply}); no reply by then is acceptance ({AMMR_40_8})",
                                          *uinfo["computation"]]}
    if due <= outer and not (regime == "ammr" and asked is not None):
        return due, {**info, "computation": [*info["computation"], (
            f"{asked_words}; the reply is due by {due.isoformat()} anyway ({_applied(info)}), "
            f"not later than the urgent reply's {outer.isoformat()}")]}
    return outer, shown


D3_22_7 = "Regulation (EU) No 604/2013, Article 22(7)"
AMMR_40_8 = "Regulation (EU) 2024/1351, Article 40(8)"


def _contradicts_source(h: Any, stated: str, member_state: str) -> str:
    """Why a request giving another hit source than the hit recorded on the case, without a day of
    its own, is refused."""
    words = HIT_SOURCE_WORDS.get(stated, stated)
    return (f"the case records the {_hit_label(h)} (recorded on {stored_day(h.recorded_at, member_state).isoformat()}), "
            f"which the request carries: leave hit_source out, or give the day of the {words} hit the request "
            f"rests on (hit_on)")


def _source_problem(regime: str, kind: str, source: str, hit_stated: bool) -> str | None:
    """Why ``source`` cannot be the source of the hit a ``kind`` request states under ``regime``, or
    ``None``: a source needs a hit, and only an AMMR take charge rests on a VIS hit (Regulation (EU)
    2024/1351, Article 39(1), second subparagraph, and 40(2))."""
    if not hit_stated:
        return ("a hit source is given but no hit is stated: state the hit (eurodac_hit and hit_on), "
                "or leave the source out")
    if source != "vis":
        return None
    if regime == "dublin_iii":
        return ("under Dublin III no request rests on a VIS hit: a take-charge request runs from a Eurodac hit "
                "(Regulation (EU) No 604/2013, Article 21(1), second subparagraph), a take back from a Eurodac "
                "hit (Article 23(2)); state the Eurodac hit, or leave the hit out")
    if kind != "take_charge":
        what = ("a take-back notification runs from the Eurodac hit on an earlier application's data "
                "(Regulation (EU) 2024/1351, Article 41(1))" if kind == "take_back_notification"
                else f"a {code_words(kind)} request does not rest on a hit")
        return ("only a take-charge request rests on a VIS hit (Regulation (EU) 2024/1351, Article 39(1), "
                f"second subparagraph, and 40(2)): {what}")
    return None


def _vis_words(info: dict[str, Any]) -> dict[str, Any]:
    """A time limit's explanation for a request on a VIS hit: the law tree names the hit by both of its
    sources ("the Eurodac or VIS hit") or by Eurodac ("(after a Eurodac hit)"); the request says which."""
    return {**info, "computation": [str(s).replace("(after a Eurodac hit)", "(after a VIS hit)")
                                    .replace("the Eurodac or VIS hit", "the VIS hit")
                                    for s in info.get("computation") or []]}


def _carried_words(c: Any, h: Any) -> str:
    return (f"The request rests on the {_hit_label(h)} recorded on the case on "
            f"{stored_day(h.recorded_at, c.member_state).isoformat()}, which it carries")


_ONE_STATE = {"dublin_iii": "Regulation (EU) No 604/2013, Article 3(1)",
              "ammr": "Regulation (EU) 2024/1351, Article 16(1)"}


def asylum_case_of(conn: Connection, c: Any) -> dict[str, Any] | None:
    """The asylum case of the application a Dublin case ``c`` concerns (the state's application of
    the case's person: the latest made on or before the day the case counts from, or the earliest
    when the case counts from a day before every one), as its Dublin unit reads it beside the
    request form; ``None`` when the case names no person or the person has no application there.
    An application made after the case's day is a later one, not the one determined."""
    from pactum.store.tables.procedures import asylum_applications as A

    if c.person_id is None:
        return None
    apps = conn.execute(select(A.c.id, A.c.reference, A.c.state, A.c.procedure, A.c.made_on,
                               A.c.registered_on, A.c.outcome, A.c.decided_on, A.c.notified_on,
                               A.c.return_decision_id)
                        .where(A.c.member_state == c.member_state, A.c.person_id == c.person_id)
                        .order_by(A.c.made_on, A.c.id)).all()
    if not apps:
        return None
    before = [a for a in apps if a.made_on <= c.registered_on]
    a = before[-1] if before else apps[0]
    return {"id": a.id, "reference": a.reference, "member_state": c.member_state, "state": a.state,
            "state_label": a.state.replace("_", " "),
            "procedure": a.procedure, "made_on": a.made_on.isoformat(),
            "registered_on": a.registered_on.isoformat() if a.registered_on else None,
            "outcome": a.outcome, "outcome_label": a.outcome.replace("_", " ") if a.outcome else None,
            "decided_on": a.decided_on.isoformat() if a.decided_on else None,
            "notified_on": a.notified_on.isoformat() if a.notified_on else None,
            "return_decision_id": a.return_decision_id,
            "substance_decision": _substance_decision(conn, a)}


#: The first-instance outcomes of an asylum case (``pactum.procedures.model.Outcome``) that decide
#: the application on its substance: they grant (refugee status, subsidiary protection) or refuse
#: (unfounded, manifestly unfounded) international protection after examining whether the
#: applicant qualifies for it. Not on the substance: a rejection as inadmissible (the merits are
#: not examined: Directive 2013/32/EU Art 33(1); Regulation (EU) 2024/1348 Art 38) and an
#: application treated as implicitly withdrawn (the examination is discontinued or the application
#: rejected as abandoned without a finding on the merits: Directive 2013/32/EU Art 28; Regulation
#: (EU) 2024/1348 Arts 39(1)(c) and 41, read in the Official Journal text), nor a Dublin transfer,
#: which closes the case unexamined.
SUBSTANCE_OUTCOMES = frozenset({Outcome.refugee_status, Outcome.subsidiary_protection,
                                Outcome.rejected_unfounded, Outcome.rejected_manifestly_unfounded})


def _substance_decision(conn: Connection, a: Any) -> dict[str, Any] | None:
    """The first decision on the substance taken on asylum case ``a`` (a row of
    ``asylum_applications``), or ``None``: the earliest decision approved at the second-level
    review (the event ``decided``, the day it was taken) whose outcome is one of
    :data:`SUBSTANCE_OUTCOMES`, also one since annulled on appeal and sent back (the case no
    longer carries it, its timeline does): ``{"outcome", "outcome_label", "decided_on"}``."""
    from pactum.store.tables.procedures import asylum_case_events as E

    taken: list[tuple[str, str]] = []
    for e in conn.execute(select(E.c.detail).where(E.c.case_id == a.id, E.c.event == "decided")):
        d = e.detail or {}
        if d.get("outcome") in SUBSTANCE_OUTCOMES and d.get("decided_on"):
            taken.append((str(d["decided_on"]), str(d["outcome"])))
    if a.outcome in SUBSTANCE_OUTCOMES and a.decided_on is not None:
        taken.append((a.decided_on.isoformat(), str(a.outcome)))
    if not taken:
        return None
    on, outcome = min(taken)
    return {"outcome": outcome, "outcome_label": _SUBSTANCE_LABELS.get(outcome, outcome.replace("_", " ")),
            "decided_on": on}


#: A decision on the substance in words, as the refusal of a humanitarian-clause request names it.
_SUBSTANCE_LABELS: dict[str, str] = {Outcome.refugee_status: "refugee status granted",
                                      Outcome.subsidiary_protection: "subsidiary protection granted",
                                      Outcome.rejected_unfounded: "rejected as unfounded",
                                      Outcome.rejected_manifestly_unfounded: "rejected as manifestly unfounded"}


#: The humanitarian clause, by the case's regime: a request "at any time before a first decision
#: regarding the substance is taken".
#: The humanitarian clause of each regime, read from the law tree: the paragraph that holds its
#: reply period holds the clause (Dublin III Art 17(2); AMMR Art 35(2)).
_HUMANITARIAN_CLAUSE = {"dublin_iii": "dublin3.humanitarian.reply", "ammr": "ammr.humanitarian.reply"}


def humanitarian_clause(regime: str) -> str:
    """The article of the humanitarian clause under the case's ``regime`` (Dublin III Art 17(2),
    AMMR Art 35(2)), as refusals and pages cite it."""
    return history(_HUMANITARIAN_CLAUSE.get(regime, _HUMANITARIAN_CLAUSE["dublin_iii"])).reference.cite()


def humanitarian_barred(regime: str, app: dict[str, Any] | None) -> str | None:
    """Why no humanitarian-clause request lies on an application (``app`` from
    :func:`asylum_case_of`) whose state has taken a first decision on its substance, or ``None``:
    the clause may be invoked "at any time before a first decision regarding the substance is
    taken" (Dublin III Art 17(2); AMMR Art 35(2), by the case's ``regime``)."""
    decided = app["substance_decision"] if app else None
    if app is None or decided is None:
        return None
    basis = humanitarian_clause(regime)
    return (f"a humanitarian-clause request may be made only before a first decision regarding the "
            f"substance is taken ({basis}): {app['member_state']} took one on {decided['decided_on']}, "
            f"asylum case {app.get('reference') or app['id']}: {decided['outcome_label']}")


def _consent_problems(regime: str, consented_on: date | None, registered_on: date, today: date
                      ) -> list[tuple[str, str]]:
    """Why the day the persons concerned consented in writing to a humanitarian-clause request is
    refused, or nothing: "The persons concerned must express their consent in writing" (Dublin III
    Art 17(2); AMMR Art 35(2), first subparagraph, by the case's ``regime``). The request is made
    on an application, so the consent to it is not dated before the day the case counts from (the
    lodging under Dublin III, the registration under the AMMR) nor after today."""
    basis = humanitarian_clause(regime)
    field = "consented_in_writing_on"
    if consented_on is None:
        return [(field, f"a humanitarian-clause request needs the written consent of the persons concerned "
                        f"({basis}): give the day they consented in writing")]
    if consented_on > today:
        return [(field, "is in the future")]
    if consented_on < registered_on:
        what = _applicant_data(regime)[0]
        return [(field, f"{consented_on.isoformat()} is before the application was {what} "
                        f"({registered_on.isoformat()}): the persons concerned consent to a request on the "
                        f"application ({basis}); check the date")]
    return []


def _notified_decision(app: dict[str, Any] | None) -> str | None:
    """Why no take-charge request lies on an application its state has decided at first instance
    and notified (``app`` from :func:`asylum_case_of`), or ``None``. The determination of the state
    responsible precedes the examination: the application is examined by the one state the
    criteria designate (Dublin III Art 3(1); AMMR Art 16(1)), and a take-charge request asks
    another state to take charge of an application the requesting state has not examined.

    What the refusal tells the officer to do is only what the law and the platform support: the
    state that decided has examined the application (a decision on it is part of its examination,
    Dublin III Art 2(d)) and keeps it; a decision recorded on the wrong asylum case is an error in
    the records, for the state's asylum authority to raise. Undoing a first-instance decision so as
    to hand the application to another state is no step of the procedure either Regulation lays
    down, and the platform records no act by which the authority withdraws its own decision (only
    an appeal annulling it, which sends the case back to the same authority for a new
    examination; the applicant's withdrawal of the application is another matter)."""
    if app is None or app["notified_on"] is None:
        return None
    ms = app["member_state"]
    basis = " and ".join(_ONE_STATE.values())
    return (f"{ms} has decided this application at first instance and notified the decision: asylum case "
            f"{app.get('reference') or app['id']}, {app['outcome_label'] or 'decided'} on {app['decided_on']}, "
            f"notified on {app['notified_on']}. The Member State responsible is determined before the application is "
            f"examined, by the one state the criteria designate ({basis}): a take-charge request asks "
            f"another state to take charge of an application {ms} has not examined, so it no longer lies. "
            f"{ms} has examined the application and it stays with {ms}. If the decision was recorded on the "
            f"wrong asylum case, that is an error in the records for {ms}'s asylum authority to raise; a "
            "request to another state does not correct it")


def _overtaken_words(r: Any, ms: str) -> str:
    """A request standing that the case's state's examination of the application overtook (rule
    ``examined``), in words: which, its status, what to do."""
    status = proc.status_label(r.kind, r.status)
    return (f"the {_KIND_WORDS.get(r.kind, r.kind)} to {r.requested_member_state} ({r.id}, sent on "
            f"{r.sent_on.isoformat()}) still stands ({status}) but is overtaken: {ms} examined the application; "
            f"withdraw it, which informs {r.requested_member_state}")


def _overtaken_public(now: ResponsibleNow, rows: Sequence[Any], ms: str) -> dict[str, Any] | None:
    """The request standing that the examination overtook, for the case's own state (rule
    ``examined`` with a warning), as the asylum-case notice beside the request form and the
    request page name it: ``id``, ``kind``, ``requested_member_state``, ``sent_on``,
    ``status_label``, ``legal_basis`` (the article by which withdrawing it informs the state asked),
    ``words``; ``None`` otherwise."""
    if now.rule != "examined" or not now.warning or not now.request_id:
        return None
    r = next((x for x in rows if x.id == now.request_id), None)
    if r is None:
        return None
    return {"id": r.id, "kind": r.kind, "requested_member_state": r.requested_member_state,
            "sent_on": r.sent_on.isoformat(), "status_label": proc.status_label(r.kind, r.status),
            "legal_basis": now.legal_basis[-1], "words": _overtaken_words(r, ms)}


def _running_request_problem(reference: str, regime: str, running: Any) -> str:
    """Why no other request is sent on a case while ``running`` (a request still awaiting a reply,
    refused and open to re-examination, accepted, transfer decided or arranged) stands."""
    what = {"take_charge": "take-charge request", "take_back": "take-back request",
            "take_back_notification": "take-back notification",
            "humanitarian": "humanitarian-clause request"}.get(running.kind, running.kind)
    status = proc.status_label(running.kind, running.status)
    if running.status == "refused":
        end = "ask for its re-examination, accept the refusal or withdraw it before asking another state"
    elif running.status in proc.OPEN_REPLY:
        end = "wait for its outcome or withdraw it before asking another state"
    else:
        end = f"{running.requested_member_state} is responsible: withdraw it before asking another state"
    return (f"case {reference} already has a {what} to {running.requested_member_state} that is {status} "
            f"({running.id}): only one Member State examines an application "
            f"({_ONE_STATE.get(regime, _ONE_STATE['dublin_iii'])}); {end}")


#: A request's kind in words, as the refusals name it.
_KIND_WORDS = {"take_charge": "take-charge request", "take_back": "take-back request",
               "take_back_notification": "take-back notification",
               "humanitarian": "humanitarian-clause request"}
#: What makes the case's own state responsible so that no time-limited request lies any more
#: (``ResponsibleNow.rule``): a transfer period that ended without the transfer, a responsibility
#: offset taken over, the discretionary clause applied, a residence document it issued the applicant
#: since the registration (Dublin III Art 19(1); AMMR Art 37(1)).
_NO_REQUEST_AFTER = ("transfer_deadline_missed", "responsibility_offset", "discretionary_clause",
                     "residence_document_issued")


@dataclass(frozen=True)
class RequestBar:
    """Why a kind of request does not lie on a Dublin case as it stands, whatever the request
    form says (the state asked, the evidence), with its legal basis. ``field``: ``"kind"`` when
    the refusal is of the kind chosen (a 422 on ``kind``), ``None`` when no such request lies (a
    409). ``hit_only``: the time limit from the application has passed, but one running from a
    Eurodac hit may not have: the request lies only with a hit within its own time limit (the
    form stays, the refusal is then the time limit's)."""

    kind: str
    reason: str
    legal_basis: list[str]
    field: str | None = None
    hit_only: bool = False
    #: the words a recorded hit's effect ends with, where ``reason`` repeats what the case's
    #: "Responsible now" says (who is responsible and why): "DE is responsible now (…)"
    briefly: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "lies": self.hit_only, "reason": self.reason,
                "legal_basis": self.legal_basis, "only_with_eurodac_hit": self.hit_only}


def _late_refusal(ms: str, limit: RequestLimit) -> str:
    """Why a request sent after its time limit (:func:`case_request_limit`, or the request's own
    hit) is refused: the requesting state is responsible."""
    hit = ""
    if limit.from_hit and limit.hit_on is not None:
        hit = f", {limit.result.period} from the {limit.hit_words} of {limit.hit_on.isoformat()}"
    return (f"the time limit for this request ended on {limit.last_day.isoformat()} "
            f"({limit.legal_basis}){hit}: {ms} is responsible ({limit.lapse_basis})")


def _limit_info(limit: RequestLimit, stated_hit: bool, found: KnownHit | None = None) -> dict[str, Any]:
    """A request's ``deadlines["request"]`` from the rule's :class:`RequestLimit`: what
    :func:`_limit` says, with where the hit came from when the request did not state it
    (``found``: recorded on the case, or stated on an earlier request)."""
    r = limit.result
    computation = list(r.computation)
    if limit.hit_on is not None and not stated_hit and limit.from_hit:
        where = (f"recorded on the case on {found.recorded_on.isoformat()}" if found and found.recorded_on
                 else "stated on an earlier request")
        instead = ("in place of the period from the registration" if (limit.regime, limit.kind) in HIT_REPLACES
                   else "the request rests on it (Regulation (EU) No 604/2013, Article 23(2))")
        computation.insert(0, f"The case records a {limit.hit_words} received on {limit.hit_on.isoformat()} "
                              f"({where}): the time limit runs from it, {instead}")
    return {"ends_on": limit.last_day.isoformat(), "period": r.period, "legal_basis": r.legal_basis,
            "computation": computation, "unverified": r.unverified}


def _responsible_briefly(ms: str, now: ResponsibleNow) -> str:
    """Who is responsible now, without the reason "Responsible now" gives beside it: the end of a
    hit's effect where no request lies because ``ms`` is (its reason names ``ms`` again)."""
    return f"{ms} is responsible now ({'; '.join(dict.fromkeys(now.legal_basis))})" if now.legal_basis \
        else f"{ms} is responsible now"


def request_bars(conn: Connection, c: Any, rows: Sequence[Any], today: date, now: ResponsibleNow,
                 hits: Sequence[Any] | None = None) -> dict[str, RequestBar]:
    """Which requests do not lie on case ``c`` (a row of ``dublin_cases``) on ``today``, by kind,
    whatever the request form holds: the one rule that :func:`send_request` refuses a request by
    and that the case (``new_request`` of :func:`get_case`, the case page) shows instead of the
    form. ``rows``: the case's requests, deadlines applied; ``now``: who is responsible today.
    Each kind of the case's regime without a bar lies. In the order a refusal says them:

    - a humanitarian-clause request after a first decision on the substance (Dublin III Art 17(2);
      AMMR Art 35(2)): refused as the kind chosen;
    - the applicant was transferred on one of the case's requests: the state asked is responsible
      and examines the application (one Member State examines it, Dublin III Art 3(1); AMMR Art
      16(1)); no request lies any more;
    - a request is still running (awaiting a reply, refused and open to re-examination, accepted,
      transfer decided or arranged): no second request while it stands (same articles);
    - a take-charge request on an application the state decided and notified;
    - a take-charge request to the state the determination designates where the person applied
      there before (it takes them back: Dublin III Arts 18(1)(b)-(d), 23; AMMR Arts 36(1)(b),
      41), unless that take-back obligation ended (refused as the kind chosen, as
      :func:`send_request` refuses it, so that the request form does not offer it);
    - a time-limited request (take charge, take back, take-back notification) once the case's own
      state became responsible by a missed transfer period, a responsibility offset or the
      discretionary clause;
    - a time-limited request after its time limit from the application, which no Eurodac hit can
      reopen (a late request makes the requesting state responsible: Dublin III Arts 21(1), 23(3);
      AMMR Art 39(1)); where a limit from a hit may still run, the request lies only with a hit
      (``hit_only``). An unaccompanied minor's take charge under the AMMR and a take-back
      notification may be late.

    ``hits``: the hits recorded on the case (rows of ``dublin_hits``; ``None``: read here)."""
    ms, regime = c.member_state, c.regime
    if hits is None:
        hits = _hits_of(conn, [c.id]).get(c.id, [])
    app = asylum_case_of(conn, c)
    one_state = _ONE_STATE.get(regime, _ONE_STATE["dublin_iii"])
    uam = bool(((c.facts or {}).get("applicant") or {}).get("unaccompanied_minor"))
    moved = [r for r in rows if r.status == "transferred"]
    running = next((r for r in rows if r.status in _ACTIVE), None)
    bars: dict[str, RequestBar] = {}
    for kind in proc.KINDS:
        if not proc.kind_allowed(kind, regime):
            continue
        what = _KIND_WORDS[kind]
        if kind == "humanitarian":
            barred = humanitarian_barred(regime, app)
            if barred:
                bars[kind] = RequestBar(kind, barred, [humanitarian_clause(regime)], field="kind")
                continue
        if moved:
            r = moved[-1]
            day = r.transferred_on or r.closed_on
            basis = [*(now.legal_basis if now.rule == "transferred" else []), one_state]
            bars[kind] = RequestBar(kind, f"the applicant was transferred to {r.requested_member_state}"
                                          f"{f' on {day.isoformat()}' if day else ''} (request {r.id}): "
                                          f"{r.requested_member_state} is responsible and examines the application "
                                          f"({one_state}); no {what} lies on this case any more", basis)
            continue
        if running is not None and now.rule == "examined" and now.request_id == running.id and now.warning:
            # the request standing is overtaken by the examination: say so where the unit acts
            inform = now.legal_basis[-1]
            bars[kind] = RequestBar(kind, f"{_overtaken_words(running, ms)}; while it stands no other request is "
                                          f"sent on case {c.reference} ({one_state})", [one_state, inform])
            continue
        if running is not None:
            bars[kind] = RequestBar(kind, _running_request_problem(c.reference, regime, running), [one_state])
            continue
        if kind == "humanitarian":  # any time before a first decision on the substance (checked first)
            continue
        if kind == "take_charge":
            decided = _notified_decision(app)
            if decided is not None:
                bars[kind] = RequestBar(kind, decided, [one_state])
                continue
            instead = _take_back_instead(c, c.responsible_member_state, now, on_the_form=True)
            if instead is not None:  # only a take back (notification) lies to the state applied in
                bars[kind] = RequestBar(kind, instead, [proc.TAKE_BACK_INSTEAD.get(
                    regime, proc.TAKE_BACK_INSTEAD["dublin_iii"])[1]], field="kind")
                continue
        if kind in proc.TAKE_BACK_KINDS and now.member_state == ms and now.rule == "examined":
            # the state of the new application examined it: it is responsible, and the take-back
            # obligation passed to it (Dublin III Arts 3(1), 17(1); AMMR Arts 16(1), 35(1), 37(1))
            bars[kind] = RequestBar(kind, f"{ms} is responsible now: {with_basis(now.reason, now.legal_basis)}",
                                    list(now.legal_basis), briefly=_responsible_briefly(ms, now))
            continue
        if kind in proc.TAKE_BACK_KINDS and now.rule == CEASED_RULE:
            # the take-back obligation ended (Dublin III Art 19(2)-(3); AMMR Art 37(4)-(5)): the
            # application is a new one, determined afresh
            bars[kind] = RequestBar(kind, f"{with_basis(now.reason, now.legal_basis)}", list(now.legal_basis))
            continue
        if now.member_state == ms and now.rule in _NO_REQUEST_AFTER:
            bars[kind] = RequestBar(kind, f"{ms} is responsible now: {with_basis(now.reason, now.legal_basis)}; "
                                          f"a {code_words(kind)} no longer lies", list(now.legal_basis),
                                    briefly=_responsible_briefly(ms, now))
            continue
        may_be_late = kind == "take_back_notification" or (regime == "ammr" and uam)
        if may_be_late:
            continue
        limit = case_request_limit(c, rows, kind, hits)
        if today <= limit.last_day:
            continue
        if limit.hit_may_extend:
            bars[kind] = RequestBar(kind, f"the time limit from the application ended on "
                                          f"{limit.registration_day.isoformat()} ({limit.legal_basis}): a {what} "
                                          f"now lies only within the time limit from a Eurodac hit "
                                          f"({limit.hit_period}); tick \"Eurodac hit\" and give its "
                                          f"date, otherwise {ms} is responsible ({limit.lapse_basis})",
                                    list(dict.fromkeys([limit.legal_basis, limit.lapse_basis])), hit_only=True)
        else:
            bars[kind] = RequestBar(kind, _late_refusal(ms, limit), [limit.legal_basis, limit.lapse_basis])
    return bars


def new_request(conn: Connection, c: Any, rows: Sequence[Any], today: date, now: ResponsibleNow,
                hits: Sequence[Any] | None = None) -> dict[str, Any]:
    """Whether a request lies on case ``c`` and, kind by kind, why not (:func:`request_bars`), as
    the case's ``new_request`` says it: ``lies`` (some kind lies, perhaps only with a Eurodac hit),
    ``kinds`` (each kind of the regime: ``lies``, ``reason``, ``legal_basis``,
    ``only_with_eurodac_hit``)."""
    return _lies(c, request_bars(conn, c, rows, today, now, hits))


def _lies(c: Any, bars: Mapping[str, RequestBar]) -> dict[str, Any]:
    """:func:`new_request` from the case's :func:`request_bars`."""
    kinds = [bars[k].to_json() if k in bars else {"kind": k, "lies": True, "reason": None, "legal_basis": [],
                                                   "only_with_eurodac_hit": False}
             for k in proc.KINDS if proc.kind_allowed(k, c.regime)]
    return {"lies": any(k["lies"] for k in kinds), "kinds": kinds}


def _event(uow: UnitOfWork, principal: Principal, request_id: str, case_id: str, action: str,
           before: str | None, after: str, details: dict[str, Any] | None = None) -> None:
    uow.conn.execute(insert(dublin_request_events).values(
        id=new_id("dbe"), request_id=request_id, case_id=case_id, at=uow.now,
        actor=principal.username, authority=principal.authority, action=action,
        from_status=before, to_status=after, details=details or {}))


def _load_request(uow: UnitOfWork, principal: Principal, request_id: str) -> Any:
    row = uow.conn.execute(select(R).where(R.c.id == request_id)).first()
    if row is None or not _request_visible(principal, row):
        raise NotFound(f"Dublin request {request_id} not found")
    return row


def _request_visible(principal: Principal, row: Any) -> bool:
    ms = principal.member_state
    return ms is not None and ms in (row.requesting_member_state, row.requested_member_state)


def _status_words(kind: str, from_status: str | None, to_status: str | None) -> dict[str, str | None]:
    """A timeline event's statuses in words, as the request's kind says them: a take-back
    notification goes from "awaiting confirmation" to "receipt confirmed" or "contested" (AMMR Art
    41(3)), never to "refused"."""
    return {"from_status_label": proc.status_label(kind, from_status) if from_status else None,
            "to_status_label": proc.status_label(kind, to_status) if to_status else None}


#: The first answers of the state asked to a request still pending: accepted or refused; a
#: take-back notification's receipt confirmed or contested (AMMR Art 41(3)).
_FIRST_ANSWERS = ("accepted", "refused", "confirmed", "refused_final")


def _answered(row: Any, events: Sequence[dict[str, Any]]) -> dict[str, str] | None:
    """How and when the state asked first answered: ``{"words", "on"}``, the words "replied" for a
    request, "confirmed" or "contested" for a take-back notification (AMMR Art 41(3): a
    notification is confirmed or contested, never refused); ``None`` before any answer. The day is
    the first answer's event's, or the request's ``replied_on`` for a request loaded without a
    timeline."""
    first = next((e for e in events if e["from_status"] == "pending" and e["to_status"] in _FIRST_ANSWERS), None)
    on = str(first["at"])[:10] if first else (row.replied_on.isoformat() if row.replied_on else None)
    if on is None:
        return None
    if row.kind != "take_back_notification":
        return {"words": "replied", "on": on}
    contested = first["to_status"] == "refused_final" if first else row.status == "refused_final"
    return {"words": "contested" if contested else "confirmed", "on": on}


def get_request(services: Services, principal: Principal, request_id: str, *,
                channel: str | None = "web") -> dict[str, Any]:
    """A request as either state reads it. The read is logged (``services.reads``, on
    ``channel``; ``None``: an internal read, not logged), the applicant as the requesting state's
    person (the case's), whichever of the two states reads it."""
    require(principal, *CASE_READERS)
    with services.uow() as uow:
        _load_request(uow, principal, request_id)
        _sweep(uow, today=uow.now.date(), where=R.c.id == request_id)
        row = uow.conn.execute(select(R).where(R.c.id == request_id)).one()
        events = [{"at": as_utc(e.at).isoformat(), "actor": e.actor, "authority": e.authority,
                   "action": e.action, "from_status": e.from_status, "to_status": e.to_status,
                   **_status_words(row.kind, e.from_status, e.to_status), "details": e.details}
                  for e in uow.conn.execute(select(dublin_request_events).where(
                      dublin_request_events.c.request_id == request_id).order_by(
                      dublin_request_events.c.at, dublin_request_events.c.id))]
        c = uow.conn.execute(select(dublin_cases).where(dublin_cases.c.id == row.case_id)).first()
        overtaken = ceased = None
        if c is not None and row.status not in proc.CLOSED and principal.member_state in (
                row.requesting_member_state, row.requested_member_state):
            # the obligations of the state asked ended on the platform's records (rule ``ceased``:
            # Dublin III Art 19(3); AMMR Art 37(2)-(3), (5)): said on the request, to either state
            case_rows = list(uow.conn.execute(select(R).where(R.c.case_id == c.id).order_by(R.c.created_at)))
            now = _responsible_now(c, case_rows, uow.now.date(), _offsets_of(uow.conn, [c.id]).get(c.id),
                                   _hits_of(uow.conn, [c.id]).get(c.id, []), _examined_of(uow.conn, [c]).get(c.id),
                                   _ceased_of(uow.conn, [c]).get(c.id),
                                   _issued_of(uow.conn, [c]).get(c.id))
            if now.cessation is not None and now.cessation["member_state"] == row.requested_member_state:
                ceased = {**now.cessation, "reason": with_basis(now.reason, now.legal_basis),
                          "articles": list(now.legal_basis)}
        elsewhere = None
        if c is not None and row.status in proc.OPEN_REPLY | {"refused"} and principal.member_state in (
                row.requesting_member_state, row.requested_member_state):
            # the take back of a person who withdrew the first application during the determination
            # ended on the records: another state issued a residence document (Dublin III Art 20(5),
            # second subparagraph), which the state asked may refuse on
            doc = _document_elsewhere(uow.conn, row, local_today(uow.now, row.requested_member_state))
            if doc is not None:
                elsewhere = {"record_id": doc.id, "issued_by": doc.member_state, "issued_on": doc.issued_on.isoformat(),
                             "words": _elsewhere_words(doc),
                             "legal_basis": cessation_basis("residence_document", row.regime, row.criterion)}
        if c is not None and principal.member_state == row.requesting_member_state == c.member_state \
                and row.status not in proc.CLOSED:
            # the requesting state reads its request: overtaken by its own examination of the
            # application (rule ``examined``)? Said where it withdraws the request
            case_rows = list(uow.conn.execute(select(R).where(R.c.case_id == c.id).order_by(R.c.created_at)))
            today = uow.now.date()
            now = _responsible_now(c, case_rows, today, _offsets_of(uow.conn, [c.id]).get(c.id),
                                   _hits_of(uow.conn, [c.id]).get(c.id, []), _examined_of(uow.conn, [c]).get(c.id),
                                   _ceased_of(uow.conn, [c]).get(c.id),
                                   _issued_of(uow.conn, [c]).get(c.id))
            found = _overtaken_public(now, case_rows, c.member_state)
            overtaken = found if found and found["id"] == request_id else None
        if channel is not None:  # logged with the read, committed with the sweep
            reads.record_read(uow.conn, principal, {c.person_id: c.member_state} if c and c.person_id else {},
                              reads.DUBLIN_REQUEST, channel, at=uow.now, record_id=request_id)
        uow.commit()
    out = _request_public(row, uow.now.date())
    if row.accepted_on is not None and "transfer" not in out["deadlines"]:
        # accepted by silence in a sweep: show how the transfer period was computed
        acc = _after_acceptance(row.regime, row.accepted_on, row.requesting_member_state,
                                row.registered_on, row.detained)
        out["deadlines"] = {**out["deadlines"], **acc.deadlines}
    if out["reexamination_request_due"] and "reexamination_request" not in out["deadlines"]:
        _, winfo = _limit("reexamination_request", row.replied_on, row.requesting_member_state, row.registered_on)
        out["deadlines"] = {**out["deadlines"], "reexamination_request": winfo}
    out["timeline"] = events
    out["answered"] = _answered(row, events)
    out["overtaken"] = overtaken
    out["obligations_ceased"] = ceased
    out["residence_document_elsewhere"] = elsewhere
    out["case_reference"] = c.reference if c else None
    out["applicant_name"] = c.applicant_name if c else None
    side = "requested" if principal.member_state == row.requested_member_state else (
        "requesting" if principal.member_state == row.requesting_member_state else None)
    out["your_actions"] = proc.actions_for(row.kind, row.status, side) if side else []  # type: ignore[arg-type]
    if side == "requesting" and row.status in proc.TRANSFER_RUNNING:
        acts = out["your_actions"]
        if _suspended(row):
            acts[:] = [a for a in acts if a not in ("arrange_transfer", "complete_transfer")]
            acts.append("decide_appeal")
        else:
            if not row.extension_reason:
                acts.append("extend_transfer")
            if row.status in APPEALABLE and row.appeal_lodged_on is None:
                acts.append("record_appeal")
            elif row.appeal_lodged_on is not None and row.appeal_decided_on is None:
                acts.append("decide_appeal")
            elif row.status in APPEALABLE and row.appeal_decided_on is not None:
                acts.append("decide_transfer")  # a new transfer decision after the appeal
    return out


def _next_deadline(row: Any) -> tuple[str, date] | None:
    if row.status == "pending":
        return (proc.REPLY_WHAT.get(row.kind, "reply"), row.reply_due)
    if row.status == "reexamination_requested":
        return ("re-examination reply", row.reexamination_due)
    if row.status in proc.ACCEPTED and row.transfer_decision_due and not row.transfer_decided_on:
        return ("transfer decision", row.transfer_decision_due)
    if row.status in proc.TRANSFER_RUNNING:
        if _suspended(row):
            return None  # no time limit runs until the final decision on the appeal
        return ("transfer", row.transfer_due)
    return None


def _reexamination_window(row: Any) -> date | None:
    """The last day the requesting state may ask for the re-examination of a refusal (Reg.
    1560/2003 Art 5(2)), while the refusal stands; ``None`` otherwise."""
    if row.status != "refused" or row.replied_on is None or "request_reexamination" not in proc.actions_for(
            row.kind, row.status, "requesting"):
        return None
    return reexamination_request_due_on(row.regime, row.replied_on, row.requesting_member_state)


def _request_public(row: Any, today: date) -> dict[str, Any]:
    nxt = _next_deadline(row)
    window = _reexamination_window(row)
    if nxt is None and window is not None and window >= today:
        nxt = ("re-examination request", window)
    d = {c: getattr(row, c) for c in (
        "id", "case_id", "kind", "regime", "registered_on", "requesting_member_state", "requested_member_state",
        "status", "criterion", "legal_basis", "evidence", "eurodac_hit", "hit_on", "detained",
        "detained_on", "urgent_ground", "urgent_decision_on", "urgent_reasons", "urgent_reply_by",
        "consented_in_writing_on", "unaccompanied_minor", "sent_on", "request_deadline", "late", "reply_due", "replied_on",
        "refusal_reasons", "reexamination_due", "accepted_on", "transfer_decision_due",
        "transfer_decided_on", "transfer_planned_on", "transfer_arrangements", "transfer_due",
        "extension_reason", "appeal_lodged_on", "appeal_suspensive", "appeal_decided_on",
        "transferred_on", "closed_on", "responsible_member_state", "deadlines", "version")}
    for k, v in list(d.items()):
        if isinstance(v, (date, datetime)):
            d[k] = v.isoformat()
    # where the request's hit came from (eurodac, vis); None when it states no hit
    d["hit_source"] = ((getattr(row, "hit_source", None) or "eurodac")
                       if row.eurodac_hit or row.hit_on is not None else None)
    d["status_label"] = proc.status_label(row.kind, row.status)
    d["criterion_label"] = proc.criterion_label(row.criterion, row.requested_member_state)
    # a refusal because the obligations of the state asked ceased: the ground, its article, the day
    # the person left and the evidence (None otherwise)
    ground = getattr(row, "refusal_ground", None)
    d["refusal_cessation"] = None if ground not in CESSATION_GROUNDS else {
        "ground": ground, "label": cessation_label(ground, row.regime, row.registered_on),
        "legal_basis": cessation_basis(ground, row.regime, row.criterion),
        "left_on": row.refusal_left_on.isoformat() if row.refusal_left_on else None,
        "evidence": row.refusal_evidence}
    # a take-back notification contested on a ground other than a cessation (AMMR Art 41(3): a wrong
    # indication in Eurodac): the ground, its words, its article and what shows it (None otherwise)
    d["contest_ground"] = None if ground not in CONTEST_GROUNDS else {
        "ground": ground, "label": CONTEST_GROUNDS[ground]["label"],
        "legal_basis": CONTEST_GROUNDS[ground]["basis"], "evidence": row.refusal_evidence}
    # an appeal with suspensive effect stops the transfer and its time limit: no next deadline
    d["transfer_suspended"] = row.status in proc.TRANSFER_RUNNING and _suspended(row)
    d["reexamination_request_due"] = window.isoformat() if window else None
    if nxt is not None and nxt[1] is not None:
        # whose deadline it is: the state asked replies or confirms, the requesting state asks for a
        # re-examination, decides and carries out the transfer
        owner = proc.deadline_side(nxt[0])
        d["next_deadline"] = {"what": nxt[0], "on": nxt[1].isoformat(),
                              "days_left": (nxt[1] - today).days,
                              "member_state": (row.requested_member_state if owner == "requested"
                                               else row.requesting_member_state)}
    else:
        d["next_deadline"] = None
    return d


def act(services: Services, principal: Principal, request_id: str, action: str,
        body: RequestAction) -> dict[str, Any]:
    """One step of the procedure by the requesting or the requested state's Dublin unit."""
    require(principal, Role.dublin_unit)
    ms = _own_state(principal)
    with services.uow() as uow:
        conn = uow.conn
        row = _load_request(uow, principal, request_id)
        today = uow.now.date()
        _sweep(uow, today=today, where=R.c.id == request_id)
        row = conn.execute(select(R).where(R.c.id == request_id)).one()
        if row.version != body.version:
            raise Conflict(f"request {request_id} changed (now version {row.version}, status "
                           f"'{proc.status_label(row.kind, row.status)}'); reload it")
        side = "requested" if ms == row.requested_member_state else "requesting"
        _refusal_fields_only(action, body)
        values: dict[str, Any] = {"updated_at": uow.now}
        details: dict[str, Any] = {}
        if action == "extend_transfer":
            target = _extend(row, body, side, values, details)
        elif action in ("record_appeal", "decide_appeal"):
            target = _appeal(action, row, body, side, today, values, details)
        elif action == "decide_transfer" and row.status in APPEALABLE:
            target = _new_transfer_decision(row, side, today, values, details)
        else:
            t = proc.TRANSITIONS.get(action)
            if t is None:
                raise NotFound(f"no action '{action}'")
            if t.actor != side:
                raise Forbidden(f"'{action}' is for the {t.actor} state's Dublin unit")
            try:
                target = proc.next_status(row.kind, row.status, action)
            except proc.IllegalTransition as e:
                raise Conflict(str(e)) from None
            facts = (conn.execute(select(dublin_cases.c.facts).where(dublin_cases.c.id == row.case_id)).scalar()
                     if body.refusal_ground in ("left_territory", "returned") else None)
            _apply(action, row, body, today, values, details, facts=facts)
            if details.get("refusal_ground") == "left_territory":
                _absence_with_residence_document(conn, row)
            elif details.get("refusal_ground") == "residence_document":
                _document_elsewhere_refusal(conn, row, local_today(uow.now, ms), values, details)
        values["status"] = target
        if target in proc.CLOSED or target in proc.ACCEPTED:
            values["responsible_member_state"] = proc.responsible_after(
                target, row.requesting_member_state, row.requested_member_state)
        if target in proc.CLOSED:
            values["closed_on"] = values.get("closed_on", today)
        update_versioned(conn, R, request_id, body.version, values)
        _event(uow, principal, request_id, row.case_id, action, row.status, target, details)
        uow.audit(principal, f"responsibility.{action}", "dublin_request", request_id,
                  before={"status": row.status, "version": row.version},
                  after={"status": target, **details})
        uow.commit()
    return get_request(services, principal, request_id, channel=None)


#: The take-back grounds whose obligation ends when the person left under a return decision or
#: removal order issued after the application was withdrawn or rejected: Dublin III Art 19(3) names
#: the obligations of Art 18(1)(c) and (d); AMMR Art 37(5) the take back of Art 36(1)(b).
_RETURN_ENDS = {"dublin_iii": ("application_withdrawn", "application_rejected"),
                "ammr": ("indicated_responsible_in_eurodac",)}


def _absence_months(regime: str, row: Any) -> int:
    """The period of absence that ends the obligations (Dublin III Art 19(2); AMMR Art 37(4)) in
    months, as in force on the application's registration."""
    from pactum.responsibility.cessation import ABSENCE

    p = param(ABSENCE["ammr" if regime == "ammr" else "dublin_iii"], on=row.registered_on)
    return int(p.value) * (12 if p.unit == "years" else 1)


def _cessation_refusal(row: Any, body: RequestAction, values: dict[str, Any], details: dict[str, Any],
                       facts: dict[str, Any] | None = None) -> None:
    """A refusal because the obligations of the state asked ceased, which it establishes when asked
    (Dublin III Art 19(2)-(3) "can establish, when requested"; AMMR Art 37(4)-(5)): the ground, the
    day the person left and the evidence, checked against the request. The absence must be able to
    have lasted the whole period before the application in the requesting state was registered (the
    person came back to make it); a departure under a return decision must come before it (the
    application "registered after an effective removal" is a new one), and after the last day the
    case's ``facts`` put the person on the territory of the Member States."""
    from pactum.responsibility.cessation import last_presence
    from pactum.responsibility.criteria import add_months

    ground, regime = str(body.refusal_ground), row.regime
    cite = cessation_basis(ground, regime, row.criterion)
    where = f"the application registered in {row.requesting_member_state} on {row.registered_on.isoformat()}"
    if row.kind == "humanitarian":
        raise ValidationProblem.one("refusal_ground", "a humanitarian-clause request rests on no obligation of "
                                                      "the state asked that could cease; refuse it with reasons")
    if ground != "residence_document" and row.criterion in DOCUMENT_ONLY["ammr" if regime == "ammr" else "dublin_iii"]:
        raise ValidationProblem.one(
            "refusal_ground", f"the obligation to take back an applicant during the determination ends only where "
                              f"another Member State issued them a residence document (residence_document, "
                              f"{cessation_basis('residence_document', regime, row.criterion)}); an absence or a "
                              f"departure ends the obligations of Article 36(1), not this one")
    if ground == "residence_document":
        ends = DOCUMENT_ENDS["ammr" if regime == "ammr" else "dublin_iii"]
        if row.kind not in proc.TAKE_BACK_KINDS or row.criterion not in ends:
            what = f"take-back ground {' or '.join(ends)}"
            raise ValidationProblem.one(
                "refusal_ground", f"a residence document issued by another Member State ends only the obligation of "
                                  f"the state of the first application to take back a person who withdrew it during "
                                  f"the determination ({cite}; {what}); this request rests on "
                                  f"{code_words(row.criterion or row.kind)}")
        if body.left_on is not None:
            raise ValidationProblem.one("left_on", "goes with an absence or a departure (left_territory, returned), "
                                                   "not with a residence document")
        evidence = (body.evidence or "").strip() or None
        values.update(refusal_ground=ground, refusal_left_on=None, refusal_evidence=evidence)
        details.update(refusal_ground=ground, legal_basis=cite, **({"evidence": evidence} if evidence else {}))
        return
    if ground == "returned":
        grounds = _RETURN_ENDS["ammr" if regime == "ammr" else "dublin_iii"]
        if row.kind not in proc.TAKE_BACK_KINDS or row.criterion not in grounds:
            raise ValidationProblem.one(
                "refusal_ground", f"a departure under a return decision ends only the obligation to take back a "
                                  f"person whose application was withdrawn or rejected ({cite}"
                                  f"; take-back ground {' or '.join(grounds)}); this request rests on "
                                  f"{code_words(row.criterion or row.kind)}")
    # every problem of the day and the evidence at once (the form shows them together)
    problems: list[tuple[str, str]] = []
    if body.left_on is None:
        problems.append(("left_on", "give the day the person left the territory of the Member States"))
    elif body.left_on >= row.registered_on:
        problems.append(("left_on", f"is not before {where}: the person must have left before it"))
    elif ground == "left_territory" and add_months(body.left_on, months := _absence_months(regime, row)) \
            > row.registered_on:
        problems.append(("left_on", f"is less than {months} months before {where}: an absence of at least "
                                    f"{months} months ({cite}) cannot have ended before it"))
    elif (presence := last_presence(facts or {}, "ammr" if regime == "ammr" else "dublin_iii",
                                    row.registered_on, row.requested_member_state)) is not None \
            and body.left_on < presence[0]:
        problems.append(("left_on", f"is before the {presence[1]} the case's facts record: the obligations of "
                                    f"{row.requested_member_state} rest on the person's presence there, so the "
                                    f"leaving that ends them ({cite}) came after it"))
    if not body.evidence or not body.evidence.strip():
        problems.append(("evidence", "it is for the state asked to establish that its obligations ceased: say "
                                     "what shows it"))
    if problems:
        raise ValidationProblem(problems)
    assert body.left_on is not None and body.evidence is not None
    values.update(refusal_ground=ground, refusal_left_on=body.left_on, refusal_evidence=body.evidence.strip())
    details.update(refusal_ground=ground, left_on=body.left_on.isoformat(), evidence=body.evidence.strip(),
                   legal_basis=cite)


def _absence_with_residence_document(conn: Connection, row: Any) -> None:
    """The exception to a cessation by absence: the obligations do not cease where the person holds a
    valid residence document issued by the Member State responsible (Dublin III Art 19(2); AMMR Art
    37(4), read in the Official Journal's Italian text: «a meno che non sia in possesso di un titolo di
    soggiorno in corso di validità rilasciato dallo Stato membro competente»). Read on the platform's
    records: a residence document the state asked recorded (not withdrawn) on the case's person as it
    knows them (joined by a same-person identity link), valid on the day the application was
    registered (lodged) in the requesting state: our reading of "holds", the day the absence is
    measured to. A refusal on that ground is then refused (422 on ``refusal_ground``)."""
    if row.regime != "ammr" and row.criterion == "withdrawn_during_determination":
        return  # Dublin III Art 20(5), second subparagraph, has no such exception
    case_row = conn.execute(select(dublin_cases.c.person_id, dublin_cases.c.member_state)
                            .where(dublin_cases.c.id == row.case_id)).first()
    if case_row is None or case_row.person_id is None:
        return
    state = row.requested_member_state
    theirs = [p for ms, p in _same_persons_of(conn, [(case_row.person_id, case_row.member_state)])
              .get(case_row.person_id, ()) if ms == state]
    if not theirs:
        return
    D = dublin_documents
    held = conn.execute(select(D).where(D.c.person_id.in_(theirs), D.c.member_state == state,
                                        D.c.kind == "residence_document", D.c.withdrawn_at.is_(None),
                                        D.c.valid_from <= row.registered_on, D.c.valid_until >= row.registered_on)
                        .order_by(D.c.valid_until.desc(), D.c.id)).first()
    if held is None:
        return
    cite = cessation_basis("left_territory", row.regime, row.criterion)
    number = f" {held.number}" if held.number else ""
    raise ValidationProblem.one(
        "refusal_ground",
        f"{state} issued the person a residence document{number} valid from {held.valid_from.isoformat()} to "
        f"{held.valid_until.isoformat()} (record {held.id}), valid on {row.registered_on.isoformat()}, when the "
        f"application was registered in {row.requesting_member_state}: the obligations do not cease by an absence "
        f"while the person holds a valid residence document issued by the Member State responsible ({cite})")


def _document_elsewhere(conn: Connection, row: Any, today: date) -> Any | None:
    """The residence document that ends the take back of a person who withdrew the first application
    during the determination (Dublin III Art 20(5), second subparagraph: «un altro Stato membro gli ha
    rilasciato un titolo di soggiorno»), on the platform's records, or ``None``: one recorded (not
    withdrawn) by a Member State other than the state asked, the one that issued it, on the case's
    person or on its person a same-person identity link joins to them, issued by ``today`` and not
    before the application lodged in the state asked (the case's ``earlier_applications``: "nel
    frattempo", our reading: a document issued before it is one the criteria of that determination
    take into account, Art 12); the latest issued. *Our reading*: the text asks that a residence
    document was issued, not that it is still valid: its days are named, not checked."""
    if row.kind not in proc.TAKE_BACK_KINDS or row.criterion not in DOCUMENT_ENDS[
            "ammr" if row.regime == "ammr" else "dublin_iii"]:
        return None  # read nothing for the other requests
    case = conn.execute(select(dublin_cases.c.person_id, dublin_cases.c.member_state, dublin_cases.c.facts)
                        .where(dublin_cases.c.id == row.case_id)).first()
    if case is None or case.person_id is None:
        return None
    return _document_issued_elsewhere(conn, case, row.requested_member_state, today)


def _document_issued_elsewhere(conn: Connection, case: Any, asked: str, today: date) -> Any | None:
    """:func:`_document_elsewhere` for ``case`` (its ``person_id`` and ``facts``) and the state
    ``asked`` to take the person back, whatever request is or is not sent (the case page's hint
    before one is)."""
    people = [case.person_id, *sorted(p for ms, p in _same_persons_of(conn, [(case.person_id, case.member_state)])
                                      .get(case.person_id, ())
                                      if ms != asked)]
    lodged = [date.fromisoformat(str(e["registered_on"])) for e in (case.facts or {}).get("earlier_applications") or []
              if isinstance(e, dict) and e.get("member_state") == asked and e.get("registered_on")]
    D = dublin_documents
    q = select(D).where(D.c.person_id.in_(people), D.c.member_state != asked, D.c.kind == "residence_document",
                        D.c.withdrawn_at.is_(None), D.c.issued_on <= today)
    if lodged:
        q = q.where(D.c.issued_on >= min(lodged))
    return conn.execute(q.order_by(D.c.issued_on.desc(), D.c.id)).first()


def _elsewhere_words(doc: Any) -> str:
    """A residence document another state issued, as the state asked and the requesting state read it
    in a refusal: the issuing state, the days and the record, not its number (a document number is
    identity data, which the audit log that keeps the refusal withholds: ADR 0009)."""
    return (f"{doc.member_state} issued the person a residence document on {doc.issued_on.isoformat()}, valid from "
            f"{doc.valid_from.isoformat()} to {doc.valid_until.isoformat()} (record {doc.id}, recorded by "
            f"{doc.member_state}'s Dublin unit)")


def _document_elsewhere_refusal(conn: Connection, row: Any, today: date, values: dict[str, Any],
                                details: dict[str, Any]) -> None:
    """A refusal on ``residence_document``: the records must hold the document
    (:func:`_document_elsewhere`), which the refusal names (422 on ``refusal_ground`` otherwise)."""
    doc = _document_elsewhere(conn, row, today)
    cite = cessation_basis("residence_document", row.regime, row.criterion)
    if doc is None:
        raise ValidationProblem.one(
            "refusal_ground",
            f"no residence document issued to the person by a Member State other than {row.requested_member_state} "
            f"after the application lodged there is recorded on the platform ({cite}): the state that issued it "
            "records it first (its Dublin unit, on its person); otherwise refuse with your reasons only")
    words = _elsewhere_words(doc)
    given = values.get("refusal_evidence")
    values["refusal_evidence"] = f"{words}; {given}" if given else words
    details.update(document=doc.id, issued_by=doc.member_state, issued_on=doc.issued_on.isoformat(),
                   evidence=values["refusal_evidence"])


def cessation_label(ground: str, regime: str, registered_on: date | None) -> str:
    """A cessation ground's words; an absence's with its period as in force on the application's
    registration ("for at least 9 months" under the AMMR, "3 months" under Dublin III)."""
    label = str(CESSATION_GROUNDS[ground]["label"])
    if ground == "left_territory" and registered_on is not None:
        label = label.replace("the period of absence", absence_words(regime, registered_on))
    return label


def refusal_grounds(regime: str, kind: str, criterion: str | None,
                    registered_on: date | None = None) -> list[dict[str, Any]]:
    """The cessation grounds on which the state asked may refuse a request of ``kind`` resting on
    ``criterion`` (its take-back ground), as the refusal form offers them: ``ground``, ``label``,
    ``legal_basis`` and ``left_on`` (whether the ground takes the day the person left the territory:
    an absence or a departure, :data:`LEFT_GROUNDS`; the form shows that field with those grounds
    only). None for a humanitarian-clause request; a departure under a return decision only for a
    take back of an application withdrawn or rejected (:func:`_cessation_refusal`)."""
    if kind == "humanitarian":
        return []
    out: list[dict[str, Any]] = []
    for ground in CESSATION_GROUNDS:
        if ground == "returned" and (kind not in proc.TAKE_BACK_KINDS or criterion not in _RETURN_ENDS.get(
                "ammr" if regime == "ammr" else "dublin_iii", ())):
            continue
        if ground == "residence_document" and (kind not in proc.TAKE_BACK_KINDS or criterion not in DOCUMENT_ENDS.get(
                "ammr" if regime == "ammr" else "dublin_iii", ())):
            continue
        if ground != "residence_document" and criterion in DOCUMENT_ONLY.get("ammr" if regime == "ammr" else
                                                                             "dublin_iii", ()):
            continue
        label = cessation_label(ground, regime, registered_on)
        out.append({"ground": ground, "label": label, "legal_basis": cessation_basis(ground, regime, criterion),
                    "left_on": ground in LEFT_GROUNDS})
    if regime == "ammr" and kind == "take_back_notification" and criterion in INDICATION_GROUNDS:
        out.extend({"ground": ground, "label": g["label"], "legal_basis": g["basis"], "left_on": False}
                   for ground, g in CONTEST_GROUNDS.items())
    return out


def _wrong_indication_contest(action: str, row: Any, body: RequestAction, values: dict[str, Any],
                              details: dict[str, Any]) -> None:
    """A contest because the take-back notification rests on a wrong indication in Eurodac of the
    Member State responsible (AMMR Art 41(3), :data:`CONTEST_GROUNDS`): on a ``contest`` of a
    notification resting on such an indication only (:data:`INDICATION_GROUNDS`), the state notified
    saying what shows it (``evidence``); no day of leaving. 422 naming the field otherwise."""
    g = CONTEST_GROUNDS["wrong_indication"]
    if action != "contest" or row.kind != "take_back_notification":
        raise ValidationProblem.one(
            "refusal_ground", f"wrong_indication is a ground to contest a take-back notification ({g['basis']}); "
                              f"a {code_words(row.kind)} request is not contested "
                              "on it: refuse with your reasons")
    if row.criterion not in INDICATION_GROUNDS:
        raise ValidationProblem.one(
            "refusal_ground", f"this notification rests on take-back ground {row.criterion}, not on an indication "
                              f"of the Member State responsible in Eurodac ({', '.join(INDICATION_GROUNDS)}, "
                              f"Regulation (EU) 2024/1351, Article 36(1)(b)): a wrong indication ({g['basis']}) "
                              "is no ground to contest it")
    problems: list[tuple[str, str]] = []
    if body.left_on is not None:
        problems.append(("left_on", "goes with an absence or a departure (left_territory, returned), "
                                    "not with a wrong indication in Eurodac"))
    evidence = (body.evidence or "").strip()
    if not evidence:
        problems.append(("evidence", f"the state notified demonstrates that the indication is wrong "
                                     f"({g['basis']}): say what shows it (the Eurodac record, its "
                                     "correction, the determination that indicated another state)"))
    if problems:
        raise ValidationProblem(problems)
    values.update(refusal_ground="wrong_indication", refusal_left_on=None, refusal_evidence=evidence)
    details.update(refusal_ground="wrong_indication", legal_basis=g["basis"], evidence=evidence)


def _refusal_fields_only(action: str, body: RequestAction) -> None:
    """The cessation ground of a refusal goes with a refusal only, and its day and evidence with it."""
    if action not in ("refuse", "refuse_reexamination", "contest") and (
            body.refusal_ground is not None or body.left_on is not None or body.evidence is not None):
        field = "refusal_ground" if body.refusal_ground is not None else (
            "left_on" if body.left_on is not None else "evidence")
        contest = " or a contest" if action == "confirm" else ""  # a take-back notification's answers
        raise ValidationProblem.one(field, f"goes only with a refusal{contest}, not with '{action}'")
    if action == "contest" and body.refusal_ground is None:
        raise ValidationProblem([(
            "refusal_ground", "a take-back notification is contested only where the state notified demonstrates "
                              "that it is not obliged to take the person back (Regulation (EU) 2024/1351, Article "
                              "41(3)): give the ground (left_territory, returned, residence_document or "
                              "wrong_indication); otherwise confirm it"), *_reasons_problems(action, body)])
    if body.refusal_ground is None and (body.left_on is not None or body.evidence is not None):
        raise ValidationProblem([("refusal_ground", "give the ground that the day of leaving and the evidence "
                                                    "support (left_territory, returned or residence_document)"),
                                 *_reasons_problems(action, body)])


def _reasons_problems(action: str, body: RequestAction) -> list[tuple[str, str]]:
    """The problem of a refusal's or a contest's reasons, none where they are stated (said with the
    other problems of the answer, all at once)."""
    if action not in ("refuse", "refuse_reexamination", "contest") or (body.reasons and body.reasons.strip()):
        return []
    return [("reasons", f"a {'contest' if action == 'contest' else 'refusal'} states its reasons in full")]


def _apply(action: str, row: Any, body: RequestAction, today: date, values: dict[str, Any],
           details: dict[str, Any], *, facts: dict[str, Any] | None = None) -> None:
    deadlines = dict(row.deadlines or {})
    if action in ("accept", "confirm", "accept_reexamination"):
        values["replied_on"] = today
        values["accepted_on"] = today
        acc = _after_acceptance(row.regime, today, row.requesting_member_state, row.registered_on,
                                row.detained)
        values["transfer_due"] = acc.transfer_due
        values["transfer_decision_due"] = acc.transfer_decision_due
        deadlines.update(acc.deadlines)
        details["transfer_due"] = acc.transfer_due.isoformat()
    elif action in ("refuse", "refuse_reexamination", "contest"):
        # every problem of the answer at once, each naming its field: the reasons and the ground's
        problems = _reasons_problems(action, body)
        try:
            if body.refusal_ground == "wrong_indication":
                _wrong_indication_contest(action, row, body, values, details)
            elif body.refusal_ground is not None:
                _cessation_refusal(row, body, values, details, facts)
        except ValidationProblem as e:
            problems += e.problems
        if problems:
            raise ValidationProblem(problems)
        assert body.reasons is not None
        values["replied_on"] = today
        values["refusal_reasons"] = body.reasons.strip()
        details["reasons"] = body.reasons.strip()
    elif action == "request_reexamination":
        if not body.reasons or not body.reasons.strip():
            raise ValidationProblem.one("reasons", "say why the refusal should be re-examined")
        window, winfo = _limit("reexamination_request", row.replied_on, row.requesting_member_state,
                               row.registered_on)
        if today > window:
            raise Conflict(f"re-examination had to be requested by {window.isoformat()} "
                           f"({', '.join(winfo['legal_basis'])})")
        due, info = _limit("reexamination_reply", today, row.requested_member_state, row.registered_on)
        values["reexamination_due"] = due
        deadlines["reexamination_reply"] = info
        details.update(reasons=body.reasons.strip(), reexamination_due=due.isoformat())
    elif action == "decide_transfer":
        values["transfer_decided_on"] = today
    elif action in ("arrange_transfer", "complete_transfer") and _suspended(row):
        raise Conflict(f"the transfer is suspended: the appeal lodged on "
                       f"{row.appeal_lodged_on.isoformat()} has suspensive effect and no final "
                       "decision is recorded")
    elif action == "arrange_transfer":
        if body.planned_on is None:
            raise ValidationProblem.one("planned_on", "the planned transfer date is required")
        if row.transfer_due is not None and body.planned_on > row.transfer_due:
            raise ValidationProblem.one(
                "planned_on", f"is after the end of the transfer period ({row.transfer_due.isoformat()})")
        if body.planned_on < today:
            raise ValidationProblem.one("planned_on", "is in the past")
        values["transfer_planned_on"] = body.planned_on
        values["transfer_arrangements"] = {"details": body.arrangements or ""}
        details.update(planned_on=body.planned_on.isoformat(), arrangements=body.arrangements)
    elif action == "complete_transfer":
        on = body.transferred_on or today
        if on > today:
            raise ValidationProblem.one("transferred_on", "is in the future")
        early = _transfer_too_early(row, on)
        if early:
            raise ValidationProblem.one("transferred_on", early)
        if row.transfer_due is not None and on > row.transfer_due:
            raise ValidationProblem.one(
                "transferred_on", f"is after the end of the transfer period ({row.transfer_due.isoformat()})")
        values["transferred_on"] = on
        values["closed_on"] = on
        details["transferred_on"] = on.isoformat()
    elif action in ("withdraw", "accept_refusal") and body.reasons:
        details["reasons"] = body.reasons
    values["deadlines"] = deadlines


#: Why a transfer cannot have been carried out before a step of the procedure.
_TRANSFER_NOT_BEFORE = {
    "dublin_iii": "Regulation (EU) No 604/2013, Articles 26(1) and 29(1)",
    "ammr": "Regulation (EU) 2024/1351, Articles 42(1) and 46(1)",
}


def _transfer_too_early(row: Any, on: date) -> str | None:
    """Why a transfer dated ``on`` cannot have taken place (``None``: it can). A transfer is carried
    out after the requested state accepted (or confirmed) and after the requesting state decided it
    (Dublin III Arts 26(1), 29(1); AMMR Arts 42(1), 46(1)), so never before the request either; and
    not while an appeal with suspensive effect was pending (Dublin III Art 27(3); AMMR Art 43)."""
    basis = _TRANSFER_NOT_BEFORE.get(row.regime, _TRANSFER_NOT_BEFORE["dublin_iii"])
    for when, what in ((row.transfer_decided_on, "the transfer decision"),
                       (row.accepted_on, "the request was accepted" if row.kind != "take_back_notification"
                        else "the notification was confirmed"),
                       (row.sent_on, "the request was sent")):
        if when is not None and on < when:
            return (f"is before {what} ({when.isoformat()}): a transfer is carried out only after the "
                    f"acceptance and the transfer decision ({basis})")
    if (row.appeal_suspensive and row.appeal_lodged_on is not None and on > row.appeal_lodged_on
            and (row.appeal_decided_on is None or on < row.appeal_decided_on)):
        until = row.appeal_decided_on.isoformat() if row.appeal_decided_on else "no final decision yet"
        return (f"falls while the appeal with suspensive effect lodged on {row.appeal_lodged_on.isoformat()} "
                f"was pending (final decision: {until}): the transfer could not be carried out "
                f"({_APPEAL_BASIS.get(row.regime, _APPEAL_BASIS['dublin_iii'])[0]})")
    return None


def _extend(row: Any, body: RequestAction, side: str, values: dict[str, Any],
            details: dict[str, Any]) -> str:
    """Extension of the transfer period for imprisonment or absconding (Art 29(2) / Art 46(2))."""
    if side != "requesting":
        raise Forbidden("'extend_transfer' is for the requesting state's Dublin unit")
    if row.status not in proc.TRANSFER_RUNNING:
        raise Conflict(f"the transfer period is not running (request is "
                       f"{proc.status_label(row.kind, row.status)})")
    if row.extension_reason:
        raise Conflict(f"the transfer period was already extended ({row.extension_reason})")
    if _suspended(row):
        raise Conflict("the transfer period is suspended pending the appeal; it runs again from "
                       "the final decision")
    if body.extension_reason is None:
        raise ValidationProblem.one("extension_reason", "imprisonment or absconding")
    kind = f"transfer_extended_{body.extension_reason}"
    # The extended period counts from the same day as the period it extends: the acceptance, or
    # the final decision on an appeal with suspensive effect (Art 29(1)-(2) / Art 46(1)-(2)).
    start = _period_start(row)
    due, info = _limit(kind, start, row.requesting_member_state, row.registered_on)
    if start != row.accepted_on:
        info["runs_from"] = start.isoformat()
    deadlines = dict(row.deadlines or {})
    deadlines[kind] = info
    values.update(transfer_due=due, extension_reason=body.extension_reason, deadlines=deadlines)
    details.update(reason=body.extension_reason, transfer_due=due.isoformat())
    return str(row.status)


APPEALABLE = frozenset({"transfer_decided", "transfer_arranged"})
"""Statuses with a transfer decision, against which the person may appeal (Dublin III Art 27;
AMMR Art 43)."""
_APPEAL_BASIS = {
    "dublin_iii": ("Regulation (EU) No 604/2013, Article 27(3)",
                   "Regulation (EU) No 604/2013, Article 29(1)"),
    "ammr": ("Regulation (EU) 2024/1351, Article 43", "Regulation (EU) 2024/1351, Article 46(1)"),
}


def _new_transfer_decision(row: Any, side: str, today: date, values: dict[str, Any],
                           details: dict[str, Any]) -> str:
    """A new transfer decision once the appeal against the previous one was finally decided (the
    decision annulled: "the requesting state takes a new transfer decision within the new period").
    The appeal is kept in the timeline and the transfer period runs on as it was (from the final
    decision on an appeal with suspensive effect, otherwise from the acceptance); an appeal against
    the new decision may then be recorded."""
    if side != "requesting":
        raise Forbidden("'decide_transfer' is for the requesting state's Dublin unit")
    if row.appeal_decided_on is None:
        decided = row.transfer_decided_on.isoformat() if row.transfer_decided_on else "?"
        pending = (f"; the appeal lodged on {row.appeal_lodged_on.isoformat()} awaits its final decision"
                   if row.appeal_lodged_on is not None else "")
        raise Conflict(f"the transfer was decided on {decided}{pending}: a new transfer decision is recorded "
                       "only after the final decision on an appeal against it (decide_appeal)")
    deadlines = dict(row.deadlines or {})
    kind = f"transfer_extended_{row.extension_reason}" if row.extension_reason else "transfer"
    if row.appeal_suspensive and kind in deadlines:
        deadlines[kind] = {**deadlines[kind], "runs_from": row.appeal_decided_on.isoformat()}
    values.update(transfer_decided_on=today, transfer_planned_on=None, transfer_arrangements=None,
                  appeal_lodged_on=None, appeal_suspensive=None, appeal_decided_on=None, deadlines=deadlines)
    details.update(new_decision=True, previous_decision=row.transfer_decided_on.isoformat()
                   if row.transfer_decided_on else None,
                   appeal_decided_on=row.appeal_decided_on.isoformat())
    return "transfer_decided"


def _period_start(row: Any) -> date:
    """The day the transfer period runs from: the final decision on an appeal with suspensive effect
    (also one against an earlier transfer decision, kept in the deadline's ``runs_from``), otherwise
    the acceptance (Art 29(1) / Art 46(1))."""
    if row.appeal_suspensive and row.appeal_decided_on:
        return row.appeal_decided_on  # type: ignore[no-any-return]
    for info in (row.deadlines or {}).values():
        if isinstance(info, dict) and info.get("runs_from"):
            return date.fromisoformat(str(info["runs_from"]))
    return row.accepted_on  # type: ignore[no-any-return]


def _suspended(row: Any) -> bool:
    """An appeal with suspensive effect is pending: the transfer cannot be carried out and its
    time limit does not run."""
    return bool(row.appeal_suspensive) and row.appeal_lodged_on is not None and row.appeal_decided_on is None


def _appeal(action: str, row: Any, body: RequestAction, side: str, today: date,
            values: dict[str, Any], details: dict[str, Any]) -> str:
    """An appeal or review against the transfer decision, and its final decision.

    With suspensive effect the transfer may not be carried out and the six months (or the
    detention or extended period) run from "the final decision on an appeal or review where there
    is a suspensive effect" (Dublin III Art 29(1), with Art 27(3); AMMR Art 46(1), with Art 43;
    CJEU C-19/08 Petrosian: from the decision on the merits, not the interim order). Without
    suspensive effect the period keeps running from the acceptance and the decision is only
    recorded."""
    if side != "requesting":
        raise Forbidden(f"'{action}' is for the requesting state's Dublin unit (whose transfer "
                        "decision is appealed)")
    basis = list(_APPEAL_BASIS[row.regime])
    deadlines = dict(row.deadlines or {})
    kind = f"transfer_extended_{row.extension_reason}" if row.extension_reason else "transfer"
    if action == "record_appeal":
        if row.status not in APPEALABLE:
            raise Conflict("an appeal lies against the transfer decision; this request is "
                           f"{proc.status_label(row.kind, row.status)}")
        if row.appeal_lodged_on is not None and row.appeal_decided_on is None:
            raise Conflict(f"an appeal lodged on {row.appeal_lodged_on.isoformat()} is already recorded and "
                           "awaits its final decision: one appeal is recorded per transfer decision, with the "
                           "final decision (an onward appeal is part of it): record decide_appeal once no "
                           "further appeal lies")
        if row.appeal_lodged_on is not None:
            raise Conflict(f"the appeal lodged on {row.appeal_lodged_on.isoformat()} against the transfer decision "
                           f"of {row.transfer_decided_on.isoformat() if row.transfer_decided_on else '?'} was "
                           f"finally decided on {row.appeal_decided_on.isoformat()}: one appeal is recorded per "
                           "transfer decision; record the new transfer decision (decide_transfer), against which "
                           "an appeal may be recorded")
        problems: list[tuple[str, str]] = []
        lodged = body.appeal_lodged_on
        if lodged is None:
            problems.append(("appeal_lodged_on", "the day the appeal was lodged is required"))
        elif lodged > today:
            problems.append(("appeal_lodged_on", "is in the future"))
        elif row.transfer_decided_on is not None and lodged < row.transfer_decided_on:
            problems.append(("appeal_lodged_on", "is before the transfer decision "
                             f"({row.transfer_decided_on.isoformat()})"))
        if body.suspensive_effect is None:
            problems.append(("suspensive_effect", "say whether the appeal has suspensive effect "
                             "(true or false)"))
        if problems:
            raise ValidationProblem(problems)
        assert lodged is not None
        values.update(appeal_lodged_on=lodged, appeal_suspensive=body.suspensive_effect)
        details.update(appeal_lodged_on=lodged.isoformat(), suspensive_effect=body.suspensive_effect)
        if body.suspensive_effect:
            was = row.transfer_due.isoformat() if row.transfer_due else None
            values["transfer_due"] = None
            deadlines[kind] = {
                "ends_on": None, "period": "suspended pending the appeal", "legal_basis": basis,
                "computation": [
                    f"Appeal against the transfer decision lodged on {lodged.isoformat()} with "
                    "suspensive effect: the transfer cannot be carried out.",
                    "The time limit runs again, in full, from the final decision on the appeal.",
                    f"End of the period before the appeal: {was}."]}
            details["transfer_due_before"] = was
            values["deadlines"] = deadlines
        return str(row.status)
    # decide_appeal
    if row.appeal_lodged_on is None:
        raise Conflict("no appeal is recorded on this request")
    if row.appeal_decided_on is not None:
        raise Conflict(f"the final decision of {row.appeal_decided_on.isoformat()} is already "
                       "recorded")
    if row.status not in proc.TRANSFER_RUNNING:
        raise Conflict(f"the request is {proc.status_label(row.kind, row.status)}")
    decided = body.appeal_decided_on
    if decided is None:
        raise ValidationProblem.one("appeal_decided_on", "the day of the final decision is required")
    if decided > today:
        raise ValidationProblem.one("appeal_decided_on", "is in the future")
    if decided < row.appeal_lodged_on:
        raise ValidationProblem.one("appeal_decided_on", "is before the appeal was lodged "
                                    f"({row.appeal_lodged_on.isoformat()})")
    values["appeal_decided_on"] = decided
    details["appeal_decided_on"] = decided.isoformat()
    if body.reasons:
        details["reasons"] = body.reasons.strip()
    if row.appeal_suspensive:
        due, info = _limit(kind, decided, row.requesting_member_state, row.registered_on)
        info["legal_basis"] = list(dict.fromkeys([*info["legal_basis"], *basis]))
        info["computation"] = [f"Runs from the final decision on the appeal with suspensive "
                               f"effect ({decided.isoformat()}).", *info["computation"]]
        info["runs_from"] = decided.isoformat()
        deadlines[kind] = info
        if row.detained:
            deadlines["transfer_while_detained"] = _while_detained(
                row.regime, decided, row.requesting_member_state, row.registered_on, due)
        values.update(transfer_due=due, deadlines=deadlines)
        details["transfer_due"] = due.isoformat()
    return str(row.status)


# --- Inbox, outbox, statistics ----------------------------------------------------------------------

_ACTIVE = sorted(proc.OPEN_REPLY | {"refused"} | proc.TRANSFER_RUNNING)
#: The kinds whose refusal may be re-examined (Reg. 1560/2003 Art 5(2)): once the window has
#: passed without a request, the refusal is final (the sweep closes it).
REEXAMINABLE = proc.TRANSITIONS["request_reexamination"].kinds


#: The most requests one page of the inbox or outbox holds (``limit``), and its default.
QUEUE_PAGE_MAX = 500
QUEUE_PAGE_DEFAULT = 500


def queue(services: Services, principal: Principal, box: str, *, status: str | None = None,
          kind: str | None = None, include_closed: bool = False, limit: int = QUEUE_PAGE_DEFAULT,
          offset: int = 0, channel: str | None = None) -> list[dict[str, Any]]:
    """A Dublin unit's inbox (requests to its state) or outbox (requests from it): one page of
    :func:`queue_page` (its ``requests``), logged as it logs."""
    return queue_page(services, principal, box, status=status, kind=kind, include_closed=include_closed,
                      limit=limit, offset=offset, channel=channel)["requests"]


def _queue_checks(principal: Principal, box: str, status: str | None, kind: str | None, limit: int,
                  offset: int) -> tuple[str, Any]:
    """The checks of a queue before it is read: the principal's state and the box's column."""
    require(principal, *CASE_READERS)
    ms = _own_state(principal)
    col = R.c.requested_member_state if box == "inbox" else R.c.requesting_member_state
    if box not in ("inbox", "outbox"):
        raise NotFound(f"no box '{box}'")
    problems = []
    if status and status not in proc.STATUSES:
        problems.append(("status", f"unknown status {shortened(status)!r}; one of {', '.join(proc.STATUSES)}"))
    if kind and kind not in proc.KINDS:
        problems.append(("kind", f"unknown kind {shortened(kind)!r}; one of {', '.join(proc.KINDS)}"))
    problems += page_problems(limit, offset, QUEUE_PAGE_MAX)
    if problems:
        raise ValidationProblem(problems)
    return ms, col


def _queue_read(uow: UnitOfWork, ms: str, col: Any, box: str, status: str | None, kind: str | None,
                include_closed: bool, limit: int, offset: int, persons: dict[str, str]) -> tuple[int, list[dict[str, Any]]]:
    """One page of a queue read in ``uow`` (swept already): the number in the list and the page's
    requests; ``persons`` gains each listed request's applicant, as the requesting state's person."""
    today = uow.now.date()
    q = select(R, dublin_cases.c.reference, dublin_cases.c.applicant_name, dublin_cases.c.person_id,
               dublin_cases.c.member_state.label("case_member_state")).join(
        dublin_cases, dublin_cases.c.id == R.c.case_id).where(col == ms)
    if status:
        q = q.where(R.c.status == status)
    elif not include_closed:
        q = q.where(R.c.status.in_(_ACTIVE))
    if kind:
        q = q.where(R.c.kind == kind)
    newest = (R.c.sent_on.desc(), R.c.id.desc())
    # The open requests are few and ordered by a deadline computed per request: all are read.
    # The closed ones, which accumulate, come after them, newest first: paged by the store.
    side: proc.Actor = "requested" if box == "inbox" else "requesting"
    active = [(_queued(r, today, side), r) for r in uow.conn.execute(q.where(R.c.status.in_(_ACTIVE)).order_by(*newest))]
    active.sort(key=lambda d: (d[0]["next_deadline"] is None,
                               d[0]["next_deadline"]["days_left"] if d[0]["next_deadline"] else 0))
    closed_q = q.where(R.c.status.not_in(_ACTIVE))
    closed_total = uow.conn.execute(select(func.count()).select_from(closed_q.subquery())).scalar_one()
    page = active[offset:offset + limit]
    if len(page) < limit:
        skip = max(offset - len(active), 0)
        page += [(_queued(r, today, side), r) for r in uow.conn.execute(
            closed_q.order_by(*newest).offset(skip).limit(limit - len(page)))]
    persons.update({r.person_id: r.case_member_state for _, r in page if r.person_id})
    return len(active) + int(closed_total), [d for d, _ in page]


def _log_queue(uow: UnitOfWork, principal: Principal, persons: dict[str, str], channel: str | None,
               status: str | None, kind: str | None, include_closed: bool) -> None:
    """The read of a queue's page or file: its applicants (each the requesting state's person, as
    a request's read logs it), the filters given by name; nothing when internal or nobody shown."""
    reads.record_list_read(uow, principal, persons, reads.DUBLIN_REQUEST_LIST, channel,
                           criteria=reads.criteria_given(status=status or "", kind=kind or "",
                                                         include_closed="yes" if include_closed else ""))


def queue_page(services: Services, principal: Principal, box: str, *, status: str | None = None,
               kind: str | None = None, include_closed: bool = False, limit: int = QUEUE_PAGE_DEFAULT,
               offset: int = 0, channel: str | None = None) -> dict[str, Any]:
    """A Dublin unit's inbox (requests to its state) or outbox (requests from it), in the order of
    the whole list: the open requests with a next deadline, nearest first; then the open ones
    without (a transfer suspended by an appeal), newest first; then, with ``include_closed``, the
    closed ones, newest first. ``limit`` requests (1–:data:`QUEUE_PAGE_MAX`) from ``offset``, with
    ``total`` the number in the list. Lapsed deadlines are applied before reading. ``status``
    keeps one status (open or closed), ``kind`` one kind of request; without ``status`` only the
    open ones unless ``include_closed``. The page's applicants are logged as read
    (``services.reads``, one read on ``channel``, each the requesting state's person; ``None``: an
    internal read, not logged; a page that shows nobody logs nothing)."""
    ms, col = _queue_checks(principal, box, status, kind, limit, offset)
    with services.uow() as uow:
        _sweep(uow, today=uow.now.date(), where=col == ms)
        persons: dict[str, str] = {}
        total, out = _queue_read(uow, ms, col, box, status, kind, include_closed, limit, offset, persons)
        _log_queue(uow, principal, persons, channel, status, kind, include_closed)
        uow.commit()
    return {"total": total, "limit": limit, "offset": offset, "requests": out}


def record_requests_shown(services: Services, principal: Principal, request_ids: Sequence[str],
                          channel: str | None) -> None:
    """Log as one read of a list of Dublin requests the applicants of ``request_ids`` (requests of
    the principal's state, as a queue's page gave them), for a page that shows some rows of the
    queues it read internally (the home page's requests to act on): each the requesting state's
    person, as :func:`queue_page` logs them. Nothing when ``channel`` is ``None`` or nobody is shown."""
    ms = principal.member_state
    if channel is None or ms is None or not request_ids:
        return
    with services.uow() as uow:
        persons = {r.person_id: r.member_state for r in uow.conn.execute(
            select(dublin_cases.c.person_id, dublin_cases.c.member_state)
            .select_from(R.join(dublin_cases, dublin_cases.c.id == R.c.case_id))
            .where(R.c.id.in_(list(request_ids)), dublin_cases.c.person_id.is_not(None),
                   or_(R.c.requesting_member_state == ms, R.c.requested_member_state == ms)))}
        if persons:
            reads.record_read(uow.conn, principal, persons, reads.DUBLIN_REQUEST_LIST, channel, at=uow.now)
            uow.commit()


def _queued(row: Any, today: date, side: proc.Actor) -> dict[str, Any]:
    """A request as the inbox (``side`` requested) and outbox (requesting) list it:
    :func:`_request_public` with its case's reference and applicant, the list's own state's next
    step on it (``your_step``, None: none at this stage), and whose the next deadline is
    (``next_deadline.member_state``)."""
    d = _request_public(row, today)
    d["case_reference"] = row.reference
    d["applicant_name"] = row.applicant_name
    d["your_step"] = None if d["transfer_suspended"] else proc.your_step(row.kind, row.status, side)
    if d["next_deadline"] is not None:
        owner = proc.deadline_side(d["next_deadline"]["what"])
        d["next_deadline"]["member_state"] = (row.requested_member_state if owner == "requested"
                                              else row.requesting_member_state)
    return d


QUEUE_CSV_COLUMNS: tuple[str, ...] = (
    "case_reference", "applicant_name", "kind", "requesting_member_state", "requested_member_state",
    "status", "status_label", "sent_on", "next_deadline", "next_deadline_on", "days_left",
    "criterion", "unaccompanied_minor", "detained", "late", "transfer_suspended", "closed_on", "request_id",
)


def queue_csv(services: Services, principal: Principal, box: str, *, status: str | None = None,
              kind: str | None = None, include_closed: bool = False, channel: str | None = None) -> str:
    """:func:`queue` as CSV, the whole list (every page), one row per request in the list's order
    (:data:`QUEUE_CSV_COLUMNS`): its next deadline (what, the day, the days left; "suspended
    (appeal)" while an appeal with suspensive effect stops the transfer), the same filters and
    scope as the list. Read in one unit of work, and logged as one read of every applicant the
    file holds (``channel``, as :func:`queue_page`)."""
    ms, col = _queue_checks(principal, box, status, kind, QUEUE_PAGE_MAX, 0)
    listed: list[dict[str, Any]] = []
    persons: dict[str, str] = {}
    with services.uow() as uow:
        _sweep(uow, today=uow.now.date(), where=col == ms)
        while True:
            total, page = _queue_read(uow, ms, col, box, status, kind, include_closed, QUEUE_PAGE_MAX,
                                      len(listed), persons)
            listed += page
            if not page or len(listed) >= total:
                break
        _log_queue(uow, principal, persons, channel, status, kind, include_closed)
        uow.commit()
    rows = []
    for d in listed:
        nd = d["next_deadline"]
        rows.append({
            **d, "request_id": d["id"], "kind": d["kind"].replace("_", " "),
            "next_deadline": nd["what"] if nd else ("suspended (appeal)" if d["transfer_suspended"] else None),
            "next_deadline_on": nd["on"] if nd else None, "days_left": nd["days_left"] if nd else None,
        })
    return csv_table(QUEUE_CSV_COLUMNS, rows)


def statistics(services: Services, principal: Principal, *, year: int | None = None
               ) -> list[dict[str, Any]]:
    """Per pair of states, like Eurostat's migr_dubro / migr_dubto: requests, acceptances,
    refusals, take-back notifications contested (AMMR Art 41(3): ``contested``, not among the
    refusals), acceptance rate, transfers, transfer rate, average days from request to transfer."""
    require(principal, *READ_ROLES)
    check_statistics_year(year)
    accepted = R.c.accepted_on.isnot(None)
    contested = and_(R.c.kind == "take_back_notification", R.c.status == "refused_final")
    q = select(
        R.c.requesting_member_state, R.c.requested_member_state,
        func.count().label("requests"),
        func.sum(case((accepted, 1), else_=0)).label("accepted"),
        func.sum(case((R.c.status == "transferred", 1), else_=0)).label("transfers"),
        # a take-back notification is contested, not refused (AMMR Art 41(3)): its own outcome
        func.sum(case((and_(R.c.status.in_(["refused", "refused_final"]), not_(contested)), 1),
                      else_=0)).label("refused"),
        func.sum(case((contested, 1), else_=0)).label("contested"),
        func.sum(case((R.c.status.in_(sorted(proc.OPEN_REPLY)), 1), else_=0)).label("open"),
    ).group_by(R.c.requesting_member_state, R.c.requested_member_state)
    if year is not None:
        q = q.where(R.c.sent_on >= date(year, 1, 1), R.c.sent_on <= date(year, 12, 31))
    days_q = select(R.c.requesting_member_state, R.c.requested_member_state, R.c.sent_on,
                    R.c.accepted_on, R.c.transfer_decided_on,
                    R.c.transferred_on).where(R.c.status == "transferred")
    if year is not None:
        days_q = days_q.where(R.c.sent_on >= date(year, 1, 1), R.c.sent_on <= date(year, 12, 31))
    with services.uow() as uow:
        _sweep(uow, today=uow.now.date())
        rows = list(uow.conn.execute(q))
        days: dict[tuple[str, str], list[int]] = {}
        impossible: dict[tuple[str, str], int] = {}
        for r in uow.conn.execute(days_q):
            pair = (r[0], r[1])
            if r.transferred_on is None:
                continue
            if _impossible_transfer_date(r):
                # recorded before the date checks: not averaged, counted so the figure says so
                impossible[pair] = impossible.get(pair, 0) + 1
                continue
            days.setdefault(pair, []).append((r.transferred_on - r.sent_on).days)
        uow.commit()
    out = []
    for r in rows:
        # a contest is an answer that is not a confirmation: it counts against the acceptance rate
        decided = int(r.accepted or 0) + int(r.refused or 0) + int(r.contested or 0)
        d = days.get((r.requesting_member_state, r.requested_member_state), [])
        out.append({
            "requesting_member_state": r.requesting_member_state,
            "requested_member_state": r.requested_member_state,
            "requests": int(r.requests), "accepted": int(r.accepted or 0),
            "refused": int(r.refused or 0), "open": int(r.open or 0),
            "acceptance_rate": round(int(r.accepted or 0) / decided, 3) if decided else None,
            "transfers": int(r.transfers or 0),
            "transfer_rate": round(int(r.transfers or 0) / int(r.requests), 3) if r.requests else None,
            "average_days_to_transfer": round(sum(d) / len(d), 1) if d else None,
            "transfers_with_impossible_dates": impossible.get(
                (r.requesting_member_state, r.requested_member_state), 0),
            "contested": int(r.contested or 0),
        })
    out.sort(key=lambda x: (-x["requests"], x["requesting_member_state"], x["requested_member_state"]))
    return out


def _impossible_transfer_date(r: Any) -> bool:
    """A transfer recorded as carried out before its request was sent, accepted or the transfer
    decided (which the procedure now refuses: :func:`_transfer_too_early`), or without a date."""
    on = r.transferred_on
    return on is None or any(when is not None and on < when
                             for when in (r.sent_on, r.accepted_on, r.transfer_decided_on))


STATISTICS_CSV_COLUMNS: tuple[str, ...] = (
    "requesting_member_state", "requested_member_state", "requests", "accepted", "refused", "open",
    "acceptance_rate", "transfers", "transfer_rate", "average_days_to_transfer",
    "transfers_with_impossible_dates", "year", "contested",
)
"""The columns of the statistics file; ``contested`` (take-back notifications the state notified
contested, AMMR Art 41(3)) came last so that a reader of the earlier columns by position still reads
them."""


def statistics_csv(services: Services, principal: Principal, *, year: int | None = None) -> str:
    """:func:`statistics` as CSV, one row per pair of states (:data:`STATISTICS_CSV_COLUMNS`), the
    rates as shares (0.5 is 50%), ``year`` blank for every year."""
    rows = statistics(services, principal, year=year)
    return csv_table(STATISTICS_CSV_COLUMNS, [{**r, "year": year} for r in rows])


# --- Deadline sweep: silence as acceptance, closed re-examinations, final refusals, lapsed transfers


def _sweep(uow: UnitOfWork, *, today: date, where: ColumnElement[bool] | None = None,
           principal: Principal = SYSTEM) -> dict[str, int]:
    """Apply every deadline that ended before ``today`` to the requests matching ``where``.

    Set-based, one statement for each kind of lapse: silence at a reply deadline, an unanswered
    re-examination, a refusal whose re-examination was not asked in time (final), a transfer
    period ended without a transfer. The transfer period that starts
    when silence becomes acceptance depends only on (regime, day of acceptance, requesting state,
    detention): those few deadlines are computed with the law's parameters into a temporary table
    and joined. Each changed request gets its timeline event; the audit log gets one entry per
    kind of lapse with the count.

    On PostgreSQL each lapse is one data-modifying statement (``WITH changed AS (UPDATE ...
    RETURNING ...) INSERT INTO dublin_request_events SELECT ... FROM changed``): one pass over the
    rows, and the events are exactly the rows changed. No index covers a column the sweep
    rewrites and the table keeps free space on every page (fillfactor), so the updates are
    heap-only (no index entries written). SQLite (the demo store) writes the events with
    ``INSERT ... SELECT`` on the same condition before the ``UPDATE``, in the same transaction.
    """
    conn = uow.conn
    pg = conn.dialect.name == "postgresql"
    base = [where] if where is not None else []
    counts = {"silence_as_acceptance": 0, "silence_as_confirmation": 0,
              "reexamination_closed": 0, "refusal_final": 0, "transfer_lapsed": 0}
    event_type = dublin_request_events.c.details.type
    by = (literal(uow.now), literal(principal.username), literal(principal.authority))

    # 1. Replies and confirmations not given by the deadline: accepted (confirmed) on the last
    # day; the transfer period (and, AMMR, the transfer decision period) runs from that day.
    lapsed_reply = and_(R.c.status == "pending", R.c.reply_due < today,
                        R.c.kind.in_(sorted(proc.SILENCE_IS_ACCEPTANCE | {"take_back_notification"})),
                        *base)
    groups = list(conn.execute(
        select(R.c.regime, R.c.reply_due, R.c.requesting_member_state).where(
            lapsed_reply).group_by(R.c.regime, R.c.reply_due, R.c.requesting_member_state)))
    if groups:
        tmp = Table("tmp_dublin_lapse", MetaData(), Column("regime", String(12)),
                    Column("reply_due", Date), Column("requesting", String(2)),
                    Column("transfer_due", Date),
                    Column("decision_due", Date), prefixes=["TEMPORARY"])
        tmp.create(conn)
        conn.execute(insert(tmp), [
            {"regime": regime, "reply_due": due, "requesting": requesting,
             "transfer_due": transfer_due_on(regime, due, requesting),
             "decision_due": transfer_decision_due_on(regime, due, requesting)}
            for regime, due, requesting in groups])
        if pg:
            conn.execute(text("ANALYZE tmp_dublin_lapse"))
            if where is None:
                # The whole table: hash the few deadline groups and scan the requests once,
                # instead of sorting every lapsed request for a merge join.
                conn.execute(text("SET LOCAL work_mem = '64MB'"))
                conn.execute(text("SET LOCAL enable_mergejoin = off"))
        joined = and_(lapsed_reply, tmp.c.regime == R.c.regime, tmp.c.reply_due == R.c.reply_due,
                      tmp.c.requesting == R.c.requesting_member_state)
        notification = R.c.kind == "take_back_notification"
        accept = update(R).where(joined).values(
            status=case((notification, "confirmed_tacitly"), else_="accepted_tacitly"),
            accepted_on=R.c.reply_due, transfer_due=tmp.c.transfer_due,
            transfer_decision_due=tmp.c.decision_due,
            responsible_member_state=R.c.requested_member_state,
            version=R.c.version + 1, updated_at=uow.now)
        details = literal({"rule": "no reply by the deadline: silence is acceptance (confirmation)"},
                          type_=event_type)

        def reply_event(rows: Any) -> Any:
            notif = rows.c.kind == "take_back_notification"
            return select(rows.c.id + literal("-r"), rows.c.id, rows.c.case_id, *by,
                          case((notif, literal("lapse_confirmation")), else_=literal("lapse_reply")),
                          literal("pending"),
                          case((notif, literal("confirmed_tacitly")),
                               else_=literal("accepted_tacitly")), details)

        if pg:
            changed = accept.returning(R.c.id, R.c.case_id, R.c.kind).cte("changed")
            written = _write_events(conn, reply_event(changed))
        else:
            conn.execute(insert(dublin_request_events).from_select(
                _EVENT_COLUMNS, reply_event(R).where(joined)))
            written = dict(conn.execute(select(
                case((notification, "lapse_confirmation"), else_="lapse_reply"), func.count())
                .where(joined).group_by(notification)).all())
            changed_n = conn.execute(accept).rowcount
            assert changed_n == sum(written.values())
        if pg and where is None:
            conn.execute(text("SET LOCAL enable_mergejoin = on"))
        counts["silence_as_acceptance"] = written.get("lapse_reply", 0)
        counts["silence_as_confirmation"] = written.get("lapse_confirmation", 0)
        tmp.drop(conn)

    # 2. Re-examinations not answered: the procedure is closed (C-47/17).
    sc = and_(R.c.status == "reexamination_requested", R.c.reexamination_due < today, *base)
    close = update(R).where(sc).values(
        status="refused_final", closed_on=R.c.reexamination_due,
        responsible_member_state=R.c.requesting_member_state,
        version=R.c.version + 1, updated_at=uow.now)

    def reexamination_event(rows: Any) -> Any:
        return select(rows.c.id + literal("-x"), rows.c.id, rows.c.case_id, *by,
                      literal("lapse_reexamination"), literal("reexamination_requested"),
                      literal("refused_final"), literal({}, type_=event_type))

    if pg:
        changed = close.returning(R.c.id, R.c.case_id).cte("changed")
        counts["reexamination_closed"] = sum(_write_events(conn, reexamination_event(changed)).values())
    else:
        conn.execute(insert(dublin_request_events).from_select(
            _EVENT_COLUMNS, reexamination_event(R).where(sc)))
        counts["reexamination_closed"] = conn.execute(close).rowcount

    # 3. Refusals of a take charge or take back whose re-examination was not asked within the
    # window (Reg. 1560/2003 Art 5(2): three weeks from the negative reply): the refusal is final
    # and the procedure closed on the window's last day, as an unanswered re-examination (2.). The
    # window depends only on (regime, day of the reply, requesting state): those few ends are
    # computed with the law's parameters into a temporary table and joined, as the replies (1.).
    refused = and_(R.c.status == "refused", R.c.kind.in_(sorted(REEXAMINABLE)), R.c.replied_on < today, *base)
    windows = []
    for regime, replied, requesting in conn.execute(
            select(R.c.regime, R.c.replied_on, R.c.requesting_member_state).where(refused)
            .group_by(R.c.regime, R.c.replied_on, R.c.requesting_member_state)):
        window = reexamination_request_due_on(regime, replied, requesting)
        if window is not None and window < today:
            windows.append({"regime": regime, "replied_on": replied, "requesting": requesting,
                            "window_due": window})
    if windows:
        tmp = Table("tmp_dublin_refusal", MetaData(), Column("regime", String(12)),
                    Column("replied_on", Date), Column("requesting", String(2)),
                    Column("window_due", Date), prefixes=["TEMPORARY"])
        tmp.create(conn)
        conn.execute(insert(tmp), windows)
        if pg:
            conn.execute(text("ANALYZE tmp_dublin_refusal"))
        sc = and_(refused, tmp.c.regime == R.c.regime, tmp.c.replied_on == R.c.replied_on,
                  tmp.c.requesting == R.c.requesting_member_state)
        final = update(R).where(sc).values(
            status="refused_final", closed_on=tmp.c.window_due,
            responsible_member_state=R.c.requesting_member_state,
            version=R.c.version + 1, updated_at=uow.now)

        def refusal_event(rows: Any) -> Any:
            return select(rows.c.id + literal("-f"), rows.c.id, rows.c.case_id, *by,
                          literal("lapse_reexamination_request"), literal("refused"), literal("refused_final"),
                          literal({"rule": "no re-examination requested within the time limit: the refusal "
                                           "is final"}, type_=event_type))

        if pg:
            changed = final.returning(R.c.id, R.c.case_id).cte("changed")
            counts["refusal_final"] = sum(_write_events(conn, refusal_event(changed)).values())
        else:
            conn.execute(insert(dublin_request_events).from_select(
                _EVENT_COLUMNS, refusal_event(R).where(sc)))
            counts["refusal_final"] = conn.execute(final).rowcount
        tmp.drop(conn)

    # 4. Transfer periods that ended without a transfer: responsibility shifts.
    sc = and_(R.c.status.in_(sorted(proc.TRANSFER_RUNNING)), R.c.transfer_due < today, *base)
    shift_values = dict(status="responsibility_shifted", closed_on=R.c.transfer_due,
                        responsible_member_state=R.c.requesting_member_state,
                        version=R.c.version + 1, updated_at=uow.now)

    def transfer_event(rows: Any, from_status: Any) -> Any:
        return select(rows.c.id + literal("-t"), rows.c.id, rows.c.case_id, *by,
                      literal("lapse_transfer"), from_status, literal("responsibility_shifted"),
                      literal({}, type_=event_type))

    if pg:
        # RETURNING gives the new row: the status before comes from the rows selected to change.
        lapsing = select(R.c.id, R.c.status.label("from_status")).where(sc).subquery("lapsing")
        changed = (update(R).where(R.c.id == lapsing.c.id).values(**shift_values)
                   .returning(R.c.id, R.c.case_id, lapsing.c.from_status).cte("changed"))
        counts["transfer_lapsed"] = sum(_write_events(
            conn, transfer_event(changed, changed.c.from_status)).values())
    else:
        conn.execute(insert(dublin_request_events).from_select(
            _EVENT_COLUMNS, transfer_event(R, R.c.status).where(sc)))
        counts["transfer_lapsed"] = conn.execute(update(R).where(sc).values(**shift_values)).rowcount

    for key, n in counts.items():
        if n:
            uow.audit(principal, f"responsibility.{key}", "dublin_requests",
                      "sweep" if where is None else "read", after={"count": n, "before": today})
    return counts


_EVENT_COLUMNS = ["id", "request_id", "case_id", "at", "actor", "authority", "action",
                  "from_status", "to_status", "details"]


def _write_events(conn: Connection, events: Any) -> dict[str, int]:
    """PostgreSQL: run the data-modifying CTE in ``events`` (rows changed -> their timeline
    events) as one statement; the number of events written per action."""
    written = insert(dublin_request_events).from_select(_EVENT_COLUMNS, events).returning(
        dublin_request_events.c.action).cte("written")
    return {a: int(n) for a, n in conn.execute(
        select(written.c.action, func.count()).group_by(written.c.action))}


@job("responsibility.deadlines")
def deadlines_job(services: Services, now: datetime) -> str:
    """Dublin deadlines: silence becomes acceptance or confirmation, unanswered re-examinations
    close, refusals not contested within the re-examination window become final, and lapsed
    transfer periods shift responsibility to the requesting state."""
    with services.uow() as uow:
        counts = _sweep(uow, today=now.date())
        uow.commit()
    return ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items())


def next_lapse(services: Services, on: date) -> date | None:
    """The first day on or after ``on`` on which a deadline the sweep applies ends (the sweep
    applies it the morning after, :func:`deadlines_job`): a reply or confirmation awaited in
    silence, a re-examination not answered, a refusal's window to ask for its re-examination, a
    transfer period (a transfer suspended by an appeal has none running). ``None``: nothing runs."""
    with services.engine.connect() as conn:
        days: list[date] = [d for d in (
            conn.execute(select(func.min(R.c.reply_due)).where(
                R.c.status == "pending", R.c.reply_due >= on,
                R.c.kind.in_(sorted(proc.SILENCE_IS_ACCEPTANCE | {"take_back_notification"})))).scalar(),
            conn.execute(select(func.min(R.c.reexamination_due)).where(
                R.c.status == "reexamination_requested", R.c.reexamination_due >= on)).scalar(),
            conn.execute(select(func.min(R.c.transfer_due)).where(
                R.c.status.in_(sorted(proc.TRANSFER_RUNNING)), R.c.transfer_due >= on)).scalar(),
        ) if d is not None]
        for regime, replied, requesting in conn.execute(
                select(R.c.regime, R.c.replied_on, R.c.requesting_member_state).where(
                    R.c.status == "refused", R.c.kind.in_(sorted(REEXAMINABLE)), R.c.replied_on.is_not(None))
                .group_by(R.c.regime, R.c.replied_on, R.c.requesting_member_state)):
            window = reexamination_request_due_on(regime, replied, requesting)
            if window is not None and window >= on:
                days.append(window)
    return min(days, default=None)


def sweep(services: Services, principal: Principal, *, today: date | None = None) -> dict[str, int]:
    """Run the deadline sweep now (``pactum responsibility sweep``)."""
    require(principal, Role.admin)
    with services.uow() as uow:
        if today is not None and today > uow.now.date():  # lapsed transfers cannot be revived
            raise ValidationProblem.one("on", f"{today.isoformat()} is after today ({uow.now.date().isoformat()}): "
                                              "deadlines are applied only once they have passed")
        counts = _sweep(uow, today=today or uow.now.date(), principal=principal)
        uow.commit()
    return counts


# --- Indicators -------------------------------------------------------------------------------------


@indicator("dublin_requests_open", label="Dublin requests awaiting a reply", area="responsibility", unit="requests",
           period="on", whose="requests {state} must answer")
def requests_open_indicator(conn: Connection, as_of: date, member_state: str | None) -> int:
    """Requests sent on or before ``as_of`` awaiting a reply at the end of that day whose deadline
    had not passed. The status is the one recorded by then (the request's last event before the next
    day), so a past day's figure is what the platform knew that day: a request answered since still
    counts as awaiting on it (a weekly report of a past week read 0 where its requests were all
    answered later). A request with no timeline (loaded into the store) is read by its status now. A state's: the requests it must answer (it is the requested state: its inbox),
    not those it sent and waits on."""
    RE = dublin_request_events
    day_after = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    recorded_then = (select(RE.c.to_status).where(RE.c.request_id == R.c.id, RE.c.at < day_after)
                     .order_by(RE.c.at.desc(), RE.c.id.desc()).limit(1).correlate(R).scalar_subquery())
    # a request with no timeline at all (loaded into the store, not sent through Pactum) is read by
    # its status now; one whose timeline begins after the day was not known on it
    no_timeline = ~select(RE.c.id).where(RE.c.request_id == R.c.id).correlate(R).exists()
    status_then = func.coalesce(recorded_then, case((no_timeline, R.c.status)))
    q = select(func.count()).select_from(R).where(
        R.c.sent_on <= as_of,
        or_(and_(status_then == "pending", R.c.reply_due >= as_of),
            and_(status_then == "reexamination_requested", R.c.reexamination_due >= as_of)))
    if member_state is not None:
        q = q.where(R.c.requested_member_state == member_state)
    return int(conn.execute(q).scalar() or 0)


@indicator("dublin_transfers", label="Dublin transfers carried out", area="responsibility", unit="transfers",
           period="to_date", whose="transfers {state} carried out, not those to {state}")
def transfers_indicator(conn: Connection, as_of: date, member_state: str | None) -> int:
    """Transfers carried out up to the day. A state's: the transfers it carried out, of applicants
    it had asked another state to take charge of or back (it is the requesting state: outgoing
    transfers, Eurostat migr_dubto); the transfers it received are the sending state's."""
    q = select(func.count()).select_from(R).where(R.c.status == "transferred", R.c.transferred_on <= as_of)
    if member_state is not None:
        q = q.where(R.c.requesting_member_state == member_state)
    return int(conn.execute(q).scalar() or 0)


def pairs(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The states appearing in a statistics table (for the screen's filters)."""
    return sorted({r["requesting_member_state"] for r in rows} | {r["requested_member_state"] for r in rows})
