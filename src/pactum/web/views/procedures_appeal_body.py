"""The court or tribunal that hears appeals against a state's asylum decisions
(``/procedures/appeal-body``): what the decision notice names, and for the state's administrator
the form to set, replace or clear it (:mod:`pactum.services.appeal_bodies`; ``PUT`` and
``POST …/clear`` of ``/api/v1/procedures/appeal-bodies/{member_state}``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from pactum.api.deps import get_services
from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.procedures import appeal_body as rules
from pactum.services import appeal_bodies
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.web.forms import refused_form_page, typed_text
from pactum.web.render import NavItem, Problem, by_field, field_problems, render, web_principal

router = APIRouter()
Svc = Depends(get_services)
Who = Depends(web_principal)
NAV = [NavItem("Court of appeal", "/procedures/appeal-body", {Role.admin}, order=34)]
FIELDS = ("name", "address", "how_to_lodge", "national_law")
LABELS = {"name": "Court or tribunal", "address": "Address", "how_to_lodge": "How an appeal is lodged",
          "national_law": "National provision that designates it", "version": "Version"}


def _page(request: Request, services: Services, principal: Principal, values: Mapping[str, Any],
          fields: dict[str, list[str]], status: int, said: str = "") -> Response:
    ms = principal.member_state
    mine = appeal_bodies.find(services, principal, ms) if ms else None
    others = [] if ms else appeal_bodies.list_all(services, principal)
    if not values and mine:
        values = {**{k: mine.get(k) or "" for k in FIELDS}, "version": mine["version"]}
    problems = [Problem(f"{LABELS.get(name, name)}: {m}", name) if name else m
                for name, ms_ in fields.items() for m in ms_]
    return render(request, "procedures/appeal_body.html", {
        "ms": ms, "mine": mine, "others": others, "may_set": bool(ms) and appeal_bodies.may_set(principal, ms or ""),
        "values": values, "by_field": fields, "problems": problems, "said": said, "labels": LABELS,
        "limits": {"name": rules.NAME_MAX, "address": rules.ADDRESS_MAX, "how_to_lodge": rules.HOW_TO_LODGE_MAX,
                   "national_law": rules.NATIONAL_LAW_MAX}}, principal=principal, status_code=status)


@router.get("/procedures/appeal-body")
def appeal_body_page(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    said = {"set": "Saved: decision notices now name this court or tribunal.",
            "cleared": "Cleared: decision notices explain the remedy in general terms again."}.get(
        request.query_params.get("done", ""), "")
    return _page(request, services, principal, {}, {}, 200, said)


def _version(typed: Mapping[str, Any]) -> int | None:
    raw = str(typed.get("version") or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 10:
        raise ValidationProblem.one("version", "the version shown with the setting (a whole number); reload the page")
    return int(raw)


def _refused(request: Request, services: Services, principal: Principal, typed: Any,
             problem: ValidationProblem) -> Response:
    return _page(request, services, principal, dict(typed), by_field(field_problems(problem)), 422)


@router.post("/procedures/appeal-body")
@refused_form_page(_refused)
async def set_appeal_body(request: Request, services: Services = Svc, principal: Principal = Who) -> Response:
    typed = typed_text(await request.form())
    ms = principal.member_state
    if ms is None:  # an EU body's user: national law names the body, the state's administrator sets it
        raise Forbidden("a state's court or tribunal of appeal is set by that state's administrator")
    try:
        version = _version(typed)
        if typed.get("do") == "clear":
            appeal_bodies.clear_body(services, principal, ms, {"version": version})
            done = "cleared"
        else:
            appeal_bodies.set_body(services, principal, ms, {**{k: typed.get(k) for k in FIELDS}, "version": version})
            done = "set"
    except ValidationProblem as exc:
        return _page(request, services, principal, dict(typed), by_field(field_problems(exc)), 422)
    except (Conflict, NotFound) as exc:
        return _page(request, services, principal, dict(typed), {"": [str(exc)]}, 409)
    return RedirectResponse(f"/procedures/appeal-body?{urlencode({'done': done})}#done", status_code=303)
