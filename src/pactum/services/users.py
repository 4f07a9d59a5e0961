"""Users, login sessions and API tokens.

Administrators manage the users of their own authority; the platform administrator (EU-LISA)
manages all. Every change is audited, with password hashes left out of the audit record.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import Connection, delete, insert, select

from pactum.common.clock import as_utc
from pactum.common.errors import Conflict, NotFound, Unauthenticated, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.states import is_authority
from pactum.common.text import Text, shortened
from pactum.services.auth import Principal, Role, new_token, require, token_hash
from pactum.services.bootstrap import Services
from pactum.store.tables.base import update_versioned
from pactum.store.tables.platform import sessions, users


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=80, pattern=r"^[a-z0-9][a-z0-9._-]+$")
    full_name: Text = Field(min_length=1, max_length=200)
    authority: str
    roles: list[Role] = Field(min_length=1)
    password: str = Field(min_length=8, max_length=200)

    @field_validator("authority")
    @classmethod
    def _authority(cls, v: str) -> str:
        v = v.strip().upper()
        v = "EL" if v == "GR" else v
        if not is_authority(v):
            raise ValueError(f"'{v}' is neither a state bound by the Pact nor an EU body")
        return v


class UserUpdate(BaseModel):
    version: int
    full_name: Text | None = Field(default=None, min_length=1, max_length=200)
    roles: list[Role] | None = Field(default=None, min_length=1)
    active: bool | None = None
    password: str | None = Field(default=None, min_length=8, max_length=200)


class UserPublic(BaseModel):
    id: str
    username: str
    full_name: str
    authority: str
    roles: list[Role]
    active: bool
    version: int


def _public(row: Any) -> UserPublic:
    return UserPublic(
        id=row.id, username=row.username, full_name=row.full_name, authority=row.authority,
        roles=[Role(r) for r in row.roles], active=row.active, version=row.version,
    )


def _may_manage(principal: Principal, authority: str) -> None:
    require(principal, Role.admin)
    if principal.authority != "EU-LISA" and principal.authority != authority:
        raise NotFound("no such user")


def create_user(services: Services, principal: Principal, data: UserCreate) -> UserPublic:
    require(principal, Role.admin)
    if principal.authority != "EU-LISA" and principal.authority != data.authority:
        # nothing to hide here: the administrator names the authority, not an existing user
        raise ValidationProblem.one("authority", f"you create users of {principal.authority} only")
    _may_manage(principal, data.authority)
    with services.uow() as uow:
        exists = uow.conn.execute(select(users.c.id).where(users.c.username == data.username)).first()
        if exists:
            raise ValidationProblem.one("username", f"'{data.username}' is already taken")
        user_id = new_id("usr")
        values = {
            "id": user_id, "username": data.username, "full_name": data.full_name,
            "authority": data.authority, "roles": sorted({r.value for r in data.roles}),
            "password_hash": services.passwords.hash(data.password), "active": True,
            "created_at": uow.now, "version": 1,
        }
        uow.conn.execute(insert(users).values(**values))
        after = {k: v for k, v in values.items() if k != "password_hash"}
        uow.audit(principal, "user.created", "user", user_id, after=after)
        uow.commit()
    return get_user(services, principal, user_id)


def get_user(services: Services, principal: Principal, user_id: str) -> UserPublic:
    with services.uow() as uow:
        row = uow.conn.execute(select(users).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFound("no such user")
    _may_manage(principal, row.authority)
    return _public(row)


def user_by_username(services: Services, principal: Principal, username: str) -> UserPublic:
    """The user of that name, for an administrator who may manage them (as :func:`get_user`)."""
    with services.uow() as uow:
        row = uow.conn.execute(select(users).where(users.c.username == username)).first()
    if row is None:
        raise NotFound(f"no user {shortened(username)!r}")
    _may_manage(principal, row.authority)
    return _public(row)


def list_users(services: Services, principal: Principal) -> list[UserPublic]:
    require(principal, Role.admin)
    q = select(users).order_by(users.c.authority, users.c.username)
    if principal.authority != "EU-LISA":
        q = q.where(users.c.authority == principal.authority)
    with services.uow() as uow:
        return [_public(r) for r in uow.conn.execute(q)]


def _active_admins(conn: Connection, authority: str) -> int:
    rows = conn.execute(select(users.c.roles).where(users.c.authority == authority, users.c.active.is_(True)))
    return sum(Role.admin.value in (r.roles or []) for r in rows)


def update_user(services: Services, principal: Principal, user_id: str, data: UserUpdate) -> UserPublic:
    """Change a user's name, roles, status or password (administrators, their own authority's users).

    An administrator neither deactivates their own account nor removes their own administrator
    role, and no change leaves an authority without an active administrator: nobody would be left
    to manage its users. A new password or a deactivation ends the user's sessions and tokens."""
    with services.uow() as uow:
        row = uow.conn.execute(select(users).where(users.c.id == user_id)).first()
        if row is None:
            raise NotFound("no such user")
        _may_manage(principal, row.authority)
        values: dict[str, Any] = {}
        # only what changes is written and audited
        if data.full_name is not None and data.full_name != row.full_name:
            values["full_name"] = data.full_name
        if data.roles is not None:
            roles = sorted({r.value for r in data.roles})
            if roles != sorted(row.roles):
                values["roles"] = roles
        if data.active is not None:
            if user_id == principal.user_id and not data.active:
                raise Conflict("you cannot deactivate your own account")
            if data.active != row.active:
                values["active"] = data.active
        was_admin = row.active and Role.admin.value in row.roles
        stays_admin = values.get("active", row.active) and Role.admin.value in values.get("roles", row.roles)
        if was_admin and not stays_admin:
            if user_id == principal.user_id:
                raise Conflict("you cannot remove your own administrator role; another administrator can")
            if _active_admins(uow.conn, row.authority) <= 1:
                raise Conflict(f"{row.username} is the last active administrator of {row.authority}: "
                               "give another user of it the administrator role first")
        if data.password is not None:
            values["password_hash"] = services.passwords.hash(data.password)
        before = {k: getattr(row, k) for k in values if k != "password_hash"}
        update_versioned(uow.conn, users, user_id, data.version, values)
        if values.get("active") is False or data.password is not None:
            uow.conn.execute(delete(sessions).where(sessions.c.user_id == user_id))
        after = {k: v for k, v in values.items() if k != "password_hash"}
        if data.password is not None:
            after["password"] = "changed"
        uow.audit(principal, "user.updated", "user", user_id, before=before, after=after)
        uow.commit()
    return get_user(services, principal, user_id)


