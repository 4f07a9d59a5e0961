"""A small world for the returns end-to-end tests: a migrated SQLite store, a fixed clock, return
officers in Italy, Germany and France, and registered persons.

Helpers only (no tests here); imported by the other ``test_returns_*.py`` modules: the world,
the returns API called as an officer (:func:`post`, :func:`patch`, :func:`get`), and the
returns CLI run as a user on the world's store (:func:`cli_world`, :func:`cli`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.api.app import create_app
from pactum.common.clock import FixedClock
from pactum.registry.model import RegisterArrival
from pactum.services import registry, users
from pactum.services.auth import SYSTEM, Principal, Role
from pactum.services.bootstrap import Services
from pactum.settings import Settings
from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
API = "/api/v1/returns"


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
        created = users.create_user(
            self.services,
            SYSTEM,
            users.UserCreate(
                username=username,
                full_name=username.title(),
                authority=authority,
                roles=list(roles),
                password="a-long-password",
            ),
        )
        p = Principal(created.id, created.username, created.authority, frozenset(created.roles))
        self.principals[username] = p
        self.tokens[username] = users.open_session(self.services, p, "api")
        return p

    def person(
        self,
        officer: str,
        *,
        surname: str,
        nationality: str,
        document: bool = True,
        **extra: Any,
    ) -> str:
        p = self.principals[f"{self.principals[officer].authority.lower()}.caseworker"]
        data = {
            "identity": {
                "given_names": extra.get("given_names", "Karim"),
                "surname": surname,
                "sex": "M",
                "date_of_birth": extra.get("date_of_birth", "1994-03-02"),
                "place_of_birth": "Sfax",
                "nationality": nationality,
                "documents": [
                    {
                        "type": "passport",
                        "number": f"P{surname[:3].upper()}123",
                        "country": nationality,
                    }
                ]
                if document
                else [],
            },
            "encounter": {
                "member_state": p.authority,
                "occurred_at": extra.get("occurred_at", "2026-06-20T10:00:00+00:00"),
                "kind": extra.get("kind", "irregular_crossing"),
                "place": "Lampedusa" if p.authority == "IT" else "Munich",
            },
        }
        result = registry.register_arrival(self.services, p, RegisterArrival.model_validate(data))
        return result.person_id

    def met(self, officer: str, surname: str, nationality: str = "TUN", **extra: Any) -> str:
        """The person ``officer``'s state encountered, registered there with the identity data of
        the other state's alert (the same names, birth date and passport): the ``local_person_id``
        a hit names, which the identity search of that person confirms."""
        authority = self.principals[officer].authority
        if f"{authority.lower()}.caseworker" not in self.principals:
            self.user(f"{authority.lower()}.caseworker", authority, Role.caseworker)
        return self.person(officer, surname=surname, nationality=nationality, **extra)

    def find_alert(self, officer: str, surname: str, *, given_names: str = "Karim",
                   date_of_birth: str = "1994-03-02") -> str:
        """Search as ``officer`` through the identity search over HTTP (after the identity index
        job), and return the one return alert it discloses: the lawful hit a state needs before it
        may act on another state's alert."""
        from pactum.services.jobs import load_all

        load_all()["identity_index"].fn(self.services, self.services.clock.now())
        r = self.client.post("/api/v1/identity/search", headers=self.headers(officer),
                             json={"surname": surname, "given_names": given_names,
                                   "date_of_birth": date_of_birth})
        assert r.status_code == 200, r.text
        alerts = [c["alert_id"] for c in r.json()["candidates"] if c["component"] == "sis_return_alert"]
        assert len(alerts) == 1, r.json()
        return alerts[0]


def make_world(tmp_path: Path) -> World:
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    migrate(url)
    clock = FixedClock(NOW)
    services = Services(
        settings=Settings(
            database_url=url,
            var_dir=tmp_path,
            argon2_time_cost=1,
            argon2_memory_kib=1024,
            session_hours=24 * 365,
        ),
        clock=clock,
        engine_override=make_engine(url),
    )
    world = World(services=services, clock=clock, client=TestClient(create_app(services)))
    world.user("it.returns", "IT", Role.return_officer)
    world.user("de.returns", "DE", Role.return_officer)
    world.user("fr.returns", "FR", Role.return_officer)
    world.user("it.caseworker", "IT", Role.caseworker)
    world.user("de.caseworker", "DE", Role.caseworker)
    world.user("de.analyst", "DE", Role.analyst)
    return world


