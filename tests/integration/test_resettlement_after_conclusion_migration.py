"""The resettlement migration ``resettlement_0006_after_conclusion``: the status granted after a
positive conclusion (Regulation (EU) 2024/1350, Art 9(15)-(18)), the conclusion's day of a procedure
discontinued after it (consent withdrawn before the entry, Art 7(1), 9(11)) and whether UNHCR was
given the reason (Art 9(11), 9(13)). Rows recorded before keep every value and none of these is
invented; going back is refused while a procedure discontinued after its conclusion is recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import insert, select, update

from pactum.store.engine import make_engine
from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.resettlement import resettlement_admissions
from tests.integration.test_resettlement_registration_migration import (
    _columns,
    plan_and_admissions_as_they_were,
)

NEW = {"status_granted", "status_decided_on", "concluded_on", "unhcr_informed", "unhcr_informed_on"}


def test_cases_recorded_before_keep_their_values_and_a_discontinuation_after_conclusion_blocks_the_downgrade(
        tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "resettlement_0005_discontinuation")
    assert not NEW & _columns(engine)
    at = datetime(2026, 11, 1, 9, tzinfo=UTC)
    old = plan_and_admissions_as_they_were(engine, at)
    row = {"plan_id": "rsp_1", "member_state": "DE", "nationality": "SYR", "first_asylum": "TUR",
           "category": "resettlement", "procedure": "ordinary", "referred_on": date(2026, 1, 10),
           "created_at": at, "updated_at": at, "version": 3}
    with engine.begin() as conn:
        conn.execute(insert(old), [
            {**row, "id": "rad_a", "case_reference": "DE-1", "decision": "admitted", "decided_on": date(2026, 2, 1)},
            {**row, "id": "rad_d", "case_reference": "DE-2", "decision": "discontinued",
             "decided_on": date(2026, 3, 1), "discontinuation_ground": "consent_withdrawn", "refusal_reason": "x"}])
    upgrade(engine)
    assert _columns(engine) >= NEW
    with engine.begin() as conn:
        got = {r.id: (r.decision, r.decided_on, r.status_granted, r.concluded_on, r.unhcr_informed, r.version)
               for r in conn.execute(select(resettlement_admissions))}
    assert got == {"rad_a": ("admitted", date(2026, 2, 1), None, None, None, 3),
                   "rad_d": ("discontinued", date(2026, 3, 1), None, None, None, 3)}
    with engine.begin() as conn:
        conn.execute(update(resettlement_admissions).where(resettlement_admissions.c.id == "rad_a").values(
            decision="discontinued", decided_on=date(2026, 4, 1), concluded_on=date(2026, 2, 1),
            discontinuation_ground="consent_withdrawn", refusal_reason="consent withdrawn before the entry"))
    cfg = alembic_config()
    with pytest.raises(RuntimeError, match="1 admission procedures were discontinued after their positive"), \
            engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "resettlement_0005_discontinuation")
    assert _columns(engine) >= NEW
    with engine.begin() as conn:
        conn.execute(update(resettlement_admissions).where(resettlement_admissions.c.id == "rad_a").values(
            decision="admitted", decided_on=date(2026, 2, 1), concluded_on=None, discontinuation_ground=None,
            refusal_reason=None, status_granted="refugee_status", status_decided_on=date(2026, 2, 10)))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "resettlement_0005_discontinuation")
    assert not NEW & _columns(engine)
    engine.dispose()
