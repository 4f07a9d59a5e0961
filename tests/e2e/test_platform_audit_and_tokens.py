"""The audit chain written at commit, and the API's short-lived token cache (ADR 0005)."""

from __future__ import annotations

import copy
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from html import unescape

import pytest
from sqlalchemy import func, select, text

from pactum.api.deps import TokenCache
from pactum.registry.model import RegisterArrival
from pactum.services import audit, registry
from pactum.services.auth import SYSTEM
from pactum.store.tables.platform import audit_head, audit_log, idempotency_keys
from tests.conftest import principal_of

ARRIVAL = {
    "identity": {"surname": "Okafor", "given_names": "Chinedu", "nationality": "NGA",
                 "date_of_birth": "1998-02-11"},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-25T10:00:00Z",
                  "kind": "sar_disembarkation"},
    "biometrics": {"captured_at": "2026-11-25T12:00:00Z"},
}


def _entries(services):
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(audit_log)).scalar()


def test_entries_of_a_unit_of_work_are_written_with_its_commit_and_chain(services):
    before = _entries(services)
    with services.uow() as uow:
        uow.audit(SYSTEM, "test.first", "thing", "t1", after={"n": 1})
        uow.audit(SYSTEM, "test.second", "thing", "t1", before={"n": 1}, after={"n": 2})
        # recorded but not yet in the log: the chain is touched only at commit
        assert uow.conn.execute(select(func.count()).select_from(audit_log)).scalar() == before
        uow.commit()
    assert _entries(services) == before + 2
    with services.engine.connect() as conn:
        last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(2)).all()
        head = conn.execute(select(audit_head)).one()
    assert [r.action for r in last] == ["test.second", "test.first"]
    assert last[0].prev_hash == last[1].hash and head.hash == last[0].hash
    assert last[0].before == {"n": 1} and last[0].after == {"n": 2}
    assert audit.verify_store(services).ok


def test_a_unit_of_work_left_without_commit_writes_no_entry(services):
    before = _entries(services)
    with pytest.raises(RuntimeError), services.uow() as uow:
        uow.audit(SYSTEM, "test.failed", "thing", "t2")
        raise RuntimeError("the handler failed")
    assert _entries(services) == before
    assert audit.verify_store(services).ok


def test_an_entry_keeps_the_values_it_was_given_even_if_the_handler_changes_them_later(services):
    values = {"status": "open"}
    with services.uow() as uow:
        uow.audit(SYSTEM, "test.snapshot", "thing", "t3", after=values)
        values["status"] = "closed"
        uow.commit()
    with services.engine.connect() as conn:
        after = conn.execute(select(audit_log.c.after).where(audit_log.c.entity_id == "t3")).scalar()
    assert after == {"status": "open"}


def test_flush_audit_lets_a_handler_read_its_own_entries(services):
    with services.uow() as uow:
        uow.audit(SYSTEM, "test.flushed", "thing", "t4")
        uow.flush_audit()
        assert audit.entity_history(uow.conn, "t4")[0]["action"] == "test.flushed"
        uow.commit()
    assert audit.verify_store(services).ok


def test_a_retried_registration_answers_the_first_result_and_writes_nothing(client, auth_headers, services):
    headers = {**auth_headers("it-caseworker"), "Idempotency-Key": "retry-1"}
    first = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=headers)
    entries = _entries(services)
    again = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert first.json()["screening"]["deadline_at"].startswith("2026-12-02")
    assert _entries(services) == entries  # the retry was not audited as a second registration
    with services.engine.connect() as conn:
        stored = conn.execute(select(idempotency_keys.c.response)).scalar()
    assert registry.RegistrationPublic.model_validate_json(stored).person_id == first.json()["person_id"]


def test_the_screening_in_the_answer_is_the_one_stored(client, auth_headers):
    r = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    answered = r.json()["screening"]
    stored = client.get(f"/api/v1/registry/screenings/{answered['id']}",
                        headers=auth_headers("it-caseworker")).json()
    assert answered == stored


# ------------------------------------------------------------------------------ token cache


class _Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_token_cache_keeps_a_principal_only_for_its_time_to_live(services):
    clock = _Clock()
    cache = TokenCache(ttl=5, clock=clock)
    officer = principal_of(services, "it-caseworker")
    cache.put("tok", officer)
    clock.t += 4.9
    assert cache.get("tok") == officer
    clock.t += 0.1
    assert cache.get("tok") is None  # after the bound the store is asked again


