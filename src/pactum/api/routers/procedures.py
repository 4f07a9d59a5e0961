"""Asylum procedures: routing, applications and their workflow, queue, border capacity,
decision statistics, safe-country lists. Thin: every route calls ``pactum.services.procedures``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import ValidationError

from pactum.api.deps import current_principal, get_services
from pactum.common.json_types import JsonBody
from pactum.procedures.model import RoutingInput, RoutingResult
from pactum.procedures.refusals import RefusalCreate
from pactum.procedures.safe_countries import SafeCountryChange, SafeCountryIn, SafeCountryWithdrawal
from pactum.services import procedures
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.services.procedures import (
    ApplicationCreate,
    CaseAction,
    NoRightToRemain,
    NoRightToRemainLift,
    RemainException,
    RemainExceptionWithdrawal,
)

router = APIRouter(tags=["procedures"])
Svc = Annotated[Services, Depends(get_services)]
Who = Annotated[Principal, Depends(current_principal)]


@router.post("/procedures/routing", response_model=RoutingResult)
def route(services: Svc, principal: Who, body: JsonBody[RoutingInput]) -> RoutingResult:
    """Which procedure an application goes to, why, with the recognition rate used."""
    return procedures.route_application(services, principal, body)


@router.post("/procedures/applications", status_code=201)
def make_application(services: Svc, principal: Who, body: JsonBody[ApplicationCreate]) -> dict[str, Any]:
    """Make an application and route it. A body whose fields are of the wrong JSON type or value is
    refused first, every such field at once (422), as on every route; then every problem the registry
    and the workflow find is refused at once (422: a day after today, a registration before the
    application, a context the person's encounter contradicts); a person not of your state is 404."""
    return procedures.create_application(services, principal, body)


@router.get("/procedures/applications")
def applications_of_person(services: Svc, principal: Who, person_id: str) -> list[dict[str, Any]]:
    """Every asylum application of one of your state's persons, open or closed, the latest first."""
    return procedures.applications_of_person(services, principal, person_id, channel="api")


@router.get("/procedures/applications/{case_id}")
def get_application(services: Svc, principal: Who, case_id: str) -> dict[str, Any]:
    """One of your state's cases, by its id or its short reference (``DE-2026-000123``)."""
    return procedures.get_case(services, principal, case_id, channel="api")


@router.post("/procedures/applications/{case_id}/actions")
def act(services: Svc, principal: Who, case_id: str, body: JsonBody[CaseAction]) -> dict[str, Any]:
    """One workflow step (``action`` and the case ``version`` you saw, plus the step's fields);
    409 with the reason when the step is not allowed now."""
    payload = dict(body.model_extra or {})
    try:
        procedures.check_step_types(body.action, payload)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]) from None
    return procedures.act(services, principal, case_id, body.action, payload, body.version)


@router.post("/procedures/applications/{case_id}/remain-exception")
def record_remain_exception(services: Svc, principal: Who, case_id: str,
                            body: JsonBody[RemainException]) -> dict[str, Any]:
    """Record that a first subsequent application was lodged merely to delay or frustrate the
    enforcement of a decision that would result in the applicant's imminent removal (APR Art
    56(a); Directive 2013/32/EU Art 41(1)(a)): it then gives no right to remain while examined
    (``right_to_remain`` of the case). 409 when the case is not a first subsequent application in
    its preliminary examination."""
    return procedures.record_remain_exception(services, principal, case_id, body)


@router.post("/procedures/applications/{case_id}/remain-exception/withdraw")
def withdraw_remain_exception(services: Svc, principal: Who, case_id: str,
                              body: JsonBody[RemainExceptionWithdrawal]) -> dict[str, Any]:
    """Withdraw the determining authority's assessment that a first subsequent application was
    lodged merely to delay or frustrate removal (``version``, ``on``: the day it was withdrawn, not
    after today on your state's clock nor before the assessment; ``reason``): the removal no longer
    imminent, the assessment reconsidered or made in error. The right to remain of APR Art 10(1)
    (Directive 2013/32/EU Art 9(1)) applies again and ``right_to_remain`` says it was withdrawn
    (``withdrawn_on``, ``withdrawn_by``, ``withdrawal_reason``); a held-back return decision is held
    back again. 422 naming the field; 409 when the case is decided, notified, under appeal or closed,
    no assessment stands, or the version is stale."""
    return procedures.withdraw_remain_exception(services, principal, case_id, body)


