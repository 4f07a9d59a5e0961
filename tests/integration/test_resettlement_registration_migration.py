"""The resettlement migration ``resettlement_0002_registered_on``: a person referred gets the day
the state registered them (Regulation (EU) 2024/1350, Art 9(3)), from which the procedure's
clock runs. Rows recorded before keep every other value and no registration (NULL: Pactum does
not invent it from the referral), so a pending case reads "awaiting registration" and is not
overdue; going back drops the column."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import insert, select

from pactum.resettlement import rules
from pactum.store.engine import make_engine
from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.resettlement import resettlement_admissions


def _columns(engine: sa.Engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("resettlement_admissions")}


def plan_and_admissions_as_they_were(engine: sa.Engine, at: datetime) -> sa.Table:
    """The 2026-2027 Union Plan written in a store migrated to an earlier revision, and that store's
    admissions table as it was then (read from the database, not from today's model)."""
    meta = sa.MetaData()
    plans = sa.Table("resettlement_plans", meta, autoload_with=engine)
    with engine.begin() as conn:
        conn.execute(insert(plans).values(
            id="rsp_1", key="2026-2027", kind="union_plan", first_year=2026, last_year=2027, total_places=10,
            first_asylum_countries=[], regions=[], status="open", created_at=at, created_by="com", version=1))
    return sa.Table("resettlement_admissions", meta, autoload_with=engine)


def test_cases_recorded_before_keep_their_values_and_await_registration(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "resettlement_0001_initial")
    assert "registered_on" not in _columns(engine)
    at = datetime(2026, 11, 1, 9, tzinfo=UTC)
    old = plan_and_admissions_as_they_were(engine, at)
    with engine.begin() as conn:
        row = {"plan_id": "rsp_1", "member_state": "DE", "nationality": "SYR", "first_asylum": "TUR",
               "category": "resettlement", "procedure": "ordinary", "referred_on": date(2026, 1, 10),
               "created_at": at, "updated_at": at, "version": 3}
        conn.execute(insert(old), [
            {**row, "id": "rad_pending", "case_reference": "DE-1", "decision": None, "decided_on": None},
            {**row, "id": "rad_decided", "case_reference": "DE-2", "decision": "admitted",
             "decided_on": date(2026, 3, 1)},
        ])
    upgrade(engine)
    with engine.begin() as conn:
        got = {r.id: (r.referred_on, r.decision, r.version, r.registered_on)
               for r in conn.execute(select(resettlement_admissions))}
    assert got == {"rad_pending": (date(2026, 1, 10), None, 3, None),
                   "rad_decided": (date(2026, 1, 10), "admitted", 3, None)}
    # referred ten months before the test clock's day, never registered: no clock, not overdue
    clock = rules.procedure_clock("union_plan", "ordinary", date(2026, 1, 10), None, "DE", date(2026, 11, 28),
                                  registered_on=got["rad_pending"][3])
    assert clock.status == "awaiting_registration" and clock.deadline is None
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "resettlement_0001_initial")
    assert "registered_on" not in _columns(engine)
    engine.dispose()
