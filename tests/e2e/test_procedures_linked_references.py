"""The application form's notice of the linked persons' applications, and the warnings of the
application made, name each application by its case reference (``IT-2026-000001``), as the case
page, the queue and the person page do; the link still leads to the case. They named the case's
internal id (``asy_…``), which an officer cannot read out or find in a letter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert

from pactum.services.bootstrap import Services
from pactum.store.tables.identity import identity_links
from tests.e2e.test_firstday_identity_fixes import _apply

Headers = Callable[[str], dict[str, str]]


def _register(client: TestClient, auth_headers: Headers, surname: str, on: str) -> dict[str, Any]:
    r = client.post("/api/v1/registry/arrivals", headers=auth_headers("it-caseworker"), json={
        "identity": {"given_names": "Adel", "surname": surname, "sex": "M", "date_of_birth": "2001-04-07",
                     "nationality": "EGY"},
        "encounter": {"member_state": "IT", "occurred_at": f"{on}T06:30:00Z", "kind": "sar_disembarkation",
                      "place": "Lampedusa"}})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def test_the_linked_applications_are_named_by_their_case_reference(
        client: TestClient, auth_headers: Headers, web_client: Any, services: Services) -> None:
    old = _register(client, auth_headers, "Othman", "2026-11-20")
    new = _register(client, auth_headers, "Othmann", "2026-11-27")
    with services.engine.begin() as conn:  # the registry's records of one man, linked as the same person
        conn.execute(insert(identity_links).values(
            id="idl_ref_1", record_id=new["identity_record_id"], linked_record_id=old["identity_record_id"],
            colour="white", status="verified", verifying_authority="IT", match_probability=0.97,
            basis={"component": "national", "explanation": {}, "match_weight": 5.1},
            created_at=services.clock.now(), version=1))
    existing = _apply(client, auth_headers, old["person_id"], "2026-11-21")
    ref = existing["reference"]
    assert ref.startswith("IT-2026-") and ref != existing["id"]
    page = web_client("it-caseworker").get(f"/procedures/new?person_id={new['person_id']}")
    assert page.status_code == 200
    notice = page.text.split('id="linked-applications"', 1)[1].split("</div>", 1)[0]
    # the reference is the link's text, the link leads to the case by its id
    assert f'<a href="/procedures/cases/{existing["id"]}">{ref}</a> (made, made on 2026-11-21)' in notice
    assert f">{existing['id']}<" not in notice
    made = _apply(client, auth_headers, new["person_id"], "2026-11-28")
    said = [w for w in made["warnings"] if "under another record" in w]
    assert len(said) == 1 and f"who has the asylum application {ref} (made, made on 2026-11-21)" in said[0]
    assert existing["id"] not in said[0]
