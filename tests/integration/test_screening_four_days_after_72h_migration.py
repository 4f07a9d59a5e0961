"""The registry's data migration ``registry_0005_held_over_72h_four_days_after``: a store written when
the four days of a screening held at the external border over 72 hours ran from the apprehension gets
its open screenings of that kind ended four days after the end of the 72 hours (Screening Reg. (EU)
2024/1356 Art 8(3), second sentence: "i relativi accertamenti sono svolti successivamente e il
periodo per gli accertamenti è ridotto a quattro giorni"). Completed screenings and the seven days
of the other border screenings stay; running it again changes nothing."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from pactum.store.engine import make_engine
from pactum.store.migrate import HERE, upgrade

REVISION = "registry_0005_held_over_72h_four_days_after"

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
                       sa.column("variant"), sa.column("completed_at"), sa.column("outcome"),
                       sa.column("version"))

#: Apprehended crossing to Lampedusa on Wednesday 25 November 2026 at 07:30 in Rome and held there
#: over 72 hours: the 72 hours end on Saturday 28 November, the four days on Wednesday 2 December.
START = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
FROM_APPREHENSION = datetime(2026, 11, 29, 22, 59, 59, tzinfo=UTC)  # 23:59:59 on 29 November in Rome
AFTER_72_HOURS = datetime(2026, 12, 2, 22, 59, 59, tzinfo=UTC)      # 23:59:59 on 2 December in Rome


def _write_old_store(engine: sa.Engine) -> None:
    upgrade(engine, "registry_0004_held_over_72h_crossers_only")
    with engine.begin() as conn:
        for n, (variant, deadline, completed) in enumerate([
                ("border_held_over_72h", FROM_APPREHENSION, None),
                ("border_held_over_72h", FROM_APPREHENSION, datetime(2026, 11, 28, tzinfo=UTC)),
                ("border", AFTER_72_HOURS, None)]):
            conn.execute(sa.insert(_PERSONS).values(id=f"per_{n}", member_state="IT", created_at=START, version=1))
            conn.execute(sa.insert(_RECORDS).values(id=f"idr_{n}", person_id=f"per_{n}", member_state="IT",
                                                    recorded_on=START.date(), category="irregular_crossing",
                                                    created_at=START, version=1))
            conn.execute(sa.insert(_ENCOUNTERS).values(id=f"enc_{n}", person_id=f"per_{n}", identity_record_id=f"idr_{n}",
                                                       member_state="IT", occurred_at=START, kind="irregular_crossing",
                                                       created_at=START))
            conn.execute(sa.insert(_SCREENINGS).values(
                id=f"scr_{n}", person_id=f"per_{n}", encounter_id=f"enc_{n}", member_state="IT", started_at=START,
                deadline_at=deadline, variant=variant, completed_at=completed,
                outcome="asylum" if completed else None, version=1))


def _deadlines(engine: sa.Engine) -> dict[str, datetime]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(_SCREENINGS.c.id, _SCREENINGS.c.deadline_at)).all()
    return {r.id: _utc(r.deadline_at) for r in rows}


def _utc(value: datetime | str) -> datetime:
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


EXPECTED = {
    "scr_0": AFTER_72_HOURS,      # open: four days from the end of the 72 hours
    "scr_1": FROM_APPREHENSION,   # completed under its deadline: kept
    "scr_2": AFTER_72_HOURS,      # a border screening's seven days: unchanged
}


def test_the_upgrade_ends_the_open_screenings_four_days_after_the_72_hours(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _write_old_store(engine)
    upgrade(engine)
    assert _deadlines(engine) == EXPECTED
    engine.dispose()


def test_running_the_migration_again_changes_nothing(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _write_old_store(engine)
    upgrade(engine)
    spec = importlib.util.spec_from_file_location(REVISION, HERE / "versions" / f"{REVISION}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module.upgrade()
    assert _deadlines(engine) == EXPECTED
    engine.dispose()
