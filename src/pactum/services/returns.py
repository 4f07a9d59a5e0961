"""Returns: handlers and queries for return decisions, alerts, hits, operations and AVR.

Visibility (Regulation (EU) 2018/1860, Recommendation (EU) 2023/682):
- a state's officers see the return decisions and alerts their state issued;
- another state's alert is seen only after a lawful hit: the identity search returns it as a
  candidate (``component: "sis_return_alert"``, ``alert_id``) and :func:`record_hit` records the
  hit; from then on the executing state sees the alert and the decision behind it, exchanges
  supplementary information with the issuing state and recognises the decision or records why
  not. Without a hit the alert is :class:`NotFound` for that state;
- EU bodies see operations they support and the statistics, never individual decisions.

Every write runs in one unit of work and leaves an audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    and_,
    cast,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy import case as sql_case

from pactum.common.clock import as_utc
from pactum.common.countries import country
from pactum.common.csvrows import csv_table
from pactum.common.dates import check_statistics_year
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.languages import language_name
from pactum.common.limits import STORE_INTEGER_MAX
from pactum.common.paging import page_problems
from pactum.common.states import authority_name
from pactum.common.states import member_state as state_code
from pactum.common.text import shortened
from pactum.identity import links as link_rules
from pactum.law import NotInForce, Trace
from pactum.law.refs import LegalRef
from pactum.law.regimes import procedures_regime
from pactum.procedures import workflow
from pactum.procedures.model import NEGATIVE_OUTCOMES, POSITIVE_OUTCOMES, AppealOutcome, CaseState
from pactum.registry.local_time import state_today, stored_day
from pactum.returns import avr as avr_rules
from pactum.returns import destination as dest_rules
from pactum.returns import extension as vd_extension
from pactum.returns import identity_review as id_review
from pactum.returns import lifecycle, minors, rules, stay, territory
from pactum.returns import period as vd_period
from pactum.returns import translation as tr_rules
from pactum.returns.alerts import FIELD_LETTERS, alert_fields, erased_personal_data
from pactum.returns.operations import (
    APPEAL_TIME_BASIS,
    OBSTACLES,
    REMOVAL_MODES,
    ReturnFacts,
    enforced_elsewhere_words,
    obstacle_label,
    obstacles,
    removal_by_recognising_state,
)
from pactum.returns.schemas import (
    NOT_THIRD_COUNTRIES,
    NOTIFICATION_KINDS,
    AvrCreate,
    AvrDeparture,
    DepartureConfirm,
    DestinationAmendment,
    DestinationAppeal,
    DestinationAppealOutcome,
    EntryBanImposition,
    HitCreate,
    HitMessage,
    IdentityReviewed,
    OperationCreate,
    ParticipantCreate,
    ParticipantOutcome,
    ParticipantRemoval,
    PeriodExtension,
    ReadmissionAnswer,
    ReadmissionCreate,
    ReturnDecisionCreate,
    ReturnFactsUpdate,
    StandardFormUse,
    Stats,
    TranslationGiven,
    TranslationRequest,
    Versioned,
    VersionedReason,
)
from pactum.returns.stats import Order, Return, stats_rows
from pactum.services import identity, procedures, reads, registry
from pactum.services.auth import Principal, Role, require, require_member_state, state_scope
from pactum.services.bootstrap import Services
from pactum.services.indicators import indicator
from pactum.services.jobs import job
from pactum.services.uow import UnitOfWork
from pactum.store.tables.base import update_versioned
from pactum.store.tables.procedures import asylum_applications, asylum_case_events
from pactum.store.tables.registry import encounters, eurodac_records, identity_records, persons
from pactum.store.tables.returns import (
    avr_cases,
    entry_ban_alerts,
    readmission_requests,
    return_alert_hits,
    return_alerts,
    return_decision_extensions,
    return_decision_suspensions,
    return_decision_translations,
    return_decisions,
    return_destination_decisions,
    return_hit_messages,
    return_notifications,
    return_operation_participants,
    return_operations,
)

#: Who records hits, reads supplementary information and follows the asylum procedure's appeal.
WRITERS = (Role.return_officer, Role.caseworker, Role.admin)
#: Who reads individual decisions, alerts, hits, operations and AVR cases: the competent return,
#: border and immigration authorities (Reg. (EU) 2018/1860 Art 17). Analysts read the statistics
#: (:data:`STATS_READERS`), the auditor the audit log only.
READERS = (Role.return_officer, Role.caseworker, Role.admin)
#: Who reads the aggregate statistics (as Eurostat publishes them).
STATS_READERS = (Role.return_officer, Role.caseworker, Role.analyst, Role.admin)
OFFICERS = (Role.return_officer, Role.admin)
#: Match probability from which the identity search of the person encountered confirms that they
#: are the person of another state's return alert (a hit, Reg. (EU) 2018/1861 Art 3(8)): the
#: probability from which two identities are "the same or similar" (identity links, white).
HIT_MATCH_PROBABILITY = link_rules.SIMILAR_IDENTITY
UNKNOWN_NATIONALITY = "XXX"
STATELESS = "XXA"



def _refuse_if_open(conn: Any, table: Any, decision_id: str, status: str, message: str) -> None:
    """One open follow-up record (readmission request, AVR case) per return decision at a time."""
    found = conn.execute(
        select(table.c.id).where(table.c.return_decision_id == decision_id, table.c.status == status)
    ).first()
    if found is not None:
        raise Conflict(message)

def _row(row: Any) -> dict[str, Any]:
    return dict(row._mapping) if row is not None else {}


def _today(uow: UnitOfWork, member_state: str | None) -> date:
    """Today on the clock of ``member_state`` (its capital's,
    :func:`pactum.registry.local_time.state_today`): the state whose record is checked or counted —
    the decision's issuing state, the operation's organising state, the state whose queue it is, the
    state recording a fact it witnessed. At 23:30 UTC on 1 December a Greek decision is issued on 2
    December. ``None`` (an EU body) keeps the UTC day."""
    return state_today(uow.now, member_state)


def _decision_today(uow: UnitOfWork, decision: dict[str, Any]) -> date:
    """Today for a decision's days: on the clock of the region it was issued in where it records one
    (at 21:30 UTC on 1 December it is 2 December in La Réunion, UTC+4, still 1 December in Paris),
    else of its issuing state's capital (:func:`_today`)."""
    return territory.decision_day(uow.now, decision["member_state"], decision.get("region"))


def today_for(services: Services, member_state: str | None) -> date:
    """:func:`_today` outside a unit of work: the day the returns pages, the API and the CLI show
    and name files by, on the clock of the reader's state (the UTC day for an EU body)."""
    return state_today(services.clock.now(), member_state)


def _notify(
    uow: UnitOfWork,
    member_state: str,
    kind: str,
    message: str,
    *,
    decision_id: str | None = None,
    hit_id: str | None = None,
) -> None:
    uow.conn.execute(
        insert(return_notifications).values(
            id=new_id("rnt"),
            member_state=member_state,
            kind=kind,
            return_decision_id=decision_id,
            hit_id=hit_id,
            message=message,
            created_at=uow.now,
        )
    )


# --------------------------------------------------------------------------- return decisions


def _latest_identity(conn: Connection, person_id: str) -> dict[str, Any]:
    row = conn.execute(
        select(identity_records)
        .where(identity_records.c.person_id == person_id)
        .order_by(identity_records.c.recorded_on.desc(), identity_records.c.created_at.desc())
        .limit(1)
    ).first()
    return _row(row)


#: States of an asylum case in which no decision has been taken: the applicant may remain.
_PENDING_STATES = frozenset({CaseState.made, CaseState.registered, CaseState.lodged, CaseState.interview_scheduled,
                             CaseState.interview_held, CaseState.draft_decision, CaseState.under_review})
_POSITIVE = frozenset(o.value for o in POSITIVE_OUTCOMES)
_NEGATIVE = frozenset(o.value for o in NEGATIVE_OUTCOMES)
_GRANTED_ON_APPEAL = {AppealOutcome.granted_refugee_status.value: "refugee_status",
                      AppealOutcome.granted_subsidiary_protection.value: "subsidiary_protection"}
_A = asylum_applications


def _asylum_cases(conn: Connection, person_id: str, ms: str) -> list[stay.AsylumCaseFacts]:
    """The person's asylum cases in ``ms`` as the return checks read them (procedures' records):
    pending, protection granted, negative; for a border-procedure case, the last day of the
    border procedure as the case's deadlines compute it (Art 51(2) APR)."""
    rows = conn.execute(
        select(_A.c.id, _A.c.reference, _A.c.state, _A.c.procedure, _A.c.context, _A.c.made_on,
               _A.c.registered_on, _A.c.lodged_on, _A.c.outcome, _A.c.decided_on, _A.c.appeal_outcome,
               _A.c.routing_grounds)
        .where(_A.c.person_id == person_id, _A.c.member_state == ms)
        .order_by(_A.c.made_on, _A.c.id)
    ).all()
    on_appeal = [r.id for r in rows if r.appeal_outcome in _GRANTED_ON_APPEAL]
    appeal_days: dict[str, date] = {}
    if on_appeal:
        E = asylum_case_events
        for e in conn.execute(select(E.c.case_id, E.c.detail).where(E.c.case_id.in_(on_appeal),
                                                                     E.c.event == "appeal_decided")
                              .order_by(E.c.at)).all():
            detail = e.detail or {}
            if detail.get("outcome") in _GRANTED_ON_APPEAL and detail.get("decided_on"):
                appeal_days[e.case_id] = date.fromisoformat(str(detail["decided_on"])[:10])
    out = []
    for r in rows:
        pending = r.state in _PENDING_STATES
        granted = _GRANTED_ON_APPEAL.get(r.appeal_outcome or "")
        by_appeal = granted is not None
        if granted is None and not pending and r.decided_on is not None and r.outcome in _POSITIVE:
            granted = r.outcome
        end = None
        if r.procedure == "border" and r.registered_on is not None:
            due = workflow.next_deadline(workflow.Case(
                member_state=ms, procedure=r.procedure, context=r.context, state=CaseState.decided,
                made_on=r.made_on, registered_on=r.registered_on, lodged_on=r.lodged_on))
            end = due.due if due is not None and due.kind == "border_procedure_end" else None
        # a pending application may give no right to remain that holds a return decision back: a
        # subsequent one (APR Art 10(4)(a), 56; Directive 2013/32/EU Art 41(1)), any one whose
        # applicant is a danger to public order or national security (APR Art 10(4)(c)); a
        # surrender or extradition (Art 10(3), (4)(b)) is not a return and still holds it back, as
        # the procedures area says it (``return_decision_held_back``)
        remain = None
        if pending:
            full = conn.execute(select(_A).where(_A.c.id == r.id)).mappings().first()
            if full is not None:
                remain = (procedures.subsequent_remain(conn, dict(full))
                          if "subsequent_application" in (r.routing_grounds or [])
                          else procedures.recorded_remain(conn, dict(full)))
        no_remain = (remain if remain is not None and not remain["right_to_remain"]
                     and not remain["return_decision_held_back"] else None)
        surrender_only = (tuple(remain["legal_basis"]) if remain is not None and not remain["right_to_remain"]
                          and remain["return_decision_held_back"] else ())
        out.append(stay.AsylumCaseFacts(
            no_right_to_remain=no_remain["note"] if no_remain else None,
            no_right_to_remain_basis=tuple(no_remain["legal_basis"]) if no_remain else (),
            surrender_only_basis=surrender_only,
            id=r.id, state=r.state, procedure=r.procedure, made_on=r.made_on, lodged_on=r.lodged_on,
            registered_on=r.registered_on, pending=pending,
            outcome=r.outcome, decided_on=r.decided_on, protection_granted=granted,
            granted_on_appeal=by_appeal, appeal_decided_on=appeal_days.get(r.id),
            negative=(not pending and granted is None and r.decided_on is not None and r.outcome in _NEGATIVE),
            border_procedure_end=end, reference=r.reference))
    return out


def _protection_elsewhere(conn: Connection, person_id: str, ms: str, today: date) -> list[stay.ProtectionElsewhere]:
    """International protection another Member State granted to the same person: a person of
    another state whom same-person identity links join to ``ms``'s person, directly or through a
    chain of other states' records (IT's A linked to DE's B, linked to FR's C: C is A, reached through
    DE), as the whole platform reads "the same person" (:func:`pactum.services.registry.same_person_network`:
    white or red links, a green link breaking a chain; the hits on a return alert read the same),
    whose Eurodac applicant data that state marked as a beneficiary's (Reg. (EU) 2024/1358, Article
    31), while Eurodac keeps them (not erased, not past their retention day ``today``: Art 29). Each
    state once, by its earliest mark, with the states its chain passes through (none for a direct
    link). Before, only a link on the person's own record counted: a chain was not followed."""
    reached = registry.same_person_network(conn, person_id, ms)
    if not reached:
        return []
    IR, E = identity_records, eurodac_records
    marks = conn.execute(
        select(IR.c.person_id, E.c.member_state, E.c.marked_at)
        .join(IR, IR.c.id == E.c.identity_record_id)
        .where(IR.c.person_id.in_(sorted(reached)), E.c.member_state != ms,
               E.c.marked_at.is_not(None), E.c.erased_at.is_(None), E.c.retention_until >= today)
        .order_by(E.c.marked_at, E.c.id)
    ).all()
    earliest: dict[str, tuple[Any, tuple[str, ...]]] = {}
    for m in marks:  # the earliest mark of each state, with the chain that reached its person
        if m.member_state not in earliest:
            earliest[m.member_state] = (m.marked_at, reached[m.person_id].through)
    # the day of the mark on the clock of the state that marked the data (its capital's)
    return [stay.ProtectionElsewhere(state, stored_day(at, state) if isinstance(at, datetime | str) else None,
                                     through=through)
            for state, (at, through) in sorted(earliest.items())]


def _unaccompanied_minors(conn: Connection, person_ids: set[str], on: date) -> set[str]:
    """Of ``person_ids``, those who are unaccompanied minors on ``on`` (Directive 2008/115/EC
    Art 10): recorded so on one of their asylum applications and, by their latest identity
    record's date of birth, possibly still a minor that day (:mod:`pactum.returns.minors`)."""
    ids = sorted(p for p in person_ids if p)
    if not ids:
        return set()
    flagged = set(conn.execute(
        select(_A.c.person_id).where(_A.c.person_id.in_(ids), _A.c.unaccompanied_minor.is_(True))
    ).scalars())
    if not flagged:
        return set()
    born: dict[str, str | None] = {}
    for r in conn.execute(
        select(identity_records.c.person_id, identity_records.c.date_of_birth)
        .where(identity_records.c.person_id.in_(sorted(flagged)))
        .order_by(identity_records.c.recorded_on, identity_records.c.created_at)
    ).all():
        born[r.person_id] = r.date_of_birth  # the latest record wins, as _latest_identity reads
    return {p for p in flagged if minors.unaccompanied_minor(True, born.get(p), on)}


def person_warnings(services: Services, principal: Principal, person_id: str) -> list[str]:
    """What the return decision form tells the officer about one of the state's persons before a
    decision is issued: for an unaccompanied minor, Directive 2008/115/EC Arts 5(a), 10(1) and
    10(2). Nothing for a person who is not the state's (the form's refusal says that), nor for
    an officer who reads no return records."""
    ms = principal.member_state
    if ms is None or not principal.has(*READERS):
        return []
    with services.uow() as uow:
        person = uow.conn.execute(select(persons.c.member_state).where(persons.c.id == person_id)).first()
        if person is None or person.member_state != ms:
            return []
        if person_id in _unaccompanied_minors(uow.conn, {person_id}, _today(uow, ms)):
            return minors.warnings(handover=None)
    return []


def return_decision_refused(services: Services, principal: Principal, person_id: str) -> str | None:
    """Why a return decision cannot be issued today to one of the state's persons whatever the
    form says, as :func:`issue_return_decision` would refuse it (the same rule,
    :func:`pactum.returns.stay.check_stay`, on the same records): an application of theirs pending
    in the state (the right to remain), or international protection the state granted them.
    ``None`` when nothing in the records stands in the way, for a person who is not the state's,
    and for an officer who issues no return decisions. What depends on the form (a ground of
    Article 6(2) for protection granted by another state, the asylum case named) is left to the
    form's own refusal."""
    ms = principal.member_state
    if ms is None or not principal.has(*OFFICERS):
        return None
    with services.uow() as uow:
        person = uow.conn.execute(select(persons.c.member_state).where(persons.c.id == person_id)).first()
        if person is None or person.member_state != ms:
            return None
        try:
            stay.check_stay(issued_on=_today(uow, ms), member_state=ms, grounds=[], asylum_case_id=None,
                            cases=_asylum_cases(uow.conn, person_id, ms), protection_elsewhere=[])
        except Conflict as exc:
            return str(exc)
    return None


def _first_known(conn: Connection, person_id: str, ms: str) -> date | None:
    """The first day the state ``ms`` knew of the person: the earliest of their identity records,
    encounters and asylum applications there (``None`` when nothing is recorded)."""
    days: list[date] = []
    for day in (
        conn.execute(select(func.min(identity_records.c.recorded_on))
                     .where(identity_records.c.person_id == person_id)).scalar(),
        conn.execute(select(func.min(_A.c.made_on))
                     .where(_A.c.person_id == person_id, _A.c.member_state == ms)).scalar(),
    ):
        if isinstance(day, datetime):
            days.append(day.date())
        elif isinstance(day, date):
            days.append(day)
    # each encounter on the day of the place where it happened (its recorded clock, else the capital's
    # of its state), not the UTC day of the moment stored
    days.extend(stored_day(met.occurred_at, met.member_state, met.time_zone) for met in conn.execute(
        select(encounters.c.occurred_at, encounters.c.member_state, encounters.c.time_zone)
        .where(encounters.c.person_id == person_id, encounters.c.occurred_at.is_not(None))))
    return min(days) if days else None


def _refuse_second_decision(conn: Connection, person_id: str, ms: str) -> None:
    """One open return decision (issued or suspended) per person and issuing state: before an alert
    is entered the state checks whether the person is already the subject of one (Regulation (EU)
    2018/1861, Article 23, applied to return alerts by Regulation (EU) 2018/1860, Article 19, which
    makes Arts 6 to 19, 21, 23 and 38 to 60 of Regulation (EU) 2018/1861 apply to return alerts: read
    in its consolidated text, Italian version). Two decisions with different periods would leave the person, and a state that
    gets a hit, with contradictory obligations. :class:`Conflict` naming the open decision."""
    D = return_decisions
    open_ = conn.execute(
        select(D.c.id, D.c.reference, D.c.status, D.c.issued_on)
        .where(D.c.person_id == person_id, D.c.member_state == ms, D.c.status.in_(("issued", "suspended")))
        .order_by(D.c.issued_on.desc(), D.c.id)
    ).first()
    if open_ is not None:
        raise Conflict(
            f"the person already has an open return decision in {ms}: {open_.reference} ({open_.id}), "
            f"{open_.status}, issued on {_iso(open_.issued_on)}, with an active return alert; withdraw it before "
            f"issuing another (one alert per person: {LegalRef.of('sis_borders', '23').cite()}, applied by "
            f"{LegalRef.of('sis_return', '19').cite()})")


def issue_return_decision(
    uow: UnitOfWork,
    principal: Principal,
    *,
    person_id: str,
    issued_on: date,
    asylum_case_id: str | None = None,
    voluntary_departure_days: int | None = None,
    entry_ban_years: int | None = None,
    grounds: list[str] | None = None,
    entry_ban_months: int | None = None,
    removal_barred_until: date | None = None,
    removal_barred_basis: str | None = None,
    region: str | None = None,
) -> str:
    """Issue a return decision for a person of the principal's state, inside the caller's unit
    of work, and enter the return alert shared with the other states. Returns the decision id.

    ``region``: where it is issued, one of the state's regions with a clock of their own
    (:mod:`pactum.returns.territory`); its days are then counted on that clock. Issued in one of
    France's outermost regions, it gets no return alert (the decision read says why).

    ``removal_barred_until``: the procedures area's last day of the time the applicant has to ask
    the court for leave to remain pending an appeal that does not suspend by itself (APR Art
    68(5)(a)); the decision is not enforced until then (Art 68(5)(d)(i)). With
    ``removal_barred_basis="appeal_time"``: the last day to lodge an appeal that suspends by itself
    (APR Art 68(1), (2); Directive 2013/32/EU Art 46(5)).

    A return decision is the return authority's (``return_officer``, ``admin``). A caseworker
    issues one only together with the negative asylum decision it follows (``asylum_case_id``; the
    procedures area calls this with the case's notification, Directive 2008/115/EC Art 6(6), APR
    Art 37); a stand-alone decision (:func:`create_return_decision`) is the return officer's."""
    if not principal.has(*OFFICERS):
        require(principal, *WRITERS)
        if asylum_case_id is None:
            raise Forbidden("a return decision on its own is issued by the return authority (role "
                            "return_officer); a caseworker issues one only with the negative asylum decision")
    ms = require_member_state(principal)
    conn = uow.conn
    person = conn.execute(select(persons).where(persons.c.id == person_id)).first()
    if person is None or person.member_state != ms:
        raise NotFound(f"person {shortened(person_id)} not found")
    try:
        region = territory.check_region(ms, region)
    except ValueError as exc:
        raise ValidationProblem.one("region", shortened(str(exc), 400)) from None
    if issued_on > _decision_today(uow, {"member_state": ms, "region": region}):
        raise ValidationProblem.one("issued_on", "a return decision cannot be dated in the future")
    known = _first_known(conn, person_id, ms)
    if known is not None and issued_on < known:
        raise ValidationProblem.one(
            "issued_on", f"a return decision cannot be dated {issued_on.isoformat()}, before {ms} first recorded "
                         f"the person on {known.isoformat()} (identity record, encounter or asylum application)")
    codes = rules.check_grounds(list(grounds or []))
    cases = _asylum_cases(conn, person_id, ms)
    if asylum_case_id is not None:
        # the case by its id or its short reference (IT-2026-000123), within the state's own cases;
        # an unknown one, another state's or another person's: the same answer, naming what was typed
        if not asylum_case_id.strip():
            raise ValidationProblem.one("asylum_case_id",
                                        "is empty: give the asylum case's reference or its id, or leave it out")
        found = procedures.case_id_of(conn, ms, asylum_case_id)
        if found is None or found not in {c.id for c in cases}:
            raise ValidationProblem.one(
                "asylum_case_id",
                f"{shortened(asylum_case_id.strip())} is not an asylum case of this person in {ms}")
        asylum_case_id = found
    # whom a return decision may be issued to (pactum.returns.stay): not a beneficiary of
    # protection, not an applicant with the right to remain, the case and grounds as recorded
    checked = stay.check_stay(issued_on=issued_on, member_state=ms, grounds=codes, asylum_case_id=asylum_case_id,
                              cases=cases, protection_elsewhere=_protection_elsewhere(conn, person_id, ms,
                                                                                         _today(uow, ms)))
    codes = checked.grounds
    try:
        terms = rules.decide_terms(
            issued_on=issued_on,
            member_state=ms,
            voluntary_departure_days=voluntary_departure_days,
            entry_ban_years=entry_ban_years,
            grounds=codes,
            entry_ban_months=entry_ban_months,
        )
    except NotInForce:
        raise ValidationProblem.one(
            "issued_on", f"no rules on return decisions are in force on {issued_on.isoformat()}") from None
    basis = list(dict.fromkeys([*terms.legal_basis, *checked.legal_basis]))
    trace = [*checked.trace, *terms.trace]
    if person_id in _unaccompanied_minors(conn, {person_id}, issued_on):
        # the Directive allows the decision (Art 10(1)); the file says what it requires of it
        basis = list(dict.fromkeys([*basis, minors.ART_10_1.cite()]))
        step = Trace()
        step.step(rule="unaccompanied_minor", legal_basis=[minors.ART_5A, minors.ART_10_1, minors.ART_10_2],
                  facts={"unaccompanied_minor": True}, parameters={},
                  outcome=" ".join(minors.warnings(handover=None)))
        trace += step.to_list()
    not_entered = territory.alert_not_entered(region)
    if not_entered is not None:
        # Pactum's reading: no return alert outside the Schengen area (docs/returns.md)
        basis = list(dict.fromkeys([*basis, *territory.NOT_IN_SCHENGEN_BASIS]))
        step = Trace()
        step.step(rule="return_alert_not_entered", legal_basis=territory.NOT_IN_SCHENGEN_BASIS, facts={"region": region},
                  parameters={}, outcome=not_entered.reason)
        trace += step.to_list()
    # the input is checked first (422 on its fields), then the state conflict (409)
    _refuse_second_decision(conn, person_id, ms)
    identity = _latest_identity(conn, person_id)
    nationality = identity.get("nationality") or UNKNOWN_NATIONALITY
    third = nationality not in (UNKNOWN_NATIONALITY, STATELESS) and nationality not in NOT_THIRD_COUNTRIES
    destination = nationality if third else None
    decision_id = new_id("rtd")
    reference = f"{ms}-RD-{issued_on.year}-{decision_id[-8:]}"
    values = {
        "id": decision_id,
        "person_id": person_id,
        "identity_record_id": identity.get("id"),
        "member_state": ms,
        "region": region,
        "reference": reference,
        "asylum_case_id": asylum_case_id,
        "issued_on": issued_on,
        "issued_by": principal.username,
        "nationality": nationality,
        "destination_country": destination,
        "grounds": codes,
        "voluntary_departure_days": terms.voluntary_departure_days,
        "voluntary_departure_last_day": terms.voluntary_departure_last_day,
        "removal_barred_until": removal_barred_until,
        "removal_barred_basis": removal_barred_basis if removal_barred_until else None,
        "entry_ban_years": terms.entry_ban_years,
        "entry_ban_months": terms.entry_ban_months,
        "legal_basis": basis,
        "trace": _jsonable(trace),
        "status": "issued",
        "identity_confirmed": bool(identity.get("document_number")),
        "travel_document": bool(identity.get("document_number")),
        "fit_to_travel": True,
        "absconded": False,
        "created_at": uow.now,
        "version": 1,
    }
    conn.execute(insert(return_decisions), values)
    uow.audit(
        principal,
        "returns.decision.issue",
        "return_decision",
        decision_id,
        after=values,
    )
    if not_entered is not None:
        return decision_id
    # field (x): the period's last day as the time to appeal moves it (the period does not run while
    # the applicant may remain: APR Art 68(1), (2); Gnandi)
    issued_run = _period_runs(conn, [values]).get(decision_id)
    vd_last = issued_run.ends_on if issued_run is not None else terms.voluntary_departure_last_day
    reason = "; ".join(rules.ground_label(g, issued_on) for g in codes) or "illegal stay"
    alert_id = new_id("ral")
    alert = {
        "id": alert_id,
        "identity_record_id": identity.get("id"),
        "person_id": person_id,
        "issuing_member_state": ms,
        "return_decision_id": decision_id,
        "status": "active",
        "created_at": uow.now,
        **alert_fields(
            identity,
            issuing_authority=f"{authority_name(ms)} return authority",
            decision_reference=reference,
            reason=reason,
            voluntary_departure_last_day=vd_last,
            entry_ban=terms.entry_ban_months is not None,
        ),
    }
    conn.execute(insert(return_alerts), alert)
    uow.audit(principal, "returns.alert.create", "return_alert", alert_id, after=alert)
    return decision_id


def _jsonable(value: Any) -> Any:
    from pactum.services.audit import canonical

    return canonical(value)


def create_return_decision(
    services: Services, principal: Principal, body: ReturnDecisionCreate
) -> dict[str, Any]:
    """A return decision issued by the return authority (API, web form, CLI): return officers
    only; the one issued with a negative asylum decision goes through the procedures area."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        decision_id = issue_return_decision(
            uow,
            principal,
            person_id=body.person_id,
            issued_on=body.issued_on,
            asylum_case_id=body.asylum_case_id,
            voluntary_departure_days=body.voluntary_departure_days,
            entry_ban_years=body.entry_ban_years,
            grounds=body.grounds,
            entry_ban_months=body.entry_ban_months,
            region=body.region,
        )
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


def _hit_states(conn: Connection, decision_id: str) -> dict[str, str]:
    """Executing states with a hit on the decision's alert -> the hit's status (latest wins)."""
    rows = conn.execute(
        select(return_alert_hits.c.executing_member_state, return_alert_hits.c.status)
        .where(return_alert_hits.c.return_decision_id == decision_id)
        .order_by(return_alert_hits.c.reported_at)
    ).all()
    return {r.executing_member_state: r.status for r in rows}


def _load_decision(conn: Connection, principal: Principal, decision_id: str) -> tuple[dict[str, Any], str]:
    """The decision and the principal's relation to it: ``issuing`` or ``executing``."""
    ms = principal.member_state
    row = _row(conn.execute(select(return_decisions).where(return_decisions.c.id == decision_id)).first())
    if not row or ms is None:
        raise NotFound(f"return decision {decision_id} not found")
    if row["member_state"] == ms:
        return row, "issuing"
    if ms in _hit_states(conn, decision_id):
        return row, "executing"
    raise NotFound(f"return decision {decision_id} not found")


