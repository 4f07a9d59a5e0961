"""The procedures migration ``procedures_0012_interview_omitted``: a case stored before it upgrades
with no interview omitted (APR Art 13(11) was not recordable), and a case can then record one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import MetaData, Table, insert, select, update

from pactum.services.procedures import case_from_row
from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import persons


def test_a_stored_case_upgrades_with_no_omission_and_can_record_one(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "procedures_0011_border_procedure_left")
    at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    row = {
        "id": "asy_1",
        "reference": "IT-2026-000001",
        "member_state": "IT",
        "person_id": "per_1",
        "nationality": "SYR",
        "context": "in_territory",
        "unaccompanied_minor": False,
        "procedure": "regular",
        "routing_mandatory": False,
        "routing_grounds": [],
        "routing": {},
        "state": "lodged",
        "made_on": date(2026, 8, 3),
        "registered_on": date(2026, 8, 3),
        "lodged_on": date(2026, 8, 4),
        "created_at": at,
        "version": 3,
        "closed": False,
    }
    old = Table("asylum_applications", MetaData(), autoload_with=engine)  # the table as it was
    with engine.begin() as conn:
        conn.execute(insert(persons), [{"id": "per_1", "member_state": "IT", "created_at": at, "version": 1}])
        conn.execute(insert(old), [row])
    upgrade(engine)
    A = asylum_applications
    with engine.begin() as conn:
        stored = conn.execute(select(A).where(A.c.id == "asy_1")).mappings().one()
        assert (stored["interview_omitted_on"], stored["interview_omission_ground"], stored["version"]) == (
            None,
            None,
            3,
        )
        assert case_from_row(stored).interview_omitted_on is None
        conn.execute(
            update(A)
            .where(A.c.id == "asy_1")
            .values(
                interview_omitted_on=date(2026, 8, 20),
                interview_omission_ground="positive_decision",
                interview_omission_same_rights=True,
            )
        )
        case = case_from_row(conn.execute(select(A).where(A.c.id == "asy_1")).mappings().one())
    engine.dispose()
    assert (
        case.interview_omitted_on,
        case.interview_omission_ground,
        case.interview_omission_same_rights,
    ) == (date(2026, 8, 20), "positive_decision", True)
