"""Registration of arrivals, persons, search and screening."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from pactum.api.deps import async_store, bearer, current_principal, get_services, nul_errors_in_json
from pactum.common.errors import ValidationProblem
from pactum.common.json_types import JsonBody, strict_model
from pactum.registry.model import (
    CaptureRecord,
    EurodacErasure,
    RecordCorrection,
    RegisterArrival,
    RegistrationPublic,
    ScreeningForm,
    ScreeningPublic,
    TransmissionRecord,
)
from pactum.services import record_corrections, registry
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.services.uow import AsyncStore

router = APIRouter(tags=["registry"])

IDEMPOTENCY_KEY_MAX = 120
_KEY_FIELD = "idempotency-key"
#: The body as ``JsonBody[RegisterArrival]`` validates it (JSON's own types, no conversion): this
#: route validates its body itself.
_ARRIVAL = strict_model(RegisterArrival)


async def register_arrival(
    body: JsonBody[RegisterArrival],
    idempotency_key: str | None = Header(default=None, max_length=IDEMPOTENCY_KEY_MAX),
    services: Services = Depends(get_services),
    principal: Principal = Depends(current_principal),
    store: AsyncStore | None = Depends(async_store),
) -> Response:
    """Register an arrival; the same ``Idempotency-Key`` with the same arrival returns the first
    result and writes nothing; the key sent with another arrival is refused (422 naming the
    header ``idempotency-key``)."""
    try:
        if store is not None:  # PostgreSQL in a served process: on the event loop
            text = await registry.register_arrival_json_async(services, store, principal, body,
                                                              idempotency_key)
        else:
            text = await run_in_threadpool(registry.register_arrival_json, services, principal, body,
                                           idempotency_key)
    except ValidationProblem as exc:
        if [field for field, _ in exc.problems] != [_KEY_FIELD]:
            raise
        # the key is a header: named where it came from, as FastAPI names a header's problem
        raise RequestValidationError([{"type": "value_error", "loc": ("header", _KEY_FIELD),
                                       "msg": exc.problems[0][1], "input": idempotency_key}]) from exc
    # the service's JSON text is the RegistrationPublic document (also what the key keeps)
    return Response(text, status_code=201, media_type="application/json")


async def _register_arrival_request(request: Request) -> Response:
    """``register_arrival`` for one request, its parameters read as FastAPI would read them.

    The same checks in the same order and the same errors (401 without a valid token, 422 naming
    each field), with the body validated by one ``model_validate_json`` call and no dependency
    solving: this is the route every registering officer's client calls, the platform's busiest.
    """
    services: Services = await get_services(request)
    principal = await current_principal(request, await bearer(request), services)
    errors: list[Any] = []
    key = request.headers.get("idempotency-key")
    if key is not None and len(key) > IDEMPOTENCY_KEY_MAX:
        errors.append({
            "type": "string_too_long", "loc": ("header", "idempotency-key"),
            "msg": f"String should have at most {IDEMPOTENCY_KEY_MAX} characters", "input": key,
            "ctx": {"max_length": IDEMPOTENCY_KEY_MAX}})
    raw = await request.body()
    body: RegisterArrival | None = None
    if raw and _is_json(request.headers.get("content-type")):
        try:
            body = _ARRIVAL.model_validate_json(raw)
        except ValidationError:
            errors += _body_errors(raw, as_json=True)
        errors += nul_errors_in_json(raw)  # the app's reject_nul_characters, which this route skips
    else:
        errors += _body_errors(raw, as_json=False)
    if errors or body is None:
        raise RequestValidationError(errors)
    return await register_arrival(body, key, services, principal, await async_store(request))


def _is_json(content_type: str | None) -> bool:
    """FastAPI reads a body as JSON for ``application/json`` and ``application/*+json``."""
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def _body_errors(raw: bytes, *, as_json: bool) -> list[Any]:
    """The body's problems exactly as FastAPI reports them (only for a refused body, so the
    slower way is fine): no body, JSON that does not parse (with its position), or the model's
    own errors of the decoded body (of the raw bytes when the content type is not JSON)."""
    if not raw:
        return [{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}]
    value: Any = raw
    if as_json:
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            return [{"type": "json_invalid", "loc": ("body", exc.pos), "msg": "JSON decode error",
                     "input": {}, "ctx": {"error": exc.msg}}]
    try:
        _ARRIVAL.model_validate(value, from_attributes=True)  # as FastAPI validates a body
    except ValidationError as exc:
        return [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
    # accepted as Python data but not as JSON text (not seen): pydantic's JSON errors
    try:
        _ARRIVAL.model_validate_json(raw)
    except ValidationError as exc:
        return [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
    return []


class _RegistrationRoute(APIRoute):
    """The OpenAPI description comes from ``register_arrival``'s signature as usual; requests are
    handled by ``_register_arrival_request`` (FastAPI's documented hook for a custom route), which
    calls the dependencies itself: ``app.dependency_overrides`` do not apply to this route."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        return _register_arrival_request


router.add_api_route("/registry/arrivals", register_arrival, methods=["POST"],
                     response_model=RegistrationPublic, status_code=201,
                     route_class_override=_RegistrationRoute)


@router.get("/registry/persons/{person_id}")
def person(person_id: str, services: Services = Depends(get_services),
           principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    return registry.person_view(services, principal, person_id, channel="api")


@router.get("/registry/search")
def search(response: Response, name: str = "", date_of_birth: str = "", limit: int = registry.SEARCH_PAGE,
           offset: int = 0, services: Services = Depends(get_services),
           principal: Principal = Depends(current_principal)) -> list[dict[str, Any]]:
    """The state's identity records whose names hold every word of ``name`` (any script) and whose
    date of birth can be ``date_of_birth`` (YYYY, YYYY-MM or YYYY-MM-DD), in name order: one page
    of ``limit`` (1 to 500, default 50) from ``offset``. The header ``X-Total-Count`` gives how
    many records match in all, ``X-Person-Count`` of how many persons: a list shorter than the
    total is a page, not every match."""
    page = registry.search_persons_page(services, principal, name=name, date_of_birth=date_of_birth,
                                        limit=limit, offset=offset, channel="api")
    response.headers["X-Total-Count"] = str(page["total"])
    response.headers["X-Person-Count"] = str(page["persons"])
    return list(page["rows"])


@router.get("/registry/screenings/due")
def screenings_due(services: Services = Depends(get_services),
                   principal: Principal = Depends(current_principal)) -> list[dict[str, Any]]:
    return registry.screenings_due(services, principal, limit=200)


@router.get("/registry/screenings/{screening_id}", response_model=ScreeningPublic)
def get_screening(screening_id: str, services: Services = Depends(get_services),
                  principal: Principal = Depends(current_principal)) -> ScreeningPublic:
    return registry.get_screening(services, principal, screening_id, channel="api")


@router.patch("/registry/screenings/{screening_id}", response_model=ScreeningPublic)
def update_screening(screening_id: str, body: JsonBody[ScreeningForm],
                     services: Services = Depends(get_services),
                     principal: Principal = Depends(current_principal)) -> ScreeningPublic:
    return registry.update_screening(services, principal, screening_id, body)


@router.post("/registry/records/{record_id}/capture")
def record_capture(record_id: str, body: JsonBody[CaptureRecord],
                   services: Services = Depends(get_services),
                   principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    """Record the biometric capture of one of your state's registrations stored in Eurodac that was
    registered without a capture time (``{"template_ref": "tpl-1", "captured_at":
    "2026-11-27T12:00:00Z"}``), as a caseworker of its state; its transmission can then be recorded
    (``/transmission``). The 72-hour transmission limit still runs from the encounter (Regulation
    (EU) 2024/1358, Articles 15(1)(a), 22(2), 23(2), 24(2)): the answer gives it
    (``transmission_deadline``), and the ``retention_until`` counted, until the transmission is
    recorded, from the day of the capture, with its ``legal_basis`` and ``computation``. 422 at
    ``["body", "captured_at"]`` for a moment in the future or before the encounter, at ``["body",
    "template_ref"]`` for a blank reference; 409 when a capture is already recorded; 404 for a record
    of another state or without biometric data stored in Eurodac."""
    return registry.record_capture(services, principal, record_id, template_ref=body.template_ref,
                                   captured_at=body.captured_at)


@router.post("/registry/records/{record_id}/transmission")
def record_transmission(record_id: str, body: JsonBody[TransmissionRecord],
                        services: Services = Depends(get_services),
                        principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    """Record when the biometric data of one of your state's registrations were transmitted to
    Eurodac, where the registration did not say (``{"transmitted_at": "2026-11-22T10:00:00Z"}``), as
    a caseworker of its state. Under Regulation (EU) 2024/1358 the storage period runs from the
    transmission (Article 29): the answer gives the new ``retention_until`` with its
    ``legal_basis`` and ``computation``, and whether the 72 hours were met
    (``transmission_met``). 422 at ``["body", "transmitted_at"]`` for a moment in the future or
    before the capture; 409 when a transmission is already recorded, or when the capture is not
    recorded yet (``/capture`` first); 404 for a record of another state or without biometric data
    stored in Eurodac."""
    return registry.record_transmission(services, principal, record_id, transmitted_at=body.transmitted_at)


@router.post("/registry/records/{record_id}/corrections")
def correct_record(record_id: str, body: JsonBody[RecordCorrection],
                   services: Services = Depends(get_services),
                   principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    """Correct the identity data of one of your state's records (rectification: Regulation (EU)
    2016/679, Article 16; Regulation (EU) 2024/1358, Article 40(3)), as a caseworker of its state:
    ``changes`` holds the fields to correct (checked as a registration checks them, each problem a
    422 at ``["body", "changes", field]``; a correction that changes nothing is refused), ``reason``
    why. Answers the corrected ``record``, what ``changed`` and the ``comparison`` made with the
    corrected data: its ``candidates`` and the links it made (``links_made``; yellow ones wait in
    the verification queue). The links the record had stay. 404 for another state's record.

    ``also_records``: the person's other records of your state to correct with it (an applicant's
    record copied from it when the application was recorded in Eurodac), in the same unit of work,
    all or none: each gets the same changes (a field already holding the new value stays), its own
    version, audit entry and comparison, and is answered in ``also_corrected`` (its ``record``,
    ``changed``, ``warnings`` and ``comparison``). 422 at ``["body", "also_records", i]`` for a
    record of another person or state, or one on which nothing would change; nothing is written.

    Your state's active SIS return alerts entered from a record corrected are corrected with it
    (Regulation (EU) 2018/1861, Article 44(1) and (3)) and answered in ``alerts_corrected`` (each
    alert's ``alert_id``, ``decision_reference``, ``identity_record_id``, the alert fields ``changed``
    and the states told on their hits, ``hits_informed``, whose hits stay as recorded). Another
    state's alerts on the person that your hits show you are that state's to correct:
    ``other_states_alerts`` (``issuing_member_state``, ``decision_reference``, ``hit_id``,
    ``what_to_do``)."""
    return record_corrections.correct_record(services, principal, record_id, body.changes, body.reason,
                                             version=body.version, also_records=body.also_records,
                                             channel="api")


@router.post("/registry/eurodac/{eurodac_record_id}/erase")
def erase_eurodac_record(eurodac_record_id: str, body: JsonBody[EurodacErasure],
                         services: Services = Depends(get_services),
                         principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    """Erase one of your state's Eurodac records recorded in error (data factually inaccurate or
    recorded unlawfully), before its storage period ends, as a caseworker of the Member State of
    origin, which alone erases the data it transmitted (Regulation (EU) 2024/1358, Article 40(3),
    40(5) and 43(4)): ``{"reason": "Fingerprints of another applicant"}``. The record is kept, marked
    erased; its capture, biometric templates and shared search key are deleted, and other states'
    comparisons no longer find it; the identity record stays your state's national record. The answer
    gives the record's ``id``, ``identity_record_id``, ``person_id``, ``category``, ``erased_at``,
    ``templates_deleted``, the ``reason``, the ``legal_basis`` and ``written_confirmation`` (your state
    confirms the erasure in writing to the person, Article 43(4); Pactum sends nothing). A Union
    resettlement record that is a resettlement case's transmission is erased too, and the case reads it
    as erased (``resettlement``). 422 at ``["body", "reason"]`` for a blank reason; 404 for another
    state's record; 403 for a user who does not record your state's Eurodac data; 409 for a record
    already erased. Audited (``eurodac.erased``)."""
    return registry.erase_record_in_error(services, principal, eurodac_record_id, reason=body.reason,
                                          channel="api")
