"""The resettlement migration ``resettlement_0003_refusal_grounds``: a refusal recorded on the
ground "irregular_stay_or_entry", which Art 6 of Regulation (EU) 2024/1350 does not contain, is
kept as ``other`` with a reason saying what was recorded and its date; the ``irregular_on`` column
goes; other rows are untouched. Going back restores the old ground and its date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import insert, select

from pactum.store.engine import make_engine
from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.resettlement import resettlement_admissions
from tests.integration.test_resettlement_registration_migration import (
    _columns,
    plan_and_admissions_as_they_were,
)


def test_an_irregular_stay_refusal_becomes_other_with_its_date_in_the_reason(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "resettlement_0002_registered_on")
    assert "irregular_on" in _columns(engine)
    at = datetime(2026, 11, 1, 9, tzinfo=UTC)
    old = plan_and_admissions_as_they_were(engine, at)
    with engine.begin() as conn:
        row = {"plan_id": "rsp_1", "member_state": "DE", "nationality": "SYR", "first_asylum": "TUR",
               "category": "resettlement", "procedure": "ordinary", "referred_on": date(2026, 1, 10),
               "decision": "refused", "decided_on": date(2026, 3, 1), "created_at": at, "updated_at": at,
               "version": 2}
        conn.execute(insert(old), [
            {**row, "id": "rad_irregular", "case_reference": "DE-1", "refusal_ground": "irregular_stay_or_entry",
             "refusal_reason": None, "irregular_on": date(2023, 5, 4)},
            {**row, "id": "rad_other", "case_reference": "DE-2", "refusal_ground": "other",
             "refusal_reason": "National criteria", "irregular_on": None},
        ])
    upgrade(engine)
    assert "irregular_on" not in _columns(engine)
    with engine.begin() as conn:
        got = {r.id: (r.decision, r.decided_on, r.refusal_ground, r.refusal_reason, r.version)
               for r in conn.execute(select(resettlement_admissions))}
    assert got == {
        "rad_irregular": ("refused", date(2026, 3, 1), "other",
                          "Irregular stay or entry on 2023-05-04: recorded under the ground irregular_stay_or_entry, "
                          "which Regulation (EU) 2024/1350, Art 6 does not contain", 2),
        "rad_other": ("refused", date(2026, 3, 1), "other", "National criteria", 2),
    }
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "resettlement_0002_registered_on")
    with engine.begin() as conn:
        back = {r.id: (r.refusal_ground, r.refusal_reason, r.irregular_on)
                for r in conn.execute(select(sa.Table("resettlement_admissions", sa.MetaData(), autoload_with=conn)))}
    assert back == {"rad_irregular": ("irregular_stay_or_entry", None, date(2023, 5, 4)),
                    "rad_other": ("other", "National criteria", None)}
    engine.dispose()
