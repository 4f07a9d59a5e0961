"""The registry's data migration ``registry_0002_screening_maximum``: a screening still open keeps
no deadline the working-day extension had added (a maximum that restricts the person ends on its
last day, docs/law.md); a completed screening keeps the deadline it was completed under."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.registry import persons, screenings


def test_an_open_inland_screening_ends_on_its_third_day_though_a_saturday_and_holiday(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "registry_0001_local_days")
    at = datetime(2026, 12, 23, 9, tzinfo=UTC)
    # found inside Germany on Wednesday 23 December: 3 days end on Saturday 26 December (a public
    # holiday there); stored as Monday 28 December, 23:59:59 in Berlin, by the extension
    extended = datetime(2026, 12, 28, 22, 59, 59, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert(persons), [{"id": "per_1", "member_state": "DE", "created_at": at, "version": 1}])
        row = {"person_id": "per_1", "encounter_id": None, "member_state": "DE", "variant": "inland",
               "started_at": at, "deadline_at": extended, "version": 1}
        conn.execute(insert(screenings).values(**row, id="scr_open"))
        conn.execute(insert(screenings).values(**row, id="scr_done", outcome="asylum", completed_at=at))
    upgrade(engine)
    with engine.connect() as conn:
        deadlines = {k: v.replace(tzinfo=UTC) for k, v in
                     conn.execute(select(screenings.c.id, screenings.c.deadline_at)).all()}
        versions = set(conn.execute(select(screenings.c.version)).scalars())
    engine.dispose()
    assert deadlines["scr_open"] == datetime(2026, 12, 26, 22, 59, 59, tzinfo=UTC)
    assert deadlines["scr_done"] == extended
    assert versions == {1}
