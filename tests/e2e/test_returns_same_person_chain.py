"""The returns area reads "the same person in another state" as the rest of the platform does
(``services.registry.same_person_network``): through a chain of same-person identity links, not
only a direct one. Italy's return alert is on A; Germany's B is linked to A, France's C to B: France,
meeting C, is joined to Italy's alert through Germany; a green link (two persons) breaks it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from pactum.services import registry
from pactum.services import returns as returns_service
from pactum.services.auth import Role
from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import identity_records
from pactum.store.tables.returns import return_alerts

try:
    from .test_returns_support import World, make_world, post
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, make_world, post  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    w.user("fr.caseworker", "FR", Role.caseworker)
    return w


def _record(world: World, person_id: str) -> str:
    with world.services.engine.connect() as conn:
        return str(
            conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == person_id))
            .scalars()
            .first()
        )


def _link(world: World, link_id: str, a: str, b: str, colour: str, days_ago: int) -> None:
    ra, rb = _record(world, a), _record(world, b)
    with world.services.engine.begin() as conn:
        conn.execute(
            insert(identity_links).values(
                id=link_id,
                record_id=ra,
                linked_record_id=rb,
                colour=colour,
                status={"white": "automatic", "red": "verified", "green": "verified"}[colour],
                verifying_authority="DE",
                match_probability=0.99,
                basis=[],
                created_at=world.clock.now() - timedelta(days=days_ago),
                version=1,
            )
        )


def _alert_on_a(world: World) -> tuple[str, dict[str, Any]]:
    a = world.person("it.returns", surname="Trabelsi", nationality="TUN")
    r = post(
        world,
        "it.returns",
        "/decisions",
        {
            "person_id": a,
            "issued_on": "2026-09-01",
            "voluntary_departure_days": 30,
            "grounds": ["illegal_stay"],
        },
    )
    assert r.status_code == 201, r.text
    with world.services.engine.connect() as conn:
        alert = (
            conn.execute(select(return_alerts).where(return_alerts.c.return_decision_id == r.json()["id"]))
            .mappings()
            .one()
        )
    return a, dict(alert)


def test_the_alert_on_a_is_found_from_c_through_b(world: World) -> None:
    a, alert = _alert_on_a(world)
    b = world.person("de.returns", surname="Trabelsi", nationality="TUN")
    c = world.person("fr.returns", surname="Trabelsi", nationality="TUN")
    _link(world, "lnk_ab", a, b, "white", 3)
    _link(world, "lnk_bc", b, c, "red", 2)
    with world.services.engine.connect() as conn:
        # before, only a link between C's record and the alert's joined them: none does here
        chain = returns_service._same_person_link(conn, c, "FR", alert)
        assert chain == {"link_id": "lnk_bc", "links": ["lnk_bc", "lnk_ab"], "through": ["DE"]}
        # the one reading of the platform, not a copy of it
        assert alert["person_id"] in registry.same_person_network(conn, c, "FR")
        # B, linked directly, is joined without passing through anyone
        assert returns_service._same_person_link(conn, b, "DE", alert) == {
            "link_id": "lnk_ab",
            "links": ["lnk_ab"],
            "through": [],
        }


def test_a_green_link_breaks_the_chain(world: World) -> None:
    a, alert = _alert_on_a(world)
    b = world.person("de.returns", surname="Trabelsi", nationality="TUN")
    c = world.person("fr.returns", surname="Trabelsi", nationality="TUN")
    _link(world, "lnk_ab", a, b, "white", 3)
    _link(world, "lnk_bc", b, c, "red", 2)
    _link(world, "lnk_ca", c, a, "green", 1)  # verified: C is not A
    with world.services.engine.connect() as conn:
        assert returns_service._same_person_link(conn, c, "FR", alert) is None