def change_own_password(services: Services, principal: Principal, current_password: str, new_password: str,
                        *, keep_token: str | None = None) -> None:
    """Any logged-in user changes their own password, giving the current one. Every other session
    and API token of the user ends (``keep_token``, the one the change was made with, stays);
    audited as ``user.password_changed`` (without either password)."""
    problems: list[tuple[str, str]] = []
    if not 8 <= len(new_password) <= 200:
        problems.append(("new_password", "between 8 and 200 characters"))
    elif new_password == current_password:
        problems.append(("new_password", "the same as the current password"))
    with services.uow() as uow:
        row = uow.conn.execute(select(users).where(users.c.id == principal.user_id)).first()
        if row is None or not row.active:
            raise NotFound(f"{principal.username} has no account whose password could be changed")
        if not services.passwords.verify(row.password_hash, current_password):
            problems.insert(0, ("current_password", "not your current password"))
        if problems:
            raise ValidationProblem(problems)
        update_versioned(uow.conn, users, row.id, row.version,
                         {"password_hash": services.passwords.hash(new_password)})
        ended = delete(sessions).where(sessions.c.user_id == row.id)
        if keep_token:
            ended = ended.where(sessions.c.token_hash != token_hash(keep_token))
        uow.conn.execute(ended)
        uow.audit(principal, "user.password_changed", "user", row.id, after={"password": "changed"})
        uow.commit()


def authenticate(services: Services, username: str, password: str) -> Principal:
    with services.uow() as uow:
        row = uow.conn.execute(select(users).where(users.c.username == username)).first()
    if row is None or not row.active or not services.passwords.verify(row.password_hash, password):
        raise Unauthenticated("unknown user or wrong password")
    return _principal(row)


def _principal(row: Any) -> Principal:
    return Principal(row.id, row.username, row.authority, frozenset(Role(r) for r in row.roles))


def open_session(services: Services, principal: Principal, kind: str) -> str:
    """Create a web session or API token; returns the secret, of which only the hash is kept."""
    token = new_token()
    with services.uow() as uow:
        uow.conn.execute(
            insert(sessions).values(
                token_hash=token_hash(token), user_id=principal.user_id, kind=kind,
                created_at=uow.now,
                expires_at=uow.now + timedelta(hours=services.settings.session_hours),
            )
        )
        uow.audit(principal, f"{kind}_session.opened", "user", principal.user_id)
        uow.commit()
    return token


def close_session(services: Services, token: str) -> None:
    with services.uow() as uow:
        uow.conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash(token)))
        uow.commit()


def principal_for_token(conn: Connection, token: str, now: Any) -> Principal:
    row = conn.execute(
        select(users, sessions.c.expires_at)
        .join(sessions, sessions.c.user_id == users.c.id)
        .where(sessions.c.token_hash == token_hash(token))
    ).first()
    if row is None or not row.active or as_utc(row.expires_at) <= now:
        raise Unauthenticated("the session or token is not valid; log in again")
    return _principal(row)


def resolve_token(services: Services, token: str) -> Principal:
    with services.engine.connect() as conn:
        return principal_for_token(conn, token, services.clock.now())
