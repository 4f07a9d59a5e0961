"""Registration on the server's event loop (PostgreSQL): the group commit of concurrent
registrations keeps every registration whole, its idempotency key and one linear audit chain."""

from __future__ import annotations

import asyncio
import copy
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from pactum.registry.model import RegisterArrival
from pactum.services import audit, registry
from pactum.services.uow import AsyncStore, Pending
from pactum.store.tables.platform import audit_log, idempotency_keys
from pactum.store.tables.registry import encounters, identity_records, persons
from tests.conftest import principal_of

pytestmark = pytest.mark.postgres

ARRIVAL = {
    "identity": {"surname": "Okafor", "given_names": "Chinedu", "nationality": "NGA",
                 "date_of_birth": "1998-02-11"},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-25T10:00:00Z",
                  "kind": "sar_disembarkation"},
    "biometrics": {"captured_at": "2026-11-25T12:00:00Z"},
}


def _arrival(i: int) -> RegisterArrival:
    data = copy.deepcopy(ARRIVAL)
    data["identity"]["surname"] = f"Okafor{i}"
    return RegisterArrival.model_validate(data)


def _count(services, table) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def test_concurrent_registrations_commit_in_groups_each_whole_and_once(pg_services):
    officer = principal_of(pg_services, "it-caseworker")

    async def run() -> tuple[list[str], AsyncStore]:
        store = AsyncStore(pg_services.engine, size=4)
        try:
            # 60 calls, 20 keys: every key's three calls are in flight at once
            answers = await asyncio.gather(*(
                registry.register_arrival_json_async(pg_services, store, officer, _arrival(i % 20),
                                                     idempotency_key=f"k{i % 20}")
                for i in range(60)))
        finally:
            await store.close()
        return answers, store

    answers, store = asyncio.run(run())
    # registrations were committed together (fewer transactions than registrations)
    assert store.groups < store.grouped
    by_key: dict[str, set[str]] = {}
    for i, answer in enumerate(answers):
        by_key.setdefault(f"k{i % 20}", set()).add(json.loads(answer)["person_id"])
    # every call with a key got the answer of the one registration made under it
    assert all(len(people) == 1 for people in by_key.values())
    assert len({p for people in by_key.values() for p in people}) == 20
    assert _count(pg_services, encounters) == 20
    assert _count(pg_services, persons) == 20
    assert _count(pg_services, idempotency_keys) == 20
    # one audit entry per registration, the chain linear and intact
    with pg_services.engine.connect() as conn:
        actions = conn.execute(select(audit_log.c.action)).scalars().all()
    assert actions.count("arrival.registered") == 20
    assert audit.verify_store(pg_services).ok


def test_a_failing_command_in_a_group_fails_alone(pg_services):
    officer = principal_of(pg_services, "it-caseworker")

    async def run() -> list[object]:
        store = AsyncStore(pg_services.engine, size=2)
        try:
            good = []
            for i in range(5):
                work = Pending(pg_services.clock.now())
                registry._register(work, officer, "IT", _arrival(i), None)
                good.append(work)
            bad = Pending(pg_services.clock.now())
            # an identity record of a person who does not exist: the foreign key refuses it
            bad.at_commit(insert(identity_records), {
                "id": "idr-orphan", "person_id": "per-none", "member_state": "IT",
                "recorded_on": pg_services.clock.today(), "category": "sar", "version": 1,
                "created_at": pg_services.clock.now()})
            bad.audit(officer, "arrival.registered", "identity_record", "idr-orphan")
            works = [*good[:2], bad, *good[2:]]
            return await asyncio.gather(*(store.commit(w) for w in works),
                                        return_exceptions=True)
        finally:
            await store.close()

    results = asyncio.run(run())
    assert [r is None for r in results] == [True, True, False, True, True, True]
    assert isinstance(results[2], IntegrityError)
    assert _count(pg_services, encounters) == 5
    with pg_services.engine.connect() as conn:
        ids = conn.execute(select(audit_log.c.entity_id).where(
            audit_log.c.action == "arrival.registered")).scalars().all()
    assert "idr-orphan" not in ids and len(ids) == 5
    assert audit.verify_store(pg_services).ok


def test_the_served_api_registers_on_the_event_loop(pg_client, pg_services):
    from pactum.services import users

    assert pg_client.app.state.async_store is not None  # type: ignore[attr-defined]
    token = users.open_session(pg_services, principal_of(pg_services, "it-caseworker"), "api")
    headers = {"Authorization": f"Bearer {token}"}

    def post(i: int) -> tuple[int, str]:
        data = copy.deepcopy(ARRIVAL)
        data["identity"]["surname"] = f"Okafor{i % 8}"  # a key's calls send the same arrival
        r = pg_client.post("/api/v1/registry/arrivals", json=data,
                           headers={**headers, "Idempotency-Key": f"api-{i % 8}"})
        return r.status_code, r.json()["person_id"]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(post, range(32)))
    assert {status for status, _ in results} == {201}
    assert len({person for _, person in results}) == 8
    assert _count(pg_services, encounters) == 8
    assert audit.verify_store(pg_services).ok


def test_a_failed_group_leaves_the_connection_usable(pg_services):
    # the driver prepares a statement on the server from its fifth use; a group that fails in
    # the middle of the pipeline must not leave the connection believing in statements the server
    # never prepared (the next commands on it would fail)
    officer = principal_of(pg_services, "it-caseworker")

    async def run() -> list[str]:
        store = AsyncStore(pg_services.engine, size=1)
        try:
            answers = []
            for round_ in range(10):  # each round: 4 registrations, each key sent twice at once
                answers += await asyncio.gather(*(
                    registry.register_arrival_json_async(
                        pg_services, store, officer, _arrival(round_ * 4 + i % 4),
                        idempotency_key=f"r{round_}-{i % 4}")
                    for i in range(8)))
            return answers
        finally:
            await store.close()

    answers = asyncio.run(run())
    assert len({json.loads(a)["person_id"] for a in answers}) == 40
    assert _count(pg_services, encounters) == 40
    assert audit.verify_store(pg_services).ok