def _can_enforce(conn: Connection, principal: Principal, decision: dict[str, Any], relation: str) -> None:
    if (
        relation == "executing"
        and _hit_states(conn, decision["id"]).get(principal.member_state or "") != "recognised"
    ):
        raise Conflict(
            "your state has not recognised this return decision; recognise it on the hit first "
            "(Recommendation (EU) 2023/682)"
        )


#: The departure modes of ``DepartureConfirm``: all open to the issuing state and to a state that
#: recognised the decision; a state with a hit but no recognition only confirms an exit through its
#: external border (Reg. (EU) 2018/1860, Article 8).
DEPARTURE_MODES: tuple[str, ...] = ("voluntary", "enforced", "operation", "avr", "border_exit")


def _decision_actions(conn: Connection, principal: Principal, decision: dict[str, Any],
                      relation: str) -> tuple[list[str], list[str]]:
    """The lifecycle actions the principal may take on the decision now, and the departure modes
    open to them: what the handlers accept (the issuing state suspends, lifts and withdraws; an
    executing state only confirms a departure; writes are the return officers')."""
    possible = lifecycle.allowed("return decision", decision["status"])
    if not principal.has(*OFFICERS):
        return [], []
    if relation == "issuing":
        actions = possible
        modes = list(DEPARTURE_MODES) if "confirm_departure" in actions else []
        if modes and _enforced_elsewhere(conn, principal.member_state, [decision]).get(decision["id"]):
            # another state recognised the decision and removes the person: the issuing state
            # confirms only the person's own departure (:func:`_refuse_removal_enforced_elsewhere`)
            modes = [m for m in modes if m not in REMOVAL_MODES]
        return actions, modes
    actions = [a for a in possible if a == "confirm_departure"]
    if not actions:
        return [], []
    recognised = _hit_states(conn, decision["id"]).get(principal.member_state or "") == "recognised"
    return actions, list(DEPARTURE_MODES) if recognised else ["border_exit"]


#: What a state with a hit reads of another state's return decision: not the issuing state's
#: internal record (its person id, identity record, asylum case, grounds as coded, trace, the
#: officer, the reasons of its changes) but what enforcing it needs: the decision's reference,
#: dates, terms and status, and the facts for removal. The person's data come with the alert
#: while it is in SIS; anything else is the supplementary information the issuing state chooses
#: to send on the hit (as SIRENE would).
EXECUTING_DECISION_FIELDS: tuple[str, ...] = (
    "id", "member_state", "reference", "issued_on", "nationality", "destination_country",
    "voluntary_departure_days", "voluntary_departure_last_day", "entry_ban_years", "entry_ban_months",
    "entry_ban_starts_on",
    "entry_ban_ends_on", "entry_ban_imposed_on", "legal_basis", "status", "identity_confirmed", "travel_document", "fit_to_travel",
    "absconded", "minor_handover", "minor_handover_note", "departed_on", "departure_member_state",
    "departure_mode", "version",
)
#: The internal ids an alert row carries that another state does not read.
_ALERT_INTERNAL = ("person_id", "identity_record_id")
#: What another state reads of an entry-ban alert attached to a decision it has a hit on.
_BAN_SHARED = ("id", "issuing_member_state", "starts_on", "ends_on", "status")


def _alert_public(alert: dict[str, Any], relation: str) -> dict[str, Any] | None:
    """The alert as the principal's state reads it: the issuing state its record (personal data
    erased once deleted); a state with a hit the alert while it is in SIS, without internal ids."""
    if not alert:
        return None
    if relation != "issuing":
        if alert["status"] != "active":
            return None
        alert = {k: v for k, v in alert.items() if k not in _ALERT_INTERNAL}
    return {k: _iso(v) for k, v in alert.items()}


def _hit_public(hit: dict[str, Any], ms: str | None) -> dict[str, Any]:
    """A hit as a state reads it: the person the executing state encountered
    (``local_person_id``) is that state's record, not shown to the issuing state."""
    # its times (reported_at, decided_at) stored in UTC and said so (``+00:00``), as the API's others
    out = {k: as_utc(v).isoformat() if isinstance(v, datetime) else _iso(v) for k, v in hit.items()}
    if hit.get("executing_member_state") != ms:
        out.pop("local_person_id", None)
    return out


def _decision_public(conn: Connection, principal: Principal, decision: dict[str, Any], relation: str,
                     on: date) -> dict[str, Any]:
    ms = principal.member_state
    alert = _row(
        conn.execute(
            select(return_alerts).where(return_alerts.c.return_decision_id == decision["id"])
        ).first()
    )
    q = select(readmission_requests).where(readmission_requests.c.return_decision_id == decision["id"])
    readmission = conn.execute(q.order_by(readmission_requests.c.created_at.desc())).all()
    minor = decision["id"] in _minors_of(conn, ms, [decision], on)
    # the period for voluntary departure as its suspensions leave it: the rules below read its end
    runs = _period_runs(conn, [decision])
    run = runs.get(decision["id"])
    moved = _as_moved(decision, runs)
    facts = _facts(moved, _readmission_status(conn, decision), minor,
                   _enforced_elsewhere(conn, ms, [decision]).get(decision["id"]))
    issuing = relation == "issuing"
    out = {k: _iso(v) for k, v in decision.items() if issuing or k in EXECUTING_DECISION_FIELDS}
    out["relation"] = relation
    # added fields: the last day after the suspensions (null while one lasts, or none granted) and
    # the computation; voluntary_departure_last_day stays the day the decision set
    out["voluntary_departure_ends_on"] = _iso(run.ends_on) if run else None
    # while paused it cites the article by which the decision is suspended now: the asylum
    # procedure's for the asylum appeal's suspension, else Directive 2008/115/EC Art 13(2)
    out["voluntary_departure_period"] = run.to_dict(
        (_asylum_appeal_basis(conn, decision) or rules.ART_13_2.cite()) if run.paused else None) if run else None
    if issuing and decision.get("asylum_case_id"):  # the case's short reference, as the pages name it
        out["asylum_case_reference"] = procedures.case_references(conn, [decision["asylum_case_id"]]).get(
            decision["asylum_case_id"])
    out["unaccompanied_minor"] = minor
    open_ = decision["status"] in ("issued", "suspended")
    out["warnings"] = minors.warnings(handover=decision.get("minor_handover")) if minor and open_ else []
    dep = _departed_already(conn, ms, [decision]).get(decision["id"])
    out["departure_confirmed"] = {k: _iso(v) for k, v in dep.items()} if dep else None
    out["allowed_actions"], out["departure_modes"] = _decision_actions(conn, principal, decision, relation)
    out["obstacles"] = _obstacles_of(facts, on, moved, _pact_cases(conn, [decision.get("asylum_case_id")]))
    out["alert"] = _alert_public(alert, relation)
    # no alert entered for a decision issued outside the Schengen area: the issuing state reads why
    not_entered = territory.alert_not_entered(decision.get("region")) if issuing else None
    out["alert_not_entered"] = not_entered.to_dict() if not_entered else None
    if issuing:
        out["region_name"] = territory.region_name(decision.get("region"))
    out["readmission_requests"] = [{k: _iso(v) for k, v in _row(r).items()} for r in readmission
                                   if issuing or r.member_state == ms]
    hits = conn.execute(
        select(return_alert_hits).where(return_alert_hits.c.return_decision_id == decision["id"])
    ).all()
    out["hits"] = [_hit_public(_row(h), ms) for h in hits if issuing or h.executing_member_state == ms]
    ban = _row(conn.execute(
        select(entry_ban_alerts).where(entry_ban_alerts.c.return_decision_id == decision["id"])
    ).first())
    if ban and not issuing:
        ban = {k: ban[k] for k in _BAN_SHARED}
    out["entry_ban_alert"] = {k: _iso(v) for k, v in ban.items()} if ban else None
    out["entry_ban_due"] = _entry_ban_due(moved, relation, on, dep)
    out["entry_ban_withheld"] = _entry_ban_withheld(conn, moved, relation, on, dep, run)
    # the extensions of the period after issue (Art 7(2)) and whether it can be extended now: the
    # issuing state's (the reasons are its own; another state reads the last day the decision sets)
    out["voluntary_departure_extensions"] = _extensions_public(conn, decision["id"]) if issuing else []
    out["voluntary_departure_extension"] = (_extension_offer(conn, principal, decision, run, on)
                                            if issuing else None)
    # the person's record corrected since: the issuing state's to review (another state reads
    # neither the issuing state's record nor its corrections)
    review = _identity_review(conn, decision) if issuing else None
    out["identity_review"] = review.to_dict() if review else None
    out["destination_decisions"] = _destination_decisions(conn, decision["id"], issuing)
    out["avr_cases"] = _decision_avr_cases(conn, decision, ms)
    # the translations on request and the standard form (Directive 2008/115/EC Art 12(2), (3)): the
    # issuing state's to give; a request not yet met is an open item, not an obstacle to removal
    out["translations"] = _translations_public(conn, decision) if issuing else []
    out["open_items"] = _translation_open_items(out["translations"]) if open_ else []
    return out


def _decision_avr_cases(conn: Connection, decision: dict[str, Any], ms: str | None) -> list[dict[str, Any]]:
    """The decision's assisted voluntary return cases of the reader's state, the latest opened first,
    each with ``matches_destination``: whether it is arranged for the decision's destination as it
    stands (an open case for another country is ended by the amended decision that changed it, with
    its ``status_reason``)."""
    if ms is None:
        return []
    rows = conn.execute(select(avr_cases).where(avr_cases.c.return_decision_id == decision["id"],
                                                avr_cases.c.member_state == ms)
                        .order_by(avr_cases.c.opened_on.desc(), avr_cases.c.id.desc())).all()
    return [{k: _iso(v) for k, v in _row(r).items()}
            | {"amount_eur": str(r.amount_eur),
               "matches_destination": r.destination_country == decision.get("destination_country")}
            for r in rows]


#: What the review of a decision keeps of each correction of its person's record (the correction's
#: audit entry as :func:`pactum.services.record_corrections.corrections_of_records` reads it).
_CORRECTION_KEPT = ("identity_record_id", "at", "by", "authority", "reason", "changed", "changed_words")


def _record_values(record: dict[str, Any]) -> dict[str, Any]:
    """The record's fields a decision copies, as the decision records them (no nationality:
    :data:`UNKNOWN_NATIONALITY`, as :func:`issue_return_decision` records it)."""
    return {"nationality": record.get("nationality") or UNKNOWN_NATIONALITY}


def _identity_review(conn: Connection, decision: dict[str, Any]) -> id_review.IdentityReview | None:
    """The review the decision needs because its person's identity record (the one it was issued
    from, ``identity_record_id``) now holds otherwise what the decision copied from it, with the
    record's corrections made since the decision was issued (from the audit log: when, by whom,
    why); ``None`` when the record holds what the decision recorded."""
    record_id = decision.get("identity_record_id")
    if not record_id:
        return None
    record = _row(conn.execute(select(identity_records).where(identity_records.c.id == record_id)).first())
    if not record or not id_review.differences(decision, _record_values(record)):
        return None
    from pactum.services import record_corrections  # it calls this module: imported when read

    made = decision.get("created_at")
    since = as_utc(made if isinstance(made, datetime) else datetime.fromisoformat(str(made))) if made else None
    copied = {theirs for _, theirs in id_review.COPIED_FIELDS}
    corrections = []
    for c in record_corrections.corrections_of_records(conn, [record_id]):
        if since is not None and c["at"] < since:
            continue
        kept = {k: _iso(c[k]) for k in _CORRECTION_KEPT}
        kept["lines"] = [line for line in c["lines"] if line["field"] in copied]
        corrections.append(kept)
    history = _review_history(conn, [decision]).get(decision["id"], [])
    return id_review.review(decision, _record_values(record), corrections, history)


def _review_history(conn: Connection, decisions: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Decision id -> the return officer's reviews of it against its person's record
    (:data:`~pactum.returns.identity_review.REVIEWED`: ``reviewed_by``, ``reviewed_at``,
    ``authority``, ``note``) and the corrections of the record it was issued from (``changed``), in
    the audit log's order (its sequence: two entries of one instant keep the order they were
    committed in), for :func:`pactum.returns.identity_review.settled`. Derived from the audit log,
    nothing stored: one query."""
    from pactum.services import record_corrections  # it calls this module: imported when read
    from pactum.store.tables.platform import audit_log

    by_record: dict[str, list[str]] = {}
    for d in decisions:
        if d.get("identity_record_id"):
            by_record.setdefault(d["identity_record_id"], []).append(d["id"])
    ids = sorted(d["id"] for d in decisions)
    if not ids:
        return {}
    A = audit_log
    rows = conn.execute(
        select(A.c.action, A.c.entity_id, A.c.at, A.c.actor, A.c.authority, A.c.after)
        .where(or_(and_(A.c.action == id_review.REVIEWED, A.c.entity_type == "return_decision",
                        A.c.entity_id.in_(ids)),
                   and_(A.c.action == record_corrections.CORRECTED, A.c.entity_type == "identity_record",
                        A.c.entity_id.in_(sorted(by_record)))))
        .order_by(A.c.seq)
    ).all()
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for r in rows:
        after = r.after or {}
        if r.action == id_review.REVIEWED:
            out[r.entity_id].append({"kind": "review", "reviewed_by": r.actor, "authority": r.authority,
                                     "reviewed_at": as_utc(r.at).isoformat(), "note": after.get("note")})
        else:
            for decision_id in by_record.get(r.entity_id, []):
                out[decision_id].append({"kind": "correction", "changed": list(after.get("changed") or [])})
    return out


#: The changes of a decision that begin and end a suspension (audited by :func:`_change_decision`,
#: whoever's doing: the officer's, the asylum appeal's, an appeal against an amended decision), each
#: also recorded in ``return_decision_suspensions`` (:func:`_record_suspension`).
_SUSPENSION_ACTIONS = {"returns.decision.suspend": "suspend", "returns.decision.lift_suspension": "lift_suspension"}


def _suspensions_of(conn: Connection, ids: list[str]) -> dict[str, list[vd_period.Suspension]]:
    """Decision id -> its suspensions (``return_decision_suspensions``), in the order they began:
    one query for the list (by chunks of 500 ids)."""
    S = return_decision_suspensions
    out: dict[str, list[vd_period.Suspension]] = {i: [] for i in ids}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for r in conn.execute(select(S.c.return_decision_id, S.c.began_on, S.c.lifted_on, S.c.asylum_case_id)
                              .where(S.c.return_decision_id.in_(chunk))
                              .order_by(S.c.return_decision_id, S.c.number)).all():
            out[r.return_decision_id].append(vd_period.Suspension(r.began_on, r.lifted_on,
                                                                  asylum_appeal=r.asylum_case_id is not None))
    return out


def _period_starts(conn: Connection, decisions: list[dict[str, Any]]) -> dict[str, date]:
    """Decision id -> the day its period for voluntary departure runs from (the day after it): the
    decision's day, or that of its standing amended decision on the destination that set the
    period. The amended decision set the period the decision holds where its last day is the
    decision's, or the one the decision's extensions (Art 7(2), ``return_decision_extensions``)
    started from. Two queries for the list (by chunks of 500 ids)."""
    ids = sorted({d["id"] for d in decisions})
    DD, X = return_destination_decisions, return_decision_extensions
    amended: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    extended: dict[str, list[tuple[date, date]]] = {i: [] for i in ids}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for r in conn.execute(select(DD.c.return_decision_id, DD.c.issued_on, DD.c.voluntary_departure_last_day,
                                     DD.c.appeal_outcome)
                              .where(DD.c.return_decision_id.in_(chunk)).order_by(DD.c.number)).all():
            amended[r.return_decision_id].append(_row(r))
        for x in conn.execute(select(X.c.return_decision_id, X.c.previous_last_day, X.c.new_last_day)
                              .where(X.c.return_decision_id.in_(chunk))
                              .order_by(X.c.created_at, X.c.id)).all():
            extended[x.return_decision_id].append((x.previous_last_day, x.new_last_day))
    out: dict[str, date] = {}
    for d in decisions:
        set_day = d.get("voluntary_departure_last_day")
        for previous, new in reversed(extended[d["id"]]):  # back to the day the period was set
            if new == set_day:
                set_day = previous
        standing = dest_rules.standing(amended[d["id"]])
        out[d["id"]] = (standing["issued_on"] if standing is not None
                        and standing.get("voluntary_departure_last_day") == set_day else d["issued_on"])
    return out


def _period_runs(conn: Connection, decisions: list[dict[str, Any]]) -> dict[str, vd_period.PeriodRun]:
    """Decision id -> its period for voluntary departure as the suspensions recorded leave it
    (:func:`pactum.returns.period.period_run`): the suspensions read from their table
    (``return_decision_suspensions``, each on its day as the clock gave it, as the other days of the
    area), the period's first day after the decision's day or its standing amended decision's that
    set the period (:func:`_period_starts`), its last day the decision's own (extended, where it
    was, Art 7(2)). Derived, nothing stored: three queries. A decision without a period (Art 7(4))
    has none."""
    with_period = [d for d in decisions if d.get("voluntary_departure_last_day") is not None]
    ids = sorted({d["id"] for d in with_period})
    if not ids:
        return {}
    suspensions = _suspensions_of(conn, ids)
    starts = _period_starts(conn, with_period)
    pact = _pact_cases(conn, [d.get("asylum_case_id") for d in with_period if _appeal_time_bar(d)])
    out: dict[str, vd_period.PeriodRun] = {}
    for d in with_period:
        bar = _appeal_time_bar(d)
        appeal_time = (vd_period.AppealTime(_as_date(d["issued_on"]), bar, APPEAL_TIME_BASIS[d.get("asylum_case_id") in pact])
                       if bar is not None else None)
        run = vd_period.period_run(starts_on=starts[d["id"]], last_day=d["voluntary_departure_last_day"],
                                   suspensions=suspensions[d["id"]], member_state=d["member_state"],
                                   appeal_time=appeal_time)
        if run is not None:
            out[d["id"]] = run
    return out


def _as_date(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def _appeal_time_bar(decision: dict[str, Any]) -> date | None:
    """The last day of the time to appeal against the negative asylum decision the return decision
    was issued with, during which the applicant may remain and the decision's effects are suspended
    (the removal bar ``appeal_time``: APR Art 68(1), (2); Directive 2013/32/EU Art 46(5)); ``None``
    for any other decision (the time to ask the court for leave to remain, Art 68(5)(d)(i), bars
    removal only: the applicant has no right to remain then, Art 68(3))."""
    until = decision.get("removal_barred_until")
    if until is None or decision.get("removal_barred_basis") != "appeal_time":
        return None
    return _as_date(until)


def _period_ends(decision: dict[str, Any], runs: dict[str, vd_period.PeriodRun]) -> date | None:
    """The last day of the decision's period for voluntary departure as the rules read it: moved by
    its suspensions (:func:`_period_runs`); while a suspension that began within it lasts, the day
    the period was at (the decision is suspended then, which bars removal and the entry ban on its
    own). ``None``: no period granted."""
    run = runs.get(decision["id"])
    if run is None or run.ends_on is None:
        return decision.get("voluntary_departure_last_day")
    return run.ends_on


def _as_moved(decision: dict[str, Any], runs: dict[str, vd_period.PeriodRun]) -> dict[str, Any]:
    """``decision`` with ``voluntary_departure_last_day`` the day its period ends after the
    suspensions (:func:`_period_ends`), for the rules that test the period's end (obstacles, the
    removal of Art 8(2), the entry ban of Art 11(1)(b)); the decision's own field is read unchanged."""
    return {**decision, "voluntary_departure_last_day": _period_ends(decision, runs)}


def _identity_review_condition() -> ColumnElement[bool]:
    """SQL, on a ``return_decisions`` row: its person's identity record (the one it was issued
    from) now holds otherwise a field the decision copied from it (:func:`_identity_review`)."""
    D, R = return_decisions, identity_records
    differs = [func.coalesce(R.c[theirs], UNKNOWN_NATIONALITY) != D.c[ours]
               for ours, theirs in id_review.COPIED_FIELDS]
    return select(R.c.id).where(R.c.id == D.c.identity_record_id, or_(*differs)).exists()


def _iso(v: Any) -> Any:
    """A value as the API says it: a day as ``YYYY-MM-DD``; a time, stored in UTC, with its zone
    (``+00:00``, as the API's other times: SQLite hands them back naive)."""
    if isinstance(v, datetime):
        return as_utc(v).isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return v


def _readmission_status(conn: Connection, decision: dict[str, Any]) -> str | None:
    """The status of the decision's latest readmission request to its destination as it stands
    now: a request and its answer belong to the third country they were sent to (Directive
    2008/115/EC Art 3(3) makes the destination part of the decision); one sent to an earlier
    destination is left out of account. ``None``: no request to this destination."""
    if not decision.get("destination_country"):
        return None
    return conn.execute(
        select(readmission_requests.c.status)
        .where(readmission_requests.c.return_decision_id == decision["id"],
               readmission_requests.c.destination_country == decision["destination_country"])
        .order_by(readmission_requests.c.created_at.desc())
    ).scalars().first()


def _facts(decision: dict[str, Any], readmission: str | None, minor: bool = False,
           enforced: dict[str, Any] | None = None) -> ReturnFacts:
    """The facts for removal of ``decision``; ``enforced``: another state's recognition of it
    (:func:`_enforced_elsewhere`), which makes it that state's to enforce."""
    return ReturnFacts(
        enforced_by=enforced["member_state"] if enforced else None,
        enforced_since=enforced["on"] if enforced else None,
        status=decision["status"],
        voluntary_departure_last_day=decision["voluntary_departure_last_day"],
        absconded=bool(decision["absconded"]),
        identity_confirmed=bool(decision["identity_confirmed"]),
        travel_document=bool(decision["travel_document"]),
        fit_to_travel=bool(decision["fit_to_travel"]),
        readmission=readmission,
        unaccompanied_minor=minor,
        minor_handover=decision.get("minor_handover"),
        removal_barred_until=decision.get("removal_barred_until"),
        removal_barred_basis=decision.get("removal_barred_basis"),
    )


