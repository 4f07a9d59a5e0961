"""Dependencies shared by the routers: the services container and the calling principal.

Both are ``async`` so FastAPI runs them on the event loop instead of handing each to the thread
pool. The principal behind a token is remembered for ``TOKEN_CACHE_SECONDS`` (in each server
process), so a client sending many requests costs one token lookup in the store per few seconds,
not one per request. The price is a documented bound: logging out, an expired session, a
deactivated user or changed roles take effect in the API within that many seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from pactum.common.errors import Unauthenticated
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
