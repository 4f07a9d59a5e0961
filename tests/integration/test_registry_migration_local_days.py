"""The registry's data migration (``registry_0001_local_days``): a store written before the
correction gets Eurodac storage ends without the working-day extension and open screenings that
end at the end of a local day; completed screenings and ends already right are left alone."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, insert, select, text

from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.registry import eurodac_records, persons, screenings


def _upgrade_a_store_written_before(engine):
    upgrade(engine, "0002_identity_documents")  # the registry's tables as they were written
    at = datetime(2026, 7, 20, 10, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert(persons), [{"id": "per_1", "member_state": "IT", "created_at": at, "version": 1}])
        conn.execute(insert(eurodac_records), [
            # 5 years from Monday 20 July 2026 end on Sunday 20 July 2031; stored moved to Monday
            {"id": "edc_sunday", "identity_record_id": None, "member_state": "IT", "category": "irregular_crossing",
             "registered_at": at, "retention_until": date(2031, 7, 21)},
            # 10 years from 1 July 2026 end on Tuesday 1 July 2036: already right
            {"id": "edc_tuesday", "identity_record_id": None, "member_state": "IT", "category": "applicant",
             "registered_at": datetime(2026, 7, 1, 9, tzinfo=UTC), "retention_until": date(2036, 7, 1)},
        ])
        # erased data are not touched
        conn.execute(insert(eurodac_records).values(
            id="edc_erased", identity_record_id=None, member_state="IT", category="irregular_crossing",
            registered_at=at, retention_until=date(2031, 7, 21), erased_at=at))
        row = {"person_id": "per_1", "encounter_id": None, "member_state": "IT", "variant": "border",
               "started_at": datetime(2026, 11, 25, 6, 30, tzinfo=UTC),
               "deadline_at": datetime(2026, 12, 2, 23, 59, 59, tzinfo=UTC), "version": 1}
        conn.execute(insert(screenings).values(**row, id="scr_open"))
        conn.execute(insert(screenings).values(**row, id="scr_done", outcome="asylum", completed_at=at))
    upgrade(engine)
    with engine.connect() as conn:
        ends = dict(conn.execute(select(eurodac_records.c.id, eurodac_records.c.retention_until)).all())
        deadlines = dict(conn.execute(select(screenings.c.id, screenings.c.deadline_at)).all())
        versions = set(conn.execute(select(screenings.c.version)).scalars())
    engine.dispose()
    assert ends == {"edc_sunday": date(2031, 7, 20), "edc_tuesday": date(2036, 7, 1),
                    "edc_erased": date(2031, 7, 21)}
    # 23:59:59 in Rome (UTC+1 in December) for the open one; the completed one keeps its deadline
    assert deadlines["scr_open"].replace(tzinfo=UTC) == datetime(2026, 12, 2, 22, 59, 59, tzinfo=UTC)
    assert deadlines["scr_done"].replace(tzinfo=UTC) == datetime(2026, 12, 2, 23, 59, 59, tzinfo=UTC)
    assert versions == {1}  # an officer's open form is not made stale by the correction


def test_the_upgrade_corrects_stored_storage_ends_and_open_screening_deadlines(tmp_path):
    _upgrade_a_store_written_before(make_engine(f"sqlite:///{tmp_path / 'old.db'}"))


@pytest.mark.postgres
def test_the_upgrade_corrects_them_on_postgres():
    from tests.conftest import PG_ADMIN_URL

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"pactum_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _upgrade_a_store_written_before(make_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
