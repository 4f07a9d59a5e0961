"""A small world for the procedures end-to-end tests: a migrated SQLite store, a fixed clock,
caseworkers in Italy and Germany, an Italian supervisor, a Commission administrator, registered
persons. Helpers only (no tests here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from pactum.api.app import create_app
from pactum.common.clock import FixedClock
from pactum.registry.model import RegisterArrival
from pactum.services import registry, users
from pactum.services.auth import SYSTEM, Principal, Role
from pactum.services.bootstrap import Services
from pactum.settings import Settings
from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade

NOW = datetime(2026, 8, 3, 9, 0, tzinfo=UTC)
API = "/api/v1/procedures"


def migrate(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()


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

    def person(self, officer: str, *, surname: str, nationality: str,
               kind: str = "sar_disembarkation", occurred_at: str = "2026-08-01T06:00:00+00:00"
               ) -> str:
        p = self.principals[officer]
        data = {
            "identity": {"given_names": "Rahim", "surname": surname, "sex": "M",
                         "date_of_birth": "1996-05-04", "nationality": nationality,
                         "documents": []},
            "encounter": {"member_state": p.authority, "occurred_at": occurred_at, "kind": kind,
                          "place": "Lampedusa" if p.authority == "IT" else "Munich"},
        }
        return registry.register_arrival(self.services, p, RegisterArrival.model_validate(data)).person_id

    def travel(self, at: datetime) -> None:
        """Move the clock (sessions are opened again: they expire with time)."""
        self.clock.set(at)
        for username, p in self.principals.items():
            self.tokens[username] = users.open_session(self.services, p, "api")

    def post(self, who: str, path: str, body: Any) -> Any:
        return self.client.post(f"{API}{path}", json=body, headers=self.headers(who))

    def get(self, who: str, path: str, **params: Any) -> Any:
        return self.client.get(f"{API}{path}", params=params, headers=self.headers(who))

    def apply(self, who: str, person_id: str, **facts: Any) -> dict[str, Any]:
        body = {"person_id": person_id, "made_on": "2026-08-01", "registered_on": "2026-08-03",
                "context": "sar_disembarkation", **facts}
        r = self.post(who, "/applications", body)
        assert r.status_code == 201, r.text
        return dict(r.json())

    def act(self, who: str, case: dict[str, Any], action: str, **fields: Any) -> Any:
        return self.post(who, f"/applications/{case['id']}/actions",
                         {"action": action, "version": case["version"], **fields})


def make_world(tmp_path: Path) -> World:
    url = f"sqlite:///{tmp_path / 'procedures.db'}"
    migrate(url)
    clock = FixedClock(NOW)
    services = Services(
        settings=Settings(database_url=url, var_dir=tmp_path, argon2_time_cost=1,
                          argon2_memory_kib=1024),
        clock=clock, engine_override=make_engine(url))
    world = World(services=services, clock=clock, client=TestClient(create_app(services)))
    world.user("it.caseworker", "IT", Role.caseworker)
    world.user("it.reviewer", "IT", Role.caseworker)
    world.user("de.caseworker", "DE", Role.caseworker)
    world.user("it.analyst", "IT", Role.analyst)
    world.user("euaa.analyst", "EUAA", Role.analyst)
    world.user("com.admin", "COM", Role.admin)
    return world


def login(world: World, username: str) -> TestClient:
    """A web client of ``world`` logged in as ``username`` (every user of the world has the same
    password)."""
    client = TestClient(world.client.app)
    r = client.post("/login", data={"username": username, "password": "a-long-password", "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def ok(r: Any) -> dict[str, Any]:
    """The JSON of a 200 answer (the answer's text when it is not one)."""
    assert r.status_code == 200, r.text
    return dict(r.json())


def dublin_case_with_request(world: World, person_id: str, *, status: str = "accepted",
                             sent_on: date = date(2026, 8, 10), accepted_on: date | None = date(2026, 8, 20),
                             closed_on: date | None = None, **request: Any) -> None:
    """DE's Dublin case of the person (registered 3 August 2026, Italy determined on irregular
    entry) and DE's take-charge request to Italy in ``status``: the facts by which a case of DE
    waits on another state's responsibility. ``request``: more columns of the request."""
    from sqlalchemy import insert

    from pactum.store.tables.responsibility import dublin_cases, dublin_requests

    now = world.clock.now()
    with world.services.engine.begin() as conn:
        conn.execute(insert(dublin_cases).values(
            id="dbc_1", reference="DE-2026-0007", person_id=person_id, member_state="DE",
            registered_on=date(2026, 8, 3), facts={}, regime="ammr", responsible_member_state="IT",
            criterion="irregular_entry", legal_basis=[], trace=[], created_by="de.dublin",
            created_at=now, version=1))
        conn.execute(insert(dublin_requests).values(**{
            "id": "dbr_1", "case_id": "dbc_1", "kind": "take_charge", "regime": "ammr",
            "registered_on": date(2026, 8, 3), "requesting_member_state": "DE", "requested_member_state": "IT",
            "status": status, "legal_basis": [], "evidence": [], "eurodac_hit": False, "detained": False,
            "unaccompanied_minor": False, "sent_on": sent_on, "request_deadline": date(2026, 10, 3),
            "late": False, "accepted_on": accepted_on, "closed_on": closed_on, "transferred_on": None,
            "responsible_member_state": None, "deadlines": {}, "created_by": "de.dublin", "created_at": now,
            "updated_at": now, "version": 1, **request}))


def make_cli_world(tmp_path: Path, monkeypatch: Any) -> World:
    """:func:`make_world`, with the environment a command run in the test's process reads its
    store and folder from (``PACTUM_DATABASE_URL``, ``PACTUM_VAR_DIR``)."""
    w = make_world(tmp_path)
    monkeypatch.setenv("PACTUM_DATABASE_URL", w.services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    return w
