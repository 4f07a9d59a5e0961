"""The suspensions of a return decision have their own table (``return_decision_suspensions``),
written by the handlers that suspend and lift, in the same unit of work as their audit entries; the
period for voluntary departure (Directive 2008/115/EC Art 7(1), 13(2); CJEU C-181/16 *Gnandi*) is
read from it. Migration ``returns_0014_decision_suspensions`` back-fills it from the audit entries a
store made before, so the periods it moved stay moved."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import delete, insert, select

from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.returns import return_decision_suspensions

try:
    from .test_returns_support import World, get, make_world, post
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, get, make_world, post  # type: ignore[no-redef]

BEFORE = "returns_0013_entry_ban_after_issue"
ART_13_2 = "Directive 2008/115/EC, Article 13(2)"
S = return_decision_suspensions


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _at(world: World, day: str) -> None:
    world.clock.set(datetime.fromisoformat(f"{day}T09:00:00+00:00"))


def _issue(world: World, surname: str) -> dict[str, Any]:
    """Italy's decision of Tuesday 1 September 2026 with 30 days: last day Thursday 1 October."""
    _at(world, "2026-09-01")
    person = world.person("it.returns", surname=surname, nationality="TUN")
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-09-01",
                                                 "voluntary_departure_days": 30, "grounds": ["illegal_stay"]})
    assert r.status_code == 201, r.text
    return r.json()


def _act(world: World, d: dict[str, Any], action: str, day: str, reason: str) -> dict[str, Any]:
    _at(world, day)
    r = post(world, "it.returns", f"/decisions/{d['id']}/{action}", {"version": d["version"], "reason": reason})
    assert r.status_code == 200, r.text
    return r.json()


def _rows(world: World) -> list[dict[str, Any]]:
    with world.services.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(S).order_by(S.c.return_decision_id, S.c.number)).mappings()]


def _kept(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["return_decision_id"], r["number"], r["began_on"], r["lifted_on"], r["basis"], r["reason"],
             r["suspended_by"], r["suspended_authority"], r["lift_reason"], r["lifted_by"]) for r in rows]


def _twice_suspended(world: World) -> tuple[dict[str, Any], dict[str, Any]]:
    """One decision suspended on 11 September, lifted on 20 October, suspended again on 22 October
    (still suspended); another suspended on 15 September and lifted on 5 October."""
    a = _issue(world, "Trabelsi")
    b = _issue(world, "Mansour")
    a = _act(world, a, "suspend", "2026-09-11", "appeal against the return decision, suspensive")
    b = _act(world, b, "suspend", "2026-09-15", "court order pending review")
    b = _act(world, b, "lift-suspension", "2026-10-05", "order lifted")
    a = _act(world, a, "lift-suspension", "2026-10-20", "appeal dismissed")
    a = _act(world, a, "suspend", "2026-10-22", "further appeal, suspensive")
    return a, b


def test_the_handlers_write_each_suspension_as_a_row(world: World) -> None:
    a, b = _twice_suspended(world)
    got = _kept(_rows(world))
    assert sorted(got) == sorted([
        (a["id"], 1, date(2026, 9, 11), date(2026, 10, 20), ART_13_2,
         "appeal against the return decision, suspensive", "it.returns", "IT", "appeal dismissed", "it.returns"),
        (a["id"], 2, date(2026, 10, 22), None, ART_13_2, "further appeal, suspensive", "it.returns", "IT", None, None),
        (b["id"], 1, date(2026, 9, 15), date(2026, 10, 5), ART_13_2, "court order pending review", "it.returns",
         "IT", "order lifted", "it.returns"),
    ])
    # the period as the rows leave it: b's 17 days left from 15 September run from 6 October
    assert b["voluntary_departure_ends_on"] == "2026-10-22"
    assert a["voluntary_departure_ends_on"] is None and a["voluntary_departure_period"]["paused"] is True


def test_the_migration_back_fills_the_table_from_the_audit_entries(world: World) -> None:
    a, b = _twice_suspended(world)
    written = _kept(_rows(world))
    before_a, before_b = (get(world, "it.returns", f"/decisions/{x['id']}").json() for x in (a, b))

    # the store as it was before the table: the suspensions only in the audit log
    engine = world.services.engine
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, BEFORE)
    upgrade(engine)

    assert _kept(_rows(world)) == written
    for x, was in ((a, before_a), (b, before_b)):
        now = get(world, "it.returns", f"/decisions/{x['id']}").json()
        assert now["voluntary_departure_ends_on"] == was["voluntary_departure_ends_on"]
        assert now["voluntary_departure_period"] == was["voluntary_departure_period"]


def test_the_period_is_read_from_the_table_not_the_audit_log(world: World) -> None:
    d = _issue(world, "Trabelsi")
    d = _act(world, d, "suspend", "2026-09-11", "appeal")
    d = _act(world, d, "lift-suspension", "2026-10-20", "appeal dismissed")
    assert d["voluntary_departure_ends_on"] == "2026-11-10"
    other = _issue(world, "Mansour")
    with world.services.engine.begin() as conn:
        # the audit entries of d stay, its rows go: its period is the one the decision set
        conn.execute(delete(S).where(S.c.return_decision_id == d["id"]))
        # a row without audit entries moves the other's period: 21 days left from 11 September
        conn.execute(insert(S).values(
            id="rds-test", return_decision_id=other["id"], number=1, began_on=date(2026, 9, 11),
            lifted_on=date(2026, 10, 20), basis=ART_13_2, reason="appeal", suspended_by="it.returns",
            suspended_authority="IT", suspended_at=datetime(2026, 9, 11, 9, tzinfo=UTC)))
    assert get(world, "it.returns", f"/decisions/{d['id']}").json()["voluntary_departure_ends_on"] == "2026-10-01"
    moved = get(world, "it.returns", f"/decisions/{other['id']}").json()
    assert moved["voluntary_departure_ends_on"] == "2026-11-10"
    assert moved["voluntary_departure_period"]["moved"] is True
    listed = {r["id"]: r for r in get(world, "it.returns", "/decisions").json()}
    assert listed[other["id"]]["voluntary_departure_ends_on"] == "2026-11-10"
    assert listed[d["id"]]["voluntary_departure_ends_on"] == "2026-10-01"
