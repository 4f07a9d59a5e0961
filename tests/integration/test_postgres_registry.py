"""The same registration on PostgreSQL, concurrent officers, and the hash chain under concurrency."""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from pactum.registry.model import RegisterArrival, ScreeningForm
from pactum.services import audit, registry
from pactum.store.tables.registry import encounters
from tests.conftest import principal_of

pytestmark = pytest.mark.postgres

ARRIVAL = {
    "identity": {"surname": "Okafor", "given_names": "Chinedu", "nationality": "NGA", "date_of_birth": "1998-02-11"},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-25T10:00:00Z", "kind": "sar_disembarkation"},
    "biometrics": {"captured_at": "2026-11-25T12:00:00Z"},
}


def test_registration_on_postgres_matches_sqlite(pg_client, pg_services):
    from pactum.services import users

    token = users.open_session(pg_services, principal_of(pg_services, "it-caseworker"), "api")
    r = pg_client.post("/api/v1/registry/arrivals", json=ARRIVAL,
                       headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    assert r.json()["screening"]["deadline_at"].startswith("2026-12-02")
    assert pg_client.get("/health").json()["store"] == "postgresql"



def test_a_nul_character_is_refused_by_name_not_sent_to_postgresql(pg_client, pg_services):
    """PostgreSQL text cannot hold U+0000: psycopg refused the statement and the API answered 500.
    Found by fuzzing the API on a PostgreSQL demo world."""
    from pactum.services import users

    token = users.open_session(pg_services, principal_of(pg_services, "it-return"), "api")
    auth = {"Authorization": f"Bearer {token}"}
    bad = copy.deepcopy(ARRIVAL)
    bad["identity"]["surname"] = "Oka\x00for"
    officer = users.open_session(pg_services, principal_of(pg_services, "it-caseworker"), "api")
    r = pg_client.post("/api/v1/registry/arrivals", json=bad, headers={"Authorization": f"Bearer {officer}"})
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", "identity", "surname"],
                                   "msg": "must not contain the NUL character (U+0000)", "type": "value_error"}]
    assert pg_services.engine.connect().execute(select(func.count()).select_from(encounters)).scalar() == 0
    r = pg_client.post("/api/v1/returns/hits", json={"alert_id": "\x00"}, headers=auth)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "alert_id"]
    r = pg_client.patch("/api/v1/returns/decisions/%00/facts", json={"version": 1, "absconded": True}, headers=auth)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["path", "decision_id"]
    r = pg_client.get("/api/v1/procedures/queue", params={"nationality": "\x00"}, headers=auth)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "nationality"]

def test_concurrent_registrations_keep_one_linear_audit_chain(pg_services):
    officer = principal_of(pg_services, "it-caseworker")

    def register(i: int) -> str:
        data = copy.deepcopy(ARRIVAL)
        data["identity"]["surname"] = f"Okafor{i % 20}"  # a key's calls send the same arrival
        return registry.register_arrival(pg_services, officer, RegisterArrival.model_validate(data),
                                         idempotency_key=f"k{i % 20}").person_id

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(register, range(40)))
    # 40 calls with 20 distinct idempotency keys: 20 arrivals, nothing written twice
    assert len(set(ids)) == 20
    with pg_services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(encounters)).scalar() == 20
    assert audit.verify_store(pg_services).ok


def test_two_officers_editing_one_screening_cannot_overwrite_each_other(pg_services):
    officer = principal_of(pg_services, "it-caseworker")
    reg = registry.register_arrival(pg_services, officer, RegisterArrival.model_validate(ARRIVAL))
    sid = reg.screening.id
    registry.update_screening(pg_services, officer, sid, ScreeningForm(version=1, languages="en"))
    from pactum.common.errors import Conflict

    with pytest.raises(Conflict):
        registry.update_screening(pg_services, officer, sid, ScreeningForm(version=1, languages="fr"))
