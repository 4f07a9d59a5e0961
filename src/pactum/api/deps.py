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
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from pactum.common.errors import Unauthenticated
from pactum.common.limits import STORE_INTEGER_MAX, TOO_LARGE_MESSAGE, too_large_locations
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


#: The first bytes of a gzip file: the one binary body a route takes (a UNHCR export, compressed).
_GZIP_MAGIC = b"\x1f\x8b"


def media_type(content_type: str | None) -> str:
    """A Content-Type header's media type, lower-cased and without its parameters
    (``APPLICATION/JSON; charset=utf-8`` -> ``application/json``)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json_media_type(content_type: str | None) -> bool:
    """Whether a Content-Type header names JSON: ``application/json`` or any ``+json`` type
    (``application/merge-patch+json``), in any case."""
    media = media_type(content_type)
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def nul_errors_in_text(raw: bytes) -> list[dict[str, object]]:
    """The NUL character in a body of text (CSV, YAML, plain text) as one problem of ``body``
    naming its line and column; none for a gzip file, whose bytes may hold any value."""
    where = raw.find(b"\x00")
    if where < 0 or raw.startswith(_GZIP_MAGIC):
        return []
    line = raw.count(b"\n", 0, where) + 1
    start = raw.rfind(b"\n", 0, where) + 1
    column = len(raw[start:where].decode("utf-8", "replace")) + 1
    return [{"loc": ("body",), "msg": f"line {line}, column {column}: {NUL_MESSAGE}", "type": "value_error"}]


def _whole_number_annotation(annotation: object) -> bool:
    """Whether a parameter's type is a whole number (``int``, ``int | None``, ``list[int]``)."""
    if annotation is int:
        return True
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _whole_number_annotation(args[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset) or (
            origin is not None and getattr(origin, "__name__", "") in ("Sequence", "Iterable")):
        return any(_whole_number_annotation(a) for a in args if a is not Ellipsis)
    return False


def _bounded_within_store(metadata: list[object]) -> bool:
    """Whether a parameter's own bounds (``Query(ge=1, le=1000)``) keep it within the stores'."""
    upper = lower = False
    for m in metadata:
        for name in ("le", "lt"):
            bound = getattr(m, name, None)
            if isinstance(bound, int) and bound <= STORE_INTEGER_MAX + 1:
                upper = True
        for name in ("ge", "gt"):
            bound = getattr(m, name, None)
            if isinstance(bound, int) and bound >= -STORE_INTEGER_MAX - 1:
                lower = True
    return upper and lower


def _walk_params(dependant: Any) -> Iterator[tuple[str, Any]]:
    for where, fields in (("query", dependant.query_params), ("path", dependant.path_params)):
        for field in fields:
            yield where, field
    for sub in dependant.dependencies:
        yield from _walk_params(sub)


_WHOLE_PARAMS: dict[int, tuple[object, frozenset[tuple[str, str]]]] = {}


def whole_number_params(route: Any) -> frozenset[tuple[str, str]]:
    """The query and path parameters of an API route or web view (``("query", "version")``) whose
    type is a whole number not already bounded within the stores' range by the route itself,
    found once per route."""
    hit = _WHOLE_PARAMS.get(id(route))
    if hit is not None and hit[0] is route:
        return hit[1]
    dependant = getattr(route, "dependant", None)
    found = frozenset(
        (where, str(field.alias)) for where, field in (_walk_params(dependant) if dependant else ())
        if _whole_number_annotation(field.field_info.annotation)
        and not _bounded_within_store(list(field.field_info.metadata)))
    _WHOLE_PARAMS[id(route)] = (route, found)
    return found


def _beyond_store(raw: str) -> bool:
    """Whether ``raw``, read as the route will read it (pydantic's lax int: blanks, a sign, ``_``
    and a zero fraction allowed), is a whole number beyond the stores' bound; text that is no whole
    number is left to the route, which says so."""
    text = raw.strip().replace("_", "")
    sign = text[:1] in "+-" and text[:1] != ""
    digits = text[1:] if sign else text
    if "." in digits:
        digits, fraction = digits.split(".", 1)
        if fraction.strip("0"):
            return False
    if not digits.isascii() or not digits.isdigit():
        return False
    significant = digits.lstrip("0")
    return len(significant) > 19 or (significant != "" and int(significant) > STORE_INTEGER_MAX)


def too_large_param_errors(request: Request) -> list[dict[str, object]]:
    """The whole-number query and path parameters of the request's route beyond the stores' bound
    (``?version=18446744073709551616`` reached SQLite: "Python int too large to convert to SQLite
    INTEGER", a 500), each at ``("query", name)`` or ``("path", name)``."""
    route = request.scope.get("route")
    wanted = whole_number_params(route) if route is not None else frozenset()
    if not wanted:
        return []
    values: list[tuple[str, str, str]] = [
        ("query", k, v) for k, v in request.query_params.multi_items()]
    values += [("path", k, v) for k, v in request.path_params.items() if isinstance(v, str)]
    errors: list[dict[str, object]] = []
    for where, name, value in values:
        loc = (where, name)
        if loc in wanted and _beyond_store(value) and not any(e["loc"] == loc for e in errors):
            errors.append({"loc": loc, "msg": TOO_LARGE_MESSAGE, "type": "value_error"})
    return errors


_QUERY_NAMES: dict[int, tuple[object, frozenset[str]]] = {}


def query_names(route: Any) -> frozenset[str]:
    """The query parameters an API route declares (its own and its dependencies'), found once per
    route."""
    hit = _QUERY_NAMES.get(id(route))
    if hit is not None and hit[0] is route:
        return hit[1]
    dependant = getattr(route, "dependant", None)
    found = frozenset(str(field.alias) for where, field in (_walk_params(dependant) if dependant else ())
                      if where == "query")
    _QUERY_NAMES[id(route)] = (route, found)
    return found


def unknown_query_errors(request: Request) -> list[dict[str, object]]:
    """The query parameters an API request gives that its route does not take, each at
    ``("query", name)``: ``GET /api/v1/awareness/arrivals.csv?route=Foo`` answered every route, as if
    the filter had been applied. The web UI's pages are left alone (a link may carry what the
    page does not read)."""
    route = request.scope.get("route")
    if route is None or not request.url.path.startswith("/api/"):
        return []
    known = query_names(route)
    takes = f"it takes {', '.join(sorted(known))}" if known else "it takes none"
    seen: list[str] = []
    for name in request.query_params:
        if name not in known and name not in seen:
            seen.append(name)
    return [{"loc": ("query", name), "type": "value_error",
             "msg": f"this request has no parameter {name!r}: {takes}"} for name in seen]


async def reject_nul_characters(request: Request) -> None:
    """Refuse, naming the field, any path, query, JSON or form value holding the NUL character
    (:mod:`pactum.common.text`: PostgreSQL cannot store it; it was a 500), the NUL character in
    any other body of text (CSV, YAML: naming its line and column), any whole number of a JSON
    body beyond the stores' bound (:func:`nul_errors_in_json`), and any whole-number query or path
    parameter beyond it (:func:`too_large_param_errors`).

    Runs before every route of the API and the web UI (the registration route, which solves no
    dependencies, calls :func:`nul_errors_in_json` itself). A JSON body is any ``application/json``
    or ``+json`` type, in any case. A body is parsed only when its bytes could hold one (the
    escape ``\\u0000`` or nineteen digits in JSON, ``%00`` or a NUL byte in a form), so that an
    ordinary request pays a byte search, not a second parse."""
    from fastapi.exceptions import RequestValidationError

    found: list[tuple[str | int, ...]] = [
        ("path", k) for k, v in request.path_params.items() if isinstance(v, str) and "\x00" in v]
    found += [("query", k) for k, v in request.query_params.multi_items() if "\x00" in v or "\x00" in k]
    errors = [_nul_error(loc) for loc in found]
    errors += [e for e in too_large_param_errors(request) if e["loc"] not in found]
    errors += [e for e in unknown_query_errors(request) if e["loc"] not in found]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        ctype = request.headers.get("content-type", "")
        media = media_type(ctype)
        if is_json_media_type(ctype):
            errors += nul_errors_in_json(await request.body())
        elif media == "application/x-www-form-urlencoded":
            # a route with form parameters has had its form parsed (and its stream read) already
            parsed = getattr(request, "_form", None) is not None
            body = b"" if parsed else await request.body()
            if b"\x00" in body:  # a form writes the character as %00: a raw one is not a form
                errors += nul_errors_in_text(body)
            elif parsed or b"%00" in body:
                errors += _form_nul_errors(await request.form())
        elif media == "multipart/form-data":
            # a file's bytes may hold anything: its text is the view's to check (web.forms)
            if getattr(request, "_form", None) is not None or b"\x00" in (body := await request.body()) \
                    or b"%00" in body:
                errors += _form_nul_errors(await request.form())
        else:  # CSV, YAML, plain text (any type, or none: the route reads the bytes)
            errors += nul_errors_in_text(await request.body())
    if errors:
        raise RequestValidationError(errors)


def _form_nul_errors(form: Any) -> list[dict[str, object]]:
    return [_nul_error(("body", k.replace("\x00", ""))) for k, v in form.multi_items()
            if (isinstance(v, str) and "\x00" in v) or "\x00" in k]