def _local_persons(conn: Connection, ms: str, decisions: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Decision id -> the persons of the state ``ms`` it concerns: the decision's person for the
    state's own decision, the persons its officers found on the decision's alert (its hits'
    ``local_person_id``) for another state's."""
    out = {d["id"]: ({d["person_id"]} if d["member_state"] == ms else set()) for d in decisions}
    others = sorted(d["id"] for d in decisions if d["member_state"] != ms)
    if others:
        H = return_alert_hits
        for r in conn.execute(
            select(H.c.return_decision_id, H.c.local_person_id).where(
                H.c.executing_member_state == ms, H.c.return_decision_id.in_(others),
                H.c.local_person_id.is_not(None))
        ).all():
            out[r.return_decision_id].add(r.local_person_id)
    return out


def _minors_of(conn: Connection, ms: str | None, decisions: list[dict[str, Any]], on: date) -> set[str]:
    """Ids of the decisions whose person is an unaccompanied minor on ``on``: the decision's
    person as its issuing state recorded them, or a person of ``ms`` its hits found (either
    record saying so is enough: the reading that protects the child)."""
    if not decisions:
        return set()
    local = _local_persons(conn, ms, decisions) if ms else {d["id"]: set() for d in decisions}
    every = {d["person_id"] for d in decisions}.union(*local.values())
    found = _unaccompanied_minors(conn, every, on)
    return {d["id"] for d in decisions if ({d["person_id"]} | local[d["id"]]) & found}


def _departed_already(conn: Connection, ms: str | None, decisions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Decision id -> the departure of its person confirmed under another return decision on or
    after the day it was issued (``decision_id``, ``reference``, ``departed_on``, the latest): the
    person left the territory of the Member States after it was issued, so the obligation to
    return it imposed was complied with (Directive 2008/115/EC Art 3(3)-(4); the departure is
    confirmed under Reg. (EU) 2018/1860 Art 6(1), the alerts deleted, Art 14(1)). Such a decision
    is no longer to be enforced: it leaves the removal queue and the operations, and another
    state's is not recognised on a hit. The person is the state's own person of its own decision,
    or the person its hits found on another state's alert; their departures are those under the
    state's own decisions on them and under the decisions its hits found them on. A decision
    issued after that departure (the person came back) is not affected."""
    if ms is None or not decisions:
        return {}
    local = _local_persons(conn, ms, decisions)
    people = sorted(set().union(*local.values()))
    if not people:
        return {}
    D, H = return_decisions, return_alert_hits
    departed = (D.c.status == "departed") & D.c.departed_on.is_not(None)
    own = select(D.c.person_id.label("person"), D.c.id, D.c.reference, D.c.departed_on).where(
        D.c.member_state == ms, D.c.person_id.in_(people), departed)
    found = (select(H.c.local_person_id.label("person"), D.c.id, D.c.reference, D.c.departed_on)
             .join(D, D.c.id == H.c.return_decision_id)
             .where(H.c.executing_member_state == ms, H.c.local_person_id.in_(people), departed))
    by_person: dict[str, list[dict[str, Any]]] = {}
    for r in conn.execute(own.union(found)).all():
        by_person.setdefault(r.person, []).append(
            {"decision_id": r.id, "reference": r.reference, "departed_on": r.departed_on})
    out: dict[str, dict[str, Any]] = {}
    for d in decisions:
        later = [x for p in local[d["id"]] for x in by_person.get(p, [])
                 if x["decision_id"] != d["id"] and x["departed_on"] >= d["issued_on"]]
        if later:
            out[d["id"]] = max(later, key=lambda x: (x["departed_on"], x["reference"]))
    return out


def _departed_words(dep: dict[str, Any]) -> str:
    return (f"the person's departure was already confirmed on {_iso(dep['departed_on'])} under return decision "
            f"{dep['reference']}")


def get_decision(services: Services, principal: Principal, decision_id: str, *,
                 channel: str | None = "web") -> dict[str, Any]:
    """A return decision as the issuing state, or a state with a hit on its alert, reads it. The
    read is logged (``services.reads``, on ``channel``; ``None``: an internal read, not logged),
    the person as the issuing state's."""
    require(principal, *READERS)
    with services.uow() as uow:
        decision, relation = _load_decision(uow.conn, principal, decision_id)
        out = _decision_public(uow.conn, principal, decision, relation, _decision_today(uow, decision))
        if channel is not None:
            # logged with the read and committed last: a refused read logs nothing, a failed log fails it
            reads.record_read(uow.conn, principal, {decision["person_id"]: decision["member_state"]},
                              reads.RETURN_DECISION, channel, at=uow.now, record_id=decision_id)
            uow.commit()
        return out


def decision_fields(services: Services, principal: Principal, decision_id: str) -> dict[str, Any]:
    """The return decision's own fields as :func:`get_decision` gives them (``status``, ``version``,
    ``destination_country`` ..., and ``relation``), without what that reads around it (alert, hits,
    obstacles, readmission requests ...): for a caller that acts on the decision's status and
    version. The same readers as :func:`get_decision`; an internal read, not logged."""
    require(principal, *READERS)
    with services.uow() as uow:
        decision, relation = _load_decision(uow.conn, principal, decision_id)
    issuing = relation == "issuing"
    out = {k: _iso(v) for k, v in decision.items() if issuing or k in EXECUTING_DECISION_FIELDS}
    out["relation"] = relation
    return out


#: The most return decisions one page of the list holds (``limit``), and its default.
DECISIONS_PAGE_MAX = 1000
DECISIONS_PAGE_DEFAULT = 200
#: The most hits, return operations or assisted voluntary return cases one page of their lists
#: holds (``limit``), and its default: as the decisions'.
LIST_PAGE_MAX = DECISIONS_PAGE_MAX
LIST_PAGE_DEFAULT = DECISIONS_PAGE_DEFAULT


def _check_page(limit: int, offset: int, most: int = LIST_PAGE_MAX) -> None:
    """Refuse a page that cannot be read (:func:`pactum.common.paging.page_problems`)."""
    problems = page_problems(limit, offset, most)
    if problems:
        raise ValidationProblem(problems)


def _page_of(conn: Connection, q: Select[Any], order: tuple[Any, ...], limit: int, offset: int) -> tuple[int, list[Any]]:
    """How many rows ``q`` selects, and ``limit`` of them from ``offset`` in ``order``: an order
    that ends with the row's id, so that pages neither overlap nor skip a row."""
    total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    return int(total), list(conn.execute(q.order_by(*order).limit(limit).offset(offset)).all())


def _log_list(uow: UnitOfWork, principal: Principal, persons: dict[str, str], what: str, channel: str | None,
              *, criteria: str | None = None, record_id: str | None = None) -> None:
    """Log one read of a list, a queue or an operation (``services.reads``): the persons its answer
    shows (each with the state whose person they are), on ``channel``, in the list's own unit of
    work after its checks, then commit. Nothing for an internal read (``channel`` ``None``: the
    home page's counts, a service reading back what it changed) nor for an answer that showed
    nobody (an empty list discloses no personal data)."""
    if reads.record_list_read(uow, principal, persons, what, channel, criteria=criteria, record_id=record_id):
        uow.commit()


def _decision_persons(items: list[dict[str, Any]], ms: str) -> dict[str, str]:
    """The persons rows of return decisions show to the state ``ms``: each decision's person as
    the issuing state's (as a decision's own read logs it), and the person of ``ms``'s records the
    row names for another state's decision (``local_person_id``: the person its hit found)."""
    out: dict[str, str] = {}
    for item in items:
        if item.get("person_id"):
            out[item["person_id"]] = item["member_state"]
        if item.get("local_person_id"):
            out.setdefault(item["local_person_id"], ms)
    return out


def decisions_page(
    services: Services,
    principal: Principal,
    *,
    status: str | None = None,
    person_id: str | None = None,
    identity_review: bool = False,
    limit: int = DECISIONS_PAGE_DEFAULT,
    offset: int = 0,
    channel: str | None = None,
) -> dict[str, Any]:
    """The state's return decisions, the latest first; ``status`` and ``person_id`` (one of the
    state's persons) narrow them, ``identity_review`` keeps those whose person's identity record
    now holds otherwise what the decision recorded (corrected since: :func:`_identity_review`) and
    that still need the return officer's review (still to be enforced, not reviewed since the
    record's last correction: :func:`review_identity`). Each row says which of its fields differ
    (``identity_review_fields``, empty when none) and whether it needs review
    (``identity_review_needed``).
    ``limit`` decisions (1–:data:`DECISIONS_PAGE_MAX`) from ``offset``, with ``total`` the number
    there are (the list stopped at 200 without saying so). The persons of the page are logged as
    read on ``channel`` (:func:`_log_list`; ``None``: an internal read, not logged)."""
    require(principal, *READERS)
    problems = page_problems(limit, offset, DECISIONS_PAGE_MAX)
    if status:
        # a misspelt status selected nothing (200 []): refused, naming the statuses there are
        statuses = sorted({st for (frm, _action), to in lifecycle.DECISION.items() for st in (frm, to)})
        if status not in statuses:
            problems.insert(0, ("status", f"unknown status {shortened(status)!r}; one of {', '.join(statuses)}"))
    if problems:
        raise ValidationProblem(problems)
    ms = state_scope(principal)
    if ms is None:
        return {"decisions": [], "total": 0, "offset": offset, "limit": limit}
    with services.uow() as uow:
        q = select(return_decisions).where(return_decisions.c.member_state == ms)
        if status:
            q = q.where(return_decisions.c.status == status)
        if person_id:
            q = q.where(return_decisions.c.person_id == person_id)
        if identity_review:
            # those whose record differs (SQL), less those reviewed since the record's last
            # correction (from the audit log): the page and its total count only those left
            candidates = [_row(r) for r in uow.conn.execute(q.where(_identity_review_condition())).all()]
            waiting = sorted(_needing_review(uow.conn, candidates)[1])
            q = q.where(return_decisions.c.id.in_(waiting) if waiting else false())
        total, rows = _page_of(uow.conn, q, (return_decisions.c.issued_on.desc(), return_decisions.c.id.desc()),
                               limit, offset)
        differing, needed = _needing_review(uow.conn, [_row(r) for r in rows])
        _log_list(uow, principal, {r.person_id: r.member_state for r in rows}, reads.RETURN_DECISION_LIST, channel,
                  criteria=reads.criteria_given(status=status or "", person_id=person_id or "",
                                                identity_review="yes" if identity_review else ""))
        named = _persons_named(uow.conn, {r.person_id for r in rows})
        # the period's last day as the decision's suspensions moved it (null while one lasts)
        runs = _period_runs(uow.conn, [_row(r) for r in rows])
        return {"decisions": [{**{k: _iso(v) for k, v in _row(r).items()},
                               **named.get(r.person_id, {"person_name": None, "person_born": None}),
                               "voluntary_departure_ends_on": _iso(runs[r.id].ends_on) if r.id in runs else None,
                               "voluntary_departure_paused": bool(r.id in runs and runs[r.id].paused),
                               "identity_review_fields": differing.get(r.id, []),
                               "identity_review_needed": r.id in needed} for r in rows],
                "total": total, "offset": offset, "limit": limit}


def _persons_named(conn: Connection, person_ids: set[str]) -> dict[str, dict[str, Any]]:
    """Person id -> ``person_name`` and ``person_born`` from the person's latest identity record,
    as the queue names them (:func:`_person_fields`)."""
    out: dict[str, dict[str, Any]] = {}
    if not person_ids:
        return out
    R = identity_records
    for r in conn.execute(select(R.c.person_id, *(R.c[n].label(f"_{n}") for n in _NAME_PARTS),
                                 R.c.date_of_birth.label("_date_of_birth"))
                          .where(R.c.person_id.in_(sorted(person_ids)))
                          .order_by(R.c.person_id, R.c.recorded_on.desc(), R.c.id.desc())).all():
        if r.person_id not in out:
            fields = _person_fields(dict(r._mapping))
            out[r.person_id] = {"person_name": fields["person_name"], "person_born": fields["person_born"]}
    return out


def _differing_fields(conn: Connection, decisions: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Decision id -> the fields it copied from its person's identity record that the record now
    holds otherwise (:func:`_identity_review`), for the decisions where some do: one query."""
    ids = sorted({d["identity_record_id"] for d in decisions if d.get("identity_record_id")})
    if not ids:
        return {}
    records = {r["id"]: dict(r) for r in conn.execute(
        select(identity_records).where(identity_records.c.id.in_(ids))).mappings()}
    out: dict[str, list[str]] = {}
    for d in decisions:
        record = records.get(d.get("identity_record_id") or "")
        found = id_review.differences(d, _record_values(record)) if record else []
        if found:
            out[d["id"]] = [f.field for f in found]
    return out


def _needing_review(conn: Connection, decisions: list[dict[str, Any]]) -> tuple[dict[str, list[str]], set[str]]:
    """The fields that differ (:func:`_differing_fields`) and the ids of the decisions that still
    need the return officer's review (:attr:`~pactum.returns.identity_review.IdentityReview.needed`:
    still to be enforced, and not reviewed since the record's last correction of a field they
    copied)."""
    differing = _differing_fields(conn, decisions)
    open_ = [d for d in decisions if d["id"] in differing and d["status"] in id_review.OPEN_STATUSES]
    history = _review_history(conn, open_)
    needed = set()
    for d in open_:
        last, again = id_review.settled(history.get(d["id"], []))
        if last is None or again:
            needed.add(d["id"])
    return differing, needed


def _change_decision(uow: UnitOfWork, principal: Principal, decision: dict[str, Any], action: str, version: int,
                     values: dict[str, Any], audited: dict[str, Any] | None = None) -> str:
    """Move a return decision on by ``action`` (its lifecycle says to which status), with ``values``,
    audited (with ``audited`` besides), and what follows for its alert; the new status."""
    new_status = lifecycle.transition("return decision", decision["status"], action)
    values = {"status": new_status, **values}
    update_versioned(uow.conn, return_decisions, decision["id"], version, values)
    uow.audit(principal, f"returns.decision.{action}", "return_decision", decision["id"],
              before={"status": decision["status"]}, after={**values, **(audited or {})})
    if action in _SUSPENSION_ACTIONS.values():
        _record_suspension(uow, principal, decision, action, values.get("status_reason"),
                           (audited or {}).get("asylum_case_id"))
    _after_decision_change(uow, principal, decision, action, values.get("status_reason"))
    return new_status


def _record_suspension(uow: UnitOfWork, principal: Principal, decision: dict[str, Any], action: str,
                       reason: str | None, asylum_case_id: str | None) -> None:
    """The decision's suspensions table follows the change, in the change's unit of work:
    ``suspend`` begins a suspension on the day (the article: the asylum procedure's when the appeal
    against the negative asylum decision it was issued with suspends it, else Directive 2008/115/EC
    Art 13(2)); ``lift_suspension`` ends the one that lasts (none lasting: nothing to end, as
    :func:`pactum.returns.period.suspensions_from` reads a lifting without a suspension)."""
    S = return_decision_suspensions
    decision_id = decision["id"]
    conn, day = uow.conn, _decision_today(uow, decision)
    lasting = conn.execute(select(S.c.id).where(S.c.return_decision_id == decision_id, S.c.lifted_on.is_(None))
                           .order_by(S.c.number.desc())).first()
    if action == "lift_suspension":
        if lasting is not None:
            conn.execute(update(S).where(S.c.id == lasting.id).values(
                lifted_on=day, lift_reason=reason, lifted_by=principal.username,
                lifted_authority=principal.authority, lifted_at=uow.now))
        return
    if lasting is not None:  # already suspended: the suspension that lasts goes on
        return
    number = conn.execute(select(func.coalesce(func.max(S.c.number), 0))
                          .where(S.c.return_decision_id == decision_id)).scalar_one() + 1
    basis = _suspension_basis(conn, asylum_case_id) if asylum_case_id else rules.ART_13_2.cite()
    conn.execute(S.insert().values(
        id=new_id("rds"), return_decision_id=decision_id, number=number, began_on=day, basis=basis,
        reason=reason, asylum_case_id=asylum_case_id, suspended_by=principal.username,
        suspended_authority=principal.authority, suspended_at=uow.now))


def _decision_action(
    services: Services,
    principal: Principal,
    decision_id: str,
    version: int,
    action: str,
    *,
    reason: str | None = None,
    extra: dict[str, Any] | None = None,
    issuing_only: bool = True,
) -> dict[str, Any]:
    require(principal, *OFFICERS)
    with services.uow() as uow:
        decision, relation = _load_decision(uow.conn, principal, decision_id)
        if issuing_only and relation != "issuing":
            raise Forbidden("only the issuing state may do this to its return decision")
        _change_decision(uow, principal, decision, action, version,
                         {"status_reason": reason, **(extra or {})})
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


def _delete_alert(uow: UnitOfWork, principal: Principal, decision_id: str, reason: str) -> None:
    alert = _row(
        uow.conn.execute(
            select(return_alerts).where(return_alerts.c.return_decision_id == decision_id)
        ).first()
    )
    if not alert:
        return
    lifecycle.transition("return alert", alert["status"], "delete")
    uow.conn.execute(
        update(return_alerts)
        .where(return_alerts.c.id == alert["id"])
        .values(status="deleted", deleted_at=uow.now, deletion_reason=reason, **erased_personal_data())
    )
    # the data leave SIS (Reg. (EU) 2018/1860 Art 14, Reg. (EU) 2018/1861 Art 51): the personal data
    # are erased from the row, other states lose access (get_alert); the issuing state's record of
    # its alert keeps the other fields as they were at deletion, field (y) included: it then says
    # whether the decision was suspended when the alert was deleted (docs/returns.md)
    uow.audit(
        principal,
        "returns.alert.delete",
        "return_alert",
        alert["id"],
        before={"status": "active", "decision_suspended": alert["decision_suspended"]},
        after={"status": "deleted", "deletion_reason": reason,
               "decision_suspended": alert["decision_suspended"]},
    )


def _change_alert(uow: UnitOfWork, principal: Principal, decision_id: str, values: dict[str, Any]) -> None:
    """Change fields of the decision's active alert, audited on the alert itself (entity the
    alert, the fields before and after); nothing is written when the alert already says so."""
    alert = _row(
        uow.conn.execute(
            select(return_alerts).where(
                return_alerts.c.return_decision_id == decision_id,
                return_alerts.c.status == "active",
            )
        ).first()
    )
    if not alert:
        return
    before = {k: alert[k] for k in values}
    if before == values:
        return
    uow.conn.execute(update(return_alerts).where(return_alerts.c.id == alert["id"]).values(**values))
    uow.audit(principal, "returns.alert.update", "return_alert", alert["id"], before=before,
              after={**values, "return_decision_id": decision_id})


# --------------------------------------------------------------------------- identity corrected

#: The issuing state keeps its alerts' data accurate and up to date and alone corrects them
#: (Reg. (EU) 2018/1861 Art 44(1) and (3), read in the OJ text's Dutch and Bulgarian versions;
#: applied to return alerts by Reg. (EU) 2018/1860 Art 19, read in its consolidated text, Italian
#: version: Arts 6 to 19, 21, 23, 32, 33 and 38 to 60 of Reg. (EU) 2018/1861, among others, apply).
SIS_DATA_QUALITY = LegalRef.of("sis_borders", "44", "1")
SIS_ONLY_ISSUING_STATE_CORRECTS = LegalRef.of("sis_borders", "44", "3")
#: Another state with modified data sends them to the issuing state through the exchange of
#: supplementary information (Art 44(4)); with evidence that data are incorrect it informs it (Art 44(5)).
SIS_OTHER_STATE_INFORMS = LegalRef.of("sis_borders", "44", "4")
ALERT_CORRECTION_BASIS = [
    f"{SIS_DATA_QUALITY.cite()} (the issuing Member State is responsible for the data being accurate and "
    "up-to-date)",
    f"{SIS_ONLY_ISSUING_STATE_CORRECTS.cite()} (only the issuing Member State modifies, corrects or updates the "
    "data it entered in SIS)",
    f"{LegalRef.of('sis_return', '19').cite()} (the provisions of Regulation (EU) 2018/1861 on the processing "
    "of alerts apply to return alerts)",
]
#: The audit action of an alert whose identity data follow a correction of its record.
ALERT_IDENTITY_CORRECTED = "returns.alert.identity_corrected"
#: Each identity field of a return alert (Reg. (EU) 2018/1860 Art 4(1)) and the identity record's
#: fields it is copied from when the alert is entered (:func:`pactum.returns.alerts.alert_fields`).
ALERT_IDENTITY_SOURCES: dict[str, tuple[str, ...]] = {
    "surnames": ("surname", "surname_latin"),
    "forenames": ("given_names", "given_names_latin"),
    "place_of_birth": ("place_of_birth",),
    "date_of_birth": ("date_of_birth",),
    "gender": ("sex",),
    "nationalities": ("nationality",),
    "document_category": ("document_type",),
    "document_country": ("document_country",),
    "document_number": ("document_number",),
}


def alert_field_words(field: str) -> str:
    """An alert field as the pages name it: its Art 4(1) letter and its name (``(a) surnames``)."""
    letter = FIELD_LETTERS.get(field)
    words = field.replace("_", " ")
    return f"({letter}) {words}" if letter else words


def correct_alerts_identity(uow: UnitOfWork, principal: Principal, record: dict[str, Any],
                            changed: list[str], *, reason: str) -> list[dict[str, Any]]:
    """Correct, inside the caller's unit of work (a correction of the identity record ``record``,
    given as corrected), the identity data of the principal's state's active return alerts entered
    from that record: each alert field copied from a field in ``changed`` takes the value
    :func:`~pactum.returns.alerts.alert_fields` gives the corrected record (a field already holding
    it stays). Only the issuing state's alerts (Reg. (EU) 2018/1861 Art 44(3)): another state's, and
    deleted alerts (their personal data erased), are never touched. The alert is found for a hit
    through its record's search key, which the correction computes again.

    A hit another state recorded on the alert stays as it was recorded: it confirmed a match at its
    time and what that state did on it stands. That state is told on the hit, as supplementary
    information from the issuing state (a message and a notification, no value of identity data),
    that the alert's data were corrected; it reads them on the alert.

    Each alert corrected is an audit entry (:data:`ALERT_IDENTITY_CORRECTED`, entity
    ``return_alert``: which fields, not their values, as every entry). Returns, for each alert
    corrected: ``alert_id``, ``return_decision_id``, ``decision_reference``, ``changed`` (alert
    fields), ``changed_words``, ``hits_informed`` (each hit's ``hit_id`` and
    ``executing_member_state``) and ``legal_basis``."""
    ms = require_member_state(principal)
    fields = [col for col, sources in ALERT_IDENTITY_SOURCES.items() if any(f in changed for f in sources)]
    if not fields:
        return []
    conn = uow.conn
    new = alert_fields(record, issuing_authority="", decision_reference="", reason="",
                       voluntary_departure_last_day=None, entry_ban=False)
    alerts = conn.execute(
        select(return_alerts).where(return_alerts.c.identity_record_id == record["id"],
                                    return_alerts.c.issuing_member_state == ms,
                                    return_alerts.c.status == "active")
        .order_by(return_alerts.c.created_at, return_alerts.c.id)
    ).mappings().all()
    out = []
    for alert in alerts:
        values = {c: new[c] for c in fields if alert[c] != new[c]}
        if not values:
            continue
        conn.execute(update(return_alerts).where(return_alerts.c.id == alert["id"]).values(**values))
        words = [alert_field_words(c) for c in values]
        informed = []
        hits = conn.execute(
            select(return_alert_hits).where(return_alert_hits.c.alert_id == alert["id"],
                                            return_alert_hits.c.executing_member_state != ms)
            .order_by(return_alert_hits.c.reported_at, return_alert_hits.c.id)
        ).mappings().all()
        for hit in hits:
            body = (f"{ms} corrected the identity data of its return alert {alert['decision_reference']}: "
                    f"{', '.join(words)} ({SIS_DATA_QUALITY.cite()}; {SIS_ONLY_ISSUING_STATE_CORRECTS.cite()}). "
                    "Read the alert for the corrected data. Your hit stays as it was recorded.")
            msg_id = new_id("rhm")
            conn.execute(insert(return_hit_messages).values(
                id=msg_id, hit_id=hit["id"], from_member_state=ms, to_member_state=hit["executing_member_state"],
                author=principal.username, body=body, sent_at=uow.now))
            _notify(uow, hit["executing_member_state"], "hit_message", f"{ms} wrote about hit {hit['id']}: {body}",
                    hit_id=hit["id"], decision_id=alert["return_decision_id"])
            informed.append({"hit_id": hit["id"], "executing_member_state": hit["executing_member_state"],
                             "message_id": msg_id})
        uow.audit(principal, ALERT_IDENTITY_CORRECTED, "return_alert", alert["id"],
                  before={"alert": {c: alert[c] for c in values}},
                  after={"alert": values, "changed": list(values), "identity_record_id": record["id"],
                         "person_id": alert["person_id"], "return_decision_id": alert["return_decision_id"],
                         "reason": reason, "legal_basis": ALERT_CORRECTION_BASIS, "hits_informed": informed})
        out.append({"alert_id": alert["id"], "return_decision_id": alert["return_decision_id"],
                    "decision_reference": alert["decision_reference"], "identity_record_id": record["id"],
                    "changed": list(values), "changed_words": words,
                    "hits_informed": [{k: h[k] for k in ("hit_id", "executing_member_state")} for h in informed],
                    "legal_basis": ALERT_CORRECTION_BASIS})
    return out


def alerts_left_behind(conn: Connection, ms: str, before: dict[str, Any], changed: list[str],
                       corrected: list[str]) -> list[str]:
    """Why the state's active return alerts on the person of ``before`` (a record as it was before
    its correction) entered from another of the person's records, not among ``corrected``, keep
    data the correction changed: each alert that holds, in a field copied from one of ``changed``,
    the value ``before`` gave it, in words for the officer (the alert follows the record it was
    entered from; correcting that record with this one corrects it)."""
    fields = [col for col, sources in ALERT_IDENTITY_SOURCES.items() if any(f in changed for f in sources)]
    if not fields:
        return []
    old = alert_fields(before, issuing_authority="", decision_reference="", reason="",
                       voluntary_departure_last_day=None, entry_ban=False)
    alerts = conn.execute(
        select(return_alerts).where(return_alerts.c.person_id == before["person_id"],
                                    return_alerts.c.issuing_member_state == ms,
                                    return_alerts.c.status == "active",
                                    return_alerts.c.identity_record_id.is_not(None),
                                    return_alerts.c.identity_record_id.not_in(corrected))
        .order_by(return_alerts.c.created_at, return_alerts.c.id)
    ).mappings().all()
    out = []
    for alert in alerts:
        held = [alert_field_words(c) for c in fields if old[c] not in (None, "") and alert[c] == old[c]]
        if held:
            out.append(f"The SIS return alert of decision {alert['decision_reference']} was entered from record "
                       f"{alert['identity_record_id']}, not corrected with this one: it keeps {', '.join(held)} as "
                       f"they were. Correct record {alert['identity_record_id']} with this one (also_records) to "
                       "correct the alert.")
    return out


def other_states_alerts_on_person(conn: Connection, ms: str, person_id: str) -> list[dict[str, Any]]:
    """Another state's active return alerts on a person of ``ms``, as ``ms`` sees them: those its
    officers recorded a hit on, naming the person (``local_person_id``; without a hit another
    state's alert is not ``ms``'s to see, :func:`get_alert`). ``ms`` does not correct them (Reg. (EU)
    2018/1861 Art 44(3)); it sends the issuing state what it knows through the exchange of
    supplementary information on its hit (Art 44(4)). Each: ``alert_id``, ``issuing_member_state``,
    ``decision_reference``, ``hit_id`` (the latest hit) and ``what_to_do`` in words."""
    h, a = return_alert_hits, return_alerts
    rows = conn.execute(
        select(h.c.id, h.c.alert_id, a.c.issuing_member_state, a.c.decision_reference)
        .join(a, a.c.id == h.c.alert_id)
        .where(h.c.executing_member_state == ms, h.c.local_person_id == person_id,
               a.c.status == "active", a.c.issuing_member_state != ms)
        .order_by(h.c.reported_at.desc(), h.c.id.desc())
    ).all()
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.alert_id in out:
            continue
        out[r.alert_id] = {
            "alert_id": r.alert_id, "issuing_member_state": r.issuing_member_state,
            "decision_reference": r.decision_reference, "hit_id": r.id,
            "what_to_do": other_state_alert_words(r.issuing_member_state, r.decision_reference, r.id),
        }
    return list(out.values())


def other_state_alert_words(issuing_member_state: str, decision_reference: str | None, hit_id: str) -> str:
    """What a state that corrected its record of a person is told of another state's return alert
    on the person, which it sees through its hit ``hit_id`` and does not correct."""
    return (f"{issuing_member_state}'s return alert {decision_reference} on this person is not corrected: only "
            f"{issuing_member_state} corrects the data it entered in SIS ({SIS_ONLY_ISSUING_STATE_CORRECTS.cite()}); "
            f"send {issuing_member_state} the corrected data as supplementary information on hit {hit_id} "
            f"({SIS_OTHER_STATE_INFORMS.cite()})")


def _after_decision_change(
    uow: UnitOfWork, principal: Principal, decision: dict[str, Any], action: str, reason: str | None = None
) -> None:
    if action in ("suspend", "lift_suspension"):
        # field (y), Reg. (EU) 2018/1860 Art 4(1)(y)
        _change_alert(uow, principal, decision["id"], {"decision_suspended": action == "suspend"})
        if action == "lift_suspension":
            _alert_period_follows(uow, principal, decision["id"])
    elif action == "withdraw":
        _delete_alert(uow, principal, decision["id"], "decision_withdrawn")
        _close_follow_ups(uow, principal, decision, reason)


def _alert_period_follows(uow: UnitOfWork, principal: Principal, decision_id: str) -> None:
    """Field (x) of the decision's alert (the date of expiry of the period for voluntary departure,
    Reg. (EU) 2018/1860 Art 4(1)(x)) takes the last day of the period as the decision's suspensions
    leave it (:mod:`pactum.returns.period`), once the suspension is lifted: the period did not run
    meanwhile, so its end moved. Reads the suspension just recorded back (its table)."""
    decision = _row(uow.conn.execute(select(return_decisions).where(return_decisions.c.id == decision_id)).first())
    run = _period_runs(uow.conn, [decision]).get(decision_id)
    if run is not None and run.ends_on is not None:
        _change_alert(uow, principal, decision_id, {"voluntary_departure_last_day": run.ends_on})


def _alert_moved_by(uow: UnitOfWork, principal: Principal, decision_id: str, added: timedelta) -> None:
    """Field (x) of the decision's active alert moved later by ``added`` (an extension while a
    suspension lasts, Reg. (EU) 2018/1860 Art 3(4): recorded without delay)."""
    held = uow.conn.execute(select(return_alerts.c.voluntary_departure_last_day).where(
        return_alerts.c.return_decision_id == decision_id, return_alerts.c.status == "active")).scalar()
    if isinstance(held, date):
        _change_alert(uow, principal, decision_id, {"voluntary_departure_last_day": held + added})


def _close_follow_ups(uow: UnitOfWork, principal: Principal, decision: dict[str, Any], reason: str | None) -> None:
    """A withdrawn decision is no longer enforced: its open assisted voluntary return case is
    cancelled and its person is taken off the operations not yet completed, each with the reason
    (``return decision withdrawn: …``), audited as the officer's own cancellation and removal."""
    why = f"return decision {decision['reference']} withdrawn" + (f": {reason}" if reason else "")
    for case in uow.conn.execute(
        select(avr_cases).where(avr_cases.c.return_decision_id == decision["id"], avr_cases.c.status == "opened")
    ).all():
        new_status = lifecycle.transition("assisted voluntary return", case.status, "cancel")
        update_versioned(uow.conn, avr_cases, case.id, case.version, {"status": new_status, "status_reason": why})
        uow.audit(principal, "returns.avr.cancel", "avr_case", case.id, before={"status": case.status},
                  after={"status": new_status, "reason": why})
    _off_open_operations(uow, principal, decision, why)


def _off_open_operations(uow: UnitOfWork, principal: Principal, decision: dict[str, Any], why: str,
                         *, keep_destination: str | None = None) -> None:
    """The decision's person is taken off the operations not yet completed (planned or confirmed),
    with the reason ``why``, audited ``returns.operation.remove``; ``keep_destination``: except those
    that fly to that country."""
    P, OP = return_operation_participants, return_operations
    where = [P.c.return_decision_id == decision["id"], P.c.status == "selected",
             OP.c.status.in_(("planned", "confirmed"))]
    if keep_destination is not None:
        where.append(OP.c.destination_country != keep_destination)
    for part in uow.conn.execute(select(P).join(OP, OP.c.id == P.c.operation_id).where(*where)).all():
        _move_participant(uow, principal, part.id, _row(part), "remove", why, "returns.operation.remove",
                          {"operation_id": part.operation_id, "return_decision_id": decision["id"]})


#: Why the asylum procedure changes a return decision issued with a negative asylum decision. The
#: suspension is the asylum procedure's, not a court's order on an appeal against the return
#: decision (Directive 2008/115/EC Art 13(2)): the applicant may remain while the appeal is pending
#: and the return decision's effects are suspended meanwhile (APR Art 68(1), (2); before the Pact,
#: Directive 2013/32/EU Art 46(5)); ``{basis}`` is the case's regime's (:func:`_suspension_basis`).
ASYLUM_CASE_REASONS = {
    "suspend": "appeal with suspensive effect lodged against the negative asylum decision: the applicant may "
               "remain until its outcome ({basis})",
    "lift_suspension": "appeal against the negative asylum decision dismissed",
    "withdraw": "the negative asylum decision it was issued with was annulled on appeal",
}


def follow_asylum_case(
    uow: UnitOfWork,
    principal: Principal,
    *,
    decision_id: str,
    asylum_case_id: str,
    action: str,
    reason: str | None = None,
) -> str | None:
    """What the asylum procedure's appeal does to the return decision issued with its negative
    decision, inside the caller's unit of work: ``suspend`` (a suspensive appeal is pending; the
    alert's field (y) says so, Reg. (EU) 2018/1860 Art 4(1)(y)), ``lift_suspension`` (appeal
    dismissed) or ``withdraw`` (the decision it went with is annulled: the alert is deleted).
    Returns the decision's new status, or ``None`` when its status does not allow the change (it
    already departed, was withdrawn, is not suspended): nothing is then written."""
    require(principal, *WRITERS)
    ms = require_member_state(principal)
    if action not in ASYLUM_CASE_REASONS:
        raise ValueError(f"unknown action {action!r} on a return decision")
    decision = _row(
        uow.conn.execute(select(return_decisions).where(return_decisions.c.id == decision_id)).first()
    )
    if not decision or decision["member_state"] != ms or decision["asylum_case_id"] != asylum_case_id:
        raise NotFound(f"return decision {shortened(decision_id)} of asylum case "
                       f"{shortened(asylum_case_id)} not found")
    if (decision["status"], action) not in lifecycle.DECISION:
        return None
    why = reason or ASYLUM_CASE_REASONS[action].format(basis=_suspension_basis(uow.conn, asylum_case_id))
    return _change_decision(uow, principal, decision, action, decision["version"], {"status_reason": why},
                            audited={"asylum_case_id": asylum_case_id})


def _suspension_basis(conn: Connection, asylum_case_id: str) -> str:
    """The article by which an appeal against the negative asylum decision suspends the return
    decision issued with it, by the case's procedures regime: APR Art 68(1), (2) (the effects of
    the return decision are suspended while the applicant has the right to remain, until the
    appeal's outcome) or, before the Pact, Directive 2013/32/EU Art 46(5)."""
    return APPEAL_TIME_BASIS[asylum_case_id in _pact_cases(conn, [asylum_case_id])]


def _pact_cases(conn: Connection, case_ids: Iterable[str | None]) -> set[str]:
    """Those of these asylum cases the procedures area reads under the APR (by the day lodged, or
    registered or made before: ``pactum.procedures.workflow.case_regime``)."""
    A = asylum_applications
    ids = sorted({i for i in case_ids if i})
    out: set[str] = set()
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for row in conn.execute(select(A.c.id, A.c.made_on, A.c.lodged_on, A.c.registered_on)
                                .where(A.c.id.in_(chunk))):
            if procedures_regime(row.made_on, row.lodged_on, row.registered_on).regime == "pact":
                out.add(row.id)
    return out


