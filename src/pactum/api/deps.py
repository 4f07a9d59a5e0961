"""Dependencies shared by the routers: the services container and the calling principal."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from pactum.common.errors import Unauthenticated
from pactum.services import users
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

SESSION_COOKIE = "pactum_session"
_bearer = HTTPBearer(auto_error=False, description="API token from POST /api/v1/auth/token")


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def current_principal(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
    services: Services = Depends(get_services),
) -> Principal:
    """The user behind a bearer token, or behind the web session cookie (for the UI's own calls)."""
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthenticated("log in first: send 'Authorization: Bearer <token>'")
    return users.resolve_token(services, token)
