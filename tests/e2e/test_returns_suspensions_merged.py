"""Suspensions of a return decision that overlap or follow each other without a day between are one
stop of the period for voluntary departure, no day counted twice (``pactum.returns.period.merged_stops``):
the decision read, its page's computation, the alert's field (x) and the command line; and the
migration ``returns_0018_alert_period_reread`` giving alerts stored before it the day read so.

Italy's decision of 1 September 2026, 30 days (last day 1 October); suspended on 11 September (21
days left), lifted on 20 October and suspended again that same day (a second appeal), lifted on
Monday 2 November: the 21 days run from 3 November, last day Monday 23 November. Read one suspension
at a time, 20 October was counted in both: Tuesday 24 November."""

from __future__ import annotations

import html
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, update

from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.platform import audit_log
from pactum.store.tables.returns import return_alerts

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, browser, cli, cli_world, get, make_world, post  # type: ignore[no-redef]

MERGED = ("suspended on 2026-09-11, lifted on 2026-10-20; suspended on 2026-10-20, lifted on 2026-11-02: "
          "suspensions that overlap or follow each other without a day between, read as one suspension from "
          "2026-09-11 to 2026-11-02 (no day is counted twice): the period did not run until 2026-11-02, with 21 "
          "days of it left (2026-09-11 to 2026-10-01): they run from 2026-11-03, last day 2026-11-23")


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _at(world: World, day: str) -> None:
    world.clock.set(datetime.fromisoformat(f"{day}T09:00:00+00:00"))


def _issue(world: World, surname: str) -> dict[str, Any]:
    _at(world, "2026-09-01")
    person = world.person("it.returns", surname=surname, nationality="TUN")
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-09-01",
                                                 "voluntary_departure_days": 30, "grounds": ["illegal_stay"]})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _change(world: World, d: dict[str, Any], day: str, what: str, reason: str) -> dict[str, Any]:
    _at(world, day)
    r = post(world, "it.returns", f"/decisions/{d['id']}/{what}", {"version": d["version"], "reason": reason})
    assert r.status_code == 200, r.text
    return dict(r.json())


def _suspended_twice(world: World, surname: str = "Trabelsi") -> dict[str, Any]:
    d = _issue(world, surname)
    d = _change(world, d, "2026-09-11", "suspend", "appeal against the return decision, suspensive")
    d = _change(world, d, "2026-10-20", "lift-suspension", "appeal dismissed")
    assert d["voluntary_departure_ends_on"] == "2026-11-10"
    d = _change(world, d, "2026-10-20", "suspend", "second appeal, suspensive")
    # suspended again the day of the lifting: the 21 days of the first, not 22
    assert d["voluntary_departure_period"]["days_left"] == 21
    return _change(world, d, "2026-11-02", "lift-suspension", "second appeal dismissed")


def _alert_updates(world: World, alert_id: str) -> int:
    with world.services.engine.connect() as conn:
        return len(conn.execute(select(audit_log.c.seq).where(audit_log.c.action == "returns.alert.update",
                                                              audit_log.c.entity_id == alert_id)).all())


def test_a_suspension_begun_the_day_another_was_lifted_counts_no_day_twice(world: World) -> None:
    d = _suspended_twice(world)
    assert d["voluntary_departure_last_day"] == "2026-10-01" and d["voluntary_departure_ends_on"] == "2026-11-23"
    p = d["voluntary_departure_period"]
    assert p["steps"] == [MERGED] and p["ends_on"] == "2026-11-23"
    assert p["label"].startswith("last day 2026-11-23, moved from 2026-10-01: the period did not run while the "
                                 "decision was suspended")
    # the alert's field (x) takes the merged reading, audited on the alert
    assert d["alert"]["voluntary_departure_last_day"] == "2026-11-23"
    with world.services.engine.connect() as conn:
        after = [r.after for r in conn.execute(select(audit_log.c.after).where(
            audit_log.c.entity_id == d["alert"]["id"], audit_log.c.action == "returns.alert.update")
            .order_by(audit_log.c.seq))]
    assert {"voluntary_departure_last_day": "2026-11-23", "return_decision_id": d["id"]} in after
    # removal waits for the merged day (Art 8(2)), not a day more
    (running,) = [o for o in d["obstacles"] if o["code"] == "voluntary_departure_running"]
    assert "until 2026-11-23" in running["label"]
    # the decision page's computation says it in the same words, and why
    page = html.unescape(browser(world, "it.returns").get(f"/returns/decisions/{d['id']}").text)
    assert MERGED in page and "last day 2026-11-23" in page
    assert "suspensions that overlap or follow each other without a day between are read as one, no day counted twice" in page


def test_the_command_line_shows_the_merged_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    d = _suspended_twice(world)
    r = cli(monkeypatch, "it.returns", "show", d["id"])
    assert r.exit_code == 0, r.output
    shown = json.loads(r.output)
    assert shown["voluntary_departure_ends_on"] == "2026-11-23"
    assert shown["voluntary_departure_period"]["steps"] == [MERGED]


def test_the_migration_gives_alerts_stored_before_it_the_merged_reading(world: World) -> None:
    moved = _suspended_twice(world, "Trabelsi")
    paused = _issue(world, "Haddad")
    paused = _change(world, paused, "2026-09-11", "suspend", "appeal")
    plain = _issue(world, "Mansour")
    engine = world.services.engine
    entries = _alert_updates(world, moved["alert"]["id"])
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "returns_0017_decision_region")
        # the store as the previous release left it: field (x) as each suspension moved it on its own
        conn.execute(update(return_alerts).where(return_alerts.c.id == moved["alert"]["id"])
                     .values(voluntary_departure_last_day=date(2026, 11, 24)))
    upgrade(engine)
    with engine.connect() as conn:
        held = dict(conn.execute(select(return_alerts.c.return_decision_id,
                                        return_alerts.c.voluntary_departure_last_day)).all())
    assert held[moved["id"]] == date(2026, 11, 23)
    # a period that does not run has no last day: left for the lifting; an unmoved one unchanged
    assert held[paused["id"]] == date(2026, 10, 1) and held[plain["id"]] == date(2026, 10, 1)
    assert _alert_updates(world, moved["alert"]["id"]) == entries  # the migration writes no audit entry
    assert get(world, "it.returns", f"/decisions/{moved['id']}").json()["alert"]["voluntary_departure_last_day"] \
        == "2026-11-23"
