"""The QA walk's identity fixes on PostgreSQL: Eurodac data past their retention day are neither
searched nor linked (W4-2), a contradicting decision is refused and a verified one revised (W4-4,
W4-10), the person page's links are read without writing (W4-13)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select, update

from pactum.services import identity
from pactum.services import users as users_service
from pactum.store.tables.identity import identity_links
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import eurodac_records
from tests.conftest import principal_of

pytestmark = pytest.mark.postgres
API = "/api/v1/identity"


def _arrival(ms: str, given: str, surname: str, kind: str) -> dict[str, Any]:
    return {"identity": {"given_names": given, "surname": surname, "sex": "M", "date_of_birth": "1996-03-14",
                         "nationality": "SYR", "place_of_birth": "Aleppo"},
            "encounter": {"member_state": ms, "occurred_at": "2026-11-20T06:30:00Z", "kind": kind},
            "biometrics": {"captured_at": "2026-11-20T09:00:00Z", "transmitted_at": "2026-11-20T10:00:00Z"}}


def test_retention_links_and_revisions_on_postgres(pg_services, pg_client) -> None:
    def headers(user: str) -> dict[str, str]:
        token = users_service.open_session(pg_services, principal_of(pg_services, user), "api")
        return {"Authorization": f"Bearer {token}"}

    made: dict[str, dict[str, Any]] = {}
    for key, user, ms, given, surname, kind in (
            ("de", "de-caseworker", "DE", "Muhammad", "Hadad", "in_territory_application"),
            ("fr", "fr-caseworker", "FR", "Mohamad", "Hadad", "in_territory_application"),
            ("it", "it-caseworker", "IT", "Mohammed", "Haddad", "sar_disembarkation")):
        r = pg_client.post("/api/v1/registry/arrivals", json=_arrival(ms, given, surname, kind), headers=headers(user))
        assert r.status_code == 201, r.text
        made[key] = r.json()
    with pg_services.uow() as uow:
        identity.index_missing(uow.conn)
        uow.commit()
    # France's data were kept until yesterday; the erasure job has not run
    with pg_services.engine.begin() as conn:
        conn.execute(update(eurodac_records).where(
            eurodac_records.c.identity_record_id == made["fr"]["identity_record_id"]).values(
            retention_until=date(2026, 11, 27)))
    found = pg_client.post(f"{API}/search", headers=headers("it-caseworker"), json={
        "given_names": "Mohamad", "surname": "Hadad", "date_of_birth": "1996-03-14"}).json()
    ids = {c["identity_record_id"] for c in found["candidates"]}
    assert made["de"]["identity_record_id"] in ids and made["fr"]["identity_record_id"] not in ids
    it_rec = made["it"]["identity_record_id"]
    cands = pg_client.post(f"{API}/records/{it_rec}/candidates", headers=headers("it-caseworker")).json()
    assert {c["identity_record_id"] for c in cands} & {made["fr"]["identity_record_id"]} == set()
    link = next(c["link"] for c in cands if c["identity_record_id"] == made["de"]["identity_record_id"])
    # verified, then revised with a reason; the audit keeps the decision it replaced
    first = pg_client.post(f"{API}/links/{link['id']}/decision", headers=headers("it-caseworker"),
                           json={"colour": "white", "reason": "same person", "version": 1})
    assert first.status_code == 200, first.text
    revised = pg_client.post(f"{API}/links/{link['id']}/decision", headers=headers("it-caseworker"),
                             json={"colour": "green", "reason": "two persons after all", "version": 2})
    assert revised.status_code == 200 and revised.json()["revised"] is True, revised.text
    it = headers("it-caseworker")  # opening a session is audited: before the counts
    with pg_services.engine.connect() as conn:
        before = conn.execute(select(audit_log.c.before).where(audit_log.c.action == "identity.link.revise")).scalar()
        links_before = conn.execute(select(func.count()).select_from(identity_links)).scalar()
        audit_before = conn.execute(select(func.count()).select_from(audit_log)).scalar()
    assert before["colour"] == "white" and before["reason"] == "same person"
    # the person's links are read, nothing written
    listed = pg_client.get(f"{API}/persons/{made['it']['person_id']}/links", headers=it).json()
    assert [x["id"] for x in listed] == [link["id"]] and listed[0]["colour"] == "green"
    with pg_services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(identity_links)).scalar() == links_before
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar() == audit_before
