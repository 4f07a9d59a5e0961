"""A small world for the responsibility end-to-end tests: a migrated SQLite store, a fixed clock
that tests move forward, and Dublin units and caseworkers in Germany, Italy and France.

Helpers only (no tests here); imported by the other ``test_responsibility_*.py`` modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from pactum.api.app import create_app
from pactum.common.clock import FixedClock
from pactum.services import users
from pactum.services.auth import SYSTEM, Principal, Role
from pactum.services.bootstrap import Services
from pactum.settings import Settings
from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
API = "/api/v1/responsibility"

#: An application's facts as the API takes them: registered in Germany, entered irregularly into Italy.
EXAMPLE = {
    "application": {"registered_in": "DE", "registered_on": "2026-09-01"},
    "applicant": {"date_of_birth": "2001-05-03", "unaccompanied_minor": False},
    "family_members": [], "documents": [], "diplomas": [],
    "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-03-01"}],
    "stays": [], "relocated_to": None, "security_threat": False,
}


@dataclass
class World:
    services: Services
    clock: FixedClock
    client: TestClient
    principals: dict[str, Principal] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def user(self, username: str, authority: str, *roles: Role) -> Principal:
        created = users.create_user(self.services, SYSTEM, users.UserCreate(
            username=username, full_name=username.title(), authority=authority,
            roles=list(roles), password="a-long-password"))
        p = Principal(created.id, created.username, created.authority, frozenset(created.roles))
        self.principals[username] = p
        self.tokens[username] = users.open_session(self.services, p, "api")
        return p

    def post(self, who: str, path: str, body: Any) -> Any:
        return self.client.post(f"{API}{path}", json=body, headers=self.headers(who))

    def get(self, who: str, path: str) -> Any:
        return self.client.get(f"{API}{path}", headers=self.headers(who))

    def advance(self, days: int) -> None:
        """Move the clock; sessions expire with time, so every user logs in again."""
        self.clock.set(self.clock.now() + timedelta(days=days))
        for username, p in self.principals.items():
            self.tokens[username] = users.open_session(self.services, p, "api")


def make_world(tmp_path: Path) -> World:
    url = f"sqlite:///{tmp_path / 'responsibility.db'}"
    engine = make_engine(url)
    upgrade(engine)
    clock = FixedClock(NOW)
    services = Services(
        settings=Settings(database_url=url, var_dir=tmp_path, argon2_time_cost=1,
                          argon2_memory_kib=1024),
        clock=clock, engine_override=engine)
    world = World(services=services, clock=clock, client=TestClient(create_app(services)))
    for ms in ("DE", "IT", "FR"):
        world.user(f"{ms.lower()}.dublin", ms, Role.dublin_unit)
        world.user(f"{ms.lower()}.caseworker", ms, Role.caseworker)
    world.user("com.analyst", "COM", Role.analyst)
    world.user("de.returns", "DE", Role.return_officer)
    return world


def case_body(reference: str, **facts: Any) -> dict[str, Any]:
    """A German application of 2026-08-20 (AMMR) with an irregular entry into Italy by default."""
    f: dict[str, Any] = {
        "application": {"registered_in": "DE", "registered_on": "2026-08-20"},
        "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-06-01"}],
    }
    f.update(facts)
    return {"reference": reference, "applicant_name": "Ahmad Karimi", "facts": f}
