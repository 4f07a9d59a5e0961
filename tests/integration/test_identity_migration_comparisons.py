"""The identity migration ``identity_0007_comparisons``: the table of each registration's pending
comparison is created empty, so a store upgraded with records registered before it makes none of
them pending (their comparison was the registration page's, or an officer's search) and the
``identity_comparison`` job finds nothing to do; the downgrade removes it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import func, insert, inspect, select

from pactum.store.engine import make_engine
from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.identity import identity_comparisons
from pactum.store.tables.registry import identity_records, persons

AT = datetime(2026, 7, 20, 10, tzinfo=UTC)


def test_the_upgrade_makes_no_record_registered_before_it_pending(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "identity_0006_search_shared_category")
    assert "identity_comparisons" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        conn.execute(insert(persons).values(id="per_1", member_state="IT", created_at=AT, version=1))
        conn.execute(insert(identity_records).values(
            id="idr_old", person_id="per_1", member_state="IT", recorded_on=date(2026, 7, 20),
            category="applicant", surname="Traore", created_at=AT, version=1))
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(identity_comparisons)).scalar() == 0
    indexes = {i["name"] for i in inspect(engine).get_indexes("identity_comparisons")}
    assert "ix_identity_comparisons_pending" in indexes
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "identity_0006_search_shared_category")
    assert "identity_comparisons" not in inspect(engine).get_table_names()
    engine.dispose()