def _obstacles_of(facts: ReturnFacts, on: date, decision: dict[str, Any], pact: set[str]) -> list[dict[str, str]]:
    """The obstacles to removal of ``decision`` on ``on``, each with its words (the last day of a
    removal bar and the article of its asylum case's regime: ``pact``, :func:`_pact_cases`)."""
    case = decision.get("asylum_case_id")
    regime = (case in pact) if case else None
    return [{"code": c, "label": obstacle_label(c, facts, regime)} for c in obstacles(facts, on)]


def suspend_decision(
    services: Services, principal: Principal, decision_id: str, body: VersionedReason
) -> dict[str, Any]:
    """A suspensive appeal was lodged (Directive 2008/115/EC Art 13(2)); alert field (y) is set."""
    return _decision_action(services, principal, decision_id, body.version, "suspend", reason=body.reason)


def lift_suspension(
    services: Services, principal: Principal, decision_id: str, body: VersionedReason
) -> dict[str, Any]:
    return _decision_action(
        services,
        principal,
        decision_id,
        body.version,
        "lift_suspension",
        reason=body.reason,
    )


def withdraw_decision(
    services: Services, principal: Principal, decision_id: str, body: VersionedReason
) -> dict[str, Any]:
    """Withdrawn or annulled: the alert is deleted (Reg. 2018/1860 Art 14)."""
    return _decision_action(services, principal, decision_id, body.version, "withdraw", reason=body.reason)


def review_identity(
    services: Services, principal: Principal, decision_id: str, body: IdentityReviewed
) -> dict[str, Any]:
    """The return officer of the issuing state records that they reviewed the decision against its
    person's corrected identity record, with a note of what they decided (the destination kept, or
    changed by an amended decision on the destination: Directive 2008/115/EC Art 3(3)). The decision keeps what
    it recorded; its version moves on (optimistic locking: a stale one is refused, 409). Audited
    (:data:`~pactum.returns.identity_review.REVIEWED`: who, when, the note and the fields
    reviewed, not their values); from then on the decision no longer needs review until a later
    correction of the record changes a field it copied. Refused (409) for a decision no longer to
    be enforced, one whose record holds what it recorded, and one already reviewed since the
    record's last correction; another state's decision is not this state's to review (403 with a
    hit on it, else 404)."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        decision, relation = _load_decision(uow.conn, principal, decision_id)
        if relation != "issuing":
            raise Forbidden("only the issuing state reviews its return decision against its person's record")
        if decision["status"] not in id_review.OPEN_STATUSES:
            raise Conflict(f"the return decision is '{decision['status']}': it is no longer to be enforced, "
                           "its destination is not reviewed")
        review = _identity_review(uow.conn, decision)
        if review is None:
            raise Conflict("nothing to review: the record has not been corrected since the decision (it holds "
                           "what the decision recorded)")
        if not review.needed:
            raise Conflict("nothing to review: the decision was already reviewed after the last correction of "
                           "the record")
        update_versioned(uow.conn, return_decisions, decision_id, body.version, {})
        uow.audit(principal, id_review.REVIEWED, "return_decision", decision_id,
                  before={"version": body.version},
                  after={"version": body.version + 1, "note": body.note,
                         "fields": [d.field for d in review.differences],
                         "identity_record_id": decision["identity_record_id"],
                         "legal_basis": list(review.legal_basis)})
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


def update_return_facts(
    services: Services, principal: Principal, decision_id: str, body: ReturnFactsUpdate
) -> dict[str, Any]:
    """Identity, travel document, fitness to travel, absconding, a minor's handover: the queue's
    facts. The destination is not one: a change is refused (:func:`_refuse_destination_as_fact`),
    it is an amended decision on the destination (:func:`amend_destination`)."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        decision, relation = _load_decision(uow.conn, principal, decision_id)
        _can_enforce(uow.conn, principal, decision, relation)
        values = body.model_dump(exclude={"version"}, exclude_none=True)
        if not values:
            raise ValidationProblem.one("body", "give at least one fact to change")
        _refuse_destination_as_fact(decision, values, relation)
        _check_handover(values, decision,
                        decision["id"] in _minors_of(uow.conn, principal.member_state, [decision],
                                                          _decision_today(uow, decision)))
        update_versioned(uow.conn, return_decisions, decision_id, body.version, values)
        if "absconded" in values:
            alert = uow.conn.execute(
                select(return_alerts.c.id, return_alerts.c.flags).where(
                    return_alerts.c.return_decision_id == decision_id,
                    return_alerts.c.status == "active",
                )
            ).first()
            if alert is not None and relation == "issuing":
                flags = [f for f in (alert.flags or "").split(",") if f and f != "absconded"]
                if values["absconded"]:
                    flags.append("absconded")
                if (alert.flags or "") != ",".join(flags):  # field (i), audited on the alert
                    _change_alert(uow, principal, decision_id, {"flags": ",".join(flags)})
        uow.audit(
            principal,
            "returns.decision.facts",
            "return_decision",
            decision_id,
            before={k: decision[k] for k in values},
            after=values,
        )
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


def _check_handover(values: dict[str, Any], decision: dict[str, Any], minor: bool) -> None:
    """Directive 2008/115/EC Art 10(2) in the facts for removal: a handover (to whom the child is
    returned) is recorded only for an unaccompanied minor (``minor``: so on the day), and comes with
    how the authority satisfied itself of it; ``not_recorded`` takes both back."""
    handover = values.get("minor_handover")
    if handover == "not_recorded":
        values["minor_handover"] = values["minor_handover_note"] = None
    elif handover is not None and not minor and handover != decision.get("minor_handover"):
        raise ValidationProblem.one(
            "minor_handover", f"only for an unaccompanied minor ({minors.ART_10_2.cite()}): the person of this "
                              "decision is not recorded as an unaccompanied minor")
    elif handover is not None:
        if not values.get("minor_handover_note"):
            raise ValidationProblem.one(
                "minor_handover_note",
                f"say how the authority is satisfied that the child will be returned to {minors.HANDOVERS[handover]} "
                f"({minors.ART_10_2.cite()})")
    elif "minor_handover_note" in values and not decision.get("minor_handover"):
        raise ValidationProblem.one(
            "minor_handover", f"record to whom the child is returned first ({minors.ART_10_2.cite()})")


# --------------------------------------------------------------------------- destination amended

#: What a state with a hit reads of the amended decisions on the destination: how the destination
#: it enforces came to be (reference, day, before and after) and the period for voluntary departure
#: each granted (what it enforces after, Directive 2008/115/EC Art 8(2); the last one is alert field
#: (x) too: without it the history read "refused" for every amendment), not the issuing state's
#: reasons, its officer or the appeal as lodged (the issuing state's record; supplementary information on
#: the hit); but the court's outcome of an appeal and its day, which decide whether the amended decision
#: stands (an allowed appeal annuls it: the destination the state enforces changes back).
_DESTINATION_SHARED = ("reference", "number", "issued_on", "previous_destination", "destination_country",
                       "voluntary_departure_days", "voluntary_departure_last_day", "appeal_outcome",
                       "appeal_decided_on")


def _destination_decisions(conn: Connection, decision_id: str, issuing: bool) -> list[dict[str, Any]]:
    """The decision's amended decisions on the destination, the first first: for the issuing state
    each with its reasons, remedy information, officer, authority, appeal and legal basis."""
    D = return_destination_decisions
    out = []
    for r in conn.execute(select(D).where(D.c.return_decision_id == decision_id).order_by(D.c.number)).all():
        row = _row(r)
        if issuing:
            row["legal_basis"] = list(dest_rules.LEGAL_BASIS)
        else:
            row = {k: row[k] for k in _DESTINATION_SHARED}
        out.append({k: _iso(v) for k, v in row.items()})
    return out


def _refuse_destination_as_fact(decision: dict[str, Any], values: dict[str, Any], relation: str) -> None:
    """The facts for removal do not change the decision's destination (CJEU C-924/19 PPU and
    C-925/19 PPU, FMS and Others: it is a new return decision): 422 on ``destination_country``
    naming the amended decision to issue instead. The destination the decision already has is no
    change: it is dropped from ``values``."""
    problem = dest_rules.fact_refusal(decision.get("destination_country"), values.get("destination_country"),
                                      issuing=relation == "issuing")
    if problem is not None:
        raise ValidationProblem.one("destination_country", problem)
    values.pop("destination_country", None)


#: A readmission request or an assisted voluntary return case needs a destination; the facts for
#: removal no longer set one (naming it is an amended decision on the destination).
NO_DESTINATION = "the decision names no destination: issue an amended decision on the destination first"


def _before_destination(conn: Connection, decision: dict[str, Any], field: str, day: date,
                        what: str) -> tuple[str, str] | None:
    """A readmission request or an assisted voluntary return case is for the decision's destination
    as it stands: dated before the amended decision that named that destination, it would be
    recorded for a country that was not yet the destination (the earlier one was): the problem on
    ``field`` naming the amended decision (``None``: none)."""
    named = _standing_destination_decision(conn, decision["id"])
    if named and day < named["issued_on"]:
        return (field, f"{decision['destination_country']} is the destination since the amended decision "
                       f"{named['reference']} of {named['issued_on'].isoformat()}: {what} on or after that day")
    return None


def _refuse_before_destination(conn: Connection, decision: dict[str, Any], field: str, day: date, what: str) -> None:
    """:func:`_before_destination`, refused: 422 on ``field``."""
    problem = _before_destination(conn, decision, field, day, what)
    if problem is not None:
        raise ValidationProblem([problem])


def _latest_destination_decision(conn: Connection, decision_id: str) -> dict[str, Any]:
    D = return_destination_decisions
    return _row(conn.execute(select(D).where(D.c.return_decision_id == decision_id)
                             .order_by(D.c.number.desc())).first())


def _amendments(conn: Connection, decision_id: str) -> list[dict[str, Any]]:
    D = return_destination_decisions
    return [_row(r) for r in conn.execute(select(D).where(D.c.return_decision_id == decision_id)
                                          .order_by(D.c.number)).all()]


def _standing_destination_decision(conn: Connection, decision_id: str) -> dict[str, Any]:
    """The amended decision that named the decision's destination as it stands: the latest not
    annulled on appeal (``{}``: none, the decision's own destination stands)."""
    return dict(dest_rules.standing(_amendments(conn, decision_id)) or {})


def _off_other_destinations(uow: UnitOfWork, principal: Principal, decision: dict[str, Any], reference: str,
                            destination: str) -> None:
    """The person is taken off the operations not yet completed that fly to another country than
    the decision's new destination: the decision no longer names it (audited
    ``returns.operation.remove``, the reason naming the amended decision)."""
    why = f"destination of return decision {decision['reference']} amended to {destination} by {reference}"
    _off_open_operations(uow, principal, decision, why, keep_destination=destination)


def _end_avr_for_other_destinations(uow: UnitOfWork, principal: Principal, decision: dict[str, Any], reference: str,
                                    destination: str | None, *,
                                    annulled_on: date | None = None) -> dict[str, list[dict[str, Any]]]:
    """The decision's assisted voluntary return cases still open for another country than its new
    destination are cancelled, each with the reason naming the amended decision (stored as the
    case's ``status_reason``), audited ``returns.avr.cancel``. ``annulled_on``: the amended decision
    ``reference`` was annulled on appeal that day, which gave the decision ``destination`` again
    (``None``: it names none, every open case ends). Answers the cases ended, by the state whose
    case it was (the issuing state, or a state that recognised the decision)."""
    ended: dict[str, list[dict[str, Any]]] = {}
    where = [avr_cases.c.return_decision_id == decision["id"], avr_cases.c.status == "opened"]
    if destination is not None:
        where.append(avr_cases.c.destination_country != destination)
    for case in uow.conn.execute(select(avr_cases).where(*where)).all():
        if annulled_on is not None:
            why = dest_rules.avr_annulled_reason(decision["reference"], reference, annulled_on,
                                                 case.destination_country, destination)
        else:
            assert destination is not None
            why = dest_rules.avr_ended_reason(decision["reference"], reference, case.destination_country, destination)
        new_status = lifecycle.transition("assisted voluntary return", case.status, "cancel")
        update_versioned(uow.conn, avr_cases, case.id, case.version, {"status": new_status, "status_reason": why})
        uow.audit(principal, "returns.avr.cancel", "avr_case", case.id, before={"status": case.status},
                  after={"status": new_status, "reason": why, "destination_decision": reference})
        ended.setdefault(case.member_state, []).append(_row(case))
    return ended


def amend_destination(
    services: Services, principal: Principal, decision_id: str, body: DestinationAmendment
) -> dict[str, Any]:
    """The return officer of the issuing state issues an amended decision on the destination: the
    third country the person is now to be returned to, on a day, with reasons and the remedy
    information (Directive 2008/115/EC Art 12(1)). In the Court's reading it is a new return
    decision (CJEU C-924/19 PPU and C-925/19 PPU, FMS and Others, 14 May 2020; Art 3(4)), open to
    an effective remedy (Art 13(1)): :func:`appeal_destination` records the appeal. The decision's
    destination becomes the new one (its version moves on). Being a new return decision it sets
    its own period for voluntary departure, counted from its day (Art 7(1); the decision's days
    unless ``voluntary_departure_days`` says otherwise, checked as the decision's were): the
    decision's period and the alert's field (x) (Reg. (EU) 2018/1860 Art 4(1)(x)) become it, and
    removal waits for its end (Art 8(2)); its other terms stay. Readmission requests to the earlier
    destination no longer count (:func:`_readmission_status`); the person is taken off operations
    to another country; an assisted voluntary return case open for another country is cancelled
    with the reason (:func:`_end_avr_for_other_destinations`); the states with a hit are notified.
    No other field of the alert holds the destination: they stay.
    Refused: another state's decision (403 with a hit, else 404), a decision no longer to be
    enforced (409), the destination it already has or a day in the future, before the decision or
    before its last amendment (422), a stale version (409)."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        conn = uow.conn
        decision, relation = _load_decision(conn, principal, decision_id)
        if relation != "issuing":
            raise Forbidden("only the issuing state amends the destination of its return decision: ask it as "
                            "supplementary information on your hit, or issue your own return decision")
        if decision["status"] not in dest_rules.OPEN_STATUSES:
            raise Conflict(f"the return decision is '{decision['status']}': it is no longer to be enforced, its "
                           "destination is not amended")
        last = _latest_destination_decision(conn, decision_id)
        problems = dest_rules.check_amendment(decision, destination=body.destination_country,
                                              issued_on=body.issued_on, today=_decision_today(uow, decision),
                                              last_issued_on=last.get("issued_on") if last else None)
        if problems:
            raise ValidationProblem(problems)
        # a new return decision sets its own period for voluntary departure (Art 7(1)), from its day
        terms = rules.decide_terms(
            issued_on=body.issued_on, member_state=decision["member_state"],
            voluntary_departure_days=dest_rules.period_days(decision, body.voluntary_departure_days),
            entry_ban_years=None, entry_ban_months=decision["entry_ban_months"], grounds=list(decision["grounds"]))
        number = (last["number"] if last else 0) + 1
        reference = dest_rules.reference(decision["reference"], number)
        period = {"voluntary_departure_days": terms.voluntary_departure_days,
                  "voluntary_departure_last_day": terms.voluntary_departure_last_day}
        # the extension in force on the decision (Art 7(2)) is kept where it runs later than the
        # amended decision's own period: its circumstances do not depend on the country of return
        in_force = _extension_in_force(conn, decision)
        kept = vd_extension.kept_last_day(extension_last_day=in_force["new_last_day"] if in_force else None,
                                          own_last_day=terms.voluntary_departure_last_day)
        holds = {**period, "voluntary_departure_last_day": kept or terms.voluntary_departure_last_day}
        # a period that ends again later is notified again when it ends (the expiry job)
        update_versioned(conn, return_decisions, decision_id, body.version,
                         {"destination_country": body.destination_country, **holds, "expiry_notified_at": None})
        row = {"id": new_id("rdd"), "return_decision_id": decision_id, "member_state": decision["member_state"],
               "reference": reference, "number": number, "issued_on": body.issued_on,
               "issued_by": principal.username, "authority": principal.authority,
               "previous_destination": decision["destination_country"],
               "destination_country": body.destination_country, "reasons": body.reasons,
               "remedies": body.remedies, **period,
               "previous_voluntary_departure_days": decision["voluntary_departure_days"],
               "previous_voluntary_departure_last_day": decision["voluntary_departure_last_day"],
               "created_at": uow.now}
        conn.execute(insert(return_destination_decisions).values(**row))
        kept_audit = None
        if kept is not None and in_force is not None and terms.voluntary_departure_last_day is not None:
            conn.execute(return_decision_extensions.insert().values(
                id=new_id("rdx"), return_decision_id=decision_id, member_state=decision["member_state"],
                extended_on=body.issued_on, previous_last_day=terms.voluntary_departure_last_day, new_last_day=kept,
                grounds=list(in_force["grounds"]), reason=in_force["reason"], extended_by=principal.username,
                authority=principal.authority, created_at=uow.now, destination_decision_id=row["id"]))
            kept_audit = {"extension_id": in_force["id"], "extended_on": _iso(in_force["extended_on"]),
                          "voluntary_departure_last_day": kept.isoformat(),
                          "label": vd_extension.kept_words(reference=reference, issued_on=body.issued_on,
                                                           own_last_day=terms.voluntary_departure_last_day,
                                                           kept=kept, grounds=list(in_force["grounds"]))}
        uow.audit(principal, dest_rules.AMENDED, "return_decision", decision_id,
                  before={"destination_country": decision["destination_country"], "version": body.version,
                          "voluntary_departure_days": decision["voluntary_departure_days"],
                          "voluntary_departure_last_day": _iso(decision["voluntary_departure_last_day"])},
                  after={"destination_country": body.destination_country, "version": body.version + 1,
                         "destination_decision_id": row["id"], "reference": reference,
                         "issued_on": body.issued_on.isoformat(), "reasons": body.reasons,
                         "remedies": body.remedies, "legal_basis": list(dest_rules.LEGAL_BASIS),
                         **{k: _iso(v) for k, v in period.items()},
                         "period": dest_rules.period_words(terms.voluntary_departure_days,
                                                           terms.voluntary_departure_last_day),
                         "extension_kept": kept_audit})
        # field (x) of the alert: the last day of the period now granted (Reg. (EU) 2018/1860 Art 4(1)(x)),
        # the extension kept included (Art 3(4))
        _change_alert(uow, principal, decision_id, {"voluntary_departure_last_day": holds["voluntary_departure_last_day"]})
        if _appeal_time_bar(decision) is not None:  # a time to appeal moves it (Gnandi)
            _alert_period_follows(uow, principal, decision_id)
        _off_other_destinations(uow, principal, decision, reference, body.destination_country)
        ended = _end_avr_for_other_destinations(uow, principal, decision, reference, body.destination_country)
        before = decision["destination_country"] or "none"
        for state in sorted(_hit_states(conn, decision_id)):
            told = (f"{decision['member_state']} amended the destination of return decision {decision['reference']} "
                    f"from {before} to {body.destination_country} by {reference} of {body.issued_on.isoformat()}")
            for case in ended.get(state, []):
                told += (f"; your assisted voluntary return case {case['id']} for {case['destination_country']} "
                         f"was cancelled")
            _notify(uow, state, "destination_amended", told, decision_id=decision_id)
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


def appeal_destination(
    services: Services, principal: Principal, decision_id: str, body: DestinationAppeal
) -> dict[str, Any]:
    """The person appealed against the decision's latest amended decision on the destination
    (Directive 2008/115/EC Art 13(1)): recorded on it (the day lodged, whether suspensive, by
    whom), audited. A suspensive appeal (Art 13(2)) suspends an issued decision as the suspension
    does (alert field (y) set, Reg. (EU) 2018/1860 Art 4(1)(y)); the officer lifts it or
    withdraws the decision as the appeal ends, or issues another amendment when the court annuls
    this one. Refused: no amendment to appeal against, one already appealed, a decision no longer
    to be enforced or a stale version (409); a day in the future or before the amendment (422);
    another state's decision (403 with a hit, else 404)."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        conn = uow.conn
        decision = _issuing_open(conn, principal, decision_id,
                                 "only the issuing state records an appeal against its return decision")
        latest = _latest_destination_decision(conn, decision_id)
        if not latest:
            raise Conflict("the decision's destination was never amended: an appeal against the return decision "
                           "itself is recorded by suspending it (a suspensive appeal) or not at all")
        if latest["appeal_lodged_on"] is not None:
            raise Conflict(f"an appeal against {latest['reference']} is already recorded, lodged on "
                           f"{latest['appeal_lodged_on'].isoformat()}")
        problems = dest_rules.check_appeal(latest, lodged_on=body.lodged_on,
                                           today=_decision_today(uow, decision))
        if problems:
            raise ValidationProblem(problems)
        D = return_destination_decisions
        conn.execute(update(D).where(D.c.id == latest["id"]).values(
            appeal_lodged_on=body.lodged_on, appeal_suspensive=body.suspensive,
            appeal_recorded_by=principal.username))
        if body.suspensive and decision["status"] == "issued":
            _change_decision(uow, principal, decision, "suspend", body.version,
                             {"status_reason": dest_rules.suspension_reason(latest, body.lodged_on)},
                             audited={"destination_decision": latest["reference"]})
        else:  # not suspensive, or the decision already suspended: recorded, the decision's version moves on
            update_versioned(conn, return_decisions, decision_id, body.version, {})
        uow.audit(principal, dest_rules.APPEALED, "return_decision", decision_id,
                  before={"version": body.version},
                  after={"destination_decision_id": latest["id"], "reference": latest["reference"],
                         "lodged_on": body.lodged_on.isoformat(), "suspensive": body.suspensive,
                         "legal_basis": [dest_rules.REMEDY.cite(), dest_rules.SUSPENSION.cite()]})
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


def _period_before(conn: Connection, amendment: dict[str, Any]) -> dict[str, Any] | None:
    """The period for voluntary departure the decision had before ``amendment`` (its days and last
    day): as recorded on it, or for an amendment recorded before that, as its audit entry says;
    ``None`` when neither knows."""
    if amendment.get("previous_voluntary_departure_days") is not None:
        return {"voluntary_departure_days": amendment["previous_voluntary_departure_days"],
                "voluntary_departure_last_day": amendment["previous_voluntary_departure_last_day"]}
    from pactum.store.tables.platform import audit_log

    A = audit_log
    for r in conn.execute(select(A.c.before, A.c.after).where(
            A.c.action == dest_rules.AMENDED, A.c.entity_type == "return_decision",
            A.c.entity_id == amendment["return_decision_id"]).order_by(A.c.seq)).all():
        if (r.after or {}).get("destination_decision_id") == amendment["id"]:
            before = r.before or {}
            if before.get("voluntary_departure_days") is None:
                return None
            last = before.get("voluntary_departure_last_day")
            return {"voluntary_departure_days": int(before["voluntary_departure_days"]),
                    "voluntary_departure_last_day": date.fromisoformat(last) if last else None}
    return None


def _appealed_amendment(conn: Connection, decision: dict[str, Any], which: str | None) -> dict[str, Any]:
    """The amended decision whose appeal the court decided: the one ``which`` names (reference or
    id; 422 naming ``destination_decision`` when the decision has none such), else the one whose
    appeal awaits its outcome. Refused (409): none appealed and awaiting its outcome, more than one
    (name it), or the one named has no appeal or already an outcome."""
    if which is not None and which.strip():
        row = _translation_target(conn, decision, which)
        assert row is not None
    else:
        appealed = [r for r in _amendments(conn, decision["id"]) if r["appeal_lodged_on"] is not None]
        pending = [r for r in appealed if r["appeal_outcome"] is None]
        if not pending and appealed:
            row = appealed[-1]
            raise Conflict(f"the appeal against {row['reference']} was already {row['appeal_outcome']} on "
                           f"{row['appeal_decided_on'].isoformat()}; no other appeal awaits its outcome")
        if not pending:
            raise Conflict("no appeal against an amended decision on the destination of this decision awaits its "
                           "outcome: record the appeal first")
        if len(pending) > 1:
            raise Conflict("appeals against " + ", ".join(r["reference"] for r in pending)
                           + " await their outcome: name the amended decision (destination_decision)")
        row = pending[0]
    if row["appeal_lodged_on"] is None:
        raise Conflict(f"no appeal against {row['reference']} is recorded: record the appeal first")
    if row["appeal_outcome"] is not None:
        raise Conflict(f"the appeal against {row['reference']} was already {row['appeal_outcome']} on "
                       f"{row['appeal_decided_on'].isoformat()}")
    return row


def decide_destination_appeal(
    services: Services, principal: Principal, decision_id: str, body: DestinationAppealOutcome
) -> dict[str, Any]:
    """The court decided the appeal against an amended decision on the destination (Directive
    2008/115/EC Art 13(1)): the outcome (``dismissed`` or ``allowed``), its day and who recorded it
    are written on the amended decision (its row of the history of destinations), audited
    (:data:`~pactum.returns.destination.APPEAL_DECIDED`). A suspension the appeal brought (Art
    13(2)) ends with it: the decision is issued again, alert field (y) cleared, as a lifted
    suspension (a suspension for another reason stays for the officer to lift).

    Allowed, the amended decision is annulled: being a new return decision (CJEU C-924/19 PPU and
    C-925/19 PPU, FMS and Others), its annulment leaves the decision as it stood before it, so the
    destination and the period for voluntary departure the decision had before it stand again
    (alert field (x) with it, Reg. (EU) 2018/1860 Art 4(1)(x)), unless a later amended decision
    changed the destination since (it stands, a decision of its own). Readmission requests to the
    destination that stands count again; operations and assisted voluntary return cases the
    amendment ended are not restored (the officer plans them again). The states with a hit are told.
    Refused: another state's decision (403 with a hit, else 404), a decision no longer to be
    enforced, no appeal awaiting its outcome or a stale version (409), a day in the future or before
    the appeal was lodged (422)."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        conn = uow.conn
        decision = _issuing_open(conn, principal, decision_id,
                                 "only the issuing state records the outcome of an appeal against its return decision")
        row = _appealed_amendment(conn, decision, body.destination_decision)
        problems = dest_rules.check_outcome(row, decided_on=body.decided_on,
                                            today=_decision_today(uow, decision))
        if problems:
            raise ValidationProblem(problems)
        D = return_destination_decisions
        conn.execute(update(D).where(D.c.id == row["id"]).values(
            appeal_outcome=body.outcome, appeal_decided_on=body.decided_on,
            appeal_outcome_recorded_by=principal.username))
        values: dict[str, Any] = {}
        words = f"appeal against {row['reference']} {body.outcome} on {body.decided_on.isoformat()}"
        if body.outcome == "allowed":
            amendments = _amendments(conn, decision_id)  # this one now annulled
            stands = dest_rules.standing(amendments)
            later = [r for r in amendments if r["number"] > row["number"] and r["appeal_outcome"] != "allowed"]
            if later:  # a later amended decision named the destination since: it stands
                words = dest_rules.annulled_words(row, body.decided_on, decision["destination_country"],
                                                  later[-1]["reference"])
            else:
                destination = stands["destination_country"] if stands else amendments[0]["previous_destination"]
                period = ({"voluntary_departure_days": stands["voluntary_departure_days"],
                           "voluntary_departure_last_day": stands["voluntary_departure_last_day"]}
                          if stands and stands.get("voluntary_departure_days") is not None
                          else _period_before(conn, amendments[0]) if not stands else None)
                values = {"destination_country": destination}
                if period is not None:
                    values |= {**period, "expiry_notified_at": None}
                words = dest_rules.annulled_words(row, body.decided_on, destination, None)
        ended: dict[str, list[dict[str, Any]]] = {}
        if "destination_country" in values and values["destination_country"] != decision["destination_country"]:
            # the decision no longer names the annulled decision's country: off its operations, its cases ended
            _off_open_operations(uow, principal, decision, f"return decision {decision['reference']}: {words}",
                                 keep_destination=values["destination_country"])
            ended = _end_avr_for_other_destinations(uow, principal, decision, row["reference"],
                                                    values["destination_country"], annulled_on=body.decided_on)
        lifts = (decision["status"] == "suspended" and row["appeal_suspensive"]
                 and decision["status_reason"] == dest_rules.suspension_reason(row, row["appeal_lodged_on"]))
        if lifts:
            _change_decision(uow, principal, decision, "lift_suspension", body.version,
                             {"status_reason": dest_rules.outcome_reason(row, body.outcome, body.decided_on),
                              **values}, audited={"destination_decision": row["reference"]})
        else:
            update_versioned(conn, return_decisions, decision_id, body.version, values)
        if "voluntary_departure_last_day" in values:
            # field (x): the period that stands again, as the decision's suspensions leave it
            _alert_period_follows(uow, principal, decision_id)
        uow.audit(principal, dest_rules.APPEAL_DECIDED, "return_decision", decision_id,
                  before={"version": body.version, "destination_country": decision["destination_country"],
                          "voluntary_departure_days": decision["voluntary_departure_days"],
                          "voluntary_departure_last_day": _iso(decision["voluntary_departure_last_day"]),
                          "status": decision["status"]},
                  after={"destination_decision_id": row["id"], "reference": row["reference"],
                         "outcome": body.outcome, "decided_on": body.decided_on.isoformat(),
                         "suspension_lifted": bool(lifts), "words": words,
                         **{k: _iso(v) for k, v in values.items()},
                         "legal_basis": [dest_rules.REMEDY.cite(), dest_rules.JUDGMENT]})
        if body.outcome == "allowed":
            for state in sorted(_hit_states(conn, decision_id)):
                told = f"{decision['member_state']}: return decision {decision['reference']}: {words}"
                for case in ended.get(state, []):
                    told += (f"; your assisted voluntary return case {case['id']} for {case['destination_country']} "
                             f"was cancelled")
                _notify(uow, state, "destination_amended", told, decision_id=decision_id)
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


# --------------------------------------------------------------------------- translation (Art 12(2), (3))

_T = return_decision_translations


def _entry_facts(conn: Connection, person_id: str, ms: str) -> tr_rules.EntryFacts:
    """What the issuing state's records of the person say about their entry and stay
    (:mod:`pactum.returns.translation`): its encounters, its Eurodac records (not erased) and its
    asylum cases of the person. Another state's records are not read."""
    illegal: list[tr_rules.EntryRecord] = []
    lawful: list[tr_rules.EntryRecord] = []
    stay_: list[tr_rules.EntryRecord] = []
    # each day on the clock of the place (the encounter's recorded zone, else the state's capital's):
    # an apprehension at 23:30 UTC in Madrid is one of the next day there
    for e in conn.execute(select(encounters.c.kind, encounters.c.occurred_at, encounters.c.time_zone)
                          .where(encounters.c.person_id == person_id, encounters.c.member_state == ms)
                          .order_by(encounters.c.occurred_at)).all():
        day = stored_day(e.occurred_at, ms, e.time_zone) if e.occurred_at is not None else None
        if e.kind == "irregular_crossing":
            illegal.append(tr_rules.EntryRecord("apprehended crossing the external border irregularly", day))
        elif e.kind == "border_crossing_point_application":
            lawful.append(tr_rules.EntryRecord("presented themselves at a border crossing point", day))
    own = select(identity_records.c.id).where(identity_records.c.person_id == person_id)
    # a Eurodac record on the clock of the encounter it records (none: an applicant's data set, the capital's)
    zone_of = (select(encounters.c.time_zone)
               .where(encounters.c.identity_record_id == eurodac_records.c.identity_record_id)
               .order_by(encounters.c.occurred_at).limit(1).scalar_subquery())
    for r in conn.execute(select(eurodac_records.c.category, eurodac_records.c.registered_at,
                                 zone_of.label("time_zone"))
                          .where(eurodac_records.c.identity_record_id.in_(own), eurodac_records.c.member_state == ms,
                                 eurodac_records.c.erased_at.is_(None))
                          .order_by(eurodac_records.c.registered_at)).all():
        day = stored_day(r.registered_at, ms, r.time_zone) if r.registered_at is not None else None
        if r.category == "irregular_crossing":
            illegal.append(tr_rules.EntryRecord("Eurodac: apprehended in connection with an irregular crossing", day))
        elif r.category in ("union_resettlement", "national_resettlement"):
            lawful.append(tr_rules.EntryRecord("Eurodac: admitted by resettlement", day))
        elif r.category == "temporary_protection":
            stay_.append(tr_rules.EntryRecord("Eurodac: temporary protection", day))
    for c in _asylum_cases(conn, person_id, ms):
        what = f"applied for international protection ({c.named})"
        if c.protection_granted:
            what += f", granted {stay.OUTCOME_WORDS.get(c.protection_granted, c.protection_granted)}"
        stay_.append(tr_rules.EntryRecord(what, c.made_on))
    return tr_rules.EntryFacts(illegal_entry=illegal, lawful_entry=lawful, right_to_stay=stay_)


