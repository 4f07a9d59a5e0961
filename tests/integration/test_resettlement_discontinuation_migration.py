"""The resettlement migration ``resettlement_0005_discontinuation``: an admission procedure the
state discontinued (Regulation (EU) 2024/1350, Art 9(11)) is recorded with its ground. Rows
recorded before keep every value (a referral withdrawn stays withdrawn: Pactum does not guess that
the state in fact discontinued the procedure) and no ground; the decision column takes
"discontinued"; going back is refused while a discontinued procedure is recorded, and drops the
column otherwise."""

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


def test_cases_recorded_before_keep_their_values_and_a_discontinuation_blocks_the_downgrade(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "resettlement_0004_extension")
    assert "discontinuation_ground" not in _columns(engine)
    at = datetime(2026, 11, 1, 9, tzinfo=UTC)
    old = plan_and_admissions_as_they_were(engine, at)
    row = {"plan_id": "rsp_1", "member_state": "DE", "nationality": "SYR", "first_asylum": "TUR",
           "category": "resettlement", "procedure": "ordinary", "referred_on": date(2026, 1, 10),
           "created_at": at, "updated_at": at, "version": 2}
    with engine.begin() as conn:
        conn.execute(insert(old), [
            {**row, "id": "rad_w", "case_reference": "DE-1", "decision": "withdrawn", "decided_on": date(2026, 2, 1),
             "refusal_reason": "the person declined"},
            {**row, "id": "rad_p", "case_reference": "DE-2", "decision": None, "decided_on": None,
             "refusal_reason": None}])
    upgrade(engine)
    with engine.begin() as conn:
        got = {r.id: (r.decision, r.decided_on, r.refusal_reason, r.discontinuation_ground, r.version)
               for r in conn.execute(select(resettlement_admissions))}
    assert got == {"rad_w": ("withdrawn", date(2026, 2, 1), "the person declined", None, 2),
                   "rad_p": (None, None, None, None, 2)}
    with engine.begin() as conn:
        conn.execute(update(resettlement_admissions).where(resettlement_admissions.c.id == "rad_p").values(
            decision="discontinued", decided_on=date(2026, 3, 1), discontinuation_ground="consent_withdrawn",
            refusal_reason="consent withdrawn"))
    cfg = alembic_config()
    with pytest.raises(RuntimeError, match="1 admission procedures are recorded as discontinued"), \
            engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "resettlement_0004_extension")
    assert "discontinuation_ground" in _columns(engine)
    with engine.begin() as conn:
        conn.execute(update(resettlement_admissions).where(resettlement_admissions.c.id == "rad_p").values(
            decision=None, decided_on=None, discontinuation_ground=None, refusal_reason=None))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "resettlement_0004_extension")
    assert "discontinuation_ground" not in _columns(engine)
    engine.dispose()
