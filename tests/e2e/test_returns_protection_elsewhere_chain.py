"""Protection granted by another Member State (Directive 2008/115/EC Art 6(2)) is read through the
same chain of same-person identity links as the hits on a return alert
(``services.registry.same_person_network``), not only through a link on the person's own record.

Italy's A is linked to Germany's B (white), B to France's C (red); France granted C international
protection and marked C's Eurodac data before the links were made (so B's data were never marked:
only the chain leads from A to the mark). Before, Italy issued A a return decision on the ground of
illegal stay alone; now it is refused without an Art 6(2) ground, naming France and the German
record the chain passes through. A green link (C is not A) breaks the chain."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from pactum.services import registry
from pactum.services import returns as returns_service
from pactum.services.auth import Role
from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import eurodac_records, identity_records
from pactum.store.tables.returns import return_decisions

try:
    from .test_returns_support import World, browser, cli, make_world
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, browser, cli, make_world  # type: ignore[no-redef]

API = "/api/v1/returns"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    w = make_world(tmp_path)
    monkeypatch.setenv("PACTUM_DATABASE_URL", w.services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    w.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    w.user("fr.caseworker", "FR", Role.caseworker)
    return w


def _record(world: World, person_id: str) -> str:
    with world.services.engine.connect() as conn:
        return str(conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == person_id))
                   .scalars().first())


def _link(world: World, link_id: str, a: str, b: str, colour: str) -> None:
    ra, rb = _record(world, a), _record(world, b)
    with world.services.engine.begin() as conn:
        conn.execute(insert(identity_links).values(
            id=link_id, record_id=ra, linked_record_id=rb, colour=colour,
            status={"white": "automatic", "red": "verified", "green": "verified"}[colour],
            verifying_authority="DE", match_probability=0.99, basis=[],
            created_at=world.clock.now() - timedelta(days=1), version=1))


def _chain(world: World) -> tuple[str, str, str]:
    """A (Italy) – B (Germany) – C (France, protected): the mark made before the links."""
    c = world.person("fr.caseworker", surname="Barzani", nationality="IRQ", occurred_at="2026-03-02T10:00:00+00:00")
    fr = world.principals["fr.caseworker"]
    with world.services.uow() as uow:
        registry.record_application_in_eurodac(uow, fr, person_id=c, made_on=date(2026, 3, 3))
        registry.mark_protection_granted(uow, fr, person_id=c, granted_on=date(2026, 6, 1))
        uow.commit()
    b = world.person("de.caseworker", surname="Barzani", nationality="IRQ")
    a = world.person("it.caseworker", surname="Barzani", nationality="IRQ")
    _link(world, "lnk_ab", a, b, "white")
    _link(world, "lnk_bc", b, c, "red")
    with world.services.engine.connect() as conn:
        # only France's data are marked: nothing on A's or B's records says it
        marked = conn.execute(select(eurodac_records.c.member_state).where(eurodac_records.c.marked_at.is_not(None)))
        assert set(marked.scalars()) == {"FR"}
    return a, b, c


def _body(person: str, *grounds: str) -> dict[str, Any]:
    return {"person_id": person, "issued_on": "2026-11-20", "voluntary_departure_days": 30,
            "grounds": ["illegal_stay", *grounds]}


def _decisions(world: World) -> int:
    with world.services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(return_decisions)).scalar_one())


def test_protection_granted_at_the_end_of_a_chain_needs_an_article_6_2_ground(world: World,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    a, _, _ = _chain(world)
    with world.services.engine.connect() as conn:
        found = returns_service._protection_elsewhere(conn, a, "IT", date(2026, 11, 30))
    assert [(p.member_state, p.marked_on, p.through) for p in found] == [("FR", date(2026, 11, 30), ("DE",))]

    r = world.client.post(f"{API}/decisions", json=_body(a), headers=world.headers("it.returns"))
    assert r.status_code == 409, r.text
    said = r.json()["detail"]
    assert "the person holds international protection granted by FR" in said
    assert "FR's record is joined to the person's through DE's record of the same person" in said
    assert "Directive 2008/115/EC, Article 6(2)" in said and "did_not_go_to_protecting_state" in said
    # the form says the same; the command line (on the tests' clock, 28 November) in one line, exit 2
    page = browser(world, "it.returns").post("/returns/decisions/new", data={
        "person_id": a, "issued_on": "2026-11-20", "voluntary_departure_days": "30", "grounds": ["illegal_stay"]})
    assert page.status_code == 409 and "international protection granted by FR" in page.text
    out = cli(monkeypatch, "it.returns", "issue", "-", stdin=json.dumps(_body(a)))
    assert out.exit_code == 2 and "international protection granted by FR" in out.output
    assert _decisions(world) == 0

    r = world.client.post(f"{API}/decisions", json=_body(a, "did_not_go_to_protecting_state"),
                          headers=world.headers("it.returns"))
    assert r.status_code == 201, r.text
    d = r.json()
    assert "Directive 2008/115/EC, Article 6(2)" in d["legal_basis"]
    step = next(s for s in d["trace"] if s["rule"] == "protection_in_another_member_state")
    assert step["facts"]["granted_by"] == ["FR"] and step["facts"]["through"] == {"FR": ["DE"]}
    assert step["outcome"].startswith("protection granted by FR; return decision under the second sentence")
    assert "through DE's record" in step["outcome"]


def test_a_direct_link_still_says_it_without_a_chain(world: World) -> None:
    _, b, _ = _chain(world)
    with world.services.engine.connect() as conn:
        found = returns_service._protection_elsewhere(conn, b, "DE", date(2026, 11, 30))
    assert [(p.member_state, p.through) for p in found] == [("FR", ())]
    r = world.client.post(f"{API}/decisions", json=_body(b), headers=world.headers("de.returns"))
    assert r.status_code == 409 and "granted by FR (Eurodac marks that state's record" in r.json()["detail"]
    assert "joined to the person's through" not in r.json()["detail"]


def test_a_green_link_breaks_the_chain(world: World) -> None:
    a, _, c = _chain(world)
    _link(world, "lnk_ca", c, a, "green")  # verified: C is not A
    with world.services.engine.connect() as conn:
        assert returns_service._protection_elsewhere(conn, a, "IT", date(2026, 11, 30)) == []
    r = world.client.post(f"{API}/decisions", json=_body(a), headers=world.headers("it.returns"))
    assert r.status_code == 201, r.text
