"""Authentication (tokens), the current user, user administration, the audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from pactum.api.deps import current_principal, get_services, token_cache
from pactum.common.json_types import JsonBody
from pactum.services import audit as audit_service
from pactum.services import users
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services

router = APIRouter(tags=["platform"])


class TokenRequest(BaseModel):
    username: str
    password: str


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in_hours: int


class Me(BaseModel):
    user_id: str
    username: str
    authority: str
    member_state: str | None
    roles: list[Role]


@router.post("/auth/token", response_model=TokenResponse)
def token(body: JsonBody[TokenRequest], services: Services = Depends(get_services)) -> TokenResponse:
    principal = users.authenticate(services, body.username, body.password)
    return TokenResponse(access_token=users.open_session(services, principal, "api"),
                         expires_in_hours=services.settings.session_hours)


@router.get("/me", response_model=Me)
def me(principal: Principal = Depends(current_principal)) -> Me:
    return Me(user_id=principal.user_id, username=principal.username, authority=principal.authority,
              member_state=principal.member_state, roles=sorted(principal.roles))


@router.get("/users", response_model=list[users.UserPublic])
def list_users(services: Services = Depends(get_services),
               principal: Principal = Depends(current_principal)) -> list[users.UserPublic]:
    return users.list_users(services, principal)


@router.post("/users", response_model=users.UserPublic, status_code=201)
def create_user(body: JsonBody[users.UserCreate], services: Services = Depends(get_services),
                principal: Principal = Depends(current_principal)) -> users.UserPublic:
    return users.create_user(services, principal, body)


@router.patch("/users/{user_id}", response_model=users.UserPublic)
def update_user(user_id: str, body: JsonBody[users.UserUpdate], request: Request,
                services: Services = Depends(get_services),
                principal: Principal = Depends(current_principal)) -> users.UserPublic:
    updated = users.update_user(services, principal, user_id, body)
    # roles or deactivation apply at once in this process (other processes: within the cache bound)
    token_cache(request).forget_user(user_id)
    return updated


@router.get("/audit")
def audit(
    entity_id: str | None = None,
    actor: str | None = Query(None, description="a username"),
    action: str | None = Query(None, description="an action (arrival.registered), or an area's with a final dot (returns.)"),
    since: date | None = Query(None, description="from this day (UTC), included"),
    until: date | None = Query(None, description="to this day (UTC), included"),
    before_seq: int | None = Query(None, description="entries before this sequence number: the next page back"),
    limit: int = Query(100, ge=1, le=1000),
    services: Services = Depends(get_services),
    principal: Principal = Depends(current_principal),
) -> list[dict[str, Any]]:
    """Audit entries, newest first (auditors and administrators; a state's auditor sees its own
    authority's)."""
    entries = audit_service.recent_entries(services, principal, entity_id=entity_id, actor=actor, action=action,
                                           since=since, until=until, before_seq=before_seq, limit=limit)
    return [audit_service.canonical(e) for e in entries]
