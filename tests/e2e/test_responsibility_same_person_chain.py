"""The responsibility area reads the same person across records as the platform does everywhere
(:func:`pactum.services.registry.same_person_network`): through a chain of same-person links, not
only the links on the person's own records.

IT's person A is linked (white, the Eurodac hit) to DE's person B, and B to EL's person C, who
applied for international protection in EL before. Before, IT's draft of A's facts found no earlier
application (``_same_persons_of`` and the draft read direct links only: A is not linked to C), so
the determination missed the first application (AMMR Art 16(2)) and the take back to EL."""

from __future__ import annotations

from sqlalchemy import insert, select

from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import identity_records
from tests.e2e.test_registry_api import ARRIVAL
from tests.e2e.test_responsibility_form import _registered_with_application

API = "/api/v1/responsibility"


def _link(conn, services, link_id: str, record: str, other: str) -> None:
    conn.execute(
        insert(identity_links).values(
            id=link_id,
            record_id=record,
            linked_record_id=other,
            colour="white",
            status="automatic",
            verifying_authority="DE",
            match_probability=0.99,
            basis={},
            created_at=services.clock.now(),
            version=1,
        )
    )


def test_an_earlier_application_is_found_through_a_chain_of_same_person_links(
    client, auth_headers, services
) -> None:
    a = _registered_with_application(client, auth_headers)  # IT, registered 2026-11-27
    b = client.post(
        "/api/v1/registry/arrivals",
        headers=auth_headers("de-caseworker"),
        json={
            **ARRIVAL,
            "encounter": {
                **ARRIVAL["encounter"],
                "member_state": "DE",
                "occurred_at": "2026-08-02T06:30:00Z",
                "kind": "illegal_stay",
                "place": "Rosenheim",
            },
        },
    )
    assert b.status_code == 201, b.text
    c = client.post(
        "/api/v1/registry/arrivals",
        headers=auth_headers("el-caseworker"),
        json={
            **ARRIVAL,
            "encounter": {
                "member_state": "EL",
                "occurred_at": "2026-07-02T06:30:00Z",
                "kind": "border_crossing_point_application",
            },
        },
    )
    assert c.status_code == 201, c.text
    with services.engine.begin() as conn:
        own = conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == a)).scalar()
        recorded = conn.execute(
            select(identity_records.c.category, identity_records.c.recorded_on).where(
                identity_records.c.id == c.json()["identity_record_id"]
            )
        ).one()
        _link(conn, services, "idl_test_ab", own, b.json()["identity_record_id"])
        _link(conn, services, "idl_test_bc", b.json()["identity_record_id"], c.json()["identity_record_id"])
    assert recorded.category == "applicant"
    draft = client.get(f"{API}/persons/{a}/facts", headers=auth_headers("it-dublin")).json()
    assert draft["facts"]["earlier_applications"] == [
        {"member_state": "EL", "registered_on": recorded.recorded_on.isoformat()}
    ]
    [source] = [s["source"] for s in draft["sources"] if s["field"] == "earlier_applications[0]"]
    # named by the chain: the link that reached C and the state passed through
    assert c.json()["identity_record_id"] in source and "idl_test_bc, through DE" in source
    # the case recorded on the draft: EL, where the person applied first, takes the person back
    case = client.post(
        f"{API}/cases",
        headers=auth_headers("it-dublin"),
        json={"reference": "IT-CHAIN-1", "person_id": a, "facts": draft["facts"]},
    )
    assert case.status_code == 201, case.text
    assert case.json()["determination"]["responsible_member_state"] == "EL"


def test_the_other_states_persons_are_read_through_the_chain(client, auth_headers, services) -> None:
    """``_same_persons_of`` (the residence documents, the return decisions of the other states'
    persons) follows the chain too: the function that walks the links is the registry's."""
    from pactum.services.responsibility import _same_persons_of

    a = _registered_with_application(client, auth_headers)
    b = client.post(
        "/api/v1/registry/arrivals",
        headers=auth_headers("de-caseworker"),
        json={
            **ARRIVAL,
            "encounter": {
                **ARRIVAL["encounter"],
                "member_state": "DE",
                "occurred_at": "2026-08-02T06:30:00Z",
                "kind": "illegal_stay",
                "place": "Rosenheim",
            },
        },
    ).json()
    c = client.post(
        "/api/v1/registry/arrivals",
        headers=auth_headers("el-caseworker"),
        json={
            **ARRIVAL,
            "encounter": {
                "member_state": "EL",
                "occurred_at": "2026-07-02T06:30:00Z",
                "kind": "border_crossing_point_application",
            },
        },
    ).json()
    with services.engine.begin() as conn:
        own = conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == a)).scalar()
        _link(conn, services, "idl_test_ab2", own, b["identity_record_id"])
        _link(conn, services, "idl_test_bc2", b["identity_record_id"], c["identity_record_id"])
    with services.engine.connect() as conn:
        found = _same_persons_of(conn, [(a, "IT")])
    assert found == {a: {("DE", b["person_id"]), ("EL", c["person_id"])}}
