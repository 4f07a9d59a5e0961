"""Reception: capacity and occupancy reports of the Member States, a state's history, the EU
overview. Routes are thin: each calls one function of :mod:`pactum.services.reception`."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Body, Depends
from fastapi.responses import Response

from pactum.api.deps import current_principal, get_services
from pactum.common.json_types import JsonBody
from pactum.common.states import member_state as state_code
from pactum.reception.conditions import ConditionsDecisionCreate, ConditionsLifting
from pactum.reception.model import ReportCorrection, ReportCreate, ReportWithdrawal
from pactum.registry.local_time import state_today
from pactum.services import reception, reception_conditions
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

router = APIRouter(prefix="/reception", tags=["reception"])
Svc = Depends(get_services)
Who = Depends(current_principal)


def _csv(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/overview")
def overview(on: date | None = None, threshold: float | None = None, overdue_weeks: int | None = None,
             services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """Every state's latest report on or before ``on`` (default today; not after today nor before
    21 July 2015, the first day a report may describe): rates, change, trend, flags;
    the states under pressure (occupancy at or above ``threshold``, a share of the places: default
    0.9 = 90%, from above 0 to 3) and those that have
    not reported for more than ``overdue_weeks`` weeks (default 2); ``series``: the occupancy by
    reporting week (as ``GET /reception/series``). A state's user: its own state."""
    return reception.overview(services, principal, on=on, threshold=threshold, overdue_weeks=overdue_weeks)