def _translation_target(conn: Connection, decision: dict[str, Any], which: str | None) -> dict[str, Any] | None:
    """The amended decision on the destination ``which`` names (its reference or id) among the
    decision's; ``None`` for the return decision itself. One it does not have: 422 naming
    ``destination_decision``."""
    if which is None or not which.strip():
        return None
    D = return_destination_decisions
    row = _row(conn.execute(select(D).where(D.c.return_decision_id == decision["id"],
                                            or_(D.c.reference == which.strip(), D.c.id == which.strip()))).first())
    if not row:
        known = [r.reference for r in conn.execute(select(D.c.reference).where(D.c.return_decision_id == decision["id"])
                                                   .order_by(D.c.number)).all()]
        raise ValidationProblem.one(
            "destination_decision",
            f"{shortened(which.strip())} is not an amended decision on the destination of {decision['reference']}"
            + (f" (it has: {', '.join(known)})" if known else " (it has none): leave it out for the decision itself"))
    return row


def _translation_rows(conn: Connection, decision_id: str, target: dict[str, Any] | None) -> list[dict[str, Any]]:
    q = select(_T).where(_T.c.return_decision_id == decision_id)
    q = q.where(_T.c.destination_decision_id == target["id"]) if target else q.where(_T.c.destination_decision_id.is_(None))
    return [_row(r) for r in conn.execute(q).all()]


def _issuing_open(conn: Connection, principal: Principal, decision_id: str, refusal: str) -> dict[str, Any]:
    """The state's own return decision still to be enforced: another state's is refused with
    ``refusal`` (403; 404 without a hit), one withdrawn or departed with 409."""
    decision, relation = _load_decision(conn, principal, decision_id)
    if relation != "issuing":
        raise Forbidden(refusal)
    if decision["status"] not in dest_rules.OPEN_STATUSES:
        raise Conflict(f"the return decision is '{decision['status']}': it is no longer to be enforced")
    return decision


def request_translation(services: Services, principal: Principal, decision_id: str,
                        body: TranslationRequest) -> dict[str, Any]:
    """The person asked for a translation of the main elements of the decision (or of an amended
    decision on its destination), remedies included, in a language they understand (Directive
    2008/115/EC Art 12(2)): recorded, audited; until it is given it is an open item of the decision
    (``open_items``; not an obstacle to removal). Refused: a day in the future or before the
    decision it concerns, an amended decision the decision does not have (422); a decision given by
    the standard form of Art 12(3), a request already recorded, a decision no longer to be enforced
    (409); another state's decision (403 with a hit, else 404)."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        conn = uow.conn
        decision = _issuing_open(conn, principal, decision_id,
                                 "only the issuing state records the translation of its return decision")
        target = _translation_target(conn, decision, body.destination_decision)
        concerned = target or decision
        problems = tr_rules.check_request(decision_issued_on=concerned["issued_on"], requested_on=body.requested_on,
                                          today=_decision_today(uow, decision))
        if problems:
            raise ValidationProblem(problems)
        for r in _translation_rows(conn, decision_id, target):
            if r["kind"] == tr_rules.FORM:
                raise Conflict(f"{concerned['reference']} was given by the standard form ({tr_rules.STANDARD_FORM.cite()}): "
                               f"{tr_rules.TRANSLATION.cite()} does not apply to it")
            raise Conflict(f"a translation of {concerned['reference']} was already requested on "
                           f"{r['requested_on'].isoformat()}"
                           + (f" and given on {r['provided_on'].isoformat()}" if r["provided_on"] else
                              ": record that it was given"))
        row = {"id": new_id("rdt"), "return_decision_id": decision_id,
               "destination_decision_id": target["id"] if target else None, "member_state": decision["member_state"],
               "kind": tr_rules.REQUEST, "requested_on": body.requested_on, "requested_language": body.language,
               "recorded_by": principal.username, "created_at": uow.now, "version": 1}
        conn.execute(insert(_T).values(**row))
        uow.audit(principal, tr_rules.REQUESTED, "return_decision", decision_id,
                  after={"translation_id": row["id"], "decision": concerned["reference"],
                         "requested_on": body.requested_on.isoformat(), "language": body.language,
                         "legal_basis": [tr_rules.TRANSLATION.cite()]})
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


def give_translation(services: Services, principal: Principal, decision_id: str, translation_id: str,
                     body: TranslationGiven) -> dict[str, Any]:
    """The translation requested was given (written or oral, on a day, in the language asked for
    or another the person understands or may reasonably be presumed to understand, Art 12(2)):
    recorded, audited; the open item is closed. Refused: a day in the future or before the request
    (422); a translation already recorded as given (409); a request the decision does not have
    (404); another state's decision (403 with a hit, else 404)."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        conn = uow.conn
        decision, relation = _load_decision(conn, principal, decision_id)
        if relation != "issuing":
            raise Forbidden("only the issuing state records the translation of its return decision")
        row = _row(conn.execute(select(_T).where(_T.c.id == translation_id, _T.c.return_decision_id == decision_id,
                                                 _T.c.kind == tr_rules.REQUEST)).first())
        if not row:
            raise NotFound(f"translation request {shortened(translation_id)} of return decision "
                           f"{decision['reference']} not found")
        if row["provided_on"] is not None:
            raise Conflict(f"the translation was already recorded as given on {row['provided_on'].isoformat()}")
        problems = tr_rules.check_provision(requested_on=row["requested_on"], provided_on=body.provided_on,
                                            today=_decision_today(uow, decision))
        if problems:
            raise ValidationProblem(problems)
        given = {"provided_on": body.provided_on, "provided_mode": body.mode,
                 "provided_language": body.language or row["requested_language"], "provided_by": principal.username}
        update_versioned(conn, _T, row["id"], row["version"], given)
        uow.audit(principal, tr_rules.PROVIDED, "return_decision", decision_id,
                  before={"translation_id": row["id"], "provided_on": None},
                  after={"translation_id": row["id"], **{k: _iso(v) for k, v in given.items()},
                         "legal_basis": [tr_rules.TRANSLATION.cite()]})
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


def use_standard_form(services: Services, principal: Principal, decision_id: str,
                      body: StandardFormUse) -> dict[str, Any]:
    """The decision (or an amended decision on its destination) was given by the standard form of
    national law instead of a translation on request (Directive 2008/115/EC Art 12(3)): recorded,
    audited. Refused with 422 on ``standard_form`` where the issuing state's records show the
    person did not enter illegally or obtained an authorisation or a right to stay
    (:func:`pactum.returns.translation.standard_form_refusal`); 409 where a translation of it was
    requested (the state applied Art 12(2)) or the standard form is already recorded, or the
    decision is no longer to be enforced; 422 on ``destination_decision`` for an amended decision
    it does not have."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        conn = uow.conn
        decision = _issuing_open(conn, principal, decision_id,
                                 "only the issuing state records the form of its return decision")
        target = _translation_target(conn, decision, body.destination_decision)
        concerned = target or decision
        refusal = tr_rules.standard_form_refusal(_entry_facts(conn, decision["person_id"], decision["member_state"]))
        if refusal is not None:
            raise ValidationProblem.one("standard_form", refusal)
        for r in _translation_rows(conn, decision_id, target):
            if r["kind"] == tr_rules.FORM:
                raise Conflict(f"the standard form is already recorded for {concerned['reference']}")
            raise Conflict(f"a translation of {concerned['reference']} was requested on "
                           f"{r['requested_on'].isoformat()}: {tr_rules.TRANSLATION.cite()} was applied to it")
        row = {"id": new_id("rdt"), "return_decision_id": decision_id,
               "destination_decision_id": target["id"] if target else None, "member_state": decision["member_state"],
               "kind": tr_rules.FORM, "recorded_by": principal.username, "created_at": uow.now, "version": 1}
        conn.execute(insert(_T).values(**row))
        uow.audit(principal, tr_rules.FORM_USED, "return_decision", decision_id,
                  after={"translation_id": row["id"], "decision": concerned["reference"],
                         "legal_basis": [tr_rules.STANDARD_FORM.cite()]})
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


def _translations_public(conn: Connection, decision: dict[str, Any]) -> list[dict[str, Any]]:
    """The decision's translations and standard forms (the issuing state's), each naming the
    decision it concerns (``decision_reference``) and whether it is ``open`` (requested, not yet
    given); a standard form with what the records say of the person's entry (``entry``)."""
    rows = [_row(r) for r in conn.execute(select(_T).where(_T.c.return_decision_id == decision["id"])
                                          .order_by(_T.c.created_at, _T.c.id)).all()]
    if not rows:
        return []
    D = return_destination_decisions
    refs = {r.id: r.reference for r in conn.execute(select(D.c.id, D.c.reference)
                                                    .where(D.c.return_decision_id == decision["id"])).all()}
    entry = None
    out = []
    for r in rows:
        item = {k: _iso(v) for k, v in r.items()}
        item["decision_reference"] = refs.get(r["destination_decision_id"] or "", decision["reference"])
        item["open"] = r["kind"] == tr_rules.REQUEST and r["provided_on"] is None
        item["requested_language_name"] = language_name(r["requested_language"])
        item["provided_language_name"] = language_name(r["provided_language"])
        if r["kind"] == tr_rules.FORM:
            if entry is None:
                entry = tr_rules.entry_words(_entry_facts(conn, decision["person_id"], decision["member_state"]))
            item["entry"] = entry
            item["legal_basis"] = [tr_rules.STANDARD_FORM.cite()]
        else:
            item["legal_basis"] = [tr_rules.TRANSLATION.cite()]
        out.append(item)
    return out


def _translation_open_items(translations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"code": tr_rules.OPEN_ITEM, "translation_id": t["id"],
             "label": tr_rules.open_item_words(t["decision_reference"], t["requested_on"],
                                               t["requested_language_name"])}
            for t in translations if t["open"]]


def _check_executing_departure(conn: Connection, principal: Principal, decision: dict[str, Any],
                               departed_on: date, mode: str) -> None:
    """A state that did not issue the decision confirms a departure it witnessed: not before its hit
    (it found the person then: an exit through its external border, Reg. (EU) 2018/1860 Art 8, or a
    voluntary departure), and a removal (enforced, on an operation, assisted) not before it recognised
    the decision it enforces (Recommendation (EU) 2023/682). 422 on ``departed_on`` otherwise."""
    H = return_alert_hits
    hits = conn.execute(
        select(H.c.reported_at, H.c.status, H.c.decided_at)
        .where(H.c.return_decision_id == decision["id"], H.c.executing_member_state == principal.member_state)
        .order_by(H.c.reported_at)
    ).all()
    if not hits:
        return
    ms = principal.member_state
    if mode in ("border_exit", "voluntary"):
        hit_day = _day(hits[0].reported_at, ms)
        if hit_day is not None and departed_on < hit_day:
            raise ValidationProblem.one(
                "departed_on", f"{ms} found the person on its alert hit of {hit_day.isoformat()}: it cannot confirm a "
                               f"departure on {departed_on.isoformat()}, before it")
        return
    recognised = [_day(h.decided_at, ms) for h in hits if h.status == "recognised" and h.decided_at is not None]
    day = min((d for d in recognised if d is not None), default=None)
    if day is not None and departed_on < day:
        raise ValidationProblem.one(
            "departed_on", f"{ms} recognised this return decision on {day.isoformat()}: a removal it enforces cannot "
                           f"be dated {departed_on.isoformat()}, before the recognition (Recommendation (EU) "
                           "2023/682)")


def _refuse_removal_enforced_elsewhere(conn: Connection, principal: Principal, decision: dict[str, Any],
                                       mode: str) -> None:
    """The issuing state does not record a removal (``enforced``, or on a return operation) under its
    decision that another Member State recognised on a hit and enforces (Commission Recommendation
    (EU) 2023/682): that state removes the person from its territory and confirms the departure.
    409 naming that state and the day it recognised the decision. The person's own departure
    (``voluntary``, ``avr``, ``border_exit``) stays the issuing state's to confirm where it learns
    of it (Regulation (EU) 2018/1860, Article 6(1), second subparagraph; Article 14(1))."""
    if mode not in REMOVAL_MODES:
        return
    other = _enforced_elsewhere(conn, principal.member_state, [decision]).get(decision["id"])
    if other:
        raise Conflict(removal_by_recognising_state(other["member_state"], other["on"], mode))


def _day(value: Any, member_state: str | None = None) -> date | None:
    """The day of a stored timestamp (a datetime, or its text as SQLite may give it), on the clock
    of ``member_state`` when given (the state that recorded it: a hit at 23:30 UTC in Greece is a
    hit of the next day there), else as stored."""
    if member_state is not None and isinstance(value, datetime | str) and value:
        return stored_day(value, member_state)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def _confirm_departure(
    uow: UnitOfWork,
    principal: Principal,
    decision: dict[str, Any],
    relation: str,
    *,
    version: int,
    departed_on: date,
    mode: str,
) -> None:
    if mode != "border_exit":
        # Reg. (EU) 2018/1860 Art 8: a hit on exit at the external border confirms the departure
        # without recognition; any other enforcement by another state needs recognition first
        _can_enforce(uow.conn, principal, decision, relation)
    if departed_on < decision["issued_on"]:
        raise ValidationProblem.one("departed_on", "departure cannot precede the return decision")
    # the day on the clock of the state confirming the departure it witnessed (the issuing state's, or
    # the state with the hit: the person left from there); the issuing state's on the clock of the
    # region its decision was issued in, where it records one (the person left from there)
    today = _decision_today(uow, decision) if relation == "issuing" else _today(uow, principal.member_state)
    if departed_on > today:
        raise ValidationProblem.one("departed_on", "departure cannot be confirmed for a future date")
    if relation == "executing":
        _check_executing_departure(uow.conn, principal, decision, departed_on, mode)
    else:
        _refuse_removal_enforced_elsewhere(uow.conn, principal, decision, mode)
    # the bar first: within it the period does not run either (APR Art 68(1), (2); Gnandi), and the
    # bar is what the officer must wait for first
    bar = decision.get("removal_barred_until")
    if mode in ("enforced", "operation") and bar is not None and departed_on <= bar:
        # the applicant may remain while the time to appeal (APR Art 68(1), (2); Directive
        # 2013/32/EU Art 46(5)) or to ask the court for leave to remain (APR Art 68(5)(d)(i)) runs:
        # the queue names the obstacle until that day, and no removal is recorded within it
        if decision.get("removal_barred_basis") == "appeal_time":
            pact = decision.get("asylum_case_id") in _pact_cases(uow.conn, [decision.get("asylum_case_id")])
            why = (f"the time to appeal against the negative asylum decision runs until {bar.isoformat()}, and an "
                   f"appeal would let the applicant remain ({APPEAL_TIME_BASIS[pact]})")
        else:
            why = (f"the time to ask the court for leave to remain runs until {bar.isoformat()}, and the applicant "
                   "is not removed before it ends (Regulation (EU) 2024/1348, Article 68(5)(d)(i))")
        raise ValidationProblem.one(
            "mode", f"a removal cannot be recorded on {departed_on.isoformat()}: {why}; a departure within it is a "
                    "voluntary departure")
    # the last day as the decision's suspensions moved it (the period does not run while suspended,
    # nor during the time to appeal)
    vd_last = _period_ends(decision, _period_runs(uow.conn, [decision]))
    if mode in ("enforced", "operation") and vd_last is not None and departed_on <= vd_last:
        # Directive 2008/115/EC Art 8(2): a decision with a period for voluntary departure is
        # enforced only after the period has expired (Art 8(1): at once where none was granted under
        # Art 7(4))
        raise ValidationProblem.one(
            "mode", f"a removal cannot be recorded on {departed_on.isoformat()}: the period for voluntary "
                    f"departure runs until {vd_last.isoformat()} (Directive 2008/115/EC, Article 8(2)); "
                    "a departure within the period is a voluntary departure")
    new_status = lifecycle.transition("return decision", decision["status"], "confirm_departure")
    ms = principal.member_state
    assert ms is not None
    values: dict[str, Any] = {
        "status": new_status,
        "departed_on": departed_on,
        "departure_member_state": ms,
        "departure_mode": mode,
    }
    if decision["entry_ban_months"]:
        values["entry_ban_starts_on"] = departed_on
        values["entry_ban_ends_on"] = rules.entry_ban_ends_after(
            departed_on, decision["entry_ban_months"], decision["member_state"]
        )
    update_versioned(uow.conn, return_decisions, decision["id"], version, values)
    uow.audit(
        principal,
        "returns.decision.confirm_departure",
        "return_decision",
        decision["id"],
        before={"status": decision["status"]},
        after=values,
    )
    _delete_alert(uow, principal, decision["id"], "departure_confirmed")
    if decision["entry_ban_months"]:
        ban_id = new_id("eba")
        ban = {
            "id": ban_id,
            "return_decision_id": decision["id"],
            "person_id": decision["person_id"],
            "identity_record_id": decision["identity_record_id"],
            "issuing_member_state": decision["member_state"],
            "starts_on": departed_on,
            "ends_on": values["entry_ban_ends_on"],
            "status": "active",
            "created_at": uow.now,
        }
        uow.conn.execute(insert(entry_ban_alerts).values(**ban))
        uow.audit(
            principal,
            "returns.entry_ban_alert.create",
            "entry_ban_alert",
            ban_id,
            after=ban,
        )
    if relation == "executing":
        _notify(
            uow,
            decision["member_state"],
            "departure_confirmed",
            f"{ms} confirmed the departure on {departed_on.isoformat()} under your decision "
            f"{decision['reference']}; the return alert was deleted.",
            decision_id=decision["id"],
        )
    # the other states with a hit on the alert lose it (Reg. (EU) 2018/1860 Art 6(2)): a state that
    # recognised the decision stops enforcing it; before, only the issuing state was told
    how = "removal" if mode in REMOVAL_MODES else "departure"
    for state in sorted(set(_hit_states(uow.conn, decision["id"])) - {ms, decision["member_state"]}):
        _notify(
            uow,
            state,
            "departure_confirmed",
            f"{ms} confirmed the {how} on {departed_on.isoformat()} under return decision {decision['reference']} "
            f"of {decision['member_state']}, on whose alert your state recorded a hit; the return alert was "
            "deleted: the decision is no longer to be enforced.",
            decision_id=decision["id"],
        )


def _entry_ban_due(decision: dict[str, Any], relation: str, on: date,
                   departed: dict[str, Any] | None) -> dict[str, Any] | None:
    """Whether the decision is now to be accompanied by an entry ban because the obligation to
    return was not complied with (Directive 2008/115/EC Art 11(1)(b)), as its issuing state reads
    it: the decision is issued (not suspended, withdrawn or departed), no ban accompanies it, its
    period for voluntary departure ended before ``on`` and no departure of the person is recorded
    since it was issued (``departed``: :func:`_departed_already`'s). ``None`` otherwise."""
    last = decision.get("voluntary_departure_last_day")
    if (relation != "issuing" or decision["status"] != "issued" or decision.get("entry_ban_months")
            or last is None or last >= on or departed):
        return None
    return {
        "period_ended_on": last.isoformat(),
        "from": (last + timedelta(days=1)).isoformat(),
        "legal_basis": [rules.ART_11_1_B.cite()],
        "label": (f"The period for voluntary departure ended on {last.isoformat()} without a departure recorded, "
                  "and no entry ban accompanies this decision: a return decision shall be accompanied by an entry "
                  "ban if the obligation to return has not been complied with "
                  f"({rules.ART_11_1_B.cite()})"),
    }


def _asylum_appeal_basis(conn: Connection, decision: dict[str, Any]) -> str | None:
    """The article by which the decision is suspended when that is the asylum procedure's doing: the
    appeal against the negative asylum decision it was issued with is pending and suspends by itself
    (:func:`_suspension_basis`: APR Art 68(1), (2); before the Pact Directive 2013/32/EU Art 46(5)),
    or the applicant asked the court for leave to remain pending it (APR Art 68(4), (5)). ``None``:
    the suspension is the officer's, on an appeal against the return decision (Directive
    2008/115/EC Art 13(2))."""
    case_id = decision.get("asylum_case_id")
    if not case_id:
        return None
    A = asylum_applications.c
    case = conn.execute(select(A.appeal_lodged_on, A.appeal_outcome, A.suspensive_effect, A.remain_requested_on)
                        .where(A.id == case_id)).first()
    if case is None or case.appeal_lodged_on is None or case.appeal_outcome is not None:
        return None
    if case.suspensive_effect:
        return _suspension_basis(conn, case_id)
    if case.remain_requested_on is not None:
        return LegalRef.of("apr", "68", "4").cite() + ", (5)"
    return None


def _entry_ban_withheld(conn: Connection, decision: dict[str, Any], relation: str, on: date,
                        departed: dict[str, Any] | None,
                        run: vd_period.PeriodRun | None = None) -> dict[str, Any] | None:
    """Why no entry ban under Directive 2008/115/EC Art 11(1)(b) is offered on a decision whose
    period for voluntary departure ended without a departure and which has no ban, for its issuing
    state: while it is suspended (Art 13(2), :func:`pactum.returns.rules.entry_ban_withheld_reason`).
    ``None`` where :func:`_entry_ban_due` has nothing to withhold (the period runs, a ban
    accompanies it, a departure is recorded, the decision is withdrawn or departed, or the ban is due).
    ``run``: the period as its suspensions leave it (:func:`_period_runs`); one the suspension
    stopped before it ended has not ended (it does not run meanwhile): nothing is withheld."""
    last = decision.get("voluntary_departure_last_day")
    if (relation != "issuing" or decision["status"] != "suspended" or decision.get("entry_ban_months")
            or last is None or last >= on or departed or (run is not None and run.paused)):
        return None
    basis = _asylum_appeal_basis(conn, decision)
    reason = rules.entry_ban_withheld_reason(basis)
    return {
        "period_ended_on": last.isoformat(),
        "reason": reason,
        "legal_basis": [rules.ART_11_1_B.cite(), *([basis] if basis else [rules.ART_13_2.cite(),
                                                                          rules.ART_9_1_B.cite()])],
        "label": (f"The period for voluntary departure ended on {last.isoformat()} without a departure recorded, "
                  f"but no entry ban is offered while the decision is suspended: {reason}"),
    }


def _tell_hits_of_entry_ban(uow: UnitOfWork, principal: Principal, decision: dict[str, Any],
                            months: int, imposed_on: date) -> list[dict[str, Any]]:
    """Each other state with a hit on the decision's alert is told of the entry ban imposed after
    issue (Art 11(1)(b)): the issuing state writes on each hit, as supplementary information (Reg.
    (EU) 2018/1860 Art 7(2), the exchange the hit opened), and each state is notified once
    (``entry_ban_imposed``, naming its latest hit). Field (z) of the alert changed with it; before,
    a state that found the person read the new field only if it reopened the alert. Returns who was
    told (``hits_informed`` of the audit entry)."""
    ms = principal.member_state
    hits = uow.conn.execute(
        select(return_alert_hits.c.id, return_alert_hits.c.executing_member_state, return_alert_hits.c.status)
        .where(return_alert_hits.c.return_decision_id == decision["id"],
               return_alert_hits.c.executing_member_state != ms)
        .order_by(return_alert_hits.c.reported_at, return_alert_hits.c.id)
    ).all()
    told: list[dict[str, Any]] = []
    latest: dict[str, Any] = {}
    for hit in hits:
        body = rules.entry_ban_imposed_words(
            issuing_member_state=decision["member_state"], reference=decision["reference"], months=months,
            imposed_on=imposed_on, enforcing=hit.status == "recognised")
        msg_id = new_id("rhm")
        uow.conn.execute(insert(return_hit_messages).values(
            id=msg_id, hit_id=hit.id, from_member_state=ms, to_member_state=hit.executing_member_state,
            author=principal.username, body=body, sent_at=uow.now))
        told.append({"hit_id": hit.id, "executing_member_state": hit.executing_member_state, "message_id": msg_id})
        latest[hit.executing_member_state] = (hit.id, body)
    for state, (hit_id, body) in sorted(latest.items()):
        _notify(uow, state, "entry_ban_imposed", f"{ms} wrote about hit {hit_id}: {body}",
                decision_id=decision["id"], hit_id=hit_id)
    return told


def _tell_hits_of_extension(uow: UnitOfWork, principal: Principal, decision: dict[str, Any], previous: date,
                            new: date, ends_on: date | None) -> list[dict[str, Any]]:
    """Each other state with a hit on the decision's alert is told of the period's extension (Directive
    2008/115/EC Art 7(2)): the issuing state writes on each hit, as supplementary information (Reg.
    (EU) 2018/1860 Art 7(2): the exchange the hit opened, to determine the measures to take), and each
    state is notified once (``voluntary_departure_extended``, naming its latest hit). The alert's
    date of expiry (field (x)) is updated without delay (Art 3(4)) whether or not a state found the
    person; before, a state that had found the person read it only if it reopened the alert.
    Returns who was told."""
    ms = principal.member_state
    hits = uow.conn.execute(
        select(return_alert_hits.c.id, return_alert_hits.c.executing_member_state)
        .where(return_alert_hits.c.return_decision_id == decision["id"],
               return_alert_hits.c.executing_member_state != ms)
        .order_by(return_alert_hits.c.reported_at, return_alert_hits.c.id)
    ).all()
    body = vd_extension.told_words(issuing_member_state=decision["member_state"], reference=decision["reference"],
                                   previous=previous, new=new, ends_on=ends_on)
    told: list[dict[str, Any]] = []
    latest: dict[str, str] = {}
    for hit in hits:
        msg_id = new_id("rhm")
        uow.conn.execute(insert(return_hit_messages).values(
            id=msg_id, hit_id=hit.id, from_member_state=ms, to_member_state=hit.executing_member_state,
            author=principal.username, body=body, sent_at=uow.now))
        told.append({"hit_id": hit.id, "executing_member_state": hit.executing_member_state, "message_id": msg_id})
        latest[hit.executing_member_state] = hit.id
    for state, hit_id in sorted(latest.items()):
        _notify(uow, state, "voluntary_departure_extended", f"{ms} wrote about hit {hit_id}: {body}",
                decision_id=decision["id"], hit_id=hit_id)
    return told


