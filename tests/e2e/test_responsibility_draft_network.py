"""The Dublin unit's draft of a case's facts reads "the same person" and "to check" as the platform
does everywhere: the same-person network (:func:`pactum.services.registry.same_person_network`,
chains of white or red links) and one definition of what a link's colour and status say
(:func:`pactum.services.registry.says_same_person`, :func:`~pactum.services.registry.awaits_verification`).

A chain A–B–C: IT's person A (the applicant), DE's B, EL's C, who applied in EL before. Before, the
draft read links awaiting verification on A's own records only, and read them before the chain:

- A white to B, B yellow to C: C's application went unmentioned (only A's own yellow links were "to
  check"), though C may be the person;
- A white to B, B white to C, and a yellow link A–C still pending: the yellow link on A's record won,
  so C's application was only "to check" and not an earlier application, though the network (and
  every other area) holds C to be the same person."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select

from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import identity_records
from tests.e2e.test_registry_api import ARRIVAL
from tests.e2e.test_responsibility_form import _registered_with_application

API = "/api/v1/responsibility"


def _link(conn: Any, services: Any, link_id: str, record: str, other: str, colour: str, n: int) -> None:
    conn.execute(
        insert(identity_links).values(
            id=link_id,
            record_id=record,
            linked_record_id=other,
            colour=colour,
            status="automatic" if colour == "white" else "pending",
            verifying_authority="DE",
            match_probability=0.99 if colour == "white" else 0.7,
            basis={},
            created_at=services.clock.now() + timedelta(seconds=n),
            version=1,
        )
    )


def _chain(client: Any, auth_headers: Any, services: Any, links: dict[str, tuple[str, str, str]]) -> dict[str, Any]:
    """A (IT, the applicant, registered 2026-11-27), B (DE, met on 2026-08-02), C (EL, applied at a
    border crossing point on 2026-07-02), linked as ``links`` says: ``{link id: (from, to, colour)}``."""
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
        records = {"A": own, "B": b.json()["identity_record_id"], "C": c.json()["identity_record_id"]}
        for n, (link_id, (x, y, colour)) in enumerate(links.items()):
            _link(conn, services, link_id, records[x], records[y], colour, n)
        c_on = conn.execute(
            select(identity_records.c.recorded_on).where(identity_records.c.id == records["C"])
        ).scalar()
    draft = client.get(f"{API}/persons/{a}/facts", headers=auth_headers("it-dublin"))
    assert draft.status_code == 200, draft.text
    return {"draft": draft.json(), "c_record": records["C"], "c_on": c_on.isoformat()}


def test_one_definition_of_what_a_link_says() -> None:
    from pactum.services.registry import awaits_verification, says_same_person

    assert says_same_person("white", "automatic") and says_same_person("red", "verified")
    assert not says_same_person("yellow", "pending") and not says_same_person("green", "verified")
    assert awaits_verification("yellow", "pending")
    assert not awaits_verification("white", "automatic") and not awaits_verification("green", "verified")


def test_a_record_awaiting_verification_on_a_person_of_the_chain_is_to_check(
    client, auth_headers, services
) -> None:
    got = _chain(
        client,
        auth_headers,
        services,
        {"idl_test_ab": ("A", "B", "white"), "idl_test_bc": ("B", "C", "yellow")},
    )
    draft = got["draft"]
    # C is not the same person yet: no earlier application, no take back resting on it
    assert "earlier_applications" not in draft["facts"]
    [line] = [t for t in draft["to_check"] if got["c_record"] in t or "idl_test_bc" in t]
    assert line == (
        f"A record of EL may be the same person (applicant recorded by EL on {got['c_on']}): the "
        "multiple-identity link idl_test_bc awaits verification (on a record of DE's person, the same "
        "person by white link idl_test_ab)."
    )


def test_a_record_the_chain_joins_is_the_same_persons_even_with_a_link_awaiting_verification(
    client, auth_headers, services
) -> None:
    got = _chain(
        client,
        auth_headers,
        services,
        {
            "idl_test_ab": ("A", "B", "white"),
            "idl_test_bc": ("B", "C", "white"),
            "idl_test_ac": ("A", "C", "yellow"),
        },
    )
    draft = got["draft"]
    assert draft["facts"]["earlier_applications"] == [{"member_state": "EL", "registered_on": got["c_on"]}]
    [source] = [s["source"] for s in draft["sources"] if s["field"] == "earlier_applications[0]"]
    assert got["c_record"] in source and "idl_test_bc, through DE" in source
    assert not [t for t in draft["to_check"] if "awaits verification" in t]
    assert [t for t in draft["to_check"] if t.startswith("EL recorded an application for international protection")]