@router.post("/procedures/applications/{case_id}/no-right-to-remain")
def record_no_right_to_remain(services: Svc, principal: Who, case_id: str,
                              body: JsonBody[NoRightToRemain]) -> dict[str, Any]:
    """Record that the applicant has no right to remain during the administrative procedure
    (``remain_exception`` of the case): subject to a surrender to another Member State under a
    European arrest warrant (APR Art 10(3)), extradited, surrendered or transferred (Art 10(4)(b),
    with the finding on non-refoulement of Art 10(5) for a third country or an international
    court), a danger to public order or national security (Art 10(4)(c), with the finding on
    non-refoulement); before the Pact Directive 2013/32/EU Art 9(2), (3). 422 naming the field
    where the law's conditions are not met; 409 when the case is decided, notified, under appeal or
    closed, or already has one recorded."""
    return procedures.record_no_right_to_remain(services, principal, case_id, body)


@router.post("/procedures/applications/{case_id}/no-right-to-remain/lift")
def lift_no_right_to_remain(services: Svc, principal: Who, case_id: str,
                            body: JsonBody[NoRightToRemainLift]) -> dict[str, Any]:
    """Lift the exception to the right to remain recorded on the case (``version``, ``on``: the day
    the ground fell away or the error was found, not after today nor before the record; ``reason``):
    the surrender or extradition refused or withdrawn, the danger assessment reversed, the record
    made in error. The right to remain of APR Art 10(1) (Directive 2013/32/EU Art 9(1)) applies
    again and ``remain_exception`` says it was lifted (``lifted_on``, ``lifted_by``,
    ``lift_reason``); a new exception may be recorded. 422 naming the field; 409 when the case is
    decided or closed, no exception stands, or the version is stale."""
    return procedures.lift_no_right_to_remain(services, principal, case_id, body)


@router.get("/procedures/queue")
def queue(services: Svc, principal: Who, procedure: str | None = None, state: str | None = None,
          nationality: str | None = None, overdue: bool = False, mine: bool = False,
          limit: int = 500, offset: int = 0, *, response: Response) -> list[dict[str, Any]]:
    """Open cases of your state, next legal deadline first (``limit`` up to 5,000, ``offset``),
    each with its applicant's name (``person_name``). The header ``X-Total-Count`` gives how many
    cases the filters select in all. An unknown ``nationality`` is a 422 naming it."""
    rows, total = procedures.queue_with_total(services, principal, procedure=procedure, state=state,
                                              nationality=nationality, overdue=overdue, mine=mine,
                                              limit=limit, offset=offset, channel="api")
    response.headers["X-Total-Count"] = str(total)
    return rows


