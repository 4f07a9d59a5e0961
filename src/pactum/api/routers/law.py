"""Law as code: legal time limits under Reg. 1182/71 and the parameters in force on a date."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from pactum.api.deps import current_principal
from pactum.common.json_types import JsonBody
from pactum.law import TimeLimitRequest, TimeLimitResult
from pactum.services import law
from pactum.services.auth import Principal
from pactum.services.law import ParameterHistoryPublic, ParametersPublic

router = APIRouter(tags=["law"])


@router.post("/law/time-limits", response_model=TimeLimitResult)
def time_limits(body: JsonBody[TimeLimitRequest], principal: Principal = Depends(current_principal)) -> TimeLimitResult:
    """Compute a legal time limit: regime, start, end, legal basis and every step in words."""
    return law.compute_time_limit(principal, body)


@router.get("/law/parameters", response_model=ParametersPublic)
def parameters(on: str = Query(..., description="YYYY-MM-DD"), prefix: str | None = None,
               principal: Principal = Depends(current_principal)) -> ParametersPublic:
    """Every legal parameter in force on ``on``, with its reference (optionally under a path prefix)."""
    return law.parameters_on(principal, on, prefix)


@router.get("/law/parameters/{path}", response_model=ParameterHistoryPublic)
def parameter(path: str, principal: Principal = Depends(current_principal)) -> ParameterHistoryPublic:
    """Every dated value of one parameter (e.g. ``apr.border_procedure.annual_maximum_multiplier``)."""
    return law.parameter_history(principal, path)


@router.get("/law/time-limit-kinds")
def time_limit_kinds(principal: Principal = Depends(current_principal)) -> list[dict[str, Any]]:
    """The kinds of time limit ``POST /law/time-limits`` knows, with their variants."""
    return law.time_limit_kinds()
