"""The registry's data migration ``registry_0004_held_over_72h_crossers_only``: a store written when
"held at the border over 72 hours" shortened any border screening to four days gets the open
screenings of a search-and-rescue disembarkation or a border-crossing-point application back to the
seven days of Screening Reg. (EU) 2024/1356 Art 8(3), first sentence (the four days of its second
sentence are for the persons of Art 5(1)(a) only). An irregular crosser's four days and completed
screenings stay; running it again changes nothing."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from pactum.store.engine import make_engine
from pactum.store.migrate import HERE, upgrade

REVISION = "registry_0004_held_over_72h_crossers_only"

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

START = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)  # Lampedusa, 07:30 in Rome
FOUR_DAYS = datetime(2026, 11, 29, 22, 59, 59, tzinfo=UTC)   # 23:59:59 on 29 November in Rome
SEVEN_DAYS = datetime(2026, 12, 2, 22, 59, 59, tzinfo=UTC)   # 23:59:59 on 2 December in Rome


def _write_old_store(engine: sa.Engine) -> None:
    upgrade(engine, "registry_0003_retention_from_transmission")
    with engine.begin() as conn:
        for n, (kind, completed) in enumerate([("sar_disembarkation", None),
                                               ("border_crossing_point_application", None),
                                               ("irregular_crossing", None),
                                               ("sar_disembarkation", datetime(2026, 11, 28, tzinfo=UTC))]):
            conn.execute(sa.insert(_PERSONS).values(id=f"per_{n}", member_state="IT", created_at=START, version=1))
            conn.execute(sa.insert(_RECORDS).values(id=f"idr_{n}", person_id=f"per_{n}", member_state="IT",
                                                    recorded_on=START.date(), category="sar", created_at=START,
                                                    version=1))
            conn.execute(sa.insert(_ENCOUNTERS).values(id=f"enc_{n}", person_id=f"per_{n}", identity_record_id=f"idr_{n}",
                                                       member_state="IT", occurred_at=START, kind=kind,
                                                       created_at=START))
            conn.execute(sa.insert(_SCREENINGS).values(
                id=f"scr_{n}", person_id=f"per_{n}", encounter_id=f"enc_{n}", member_state="IT", started_at=START,
                deadline_at=FOUR_DAYS, variant="border_held_over_72h", completed_at=completed,
                outcome="asylum" if completed else None, version=1))


def _screenings(engine: sa.Engine) -> dict[str, tuple[str, datetime]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(_SCREENINGS.c.id, _SCREENINGS.c.variant, _SCREENINGS.c.deadline_at)).all()
    return {r.id: (r.variant, _utc(r.deadline_at)) for r in rows}


def _utc(value: datetime | str) -> datetime:
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


EXPECTED = {
    "scr_0": ("border", SEVEN_DAYS),                   # disembarked after SAR (Art 5(1)(b))
    "scr_1": ("border", SEVEN_DAYS),                   # applied at a border crossing point (Art 5(2))
    "scr_2": ("border_held_over_72h", FOUR_DAYS),      # an irregular crosser's four days (Art 5(1)(a))
    "scr_3": ("border_held_over_72h", FOUR_DAYS),      # completed under its deadline: kept
}


def test_the_upgrade_gives_back_the_seven_days_to_those_art_8_3_does_not_shorten(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _write_old_store(engine)
    upgrade(engine, REVISION)  # the next migration counts the crosser's four days again
    assert _screenings(engine) == EXPECTED
    engine.dispose()


def test_running_the_migration_again_changes_nothing(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _write_old_store(engine)
    upgrade(engine, REVISION)  # the next migration counts the crosser's four days again
    spec = importlib.util.spec_from_file_location(REVISION, HERE / "versions" / f"{REVISION}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module.upgrade()
    assert _screenings(engine) == EXPECTED
    engine.dispose()
