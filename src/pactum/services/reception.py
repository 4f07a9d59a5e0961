"""Reception: the capacity and occupancy reports of the Member States (recording, correcting,
importing), a state's history, the EU overview for the EUAA and the Commission, and the area's
live indicators.

Rights: a Member State's ``caseworker`` or ``admin`` records, corrects and withdraws its own
state's reports; its ``analyst`` reads them. The ``analyst`` of an EU body (EUAA, Commission,
Frontex) and the ``auditor`` read every state's; an EU body's other users (eu-LISA's platform
administrator) do not read them; a Member State's user sees its own state only. Every write is one
unit of work: the report, its version and the audit entry are written together or not at all; a
correction replaces the figures under optimistic concurrency (409 on a stale version) and keeps
the version it replaced; a withdrawal removes the report from every count, its content and every
version of it kept in the audit entry that records it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from pactum.common.csvrows import csv_table
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.paging import page_problems
from pactum.common.states import EU_MEMBER_STATES, MEMBER_STATES
from pactum.common.states import member_state as state_code
from pactum.common.text import shortened
from pactum.reception import csvfile, params, rules
from pactum.reception.model import (
    CONTINGENCY_LABELS,
    FIGURES,
    PERIOD_LABELS,
    ReportCorrection,
    ReportCreate,
    ReportWithdrawal,
    figures_of,
)
from pactum.registry.local_time import state_today
from pactum.registry.rules import screening_applies
from pactum.services.auth import Principal, Role, require, require_member_state
from pactum.services.bootstrap import Services
from pactum.services.indicators import indicator
from pactum.services.procedures import border_procedure_occupancy
from pactum.store.tables.base import update_versioned
from pactum.store.tables.platform import audit_log
from pactum.store.tables.reception import reception_report_versions, reception_reports
from pactum.store.tables.registry import screenings

R = reception_reports
WRITE_ROLES = (Role.caseworker, Role.admin)
READ_ROLES = (Role.caseworker, Role.admin, Role.analyst, Role.auditor)
#: The states expected to report: the EU Member States bound by the reception acquis. Denmark is
#: not bound (Protocol No 22; Directive (EU) 2024/1346, recital 74). Ireland is listed as bound by an
#: opt-in (unverified): recital 73 of Directive (EU) 2024/1346, read in the Official Journal text
#: (Italian version), says Ireland did not take part in its adoption and is not bound by it, «fatto
#: salvo l'articolo 4» of Protocol No 21, the acceptance after adoption, which no text read confirms.
REPORTING_STATES: tuple[str, ...] = tuple(s for s in EU_MEMBER_STATES if s != "DK")
#: The most a threshold may be set to: 300% (a facility at three times its capacity).
MAX_THRESHOLD = 3.0
MAX_OVERDUE_WEEKS = 520


# -- rights and scope ----------------------------------------------------------------------------


def may_record(principal: Principal) -> bool:
    return principal.member_state is not None and principal.has(*WRITE_ROLES)


#: The users of an EU body who read every state's reports: its analysts and the auditor.
EU_READ_ROLES = (Role.analyst, Role.auditor)


def may_read(principal: Principal) -> bool:
    """Whether ``principal`` reads reception reports: a Member State's user with a role of
    :data:`READ_ROLES` (its own state's), an EU body's analyst or the auditor (every state's)."""
    if principal.member_state is None:
        return principal.has(*EU_READ_ROLES)
    return principal.has(*READ_ROLES)


def _reader_scope(principal: Principal) -> str | None:
    """The state whose reports ``principal`` reads (``None``: every state's)."""
    require(principal, *READ_ROLES)
    if principal.member_state is None and not principal.has(*EU_READ_ROLES):
        raise Forbidden("the Member States' reception reports are read by the analysts of the EU bodies "
                        "(EUAA, Commission, Frontex) and the auditor; an EU body's administrator runs the "
                        "platform and does not read them")
    return principal.member_state


def _visible_state(principal: Principal, code: str, field: str | None = None) -> str:
    """The state ``code`` names, if ``principal`` reads its reports: a code that names no state is
    a 404 in a path, a 422 naming ``field`` in a filter."""
    try:
        ms = state_code(code)
    except ValueError:
        said = f"no Member State '{shortened(code, 10)}'"
        if field is not None:
            raise ValidationProblem.one(field, f"{said}: give a state's two-letter code, such as IT") from None
        raise NotFound(said) from None
    scope = _reader_scope(principal)
    if scope is not None and ms != scope:
        raise Forbidden(f"a user of {scope} sees the reception reports of {scope} only")
    return ms


def threshold_example() -> str:
    """The example every threshold message gives: the default the service applies when none is given
    (``rules.DEFAULT_THRESHOLD``) in both forms, so a message cannot name a share the pages do not
    use ("0.85 is 85%" was said beside a default of 90%)."""
    default = rules.DEFAULT_THRESHOLD
    return f"{default:g} for {round(default * 100, 1):g}%, the default"


def threshold_rule() -> str:
    """What the threshold takes: a share of the places above 0 and at most :data:`MAX_THRESHOLD`."""
    return f"a share of the places above 0 and at most {MAX_THRESHOLD:g}"


def threshold_problem(threshold: float) -> str:
    """Why ``threshold`` is refused, its example worded from the value given: a number that reads as a
    percentage (above the largest share, at most that share in percent: ``85``) is answered with its
    share (``for 85% give 0.85``); any other with the default (:func:`threshold_example`)."""
    if MAX_THRESHOLD < threshold <= MAX_THRESHOLD * 100:
        return f"{threshold:g} is not {threshold_rule()}: for {threshold:g}% give {threshold / 100:g}"
    return f"{threshold:g} is not {threshold_rule()} (such as {threshold_example()})"


def check_threshold(threshold: float | None) -> float:
    """The pressure threshold as a share of the places (0.9 is 90%), the one convention of the
    API, the CLI and the pages' addresses; a value out of range (85 for 85%) is refused, the
    message saying what was meant where it can (:func:`threshold_problem`)."""
    if threshold is None:
        return rules.DEFAULT_THRESHOLD
    if not 0 < threshold <= MAX_THRESHOLD:
        raise ValidationProblem.one("threshold", threshold_problem(threshold))
    return threshold


def check_on(on: date | None, today: date, field: str = "on") -> date:
    """The day an overview is read on (default today): not after today (no report describes a
    day to come) nor before the first day a report may describe (``reception.reports_from``)."""
    if on is None:
        return today
    if on > today:
        raise ValidationProblem.one(field, f"{on.isoformat()} is after today ({today.isoformat()}): the "
                                           "reports describe days that have come; give a day up to today")
    first = params.reports_from(on)
    if on < first:
        raise ValidationProblem.one(field, f"{on.isoformat()} is before {first.isoformat()}, the first day a "
                                           "reception report may describe: give a day from then to today")
    return on


def check_since(since: date | None, today: date) -> None:
    """A history's first day: not after today (no report describes a day to come)."""
    if since is not None and since > today:
        raise ValidationProblem.one("since", f"{since.isoformat()} is after today ({today.isoformat()}): no "
                                             "report describes a day to come; give a day up to today")


def check_range(since: date | None, until: date | None) -> None:
    """``since`` on or before ``until`` when both are given (a reversed range is refused, not read
    as no report)."""
    if since is not None and until is not None and since > until:
        raise ValidationProblem.one("until", f"until ({until.isoformat()}) is before since ({since.isoformat()}): "
                                             "the range runs from since to until; swap them")


def check_overdue_weeks(weeks: int | None) -> int:
    if weeks is None:
        return rules.DEFAULT_OVERDUE_WEEKS
    if not 1 <= weeks <= MAX_OVERDUE_WEEKS:
        raise ValidationProblem.one("overdue_weeks", f"must be a whole number of weeks from 1 to {MAX_OVERDUE_WEEKS}")
    return weeks


# -- rows ----------------------------------------------------------------------------------------


def _values(body: ReportCreate) -> dict[str, Any]:
    data = body.model_dump()
    return {**{name: data[name] for name in FIGURES}, "contingency_plan": body.contingency_plan,
            "note": body.note or None}


def _data(row: Any) -> dict[str, Any]:
    """A report's content as its versions and the audit keep it."""
    return {**figures_of(dict(row)), "period": row["period"], "contingency_plan": row["contingency_plan"],
            "note": row["note"], "reported_on": _iso(row["reported_on"])}


def _iso(d: date | datetime | None) -> str | None:
    return None if d is None else d.isoformat()


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


def _date_problem(on: date, today: date) -> str | None:
    """Why a report may not describe ``on``: after today, or before the first day of a governing
    instrument the platform holds (``reception.reports_from``)."""
    if on > today:
        return (f"{on.isoformat()} is after today ({today.isoformat()}): a report gives the figures of a "
                "day that has come")
    first = params.reports_from(on)
    if on < first:
        return (f"{on.isoformat()} is before {first.isoformat()}, the first day of Directive 2013/33/EU, "
                "the earliest reception law the platform applies: a report describes a day from then on")
    return None


def _check_date(on: date, today: date, field: str = "reported_on") -> None:
    problem = _date_problem(on, today)
    if problem is not None:
        raise ValidationProblem.one(field, problem)


def _existing(conn: Connection, ms: str, on: date) -> Any:
    return conn.execute(select(R.c.id, R.c.version).where(R.c.member_state == ms, R.c.reported_on == on)).first()


def _duplicate(ms: str, on: date, row: Any) -> str:
    return (f"{ms} already reported {on.isoformat()} (report {row.id}, version {row.version}): "
            "correct that report instead (or withdraw it if its period is wrong)")


def _insert(uow: Any, principal: Principal, ms: str, body: ReportCreate) -> str:
    report_id = new_id("rcp")
    values = {**_values(body), "period": body.period}
    uow.conn.execute(insert(R).values(
        id=report_id, member_state=ms, reported_on=body.reported_on, recorded_by=principal.username,
        created_at=uow.now, updated_at=uow.now, version=1, **values))
    data = {**values, "reported_on": body.reported_on.isoformat()}
    uow.conn.execute(insert(reception_report_versions).values(
        id=new_id("rcv"), report_id=report_id, version=1, data=data, recorded_at=uow.now,
        actor=principal.username, authority=principal.authority, reason=None))
    uow.audit(principal, "reception.report_recorded", "reception_report", report_id,
              after={**data, "member_state": ms, "version": 1})
    return report_id


# -- commands ------------------------------------------------------------------------------------


def require_recorder(principal: Principal) -> str:
    require(principal, *WRITE_ROLES)
    if principal.member_state is None:
        raise Forbidden("reception reports are recorded by a Member State's caseworker or administrator")
    return require_member_state(principal)


def record_report(services: Services, principal: Principal, body: ReportCreate) -> dict[str, Any]:
    """Record the caller's state's report for ``body.reported_on`` (one per state and date)."""
    ms = require_recorder(principal)
    with services.uow() as uow:
        _check_date(body.reported_on, state_today(uow.now, ms))
        found = _existing(uow.conn, ms, body.reported_on)
        if found is not None:
            raise Conflict(_duplicate(ms, body.reported_on, found))
        try:
            report_id = _insert(uow, principal, ms, body)
        except IntegrityError:  # recorded by someone else meanwhile
            raise Conflict(f"{ms} already reported {body.reported_on.isoformat()}: correct that report instead") from None
        uow.commit()
    return get_report(services, principal, report_id)


def stale_version(current: int, read: int) -> str:
    """The refusal of a correction of a version that is no longer the report's, whoever changed it
    (the same user included: no one is said to be "someone else")."""
    return (f"the report was changed since version {read} was read (now version {current}): read it again "
            "and apply your correction to it")


def _own_report(conn: Connection, ms: str, report_id: str, version: int) -> Any:
    """The report ``report_id`` of the state ``ms`` as it stands at ``version`` (a correction or a
    withdrawal acts on it): ``NotFound`` for another state's, ``Conflict`` when it changed since."""
    row = conn.execute(select(R).where(R.c.id == report_id)).mappings().first()
    if row is None or row["member_state"] != ms:
        raise NotFound(f"no reception report {shortened(report_id)} of {ms}")
    if row["version"] != version:
        raise Conflict(stale_version(row["version"], version))
    return row


def correct_report(services: Services, principal: Principal, report_id: str,
                   body: ReportCorrection) -> dict[str, Any]:
    """Change the figures, plan and note ``body`` names (a figure it leaves out keeps its value);
    the version replaced is kept and audited."""
    ms = require_recorder(principal)
    with services.uow() as uow:
        row = _own_report(uow.conn, ms, report_id, body.version)
        before = _data(row)
        values = body.changes()
        after = {**before, **values}
        if after == before:
            raise ValidationProblem.one("reason", "the correction changes no figure, plan or note of the report"
                                        if values else "the correction names no figure, plan or note to change")
        version = update_versioned(uow.conn, R, report_id, body.version,
                                   {**values, "updated_at": uow.now, "recorded_by": principal.username})
        uow.conn.execute(insert(reception_report_versions).values(
            id=new_id("rcv"), report_id=report_id, version=version, data=after, recorded_at=uow.now,
            actor=principal.username, authority=principal.authority, reason=body.reason))
        uow.audit(principal, "reception.report_corrected", "reception_report", report_id,
                  before={**before, "version": body.version},
                  after={**after, "version": version, "reason": body.reason})
        uow.commit()
    return get_report(services, principal, report_id)


def withdraw_report(services: Services, principal: Principal, report_id: str,
                    body: ReportWithdrawal) -> dict[str, Any]:
    """Withdraw a report of the caller's state (one typed with the wrong date or period, which a
    correction does not change): it no longer counts anywhere (the state's history and latest
    report, the overview and its EU totals, the indicators) and its date may be reported again.
    Refused when the report changed since ``body.version`` (409). The report as it stood, with
    every version of it, is kept in the audit entry ``reception.report_withdrawn`` with who
    withdrew it, when and why; the state's history lists it as withdrawn."""
    ms = require_recorder(principal)
    V = reception_report_versions
    with services.uow() as uow:
        row = _own_report(uow.conn, ms, report_id, body.version)
        versions = [
            {"version": v["version"], "recorded_at": _iso(v["recorded_at"]), "actor": v["actor"],
             "authority": v["authority"], "reason": v["reason"], "data": v["data"]}
            for v in uow.conn.execute(select(V).where(V.c.report_id == report_id).order_by(V.c.version)).mappings()]
        before = {**_data(row), "member_state": ms, "version": row["version"], "recorded_by": row["recorded_by"],
                  "created_at": _iso(row["created_at"]), "updated_at": _iso(row["updated_at"]), "versions": versions}
        uow.conn.execute(delete(V).where(V.c.report_id == report_id))
        gone = uow.conn.execute(delete(R).where(R.c.id == report_id, R.c.version == body.version))
        if gone.rowcount != 1:  # changed by someone else meanwhile
            raise Conflict(f"the report was changed since version {body.version} was read: read it again")
        after = {"withdrawn": True, "member_state": ms, "reported_on": before["reported_on"],
                 "period": row["period"], "version": row["version"], "reason": body.reason}
        uow.audit(principal, WITHDRAWN, "reception_report", report_id, before=before, after=after)
        latest = uow.conn.execute(select(func.max(R.c.reported_on)).where(R.c.member_state == ms)).scalar()
        uow.commit()
    return {"id": report_id, "member_state": ms, "reported_on": before["reported_on"], "period": row["period"],
            "version": row["version"], "withdrawn": True, "withdrawn_at": _iso(uow.now),
            "withdrawn_by": principal.username, "authority": principal.authority, "reason": body.reason,
            "latest_reported_on": _iso(latest)}


#: The audit action of a withdrawal; its entry keeps the report withdrawn and every version of it.
WITHDRAWN = "reception.report_withdrawn"


def _withdrawals(conn: Connection, *, report_id: str | None = None,
                 member_state: str | None = None) -> list[dict[str, Any]]:
    """The reports withdrawn (of ``member_state``, or the one ``report_id``), the latest first, as
    their audit entries record them."""
    q = (select(audit_log.c.entity_id, audit_log.c.at, audit_log.c.actor, audit_log.c.authority,
                audit_log.c.after)
         .where(audit_log.c.action == WITHDRAWN).order_by(audit_log.c.seq.desc()))
    if report_id is not None:
        q = q.where(audit_log.c.entity_id == report_id)
    out = []
    for r in conn.execute(q):
        after = r.after or {}
        if member_state is not None and after.get("member_state") != member_state:
            continue
        at = r.at if isinstance(r.at, datetime) else datetime.fromisoformat(str(r.at))
        out.append({"id": r.entity_id, "member_state": after.get("member_state"),
                    "reported_on": after.get("reported_on"), "period": after.get("period"),
                    "version": after.get("version"), "withdrawn_at": _iso(at), "withdrawn_by": r.actor,
                    "authority": r.authority, "reason": after.get("reason")})
    return out


def import_reports(services: Services, principal: Principal, text: str) -> dict[str, Any]:
    """Record every report of a CSV file (:mod:`pactum.reception.csvfile`) for the caller's state,
    all or none: a bad cell, a date given twice, before the first day a report may describe, after
    today or already reported refuses the whole file, every problem of every line said in one
    answer, each naming its line and column."""
    ms = require_recorder(principal)
    with services.uow() as uow:
        today = state_today(uow.now, ms)
        reported = {row.reported_on: row for row in uow.conn.execute(
            select(R.c.reported_on, R.c.id, R.c.version).where(R.c.member_state == ms))}

        def date_problem(on: date) -> str | None:
            wrong = _date_problem(on, today)
            if wrong is None and on in reported:
                wrong = _duplicate(ms, on, reported[on])
            return wrong

        rows = csvfile.parse(text, date_problem)
        ids = [_insert(uow, principal, ms, report) for _, report in rows]
        uow.commit()
    return {"member_state": ms, "recorded": len(ids),
            "reports": [{"id": i, "reported_on": r.reported_on.isoformat()} for i, (_, r) in zip(ids, rows, strict=True)]}


# -- reading ---------------------------------------------------------------------------------------


def _rows_of(conn: Connection, states: Sequence[str] | None, until: date | None = None) -> dict[str, list[Any]]:
    """Each state's reports (oldest first), up to ``until``."""
    q = select(R).order_by(R.c.member_state, R.c.reported_on)
    if states is not None:
        q = q.where(R.c.member_state.in_(list(states)))
    if until is not None:
        q = q.where(R.c.reported_on <= until)
    out: dict[str, list[Any]] = defaultdict(list)
    for row in conn.execute(q).mappings():
        out[row["member_state"]].append(row)
    return out


def special_needs(conn: Connection, ms: str, start: date, end: date) -> dict[str, Any]:
    """Persons whose screening ``ms`` started from ``start`` to ``end`` (registry area), and those
    of them with special reception needs recorded at point (e) of the screening form. A period
    that ends before the Screening Regulation applies had no screening: its counts are ``None``
    (not 0), ``screening_applies`` false, and the assessment of the needs is cited from Directive
    2013/33/EU (Art 22), done outside the platform; a period straddling the day counts from it."""
    if not screening_applies(end):
        return {"from": start.isoformat(), "to": end.isoformat(), "screened": None,
                "with_special_reception_needs": None, "screening_applies": False,
                "basis": rules.SPECIAL_NEEDS_ASSESSMENT[params.directive_applies(end)]}
    while not screening_applies(start):  # a period straddling the first day of the screening
        start += timedelta(days=1)
    q = select(screenings.c.person_id, screenings.c.vulnerability).where(
        screenings.c.member_state == ms, screenings.c.started_at >= _day_start(start),
        screenings.c.started_at < _day_start(end + timedelta(days=1)))
    screened: set[str] = set()
    needs: set[str] = set()
    for person_id, vulnerability in conn.execute(q):
        screened.add(person_id)
        if rules.has_special_needs(vulnerability):
            needs.add(person_id)
    return {"from": start.isoformat(), "to": end.isoformat(), "screened": len(screened),
            "with_special_reception_needs": len(needs), "screening_applies": True,
            "basis": rules.special_needs_basis(end)}


def _border(conn: Connection, ms: str, on: date) -> int:
    return int(border_procedure_occupancy(conn, on, ms).get(ms, 0))


def _public(conn: Connection, row: Any, previous: Any,
            threshold: float, *, details: bool = True) -> dict[str, Any]:
    ms, on = row["member_state"], row["reported_on"]
    figures = figures_of(dict(row))
    border = _border(conn, ms, on)
    out = {
        "id": row["id"], "member_state": ms, "reported_on": on.isoformat(), "period": row["period"],
        "period_label": PERIOD_LABELS.get(row["period"], row["period"]),
        "figures": figures, "note": row["note"], "recorded_by": row["recorded_by"],
        "updated_at": _iso(row["updated_at"]), "version": row["version"],
        "previous_reported_on": _iso(previous["reported_on"]) if previous is not None else None,
        **rules.assess(figures, row["contingency_plan"], on,
                       previous=figures_of(dict(previous)) if previous is not None else None,
                       threshold=threshold, border_occupancy=border),
    }
    if details:
        start, end = rules.period_window(on, row["period"])
        out["special_needs"] = {**special_needs(conn, ms, start, end),
                                "minors_places": figures["minors_places"],
                                "minors_accommodated": figures["minors_accommodated"]}
    return out


def get_report(services: Services, principal: Principal, report_id: str,
               threshold: float | None = None) -> dict[str, Any]:
    """One report with its assessment and every version of it."""
    level = check_threshold(threshold)
    scope = _reader_scope(principal)
    with services.engine.connect() as conn:
        row = conn.execute(select(R).where(R.c.id == report_id)).mappings().first()
        if row is None:
            for w in _withdrawals(conn, report_id=report_id):
                if scope is None or w["member_state"] == scope:
                    raise NotFound(f"the reception report {shortened(report_id)} of {w['member_state']} on "
                                   f"{w['reported_on']} was withdrawn on {str(w['withdrawn_at'])[:10]} by "
                                   f"{w['withdrawn_by']}: {shortened(str(w['reason']), 200)}")
        if row is None or (scope is not None and row["member_state"] != scope):
            raise NotFound(f"no reception report {shortened(report_id)}")
        previous = conn.execute(select(R).where(R.c.member_state == row["member_state"],
                                                R.c.reported_on < row["reported_on"])
                                .order_by(R.c.reported_on.desc()).limit(1)).mappings().first()
        out = _public(conn, row, previous, level)
        V = reception_report_versions
        out["versions"] = [
            {"version": v["version"], "recorded_at": _iso(v["recorded_at"]), "actor": v["actor"],
             "authority": v["authority"], "reason": v["reason"], "data": v["data"]}
            for v in conn.execute(select(V).where(V.c.report_id == report_id)
                                  .order_by(V.c.version.desc())).mappings()]
    return out


#: The most reports one page of the list holds (``limit``), and its default.
REPORTS_PAGE_MAX = 5000
REPORTS_PAGE_DEFAULT = 1000


def reports_page(services: Services, principal: Principal, *, member_state: str | None = None,
                 since: date | None = None, until: date | None = None, limit: int = REPORTS_PAGE_DEFAULT,
                 offset: int = 0) -> dict[str, Any]:
    """Reports (without assessment), the latest first, of the caller's scope or ``member_state``:
    ``limit`` (1–:data:`REPORTS_PAGE_MAX`) from ``offset``, with ``total`` the number there are
    (the list stopped at 5,000 without saying so)."""
    scope = _reader_scope(principal)
    problems = page_problems(limit, offset, REPORTS_PAGE_MAX)
    if problems:
        raise ValidationProblem(problems)
    states = [_visible_state(principal, member_state, "member_state")] if member_state else (
        [scope] if scope else None)
    check_range(since, until)
    q = select(R)
    if states is not None:
        q = q.where(R.c.member_state.in_(states))
    if since is not None:
        q = q.where(R.c.reported_on >= since)
    if until is not None:
        q = q.where(R.c.reported_on <= until)
    with services.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        rows = conn.execute(q.order_by(R.c.reported_on.desc(), R.c.member_state, R.c.id)
                            .limit(limit).offset(offset)).mappings().all()
    return {"reports": [{"id": r["id"], "member_state": r["member_state"],
                         "reported_on": r["reported_on"].isoformat(), "period": r["period"],
                         "version": r["version"], **rules.totals(figures_of(dict(r))),
                         "contingency_plan": r["contingency_plan"], "figures": figures_of(dict(r))}
                        for r in rows],
            "total": total, "offset": offset, "limit": limit}


def state_history(services: Services, principal: Principal, code: str, *,
                  threshold: float | None = None, since: date | None = None) -> dict[str, Any]:
    """A state's reports (the latest first) with their assessment, trend and special needs, and
    the chart of its occupancy rates."""
    ms = _visible_state(principal, code)
    level = check_threshold(threshold)
    today = state_today(services.clock.now(), ms)
    check_since(since, today)
    with services.engine.connect() as conn:
        rows = _rows_of(conn, [ms]).get(ms, [])
        reports = []
        for i, row in enumerate(rows):
            if since is not None and row["reported_on"] < since:
                continue
            reports.append(_public(conn, row, rows[i - 1] if i else None, level))
        withdrawn = _withdrawals(conn, member_state=ms)
    points = [(date.fromisoformat(r["reported_on"]), _exact(r["total"])) for r in reports]
    last = rows[-1]["reported_on"] if rows else None
    return {
        "member_state": ms, "name": MEMBER_STATES[ms].name, "threshold": level,
        "reporting": ms in REPORTING_STATES,
        "latest": reports[-1] if reports else None,
        "trend": rules.trend(points),
        "last_reported_on": _iso(last),
        "weeks_since_last_report": None if last is None else (today - last).days // 7,
        "reports": list(reversed(reports)),
        "chart": rules.history_spec(ms, reports, level) if reports else None,
        "contingency_labels": CONTINGENCY_LABELS,
        "withdrawn": withdrawn,
    }


def _exact(total: dict[str, Any]) -> float | None:
    """The exact overall rate of a report's ``total`` (its ``rate`` is rounded for display)."""
    return rules.exact_rate(int(total["places"]), int(total["accommodated"]))


def _shown_percent(total: dict[str, Any]) -> float | None:
    """The overall occupancy in % to one decimal, rounded once from the exact rate (84.4)."""
    exact = _exact(total)
    return None if exact is None else round(exact * 100, 1)


def overview(services: Services, principal: Principal, *, on: date | None = None,
             threshold: float | None = None, overdue_weeks: int | None = None) -> dict[str, Any]:
    """Every state's latest report on or before ``on`` (default today) with its rates, change and
    trend; the states under pressure; the states that have not reported for more than
    ``overdue_weeks`` weeks (or never); and the EU totals of the latest reports."""
    scope = _reader_scope(principal)
    level = check_threshold(threshold)
    weeks = check_overdue_weeks(overdue_weeks)
    on = check_on(on, state_today(services.clock.now(), scope))
    states = [scope] if scope else list(REPORTING_STATES)
    rows_by_state: dict[str, list[Any]]
    out_states = []
    with services.engine.connect() as conn:
        rows_by_state = _rows_of(conn, states, until=on)
        for ms in states:
            rows = rows_by_state.get(ms, [])
            latest = rows[-1] if rows else None
            entry: dict[str, Any] = {"member_state": ms, "name": MEMBER_STATES[ms].name,
                                     "last_reported_on": _iso(latest["reported_on"]) if latest else None,
                                     "weeks_since_last_report": (on - latest["reported_on"]).days // 7 if latest else None,
                                     "overdue": rules.overdue(latest["reported_on"] if latest else None, on, weeks),
                                     "latest": None, "trend": None}
            if latest is not None:
                public = _public(conn, latest, rows[-2] if len(rows) > 1 else None, level, details=False)
                entry["latest"] = {k: public[k] for k in ("id", "reported_on", "period", "total", "change",
                                                          "facilities", "flags", "under_pressure",
                                                          "contingency_plan", "border_procedure_occupancy")}
                entry["trend"] = rules.trend([(r["reported_on"], _exact(rules.totals(figures_of(dict(r)))))
                                              for r in rows[-12:]])
            out_states.append(entry)
    reported = [s for s in out_states if s["latest"] is not None]
    places = sum(s["latest"]["total"]["places"] for s in reported)
    accommodated = sum(s["latest"]["total"]["accommodated"] for s in reported)
    return {
        "as_of": on.isoformat(), "threshold": level, "overdue_weeks": weeks,
        "scope": scope or "EU",
        "totals": {"places": places, "accommodated": accommodated, "rate": rules.rate(places, accommodated),
                   "not_accommodated": sum(s["latest"]["total"]["not_accommodated"] for s in reported),
                   "states_reporting": len(reported)},
        "under_pressure": [s["member_state"] for s in reported if s["latest"]["under_pressure"]],
        "overdue": [{"member_state": s["member_state"], "last_reported_on": s["last_reported_on"]}
                    for s in out_states if s["overdue"]],
        "states": out_states,
        "series": _weekly(rows_by_state, on),
    }


#: The columns of the EU overview as CSV, one row per state (the overview page's table and what it
#: rests on); the EU totals are the sums of ``places``, ``accommodated`` and ``not_accommodated``.
OVERVIEW_CSV_COLUMNS: tuple[str, ...] = (
    "member_state", "name", "last_reported_on", "weeks_since_last_report", "overdue", "period", "places",
    "accommodated", "occupancy_percent", "rate_change_points", "trend", "trend_change_points", "trend_since",
    "not_accommodated", "under_pressure", "flags", "contingency_plan", "border_procedure_occupancy",
    "report_id", "as_of", "threshold", "overdue_after_weeks",
)


def overview_csv(services: Services, principal: Principal, *, on: date | None = None,
                 threshold: float | None = None, overdue_weeks: int | None = None) -> str:
    """:func:`overview` as CSV, one row per state (:data:`OVERVIEW_CSV_COLUMNS`): its latest report's
    places, persons, occupancy (% as the page shows it), change and trend in percentage points,
    flags (codes joined by `` | ``), whether it is under pressure or overdue; a state that never
    reported has its figures empty. The same scope as the overview: a state's user, its state."""
    data = overview(services, principal, on=on, threshold=threshold, overdue_weeks=overdue_weeks)
    rows = []
    for s in data["states"]:
        latest, trend = s["latest"], s["trend"]
        row: dict[str, Any] = {
            "member_state": s["member_state"], "name": s["name"], "last_reported_on": s["last_reported_on"],
            "weeks_since_last_report": s["weeks_since_last_report"], "overdue": s["overdue"],
            "as_of": data["as_of"], "threshold": data["threshold"], "overdue_after_weeks": data["overdue_weeks"],
        }
        if latest is not None:
            total, change = latest["total"], latest["change"]
            row.update(
                period=latest["period"], places=total["places"], accommodated=total["accommodated"],
                occupancy_percent=_shown_percent(total),
                rate_change_points=change["rate_points"] if change else None,
                not_accommodated=total["not_accommodated"], under_pressure=latest["under_pressure"],
                flags=" | ".join(f["code"] for f in latest["flags"]), contingency_plan=latest["contingency_plan"],
                border_procedure_occupancy=latest["border_procedure_occupancy"], report_id=latest["id"],
            )
        if trend is not None:
            row.update(trend=trend["direction"], trend_change_points=trend["change_points"],
                       trend_since=trend["since"])
        rows.append(row)
    return csv_table(OVERVIEW_CSV_COLUMNS, rows)


# -- a state's history as CSV; the occupancy by reporting week ------------------------------------

#: The columns of a state's history as CSV, one row per report, the oldest first: what the state
#: reported (date, period, every figure, plan, note) and what the page reads from it.
HISTORY_CSV_COLUMNS: tuple[str, ...] = (
    "member_state", "reported_on", "period", *FIGURES, "contingency_plan", "places", "accommodated",
    "occupancy_percent", "rate_change_points", "not_accommodated", "under_pressure", "flags",
    "border_procedure_occupancy", "screened", "with_special_reception_needs", "note", "version",
    "report_id", "threshold",
)


def state_history_csv(services: Services, principal: Principal, code: str, *,
                      threshold: float | None = None, since: date | None = None) -> str:
    """:func:`state_history` as CSV (:data:`HISTORY_CSV_COLUMNS`), one row per report, the oldest
    first: the figures as reported, the totals, occupancy (% as the page shows it), change in
    percentage points, flags (codes joined by `` | ``), the screened persons and those with special
    reception needs of its period. The same scope as the state's page."""
    data = state_history(services, principal, code, threshold=threshold, since=since)
    rows = []
    for r in reversed(data["reports"]):
        total = r["total"]
        rows.append({
            "member_state": r["member_state"], "reported_on": r["reported_on"], "period": r["period"],
            **r["figures"], "contingency_plan": r["contingency_plan"], "places": total["places"],
            "accommodated": total["accommodated"],
            "occupancy_percent": _shown_percent(total),
            "rate_change_points": r["change"]["rate_points"] if r["change"] else None,
            "not_accommodated": total["not_accommodated"], "under_pressure": r["under_pressure"],
            "flags": " | ".join(f["code"] for f in r["flags"]),
            "border_procedure_occupancy": r["border_procedure_occupancy"],
            "screened": r["special_needs"]["screened"],
            "with_special_reception_needs": r["special_needs"]["with_special_reception_needs"],
            "note": r["note"], "version": r["version"], "report_id": r["id"], "threshold": data["threshold"],
        })
    return csv_table(HISTORY_CSV_COLUMNS, rows)


def _weekly(rows_by_state: dict[str, list[Any]], on: date) -> list[dict[str, Any]]:
    """The occupancy by reporting week (ISO weeks, Monday to Sunday) from the week of the first
    report to the week of ``on``: at the end of each week (``on`` for the last), the sum of each
    state's latest report on or before it, as the overview's totals on that day. Rows: week,
    week_ending, places, accommodated, rate, not_accommodated, states_reporting, reports_in_week."""
    dated = [(r["reported_on"], ms, r) for ms, rows in rows_by_state.items() for r in rows if r["reported_on"] <= on]
    if not dated:
        return []
    dated.sort(key=lambda x: (x[0], x[1]))
    monday = min(d for d, _, _ in dated)
    monday -= timedelta(days=monday.weekday())
    latest: dict[str, dict[str, Any]] = {}
    i = 0
    out = []
    while monday <= on:
        end = min(monday + timedelta(days=6), on)
        in_week = 0
        while i < len(dated) and dated[i][0] <= end:
            on_day, ms, row = dated[i]
            latest[ms] = rules.totals(figures_of(dict(row)))
            in_week += on_day >= monday
            i += 1
        places = sum(t["places"] for t in latest.values())
        accommodated = sum(t["accommodated"] for t in latest.values())
        year, week, _ = monday.isocalendar()
        out.append({"week": f"{year}-W{week:02d}", "week_ending": end.isoformat(), "places": places,
                    "accommodated": accommodated, "rate": rules.rate(places, accommodated),
                    "occupancy_percent": _shown_percent({"places": places, "accommodated": accommodated}),
                    "not_accommodated": sum(t["not_accommodated"] for t in latest.values()),
                    "states_reporting": len(latest), "reports_in_week": in_week})
        monday += timedelta(days=7)
    return out


#: The columns of the occupancy by reporting week as CSV.
SERIES_CSV_COLUMNS: tuple[str, ...] = (
    "week", "week_ending", "places", "accommodated", "occupancy_percent", "not_accommodated",
    "states_reporting", "reports_in_week", "scope",
)


def occupancy_series(services: Services, principal: Principal, *, on: date | None = None) -> dict[str, Any]:
    """The occupancy by reporting week up to ``on`` (default today) in the caller's scope (EU: the
    states expected to report; a state's user: its own): each week's total places, persons
    accommodated and rate, from each state's latest report at the week's end, as the overview's
    totals on that day (:func:`_weekly`)."""
    scope = _reader_scope(principal)
    on = check_on(on, state_today(services.clock.now(), scope))
    states = [scope] if scope else list(REPORTING_STATES)
    with services.engine.connect() as conn:
        rows_by_state = _rows_of(conn, states, until=on)
    return {"scope": scope or "EU", "as_of": on.isoformat(), "weeks": _weekly(rows_by_state, on)}


def occupancy_series_csv(services: Services, principal: Principal, *, on: date | None = None) -> str:
    """:func:`occupancy_series` as CSV (:data:`SERIES_CSV_COLUMNS`), one row per week, the oldest
    first (occupancy in %, as the overview shows it)."""
    data = occupancy_series(services, principal, on=on)
    return csv_table(SERIES_CSV_COLUMNS, [{**w, "scope": data["scope"]} for w in data["weeks"]])


# -- indicators ----------------------------------------------------------------------------------


def _latest_rows(conn: Connection, as_of: date, member_state: str | None) -> list[Any]:
    """Each state's latest report on or before ``as_of`` (``member_state``'s only if given)."""
    latest = (select(R.c.member_state, func.max(R.c.reported_on).label("on"))
              .where(R.c.reported_on <= as_of).group_by(R.c.member_state)).subquery()
    q = select(R).join(latest, and_(R.c.member_state == latest.c.member_state, R.c.reported_on == latest.c.on))
    if member_state is not None:
        q = q.where(R.c.member_state == member_state)
    return list(conn.execute(q).mappings())


@indicator("reception_occupancy_rate", label="Reception occupancy rate, latest report of each state (%)",
           area="reception", unit="% of places occupied", period="on",
           whose="{state}'s latest reception report")
def occupancy_rate_indicator(conn: Connection, as_of: date, member_state: str | None) -> float | None:
    """Persons accommodated per 100 places over every type of facility, summed over each state's
    latest report on or before the day. A state's: its own latest report. None without reports."""
    rows = _latest_rows(conn, as_of, member_state)
    total = [rules.totals(figures_of(dict(r))) for r in rows]
    value = rules.exact_rate(sum(t["places"] for t in total), sum(t["accommodated"] for t in total))
    return None if value is None else round(value * 100, 1)


@indicator("reception_states_above_threshold",
           label=f"States whose reception occupancy is at or above {rules.DEFAULT_THRESHOLD:.0%}",
           area="reception", unit="states", period="on", whose="{state} itself, if it is")
def states_above_threshold_indicator(conn: Connection, as_of: date, member_state: str | None) -> list[str]:
    """The states whose latest report on or before the day has an overall occupancy at or above
    the default threshold. A state's: the state itself if it is (else an empty list)."""
    out = []
    for r in _latest_rows(conn, as_of, member_state):
        rate = _exact(rules.totals(figures_of(dict(r))))
        if rate is not None and rate >= rules.DEFAULT_THRESHOLD:
            out.append(r["member_state"])
    return sorted(out)


@indicator("reception_waiting_list", label="Applicants waiting for a reception place (latest reports)",
           area="reception", unit="applicants", period="on", whose="{state}'s latest reception report")
def waiting_list_indicator(conn: Connection, as_of: date, member_state: str | None) -> int:
    """Applicants entitled to material reception conditions on a waiting list, summed over each
    state's latest report on or before the day. A state's: its own latest report."""
    return sum(int(r["waiting_list"]) for r in _latest_rows(conn, as_of, member_state))
