"""The registry's migration ``registry_0006_encounter_time_zone``: encounters record their region and
time zone, screenings their time zone. A store written before keeps what the platform counted and
showed: each screening gets the zone it was shown on (read from its deadline: a Canary Islands
arrival given with the islands' offset ends at 23:59:59 on the islands' clock), its encounter that
zone and its region; an encounter without a screening keeps none. No deadline changes; running it
again changes nothing."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from pactum.store.engine import make_engine
from pactum.store.migrate import HERE, upgrade

REVISION = "registry_0006_encounter_time_zone"

_PERSONS = sa.table("persons", sa.column("id"), sa.column("member_state"), sa.column("created_at"),
                    sa.column("version"))
_RECORDS = sa.table("identity_records", sa.column("id"), sa.column("person_id"), sa.column("member_state"),
                    sa.column("recorded_on"), sa.column("category"), sa.column("created_at"),
                    sa.column("version"))
_ENCOUNTERS = sa.table("encounters", sa.column("id"), sa.column("person_id"), sa.column("identity_record_id"),
                       sa.column("member_state"), sa.column("occurred_at"), sa.column("kind"),
                       sa.column("created_at"))
_SCREENINGS = sa.table("screenings", sa.column("id"), sa.column("person_id"), sa.column("encounter_id"),
                       sa.column("member_state"), sa.column("started_at"), sa.column("deadline_at"),
                       sa.column("variant"), sa.column("version"))

START = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
#: (state, deadline, with a screening): a Canary Islands screening (23:59:59 on the islands, UTC+0 in
#: winter), a Madrid one (23:59:59 in Madrid), an Azores one (23:59:59 at UTC-1), an encounter of
#: before the Screening Regulation (no screening).
ROWS = [("ES", datetime(2026, 12, 2, 23, 59, 59, tzinfo=UTC), True),
        ("ES", datetime(2026, 12, 2, 22, 59, 59, tzinfo=UTC), True),
        ("PT", datetime(2026, 12, 3, 0, 59, 59, tzinfo=UTC), True),
        ("ES", None, False)]


def _write_old_store(engine: sa.Engine) -> None:
    upgrade(engine, "registry_0005_held_over_72h_four_days_after")
    with engine.begin() as conn:
        for n, (ms, deadline, screened) in enumerate(ROWS):
            conn.execute(sa.insert(_PERSONS).values(id=f"per_{n}", member_state=ms, created_at=START, version=1))
            conn.execute(sa.insert(_RECORDS).values(id=f"idr_{n}", person_id=f"per_{n}", member_state=ms,
                                                    recorded_on=START.date(), category="irregular_crossing",
                                                    created_at=START, version=1))
            conn.execute(sa.insert(_ENCOUNTERS).values(id=f"enc_{n}", person_id=f"per_{n}", identity_record_id=f"idr_{n}",
                                                       member_state=ms, occurred_at=START, kind="irregular_crossing",
                                                       created_at=START))
            if screened:
                conn.execute(sa.insert(_SCREENINGS).values(
                    id=f"scr_{n}", person_id=f"per_{n}", encounter_id=f"enc_{n}", member_state=ms,
                    started_at=START, deadline_at=deadline, variant="border", version=1))


def _state(engine: sa.Engine) -> tuple[dict[str, tuple[str | None, str | None]], dict[str, tuple[str | None, str]]]:
    with engine.connect() as conn:
        enc = {r.id: (r.region, r.time_zone) for r in conn.execute(sa.text(
            "SELECT id, region, time_zone FROM encounters"))}
        scr = {r.id: (r.time_zone, str(r.deadline_at)) for r in conn.execute(sa.text(
            "SELECT id, time_zone, deadline_at FROM screenings"))}
    return enc, scr


def _deadlines_before(engine: sa.Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {r.id: str(r.deadline_at) for r in conn.execute(sa.text("SELECT id, deadline_at FROM screenings"))}


def test_the_upgrade_records_the_zone_each_screening_was_shown_on(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _write_old_store(engine)
    before = _deadlines_before(engine)
    upgrade(engine)
    encounters, screenings = _state(engine)
    assert encounters == {"enc_0": ("ES-CN", "Atlantic/Canary"), "enc_1": (None, "Europe/Madrid"),
                          "enc_2": ("PT-20", "Atlantic/Azores"), "enc_3": (None, None)}
    assert {k: v[0] for k, v in screenings.items()} == {
        "scr_0": "Atlantic/Canary", "scr_1": "Europe/Madrid", "scr_2": "Atlantic/Azores"}
    assert {k: v[1] for k, v in screenings.items()} == before  # no deadline moves
    engine.dispose()


def test_running_the_migration_again_changes_nothing(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _write_old_store(engine)
    upgrade(engine)
    first = _state(engine)
    spec = importlib.util.spec_from_file_location(REVISION, HERE / "versions" / f"{REVISION}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module.upgrade()
    assert _state(engine) == first
    engine.dispose()


def test_downgrading_drops_the_columns(tmp_path: Path) -> None:
    from alembic import command

    from pactum.store.migrate import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _write_old_store(engine)
    upgrade(engine)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "registry_0005_held_over_72h_four_days_after")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("encounters")}
    assert not {"region", "time_zone"} & columns
    assert "time_zone" not in {c["name"] for c in sa.inspect(engine).get_columns("screenings")}
    engine.dispose()
