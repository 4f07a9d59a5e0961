"""Fixtures shared by every area's tests.

- ``services``: a migrated SQLite store (a copy of a session-wide template) with the demo users,
  a fixed clock at 2026-11-28 12:00 UTC, and cheap password hashing.
- ``client``: a FastAPI TestClient over those services.
- ``auth_headers(username)``: bearer-token headers for a demo user.
- ``web_client(username)``: a TestClient logged in through the web session cookie.
- ``demo_world(**build_arguments)``: fills ``services`` with a demo world as
  ``pactum.scenario.world.build(services, **build_arguments)`` would, built once per test run for
  each set of arguments (``built_world``, under a lock the test processes share) and copied into
  the test's store (``copy_world``).
- ``pg_services``: the same on PostgreSQL (tests marked ``postgres``; CI runs them, never skips).

Property tests (Hypothesis) run without a time limit per example: timing belongs to the
benchmarks in ``bench/``, and on two cores shared with another test process an example over
Hypothesis's default 200 ms failed a correct test now and then. Under ``CI`` the examples are
drawn from a fixed seed, so a CI run is repeatable.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, select, text

from pactum.api.app import create_app
from pactum.api.deps import SESSION_COOKIE
from pactum.common.clock import FixedClock
from pactum.services import users as users_service
from pactum.services.auth import Principal, Role
from pactum.services.bootstrap import Services
from pactum.settings import Settings
from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.platform import users as users_table

hypothesis_settings.register_profile("pactum", deadline=None, derandomize=bool(os.environ.get("CI")))
hypothesis_settings.load_profile("pactum")

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
PG_ADMIN_URL = os.environ.get("PACTUM_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _settings(var_dir: Path, url: str) -> Settings:
    return Settings(database_url=url, var_dir=var_dir, argon2_time_cost=1, argon2_memory_kib=1024)


def _seed_users(services: Services) -> None:
    from pactum.scenario.steps.registry import DEMO_PASSWORD, DEMO_USERS
    from pactum.services.auth import SYSTEM

    for username, authority, roles, full_name in DEMO_USERS:
        users_service.create_user(services, SYSTEM, users_service.UserCreate(
            username=username, full_name=full_name, authority=authority, roles=roles,
            password=DEMO_PASSWORD))


@pytest.fixture(autouse=True)
def _commands_on_the_tests_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command run in the test's process (Typer's ``CliRunner``) builds its services with the
    system clock (``services.bootstrap``): it reads the tests' clock instead, as the ``services``
    fixture does, so that what a test expects of "today" holds on whatever day the suite runs (a
    row of December 2026 was "in the future" on 28 November, and accepted on 1 December)."""
    monkeypatch.setattr("pactum.services.bootstrap.SystemClock", lambda: FixedClock(NOW))


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template")
    path = root / "pactum.db"
    services = Services(settings=_settings(root, f"sqlite:///{path}"), clock=FixedClock(NOW))
    upgrade(services.engine)
    _seed_users(services)
    services.engine.dispose()
    return path


@pytest.fixture
def services(_template_db: Path, tmp_path: Path) -> Iterator[Services]:
    path = tmp_path / "pactum.db"
    shutil.copy(_template_db, path)
    s = Services(settings=_settings(tmp_path, f"sqlite:///{path}"), clock=FixedClock(NOW))
    yield s
    s.engine.dispose()


def _world_key(arguments: dict[str, object]) -> str:
    import hashlib

    return hashlib.sha256(repr(sorted(arguments.items())).encode()).hexdigest()[:16]