#: The workflow steps of an asylum case up to a decision, with the fields each takes (dates filled in
#: by :func:`asylum_case`).
_TO_DECISION = ("lodge", "schedule_interview", "hold_interview", "draft_decision", "submit_for_review", "approve")


def asylum_case(
    world: World,
    person_id: str,
    *,
    made_on: str,
    context: str = "apprehended_at_external_border",
    until: str = "registered",
    outcome: str = "rejected_unfounded",
    decided_on: str | None = None,
    notified_on: str | None = None,
) -> dict[str, Any]:
    """An asylum case of an Italian person made (and registered) on ``made_on``, carried through the
    procedures area's own workflow ``until`` a state: ``registered``, ``lodged``, ``decided`` (with
    ``outcome`` on ``decided_on``) or ``notified`` (on ``notified_on``, without a return decision).
    The reviewer of the decision is another caseworker (the second-level review)."""
    from datetime import date as _date

    from pactum.services import procedures
    from pactum.services.procedures import ApplicationCreate

    cw = world.principals["it.caseworker"]
    reviewer = world.principals.get("it.reviewer") or world.user("it.reviewer", "IT", Role.caseworker)
    case = procedures.create_application(world.services, cw, ApplicationCreate(
        person_id=person_id, made_on=_date.fromisoformat(made_on), registered_on=_date.fromisoformat(made_on),
        context=context))  # type: ignore[arg-type]
    if until == "registered":
        return case
    day = made_on
    fields = {"lodge": {"lodged_on": day}, "schedule_interview": {"interview_on": day, "language": "Bengali"},
              "hold_interview": {"held_on": day, "interpreter_language": "Bengali"},
              "draft_decision": {"outcome": outcome, "reasons": "no well-founded fear shown (interview record)"}, "submit_for_review": {},
              "approve": {"decided_on": decided_on or day}}
    for action in _TO_DECISION:
        who = reviewer if action == "approve" else cw
        case = procedures.act(world.services, who, case["id"], action, fields[action], case["version"])
        if until == "lodged" and action == "lodge":
            return case
    if until == "notified":
        case = procedures.act(world.services, cw, case["id"], "notify",
                              {"notified_on": notified_on or decided_on or day}, case["version"])
    return case


def post(world: World, officer: str, path: str, body: dict[str, Any]) -> Any:
    """``POST /api/v1/returns{path}`` as ``officer``."""
    return world.client.post(f"{API}{path}", json=body, headers=world.headers(officer))


def patch(world: World, officer: str, path: str, body: dict[str, Any]) -> Any:
    """``PATCH /api/v1/returns{path}`` as ``officer``."""
    return world.client.patch(f"{API}{path}", json=body, headers=world.headers(officer))


def get(world: World, officer: str, path: str) -> Any:
    """``GET /api/v1/returns{path}`` as ``officer``."""
    return world.client.get(f"{API}{path}", headers=world.headers(officer))


def cli_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    """A world whose store the command line uses."""
    w = make_world(tmp_path)
    monkeypatch.setenv("PACTUM_DATABASE_URL", w.services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    return w


def cli(monkeypatch: pytest.MonkeyPatch, user: str, *args: str, stdin: str | None = None) -> Any:
    """``pactum returns …`` as ``user`` (``PACTUM_CLI_USER``)."""
    from pactum.cli.main import app

    monkeypatch.setenv("PACTUM_CLI_USER", user)
    return CliRunner().invoke(app, ["returns", *args], input=stdin)


def browser(world: World, username: str) -> TestClient:
    """A web client of ``world`` logged in as ``username`` (every user of the world has the same
    password)."""
    client = TestClient(create_app(world.services))
    r = client.post("/login", data={"username": username, "password": "a-long-password"})
    assert r.status_code in (200, 303), r.text
    return client