@router.get("/overview.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "The overview as CSV, one row per state"}})
def overview_csv(on: date | None = None, threshold: float | None = None, overdue_weeks: int | None = None,
                 services: Services = Svc, principal: Principal = Who) -> Response:
    """The overview of ``GET /reception/overview`` (same parameters, same scope) as CSV, one row
    per state: member_state, name, last_reported_on, weeks_since_last_report, overdue, period,
    places, accommodated, occupancy_percent, rate_change_points, trend, trend_change_points,
    trend_since, not_accommodated, under_pressure, flags (codes joined by `` | ``),
    contingency_plan, border_procedure_occupancy, report_id, as_of, threshold, overdue_after_weeks."""
    text = reception.overview_csv(services, principal, on=on, threshold=threshold, overdue_weeks=overdue_weeks)
    day = on or state_today(services.clock.now(), principal.member_state)  # the day the overview is read on
    return _csv(text, f"reception-overview-{day.isoformat()}.csv")


@router.get("/series")
def series(on: date | None = None, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """The occupancy by reporting week (ISO weeks) up to ``on`` (default today): each week's total
    places, persons accommodated and rate, from each state's latest report at the week's end (the
    overview's EU totals on that day); a state's user: its own state."""
    return reception.occupancy_series(services, principal, on=on)


@router.get("/series.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "The occupancy by reporting week as CSV"}})
def series_csv(on: date | None = None, services: Services = Svc, principal: Principal = Who) -> Response:
    """``GET /reception/series`` as CSV, one row per week, the oldest first: week, week_ending,
    places, accommodated, occupancy_percent, not_accommodated, states_reporting, reports_in_week, scope."""
    text = reception.occupancy_series_csv(services, principal, on=on)
    day = on or state_today(services.clock.now(), principal.member_state)  # the day the series ends on
    return _csv(text, f"reception-occupancy-by-week-{day.isoformat()}.csv")


@router.get("/states/{member_state}/history.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "A state's reports as CSV"}})
def state_csv(member_state: str, threshold: float | None = None, since: date | None = None,
              services: Services = Svc, principal: Principal = Who) -> Response:
    """A state's reports (as ``GET /reception/states/{member_state}``) as CSV, one row per report,
    the oldest first: every figure as reported, the totals, occupancy_percent, rate_change_points,
    flags, the screened persons and those with special reception needs, version and report_id."""
    text = reception.state_history_csv(services, principal, member_state, threshold=threshold, since=since)
    return _csv(text, f"reception-{state_code(member_state)}-history.csv")


@router.get("/states/{member_state}")
def state(member_state: str, threshold: float | None = None, since: date | None = None,
          services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """A state's reports, the latest first, each with rates, change, flags and the screened
    persons with special reception needs of its period; the trend and the history chart (Vega-Lite);
    the reports withdrawn. ``since`` (not after today): the reports from that date."""
    return reception.state_history(services, principal, member_state, threshold=threshold, since=since)


@router.get("/reports")
def list_reports(response: Response, member_state: str | None = None, since: date | None = None,
                 until: date | None = None, limit: int = reception.REPORTS_PAGE_DEFAULT, offset: int = 0,
                 services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """Reports with their totals, the latest first (a state's user: its own); ``since`` on or
    before ``until``; a ``member_state`` that names no state is a 422 naming it. One page of
    ``limit`` (1–5000, default 1000) from ``offset``; the header ``X-Total-Count`` counts the list."""
    page = reception.reports_page(services, principal, member_state=member_state, since=since, until=until,
                                  limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(page["total"])
    return list(page["reports"])


@router.post("/reports", status_code=201)
def record(body: JsonBody[ReportCreate], services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """Record the caller's state's report for a date (caseworker or administrator of a Member
    State). 409 when the state already reported that date: correct that report instead."""
    return reception.record_report(services, principal, body)


@router.post("/reports/import", status_code=201)
def import_reports(text: str = Body(..., media_type="text/csv"), services: Services = Svc,
                   principal: Principal = Who) -> dict[str, Any]:
    """Record every report of a CSV file for the caller's state, all or none (422 naming
    ``line N.column`` for each problem)."""
    return reception.import_reports(services, principal, text)


@router.get("/reports/{report_id}")
def get_report(report_id: str, threshold: float | None = None, services: Services = Svc,
               principal: Principal = Who) -> dict[str, Any]:
    """A report with its assessment and every version of it."""
    return reception.get_report(services, principal, report_id, threshold)


@router.post("/reports/{report_id}/correction")
def correct(report_id: str, body: JsonBody[ReportCorrection], services: Services = Svc,
            principal: Principal = Who) -> dict[str, Any]:
    """Correct a report: the figures (``contingency_plan``, ``note``) to change, as they should be
    (a figure left out keeps its value), the ``version`` corrected and the ``reason``. 409 when
    the report changed since that version."""
    return reception.correct_report(services, principal, report_id, body)


@router.post("/reports/{report_id}/withdrawal")
def withdraw(report_id: str, body: JsonBody[ReportWithdrawal], services: Services = Svc,
             principal: Principal = Who) -> dict[str, Any]:
    """Withdraw a report of the caller's state (typed with the wrong date or period: a correction
    changes neither): the ``version`` withdrawn and the ``reason``. It no longer counts anywhere and
    its date may be reported again; the audit entry keeps it with every version. 409 when the
    report changed since that version."""
    return reception.withdraw_report(services, principal, report_id, body)


# -- decisions on one applicant's reception conditions ---------------------------------------------


@router.get("/conditions")
def list_conditions(response: Response, member_state: str | None = None, status: str = "in_force",
                    measure: str | None = None, person_id: str | None = None, limit: int = 100, offset: int = 0,
                    services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """The caller's state's decisions on applicants' material reception conditions, the latest
    first: ``status`` in_force (default), lifted or all; ``measure`` reduce, withdraw or
    not_entitled; one ``person_id``. A Member State's users only (its own state); the EU bodies read
    ``/conditions/counts``. Header ``X-Total-Count``."""
    page = reception_conditions.list_decisions(services, principal, member_state=member_state, status=status,
                                               measure=measure, person_id=person_id, limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(page["total"])
    return page


@router.get("/conditions/counts")
def condition_counts(services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """The applicants whose reception conditions are reduced, withdrawn or not due (Article 21) per
    state, decisions in force: every state's for the EU bodies' analysts and the auditor, its own
    for a state's user. Counts only."""
    return reception_conditions.counts(services, principal)


@router.get("/conditions/applicants/{person_id}")
def applicant_conditions(person_id: str, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """Every decision of the caller's state on one applicant's reception conditions, with the Article 21
    decisions of other states on the same person (``other_states_article21``: the state that decided,
    the state it named, days, status, the identity links, chains included, ``required_now`` (where
    a transfer decision or relocation known today requires the applicant to be present, the state
    named when none moved them; ``required_now_by`` in words or null) and ``here``, read against it:
    ``required_here`` or ``not_entitled_here``), ``required_elsewhere`` (the state where a transfer
    decision or relocation known today requires the applicant to be present, when not the caller's)
    and ``required_here`` (the same when it is the caller's: transferred or relocated here, or
    pending the caller's own transfer), each with ``member_state``, ``transfer_decision`` and
    ``legal_basis`` (the point of Regulation (EU) 2024/1351, Article 17(4))."""
    return reception_conditions.applicant_decisions(services, principal, person_id)


@router.post("/conditions", status_code=201)
def record_conditions(body: JsonBody[ConditionsDecisionCreate], services: Services = Svc,
                      principal: Principal = Who) -> dict[str, Any]:
    """Record a decision to reduce or withdraw an applicant's material reception conditions
    (Directive (EU) 2024/1346, Article 23; Directive 2013/33/EU, Article 20 before 12 June 2026) or
    that the applicant is not entitled to them here (Article 21): ``case_id`` or ``person_id``,
    ``measure``, ``conditions``, ``ground``, ``decided_on``, ``individual_assessment``, ``reasons``,
    ``health_care_ensured`` and ``standard_of_living_ensured`` (both true); ``not_entitled`` with
    ``required_state``, on a transfer decision of the caller's state to it for the applicant on or
    before ``decided_on``, carried out by then, or on another state's transfer decision known by
    the Eurodac hit (a white or red identity link to the person its Dublin case names), the state
    required being where the applicant must be present on ``decided_on`` (Regulation (EU)
    2024/1351, Article 17(4)). 422 naming each field, every problem at once; 409 when a decision on
    the same conditions is in force."""
    return reception_conditions.record_decision(services, principal, body)


@router.get("/conditions/{decision_id}")
def get_conditions(decision_id: str, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """One decision on an applicant's reception conditions; an Article 21 decision with the
    ``transfer_decision`` it rests on: the state's own (request, Dublin case reference, date,
    status) or another state's known by the Eurodac hit (the state that took it, the state
    responsible, the days, the identity link; not that state's request nor Dublin case)."""
    return reception_conditions.get_decision(services, principal, decision_id)


@router.post("/conditions/{decision_id}/lifting")
def lift_conditions(decision_id: str, body: JsonBody[ConditionsLifting], services: Services = Svc,
                    principal: Principal = Who) -> dict[str, Any]:
    """Lift a decision: the conditions restored (``restoration`` all or part) on ``lifted_on``,
    the ``reason`` and the ``version`` read (409 when it changed since)."""
    return reception_conditions.lift_decision(services, principal, decision_id, body)
