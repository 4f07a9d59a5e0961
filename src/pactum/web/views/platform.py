"""Login, logout, the dashboard, user administration and the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from pactum.api.deps import SESSION_COOKIE, get_services
from pactum.common.errors import Unauthenticated, ValidationProblem
from pactum.common.states import EU_BODIES, MEMBER_STATES
from pactum.services import audit as audit_service
from pactum.services import registry, users
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.web.forms import refused_form_page
from pactum.web.render import NavItem, problems, render, web_principal

router = APIRouter()
NAV = [
    NavItem("Dashboard", "/", order=0),
    NavItem("Users", "/admin/users", {Role.admin}, order=90),
    NavItem("Audit", "/audit", {Role.auditor, Role.admin}, order=91),
]


def _safe_next(next_url: str) -> str:
    return next_url if next_url.startswith("/") and not next_url.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next_url": _safe_next(next)})


def _login_refused(request: Request, services: Services, principal: Principal | None, typed: Mapping[str, str],
                   problem: ValidationProblem) -> Response:
    """The login form again, saying which field is wrong and keeping the username (not the password)."""
    return render(request, "login.html", {"error": "; ".join(problems(problem)), "username": typed.get("username", ""),
                                          "next_url": _safe_next(typed.get("next", "/"))}, status_code=422)


@router.post("/login")
@refused_form_page(_login_refused, anonymous=True)
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
    services: Services = Depends(get_services),
) -> Response:
    try:
        principal = users.authenticate(services, username, password)
    except Unauthenticated as exc:
        return render(request, "login.html", {"error": str(exc), "next_url": _safe_next(next),
                                              "username": username}, status_code=401)
    token = users.open_session(services, principal, "web")
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=services.settings.secure_cookies,
                        max_age=services.settings.session_hours * 3600)
    return response


@router.post("/logout")
def logout(request: Request, services: Services = Depends(get_services)) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        users.close_session(services, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def arrivals_spec(rows: list[dict[str, object]]) -> dict[str, object]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container", "height": 240,
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "month", "type": "temporal", "title": "Month"},
            "y": {"field": "n", "type": "quantitative", "title": "Encounters"},
            "color": {"field": "route", "type": "nominal", "title": "Route"},
            "tooltip": [{"field": "month"}, {"field": "route"}, {"field": "n", "title": "Encounters"}],
        },
    }


@router.get("/")
def dashboard(request: Request, services: Services = Depends(get_services),
              principal: Principal = Depends(web_principal)) -> Response:
    arrivals: list[dict[str, object]] = []
    if principal.has(Role.caseworker, Role.dublin_unit, Role.return_officer, Role.admin, Role.analyst):
        arrivals = registry.arrivals_by_route_month(services, principal)
    screenings = None
    if principal.member_state and principal.has(Role.caseworker, Role.admin, Role.dublin_unit,
                                                Role.return_officer):
        screenings = registry.screenings_due(services, principal, limit=15)
    return render(request, "dashboard.html", {
        "arrivals": arrivals, "arrivals_spec": arrivals_spec(arrivals), "screenings": screenings,
    }, principal=principal)


@router.get("/admin/users")
def users_page(request: Request, services: Services = Depends(get_services),
               principal: Principal = Depends(web_principal)) -> Response:
    return _users_page(request, services, principal)


def _users_page(request: Request, services: Services, principal: Principal, *,
                error: str | None = None, status_code: int = 200, submitted: dict[str, Any] | None = None) -> Response:
    """The users; after a refused creation the new-user form keeps what was typed (``submitted``,
    without the password)."""
    authorities = ([principal.authority] if principal.authority != "EU-LISA"
                   else list(MEMBER_STATES) + list(EU_BODIES))
    return render(request, "admin/users.html", {
        "users": users.list_users(services, principal), "roles": list(Role),
        "authorities": authorities, "error": error, "submitted": submitted or {},
    }, principal=principal, status_code=status_code)


def _create_refused(request: Request, services: Services, principal: Principal, form: Any,
                    problem: Exception) -> Response:
    """The users page again, the new-user form keeping what was typed (not the password)."""
    typed = {"username": str(form.get("username", "")), "full_name": str(form.get("full_name", "")),
             "authority": str(form.get("authority", "")), "roles": form.getlist("roles")}
    return _users_page(request, services, principal, error="; ".join(problems(problem)), status_code=422,
                       submitted=typed)


@router.post("/admin/users")
@refused_form_page(_create_refused)
async def create_user(request: Request, services: Services = Depends(get_services),
                      principal: Principal = Depends(web_principal)) -> Response:
    form = await request.form()
    try:
        # the roles as sent: the model names an unknown one (roles.0: Input should be ...)
        data = users.UserCreate.model_validate({
            "username": str(form.get("username", "")), "full_name": str(form.get("full_name", "")),
            "authority": str(form.get("authority", "")), "password": str(form.get("password", "")),
            "roles": form.getlist("roles"),
        })
        users.create_user(services, principal, data)
    except (ValidationError, ValidationProblem) as exc:
        return _create_refused(request, services, principal, form, exc)
    return RedirectResponse("/admin/users", status_code=303)


def _update_refused(request: Request, services: Services, principal: Principal, typed: Any,
                    problem: ValidationProblem, user_id: str) -> Response:
    return _users_page(request, services, principal, error="; ".join(problems(problem)), status_code=422)


@router.post("/admin/users/{user_id}")
@refused_form_page(_update_refused)
async def update_user(user_id: str, request: Request, services: Services = Depends(get_services),
                      principal: Principal = Depends(web_principal)) -> Response:
    form = await request.form()
    try:
        data = users.UserUpdate.model_validate({
            "version": form.get("version"), "roles": form.getlist("roles") or None,
            "active": form.get("active") == "on",
        })
        users.update_user(services, principal, user_id, data)
    except (ValidationError, ValidationProblem) as exc:
        return _users_page(request, services, principal, error="; ".join(problems(exc)), status_code=422)
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/audit")
def audit_page(request: Request, services: Services = Depends(get_services),
               principal: Principal = Depends(web_principal)) -> Response:
    entries = audit_service.recent_entries(services, principal, limit=200)
    check = audit_service.verify_store(services)
    return render(request, "admin/audit.html", {"entries": entries, "check": check},
                  principal=principal)
