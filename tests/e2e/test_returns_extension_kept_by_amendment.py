"""An amended decision on the destination keeps the extension of the period for voluntary departure
in force (Directive 2008/115/EC Art 7(2), read in Italian: "Gli Stati membri prorogano, ove
necessario, il periodo per la partenza volontaria per un periodo congruo, tenendo conto delle
circostanze specifiche del caso individuale, quali la durata del soggiorno, l'esistenza di bambini
che frequentano la scuola e l'esistenza di altri legami familiari e sociali").

The amended decision is a new return decision (CJEU C-924/19 PPU and C-925/19 PPU, *FMS*) and fixes
its own period from its day (Art 7(1)); the circumstances that made the extension necessary are the
person's in Italy, not Pakistan's or Bangladesh's, so the period runs to the extended day where that
is later. Before, the amendment dropped the extension and the person was removable earlier than
Italy had found necessary. Recorded as an extension row naming the amended decision (migration
``returns_0016_extension_kept``); the alert's field (x), the page and the CLI say it."""

from __future__ import annotations

import html
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, select

from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.platform import audit_log

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, browser, cli, cli_world, get, make_world, post  # type: ignore[no-redef]

REASONS = "Bangladesh refused readmission; the person lived in Pakistan from 2012 to 2022"
REMEDIES = "appeal to the Tribunale di Roma within 30 days of notification"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _at(world: World, day: str) -> None:
    world.clock.set(datetime.fromisoformat(f"{day}T09:00:00+00:00"))


