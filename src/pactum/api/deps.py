"""Dependencies shared by the routers: the services container and the calling principal.

Both are ``async`` so FastAPI runs them on the event loop instead of handing each to the thread
pool. The principal behind a token is remembered for ``TOKEN_CACHE_SECONDS`` (in each server
process), so a client sending many requests costs one token lookup in the store per few seconds,
not one per request. The price is a documented bound: logging out, an expired session, a
deactivated user or changed roles take effect in the API within that many seconds.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from pactum.common.errors import Unauthenticated
from pactum.common.limits import TOO_LARGE_MESSAGE, too_large_locations
from pactum.common.text import NUL_MESSAGE, nul_locations
from pactum.services import users
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.services.uow import AsyncStore

SESSION_COOKIE = "pactum_session"
TOKEN_CACHE_SECONDS = 5.0
bearer = HTTPBearer(auto_error=False, description="API token from POST /api/v1/auth/token")


class TokenCache:
    """Principals of recently verified tokens, each kept for at most ``ttl`` seconds.

    Only successful lookups are kept: a refused token is looked up again on every request.
    """

    def __init__(self, ttl: float = TOKEN_CACHE_SECONDS, max_entries: int = 10_000,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, token: str) -> Principal | None:
        hit = self._entries.get(token)
        if hit is None:
            return None
        if self._clock() - hit[0] >= self.ttl:
            self._entries.pop(token, None)
            return None
        return hit[1]

    def put(self, token: str, principal: Principal) -> None:
        if self.ttl <= 0:
            return
        now = self._clock()
        if len(self._entries) >= self.max_entries:
            self._entries = {t: e for t, e in self._entries.items() if now - e[0] < self.ttl}
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
        self._entries[token] = (now, principal)

    def forget_user(self, user_id: str) -> None:
        """Drop the user's tokens (after a change of their account in this process)."""
        self._entries = {t: e for t, e in self._entries.items() if e[1].user_id != user_id}


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def async_store(request: Request) -> AsyncStore | None:
    """The server process's PostgreSQL connections for handlers that run on the event loop
    (opened by the application's lifespan on a PostgreSQL store; ``None`` otherwise)."""
    store: AsyncStore | None = getattr(request.app.state, "async_store", None)
    return store


def token_cache(request: Request) -> TokenCache:
    cache: TokenCache | None = getattr(request.app.state, "token_cache", None)
    if cache is None:
        cache = request.app.state.token_cache = TokenCache()
    return cache


async def current_principal(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    services: Services = Depends(get_services),
) -> Principal:
    """The user behind a bearer token, or behind the web session cookie (for the UI's own calls)."""
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthenticated("log in first: send 'Authorization: Bearer <token>'")
    cache = token_cache(request)
    principal = cache.get(token)
    if principal is None:
        principal = await run_in_threadpool(users.resolve_token, services, token)
        cache.put(token, principal)
    return principal


def _nul_error(loc: tuple[str | int, ...]) -> dict[str, object]:
    return {"loc": loc, "msg": NUL_MESSAGE, "type": "value_error"}


#: Nineteen digits in a row: the shortest run that can write a whole number beyond the stores'
#: bound (:mod:`pactum.common.limits`).
_LONG_DIGITS = re.compile(rb"[0-9]{19}")


def nul_errors_in_json(raw: bytes) -> list[dict[str, object]]:
    """The fields of a JSON body that no store can hold: a string with the NUL character (JSON
    can only write it as the escape ``\\u0000``) or a whole number beyond the stores' 64 bits
    (``Python int too large to convert to SQLite INTEGER`` was a 500). A body with neither those
    six bytes nor nineteen digits in a row is not parsed."""
    nul = b"\\u0000" in raw
    if not nul and not _LONG_DIGITS.search(raw):
        return []
    try:
        value = json.loads(raw)
    except ValueError:  # malformed JSON: the route's own parsing says so
        return []
    errors = [_nul_error(loc) for loc in nul_locations(value, ("body",))] if nul else []
    return errors + [{"loc": loc, "msg": TOO_LARGE_MESSAGE, "type": "value_error"}
                     for loc in too_large_locations(value, ("body",))]


async def reject_nul_characters(request: Request) -> None:
    """Refuse, naming the field, any path, query, JSON or form value holding the NUL character
    (:mod:`pactum.common.text`: PostgreSQL cannot store it; it was a 500), and any whole number of
    a JSON body beyond the stores' bound (:func:`nul_errors_in_json`).

    Runs before every route of the API and the web UI (the registration route, which solves no
    dependencies, calls :func:`nul_errors_in_json` itself). A body is parsed only when its bytes
    could hold one (the escape ``\\u0000`` in JSON, ``%00`` or a NUL byte in a form), so that an
    ordinary request pays a byte search, not a second parse."""
    from fastapi.exceptions import RequestValidationError

    found: list[tuple[str | int, ...]] = [
        ("path", k) for k, v in request.path_params.items() if isinstance(v, str) and "\x00" in v]
    found += [("query", k) for k, v in request.query_params.multi_items() if "\x00" in v or "\x00" in k]
    errors = [_nul_error(loc) for loc in found]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        ctype = request.headers.get("content-type", "")
        if ctype.startswith("application/json"):
            errors += nul_errors_in_json(await request.body())
        elif ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            # a route with form parameters has had its form parsed (and its stream read) already
            parsed = getattr(request, "_form", None) is not None
            if parsed or b"%00" in (body := await request.body()) or b"\x00" in body:
                form = await request.form()
                errors += [_nul_error(("body", k)) for k, v in form.multi_items()
                           if isinstance(v, str) and "\x00" in v]
    if errors:
        raise RequestValidationError(errors)
