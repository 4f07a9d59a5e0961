"""Resettlement: handlers and queries for plans, pledges and admissions (Reg. (EU) 2024/1350).

Rights and visibility:
- only the Commission's ``solidarity_coordinator`` (authority ``COM``; and the local operator)
  records plans (Art. 8) and closes them: administrators of other EU bodies get a 403;
- a Member State's ``admin`` or ``solidarity_coordinator`` pledges places for its own state while
  the plan is open; those and the state's ``caseworker`` record admissions (referral, decision,
  arrival) against the pledge;
- pledged, admitted and arrived figures by state are read by every reader (analysts, coordinators,
  administrators, auditors of any authority): the EU overview. A state's users read their own
  state's page in detail, with its cases; a state's users are refused another state's page. EU
  bodies read a state's figures and procedure clocks but not its case references.

Every write is one unit of work with an audit entry; a stale version is 409. A closed plan takes
no more pledges nor persons referred (409), nor amendments of its figures; the persons already
referred under it still get their decision and arrival, and their corrections.

The procedure's clock runs from the day the state registered the person (Art 9(3)), recorded
with the referral or later (``update_admission``); until then the case awaits registration and
is never overdue. A registration, decision or arrival recorded in error is corrected by the
state's officers with a reason (``correct_admission``); a referral that ends before a decision
is withdrawn (``withdraw_admission``); a procedure the state discontinues (Art 9(11): the person
withdrew their consent, or one of the three points of its second subparagraph) is discontinued
(``discontinue_admission``), with its ground. All are audited, and the places and overdue counts
follow.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select

from pactum.common.clock import as_utc
from pactum.common.countries import country
from pactum.common.csvrows import csv_table
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.states import MEMBER_STATES, member_state
from pactum.common.text import shortened
from pactum.registry import rules as registry_rules
from pactum.registry.local_time import local_day, local_today, start_of_local_day
from pactum.registry.model import EurodacCategory
from pactum.resettlement import history as unhcr
from pactum.resettlement import rules
from pactum.resettlement.model import (
    CATEGORIES,
    DISCONTINUED,
    NOT_BOUND,
    WITHDRAWN,
    AdmissionCorrection,
    AdmissionDiscontinuation,
    AdmissionErasure,
    AdmissionIn,
    AdmissionUpdate,
    AdmissionWithdrawal,
    PlanAmend,
    PlanClose,
    PlanIn,
    PledgeIn,
)
from pactum.services import audit, registry
from pactum.services.auth import SYSTEM, Principal, Role, require
from pactum.services.bootstrap import Services
from pactum.services.indicators import indicator
from pactum.services.uow import UnitOfWork
from pactum.store.tables.base import update_versioned
from pactum.store.tables.identity import biometric_templates as BT
from pactum.store.tables.registry import eurodac_records as EDC
from pactum.store.tables.registry import identity_records as IDR
from pactum.store.tables.resettlement import (
    resettlement_admissions as A,
)
from pactum.store.tables.resettlement import (
    resettlement_plans as P,
)
from pactum.store.tables.resettlement import (
    resettlement_pledges as PL,
)

#: Where a person referred stands, as the counts of a plan and of a state's page list them.
CASE_OUTCOMES = ("pending", "admitted", "refused", WITHDRAWN, DISCONTINUED)
READERS = (Role.solidarity_coordinator, Role.analyst, Role.admin, Role.auditor, Role.caseworker)
PLEDGERS = (Role.admin, Role.solidarity_coordinator)
CASE_OFFICERS = (Role.admin, Role.solidarity_coordinator, Role.caseworker)


# --- rights ------------------------------------------------------------------------------------


def manages_plans(p: Principal) -> bool:
    """Only the Commission records and closes the Union Resettlement and Humanitarian Admission
    Plans (Regulation (EU) 2024/1350, Art 8): its solidarity coordinator (authority ``COM``), and the
    local operator (``SYSTEM``: the CLI without ``PACTUM_CLI_USER``, the demo world's build). An
    administrator of another EU body (eu-LISA, Frontex, EUAA) runs the platform, not the plans."""
    return (p.authority == "COM" and p.has(Role.solidarity_coordinator)) or p == SYSTEM


def may_pledge(p: Principal, state: str) -> bool:
    return p.member_state == state and p.has(*PLEDGERS)


def may_record_cases(p: Principal, state: str) -> bool:
    return p.member_state == state and p.has(*CASE_OFFICERS)


#: The fields of a case that record the transmission to Eurodac (Art 9(24)).
EURODAC_FIELDS = ("eurodac_transmitted_on", "eurodac_under_six", "eurodac_compared_on",
                  "eurodac_comparison_not_needed")


def may_transmit_to_eurodac(p: Principal, state: str) -> bool:
    """Whether ``p`` records ``state``'s transmissions to Eurodac (Art 9(24) of Regulation (EU)
    2024/1350, Art 18(2) of Regulation (EU) 2024/1358): those who write the state's registry
    records (``services.registry.WRITE_ROLES``: its caseworkers), since the transmission of a person
    the registry holds is the registry's Eurodac record of the person. The state's administrator and
    solidarity coordinator record the rest of a case."""
    return p.member_state == state and p.has(*registry.WRITE_ROLES)


#: The fields of the transmission for comparison before the conclusion (Regulation (EU) 2024/1358,
#: Article 18(1)): compared under Article 27(2), never recorded in Eurodac (Article 29(2)).
_COMPARISON_FIELDS = frozenset({"eurodac_compared_on", "eurodac_comparison_not_needed"})


def _require_transmitter(p: Principal, state: str, *, comparison_only: bool = False) -> None:
    """403 naming why, for a user of ``state`` who may record its cases but not its transmissions
    to Eurodac (:func:`may_transmit_to_eurodac`). ``comparison_only``: the change concerns only the
    transmission for comparison of Article 18(1), which writes no Eurodac record, and the refusal
    says so (it cited Article 18(2) and the registry's records for it too)."""
    if may_transmit_to_eurodac(p, state):
        return
    held = ", ".join(sorted(r.value for r in p.roles)) or "none"
    needed = ", ".join(r.value for r in registry.WRITE_ROLES)
    if comparison_only:
        raise Forbidden(f"the transmission to Eurodac for comparison is recorded by {state}'s {needed}s, who take "
                        "and transmit the biometric data (Regulation (EU) 2024/1358, Article 18(1); compared under "
                        f"Article 27(2), not recorded in Eurodac, Article 29(2)): it needs the role {needed}; "
                        f"{p.username} holds {held}")
    raise Forbidden(f"the transmission to Eurodac is recorded by {state}'s {needed}s, who write the registry's "
                    "Eurodac records (Regulation (EU) 2024/1358, Article 18(2); rectified by the state of origin, "
                    f"Article 40(3)): it needs the role {needed}; {p.username} holds {held}")


def _comparison_only(changes: dict[str, Any]) -> bool:
    """Whether the Eurodac fields of ``changes`` are only those of the transmission for comparison."""
    return not ({"eurodac_transmitted_on", "eurodac_under_six"} & set(changes)) and bool(_COMPARISON_FIELDS & set(changes))


def _eurodac_changed(row: Any, changes: dict[str, Any]) -> bool:
    """Whether ``changes`` (the fields given) change the transmission to Eurodac recorded on ``row``
    (a blank "under six" reads as not under six)."""
    return (("eurodac_transmitted_on" in changes and changes["eurodac_transmitted_on"] != row.eurodac_transmitted_on)
            or ("eurodac_under_six" in changes and bool(changes["eurodac_under_six"]) != bool(row.eurodac_under_six))
            or ("eurodac_compared_on" in changes and changes["eurodac_compared_on"] != row.eurodac_compared_on)
            or ("eurodac_comparison_not_needed" in changes
                and bool(changes["eurodac_comparison_not_needed"]) != bool(row.eurodac_comparison_not_needed)))


def _require_reader(p: Principal) -> None:
    require(p, *READERS)


def may_read_state(p: Principal, state: str) -> bool:
    """Whether ``p`` may open ``state``'s resettlement page: a reader of its own state, or of an EU
    body, which reads every state's (the rule :func:`_readable_state` refuses others by, 403). The
    plan page links a state's page only where this holds."""
    return p.has(*READERS) and (p.member_state is None or p.member_state == state)


def _state(code: str, field: str = "member_state") -> str:
    try:
        return member_state(code)
    except ValueError as exc:
        raise ValidationProblem.one(field, str(exc)) from None


def _acting_for(p: Principal, code: str | None) -> None:
    """A state's page posts its forms to an address that names the state: a user of another
    state is refused there (403), as on the API and the CLI, whatever the form holds."""
    if code is None:
        return
    try:
        ms = member_state(code)
    except ValueError:
        raise NotFound(f"no state {shortened(code, 10)!r}") from None
    if p.member_state is None:
        raise Forbidden("a state's caseworker, administrator or solidarity coordinator records its admissions")
    if p.member_state != ms:
        raise Forbidden(f"users of {p.member_state} record {p.member_state}'s admissions only")


def _readable_state(p: Principal, code: str) -> str:
    """The state whose page ``p`` asks for: unknown codes are 404, another state's page 403."""
    _require_reader(p)
    try:
        ms = member_state(code)
    except ValueError:
        raise NotFound(f"no state {shortened(code, 10)!r}") from None
    if not may_read_state(p, ms):
        raise Forbidden(f"users of {p.member_state} see {p.member_state}'s resettlement page only")
    return ms


# --- rows as answers ---------------------------------------------------------------------------


def _facts(row: Any) -> rules.PlanFacts:
    return rules.PlanFacts(key=row.key, kind=row.kind, first_year=row.first_year, last_year=row.last_year,
                           total_places=row.total_places, split={c: getattr(row, c) for c in CATEGORIES},
                           first_asylum_countries=tuple(row.first_asylum_countries or ()), status=row.status)


def _plan_dict(row: Any) -> dict[str, Any]:
    f = _facts(row)
    return {"key": row.key, "kind": row.kind, "title": row.title, "first_year": row.first_year,
            "last_year": row.last_year, "starts_on": f.starts_on, "ends_on": f.ends_on,
            "council_act_reference": row.council_act_reference, "council_act_date": row.council_act_date,
            "total_places": row.total_places, "split": dict(f.split), "places_by_category": f.places,
            "first_asylum_countries": list(row.first_asylum_countries or []), "regions": list(row.regions or []),
            "announced_states": row.announced_states, "source": row.source, "status": row.status,
            "closed_on": row.closed_on, "version": row.version}


def _pledge_dict(row: Any) -> dict[str, Any]:
    return {"member_state": row.member_state, "lines": list(row.lines),
            "by_category": {c: getattr(row, c) for c in CATEGORIES},
            "total": sum(getattr(row, c) for c in CATEGORIES),
            "updated_at": as_utc(row.updated_at) if row.updated_at else None,  # UTC, with its zone
            "updated_by": row.updated_by, "version": row.version}


#: The registry's Eurodac category of the data of Art 18(2) of Regulation (EU) 2024/1358 (persons
#: registered for an admission procedure under the Union Framework: Art 19, Art 29(3), (4)).
UNION_RESETTLEMENT = EurodacCategory.union_resettlement.value


def registry_records(conn: Connection, member_state: str, person_ids: Any) -> dict[str, list[dict[str, Any]]]:
    """The registry's Eurodac records of category ``union_resettlement`` of ``member_state``'s persons
    ``person_ids``, the earliest first (an erased one too, while it still names its identity record: the
    transmission happened): ``{person_id: [{"id", "identity_record_id", "person_id", "transmitted_on"
    (the local day of its registration in Eurodac), "kept_until", "erased"}, …]}``. Such a record made
    for a case's person on or after the case's decision is the case's transmission (:func:`_record_of`)."""
    wanted = sorted({p for p in person_ids if p})
    if not wanted:
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    for r in conn.execute(
            select(EDC.c.id, EDC.c.identity_record_id, EDC.c.registered_at, EDC.c.retention_until,
                   EDC.c.erased_at, IDR.c.person_id)
            .join(IDR, IDR.c.id == EDC.c.identity_record_id)
            .where(IDR.c.person_id.in_(wanted), IDR.c.member_state == member_state,
                   EDC.c.member_state == member_state, EDC.c.category == UNION_RESETTLEMENT)
            .order_by(EDC.c.registered_at, EDC.c.id)):
        out.setdefault(r.person_id, []).append({
            "id": r.id, "identity_record_id": r.identity_record_id, "person_id": r.person_id,
            "transmitted_on": local_day(as_utc(r.registered_at), member_state),
            "kept_until": r.retention_until, "erased": r.erased_at is not None})
    held = [x["identity_record_id"] for recs in out.values() for x in recs]
    counts: dict[str, tuple[int, Any]] = {
        r[0]: (int(r[1]), r[2]) for r in conn.execute(
            select(BT.c.identity_record_id, func.count(), func.max(BT.c.created_at))
            .where(BT.c.identity_record_id.in_(held)).group_by(BT.c.identity_record_id))} if held else {}
    for recs in out.values():
        for x in recs:  # the biometric templates the record holds (Art 18(2): the biometric data)
            n, taken = counts.get(x["identity_record_id"], (0, None))
            x["biometric_templates"] = n
            # when they were taken (Reg. 2024/1358 Art 19(1)(l)): each copy keeps its original's moment
            x["biometrics_taken_at"] = as_utc(taken) if taken is not None else None
    return out


def _record_of(row: Any, records: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    """The registry's ``union_resettlement`` record that is the transmission of the case ``row``'s
    decision of Art 18(2): the earliest of its person's ``records`` made on or after the day of that
    decision (one made before transmitted an earlier decision: the data of Art 19(1)(o) to (q) carry
    the decision's day); None for a case with no such decision."""
    trigger = rules.eurodac_trigger(row.decision, row.decided_on, row.refusal_ground, row.discontinuation_ground,
                                    row.status_granted, row.status_decided_on)
    if trigger is None or not records:
        return None
    return next((r for r in records if r["transmitted_on"] >= trigger[1]), None)


def _registry_of(conn: Connection, rows: Any) -> dict[str, dict[str, Any]]:
    """The registry record that is the transmission of each of the cases ``rows`` (of any states) whose
    person the registry holds (:func:`_record_of`), by the case's id."""
    rows = list(rows)
    by_state: dict[str, set[str]] = {}
    for r in rows:
        if r.person_id:
            by_state.setdefault(r.member_state, set()).add(r.person_id)
    found = {(ms, pid): recs for ms, ids in by_state.items() for pid, recs in registry_records(conn, ms, ids).items()}
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        rec = _record_of(r, found.get((r.member_state, r.person_id))) if r.person_id else None
        if rec is not None:
            out[r.id] = rec
    return out


def _case_out(conn: Connection, row: Any, kind: str, today: date) -> dict[str, Any]:
    """One case as read, with the registry's Eurodac record that is its transmission (:func:`_record_of`)."""
    return _case_dict(row, kind, today, _registry_of(conn, [row]).get(row.id))


def _record_in_registry(uow: UnitOfWork, principal: Principal, row: Any, kind: str,
                        templates: list[tuple[int, bytes]]) -> dict[str, Any] | None:
    """Write the transmission to Eurodac recorded on the case ``row`` (as it now stands) as the
    registry's Eurodac record of the person, inside the caller's unit of work: the data of Art 19(1)
    of Regulation (EU) 2024/1358 recorded under Art 18(2) (Art 9(24) of Regulation (EU) 2024/1350).

    Nothing is written for a case that names no registry person (the officer's statement is all
    the platform holds), a person under six or a case without a transmission. A ``union_resettlement``
    record of the person made on or after the case's decision is the transmission (returned, nothing
    written: :func:`_record_of`). Otherwise the
    record is a new identity record of the person, a copy of their latest one with category
    ``union_resettlement`` and the day of the transmission, with its Eurodac record kept from that
    day for Art 29(3) (status granted: five years) or 29(4) (refusal, discontinuation: three years)
    and its search key, and the person's latest biometric templates of the state (Art 18(2): the
    biometric data; :func:`pactum.services.registry.copy_latest_templates`, appended to ``templates``
    for the caller to index once committed), so that from the commit the comparison of another
    state's applicant, irregular crosser, illegally staying or disembarked person reaches it, by
    name and by fingerprints (Art 27(1)); the data transmitted under Art 18 are themselves compared
    with nothing (Art 27(1)). Written only by those who write the state's registry records (403
    otherwise, :func:`may_transmit_to_eurodac`). Audited (``eurodac.recorded``)."""
    sent, pid, ms = row.eurodac_transmitted_on, row.person_id, row.member_state
    if pid is None or sent is None or row.eurodac_under_six:
        return None
    conn = uow.conn
    existing = _record_of(row, registry_records(conn, ms, [pid]).get(pid))
    if existing is not None:
        return existing
    trigger = rules.eurodac_trigger(row.decision, row.decided_on, row.refusal_ground, row.discontinuation_ground,
                                    row.status_granted, row.status_decided_on)
    kept = rules.eurodac_retention(trigger[0], sent, ms) if kind == "union_plan" and trigger else None
    if trigger is None or kept is None:  # no transmission of Art 18(2) (refused before by the rules)
        return None
    latest = registry.latest_identity_record(conn, pid, ms)
    if latest is None:
        return None
    # Art 18(2): the biometric data of a person of at least six; the registry's date of birth decides
    # whether the person is (an uncertain age counts as under six, Art 14(1))
    needed = registry_rules.biometrics_required(latest["date_of_birth"], trigger[1])
    if not needed.required:
        raise ValidationProblem.one("eurodac_transmitted_on", (
            f"the registry's record of {pid} gives the date of birth {latest['date_of_birth']}: under "
            f"{needed.minimum_age} on {trigger[1].isoformat()}, the day of the decision, or not shown to be "
            f"at least {needed.minimum_age} ({'; '.join(needed.legal_basis)}): no biometric data are taken, "
            "record that the person is under six"))
    _require_transmitter(principal, ms)
    now = uow.now
    registered_at = now if sent == local_today(now, ms) else start_of_local_day(sent, ms)
    record_id, written = registry.copy_to_eurodac(conn, latest, category=UNION_RESETTLEMENT, recorded_on=sent,
                                                  registered_at=registered_at, retention_until=kept[0],
                                                  created_at=now)
    copied = registry.copy_latest_templates(conn, pid, ms, record_id, created_at=now)
    templates += copied.index
    eurodac_id = written["id"]
    clock = rules.eurodac_clock(kind, trigger, sent, False, sent, ms)
    uow.audit(principal, "eurodac.recorded", "eurodac_record", eurodac_id,
              after={"category": UNION_RESETTLEMENT, "member_state": ms, "person_id": pid,
                     "identity_record_id": record_id, "copied_from": latest["id"], "transmitted_on": sent,
                     "biometric_templates": len(copied), "biometrics": copied.capture,
                     "retention_until": kept[0], "resettlement_admission_id": row.id,
                     "decision": trigger[0], "decision_on": trigger[1],
                     "legal_basis": [clock.basis, kept[1]]})
    return {"id": eurodac_id, "identity_record_id": record_id, "person_id": pid, "transmitted_on": sent,
            "kept_until": kept[0], "erased": False, "biometric_templates": len(copied),
            "biometrics_taken_at": copied.capture["taken_at"] if copied.capture else None}


#: The rectification of the data a state transmitted to Eurodac (only the state of origin amends them).
RECTIFICATION_BASIS = "Regulation (EU) 2024/1358, Article 40(3)"


def _rectify_in_registry(uow: UnitOfWork, principal: Principal, before: Any, after: Any, kind: str,
                         reason: str) -> dict[str, Any] | None:
    """Move the registry's ``union_resettlement`` record that is the transmission of the case
    ``before`` (as it stood) to the corrected day of ``after``, inside the caller's unit of work.

    The state that corrects the day is the state that transmitted the data, the Member State of
    origin, which alone amends the data it transmitted to Eurodac, by rectifying them (Art 40(3) of
    Regulation (EU) 2024/1358; Art 40(5): data found inaccurate are the state of origin's to amend
    without delay): the record's day (its identity record's ``recorded_on``, the moment of its
    registration in Eurodac) becomes the corrected day, and its retention is counted again from it
    (Art 29(3): five years after a status, Art 29(4): three after a refusal or discontinuation, as the
    case's decision now stands). Audited (``eurodac.rectified``, with the case, the reason and the
    articles).

    The same when the day stays and the correction of the decision changes the storage period (a
    status granted, five years, corrected to a refusal under Art 6(1)(f), three years: Art 29(3), (4)):
    the retention is counted again from the day.

    Nothing is moved when the case names no registry person (or another one than before), the day
    is cleared or "under six" recorded instead (the case reads the record's day again), the corrected
    case has no decision of Art 18(2) left (the record stays as transmitted),
    the record is not the case's transmission as recorded (its day is not the day the case recorded:
    a record made otherwise keeps its day) or its data were erased (nothing is left to rectify)."""
    old_day, new_day, pid, ms = before.eurodac_transmitted_on, after.eurodac_transmitted_on, after.person_id, after.member_state
    if pid is None or before.person_id != pid or old_day is None or new_day is None:
        return None
    record = _record_of(before, registry_records(uow.conn, ms, [pid]).get(pid))
    if record is None or record["erased"] or record["transmitted_on"] != old_day:
        return None
    trigger = rules.eurodac_trigger(after.decision, after.decided_on, after.refusal_ground,
                                    after.discontinuation_ground, after.status_granted, after.status_decided_on)
    kept = rules.eurodac_retention(trigger[0], new_day, ms) if kind == "union_plan" and trigger else None
    if trigger is None or kept is None:  # no transmission of Art 18(2) (a day is refused then by the rules)
        return None
    if new_day == old_day and kept[0] == record["kept_until"]:
        return None  # neither the day nor the storage period changes
    _require_transmitter(principal, ms)
    now = uow.now
    conn = uow.conn
    prior = conn.execute(select(EDC.c.registered_at, EDC.c.retention_until)
                         .where(EDC.c.id == record["id"])).one()
    # the moment of the registration moves only with the day (the decision corrected, the period with it)
    registered_at = (prior.registered_at if new_day == old_day
                     else now if new_day == local_today(now, ms) else start_of_local_day(new_day, ms))
    conn.execute(EDC.update().where(EDC.c.id == record["id"]).values(registered_at=registered_at,
                                                                     retention_until=kept[0]))
    conn.execute(IDR.update().where(IDR.c.id == record["identity_record_id"])
                 .values(recorded_on=new_day, version=IDR.c.version + 1))
    uow.audit(principal, "eurodac.rectified", "eurodac_record", record["id"],
              before={"transmitted_on": old_day, "registered_at": prior.registered_at,
                      "retention_until": prior.retention_until},
              after={"transmitted_on": new_day, "registered_at": registered_at, "retention_until": kept[0],
                     "identity_record_id": record["identity_record_id"], "person_id": pid,
                     "resettlement_admission_id": after.id, "reason": reason,
                     "legal_basis": [RECTIFICATION_BASIS, kept[1]]})
    return {**record, "transmitted_on": new_day, "kept_until": kept[0]}


def _case_dict(row: Any, kind: str, today: date, record: dict[str, Any] | None = None) -> dict[str, Any]:
    """A person referred as read. A referral withdrawn reads ``decision`` "withdrawn" with
    ``withdrawn_on`` and ``withdrawal_reason`` (stored as the decision's date and reason); a
    procedure discontinued (Art 9(11)) reads ``decision`` "discontinued" with ``discontinued_on``,
    ``discontinuation_ground`` (its citation and whether the state had to), ``discontinuation_reason``
    and ``data_retention`` (Art 9(12)); after a positive conclusion, ``positive_conclusion_on`` (kept
    when the person withdrew their consent before entering), ``status_granted`` with its
    ``status_decided_on`` and ``status_basis`` (Art 9(15)-(18)) and ``transfer`` (the twelve months
    of Art 9(20)); ``unhcr_basis`` (Art 9(11) or 9(13), where the text asks whether UNHCR was given
    the reason), ``unhcr_informed`` and ``unhcr_informed_on``; ``eurodac`` (the transmission to Eurodac
    within 72 hours of a decision of Art 18(2) of Regulation (EU) 2024/1358, Art 9(24)) with
    ``eurodac_transmitted_on`` and ``eurodac_under_six`` as recorded; ``person_id`` (the registry's
    person, when the case names one), ``eurodac_record`` (``record``: the registry's Eurodac record of
    the person, :func:`registry_records`, which other states' comparisons reach; its day is the
    transmission's when the officer recorded none) and ``eurodac_source``: ``registry`` (that record),
    ``statement`` (the officer's statement of the day, or that the person is under six, with no
    registry record: the person is not registered on the platform, or the person is under six) or
    null (nothing recorded)."""
    sent = row.eurodac_transmitted_on or (record["transmitted_on"] if record else None)
    source = ("registry" if record is not None else
              "statement" if row.eurodac_transmitted_on is not None or row.eurodac_under_six else None)
    withdrawn = row.decision == WITHDRAWN
    discontinued = row.decision == DISCONTINUED
    ended = withdrawn or discontinued
    # a procedure discontinued after its positive conclusion was concluded: its clock reads the conclusion
    after_conclusion = discontinued and row.concluded_on is not None
    clock = rules.procedure_clock(kind, row.procedure, row.referred_on,
                                  row.concluded_on if after_conclusion else row.decided_on, row.member_state, today,
                                  registered_on=row.registered_on, withdrawn=withdrawn, extended_on=row.extended_on,
                                  discontinued=discontinued and not after_conclusion)
    status = rules.STATUSES.get(row.status_granted or "")
    ground = rules.DISCONTINUATION_GROUNDS.get(row.discontinuation_ground or "") if discontinued else None
    return {"id": row.id, "member_state": row.member_state, "case_reference": row.case_reference,
            "nationality": row.nationality, "first_asylum": row.first_asylum, "category": row.category,
            "procedure": row.procedure, "referred_on": row.referred_on, "registered_on": row.registered_on,
            "decision": row.decision,
            "decided_on": None if ended else row.decided_on, "refusal_ground": row.refusal_ground,
            **_refusal_basis(row.refusal_ground), "refusal_reason": None if ended else row.refusal_reason,
            "withdrawn_on": row.decided_on if withdrawn else None,
            "withdrawal_reason": row.refusal_reason if withdrawn else None,
            "discontinued_on": row.decided_on if discontinued else None,
            "discontinuation_ground": row.discontinuation_ground if discontinued else None,
            "discontinuation_basis": f"{ground.basis.instrument}, {ground.where()}" if ground else None,
            "discontinuation_mandatory": ground.mandatory if ground else None,
            "discontinuation_reason": row.refusal_reason if discontinued else None,
            "data_retention": rules.data_retention(row.discontinuation_ground, row.decided_on) if discontinued
            else None,
            "arrived_on": row.arrived_on, "extended_on": row.extended_on, "extension_reason": row.extension_reason,
            "positive_conclusion_on": row.decided_on if row.decision == "admitted" else row.concluded_on,
            "status_granted": row.status_granted, "status_decided_on": row.status_decided_on,
            "status_basis": status.cite(row.category) if status else None,
            "transfer": rules.transfer_clock(kind, row.category, row.decision, row.decided_on, row.arrived_on,
                                             row.member_state, today).to_dict(),
            "unhcr_basis": rules.UNHCR_BASIS.get(str(row.decision)) if kind == "union_plan" else None,
            "unhcr_informed": row.unhcr_informed, "unhcr_informed_on": row.unhcr_informed_on,
            "eurodac_transmitted_on": sent, "eurodac_under_six": row.eurodac_under_six,
            "eurodac": rules.eurodac_clock(kind, rules.eurodac_trigger(
                row.decision, row.decided_on, row.refusal_ground, row.discontinuation_ground, row.status_granted,
                row.status_decided_on), sent, row.eurodac_under_six, today,
                row.member_state).to_dict(),
            "eurodac_compared_on": row.eurodac_compared_on,
            "eurodac_comparison_not_needed": row.eurodac_comparison_not_needed,
            "eurodac_comparison": rules.eurodac_comparison_clock(kind, rules.CaseFacts(
                **{k: getattr(row, k) for k in CASE_FACTS}), today).to_dict(),
            "person_id": row.person_id, "eurodac_record": record, "eurodac_source": source,
            "clock": clock.to_dict(), "version": row.version}


def _refusal_basis(code: str | None) -> dict[str, Any]:
    """The point of Art 6 a refusal's ground cites and whether it is one the state *must* refuse on
    (Art 6(1)) or *may* (Art 6(2)); ``None`` for ``other`` (stated in the reason)."""
    ground = rules.REFUSAL_GROUNDS.get(code) if code else None
    return {"refusal_basis": ground.basis.cite() if ground and ground.basis else None,
            "refusal_mandatory": ground.mandatory if ground else None}


def refusal_grounds(services: Services, principal: Principal) -> list[dict[str, Any]]:
    """The grounds of refusal a state records, in the order of Art 6, with their citation, their
    words (the law tree's periods on today's date) and whether refusal on them is mandatory."""
    _require_reader(principal)
    today = services.clock.now().date()
    return [g.to_dict(today) for g in rules.REFUSAL_GROUNDS.values()]


def _plan_row(conn: Connection, key: str) -> Any:
    row = conn.execute(select(P).where(P.c.key == key)).first()
    if row is None:
        raise NotFound(f"no resettlement plan {shortened(key, 20)!r}")
    return row


def _open_plan(conn: Connection, key: str, what: str = "pledges nor persons referred") -> Any:
    row = _plan_row(conn, key)
    if row.status != "open":
        raise Conflict(f"the plan {row.key} is closed (on {row.closed_on}): it takes no more {what}; the persons "
                       "already referred under it still get their decision and arrival")
    return row


def _stale(what: str, current: int, read: int | None) -> None:
    """409 when the record changed since the version ``read`` (whoever changed it)."""
    if read != current:
        raise Conflict(f"{what} has changed since it was read (now version {current}): reload it and apply "
                       "your change again")


def _counts(conn: Connection, plan_id: str, state: str | None = None, *, exclude: str | None = None
            ) -> tuple[dict[str, Counter[tuple[str, str | None]]], dict[str, Counter[tuple[str, str | None]]]]:
    """Persons admitted and arrived under a plan: state -> (category, first asylum) -> persons."""
    q = (select(A.c.member_state, A.c.category, A.c.first_asylum,
                func.count().label("admitted"), func.count(A.c.arrived_on).label("arrived"))
         .where(A.c.plan_id == plan_id, A.c.decision == "admitted")
         .group_by(A.c.member_state, A.c.category, A.c.first_asylum))
    if state is not None:
        q = q.where(A.c.member_state == state)
    if exclude is not None:
        q = q.where(A.c.id != exclude)
    admitted: dict[str, Counter[tuple[str, str | None]]] = {}
    arrived: dict[str, Counter[tuple[str, str | None]]] = {}
    for r in conn.execute(q):
        admitted.setdefault(r.member_state, Counter())[(r.category, r.first_asylum)] += r.admitted
        if r.arrived:
            arrived.setdefault(r.member_state, Counter())[(r.category, r.first_asylum)] += r.arrived
    return admitted, arrived


def _pledges(conn: Connection, plan_id: str) -> dict[str, Any]:
    return {r.member_state: r for r in conn.execute(select(PL).where(PL.c.plan_id == plan_id))}


# --- plans (Art. 8) ------------------------------------------------------------------------------


def list_plans(services: Services, principal: Principal) -> list[dict[str, Any]]:
    """Every plan, latest first, with its places pledged, admitted and arrived in total."""
    _require_reader(principal)
    with services.engine.connect() as conn:
        out = []
        for row in conn.execute(select(P).order_by(P.c.first_year.desc())):
            pledges = _pledges(conn, row.id)
            admitted, arrived = _counts(conn, row.id)
            d = _plan_dict(row)
            d.update(pledging_states=len([p for p in pledges.values() if _pledge_dict(p)["total"]]),
                     pledged=sum(_pledge_dict(p)["total"] for p in pledges.values()),
                     admitted=sum(sum(c.values()) for c in admitted.values()),
                     arrived=sum(sum(c.values()) for c in arrived.values()))
            out.append(d)
    return out


def get_plan(services: Services, principal: Principal, key: str) -> dict[str, Any]:
    """A plan with pledged, admitted and arrived places by category, state and country of first
    asylum, and what is left of the plan's figures."""
    _require_reader(principal)
    with services.engine.connect() as conn:
        row = _plan_row(conn, key)
        pledges = _pledges(conn, row.id)
        admitted, arrived = _counts(conn, row.id)
        outcomes: dict[str | None, int] = {decision: n for decision, n in conn.execute(select(
            A.c.decision, func.count()).where(A.c.plan_id == row.id).group_by(A.c.decision))}
        waiting = list(conn.execute(select(A.c.member_state, A.c.category, A.c.decided_on).where(
            A.c.plan_id == row.id, A.c.decision == "admitted", A.c.arrived_on.is_(None))))
        decided = list(conn.execute(select(
            A.c.member_state, A.c.decision, A.c.decided_on, A.c.refusal_ground, A.c.discontinuation_ground,
            A.c.status_granted, A.c.status_decided_on, A.c.eurodac_transmitted_on, A.c.eurodac_under_six,
            A.c.person_id, A.c.id).where(
            A.c.plan_id == row.id, A.c.decision.in_(("admitted", "refused", DISCONTINUED)),
            A.c.eurodac_transmitted_on.is_(None)))) if row.kind == "union_plan" else []
        # a registry Eurodac record of the case's person is its transmission (Art 9(24))
        in_registry = _registry_of(conn, decided)
    today = services.clock.today()
    # Art 9(24): every state's transmissions to Eurodac due or overdue (Reg. 2024/1358, Art 18(2)): figures
    eurodac: dict[str, dict[str, int]] = {}
    for e in decided:
        clock = rules.eurodac_clock(row.kind, rules.eurodac_trigger(
            e.decision, e.decided_on, e.refusal_ground, e.discontinuation_ground, e.status_granted,
            e.status_decided_on), (in_registry.get(e.id) or {}).get("transmitted_on"),
            e.eurodac_under_six, today)
        if clock.status in ("overdue", "due"):
            eurodac.setdefault(e.member_state, {"overdue": 0, "due": 0})[clock.status] += 1
    # Art 9(20): every state's persons admitted, not arrived, whose twelve months for the entry are
    # ending (due soon) or over (overdue): figures, no case reference
    transfers: dict[str, dict[str, int]] = {}
    for w in waiting:
        t = rules.transfer_clock(row.kind, w.category, "admitted", w.decided_on, None, w.member_state, today)
        if t.status in ("overdue", "due_soon"):
            transfers.setdefault(w.member_state, {"overdue": 0, "due_soon": 0})[t.status] += 1
    pledged = {ms: rules.lines_counts(r.lines) for ms, r in pledges.items()}
    d = _plan_dict(row)
    # the persons referred under the plan by where their case stands (every state's; no reference)
    d["case_counts"] = {k: int(outcomes.get(None if k == "pending" else k, 0)) for k in CASE_OUTCOMES}
    d["transfers"] = {"by_state": dict(sorted(transfers.items())),
                      "overdue": sum(x["overdue"] for x in transfers.values()),
                      "due_soon": sum(x["due_soon"] for x in transfers.values()),
                      "limit": rules.transfer_limit(today) if row.kind == "union_plan" else None}
    d["eurodac"] = {"by_state": dict(sorted(eurodac.items())),
                    "overdue": sum(x["overdue"] for x in eurodac.values()),
                    "due": sum(x["due"] for x in eurodac.values()),
                    "limit": rules.eurodac_limit(today) if row.kind == "union_plan" else None}
    d["progress"] = rules.progress(pledged, admitted, arrived)
    d["rates"] = rules.rates(d["progress"])
    places, by_cat = d["places_by_category"], d["progress"]["by_category"]
    # a category without a figure of its own has its places implied when the others' figures fix
    # them (none when they make up the total); two or three sharing a remainder are said together
    d["unpledged"] = {c: (None if places[c] is None else places[c] - by_cat[c]["pledged"]) for c in CATEGORIES}
    d["implied"] = [c for c in CATEGORIES if d["split"][c] is None and places[c] is not None]
    shared, left = rules.shared_remainder(d["total_places"], d["split"])
    d["unpledged_shared"] = ({"categories": list(shared), "places": left,
                              "unpledged": left - sum(by_cat[c]["pledged"] for c in shared)}
                             if shared and len(shared) < len(CATEGORIES) else None)
    d["unpledged_total"] = d["total_places"] - d["progress"]["total"]["pledged"]
    d["resettlement_share"] = rules.resettlement_share(row.kind, row.first_year, row.total_places, row.resettlement,
                                                       {c: by_cat[c]["pledged"] for c in CATEGORIES})
    return d


def create_plan(services: Services, principal: Principal, data: PlanIn) -> dict[str, Any]:
    if not manages_plans(principal):
        raise Forbidden("only the Commission's solidarity coordinator records resettlement plans")
    with services.uow() as uow:
        problems = rules.check_plan(data, uow.now.date())
        if problems:
            raise ValidationProblem(problems)
        key = rules.plan_key(data.first_year, data.last_year)
        overlapping = uow.conn.execute(select(P.c.key).where(
            and_(P.c.first_year <= data.last_year, P.c.last_year >= data.first_year))).scalar()
        if overlapping is not None:
            raise Conflict(f"the plan {overlapping} already covers part of {key}")
        values = {"id": new_id("rsp"), "key": key, "kind": data.kind, "first_year": data.first_year,
                  "last_year": data.last_year, "title": data.title,
                  "council_act_reference": data.council_act_reference, "council_act_date": data.council_act_date,
                  "total_places": data.total_places, **{c: getattr(data, c) for c in CATEGORIES},
                  "first_asylum_countries": data.first_asylum_countries, "regions": data.regions,
                  "announced_states": data.announced_states, "source": data.source, "status": "open",
                  "closed_on": None, "created_at": uow.now, "created_by": principal.username, "version": 1}
        uow.conn.execute(insert(P).values(**values))
        uow.audit(principal, "resettlement.plan.created", "resettlement_plan", values["id"],
                  after={k: v for k, v in values.items() if k != "created_at"})
        uow.commit()
    return get_plan(services, principal, key)


def close_plan(services: Services, principal: Principal, key: str, data: PlanClose) -> dict[str, Any]:
    """Close a plan: no more pledges or admissions are recorded under it."""
    if not manages_plans(principal):
        raise Forbidden("only the Commission's solidarity coordinator closes resettlement plans")
    with services.uow() as uow:
        row = _open_plan(uow.conn, key)
        _stale(f"the plan {row.key}", row.version, data.version)
        update_versioned(uow.conn, P, row.id, data.version, {"status": "closed", "closed_on": uow.now.date()})
        uow.audit(principal, "resettlement.plan.closed", "resettlement_plan", row.id,
                  before={"status": "open"}, after={"status": "closed", "closed_on": uow.now.date()})
        uow.commit()
    return get_plan(services, principal, key)


#: The fields of a plan the Commission amends (:class:`PlanAmend`), as stored.
AMENDABLE = ("title", "council_act_reference", "council_act_date", "total_places", *CATEGORIES,
             "first_asylum_countries", "regions", "announced_states", "source")


def amend_plan(services: Services, principal: Principal, key: str, data: PlanAmend) -> dict[str, Any]:
    """The Commission completes or corrects an open plan: its Council implementing act (reference
    and date), its split by category and total (Art. 8) and its other particulars. The plan as it
    would stand is checked as a new one is, and against the pledges recorded under it: no
    category nor total below the places pledged, no country dropped that a pledge names. Only
    the fields given change; the version read is checked and the change audited with the reason
    given. A closed plan's figures are final (409)."""
    if not manages_plans(principal):
        raise Forbidden("only the Commission's solidarity coordinator amends resettlement plans")
    changes = data.changes()
    if not changes:
        raise ValidationProblem.one("plan", "nothing to amend: give the fields that change (council_act_reference, "
                                            "council_act_date, total_places, the categories, …)")
    if "total_places" in changes and changes["total_places"] is None:
        raise ValidationProblem.one("total_places", "required: a plan has a total")
    for name in ("first_asylum_countries", "regions"):
        if name in changes and changes[name] is None:
            changes[name] = []
    with services.uow() as uow:
        row = uow.conn.execute(select(P).where(P.c.key == key).with_for_update()).first()
        if row is None:
            raise NotFound(f"no resettlement plan {shortened(key, 20)!r}")
        if row.status != "open":
            raise Conflict(f"the plan {row.key} is closed (on {row.closed_on}): its figures are final")
        _stale(f"the plan {row.key}", row.version, data.version)
        current = {k: getattr(row, k) for k in ("first_year", "last_year", "kind", *AMENDABLE)}
        current["first_asylum_countries"] = list(current["first_asylum_countries"] or [])
        current["regions"] = list(current["regions"] or [])
        merged = PlanIn.model_validate({**current, **changes})
        problems = rules.check_plan(merged, uow.now.date())
        facts = rules.PlanFacts(key=row.key, kind=row.kind, first_year=row.first_year, last_year=row.last_year,
                                total_places=merged.total_places, split={c: getattr(merged, c) for c in CATEGORIES},
                                first_asylum_countries=tuple(merged.first_asylum_countries), status=row.status)
        pledged = {ms: rules.lines_counts(r.lines) for ms, r in _pledges(uow.conn, row.id).items()}
        problems += [p for p in rules.check_amendment(facts, pledged) if p not in problems]
        if problems:
            raise ValidationProblem(problems)
        values = {k: getattr(merged, k) for k in changes if getattr(merged, k) != current[k]}
        if values:
            update_versioned(uow.conn, P, row.id, data.version, values)
            uow.audit(principal, "resettlement.plan.amended", "resettlement_plan", row.id,
                      before={k: current[k] for k in values},
                      after={**values, **({"reason": data.reason} if data.reason else {})})
            uow.commit()
    return get_plan(services, principal, key)


def load(services: Services, principal: Principal) -> dict[str, list[str]]:
    """Record the plans shipped with Pactum (``data/resettlement/plans.yaml``); a plan already
    recorded is left as it is."""
    from importlib import resources

    import yaml

    if not manages_plans(principal):
        raise Forbidden("only the Commission's solidarity coordinator records resettlement plans")
    raw = yaml.safe_load(resources.files("pactum.data").joinpath("resettlement", "plans.yaml").read_text("utf-8"))
    created, unchanged = [], []
    for item in raw["plans"]:
        data = PlanIn.model_validate(item)
        key = rules.plan_key(data.first_year, data.last_year)
        with services.engine.connect() as conn:
            exists = conn.execute(select(P.c.id).where(P.c.key == key)).first() is not None
        if exists:
            unchanged.append(key)
        else:
            create_plan(services, principal, data)
            created.append(key)
    return {"created": created, "unchanged": unchanged}


# --- pledges -------------------------------------------------------------------------------------


def set_pledge(services: Services, principal: Principal, key: str, state: str, data: PledgeIn) -> dict[str, Any]:
    """Record or replace a state's pledge under an open plan (its own state's, by its admin or
    solidarity coordinator)."""
    ms = _state(state)
    if not may_pledge(principal, ms):
        if principal.member_state is not None and principal.member_state != ms:
            raise Forbidden(f"users of {principal.member_state} pledge for {principal.member_state} only")
        raise Forbidden("a state's administrator or solidarity coordinator pledges for their own state")
    seen: set[tuple[str, str | None]] = set()
    problems: list[tuple[str, str]] = []
    for i, line in enumerate(data.lines):
        k = (line.category, line.first_asylum)
        if k in seen:
            problems.append((f"lines.{i}.first_asylum", "this category and country are pledged twice"))
        seen.add(k)
    if problems:
        raise ValidationProblem(problems)
    lines = [line.model_dump() for line in data.lines]
    pledged = rules.lines_counts(lines)
    mine = rules.by_category(pledged)
    with services.uow() as uow:
        plan = _open_plan(uow.conn, key)
        if plan.kind == "union_plan" and ms in NOT_BOUND:
            raise ValidationProblem.one("member_state", f"{ms} is {NOT_BOUND[ms]}: it pledges under no Union Plan "
                                                        f"({rules.UNION_PLAN_BASIS})")
        current = uow.conn.execute(select(PL).where(PL.c.plan_id == plan.id, PL.c.member_state == ms)
                                   .with_for_update()).first()
        others: Counter[str] = Counter()
        for r in uow.conn.execute(select(PL).where(PL.c.plan_id == plan.id, PL.c.member_state != ms)):
            for c in CATEGORIES:
                others[c] += getattr(r, c)
        admitted, _ = _counts(uow.conn, plan.id, ms)
        problems = rules.check_pledge(_facts(plan), ms, pledged, others, admitted.get(ms, Counter()))
        if problems:
            raise ValidationProblem(problems)
        values = {"lines": lines, **{c: mine[c] for c in CATEGORIES}, "updated_at": uow.now,
                  "updated_by": principal.username}
        if current is None:
            if data.version not in (None, 0):
                raise Conflict(f"{ms} has no pledge under {plan.key} yet (you edited version {data.version}); "
                               "reload and pledge again")
            pid = new_id("rpl")
            uow.conn.execute(insert(PL).values(id=pid, plan_id=plan.id, member_state=ms, created_at=uow.now,
                                               version=1, **values))
            before = None
        else:
            if data.version is None:
                raise Conflict(f"{ms} has a pledge under {plan.key} already (version {current.version}): "
                               "send the version you read to replace it")
            pid = current.id
            _stale(f"{ms}'s pledge under {plan.key}", current.version, data.version)
            update_versioned(uow.conn, PL, pid, data.version, values)
            before = {"lines": current.lines}
        uow.audit(principal, "resettlement.pledge.saved", "resettlement_pledge", pid,
                  before=before, after={"plan": plan.key, "member_state": ms, "lines": lines})
        uow.commit()
        row = uow.conn.execute(select(PL).where(PL.c.id == pid)).one()
    return _pledge_dict(row)


# --- admissions ----------------------------------------------------------------------------------


def _check_place(conn: Connection, plan: Any, ms: str, category: str, first_asylum: str, exclude: str | None) -> None:
    pledge = conn.execute(select(PL).where(PL.c.plan_id == plan.id, PL.c.member_state == ms)
                          .with_for_update()).first()
    pledged = rules.lines_counts(pledge.lines) if pledge is not None else Counter()
    admitted, _ = _counts(conn, plan.id, ms, exclude=exclude)
    mine = admitted.get(ms, Counter())
    if rules.room(pledged, mine, category, first_asylum) < 1:
        label = category.replace("_", " ")
        n_pledged = sum(n for (c, _), n in pledged.items() if c == category)
        n_taken = sum(n for (c, _), n in mine.items() if c == category)
        raise ValidationProblem.one(
            "decision", f"{ms}'s pledge under {plan.key} has no place left for {label} from {first_asylum}: "
                        f"{n_pledged:,} {label} places pledged, {n_taken:,} taken by persons admitted")


def _case_problems(case: rules.CaseFacts, plan: Any, today: date) -> list[tuple[str, str]]:
    return rules.check_case(case, _facts(plan), today)


#: What a person's record holds beyond who they are: the referral's date, the state's registration,
#: the decision, the arrival and the extension of the ordinary procedure's time limit (Art 9(9)).
CASE_FACTS = ("referred_on", "registered_on", "decision", "decided_on", "refusal_ground", "refusal_reason", "arrived_on",
              "extended_on", "extension_reason", "discontinuation_ground", "status_granted", "status_decided_on",
              "unhcr_informed", "unhcr_informed_on", "concluded_on", "eurodac_transmitted_on", "eurodac_under_six",
              "eurodac_compared_on", "eurodac_comparison_not_needed")


def record_admission(services: Services, principal: Principal, key: str, data: AdmissionIn, *,
                     member_state: str | None = None) -> dict[str, Any]:
    """Record a person referred for admission under the state's pledge (the principal's state;
    ``member_state``, when the request names a state, must be it)."""
    _acting_for(principal, member_state)
    ms = principal.member_state
    if ms is None or not may_record_cases(principal, ms):
        raise Forbidden("a state's caseworker, administrator or solidarity coordinator records its admissions")
    with services.uow() as uow:
        plan = _open_plan(uow.conn, key)
        today = uow.now.date()
        pledge = uow.conn.execute(select(PL.c.lines).where(PL.c.plan_id == plan.id, PL.c.member_state == ms)).first()
        if pledge is None:
            raise ValidationProblem.one("plan", f"{ms} has pledged no places under {plan.key}: pledge first")
        given: dict[str, Any] = {k: getattr(data, k, None) for k in CASE_FACTS}
        case = rules.CaseFacts(**given, procedure=data.procedure, member_state=ms, category=data.category)
        problems = (rules.check_person(data.nationality, data.first_asylum)
                    + rules.check_category_pledged(ms, _facts(plan), rules.lines_counts(pledge.lines), data.category)
                    + rules.check_referral(data.referred_on, _facts(plan)) + _case_problems(case, plan, today))
        if problems:
            raise ValidationProblem(problems)
        taken = uow.conn.execute(select(A.c.id).where(A.c.member_state == ms,
                                                      A.c.case_reference == data.case_reference)).first()
        if taken is not None:
            raise ValidationProblem.one("case_reference", f"{ms} has recorded {data.case_reference!r} already")
        if data.decision == "admitted":
            _check_place(uow.conn, plan, ms, data.category, data.first_asylum, None)
        if data.person_id is not None:  # the registry's person: one of the state's (422 naming person_id)
            registry.check_own_person(uow.conn, data.person_id, ms)
        values = {"id": new_id("rad"), "plan_id": plan.id, "member_state": ms, **data.model_dump(),
                  "created_at": uow.now, "updated_at": uow.now, "version": 1}
        uow.conn.execute(insert(A), values)
        uow.audit(principal, "resettlement.admission.recorded", "resettlement_admission", values["id"],
                  after={k: v for k, v in values.items() if k not in ("created_at", "updated_at")})
        uow.commit()
        row = uow.conn.execute(select(A).where(A.c.id == values["id"])).one()
        return _case_out(uow.conn, row, plan.kind, today)


def _own_case(conn: Connection, principal: Principal, admission_id: str) -> Any:
    """A person referred by the principal's state, for its officers to record on (404 for another
    state's: its cases are not known to them)."""
    row = conn.execute(select(A).where(A.c.id == admission_id).with_for_update()).first()
    if row is None or principal.member_state != row.member_state:
        raise NotFound(f"no admission {shortened(admission_id, 40)!r}")
    if not may_record_cases(principal, row.member_state):
        raise Forbidden("a state's caseworker, administrator or solidarity coordinator records its admissions")
    return row


def update_admission(services: Services, principal: Principal, admission_id: str, data: AdmissionUpdate, *,
                     member_state: str | None = None) -> dict[str, Any]:
    """Record the registration by the state (Art 9(3): the procedure's clock starts), the
    decision or the arrival of a person referred; a recorded registration, decision or arrival is
    changed only by a correction (:func:`correct_admission`), with a reason."""
    _acting_for(principal, member_state)
    with services.uow() as uow:
        row = _own_case(uow.conn, principal, admission_id)
        # a closed plan takes no more persons referred; those already referred under it still get
        # their decision and arrival (the rules say which dates count under it)
        plan = uow.conn.execute(select(P).where(P.c.id == row.plan_id)).one()
        changes = data.model_dump(exclude={"version"}, exclude_none=True)
        if not changes:
            raise ValidationProblem.one("decision", "nothing to record: give a registration, an extension, a "
                                                    "decision or an arrival")
        if _eurodac_changed(row, changes):  # the registry's writers record the transmission (403 otherwise)
            _require_transmitter(principal, row.member_state, comparison_only=_comparison_only(changes))
        problems = [(k, f"already recorded ({getattr(row, k)}); a record made in error is corrected with a "
                        "reason (correct)") for k in changes
                    if (k in CASE_FACTS or k == "person_id")
                    and getattr(row, k) is not None and getattr(row, k) != changes[k]]
        if problems:
            raise ValidationProblem(problems)
        _stale(f"the admission {row.case_reference}", row.version, data.version)
        facts = {k: getattr(row, k) for k in CASE_FACTS}
        facts.update({k: v for k, v in changes.items() if k in CASE_FACTS})
        today = uow.now.date()
        problems = _case_problems(rules.CaseFacts(**facts, procedure=row.procedure, member_state=row.member_state, category=row.category),
                                  plan, today)
        if problems:
            raise ValidationProblem(problems)
        if changes.get("decision") == "admitted" and row.decision is None:
            _check_place(uow.conn, plan, row.member_state, row.category, row.first_asylum, row.id)
        if changes.get("person_id") is not None:
            registry.check_own_person(uow.conn, changes["person_id"], row.member_state)
        update_versioned(uow.conn, A, row.id, data.version, {**changes, "updated_at": uow.now})
        uow.audit(principal, "resettlement.admission.updated", "resettlement_admission", row.id,
                  before={k: getattr(row, k) for k in changes}, after=changes)
        # the transmission to Eurodac of a registered person is the registry's Eurodac record (Art 9(24))
        templates: list[tuple[int, bytes]] = []
        _record_in_registry(uow, principal, uow.conn.execute(select(A).where(A.c.id == row.id)).one(), plan.kind,
                            templates)
        uow.commit()
        registry.index_copied_templates(uow.conn, templates)
        new = uow.conn.execute(select(A).where(A.c.id == row.id)).one()
        return _case_out(uow.conn, new, plan.kind, today)


def correct_admission(services: Services, principal: Principal, admission_id: str, data: AdmissionCorrection, *,
                      member_state: str | None = None) -> dict[str, Any]:
    """Correct a registration, a decision or an arrival recorded in error (the state's officers,
    with a reason; ``registered_on`` None: the clock awaits a registration again):
    the fields given replace what was recorded, ``None`` clears one (``decision`` None: the person
    is pending again). The record as it would stand is checked as a new one is; a person who
    becomes admitted needs a place of the pledge, one who stops being admitted frees theirs. A
    referral withdrawn is corrected the same way (give the decision as it should stand). Also
    under a closed plan, as decisions and arrivals are. Audited with the reason."""
    _acting_for(principal, member_state)
    changes = data.changes()
    if not changes:
        raise ValidationProblem.one("decision", "nothing to correct: give the registration, the decision, its date "
                                                "or the arrival as they should stand")
    with services.uow() as uow:
        row = _own_case(uow.conn, principal, admission_id)
        if _eurodac_changed(row, changes):  # the registry's writers correct the transmission (403 otherwise)
            _require_transmitter(principal, row.member_state, comparison_only=_comparison_only(changes))
        _stale(f"the admission {row.case_reference}", row.version, data.version)
        plan = uow.conn.execute(select(P).where(P.c.id == row.plan_id)).one()
        facts: dict[str, Any] = {k: getattr(row, k) for k in CASE_FACTS}
        if row.decision in (WITHDRAWN, DISCONTINUED):
            what = ("the referral was withdrawn" if row.decision == WITHDRAWN
                    else "the procedure was discontinued")
            if "decision" not in changes:
                raise ValidationProblem.one("decision", f"{what} on {row.decided_on}: give the decision as it "
                                                        "should stand (null: pending)")
            # the withdrawal's (or discontinuation's) day, ground and reason go with it, and whether UNHCR
            # was given its reason; a discontinuation after a positive conclusion gives the conclusion's day
            # back to a decision corrected to "admitted" (unless the correction gives another)
            facts.update(decided_on=None, refusal_reason=None, discontinuation_ground=None, unhcr_informed=None,
                         unhcr_informed_on=None, concluded_on=None, eurodac_transmitted_on=None,
                         eurodac_under_six=None)
            if row.concluded_on is not None and changes.get("decision") == "admitted":
                facts["decided_on"] = row.concluded_on
            elif row.concluded_on is not None:
                facts.update(status_granted=None, status_decided_on=None)
        facts.update({k: v for k, v in changes.items() if k in CASE_FACTS})
        today = uow.now.date()
        problems = _case_problems(rules.CaseFacts(**facts, procedure=row.procedure, member_state=row.member_state, category=row.category),
                                  plan, today)
        if problems:
            raise ValidationProblem(problems)
        values = {k: facts[k] for k in CASE_FACTS if facts[k] != getattr(row, k)}
        if "person_id" in changes and changes["person_id"] != row.person_id:
            if changes["person_id"] is not None:  # the registry's person: one of the state's
                registry.check_own_person(uow.conn, str(changes["person_id"]), row.member_state)
            values["person_id"] = changes["person_id"]
        if not values:
            raise ValidationProblem.one("decision", "nothing changes: the record already reads so")
        if facts["decision"] == "admitted" and row.decision != "admitted":
            _check_place(uow.conn, plan, row.member_state, row.category, row.first_asylum, row.id)
        update_versioned(uow.conn, A, row.id, data.version, {**values, "updated_at": uow.now})
        uow.audit(principal, "resettlement.admission.corrected", "resettlement_admission", row.id,
                  before={k: getattr(row, k) for k in values}, after={**values, "reason": data.reason})
        corrected = uow.conn.execute(select(A).where(A.c.id == row.id)).one()
        # the state of origin rectifies the data it transmitted (Reg. 2024/1358 Art 40(3)): the registry's
        # record that is the case's transmission moves to the corrected day, its retention with it
        _rectify_in_registry(uow, principal, row, corrected, plan.kind, data.reason)
        templates: list[tuple[int, bytes]] = []
        _record_in_registry(uow, principal, corrected, plan.kind, templates)
        uow.commit()
        registry.index_copied_templates(uow.conn, templates)
        new = uow.conn.execute(select(A).where(A.c.id == row.id)).one()
        return _case_out(uow.conn, new, plan.kind, today)


def _case_to_end(uow: UnitOfWork, principal: Principal, admission_id: str, version: int) -> tuple[Any, Any, rules.CaseFacts]:
    """The state's own case that a withdrawal or a discontinuation ends, at the version the officer
    read (409 otherwise), with its plan and its facts for the rules."""
    row = _own_case(uow.conn, principal, admission_id)
    _stale(f"the admission {row.case_reference}", row.version, version)
    plan = uow.conn.execute(select(P).where(P.c.id == row.plan_id)).one()
    case = rules.CaseFacts(**{k: getattr(row, k) for k in CASE_FACTS}, procedure=row.procedure,
                           member_state=row.member_state, category=row.category)
    return row, plan, case


def withdraw_admission(services: Services, principal: Principal, admission_id: str, data: AdmissionWithdrawal, *,
                       member_state: str | None = None) -> dict[str, Any]:
    """Withdraw a referral that ends before a decision (UNHCR withdrew it, the person left the
    country of first asylum): the person takes no place and the procedure is never overdue. A
    procedure the state ends because the person withdrew their consent is discontinued
    (:func:`discontinue_admission`, Art 9(11)). The state's officers, with the day and the reason; audited. A decision recorded in
    error is corrected first. Also under a closed plan."""
    _acting_for(principal, member_state)
    with services.uow() as uow:
        row, plan, case = _case_to_end(uow, principal, admission_id, data.version)
        today = uow.now.date()
        problems = rules.check_withdrawal(case, data.withdrawn_on, data.reason, today)
        if problems:
            raise ValidationProblem(problems)
        values = {"decision": WITHDRAWN, "decided_on": data.withdrawn_on, "refusal_reason": data.reason}
        update_versioned(uow.conn, A, row.id, data.version, {**values, "updated_at": uow.now})
        uow.audit(principal, "resettlement.admission.withdrawn", "resettlement_admission", row.id,
                  before={"decision": row.decision},
                  after={"decision": WITHDRAWN, "withdrawn_on": data.withdrawn_on, "reason": data.reason})
        uow.commit()
        new = uow.conn.execute(select(A).where(A.c.id == row.id)).one()
        return _case_out(uow.conn, new, plan.kind, today)


def discontinue_admission(services: Services, principal: Principal, admission_id: str,
                          data: AdmissionDiscontinuation, *, member_state: str | None = None) -> dict[str, Any]:
    """Discontinue an admission procedure before the state concluded on it (Art 9(11)): the
    state's officers, with the day, the ground (the person withdrew their consent: the state must;
    points (a) to (c): it may) and the facts in words; audited. The person takes no place and the
    procedure is never overdue; the case reads what becomes of the person's data (Art 9(12)). Only
    under a Union Plan (a pledging exercise's referral that ends is withdrawn); a decision recorded
    in error is corrected first. Also under a closed plan."""
    _acting_for(principal, member_state)
    with services.uow() as uow:
        row, plan, case = _case_to_end(uow, principal, admission_id, data.version)
        today = uow.now.date()
        problems = rules.check_discontinuation(case, _facts(plan), data.discontinued_on, data.ground, data.reason,
                                               today)
        if problems:
            raise ValidationProblem(problems)
        values = {"decision": DISCONTINUED, "decided_on": data.discontinued_on, "refusal_reason": data.reason,
                  "discontinuation_ground": data.ground}
        if row.decision == "admitted":  # consent withdrawn after the positive conclusion, before the entry
            values["concluded_on"] = row.decided_on
        update_versioned(uow.conn, A, row.id, data.version, {**values, "updated_at": uow.now})
        uow.audit(principal, "resettlement.admission.discontinued", "resettlement_admission", row.id,
                  before={"decision": row.decision, "decided_on": row.decided_on},
                  after={"decision": DISCONTINUED, "discontinued_on": data.discontinued_on, "ground": data.ground,
                         "reason": data.reason, "concluded_on": values.get("concluded_on")})
        uow.commit()
        new = uow.conn.execute(select(A).where(A.c.id == row.id)).one()
        return _case_out(uow.conn, new, plan.kind, today)


#: What the erasure of a case recorded by mistake rests on: the case is the state's record of the
#: admission procedure (inaccurate personal data are erased without delay); its Eurodac record is
#: erased by the Member State of origin (``services.registry.ERASURE_IN_ERROR_BASIS``).
CASE_ERASURE_BASIS = ("Regulation (EU) 2016/679, Article 5(1)(d): personal data that are inaccurate are erased or "
                      "rectified without delay")
#: Art 43(4), second sentence: the state confirms the erasure in writing to the person (Pactum records
#: the erasure; the letter is the state's).
WRITTEN_CONFIRMATION = ("Regulation (EU) 2024/1358, Article 43(4): the Member State confirms in writing to the "
                        "person that it erased the data concerning them")


def erase_admission(services: Services, principal: Principal, admission_id: str, data: AdmissionErasure, *,
                    member_state: str | None = None) -> dict[str, Any]:
    """Erase a person referred recorded by mistake (a case that should never have been recorded),
    with its Eurodac copy: the state that recorded it, at the version read, with the reason; audited.

    The case is deleted (it takes no place, is counted nowhere; its audit entries stay, with the
    erasure's). The registry's ``union_resettlement`` record that is the case's transmission to
    Eurodac (:func:`_record_of`) is erased in the same unit of work by the registry's own erasure
    (:func:`pactum.services.registry.erase_in_error`: Reg. 2024/1358 Art 40(3), 40(5), 43(4); the one
    way the registry erases Eurodac data, its retention's too): marked erased, its capture, templates
    and shared search key gone, its templates out of the 1:N biometric index once committed. Only the
    state's caseworkers erase a case with such a record (they write the registry's Eurodac records:
    403 for the administrator and solidarity coordinator, who erase a case without one); another
    state's case is not known (404); a stale version is 409. A record that is also the transmission
    of another of the state's cases of the person is that case's, and is kept (``eurodac_record_kept``).
    The state confirms the erasure in writing to the person (Art 43(4)): Pactum says so, it sends nothing."""
    _acting_for(principal, member_state)
    with services.uow() as uow:
        conn = uow.conn
        row = _own_case(conn, principal, admission_id)
        _stale(f"the admission {row.case_reference}", row.version, data.version)
        plan = conn.execute(select(P).where(P.c.id == row.plan_id)).one()
        ms, pid = row.member_state, row.person_id
        records = registry_records(conn, ms, [pid]).get(pid) if pid else None
        record = _record_of(row, records) if records else None
        erased: dict[str, Any] | None = None
        kept: dict[str, Any] | None = None
        if record is not None and not record["erased"]:
            others = conn.execute(select(A).where(A.c.member_state == ms, A.c.person_id == pid, A.c.id != row.id)
                                  .order_by(A.c.referred_on, A.c.id)).all()
            sharer = next((o for o in others if (_record_of(o, records) or {}).get("id") == record["id"]), None)
            if sharer is not None:
                kept = {"id": record["id"], "transmission_of": sharer.case_reference}
            else:
                _require_transmitter(principal, ms)
                erased = registry.erase_in_error(uow, principal, record["id"], reason=data.reason, context={
                    "resettlement_admission_id": row.id, "case_reference": row.case_reference, "plan": plan.key})
                erased = {**erased, "erased": True}
        conn.execute(delete(A).where(A.c.id == row.id))
        uow.audit(principal, "resettlement.admission.erased", "resettlement_admission", row.id,
                  before={"plan": plan.key, "member_state": ms, "case_reference": row.case_reference,
                          "category": row.category, "decision": row.decision, "person_id": pid,
                          "version": row.version},
                  after={"erased": True, "reason": data.reason,
                         "eurodac_record_erased": erased["id"] if erased else None,
                         "eurodac_record_kept": kept,
                         "legal_basis": [CASE_ERASURE_BASIS] + ([registry.ERASURE_IN_ERROR_BASIS] if erased else [])})
        uow.commit()
        return {"id": row.id, "case_reference": row.case_reference, "plan": plan.key, "member_state": ms,
                "erased": True, "erased_at": uow.now, "reason": data.reason,
                "eurodac_record": erased, "eurodac_record_kept": kept,
                "legal_basis": [CASE_ERASURE_BASIS] + ([registry.ERASURE_IN_ERROR_BASIS] if erased else []),
                "written_confirmation": WRITTEN_CONFIRMATION}


def discontinuation_grounds(services: Services, principal: Principal) -> list[dict[str, Any]]:
    """The grounds on which a state discontinues an admission procedure, in the order of Art 9(11),
    with their citation, whether the state must discontinue on them, what becomes of the person's
    data (Art 9(12)) and what it means for a later admission (Art 6(2)(a))."""
    _require_reader(principal)
    today = services.clock.now().date()
    return [g.to_dict(today) for g in rules.DISCONTINUATION_GROUNDS.values()]


def statuses(services: Services, principal: Principal) -> list[dict[str, Any]]:
    """The statuses a state grants after a positive conclusion, in the order of Art 9(15) to (18):
    ``code``, ``words``, ``effect``, ``categories`` (the categories of admission it is granted on)
    and ``basis`` (the paragraph of Art 9 for each), with the entry's time of Art 9(20)."""
    _require_reader(principal)
    return [s.to_dict() for s in rules.STATUSES.values()]


# --- a state's page, the overview, history -----------------------------------------------------------


def _pledge_history(conn: Connection, pledge_id: str) -> list[dict[str, Any]]:
    """Every version of a pledge as saved, oldest first, from the audit log (each save is audited
    with the lines as they then stood): when, by whom, the places by category and the change in
    total from the version before."""
    out: list[dict[str, Any]] = []
    for e in audit.entity_history(conn, pledge_id):
        if e["action"] != "resettlement.pledge.saved":
            continue
        lines = list((e["after"] or {}).get("lines") or [])
        counts = rules.by_category(rules.lines_counts(lines))
        total = sum(counts.values())
        out.append({"version": len(out) + 1, "at": e["at"], "by": e["actor"], "lines": lines,
                    "by_category": {c: counts[c] for c in CATEGORIES}, "total": total,
                    "change": None if not out else total - out[-1]["total"]})
    return out


def state_view(services: Services, principal: Principal, state: str, key: str | None = None,
               stage: str | None = None) -> dict[str, Any]:
    """A state under one plan (the latest if none is named): its pledge, pledged vs admitted vs
    arrived by category and country of first asylum (with the shares of the pledge admitted and
    arrived), the pledge's versions as saved (``pledge_history``), procedures overdue, and (for
    the state's own users) its cases, only those at ``stage`` when one is given
    (:data:`rules.CASE_STAGES`; the figures count every case); beside it UNHCR's resettlement
    arrivals in the state by year."""
    problems = rules.check_stage(stage)
    if problems:
        raise ValidationProblem(problems)
    ms = _readable_state(principal, state)
    today = services.clock.today()
    with services.engine.connect() as conn:
        plans = list(conn.execute(select(P).order_by(P.c.first_year.desc())))
        if key is not None:
            plan = _plan_row(conn, key)
        elif plans:
            plan = plans[0]
        else:
            plan = None
        out: dict[str, Any] = {"member_state": ms, "name": MEMBER_STATES[ms].name,
                               "plans": [r.key for r in plans], "plan": None, "pledge": None,
                               "progress": None, "cases": None, "overdue": [], "case_counts": {},
                               "history": unhcr.by_year(2015, ms), "own": principal.member_state == ms,
                               "not_bound": NOT_BOUND.get(ms), "may_pledge": False, "may_refer": False,
                               "may_record": False, "may_transmit": False, "pledge_history": [], "rates": None,
                               "awaiting_registration": 0, "limits": rules.procedure_limits(today),
                               "stage": stage, "cases_at_stage": None, "transfers": [],
                               "transfer_limit": rules.transfer_limit(today),
                               "eurodac": [], "eurodac_limit": rules.eurodac_limit(today),
                               "registration_basis": rules.REGISTRATION_BASIS.cite()}
        if plan is None:
            return out
        pledge = conn.execute(select(PL).where(PL.c.plan_id == plan.id, PL.c.member_state == ms)).first()
        out["pledge_history"] = _pledge_history(conn, pledge.id) if pledge is not None else []
        admitted, arrived = _counts(conn, plan.id, ms)
        rows = list(conn.execute(select(A).where(A.c.plan_id == plan.id, A.c.member_state == ms)
                                 .order_by(A.c.referred_on.desc(), A.c.case_reference)))
        in_registry = _registry_of(conn, rows)
        cases = [_case_dict(r, plan.kind, today, in_registry.get(r.id)) for r in rows]
    pledged = {ms: rules.lines_counts(pledge.lines)} if pledge is not None else {}
    progress = rules.progress(pledged, admitted, arrived)
    out.update(plan=_plan_dict(plan), pledge=_pledge_dict(pledge) if pledge is not None else None,
               progress=progress, rates=rules.rates(progress),
               overdue=[c for c in cases if c["clock"]["status"] == "overdue"],
               transfers=[c for c in cases if c["transfer"]["status"] in ("overdue", "due_soon")],
               eurodac=[c for c in cases if c["eurodac"]["status"] in ("overdue", "due")],
               awaiting_registration=sum(c["clock"]["status"] == "awaiting_registration" for c in cases),
               case_counts=dict(Counter(c["decision"] or "pending" for c in cases)),
               may_pledge=plan.status == "open" and may_pledge(principal, ms)
               and not (plan.kind == "union_plan" and ms in NOT_BOUND),
               may_refer=plan.status == "open" and may_record_cases(principal, ms),
               may_record=may_record_cases(principal, ms), may_transmit=may_transmit_to_eurodac(principal, ms))
    if principal.member_state != ms:  # EU bodies: figures and clocks, not the state's case references
        out["overdue"] = [{"category": c["category"], "procedure": c["procedure"], "referred_on": c["referred_on"],
                           "registered_on": c["registered_on"], "clock": c["clock"]} for c in out["overdue"]]
        out["transfers"] = [{"category": c["category"], "positive_conclusion_on": c["positive_conclusion_on"],
                             "status_granted": c["status_granted"], "transfer": c["transfer"]}
                            for c in out["transfers"]]
        out["eurodac"] = [{"category": c["category"], "eurodac": c["eurodac"]} for c in out["eurodac"]]
    else:
        out["cases"] = cases if stage is None else [c for c in cases if rules.at_stage(stage, c)]
        out["cases_at_stage"] = len(out["cases"])
    return out


def history(services: Services, principal: Principal, member_state: str | None = None) -> dict[str, Any]:
    """UNHCR's resettlement arrivals by year: EU27 (the 27 Member States, Denmark included), EU+
    (EU27 and Iceland, Liechtenstein, Norway, Switzerland) and one state, with ``not_bound`` saying
    when that state is not bound by Regulation (EU) 2024/1350."""
    _require_reader(principal)
    ms = _state(member_state) if member_state else None
    return {"member_state": ms, "not_bound": NOT_BOUND.get(ms) if ms else None, "covers": unhcr.COVERS,
            "attribution": unhcr.ATTRIBUTION, "years": unhcr.by_year(None, ms)}


def overview(services: Services, principal: Principal) -> dict[str, Any]:
    """Every plan's places pledged, admitted and arrived, with UNHCR's arrivals by year beside them."""
    return {"plans": list_plans(services, principal), "history": unhcr.by_year(2015), "covers": unhcr.COVERS,
            "attribution": unhcr.ATTRIBUTION, "manages": manages_plans(principal)}


# --- CSV exports ------------------------------------------------------------------------------------

#: The overview as CSV, one row per plan: its figures (places in the plan, by category where the
#: plan gives them) and the places pledged, states pledging, persons admitted and arrived.
OVERVIEW_CSV_COLUMNS: tuple[str, ...] = (
    "plan", "kind", "title", "first_year", "last_year", "status", "closed_on", "total_places",
    *(f"{c}_places" for c in CATEGORIES), "pledged", "pledging_states", "announced_states", "admitted", "arrived",
)
#: A plan's progress as CSV, one row per state and category: the plan page's "By state" table.
PLAN_CSV_COLUMNS: tuple[str, ...] = ("plan", "member_state", "name", "category", "pledged", "admitted", "arrived")


def overview_csv(services: Services, principal: Principal) -> str:
    """Every plan of :func:`overview` as CSV (:data:`OVERVIEW_CSV_COLUMNS`), latest first; a
    category the plan gives no figure for is an empty cell."""
    rows = []
    for p in list_plans(services, principal):
        rows.append({"plan": p["key"], **{k: p[k] for k in ("kind", "title", "first_year", "last_year", "status",
                                                             "total_places", "pledged", "pledging_states",
                                                             "announced_states", "admitted", "arrived")},
                     "closed_on": p["closed_on"].isoformat() if p["closed_on"] else None,
                     **{f"{c}_places": p["split"][c] for c in CATEGORIES}})
    return csv_table(OVERVIEW_CSV_COLUMNS, rows)


def plan_csv(services: Services, principal: Principal, key: str) -> str:
    """A plan's places pledged, persons admitted and arrived by state and category, as CSV
    (:data:`PLAN_CSV_COLUMNS`): the rows add up to the plan's totals."""
    plan = get_plan(services, principal, key)
    rows = [{"plan": plan["key"], "member_state": s["member_state"], "name": MEMBER_STATES[s["member_state"]].name,
             "category": c, **s["by_category"][c]}
            for s in plan["progress"]["by_state"] for c in CATEGORIES]
    return csv_table(PLAN_CSV_COLUMNS, rows)


#: A state's persons referred under a plan as CSV, one row per person (the state's own users).
CASES_CSV_COLUMNS: tuple[str, ...] = (
    "plan", "member_state", "case_reference", "nationality", "first_asylum", "category", "procedure", "referred_on",
    "registered_on", "decision", "decided_on", "refusal_ground", "refusal_basis", "refusal_reason", "withdrawn_on",
    "withdrawal_reason",
    "arrived_on", "procedure_status", "decision_due_by", "extended_on", "extension_reason",
    "discontinued_on", "discontinuation_ground", "discontinuation_basis", "discontinuation_reason",
    "data_kept_until", "positive_conclusion_on", "status_granted", "status_decided_on", "status_basis",
    "transfer_due_by", "transfer_status", "unhcr_informed", "unhcr_informed_on",
    "eurodac_status", "eurodac_due_by", "eurodac_transmitted_on", "eurodac_under_six", "eurodac_kept_until",
    "person_id", "eurodac_source", "eurodac_record_id",
)
#: A state's procedures beyond their maximum duration as CSV, one row per person; the case
#: reference only for the state's own users (EU bodies read the figures and clocks).
OVERDUE_CSV_COLUMNS: tuple[str, ...] = ("plan", "member_state", "case_reference", "category", "procedure",
                                        "referred_on", "registered_on", "maximum_duration", "decision_due_by")


def cases_csv(services: Services, principal: Principal, state: str, key: str | None = None,
              stage: str | None = None) -> str:
    """Every person a state referred under a plan (the latest if none is named), or those at
    ``stage``, as CSV (:data:`CASES_CSV_COLUMNS`), latest referral first: for the state's own
    users, who read its case references (others: 403)."""
    view = state_view(services, principal, state, key, stage)
    if view["cases"] is None and view["plan"] is not None:
        raise Forbidden(f"{view['member_state']}'s case references are read by its own users; the figures and "
                        "the overdue procedures are read by all (overdue.csv)")
    plan = view["plan"]["key"] if view["plan"] else None
    rows = [{**c, "plan": plan, "procedure_status": c["clock"]["status"], "decision_due_by": c["clock"]["deadline"],
             "data_kept_until": (c["data_retention"] or {}).get("keep_until") or (c["data_retention"] or {}).get(
                 "erase_on"),
             "transfer_due_by": c["transfer"]["due_by"],
             "transfer_status": None if c["transfer"]["status"] == "none" else c["transfer"]["status"],
             "eurodac_status": None if c["eurodac"]["status"] == "none" else c["eurodac"]["status"],
             "eurodac_due_by": c["eurodac"]["due_by"], "eurodac_kept_until": c["eurodac"]["kept_until"],
             "eurodac_record_id": (c["eurodac_record"] or {}).get("id")}
            for c in view["cases"] or []]
    return csv_table(CASES_CSV_COLUMNS, rows)


def overdue_csv(services: Services, principal: Principal, state: str, key: str | None = None) -> str:
    """A state's procedures beyond their maximum duration under a plan (the latest if none is
    named), as CSV (:data:`OVERDUE_CSV_COLUMNS`): the case reference for the state's own users only."""
    view = state_view(services, principal, state, key)
    plan = view["plan"]["key"] if view["plan"] else None
    rows = [{"plan": plan, "member_state": view["member_state"], "case_reference": c.get("case_reference"),
             "category": c["category"], "procedure": c["procedure"], "referred_on": c["referred_on"],
             "registered_on": c["registered_on"], "maximum_duration": c["clock"]["limit"],
             "decision_due_by": c["clock"]["deadline"]}
            for c in view["overdue"]]
    return csv_table(OVERDUE_CSV_COLUMNS, rows)


# --- indicators ------------------------------------------------------------------------------------


@indicator("resettlement_arrivals_year", label="Persons arrived under resettlement and humanitarian admission (year to date)",
           area="resettlement", unit="persons", period="year", whose="persons {state} admitted")
def _ind_arrivals(conn: Connection, as_of: date, member_state: str | None) -> int:
    """Persons admitted who arrived from 1 January of ``as_of``'s year up to the day. A state's:
    the persons it admitted."""
    q = select(func.count()).where(A.c.arrived_on >= date(as_of.year, 1, 1), A.c.arrived_on <= as_of)
    if member_state is not None:
        q = q.where(A.c.member_state == member_state)
    return int(conn.execute(q).scalar_one())


@indicator("resettlement_places_open", label="Pledged resettlement places not yet filled (plans running on the day)",
           area="resettlement", unit="places", period="on", whose="places {state} pledged")
def _ind_open(conn: Connection, as_of: date, member_state: str | None) -> int:
    """Places pledged under the plans whose period includes the day, less the persons admitted
    under them by the day. A state's: its own pledges and admissions."""
    running = select(P.c.id).where(P.c.first_year <= as_of.year, P.c.last_year >= as_of.year)
    q = select(func.coalesce(func.sum(PL.c.resettlement + PL.c.humanitarian_admission + PL.c.emergency_admission), 0)
               ).where(PL.c.plan_id.in_(running))
    # a person admitted by the day held their place on it, also if they later withdrew their consent
    # before entering (the procedure discontinued after the conclusion frees it from that day on)
    used = select(func.count()).where(A.c.plan_id.in_(running), (
        (A.c.decision == "admitted") & (A.c.decided_on <= as_of)) | (
        (A.c.decision == DISCONTINUED) & (A.c.concluded_on <= as_of) & (A.c.decided_on > as_of)))
    if member_state is not None:
        q = q.where(PL.c.member_state == member_state)
        used = used.where(A.c.member_state == member_state)
    return max(0, int(conn.execute(q).scalar_one()) - int(conn.execute(used).scalar_one()))


@indicator("resettlement_procedures_overdue", label="Admission procedures beyond their maximum duration (on the day)",
           area="resettlement", unit="cases", period="on", whose="cases {state} handles")
def _ind_overdue(conn: Connection, as_of: date, member_state: str | None) -> int:
    """Persons referred under a Union Plan with no decision on the day although the procedure's
    maximum duration (Art 9(9), (10)), counted from their registration by the state (Art 9(3)),
    has passed. A person not registered by the day is not counted: the clock had not started. A
    state's: the cases it handles."""
    # a procedure discontinued after its positive conclusion was decided on the conclusion's day
    ended_on = func.coalesce(A.c.concluded_on, A.c.decided_on)
    q = (select(A.c.procedure, A.c.referred_on, A.c.registered_on, A.c.member_state, A.c.extended_on)
         .select_from(A.join(P, P.c.id == A.c.plan_id))
         .where(P.c.kind == "union_plan", A.c.registered_on.is_not(None), A.c.registered_on <= as_of,
                (ended_on.is_(None)) | (ended_on > as_of)))
    if member_state is not None:
        q = q.where(A.c.member_state == member_state)
    # an extension of the time limit (Art 9(9)) counts from the day it was decided
    return sum(rules.procedure_clock("union_plan", r.procedure, r.referred_on, None, r.member_state, as_of,
                                     registered_on=r.registered_on,
                                     extended_on=r.extended_on if r.extended_on is not None and r.extended_on <= as_of
                                     else None).status == "overdue" for r in conn.execute(q))


def country_name(code: str | None) -> str:
    return country(code).name if code else "Not specified"
