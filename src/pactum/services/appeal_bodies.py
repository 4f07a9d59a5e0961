"""The court or tribunal each Member State's asylum decisions are appealed to, as its administrator
sets it (:mod:`pactum.procedures.appeal_body`): read by whoever reads the procedures' reference data,
set and cleared by that state's administrator only (national law names the body: neither another
state's administrator nor an EU body's sets it), each change audited with what it said before and
after. The written notice of a decision (:mod:`pactum.services.decision_notice`) names it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select

from pactum.common.errors import Conflict, Forbidden, NotFound, ValidationProblem
from pactum.common.states import authority_name
from pactum.common.states import member_state as member_state_code
from pactum.procedures import appeal_body as rules
from pactum.services.auth import Principal, Role, require
from pactum.services.bootstrap import Services
from pactum.services.procedures import READ_ROLES
from pactum.store.tables.base import update_versioned
from pactum.store.tables.procedures import appeal_bodies

#: Who sets a state's court or tribunal: that state's administrator (as its safe-country list).
SET_ROLES = (Role.admin,)
T = appeal_bodies


def _state(code: str) -> str:
    try:
        return member_state_code(code)
    except ValueError as exc:
        raise ValidationProblem.one("member_state", str(exc)) from None


def _as_dict(row: Any) -> dict[str, Any]:
    return {"member_state": row["member_state"], "name": row["name"], "address": row["address"],
            "how_to_lodge": row["how_to_lodge"], "national_law": row["national_law"],
            "updated_by": row["updated_by"], "updated_at": row["updated_at"].isoformat()
            if row["updated_at"] is not None else None, "version": row["version"]}


def stored(conn: Connection, member_state: str) -> dict[str, Any] | None:
    """The state's setting as stored, or ``None`` (no rights checked: the caller has)."""
    row = conn.execute(select(T).where(T.c.member_state == member_state)).mappings().first()
    return None if row is None else _as_dict(row)


def may_set(principal: Principal, member_state: str) -> bool:
    """Whether ``principal`` sets ``member_state``'s court or tribunal: its administrator."""
    return principal.has(*SET_ROLES) and principal.member_state == member_state


def _require_setter(principal: Principal, ms: str) -> None:
    require(principal, *SET_ROLES)
    if principal.member_state != ms:
        raise Forbidden(f"the court or tribunal that hears appeals against {authority_name(ms)}'s decisions is "
                        f"set by {authority_name(ms)}'s administrator (national law names it)")


def find(services: Services, principal: Principal, member_state: str) -> dict[str, Any] | None:
    """A state's court or tribunal as set, or ``None`` where the state has set none. Public
    information: any user who reads the procedures' reference data reads any state's."""
    require(principal, *READ_ROLES)
    ms = _state(member_state)
    with services.engine.connect() as conn:
        return stored(conn, ms)


def get(services: Services, principal: Principal, member_state: str) -> dict[str, Any]:
    """:func:`find`, ``NotFound`` where the state has set none."""
    found = find(services, principal, member_state)
    if found is None:
        ms = _state(member_state)
        raise NotFound(f"{authority_name(ms)} ({ms}) has set no court or tribunal for its decisions' notices: "
                       "the notice explains the remedy in general terms")
    return found


def list_all(services: Services, principal: Principal) -> list[dict[str, Any]]:
    """Every state's setting, by state."""
    require(principal, *READ_ROLES)
    with services.engine.connect() as conn:
        rows = conn.execute(select(T).order_by(T.c.member_state)).mappings()
        return [_as_dict(r) for r in rows]


def set_body(services: Services, principal: Principal, member_state: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Set (or replace) the state's court or tribunal: its administrator only; every field checked
    at once (``ValidationProblem`` per field); replacing one names the version replaced (``Conflict``
    when it is stale or not given). Audited with before and after."""
    ms = _state(member_state)
    _require_setter(principal, ms)
    body = rules.validate(ms, raw)
    version = raw.get("version")
    with services.uow() as uow:
        before = stored(uow.conn, ms)
        values = {"name": body.name, "address": body.address, "how_to_lodge": body.how_to_lodge,
                  "national_law": body.national_law, "updated_by": principal.username, "updated_at": uow.now}
        if before is None:
            if version not in (None, 0):
                raise Conflict(f"{authority_name(ms)} has no court or tribunal set to replace (version {version}): "
                               "it was cleared; reload and set it again")
            uow.conn.execute(insert(T).values(member_state=ms, created_at=uow.now, version=1, **values))
            new_version = 1
        else:
            if version is None:
                raise Conflict(f"{authority_name(ms)}'s court or tribunal is already set (version "
                               f"{before['version']}): give the version you replace")
            new_version = update_versioned(uow.conn, T, ms, int(version), values, key="member_state")
        after = {**body.as_dict(), "version": new_version}
        uow.audit(principal, "procedures.appeal_body_set", "appeal_body", ms,
                  before=_audited(before), after=after)
        uow.commit()
        return {**body.as_dict(), "updated_by": principal.username, "updated_at": uow.now.isoformat(),
                "version": new_version}


def _audited(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: row[k] for k in ("member_state", "name", "address", "how_to_lodge", "national_law", "version")}


def clear_body(services: Services, principal: Principal, member_state: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Clear the state's setting (the notice then explains the remedy in general terms again): its
    administrator only, naming the version cleared. Audited with what it said."""
    ms = _state(member_state)
    _require_setter(principal, ms)
    try:
        version = int(raw["version"])
    except (KeyError, TypeError, ValueError):
        raise ValidationProblem.one("version", "the version of the setting you clear (a whole number)") from None
    with services.uow() as uow:
        before = stored(uow.conn, ms)
        if before is None:
            raise NotFound(f"{authority_name(ms)} ({ms}) has set no court or tribunal to clear")
        if before["version"] != version:
            raise Conflict(f"{authority_name(ms)}'s court or tribunal was changed by someone else (version "
                           f"{before['version']}, you saw version {version}); reload and clear it again")
        uow.conn.execute(delete(T).where(T.c.member_state == ms, T.c.version == version))
        uow.audit(principal, "procedures.appeal_body_cleared", "appeal_body", ms,
                  before=_audited(before), after={"cleared": True})
        uow.commit()
    return {"member_state": ms, "cleared": True}
