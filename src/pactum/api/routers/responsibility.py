"""Responsibility: determinations, Dublin cases, the Dublin units' inbox and outbox, the steps of
the procedure, statistics per pair of states. Thin: each route calls one service function."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from pactum.api.deps import current_principal, get_services
from pactum.common.json_types import JsonBody
from pactum.responsibility.cessation import CessationRequest, DiscretionaryClause
from pactum.responsibility.schemas import (
    CaseCreate,
    DeterminationRequest,
    DeterminationResult,
    DocumentCorrection,
    DocumentRecord,
    DocumentWithdrawal,
    HitCreate,
    RequestAction,
    RequestCreate,
)
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

router = APIRouter(prefix="/responsibility", tags=["responsibility"])
Svc = Depends(get_services)
Who = Depends(current_principal)

Action = Literal[
    "accept", "refuse", "confirm", "request_reexamination", "accept_reexamination",
    "refuse_reexamination", "accept_refusal", "contest", "decide_transfer", "arrange_transfer",
    "complete_transfer", "extend_transfer", "record_appeal", "decide_appeal", "withdraw",
]


@router.post("/determinations", response_model=DeterminationResult)
def determine(body: JsonBody[DeterminationRequest], services: Services = Svc,
              principal: Principal = Who) -> dict[str, Any]:
    """Which Member State is responsible for an application, under which criterion, and why."""
    return responsibility.determine(services, principal, body)


@router.post("/cessation")
def cessation(body: JsonBody[CessationRequest], services: Services = Svc,
              principal: Principal = Who) -> dict[str, Any]:
    """Who is responsible on a day, after the events since the determination (Dublin III Arts 17,
    19, 29(2); AMMR Arts 35, 37)."""
    return responsibility.cessation(services, principal, body)


@router.post("/cases", status_code=201)
def create_case(body: JsonBody[CaseCreate], services: Services = Svc,
                principal: Principal = Who) -> dict[str, Any]:
    """Record an application of your state with its determination and explanation."""
    return responsibility.create_case(services, principal, body)


@router.get("/cases")
def list_cases(response: Response, person_id: str | None = None,
               limit: int = responsibility.CASES_PAGE_DEFAULT, offset: int = 0, services: Services = Svc,
               principal: Principal = Who) -> list[dict[str, Any]]:
    """Your state's Dublin cases, the latest first; ``person_id`` narrows them to one person's.
    One page of ``limit`` (1–1000, default 200) from ``offset``; the header ``X-Total-Count``
    counts the list."""
    page = responsibility.cases_page(services, principal, person_id=person_id, limit=limit, offset=offset,
                                     channel="api")
    response.headers["X-Total-Count"] = str(page["total"])
    return list(page["cases"])


@router.get("/persons/{person_id}/facts")
def facts_from_records(person_id: str, services: Services = Svc,
                       principal: Principal = Who) -> dict[str, Any]:
    """A draft of a registered person's facts for the determination from the platform's records
    (the application's registration, date of birth, entries, earlier applications, the residence
    documents and visas recorded by the states that issued them), with the source of each and what the
    records point to but cannot fill in (``to_check``): check, complete, then determine. Logged as
    a read of the person (``dublin_facts_draft``)."""
    return responsibility.facts_from_records(services, principal, person_id, channel="api")


@router.get("/cases/{case_id}")
def get_case(case_id: str, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    return responsibility.get_case(services, principal, case_id, channel="api")


@router.post("/cases/{case_id}/discretionary-clause")
def discretionary_clause(case_id: str, body: JsonBody[DiscretionaryClause], services: Services = Svc,
                         principal: Principal = Who) -> dict[str, Any]:
    """Your state decides to examine the application itself although another state is responsible
    under the criteria (Dublin III Art 17(1); AMMR Art 35(1)): its running requests are withdrawn
    (the states asked see why), your state becomes responsible; body ``{"version", "on",
    "reasons"}``. 409 when your state is already responsible, the person was transferred, or the
    case changed; 422 naming ``on`` when it is after today or before the registration."""
    return responsibility.apply_discretionary_clause(services, principal, case_id, body)


@router.post("/persons/{person_id}/documents", status_code=201)
def record_document(person_id: str, body: JsonBody[DocumentRecord], services: Services = Svc,
                    principal: Principal = Who) -> dict[str, Any]:
    """Your Dublin unit records a residence document or visa your state issued to a person of your
    registry: body ``{"kind", "issued_on", "valid_from", "valid_until", "number", "visa_type",
    "issued_on_behalf_of"}`` (expired ones too: they count for a period after they expired, AMMR Art
    29(4), Dublin III Art 12(4)). The draft of the facts of a determination for that person (yours,
    or another state's for its person joined to yours by a same-person identity link) takes it in, so
    the criterion of Art 29 / Art 12 applies on it and the explanation names it. 422 naming the field
    (validity ending before it starts, issued in the future or after its validity, a visa's fields on
    a residence document, a representation of your own state or of a long-stay visa); another
    state's person is 404."""
    return responsibility.record_document(services, principal, person_id, body)


@router.get("/persons/{person_id}/documents")
def person_documents(person_id: str, withdrawn: bool = False, services: Services = Svc,
                     principal: Principal = Who) -> list[dict[str, Any]]:
    """The residence documents and visas your state recorded for its person (``withdrawn=true``:
    with those withdrawn), each with the Dublin cases that took it into their facts. Another
    state's person is 404: its documents reach you only through the draft of the facts. Logged as
    a read of the person (``dublin_documents``)."""
    return responsibility.person_documents(services, principal, person_id, withdrawn=withdrawn, channel="api")


@router.put("/documents/{document_id}")
def correct_document(document_id: str, body: JsonBody[DocumentCorrection], services: Services = Svc,
                     principal: Principal = Who) -> dict[str, Any]:
    """Correct a document your state recorded: the whole record with the ``version`` you saw (409
    if it changed). Once a Dublin case took it into its facts, only with ``reason`` (409 without),
    audited with the cases named; those cases keep the facts they were determined on."""
    return responsibility.correct_document(services, principal, document_id, body)


@router.post("/documents/{document_id}/withdraw")
def withdraw_document(document_id: str, body: JsonBody[DocumentWithdrawal], services: Services = Svc,
                      principal: Principal = Who) -> dict[str, Any]:
    """Withdraw a document recorded in error (``{"version", "reason"}``): it enters no draft of the
    facts any more. Once a Dublin case took it into its facts, only with ``reason`` (409 without)."""
    return responsibility.withdraw_document(services, principal, document_id, body)


@router.post("/cases/{case_id}/hits", status_code=201)
def record_hit(case_id: str, body: JsonBody[HitCreate], services: Services = Svc,
               principal: Principal = Who) -> dict[str, Any]:
    """Your Dublin unit records a Eurodac (or, under the AMMR, VIS) hit it received on the case
    before any request: body ``{"hit_on", "member_state", "source", "category", "reference"}``.
    The request it concerns then runs from it (AMMR Art 39(1), second subparagraph: one month in
    place of the two months from the registration; Dublin III Arts 21(1), second subparagraph, and
    23(2)): the case returned says so in ``hits``, ``request_limits`` and ``responsible_now``. 422
    naming the field (``hit_on`` in the future or before the application, ``member_state``,
    ``category``, ``source`` for a hit that runs no time limit); 409 when the case is closed to
    requests, the hit would reopen a time limit that has passed, or it is already recorded."""
    return responsibility.record_hit(services, principal, case_id, body)


@router.post("/cases/{case_id}/requests", status_code=201)
def send_request(case_id: str, body: JsonBody[RequestCreate], services: Services = Svc,
                 principal: Principal = Who) -> dict[str, Any]:
    """Send a take-charge request, a take-back request (Dublin III), a take-back notification
    (AMMR) or a humanitarian-clause request to another state's Dublin unit. A humanitarian-clause
    request carries ``consented_in_writing_on``, the day the persons concerned consented in writing
    (Dublin III Art 17(2); AMMR Art 35(2)): 422 naming it when missing, in the future or before the
    case's registration day, or given with any other kind. A request left without ``eurodac_hit``
    to the state whose data a hit recorded on the case matched carries that hit (``eurodac_hit``
    true, its ``hit_on``, the hit among the ``evidence``) and the reply is due within two weeks
    (AMMR Art 40(2); Dublin III Art 25(1), a take back while the two months from the hit run);
    ``"eurodac_hit": false`` there is refused (422 naming ``eurodac_hit``) but for a Dublin III
    take back on other evidence (Art 23(2)). ``hit_source`` says where the stated hit came from
    (``eurodac``, or ``vis`` for an AMMR take charge, Art 39(1) and 40(2); 422 naming it for a VIS
    hit under Dublin III or on another kind, or with no hit stated); a request carrying a recorded
    hit takes its source. The request's ``hit_source`` is ``null`` when it states no hit."""
    return responsibility.send_request(services, principal, case_id, body)


def _box_page(response: Response, services: Services, principal: Principal, box: str, status: str | None,
              kind: str | None, include_closed: bool, limit: int, offset: int) -> list[dict[str, Any]]:
    page = responsibility.queue_page(services, principal, box, status=status, kind=kind,
                                     include_closed=include_closed, limit=limit, offset=offset, channel="api")
    response.headers["X-Total-Count"] = str(page["total"])
    return list(page["requests"])


@router.get("/inbox")
def inbox(response: Response, status: str | None = None, kind: str | None = None, include_closed: bool = False,
          limit: int = responsibility.QUEUE_PAGE_DEFAULT, offset: int = 0,
          services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """Requests addressed to your state, next deadline first (then the open ones without a
    deadline, then the closed ones, newest first); ``status`` or ``kind`` keeps one. One page of
    ``limit`` (1–500, default 500) from ``offset``; the header ``X-Total-Count`` counts the list."""
    return _box_page(response, services, principal, "inbox", status, kind, include_closed, limit, offset)


@router.get("/outbox")
def outbox(response: Response, status: str | None = None, kind: str | None = None, include_closed: bool = False,
           limit: int = responsibility.QUEUE_PAGE_DEFAULT, offset: int = 0,
           services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """Requests your state sent, in the inbox's order; ``status`` or ``kind`` keeps one. One page
    of ``limit`` (1–500, default 500) from ``offset``; the header ``X-Total-Count`` counts the
    list."""
    return _box_page(response, services, principal, "outbox", status, kind, include_closed, limit, offset)


_CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}, "description": "The list as CSV"}}


