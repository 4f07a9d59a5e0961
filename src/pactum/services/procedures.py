"""Handlers and queries of the asylum procedures area.

Applications are made, registered and lodged in one Member State and linked to the person (and the
screening) recorded by the registry. Each is routed when it is made (the routing result and its
trace are stored with the case), then moves through the workflow of ``pactum.procedures.workflow``;
every transition is an audited event and refreshes the case's next legal deadline, on which the
caseworker's queue is sorted. Reads are scoped to the principal's state; EU bodies see aggregates.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model, field_validator
from sqlalchemy import Connection, and_, bindparam, delete, exists, func, insert, literal, or_, select, update
from sqlalchemy import case as sql_case
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from pactum.common.clock import as_utc
from pactum.common.countries import country
from pactum.common.csvrows import csv_table
from pactum.common.dates import check_statistics_year
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.json_types import strict_model
from pactum.common.limits import STORE_INTEGER_MAX
from pactum.common.states import EU_MEMBER_STATES, MEMBER_STATES, member_state
from pactum.common.states import member_state as member_state_code
from pactum.common.text import counted, shortened
from pactum.law import LegalRef, NotInForce, param
from pactum.law.regimes import PROCEDURES_INSTRUMENTS, procedures_regime
from pactum.procedures import capacity as cap
from pactum.procedures import refusals as refusal_rules
from pactum.procedures import return_decision_ground as rd_ground
from pactum.procedures import right_to_remain as remain_rules
from pactum.procedures import workflow
from pactum.procedures.model import (
    CONTEXT_OF_ENCOUNTER,
    INLAND_CONTRADICTED_CONTEXTS,
    KNOWN_VULNERABILITIES,
    POSITIVE_OUTCOMES,
    AppealOutcome,
    CaseState,
    Context,
    Outcome,
    RoutingInput,
    RoutingResult,
    third_country,
)
from pactum.procedures.recognition import DecisionStat, eu_recognition_rate
from pactum.procedures.return_decision_ground import GROUND as RD_GROUND
from pactum.procedures.routing import (
    THIRD_COUNTRY_GROUNDS,
    route,
    routing_input,
    routing_regime,
    routing_third_countries,
    third_countries,
)
from pactum.procedures.safe_countries import (
    SafeCountryEntry,
    shipped_entries,
    validate_entry,
)
from pactum.procedures.statistics import (
    iter_lines,
    parse_unhcr_decisions,
    shipped_statistics,
)
from pactum.registry.local_time import local_day, region_of, state_today, stored_day
from pactum.services import reads, registry
from pactum.services.auth import Principal, Role, require, require_member_state
from pactum.services.bootstrap import Services
from pactum.services.indicators import indicator
from pactum.services.jobs import job
from pactum.services.uow import UnitOfWork
from pactum.store.tables.base import update_versioned
from pactum.store.tables.platform import users
from pactum.store.tables.procedures import (
    asylum_applications,
    asylum_case_events,
    asylum_case_reference_counters,
    border_capacity_notifications,
    decision_statistics,
    refusals_of_entry,
    safe_country_designations,
)
from pactum.store.tables.registry import (
    encounters,
    identity_records,
    persons,
    screenings,
)

#: Reference data and aggregates (routing, safe-country lists, capacity, refusals of entry,
#: decision statistics): administrators keep the lists and import the statistics.
READ_ROLES = (Role.caseworker, Role.dublin_unit, Role.return_officer, Role.analyst, Role.auditor,
              Role.admin)
#: Individual (named) case files: the officers who work on them or review their handling. Not
#: analysts (they see aggregates: capacity, statistics, indicators) nor administrators (they
#: manage users and reference lists; no case file is theirs to read).
CASE_ROLES = (Role.caseworker, Role.dublin_unit, Role.return_officer, Role.auditor)
#: Who makes applications and takes the steps of a case (the decision, its second-level review):
#: the asylum officers (caseworkers) of the determining authority, never a user administrator.
WRITE_ROLES = (Role.caseworker,)
#: Who records refusals of entry at the state's external border (not a case: a count the border
#: procedure's capacity uses): a caseworker or the state's administrator.
REFUSAL_ROLES = (Role.caseworker, Role.admin)
LIST_ROLES = (Role.admin,)
STATS_ROLES = (Role.admin, Role.analyst)
OPEN_STATES = tuple(s.value for s in CaseState if not workflow.is_closed(s))
A = asylum_applications
E = asylum_case_events

# The statements every application and every act executes, built once: SQLAlchemy then finds
# their compiled form in its cache by the statement's memoised key instead of building and
# hashing a new statement per call.
_SELECT_CASE = select(A).where(A.c.id == bindparam("case_id"))
# an act reads the case without its stored routing trace (a few kB of JSON it does not use)
_SELECT_CASE_TO_ACT = select(*[c for c in A.c if c.name != "routing"]).where(A.c.id == bindparam("case_id"))
_INSERT_CASE = insert(A)
_SELECT_ID_OF_REFERENCE = select(A.c.id).where(A.c.reference == bindparam("reference"))
_COUNTER = asylum_case_reference_counters
_NEXT_NUMBER = (update(_COUNTER)
                .where(_COUNTER.c.member_state == bindparam("b_ms"), _COUNTER.c.year == bindparam("b_year"))
                .values(last_number=_COUNTER.c.last_number + 1).returning(_COUNTER.c.last_number))
#: A case's short reference as officers write it (the state, the year, the running number).
CASE_REFERENCE = re.compile(r"([A-Z]{2})-(\d{4})-(\d{6,9})")
_INSERT_EVENT = insert(asylum_case_events)
_UPDATE_CASE = update(A).where(A.c.id == bindparam("b_id"), A.c.version == bindparam("b_version"))
_SELECT_PERSON_STATE = select(persons.c.member_state).where(persons.c.id == bindparam("person_id"))
_SELECT_SCREENING_PERSON = select(screenings.c.person_id).where(screenings.c.id == bindparam("screening_id"))
_SELECT_LATEST_SCREENING = (select(screenings.c.id)
                            .where(screenings.c.person_id == bindparam("person_id"),
                                   screenings.c.member_state == bindparam("ms"))
                            .order_by(screenings.c.started_at.desc()).limit(1))
_SELECT_USER_AUTHORITY = select(users.c.authority).where(users.c.username == bindparam("username"))


# --------------------------------------------------------------------------- reference data


def _stats_for(conn: Connection, nationality: str) -> list[DecisionStat]:
    rows = conn.execute(
        select(decision_statistics).where(decision_statistics.c.nationality == nationality)
    ).mappings()
    out = [DecisionStat(r["year"], r["member_state"], r["nationality"], r["refugee_status"],
                        r["subsidiary_protection"], r["rejected"], r["closed"], r["source"])
           for r in rows]
    if out or _has_statistics(conn):
        return out
    return [s for s in _shipped_stats() if s.nationality == nationality]


def _has_statistics(conn: Connection) -> bool:
    return conn.execute(select(literal(1)).select_from(decision_statistics).limit(1)).first() is not None


_SHIPPED: list[DecisionStat] | None = None


def _shipped_stats() -> list[DecisionStat]:
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = shipped_statistics()
    return _SHIPPED


def _safe_entries(conn: Connection) -> list[SafeCountryEntry]:
    rows = list(conn.execute(select(safe_country_designations)).mappings())
    if not rows:
        return shipped_entries()
    return [SafeCountryEntry(r["scope"], r["concept"], r["country"], r["valid_from"], r["reference"],
                             r["valid_to"], r["exclusion"], r["note"] or "") for r in rows]


def _write_statistics(conn: Connection, stats: Iterable[DecisionStat], now: datetime) -> int:
    stats = list(stats)
    years = sorted({s.year for s in stats})
    if years:
        conn.execute(delete(decision_statistics).where(decision_statistics.c.year.in_(years)))
    batch = [{"year": s.year, "member_state": s.member_state, "nationality": s.nationality,
                  "refugee_status": s.refugee_status, "subsidiary_protection": s.subsidiary_protection,
                  "rejected": s.rejected, "closed": s.closed, "source": s.source[:120], "imported_at": now}
             for s in stats]
    for i in range(0, len(batch), 2000):
        conn.execute(insert(decision_statistics), batch[i:i + 2000])
    return len(batch)


def seed_reference_data(services: Services, principal: Principal) -> dict[str, int]:
    """Load the shipped decision statistics and safe-country lists where the store has none."""
    require(principal, Role.admin)
    out = {"statistics": 0, "safe_countries": 0}
    with services.uow() as uow:
        if not _has_statistics(uow.conn):
            out["statistics"] = _write_statistics(uow.conn, _shipped_stats(), uow.now)
        if uow.conn.execute(select(func.count()).select_from(safe_country_designations)).scalar() == 0:
            for e in shipped_entries():
                _insert_designation(uow, principal, e)
                out["safe_countries"] += 1
        uow.audit(principal, "procedures.seed_reference_data", "decision_statistics", "shipped",
                  after=out)
        uow.commit()
    return out


def import_statistics(services: Services, principal: Principal, data: bytes, source: str = "UNHCR"
                      ) -> dict[str, Any]:
    """Replace the statistics of the years present in a UNHCR decisions export (CSV or .csv.gz).
    The figures are EU-wide (the Union-wide recognition rate of APR Art 42(1)(j) routes every
    state's cases): only an EU body's analyst or administrator imports them."""
    require_statistics_importer(principal)
    source = statistics_source(source)
    stats = parse_unhcr_decisions(iter_lines(data), source=source, this_year=services.clock.today().year)
    _check_statistics_rows(data)
    _check_statistics_totals(stats)
    if not stats:
        raise ValidationProblem.one("file", "no first-instance decisions of EU+ states in the file")
    with services.uow() as uow:
        n = _write_statistics(uow.conn, stats, uow.now)
        years = sorted({s.year for s in stats})
        summary = {"rows": n, "years": [years[0], years[-1]],
                   "nationalities": len({s.nationality for s in stats})}
        uow.audit(principal, "procedures.import_statistics", "decision_statistics", source,
                  after=summary)
        uow.commit()
    return summary


#: The columns that identify one row of a UNHCR decisions export: a second row with the same
#: values is the same figures again (summed, they would double them).
STATISTICS_KEY = ("year", "coo_iso", "coa_iso", "procedure_type", "dec_level", "dec_pc")
#: The largest count a statistics row holds (the store's whole-number column, PostgreSQL int4).
STATISTICS_COUNT_MAX = 2**31 - 1


def _check_statistics_rows(data: bytes) -> None:
    """What the parser leaves to the store, refused naming the line (field ``file``, as the
    parser's problems): a count beyond :data:`STATISTICS_COUNT_MAX` (the column), a row with the
    key (:data:`STATISTICS_KEY`) of an earlier one (both lines); then a figure the rows of one
    year, state and nationality add up to beyond the maximum."""
    from pactum.common.csvrows import rows_with_lines
    from pactum.procedures.statistics import COUNTS

    reader = csv.DictReader(iter_lines(data))
    key_columns = [c for c in STATISTICS_KEY if c in (reader.fieldnames or [])]
    seen: dict[tuple[str, ...], int] = {}
    for n, r in rows_with_lines(reader):
        for column in COUNTS:
            raw = str(r.get(column) or "").strip()
            if raw.isascii() and raw.isdigit() and int(raw) > STATISTICS_COUNT_MAX:
                raise ValidationProblem.one("file", f"line {n}, column {column}: {shortened(raw)} is more "
                                                    f"than {STATISTICS_COUNT_MAX:,} decisions")
        key = tuple(str(r.get(c) or "").strip() for c in key_columns)
        if key in seen:
            raise ValidationProblem.one("file", f"line {n} repeats line {seen[key]} (the same "
                                                f"{', '.join(key_columns)}): give each row once")
        seen[key] = n


def _check_statistics_totals(stats: list[DecisionStat]) -> None:
    for s in stats:
        for name in ("refugee_status", "subsidiary_protection", "rejected", "closed"):
            if getattr(s, name) > STATISTICS_COUNT_MAX:
                raise ValidationProblem.one("file", f"{s.year} {s.member_state} {s.nationality}: the rows "
                                                    f"add up to more than {STATISTICS_COUNT_MAX:,} "
                                                    f"decisions ({name})")


#: the longest name of a source: the import's audit entry is filed under it (60 characters)
STATISTICS_SOURCE_MAX = 60


#: The refusal of a state's user who would import the EU-wide statistics.
STATISTICS_REFUSAL = ("the EU-wide decision statistics are imported by an EU body; "
                      "you act for {state} only")


def may_import_statistics(principal: Principal) -> bool:
    """Whether :func:`import_statistics` lets ``principal`` import (an analyst or administrator
    of an EU body)."""
    return principal.has(*STATS_ROLES) and principal.member_state is None


def require_statistics_importer(principal: Principal) -> None:
    """403 unless :func:`may_import_statistics`: the role named, or that a state's user does not
    import the EU-wide figures."""
    require(principal, *STATS_ROLES)
    if principal.member_state is not None:
        raise Forbidden(STATISTICS_REFUSAL.format(state=principal.member_state))


def statistics_source(raw: str | None) -> str:
    """The source a form names for an import, stripped; a problem naming ``source`` when it is
    blank or longer than :data:`STATISTICS_SOURCE_MAX`."""
    source = (raw or "").strip()
    if not source:
        raise ValidationProblem.one("source", "name the source of the figures (for instance UNHCR)")
    if len(source) > STATISTICS_SOURCE_MAX:
        raise ValidationProblem.one("source", f"at most {STATISTICS_SOURCE_MAX} characters")
    return source


# --------------------------------------------------------------------------- routing


def route_application(services: Services, principal: Principal, body: RoutingInput) -> RoutingResult:
    require(principal, *READ_ROLES)
    with services.engine.connect() as conn:
        return route(body, _stats_for(conn, body.nationality), _safe_entries(conn))


# --------------------------------------------------------------------------- safe countries


def list_safe_countries(services: Services, principal: Principal, on: date | None = None
                        ) -> list[dict[str, Any]]:
    """The designations (in force on ``on``), each with its ``id`` and ``version`` once the lists
    are in the store (``None`` for the shipped lists not yet loaded: ``seed`` or a first
    designation loads them), by which an administrator ends or corrects one."""
    require(principal, *READ_ROLES)
    with services.engine.connect() as conn:
        rows = list(conn.execute(select(safe_country_designations)).mappings())
    if rows:
        out = [_designation_dict(r) for r in rows]
    else:
        out = [{"id": None, **e.as_dict(), "version": None} for e in shipped_entries()]
    if on is not None:
        out = [e for e in out if e["valid_from"] <= on.isoformat()
               and (e["valid_to"] is None or on.isoformat() <= e["valid_to"])]
    return sorted(out, key=lambda e: (e["scope"], e["concept"], e["country"], e["valid_from"]))


def _insert_designation(uow: UnitOfWork, principal: Principal, e: SafeCountryEntry) -> str:
    sid = new_id("scd")
    uow.conn.execute(insert(safe_country_designations).values(
        id=sid, scope=e.scope, concept=e.concept, country=e.country, valid_from=e.valid_from,
        valid_to=e.valid_to, reference=e.reference, exclusion=e.exclusion, note=e.note,
        created_by=principal.username, created_at=uow.now, version=1))
    return sid


def add_safe_country(services: Services, principal: Principal, raw: dict[str, Any]) -> dict[str, Any]:
    """An authorised user designates a country (EU list: EU bodies or admin; national list: that
    state's admin)."""
    require(principal, *LIST_ROLES)
    e = validate_entry(raw)
    if e.scope != "EU" and principal.member_state not in (None, e.scope):
        raise ValidationProblem.one("scope", f"you maintain the list of {principal.member_state} only")
    if e.scope == "EU" and principal.member_state is not None:
        raise ValidationProblem.one("scope", "the EU list is maintained by an EU body")
    with services.uow() as uow:
        if uow.conn.execute(select(func.count()).select_from(safe_country_designations)).scalar() == 0:
            for s in shipped_entries():
                _insert_designation(uow, principal, s)
        D = safe_country_designations
        same = uow.conn.execute(select(D.c.id).where(
            D.c.scope == e.scope, D.c.concept == e.concept, D.c.country == e.country,
            D.c.valid_from == e.valid_from).limit(1)).scalar()
        if same is not None:
            raise Conflict(f"{e.country} is already designated on the {e.scope} list as "
                           f"{e.concept.replace('_', ' ')} from {e.valid_from.isoformat()} ({same})")
        sid = _insert_designation(uow, principal, e)
        uow.audit(principal, "procedures.safe_country_added", "safe_country_designation", sid,
                  after=e.as_dict())
        uow.commit()
    return {"id": sid, **e.as_dict()}


#: the longest reason for ending, correcting or withdrawing a designation (kept in the audit)
DESIGNATION_REASON_MAX = 500


def _designation_to_change(uow: UnitOfWork, principal: Principal, designation_id: str, version: int,
                           reason: str) -> tuple[Any, str]:
    """The stored designation an administrator may change (404 when none has the id; 403 for a
    list they do not keep; 409 on a stale version) and the reason, checked."""
    require(principal, *LIST_ROLES)
    text = (reason or "").strip()
    if not text:
        raise ValidationProblem.one("reason", "say why the designation is ended, corrected or withdrawn")
    if len(text) > DESIGNATION_REASON_MAX:
        raise ValidationProblem.one("reason", f"at most {DESIGNATION_REASON_MAX} characters")
    D = safe_country_designations
    row = uow.conn.execute(select(D).where(D.c.id == designation_id)).mappings().first()
    if row is None:
        raise NotFound(f"safe-country designation {shortened(designation_id)} not found")
    if row["scope"] not in designation_scopes(principal):
        raise Forbidden(f"you maintain the list of {principal.member_state} only"
                        if principal.member_state else "you do not maintain this list")
    if row["version"] != version:
        raise Conflict(f"designation {designation_id} was changed by someone else (version "
                       f"{row['version']}, you edited version {version}); reload and apply your change again")
    return row, text


def _designation_dict(row: Any) -> dict[str, Any]:
    return {"id": row["id"], **SafeCountryEntry(
        row["scope"], row["concept"], row["country"], row["valid_from"], row["reference"],
        row["valid_to"], row["exclusion"], row["note"] or "").as_dict(), "version": row["version"]}


def change_safe_country(services: Services, principal: Principal, designation_id: str,
                        raw: dict[str, Any]) -> dict[str, Any]:
    """End a designation from a date or correct it (``SafeCountryChange``): the merged entry is
    checked as a new one is (``validate_entry``), the change audited with before and after."""
    given = {k: v for k, v in raw.items() if k not in ("version", "reason")}
    with services.uow() as uow:
        row, reason = _designation_to_change(uow, principal, designation_id, int(raw["version"]),
                                             str(raw.get("reason") or ""))
        before = _designation_dict(row)
        merged = {k: before[k] for k in ("scope", "concept", "country", "valid_from", "valid_to",
                                         "reference", "exclusion", "note")}
        merged.update(given)
        e = validate_entry(merged)
        values = {"valid_from": e.valid_from, "valid_to": e.valid_to, "reference": e.reference,
                  "exclusion": e.exclusion, "note": e.note}
        update_versioned(uow.conn, safe_country_designations, designation_id, row["version"], values)
        after = {"id": designation_id, **e.as_dict(), "version": row["version"] + 1}
        action = ("procedures.safe_country_ended" if set(given) == {"valid_to"} and e.valid_to
                  else "procedures.safe_country_corrected")
        uow.audit(principal, action, "safe_country_designation", designation_id,
                  before=before, after={**after, "reason": reason})
        uow.commit()
    return after


def withdraw_safe_country(services: Services, principal: Principal, designation_id: str,
                          raw: dict[str, Any]) -> dict[str, Any]:
    """Withdraw a designation entered in error (``SafeCountryWithdrawal``): removed from the list,
    what it said kept in the audit entry with the reason."""
    with services.uow() as uow:
        row, reason = _designation_to_change(uow, principal, designation_id, int(raw["version"]),
                                             str(raw.get("reason") or ""))
        before = _designation_dict(row)
        uow.conn.execute(delete(safe_country_designations).where(
            safe_country_designations.c.id == designation_id))
        uow.audit(principal, "procedures.safe_country_withdrawn", "safe_country_designation",
                  designation_id, before=before, after={"withdrawn": True, "reason": reason})
        uow.commit()
    return {**before, "withdrawn": True, "reason": reason}


def designation_scopes(principal: Principal) -> list[str]:
    """The lists ``principal`` may add a designation to, by :func:`add_safe_country`'s rule: none
    without the administrator's role; a state's administrator, their state's national list; an EU
    body's administrator, the EU list and every state's. For the screens that offer the form."""
    if not principal.has(*LIST_ROLES):
        return []
    if principal.member_state is not None:
        return [principal.member_state]
    return ["EU", *MEMBER_STATES]


def safe_country_lists(services: Services, principal: Principal, on: date) -> list[dict[str, Any]]:
    """The designations in force on ``on``, list by list (``{"scope", "entries"}``, the EU list
    first): a state's user sees the EU list and their state's own (the lists the routing of their
    applications applies), an EU body's user the EU list and every national list."""
    entries = list_safe_countries(services, principal, on)
    ms = principal.member_state
    scopes = ["EU", ms] if ms else ["EU", *sorted({e["scope"] for e in entries} - {"EU"})]
    return [{"scope": s, "entries": [e for e in entries if e["scope"] == s]} for s in scopes]


# --------------------------------------------------------------------------- applications


class ApplicationCreate(BaseModel):
    """Making an application: the routing facts plus the links to the registry."""

    model_config = ConfigDict(extra="forbid")

    person_id: str
    screening_id: str | None = None
    made_on: date
    registered_on: date | None = None
    context: Context
    nationality: str | None = None
    unaccompanied_minor: bool = False
    misled_authorities: bool = False
    security_threat: bool = False
    subsequent_application: bool = False
    first_country_of_asylum: str | None = None
    safe_third_country_connection: str | None = None
    vulnerabilities: list[str] = Field(default_factory=list)
    responsible_state: str | None = None
    assigned_to: str | None = None

    @field_validator("vulnerabilities")
    @classmethod
    def _v(cls, v: list[str]) -> list[str]:
        unknown = sorted(set(v) - KNOWN_VULNERABILITIES)
        if unknown:
            raise ValueError(f"unknown vulnerabilities {unknown}")
        return v

    @field_validator("responsible_state")
    @classmethod
    def _rs(cls, v: str | None) -> str | None:
        return member_state(v) if v else None


class CaseAction(BaseModel):
    model_config = ConfigDict(extra="allow")

    action: str
    version: int


_STEP_TYPES: dict[str, Any] = {"date": str, "text": str, "choice": str, "outcome": str, "appeal_outcome": str,
                               "bool": bool, "number": int}
#: The fields each workflow action reads from a ``CaseAction``'s other fields, with their JSON
#: types (``ACTION_FIELDS``, the entry ban a notification's return decision may carry among them). The
#: API refuses a value of another JSON type naming the field (``"language": 123`` was stored as
#: the language "123"); dates are ISO text the workflow reads. The web form's text goes to the
#: workflow directly.
STEP_FIELDS: dict[str, type[BaseModel]] = {}
for _action, _fields in workflow.ACTION_FIELDS.items():
    _definitions: dict[str, Any] = {name: (_STEP_TYPES[kind] | None, None) for name, kind in _fields}
    STEP_FIELDS[_action] = create_model(f"{_action}_fields", **_definitions)


def check_step_types(action: str, payload: Mapping[str, Any]) -> None:
    """The fields of a workflow step as JSON gives them (API body, CLI file) are the step's own
    (:data:`workflow.ACTION_FIELDS`: a ``ValidationProblem`` naming each other one) and have the
    types of :data:`STEP_FIELDS`: pydantic's ``ValidationError`` naming each field otherwise. An
    unknown action is the workflow's to name; what the values say, too."""
    fields = STEP_FIELDS.get(action)
    if fields is not None:
        # a misspelt field was silently dropped ("with_return_decison": the case notified without
        # its return decision): every field the step does not take is refused, by name
        known = [name for name, _kind in workflow.ACTION_FIELDS[action]]
        takes = ", ".join(known) if known else "no fields"
        unknown = [k for k in payload if k not in known]
        if unknown:
            raise ValidationProblem([(k, f"unknown field: {action} takes action, version and {takes}")
                                     for k in unknown])
        strict_model(fields).model_validate(dict(payload))


def case_from_row(r: Any) -> workflow.Case:
    """The workflow's view of a stored case row (its state, dates and decision)."""
    return workflow.Case(
        member_state=r["member_state"], procedure=r["procedure"], context=r["context"],
        state=CaseState(r["state"]), made_on=r["made_on"], registered_on=r["registered_on"],
        lodged_on=r["lodged_on"], interview_held_on=r["interview_held_on"],
        interpreter_language=r["interpreter_language"], outcome=r["outcome"],
        drafted_by=r["drafted_by"], decided_on=r["decided_on"], notified_on=r["notified_on"],
        appeal_deadline=r["appeal_deadline"], appeal_lodged_on=r["appeal_lodged_on"],
        suspensive_effect=r["suspensive_effect"], appeal_outcome=r["appeal_outcome"],
        inadmissibility_ground=r["inadmissibility_ground"],
        unaccompanied_minor=bool(r.get("unaccompanied_minor")),
        remain_requested_on=r.get("remain_requested_on"), remain_decided_on=r.get("remain_decided_on"),
        remain_allowed=r.get("remain_allowed"),
        return_decision_issued=r.get("return_decision_id") is not None,
        subsequent_application="subsequent_application" in (r.get("routing_grounds") or []),
        new_elements_found_on=r.get("new_elements_found_on"),
        # routed on a circumstance of APR Art 42(1) and examined in the regular procedure: only by
        # leave_accelerated (the routing makes the accelerated procedure mandatory on one)
        # (or by leave_border_procedure, save where the grounds were found no longer to apply)
        left_accelerated=(r["procedure"] == "regular"
                          and bool(set(r.get("routing_grounds") or []) & workflow.ACCELERATED_GROUNDS)
                          and r.get("border_left_ground") not in workflow.BORDER_GROUNDS_NO_LONGER_APPLY),
        grounds=tuple(r.get("routing_grounds") or ()),
        border_left_on=r.get("border_left_on"), border_left_ground=r.get("border_left_ground"),
        interview_omitted_on=r.get("interview_omitted_on"),
        interview_omission_ground=r.get("interview_omission_ground"),
        interview_written_until=r.get("interview_written_until"),
        interview_omission_same_rights=bool(r.get("interview_omission_same_rights")),
        interview_not_attended_on=r.get("interview_not_attended_on"),
        suspended_on=r.get("suspended_on"), suspended_until=r.get("suspended_until"),
        suspension_ground=r.get("suspension_ground"))


_CASE_FIELDS = ("state", "registered_on", "lodged_on", "interview_held_on", "interpreter_language",
                "outcome", "drafted_by", "decided_on", "notified_on", "appeal_deadline",
                "appeal_lodged_on", "suspensive_effect", "appeal_outcome", "inadmissibility_ground",
                "remain_requested_on", "remain_decided_on", "remain_allowed", "new_elements_found_on",
                "border_left_on", "border_left_ground", "interview_omitted_on", "interview_omission_ground",
                "interview_written_until", "interview_omission_same_rights", "interview_not_attended_on",
                "suspended_on", "suspended_until", "suspension_ground")


def _case_values(c: workflow.Case, today: date) -> dict[str, Any]:
    """The case columns of ``c`` as written on ``today``, its next deadline among them (a border
    procedure's end passed before ``today`` is not the next deadline of a case whose decision was
    notified: ``workflow.border_end_behind``; the job ``procedures_border_end_passed`` moves it on
    for the cases whose end passes while nothing is written)."""
    vals = {k: getattr(c, k) for k in _CASE_FIELDS}
    vals["state"] = c.state.value
    dl = workflow.next_deadline(c, today)
    vals["next_deadline"] = dl.due if dl else None
    vals["next_deadline_kind"] = dl.kind if dl else None
    vals["closed"] = workflow.is_closed(c.state)
    return vals


def today_in(services: Services, member_state: str | None) -> date:
    """Today on ``member_state``'s clock (``pactum.registry.local_time.state_today``) on the
    services' clock."""
    return state_today(services.clock.now(), member_state)


def _event(uow: UnitOfWork, case_id: str, event: str, from_state: str | None, to_state: str,
           actor: str, detail: dict[str, Any], batch: CaseBatch | None = None) -> None:
    """Record a timeline event (in a batch: with the batch's ordered id, inserted with the batch's
    other events just before its commit)."""
    row = {"id": batch.event_id() if batch else new_id("ace"), "case_id": case_id, "at": uow.now,
           "event": event, "from_state": from_state, "to_state": to_state, "actor": actor,
           "detail": detail}
    if batch is not None:
        batch.pending_events.append(row)
    else:
        uow.conn.execute(_INSERT_EVENT, row)


class ApplicationRefused(ValidationProblem):
    """Every problem of an application at once, nothing written: those of its fields as the model
    reads them (``schema``, pydantic's error, or None) and those the registry and the workflow find
    in the fields the model read (``checks``: a day after today, a registration before the
    application, a context the person's encounter contradicts, ...). A form refused one stage per
    submission made the officer send it again for each."""

    def __init__(self, schema: ValidationError | None, checks: list[tuple[str, str]]) -> None:
        self.schema = schema
        self.checks = checks
        super().__init__([*(_field_problems(schema) if schema is not None else []), *checks])


def create_application(services: Services, principal: Principal,
                       body: ApplicationCreate | Mapping[str, Any], *,
                       model: type[ApplicationCreate] = ApplicationCreate) -> dict[str, Any]:
    """Make and route an application. ``body``: the model, or the fields as the caller sent them
    (the CLI's JSON file, validated by ``model``, its :func:`strict_model`; the web form's), whose every
    problem is then refused at once (:class:`ApplicationRefused`), the model's with the registry's."""
    require(principal, *WRITE_ROLES)
    ms = require_member_state(principal)
    with services.uow() as uow:
        if not isinstance(body, ApplicationCreate):
            body = _validated_application(uow, principal, ms, body, model)
        cid = _insert_case(uow, principal, ms, body, RoutingReference())["id"]
        uow.commit()
    out = get_case(services, principal, cid, channel=None)
    # an application of the same person under another record: said, not refused (the link may be
    # wrong until verified)
    out["warnings"] = [*out["warnings"], *linked_application_warnings(
        applications_of_linked_persons(services, principal, body.person_id))]
    return out


class RoutingReference:
    """The decision statistics and safe-country lists routing reads, read from the store once
    per holder. One unit of work holds one; several ``case_batch``es may share one only while
    nothing imports statistics or changes the safe-country lists (the demo world's build)."""

    def __init__(self) -> None:
        self._stats: dict[str, list[DecisionStat]] = {}
        self._safe: list[SafeCountryEntry] | None = None

    def stats(self, conn: Connection, nationality: str) -> list[DecisionStat]:
        if nationality not in self._stats:
            self._stats[nationality] = _stats_for(conn, nationality)
        return self._stats[nationality]

    def safe(self, conn: Connection) -> list[SafeCountryEntry]:
        if self._safe is None:
            self._safe = _safe_entries(conn)
        return self._safe


def _insert_case(uow: UnitOfWork, principal: Principal, ms: str, body: ApplicationCreate,
                 reference: RoutingReference, batch: CaseBatch | None = None) -> dict[str, Any]:
    """Make, route and record an application (its event and audit entry); the row as written.
    Every check comes before the first write."""
    conn = uow.conn
    today = state_today(uow.now, ms)
    problems, screening_id, rin = _application_checks(conn, principal, ms, body.model_dump(), today,
                                                      unknown_person=True)
    if problems or rin is None:
        raise ApplicationRefused(None, problems)
    result = route(rin, reference.stats(conn, rin.nationality), reference.safe(conn))
    case_ = workflow.Case(member_state=ms, procedure=result.procedure, context=body.context,
                          state=CaseState.made, made_on=body.made_on)
    cid = new_id("asy")
    row = {"id": cid, "reference": _next_reference(conn, ms, body.made_on.year),
           "member_state": ms, "person_id": body.person_id, "screening_id": screening_id,
           "responsible_state": body.responsible_state, "nationality": rin.nationality,
           "context": body.context, "unaccompanied_minor": body.unaccompanied_minor,
           "procedure": result.procedure, "routing_mandatory": result.mandatory,
           "routing_grounds": result.grounds, "routing": result.model_dump(mode="json"),
           "made_on": body.made_on, "return_decision_id": None,
           "assigned_to": body.assigned_to or principal.username, "created_at": uow.now,
           "version": 1, **_case_values(case_, state_today(uow.now, ms))}
    conn.execute(_INSERT_CASE, row)
    # the application records the person in Eurodac as an applicant (Reg. 2024/1358 Art 15;
    # Reg. 603/2013 Art 9 before 12 June 2026), so that other states find the application
    registry.record_application_in_eurodac(uow, principal, person_id=body.person_id, made_on=body.made_on,
                                           asylum_case_id=cid)
    _event(uow, cid, "made", None, CaseState.made.value, principal.username,
           {"made_on": body.made_on.isoformat(), "procedure": result.procedure,
            "mandatory": result.mandatory, "grounds": result.grounds}, batch)
    uow.audit(principal, "procedures.application_made", "asylum_application", cid,
              after={"procedure": result.procedure, "grounds": result.grounds})
    if body.registered_on:
        decided = _decide(conn, principal, row, "register", {"registered_on": body.registered_on}, 1,
                          state_today(uow.now, ms))
        row = _record(uow, principal, decided, {"registered_on": body.registered_on}, batch)
    return row


def _validated_application(uow: UnitOfWork, principal: Principal, ms: str, values: Mapping[str, Any],
                           model: type[ApplicationCreate]) -> ApplicationCreate:
    """``values`` as ``model`` reads them; where it cannot, the refusal names with the model's
    problems those the registry and the workflow find in the fields it could read (each read
    alone), so that the form is refused once with all of them."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as exc:
        schema = exc
    bad = {str(e["loc"][0]) for e in schema.errors() if e.get("loc")}
    read: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in bad or values.get(name) is None or info.annotation is None:
            continue
        try:
            read[name] = TypeAdapter(info.annotation).validate_python(values[name])
        except ValidationError:  # said by the model's problems
            continue
    checks = _application_checks(uow.conn, principal, ms, read, state_today(uow.now, ms), unknown_person=False)[0]
    raise ApplicationRefused(schema, checks)


def _application_checks(conn: Connection, principal: Principal | None, ms: str, f: Mapping[str, Any],
                        today: date, *, unknown_person: bool
                        ) -> tuple[list[tuple[str, str]], str | None, RoutingInput | None]:
    """Every problem of an application's fields ``f`` (those read; a field missing is not checked)
    against the registry and the workflow, before anything is written, with the screening to link
    and the routing's input where there is no problem. A person not of ``ms``: NotFound when
    ``unknown_person`` (the API's 404), else one more problem of ``person_id``. ``principal``: who
    makes it (None: the assignment is not checked)."""
    problems: list[tuple[str, str]] = []
    person_id, made_on, context = f.get("person_id"), f.get("made_on"), f.get("context")
    person = False
    if person_id is not None:
        if conn.execute(_SELECT_PERSON_STATE, {"person_id": person_id}).scalar() == ms:
            person = True
        elif unknown_person:
            raise NotFound(f"person {shortened(person_id)} not found")
        else:
            problems.append(("person_id", f"person {shortened(person_id)} not found"))
    if made_on is not None:
        problems += _made_problems(conn, ms, person_id if person else None, made_on, context, today)
    screening_id = f.get("screening_id")
    if person and screening_id:
        scr = conn.execute(_SELECT_SCREENING_PERSON, {"screening_id": screening_id}).first()
        if scr is None or scr[0] != person_id:
            problems.append(("screening_id", "no screening of this person has this id"))
    elif person:  # link the person's latest screening in this state, where there is one
        screening_id = conn.execute(_SELECT_LATEST_SCREENING, {"person_id": person_id, "ms": ms}).scalar()
    nationality = f.get("nationality")
    if not nationality and person:
        nationality = conn.execute(
            select(identity_records.c.nationality).where(identity_records.c.person_id == person_id)
            .order_by(identity_records.c.recorded_on.desc()).limit(1)).scalar()
    # the routing's facts, also where the day or the context is missing (a day and a context of
    # its own stand in for them, their problems being the fields' own)
    stand_ins = {k for k, v in (("applied_on", made_on), ("context", context)) if v is None}
    rin: RoutingInput | None = None
    try:
        rin = RoutingInput(
            applied_on=made_on or today, member_state=ms, context=context or "in_territory",
            nationality=nationality or "XXX",
            unaccompanied_minor=bool(f.get("unaccompanied_minor")),
            misled_authorities=bool(f.get("misled_authorities")),
            security_threat=bool(f.get("security_threat")),
            subsequent_application=bool(f.get("subsequent_application")),
            first_country_of_asylum=f.get("first_country_of_asylum"),
            safe_third_country_connection=f.get("safe_third_country_connection"),
            vulnerabilities=list(f.get("vulnerabilities") or []))
    except ValidationError as e:  # each problem under its own field, in one readable line
        problems += [(k, m) for k, m in _field_problems(e) if k.split(".")[0] not in stand_ins]
    registered_on = f.get("registered_on")
    if registered_on is not None:  # registered with the application: checked before anything is written
        if made_on is not None:
            try:
                workflow.apply(workflow.Case(member_state=ms, procedure="regular", context=context or "",
                                             state=CaseState.made, made_on=made_on),
                               "register", {"registered_on": registered_on}, "")
            except ValidationProblem as exc:
                problems += exc.problems
        try:
            _not_in_future({"registered_on": registered_on}, today)
        except ValidationProblem as exc:
            problems += exc.problems
    assigned_to = f.get("assigned_to")
    if principal is not None and assigned_to is not None and assigned_to != principal.username:
        officer = conn.execute(_SELECT_USER_AUTHORITY, {"username": assigned_to}).scalar()
        if officer != ms:
            problems.append(("assigned_to", f"{shortened(assigned_to)!r} is not a user of {ms}"))
    return problems, screening_id, (None if problems or stand_ins else rin)


#: the counter row of a state's year, created if missing (SQLite, PostgreSQL), made once
_NEW_COUNTER = (sqlite_dialect.insert(_COUNTER).on_conflict_do_nothing(),
                postgresql_dialect.insert(_COUNTER).on_conflict_do_nothing())


def _next_reference(conn: Connection, ms: str, year: int) -> str:
    """The next short reference of ``ms``'s cases of ``year`` (``DE-2026-000123``), taken in the
    case's own transaction: the counter row is created if missing (a concurrent creation of the
    same row waits, then does nothing), then moved on by one UPDATE, which locks the row until the
    transaction ends, so that two cases never take one number and a case rolled back gives its
    number back (docs/procedures.md, "Case references"). The unique index on the reference guards
    the rest."""
    values = {"member_state": ms, "year": year, "last_number": 0}
    conn.execute(_NEW_COUNTER[conn.dialect.name == "postgresql"], values)
    number = conn.execute(_NEXT_NUMBER, {"b_ms": ms, "b_year": year}).scalar_one()
    return f"{ms}-{year}-{number:06d}"


def case_reference(text: str) -> str | None:
    """``text`` as a case reference (``de-2026-000123`` → ``DE-2026-000123``), or None when it is
    not written as one (a case id)."""
    ref = text.strip().upper()
    return ref if CASE_REFERENCE.fullmatch(ref) else None


def case_id_of(conn: Connection, member_state: str, text: str) -> str | None:
    """The id of ``member_state``'s asylum case that ``text`` names, by its id or its short
    reference (``de-2026-000123`` as well), or None when none of the state's cases has it (another
    state's case is none: the caller answers as for an unknown id, naming what was asked)."""
    text = text.strip()
    ref = case_reference(text)
    cond = A.c.reference == ref if ref is not None else A.c.id == text
    return conn.execute(select(A.c.id).where(cond, A.c.member_state == member_state)).scalar()


def case_references(conn: Connection, case_ids: Iterable[str | None]) -> dict[str, str]:
    """The short references of the asylum cases ``case_ids`` (id → reference; an unknown id left
    out), for the pages that name a case another area records by its id."""
    ids = sorted({c for c in case_ids if c})
    if not ids:
        return {}
    return {r.id: r.reference for r in conn.execute(select(A.c.id, A.c.reference).where(A.c.id.in_(ids)))
            if r.reference}


def _field_problems(e: ValidationError) -> list[tuple[str, str]]:
    """Pydantic's errors as (field, message) pairs: the field each names, its message without
    pydantic's "Value error, " prefix (a refusal reads as one line, not a dump)."""
    out = []
    for err in e.errors(include_url=False):
        field = ".".join(str(x) for x in err.get("loc", ())) or "body"
        msg = str(err.get("msg", ""))
        out.append((field, msg.removeprefix("Value error, ")))
    return out


_SELECT_ENCOUNTERS = (select(encounters.c.occurred_at, encounters.c.kind, encounters.c.member_state,
                              encounters.c.time_zone)
                      .where(encounters.c.person_id == bindparam("person_id"))
                      .order_by(encounters.c.occurred_at))
_SELECT_OPEN_CASE = (select(A.c.id, A.c.reference, A.c.made_on)
                     .where(A.c.person_id == bindparam("person_id"), A.c.member_state == bindparam("ms"),
                            A.c.closed.is_(False)).limit(1))


def _encounters(conn: Connection, person_id: str) -> list[tuple[date, str]]:
    """The person's encounters recorded by the registry (day, kind), oldest first: each on the local
    day of the place where it happened (its recorded clock, else its state's capital's), as the
    registry counts it (Reg. 1182/71: the day during which the event occurs)."""
    return [(stored_day(at, ms, zone), kind)
            for at, kind, ms, zone in conn.execute(_SELECT_ENCOUNTERS, {"person_id": person_id}).all()]


def encounter_context(found: list[tuple[date, str]], on: date | None = None) -> tuple[str, date] | None:
    """The context of an application made on ``on`` (the latest encounter up to that day; any
    day: the latest) as the registry's encounter says it, with the encounter's day."""
    before = found if on is None else [e for e in found if e[0] <= on]
    if not before:
        return None
    day, kind = before[-1]
    ctx = CONTEXT_OF_ENCOUNTER.get(kind)
    return (ctx, day) if ctx else None


def _made_problems(conn: Connection, ms: str, person_id: str | None, made_on: date, context: str | None,
                   today: date) -> list[tuple[str, str]]:
    """The problems of the day the application was made and of its context against the registry:
    not after today, not before the person's first encounter (the routing's regime follows that
    day), a border context only for a person met at the border (APR Art 43(1)), no second open
    application of the person in the state. ``person_id``: the state's person (None: not known,
    only the day is checked against today)."""
    problems: list[tuple[str, str]] = []
    if made_on > today:
        problems.append(("made_on", f"cannot be after today ({today.isoformat()})"))
    if person_id is None:
        return problems
    found = _encounters(conn, person_id)
    if found and made_on < found[0][0]:
        first, kind = found[0]
        problems.append(("made_on", f"cannot be before the person's first encounter "
                                    f"({kind.replace('_', ' ')} on {first.isoformat()})"))
    met = encounter_context(found, made_on)
    if (met is not None and met[0] == "in_territory" and context is not None
            and context in INLAND_CONTRADICTED_CONTEXTS):
        problems.append(("context", f"{context.replace('_', ' ')} contradicts the person's "
                                    f"encounter inside the territory on {met[1].isoformat()}: an "
                                    "application made in the territory is not made at the external "
                                    "border (Regulation (EU) 2024/1348, Article 43(1)); use in territory"))
    other = conn.execute(_SELECT_OPEN_CASE, {"person_id": person_id, "ms": ms}).first()
    if other is not None:
        problems.append(("person_id", f"the person already has an open application in {ms} "
                                      f"({other.reference or other.id}, made on {_iso(other.made_on)}); a new one "
                                      "is made once that one is closed"))
    return problems


def application_defaults(services: Services, principal: Principal, person_id: str) -> dict[str, Any]:
    """What the form to make an application can fill in for one of the state's persons: the
    nationality of the latest identity record and the context of the latest encounter (with its
    kind and day). Empty for a person the caller cannot see."""
    ms = principal.member_state
    if ms is None or not principal.has(*WRITE_ROLES):
        return {}
    with services.engine.connect() as conn:
        if conn.execute(_SELECT_PERSON_STATE, {"person_id": person_id}).scalar() != ms:
            return {}
        nationality = conn.execute(
            select(identity_records.c.nationality).where(identity_records.c.person_id == person_id)
            .order_by(identity_records.c.recorded_on.desc()).limit(1)).scalar()
        found = _encounters(conn, person_id)
    out: dict[str, Any] = {"person_found": True, "nationality": nationality}
    if found:
        out["encounter_kind"], out["encounter_on"] = found[-1][1], found[-1][0].isoformat()
        met = encounter_context(found)
        if met is not None:
            out["context"] = met[0]
    return out


def _load(conn: Connection, principal: Principal, case_id: str, statement: Any = _SELECT_CASE) -> Any:
    """The case of ``case_id``, its id or its short reference (``DE-2026-000123``), if it is one of
    the principal's state's; NotFound otherwise."""
    ref = case_reference(case_id)
    found_id = case_id
    if ref is not None:
        found_id = conn.execute(_SELECT_ID_OF_REFERENCE, {"reference": ref}).scalar() or case_id
    r = conn.execute(statement, {"case_id": found_id}).mappings().first()
    if r is None or r["member_state"] != principal.member_state:
        raise NotFound(f"asylum case {case_id} not found")  # as asked: another state's id is not said
    return r


def _not_in_future(payload: dict[str, Any], today: date) -> None:
    """The days a step records as having happened (``…_on``, the ``on`` of the closing) are not
    after today: checked before the workflow computes anything from them (a notification dated
    9999-12-30 made the appeal time limit overflow the calendar). A value that is not a date is
    the workflow's to name."""
    future = []
    for k, v in payload.items():
        if not (k.endswith("_on") or k == "on") or k == "interview_on":
            continue
        try:
            d = v if isinstance(v, date) else date.fromisoformat(str(v)) if isinstance(v, str) else None
        except ValueError:
            continue
        if d is not None and d > today:
            future.append(k)
    if future:
        raise ValidationProblem([(k, f"cannot be after today ({today.isoformat()})") for k in future])


#: The steps whose fields are all checked at once by the workflow: a day after today is reported with
#: the others (a suspension dated in the future, with an unknown ground and no time given, names all
#: three), not alone.
_EVERY_PROBLEM_AT_ONCE = frozenset({"suspend_examination", "resume_examination"})


def _every_problem_with_the_future(before: workflow.Case, action: str, payload: dict[str, Any], actor: str,
                                   today: date) -> None:
    """:func:`_not_in_future`, and for a step of :data:`_EVERY_PROBLEM_AT_ONCE` with a day after today,
    the workflow's own field problems with it in one 422 (the future days first, then the others). A
    step the workflow refuses as a whole (409) is refused for its days after today, as before."""
    try:
        _not_in_future(payload, today)
    except ValidationProblem as future:
        if action not in _EVERY_PROBLEM_AT_ONCE:
            raise
        named = {k for k, _ in future.problems}
        try:
            workflow.apply(before, action, payload, actor)
        except ValidationProblem as exc:
            raise ValidationProblem([*future.problems, *(pr for pr in exc.problems if pr[0] not in named)]) from None
        except Conflict:
            pass
        raise


_SELECT_LAST_SCHEDULING = (select(E.c.detail)
                           .where(E.c.case_id == bindparam("case_id"), E.c.event == "interview_scheduled")
                           .order_by(E.c.at.desc(), E.c.id.desc()).limit(1))


_SELECT_SCHEDULINGS = (select(E.c.detail, E.c.at)
                       .where(E.c.case_id == bindparam("case_id"), E.c.event == "interview_scheduled")
                       .order_by(E.c.at, E.c.id))


def _scheduled_days(conn: Connection, case_id: str) -> list[dict[str, str | None]]:
    """The days the case's personal interview was scheduled for, in the order it was scheduled (the
    last is the interview as scheduled now), each with the day it was scheduled anew
    (``superseded_on``: None for the last): a day superseded before it came was no invitation the
    applicant failed to attend."""
    rows = [(str((d or {}).get("interview_on")), at) for d, at in conn.execute(_SELECT_SCHEDULINGS, {"case_id": case_id})]
    out: list[dict[str, str | None]] = []
    for i, (on, _at) in enumerate(rows):
        nxt = rows[i + 1][1] if i + 1 < len(rows) else None
        out.append({"on": on, "superseded_on": nxt.date().isoformat() if nxt is not None else None})
    return out


def _check_held_on(conn: Connection, case_id: str, held_on: Any) -> None:
    """An interview is held on the day it was scheduled for, or later: not before it without a
    new scheduling (``schedule_interview`` again records the day it was brought forward to)."""
    try:
        d = held_on if isinstance(held_on, date) else date.fromisoformat(str(held_on))
    except ValueError:
        return  # not a date: the workflow's to name
    details = conn.execute(_SELECT_LAST_SCHEDULING, {"case_id": case_id}).scalar()
    scheduled = (details or {}).get("interview_on")
    if scheduled and d.isoformat() < str(scheduled):
        raise ValidationProblem.one("held_on", f"cannot be before the day the interview is scheduled for "
                                               f"({scheduled}): schedule it again for the day it is held")


@dataclass(frozen=True)
class _Decided:
    """An action found legal on a case as loaded: what ``_record`` writes."""

    row: Any
    version: int
    before: workflow.Case
    change: workflow.Change
    #: the routing done again at lodging, where the lodging changed the law of the case (``_rerouting``)
    rerouted: dict[str, Any] | None = None


def _decide(conn: Connection, principal: Principal, row: Any, action: str, payload: dict[str, Any],
            version: int, today: date, reference: RoutingReference | None = None) -> _Decided:
    """Every check of an action, before anything is written: the workflow's rules, no date after
    today, the version the officer acted on is the one on file (409 otherwise)."""
    before = case_from_row(row)
    if action in workflow.ACTIONS and before.state in workflow.ACTIONS[action][0]:
        # a step the case's state allows: no decision on the application while another state is
        # responsible for it (409), then its days are checked before the workflow computes from
        # them (an illegal step is refused as such first)
        if action in DECISION_ACTIONS:
            blocked = _decision_blocked(conn, row, today)
            if blocked is not None:
                raise Conflict(f"{row['member_state']} cannot {workflow.ACTIONS[action][1]}: "
                               f"{blocked['reason']}")
        _every_problem_with_the_future(before, action, payload, principal.username, today)
        if action == "hold_interview":
            _check_held_on(conn, row["id"], payload.get("held_on"))
        if action == "record_interview_not_attended":
            # APR Art 13(14): the invitations the applicant did not attend are the case's own scheduled
            # interviews, never days the payload claims
            payload = {**payload, "scheduled_interviews": _scheduled_days(conn, row["id"])}
        if action == "close_transferred":
            payload = {**payload, **_transfer_of(conn, row, payload.get("dublin_request_id"))}
        if action == "close_joined":
            payload = {**payload, **_joined_target(conn, row, payload.get("joined_to"))}
        if action == "draft_decision" and payload.get("inadmissibility_ground") == RD_GROUND:
            # APR Art 38(1)(e) turns on a return decision of the person in this state: the store's,
            # never one the payload claims
            payload = {**payload, "return_decision": _return_decision_before(conn, row)}
    change = workflow.apply(before, action, payload, principal.username)
    _not_in_future(payload, today)
    if row["version"] != version:
        raise Conflict(f"{A.name} {row['id']} was changed by someone else (version {row['version']}, "
                       f"you edited version {version}); reload and apply your change again")
    rerouted = None
    if change.event == "lodged":
        # APR Art 79(3): the lodging fixes the law of the case; where it is not the law the
        # application was routed under, it is routed again under it before anything is computed
        rerouted = _rerouting(conn, row, change.case, reference or RoutingReference())
        if rerouted is not None:
            change = replace(change, case=replace(change.case, procedure=rerouted["after"]["procedure"]))
    return _Decided(row, version, before, change, rerouted)


def _row_routing_input(row: Any, routing: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The routing facts a case row holds, where its routing's trace does not give them all: the
    day made, the state, the context, the nationality, whether an unaccompanied minor, and the
    grounds the first routing found. A country of first asylum or safe third country is not kept
    outside the trace: the one its ``admissibility_grounds`` step records, where it is there and
    names a third country; otherwise it is not recorded (``_not_recorded`` says so)."""
    grounds = set(row["routing_grounds"] or [])
    out: dict[str, Any] = {
        "applied_on": row["made_on"], "member_state": row["member_state"], "context": row["context"],
        "nationality": row["nationality"], "unaccompanied_minor": bool(row["unaccompanied_minor"]),
        "misled_authorities": "misled_authorities" in grounds, "security_threat": "security_threat" in grounds,
        "subsequent_application": "subsequent_application" in grounds}
    for ground, code in routing_third_countries(routing).items():
        if ground in grounds and code:
            field_ = THIRD_COUNTRY_GROUNDS[ground]
            try:
                out[field_] = third_country(field_, code, row["nationality"])
            except ValueError:  # a code no longer accepted: not recorded as a third country
                continue
    return out


def _not_recorded(first_grounds: Iterable[str], rin: RoutingInput) -> list[str]:
    """The first routing's grounds that rest on a third country the facts routed again do not
    record (the country was not kept: ``_row_routing_input``)."""
    return [g for g in first_grounds
            if g in THIRD_COUNTRY_GROUNDS and not getattr(rin, THIRD_COUNTRY_GROUNDS[g])]


def _rerouting(conn: Connection, row: Any, after: workflow.Case, reference: RoutingReference
               ) -> dict[str, Any] | None:
    """The routing done again once the application is lodged, where the law of the case
    (``workflow.case_regime``, chosen by the day of lodging: APR Art 79(3)) is not the law it was
    routed under when it was made (an application made before 12 June 2026 and lodged from it is
    under the APR, routed under Directive 2013/32/EU): the same facts (``routing_input``, read
    from the first routing's trace) routed under the law of the case (``route(...,
    lodged_on=...)``). None where nothing changes (or the case is not lodged).

    ``before``/``after``: the procedure, whether mandatory, the grounds and the regime of each
    routing (audited as ``procedures.rerouted``); ``record``: what the lodging event and the new
    routing's ``rerouted`` say (when, why, the first routing)."""
    law = workflow.case_regime(after)
    if not law.final or after.lodged_on is None:
        return None
    if procedures_regime(row["made_on"]).regime == law.regime and "routing" not in row:
        return None  # routed under the law of the case when it was made (the act's row has no routing)
    routing = row["routing"] if "routing" in row else conn.execute(
        select(A.c.routing).where(A.c.id == row["id"])).scalar()
    routed_under = routing_regime(routing) or procedures_regime(row["made_on"]).regime
    if routed_under == law.regime:
        return None
    try:
        rin = RoutingInput.model_validate(routing_input(routing) or _row_routing_input(row, routing))
    except ValidationError:  # a trace of facts no longer accepted: what the row holds
        rin = RoutingInput.model_validate(_row_routing_input(row, routing))
    result = route(rin, reference.stats(conn, rin.nationality), reference.safe(conn), lodged_on=after.lodged_on)
    first_grounds = list(row["routing_grounds"] or [])
    stored = routing_third_countries(routing)
    first = {"procedure": row["procedure"], "mandatory": bool(row["routing_mandatory"]),
             "grounds": first_grounds, "regime": routed_under,
             "instrument": PROCEDURES_INSTRUMENTS[routed_under],
             "legal_basis": list((routing or {}).get("legal_basis") or []),
             # the third country of each of its grounds resting on one (None: not recorded)
             "third_countries": third_countries(routed_under, first_grounds, stored)}
    now = {"procedure": result.procedure, "mandatory": result.mandatory, "grounds": list(result.grounds),
           "regime": law.regime, "instrument": law.instrument, "legal_basis": list(result.legal_basis),
           "third_countries": list(result.third_countries)}
    changed = "the procedure stays the same" if first["procedure"] == now["procedure"] else (
        f"{first['procedure']} procedure before, {now['procedure']} procedure now")
    missing = _not_recorded(first_grounds, rin)
    lost = (f"; the first routing found {', '.join(g.replace('_', ' ') for g in missing)}, whose third country is "
            "not recorded in the facts it was routed again on: not examined again (record the country on the "
            "case's file before a decision on that ground)") if missing else ""
    note = (f"routed again when lodged on {after.lodged_on.isoformat()}: the application was made on "
            f"{row['made_on'].isoformat()} and routed under {first['instrument']}; lodged on "
            f"{after.lodged_on.isoformat()}, it is under {law.instrument} ({law.legal_basis}), and routed "
            f"under it on the same facts: {changed}{lost}")
    record = {"on": after.lodged_on.isoformat(), "legal_basis": law.legal_basis, "before": first,
              "after": now, "note": note, "not_recorded": missing}
    return {"result": result, "before": first, "after": now, "record": record}


def _rerouted_values(rerouted: dict[str, Any]) -> dict[str, Any]:
    """The case columns a routing done again writes: the procedure, whether mandatory, its grounds
    and the routing (the new trace, with ``rerouted``: when, why, and the first routing)."""
    result = rerouted["result"]
    return {"procedure": result.procedure, "routing_mandatory": result.mandatory,
            "routing_grounds": list(result.grounds),
            "routing": {**result.model_dump(mode="json"), "rerouted": rerouted["record"]}}


#: The steps that decide the application (draft, second-level approval, notification, the decision
#: on the applicant's explicit withdrawal): none of them while another state is responsible for it
#: (``_decision_blocked``). A withdrawal there is for the state responsible to decide on (its
#: decision and return decision would otherwise end the application where the applicant is not to
#: stay, as an implicit withdrawal would: see ``decision_block``).
DECISION_ACTIONS = ("draft_decision", "approve", "notify", "record_withdrawal")
#: The one state responsible examines the application, and the discretionary clause by which
#: another state may decide to examine it instead, per regime of the Dublin case.
ONE_STATE_EXAMINES = {"dublin_iii": LegalRef.of("dublin3", "3", "1"), "ammr": LegalRef.of("ammr", "16", "1")}
DISCRETIONARY_CLAUSE = {"dublin_iii": LegalRef.of("dublin3", "17", "1"), "ammr": LegalRef.of("ammr", "35", "1")}


def _decision_blocked(conn: Connection, row: Any, today: date) -> dict[str, Any] | None:
    """Why the case's state may not decide the application now, or None (see ``decision_block``)."""
    dublin = _dublin_case_of(conn, row["person_id"], row["member_state"])
    if dublin is None:
        return None
    now = _responsible_now(conn, dublin, row["person_id"], row["member_state"], today)
    return decision_block(row["member_state"], dublin, now)


def decision_block(ms: str, dublin: Any, now: dict[str, Any] | None) -> dict[str, Any] | None:
    """Why ``ms`` may not decide the application (draft, approve or notify a decision, with any
    outcome) while its own Dublin case of the person (``dublin``) says another state is
    responsible now (``now``, from ``_responsible_now``), or None when it may.

    The application is examined by the one state the criteria name (Dublin III Art 3(1); AMMR
    Art 16(1)). While the determining state's take-charge request or take-back request or
    notification awaits its reply or was accepted (or the determination names another state and
    no request was sent yet, or the person was transferred, or another state took the examination
    over as a responsibility offset), the determining state transfers the person and does not
    decide the application: its way out is the discretionary clause (Dublin III Art 17(1); AMMR
    Art 35(1)), by which it decides to examine the application itself, becomes responsible and
    the request ends.

    Every outcome is refused, implicit withdrawal and inadmissibility included. A discontinuation
    or an inadmissibility decision by a state that is not responsible would end the examination
    where the person is not to stay, and could be held against them (a return decision, a later
    application treated as a subsequent one) before the state responsible examined anything; the
    reading that protects the person is that the state responsible decides these too.

    Only the state's own Dublin case (it conducts the determination) blocks: what the state may
    infer from another state's case that asked it (``_responsible_now``'s linked case) does not
    stop the requested state's examination of an application made to it."""
    if dublin is None or now is None or now.get("member_state") in (None, ms):
        return None
    regime = dublin.regime if dublin.regime in ONE_STATE_EXAMINES else "ammr"
    other, rid, rule = now["member_state"], now.get("request_id"), now.get("rule")
    one, clause = ONE_STATE_EXAMINES[regime].cite(), DISCRETIONARY_CLAUSE[regime].cite()
    about = f"Dublin case {dublin.reference}" + (f", request {rid}" if rid else "")
    if rule == "transferred":
        then = (f"the applicant was transferred; {ms} closes this case as transferred and the Member "
                f"State responsible examines the application ({one})")
    else:
        then = (f"the application is examined by the one Member State responsible ({one}): {ms} "
                f"decides nothing on it while {other} is responsible, unless {ms} decides to examine "
                f"it itself under the discretionary clause ({clause}), which makes {ms} responsible "
                "and ends the Dublin request")
    return {"member_state": other, "dublin_case": dublin.reference, "request_id": rid, "rule": rule,
            "legal_basis": [one] if rule == "transferred" else [one, clause],
            "reason": f"{other} is responsible now ({now.get('reason')}; {about}); {then}"}


def _transfers_out(conn: Connection, person_id: str, ms: str) -> list[Any]:
    """The Dublin requests under which ``ms`` transferred the person (its own Dublin cases of the
    person, requests it sent, carried out: status ``transferred``), the latest first."""
    from pactum.store.tables.responsibility import dublin_cases as D
    from pactum.store.tables.responsibility import dublin_requests as R

    return list(conn.execute(
        select(R.c.id, R.c.kind, R.c.regime, R.c.requested_member_state, R.c.transferred_on)
        .select_from(R.join(D, D.c.id == R.c.case_id))
        .where(D.c.person_id == person_id, D.c.member_state == ms, R.c.requesting_member_state == ms,
               R.c.status == "transferred", R.c.transferred_on.is_not(None))
        .order_by(R.c.transferred_on.desc(), R.c.id.desc())).all())


def _transfer_of(conn: Connection, row: Any, request_id: Any) -> dict[str, Any]:
    """What closing a case as transferred records of the Dublin request it names: refused naming
    ``dublin_request_id`` unless the request is one under which the case's state transferred this
    applicant (a request of its Dublin case of the person, carried out)."""
    rid = str(request_id or "").strip()
    if not rid:
        return {}  # the workflow asks for it
    found = {r.id: r for r in _transfers_out(conn, row["person_id"], row["member_state"])}
    r = found.get(rid)
    if r is None:
        known = ", ".join(found) or "none"
        raise ValidationProblem.one("dublin_request_id", f"{shortened(rid)!r} is not a Dublin request under "
                                    f"which {row['member_state']} transferred this applicant "
                                    f"(transfers recorded: {known})")
    return {"dublin_request_id": r.id, "transferred_on": r.transferred_on,
            "transferred_to": r.requested_member_state, "regime": r.regime}


def _same_person_links(conn: Connection, row: Any) -> dict[str, dict[str, Any] | None]:
    """The case's person (``None``: its own record) and the state's other persons white or red links
    say are the same person, directly or through a chain of them (A linked to B, B to C: C is A), a
    green link breaking it: the platform's one reading, :func:`pactum.services.registry.same_person_network`
    with the state's own persons. Each with the link that reaches the person (``id``, ``colour``,
    ``status``, ``verifying_authority``: the last of the chain, on the person's record) and, through a
    chain, ``chain`` (the links from the case's record outwards) and ``through`` (the persons passed).
    Before, only a direct link counted."""
    from pactum.services.registry import same_person_network
    from pactum.store.tables.identity import identity_links as IL

    ms = row["member_state"]
    found: dict[str, dict[str, Any] | None] = {row["person_id"]: None}
    reached = {p: r for p, r in same_person_network(conn, row["person_id"], ms, own_persons=True).items()
               if r.member_state == ms}
    ids = sorted({link for r in reached.values() for link in r.links})
    links = {r.id: r for r in conn.execute(select(IL.c.id, IL.c.colour, IL.c.status, IL.c.verifying_authority)
                                           .where(IL.c.id.in_(ids)))} if ids else {}
    for person, r in sorted(reached.items()):
        last = links.get(r.links[-1])
        if last is None:
            continue
        found[person] = {"id": last.id, "colour": last.colour, "status": last.status,
                         "verifying_authority": last.verifying_authority,
                         **({"chain": list(r.links), "through": list(r.persons[1:-1])} if len(r.links) > 1 else {})}
    return found


def _same_person_ids(conn: Connection, row: Any) -> set[str]:
    """The case's person and the state's other persons a white or red link says are the same
    person (``_same_person_links``)."""
    return set(_same_person_links(conn, row))


def _joinable(conn: Connection, row: Any) -> list[Any]:
    """The other open applications of the same person in the case's state (the latest made first):
    those the case may be closed as joined to."""
    return list(conn.execute(
        select(A.c.id, A.c.reference, A.c.state, A.c.made_on)
        .where(A.c.member_state == row["member_state"], A.c.person_id.in_(sorted(_same_person_ids(conn, row))),
               A.c.id != row["id"], A.c.state.in_(OPEN_STATES))
        .order_by(A.c.made_on.desc(), A.c.id)).all())


def _joined_target(conn: Connection, row: Any, text: Any) -> dict[str, Any]:
    """What closing a case as joined records of the application it names (``joined_to``: its
    reference or id): refused naming ``joined_to`` unless it is another open application of the
    same person in the case's state. Another state's case is named so only where its reference
    says the state (its id is "not an application of this state", as everywhere: another state's
    cases are not disclosed)."""
    typed = str(text or "").strip()
    if not typed:
        return {}  # the workflow asks for it
    ms = row["member_state"]
    ref = case_reference(typed)
    if ref is not None and not ref.startswith(f"{ms}-"):
        raise ValidationProblem.one("joined_to", f"{shortened(typed)} is an application of {ref[:2]}, not of {ms}: "
                                                 "an application is joined only to another of the same state")
    other_id = case_id_of(conn, ms, typed)
    if other_id is None:
        raise ValidationProblem.one("joined_to", f"{shortened(typed)} is not an asylum application of {ms}")
    if other_id == row["id"]:
        raise ValidationProblem.one("joined_to", "names this application itself: name the other application")
    other = conn.execute(select(A.c.id, A.c.reference, A.c.person_id, A.c.state).where(A.c.id == other_id)).one()
    if other.person_id not in _same_person_ids(conn, row):
        raise ValidationProblem.one("joined_to", f"{other.reference} is the application of another person "
                                                 f"({other.person_id}): only applications of the same person (the "
                                                 "same record, or records a white or red link says are one person) "
                                                 "are joined")
    if workflow.is_closed(CaseState(other.state)):
        raise ValidationProblem.one("joined_to", f"{other.reference} is closed ({other.state.replace('_', ' ')}): an "
                                                 "application is joined only to an open one")
    return {"joined_to": other.id, "joined_to_reference": other.reference}


def _issue_return_decision(uow: UnitOfWork, principal: Principal, d: _Decided,
                           payload: dict[str, Any]) -> str:
    """The return decision issued with a negative decision's notification (returns area; it
    checks its terms before it writes)."""
    from pactum.services import returns

    vd = payload.get("voluntary_departure_days")
    eb = payload.get("entry_ban_years")
    ebm = payload.get("entry_ban_months")
    if d.change.event == "withdrawal_recorded":
        # with the decision on the applicant's explicit withdrawal (APR Art 37), on its day; the
        # ground is the decision itself, none of the rejection's (the case's earlier outcome). The
        # returns area reads the case's decision from its row: it is set first, in this
        # transaction (the versioned write of the whole case follows, ``_write``)
        uow.conn.execute(update(A).where(A.c.id == d.row["id"], A.c.version == d.version).values(
            state=d.change.case.state.value, outcome=d.change.case.outcome, decided_on=d.change.case.decided_on))
        issued_on, grounds = (d.change.case.decided_on or state_today(uow.now, d.row["member_state"]),
                             ["negative_asylum_decision"])
    else:
        issued_on, grounds = (d.change.case.notified_on or state_today(uow.now, d.row["member_state"]),
                             _return_grounds(d.row))
    # no removal while the applicant may still lodge an appeal that suspends by itself (APR Art
    # 68(1), (2); Directive 2013/32/EU Art 46(5)) or, for one that does not, may still ask the court
    # for leave to remain (APR Art 68(5)(d)(i))
    window = workflow.request_to_remain_ends(d.change.case)
    basis = "leave_to_remain_time"
    if window is None and (window := workflow.appeal_time_protects(d.change.case)) is not None:
        basis = "appeal_time"
    # an application made in one of France's outermost regions is decided there, and the return
    # decision issued with it is issued there: the returns area enters no SIS return alert for it
    # (outside the Schengen area, CISA Art 138) and counts its days on the region's clock
    placed = registry.application_encounter(uow.conn, d.row["person_id"], d.row["member_state"], d.row["made_on"])
    where = region_of(placed["region"]) if placed and placed["region"] else None
    if where is not None and not where.european and d.change.case.notified_on is None:
        issued_on = local_day(uow.now, d.row["member_state"], where.zone)  # today there
    return returns.issue_return_decision(
        uow, principal, person_id=d.row["person_id"],
        issued_on=issued_on, asylum_case_id=d.row["id"], region=where.code if where and not where.european else None,
        voluntary_departure_days=int(vd) if vd is not None else None,
        entry_ban_years=int(eb) if eb is not None else None, grounds=grounds,
        entry_ban_months=int(ebm) if ebm is not None else None,
        removal_barred_until=window[0] if window else None, removal_barred_basis=basis if window else None)


def _return_decision_part(uow: UnitOfWork, principal: Principal, d: _Decided,
                          payload: dict[str, Any]) -> dict[str, Any]:
    """What a decided action does in the returns area: the return decision a notification issues
    (``{"return_decision_id": id}``), or the change an appeal makes to the one issued with the
    negative decision (suspended while a suspensive appeal is pending, running again when it is
    dismissed, withdrawn when the decision is annulled: ``{"return_decision_id": id,
    "return_decision_status": status}``). Empty when nothing happens there."""
    if d.change.return_decision:
        return {"return_decision_id": _issue_return_decision(uow, principal, d, payload)}
    action, rid = d.change.return_decision_action, d.row["return_decision_id"]
    if action is None or rid is None:
        return {}
    from pactum.services import returns

    status = returns.follow_asylum_case(uow, principal, decision_id=rid, asylum_case_id=d.row["id"],
                                        action=action, reason=_remain_reason(d.change))
    return {} if status is None else {"return_decision_id": rid, "return_decision_status": status}


def _remain_reason(change: workflow.Change) -> str | None:
    """Why a request to remain pending the appeal changes the return decision (APR Art 68(4),
    (5)); ``None`` for the appeal's own changes (the returns area words them)."""
    if change.event == "remain_requested":
        return ("the applicant asked the court for leave to remain pending the appeal: not removed until the "
                f"court decides ({LegalRef.of('apr', '68', '5', 'd').cite()})")
    if change.event == "remain_decided" and not change.detail.get("allowed"):
        return f"the court refused the applicant leave to remain pending the appeal ({LegalRef.of('apr', '68', '4').cite()})"
    return None


def _record(uow: UnitOfWork, principal: Principal, d: _Decided, payload: dict[str, Any],
            batch: CaseBatch | None = None) -> dict[str, Any]:
    """Write a decided action: what it does to a return decision, the case, its event and audit
    entry. Returns the case row as now written."""
    return _write(uow, principal, d, _return_decision_part(uow, principal, d, payload), batch)


def _protection_granted_on(change: Any) -> date | None:
    """The day a decision or an appeal grants international protection, or None."""
    if change.event == "decided" and change.case.outcome in POSITIVE_OUTCOMES:
        return change.case.decided_on  # type: ignore[no-any-return]
    if change.event == "appeal_decided" and change.detail.get("outcome") in (
            AppealOutcome.granted_refugee_status.value, AppealOutcome.granted_subsidiary_protection.value):
        return date.fromisoformat(change.detail["decided_on"])
    return None


def _write(uow: UnitOfWork, principal: Principal, d: _Decided, returns_part: dict[str, Any],
           batch: CaseBatch | None = None) -> dict[str, Any]:
    """The case, its event and audit entry of a decided action (its return decision issued or
    changed: ``returns_part`` of ``_return_decision_part``)."""
    row, change = d.row, d.change
    case_id = row["id"]
    values = _case_values(change.case, state_today(uow.now, row["member_state"]))
    if change.case.procedure != d.before.procedure:  # a subsequent application found to present new elements,
        # or examined on the merits outside the accelerated procedure (APR Art 42(2), 21(2))
        values["procedure"] = change.case.procedure
    detail = dict(change.detail)
    if d.rerouted is not None:
        values.update(_rerouted_values(d.rerouted))
    if d.change.return_decision and returns_part.get("return_decision_id"):
        values["return_decision_id"] = returns_part["return_decision_id"]
    detail.update(returns_part)
    new_version = d.version + 1
    written = uow.conn.execute(_UPDATE_CASE, {"b_id": case_id, "b_version": d.version, **values,
                                              "version": new_version})
    if written.rowcount != 1:  # changed since it was loaded: update_versioned says how (404/409)
        update_versioned(uow.conn, A, case_id, d.version, values)
    granted_on = _protection_granted_on(change)
    if granted_on is not None:  # a beneficiary's applicant records are marked (Eurodac Art 31)
        registry.mark_protection_granted(uow, principal, person_id=row["person_id"], granted_on=granted_on,
                                         asylum_case_id=case_id)
    _event(uow, case_id, change.event, d.before.state.value, change.case.state.value,
           principal.username, detail, batch)
    if change.event == "joined":  # the application carried on says which one was joined to it
        other = uow.conn.execute(select(A.c.state).where(A.c.id == detail["joined_to"])).scalar_one()
        joined = {"joined": case_id, "joined_reference": row["reference"], "legal_basis": detail["legal_basis"]}
        _event(uow, detail["joined_to"], "application_joined", other, other, principal.username, joined, batch)
        uow.audit(principal, "procedures.application_joined", "asylum_application", detail["joined_to"],
                  before={"state": other}, after={"state": other, **joined})
    uow.audit(principal, f"procedures.{change.event}", "asylum_application", case_id,
              before={"state": d.before.state.value}, after={"state": change.case.state.value, **detail})
    if d.rerouted is not None:  # its own timeline event and audit entry, after the lodging's
        record = d.rerouted["record"]
        _event(uow, case_id, "rerouted", change.case.state.value, change.case.state.value, principal.username,
               {"rerouted": record["note"], "legal_basis": record["legal_basis"]}, batch)
        uow.audit(principal, "procedures.rerouted", "asylum_application", case_id,
                  before=d.rerouted["before"], after=d.rerouted["after"])
    return {**row, **values, "version": new_version, "last_event": change.event,
            "last_detail": detail}


def _apply(uow: UnitOfWork, principal: Principal, case_id: str, action: str,
           payload: dict[str, Any], version: int) -> dict[str, Any]:
    row = _load(uow.conn, principal, case_id, _SELECT_CASE_TO_ACT)
    return _record(uow, principal, _decide(uow.conn, principal, row, action, payload, version,
                                           state_today(uow.now, row["member_state"])), payload)


def _return_grounds(row: Any) -> list[str]:
    """The returns area's ground codes for a return decision issued with a negative decision."""
    grounds = ["negative_asylum_decision"]
    if row["outcome"] == "rejected_manifestly_unfounded":
        grounds.append("manifestly_unfounded_or_fraudulent")
    # the return border procedure follows a rejection in the asylum border procedure only: not a
    # decision taken after its end, when the applicant was authorised to enter (APR Art 51(2))
    if row["procedure"] == "border" and workflow.in_border_procedure(case_from_row(row)):
        grounds.append("return_border_procedure")
    return grounds


def act(services: Services, principal: Principal, case_id: str, action: str,
        payload: dict[str, Any], version: int) -> dict[str, Any]:
    """Apply one workflow action as one unit of work (409 with the reason when illegal)."""
    require(principal, *WRITE_ROLES)
    require_member_state(principal)
    with services.uow() as uow:
        _apply(uow, principal, case_id, action, payload, version)
        uow.commit()
    return get_case(services, principal, case_id, channel=None)


_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # pactum.common.ids' Crockford base32


def _successor(an_id: str) -> str:
    """The id just after ``an_id`` in sort order (its base32 body plus one)."""
    prefix, body = an_id.split("_", 1)
    digits = [_ID_ALPHABET.index(ch) for ch in body]
    i = len(digits) - 1
    while digits[i] == len(_ID_ALPHABET) - 1:
        digits[i] = 0
        i -= 1
    digits[i] += 1
    return f"{prefix}_{''.join(_ID_ALPHABET[d] for d in digits)}"


class CaseBatch:
    """Many applications and workflow actions in ONE unit of work (bulk callers such as the demo
    world). Each is checked and recorded exactly as ``create_application`` and ``act`` do it: the
    same rules, rows, events and one audit entry per act (and the return decision a notification
    carries); only the transaction, the audit chain's append and the commit are shared (the
    timeline events too go in one statement before the commit), and no case view is read back.
    Use it through ``case_batch``.

    An application refused by its checks, or an action refused by the workflow's rules, the date
    check, the version check or the returns area (the terms of the return decision a notification
    carries), raises (``NotFound``, ``Conflict``, ``ValidationProblem``) and leaves nothing of
    itself written, so the batch goes on without it. Any other failure while writing (a database
    error, a case changed by another transaction after it was loaded) spoils the batch: it is
    rolled back whole and ``case_batch`` raises.
    """

    def __init__(self, uow: UnitOfWork, reference: RoutingReference | None = None) -> None:
        self._uow = uow
        self._reference = reference or RoutingReference()
        self._last_event_id = ""
        self.pending_events: list[dict[str, Any]] = []
        """The batch's timeline events, inserted in one statement just before its commit."""
        self.spoiled: BaseException | None = None

    def event_id(self) -> str:
        # events of one case written in the same millisecond keep the order they were written in
        # (the timeline sorts by time, then id; new_id's random part does not order them)
        eid = new_id("ace")
        if eid <= self._last_event_id:
            eid = _successor(self._last_event_id)
        self._last_event_id = eid
        return eid

    def _usable(self) -> UnitOfWork:
        if self.spoiled is not None:
            raise RuntimeError("an earlier write of this batch failed; the batch is rolled back") from self.spoiled
        return self._uow

    def create(self, principal: Principal, body: ApplicationCreate) -> dict[str, Any]:
        """Make an application (as ``create_application``); the case as written (no timeline)."""
        require(principal, *WRITE_ROLES)
        ms = require_member_state(principal)
        uow = self._usable()
        try:
            row = _insert_case(uow, principal, ms, body, self._reference, self)
        except (NotFound, ValidationProblem, Conflict):
            raise  # refused by its checks: nothing of it was written
        except BaseException as exc:
            self.spoiled = exc
            raise
        return _public(row, state_today(uow.now, ms))

    def act(self, principal: Principal, case_id: str, action: str, payload: dict[str, Any],
            version: int) -> dict[str, Any]:
        """Apply one workflow action (as ``act``): the case as written, without the timeline,
        with ``last_event`` and ``last_detail`` of this action."""
        require(principal, *WRITE_ROLES)
        require_member_state(principal)
        uow = self._usable()
        row = _load(uow.conn, principal, case_id, _SELECT_CASE_TO_ACT)
        decided = _decide(uow.conn, principal, row, action, payload, version, state_today(uow.now, row["member_state"]),
                          self._reference)
        part: dict[str, Any] = {}
        if decided.change.return_decision or (decided.change.return_decision_action
                                              and row["return_decision_id"]):
            # the returns area checks the decision's terms (e.g. the voluntary departure period)
            # before it writes; a savepoint makes sure a refusal leaves nothing of this act
            savepoint = uow.conn.begin_nested()
            try:
                part = _return_decision_part(uow, principal, decided, payload)
            except (NotFound, ValidationProblem, Conflict):
                savepoint.rollback()
                raise
            except BaseException as exc:
                self.spoiled = exc
                raise
            savepoint.commit()
        try:
            written = _write(uow, principal, decided, part, self)
        except BaseException as exc:
            self.spoiled = exc
            raise
        out = _public(written, state_today(uow.now, row["member_state"]))
        out["last_event"], out["last_detail"] = written["last_event"], written["last_detail"]
        return out


@contextmanager
def case_batch(services: Services, reference: RoutingReference | None = None) -> Iterator[CaseBatch]:
    """A ``CaseBatch`` whose writes are committed together when the block ends (rolled back if it
    raises or a write of the batch failed). Every write is stamped with the clock's time at the
    start of the batch, as one unit of work stamps its writes. ``reference``: routing's reference
    data read by an earlier batch (see ``RoutingReference``); read afresh by default."""
    with services.uow() as uow:
        batch = CaseBatch(uow, reference)
        yield batch
        if batch.spoiled is not None:
            raise RuntimeError("a write of the batch failed; nothing of the batch was written"
                               ) from batch.spoiled
        if batch.pending_events:
            uow.conn.execute(_INSERT_EVENT, batch.pending_events)
        uow.commit()


def _public(r: Any, today: date) -> dict[str, Any]:
    nd = r["next_deadline"]
    return {
        "id": r["id"], "reference": r["reference"], "member_state": r["member_state"],
        "person_id": r["person_id"],
        "screening_id": r["screening_id"], "responsible_state": r["responsible_state"],
        "nationality": r["nationality"], "context": r["context"],
        "unaccompanied_minor": r["unaccompanied_minor"], "procedure": r["procedure"],
        "routing_mandatory": r["routing_mandatory"], "routing_grounds": r["routing_grounds"],
        "state": r["state"], "made_on": _iso(r["made_on"]), "registered_on": _iso(r["registered_on"]),
        "lodged_on": _iso(r["lodged_on"]), "interview_held_on": _iso(r["interview_held_on"]),
        # the day the interview was recorded as not held: omitted (APR Art 13(11)) or, as before its own
        # column (procedures_0013), the applicant's absence despite sufficient efforts (Art 13(14))
        "interview_omitted_on": _iso(r.get("interview_omitted_on") or r.get("interview_not_attended_on")),
        "interpreter_language": r["interpreter_language"], "outcome": r["outcome"],
        "decided_on": _iso(r["decided_on"]), "notified_on": _iso(r["notified_on"]),
        "appeal_deadline": _iso(r["appeal_deadline"]), "appeal_lodged_on": _iso(r["appeal_lodged_on"]),
        "suspensive_effect": r["suspensive_effect"], "appeal_outcome": r["appeal_outcome"],
        "remain_requested_on": _iso(r.get("remain_requested_on")), "remain_decided_on": _iso(r.get("remain_decided_on")),
        "remain_allowed": r.get("remain_allowed"),
        "return_decision_id": r["return_decision_id"],
        "next_deadline": _iso(nd), "next_deadline_kind": r["next_deadline_kind"],
        "overdue": nd is not None and nd < today, "assigned_to": r["assigned_to"],
        "version": r["version"],
    }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


_CASE_EVENTS = (select(asylum_case_events).where(asylum_case_events.c.case_id == bindparam("case_id"))
                .order_by(asylum_case_events.c.at, asylum_case_events.c.id))


def get_case(services: Services, principal: Principal, case_id: str, *,
             channel: str | None = "web") -> dict[str, Any]:
    """One of the state's asylum cases. The read is logged (``services.reads``, on ``channel``);
    ``None``: an internal read (the case returned after a change), not logged."""
    require(principal, *CASE_ROLES)
    with services.uow() as uow:
        conn = uow.conn
        r = _load(conn, principal, case_id)
        today = state_today(uow.now, r["member_state"])  # the day on the state's clock
        case_id = r["id"]  # the id, when the case was asked for by its reference
        events = [dict(e) for e in conn.execute(_CASE_EVENTS, {"case_id": case_id}).mappings()]
        out = _public(r, today)
        dublin = _dublin_case_of(conn, r["person_id"], r["member_state"])
        if out["responsible_state"] is None:
            out["responsible_state"], out["responsible_state_source"] = _dublin_responsible(dublin)
        else:
            out["responsible_state_source"] = "recorded with the application"
        out["responsible_now"] = _responsible_now(conn, dublin, r["person_id"], r["member_state"], today)
        out["decision_blocked"] = decision_block(r["member_state"], dublin, out["responsible_now"])
        transfers = _transfers_out(conn, r["person_id"], r["member_state"])
        out["transferred_out"] = ({"dublin_request_id": transfers[0].id, "kind": transfers[0].kind,
                                   "to": transfers[0].requested_member_state,
                                   "transferred_on": _iso(transfers[0].transferred_on)}
                                  if transfers else None)
        out["person_name"] = _person_name(conn, r["person_id"])
        out["joinable"] = [{"id": j.id, "reference": j.reference, "state": j.state, "made_on": _iso(j.made_on)}
                           for j in _joinable(conn, r)] if not workflow.is_closed(CaseState(r["state"])) else []
        out["return_decision_status"], out["return_decision_reference"] = _return_decision_of(
            conn, r["return_decision_id"])
        # APR Art 38(1)(e): the facts of the notice that the ground may apply (a field added)
        out["late_after_return_decision"] = _late_application_notice(conn, r, case_from_row(r))
        # APR Art 37: a notified rejection without its return decision says one is due
        out["return_decision_due"] = return_decision_due(conn, r)
        # APR Art 10(1), (4)(a), 56; Directive 2013/32/EU Art 9(1), 41(1): the right to remain while
        # a subsequent application is examined
        out["right_to_remain"] = subsequent_remain(conn, r, events)
        if out["right_to_remain"] is not None:
            out["right_to_remain"]["recordable"] = _remain_exception_refused(conn, r, case_from_row(r)) is None
            out["right_to_remain"]["withdrawable"] = _withdrawal_refused(case_from_row(r), events) is None
        # APR Art 10(3), (4)(b), (c), (5); Directive 2013/32/EU Art 9(2), (3): an exception the
        # competent authority records on any application (fields added)
        out["remain_exception"] = recorded_remain(conn, r, events)
        out["remain_exception_recordable"] = _no_right_to_remain_refused(case_from_row(r), events) is None
        out["remain_exception_liftable"] = _lift_refused(case_from_row(r), events) is None
        # Eurodac Reg. 2024/1358 Art 60 with AMMR Art 76 (Reg. 603/2013 Art 42 before): an application
        # placed in France's outermost regions has no Eurodac applicant record, and the case says why
        out["eurodac_outside_scope"] = registry.application_outside_eurodac(
            conn, r["person_id"], r["member_state"], r["made_on"])
        registry_nationality = conn.execute(
            select(identity_records.c.nationality).where(identity_records.c.person_id == r["person_id"])
            .order_by(identity_records.c.recorded_on.desc(), identity_records.c.id.desc()).limit(1)).scalar()
        if channel is not None:
            # logged with the read and committed last: a refused read logs nothing, a failed log fails it
            reads.record_read(conn, principal, {r["person_id"]: r["member_state"]}, reads.ASYLUM_CASE, channel,
                              at=uow.now, record_id=case_id)
            uow.commit()
    case = case_from_row(r)
    dl = workflow.next_deadline(case, today)
    out["deadline"] = dl.as_dict() if dl else None
    # the next deadline as of today (the stored one, until the job moves it on, may still be a
    # border procedure's end the case no longer waits on: workflow.border_end_behind)
    out["next_deadline"], out["next_deadline_kind"] = (_iso(dl.due), dl.kind) if dl else (None, None)
    out["overdue"] = dl is not None and dl.due < today
    out["border_procedure"] = _border_procedure_facts(case, today)
    # APR Art 68(4), (5): the request to remain pending an appeal without automatic suspensive effect
    out["request_to_remain"] = workflow.remain_facts(case, today)
    out["warnings"] = _case_warnings(case, r["nationality"], registry_nationality)
    out["routing"] = _routing_view(r["routing"], workflow.case_regime(case).regime)
    out["interview_scheduled"] = _interview_scheduled(case, events, today)
    out["draft"] = _draft(case, events)
    out["withdrawal"] = _withdrawal(events)
    # APR Art 13(11)(a), (c); Directive 2013/32/EU Art 14(2): the personal interview omitted, and why
    out["interview_omission"] = _interview_omission(case, events)
    # APR Art 13(14): no interview held, the applicant not attending it despite sufficient efforts
    out["interview_not_attended"] = _interview_not_attended(case, events)
    # each with whether it may lie on this case now and, if not, why (the step's own check): the form
    # offers only those that may
    out["interview_omission_grounds"] = workflow.omission_grounds_on_case(case)
    out["medical_findings"] = dict(workflow.MEDICAL_FINDINGS)
    # APR Art 41(4): the examination suspended for the applicant to justify or rectify (None if not)
    out["suspension"] = workflow.suspension_summary(case)
    # each with whether it may lie on this case now and, if not, why (``suspend_examination``'s own
    # check): the form offers only those that may
    out["implicit_withdrawal_grounds"] = workflow.implicit_withdrawal_grounds_on_case(case)
    out["subsequent_examination"] = _subsequent_examination(case, events)
    law = workflow.case_regime(case)
    out["applicable_law"] = law.as_dict()
    # the inadmissibility grounds a draft may state under the case's law, with their citations
    out["inadmissibility_grounds"] = dict(workflow.INADMISSIBILITY_GROUNDS[law.regime])
    # why the examination may continue outside the accelerated procedure (APR Art 42(2), 21(2))
    out["leave_accelerated_reasons"] = ({code: what for code, (what, _refs) in workflow.LEAVE_ACCELERATED_REASONS.items()}
                                        if law.regime == "pact" else {})
    # why the border procedure may cease to apply under the case's law (APR Art 53(2), 21(2);
    # Directive 2013/32/EU Art 24(3)), with the provisions
    out["leave_border_grounds"] = {code: {"ground": what, "legal_basis": [r.cite() for r in refs]}
                                   for code, (what, refs, _after) in workflow.LEAVE_BORDER_GROUNDS[law.regime].items()}
    out["withdrawal_choices"] = {"regime": law.regime,
                                 "how": workflow.WITHDRAWAL_HOW[law.regime],
                                 "decision": workflow.WITHDRAWAL_DECISIONS[law.regime],
                                 "legal_basis": workflow.withdrawal_refs(case)}
    out["timeline"] = [{"at": as_utc(e["at"]).isoformat() if e["at"] else None, "event": e["event"],
                        "from_state": e["from_state"], "to_state": e["to_state"],
                        "actor": e["actor"], "detail": e["detail"]} for e in events]
    actions = workflow.available_actions(case, principal.username, today, joinable=bool(out["joinable"]))
    if out["transferred_out"] is None:  # closing as transferred needs a transfer carried out
        actions = [a for a in actions if a != "close_transferred"]
    out["withheld_actions"] = []
    if out["decision_blocked"] is not None:  # another state is responsible: no decision here
        out["withheld_actions"] = [a for a in actions if a in DECISION_ACTIONS]
        actions = [a for a in actions if a not in DECISION_ACTIONS]
    out["actions"] = actions
    # before the personal interview a draft may only treat the application as implicitly withdrawn
    # (the workflow refuses the other outcomes, 409): which, and why the others wait
    out["draft_before_interview"] = (workflow.draft_before_interview(case) if "draft_decision" in actions
                                     else None)
    return out


#: The timeline event of the determining authority's record of APR Art 56(a) / Directive 2013/32/EU
#: Art 41(1)(a) (a first subsequent application lodged merely to delay or frustrate removal).
REMAIN_EXCEPTION_EVENT = "remain_exception_recorded"
#: The timeline event of the withdrawal of that assessment: the right to remain of APR Art 10(1)
#: (Directive 2013/32/EU Art 9(1)) applies again (our reading).
REMAIN_EXCEPTION_WITHDRAWN_EVENT = "remain_exception_withdrawn"


def _previous_subsequent(conn: Connection, person_id: str, ms: str, case_id: str, made_on: date
                         ) -> list[remain_rules.PreviousSubsequent]:
    """The person's subsequent applications in ``ms`` made before this one (or the same day,
    recorded earlier), decided, oldest first."""
    rows = conn.execute(
        select(A.c.id, A.c.reference, A.c.state, A.c.outcome, A.c.decided_on, A.c.appeal_outcome,
               A.c.routing_grounds, A.c.made_on)
        .where(A.c.person_id == person_id, A.c.member_state == ms, A.c.id != case_id, A.c.made_on <= made_on,
               A.c.decided_on.is_not(None))
        .order_by(A.c.made_on, A.c.id)).all()
    out = []
    for r in rows:
        if "subsequent_application" not in (r.routing_grounds or []):
            continue
        final = r.state == CaseState.final.value or (
            r.state == CaseState.appeal_decided.value and r.appeal_outcome == AppealOutcome.dismissed.value)
        out.append(remain_rules.PreviousSubsequent(r.id, r.reference, r.outcome, r.decided_on, final))
    return out


def _assessment(events: Sequence[Mapping[str, Any]]) -> remain_rules.Assessment | None:
    """The last assessment of APR Art 56(a) recorded on the case, with its withdrawal if a
    withdrawal event follows it."""
    last = max((i for i, e in enumerate(events) if e["event"] == REMAIN_EXCEPTION_EVENT), default=None)
    if last is None:
        return None
    d = events[last]["detail"] or {}
    gone = next((e for e in events[last + 1:] if e["event"] == REMAIN_EXCEPTION_WITHDRAWN_EVENT), None)
    wd = (gone["detail"] or {}) if gone is not None else {}
    return remain_rules.Assessment(
        date.fromisoformat(str(d["on"])[:10]), str(events[last]["actor"]),
        str(d.get("removal_decision") or ""), str(d.get("reason") or ""),
        withdrawn_on=date.fromisoformat(str(wd["on"])[:10]) if gone is not None else None,
        withdrawn_by=str(gone["actor"]) if gone is not None else None,
        withdrawal_reason=str(wd.get("reason") or "") if gone is not None else None)


def subsequent_remain(conn: Connection, r: Mapping[str, Any],
                      events: Sequence[Mapping[str, Any]] | None = None) -> dict[str, Any] | None:
    """Whether the subsequent application of row ``r`` gives the right to remain while it is
    examined (:mod:`pactum.procedures.right_to_remain`); ``None`` for a first application. Read
    by the case JSON and by the returns area before a return decision."""
    case = case_from_row(r)
    if not case.subsequent_application:
        return None
    if events is None:
        events = _remain_events(conn, r["id"])
    return remain_rules.subsequent_right_to_remain(
        regime=workflow.case_regime(case).regime, subsequent=True,
        previous=_previous_subsequent(conn, r["person_id"], r["member_state"], r["id"], r["made_on"]),
        assessment=_assessment(events), new_elements_found_on=case.new_elements_found_on,
        recorded=_standing(recorded_remain(conn, r, events)))


def _standing(recorded: dict[str, Any] | None) -> dict[str, Any] | None:
    """The recorded exception while it stands; ``None`` when none or lifted."""
    return recorded if recorded is not None and not recorded["lifted"] else None


def _remain_events(conn: Connection, case_id: str) -> list[dict[str, Any]]:
    return [dict(e) for e in conn.execute(
        select(E.c.event, E.c.actor, E.c.detail)
        .where(E.c.case_id == case_id,
               E.c.event.in_((REMAIN_EXCEPTION_EVENT, REMAIN_EXCEPTION_WITHDRAWN_EVENT, NO_RIGHT_TO_REMAIN_EVENT,
                              NO_RIGHT_TO_REMAIN_LIFTED_EVENT)))
        .order_by(E.c.at, E.c.id)).mappings()]


#: The timeline event of the competent authority's record of APR Art 10(3), (4)(b) or (4)(c)
#: (Directive 2013/32/EU Art 9(2)): a surrender, an extradition, a danger to public order.
NO_RIGHT_TO_REMAIN_EVENT = "no_right_to_remain_recorded"
#: The timeline event of the lifting of that record (APR Art 10(1) applies again; our reading).
NO_RIGHT_TO_REMAIN_LIFTED_EVENT = "no_right_to_remain_lifted"


def _recorded(events: Sequence[Mapping[str, Any]]) -> remain_rules.Recorded | None:
    """The last exception recorded on the case, with its lifting if a lift event follows it."""
    last = max((i for i, e in enumerate(events) if e["event"] == NO_RIGHT_TO_REMAIN_EVENT), default=None)
    if last is None:
        return None
    d = events[last]["detail"] or {}
    lift = next((e for e in events[last + 1:] if e["event"] == NO_RIGHT_TO_REMAIN_LIFTED_EVENT), None)
    ld = (lift["detail"] or {}) if lift is not None else {}
    return remain_rules.Recorded(
        ground=str(d.get("ground")), on=date.fromisoformat(str(d["on"])[:10]), by=str(events[last]["actor"]),
        destination_kind=d.get("destination_kind"), destination=d.get("destination"), reference=d.get("reference"),
        reason=str(d.get("reason") or ""), non_refoulement_satisfied=bool(d.get("non_refoulement_satisfied")),
        lifted_on=date.fromisoformat(str(ld["on"])[:10]) if lift is not None else None,
        lifted_by=str(lift["actor"]) if lift is not None else None,
        lift_reason=str(ld.get("reason") or "") if lift is not None else None)


def recorded_remain(conn: Connection, r: Mapping[str, Any],
                    events: Sequence[Mapping[str, Any]] | None = None) -> dict[str, Any] | None:
    """The case JSON's ``remain_exception``: the ground of APR Art 10(3), (4)(b) or (4)(c)
    (Directive 2013/32/EU Art 9(2)) recorded on the case of row ``r``, or ``None``
    (:func:`pactum.procedures.right_to_remain.recorded_right_to_remain`). Read by the case JSON
    and by the returns area before a return decision."""
    if events is None:
        events = _remain_events(conn, r["id"])
    rec = _recorded(events)
    if rec is None:
        return None
    return remain_rules.recorded_right_to_remain(workflow.case_regime(case_from_row(r)).regime, rec)


class NoRightToRemain(BaseModel):
    """``POST /api/v1/procedures/applications/{id}/no-right-to-remain``: the competent authority
    records that the applicant has no right to remain during the administrative procedure: subject
    to a surrender to another Member State under a European arrest warrant (APR Art 10(3)), is or
    will be extradited, surrendered or transferred (Art 10(4)(b), (5)), or a danger to public order
    or national security (Art 10(4)(c)); before the Pact Directive 2013/32/EU Art 9(2), (3)."""

    model_config = ConfigDict(extra="forbid")

    version: int
    #: ``european_arrest_warrant_surrender``, ``extradition_or_surrender`` or
    #: ``danger_to_public_order_or_national_security``
    ground: str = Field(max_length=60)
    #: for an extradition or surrender: ``member_state``, ``third_country`` or ``international_court``
    destination_kind: str | None = Field(default=None, max_length=40)
    #: the Member State, third country or court, as the officer names it
    destination: str | None = Field(default=None, max_length=200)
    #: the European arrest warrant, or the extradition or surrender request or decision
    reference: str | None = Field(default=None, max_length=200)
    #: the facts on which the exception rests
    reason: str = Field(max_length=2000)
    #: the competent authority is satisfied that it will not result in direct or indirect
    #: refoulement (APR Art 10(4)(c), (5); Directive 2013/32/EU Art 9(3))
    non_refoulement_satisfied: bool = False


#: The open states after the determining authority's decision: decided, notified, and under appeal.
#: The exceptions of APR Art 10(3), (4)(a)-(c) (Directive 2013/32/EU Arts 9(2), (3), 41(1)) are exceptions to
#: the right to remain of Art 10(1) (Art 9(1)), which lasts until the determining authority decides; the
#: right to remain pending an appeal is APR Art 68 (Directive 2013/32/EU Art 46(5)-(8)).
_DECIDED_OPEN = (CaseState.decided, CaseState.notified, CaseState.appeal_lodged)


def _no_right_to_remain_refused(case: workflow.Case, events: Sequence[Mapping[str, Any]]) -> str | None:
    """Why a ground of APR Art 10(3), (4)(b), (c) cannot be recorded on the case now (the words
    after "asylum case IT-2026-000123"); ``None`` when it can."""
    if workflow.is_closed(case.state) or case.state in _DECIDED_OPEN:
        return (f"is {case.state.value.replace('_', ' ')}: the right to remain during the administrative procedure "
                "ends with the determining authority's decision, an exception to it is recorded before")
    rec = _recorded(events)
    if rec is not None and rec.lifted_on is None:
        return (f"already has an exception to the right to remain recorded ({rec.ground.replace('_', ' ')}, "
                f"on {rec.on.isoformat()})")
    return None


def _lift_refused(case: workflow.Case, events: Sequence[Mapping[str, Any]]) -> str | None:
    """Why the recorded exception cannot be lifted now (the words after "asylum case
    IT-2026-000123"); ``None`` when it can: refused, as the record is, once the case is decided,
    notified, under appeal or closed, and when no exception stands."""
    if workflow.is_closed(case.state) or case.state in _DECIDED_OPEN:
        return (f"is {case.state.value.replace('_', ' ')}: the right to remain during the administrative procedure "
                "ended with the determining authority's decision, there is no exception to it to lift")
    rec = _recorded(events)
    if rec is None:
        return "has no exception to the right to remain recorded: there is nothing to lift"
    if rec.lifted_on is not None:
        return (f"has no exception to the right to remain standing: the one recorded on {rec.on.isoformat()} was "
                f"lifted on {rec.lifted_on.isoformat()}")
    return None


class _RemainRecordEnd(BaseModel):
    """The end of a record on the right to remain: the version seen, the day, the reasons."""

    model_config = ConfigDict(extra="forbid")

    version: int
    #: the day the record ends: not after today, not before the record
    on: date | None = None
    #: why it no longer applies
    reason: str = Field(default="", max_length=2000)


class NoRightToRemainLift(_RemainRecordEnd):
    """``POST /api/v1/procedures/applications/{id}/no-right-to-remain/lift``: the recorded
    exception to the right to remain no longer applies (the surrender or extradition refused or
    withdrawn, the danger assessment reversed, the record made in error) and the right to remain of
    APR Art 10(1) (Directive 2013/32/EU Art 9(1)) applies again (our reading: the Regulation does
    not speak of lifting; the exception lasts as long as its ground). ``on``: the day the ground
    fell away or the error was found."""


class RemainExceptionWithdrawal(_RemainRecordEnd):
    """``POST /api/v1/procedures/applications/{id}/remain-exception/withdraw``: the determining
    authority withdraws its assessment that a first subsequent application was lodged merely to
    delay or frustrate removal (APR Art 56(a); Directive 2013/32/EU Art 41(1)(a)): the removal no
    longer imminent, the assessment reconsidered or made in error. The right to remain of APR Art
    10(1) (Directive Art 9(1)) applies again (our reading). ``on``: the day it was withdrawn."""


@dataclass(frozen=True)
class _Ending:
    """How a record on the right to remain ends: the lift of an exception of APR Art 10(3), (4)(b),
    (c), the withdrawal of the assessment of Art 56(a)."""

    #: why it cannot end now (the words after "asylum case IT-2026-000123"), ``None`` when it can
    refused: Callable[[workflow.Case, Sequence[Mapping[str, Any]]], str | None]
    #: the day and reasons against the law's conditions (``remain_rules.check_lift``, ``check_withdrawal``)
    check: Callable[..., list[tuple[str, str]]]
    #: the record that ends, under the case's law: its day, what it said (the audit's before) and
    #: the facts of it the timeline event repeats
    record: Callable[[str, Sequence[Mapping[str, Any]]], tuple[date, dict[str, Any], dict[str, Any]]]
    event: str
    audit: str
    #: the step, as the refusal of a stale version names it ("lift", "withdraw")
    verb: str


def _lifted_record(regime: str, events: Sequence[Mapping[str, Any]]
                   ) -> tuple[date, dict[str, Any], dict[str, Any]]:
    rec = _recorded(events)
    assert rec is not None  # _lift_refused
    return (rec.on, remain_rules.recorded_right_to_remain(regime, rec),
            {"ground": rec.ground, "recorded_on": rec.on.isoformat()})


def _withdrawn_record(regime: str, events: Sequence[Mapping[str, Any]]
                      ) -> tuple[date, dict[str, Any], dict[str, Any]]:
    a = _assessment(events)
    assert a is not None  # _withdrawal_refused
    facts = {"ground": remain_rules.DELAY, "recorded_on": a.on.isoformat(), "removal_decision": a.removal_decision}
    return (a.on, {**facts, "right_to_remain": False, "recorded_by": a.by, "reason": a.reason,
                   "legal_basis": [ref.cite() for ref in remain_rules.refs(regime, remain_rules.DELAY)]}, facts)


def _withdrawal_refused(case: workflow.Case, events: Sequence[Mapping[str, Any]]) -> str | None:
    """Why the assessment of APR Art 56(a) / Directive 2013/32/EU Art 41(1)(a) cannot be withdrawn
    now (the words after "asylum case IT-2026-000123"); ``None`` when it can: refused, as the
    record is, once the case is decided, notified, under appeal or closed, and when none stands
    (none recorded, withdrawn, or lapsed with the finding of new elements)."""
    if workflow.is_closed(case.state) or case.state in _DECIDED_OPEN:
        return (f"is {case.state.value.replace('_', ' ')}: the right to remain while the application is examined "
                "ended with the determining authority's decision, there is no assessment to withdraw")
    a = _assessment(events)
    if a is None:
        return ("has no assessment recorded that the application was lodged merely to delay or frustrate removal: "
                "there is nothing to withdraw")
    if a.withdrawn_on is not None:
        return (f"has no assessment standing: the one recorded on {a.on.isoformat()} was withdrawn on "
                f"{a.withdrawn_on.isoformat()}")
    if workflow.subsequent_admitted(case):
        found = f" on {case.new_elements_found_on.isoformat()}" if case.new_elements_found_on else ""
        return (f"has no assessment standing: the one recorded on {a.on.isoformat()} lapsed when new elements were "
                f"found{found}, and the applicant has the right to remain")
    return None


_LIFT = _Ending(refused=_lift_refused, check=remain_rules.check_lift, record=_lifted_record,
                event=NO_RIGHT_TO_REMAIN_LIFTED_EVENT, audit="procedures.no_right_to_remain_lifted", verb="lift")
_WITHDRAWAL = _Ending(refused=_withdrawal_refused, check=remain_rules.check_withdrawal, record=_withdrawn_record,
                      event=REMAIN_EXCEPTION_WITHDRAWN_EVENT, audit="procedures.remain_exception_withdrawn",
                      verb="withdraw")


def _end_remain_record(services: Services, principal: Principal, case_id: str, body: _RemainRecordEnd,
                       ending: _Ending) -> dict[str, Any]:
    """End a record on the right to remain (:class:`_Ending`): 409 when it cannot end now or the
    version is stale, 422 naming ``on`` or ``reason``; a timeline event, audited (before: the
    record as it stood), the case's version moved on. The day is checked against the case's
    state's today."""
    require(principal, *WRITE_ROLES)
    require_member_state(principal)
    reason = body.reason.strip()
    with services.uow() as uow:
        conn = uow.conn
        r = _load(conn, principal, case_id)
        case = case_from_row(r)
        named = r["reference"] or r["id"]
        events = _remain_events(conn, r["id"])
        refused = ending.refused(case, events)
        if refused:
            raise Conflict(f"asylum case {named} {refused}")
        regime = workflow.case_regime(case).regime
        recorded_on, before, facts = ending.record(regime, events)
        problems = ending.check(recorded_on=recorded_on, today=state_today(uow.now, r["member_state"]),
                                on=body.on, reason=reason)
        if problems:
            raise ValidationProblem(problems)
        if r["version"] != body.version:
            raise Conflict(f"asylum case {named} was changed by someone else (version {r['version']}, you saw "
                           f"version {body.version}); reload and {ending.verb} again")
        assert body.on is not None  # ending.check
        detail = {"on": body.on.isoformat(), "reason": reason, **facts,
                  "legal_basis": [ref.cite() for ref in remain_rules.refs(regime, None)]}
        uow.conn.execute(update(A).where(A.c.id == r["id"], A.c.version == body.version)
                         .values(version=body.version + 1))
        _event(uow, r["id"], ending.event, r["state"], r["state"], principal.username, detail)
        uow.audit(principal, ending.audit, "asylum_application", r["id"], before=before, after=detail)
        uow.commit()
        case_id = r["id"]
    return get_case(services, principal, case_id, channel=None)


def lift_no_right_to_remain(services: Services, principal: Principal, case_id: str,
                            body: NoRightToRemainLift) -> dict[str, Any]:
    """Lift the exception recorded on the case (:func:`record_no_right_to_remain`): 422 naming
    ``on`` (missing, after today, before the record) or ``reason`` (missing); 409 when the case is
    decided, notified or closed, when no exception stands, or the version is stale. A timeline event
    :data:`NO_RIGHT_TO_REMAIN_LIFTED_EVENT`, audited, the case's version moved on; a new exception
    may be recorded afterwards."""
    return _end_remain_record(services, principal, case_id, body, _LIFT)


def withdraw_remain_exception(services: Services, principal: Principal, case_id: str,
                              body: RemainExceptionWithdrawal) -> dict[str, Any]:
    """Withdraw the assessment recorded on the case (:func:`record_remain_exception`): 422 naming
    ``on`` (missing, after today, before the assessment) or ``reason`` (missing); 409 when the case
    is decided, notified, under appeal or closed, when no assessment stands (none recorded, already
    withdrawn, lapsed with new elements found), or the version is stale. A timeline event
    :data:`REMAIN_EXCEPTION_WITHDRAWN_EVENT`, audited, the case's version moved on: the applicant
    has the right to remain again (the returns area holds a return decision back again), and a new
    assessment may be recorded afterwards."""
    return _end_remain_record(services, principal, case_id, body, _WITHDRAWAL)


def record_no_right_to_remain(services: Services, principal: Principal, case_id: str,
                              body: NoRightToRemain) -> dict[str, Any]:
    """Record a ground of APR Art 10(3), (4)(b) or (4)(c) (Directive 2013/32/EU Art 9(2)): 422
    naming the field where the law's conditions are not met (a danger to public order under the
    Directive; no finding on non-refoulement where Art 10(4)(c), (5) or Directive Art 9(3) require
    it), 409 when the case is decided or closed or already has one recorded."""
    require(principal, *WRITE_ROLES)
    require_member_state(principal)
    strip = {k: (getattr(body, k) or "").strip() or None for k in ("destination_kind", "destination", "reference")}
    reason = body.reason.strip()
    ground = body.ground.strip()
    with services.uow() as uow:
        conn = uow.conn
        r = _load(conn, principal, case_id)
        case = case_from_row(r)
        named = r["reference"] or r["id"]
        regime = workflow.case_regime(case).regime
        problems = remain_rules.check_recorded(regime, ground=ground, reason=reason,
                                               non_refoulement_satisfied=body.non_refoulement_satisfied, **strip)
        if problems:
            raise ValidationProblem(problems)
        if r["version"] != body.version:
            raise Conflict(f"asylum case {named} was changed by someone else (version {r['version']}, you saw "
                           f"version {body.version}); reload and record again")
        events = _remain_events(conn, r["id"])
        refused = _no_right_to_remain_refused(case, events)
        if refused:
            raise Conflict(f"asylum case {named} {refused}")
        kind = (remain_rules.MEMBER_STATE if ground == remain_rules.ARREST_WARRANT else strip["destination_kind"])
        detail = {"on": state_today(uow.now, r["member_state"]).isoformat(), "ground": ground, "destination_kind": kind,
                  "destination": strip["destination"], "reference": strip["reference"], "reason": reason,
                  "non_refoulement_satisfied": body.non_refoulement_satisfied,
                  "legal_basis": [ref.cite() for ref in remain_rules.recorded_refs(regime, ground, kind)]}
        uow.conn.execute(update(A).where(A.c.id == r["id"], A.c.version == body.version)
                         .values(version=body.version + 1))
        _event(uow, r["id"], NO_RIGHT_TO_REMAIN_EVENT, r["state"], r["state"], principal.username, detail)
        uow.audit(principal, "procedures.no_right_to_remain_recorded", "asylum_application", r["id"], after=detail)
        uow.commit()
        case_id = r["id"]
    return get_case(services, principal, case_id, channel=None)


class RemainException(BaseModel):
    """``POST /api/v1/procedures/applications/{id}/remain-exception``: the determining authority
    records that a first subsequent application was lodged merely to delay or frustrate the
    enforcement of a decision which would result in the applicant's imminent removal (APR Art
    56(a); Directive 2013/32/EU Art 41(1)(a))."""

    model_config = ConfigDict(extra="forbid")

    version: int
    #: the decision whose enforcement would result in the imminent removal (e.g. a return decision)
    removal_decision: str = Field(min_length=1, max_length=200)
    #: the facts that show the application was lodged merely to delay or frustrate it
    reason: str = Field(min_length=1, max_length=2000)
    #: the authority considered that removal does not breach non-refoulement (APR Art 56: "without
    #: prejudice to the principle of non-refoulement"; Directive 2013/32/EU Art 41(1), second
    #: subparagraph)
    non_refoulement_considered: bool


def _remain_exception_refused(conn: Connection, r: Mapping[str, Any], case: workflow.Case) -> str | None:
    """Why the assessment of APR Art 56(a) / Directive 2013/32/EU Art 41(1)(a) cannot be recorded
    on the case (the words after "asylum case IT-2026-000123"); ``None`` when it can."""
    basis = "; ".join(ref.cite() for ref in remain_rules.refs(workflow.case_regime(case).regime, remain_rules.DELAY))
    if not case.subsequent_application:
        return f"is not a subsequent application: the exception of {basis} concerns a first subsequent application"
    if workflow.is_closed(case.state) or case.state in _DECIDED_OPEN:
        return (f"is {case.state.value.replace('_', ' ')}: the right to remain while the application is examined "
                "is recorded before the decision on it")
    if workflow.subsequent_admitted(case):
        found = f" on {case.new_elements_found_on.isoformat()}" if case.new_elements_found_on else ""
        return (f"presents new elements (found{found}) and is examined further: the exception applies only to an "
                f"application not further examined ({basis})")
    previous = _previous_subsequent(conn, r["person_id"], r["member_state"], r["id"], r["made_on"])
    if previous:
        return (f"is not a first subsequent application ({previous[-1].named} was one before it): the exception for "
                "a further subsequent application follows from the final decision on the previous one, not from "
                "an assessment")
    standing = _assessment(_remain_events(conn, r["id"]))
    if standing is not None and standing.withdrawn_on is None:
        return "already has the assessment recorded: the applicant has no right to remain while it is examined"
    return None


def record_remain_exception(services: Services, principal: Principal, case_id: str,
                            body: RemainException) -> dict[str, Any]:
    """Record the determining authority's assessment of APR Art 56(a) / Directive 2013/32/EU
    Art 41(1)(a): the application no longer gives the right to remain while it is examined.
    409 when the case is not a first subsequent application in its preliminary examination."""
    require(principal, *WRITE_ROLES)
    require_member_state(principal)
    removal = body.removal_decision.strip()
    reason = body.reason.strip()
    if not removal:
        raise ValidationProblem.one("removal_decision", "name the decision whose enforcement would result in the "
                                    "applicant's imminent removal")
    if not reason:
        raise ValidationProblem.one("reason", "give the facts showing the application was lodged merely to delay "
                                    "or frustrate the removal")
    if not body.non_refoulement_considered:
        raise ValidationProblem.one("non_refoulement_considered", "the exception is made only where removal would "
                                    "not breach the principle of non-refoulement: confirm it was considered")
    with services.uow() as uow:
        conn = uow.conn
        r = _load(conn, principal, case_id)
        case = case_from_row(r)
        named = r["reference"] or r["id"]
        regime = workflow.case_regime(case).regime
        basis = [ref.cite() for ref in remain_rules.refs(regime, remain_rules.DELAY)]
        if r["version"] != body.version:
            raise Conflict(f"asylum case {named} was changed by someone else (version {r['version']}, you saw "
                           f"version {body.version}); reload and record again")
        refused = _remain_exception_refused(conn, r, case)
        if refused:
            raise Conflict(f"asylum case {named} {refused}")
        detail = {"on": state_today(uow.now, r["member_state"]).isoformat(), "removal_decision": removal, "reason": reason,
                  "non_refoulement_considered": True, "ground": remain_rules.DELAY, "legal_basis": basis}
        uow.conn.execute(update(A).where(A.c.id == r["id"], A.c.version == body.version)
                         .values(version=body.version + 1))
        _event(uow, r["id"], REMAIN_EXCEPTION_EVENT, r["state"], r["state"], principal.username, detail)
        uow.audit(principal, "procedures.remain_exception_recorded", "asylum_application", r["id"],
                  after=detail)
        uow.commit()
        case_id = r["id"]
    return get_case(services, principal, case_id, channel=None)


def _subsequent_examination(case: workflow.Case, events: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """Where the examination of a subsequent application stands (APR Art 55; Directive 2013/32/EU
    Art 40), for the case JSON and page: ``stage`` ``preliminary_examination`` (no finding of new
    elements recorded), ``other_ground`` (new elements found, its admissibility examined on another
    ground of Art 38(1): Art 55(6), "unless") or ``merits`` (examined on the merits), with the day
    of the finding, the other ground and the provisions; ``None`` for a first application."""
    if not case.subsequent_application:
        return None
    admitted = [e for e in events if e["event"] in ("subsequent_admitted", "subsequent_not_inadmissible")]
    last = (admitted[-1]["detail"] or {}) if admitted else {}
    found = case.new_elements_found_on
    if workflow.subsequent_in_preliminary_examination(case):
        stage = "preliminary_examination"
    elif workflow.subsequent_other_ground_examined(case):
        stage = "other_ground"
    elif workflow.subsequent_admitted(case):
        stage = "merits"
    else:
        stage = "preliminary_examination"
    ground = last.get("inadmissibility_ground") if stage == "other_ground" else None
    return {"stage": stage, "new_elements_found_on": _iso(found), "inadmissibility_ground": ground,
            "note": last.get("note") if stage != "preliminary_examination" else None,
            "legal_basis": list(last.get("legal_basis") or []) if stage != "preliminary_examination" else []}


def _routing_view(routing: Mapping[str, Any] | None, regime: str) -> Any:
    """The case's stored routing as the case JSON gives it, with ``third_countries`` (the country
    of each first-country-of-asylum or safe-third-country ground, ``routing.third_countries``):
    as stored; for a routing stored before it was kept, read from its trace (``recorded: false``
    where the trace does not name the country); for a routing done again at lodging, each ground
    of the first routing whose country was not recorded in the facts it was routed again on is
    listed too, not recorded (``rerouted.not_recorded``)."""
    if not routing:
        return routing
    out = dict(routing)
    if "third_countries" not in out:
        found = [g for g in THIRD_COUNTRY_GROUNDS if g in (out.get("grounds") or [])
                 or routing_third_countries(out).get(g)]
        out["third_countries"] = third_countries(routing_regime(out) or regime, found, routing_third_countries(out))
    missing = [g for g in ((out.get("rerouted") or {}).get("not_recorded") or [])
               if g not in {t["ground"] for t in out["third_countries"]}]
    if missing:
        out["third_countries"] = [*out["third_countries"],
                                  *third_countries(regime, missing, dict.fromkeys(missing))]
    return out


def _withdrawal(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The applicant's explicit withdrawal as the case's last ``withdrawal_recorded`` event says it
    (``withdrawn_on``, ``how``, ``decision``, ``decided_on``, ``legal_basis``), or None."""
    last = next((e for e in reversed(events) if e["event"] == "withdrawal_recorded"), None)
    if last is None:
        return None
    d = last.get("detail") or {}
    return {k: d.get(k) for k in ("withdrawn_on", "how", "decision", "decided_on", "with_return_decision",
                                  "legal_basis", "note")}


def _interview_omission(case: workflow.Case, events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The omission of the personal interview on the substance (``omit_interview``) as recorded, while
    the case holds it (a remittal clears it: the new examination decides again), with its last
    ``interview_omitted`` event's facts (the reason, the medical consultation), or None."""
    if case.interview_omitted_on is None or case.interview_not_attended_on is not None:
        return None
    last = next((e for e in reversed(events) if e["event"] == "interview_omitted"), None)
    detail = dict((last or {}).get("detail") or {})
    out = {**detail, **workflow.omission_summary(case)}
    out["interview_held_after_all"] = case.interview_held_on is not None
    return out


def _interview_not_attended(case: workflow.Case, events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The applicant's absence from the personal interview despite sufficient efforts
    (``record_interview_not_attended``, APR Art 13(14)) as recorded, while the case holds it (a
    remittal clears it), with its ``interview_not_attended`` event's facts (the days not attended, the
    efforts), or None."""
    if case.interview_not_attended_on is None:
        return None
    last = next((e for e in reversed(events) if e["event"] == "interview_not_attended"), None)
    out = {**dict((last or {}).get("detail") or {}), **workflow.not_attended_summary(case)}
    out["interview_held_after_all"] = case.interview_held_on is not None
    return out


def _interview_scheduled(case: workflow.Case, events: list[dict[str, Any]], today: date
                         ) -> dict[str, Any] | None:
    """The personal interview as last scheduled (its day ``on`` and ``language``), while it is
    not held yet: ``due`` when that day is after today (it cannot be recorded as held before it,
    ``_check_held_on``), else ``held_on``, the day the form proposes as the one it was held."""
    if case.state != CaseState.interview_scheduled:
        return None
    last = next((e for e in reversed(events) if e["event"] == "interview_scheduled"), None)
    detail = (last or {}).get("detail") or {}
    try:
        on = date.fromisoformat(str(detail.get("interview_on")))
    except ValueError:
        return None
    return {"on": on.isoformat(), "language": detail.get("language"), "due": on > today,
            "held_on": None if on > today else on.isoformat()}


def _draft(case: workflow.Case, events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The decision drafted and not approved yet (a case in ``draft_decision`` or
    ``under_review``), as its last ``decision_drafted`` event records it: the ``outcome``, the
    ``inadmissibility_ground``, the ``reasons``, who drafted it (``drafted_by``) and when
    (``drafted_at``), and when it was submitted for review (``submitted_at``, None if not since)."""
    if case.state not in (CaseState.draft_decision, CaseState.under_review):
        return None
    at = next((i for i in range(len(events) - 1, -1, -1) if events[i]["event"] == "decision_drafted"), None)
    if at is None:
        return None
    e = events[at]
    detail = e["detail"] or {}
    submitted = next((s for s in reversed(events[at:]) if s["event"] == "submitted_for_review"), None)
    return {"outcome": detail.get("outcome", case.outcome),
            "inadmissibility_ground": detail.get("inadmissibility_ground"),
            "reasons": detail.get("reasons") or "", "drafted_by": e["actor"],
            "drafted_at": as_utc(e["at"]).isoformat() if e["at"] else None,
            "submitted_at": as_utc(submitted["at"]).isoformat() if submitted and submitted["at"] else None}


def _border_procedure_facts(case: workflow.Case, today: date) -> dict[str, Any] | None:
    """The border procedure of a registered border case: its last day, whether it has passed and,
    once it has with the applicant's right to remain not yet ended by a decision taken in time,
    what followed (APR Art 51(2); before the Pact Directive 2013/32/EU Art 43(2)): the applicant
    was to be authorised to enter the territory, and the application is examined further outside
    the border procedure."""
    if case.border_left_on is not None and case.procedure != "border":
        return _border_procedure_left(case, today)
    end = workflow.border_procedure_end(case)
    if end is None or case.registered_on is None:
        return None
    limit_days, limit_text = workflow.border_limit(case, case.registered_on)
    undecided = workflow.border_ended_undecided(case, today)
    ref = (LegalRef.of("apr", "51", "2") if workflow.case_regime(case).regime == "pact"
           else LegalRef.of("procedures_directive", "43", "2")).cite()
    decided_late = case.decided_on is not None and case.decided_on > end
    ended = end < today and (case.decided_on is None or decided_late
                             or workflow.border_end_runs(case))
    note, entry = None, True
    if decided_late:
        assert case.decided_on is not None
        note = (f"the border procedure ended on {end.isoformat()} ({limit_text}), before the decision "
                f"of {case.decided_on.isoformat()}: the applicant was to be authorised to enter the "
                f"territory on its end ({ref}); the decision was not taken in the border procedure")
    elif ended:
        entry, entry_basis = workflow.entry_at_border_end(case, today)
        note = (f"the border procedure ended on {end.isoformat()} ({limit_text}): the applicant is "
                f"to be authorised to enter the territory ({ref})"
                + (f"; no decision was taken in it: the decision was not taken in time, and the application "
                   f"is examined further in the {undecided[0]} procedure" if undecided else "") if entry else
                f"the border procedure ended on {end.isoformat()} ({limit_text}): the applicant is not "
                f"authorised to enter the territory ({entry_basis})")
    closed = _CLOSED_WITHOUT_DECISION.get(case.state)
    closed_note = None
    if closed is not None and not decided_late:
        when = f" on {case.decided_on.isoformat()}" if case.decided_on is not None else ""
        closed_note = f"{closed}{when}, before the border procedure's last day: the procedure ended with the case"
    status, deadline_note = _border_end_as_deadline(case, end, today)
    return {"end": end.isoformat(), "limit_days": limit_days, "limit": limit_text, "legal_basis": ref,
            "ended": ended or decided_late, "passed": end < today, "decided_in_border_procedure": not decided_late,
            "entry_authorised": entry if ended and not decided_late else None,
            "note": note, "closed_note": closed_note,
            "deadline_status": status, "deadline_note": deadline_note,
            # APR Art 51(2): the end passed with no decision taken (the decision was due within it)
            "ended_undecided": undecided is not None,
            "continues_in": undecided[0] if undecided else None, "left": None}


def _border_procedure_left(case: workflow.Case, today: date) -> dict[str, Any]:
    """The border procedure of a case it ceased to apply to (``leave_border_procedure``): the end it
    would have had, the day and ground it ceased on, the entry authorised (APR Art 53(2), last
    subparagraph; Directive 2013/32/EU Art 24(3)) and the procedure the case is now in."""
    assert case.border_left_on is not None
    as_border = replace(case, procedure="border")
    end = workflow.border_procedure_end(as_border)
    limit_days, limit_text = workflow.border_limit(as_border)
    regime = workflow.case_regime(case).regime
    words, refs, _after = workflow.LEAVE_BORDER_GROUNDS[regime].get(
        case.border_left_ground or "", (str(case.border_left_ground), [], None))
    basis = [r.cite() for r in refs]
    note = (f"the border procedure ceased to apply on {case.border_left_on.isoformat()}"
            + (f", before its end on {end.isoformat()}" if end else "")
            + f": {words} ({'; '.join(basis)}); the applicant is authorised to enter the territory and the "
              f"application is examined in the {case.procedure} procedure")
    return {"end": end.isoformat() if end else None, "limit_days": limit_days, "limit": limit_text,
            "legal_basis": "; ".join(basis), "ended": True, "passed": end is not None and end < today,
            "decided_in_border_procedure": False, "entry_authorised": True, "note": note, "closed_note": None,
            "deadline_status": None, "deadline_note": None, "ended_undecided": False, "continues_in": case.procedure,
            "left": {"on": case.border_left_on.isoformat(), "ground": case.border_left_ground, "words": words,
                     "legal_basis": basis, "procedure": case.procedure}}


def _border_end_as_deadline(case: workflow.Case, end: date, today: date) -> tuple[str | None, str | None]:
    """Whether the border procedure's end is among the case's deadlines on ``today``, and why in
    words: ``running`` (ahead), ``overdue`` (passed while the case still waits on it: the decision
    taken in it not notified), ``ended`` (passed with no decision taken: the border procedure ended
    and the examination goes on outside it, ``workflow.border_ended_undecided``), ``behind``
    (passed after the decision taken in the
    border procedure was notified: the case waits on the applicant or the court,
    ``workflow.border_end_behind``), None where it is no deadline of the case (a decision after
    it or granting protection, a case closed)."""
    if not workflow.border_end_runs(case):
        return None, None
    if end >= today:
        return "running", None
    if workflow.border_end_behind(case, today):
        assert case.decided_on is not None and case.notified_on is not None
        if case.state == CaseState.appeal_lodged:
            waits = (f"the case waits on the court's decision on the appeal lodged on "
                     f"{_iso(case.appeal_lodged_on)}")
        else:
            waits = f"the case waits on the applicant, who may appeal until {_iso(case.appeal_deadline)}"
        return "behind", (f"no longer the case's next deadline: the border procedure ended on {end.isoformat()}, "
                          f"after the decision of {case.decided_on.isoformat()} taken in it was notified on "
                          f"{case.notified_on.isoformat()}; {waits}")
    undecided = workflow.border_ended_undecided(case, today)
    if undecided is not None:
        dl = workflow.next_deadline(case, today)
        then = (f": its next deadline is the {dl.kind.replace('_', ' ')} of {dl.due.isoformat()} ({dl.legal_basis})"
                if dl else "")
        return "ended", (f"no longer the case's next deadline: the border procedure ended on {end.isoformat()} with "
                         "no decision taken in it, the decision was not taken in time; the applicant is to be "
                         f"authorised to enter the territory and the application is examined further in the "
                         f"{undecided[0]} procedure{then}")
    return "overdue", (f"the border procedure ended on {end.isoformat()} before the decision of "
                       f"{_iso(case.decided_on)} was notified: its end stays the case's next deadline, "
                       "overdue, until the decision is notified")


#: The closed states a border case reaches without a decision on the application taken in the
#: border procedure, and what closed it: the border procedure's last day is then no longer ahead.
_CLOSED_WITHOUT_DECISION: dict[CaseState, str] = {
    CaseState.withdrawn: "the applicant withdrew the application and the case was closed",
    CaseState.transferred: "the case was closed: the applicant was transferred to the Member State responsible",
    CaseState.joined: "the case was closed as joined to another application of the same person",
}


def _case_warnings(case: workflow.Case, nationality: str, registry_nationality: str | None) -> list[str]:
    """What the case page flags without refusing: a nationality that differs from the registry's
    identity record, a registration made after its time limit."""
    out = []
    if registry_nationality and registry_nationality != nationality:
        out.append(f"the application gives the nationality {nationality}, the person's latest identity "
                   f"record in the registry {registry_nationality}: check which is right")
    if case.registered_on is not None:
        due = workflow.registration_due(case)
        if due is not None and case.registered_on > due.due:
            late = (case.registered_on - due.due).days
            out.append(f"registered on {case.registered_on.isoformat()}, {late} day{'s' if late != 1 else ''} "
                       f"after the registration time limit of {due.due.isoformat()} ({due.legal_basis})")
    return out


def _return_decision_before(conn: Connection, row: Any) -> dict[str, Any] | None:
    """The latest return decision (Directive 2008/115/EC Art 6) the case's state issued to the
    case's person on or before the day the application was made, not withdrawn: what APR Art
    38(1)(e) turns on (``reference``, ``issued_on``), or None. The person is the case's record and
    every record of the state a white or red multiple-identity link says is the same person (as
    ``close_joined`` reads them: ``_same_person_links``); a green link (two persons) does not
    count. ``issued_to`` says whose record it was issued to: the case's own (``own``) or a linked
    one, with the link that joins it. Pactum records the day a return decision was issued, not a
    separate day of receipt: the draft may give that day."""
    from pactum.store.tables.returns import return_decisions as RD

    same = _same_person_links(conn, row)
    found = conn.execute(
        select(RD.c.id, RD.c.reference, RD.c.issued_on, RD.c.status, RD.c.person_id)
        .where(RD.c.person_id.in_(sorted(same)), RD.c.member_state == row["member_state"],
               RD.c.status != "withdrawn", RD.c.issued_on <= row["made_on"])
        .order_by(RD.c.issued_on.desc(), RD.c.id.desc()).limit(1)).first()
    if found is None:
        return None
    link = same.get(found.person_id)
    issued_to = {"person_id": found.person_id, "own": link is None, "link": link}
    return {"id": found.id, "reference": found.reference, "issued_on": found.issued_on, "status": found.status,
            "issued_to": issued_to, "issued_to_words": _issued_to_words(issued_to)}


def _issued_to_words(issued_to: dict[str, Any]) -> str:
    """Whose record a return decision was issued to, as the notice and the draft say it: empty for
    the case's own record (the applicant received it), else the linked record and its link."""
    if issued_to["own"]:
        return ""
    link = issued_to["link"] or {}
    if link.get("chain"):
        return (f"issued to the linked record {issued_to['person_id']}, which the multiple-identity links "
                f"{', '.join(link['chain'])} say are the same person (through {', '.join(link.get('through') or [])})")
    return (f"issued to the linked record {issued_to['person_id']}, which the {link.get('colour')} "
            f"multiple-identity link {link.get('id')} says is the same person")


def _late_application_notice(conn: Connection, row: Any, case: workflow.Case) -> dict[str, Any] | None:
    """For an open APR case whose applicant received (as recorded: the day of issue) a return
    decision in this state more than the window's working days before making the application, the
    facts of the notice that APR Art 38(1)(e) may apply, with the end of the admissibility
    examination on that ground (Art 35(1), second subparagraph); None otherwise."""
    if workflow.case_regime(case).regime != "pact" or workflow.is_closed(case.state):
        return None
    rd = _return_decision_before(conn, row)
    if rd is None:
        return None
    window = rd_ground.late_after_return_decision(rd["issued_on"], case.made_on, case.member_state)
    if not window.late:
        return None
    end = rd_ground.examination_end(case.lodged_on, case.member_state, case.made_on)
    ground = workflow.INADMISSIBILITY_GROUNDS["pact"][RD_GROUND]
    ends = (f"the admissibility examination on that ground ends on {end.ends_on.isoformat()}" if end.ends_on
            else f"the admissibility examination on that ground ends {end.limit} (not lodged yet)")
    return {"ground": RD_GROUND, "legal_basis": ground, "return_decision_id": rd["id"],
            "return_decision_reference": rd["reference"], "issued_to": rd["issued_to"],
            "received_on": window.received_on.isoformat(),
            "received_on_source": "the day the return decision was issued (no separate day of receipt recorded)",
            "made_on": window.made_on.isoformat(), "last_day": window.last_day.isoformat(),
            "examination_ends_on": end.ends_on.isoformat() if end.ends_on else None,
            "examination_limit": end.limit, "examination_legal_basis": end.legal_basis,
            "steps": [*window.steps, *end.steps],
            "note": (f"{ground} may apply: the applicant received the return decision {rd['reference']}"
                     f"{' (' + rd['issued_to_words'] + ')' if rd['issued_to_words'] else ''} on "
                     f"{window.received_on.isoformat()} (the day it was issued, as recorded) and made the "
                     f"application on {window.made_on.isoformat()}, after the {window.working_days} working days "
                     f"that ended on {window.last_day.isoformat()}, if informed of the consequences and no new "
                     f"relevant elements arose; {ends} ({end.legal_basis}, {end.limit})")}


def _return_decision_of(conn: Connection, decision_id: str | None) -> tuple[str | None, str | None]:
    """The status of the return decision issued with the case's negative decision (issued,
    suspended while a suspensive appeal is pending, withdrawn, departed), as the returns area
    keeps it, and its reference (``IT-RD-2026-…``, as the returns pages name it)."""
    if decision_id is None:
        return None, None
    from pactum.store.tables.returns import return_decisions

    row = conn.execute(select(return_decisions.c.status, return_decisions.c.reference)
                       .where(return_decisions.c.id == decision_id)).first()
    return (None, None) if row is None else (row.status, row.reference)


#: APR Art 37: the rejections after which the state issues a return decision ("as part of the
#: decision rejecting the application or as a separate act ... at the same time as, or without undue
#: delay after, the rejection"): as inadmissible, unfounded, manifestly unfounded, or implicitly
#: withdrawn. An explicit withdrawal is recorded with its return decision by default
#: (``record_withdrawal``); unticked there, the officer said the person has another right to stay.
RETURN_DUE_OUTCOMES = (Outcome.inadmissible.value, Outcome.rejected_unfounded.value,
                       Outcome.rejected_manifestly_unfounded.value, Outcome.implicitly_withdrawn.value)
#: The states of a case whose rejection was notified and stands (not annulled on appeal).
RETURN_DUE_STATES = (CaseState.notified.value, CaseState.appeal_lodged.value, CaseState.final.value,
                     CaseState.appeal_decided.value)
#: What is owed where a rejection under the APR was notified without its return decision.
RETURN_DUE_NOTE = ("the application was rejected and the rejection notified, but no return decision was issued "
                   "with it: under {art} the return decision is issued as part of the rejection or as a separate act "
                   "at the same time or without undue delay after it; not owed where the person has a right to "
                   "stay on another basis, or where a return decision or another decision imposing an obligation "
                   "to return was issued before the application was made (which Pactum checks in this state's "
                   "records)")


def _return_due_candidates(conn: Connection, ms: str, case_id: str | None = None) -> list[Any]:
    """The state's cases (or the one ``case_id``) whose rejection under the APR was notified and
    stands, without a return decision issued with it nor one issued since for the case (a return
    officer's stand-alone decision naming it, ``asylum_case_id``), nor one of the person issued in
    the state on or before the day the application was made (APR Art 37, second sentence)."""
    from pactum.store.tables.returns import return_decisions as R

    conds = [A.c.member_state == ms, A.c.return_decision_id.is_(None), A.c.outcome.in_(RETURN_DUE_OUTCOMES),
             A.c.state.in_(RETURN_DUE_STATES), A.c.notified_on.is_not(None),
             or_(A.c.appeal_outcome.is_(None), A.c.appeal_outcome == AppealOutcome.dismissed.value)]
    if case_id is not None:
        conds.append(A.c.id == case_id)
    issued_for_case = select(R.c.id).where(R.c.asylum_case_id == A.c.id)
    issued_before = select(R.c.id).where(R.c.person_id == A.c.person_id, R.c.member_state == A.c.member_state,
                                         R.c.issued_on <= A.c.made_on, R.c.status != "withdrawn")
    rows = conn.execute(
        select(A.c.id, A.c.reference, A.c.person_id, A.c.nationality, A.c.procedure, A.c.state, A.c.outcome,
               A.c.made_on, A.c.registered_on, A.c.lodged_on, A.c.decided_on, A.c.notified_on,
               _latest_name(A.c.person_id).label("person_name"))
        .where(*conds, ~exists(issued_for_case), ~exists(issued_before))
        .order_by(A.c.notified_on, A.c.id)).all()
    return [r for r in rows if procedures_regime(r.made_on, r.lodged_on, r.registered_on).regime == "pact"]


def _return_due_facts(r: Any) -> dict[str, Any]:
    art = LegalRef.of("apr", "37").cite()
    return {"legal_basis": art, "outcome": r.outcome, "decided_on": _iso(r.decided_on),
            "notified_on": _iso(r.notified_on), "note": RETURN_DUE_NOTE.format(art=art),
            "issued_by": "the return authority (a return decision naming this case, asylum_case_id)"}


def return_decision_due(conn: Connection, r: Mapping[str, Any]) -> dict[str, Any] | None:
    """For the case JSON: the return decision APR Art 37 makes due after the case's notified
    rejection, where none was issued (:func:`_return_due_candidates`), or ``None``."""
    found = _return_due_candidates(conn, r["member_state"], r["id"])
    return _return_due_facts(found[0]) if found else None


def return_decisions_due(services: Services, principal: Principal, *, limit: int = 500,
                         channel: str | None = None) -> list[dict[str, Any]]:
    """The state's asylum cases whose rejection under the APR was notified without a return
    decision (APR Art 37), the longest waiting first, each with the applicant's name: the list a
    return officer works from (and the caseworkers who notified them). The applicants listed are
    logged as one read on ``channel``."""
    require(principal, *CASE_ROLES)
    ms = require_member_state(principal)
    if not 1 <= limit <= 5000:
        raise ValidationProblem.one("limit", "between 1 and 5000")
    with services.uow() as uow:
        rows = _return_due_candidates(uow.conn, ms)[:limit]
        _list_read(uow, principal, [r.person_id for r in rows], channel, "return decision due")
    return [{"id": r.id, "reference": r.reference, "person_id": r.person_id, "person_name": r.person_name,
             "nationality": r.nationality, "procedure": r.procedure, "state": r.state, **_return_due_facts(r)}
            for r in rows]


def applications_of_person(services: Services, principal: Principal, person_id: str, *,
                           channel: str | None = None) -> list[dict[str, Any]]:
    """Every asylum application of one of the state's persons, open or closed, the latest first
    (the person's page lists them; the queue holds only the open ones of the whole state). Logged
    as a list read on ``channel`` when it showed any (``GET /api/v1/procedures/applications``);
    ``None``: the person's page, whose read is logged as the page's, or an internal read."""
    require(principal, *CASE_ROLES)
    ms = require_member_state(principal)
    today = today_in(services, ms)
    with services.uow() as uow:
        rows = uow.conn.execute(select(A).where(A.c.member_state == ms, A.c.person_id == person_id)
                                .order_by(A.c.made_on.desc(), A.c.id)).mappings().all()
        _list_read(uow, principal, [r["person_id"] for r in rows], channel, reads.criteria_given(person=person_id))
    return [_public(r, today) for r in rows]


def _list_read(uow: UnitOfWork, principal: Principal, person_ids: Iterable[str | None], channel: str | None,
               criteria: str | None) -> None:
    """Log a list of the state's asylum cases that showed the persons ``person_ids`` (the rows
    shown, not the total) on ``channel``, and commit: one read, a row per person, each the state's
    person (every list here is of the principal's state's cases). Nothing for an internal read
    (``channel`` None) nor for a list that showed nobody (it disclosed no one's data)."""
    ms = principal.member_state
    if reads.record_list_read(uow, principal, {p: ms for p in person_ids if p}, reads.ASYLUM_CASE_LIST, channel,
                              criteria=criteria):
        uow.commit()


def _queue_criteria(procedure: str | None, state: str | None, nationality: str | None, overdue: bool,
                    mine: bool) -> str | None:
    """The queue's filters given, by name (the read log keeps no value)."""
    return reads.criteria_given(procedure=procedure or "", state=state or "", nationality=nationality or "",
                                overdue="yes" if overdue else "", assigned_to_me="yes" if mine else "")


def applications_of_linked_persons(services: Services, principal: Principal, person_id: str, *,
                                   same_person_only: bool = False,
                                   channel: str | None = None) -> list[dict[str, Any]]:
    """The asylum applications, open or decided, of the state's other persons whose records a
    multiple-identity link joins to a record of ``person_id``
    (:func:`pactum.services.identity.linked_persons`), or a chain of white or red links joins to it
    (A linked to B, B to C: C is A; the platform's one reading,
    :func:`pactum.services.registry.same_person_network`, white or red links made automatically or verified): one
    applicant registered twice must not carry two parallel procedures unnoticed. Per linked person
    with an application: its ``person_id`` and ``person_name``, ``relation`` (``same``: a white or red
    link, or a chain of them, says they are one person; ``possible``: a yellow link awaits
    verification), the ``link`` that says it (through a chain, its last link, on the person's record),
    through a chain ``chain`` (the links from this person's record outwards) and ``through`` (the
    persons passed, as ``_same_person_links`` gives them), and its ``applications`` (the latest first). ``same_person_only``:
    only the persons white or red links say are this one. Read only; empty for a caller without a
    state or the case roles. Logged as a list read of the linked persons shown on ``channel`` (the
    application form); ``None``: the person's page (logged as the page's read) or an internal read
    (the warnings of a new case). Before, only a direct link counted."""
    from pactum.services import identity
    from pactum.store.tables.identity import identity_links

    ms = principal.member_state
    if ms is None or not principal.has(*CASE_ROLES):
        return []
    today = today_in(services, ms)
    out = []
    with services.uow() as uow:
        conn = uow.conn
        # the direct links first, as identity.linked_persons orders them, then the persons chains reach
        linked = {p["person_id"]: p for p in identity.linked_persons(conn, ms, person_id)}
        for other, reached in registry.same_person_network(conn, person_id, ms, own_persons=True).items():
            if reached.member_state != ms or linked.get(other, {}).get("relation") == "same":
                continue  # another state's person, or one a decided link of its own already joins
            last = reached.links[-1]
            link = conn.execute(select(identity_links.c.id, identity_links.c.colour, identity_links.c.status,
                                       identity_links.c.verifying_authority)
                                .where(identity_links.c.id == last)).mappings().one()
            linked[other] = {"person_id": other, "relation": "same", "link": dict(link), "links": 1,
                             **({"chain": list(reached.links), "through": list(reached.persons[1:-1])}
                                if len(reached.links) > 1 else {})}
        for p in linked.values():
            if same_person_only and p["relation"] != "same":
                continue
            rows = conn.execute(select(A).where(A.c.member_state == ms, A.c.person_id == p["person_id"])
                                .order_by(A.c.made_on.desc(), A.c.id)).mappings().all()
            if rows:
                out.append({**p, "person_name": _person_name(conn, p["person_id"]),
                            "applications": [_public(r, today) for r in rows]})
        _list_read(uow, principal, [p["person_id"] for p in out], channel,
                   reads.criteria_given(linked_to_person=person_id))
    return out


def linked_application_warnings(linked: list[dict[str, Any]]) -> list[str]:
    """What making an application says of :func:`applications_of_linked_persons`: each linked
    person's applications, named by their case reference (``IT-2026-000123``), with what to do (verify a yellow link first; for the same person, treat
    the application as a subsequent one or close one of the two)."""
    out = []
    for p in linked:
        apps = "; ".join(f"{a.get('reference') or a['id']} ({a['state'].replace('_', ' ')}"
                         f"{', ' + a['outcome'].replace('_', ' ') if a['outcome'] else ''}, made on {a['made_on']})"
                         for a in p["applications"])
        who = f"{p['person_name']} ({p['person_id']})" if p.get("person_name") else f"person {p['person_id']}"
        has = "the asylum application" if len(p["applications"]) == 1 else "the asylum applications"
        link = p["link"]
        if p["relation"] == "same":
            says = (f"a chain of same-person links ({', '.join(p['chain'])}) says" if p.get("chain")
                    else f"a {link['colour']} link ({link['id']}) says")
            out.append(f"{says} this person is {who} under another record, "
                       f"who has {has} {apps}: treat this application as a subsequent application, or close one "
                       "of the two")
        else:
            out.append(f"a yellow link ({link['id']}, to be verified by {link['verifying_authority']}) joins this "
                       f"person's records to {who}, who has {has} {apps}: verify the link first, or treat this "
                       "application as a subsequent application")
    return out


def _latest_name(person_id: Any) -> Any:
    """The applicant's name as the person's latest identity record (``recorded_on``, then ``id``)
    gives it: given names then surname, each in Latin script where recorded, else as written; NULL
    without a record or a name. A scalar subquery on ``person_id`` (a column it correlates with, or
    a bound value): the queue reads it for each row it shows. The name is not kept on the
    application, so a later record (a correction) shows at once; why a subquery rather than a
    name column, a lateral join or a second query: docs/performance.md, Procedures, runs 8 and 9."""
    R = identity_records
    given = func.coalesce(func.nullif(R.c.given_names_latin, ""), func.nullif(R.c.given_names, ""))
    surname = func.coalesce(func.nullif(R.c.surname_latin, ""), func.nullif(R.c.surname, ""))
    name = sql_case((given.is_(None), surname), (surname.is_(None), given), else_=given + " " + surname)
    return (select(name).where(R.c.person_id == person_id)
            .order_by(R.c.recorded_on.desc(), R.c.id.desc()).limit(1).scalar_subquery())


def _person_name(conn: Connection, person_id: str) -> str | None:
    """The applicant's name (the case page heads with it; the queue names each case's applicant
    the same way, ``_latest_name``)."""
    name: str | None = conn.execute(select(_latest_name(person_id))).scalar()
    return name


QUEUE_COLUMNS = (A.c.id, A.c.person_id, A.c.nationality, A.c.procedure, A.c.state, A.c.made_on,
                 A.c.next_deadline, A.c.next_deadline_kind, A.c.assigned_to,
                 A.c.unaccompanied_minor, A.c.routing_mandatory)


#: The suspension of the examination (APR Art 41(4)), read after the queue's rows are chosen (not in
#: the queue's indexes): the day it began and the last day given to the applicant, after which the
#: authority may resume the examination and a decision declare the application implicitly withdrawn
#: (Art 41(1)).
QUEUE_SUSPENSION_COLUMNS = (A.c.suspended_on, A.c.suspended_until)


def _queue_select(conds: list[Any], limit: int, offset: int) -> Any:
    """The queue's rows in ``QUEUE_COLUMNS`` order, then the case's short reference
    (``reference``), the applicant's name (``person_name``) and the suspension of the examination
    (``QUEUE_SUSPENSION_COLUMNS``). The rows are chosen first (an index-only scan
    of the queue's indexes), the names and references read for those rows only: named in the same
    select, the rows an offset skips were named too."""
    rows = (select(*QUEUE_COLUMNS).where(and_(*conds))
            .order_by(A.c.next_deadline.asc().nulls_last(), A.c.id).limit(limit).offset(offset)
            .subquery("queue"))
    return (select(*rows.c, A.c.reference, _latest_name(rows.c.person_id).label("person_name"),
                   *QUEUE_SUSPENSION_COLUMNS)
            .select_from(rows.join(A, A.c.id == rows.c.id))
            .order_by(rows.c.next_deadline.asc().nulls_last(), rows.c.id))


def _queue_conditions(services: Services, principal: Principal, *, procedure: str | None,
                      state: str | None, nationality: str | None, overdue: bool, mine: bool,
                      limit: int, offset: int = 0) -> list[Any]:
    require(principal, *CASE_ROLES)
    ms = require_member_state(principal)
    problems = []
    if procedure and procedure not in ("border", "accelerated", "regular", "admissibility"):
        problems.append(("procedure", "border, accelerated, regular or admissibility"))
    if state and state not in OPEN_STATES:
        problems.append(("state", f"one of {', '.join(OPEN_STATES)}"))
    if not 1 <= limit <= 5000:
        problems.append(("limit", "between 1 and 5000"))
    if not 0 <= offset <= STORE_INTEGER_MAX:
        problems.append(("offset", f"between 0 and {STORE_INTEGER_MAX}"))
    if nationality:
        # an unknown code selected nothing (200 []): refused as the refusals of entry refuse it
        try:
            nationality = country(nationality.strip().upper()).alpha3
        except ValueError:
            problems.append(("nationality", "an ISO 3166 alpha-3 country code"))
    if problems:
        raise ValidationProblem(problems)
    conds = [A.c.member_state == ms, A.c.closed.is_(False)]
    if mine:
        conds.insert(0, A.c.assigned_to == principal.username)
    if procedure:
        conds.append(A.c.procedure == procedure)
    if state:
        conds.append(A.c.state == state)
    if nationality:
        conds.append(A.c.nationality == nationality)
    if overdue:
        conds.append(A.c.next_deadline < today_in(services, principal.member_state))
    return conds


def _dublin_case_of(conn: Connection, person_id: str, ms: str) -> Any:
    """The responsibility area's latest Dublin case of the person in this state, or None."""
    return conn.execute(_select_dublin_case(), {"person_id": person_id, "ms": ms}).first()


@lru_cache(maxsize=1)
def _select_dublin_case() -> Any:
    """``_dublin_case_of``'s statement, built once (each decision step of a case runs it)."""
    from pactum.store.tables.responsibility import dublin_cases as D

    return (select(D).where(D.c.person_id == bindparam("person_id"), D.c.member_state == bindparam("ms"))
            .order_by(D.c.created_at.desc()).limit(1))


def _dublin_responsible(dublin: Any) -> tuple[str | None, str | None]:
    """The responsible state the Dublin case's determination designated, with its source."""
    if dublin is None:
        return None, None
    from pactum.responsibility.procedure import criterion_label

    criterion = criterion_label(dublin.criterion) or "no criterion recorded"
    return dublin.responsible_member_state, f"Dublin case {dublin.reference} ({criterion})"


def _linked_persons(conn: Connection, person_id: str, ms: str) -> list[str]:
    """Other states' persons linked to ``ms``'s person as the same person (a white or red
    multiple-identity link, verified or made automatically, Reg. (EU) 2019/818), directly or through a
    chain of such links (IT's A linked to DE's B, B to FR's C: C is A), a green link breaking it:
    :func:`pactum.services.registry.same_person_network`, which walks only links made automatically or
    verified (:func:`~pactum.services.registry.says_same_person`). Before, only a direct link counted."""
    return sorted(registry.same_person_network(conn, person_id, ms))


def _responsible_now(conn: Connection, dublin: Any, person_id: str, ms: str, today: date
                     ) -> dict[str, Any] | None:
    """Who is responsible for the application on ``today`` as the responsibility area says it
    (``current_responsibility``: the determination with what its requests, their deadlines and
    a responsibility offset did since): for the state's own Dublin case of the person; else for
    another state's Dublin case of the same person (a multiple-identity link) that sent this state
    a request (the state that took the person back or charge of them), when every request of that
    case is between the two states (a requested state does not see the requests to others).
    ``None`` when no Dublin case says it."""
    from pactum.services import responsibility
    from pactum.store.tables.responsibility import dublin_cases as D
    from pactum.store.tables.responsibility import dublin_requests as R

    source = dublin
    if source is None:
        linked = _linked_persons(conn, person_id, ms)
        if not linked:
            return None
        for c in conn.execute(select(D).where(D.c.person_id.in_(linked), D.c.member_state != ms)
                              .order_by(D.c.created_at.desc())).all():
            pairs = {(q.requesting_member_state, q.requested_member_state) for q in conn.execute(
                select(R.c.requesting_member_state, R.c.requested_member_state).where(R.c.case_id == c.id))}
            if pairs and pairs <= {(c.member_state, ms), (ms, c.member_state)}:
                source = c
                break
        if source is None:
            return None
    now = responsibility.current_responsibility(conn, [source], today)[source.id][0]
    return {**now.to_json(), "dublin_case": source.reference,
            "determined": source.responsible_member_state}


def _plain_rows(conn: Connection, q: Any) -> list[Any]:
    """The rows of ``q`` as plain tuples. On PostgreSQL the driver's tuples are used as they come
    (psycopg already gives dates and booleans), skipping SQLAlchemy's ``Row`` wrappers: for the
    5,000-row queue those are 10,000 objects the cyclic garbage collector tracks, and their
    promotion set off full collections that made one page in a few take 200-400 ms (measured,
    docs/performance.md). Tuples of plain values are untracked by the collector at once. Other
    databases (SQLite stores dates as text) go through SQLAlchemy's type conversion."""
    if conn.dialect.name != "postgresql":
        return [tuple(r) for r in conn.execute(q)]
    compiled = q.compile(dialect=conn.dialect)
    driver: Any = conn.connection.driver_connection
    return list(driver.execute(str(compiled), compiled.params).fetchall())


def queue_page(services: Services, principal: Principal, *, procedure: str | None = None,
               state: str | None = None, nationality: str | None = None, overdue: bool = False,
               mine: bool = False, limit: int = 200, offset: int = 0,
               channel: str | None = None) -> dict[str, Any]:
    """One page of the queue for the screen: the total and the rows as plain tuples in
    ``QUEUE_COLUMNS`` order, then the case's reference and the applicant's name (no per-row dicts
    or objects: the page renders thousands of them). The applicants of the rows returned are logged as one read on
    ``channel`` (``services.reads``; ``None``: an internal read, not logged)."""
    conds = _queue_conditions(services, principal, procedure=procedure, state=state,
                              nationality=nationality, overdue=overdue, mine=mine, limit=limit,
                              offset=offset)
    q = _queue_select(conds, limit + 1, offset)
    with services.uow() as uow:
        conn = uow.conn
        rows = _plain_rows(conn, q)
        if len(rows) <= limit:  # the whole rest of the queue is here: no count needed
            total = offset + len(rows)
        else:
            rows = rows[:limit]
            total = conn.execute(select(func.count()).select_from(A).where(and_(*conds))).scalar() or 0
        _list_read(uow, principal, [r[_QUEUE_PERSON] for r in rows], channel,
                   _queue_criteria(procedure, state, nationality, overdue, mine))
    return {"total": int(total), "rows": rows, "today": today_in(services, principal.member_state)}


def queue(services: Services, principal: Principal, *, procedure: str | None = None,
          state: str | None = None, nationality: str | None = None, overdue: bool = False,
          mine: bool = False, limit: int = 500, offset: int = 0,
          channel: str | None = None) -> list[dict[str, Any]]:
    """The caseworker's queue: open cases of the state, next legal deadline first, each with
    its applicant's name (``person_name``, None if the person's records give none). The
    applicants listed are logged as one read on ``channel`` (``None``: internal, not logged)."""
    conds = _queue_conditions(services, principal, procedure=procedure, state=state,
                              nationality=nationality, overdue=overdue, mine=mine, limit=limit,
                              offset=offset)
    today = today_in(services, principal.member_state)
    q = _queue_select(conds, limit, offset)
    with services.uow() as uow:
        rows = uow.conn.execute(q).all()
        _list_read(uow, principal, [r[_QUEUE_PERSON] for r in rows], channel,
                   _queue_criteria(procedure, state, nationality, overdue, mine))
    return [_queue_row(r, today) for r in rows]


_QUEUE_NAMES = (*(c.name for c in QUEUE_COLUMNS), "reference", "person_name",
                *(c.name for c in QUEUE_SUSPENSION_COLUMNS))
#: where a queue row (``_queue_select``) has the applicant's person id
_QUEUE_PERSON = _QUEUE_NAMES.index("person_id")


def _queue_row(values: Iterable[Any], today: date) -> dict[str, Any]:
    """One case of the queue as the API gives it, from its values in ``QUEUE_COLUMNS`` order then
    the case's reference and the applicant's name (a row of :func:`_queue_select`)."""
    r = dict(zip(_QUEUE_NAMES, values, strict=True))
    deadline = r["next_deadline"]
    return {"id": r["id"], "person_id": r["person_id"], "person_name": r["person_name"],
            "reference": r["reference"],
            "nationality": r["nationality"],
            "procedure": r["procedure"], "state": r["state"], "made_on": r["made_on"],
            "next_deadline": deadline, "next_deadline_kind": r["next_deadline_kind"],
            "overdue": deadline is not None and deadline < today,
            "days_left": (deadline - today).days if deadline else None,
            "assigned_to": r["assigned_to"], "unaccompanied_minor": r["unaccompanied_minor"],
            "mandatory": r["routing_mandatory"], **_queue_suspension(r["state"], r["suspended_on"],
                                                                     r["suspended_until"])}


def _queue_suspension(state: Any, on: date | None, until: date | None) -> dict[str, Any]:
    """The suspension of the examination as a queue row gives it (APR Art 41(4)): ``suspended_on``,
    ``suspended_until`` (the last day given to the applicant to justify or rectify: from the day after,
    the authority may resume the examination and a decision declare the application implicitly
    withdrawn, Art 41(1)), ``may_resume_from`` that day; all None where not suspended (or the case is
    out of the states a suspension lasts in)."""
    if on is None or until is None or CaseState(state) not in workflow.SUSPENDABLE_STATES:
        return {"suspended_on": None, "suspended_until": None, "may_resume_from": None}
    return {"suspended_on": on, "suspended_until": until, "may_resume_from": until + timedelta(days=1)}


def queue_with_total(services: Services, principal: Principal, *, procedure: str | None = None,
                     state: str | None = None, nationality: str | None = None, overdue: bool = False,
                     mine: bool = False, limit: int = 500, offset: int = 0,
                     channel: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """:func:`queue`'s cases with how many the filters select in all (``GET /procedures/queue``'s
    ``X-Total-Count``): the page of :func:`queue_page`, which counts only when the page is full
    (and logs the read on ``channel``)."""
    page = queue_page(services, principal, procedure=procedure, state=state, nationality=nationality,
                      overdue=overdue, mine=mine, limit=limit, offset=offset, channel=channel)
    return [_queue_row(r, page["today"]) for r in page["rows"]], page["total"]


#: The columns of the queue as CSV (``GET /api/v1/procedures/queue.csv``), in the queue's order.
QUEUE_CSV_COLUMNS = ("id", "reference", "person_name", "nationality", "procedure", "state", "made_on",
                     "next_deadline", "next_deadline_kind", "days_left", "overdue", "assigned_to", "unaccompanied_minor",
                     "mandatory", "suspended_on", "suspended_until", "may_resume_from")


def queue_csv(services: Services, principal: Principal, *, procedure: str | None = None,
              state: str | None = None, nationality: str | None = None, overdue: bool = False,
              mine: bool = False, limit: int = 5000, offset: int = 0, channel: str | None = None) -> str:
    """:func:`queue` with the same filters (up to 5,000 cases) as CSV, one row per case with
    :data:`QUEUE_CSV_COLUMNS` (text made safe for spreadsheets); the file's applicants are logged
    as one read on ``channel``."""
    rows = queue(services, principal, procedure=procedure, state=state, nationality=nationality,
                 overdue=overdue, mine=mine, limit=limit, offset=offset, channel=channel)
    return csv_table(QUEUE_CSV_COLUMNS, rows)


def draft_work(services: Services, principal: Principal, *, limit: int = 50, shown: int | None = None,
               channel: str | None = None) -> dict[str, Any]:
    """The drafts that are the caseworker's to act on, from the state's first ``limit`` of each
    kind (the queue's order, nearest deadline first):

    - ``returned``: drafts this caseworker made that a reviewer sent back for revision (state
      ``draft_decision``, the last word on the draft a return), each queue row with
      ``returned_by``, ``returned_at`` and the ``reason``;
    - ``review``: other officers' drafts awaiting the second-level review (state ``under_review``;
      the drafter may not approve their own), each with its ``outcome`` and ``drafted_by``;
    - ``own_under_review``: how many of the caseworker's own drafts await another officer;
    - ``capped``: whether either kind filled ``limit`` (more may exist; the queue lists them all).

    Read with the queue's rights and two queries for the drafters and the returns. The applicants
    of the first ``shown`` of each kind (what the home page lists; all when None) are logged as one
    read on ``channel`` (``None``: internal, not logged)."""
    me = principal.username
    drafts = queue(services, principal, state="draft_decision", limit=limit)
    waiting = queue(services, principal, state="under_review", limit=limit)
    ids = [r["id"] for r in (*drafts, *waiting)]
    with services.uow() as uow:
        conn = uow.conn
        facts = {r.id: r for r in conn.execute(
            select(A.c.id, A.c.drafted_by, A.c.outcome).where(A.c.id.in_(ids)))} if ids else {}
        mine = [r["id"] for r in drafts if facts[r["id"]].drafted_by == me]
        last: dict[str, Any] = {}
        if mine:
            for e in conn.execute(select(E.c.case_id, E.c.event, E.c.actor, E.c.at, E.c.detail).where(
                    E.c.case_id.in_(mine), E.c.event.in_(("decision_drafted", "draft_returned")))
                    .order_by(E.c.at, E.c.id)):
                last[e.case_id] = e
        returned = [{**r, "returned_by": last[r["id"]].actor, "returned_at": as_utc(last[r["id"]].at),
                     "reason": (last[r["id"]].detail or {}).get("reason")}
                    for r in drafts if r["id"] in last and last[r["id"]].event == "draft_returned"]
        review = [{**r, "outcome": facts[r["id"]].outcome, "drafted_by": facts[r["id"]].drafted_by}
                  for r in waiting if facts[r["id"]].drafted_by != me]
        _list_read(uow, principal, [r["person_id"] for r in (*returned[:shown], *review[:shown])], channel,
                   reads.criteria_given(drafts_returned_or_to_review="yes"))
    return {"returned": returned, "review": review, "own_under_review": len(waiting) - len(review),
            "capped": len(drafts) >= limit or len(waiting) >= limit}


#: The steps that record what someone else did (evidence a file receives, the applicant's appeal,
#: the court's judgment, the applicant's withdrawal of the application): a case whose only steps
#: are these waits on others.
RECORDING_STEPS = frozenset({"add_evidence", "lodge_appeal", "decide_appeal", "record_withdrawal",
                             "request_to_remain", "decide_request_to_remain"})
#: The steps the authority may take but that are nobody's next step: suspending the examination so
#: that the applicant may justify an omission (APR Art 41(4), "may"). A case whose only other steps
#: record what others did still waits on them (a Dublin case of another state responsible listed the
#: case as the caseworker's overdue next step once the suspension was offered).
OPTIONAL_STEPS = frozenset({"suspend_examination"})


def cases_due(services: Services, principal: Principal, *, within_days: int, shown: int,
              limit: int, channel: str | None = None) -> dict[str, Any]:
    """The state's open asylum cases whose next legal deadline is within ``within_days`` days or
    passed (the queue's order, nearest first; the first ``limit`` read, then ``capped``), split by
    whose move it is (the home page's work lists):

    - ``next_step``: the caseworker's next step: the case page offers a step that moves the case
      (``rows``: the first ``shown``, queue rows; ``total``; ``overdue``: how many are past due);
    - ``waiting``: waiting on others, the case page offering only steps that record what another
      did (``RECORDING_STEPS``): the court (appeal lodged), the applicant (the appeal time limit of
      the notified decision runs) or another Member State responsible (the state decides nothing
      while its Dublin case says so, ``decision_block``). Each row has ``waiting_on`` (``court``,
      ``applicant``, ``member_state``) and ``status`` in words: on an appealed border case, the
      border procedure's end is a status (the applicant is to be authorised to enter once it has
      passed, APR Art 51(2)), not a deadline of the caseworker's.

    The applicants of the rows listed (the first ``shown`` of each) are logged as one read on
    ``channel`` (the home page: web); ``None``: internal, not logged."""
    today = today_in(services, principal.member_state)
    conds = _queue_conditions(services, principal, procedure=None, state=None, nationality=None,
                              overdue=False, mine=False, limit=limit)
    conds.append(A.c.next_deadline <= today + timedelta(days=within_days))
    with services.uow() as uow:
        conn = uow.conn
        rows = conn.execute(select(*[c for c in A.c if c.name != "routing"]).where(and_(*conds))
                            .order_by(A.c.next_deadline, A.c.id).limit(limit)).mappings().all()
        blocks = _decision_blocks(conn, rows, principal.member_state or "", today)
        mine: list[tuple[Any, None]] = []
        waiting: list[tuple[Any, tuple[str, str]]] = []
        for r in rows:
            why = _waiting_on(r, blocks.get(r["person_id"]), principal.username, today)
            if why is None:
                mine.append((r, None))
            else:
                waiting.append((r, why))
        listed = [*mine[:shown], *waiting[:shown]]
        ids = [r["id"] for r, _ in listed]
        names: dict[str, str | None] = dict(conn.execute(  # type: ignore[arg-type]
            select(A.c.id, _latest_name(A.c.person_id)).where(A.c.id.in_(ids))).all()) if ids else {}
        _list_read(uow, principal, [r["person_id"] for r, _ in listed], channel,
                   reads.criteria_given(next_deadline_due="yes"))

    def row(r: Any, why: tuple[str, str] | None) -> dict[str, Any]:
        out = _queue_row([*(r[c.name] for c in QUEUE_COLUMNS), r["reference"], names.get(r["id"]),
                          *(r[c.name] for c in QUEUE_SUSPENSION_COLUMNS)], today)
        if why is not None:
            out["waiting_on"], out["status"] = why
        return out

    return {"next_step": {"rows": [row(r, w) for r, w in mine[:shown]], "total": len(mine),
                          "overdue": sum(1 for r, _ in mine if r["next_deadline"] < today)},
            "waiting": {"rows": [row(r, w) for r, w in waiting[:shown]], "total": len(waiting)},
            "capped": len(rows) >= limit}


def _decision_blocks(conn: Connection, rows: Sequence[Any], ms: str, today: date
                     ) -> dict[str, dict[str, Any]]:
    """For each person of ``rows`` whose latest Dublin case in ``ms`` says another state is
    responsible now, why ``ms`` may not decide (``decision_block``, with ``now``: who is responsible
    and why): the Dublin cases read at once, their responsibility computed together."""
    from pactum.services import responsibility
    from pactum.store.tables.responsibility import dublin_cases as D

    persons = sorted({r["person_id"] for r in rows})
    latest: dict[str, Any] = {}
    for chunk in (persons[i:i + 500] for i in range(0, len(persons), 500)):
        for d in conn.execute(select(D).where(D.c.person_id.in_(chunk), D.c.member_state == ms)
                              .order_by(D.c.created_at, D.c.id)):
            latest[d.person_id] = d  # the latest last
    if not latest:
        return {}
    current = responsibility.current_responsibility(conn, list(latest.values()), today)
    out: dict[str, dict[str, Any]] = {}
    for person, d in latest.items():
        now = {**current[d.id][0].to_json(), "dublin_case": d.reference,
               "determined": d.responsible_member_state}
        block = decision_block(ms, d, now)
        if block is not None:
            out[person] = {**block, "now": now}
    return out


def _waiting_on(r: Any, block: dict[str, Any] | None, username: str, today: date
                ) -> tuple[str, str] | None:
    """Whom the case waits on, and its status in words, or None when its next step is the
    caseworker's (see :func:`cases_due`)."""
    case = case_from_row(r)
    steps = set(workflow.available_actions(case, username, today)) - RECORDING_STEPS - OPTIONAL_STEPS
    blocked = block is not None and block["rule"] != "transferred"
    if blocked:  # no decision while another state is responsible; a transfer closes the case
        steps -= {*DECISION_ACTIONS, "close_transferred"}
    if steps:
        return None
    border = ""
    facts = _border_procedure_facts(case, today) if workflow.border_end_runs(case) else None
    if facts is not None:  # its end a status: the caseworker cannot make the court or applicant act
        border = (f"; {facts['note']}" if facts["ended"] and facts["note"]
                  else f"; the border procedure ends on {facts['end']}")
    if case.state == CaseState.appeal_lodged:
        court = (f" (its time limit: {_iso(r['next_deadline'])})"
                 if r["next_deadline_kind"] == "appeal_decision" else "")
        return "court", f"appeal lodged on {_iso(case.appeal_lodged_on)}: the court decides{court}{border}"
    if case.state == CaseState.notified:
        return "applicant", (f"decision notified on {_iso(case.notified_on)}: the applicant may appeal "
                             f"until {_iso(case.appeal_deadline)}{border}")
    if blocked:
        assert block is not None
        now = block["now"]
        return "member_state", (f"{block['member_state']} is responsible now ({now.get('reason')}; "
                                f"Dublin case {block['dublin_case']}): no decision here, the Dublin "
                                "transfer is awaited")
    return None


def border_pipeline(services: Services, principal: Principal, *, channel: str | None = None) -> dict[str, Any]:
    """Supervisor view: open border-procedure cases, days in procedure against the limit. The
    border procedure lasts from registration until the applicant no longer has a right to remain,
    the appeal stage included (APR Art 51(2)): appealed cases stay in the view, and each case's
    next deadline is the nearer of the border procedure's end and its own next step. The cases'
    applicants are logged as one read on ``channel`` (``None``: internal, not logged)."""
    require(principal, *CASE_ROLES)
    ms = require_member_state(principal)
    today = today_in(services, ms)
    with services.uow() as uow:
        rows = uow.conn.execute(
            select(*[c for c in A.c if c.name != "routing"])
            .where(A.c.member_state == ms, A.c.procedure == "border", A.c.closed.is_(False),
                   A.c.state.in_(OPEN_STATES))
            .order_by(A.c.registered_on.asc().nulls_first(), A.c.made_on, A.c.id)).mappings().all()
        _list_read(uow, principal, [r["person_id"] for r in rows], channel,
                   reads.criteria_given(procedure="border"))
    out = []
    for r in rows:
        # the border procedure's length counts from registration: a case not registered yet has
        # no days in the procedure (its registration deadline is its next deadline)
        start = r["registered_on"] or r["made_on"]
        case = case_from_row(r)
        limit_days, limit_text = workflow.border_limit(case, start)
        days = (today - r["registered_on"]).days if r["registered_on"] else None
        end = workflow.border_procedure_end(case)
        dl = workflow.next_deadline(case, today)
        out.append({"id": r["id"], "reference": r["reference"], "nationality": r["nationality"],
                    "state": r["state"],
                    "made_on": r["made_on"].isoformat(), "registered_on": _iso(r["registered_on"]),
                    "days_in_procedure": days, "limit_days": limit_days, "limit": limit_text,
                    "over_limit": days is not None and days > limit_days,
                    "border_procedure_end": _iso(end),
                    "decided_in_border_procedure": workflow.in_border_procedure(case),
                    # whether its end is among the case's deadlines (running, overdue) or passed
                    # after the decision was notified (behind: it waits on the applicant or court)
                    "border_end_status": (_border_end_as_deadline(case, end, today)[0]
                                          if end is not None else None),
                    "next_deadline": _iso(dl.due) if dl else None,
                    "next_deadline_kind": dl.kind if dl else None})
    by_state: dict[str, int] = {}
    for o in out:
        by_state[o["state"]] = by_state.get(o["state"], 0) + 1
    after = by_state.get(CaseState.notified.value, 0) + by_state.get(CaseState.appeal_lodged.value, 0)
    # ended with no decision taken in it: the applicant is authorised to enter (APR Art 51(2))
    ended = sum(1 for o in out if o["border_end_status"] == "ended")
    return {"member_state": ms, "as_of": today.isoformat(), "cases": out, "by_state": by_state,
            "over_limit": sum(1 for o in out if o["over_limit"]),
            # the capacity's occupancy counts the cases before notification of the decision; the
            # pipeline also lists notified and appealed ones: the applicant stays in the border
            # procedure until the right to remain ends (APR Art 51(2))
            "before_notification": len(out) - after - ended,
            "ended_undecided": ended,
            "notified": by_state.get(CaseState.notified.value, 0),
            "appealed": by_state.get(CaseState.appeal_lodged.value, 0),
            "counts": "open border-procedure cases from the application being made until the "
                      "applicant no longer has a right to remain, the appeal stage included "
                      "(Regulation (EU) 2024/1348, Article 51(2)); the occupancy of the capacity "
                      "counts those not yet notified of their decision, not those whose border procedure "
                      "ended with no decision taken in it (the applicant authorised to enter, Article 51(2))"}


def _pact_from() -> date:
    from pactum.law.regimes import cutover

    c = cutover("procedures", date(2100, 1, 1))
    return c.value if c else date.max


# --------------------------------------------------------------------------- capacity


def _arrivals(conn: Connection, start: date, end: date) -> dict[str, cap.Arrivals]:
    """The formula's three counts per state over ``start``..``end``: irregular crossings and
    disembarkations after search and rescue recorded at registration (encounters), and refusals
    of entry at the external border (recorded in this area). An encounter counts on its local day
    (``pactum.registry.local_time.stored_day``: its recorded clock, else its state's capital's), as
    the registry reads it: a disembarkation at Larnaca at 01:30 on 1 January (23:30 UTC on 31
    December) is one of the new year. Every clock of a state is less than a day from UTC, so an
    encounter stored between the first day after ``start`` and ``end`` (UTC) is inside the period
    wherever it happened: those are counted by the store; the few of the days at either edge are read
    one by one and counted on their local day."""
    kinds = ("irregular_crossing", "sar_disembarkation")
    first, last = datetime.combine(start, datetime.min.time()), datetime.combine(end, datetime.min.time())
    counts: dict[str, dict[str, int]] = {}
    if last > first + timedelta(days=1):  # the inner days: in the period on any clock
        q = (select(encounters.c.member_state, encounters.c.kind, func.count())
             .where(encounters.c.kind.in_(kinds),
                    encounters.c.occurred_at >= first + timedelta(days=1), encounters.c.occurred_at < last)
             .group_by(encounters.c.member_state, encounters.c.kind))
        for ms, kind, n in conn.execute(q).all():
            counts.setdefault(ms, {})[kind] = int(n)
        edges = [(first - timedelta(days=1), first + timedelta(days=1)), (last, last + timedelta(days=2))]
    else:  # a period of a day or two: every encounter near it, one by one
        edges = [(first - timedelta(days=1), last + timedelta(days=2))]
    for lo, hi in edges:
        q = (select(encounters.c.member_state, encounters.c.kind, encounters.c.occurred_at, encounters.c.time_zone)
             .where(encounters.c.kind.in_(kinds), encounters.c.occurred_at >= lo, encounters.c.occurred_at < hi))
        for ms, kind, at, zone in conn.execute(q).all():
            if start <= stored_day(at, ms, zone) <= end:
                by_kind = counts.setdefault(ms, {})
                by_kind[kind] = by_kind.get(kind, 0) + 1
    r = refusals_of_entry
    for ms, n in conn.execute(select(r.c.member_state, func.count())
                              .where(r.c.refused_on >= start, r.c.refused_on <= end)
                              .group_by(r.c.member_state)).all():
        counts.setdefault(ms, {})["refusal_of_entry"] = int(n)
    return {ms: cap.Arrivals(c.get("irregular_crossing", 0), c.get("sar_disembarkation", 0),
                             c.get("refusal_of_entry", 0)) for ms, c in counts.items()}


def _occupancy(conn: Connection, year_start: date | None = None) -> dict[str, int]:
    q = (select(A.c.member_state, func.count()).where(
        A.c.procedure == "border", A.c.closed.is_(False),
        A.c.state.in_([s for s in OPEN_STATES if s not in ("notified", "appeal_lodged")]),
        ~select(E.c.id).where(*_BORDER_ENDED_UNDECIDED).correlate(A).exists())
        .group_by(A.c.member_state))
    if year_start is not None:
        q = (select(A.c.member_state, func.count())
             .where(A.c.procedure == "border", A.c.made_on >= year_start)
             .group_by(A.c.member_state))
    return {ms: int(n) for ms, n in conn.execute(q).all()}


def _capacities(conn: Connection, on: date) -> dict[str, cap.StateCapacity]:
    start, end = cap.reference_period(on)
    # the states bound by the APR: not Denmark (Protocol (No 22) on the position of Denmark), nor
    # an associated state; their arrivals count neither for them nor in the Union's sum
    bound = [ms for ms in EU_MEMBER_STATES if ms != "DK"]
    arrivals = {ms: a for ms, a in _arrivals(conn, start, end).items() if ms in bound}
    for ms in bound:
        arrivals.setdefault(ms, cap.Arrivals())
    occupancy = {ms: n for ms, n in _occupancy(conn).items() if ms in bound}
    this_year = {ms: n for ms, n in _occupancy(conn, _capacity_year_start(on)).items() if ms in bound}
    return cap.capacities(arrivals, on, occupancy, this_year)


#: The clock of the Union-wide border-procedure capacity (APR Arts 46-48: the Union's adequate capacity
#: and the Commission's acts on it) where no state's clock applies: the day at the seat of the
#: Commission, Brussels. A caller without a state (an EU body) reads the capacity as of that day by
#: default, and the job ``procedures_capacity_and_finality`` counts the Union's capacity on it. A
#: state's officer reads it as of today on their state's clock. Before, both were the UTC day, which
#: is the day before in Brussels from 23:00 (22:00 in summer) UTC: on 31 December at 23:30 UTC the
#: Union figure still counted the reference period of the year ending.
UNION_CAPACITY_ZONE = "Europe/Brussels"


def union_capacity_today(now: datetime) -> date:
    """Today on the Union capacity's clock (:data:`UNION_CAPACITY_ZONE`)."""
    return as_utc(now).astimezone(ZoneInfo(UNION_CAPACITY_ZONE)).date()


def _capacity_year_start(on: date) -> date:
    """Annual maxima run from 12 June (the APR's date of application) each year."""
    anniversary = date(on.year, 6, 12)
    return anniversary if on >= anniversary else date(on.year - 1, 6, 12)


def capacity_overview(services: Services, principal: Principal, on: date | None = None
                      ) -> dict[str, Any]:
    require(principal, *READ_ROLES)
    ms = principal.member_state
    # today on the state's clock; for an EU body the Union capacity's (Brussels), not the UTC day
    today = today_in(services, ms) if ms else union_capacity_today(services.clock.now())
    clock = (f"today on {ms}'s clock" if ms else
             f"today at the seat of the Commission ({UNION_CAPACITY_ZONE}), the Union capacity's clock")
    as_of_source = "the day asked" if on else clock
    on = on or today
    try:  # the capacity rules must be in force on the date asked
        parameters = cap.capacity_parameters(on)
    except NotInForce as exc:
        raise ValidationProblem.one("on", f"no adequate-capacity rules apply on {on.isoformat()}: {exc}") from None
    with services.engine.connect() as conn:
        caps = _capacities(conn, on)
        union = cap.union_totals({k: c.components for k, c in caps.items()})
        total = cap.states_total(caps, int(parameters["union_capacity"]))
        notes = conn.execute(select(border_capacity_notifications)
                             .order_by(border_capacity_notifications.c.notified_on.desc())
                             .limit(50)).mappings().all()
    start, end = cap.reference_period(on)
    states = [c.as_dict() for k, c in caps.items() if ms is None or k == ms]
    return {"as_of": on.isoformat(), "as_of_source": as_of_source,
            "reference_period": [start.isoformat(), end.isoformat()],
            "parameters": parameters,
            "arrivals_counted": "irregular crossings of the external border, disembarkations after "
                                "search and rescue and refusals of entry at the external border "
                                "recorded in the platform",
            "union_totals": union.as_dict(),
            "formula": f"estimate = {parameters['union_capacity']:,} × (irregular "
                       "crossings + SAR arrivals + refusals of entry of the state) / (the same sum "
                       "over all bound states), over the reference period; annual maximum = "
                       "capacity × the year's multiplier",
            "capacity_rule": (f"the adequate capacity of a state is the figure fixed by "
                              f"{cap.DECISION} until the next act (due on 15 October 2027); the "
                              "estimate from the platform's records is shown beside it, and used "
                              "only for a state whose figure the platform does not hold, sharing "
                              "what the fixed figures leave of the Union's capacity"
                              if parameters["capacities_fixed_by"] else
                              "no act of the Commission fixing the adequate capacities is held for "
                              "this date: each capacity is the estimate from the platform's records"),
            "states": states,
            "states_total": total if ms is None else None,
            "warnings": _capacity_warnings(on, today, end),
            "notifications": [{"member_state": n["member_state"], "notified_on": _iso(n["notified_on"]),
                               "occupancy": n["occupancy"], "capacity": n["capacity"],
                               "measure": n["measure"]}
                              for n in notes if ms is None or n["member_state"] == ms]}


def _capacity_warnings(on: date, today: date, period_end: date) -> list[str]:
    """What the capacity of a day after today does not say: occupancy is today's, and the
    reference period may not be over yet (its arrivals still being recorded)."""
    out = []
    if on > today:
        out.append(f"{on.isoformat()} is after today ({today.isoformat()}): the occupancy and the "
                   "applications this year are today's, not that day's")
    if period_end >= today:
        out.append(f"the reference period ends on {period_end.isoformat()}, not over yet: its "
                   "arrivals are still being recorded and the estimates will change")
    return out


# --------------------------------------------------------------------------- refusals of entry

REFUSAL_LIST_MAX = 1000


def record_refusals(services: Services, principal: Principal,
                    bodies: list[refusal_rules.RefusalCreate]) -> list[dict[str, Any]]:
    """Record refusals of entry at the caller's external border, all in one transaction (a bad
    one refuses the lot: nothing is half-written). Each gets an audit entry."""
    require(principal, *REFUSAL_ROLES)
    ms = require_member_state(principal)
    today = today_in(services, ms)
    problems: list[tuple[str, str]] = []
    if ms not in EU_MEMBER_STATES or ms == "DK":
        st = MEMBER_STATES[ms]
        raise ValidationProblem.one("member_state", f"{st.name} is not bound by the Asylum Procedure "
                                    "Regulation: its refusals of entry do not count in the border "
                                    "procedure's capacity")
    many = len(bodies) > 1
    for i, b in enumerate(bodies):
        at = f"[{i}]." if many else ""
        if b.member_state is not None and b.member_state != ms:
            problems.append((f"{at}member_state", f"you record refusals of entry at the border of {ms} only"))
        if b.refused_on > today:
            problems.append((f"{at}refused_on", f"after today ({today.isoformat()})"))
    if problems:
        raise ValidationProblem(problems)
    out = []
    with services.uow() as uow:
        rows = []
        for b in bodies:
            row: dict[str, Any] = {"id": new_id("roe"), "member_state": ms, "refused_on": b.refused_on,
                   "border_type": b.border_type, "border_section": b.border_section,
                   "nationality": b.nationality, "reasons": b.reasons, "note": b.note,
                   "recorded_by": principal.username, "created_at": uow.now}
            rows.append(row)
            public = refusal_rules.as_public(row)
            uow.audit(principal, "procedures.refusal_of_entry_recorded", "refusal_of_entry",
                      row["id"], after=public)
            out.append(public)
        if rows:
            uow.conn.execute(insert(refusals_of_entry), rows)
        uow.commit()
    return out


def record_refusal(services: Services, principal: Principal, body: refusal_rules.RefusalCreate
                   ) -> dict[str, Any]:
    """One refusal of entry (the standard form of Schengen Borders Code Annex V Part B)."""
    return record_refusals(services, principal, [body])[0]


def list_refusals(services: Services, principal: Principal, *, member_state: str | None = None,
                  date_from: date | None = None, date_to: date | None = None,
                  nationality: str | None = None, limit: int = 100, offset: int = 0,
                  _max: int = 0) -> dict[str, Any]:
    """Recorded refusals of entry, newest first (``limit`` from ``offset``), with the count by
    reason letter over the whole selection. A state's officer sees their state's; an EU body sees
    all (or one state's)."""
    require(principal, *READ_ROLES)
    problems: list[tuple[str, str]] = []
    ms = principal.member_state
    if member_state:
        try:
            wanted: str | None = member_state_code(member_state)
        except ValueError:
            problems.append(("member_state", "a bound Member State code"))
            wanted = None
        if ms is not None and wanted is not None and wanted != ms:
            # another state's data is a missing right (403), as in every other area, not bad input
            raise Forbidden(f"you see the refusals of {ms} only")
        ms = wanted if ms is None else ms
    if nationality:
        try:
            nationality = country(nationality.strip().upper()).alpha3
        except ValueError:
            problems.append(("nationality", "an ISO 3166 alpha-3 country code"))
    if date_from and date_to and date_from > date_to:
        problems.append(("to", "on or after 'from'"))
    if not 1 <= limit <= (_max or REFUSAL_LIST_MAX):
        problems.append(("limit", f"between 1 and {REFUSAL_LIST_MAX}"))
    if not 0 <= offset <= STORE_INTEGER_MAX:
        problems.append(("offset", f"between 0 and {STORE_INTEGER_MAX}"))
    if problems:
        raise ValidationProblem(problems)
    r = refusals_of_entry
    conds: list[Any] = []
    if ms:
        conds.append(r.c.member_state == ms)
    if date_from:
        conds.append(r.c.refused_on >= date_from)
    if date_to:
        conds.append(r.c.refused_on <= date_to)
    if nationality:
        conds.append(r.c.nationality == nationality)
    where = and_(literal(True), *conds)
    with services.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(r).where(where)).scalar() or 0
        rows = conn.execute(select(r).where(where).order_by(r.c.refused_on.desc(), r.c.id.desc())
                            .limit(limit).offset(offset)).mappings().all()
        by_reason: dict[str, int] = dict.fromkeys(refusal_rules.REASONS, 0)
        for (reasons,) in conn.execute(select(r.c.reasons).where(where)).all():
            for code in reasons:
                by_reason[code] = by_reason.get(code, 0) + 1
    return {"member_state": ms, "from": _iso(date_from), "to": _iso(date_to),
            "nationality": nationality, "total": int(total), "offset": offset,
            "by_reason": {k: {"count": v, "reason": refusal_rules.reason_text(k)}
                          for k, v in by_reason.items()},
            "legal_basis": refusal_rules.LEGAL_BASIS,
            "refusals": [refusal_rules.as_public(x) for x in rows]}


#: The most refusals one CSV export holds.
REFUSAL_CSV_MAX = 100_000
REFUSAL_CSV_COLUMNS = ("id", "member_state", "refused_on", "border_type", "border_section", "nationality",
                       "reasons", "note", "recorded_by")


def refusals_csv(services: Services, principal: Principal, *, member_state: str | None = None,
                 date_from: date | None = None, date_to: date | None = None,
                 nationality: str | None = None) -> str:
    """:func:`list_refusals`' selection as CSV (every refusal, up to :data:`REFUSAL_CSV_MAX`, newest
    first), one row per refusal with :data:`REFUSAL_CSV_COLUMNS` (reasons as letters ``A;C``)."""
    found = list_refusals(services, principal, member_state=member_state, date_from=date_from,
                          date_to=date_to, nationality=nationality, limit=REFUSAL_CSV_MAX,
                          _max=REFUSAL_CSV_MAX)
    rows = [{**x, "reasons": ";".join(x["reasons"])} for x in found["refusals"]]
    return csv_table(REFUSAL_CSV_COLUMNS, rows)


@job("procedures_capacity_and_finality")
def capacity_and_finality_job(services: Services, now: datetime) -> str:
    """Close notified cases whose appeal time limit passed (or that grant refugee status, open to no
    appeal); notify capacity reached (APR Art 48)."""
    on = union_capacity_today(now)  # the Union's capacity is counted on its clock (Brussels), not the UTC day
    closed = 0
    notified = 0
    with services.uow() as uow:
        # each case's time limit passes on its state's day (no state's clock is a day ahead of UTC's)
        rows = uow.conn.execute(select(A.c.id, A.c.version, A.c.member_state, A.c.appeal_deadline, A.c.outcome).where(
            A.c.state == CaseState.notified.value,
            # a grant of refugee status is open to no appeal (APR Art 67(1), (2)): final once notified
            or_(A.c.appeal_deadline < on + timedelta(days=1), A.c.outcome == Outcome.refugee_status.value))).all()
        from pactum.services.auth import SYSTEM

        for r in rows:
            day = state_today(now, r.member_state)
            if r.outcome != Outcome.refugee_status.value and not (r.appeal_deadline and r.appeal_deadline < day):
                continue
            row = uow.conn.execute(select(A).where(A.c.id == r.id)).mappings().one()
            change = workflow.apply(case_from_row(row), "close", {"on": day}, "system")
            update_versioned(uow.conn, A, r.id, r.version, _case_values(change.case, day))
            _event(uow, r.id, change.event, row["state"], change.case.state.value, "system",
                   change.detail)
            closed += 1
        if cap.reference_period(on)[1] >= _pact_from() or on >= _pact_from():
            for ms, c in _capacities(uow.conn, on).items():
                if not (c.capacity_reached or c.annual_maximum_reached):
                    continue
                already = uow.conn.execute(select(func.count()).select_from(
                    border_capacity_notifications).where(
                    border_capacity_notifications.c.member_state == ms,
                    border_capacity_notifications.c.notified_on == on)).scalar()
                if already:
                    continue
                what = "annual maximum" if c.annual_maximum_reached else "adequate capacity"
                if c.fixed is None:
                    what += " (estimated from the platform's records)"
                uow.conn.execute(insert(border_capacity_notifications).values(
                    id=new_id("bcn"), member_state=ms, notified_on=on, occupancy=c.occupancy,
                    capacity=c.capacity, annual_maximum=c.annual_maximum,
                    applications_this_year=c.applications_this_year,
                    measure=f"{what} reached: notify the Commission with the numbers in the asylum "
                            "and return border procedures and the measures intended",
                    legal_basis="Regulation (EU) 2024/1348, Articles 48-49", created_at=uow.now))
                uow.audit(SYSTEM, "procedures.capacity_reached", "border_capacity", ms,
                          after=c.as_dict())
                notified += 1
        uow.commit()
    return f"{closed} decisions became final, {notified} capacity notifications"


@job("procedures_border_end_passed")
def border_end_passed_job(services: Services, now: datetime) -> str:
    """Move on the next deadline of border cases whose border procedure ended (APR Art 51(2))."""
    # A case's next deadline is stored when the case is written: a border case keeps the
    # procedure's end as its next deadline until it passes. Once it has, a case whose decision was
    # taken in it and notified waits on the applicant or on the court (``workflow.border_end_behind``),
    # and a case still undecided has left the border procedure by its end: the applicant is to be
    # authorised to enter and the application is examined further in the procedure its grounds give
    # outside it (``workflow.border_ended_undecided``). Either way its next deadline is its own next
    # step. The cases whose end passed while nothing was written are found here (their stored
    # deadline is the end, in the past) and their next deadline computed again as on ``now``;
    # audited by the system, and said on the timeline (``border_procedure_ended``: for an undecided
    # case, that no decision was taken in time and the entry that follows). The case's version is
    # not moved on: nothing an officer wrote changed (an open form stays valid; its next step
    # computes the deadline again). Run again, it finds nothing left.
    from pactum.services.auth import SYSTEM

    moved = undecided = 0
    with services.uow() as uow:
        # each case's end passes on its state's day (no state's clock is a day ahead of UTC's)
        rows = uow.conn.execute(select(A).where(
            A.c.closed.is_(False), A.c.procedure == "border",
            A.c.next_deadline_kind == "border_procedure_end", A.c.next_deadline < now.date() + timedelta(days=1),
            A.c.state.in_([s.value for s in workflow.NOTIFIED_STATES | workflow.UNDECIDED_STATES]))
            .order_by(A.c.next_deadline, A.c.id)).mappings().all()
        for row in rows:
            on = state_today(now, row["member_state"])
            if row["next_deadline"] >= on:
                continue
            case = case_from_row(row)
            ended = workflow.border_ended_undecided(case, on)
            if ended is None and not workflow.border_end_behind(case, on):
                continue
            dl = workflow.next_deadline(case, on)
            due, kind = (dl.due, dl.kind) if dl else (None, None)
            done = uow.conn.execute(update(A).where(A.c.id == row["id"], A.c.version == row["version"])
                                    .values(next_deadline=due, next_deadline_kind=kind))
            if done.rowcount != 1:  # written meanwhile: that write computed its deadline
                continue
            what: dict[str, Any] = {}
            if ended is not None:  # the decision was due within the border procedure: said, not dropped
                entry = workflow.entry_at_border_end(case, on)
                what = {"decided_in_time": False, "entry_authorised": entry[0], "entry_basis": entry[1],
                        "procedure_continues": ended[0], "note": ended[1]}
            uow.audit(SYSTEM, "procedures.border_end_passed", "asylum_application", row["id"],
                      before={"next_deadline": _iso(row["next_deadline"]),
                              "next_deadline_kind": row["next_deadline_kind"]},
                      after={"next_deadline": _iso(due), "next_deadline_kind": kind, "state": row["state"], **what})
            # on the timeline too: the caseworker sees when the end passed and what the case waits on
            _event(uow, row["id"], "border_procedure_ended", row["state"], row["state"], "system",
                   {"ended_on": _iso(row["next_deadline"]), "next_deadline": _iso(due), "next_deadline_kind": kind,
                    "legal_basis": workflow.border_limit(case)[1], **what})
            if ended is not None:
                undecided += 1
            else:
                moved += 1
        uow.commit()
    return (f"{moved} notified border cases past the border procedure's end have their next deadline moved on"
            + (f"; {counted(undecided, 'undecided border case')} whose border procedure ended (APR Art 51(2)): entry "
               "authorised, examined further outside it" if undecided else ""))


@job("procedures_route_by_law_of_case")
def route_by_law_of_case_job(services: Services, now: datetime) -> str:
    """Route again the pending cases lodged under the APR that were routed under the Directive (APR Art 79(3))."""
    # Cases lodged before lodging routed again (this release) keep the Directive's routing and
    # the time limit it gave. Each one whose examination is still pending (lodged, not decided) is
    # routed again as lodging now does (``_rerouting``): audited (``procedures.rerouted``, by the
    # system), said on its timeline (``rerouted``) and on its routing, its next deadline computed
    # again from the new procedure. A case already decided keeps the procedure its decision was
    # taken in: routing it again afterwards would change the procedure of a decision taken (its
    # lawfulness is the appeal's to judge); the job counts them. Run again, it finds nothing left.
    from pactum.services.auth import SYSTEM

    pact = _pact_from()
    routed = decided = 0
    with services.uow() as uow:
        rows = uow.conn.execute(select(A).where(A.c.closed.is_(False), A.c.made_on < pact, A.c.lodged_on >= pact)
                                .order_by(A.c.made_on, A.c.id)).mappings().all()
        reference = RoutingReference()
        for row in rows:
            case = case_from_row(row)
            if routing_regime(row["routing"]) == workflow.case_regime(case).regime:
                continue
            if case.state not in workflow.EXAMINATION_STATES:
                decided += 1
                continue
            again = _rerouting(uow.conn, row, case, reference)
            if again is None:
                continue
            values = _rerouted_values(again)
            dl = workflow.next_deadline(replace(case, procedure=again["after"]["procedure"]),
                                        state_today(now, row["member_state"]))
            values.update(next_deadline=dl.due if dl else None, next_deadline_kind=dl.kind if dl else None)
            update_versioned(uow.conn, A, row["id"], row["version"], values)
            _event(uow, row["id"], "rerouted", row["state"], row["state"], "system",
                   {"rerouted": again["record"]["note"], "legal_basis": again["record"]["legal_basis"]})
            uow.audit(SYSTEM, "procedures.rerouted", "asylum_application", row["id"],
                      before=again["before"], after=again["after"])
            routed += 1
        uow.commit()
    return (f"{routed} cases routed again under the law of the case; {decided} already decided kept the "
            "procedure their decision was taken in")


# --------------------------------------------------------------------------- statistics page


def decision_statistics_table(services: Services, principal: Principal, *, year: int | None = None,
                              member_state: str | None = None, limit: int = 60,
                              nationality: str | None = None) -> dict[str, Any]:
    """First-instance decisions and recognition rates by nationality (EU27 or one state),
    laid out like Eurostat's ``migr_asydcfsta``; the rate the routing uses is the EU27 one.
    UNHCR's complementary protection is split as the rate reads it
    (:func:`pactum.procedures.recognition.outcomes`): the grants a state's national status
    accounts for as humanitarian status (in the total only), the others as subsidiary protection."""
    from pactum.common.countries import nationality_name
    from pactum.procedures.recognition import has_rate, outcomes

    require(principal, *READ_ROLES)
    check_statistics_year(year)
    if nationality:
        try:
            nationality = country(nationality.strip().upper()).alpha3
        except ValueError:
            raise ValidationProblem.one("nationality", "an ISO 3166 alpha-3 country code") from None
    D = decision_statistics
    with services.engine.connect() as conn:
        years = [y for (y,) in conn.execute(select(D.c.year).distinct().order_by(D.c.year.desc()))]
        if not years:
            stats = _shipped_stats()
            years = sorted({s.year for s in stats}, reverse=True)
        else:
            stats = None
        y = year or (years[0] if years else None)
        states = [_norm_state(member_state)] if member_state else list(EU_MEMBER_STATES)
        by_nat: dict[str, list[DecisionStat]] = {}
        if stats is None:
            q = (select(D.c.nationality, D.c.member_state, func.sum(D.c.refugee_status),
                        func.sum(D.c.subsidiary_protection), func.sum(D.c.rejected), func.sum(D.c.closed))
                 .where(D.c.year == y, D.c.member_state.in_(states))
                 .group_by(D.c.nationality, D.c.member_state))
            for n, ms, a, b, c, d in conn.execute(q).all():
                by_nat.setdefault(n, []).append(DecisionStat(y or 0, ms, n, int(a), int(b), int(c), int(d)))
        else:
            for s in stats:
                if s.year == y and s.member_state in states:
                    by_nat.setdefault(s.nationality, []).append(s)
    threshold = None
    if y is not None:
        try:
            threshold = param("apr.accelerated.recognition_rate_threshold", on=date(y + 1, 12, 31)).value
        except LookupError:
            threshold = None
    rows: list[dict[str, Any]] = []
    for n, found in by_nat.items():
        if nationality and n != nationality:
            continue
        o = outcomes(found)
        total = o.decided
        rate = round(100 * o.positive / total, 1) if total else None
        low = round(100 * o.refugee_status / total, 1) if total else None
        rows.append({"nationality": n, "name": nationality_name(n) or n, "total": total,
                     "refugee_status": o.refugee_status, "subsidiary_protection": o.subsidiary_protection,
                     "humanitarian_status": o.humanitarian, "complementary_protection": o.complementary,
                     "positive": o.positive, "rejected": o.rejected, "otherwise_closed": o.closed,
                     "recognition_rate": rate,
                     "recognition_rate_range": None if rate is None else [low, rate],
                     "uncertain": (threshold is not None and rate is not None and low is not None
                                   and low <= threshold < rate),
                     "has_rate": has_rate(n)})
    rows.sort(key=lambda r: -r["total"])
    return {"year": y, "years": years, "scope": member_state or "EU27", "nationality": nationality,
            "threshold": threshold,
            "rows": rows[:limit],
            "totals": {"total": sum(r["total"] for r in rows),
                       "positive": sum(r["positive"] for r in rows),
                       "humanitarian_status": sum(r["humanitarian_status"] for r in rows)}}


def _norm_state(code: str) -> str:
    """A Member State bound by the asylum procedure rules (the routing's states: not Denmark, nor
    an associated state), or a problem naming ``member_state``."""
    try:
        ms = member_state(code)
    except ValueError as e:
        raise ValidationProblem.one("member_state", str(e)) from None
    st = MEMBER_STATES[ms]
    if st.kind != "eu" or ms == "DK":
        raise ValidationProblem.one("member_state", f"{st.name} is not bound by the EU asylum procedure "
                                    f"rules ({st.note or 'associated state'})")
    return ms


def recognition_rate_for(services: Services, principal: Principal, nationality: str, on: date
                         ) -> dict[str, Any]:
    """The EU-wide recognition rate the routing of an application made on ``on`` uses, with the
    threshold then in force and how the rate was computed. ``nationality``: an alpha-3 (or alpha-2)
    code; UNHCR's ``UNK`` and Pactum's ``XXX`` (unknown origin) and ``XXA`` (stateless) are answered
    with no rate and the reason; anything else is refused naming ``nationality``."""
    from pactum.procedures.recognition import has_rate
    from pactum.procedures.routing import recognition_threshold

    require(principal, *READ_ROLES)
    code = nationality.strip().upper()
    if has_rate(code):
        try:
            code = country(code).alpha3
        except ValueError as e:
            raise ValidationProblem.one("nationality", str(e)) from None
    with services.engine.connect() as conn:
        r = eu_recognition_rate(_stats_for(conn, code), code, on, EU_MEMBER_STATES)
    return r.as_dict(recognition_threshold(on))


# --------------------------------------------------------------------------- indicators


@indicator("border_procedure_occupancy",
           label="Applicants in the border procedure not yet notified of the decision (the occupancy "
                 "counted against the border capacity), by state",
           area="procedures", unit="applicants", period="on", whose="border cases in {state}")
def border_procedure_occupancy(conn: Connection, as_of: date, member_state: str | None) -> dict[str, int]:
    """The occupancy of the border-procedure capacity on the day, by the state where the
    application was made: border-procedure cases made by the day and not yet notified of their
    decision (a case decided but not notified counts; notified or appealed ones, still in the border
    procedure until the right to remain ends, do not), nor closed as transferred or withdrawn
    (``record_withdrawal``) by then. The same
    count as the border pipeline's ``before_notification`` and the capacity's occupancy (the
    adequate capacity, ``apr.yaml``'s ``capacity``, counts the applicants whose applications are
    examined in the border procedure). A state's: its own (``{state: n}``, empty when it has none)."""
    day_after = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    q = _OCCUPANCY if member_state is None else _OCCUPANCY_OF_STATE
    return {ms: int(n) for ms, n in conn.execute(q, {"as_of": as_of, "day_after": day_after,
                                                     "ms": member_state}).all()}


# a case closed without a notified decision by then (transferred, or withdrawn by the applicant)
# is left out by its event: looked up per border case by the events' case index (NOT EXISTS; a NOT
# IN list would read every event of every case each time)
_TRANSFERRED_BY = (select(E.c.id).where(E.c.case_id == A.c.id,
                                        E.c.to_state.in_((CaseState.transferred.value, CaseState.withdrawn.value,
                                                          CaseState.joined.value)),
                                        E.c.at < bindparam("day_after", type_=E.c.at.type))
                   .correlate(A).exists())
# a case whose border procedure ended with no decision taken in it by then has left it: the applicant
# is authorised to enter and the application is examined further outside it (APR Art 51(2)); the
# daily job ``procedures_border_end_passed`` records that end on the timeline the morning after
_BORDER_ENDED_UNDECIDED = (E.c.case_id == A.c.id, E.c.event == "border_procedure_ended",
                           E.c.from_state.in_([s.value for s in workflow.UNDECIDED_STATES]))
_ENDED_UNDECIDED_BY = (select(E.c.id).where(*_BORDER_ENDED_UNDECIDED,
                                            E.c.at < bindparam("day_after", type_=E.c.at.type))
                       .correlate(A).exists())
_OCCUPANCY = (select(A.c.member_state, func.count())
              .where(A.c.procedure == "border", A.c.made_on <= bindparam("as_of", type_=A.c.made_on.type),
                     (A.c.notified_on.is_(None)) | (A.c.notified_on > bindparam("as_of", type_=A.c.made_on.type)),
                     ~_TRANSFERRED_BY, ~_ENDED_UNDECIDED_BY)
              .group_by(A.c.member_state))
_OCCUPANCY_OF_STATE = _OCCUPANCY.where(A.c.member_state == bindparam("ms"))


@indicator("asylum_applications", label="Asylum applications made (calendar year to date)",
           area="procedures", unit="applications", period="year", whose="applications made in {state}")
def asylum_applications_indicator(conn: Connection, as_of: date, member_state: str | None) -> int:
    """Applications made from 1 January up to the day. A state's: those made in it."""
    q = select(func.count()).select_from(A).where(A.c.made_on >= date(as_of.year, 1, 1), A.c.made_on <= as_of)
    if member_state is not None:
        q = q.where(A.c.member_state == member_state)
    return int(conn.execute(q).scalar() or 0)
