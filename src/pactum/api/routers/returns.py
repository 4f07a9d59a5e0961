"""Returns: return decisions, alerts and hits, operations, readmission, AVR, statistics.

Routes are thin: each parses its body and calls one function of :mod:`pactum.services.returns`.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Response

from pactum.api.deps import current_principal, get_services
from pactum.common.csvrows import csv_table
from pactum.common.json_types import JsonBody
from pactum.returns.schemas import (
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
from pactum.services import returns
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

router = APIRouter(prefix="/returns", tags=["returns"])
Svc = Depends(get_services)
Who = Depends(current_principal)


@router.post("/decisions", status_code=201)
def issue_decision(
    body: JsonBody[ReturnDecisionCreate], services: Services = Svc, principal: Principal = Who
) -> dict[str, Any]:
    """Issue a return decision and enter its return alert."""
    return returns.create_return_decision(services, principal, body)


@router.get("/decisions")
def list_decisions(
    response: Response,
    status: str | None = None,
    person_id: str | None = None,
    identity_review: bool = False,
    limit: int = returns.DECISIONS_PAGE_DEFAULT,
    offset: int = 0,
    services: Services = Svc,
    principal: Principal = Who,
) -> list[dict[str, Any]]:
    """The state's return decisions, the latest first; ``status`` and ``person_id`` narrow them,
    ``identity_review=true`` keeps those whose person's identity record now holds otherwise what
    the decision recorded (corrected since: ``identity_review_fields`` names the fields; the
    decision's read says what and when) and that were not reviewed since the record's last
    correction (``identity_review_needed``; ``POST .../identity-reviewed`` records a review). One page of ``limit`` (1–1000, default 200) from
    ``offset``; the header ``X-Total-Count`` counts the list. ``voluntary_departure_ends_on``: the
    period's last day as the decision's suspensions moved it (``voluntary_departure_paused``: a
    suspension that began within the period lasts, and the period has no last day)."""
    page = returns.decisions_page(services, principal, status=status, person_id=person_id,
                                  identity_review=identity_review, limit=limit, offset=offset, channel="api")
    response.headers["X-Total-Count"] = str(page["total"])
    return list(page["decisions"])


@router.get("/decisions/{decision_id}")
def get_decision(decision_id: str, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """A return decision as the caller's state reads it. ``voluntary_departure_last_day`` is the last
    day the decision set; ``voluntary_departure_ends_on`` the last day as its suspensions moved it
    (the period does not run while the decision is suspended, nor during the time to appeal against
    the negative asylum decision while the applicant may remain: APR Art 68(1), (2), CJEU C-181/16
    *Gnandi*; null while a suspension that began within the period lasts, or where none was granted)
    and ``voluntary_departure_period`` the computation (``set_last_day``, ``ends_on``, ``moved``,
    ``paused``, ``paused_since``, ``days_left``, ``steps``, ``legal_basis``, ``label``, ``appeal_time``:
    the time to appeal that moved it, ``why_moved``)."""
    return returns.get_decision(services, principal, decision_id, channel="api")


@router.patch("/decisions/{decision_id}/facts")
def update_facts(
    decision_id: str,
    body: JsonBody[ReturnFactsUpdate],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    return returns.update_return_facts(services, principal, decision_id, body)


@router.post("/decisions/{decision_id}/destination")
def amend_destination(
    decision_id: str,
    body: JsonBody[DestinationAmendment],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    """Issue an amended decision on the destination of your state's return decision
    (``{"version", "destination_country", "issued_on", "reasons", "remedies"}``): a new return
    decision in the Court's reading (CJEU C-924/19 PPU and C-925/19 PPU, FMS and Others), in
    writing with reasons and the remedy information (Directive 2008/115/EC Art 12(1), 13(1)). The
    facts for removal refuse a change of destination (422 on ``destination_country``). It sets its
    own period for voluntary departure from its day (Art 7(1)): ``voluntary_departure_days``, or
    the decision's days again; an assisted voluntary return case open for another country is
    cancelled with the reason. Answers the decision, with ``destination_decisions`` (the history of
    its destinations) and ``avr_cases``."""
    return returns.amend_destination(services, principal, decision_id, body)


@router.post("/decisions/{decision_id}/destination-appeal")
def appeal_destination(
    decision_id: str,
    body: JsonBody[DestinationAppeal],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    """Record the appeal lodged against the decision's latest amended decision on the destination
    (``{"version", "lodged_on", "suspensive"}``, Directive 2008/115/EC Art 13(1)); a suspensive one
    suspends the decision (Art 13(2), alert field (y))."""
    return returns.appeal_destination(services, principal, decision_id, body)


@router.post("/decisions/{decision_id}/destination-appeal-outcome")
def decide_destination_appeal(
    decision_id: str,
    body: JsonBody[DestinationAppealOutcome],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    """Record the court's outcome of the appeal against an amended decision on the destination
    (``{"version", "outcome", "decided_on", "destination_decision"}``: ``dismissed`` or ``allowed``;
    the amended decision's reference, needed only when more than one appeal awaits its outcome).
    Allowed, the amended decision is annulled: the destination and period the decision had before
    it stand again, unless a later amended decision changed them. A suspension the appeal brought
    is lifted. Answers the decision, whose ``destination_decisions`` rows carry ``appeal_outcome``
    and ``appeal_decided_on``."""
    return returns.decide_destination_appeal(services, principal, decision_id, body)


@router.post("/decisions/{decision_id}/translation-requests")
def request_translation(
    decision_id: str,
    body: JsonBody[TranslationRequest],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    """Record the person's request for a translation of the main elements of your state's return
    decision, remedies included (``{"requested_on", "language", "destination_decision"}``:
    ``language`` an ISO 639 code; ``destination_decision`` the amended decision on the destination
    it concerns, by reference or id, none for the decision itself), Directive 2008/115/EC Art 12(2).
    Until given it is in the decision's ``open_items`` and the queue's (not an obstacle to removal).
    409 where the decision was given by the standard form of Art 12(3)."""
    return returns.request_translation(services, principal, decision_id, body)


@router.post("/decisions/{decision_id}/translation-requests/{translation_id}/given")
def give_translation(
    decision_id: str,
    translation_id: str,
    body: JsonBody[TranslationGiven],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    """Record that the translation requested was given (``{"provided_on", "mode", "language"}``:
    ``mode`` written or oral; ``language`` ISO 639, none for the language asked for), Directive
    2008/115/EC Art 12(2)."""
    return returns.give_translation(services, principal, decision_id, translation_id, body)


@router.post("/decisions/{decision_id}/standard-form")
def use_standard_form(
    decision_id: str,
    body: JsonBody[StandardFormUse],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    """Record that your state's return decision (or ``destination_decision``, an amended decision
    on its destination) was given by the standard form of national law instead of a translation on
    request (Directive 2008/115/EC Art 12(3)). 422 on ``standard_form`` where your records show
    the person did not enter illegally (a border crossing point, resettlement) or obtained an
    authorisation or a right to stay (an application for international protection, temporary
    protection)."""
    return returns.use_standard_form(services, principal, decision_id, body)


@router.post("/decisions/{decision_id}/identity-reviewed")
def identity_reviewed(
    decision_id: str,
    body: JsonBody[IdentityReviewed],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    """Record that you reviewed your state's decision against its person's corrected identity
    record (``{"version", "note"}``: what you decided); the decision no longer needs review
    (``identity_review.review_needed``) until the record is corrected again. 409 when there is
    nothing to review, the version is stale or the decision is no longer open."""
    return returns.review_identity(services, principal, decision_id, body)


@router.post("/decisions/{decision_id}/suspend")
def suspend(
    decision_id: str,
    body: JsonBody[VersionedReason],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    return returns.suspend_decision(services, principal, decision_id, body)


@router.post("/decisions/{decision_id}/lift-suspension")
def lift(
    decision_id: str,
    body: JsonBody[VersionedReason],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    return returns.lift_suspension(services, principal, decision_id, body)


@router.post("/decisions/{decision_id}/withdraw")
def withdraw(
    decision_id: str,
    body: JsonBody[VersionedReason],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    return returns.withdraw_decision(services, principal, decision_id, body)


@router.post("/decisions/{decision_id}/departure")
def departure(
    decision_id: str,
    body: JsonBody[DepartureConfirm],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    """Confirm the departure: the alert is deleted, an entry-ban alert starts where one applies."""
    return returns.confirm_departure(services, principal, decision_id, body)


@router.post("/decisions/{decision_id}/entry-ban")
def entry_ban(
    decision_id: str,
    body: JsonBody[EntryBanImposition],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    """Impose an entry ban on an issued decision whose period for voluntary departure ended without a
    departure recorded (Directive 2008/115/EC Art 11(1)(b)); 422 naming the field when that does not
    hold or the length is not allowed (Art 11(2)), 409 on a stale version."""
    return returns.impose_entry_ban(services, principal, decision_id, body)


@router.post("/decisions/{decision_id}/voluntary-departure/extend")
def extend_voluntary_departure(
    decision_id: str,
    body: JsonBody[PeriodExtension],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    """Extend the period for voluntary departure of an issued decision (Directive 2008/115/EC Art
    7(2)): a new last day after the current one, circumstances of Art 7(2) and the reasons; 422
    naming the field for bad input, 409 naming why when the period cannot be extended (ended, none
    granted, departed or withdrawn, enforced by another state) or on a stale version."""
    return returns.extend_voluntary_departure(services, principal, decision_id, body)


@router.get("/alerts/{alert_id}")
def get_alert(alert_id: str, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """The alert, for its issuing state or a state that recorded a hit on it; 404 otherwise."""
    return returns.get_alert(services, principal, alert_id)


@router.post("/hits", status_code=201)
def record_hit(body: JsonBody[HitCreate], services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """Record a hit on another state's alert (``component: sis_return_alert``): ``local_person_id``
    names the person your state encountered; the identity search of that person must confirm the
    match (a match probability of at least ``HIT_MATCH_PROBABILITY`` or a verified identity link),
    else 422 on ``local_person_id``; 404 when the search of that person does not return the alert."""
    return returns.record_hit(services, principal, body)


@router.get("/hits")
def list_hits(
    response: Response,
    waiting: bool = False,
    limit: int = returns.LIST_PAGE_DEFAULT,
    offset: int = 0,
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, list[dict[str, Any]]]:
    """Hits your state recorded (``executing``) and hits other states recorded on your alerts
    (``issuing``), the latest reported first; ``waiting=true``: those waiting for a recognition
    decision. One page of ``limit`` hits of the two lists together (1–1000, default 200) from
    ``offset``; the header ``X-Total-Count`` counts both lists."""
    page = returns.hits_page(services, principal, waiting_only=waiting, limit=limit, offset=offset, channel="api")
    response.headers["X-Total-Count"] = str(page["total"])
    return {"executing": page["executing"], "issuing": page["issuing"]}


@router.get("/hits/{hit_id}")
def get_hit(hit_id: str, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    return returns.get_hit(services, principal, hit_id)


@router.post("/hits/{hit_id}/messages")
def hit_message(
    hit_id: str, body: JsonBody[HitMessage], services: Services = Svc, principal: Principal = Who
) -> dict[str, Any]:
    """Supplementary information exchange between the executing and the issuing state."""
    return returns.send_hit_message(services, principal, hit_id, body)


@router.post("/hits/{hit_id}/recognise")
def recognise(
    hit_id: str, body: JsonBody[Versioned], services: Services = Svc, principal: Principal = Who
) -> dict[str, Any]:
    return returns.recognise_hit(services, principal, hit_id, body)


@router.post("/hits/{hit_id}/refuse")
def refuse(
    hit_id: str,
    body: JsonBody[VersionedReason],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    return returns.refuse_recognition(services, principal, hit_id, body)


@router.get("/queue")
def queue(destination: str | None = None, ready: bool = False, name: str | None = None, services: Services = Svc,
          principal: Principal = Who) -> list[dict[str, Any]]:
    """Open decisions by destination, each with its obstacles to removal and the person it
    concerns in your state's records (``local_person_id``, ``person_name``, ``person_born``: the
    year of birth); ``destination`` (a country code, or ``unknown``) keeps one destination,
    ``ready=true`` the decisions enforceable now, ``name`` those whose person's name holds every
    word of it (in any case). ``identity_review_fields``: the fields of your state's decision that
    its person's identity record, corrected since, now holds otherwise (its destination may need
    review: the decision's read says what and when)."""
    return returns.return_queue(services, principal, destination=destination, ready=ready, name=name, channel="api")


