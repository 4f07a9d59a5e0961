"""Roles, principals and the checks every handler makes.

Passwords are hashed with argon2id (argon2-cffi). Session and API tokens are random 256-bit
values; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pactum.common.errors import Forbidden
from pactum.common.states import EU_BODIES, MEMBER_STATES


class Role(StrEnum):
    caseworker = "caseworker"
    dublin_unit = "dublin_unit"
    return_officer = "return_officer"
    solidarity_coordinator = "solidarity_coordinator"
    analyst = "analyst"
    auditor = "auditor"
    admin = "admin"


ROLE_LABELS = {
    Role.caseworker: "Caseworker (registration, screening, asylum)",
    Role.dublin_unit: "Dublin unit",
    Role.return_officer: "Return officer",
    Role.solidarity_coordinator: "Solidarity coordinator",
    Role.analyst: "Analyst",
    Role.auditor: "Auditor",
    Role.admin: "Administrator",
}


@dataclass(frozen=True)
class Principal:
    user_id: str
    username: str
    authority: str
    roles: frozenset[Role] = field(default_factory=frozenset)

    @property
    def member_state(self) -> str | None:
        """The state whose records this user works on; ``None`` for an EU body."""
        return self.authority if self.authority in MEMBER_STATES else None

    @property
    def is_eu_body(self) -> bool:
        return self.authority in EU_BODIES

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


class RoleRequired(Forbidden):
    """Forbidden for want of a role: the API says the roles by their codes (its contract), the web
    pages by their labels (``roles``)."""

    def __init__(self, roles: tuple[Role, ...]):
        self.roles = roles
        super().__init__(f"this action needs one of the roles: {', '.join(r.value for r in roles)}")

    def in_words(self) -> str:
        labels = [ROLE_LABELS[r] for r in self.roles]
        said = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
        return f"This needs the role of {said}, which your account does not hold."


def require(principal: Principal, *roles: Role) -> None:
    """Raise ``Forbidden`` (:class:`RoleRequired`) unless the principal holds one of ``roles``."""
    if not principal.has(*roles):
        raise RoleRequired(roles)


# The principal the CLI uses for local operator commands (scenario build, retention, jobs): the
# CLI without ``PACTUM_CLI_USER`` (:func:`pactum.cli.io.cli_principal`).
SYSTEM = Principal(
    user_id="system", username="system", authority="EU-LISA", roles=frozenset(Role)
)

#: The refusal of what acts for a Member State to the local operator (:data:`SYSTEM`), which
#: belongs to no state: the variable the operator forgot, not only that a state is needed.
LOCAL_OPERATOR_REFUSAL = ("this command acts for a Member State: set PACTUM_CLI_USER to one of its "
                          "users' names")


def refuse_local_operator(principal: Principal) -> None:
    """``Forbidden`` naming ``PACTUM_CLI_USER`` for the local operator (:data:`SYSTEM`) on what acts
    for a Member State's user: a read of a state's own records would otherwise answer an empty
    list ("no work") and a state's command refuse without saying why."""
    if principal == SYSTEM:
        raise Forbidden(LOCAL_OPERATOR_REFUSAL)


def state_scope(principal: Principal) -> str | None:
    """The state whose own records a read shows: the principal's Member State, ``None`` for an EU
    body's user (who sees none of them); ``Forbidden`` for the local operator
    (:func:`refuse_local_operator`)."""
    refuse_local_operator(principal)
    return principal.member_state


def require_member_state(principal: Principal) -> str:
    """The principal's Member State, or ``Forbidden`` for EU-body users (no national records) and
    the local operator (:func:`refuse_local_operator`)."""
    refuse_local_operator(principal)
    ms = principal.member_state
    if ms is None:
        raise Forbidden("this action is for a Member State authority")
    return ms


class Passwords:
    def __init__(self, time_cost: int = 2, memory_kib: int = 19456):
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