def _extended(world: World) -> dict[str, Any]:
    """Italy's decision of 1 September 2026 to Bangladesh, 30 days (to 1 October), extended on 10
    September to 30 October: the children finish the school term."""
    _at(world, "2026-09-01")
    person = world.person("it.returns", surname="Uddin", nationality="BGD")
    r = post(
        world,
        "it.returns",
        "/decisions",
        {
            "person_id": person,
            "issued_on": "2026-09-01",
            "voluntary_departure_days": 30,
            "grounds": ["illegal_stay"],
        },
    )
    assert r.status_code == 201, r.text
    d = r.json()
    _at(world, "2026-09-10")
    r = post(
        world,
        "it.returns",
        f"/decisions/{d['id']}/voluntary-departure/extend",
        {
            "version": d["version"],
            "last_day": "2026-10-30",
            "grounds": ["school_going_children"],
            "reason": "the children finish the school term on 30 October",
        },
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def _amend(world: World, d: dict[str, Any], issued_on: str = "2026-09-15", **body: Any) -> Any:
    return post(
        world,
        "it.returns",
        f"/decisions/{d['id']}/destination",
        {
            "version": d["version"],
            "destination_country": "PAK",
            "issued_on": issued_on,
            "reasons": REASONS,
            "remedies": REMEDIES,
            **body,
        },
    )


def test_the_amended_decision_keeps_the_extended_day(world: World) -> None:
    d = _extended(world)
    _at(world, "2026-09-15")
    r = _amend(world, d)
    assert r.status_code == 200, r.text
    d = r.json()
    # its own period: 30 days from 15 September, to 15 October; the extension runs to 30 October
    (amended,) = d["destination_decisions"]
    assert amended["voluntary_departure_last_day"] == "2026-10-15"
    assert (
        d["voluntary_departure_last_day"] == "2026-10-30" and d["voluntary_departure_ends_on"] == "2026-10-30"
    )
    assert d["alert"]["voluntary_departure_last_day"] == "2026-10-30"
    first, kept = d["voluntary_departure_extensions"]
    assert first["kept_by"] is None
    assert (kept["kept_by"], kept["extended_on"], kept["previous_last_day"], kept["new_last_day"]) == (
        amended["reference"],
        "2026-09-15",
        "2026-10-15",
        "2026-10-30",
    )
    assert kept["grounds"] == ["school_going_children"]
    assert kept["reason"] == "the children finish the school term on 30 October"
    assert "kept by the amended decision" in kept["label"] and "Article 7(2)" in kept["label"]
    # removal still barred until 30 October (Art 8(2)), the period running in the queue
    _at(world, "2026-10-20")
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert "voluntary_departure_running" in {o["code"] for o in d["obstacles"]}
    r = post(
        world,
        "it.returns",
        f"/decisions/{d['id']}/departure",
        {"version": d["version"], "departed_on": "2026-10-20", "mode": "enforced"},
    )
    assert r.status_code == 422 and "2026-10-30" in r.text
    # a further extension runs on from the day kept, within a year of the amended decision's day
    assert d["voluntary_departure_extension"]["first_possible"] == "2026-10-31"
    assert d["voluntary_departure_extension"]["latest"] == "2027-09-15"
    with world.services.engine.begin() as conn:
        (after,) = conn.execute(
            select(audit_log.c.after).where(
                audit_log.c.entity_id == d["id"], audit_log.c.action == "returns.decision.destination_amended"
            )
        ).scalars()
    assert after["extension_kept"]["voluntary_departure_last_day"] == "2026-10-30"
    # the page
    page = html.unescape(browser(world, "it.returns").get(f"/returns/decisions/{d['id']}").text)
    assert (
        f"kept by the amended decision {amended['reference']}, whose own period ended on 2026-10-15" in page
    )


def test_nothing_is_kept_when_the_new_period_runs_later(world: World) -> None:
    d = _extended(world)
    # an amended decision of 20 October: its own 30 days run to 19 November, after the extended day
    _at(world, "2026-10-20")
    r = _amend(world, d, issued_on="2026-10-20")
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["voluntary_departure_last_day"] == "2026-11-19"
    assert [x["kept_by"] for x in d["voluntary_departure_extensions"]] == [None]
    with world.services.engine.begin() as conn:
        (after,) = conn.execute(
            select(audit_log.c.after).where(
                audit_log.c.entity_id == d["id"], audit_log.c.action == "returns.decision.destination_amended"
            )
        ).scalars()
    assert after["extension_kept"] is None


def test_a_second_amendment_keeps_it_again(world: World) -> None:
    d = _extended(world)
    _at(world, "2026-09-15")
    d = _amend(world, d).json()
    _at(world, "2026-09-20")
    r = _amend(world, d, issued_on="2026-09-20", destination_country="IND")
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["voluntary_departure_last_day"] == "2026-10-30"
    assert [x["kept_by"] is not None for x in d["voluntary_departure_extensions"]] == [False, True, True]


def test_the_command_line_shows_the_kept_extension(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    monkeypatch.setattr("pactum.services.bootstrap.SystemClock", lambda: world.clock)  # the world's day
    d = _extended(world)
    _at(world, "2026-09-15")
    body = {
        "version": d["version"],
        "destination_country": "PAK",
        "issued_on": "2026-09-15",
        "reasons": REASONS,
        "remedies": REMEDIES,
    }
    r = cli(monkeypatch, "it.returns", "amend-destination", d["id"], "-", stdin=json.dumps(body))
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["voluntary_departure_last_day"] == "2026-10-30"
    assert (
        out["voluntary_departure_extensions"][-1]["kept_by"] == out["destination_decisions"][0]["reference"]
    )


def test_the_migration_adds_the_column_to_a_store_of_the_previous_head(world: World) -> None:
    d = _extended(world)
    engine = world.services.engine
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "returns_0015_period_extensions")
    assert "destination_decision_id" not in {
        c["name"] for c in inspect(engine).get_columns("return_decision_extensions")
    }
    upgrade(engine)
    assert "destination_decision_id" in {
        c["name"] for c in inspect(engine).get_columns("return_decision_extensions")
    }
    # the extension stored before is the officer's
    (x,) = get(world, "it.returns", f"/decisions/{d['id']}").json()["voluntary_departure_extensions"]
    assert x["kept_by"] is None and x["new_last_day"] == "2026-10-30"