@router.get("/queue.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "The queue as CSV"}})
def queue_csv(destination: str | None = None, ready: bool = False, name: str | None = None,
              services: Services = Svc, principal: Principal = Who) -> Response:
    """``GET /returns/queue`` as CSV, one row per decision: destination_country, id, reference,
    person_id, person_name, person_born, member_state, recognised, nationality, issued_on, status,
    voluntary_departure_last_day, voluntary_departure_ends_on (the last day as the decision's
    suspensions moved it, empty while one lasts), unaccompanied_minor, enforceable_now, obstacles (in words,
    separated by "; "); the filters of ``GET /returns/queue``."""
    day = returns.today_for(services, principal.member_state).isoformat()
    return Response(returns.return_queue_csv(services, principal, destination=destination, ready=ready,
                                             name=name, channel="api"),
                    media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="return-queue-{day}.csv"'})


@router.get("/notifications")
def notifications(
    response: Response,
    limit: int = 100,
    offset: int = 0,
    kind: str | None = None,
    unread: bool = False,
    services: Services = Svc,
    principal: Principal = Who,
) -> list[dict[str, Any]]:
    """Your state's notifications, newest first: one page of ``limit`` (1 to 500, default 100)
    from ``offset``; ``kind`` (hit, hit_message, hit_recognised, hit_not_recognised,
    departure_confirmed, voluntary_departure_expired) and ``unread=true`` narrow them. The header
    ``X-Total-Count`` gives how many the selection holds, ``X-Unread-Count`` how many of those are
    unread."""
    page = returns.notifications_page(services, principal, limit=limit, offset=offset, kind=kind, unread=unread)
    response.headers["X-Total-Count"] = str(page["total"])
    response.headers["X-Unread-Count"] = str(page["unread"])
    return list(page["notifications"])


@router.post("/notifications/read-all")
def notifications_read_all(
    kind: str | None = None, services: Services = Svc, principal: Principal = Who
) -> dict[str, Any]:
    """Mark all your state's unread notifications read (of one ``kind``, if given): ``{"marked": n}``."""
    return returns.mark_notifications_read(services, principal, kind=kind)


@router.post("/notifications/{notification_id}/read")
def notification_read(
    notification_id: str, services: Services = Svc, principal: Principal = Who
) -> dict[str, Any]:
    """Mark one notification read (``read_at``)."""
    return returns.mark_notification_read(services, principal, notification_id)


@router.post("/readmission-requests", status_code=201)
def readmission(
    body: JsonBody[ReadmissionCreate], services: Services = Svc, principal: Principal = Who
) -> dict[str, Any]:
    return returns.request_readmission(services, principal, body)


@router.post("/readmission-requests/{request_id}/answer")
def readmission_answer(
    request_id: str,
    body: JsonBody[ReadmissionAnswer],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    return returns.answer_readmission(services, principal, request_id, body)


@router.post("/operations", status_code=201)
def plan_operation(
    body: JsonBody[OperationCreate], services: Services = Svc, principal: Principal = Who
) -> dict[str, Any]:
    return returns.plan_operation(services, principal, body)


@router.get("/operations")
def list_operations(response: Response, limit: int = returns.LIST_PAGE_DEFAULT, offset: int = 0,
                    services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """The return operations your state organises or takes part in (Frontex: those it supports),
    by planned date. One page of ``limit`` (1–1000, default 200) from ``offset``; the header
    ``X-Total-Count`` counts the list."""
    page = returns.operations_page(services, principal, limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(page["total"])
    return list(page["operations"])


@router.get("/operations/{operation_id}")
def get_operation(operation_id: str, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    return returns.get_operation(services, principal, operation_id, channel="api")


@router.post("/operations/{operation_id}/participants", status_code=201)
def add_participant(
    operation_id: str,
    body: JsonBody[ParticipantCreate],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    return returns.add_participant(services, principal, operation_id, body)


@router.post("/operations/{operation_id}/participants/{participant_id}/outcome")
def participant_outcome(
    operation_id: str,
    participant_id: str,
    body: JsonBody[ParticipantOutcome],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    return returns.record_participant_outcome(services, principal, operation_id, participant_id, body)


@router.post("/operations/{operation_id}/participants/{participant_id}/remove")
def remove_participant(
    operation_id: str,
    participant_id: str,
    body: JsonBody[ParticipantRemoval],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    """Take a selected person off the operation before it flies, with the reason."""
    return returns.remove_participant(services, principal, operation_id, participant_id, body)


@router.get("/operations/{operation_id}/candidates")
def operation_candidates(operation_id: str, services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """The state's open decisions to the operation's destination not on it, with their obstacles."""
    return returns.operation_candidates(services, principal, operation_id, channel="api")


# declared after the participant routes so that "participants" is never taken for an action
@router.post("/operations/{operation_id}/{action}")
def operation_action(
    operation_id: str,
    action: Literal["confirm", "cancel", "complete"],
    body: JsonBody[Versioned],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    return returns.operation_action(services, principal, operation_id, action, body)


@router.post("/avr", status_code=201)
def open_avr(body: JsonBody[AvrCreate], services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    return returns.open_avr(services, principal, body)


@router.get("/avr")
def list_avr(response: Response, limit: int = returns.LIST_PAGE_DEFAULT, offset: int = 0,
             services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """Your state's assisted voluntary return cases, the latest opened first. One page of
    ``limit`` (1–1000, default 200) from ``offset``; the header ``X-Total-Count`` counts the list."""
    page = returns.avr_page(services, principal, limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(page["total"])
    return list(page["cases"])


@router.post("/avr/{avr_id}/departure")
def avr_departure(
    avr_id: str,
    body: JsonBody[AvrDeparture],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    return returns.avr_departed(services, principal, avr_id, body)


@router.post("/avr/{avr_id}/cancel")
def avr_cancel(
    avr_id: str,
    body: JsonBody[VersionedReason],
    services: Services = Svc,
    principal: Principal = Who,
) -> dict[str, Any]:
    return returns.avr_cancel(services, principal, avr_id, body)


@router.get("/stats", response_model=Stats)
def stats(year: int, member_state: str | None = None, services: Services = Svc,
          principal: Principal = Who) -> Stats:
    """Ordered to leave, returned and return rate by state and nationality, as Eurostat counts;
    ``member_state`` (such as ``IT``): that state's figures only, the decisions it issued and the
    returns it carried out (echoed as ``member_state``)."""
    return returns.return_stats(services, principal, year, member_state)


#: The columns of the return statistics as CSV (``GET /api/v1/returns/stats.csv``), one row per
#: state and nationality, as the JSON's ``rows`` (the return rate a fraction, empty where nobody
#: was ordered to leave).
STATS_CSV_COLUMNS = ("year", "member_state", "nationality", "ordered_to_leave", "returned", "return_rate")


def stats_csv(result: Stats) -> str:
    """:func:`pactum.services.returns.return_stats` as CSV with :data:`STATS_CSV_COLUMNS`; the same
    file from the API, the web page's link and ``pactum returns stats --format csv``."""
    return csv_table(STATS_CSV_COLUMNS, [{"year": result.year, **r.model_dump()} for r in result.rows])


def stats_csv_response(result: Stats) -> Response:
    """The statistics as a CSV file to download (the API's and the web page's):
    ``return-statistics-2026.csv``, one state's ``return-statistics-2026-IT.csv``."""
    name = f"return-statistics-{result.year}{'-' + result.member_state if result.member_state else ''}.csv"
    return Response(stats_csv(result), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/stats.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "The statistics as CSV"}})
def stats_as_csv(year: int, member_state: str | None = None, services: Services = Svc,
                 principal: Principal = Who) -> Response:
    """``GET /returns/stats`` as CSV, one row per state and nationality: year, member_state,
    nationality, ordered_to_leave, returned, return_rate (a fraction; empty where nobody was
    ordered to leave); ``member_state`` as there."""
    return stats_csv_response(returns.return_stats(services, principal, year, member_state))
