"""The procedures migration ``procedures_0014_examination_suspended``: a case stored before it upgrades
not suspended (APR Art 41(4) was not recordable), and can then record a suspension; downgrading drops
the columns."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import MetaData, Table, insert, select, update

from pactum.procedures import workflow
from pactum.services.procedures import case_from_row
from pactum.store.engine import make_engine
from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import persons


def test_a_stored_case_upgrades_not_suspended_and_can_be_suspended(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "procedures_0013_interview_not_attended")
    at = datetime(2026, 11, 20, 9, tzinfo=UTC)
    old = Table("asylum_applications", MetaData(), autoload_with=engine)
    with engine.begin() as conn:
        conn.execute(insert(persons), [{"id": "per_1", "member_state": "IT", "created_at": at, "version": 1}])
        conn.execute(
            insert(old),
            [
                {
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
            ],
        )
    upgrade(engine)
    A = asylum_applications
    with engine.begin() as conn:
        case = case_from_row(conn.execute(select(A).where(A.c.id == "asy_1")).mappings().one())
        assert case.suspended_on is None and "suspend_examination" in workflow.available_actions(case, "ana")
        conn.execute(
            update(A)
            .where(A.c.id == "asy_1")
            .values(
                suspended_on=date(2026, 8, 20),
                suspended_until=date(2026, 9, 3),
                suspension_ground="refused_address",
            )
        )
        case = case_from_row(conn.execute(select(A).where(A.c.id == "asy_1")).mappings().one())
    assert workflow.suspension_summary(case)["until"] == "2026-09-03"  # type: ignore[index]
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "procedures_0013_interview_not_attended")
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("asylum_applications")}
    engine.dispose()
    assert not {"suspended_on", "suspended_until", "suspension_ground"} & columns
