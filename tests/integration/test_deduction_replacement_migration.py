"""The solidarity migration ``solidarity_0008_deduction_replacement``: a store written before a deduction
request could ask for pledged relocations to be replaced by another type of contribution (AMMR Arts
61(2)(b), 62(2)(b)), or the Council grant less than was asked, keeps each request as it was: no
replacement, and a granted request granted in full."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from pactum.services.solidarity import _granted
from pactum.store.engine import make_engine
from pactum.store.migrate import alembic_config, upgrade

_C = sa.table("solidarity_cycles", *(sa.column(c) for c in (
    "id", "year", "status", "pool_relocations", "pool_financial_eur", "proposal_relocations",
    "proposal_financial_eur", "proposal_on", "created_by", "created_at", "version")))
_D = sa.table("solidarity_deductions", *(sa.column(c) for c in (
    "id", "cycle_id", "member_state", "relocations", "grounds", "status", "requested_on", "assess_by",
    "own_assessment", "created_at", "version")))


def test_the_requests_recorded_before_replace_nothing_and_were_granted_in_full(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "solidarity_0007_deduction_own_assessment")
    now = datetime(2026, 11, 20, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(sa.insert(_C).values(id="c27", year=2027, status="pledging", pool_relocations=30000,
                                          pool_financial_eur=600_000_000, proposal_relocations=30000,
                                          proposal_financial_eur=600_000_000, proposal_on=date(2026, 10, 15),
                                          created_by="com-solidarity", created_at=now, version=1))
        conn.execute(sa.insert(_D), [
            {"id": "at", "cycle_id": "c27", "member_state": "AT", "relocations": 9, "grounds": "article_62",
             "status": "granted", "requested_on": date(2026, 11, 2), "assess_by": date(2026, 11, 30),
             "own_assessment": False, "created_at": now, "version": 3},
            {"id": "pl", "cycle_id": "c27", "member_state": "PL", "relocations": 4, "grounds": "article_62",
             "status": "refused", "requested_on": date(2026, 11, 2), "assess_by": date(2026, 11, 30),
             "own_assessment": False, "created_at": now, "version": 3},
        ])
    upgrade(engine)
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(sa.text("SELECT * FROM solidarity_deductions"))}
    assert (rows["at"].replacement_relocations, rows["at"].granted_relocations,
            rows["at"].granted_replacement_relocations) == (None, None, None)
    # what each deducts and replaces: the granted one all it asked, the refused one nothing
    assert (_granted(rows["at"]), _granted(rows["pl"])) == ((9, 0), (0, 0))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "solidarity_0007_deduction_own_assessment")
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("solidarity_deductions")}
    assert "replacement_relocations" not in columns and "granted_relocations" not in columns
    engine.dispose()
