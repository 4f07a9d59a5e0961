"""The same person read through a chain of links (``procedures._same_person_links``): records A and B
linked white, B and C linked white, are one person, so A's application may be joined to C's. Before,
the procedures area read direct links only (``identity.linked_persons``) and refused the join naming
C's application as another person's; it now reads the platform's one network,
``pactum.services.registry.same_person_network``, and a green link still breaks a chain."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert, select

from pactum.services import procedures, registry
from pactum.store.tables.identity import identity_links
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import identity_records

try:
    from .test_procedures_support import World, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_world, ok  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _record(world: World, person_id: str) -> str:
    with world.services.engine.connect() as conn:
        return str(
            conn.execute(
                select(identity_records.c.id).where(identity_records.c.person_id == person_id)
            ).scalar()
        )


def _link(world: World, link_id: str, a: str, b: str, colour: str = "white") -> None:
    record, linked = _record(world, a), _record(world, b)
    with world.services.engine.begin() as conn:
        conn.execute(
            insert(identity_links).values(
                id=link_id,
                record_id=record,
                linked_record_id=linked,
                colour=colour,
                status="verified",
                verifying_authority="IT",
                match_probability=0.98,
                basis={"component": "national", "explanation": {}, "match_weight": 6.0},
                created_at=world.clock.now(),
                version=1,
            )
        )


def test_a_chain_of_links_joins_a_to_c(world: World) -> None:
    a = world.person("it.caseworker", surname="Rahman", nationality="BGD")
    b = world.person("it.caseworker", surname="Rahmen", nationality="BGD")
    c = world.person("it.caseworker", surname="Rahaman", nationality="BGD")
    case_a = world.apply("it.caseworker", a)
    case_c = world.apply("it.caseworker", c)
    _link(world, "idl_ab", a, b)
    _link(world, "idl_bc", b, c)
    with world.services.engine.connect() as conn:
        row = (
            conn.execute(select(asylum_applications).where(asylum_applications.c.id == case_a["id"]))
            .mappings()
            .one()
        )
        found = procedures._same_person_links(conn, row)
    assert set(found) == {a, b, c}
    assert found[a] is None and found[b]["id"] == "idl_ab" and "chain" not in found[b]  # type: ignore[index]
    assert found[c]["id"] == "idl_bc" and found[c]["chain"] == ["idl_ab", "idl_bc"]  # type: ignore[index]
    assert found[c]["through"] == [b]  # type: ignore[index]
    shown = ok(world.get("it.caseworker", f"/applications/{case_a['id']}"))
    assert [j["reference"] for j in shown["joinable"]] == [case_c["reference"]]
    done = ok(world.act("it.caseworker", shown, "close_joined", joined_to=case_c["reference"]))
    assert done["state"] == "joined"


def test_the_procedures_area_reads_the_registry_network_and_a_green_link_breaks_the_chain(
    world: World,
) -> None:
    a = world.person("it.caseworker", surname="Karim", nationality="BGD")
    b = world.person("it.caseworker", surname="Kareem", nationality="BGD")
    c = world.person("it.caseworker", surname="Karimm", nationality="BGD")
    case_a = world.apply("it.caseworker", a)
    case_c = world.apply("it.caseworker", c)
    _link(world, "idl_ab2", a, b)
    _link(world, "idl_bc2", b, c)
    _link(world, "idl_ac2", a, c, colour="green")  # verified: A and C are two persons
    with world.services.engine.connect() as conn:
        assert set(registry.same_person_network(conn, a, "IT", own_persons=True)) == {b}
        assert registry.same_person_network(conn, a, "IT") == {}  # the other states' persons only, as before
    r = world.act("it.caseworker", case_a, "close_joined", joined_to=case_c["reference"])
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "joined_to"