def impose_entry_ban(
    services: Services, principal: Principal, decision_id: str, body: EntryBanImposition
) -> dict[str, Any]:
    """The issuing state's return officer imposes an entry ban on a return decision already issued,
    because the obligation to return was not complied with (Directive 2008/115/EC Art 11(1)(b)):
    its period for voluntary departure ended without a departure recorded. As a ban that went with
    the decision at issue: it runs from the actual departure (the entry-ban alert, Reg. (EU)
    2018/1861 Art 24(1)(b), is entered when the departure is confirmed), and the return alert says
    from now on that the decision is accompanied by one (Reg. (EU) 2018/1860 Art 4(1)(z)); each other
    state with a hit on the alert is written to on its hit and notified (``entry_ban_imposed``).

    Refused (422, naming the field) when the decision is not issued (suspended: its enforcement is
    suspended, Art 13(2), :func:`pactum.returns.rules.entry_ban_withheld_reason`; withdrawn,
    departed), a departure of the person is recorded since it was issued, a ban already accompanies
    it, the period still runs on ``imposed_on`` or the length is not one Art 11(2) allows; 409 on a
    stale version; 403 for another state's decision."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        conn = uow.conn
        decision, relation = _load_decision(conn, principal, decision_id)
        if relation != "issuing":
            raise Forbidden("only the issuing state imposes an entry ban on its return decision "
                            f"({rules.ART_11_1_B.cite()})")
        ban_field = "entry_ban_months" if body.entry_ban_months is not None else "entry_ban_years"
        if decision.get("entry_ban_months"):
            raise ValidationProblem.one(
                ban_field, f"the decision is already accompanied by an entry ban of "
                           f"{rules.entry_ban_length(decision['entry_ban_months'])}"
                           + (f", imposed on {decision['entry_ban_imposed_on'].isoformat()}"
                              if decision.get("entry_ban_imposed_on") else " (with the decision at issue)")
                           + ": a decision has one entry ban")
        if decision["status"] != "issued":
            why = {"suspended": f"it is suspended: {rules.entry_ban_withheld_reason(_asylum_appeal_basis(conn, decision))}",
                   "withdrawn": "it is withdrawn: there is no obligation to return under it",
                   "departed": f"the person's departure is recorded on {_iso(decision.get('departed_on'))}: the "
                               "obligation to return was complied with"}.get(
                decision["status"], f"it is {decision['status']}")
            raise ValidationProblem.one("imposed_on", f"no entry ban can be imposed on this decision: {why}")
        departed = _departed_already(conn, principal.member_state, [decision]).get(decision["id"])
        if departed:
            raise ValidationProblem.one(
                "imposed_on", f"the person's departure is recorded on {_iso(departed['departed_on'])} under return "
                              f"decision {departed['reference']}, after this decision was issued: the obligation "
                              "to return was complied with")
        if body.imposed_on > _decision_today(uow, decision):
            raise ValidationProblem.one("imposed_on", "an entry ban cannot be imposed with a date in the future")
        terms = rules.later_entry_ban(
            imposed_on=body.imposed_on,
            voluntary_departure_last_day=_period_ends(decision, _period_runs(conn, [decision])),
            entry_ban_years=body.entry_ban_years,
            entry_ban_months=body.entry_ban_months,
            serious_threat=body.serious_threat or "serious_threat" in (decision.get("grounds") or []),
        )
        values = {
            "entry_ban_years": terms.entry_ban_years,
            "entry_ban_months": terms.entry_ban_months,
            "entry_ban_imposed_on": body.imposed_on,
            "entry_ban_reasons": str(body.reasons),
            "legal_basis": list(dict.fromkeys([*(decision.get("legal_basis") or []), *terms.legal_basis])),
            "trace": _jsonable([*(decision.get("trace") or []), *terms.trace]),
        }
        update_versioned(conn, return_decisions, decision["id"], body.version, values)
        # the states that found the person are told (before, only the alert's field (z) changed)
        told = _tell_hits_of_entry_ban(uow, principal, decision, terms.entry_ban_months, body.imposed_on)
        uow.audit(principal, "returns.decision.impose_entry_ban", "return_decision", decision["id"],
                  before={k: decision.get(k) for k in ("entry_ban_years", "entry_ban_months", "entry_ban_imposed_on",
                                                        "entry_ban_reasons")},
                  after={k: values[k] for k in ("entry_ban_years", "entry_ban_months", "entry_ban_imposed_on",
                                                "entry_ban_reasons")}
                  | {"serious_threat": body.serious_threat, "legal_basis": terms.legal_basis, "hits_informed": told})
        # field (z) of the return alert: the decision is accompanied by an entry ban (as at issue)
        _change_alert(uow, principal, decision["id"], {"entry_ban": True})
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


def _extension_refused(conn: Connection, principal: Principal, decision: dict[str, Any],
                       run: vd_period.PeriodRun | None, on: date) -> str | None:
    """Why the issuing state cannot extend the decision's period on ``on``
    (:func:`pactum.returns.extension.refusal`), or ``None``."""
    departed = _departed_already(conn, principal.member_state, [decision]).get(decision["id"])
    enforced = _enforced_elsewhere(conn, principal.member_state, [decision]).get(decision["id"])
    return vd_extension.refusal(
        status=decision["status"], last_day=decision.get("voluntary_departure_last_day"),
        departed_on=decision.get("departed_on"), enforced_by=enforced["member_state"] if enforced else None,
        departed_elsewhere=(f"return decision {departed['reference']} on {_iso(departed['departed_on'])}"
                            if departed else None),
        ends_on=run.ends_on if run else None, paused=bool(run and run.paused), on=on)


def _extension_offer(conn: Connection, principal: Principal, decision: dict[str, Any],
                     run: vd_period.PeriodRun | None, on: date) -> dict[str, Any]:
    """What the decision page's form to extend the period needs, for the issuing state: whether it
    can be extended now (``refused``: why not), after which day and up to which."""
    refused = _extension_refused(conn, principal, decision, run, on)
    last = decision.get("voluntary_departure_last_day")
    latest = (vd_extension.latest_last_day(_period_starts(conn, [decision])[decision["id"]])
              if last is not None else None)
    return {"allowed": refused is None, "refused": refused, "last_day": _iso(last),
            "first_possible": _iso(last + timedelta(days=1)) if last else None, "latest": _iso(latest),
            "grounds": dict(rules.EXTENSION_GROUNDS), "legal_basis": [vd_extension.ART_7_2.cite()]}


def _extensions_public(conn: Connection, decision_id: str) -> list[dict[str, Any]]:
    """The decision's extensions, the officer's and those an amended decision on the destination kept
    (``kept_by``: its reference, else null)."""
    X, DD = return_decision_extensions, return_destination_decisions
    rows = conn.execute(select(X, DD.c.reference.label("kept_by"), DD.c.issued_on.label("kept_on"))
                        .outerjoin(DD, DD.c.id == X.c.destination_decision_id)
                        .where(X.c.return_decision_id == decision_id)
                        .order_by(X.c.created_at, X.c.id)).all()
    return [{k: _iso(v) for k, v in _row(r).items() if k != "kept_on"}
            | {"grounds_words": [rules.EXTENSION_GROUNDS.get(g, g) for g in r.grounds],
               "label": vd_extension.kept_words(reference=r.kept_by, issued_on=r.kept_on,
                                                own_last_day=r.previous_last_day, kept=r.new_last_day,
                                                grounds=list(r.grounds)) if r.kept_by else
               vd_extension.words(previous=r.previous_last_day, new=r.new_last_day, grounds=list(r.grounds))}
            for r in rows]


def _extension_in_force(conn: Connection, decision: dict[str, Any]) -> dict[str, Any] | None:
    """The decision's latest extension (Art 7(2)) when the period the decision holds is the one it
    set (its last day the decision's), else ``None`` (none, or an amended decision's own period since)."""
    X = return_decision_extensions
    last_day = decision.get("voluntary_departure_last_day")
    if last_day is None:
        return None
    return _row(conn.execute(select(X).where(X.c.return_decision_id == decision["id"], X.c.new_last_day == last_day)
                             .order_by(X.c.created_at.desc(), X.c.id.desc())).first()) or None


def extend_voluntary_departure(
    services: Services, principal: Principal, decision_id: str, body: PeriodExtension
) -> dict[str, Any]:
    """The issuing state's return officer extends the period for voluntary departure of its issued
    decision (Directive 2008/115/EC Art 7(2)): a new last day after the one the decision sets, on
    circumstances of Art 7(2), with the reasons of the case. The decision's own last day moves (a
    suspension's arithmetic then runs on it, :mod:`pactum.returns.period`), and with it all that
    follows the period's end: the removal allowed only after it (Art 8(2)), the entry ban of Art
    11(1)(b), the queue, the expiry notice and the alert's field (x) (Reg. (EU) 2018/1860 Art
    4(1)(x), audited ``returns.alert.update``; while a suspension lasts it is set when it is
    lifted). Recorded in ``return_decision_extensions``, audited
    ``returns.decision.extend_voluntary_departure``.

    Refused: 409 naming why when the decision is departed (enforced)
    or withdrawn, the person departed under another decision, no period was granted (Art 7(4)),
    another state recognised and enforces it, or the period already ended; then 422 naming the
    fields (all at once) for grounds not of Art 7(2), a new last day not after the current one or
    beyond the bound Pactum records; 409 on a stale version; 403 for another state's decision."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        conn = uow.conn
        decision, relation = _load_decision(conn, principal, decision_id)
        if relation != "issuing":
            raise Forbidden("only the issuing state extends the period for voluntary departure of its return "
                            f"decision ({vd_extension.ART_7_2.cite()})")
        today = _decision_today(uow, decision)
        run = _period_runs(conn, [decision]).get(decision["id"])
        why = _extension_refused(conn, principal, decision, run, today)
        if why:
            raise Conflict(f"the period for voluntary departure of return decision {decision['reference']} "
                           f"cannot be extended: {why}")
        previous = decision["voluntary_departure_last_day"]
        # every problem of the input at once: the circumstances and the new last day
        grounds, problems = [], []
        try:
            grounds = vd_extension.check_grounds(list(body.grounds))
        except ValidationProblem as exc:
            problems += exc.problems
        try:
            vd_extension.check_last_day(new_last_day=body.last_day, last_day=previous,
                                        starts_on=_period_starts(conn, [decision])[decision["id"]],
                                        ends_on=run.ends_on if run else None)
        except ValidationProblem as exc:
            problems += exc.problems
        if problems:
            raise ValidationProblem(problems)
        values = {"voluntary_departure_last_day": body.last_day,
                  "legal_basis": list(dict.fromkeys([*(decision.get("legal_basis") or []),
                                                     vd_extension.ART_7_2.cite()]))}
        update_versioned(conn, return_decisions, decision["id"], body.version, values)
        conn.execute(return_decision_extensions.insert().values(
            id=new_id("rdx"), return_decision_id=decision["id"], member_state=decision["member_state"],
            extended_on=today, previous_last_day=previous, new_last_day=body.last_day, grounds=grounds,
            reason=str(body.reason), extended_by=principal.username, authority=principal.authority,
            created_at=uow.now))
        after = _period_runs(conn, [{**decision, **values}]).get(decision["id"])
        # the states with a hit on the alert are told, on their hit (Reg. (EU) 2018/1860 Art 7(2))
        told = _tell_hits_of_extension(uow, principal, decision, previous, body.last_day,
                                       after.ends_on if after else None)
        uow.audit(principal, "returns.decision.extend_voluntary_departure", "return_decision", decision["id"],
                  before={"voluntary_departure_last_day": previous.isoformat(),
                          "voluntary_departure_ends_on": _iso(run.ends_on) if run else None},
                  after={"voluntary_departure_last_day": body.last_day.isoformat(),
                         "voluntary_departure_ends_on": _iso(after.ends_on) if after else None,
                         "grounds": grounds, "reason": str(body.reason),
                         "legal_basis": [vd_extension.ART_7_2.cite()], "hits_informed": told})
        # field (x) of the alert, without delay (Reg. (EU) 2018/1860 Art 3(4)): the period's last day
        # as the suspensions leave the extended one; while a suspension lasts the end is not known
        # (the period does not run), and the day the alert holds moves by the days added, as the days
        # left do, until the lifting sets it
        if after is not None and after.paused:
            _alert_moved_by(uow, principal, decision["id"], body.last_day - previous)
        else:
            _alert_period_follows(uow, principal, decision["id"])
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