@router.get("/procedures/queue.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "The queue as CSV"}})
def queue_csv(services: Svc, principal: Who, procedure: str | None = None, state: str | None = None,
              nationality: str | None = None, overdue: bool = False, mine: bool = False,
              limit: int = 5000, offset: int = 0) -> Response:
    """``GET /procedures/queue`` (same filters, same order; ``limit`` up to 5,000, the default) as
    CSV, one row per case: id, reference, person_name, nationality, procedure, state, made_on, next_deadline,
    next_deadline_kind, days_left, overdue, assigned_to, unaccompanied_minor, mandatory."""
    text = procedures.queue_csv(services, principal, procedure=procedure, state=state, nationality=nationality,
                                overdue=overdue, mine=mine, limit=limit, offset=offset, channel="api")
    day = procedures.today_in(services, principal.member_state).isoformat()
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="asylum-queue-{day}.csv"'})


@router.get("/procedures/return-decisions-due")
def return_decisions_due(services: Svc, principal: Who, limit: int = 500) -> list[dict[str, Any]]:
    """Your state's asylum cases whose rejection under the APR was notified without a return
    decision (Regulation (EU) 2024/1348 Art 37: the return decision is issued with the rejection or
    without undue delay after it), the longest waiting first (``limit`` up to 5,000), each with its
    applicant's name, ``legal_basis`` and ``note``. A return decision naming the case
    (``asylum_case_id``) takes the case off the list."""
    return procedures.return_decisions_due(services, principal, limit=limit, channel="api")


@router.get("/procedures/border-pipeline")
def border_pipeline(services: Svc, principal: Who, ) -> dict[str, Any]:
    return procedures.border_pipeline(services, principal, channel="api")


@router.get("/procedures/capacity")
def capacity(services: Svc, principal: Who, on: date | None = None) -> dict[str, Any]:
    return procedures.capacity_overview(services, principal, on)


@router.post("/procedures/refusals-of-entry", status_code=201)
def record_refusal(services: Svc, principal: Who, body: JsonBody[RefusalCreate]) -> dict[str, Any]:
    """Record a refusal of entry at your state's external border (Schengen Borders Code Annex V
    Part B: ``reasons`` are the form's letters A to I). Counted in the border procedure's
    adequate capacity."""
    return procedures.record_refusal(services, principal, body)


@router.get("/procedures/refusals-of-entry")
def list_refusals(services: Svc, principal: Who, member_state: str | None = None,
                  date_from: Annotated[date | None, Query(alias="from")] = None,
                  date_to: Annotated[date | None, Query(alias="to")] = None,
                  nationality: str | None = None, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Recorded refusals of entry, newest first (``limit`` up to 1,000, from ``offset``), with
    the total and the count by reason over the selection."""
    return procedures.list_refusals(services, principal, member_state=member_state,
                                    date_from=date_from, date_to=date_to, nationality=nationality,
                                    limit=limit, offset=offset)


@router.get("/procedures/refusals-of-entry.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "The refusals as CSV"}})
def refusals_csv(services: Svc, principal: Who, member_state: str | None = None,
                 date_from: Annotated[date | None, Query(alias="from")] = None,
                 date_to: Annotated[date | None, Query(alias="to")] = None,
                 nationality: str | None = None) -> Response:
    """``GET /procedures/refusals-of-entry`` (same filters) as CSV, every refusal selected (up to
    100,000), newest first: id, member_state, refused_on, border_type, border_section,
    nationality, reasons (letters joined by ";"), note, recorded_by."""
    text = procedures.refusals_csv(services, principal, member_state=member_state, date_from=date_from,
                                   date_to=date_to, nationality=nationality)
    day = procedures.today_in(services, principal.member_state).isoformat()
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="refusals-of-entry-{day}.csv"'})


@router.get("/procedures/statistics")
def statistics(services: Svc, principal: Who, year: int | None = None, member_state: str | None = None,
               nationality: str | None = None) -> dict[str, Any]:
    """First-instance decisions by nationality (EU27 or one bound state's), one ``nationality``
    if given."""
    return procedures.decision_statistics_table(services, principal, year=year,
                                                member_state=member_state, nationality=nationality)


@router.post("/procedures/statistics/import")
async def import_statistics(services: Svc, principal: Who, request: Request, source: str = "UNHCR") -> dict[str, Any]:
    """Body: a UNHCR asylum-decisions export (CSV, or gzip-compressed CSV)."""
    data = await request.body()
    return procedures.import_statistics(services, principal, data, source)


@router.get("/procedures/recognition-rates/{nationality}")
def recognition_rate(services: Svc, principal: Who, nationality: str, on: date | None = None) -> dict[str, Any]:
    """The EU recognition rate routing uses for an application made on ``on`` (default today)."""
    return procedures.recognition_rate_for(services, principal, nationality.upper(),
                                           on or procedures.today_in(services, principal.member_state))


@router.get("/procedures/safe-countries")
def safe_countries(services: Svc, principal: Who, on: date | None = None) -> list[dict[str, Any]]:
    return procedures.list_safe_countries(services, principal, on)


@router.post("/procedures/safe-countries", status_code=201)
def add_safe_country(services: Svc, principal: Who, body: JsonBody[SafeCountryIn]) -> dict[str, Any]:
    return procedures.add_safe_country(services, principal, body.model_dump())


@router.patch("/procedures/safe-countries/{designation_id}")
def change_safe_country(services: Svc, principal: Who, designation_id: str,
                        body: JsonBody[SafeCountryChange]) -> dict[str, Any]:
    """End a designation from a date (``valid_to``, its last day) or correct its dates, act,
    exclusion or note, with the ``version`` you saw and the ``reason`` (audited). An administrator
    of the list's scope only."""
    return procedures.change_safe_country(services, principal, designation_id,
                                          body.model_dump(exclude_unset=True))


@router.post("/procedures/safe-countries/{designation_id}/withdraw")
def withdraw_safe_country(services: Svc, principal: Who, designation_id: str,
                          body: JsonBody[SafeCountryWithdrawal]) -> dict[str, Any]:
    """Withdraw a designation entered in error (a wrong country, scope or concept), with the
    ``version`` you saw and the ``reason`` (the audit entry keeps what it said)."""
    return procedures.withdraw_safe_country(services, principal, designation_id, body.model_dump())