@pytest.fixture(scope="session")
def built_world(_template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``built_world(scale=…, seed=…, end=…, only=…, evaluate_alerts=False)``: the store file of the
    demo world those arguments build on a fresh store with the demo users (and, with
    ``evaluate_alerts``, the situational-awareness alerts evaluated, as a user's first visit would),
    built once per test run for each set of arguments, under a lock the test processes share. Copy
    it, never open it: it is every test's."""
    from pactum.scenario.world import build

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base

    def make(*, evaluate_alerts: bool = False, **arguments: object) -> Path:
        arguments.setdefault("show_progress", False)
        key = _world_key({**arguments, "evaluate_alerts": evaluate_alerts})
        built = shared / f"world-{key}" / "pactum.db"
        with open(shared / f"world-{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not built.exists():
                work = shared / f"world-{key}.building"
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir()
                shutil.copy(_template_db, work / "pactum.db")
                s = Services(settings=_settings(work, f"sqlite:///{work / 'pactum.db'}"), clock=FixedClock(NOW))
                build(s, **arguments)  # type: ignore[arg-type]
                if evaluate_alerts:
                    from pactum.services import awareness
                    from pactum.services.auth import SYSTEM

                    awareness.evaluate_alerts(s, SYSTEM)
                s.engine.dispose()
                raw = sqlite3.connect(work / "pactum.db")  # the whole store in its one file
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                raw.close()
                work.rename(built.parent)
        return built

    return make


def copy_world(built: Path, target: Path) -> None:
    """Copy the store ``built`` (and the biometric index beside it) to ``target``, replacing
    whatever store was there."""
    for leftover in target.parent.glob(target.name + "-*"):  # the replaced store's -wal and -shm
        leftover.unlink()
    for source in built.parent.glob(built.name + "*"):
        if not source.name.endswith(("-wal", "-shm")):
            shutil.copy(source, target.with_name(target.name + source.name.removeprefix(built.name)))


@pytest.fixture
def demo_world(services: Services, built_world: Callable[..., Path]) -> Callable[..., Services]:
    """``demo_world(scale=…, seed=…, end=…, only=…, evaluate_alerts=False)`` makes ``services``'s
    store the demo world those arguments build (see ``built_world``) and returns ``services``: a
    build is the costliest setup of the suite, and the same seed builds the same world, so it is
    built once and copied. Call it first, before the test writes anything to ``services``."""

    def make(**arguments: object) -> Services:
        built = built_world(**arguments)
        services.engine.dispose()
        copy_world(built, Path(str(services.engine.url.database)))
        return services

    return make


def unlabelled_fields(html: str) -> list[str]:
    """The form fields of a page that no label names (not inside a ``<label>``, no
    ``<label for>``, no ``aria-label``): a screen reader announces them without a name (WCAG 2.1
    success criterion 1.3.1, required of public-sector sites by Directive (EU) 2016/2102)."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0
            self.label_for: set[str] = set()
            self.fields: list[tuple[str, str | None, bool]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "label":
                self.depth += 1
                if a.get("for"):
                    self.label_for.add(str(a["for"]))
            elif tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit", "button"):
                named = self.depth > 0 or bool(a.get("aria-label") or a.get("aria-labelledby") or a.get("title"))
                self.fields.append((f"<{tag} name={a.get('name')!r}>", a.get("id"), named))

        def handle_endtag(self, tag: str) -> None:
            if tag == "label" and self.depth:
                self.depth -= 1

    parser = Fields()
    parser.feed(html)
    return [text for text, id_, named in parser.fields if not named and (id_ is None or id_ not in parser.label_for)]


def principal_of(services: Services, username: str) -> Principal:
    with services.engine.connect() as conn:
        row = conn.execute(select(users_table).where(users_table.c.username == username)).first()
    assert row is not None, f"no demo user {username}"
    return Principal(row.id, row.username, row.authority, frozenset(Role(r) for r in row.roles))


@pytest.fixture
def principal(services: Services) -> Callable[[str], Principal]:
    return lambda username: principal_of(services, username)


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as c:
        yield c


@pytest.fixture
def auth_headers(services: Services) -> Callable[[str], dict[str, str]]:
    def make(username: str) -> dict[str, str]:
        token = users_service.open_session(services, principal_of(services, username), "api")
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def web_client(services: Services) -> Iterator[Callable[[str], TestClient]]:
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        c = TestClient(create_app(services))
        token = users_service.open_session(services, principal_of(services, username), "web")
        c.cookies.set(SESSION_COOKIE, token)
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()


# ------------------------------------------------------------------ PostgreSQL


@pytest.fixture(scope="session")
def _pg_database() -> Iterator[str]:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"pactum_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_services(_pg_database: str, tmp_path: Path) -> Iterator[Services]:
    s = Services(settings=_settings(tmp_path, _pg_database), clock=FixedClock(NOW))
    from pactum.store.tables import metadata

    with s.engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} CASCADE"))
    _seed_users(s)
    yield s
    s.engine.dispose()


@pytest.fixture
def pg_client(pg_services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(pg_services)) as c:
        yield c
