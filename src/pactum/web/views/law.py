"""Law pages: the legal parameters in force on a chosen date, and a time-limit calculator."""

from __future__ import annotations

from datetime import date
from itertools import groupby
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from pactum.common.errors import ValidationProblem
from pactum.law import TimeLimitRequest
from pactum.services import law
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.web.forms import refused_form_page
from pactum.web.render import NavItem, by_field, field_label, field_problems, problems, render, web_principal

router = APIRouter()
NAV = [NavItem("Legal parameters", "/law/parameters", set(), order=90),
       NavItem("Time limits", "/law/time-limits", set(), order=91)]
Who = Depends(web_principal)


@router.get("/law/parameters", response_class=HTMLResponse)
def parameters_page(request: Request, on: str = "", prefix: str = "", principal: Principal = Who) -> HTMLResponse:
    chosen = on or principal_today(request)
    try:
        result = law.parameters_on(principal, chosen, prefix or None)
    except ValidationProblem as exc:
        return render(request, "law/parameters.html", {"on": chosen, "prefix": prefix, "groups": [],
                                                       "count": 0, "problems": problems(exc)},
                      principal=principal, status_code=422)
    groups = [(name, list(items)) for name, items in groupby(result.parameters, key=lambda p: p.instrument_file)]
    return render(request, "law/parameters.html", {"on": result.on.isoformat(), "prefix": prefix,
                                                   "groups": groups, "count": result.count, "problems": []},
                  principal=principal)


@router.get("/law/parameters/{path}", response_class=HTMLResponse)
def parameter_page(request: Request, path: str, principal: Principal = Who) -> HTMLResponse:
    return render(request, "law/parameter.html", {"p": law.parameter_history(principal, path)},
                  principal=principal)


def principal_today(request: Request) -> str:
    """The date shown by default: today by the platform clock (the user picks any other date)."""
    today: date = request.app.state.services.clock.today()
    return today.isoformat()


def _form_context(values: dict[str, Any], result: Any = None, problems: list[str] | None = None,
                  by_field: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"kinds": law.time_limit_kinds(), "values": values, "result": result, "problems": problems or [],
            "by_field": by_field or {}}


def _by_field(exc: Exception) -> dict[str, list[str]]:
    """Each refused field's messages, in words a reader of the form understands, to be said next
    to the field."""
    return by_field(field_problems(exc))


def _summary(by_field: dict[str, list[str]]) -> list[str]:
    return [f"{field_label(field)}: {m}" if field else m for field, ms in by_field.items() for m in ms]


@router.get("/law/time-limits", response_class=HTMLResponse)
def time_limit_form(request: Request, principal: Principal = Who) -> HTMLResponse:
    return render(request, "law/time_limits.html", _form_context({"member_state": principal.member_state or ""}),
                  principal=principal)


def _compute_refused(request: Request, services: Services, principal: Principal, typed: Any,
                     problem: ValidationProblem) -> HTMLResponse:
    fields = _by_field(problem)
    return render(request, "law/time_limits.html", _form_context(dict(typed), problems=_summary(fields), by_field=fields),
                  principal=principal, status_code=422)


@router.post("/law/time-limits", response_class=HTMLResponse)
@refused_form_page(_compute_refused)
async def time_limit_compute(request: Request, principal: Principal = Who) -> HTMLResponse:
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    data: dict[str, Any] = {
        "kind": values.get("kind", ""), "event_at": values.get("event_at", ""),
        "member_state": values.get("member_state", ""),
        "application_registered_on": values.get("application_registered_on") or None,
        "application_made_on": values.get("application_made_on") or None,
        "application_lodged_on": values.get("application_lodged_on") or None,
        "eurodac_hit": values.get("eurodac_hit") == "on", "detained": values.get("detained") == "on",
        "detained_on": values.get("detained_on") or None,
        "variant": values.get("variant") or None,
    }
    try:
        result = law.compute_time_limit(principal, TimeLimitRequest.model_validate(data))
    except (ValidationError, ValidationProblem) as exc:
        fields = _by_field(exc)
        return render(request, "law/time_limits.html", _form_context(values, problems=_summary(fields), by_field=fields),
                      principal=principal, status_code=422)
    return render(request, "law/time_limits.html", _form_context(values, result=result), principal=principal)