def test_token_cache_forgets_a_changed_user_and_stays_bounded(services):
    cache = TokenCache(ttl=5, max_entries=3, clock=_Clock())
    officer = principal_of(services, "it-caseworker")
    other = principal_of(services, "de-caseworker")
    cache.put("a", officer)
    cache.put("b", other)
    cache.forget_user(officer.user_id)
    assert cache.get("a") is None and cache.get("b") == other
    for t in ("c", "d", "e"):
        cache.put(t, other)
    assert len(cache._entries) <= 3


def test_a_deactivated_user_is_refused_at_once_by_the_process_that_deactivated_them(client, auth_headers):
    officer = auth_headers("it-caseworker")
    assert client.get("/api/v1/me", headers=officer).status_code == 200  # now cached
    admin = auth_headers("it-admin")
    user = next(u for u in client.get("/api/v1/users", headers=admin).json()
                if u["username"] == "it-caseworker")
    r = client.patch(f"/api/v1/users/{user['id']}", json={"version": user["version"], "active": False},
                     headers=admin)
    assert r.status_code == 200, r.text
    assert client.get("/api/v1/me", headers=officer).status_code == 401


def test_an_unknown_token_is_refused_every_time(client):
    for _ in range(2):
        r = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
        assert r.status_code == 401


# ------------------------------------------------------------------------------ PostgreSQL


@pytest.mark.postgres
def test_concurrent_writers_on_postgres_keep_one_verifiable_chain(pg_services):
    """16 threads, each unit of work with two entries: the database links them (sha256 in SQL)
    exactly as entry_hash does, so verify walks one unbroken chain."""
    officer = principal_of(pg_services, "it-caseworker")

    def work(i: int) -> None:
        if i % 2:
            data = copy.deepcopy(ARRIVAL)
            data["identity"]["surname"] = f"Okafor{i}"
            data["identity"]["given_names"] = "Zoë Ünal \"q\""  # non-ASCII and quotes in the payload
            registry.register_arrival(pg_services, officer, RegisterArrival.model_validate(data),
                                      idempotency_key=f"c{i}")
        else:
            with pg_services.uow() as uow:
                uow.audit(officer, "test.a", "thing", f"x{i}", after={"i": i, "name": "Ünal"})
                uow.audit(officer, "test.b", "thing", f"x{i}", before={"i": i})
                uow.commit()

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(work, range(96)))
    with pg_services.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(audit_log).where(
            audit_log.c.action.in_(("test.a", "test.b", "arrival.registered")))).scalar()
    assert n == 48 * 2 + 48
    result = audit.verify_store(pg_services)
    assert result.ok, result.problem
    with pg_services.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'x' WHERE seq = (SELECT max(seq) - 5 FROM audit_log)"))
    assert not audit.verify_store(pg_services).ok


@pytest.mark.postgres
def test_the_first_entry_of_an_empty_postgres_store_starts_the_chain(pg_services):
    with pg_services.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
        conn.execute(text("DELETE FROM audit_head"))
    with pg_services.uow() as uow:
        uow.audit(SYSTEM, "test.genesis", "thing", "g")
        uow.commit()
    with pg_services.engine.connect() as conn:
        row = conn.execute(select(audit_log)).one()
    assert row.seq == 1 and row.prev_hash == audit.GENESIS
    assert audit.verify_store(pg_services).ok


def test_writes_sent_with_the_commit_are_executed_in_the_transaction(services):
    from sqlalchemy import insert

    from pactum.store.tables.registry import persons

    with services.uow() as uow:
        uow.at_commit(insert(persons), dict(id="per_test_1", member_state="IT", created_at=uow.now,
                                            version=1))
        uow.audit(SYSTEM, "test.person", "person", "per_test_1")
        uow.commit()
    with services.engine.connect() as conn:
        assert conn.execute(select(persons.c.member_state).where(persons.c.id == "per_test_1")).scalar() == "IT"
    with services.uow() as uow:  # left without commit: the queued write is never sent
        uow.at_commit(insert(persons), dict(id="per_test_2", member_state="IT", created_at=uow.now,
                                            version=1))
    with services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(persons).where(persons.c.id == "per_test_2")).scalar() == 0


