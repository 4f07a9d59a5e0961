"""Users, login sessions and API tokens.

Administrators manage the users of their own authority; the platform administrator (EU-LISA)
manages all. Every change is audited, with password hashes left out of the audit record.

Logins: a failed login is audited (``user.login_failed``, the name tried, no password), and after
:data:`LOGIN_MAX_FAILURES` failures for one user name within :data:`LOGIN_WINDOW` the name is refused
until the window after the last of them has passed, whatever the password (429): guessing is
slowed for every name alike, known or not, and an unknown name costs the same password check as
a known one, so neither the answer nor its time says which names exist. Passwords (NIST SP
800-63B, 5.1.1.2): 8 to 200 characters, not containing the user name, at least 5 different
characters, not a common password or a run of consecutive keys.
"""

from __future__ import annotations

import math
from datetime import timedelta
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from sqlalchemy import Connection, Select, delete, func, insert, select

from pactum.common.clock import as_utc
from pactum.common.errors import Conflict, NotFound, TooManyAttempts, Unauthenticated, ValidationProblem
from pactum.common.ids import new_id
from pactum.common.paging import page_problems
from pactum.common.states import is_authority
from pactum.common.text import Text, shortened
from pactum.services.auth import Principal, Role, new_token, require, token_hash
from pactum.services.bootstrap import Services
from pactum.store.tables.base import update_versioned
from pactum.store.tables.platform import audit_log, sessions, users


class NothingToChange(ValidationProblem):
    """A change of a user that changes nothing (422 on the API); the web page says it was
    already so instead of showing an error."""


#: Failed logins for one user name that close it for :data:`LOGIN_WINDOW`.
LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW = timedelta(minutes=15)

