"""The resettlement migration ``resettlement_0008_registry_person``: a case names the registry's person
it is about, so that its transmission to Eurodac (Regulation (EU) 2024/1350, Art 9(24); Regulation (EU)
2024/1358, Art 18(2)) is the registry's Eurodac record. Rows recorded before keep every value, name no
person (none is guessed) and keep the officer's statement of the transmission."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import insert, select

from pactum.store.engine import make_engine
from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.resettlement import resettlement_admissions
from tests.integration.test_resettlement_registration_migration import (
    _columns,
    plan_and_admissions_as_they_were,
)


def test_cases_recorded_before_name_no_person_and_keep_the_statement(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "resettlement_0007_eurodac_transmission")
    assert "person_id" not in _columns(engine)
    at = datetime(2026, 11, 1, 9, tzinfo=UTC)
    old = plan_and_admissions_as_they_were(engine, at)
    with engine.begin() as conn:
        conn.execute(insert(old).values(
            id="rad_1", plan_id="rsp_1", member_state="DE", case_reference="DE-1", nationality="SYR",
            first_asylum="TUR", category="resettlement", procedure="ordinary", referred_on=date(2026, 1, 10),
            decision="refused", decided_on=date(2026, 11, 2), refusal_ground="refused_by_a_member_state",
            eurodac_transmitted_on=date(2026, 11, 3), created_at=at, updated_at=at, version=3))
    upgrade(engine)
    assert "person_id" in _columns(engine)
    with engine.begin() as conn:
        (row,) = conn.execute(select(resettlement_admissions)).all()
    assert (row.person_id, row.eurodac_transmitted_on, row.version) == (None, date(2026, 11, 3), 3)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "resettlement_0007_eurodac_transmission")
    assert "person_id" not in _columns(engine)
    engine.dispose()
