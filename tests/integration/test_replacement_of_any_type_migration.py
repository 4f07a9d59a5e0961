"""The solidarity migration ``solidarity_0010_replacement_of_any_type``: a deduction request recorded when only
pledged relocations could be replaced (AMMR Arts 61(2)(b), 62(2)(b)) keeps replacing relocations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from pactum.services.solidarity import _granted, _replacement_of
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
_D = sa.table(
    "solidarity_deductions",
    *(
        sa.column(c)
        for c in (
            "id",
            "cycle_id",
            "member_state",
            "relocations",
            "grounds",
            "status",
            "requested_on",
            "assess_by",
            "own_assessment",
            "replacement_relocations",
            "replacement_by",
            "replacement_eur_per_relocation",
            "granted_replacement_relocations",
            "created_at",
            "version",
        )
    ),
)


def test_a_replacement_recorded_before_replaces_relocations(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "solidarity_0009_need_alternative_measures")
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
            sa.insert(_D).values(
                id="at",
                cycle_id="c27",
                member_state="AT",
                relocations=0,
                grounds="article_62",
                status="granted",
                requested_on=date(2026, 11, 2),
                assess_by=date(2026, 11, 30),
                own_assessment=False,
                replacement_relocations=150,
                replacement_by="financial",
                replacement_eur_per_relocation=20_000,
                granted_replacement_relocations=100,
                created_at=now,
                version=3,
            )
        )
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT * FROM solidarity_deductions")).one()
    assert (row.replacement_of, row.replacement_eur, row.granted_replacement_eur) == (None, None, None)
    assert _replacement_of(row) == "relocations" and _granted(row) == (0, 100)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "solidarity_0009_need_alternative_measures")
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("solidarity_deductions")}
    assert "replacement_of" not in columns and "replacement_relocations" in columns
    engine.dispose()