def confirm_departure(
    services: Services, principal: Principal, decision_id: str, body: DepartureConfirm
) -> dict[str, Any]:
    """Departure confirmed by the issuing state or by a state that recognised the decision: the
    alert is deleted and, where an entry ban applies, an entry-ban alert starts on that day."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        decision, relation = _load_decision(uow.conn, principal, decision_id)
        _confirm_departure(
            uow,
            principal,
            decision,
            relation,
            version=body.version,
            departed_on=body.departed_on,
            mode=body.mode,
        )
        uow.commit()
    return get_decision(services, principal, decision_id, channel=None)


# --------------------------------------------------------------------------- alerts and hits


def get_alert(services: Services, principal: Principal, alert_id: str) -> dict[str, Any]:
    """The alert for its issuing state, or for a state that recorded a hit on it while the alert is
    in SIS; else 404. A deleted alert (Reg. (EU) 2018/1860 Art 14) is the issuing state's only, its
    personal data erased."""
    require(principal, *READERS)
    ms = principal.member_state
    with services.uow() as uow:
        alert = _row(uow.conn.execute(select(return_alerts).where(return_alerts.c.id == alert_id)).first())
        if not alert or ms is None:
            raise NotFound(f"return alert {alert_id} not found")
        if alert["issuing_member_state"] != ms:
            if alert["status"] != "active":
                raise NotFound(f"return alert {alert_id} not found")
            hit = uow.conn.execute(
                select(return_alert_hits.c.id).where(
                    return_alert_hits.c.alert_id == alert_id,
                    return_alert_hits.c.executing_member_state == ms,
                )
            ).first()
            if hit is None:
                raise NotFound(f"return alert {alert_id} not found")
        return {k: _iso(v) for k, v in alert.items()}


#: Identity links that say two records are of the same person (Reg. (EU) 2019/818): white or red,
#: made automatically on a match or verified by an officer.
_SAME_PERSON_COLOURS = (link_rules.WHITE, link_rules.RED)
_SAME_PERSON_STATUSES = ("verified", "automatic")


def _same_person_link(conn: Connection, person_id: str, ms: str, alert: dict[str, Any]) -> dict[str, Any] | None:
    """How same-person identity links join ``ms``'s person ``person_id`` to the person of another
    state's ``alert``: directly, or through a chain of other persons' records (IT's A linked to DE's
    B, linked to FR's C), as :func:`pactum.services.registry.same_person_network` reads it for the
    whole platform (white or red links; a green link breaks a chain). ``{"link_id": the link on the
    person's own record, "links": the chain's links, "through": the states passed through}``, or
    None when no chain reaches the alert's person."""
    if not alert.get("person_id"):
        return None
    reached = registry.same_person_network(conn, person_id, ms).get(alert["person_id"])
    if reached is None:
        return None
    return {"link_id": reached.link, "links": list(reached.links), "through": list(reached.through)}


def _confirm_match(services: Services, principal: Principal, ms: str, body: HitCreate) -> dict[str, Any]:
    """Whether the person the officer encountered (``local_person_id``) is the person of the
    alert: a white or red identity link (verified, or made automatically on a match) between one
    of the person's records and the alert's, or the identity search of the person's latest record
    returning the alert at a match probability of :data:`HIT_MATCH_PROBABILITY` or more (that
    search is made here, logged as searches are, and may make links). Returns how it was
    confirmed; ``NotFound`` when the alert is not active, is no candidate for the person, or was
    never returned; 422 on ``local_person_id`` when the match is not confirmed."""
    not_found = NotFound(f"return alert {shortened(body.alert_id)} not found")
    with services.uow() as uow:
        conn = uow.conn
        alert = _row(conn.execute(select(return_alerts).where(return_alerts.c.id == body.alert_id)).first())
        if not alert or alert["status"] != "active":
            raise not_found
        if alert["issuing_member_state"] == ms:
            raise Conflict("this alert was issued by your own state; work on the return decision instead")
        registry.check_own_person(conn, body.local_person_id, ms, "local_person_id")
        own = list(conn.execute(select(identity_records.c.id).where(
            identity_records.c.person_id == body.local_person_id)).scalars())
        if alert["identity_record_id"] is None or not own:
            raise not_found
        chain = _same_person_link(conn, body.local_person_id, ms, alert)
        if chain is not None and identity.alert_disclosed_to(conn, alert["id"], principal.authority):
            # added: the chain's links and the states it passes through (none for a direct link)
            return {"basis": "identity_link", **chain}
        latest = _latest_identity(conn, body.local_person_id)
        candidates = identity.search_candidates_for_record(uow, principal, latest["id"])
        uow.commit()  # the search made and its disclosures are logged, whatever becomes of the hit
    found = next((c for c in candidates if c.get("alert_id") == alert["id"]), None)
    if found is None:
        # the search of the person met does not return this alert: nothing to act on
        raise not_found
    made = found.get("link") or {}
    if made.get("colour") in _SAME_PERSON_COLOURS and made.get("status") in _SAME_PERSON_STATUSES:
        return {"basis": "identity_link", "link_id": made.get("id"),
                "match_probability": found["match_probability"]}
    if found["match_probability"] >= HIT_MATCH_PROBABILITY:
        return {"basis": "match_probability", "match_probability": found["match_probability"],
                "identity_record_id": latest["id"]}
    raise ValidationProblem.one(
        "local_person_id",
        f"the identity search of {shortened(body.local_person_id)} does not confirm that this is the person of "
        f"the alert (match probability {found['match_probability']:.3f}, a hit needs "
        f"{HIT_MATCH_PROBABILITY:.2f} or a verified identity link): verify the link in the identity area first "
        "(Regulation (EU) 2018/1861, Article 3(8))")


def record_hit(services: Services, principal: Principal, body: HitCreate) -> dict[str, Any]:
    """Record a hit on another state's active alert: the person the officer's state encountered
    (``local_person_id``, one of its persons) is confirmed to be the alert's person (Reg. (EU)
    2018/1861 Art 3(8); :func:`_confirm_match`). The hit opens to that state the alert and what
    enforcing the decision needs (:data:`EXECUTING_DECISION_FIELDS`), not the issuing state's
    internal record."""
    require(principal, *WRITERS)
    ms = require_member_state(principal)
    match = _confirm_match(services, principal, ms, body)
    with services.uow() as uow:
        alert = _row(
            uow.conn.execute(select(return_alerts).where(return_alerts.c.id == body.alert_id)).first()
        )
        if not alert or alert["status"] != "active":
            raise NotFound(f"return alert {shortened(body.alert_id)} not found")
        existing = uow.conn.execute(
            select(return_alert_hits.c.id).where(
                return_alert_hits.c.alert_id == body.alert_id,
                return_alert_hits.c.executing_member_state == ms,
                return_alert_hits.c.status.in_(("open", "info_requested")),
            )
        ).first()
        if existing is not None:
            hit_id = existing.id
        else:
            hit_id = new_id("rht")
            values = {
                "id": hit_id,
                "alert_id": alert["id"],
                "return_decision_id": alert["return_decision_id"],
                "issuing_member_state": alert["issuing_member_state"],
                "executing_member_state": ms,
                "local_person_id": body.local_person_id,
                "place": body.place,
                "reported_by": principal.username,
                "reported_at": uow.now,
                "status": "open",
                "version": 1,
            }
            uow.conn.execute(insert(return_alert_hits).values(**values))
            uow.audit(
                principal,
                "returns.hit.record",
                "return_alert_hit",
                hit_id,
                after={**values, "match": match},
            )
            _notify(
                uow,
                alert["issuing_member_state"],
                "hit",
                f"{ms} reported a hit on your return alert {alert['decision_reference']}"
                + (f" at {body.place}" if body.place else "")
                + ".",
                decision_id=alert["return_decision_id"],
                hit_id=hit_id,
            )
            uow.commit()
    return get_hit(services, principal, hit_id)


def _load_hit(conn: Connection, principal: Principal, hit_id: str) -> tuple[dict[str, Any], str]:
    ms = principal.member_state
    hit = _row(conn.execute(select(return_alert_hits).where(return_alert_hits.c.id == hit_id)).first())
    if not hit or ms is None:
        raise NotFound(f"hit {hit_id} not found")
    if hit["executing_member_state"] == ms:
        return hit, "executing"
    if hit["issuing_member_state"] == ms:
        return hit, "issuing"
    raise NotFound(f"hit {hit_id} not found")


def _hit_actions(principal: Principal, hit: dict[str, Any], relation: str, decision: dict[str, Any],
                 departed: dict[str, Any] | None = None) -> list[str]:
    """The hit's lifecycle actions the principal may take: the executing state's; asking for
    information is a writer's, recognising or refusing a return officer's, and only a decision
    that is ``issued`` is recognised, not one whose person already left under another decision
    after it was issued (``departed``, :func:`_departed_already`)."""
    if relation != "executing":
        return []
    may = {
        "request_information": principal.has(*WRITERS),
        "refuse_recognition": principal.has(*OFFICERS),
        "recognise": principal.has(*OFFICERS) and decision["status"] == "issued" and departed is None,
    }
    return [a for a in lifecycle.allowed("alert hit", hit["status"]) if may.get(a, False)]


def get_hit(services: Services, principal: Principal, hit_id: str) -> dict[str, Any]:
    require(principal, *READERS)
    with services.uow() as uow:
        hit, relation = _load_hit(uow.conn, principal, hit_id)
        decision, drel = _load_decision(uow.conn, principal, hit["return_decision_id"])
        out = _hit_public(hit, principal.member_state)
        out["relation"] = relation
        out["decision"] = _decision_public(uow.conn, principal, decision, drel,
                                           _decision_today(uow, decision))
        departed = out["decision"]["departure_confirmed"] if relation == "executing" else None
        out["allowed_actions"] = _hit_actions(principal, hit, relation, decision, departed)
        # what the executing state's officer is told before recognising: the person it found has
        # already left under another decision issued before theirs was complied with
        out["departure_confirmed"] = departed
        msgs = uow.conn.execute(
            select(return_hit_messages)
            .where(return_hit_messages.c.hit_id == hit_id)
            .order_by(return_hit_messages.c.sent_at)
        ).all()
        out["messages"] = [{k: _iso(v) for k, v in _row(m).items()} for m in msgs]
        return out


def send_hit_message(
    services: Services, principal: Principal, hit_id: str, body: HitMessage
) -> dict[str, Any]:
    """Supplementary information exchange between the executing and the issuing state."""
    require(principal, *WRITERS)
    with services.uow() as uow:
        hit, relation = _load_hit(uow.conn, principal, hit_id)
        ms = principal.member_state
        assert ms is not None
        other = hit["issuing_member_state"] if relation == "executing" else hit["executing_member_state"]
        if hit["status"] in ("recognised", "not_recognised") and relation == "executing":
            raise Conflict(f"the hit is already '{hit['status']}'")
        msg_id = new_id("rhm")
        uow.conn.execute(
            insert(return_hit_messages).values(
                id=msg_id,
                hit_id=hit_id,
                from_member_state=ms,
                to_member_state=other,
                author=principal.username,
                body=body.body,
                sent_at=uow.now,
            )
        )
        if relation == "executing":
            new_status = lifecycle.transition("alert hit", hit["status"], "request_information")
            update_versioned(
                uow.conn,
                return_alert_hits,
                hit_id,
                hit["version"],
                {"status": new_status},
            )
        uow.audit(
            principal,
            "returns.hit.message",
            "return_alert_hit",
            hit_id,
            after={"message_id": msg_id, "to": other, "body": body.body},
        )
        _notify(
            uow,
            other,
            "hit_message",
            f"{ms} wrote about hit {hit_id}: {body.body[:200]}",
            hit_id=hit_id,
            decision_id=hit["return_decision_id"],
        )
        uow.commit()
    return get_hit(services, principal, hit_id)


def recognise_hit(services: Services, principal: Principal, hit_id: str, body: Versioned) -> dict[str, Any]:
    """The executing state recognises the other state's return decision and will enforce it
    (Recommendation (EU) 2023/682) instead of issuing a new one."""
    return _hit_decision(services, principal, hit_id, body.version, "recognise", None)


def refuse_recognition(
    services: Services, principal: Principal, hit_id: str, body: VersionedReason
) -> dict[str, Any]:
    """The executing state records why it does not recognise the decision."""
    return _hit_decision(services, principal, hit_id, body.version, "refuse_recognition", body.reason)


def _hit_decision(
    services: Services,
    principal: Principal,
    hit_id: str,
    version: int,
    action: str,
    reason: str | None,
) -> dict[str, Any]:
    require(principal, *OFFICERS)
    with services.uow() as uow:
        hit, relation = _load_hit(uow.conn, principal, hit_id)
        if relation != "executing":
            raise Forbidden("only the state that recorded the hit decides on recognition")
        new_status = lifecycle.transition("alert hit", hit["status"], action)
        decision = _row(
            uow.conn.execute(
                select(return_decisions).where(return_decisions.c.id == hit["return_decision_id"])
            ).first()
        )
        if action == "recognise" and decision["status"] != "issued":
            raise Conflict(
                f"the return decision is '{decision['status']}' and cannot be recognised and enforced"
            )
        departed = _departed_already(uow.conn, principal.member_state, [decision]).get(decision["id"])
        if action == "recognise" and departed is not None:
            raise Conflict(
                f"{_departed_words(departed)}, after {decision['reference']} was issued on "
                f"{decision['issued_on'].isoformat()}: the obligation to return was complied with, the decision is not "
                f"to be enforced again (Regulation (EU) 2018/1860, Articles 6(1) and 14(1)); refuse recognition "
                f"giving this reason, which informs {hit['issuing_member_state']}"
            )
        values = {
            "status": new_status,
            "decision_reason": reason,
            "decided_at": uow.now,
        }
        update_versioned(uow.conn, return_alert_hits, hit_id, version, values)
        uow.audit(
            principal,
            f"returns.hit.{action}",
            "return_alert_hit",
            hit_id,
            before={"status": hit["status"]},
            after=values,
        )
        verb = "recognised and will enforce" if action == "recognise" else "did not recognise"
        taken_off = _off_operations_of_others(uow, principal, decision) if action == "recognise" else []
        _notify(
            uow,
            hit["issuing_member_state"],
            f"hit_{new_status}",
            f"{principal.member_state} {verb} your return decision {decision['reference']}"
            + (f": {reason}" if reason else ".")
            + (f" The person was taken off your return operation{'s' if len(taken_off) > 1 else ''} "
               f"{', '.join(taken_off)}, not yet flown." if taken_off else ""),
            decision_id=decision["id"],
            hit_id=hit_id,
        )
        uow.commit()
    return get_hit(services, principal, hit_id)


def _off_operations_of_others(uow: UnitOfWork, principal: Principal, decision: dict[str, Any]) -> list[str]:
    """On a recognition, the person is taken off the return operations not yet flown (planned, or
    confirmed before their planned date) on which another state, the issuing state, selected them:
    the recognising state removes them from where it found them (Commission Recommendation (EU)
    2023/682), so the issuing state's seat would fly empty, and recording the removal there is
    refused (:func:`_refuse_removal_enforced_elsewhere`). Audited ``returns.operation.remove`` with
    the obstacle's words; returns the operations' ids."""
    P, OP = return_operation_participants, return_operations
    why = enforced_elsewhere_words(principal.member_state or "", _today(uow, principal.member_state))
    ops: list[str] = []
    rows = uow.conn.execute(
        select(P, OP.c.status.label("op_status"), OP.c.planned_date, OP.c.organising_member_state.label("organiser"))
        .join(OP, OP.c.id == P.c.operation_id)
        .where(P.c.return_decision_id == decision["id"], P.c.status == "selected",
               P.c.member_state != principal.member_state, OP.c.status.in_(("planned", "confirmed")))
        .order_by(OP.c.planned_date, P.c.id)
    ).all()
    for part in rows:
        # flown or not on the clock of the state organising the operation
        if not _removal_open({"status": part.op_status, "planned_date": part.planned_date},
                             _today(uow, part.organiser)):
            continue  # flown already: whoever did not fly is recorded as not departed, with the reason
        row = {k: v for k, v in _row(part).items() if k not in ("op_status", "planned_date", "organiser")}
        _move_participant(uow, principal, part.id, row, "remove", why, "returns.operation.remove",
                          {"operation_id": part.operation_id, "return_decision_id": decision["id"]})
        ops.append(part.operation_id)
    return ops


def hits_page(
    services: Services,
    principal: Principal,
    *,
    waiting_only: bool = False,
    limit: int = LIST_PAGE_DEFAULT,
    offset: int = 0,
    channel: str | None = None,
) -> dict[str, Any]:
    """Hits my state recorded (``executing``) and hits other states recorded on my alerts
    (``issuing``), the latest reported first (then by id), ``waiting_only`` those still waiting for
    a recognition decision: ``limit`` hits (1–:data:`LIST_PAGE_MAX`) of the two together from
    ``offset``, each in its list; ``total`` counts both lists, ``totals`` each (the lists were
    returned whole). Logged as read on ``channel`` (:func:`_log_list`): the alert's person, as the
    issuing state's, on each hit whose alert still shows the name (a deleted alert's were erased),
    and on the executing state's hits the person it encountered (``local_person_id``)."""
    require(principal, *READERS)
    _check_page(limit, offset)
    ms = state_scope(principal)
    out: dict[str, Any] = {"executing": [], "issuing": [], "total": 0, "totals": {"executing": 0, "issuing": 0},
                           "limit": limit, "offset": offset}
    if ms is None:
        return out
    h = return_alert_hits
    relations = (("executing", h.c.executing_member_state), ("issuing", h.c.issuing_member_state))
    q = select(
        h,
        return_alerts.c.surnames,
        return_alerts.c.forenames,
        return_alerts.c.decision_reference,
        return_alerts.c.nationalities,
        return_alerts.c.person_id.label("alert_person_id"),
    ).join(return_alerts, return_alerts.c.id == h.c.alert_id).where(or_(*(col == ms for _, col in relations)))
    if waiting_only:
        q = q.where(h.c.status.in_(("open", "info_requested")))
    with services.uow() as uow:
        out["total"], rows = _page_of(uow.conn, q, (h.c.reported_at.desc(), h.c.id.desc()), limit, offset)
        for rel, col in relations:
            out["totals"][rel] = uow.conn.execute(
                select(func.count()).select_from(q.where(col == ms).subquery())).scalar_one()
        shown: dict[str, str] = {}
        for r in rows:
            if r.surnames or r.forenames or r.nationalities:
                shown[r.alert_person_id] = r.issuing_member_state
            if r.executing_member_state == ms and r.local_person_id:
                shown.setdefault(r.local_person_id, ms)
        _log_list(uow, principal, shown, reads.RETURN_HITS, channel,
                  criteria=reads.criteria_given(waiting="yes" if waiting_only else ""))
    for r in rows:
        hit = _row(r)
        hit.pop("alert_person_id", None)
        for rel, _col in relations:
            if hit[f"{rel}_member_state"] == ms:
                # the alert's names while it is in SIS (a deleted alert's were erased, Art 14)
                out[rel].append(_hit_public(hit, ms))
    return out


#: The most notifications one page lists.
NOTIFICATIONS_PAGE_MAX = 500


def _notification_conditions(ms: str, kind: str | None, unread: bool) -> list[Any]:
    conds = [return_notifications.c.member_state == ms]
    if kind:
        conds.append(return_notifications.c.kind == kind)
    if unread:
        conds.append(return_notifications.c.read_at.is_(None))
    return conds


def notifications_page(
    services: Services,
    principal: Principal,
    *,
    limit: int = 100,
    offset: int = 0,
    kind: str | None = None,
    unread: bool = False,
) -> dict[str, Any]:
    """One page of the state's notifications, newest first (then by id, so pages do not overlap):
    ``total`` of the selection, ``unread`` of the selection, ``by_kind`` (the state's whole count
    of each kind and how many are unread), ``limit``, ``offset``, ``notifications``. ``kind``
    (one of ``NOTIFICATION_KINDS``) and ``unread`` narrow the selection."""
    require(principal, *READERS)
    problems: list[tuple[str, str]] = []
    if not 1 <= limit <= NOTIFICATIONS_PAGE_MAX:
        problems.append(("limit", f"between 1 and {NOTIFICATIONS_PAGE_MAX}"))
    if not 0 <= offset <= STORE_INTEGER_MAX:
        problems.append(("offset", f"between 0 and {STORE_INTEGER_MAX}"))
    if kind is not None and kind not in NOTIFICATION_KINDS:
        problems.append(("kind", f"one of {', '.join(NOTIFICATION_KINDS)}"))
    if problems:
        raise ValidationProblem(problems)
    ms = state_scope(principal)
    out: dict[str, Any] = {"total": 0, "unread": 0, "limit": limit, "offset": offset, "kind": kind,
                           "unread_only": unread, "by_kind": {}, "notifications": []}
    if ms is None:
        return out
    n = return_notifications
    with services.uow() as uow:
        conds = _notification_conditions(ms, kind, unread)
        rows = uow.conn.execute(
            select(n).where(*conds).order_by(n.c.created_at.desc(), n.c.id.desc()).limit(limit).offset(offset)
        ).all()
        counts = uow.conn.execute(
            select(n.c.kind, func.count(), func.count(n.c.read_at))
            .where(n.c.member_state == ms).group_by(n.c.kind)
        ).all()
    by_kind = {k: {"total": int(t), "unread": int(t) - int(r)} for k, t, r in counts}
    chosen = [v for k, v in by_kind.items() if kind is None or k == kind]
    out["unread"] = sum(v["unread"] for v in chosen)
    out["total"] = out["unread"] if unread else sum(v["total"] for v in chosen)
    out["by_kind"] = {k: by_kind[k] for k in NOTIFICATION_KINDS if k in by_kind}
    out["notifications"] = [{k: _iso(v) for k, v in _row(r).items()} for r in rows]
    return out


def mark_notification_read(services: Services, principal: Principal, notification_id: str) -> dict[str, Any]:
    """Mark one of the state's notifications read (``read_at``); one already read stays as it was."""
    require(principal, *WRITERS)
    ms = require_member_state(principal)
    n = return_notifications
    with services.uow() as uow:
        row = _row(uow.conn.execute(select(n).where(n.c.id == notification_id)).first())
        if not row or row["member_state"] != ms:
            raise NotFound(f"notification {shortened(notification_id)} not found")
        if row["read_at"] is None:
            row["read_at"] = uow.now
            uow.conn.execute(update(n).where(n.c.id == notification_id).values(read_at=uow.now))
            uow.audit(principal, "returns.notification.read", "return_notification", notification_id,
                      before={"read_at": None}, after={"read_at": uow.now, "kind": row["kind"]})
            uow.commit()
        return {k: _iso(v) for k, v in row.items()}


def mark_notifications_read(services: Services, principal: Principal, *, kind: str | None = None) -> dict[str, Any]:
    """Mark all the state's unread notifications read (of one ``kind``, if given): ``{"marked": n}``."""
    require(principal, *WRITERS)
    ms = require_member_state(principal)
    if kind is not None and kind not in NOTIFICATION_KINDS:
        raise ValidationProblem.one("kind", f"one of {', '.join(NOTIFICATION_KINDS)}")
    n = return_notifications
    with services.uow() as uow:
        conds = _notification_conditions(ms, kind, True)
        ids = list(uow.conn.execute(select(n.c.id).where(*conds)).scalars())
        if ids:
            uow.conn.execute(update(n).where(*conds).values(read_at=uow.now))
            uow.audit(principal, "returns.notification.read_all", "return_notification", ms,
                      after={"read_at": uow.now, "kind": kind, "marked": len(ids)})
            uow.commit()
    return {"marked": len(ids), "kind": kind}


# --------------------------------------------------------------------------- queue


def _local_person(ms: str) -> ColumnElement[Any]:
    """SQL: the person of the state ``ms``'s records a ``return_decisions`` row concerns: the
    decision's person for the state's own decision, the person its officers found on the
    decision's alert (the latest hit's ``local_person_id``) for another state's; NULL without one.
    The officer opens that person's page: the issuing state's person is not theirs to read."""
    D, H = return_decisions, return_alert_hits
    found = (select(H.c.local_person_id)
             .where(H.c.return_decision_id == D.c.id, H.c.executing_member_state == ms,
                    H.c.local_person_id.is_not(None))
             .order_by(H.c.reported_at.desc(), H.c.id.desc()).limit(1).scalar_subquery())
    return sql_case((D.c.member_state == ms, D.c.person_id), else_=found)


#: The parts of a person's name the return lists read from their latest identity record.
_NAME_PARTS = ("given_names_latin", "surname_latin", "given_names", "surname")


def _with_person(rows: Any) -> Select[Any]:
    """``rows`` (a subquery with a ``local_person_id`` column) with the name parts and the date of
    birth of that person's latest identity record (``recorded_on``, then ``id``, as the asylum
    queue names the applicant), read in the same statement: one outer join on the latest record
    of each row, no query per row. :func:`_person_fields` makes the name and year of birth."""
    R, latest = identity_records, identity_records.alias("latest_record")
    newest = (select(latest.c.id).where(latest.c.person_id == rows.c.local_person_id)
              .order_by(latest.c.recorded_on.desc(), latest.c.id.desc()).limit(1).scalar_subquery())
    return (select(rows, *(R.c[n].label(f"_{n}") for n in _NAME_PARTS),
                   R.c.date_of_birth.label("_date_of_birth"))
            .select_from(rows.outerjoin(R, R.c.id == newest)))


def _person_fields(row: dict[str, Any]) -> dict[str, Any]:
    """Of a row of :func:`_with_person` (its name columns taken out of ``row``): ``person_name``,
    given names then surname, each in Latin script where recorded, else as written (``None``
    without a record or a name), ``person_born`` the year of birth (``None`` when unknown), and
    ``_names`` every recorded form of the name in lower case, which the name filter reads."""
    parts = {n: row.pop(f"_{n}", None) or None for n in _NAME_PARTS}
    born = row.pop("_date_of_birth", None) or ""
    given = parts["given_names_latin"] or parts["given_names"]
    surname = parts["surname_latin"] or parts["surname"]
    name = " ".join(x for x in (given, surname) if x) or None
    return {"person_name": name, "person_born": int(born[:4]) if born[:4].isdigit() else None,
            "_names": " ".join(v for v in parts.values() if v).casefold()}


#: The longest name the queue's filter takes: a record holds given names and a surname of at most
#: 200 characters each.
QUEUE_NAME_MAX = 401


def queue_name(value: str | None) -> list[str]:
    """The queue's name filter as the words to find (each in any recorded form of the person's
    name, in any case); none for a blank filter. A filter longer than any recorded name is refused
    naming ``name``."""
    if value is None or not value.strip():
        return []
    if len(value.strip()) > QUEUE_NAME_MAX:
        raise ValidationProblem.one("name", f"at most {QUEUE_NAME_MAX} characters (a person's given names and "
                                            f"surname); {len(value.strip())} given")
    return value.casefold().split()


def _queue_items(conn: Connection, ms: str, on: date,
                 day_of: Callable[[dict[str, Any]], date] | None = None) -> list[dict[str, Any]]:
    """The open return decisions the state ``ms`` can enforce (its own and those it recognised),
    each with its obstacles to a removal on ``on`` (``day_of``: the day for each decision instead,
    the day of the region the state's own decision was issued in) and the person it concerns in the state's
    records (``local_person_id``, ``person_name``, ``person_born``: :func:`_local_person`,
    :func:`_person_fields`; ``_names`` for the name filter); a decision whose person's departure
    was already confirmed under another decision after it was issued is left out
    (:func:`_departed_already`). ``identity_review_fields``: the fields of the state's own decision
    that its person's identity record, corrected since, now holds otherwise
    (:func:`_identity_review`)."""
    recognised = select(return_alert_hits.c.return_decision_id).where(
        return_alert_hits.c.executing_member_state == ms,
        return_alert_hits.c.status == "recognised",
    )
    open_decisions = select(return_decisions, _local_person(ms).label("local_person_id")).where(
        return_decisions.c.status.in_(("issued", "suspended")),
        or_(
            return_decisions.c.member_state == ms,
            return_decisions.c.id.in_(recognised),
        ),
    ).subquery("open_decisions")
    rows = [_row(r) for r in conn.execute(_with_person(open_decisions)).all()]
    people = {d["id"]: _person_fields(d) for d in rows}
    # the latest readmission request of each decision to its destination as it stands now (a
    # request to an earlier destination is left out of account: _readmission_status)
    latest: dict[tuple[str, str], str] = {}
    for r in conn.execute(
        select(readmission_requests.c.return_decision_id, readmission_requests.c.destination_country,
               readmission_requests.c.status).order_by(readmission_requests.c.created_at)
    ).all():
        latest[(r.return_decision_id, r.destination_country)] = r.status
    left = _departed_already(conn, ms, rows)
    young = _minors_of(conn, ms, rows, on)
    # the state's own decisions whose person's record was corrected since (another state's record
    # is not this state's to read)
    differing, needed = _needing_review(conn, [d for d in rows if d["member_state"] == ms])
    pending = _open_translations(conn, ms)
    found = _found_elsewhere(conn, ms, [d["id"] for d in rows if d["member_state"] == ms])
    # the state's own decisions another state recognised and enforces: not this state's to remove
    enforced = _enforced_elsewhere(conn, ms, [d for d in rows if d["member_state"] == ms])
    items = []
    # the article of the time to appeal: by each barred decision's asylum case's regime
    pact = _pact_cases(conn, [d.get("asylum_case_id") for d in rows if d.get("removal_barred_until")])
    # each period for voluntary departure as its decision's suspensions leave it
    runs = _period_runs(conn, [d for d in rows if d["id"] not in left])
    for d in rows:
        if d["id"] in left:
            continue
        run = runs.get(d["id"])
        facts = _facts(_as_moved(d, runs), latest.get((d["id"], d["destination_country"] or "")), d["id"] in young,
                       enforced.get(d["id"]))
        d_on = day_of(d) if day_of is not None else on
        obs = obstacles(facts, d_on)
        items.append(
            {
                "id": d["id"],
                "reference": d["reference"],
                # another state's decision, recognised: its person is that state's record, which the
                # executing state does not read (EXECUTING_DECISION_FIELDS); its own is local_person_id
                "person_id": d["person_id"] if d["member_state"] == ms else None,
                "local_person_id": d["local_person_id"],
                **people[d["id"]],
                "member_state": d["member_state"],
                "nationality": d["nationality"],
                "destination_country": d["destination_country"],
                "issued_on": d["issued_on"].isoformat(),
                "status": d["status"],
                "voluntary_departure_last_day": _iso(d["voluntary_departure_last_day"]),
                # added: the last day after the decision's suspensions (null while one lasts)
                "voluntary_departure_ends_on": _iso(run.ends_on) if run else None,
                "voluntary_departure_paused": bool(run and run.paused),
                "recognised": d["member_state"] != ms,
                "unaccompanied_minor": d["id"] in young,
                "obstacles": _obstacles_of(facts, d_on, d, pact),
                "enforceable_now": not obs,
                "identity_review_fields": differing.get(d["id"], []),
                "identity_review_needed": d["id"] in needed,
                # the state's own decisions' translations requested and not yet given (Art 12(2)):
                # something to do, not an obstacle to removal
                "open_items": pending.get(d["id"], []) if d["member_state"] == ms else [],
                # the state's own decision whose person another state found since (its latest hit):
                # the person was last seen there, which a removal from this state has to reckon with
                "found_in_other_state": found.get(d["id"]),
                "version": d["version"],
            }
        )
    return items


def _found_elsewhere(conn: Connection, ms: str, decision_ids: list[str]) -> dict[str, dict[str, Any]]:
    """For each of the state ``ms``'s own decisions ``decision_ids``, the latest hit another state
    recorded on its alert (Regulation (EU) 2018/1860, Art 6: the person was found there): that
    state, the day, the hit and its status (``recognised``: that state enforces the decision)."""
    out: dict[str, dict[str, Any]] = {}
    H = return_alert_hits.c
    for chunk in (decision_ids[i:i + 500] for i in range(0, len(decision_ids), 500)):
        for r in conn.execute(
            select(H.id, H.return_decision_id, H.executing_member_state, H.reported_at, H.status)
            .where(H.return_decision_id.in_(chunk), H.executing_member_state != ms)
            .order_by(H.reported_at, H.id)
        ).all():
            out[r.return_decision_id] = {"member_state": r.executing_member_state,
                                         "on": stored_day(r.reported_at, r.executing_member_state).isoformat(),
                                         "hit_id": r.id, "hit_status": r.status}
    return out


def _enforced_elsewhere(conn: Connection, ms: str | None,
                        decisions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """For each of the state ``ms``'s own ``decisions``, the other state that recognised it on a hit
    on its alert and so enforces it where it found the person (Commission Recommendation (EU)
    2023/682): ``member_state`` and ``on``, the day of the recognition (the latest recognition
    where more than one state recognised it). Another state's decisions are left out: the state
    that recognised one is the one enforcing it."""
    ids = [d["id"] for d in decisions if ms is not None and d["member_state"] == ms]
    out: dict[str, dict[str, Any]] = {}
    H = return_alert_hits.c
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for r in conn.execute(
            select(H.return_decision_id, H.executing_member_state, H.decided_at, H.reported_at)
            .where(H.return_decision_id.in_(chunk), H.executing_member_state != ms, H.status == "recognised")
            .order_by(H.decided_at, H.reported_at, H.id)
        ).all():
            out[r.return_decision_id] = {"member_state": r.executing_member_state,
                                         "on": _day(r.decided_at, r.executing_member_state)
                                               or _day(r.reported_at, r.executing_member_state)}
    return out


def _open_translations(conn: Connection, ms: str) -> dict[str, list[dict[str, Any]]]:
    """The state's translations requested and not yet given, as open items by return decision."""
    D = return_destination_decisions
    out: dict[str, list[dict[str, Any]]] = {}
    for r in conn.execute(
        select(_T.c.id, _T.c.return_decision_id, _T.c.requested_on, _T.c.requested_language,
               return_decisions.c.reference, D.c.reference.label("amended"))
        .join(return_decisions, return_decisions.c.id == _T.c.return_decision_id)
        .outerjoin(D, D.c.id == _T.c.destination_decision_id)
        .where(_T.c.member_state == ms, _T.c.kind == tr_rules.REQUEST, _T.c.provided_on.is_(None))
        .order_by(_T.c.requested_on, _T.c.id)
    ).all():
        out.setdefault(r.return_decision_id, []).append({
            "code": tr_rules.OPEN_ITEM, "translation_id": r.id,
            "label": tr_rules.open_item_words(r.amended or r.reference, r.requested_on,
                                              language_name(r.requested_language))})
    return out


def queue_destination(value: str | None) -> str | None:
    """A queue filter's destination as the queue groups it: a country's alpha-3 code (alpha-2
    accepted), ``unknown`` for decisions without one, or ``None`` for every destination; a value
    that is neither is refused naming ``destination``."""
    if value is None or not value.strip():
        return None
    if value.strip().lower() == "unknown":
        return "unknown"
    try:
        return country(value).alpha3
    except ValueError as exc:
        raise ValidationProblem.one("destination", f"{exc}; or 'unknown' for decisions without one") from None


def return_queue(services: Services, principal: Principal, *, destination: str | None = None,
                 ready: bool = False, name: str | None = None, channel: str | None = None) -> list[dict[str, Any]]:
    """Open return decisions my state can enforce (its own and those it recognised), grouped by
    destination, each with the obstacles to removal and the person it concerns in my state's
    records (``local_person_id``, ``person_name``, ``person_born``: the year of birth). A decision
    whose person already left under another decision (:func:`_departed_already`) is not listed.
    ``destination`` keeps one destination's group (:func:`queue_destination`), ``ready`` the
    decisions enforceable now, ``name`` those whose person's name holds every word of it, in any
    case (:func:`queue_name`). The persons listed are logged as read on ``channel``
    (:func:`_log_list`, :func:`_decision_persons`; ``None``: an internal read, not logged)."""
    require(principal, *READERS)
    problems: list[tuple[str, str]] = []
    try:
        wanted = queue_destination(destination)
    except ValidationProblem as exc:
        wanted, problems = None, [*problems, *exc.problems]
    try:
        words = queue_name(name)
    except ValidationProblem as exc:
        words, problems = [], [*problems, *exc.problems]
    if problems:
        raise ValidationProblem(problems)
    ms = state_scope(principal)
    if ms is None:
        return []
    with services.uow() as uow:
        groups: dict[str, list[dict[str, Any]]] = {}
        today = _today(uow, ms)
        # the state's own decision issued in a region with a clock of its own: that region's day
        for item in _queue_items(uow.conn, ms, today, lambda d: _decision_today(uow, d) if d["member_state"] == ms
                                 and d.get("region") else today):
            dest = item.pop("destination_country") or "unknown"
            names = item.pop("_names")
            if (wanted is not None and dest != wanted) or (ready and not item["enforceable_now"]) \
                    or not all(w in names for w in words):
                continue
            groups.setdefault(dest, []).append(item)
        _log_list(uow, principal, _decision_persons([i for g in groups.values() for i in g], ms),
                  reads.RETURN_DECISION_LIST, channel,
                  criteria=reads.criteria_given(destination=destination or "", ready="yes" if ready else "",
                                                name=name or ""))
        return [
            {
                "destination_country": dest,
                "decisions": items,
                "ready": sum(1 for i in items if i["enforceable_now"]),
            }
            for dest, items in sorted(groups.items())
        ]


#: The columns of the return queue as CSV (``GET /api/v1/returns/queue.csv``), one row per
#: decision, destinations in the queue's order.
QUEUE_CSV_COLUMNS = ("destination_country", "id", "reference", "person_id", "person_name", "person_born",
                     "member_state", "recognised", "nationality", "issued_on", "status",
                     "voluntary_departure_last_day", "voluntary_departure_ends_on", "unaccompanied_minor",
                     "enforceable_now", "obstacles", "open_items", "found_in_other_state")


def return_queue_csv(services: Services, principal: Principal, *, destination: str | None = None,
                     ready: bool = False, name: str | None = None, channel: str | None = None) -> str:
    """:func:`return_queue` (with its filters) as CSV, one row per decision with
    :data:`QUEUE_CSV_COLUMNS`: the destination repeated on each row and the obstacles to removal
    in words, separated by "; " (text made safe for spreadsheets). The file is logged as one read
    on ``channel``, as the queue is."""
    rows = [
        {**d, "destination_country": g["destination_country"],
         "obstacles": "; ".join(o["label"] for o in d["obstacles"]),
         "open_items": "; ".join(o["label"] for o in d["open_items"]),
         "found_in_other_state": (f"{d['found_in_other_state']['member_state']} on {d['found_in_other_state']['on']} "
                                  f"({d['found_in_other_state']['hit_status'].replace('_', ' ')})"
                                  if d["found_in_other_state"] else "")}
        for g in return_queue(services, principal, destination=destination, ready=ready, name=name,
                              channel=channel)
        for d in g["decisions"]
    ]
    return csv_table(QUEUE_CSV_COLUMNS, rows)


# --------------------------------------------------------------------------- readmission


def request_readmission(services: Services, principal: Principal, body: ReadmissionCreate) -> dict[str, Any]:
    require(principal, *OFFICERS)
    with services.uow() as uow:
        decision, relation = _load_decision(uow.conn, principal, body.return_decision_id)
        _can_enforce(uow.conn, principal, decision, relation)
        if not decision["destination_country"]:
            raise ValidationProblem.one("return_decision_id", NO_DESTINATION)
        if decision["status"] not in ("issued", "suspended"):
            raise Conflict(f"the return decision is '{decision['status']}'")
        if body.sent_on > _today(uow, principal.member_state):
            raise ValidationProblem.one("sent_on", "a request cannot be recorded as sent on a future date")
        if body.sent_on < decision["issued_on"]:
            raise ValidationProblem.one(
                "sent_on", f"a readmission request under this return decision cannot be sent before it was "
                           f"issued on {decision['issued_on'].isoformat()}")
        _refuse_before_destination(uow.conn, decision, "sent_on", body.sent_on, "a readmission request to it is sent")
        pending = uow.conn.execute(
            select(readmission_requests.c.id).where(
                readmission_requests.c.return_decision_id == decision["id"],
                readmission_requests.c.destination_country == decision["destination_country"],
                readmission_requests.c.status == "pending")
        ).scalars().first()
        if pending is not None:
            # one pending request per destination; one to an earlier destination does not count
            raise Conflict(f"a readmission request for this decision to {decision['destination_country']} "
                           f"is already pending ({pending})")
        rid = new_id("rrq")
        values = {
            "id": rid,
            "return_decision_id": decision["id"],
            "member_state": principal.member_state,
            "destination_country": decision["destination_country"],
            "sent_on": body.sent_on,
            "status": "pending",
            "created_at": uow.now,
        }
        uow.conn.execute(insert(readmission_requests).values(**values))
        uow.audit(
            principal,
            "returns.readmission.request",
            "readmission_request",
            rid,
            after=values,
        )
        uow.commit()
        return {k: _iso(v) for k, v in values.items()}


def answer_readmission(
    services: Services, principal: Principal, request_id: str, body: ReadmissionAnswer
) -> dict[str, Any]:
    require(principal, *OFFICERS)
    with services.uow() as uow:
        req = _row(
            uow.conn.execute(
                select(readmission_requests).where(readmission_requests.c.id == request_id)
            ).first()
        )
        if not req or req["member_state"] != principal.member_state:
            raise NotFound(f"readmission request {request_id} not found")
        if body.answered_on < req["sent_on"]:
            raise ValidationProblem.one("answered_on", "the answer cannot precede the request")
        if body.answered_on > _today(uow, req["member_state"]):
            raise ValidationProblem.one("answered_on", "an answer cannot be recorded for a future date")
        new_status = lifecycle.transition(
            "readmission request",
            req["status"],
            "accept" if body.accepted else "refuse",
        )
        values = {
            "status": new_status,
            "answered_on": body.answered_on,
            "answer_reference": body.answer_reference,
        }
        uow.conn.execute(
            update(readmission_requests).where(readmission_requests.c.id == request_id).values(**values)
        )
        decision = _row(uow.conn.execute(
            select(return_decisions.c.destination_country, return_decisions.c.status)
            .where(return_decisions.c.id == req["return_decision_id"])).first())
        if (body.accepted and decision.get("destination_country") == req["destination_country"]
                and decision.get("status") in ("issued", "suspended")):
            # the country that accepted readmission confirms the identity and the travel document for
            # a return to it only: an answer of a country that is no longer the destination changes
            # nothing for the return to the destination now set
            uow.conn.execute(
                update(return_decisions)
                .where(return_decisions.c.id == req["return_decision_id"])
                .values(travel_document=True, identity_confirmed=True)
            )
        uow.audit(
            principal,
            "returns.readmission.answer",
            "readmission_request",
            request_id,
            before={"status": req["status"]},
            after=values,
        )
        uow.commit()
        return {k: _iso(v) for k, v in {**req, **values}.items()}


# --------------------------------------------------------------------------- operations


def _operations_seen(principal: Principal) -> ColumnElement[bool]:
    """The operations the principal sees: those their state organises or takes part in, and for
    Frontex those it supports."""
    o = return_operations
    ms = principal.member_state
    seen: list[ColumnElement[bool]] = []
    if ms is not None:
        # participating_states is a JSON list of state codes: ["DE", "FR"]
        seen += [o.c.organising_member_state == ms, cast(o.c.participating_states, String).like(f'%"{ms}"%')]
    if principal.authority == "FRONTEX":
        seen.append(o.c.frontex_support.is_(True))
    return or_(*seen) if seen else false()


def _load_operation(conn: Connection, principal: Principal, op_id: str) -> dict[str, Any]:
    o = return_operations
    op = _row(conn.execute(select(o).where(o.c.id == op_id, _operations_seen(principal))).first())
    if not op:
        raise NotFound(f"return operation {op_id} not found")
    return op


#: How far ahead a return operation may be planned: a plausibility bound of the platform (a
#: mistyped year, 9999-12-31, was accepted), not a rule of law; operations are planned months ahead.
OPERATION_PLANNING_HORIZON_DAYS = 2 * 365


def plan_operation(services: Services, principal: Principal, body: OperationCreate) -> dict[str, Any]:
    require(principal, *OFFICERS)
    ms = require_member_state(principal)
    with services.uow() as uow:
        if body.planned_date < _today(uow, ms):
            raise ValidationProblem.one("planned_date", "an operation cannot be planned in the past")
        latest = _today(uow, ms) + timedelta(days=OPERATION_PLANNING_HORIZON_DAYS)
        if body.planned_date > latest:
            raise ValidationProblem.one(
                "planned_date", f"at most {OPERATION_PLANNING_HORIZON_DAYS // 365} years ahead "
                f"(by {latest.isoformat()}): the platform's planning horizon, not a rule of law")
        op_id = new_id("rop")
        values = {
            "id": op_id,
            "organising_member_state": ms,
            "destination_country": body.destination_country,
            "planned_date": body.planned_date,
            "capacity": body.capacity,
            "escorts": body.escorts,
            "participating_states": [s for s in body.participating_states if s != ms],
            "frontex_support": body.frontex_support,
            "status": "planned",
            "created_by": principal.username,
            "created_at": uow.now,
            "version": 1,
        }
        uow.conn.execute(insert(return_operations).values(**values))
        uow.audit(principal, "returns.operation.plan", "return_operation", op_id, after=values)
        uow.commit()
    return get_operation(services, principal, op_id)


def _require_operation_reader(principal: Principal) -> None:
    """Operations are read by the return authorities and by Frontex's analysts (the operations
    Frontex supports, :func:`_load_operation`); no other analyst."""
    if principal.authority == "FRONTEX" and principal.has(Role.analyst):
        return
    require(principal, *READERS)


def get_operation(services: Services, principal: Principal, op_id: str, *,
                  channel: str | None = None) -> dict[str, Any]:
    """The operation with its people on board. Logged as a read of the operation (``record_id``)
    on ``channel`` (:func:`_log_list`): the persons on board the answer names, those of the
    reader's state (another state's returnee is not named to the organiser); ``None``: an internal
    read, not logged."""
    return operation_with_candidates(services, principal, op_id, candidates=False, channel=channel)[0]


def operation_with_candidates(services: Services, principal: Principal, op_id: str, *, candidates: bool,
                              channel: str | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The operation (:func:`get_operation`) and, with ``candidates``, its candidates
    (:func:`operation_candidates`), read in one unit of work and logged as one read of the
    operation on ``channel``: the operation's page shows both."""
    _require_operation_reader(principal)
    if candidates:
        require(principal, *READERS)
    with services.uow() as uow:
        out = _operation_view(uow, principal, op_id)
        ms = principal.member_state
        found = _candidates_of(uow, ms, out) if candidates and ms is not None else []
        persons = {p["local_person_id"]: ms for p in out["participants"] if p.get("local_person_id") and ms}
        _log_list(uow, principal, {**_decision_persons(found, ms or ""), **persons}, reads.RETURN_OPERATION,
                  channel, record_id=op_id)
        return out, found


def _operation_view(uow: UnitOfWork, principal: Principal, op_id: str) -> dict[str, Any]:
    """:func:`get_operation`'s answer, read in ``uow``."""
    op = _load_operation(uow.conn, principal, op_id)
    # the person on board as the principal's state records them: only for the participants
    # that state selected (another state's returnee is in that state's records, and an EU
    # body reads no individual's data)
    ms = principal.member_state
    P = return_operation_participants
    own = (P.c.member_state == ms) if ms is not None else false()
    on_board = (
        select(
            P,
            return_decisions.c.reference,
            return_decisions.c.nationality,
            return_decisions.c.status.label("decision_status"),
            sql_case((own, _local_person(ms or "")), else_=None).label("local_person_id"),
        )
        .join(return_decisions, return_decisions.c.id == P.c.return_decision_id)
        .where(P.c.operation_id == op_id)
    ).subquery("on_board")
    parts = uow.conn.execute(_with_person(on_board).order_by(on_board.c.created_at, on_board.c.id)).all()
    out = {k: _iso(v) for k, v in op.items()}
    # confirm, cancel, complete: the organising state's return officers (operation_action);
    # complete and the outcomes only from the planned date, once the operation took place
    organiser = principal.member_state == op["organising_member_state"] and principal.has(*OFFICERS)
    flown = _today(uow, op["organising_member_state"]) >= op["planned_date"]
    out["allowed_actions"] = [a for a in lifecycle.allowed("return operation", op["status"])
                              if a != "complete" or flown] if organiser else []
    out["outcomes_open"] = op["status"] == "confirmed" and flown
    removable = _removal_open(op, _today(uow, op["organising_member_state"])) and principal.has(*OFFICERS)
    out["participants"] = []
    for p in parts:
        if ms not in (op["organising_member_state"], p.member_state) and ms is not None:
            continue
        row = _row(p)
        person = _person_fields(row)  # takes the name columns out of the row
        del person["_names"]
        out["participants"].append(
            {k: _iso(v) for k, v in row.items()} | person
            | {"removable": removable and p.status == "selected"
               and ms in (op["organising_member_state"], p.member_state),
               # a selected person whose decision no longer runs (a suspensive appeal, withdrawn)
               "obstacles": ([{"code": p.decision_status, "label": OBSTACLES[p.decision_status]}]
                             if p.status == "selected" and p.decision_status in ("suspended", "withdrawn")
                             else [])})
    out["seats_taken"] = sum(1 for p in parts if p.status in ("selected", "departed"))
    return out


def operations_page(
    services: Services, principal: Principal, *, limit: int = LIST_PAGE_DEFAULT, offset: int = 0
) -> dict[str, Any]:
    """The return operations the principal sees (:func:`_operations_seen`), by planned date (then
    by id): ``limit`` (1–:data:`LIST_PAGE_MAX`) from ``offset``, with ``total`` the number there are."""
    _require_operation_reader(principal)
    state_scope(principal)
    _check_page(limit, offset)
    o = return_operations
    with services.uow() as uow:
        total, rows = _page_of(uow.conn, select(o).where(_operations_seen(principal)),
                               (o.c.planned_date, o.c.id), limit, offset)
    return {"operations": [{k: _iso(v) for k, v in _row(r).items()} for r in rows], "total": total,
            "offset": offset, "limit": limit}


def operation_action(
    services: Services, principal: Principal, op_id: str, action: str, body: Versioned
) -> dict[str, Any]:
    """``confirm``, ``cancel`` or ``complete`` an operation (organising state only)."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        op = _load_operation(uow.conn, principal, op_id)
        if principal.member_state != op["organising_member_state"]:
            raise Forbidden("only the organising state manages the operation")
        new_status = lifecycle.transition("return operation", op["status"], action)
        if action == "complete" and _today(uow, op["organising_member_state"]) < op["planned_date"]:
            raise Conflict(
                f"the operation is planned for {op['planned_date'].isoformat()}: it is completed once it has taken "
                "place, and its departures confirmed then (Regulation (EU) 2018/1860, Articles 6(1) and 14(1))")
        if action == "complete":
            open_seats = uow.conn.execute(
                select(func.count()).where(
                    return_operation_participants.c.operation_id == op_id,
                    return_operation_participants.c.status == "selected",
                )
            ).scalar_one()
            if open_seats:
                raise Conflict(f"record the outcome for the {open_seats} selected people before completing")
        if action == "cancel":
            uow.conn.execute(
                update(return_operation_participants)
                .where(
                    return_operation_participants.c.operation_id == op_id,
                    return_operation_participants.c.status == "selected",
                )
                .values(status="removed", reason="operation cancelled")
            )
        update_versioned(uow.conn, return_operations, op_id, body.version, {"status": new_status})
        uow.audit(
            principal,
            f"returns.operation.{action}",
            "return_operation",
            op_id,
            before={"status": op["status"]},
            after={"status": new_status},
        )
        uow.commit()
    return get_operation(services, principal, op_id)


def add_participant(
    services: Services, principal: Principal, op_id: str, body: ParticipantCreate
) -> dict[str, Any]:
    """Select a person for the operation: enforceable on the operation date, identity and
    travel document confirmed, no suspensive appeal, readmission not pending or refused, fit."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        op = _load_operation(uow.conn, principal, op_id)
        if op["status"] not in ("planned", "confirmed"):
            raise Conflict(f"the operation is '{op['status']}'")
        decision, relation = _load_decision(uow.conn, principal, body.return_decision_id)
        _can_enforce(uow.conn, principal, decision, relation)
        if decision["destination_country"] != op["destination_country"]:
            raise ValidationProblem.one(
                "return_decision_id",
                f"the decision's destination is {decision['destination_country'] or 'not set'}, "
                f"the operation flies to {op['destination_country']}",
            )
        departed = _departed_already(uow.conn, principal.member_state, [decision]).get(decision["id"])
        if departed is not None:
            raise Conflict(f"not eligible: {_departed_words(departed)}, after this decision was issued")
        minor = decision["id"] in _minors_of(uow.conn, principal.member_state, [decision], op["planned_date"])
        facts = _facts(_as_moved(decision, _period_runs(uow.conn, [decision])), _readmission_status(uow.conn, decision),
                       minor, _enforced_elsewhere(uow.conn, principal.member_state, [decision]).get(decision["id"]))
        obs = _obstacles_of(facts, op["planned_date"], decision, _pact_cases(uow.conn, [decision.get("asylum_case_id")]))
        if obs:
            raise Conflict("not eligible: " + ", ".join(o["label"] for o in obs))
        taken = (
            uow.conn.execute(
                select(return_operation_participants.c.return_decision_id).where(
                    return_operation_participants.c.operation_id == op_id,
                    return_operation_participants.c.status.in_(("selected", "departed")),
                )
            )
            .scalars()
            .all()
        )
        if decision["id"] in taken:
            raise Conflict("this person is already on the operation")
        elsewhere = _selected_elsewhere(uow.conn, [decision["id"]], op_id).get(decision["id"])
        if elsewhere is not None:
            raise Conflict(
                f"this person is already selected on operation {elsewhere['id']} to "
                f"{elsewhere['destination_country']} on {_iso(elsewhere['planned_date'])}: take them off it first "
                "(one seat per person)")
        if len(taken) >= op["capacity"]:
            raise Conflict(f"the operation is full ({op['capacity']} seats)")
        pid = new_id("rpa")
        values = {
            "id": pid,
            "operation_id": op_id,
            "return_decision_id": decision["id"],
            "member_state": principal.member_state,
            "status": "selected",
            "created_at": uow.now,
        }
        uow.conn.execute(insert(return_operation_participants).values(**values))
        uow.audit(
            principal,
            "returns.operation.select",
            "return_operation_participant",
            pid,
            after=values,
        )
        uow.commit()
    return get_operation(services, principal, op_id)


def _selected_elsewhere(conn: Connection, decision_ids: list[str], op_id: str) -> dict[str, dict[str, Any]]:
    """Decision id -> the other operation (planned or confirmed) its person is selected on."""
    if not decision_ids:
        return {}
    P, OP = return_operation_participants, return_operations
    rows = conn.execute(
        select(P.c.return_decision_id, OP.c.id, OP.c.destination_country, OP.c.planned_date)
        .join(OP, OP.c.id == P.c.operation_id)
        .where(P.c.return_decision_id.in_(sorted(decision_ids)), P.c.status == "selected",
               P.c.operation_id != op_id, OP.c.status.in_(("planned", "confirmed")))
        .order_by(OP.c.planned_date)
    ).all()
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        out.setdefault(r.return_decision_id, {"id": r.id, "destination_country": r.destination_country,
                                              "planned_date": r.planned_date})
    return out


def record_participant_outcome(
    services: Services,
    principal: Principal,
    op_id: str,
    participant_id: str,
    body: ParticipantOutcome,
) -> dict[str, Any]:
    """Who actually departed on the operation; a departure confirms the return decision."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        op = _load_operation(uow.conn, principal, op_id)
        if op["status"] != "confirmed":
            raise Conflict(f"outcomes are recorded on a confirmed operation; this one is '{op['status']}'")
        part = _load_participant(uow.conn, op_id, participant_id)
        if not part or principal.member_state != part["member_state"]:
            raise NotFound(f"participant {participant_id} not found")
        today = _today(uow, op["organising_member_state"])
        planned = op["planned_date"]
        if today < planned:
            # Reg. (EU) 2018/1860 Art 6(1): a departure is confirmed once it has happened; the
            # return alert is deleted only then (Art 14(1))
            raise Conflict(
                f"the operation is planned for {planned.isoformat()}: whether a person departed is recorded once "
                "the operation has taken place (Regulation (EU) 2018/1860, Articles 6(1) and 14(1)); to take "
                "a person off the operation before, remove them from it")
        if not body.departed and not body.reason:
            raise ValidationProblem.one("reason", "say why the person did not depart")
        if not body.departed and body.departed_on is not None:
            raise ValidationProblem.one("departed_on", "give a day of departure only for a person who departed")
        departed_on = body.departed_on or planned
        if departed_on < planned:
            raise ValidationProblem.one(
                "departed_on", f"the operation was planned for {planned.isoformat()}: a departure on it cannot be "
                               "earlier")
        if departed_on > today:
            raise ValidationProblem.one("departed_on", "departure cannot be confirmed for a future date")
        decision = _row(
            uow.conn.execute(
                select(return_decisions).where(return_decisions.c.id == part["return_decision_id"])
            ).first()
        )
        if body.departed and decision["status"] != "issued":
            words = OBSTACLES.get(decision["status"], decision["status"])
            raise Conflict(
                f"return decision {decision['reference']} is {decision['status']} ({words}): the person cannot "
                "be recorded as departed on the operation under it; record that they did not depart, with the reason")
        _move_participant(uow, principal, participant_id, part, "depart" if body.departed else "not_depart",
                          body.reason, "returns.operation.outcome",
                          {"departed_on": departed_on if body.departed else None})
        if body.departed:
            relation = "issuing" if decision["member_state"] == part["member_state"] else "executing"
            _confirm_departure(
                uow,
                principal,
                decision,
                relation,
                version=decision["version"],
                departed_on=departed_on,
                mode="operation",
            )
        uow.commit()
    return get_operation(services, principal, op_id)


def _removal_open(op: dict[str, Any], today: date) -> bool:
    """A selected person may be taken off an operation while it is planned, or confirmed and not
    yet flown (from its planned date, whoever did not fly is recorded as not departed)."""
    return op["status"] == "planned" or (op["status"] == "confirmed" and today < op["planned_date"])


def remove_participant(
    services: Services,
    principal: Principal,
    op_id: str,
    participant_id: str,
    body: ParticipantRemoval,
) -> dict[str, Any]:
    """Take a selected person off an operation before it flies (a suspensive appeal lodged, the
    person absconded, a medical reason): the participant becomes ``removed`` with the reason, the
    seat is free and the decision is a candidate again. The state that selected the person or the
    organising state does it; audited."""
    require(principal, *OFFICERS)
    with services.uow() as uow:
        op = _load_operation(uow.conn, principal, op_id)
        part = _load_participant(uow.conn, op_id, participant_id)
        if not part or principal.member_state not in (part["member_state"], op["organising_member_state"]):
            raise NotFound(f"participant {shortened(participant_id)} not found")
        if not _removal_open(op, _today(uow, op["organising_member_state"])):
            if op["status"] == "confirmed":
                raise Conflict(
                    f"the operation was planned for {op['planned_date'].isoformat()}: record whether the person "
                    "departed instead")
            raise Conflict(f"the operation is '{op['status']}'")
        _move_participant(uow, principal, participant_id, part, "remove", body.reason, "returns.operation.remove",
                          {"operation_id": op_id, "return_decision_id": part["return_decision_id"]})
        uow.commit()
    return get_operation(services, principal, op_id)


def _load_participant(conn: Connection, op_id: str, participant_id: str) -> dict[str, Any]:
    """The operation's participant ``participant_id`` as a mapping (empty when there is none)."""
    return _row(conn.execute(select(return_operation_participants).where(
        return_operation_participants.c.id == participant_id,
        return_operation_participants.c.operation_id == op_id)).first())


def _move_participant(uow: UnitOfWork, principal: Principal, participant_id: str, part: dict[str, Any],
                      event: str, reason: str | None, action: str, detail: dict[str, Any]) -> str:
    """Move an operation's participant by ``event`` of its lifecycle, with the officer's reason;
    audited as ``action`` with ``detail``. Returns the new status."""
    new_status = lifecycle.transition("operation participant", part["status"], event)
    uow.conn.execute(
        update(return_operation_participants)
        .where(return_operation_participants.c.id == participant_id)
        .values(status=new_status, reason=reason)
    )
    uow.audit(principal, action, "return_operation_participant", participant_id,
              before={"status": part["status"]}, after={"status": new_status, "reason": reason, **detail})
    return new_status


def operation_candidates(services: Services, principal: Principal, op_id: str, *,
                         channel: str | None = None) -> list[dict[str, Any]]:
    """The open decisions of the principal's state to the operation's destination that are not on
    it (selected or departed), each with its obstacles to a removal on the planned date. Logged as
    a read of the operation on ``channel``, the candidates' persons as the queue logs them."""
    require(principal, *READERS)
    ms = state_scope(principal)
    if ms is None:
        return []
    with services.uow() as uow:
        op = _load_operation(uow.conn, principal, op_id)
        out = _candidates_of(uow, ms, op)
        _log_list(uow, principal, _decision_persons(out, ms), reads.RETURN_OPERATION, channel, record_id=op_id)
        return out


def _candidates_of(uow: UnitOfWork, ms: str, op: dict[str, Any]) -> list[dict[str, Any]]:
    """:func:`operation_candidates` of the operation ``op`` (as loaded, or as answered), read in ``uow``."""
    op_id = op["id"]
    planned = op["planned_date"] if isinstance(op["planned_date"], date) else date.fromisoformat(op["planned_date"])
    if op["status"] not in ("planned", "confirmed"):
        return []
    on_board = set(uow.conn.execute(
        select(return_operation_participants.c.return_decision_id).where(
            return_operation_participants.c.operation_id == op_id,
            return_operation_participants.c.status.in_(("selected", "departed")),
        )
    ).scalars())
    out = []
    today = _today(uow, ms)
    for item in _queue_items(uow.conn, ms, max(planned, today),
                             lambda d: max(planned, _decision_today(uow, d) if d["member_state"] == ms
                                           and d.get("region") else today)):
        del item["_names"]
        if item.pop("destination_country") == op["destination_country"] and item["id"] not in on_board:
            out.append(item)
    elsewhere = _selected_elsewhere(uow.conn, [i["id"] for i in out], op_id)
    for item in out:
        other = elsewhere.get(item["id"])
        # selecting it is refused (one seat per person): the candidate says where it is
        item["selected_on"] = ({k: _iso(v) for k, v in other.items()} if other is not None else None)
    return out


# --------------------------------------------------------------------------- assisted voluntary return


def open_avr(services: Services, principal: Principal, body: AvrCreate) -> dict[str, Any]:
    require(principal, *OFFICERS)
    with services.uow() as uow:
        decision, relation = _load_decision(uow.conn, principal, body.return_decision_id)
        _can_enforce(uow.conn, principal, decision, relation)
        if decision["status"] not in ("issued", "suspended"):
            raise Conflict(f"the return decision is '{decision['status']}'")
        # every problem of what was typed at once, as the other returns forms report them
        problems: list[tuple[str, str]] = []
        if not decision["destination_country"]:
            problems.append(("return_decision_id", NO_DESTINATION))
        problems += avr_rules.check_case(programme=body.programme, funding_source=body.funding_source,
                                         amount_eur=body.amount_eur, opened_on=body.opened_on,
                                         decision_issued_on=decision["issued_on"],
                                         today=_today(uow, principal.member_state))
        if not any(field == "opened_on" for field, _ in problems):
            before = _before_destination(uow.conn, decision, "opened_on", body.opened_on,
                                         "an assisted voluntary return case for it is opened")
            problems += [before] if before else []
        if problems:
            raise ValidationProblem(problems)
        _refuse_if_open(uow.conn, avr_cases, decision["id"], "opened",
                        "an assisted voluntary return case is already open for this decision")
        avr_id = new_id("avr")
        values = {
            "id": avr_id,
            "return_decision_id": decision["id"],
            "member_state": principal.member_state,
            "programme": body.programme,
            "funding_source": body.funding_source,
            "amount_eur": body.amount_eur,
            "destination_country": decision["destination_country"],
            "status": "opened",
            "opened_on": body.opened_on,
            "created_at": uow.now,
            "version": 1,
        }
        uow.conn.execute(insert(avr_cases).values(**values))
        uow.audit(principal, "returns.avr.open", "avr_case", avr_id, after=values)
        uow.commit()
        return {k: _iso(v) for k, v in values.items()} | {"amount_eur": str(body.amount_eur)}


def _load_avr(conn: Connection, principal: Principal, avr_id: str) -> dict[str, Any]:
    row = _row(conn.execute(select(avr_cases).where(avr_cases.c.id == avr_id)).first())
    if not row or row["member_state"] != principal.member_state:
        raise NotFound(f"assisted voluntary return case {avr_id} not found")
    return row


def avr_departed(services: Services, principal: Principal, avr_id: str, body: AvrDeparture) -> dict[str, Any]:
    require(principal, *OFFICERS)
    with services.uow() as uow:
        case = _load_avr(uow.conn, principal, avr_id)
        new_status = lifecycle.transition("assisted voluntary return", case["status"], "depart")
        if body.departed_on < case["opened_on"]:
            raise ValidationProblem.one(
                "departed_on", f"the departure under assisted voluntary return cannot precede the case, "
                               f"opened on {case['opened_on'].isoformat()}")
        update_versioned(
            uow.conn,
            avr_cases,
            avr_id,
            body.version,
            {"status": new_status, "departed_on": body.departed_on},
        )
        decision, relation = _load_decision(uow.conn, principal, case["return_decision_id"])
        _confirm_departure(
            uow,
            principal,
            decision,
            relation,
            version=decision["version"],
            departed_on=body.departed_on,
            mode="avr",
        )
        uow.audit(
            principal,
            "returns.avr.depart",
            "avr_case",
            avr_id,
            before={"status": case["status"]},
            after={"status": new_status, "departed_on": body.departed_on},
        )
        uow.commit()
        return {
            k: _iso(v)
            for k, v in {
                **case,
                "status": new_status,
                "departed_on": body.departed_on,
            }.items()
        } | {"amount_eur": str(case["amount_eur"])}


def avr_cancel(
    services: Services, principal: Principal, avr_id: str, body: VersionedReason
) -> dict[str, Any]:
    require(principal, *OFFICERS)
    with services.uow() as uow:
        case = _load_avr(uow.conn, principal, avr_id)
        new_status = lifecycle.transition("assisted voluntary return", case["status"], "cancel")
        update_versioned(uow.conn, avr_cases, avr_id, body.version, {"status": new_status, "status_reason": body.reason})
        uow.audit(
            principal,
            "returns.avr.cancel",
            "avr_case",
            avr_id,
            before={"status": case["status"]},
            after={"status": new_status, "reason": body.reason},
        )
        uow.commit()
        return {k: _iso(v) for k, v in {**case, "status": new_status, "status_reason": body.reason}.items()} | {
            "amount_eur": str(case["amount_eur"])
        }


def avr_page(
    services: Services, principal: Principal, *, limit: int = LIST_PAGE_DEFAULT, offset: int = 0
) -> dict[str, Any]:
    """The state's assisted voluntary return cases, the latest opened first (then by id): ``limit``
    (1–:data:`LIST_PAGE_MAX`) from ``offset``, with ``total`` the number there are; each with its
    return decision's reference (``return_decision_reference``, as the officer reads it), the
    decision's destination as it stands (``return_decision_destination``), whether the case is
    arranged for it (``matches_destination``) and why it was cancelled (``status_reason``)."""
    require(principal, *READERS)
    _check_page(limit, offset)
    ms = state_scope(principal)
    out: dict[str, Any] = {"cases": [], "total": 0, "offset": offset, "limit": limit}
    if ms is None:
        return out
    a = avr_cases
    with services.uow() as uow:
        cases = (select(a, return_decisions.c.reference.label("return_decision_reference"),
                        return_decisions.c.destination_country.label("return_decision_destination"))
                 .outerjoin(return_decisions, return_decisions.c.id == a.c.return_decision_id))
        out["total"], rows = _page_of(uow.conn, cases.where(a.c.member_state == ms),
                                      (a.c.opened_on.desc(), a.c.id.desc()), limit, offset)
    out["cases"] = [{k: _iso(v) for k, v in _row(r).items()}
                    | {"amount_eur": str(r.amount_eur),
                       "matches_destination": r.destination_country == r.return_decision_destination}
                    for r in rows]
    return out


# --------------------------------------------------------------------------- statistics


def stats_for(conn: Connection, year: int, member_state: str | None = None) -> Stats:
    """The statistics of ``year`` (:mod:`pactum.returns.stats`); of one state with ``member_state``:
    the decisions that state issued (``ordered_to_leave``) and the returns it carried out
    (``returned``: departures it confirmed, after a recognition of another state's decision too),
    the same figures as that state's rows of every state's statistics."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    d = return_decisions
    issued = select(d.c.person_id, d.c.member_state, d.c.nationality, d.c.issued_on).where(
        d.c.issued_on.between(start, end))
    departed = select(d.c.person_id, d.c.departure_member_state, d.c.nationality, d.c.departed_on).where(
        d.c.departed_on.between(start, end))
    if member_state is not None:
        issued = issued.where(d.c.member_state == member_state)
        departed = departed.where(d.c.departure_member_state == member_state)
    orders = [Order(r.person_id, r.member_state, r.nationality, r.issued_on) for r in conn.execute(issued)]
    returns = [Return(r.person_id, r.departure_member_state, r.nationality, r.departed_on)
               for r in conn.execute(departed)]
    return Stats.model_validate({"year": year, "member_state": member_state,
                                 "rows": stats_rows(year, orders, returns)})


def stats_member_state(code: str | None) -> str | None:
    """The state whose statistics are asked (``GR`` read as ``EL``), ``None`` (every state) when
    none is given; a code of no state bound by the Pact is refused naming ``member_state``."""
    if code is None or not code.strip():
        return None
    try:
        return state_code(code)
    except ValueError:
        raise ValidationProblem.one(
            "member_state", f"{shortened(code)!r} is not a state bound by the Pact: give its code, such as IT, DE "
                            "or EL") from None


def return_stats(services: Services, principal: Principal, year: int, member_state: str | None = None) -> Stats:
    """Ordered to leave, returned and return rate by state and nationality (aggregate figures
    the authorities and analysts may see, as Eurostat publishes them), of every state or of
    ``member_state`` (:func:`stats_for`)."""
    require(principal, *STATS_READERS)
    problems: list[tuple[str, str]] = []
    try:
        check_statistics_year(year)
    except ValidationProblem as exc:
        problems += exc.problems
    try:
        state = stats_member_state(member_state)
    except ValidationProblem as exc:
        problems += exc.problems
    if problems:
        raise ValidationProblem(problems)
    with services.uow() as uow:
        return stats_for(uow.conn, year, state)


@indicator("return_alerts_created", label="Return alerts created (to date)", area="returns", unit="alerts",
           period="to_date", whose="alerts {state} issued")
def _ind_alerts(conn: Connection, as_of: date, member_state: str | None) -> int:
    """Return alerts created up to the day. A state's: the alerts it issued."""
    end = datetime(as_of.year, as_of.month, as_of.day, 23, 59, 59)
    q = select(func.count()).where(return_alerts.c.created_at <= end)
    if member_state is not None:
        q = q.where(return_alerts.c.issuing_member_state == member_state)
    return int(conn.execute(q).scalar_one())


@indicator(
    "returns_effected",
    label="Returns effected: departures confirmed (to date)",
    area="returns", unit="returns", period="to_date", whose="departures {state} confirmed",
)
def _ind_returns(conn: Connection, as_of: date, member_state: str | None) -> int:
    """Departures confirmed up to the day. A state's: the returns it carried out (the state that
    confirmed the departure, ``departure_member_state``), whichever state issued the decision, as
    the return statistics count them (Eurostat migr_eirtn)."""
    q = select(func.count()).where(
        and_(
            return_decisions.c.departed_on.is_not(None),
            return_decisions.c.departed_on <= as_of,
        )
    )
    if member_state is not None:
        q = q.where(return_decisions.c.departure_member_state == member_state)
    return int(conn.execute(q).scalar_one())


# --------------------------------------------------------------------------- jobs


@job("returns.voluntary_departure_expiry")
def notify_voluntary_departure_expiry(services: Services, now: datetime) -> str:
    """Notify the issuing state when a voluntary departure period has expired (Reg. 2018/1860 Art 7(1)):
    its period ended before today on the issuing state's clock (Athens is in 2 December at 23:30 UTC
    on 1 December, Lisbon is not)."""
    # the candidates by the latest day any state's clock may show (none is a day ahead of UTC's
    # next), each then checked on its issuing state's clock
    latest = as_utc(now).date() + timedelta(days=1)
    with services.uow() as uow:
        rows = uow.conn.execute(
            select(
                return_decisions.c.id,
                return_decisions.c.member_state,
                return_decisions.c.reference,
                return_decisions.c.issued_on,
                return_decisions.c.voluntary_departure_last_day,
                # the region whose clock counts the decision's days, and the time to appeal that moves
                # the period (it does not run while the applicant may remain)
                return_decisions.c.region,
                return_decisions.c.asylum_case_id,
                return_decisions.c.removal_barred_until,
                return_decisions.c.removal_barred_basis,
            ).where(
                return_decisions.c.status == "issued",
                return_decisions.c.voluntary_departure_last_day.is_not(None),
                return_decisions.c.voluntary_departure_last_day < latest,
                return_decisions.c.expiry_notified_at.is_(None),
            )
        ).all()
        from pactum.services.auth import SYSTEM

        # a suspension moves the period's end later, never earlier: the candidates by the day the
        # decision set, then those whose period, as its suspensions left it, ended before today
        runs = _period_runs(uow.conn, [_row(r) for r in rows])
        notified = 0
        for r in rows:
            ended = _period_ends(_row(r), runs)
            # before today on the clock of the region the decision was issued in, else its state's
            if ended is None or ended >= territory.decision_day(now, r.member_state, r.region):
                continue
            notified += 1
            run = runs.get(r.id)
            moved = f" (moved from {r.voluntary_departure_last_day.isoformat()}: " \
                    f"{run.why_moved() if run else 'the period did not run while the decision was suspended'})" \
                if ended != r.voluntary_departure_last_day else ""
            _notify(
                uow,
                r.member_state,
                "voluntary_departure_expired",
                f"The voluntary departure period of return decision {r.reference} ended on "
                f"{ended.isoformat()}{moved} without a confirmed departure.",
                decision_id=r.id,
            )
            uow.conn.execute(
                update(return_decisions).where(return_decisions.c.id == r.id).values(expiry_notified_at=now)
            )
            uow.audit(
                SYSTEM,
                "returns.voluntary_departure.expired",
                "return_decision",
                r.id,
                after={"notified": r.member_state},
            )
        uow.commit()
    return f"{notified} voluntary departure periods expired; issuing states notified"
