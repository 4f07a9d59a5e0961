"""Translate domain errors into HTTP answers: JSON with a message per field on the API, an error
page (or the login page) in the web UI."""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from pactum.common.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PactumError,
    TooManyAttempts,
    Unauthenticated,
    ValidationProblem,
)

_STATUS: dict[type[PactumError], int] = {
    ValidationProblem: 422,
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    Unauthenticated: 401,
    TooManyAttempts: 429,
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/health"


def _source(request: Request, field: str) -> str:
    """Where a field the services refused came from, as FastAPI's own errors say it: a query
    parameter (``?year=``), a path parameter, or the body."""
    if field in request.query_params:
        return "query"
    if field in request.path_params:
        return "path"
    return "body"


_INDEX = re.compile(r"\[(\d+)\]")


def field_location(field: str) -> list[str | int]:
    """A field the services named (``applicants[0].links[1].kind``, ``changes.tranches.0.on``) as
    the path FastAPI's own errors give: keys as strings, list positions as numbers
    (``["applicants", 0, "links", 1, "kind"]``), so a client reads every 422 the same way."""
    out: list[str | int] = []
    for part in field.split("."):
        name, _, rest = part.partition("[")
        if name:
            out.append(int(name) if name.isdigit() else name)
        out.extend(int(i) for i in _INDEX.findall("[" + rest if rest else ""))
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(PactumError)
    async def _domain(request: Request, exc: PactumError) -> Response:
        status = next((s for t, s in _STATUS.items() if isinstance(exc, t)), 400)
        if _is_api(request):
            if isinstance(exc, ValidationProblem):
                return JSONResponse(status_code=422, content={"detail": [
                    {"loc": [_source(request, field), *field_location(field)], "msg": message,
                     "type": "value_error"}
                    for field, message in exc.problems]})
            headers = ({"WWW-Authenticate": "Bearer"} if status == 401
                       else {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts)
                       else None)
            return JSONResponse(status_code=status, content={"detail": str(exc) or "not found"},
                                headers=headers)
        if status == 401:
            from pactum.web.render import login_redirect_url

            return RedirectResponse(login_redirect_url(request.url.path), status_code=303)
        from pactum.services.auth import RoleRequired
        from pactum.web.render import field_label, plain_text, render, web_principal_or_none

        message = ("; ".join(f"{field_label(f)}: {plain_text(m)}" if f else plain_text(m) for f, m in exc.problems)
                   if isinstance(exc, ValidationProblem)
                   else exc.in_words() if isinstance(exc, RoleRequired) else str(exc))
        return render(request, "error.html", {"status": status, "message": message},
                      principal=web_principal_or_none(request), status_code=status)