@pytest.mark.postgres
def test_a_failing_write_in_the_commit_pipeline_rolls_back_everything_on_postgres(pg_services):
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from pactum.store.tables.registry import persons

    entries = _entries(pg_services)
    with pg_services.uow() as uow:
        uow.at_commit(insert(persons), dict(id="per_dup", member_state="IT", created_at=uow.now, version=1))
        uow.commit()
    with pytest.raises(IntegrityError), pg_services.uow() as uow:
        uow.at_commit(insert(persons), dict(id="per_new", member_state="IT", created_at=uow.now, version=1))
        uow.at_commit(insert(persons), dict(id="per_dup", member_state="IT", created_at=uow.now, version=1))
        uow.audit(SYSTEM, "test.dup", "person", "per_dup")
        uow.commit()
    with pg_services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(persons).where(persons.c.id == "per_new")).scalar() == 0
    assert _entries(pg_services) == entries  # the audit entry went with the failed transaction
    # the pooled connection is clean: the next command works and the chain is intact
    officer = principal_of(pg_services, "it-caseworker")
    registry.register_arrival(pg_services, officer, RegisterArrival.model_validate(ARRIVAL))
    assert audit.verify_store(pg_services).ok


@pytest.mark.postgres
def test_a_registrations_writes_become_few_statements_the_driver_caches(pg_services):
    """The queued writes are combined into WITH statements that stay within psycopg's query cache
    (4096 characters, 50 parameters), and every row arrives."""
    from sqlalchemy import insert

    from pactum.services.uow import _combined_statements
    from pactum.store.tables.registry import persons

    rows = [dict(id=f"per_chunk_{i}", member_state="IT", created_at=datetime(2026, 11, 28, tzinfo=UTC),
                 version=1) for i in range(30)]
    statements = _combined_statements([(insert(persons), r) for r in rows], pg_services.engine.dialect)
    assert 1 < len(statements) < 30
    assert all(len(sql) <= 4096 and len(values) <= 50 for sql, values in statements)
    with pg_services.uow() as uow:
        for r in rows:
            uow.at_commit(insert(persons), r)
        uow.commit()
    with pg_services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(persons).where(
            persons.c.id.like("per_chunk_%"))).scalar() == 30


def test_the_auditor_narrows_the_log_by_who_what_and_when_and_pages_back(services, client, auth_headers,
                                                                         web_client):
    """What an auditor asks of the log: who did what, of which kind, on which days, and the entries
    before the page they read; through the API, the CLI and the audit page alike."""
    import json as _json

    from typer.testing import CliRunner

    from pactum.cli.main import app
    from tests.e2e.test_registry_api import ARRIVAL

    for _ in range(3):
        client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    h = auth_headers("auditor")
    mine = client.get("/api/v1/audit", params={"actor": "it-caseworker", "action": "arrival.registered"},
                      headers=h).json()
    assert len(mine) == 3 and {e["actor"] for e in mine} == {"it-caseworker"}
    assert [e["seq"] for e in mine] == sorted((e["seq"] for e in mine), reverse=True)  # newest first
    # an area's actions with a final dot; a day range (the test clock's day is 2026-11-28)
    area = client.get("/api/v1/audit", params={"action": "arrival."}, headers=h).json()
    assert {e["action"] for e in area} == {"arrival.registered"} and len(area) == 3
    assert len(client.get("/api/v1/audit", params={"actor": "it-caseworker", "since": "2026-11-28",
                                                    "until": "2026-11-28"}, headers=h).json()) >= 3
    assert client.get("/api/v1/audit", params={"actor": "it-caseworker", "until": "2026-11-27"},
                      headers=h).json() == []
    # paging back: the entries before the last one read
    first = client.get("/api/v1/audit", params={"action": "arrival.", "limit": 2}, headers=h).json()
    rest = client.get("/api/v1/audit", params={"action": "arrival.", "limit": 2, "before_seq": first[-1]["seq"]},
                      headers=h).json()
    assert [e["seq"] for e in first + rest] == [e["seq"] for e in area]
    bad = client.get("/api/v1/audit", params={"since": "2026-11-28", "until": "2026-11-01"}, headers=h)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "until"

    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "auditor"}
    r = CliRunner().invoke(app, ["audit", "list", "--actor", "it-caseworker", "--action", "arrival."], env=env)
    assert r.exit_code == 0, r.output
    assert [e["seq"] for e in _json.loads(r.stdout)] == [e["seq"] for e in mine]
    r = CliRunner().invoke(app, ["audit", "list", "--since", "28.11.2026"], env=env)
    assert r.exit_code == 2 and r.stderr == "error: --since: '28.11.2026' is not a day YYYY-MM-DD\n"

    page = web_client("auditor").get("/audit", params={"actor": "it-caseworker", "action": "arrival."}).text
    assert "3 entries by it-caseworker of arrival., newest first." in page
    assert 'value="it-caseworker"' in page
    refused = web_client("auditor").get("/audit", params={"since": "yesterday"})
    assert refused.status_code == 422 and "From: &#39;yesterday&#39; is not a day YYYY-MM-DD" in refused.text