def _csv(text: str, name: str, services: Services) -> Response:
    day = services.clock.today().isoformat()
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}-{day}.csv"'})


@router.get("/inbox.csv", response_class=Response, responses=_CSV)
def inbox_csv(status: str | None = None, kind: str | None = None, include_closed: bool = False,
              services: Services = Svc, principal: Principal = Who) -> Response:
    """``GET /inbox`` (same filters, same order, every page) as CSV, one row per request: case_reference,
    applicant_name, kind, requesting_member_state, requested_member_state, status, status_label,
    sent_on, next_deadline (what is due, or "suspended (appeal)"), next_deadline_on, days_left,
    criterion, unaccompanied_minor, detained, late, transfer_suspended, closed_on, request_id."""
    return _csv(responsibility.queue_csv(services, principal, "inbox", status=status, kind=kind,
                                         include_closed=include_closed, channel="api"), "dublin-inbox", services)


@router.get("/outbox.csv", response_class=Response, responses=_CSV)
def outbox_csv(status: str | None = None, kind: str | None = None, include_closed: bool = False,
               services: Services = Svc, principal: Principal = Who) -> Response:
    """``GET /outbox`` (same parameters, same order) as CSV, with the columns of ``/inbox.csv``."""
    return _csv(responsibility.queue_csv(services, principal, "outbox", status=status, kind=kind,
                                         include_closed=include_closed, channel="api"), "dublin-outbox", services)


