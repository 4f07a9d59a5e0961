"""The registry's data migration ``registry_0003_retention_from_transmission``: a store written when
the recast's storage periods were counted from the taking of the biometric data gets them counted
from their transmission (Reg. (EU) 2024/1358 Art 29); records of Reg. (EU) No 603/2013, records
whose transmission is not recorded and erased records keep theirs; running it again changes
nothing."""

from __future__ import annotations

import importlib.util
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from pactum.store.engine import make_engine
from pactum.store.migrate import HERE, upgrade

REVISION = "registry_0003_retention_from_transmission"

_PERSONS = sa.table("persons", sa.column("id"), sa.column("member_state"), sa.column("created_at"),
                    sa.column("version"))
_RECORDS = sa.table("identity_records", sa.column("id"), sa.column("person_id"), sa.column("member_state"),
                    sa.column("recorded_on"), sa.column("category"), sa.column("created_at"),
                    sa.column("version"))
_CAPTURES = sa.table("biometric_captures", sa.column("id"), sa.column("identity_record_id"),
                     sa.column("captured_at"), sa.column("transmitted_at"), sa.column("below_minimum_age"))
_EURODAC = sa.table("eurodac_records", sa.column("id"), sa.column("identity_record_id"),
                    sa.column("member_state"), sa.column("category"), sa.column("registered_at"),
                    sa.column("retention_until"), sa.column("erased_at"))


def _at(day: int, month: int = 7, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def _write_old_store(engine: sa.Engine) -> None:
    upgrade(engine, "registry_0002_screening_maximum")
    with engine.begin() as conn:
        conn.execute(sa.insert(_PERSONS), [{"id": "per_1", "member_state": "IT", "created_at": _at(1), "version": 1}])

        def record(rid: str, recorded_on: date, category: str, created_at: datetime) -> None:
            conn.execute(sa.insert(_RECORDS).values(id=rid, person_id="per_1", member_state="IT",
                                                     recorded_on=recorded_on, category=category,
                                                     created_at=created_at, version=1))

        def eurodac(eid: str, rid: str, category: str, until: date, erased: datetime | None = None) -> None:
            conn.execute(sa.insert(_EURODAC).values(id=eid, identity_record_id=rid, member_state="IT",
                                                     category=category, registered_at=_at(20, hour=6),
                                                     retention_until=until, erased_at=erased))

        def capture(rid: str, captured: datetime, transmitted: datetime | None) -> None:
            conn.execute(sa.insert(_CAPTURES).values(id=f"bio_{rid}", identity_record_id=rid, captured_at=captured,
                                                      transmitted_at=transmitted, below_minimum_age=False))

        # a SAR arrival taken on 20 July 2026, transmitted on 22 July: stored 5 years from the taking
        record("idr_sar", date(2026, 7, 20), "sar", _at(20))
        capture("idr_sar", _at(20), _at(22, hour=8))
        eurodac("edc_sar", "idr_sar", "sar", date(2031, 7, 20))
        # taken, transmission not recorded: stays counted from the capture
        record("idr_open", date(2026, 7, 20), "sar", _at(20))
        capture("idr_open", _at(20), None)
        eurodac("edc_open", "idr_open", "sar", date(2031, 7, 20))
        # Reg. 603/2013: an irregular crosser taken on 10 June 2026, transmitted on 12 June
        record("idr_603", date(2026, 6, 10), "irregular_crossing", _at(10, 6))
        capture("idr_603", _at(10, 6), _at(12, 6))
        eurodac("edc_603", "idr_603", "irregular_crossing", date(2027, 12, 10))
        # an applicant's record made with an application of 1 July 2026, recorded on 3 July
        record("idr_app", date(2026, 7, 1), "applicant", _at(3, hour=10))
        eurodac("edc_app", "idr_app", "applicant", date(2036, 7, 1))
        # erased data are not touched
        record("idr_gone", date(2026, 7, 20), "sar", _at(20))
        capture("idr_gone", _at(20), _at(22))
        eurodac("edc_gone", "idr_gone", "sar", date(2031, 7, 20), erased=_at(25))


def _ends(engine: sa.Engine) -> dict[str, date]:
    with engine.connect() as conn:
        return {k: v if isinstance(v, date) else date.fromisoformat(v)
                for k, v in conn.execute(sa.select(_EURODAC.c.id, _EURODAC.c.retention_until)).all()}


EXPECTED = {
    "edc_sar": date(2031, 7, 22),   # five years from the transmission (Art 29(8))
    "edc_open": date(2031, 7, 20),  # transmission not recorded
    "edc_603": date(2027, 12, 10),  # 18 months from the taking (Reg. 603/2013 Art 16(1))
    "edc_app": date(2036, 7, 3),    # ten years from the day it was recorded (Art 29(1))
    "edc_gone": date(2031, 7, 20),  # erased
}


def test_the_upgrade_counts_the_recasts_storage_periods_from_the_transmission(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _write_old_store(engine)
    upgrade(engine)
    assert _ends(engine) == EXPECTED
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
    assert _ends(engine) == EXPECTED
    engine.dispose()
