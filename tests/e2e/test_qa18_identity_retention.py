"""QA walk W4-2: Eurodac data past their retention day (Reg. (EU) 2024/1358 Art 29) but not yet
erased by the erasure job were still disclosed to other states by the identity search and the
comparison made for a record (logged as disclosed), made new multiple-identity links, were shown on
a link's page and reached the Dublin facts draft. Every read now treats them as erased from the
day after their retention day, whether or not the erasure job has run (the store's clock: 28
November 2026)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update

from pactum.services.bootstrap import Services
from pactum.services.identity import DISCLOSED_EURODAC, index_record
from pactum.store.tables.identity import identity_links
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import eurodac_records, identity_records

Headers = Callable[[str], dict[str, str]]
#: The day before the store's today: the last day the data may be kept.
YESTERDAY = date(2026, 11, 27)


def _arrival(ms: str, kind: str, given: str, surname: str, *, doc: str) -> dict[str, Any]:
    return {"identity": {"given_names": given, "surname": surname, "sex": "M", "date_of_birth": "1996-03-14",
                         "nationality": "SYR", "documents": [{"type": "passport", "number": doc, "country": "SYR"}]},
            "encounter": {"member_state": ms, "occurred_at": "2026-11-20T06:30:00Z", "kind": kind, "place": "x"},
            "biometrics": {"captured_at": "2026-11-20T09:00:00Z", "transmitted_at": "2026-11-20T10:00:00Z"}}


def _register(client: TestClient, auth_headers: Headers, user: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/api/v1/registry/arrivals", json=body, headers=auth_headers(user))
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def _index(services: Services, *record_ids: str) -> None:
    with services.uow() as uow:
        for rid in record_ids:
            index_record(uow.conn, rid)
        uow.commit()


def _retention_ends(services: Services, record_id: str, on: date) -> None:
    """The record's Eurodac data are kept until ``on`` (the erasure job has not run since)."""
    with services.engine.begin() as conn:
        conn.execute(update(eurodac_records).where(eurodac_records.c.identity_record_id == record_id)
                     .values(retention_until=on))


def _disclosures(services: Services, record_id: str) -> int:
    with services.engine.connect() as conn:
        eurodac_id = conn.execute(select(eurodac_records.c.id)
                                  .where(eurodac_records.c.identity_record_id == record_id)).scalar()
        return len(conn.execute(select(audit_log.c.seq).where(audit_log.c.action == DISCLOSED_EURODAC,
                                                              audit_log.c.entity_id == eurodac_id)).all())


@pytest.fixture
def world(client: TestClient, auth_headers: Headers, services: Services) -> dict[str, Any]:
    it = _register(client, auth_headers, "it-caseworker",
                   _arrival("IT", "sar_disembarkation", "Mohammed", "Haddad", doc="N1234567"))
    de = _register(client, auth_headers, "de-caseworker",
                   _arrival("DE", "in_territory_application", "Muhammad", "Hadad", doc="N7654321"))
    _index(services, it["identity_record_id"], de["identity_record_id"])
    return {"it": it, "de": de}


def _search(client: TestClient, auth_headers: Headers) -> set[str]:
    r = client.post("/api/v1/identity/search", headers=auth_headers("it-caseworker"),
                    json={"given_names": "Mohamad", "surname": "Hadad", "date_of_birth": "1996-03-14"})
    assert r.status_code == 200, r.text
    return {c["identity_record_id"] for c in r.json()["candidates"]}


def test_the_search_no_longer_discloses_a_record_past_its_retention_day(client, auth_headers, services, world):
    de = world["de"]["identity_record_id"]
    _retention_ends(services, de, date(2026, 11, 28))  # today is the last day: still kept
    assert de in _search(client, auth_headers)
    shown = _disclosures(services, de)
    assert shown == 1
    _retention_ends(services, de, YESTERDAY)  # ended yesterday; the erasure job has not run
    assert de not in _search(client, auth_headers)
    assert _disclosures(services, de) == shown  # nothing more logged as disclosed to Italy


