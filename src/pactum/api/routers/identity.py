"""Identity: online search, multiple-identity links and their verification, biometric templates,
linkage models. Routes are thin: each calls one function of :mod:`pactum.services.identity`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from pactum.api.deps import current_principal, get_services
from pactum.common.json_types import JsonBody
from pactum.identity.schemas import BiometricQuery, SearchQuery, TemplateEnrol
from pactum.services import identity
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

router = APIRouter(prefix="/identity", tags=["identity"])
Svc = Depends(get_services)
Who = Depends(current_principal)


@router.post("/search")
def search(body: JsonBody[SearchQuery], services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """Ranked candidates across the national records and the shared EU components. ``hint`` says
    why records of the name were left uncompared (a name alone is compared only with records that
    hold the same whole name: give a year of birth or a document number), or null."""
    return identity.search(services, principal, body, channel="api")


@router.post("/records/{record_id}/candidates")
def record_candidates(record_id: str, services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """Candidates for one of the principal's records; creates the multiple-identity links."""
    with services.uow() as uow:
        result = identity.search_candidates_for_record(uow, principal, record_id, channel="api")
        uow.commit()
    return result


@router.get("/records/{record_id}/comparison")
def record_comparison(record_id: str, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """The comparison of one of your state's records, which every registration requests: ``status``
    ``pending`` (a registration through the API is answered at once; the ``identity_comparison``
    job compares it), ``compared`` (when, how: ``registration``, ``scheduled`` or ``request``, the
    links it made or found, as they stand, and the candidates it returned) or ``not_requested`` (a
    record registered before comparisons were recorded: ``POST .../candidates`` compares it).
    Another state's candidate is shown where the comparison would return it today, and logged as
    disclosed to you; otherwise ``withheld``. Another state's record: 404."""
    return identity.comparison.comparison_of_record(services, principal, record_id, channel="api")


@router.get("/persons/{person_id}/links")
def person_links(person_id: str, services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """The multiple-identity links of all the records of a person of your state, as they stand
    (nothing is searched or linked), each with its decision; the persons whose identities it shows
    are logged as read."""
    return identity.links_of_person(services, principal, person_id, channel="api")


@router.get("/links/queue")
def queue(services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """Pending yellow links the principal's authority must verify."""
    return identity.verification_queue(services, principal, channel="api")


@router.get("/verification-outcomes")
def verification_outcomes(authority: str | None = Query(None, description="One verifying authority, e.g. IT"),
                          model_version: int | None = Query(
                              None, description="Only links scored by this model version (0: the shipped model)"),
                          services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    """Officers' decisions on yellow links by the match probability the model gave them."""
    return identity.verification_outcomes(services, principal, authority, model_version)


@router.get("/links/{link_id}")
def get_link(link_id: str, services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    return identity.get_link(services, principal, link_id, channel="api")


@router.post("/links/{link_id}/decision")
def decide(link_id: str, body: JsonBody[identity.LinkDecisionRequest], services: Services = Svc,
           principal: Principal = Who) -> dict[str, Any]:
    """Verify a yellow link as white (same person), green (different persons) or red (fraud); or
    revise your authority's decision on a verified link (or a white link made automatically), with
    a reason, at the version read. 409 when the decision contradicts a decided link between the
    same two persons (named in the message), on a stale version, or a revision to the same colour.
    ``apply_to_person_pair: true`` takes the same decision on the other pending links between the
    same two persons that your authority verifies (listed in ``also_decided``), each audited."""
    return identity.decide_link(services, principal, link_id, body,
                                apply_to_person_pair=body.apply_to_person_pair)


@router.post("/templates", status_code=201)
def enrol(body: JsonBody[TemplateEnrol], services: Services = Svc, principal: Principal = Who) -> dict[str, Any]:
    return identity.enrol_template(services, principal, body)


@router.post("/biometric-search")
def biometric_search(body: JsonBody[BiometricQuery], services: Services = Svc,
                     principal: Principal = Who) -> list[dict[str, Any]]:
    return identity.search_biometric(services, principal, body)


@router.get("/models")
def models(services: Services = Svc, principal: Principal = Who) -> list[dict[str, Any]]:
    """Linkage model versions with their match weights per comparison level."""
    return identity.list_models(services, principal)