def test_the_audit_page_leads_to_older_entries_with_the_same_filters(client, auth_headers, web_client, monkeypatch):
    from tests.e2e.test_registry_api import ARRIVAL

    monkeypatch.setattr("pactum.web.views.platform.AUDIT_PAGE", 2)
    for _ in range(3):
        client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    c = web_client("auditor")
    page = c.get("/audit", params={"action": "arrival."}).text
    older = re.search(r'<a href="([^"]+)" id="older">Older entries</a>', page)
    assert older is not None and "action=arrival." in older.group(1)
    seqs = re.findall(r"<tr><td>(\d+)</td>", page)
    back = c.get(unescape(older.group(1))).text
    back_seqs = re.findall(r"<tr><td>(\d+)</td>", back)
    assert len(seqs) == 2 and len(back_seqs) == 1 and int(back_seqs[0]) < int(seqs[-1])
    assert 'id="older"' not in back  # the last page


def test_the_audit_log_records_the_registration_but_not_who_the_person_is():
    """ADR 0009: the hash chain outlives every erasure, so an entry keeps who acted on which record,
    not the person's names, date of birth or document number; a rectification says which field
    changed, not its values."""
    from pactum.services.audit import CHANGED, WITHHELD, entry_content

    at = datetime(2026, 8, 3, 9, 0, tzinfo=UTC)
    entry = entry_content(
        at=at, actor="it-caseworker", authority="IT", action="arrival.registered",
        entity_type="identity_record", entity_id="idr_1",
        after={"record": {"id": "idr_1", "member_state": "IT", "surname": "Haile", "given_names": "Selam",
                          "date_of_birth": "1999-01-01", "document_number": "P123", "category": "irregular_crossing",
                          "father_name": None}})
    record = entry["after"]["record"]
    assert record["surname"] == record["given_names"] == record["date_of_birth"] == WITHHELD
    assert record["document_number"] == WITHHELD and record["father_name"] is None
    assert record["id"] == "idr_1" and record["category"] == "irregular_crossing" and record["member_state"] == "IT"
    fix = entry_content(at=at, actor="it-caseworker", authority="IT", action="registry.record.update",
                        entity_type="identity_record", entity_id="idr_1",
                        before={"surname": "Hail", "given_names": "Selam"},
                        after={"surname": "Haile", "given_names": "Selam"})
    assert fix["before"]["surname"] == fix["after"]["surname"] == CHANGED
    assert fix["after"]["given_names"] == WITHHELD
    assert "Haile" not in str(fix) and "Selam" not in str(fix)


def test_an_auditor_reads_who_registered_the_record_without_the_identity(client, auth_headers):
    from tests.e2e.test_registry_api import ARRIVAL

    made = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker")).json()
    entry = client.get("/api/v1/audit", params={"action": "arrival.registered"},
                       headers=auth_headers("auditor")).json()[0]
    assert entry["entity_id"] == made["identity_record_id"] and entry["actor"] == "it-caseworker"
    identity = ARRIVAL["identity"]
    text = str(entry)
    assert identity["surname"] not in text and identity["date_of_birth"] not in text
    assert identity["given_names_latin"] not in text and "N1234567" not in text
    assert entry["after"]["record"]["surname"] == "withheld (identity data)"
