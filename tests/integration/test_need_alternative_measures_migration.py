"""The solidarity migration ``solidarity_0009_need_alternative_measures``: a need recorded before a benefitting
state could request alternative solidarity measures (AMMR Arts 58(2), 59(2)(b); Art 57(4)) requested none."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from pactum.store.engine import make_engine
from pactum.store.migrate import alembic_config, upgrade

_C = sa.table(
    "solidarity_cycles",
    *(
        sa.column(c)
        for c in (
            "id",
            "year",
            "status",
            "pool_relocations",
            "pool_financial_eur",
            "proposal_relocations",
            "proposal_financial_eur",
            "proposal_on",
            "created_by",
            "created_at",
            "version",
        )
    ),
)
_N = sa.table(
    "solidarity_needs",
    *(
        sa.column(c)
        for c in (
            "id",
            "cycle_id",
            "member_state",
            "relocations",
            "financial_eur",
            "sar",
            "created_at",
            "version",
        )
    ),
)


def test_the_needs_recorded_before_request_no_alternative_measures(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "solidarity_0008_deduction_replacement")
    now = datetime(2026, 11, 20, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(_C).values(
                id="c27",
                year=2027,
                status="pledging",
                pool_relocations=30000,
                pool_financial_eur=600_000_000,
                proposal_relocations=30000,
                proposal_financial_eur=600_000_000,
                proposal_on=date(2026, 10, 15),
                created_by="com-solidarity",
                created_at=now,
                version=1,
            )
        )
        conn.execute(
            sa.insert(_N).values(
                id="n-it",
                cycle_id="c27",
                member_state="IT",
                relocations=1000,
                financial_eur=5_000_000,
                sar=True,
                created_at=now,
                version=2,
            )
        )
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT relocations, financial_eur, alternative_eur FROM solidarity_needs")
        ).one()
    assert tuple(row) == (1000, 5_000_000, 0)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "solidarity_0008_deduction_replacement")
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("solidarity_needs")}
    assert "alternative_eur" not in columns and "financial_eur" in columns
    engine.dispose()
