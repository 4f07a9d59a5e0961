"""Authentication (tokens), the current user, user administration, the audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, ConfigDict

from pactum.api.deps import SESSION_COOKIE, bearer, current_principal, get_services, token_cache
from pactum.common.json_types import JsonBody
from pactum.services import audit as audit_service
from pactum.services import users
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services

router = APIRouter(tags=["platform"])


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str
    new_password: str


@router.post("/auth/password", status_code=204, response_class=Response)
def change_password(body: JsonBody[PasswordChange], request: Request,
                    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
                    services: Services = Depends(get_services),
                    principal: Principal = Depends(current_principal)) -> Response:
    """Change your own password (every logged-in user): the current password and the new one
    (8 to 200 characters). Every other session and API token of yours ends; the token this request
    was made with stays valid. A wrong current password is a 422 naming `current_password`.
    Audited as `user.password_changed`. An administrator resets another user's password with
    `PATCH /api/v1/users/{id}` (`password`)."""
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    users.change_own_password(services, principal, body.current_password, body.new_password,
                              keep_token=token)
    token_cache(request).forget_user(principal.user_id)
    return Response(status_code=204)


@router.get("/me", response_model=Me)
def me(principal: Principal = Depends(current_principal)) -> Me:
    return Me(user_id=principal.user_id, username=principal.username, authority=principal.authority,
              member_state=principal.member_state, roles=sorted(principal.roles))


@router.get("/users", response_model=list[users.UserPublic])
def list_users(response: Response, authority: str | None = None, limit: int = users.USERS_PAGE_DEFAULT,
               offset: int = 0, services: Services = Depends(get_services),
               principal: Principal = Depends(current_principal)) -> list[users.UserPublic]:
    """The users you manage (your authority's; every authority's for EU-LISA), by authority and
    user name; ``authority`` narrows them to one authority's. One page of ``limit`` (1–1000,
    default 200) from ``offset``; the header ``X-Total-Count`` counts the list."""
    page = users.users_page(services, principal, authority=authority, limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(page["total"])
    return list(page["users"])


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


#: the entity filter of the audit log, as the API's reference says it
ENTITY_ID = ("the entries about this record; a person's id (per_…): the person's and those of each of their "
             "identity records, Eurodac records, identity links, screenings, asylum cases, Dublin cases, "
             "return decisions, return alerts and entry-ban alerts")


#: the name filter of the audit log and of the read log, as the API's reference says it
PERSON_NAME = ("the persons whose records hold every word of this name (the registry's name search, within your "
               "reach: your state's persons, every state's for EU-LISA), as their ids would; logged as a read; "
               f"refused when more than {audit_service.NAMED_RECORDS_MAX} records match")


def _named(services: Services, principal: Principal, response: Response | None,
           person_name: str | None) -> list[str] | None:
    """The ids of the persons ``person_name`` matches (``None``: no name given), said in the header
    ``X-Persons-Matched`` (comma-separated, none when empty)."""
    if person_name is None or not person_name.strip():
        return None
    ids = [p["person_id"] for p in audit_service.persons_named(services, principal, person_name, channel="api")]
    if response is not None:
        response.headers["X-Persons-Matched"] = ",".join(ids)
    return ids


@router.get("/audit")
def audit(
    response: Response,
    entity_id: str | None = Query(None, description=ENTITY_ID),
    person_name: str | None = Query(None, description=PERSON_NAME),
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
    authority's). Times carry their UTC offset (`+00:00`); `entity_name` is the entity's readable
    name where the platform keeps one (a user's username), else null. `GET /api/v1/audit.csv`
    exports every entry these filters select. With `person_name`, the header `X-Persons-Matched`
    lists the ids of the persons the name matched."""
    named = _named(services, principal, response, person_name)
    entries = audit_service.recent_entries(services, principal, entity_id=entity_id, actor=actor, action=action,
                                           since=since, until=until, before_seq=before_seq, limit=limit,
                                           person_ids=named)
    return [audit_service.canonical(e) for e in entries]


@router.get("/audit.csv", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}}, "description": "The entries as CSV"}})
def audit_csv(
    entity_id: str | None = Query(None, description=ENTITY_ID),
    person_name: str | None = Query(None, description=PERSON_NAME),
    actor: str | None = Query(None, description="a username"),
    action: str | None = Query(None, description="an action (arrival.registered), or an area's with a final dot (returns.)"),
    since: date | None = Query(None, description="from this day (UTC), included"),
    until: date | None = Query(None, description="to this day (UTC), included"),
    before_seq: int | None = Query(None, description="entries before this sequence number"),
    services: Services = Depends(get_services),
    principal: Principal = Depends(current_principal),
) -> StreamingResponse:
    """Every audit entry the filters of `GET /api/v1/audit` select (no limit), newest first, as
    CSV: seq, at (UTC, with its offset), actor, authority, action, entity_type, entity_id,
    entity_name, before and after (JSON), prev_hash, hash."""
    named = _named(services, principal, None, person_name)
    entries = audit_service.all_entries(services, principal, entity_id=entity_id, actor=actor, action=action,
                                        since=since, until=until, before_seq=before_seq, person_ids=named)
    return StreamingResponse(audit_service.csv_lines(entries), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="audit.csv"'})


@router.get("/audit/reads")
def audit_reads(
    response: Response,
    person_id: str | None = Query(None, description="the reads of this person (per_…)"),
    person_name: str | None = Query(None, description=PERSON_NAME),
    actor: str | None = Query(None, description="the reads by this user (a username)"),
    since: date | None = Query(None, description="from this day (UTC), included"),
    until: date | None = Query(None, description="to this day (UTC), included"),
    limit: int = Query(100, description="reads on the page, 1 to 1000"),
    offset: int = Query(0, description="reads of the list to skip (the next page: offset + limit)"),
    services: Services = Depends(get_services),
    principal: Principal = Depends(current_principal),
) -> list[dict[str, Any]]:
    """Who read a person's personal data (auditors and administrators; a state's see the reads of
    its own officers and of its own persons), newest first: one row per person a read showed,
    with `read_id` (the rows of one read), `at`, `username`, `authority`, `member_state` (the
    reader's), `person_id`, `person_member_state`, `what` (the page, record or list read:
    `person_page`, `screening`, `registry_search`, `identity_link`, `audit_name_search`,
    `asylum_case`, `decision_notice`, `dublin_case`, `dublin_request`, `dublin_facts_draft`,
    `dublin_documents`, `return_decision`,
    `asylum_case_list`, `dublin_case_list`, `dublin_request_list`, `return_decision_list`,
    `return_hits`, `return_operation`, `identity_search`, `verification_queue`, `person_links`,
    `identity_comparison`; docs/security.md says what each is), `record_id` (the record read),
    `criteria` (a search's or list's criteria given, never their values), `persons_shown` and
    `channel` (`web`, `api`, `cli`). One page of `limit` from `offset`; the header
    `X-Total-Count` counts the reads the filters select."""
    from pactum.services import reads

    named = _named(services, principal, response, person_name)
    page = reads.reads_page(services, principal, person_id=person_id, person_ids=named, actor=actor, since=since,
                            until=until, limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(page["total"])
    return [audit_service.canonical(r) for r in page["reads"]]
