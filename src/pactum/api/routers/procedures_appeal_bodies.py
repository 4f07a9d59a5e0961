"""The court or tribunal that hears appeals against a Member State's asylum decisions, as its
administrator sets it for the written notice of the decision: :mod:`pactum.services.appeal_bodies`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from pactum.api.deps import current_principal, get_services
from pactum.common.json_types import JsonBody
from pactum.procedures.appeal_body import AppealBodyClear, AppealBodyIn
from pactum.services import appeal_bodies
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

router = APIRouter(tags=["procedures"])
Svc = Annotated[Services, Depends(get_services)]
Who = Annotated[Principal, Depends(current_principal)]


@router.get("/procedures/appeal-bodies", summary="Courts or tribunals of appeal, by state")
def list_appeal_bodies(services: Svc, principal: Who) -> list[dict[str, Any]]:
    """Every state's court or tribunal as set (a state that set none is not listed)."""
    return appeal_bodies.list_all(services, principal)


@router.get("/procedures/appeal-bodies/{member_state}", summary="A state's court or tribunal of appeal")
def get_appeal_body(services: Svc, principal: Who, member_state: str) -> dict[str, Any]:
    """The court or tribunal that hears appeals against the state's decisions on applications, its
    address and how an appeal is lodged, as the decision notice names them; 404 where the state set
    none (the notice then explains the remedy in general terms)."""
    return appeal_bodies.get(services, principal, member_state)


@router.put("/procedures/appeal-bodies/{member_state}", summary="Set a state's court or tribunal of appeal")
def set_appeal_body(services: Svc, principal: Who, member_state: str,
                    body: JsonBody[AppealBodyIn]) -> dict[str, Any]:
    """Set or replace it: the state's administrator only (national law names the body). ``name``,
    ``address`` and ``how_to_lodge`` are required, ``national_law`` optional; replacing one gives
    the ``version`` replaced (409 when stale or not given). Audited with before and after."""
    return appeal_bodies.set_body(services, principal, member_state, body.model_dump())


@router.post("/procedures/appeal-bodies/{member_state}/clear", summary="Clear a state's court or tribunal of appeal")
def clear_appeal_body(services: Svc, principal: Who, member_state: str,
                      body: JsonBody[AppealBodyClear]) -> dict[str, Any]:
    """Clear it (the notice explains the remedy in general terms again), with the ``version`` you
    saw: the state's administrator only. Audited with what it said."""
    return appeal_bodies.clear_body(services, principal, member_state, body.model_dump())