@pytest.mark.parametrize("expired", [False, True])
def test_the_comparison_of_a_record_makes_no_link_to_data_past_their_retention_day(
        client, auth_headers, services, world, expired):
    it, de = world["it"]["identity_record_id"], world["de"]["identity_record_id"]
    if expired:
        _retention_ends(services, de, YESTERDAY)
    r = client.post(f"/api/v1/identity/records/{it}/candidates", headers=auth_headers("it-caseworker"))
    assert r.status_code == 200, r.text
    found = {c["identity_record_id"] for c in r.json()}
    with services.engine.connect() as conn:
        linked = conn.execute(select(identity_links.c.id).where(identity_links.c.linked_record_id == de)).all()
    assert (de in found) is (not expired)
    assert bool(linked) is (not expired)
    assert bool(_disclosures(services, de)) is (not expired)


def test_a_link_made_before_the_retention_day_withholds_the_record_after_it(
        client, auth_headers, services, world, web_client):
    it, de = world["it"]["identity_record_id"], world["de"]["identity_record_id"]
    made = client.post(f"/api/v1/identity/records/{it}/candidates", headers=auth_headers("it-caseworker")).json()
    link_id = next(c["link"]["id"] for c in made if c["identity_record_id"] == de)
    api = "/api/v1/identity/links/" + link_id
    assert client.get(api, headers=auth_headers("it-caseworker")).json()["records"]["linked_record"]["surname"] == "Hadad"
    _retention_ends(services, de, YESTERDAY)
    shown = client.get(api, headers=auth_headers("it-caseworker")).json()["records"]["linked_record"]
    assert shown["withheld"] is True and shown["surname"] is None and shown["document_number"] is None
    page = web_client("it-caseworker").get(f"/identity/links/{link_id}").text
    assert "Hadad" not in page and "N7654321" not in page
    assert "The record of DE is no longer shown" in page
    person = web_client("it-caseworker").get(f"/registry/persons/{world['it']['person_id']}").text
    links = person.split('id="links"', 1)[1].split("</section>", 1)[0]
    assert link_id in links and "Hadad" not in links and "retention period ended" in links


def test_the_dublin_facts_draft_leaves_out_an_earlier_application_past_its_retention_day(
        client: TestClient, auth_headers: Headers, services: Services) -> None:
    from tests.e2e.test_registry_api import ARRIVAL
    from tests.e2e.test_responsibility_form import _registered_with_application

    person_id = _registered_with_application(client, auth_headers)  # IT, registered 2026-11-27
    el = client.post("/api/v1/registry/arrivals", headers=auth_headers("el-caseworker"), json={
        **ARRIVAL, "encounter": {"member_state": "EL", "occurred_at": "2026-07-02T06:30:00Z",
                                 "kind": "border_crossing_point_application"}}).json()
    with services.engine.begin() as conn:
        own = conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == person_id)).scalar()
        conn.execute(insert(identity_links).values(
            id="idl_white", record_id=own, linked_record_id=el["identity_record_id"], colour="white",
            status="verified", verifying_authority="IT", match_probability=0.99, basis={},
            created_at=services.clock.now(), version=1))

    def draft() -> dict[str, Any]:
        r = client.get(f"/api/v1/responsibility/persons/{person_id}/facts", headers=auth_headers("it-dublin"))
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        return out

    before = draft()
    assert [e["member_state"] for e in before["facts"].get("earlier_applications", [])] == ["EL"]
    _retention_ends(services, el["identity_record_id"], YESTERDAY)
    after = draft()
    assert "earlier_applications" not in after["facts"], after
    assert not any("idl_white" in s["source"] for s in after["sources"])
    assert not any("EL recorded an application" in t for t in after["to_check"])


def test_the_biometric_search_no_longer_returns_a_record_past_its_retention_day(client, auth_headers, services, world):
    from pactum.identity.biometrics import SyntheticBiometrics

    bio = SyntheticBiometrics(seed=5)
    person = bio.person(1)
    de = world["de"]["identity_record_id"]
    r = client.post("/api/v1/identity/templates", headers=auth_headers("de-caseworker"),
                    json={"identity_record_id": de, "vector": bio.captures(person[None, :], 1)[0].tolist()})
    assert r.status_code == 201, r.text

    def hits() -> set[str]:
        out = client.post("/api/v1/identity/biometric-search", headers=auth_headers("it-caseworker"),
                          json={"vector": bio.captures(person[None, :], 2)[0].tolist(), "k": 5})
        assert out.status_code == 200, out.text
        return {h["identity_record_id"] for h in out.json()}

    assert de in hits()
    shown = _disclosures(services, de)
    _retention_ends(services, de, YESTERDAY)
    assert de not in hits()  # its biometric data are no longer kept, though the template remains
    assert _disclosures(services, de) == shown