#: Passwords nobody should choose (the commonest of eight characters or more in published
#: breach lists, and the platform's own name); compared without case.
COMMON_PASSWORDS = frozenset({
    "password", "password1", "password12", "password123", "passw0rd", "p@ssw0rd", "p@ssword",
    "12345678", "123456789", "1234567890", "0123456789", "87654321", "11111111", "00000000",
    "qwertyui", "qwertyuiop", "qwerty123", "qwerty12", "1q2w3e4r", "1qaz2wsx", "zaq12wsx",
    "asdfghjk", "asdfghjkl", "iloveyou", "sunshine", "princess", "football", "baseball",
    "welcome1", "welcome123", "letmein1", "trustno1", "abc12345", "abcd1234", "admin123",
    "administrator", "changeme", "superman", "starwars", "computer", "internet", "whatever",
    "pactum", "pactum123", "pactum2026",
})
_KEY_ROWS = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why ``password`` may not be used (for ``username``), or ``None``."""
    if not 8 <= len(password) <= 200:
        return "between 8 and 200 characters"
    low = password.lower()
    if username and len(username) >= 3 and username.lower() in low:
        return "must not contain the user name"
    if len(set(password)) < 5:
        return "at least 5 different characters"
    if low in COMMON_PASSWORDS:
        return "is one of the commonest passwords: choose another"
    if any(low in row or low in row[::-1] for row in _KEY_ROWS):
        return "is a run of consecutive letters, digits or keys: choose another"
    return None


class UserCreate(BaseModel):
    # a misspelt field is refused by name, not dropped
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=80, pattern=r"^[a-z0-9][a-z0-9._-]+$")
    full_name: Text = Field(min_length=1, max_length=200)
    authority: str
    roles: list[Role] = Field(min_length=1)
    password: str = Field(min_length=8, max_length=200)

    @field_validator("password")
    @classmethod
    def _password(cls, v: str, info: ValidationInfo) -> str:
        # a field validator, so that the error is the password's (loc ["body", "password"])
        problem = password_problem(v, info.data.get("username"))
        if problem:
            raise ValueError(problem)
        return v

    @field_validator("authority")
    @classmethod
    def _authority(cls, v: str) -> str:
        v = v.strip().upper()
        v = "EL" if v == "GR" else v
        if not is_authority(v):
            raise ValueError(f"'{v}' is neither a state bound by the Pact nor an EU body")
        return v


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


#: The most users one page of the list holds (``limit``), and its default.
USERS_PAGE_MAX = 1000
USERS_PAGE_DEFAULT = 200


def users_page(services: Services, principal: Principal, *, authority: str | None = None,
               limit: int = USERS_PAGE_DEFAULT, offset: int = 0) -> dict[str, Any]:
    """The users an administrator manages (their own authority's; every authority's for the
    platform administrator, EU-LISA), by authority and user name: ``limit`` users
    (1–:data:`USERS_PAGE_MAX`) from ``offset``, with ``total`` the number there are (the list was
    returned whole). ``authority`` narrows them to one authority's users, one the administrator
    manages."""
    require(principal, Role.admin)
    problems = page_problems(limit, offset, USERS_PAGE_MAX)
    if authority is not None:
        authority = authority.strip().upper()
        if not is_authority(authority):
            problems.insert(0, ("authority", f"{shortened(authority)!r} is neither a state's code nor an EU body's"))
        elif principal.authority not in ("EU-LISA", authority):
            problems.insert(0, ("authority", f"you manage the users of {principal.authority} only"))
    if problems:
        raise ValidationProblem(problems)
    q = _managed_users(principal)
    if authority is not None:
        q = q.where(users.c.authority == authority)
    with services.uow() as uow:
        total = uow.conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
        rows = uow.conn.execute(q.order_by(users.c.authority, users.c.username, users.c.id)
                                .limit(limit).offset(offset))
        return {"users": [_public(r) for r in rows], "total": int(total), "offset": offset, "limit": limit}


def _managed_users(principal: Principal) -> Select[Any]:
    """The users ``principal`` manages: their authority's, every authority's for EU-LISA."""
    q = select(users)
    return q if principal.authority == "EU-LISA" else q.where(users.c.authority == principal.authority)


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
                if user_id == principal.user_id:
                    # separation of duties: nobody grants themself a role (another administrator can)
                    raise Conflict("you cannot change your own roles; another administrator can")
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
            problem = password_problem(data.password, row.username)
            if problem:
                raise ValidationProblem.one("password", problem)
            values["password_hash"] = services.passwords.hash(data.password)
        if not values:
            # nothing to write: no new version, no empty audit entry
            changes = ", ".join(sorted(set(UserUpdate.model_fields) - {"version"}))
            raise NothingToChange.one("body", f"nothing to change: give one of {changes} with a new value")
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
    weak = password_problem(new_password, principal.username)
    if weak:
        problems.append(("new_password", weak))
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


@cache
def _decoy_hash(passwords: Any) -> str:
    """A hash to check an unknown name's password against, so that it takes as long as a known one's."""
    return str(passwords.hash(new_token()))


def authenticate(services: Services, username: str, password: str) -> Principal:
    """The user whose name and password these are; a failure is audited, and too many for one name
    in a short time close it for a while (see the module's text)."""
    name = username[:80]
    with services.uow() as uow:
        now = uow.now
        failures = list(uow.conn.execute(
            select(audit_log.c.at).where(audit_log.c.action == "user.login_failed",
                                         audit_log.c.entity_id == name[:60],
                                         audit_log.c.at >= now - LOGIN_WINDOW)
            .order_by(audit_log.c.at.desc()).limit(LOGIN_MAX_FAILURES)).scalars())
        if len(failures) >= LOGIN_MAX_FAILURES:
            until = as_utc(failures[0]) + LOGIN_WINDOW
            raise TooManyAttempts(f"too many failed logins for this user name: try again after "
                                  f"{until.strftime('%H:%M')} UTC",
                                  retry_after=math.ceil((until - as_utc(now)).total_seconds()))
        row = uow.conn.execute(select(users).where(users.c.username == name)).first()
        known = row is not None and row.active
        ok = services.passwords.verify(row.password_hash if known and row is not None else _decoy_hash(services.passwords),
                                       password)
        if known and ok:
            return _principal(row)
        authority = row.authority if row is not None else "EU-LISA"
        uow.audit(Principal("anonymous", name, authority), "user.login_failed", "user", name[:60],
                  after={"username": name, "failures_in_window": len(failures) + 1})
        uow.commit()
    raise Unauthenticated("unknown user or wrong password")


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
