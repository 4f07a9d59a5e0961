"""Wiring of the web UI into the ASGI app: origin check for form posts, HTML errors, login redirect."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from pactum.common.errors import plain_message
from pactum.web.render import LoginRequired, login_redirect_url

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class SameOriginMiddleware:
    """Refuse state-changing requests whose Origin (or Referer) names another site (CSRF).

    The session cookie is also SameSite=Lax, so browsers do not send it on cross-site posts; this
    check is the second line (OWASP: verifying origin with standard headers). Bearer-token API
    clients send neither header and are not affected. A plain ASGI middleware: Starlette's
    BaseHTTPMiddleware ran every request through extra tasks and streams (a tenth of the server's
    CPU per API request).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            headers = Headers(scope=scope)
            origin = headers.get("origin") or headers.get("referer")
            if origin and origin != "null":
                host = urlsplit(origin).netloc
                if host and host != headers.get("host"):
                    response = JSONResponse(status_code=403,
                                            content={"detail": "cross-site request refused"})
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    app.add_middleware(SameOriginMiddleware)

    @app.exception_handler(LoginRequired)
    async def _login(_: Request, exc: LoginRequired) -> RedirectResponse:
        return RedirectResponse(login_redirect_url(exc.next_url), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        """A page that does not exist (or a method a page does not take) answers as a page in a
        browser; the API keeps FastAPI's JSON answer."""
        if request.url.path.startswith("/api/") or request.url.path == "/health":
            return await http_exception_handler(request, exc)
        from pactum.web.render import render, web_principal_or_none

        message = {404: "There is no such page.", 405: "This page does not take that request."}.get(
            exc.status_code, str(exc.detail))
        page = render(request, "error.html", {"status": exc.status_code, "message": message},
                      principal=web_principal_or_none(request), status_code=exc.status_code)
        page.headers.update(exc.headers or {})
        return page

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/health":
            return JSONResponse(status_code=422, content={"detail": _errors(exc)})
        page = await _refused_form_page(request, exc)
        if page is not None:
            return page
        from pactum.web.render import render

        return render(request, "error.html", {"status": 422, "message": "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())},
            status_code=422)


async def _refused_form_page(request: Request, exc: RequestValidationError) -> Response | None:
    """A web form refused before its view ran (a field holding the NUL character), shown again on
    the page registered for its view (:func:`pactum.web.forms.refused_form_page`), with what was
    typed and each field's problem; None (the error page) when the view registered none, the
    request is not a form post, or a problem lies outside the form (the path or the query)."""
    from pactum.web.forms import refused_page_of, typed_text

    registered = refused_page_of(request.scope.get("endpoint"))
    errors = exc.errors()
    if registered is None or request.method != "POST" or not errors or any(
            not e.get("loc") or e["loc"][0] != "body" for e in errors):
        return None
    from starlette.concurrency import run_in_threadpool

    from pactum.common.errors import PactumError, ValidationProblem
    from pactum.web.render import web_principal_or_none

    page, anonymous = registered
    principal = web_principal_or_none(request)
    if principal is None and not anonymous:
        return None
    form = await request.form()  # parsed already by the check that refused it: not read twice
    problem = ValidationProblem([(".".join(str(p) for p in e["loc"][1:]), str(e["msg"])) for e in errors])
    services = request.app.state.services
    try:
        response: Response = await run_in_threadpool(page, request, services, principal, typed_text(form), problem,
                                                     **request.path_params)
    except PactumError:  # the page itself is refused (not found, not allowed): the error page says why
        return None
    response.status_code = 422
    return response


def _errors(exc: RequestValidationError) -> list[dict[str, object]]:
    out = []
    for e in exc.errors():
        item = {k: e[k] for k in ("loc", "msg", "type") if k in e}
        if isinstance(item.get("msg"), str):
            item["msg"] = plain_message(str(item["msg"]))
        out.append(item)
    return out
