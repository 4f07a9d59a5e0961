"""Wiring of the web UI into the ASGI app: origin check for form posts, security headers, HTML
errors, login redirect."""

from __future__ import annotations

from typing import Any
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
            # "null" is the origin of a sandboxed frame or a data: page: never this site's own
            # form, so refused where a session cookie would act (an API token needs no origin)
            opaque = origin == "null" and "authorization" not in headers
            if origin and (opaque or origin != "null"):
                host = None if opaque else urlsplit(origin).netloc
                if opaque or (host and host != headers.get("host")):
                    response = JSONResponse(status_code=403,
                                            content={"detail": "cross-site request refused"})
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


#: Sent with every answer. The pages load scripts and styles from this site only (no inline
#: script; Vega compiles chart expressions with Function, hence 'unsafe-eval'; a few inline style
#: attributes); no site may frame them; nothing with personal data is kept in a cache; a link
#: followed from a page does not carry its query (which may hold a searched name).
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)
CONTENT_SECURITY_POLICY = (b"default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
                           b"img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; "
                           b"form-action 'self'; frame-ancestors 'none'")
#: The interactive API documentation (Swagger UI) starts itself with an inline script.
_NO_CSP = ("/docs",)


class SecurityHeadersMiddleware:
    """Adds :data:`SECURITY_HEADERS`, the content security policy and ``Cache-Control: no-store``
    (except for the static assets, which hold no personal data) to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        static = path.startswith("/static/")

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                extra = [h for h in SECURITY_HEADERS if h[0] not in present]
                if path not in _NO_CSP and b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", CONTENT_SECURITY_POLICY))
                if not static and b"cache-control" not in present:
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    app.add_middleware(SameOriginMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)

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
        from pactum.web.render import field_label, plain_error, render, web_principal_or_none

        return render(request, "error.html", {"status": 422, "message": "; ".join(
            f"{field_label('.'.join(str(p) for p in e['loc'][1:]))}: {plain_error(e)}" for e in exc.errors())},
            principal=web_principal_or_none(request), status_code=422)


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
