"""Registration of arrivals, persons, search and screening."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header
from fastapi.responses import Response

from pactum.api.deps import current_principal, get_services
from pactum.registry.model import RegisterArrival, RegistrationPublic, ScreeningForm, ScreeningPublic
from pactum.services import registry
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

router = APIRouter(tags=["registry"])


@router.post("/registry/arrivals", response_model=RegistrationPublic, status_code=201)
def register_arrival(
    body: RegisterArrival,
    idempotency_key: str | None = Header(default=None, max_length=120),
    services: Services = Depends(get_services),
    principal: Principal = Depends(current_principal),
) -> Response:
    """Register an arrival; the same ``Idempotency-Key`` returns the first result, writes nothing."""
    # the service's JSON text is the RegistrationPublic document (also what the key keeps)
    return Response(registry.register_arrival_json(services, principal, body, idempotency_key),
                    status_code=201, media_type="application/json")


@router.get("/registry/persons/{person_id}")
def person(person_id: str, services: Services = Depends(get_services),
           principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    return registry.person_view(services, principal, person_id)


@router.get("/registry/search")
def search(name: str = "", date_of_birth: str = "", services: Services = Depends(get_services),
           principal: Principal = Depends(current_principal)) -> list[dict[str, Any]]:
    return registry.search_persons(services, principal, name=name, date_of_birth=date_of_birth)


@router.get("/registry/screenings/due")
def screenings_due(services: Services = Depends(get_services),
                   principal: Principal = Depends(current_principal)) -> list[dict[str, Any]]:
    return registry.screenings_due(services, principal, limit=200)


@router.get("/registry/screenings/{screening_id}", response_model=ScreeningPublic)
def get_screening(screening_id: str, services: Services = Depends(get_services),
                  principal: Principal = Depends(current_principal)) -> ScreeningPublic:
    return registry.get_screening(services, principal, screening_id)


@router.patch("/registry/screenings/{screening_id}", response_model=ScreeningPublic)
def update_screening(screening_id: str, body: ScreeningForm,
                     services: Services = Depends(get_services),
                     principal: Principal = Depends(current_principal)) -> ScreeningPublic:
    return registry.update_screening(services, principal, screening_id, body)