@router.get("/requests/{request_id}")
def get_request(request_id: str, services: Services = Svc,
                principal: Principal = Who) -> dict[str, Any]:
    return responsibility.get_request(services, principal, request_id, channel="api")


@router.post("/requests/{request_id}/{action}")
def act(request_id: str, action: Action, body: JsonBody[RequestAction], services: Services = Svc,
        principal: Principal = Who) -> dict[str, Any]:
    """A step of the procedure: the requested state accepts, refuses with reasons, confirms or
    answers a re-examination; the requesting state asks for re-examination, decides, arranges and
    carries out the transfer, extends the transfer period, records an appeal against the transfer
    decision and its final decision (a suspensive appeal stops the transfer period, which runs
    again from the final decision), or withdraws."""
    return responsibility.act(services, principal, request_id, action, body)


@router.get("/statistics")
def statistics(year: int | None = None, services: Services = Svc,
               principal: Principal = Who) -> list[dict[str, Any]]:
    """Per pair of states: requests, accepted, refused, contested (take-back notifications the
    state notified contested, AMMR Art 41(3), not counted as refused), open, acceptance rate,
    transfers, transfer rate, average days."""
    return responsibility.statistics(services, principal, year=year)


@router.get("/statistics.csv", response_class=Response, responses=_CSV)
def statistics_csv(year: int | None = None, services: Services = Svc, principal: Principal = Who) -> Response:
    """``GET /statistics`` as CSV, one row per pair of states: requesting_member_state,
    requested_member_state, requests, accepted, refused, open, acceptance_rate, transfers,
    transfer_rate (shares: 0.5 is 50%), average_days_to_transfer, transfers_with_impossible_dates
    (recorded before the request, acceptance or transfer decision: left out of the average), year,
    contested (last, so the earlier columns keep their places)."""
    name = f"dublin-statistics-{year}" if year is not None else "dublin-statistics"
    return _csv(responsibility.statistics_csv(services, principal, year=year), name, services)
