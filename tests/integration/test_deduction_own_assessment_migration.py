"""The solidarity migration ``solidarity_0007_deduction_own_assessment``: a store written when only the
states the Commission's decision designated could ask for a deduction keeps each request as resting on
the designation of its grounds (AMMR Art 61: under migratory pressure; Art 62: a significant migratory
situation), not on the state's own assessment, with no substantiation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade

_C = sa.table("solidarity_cycles", *(sa.column(c) for c in (
    "id", "year", "status", "pool_relocations", "pool_financial_eur", "proposal_relocations",
    "proposal_financial_eur", "proposal_on", "created_by", "created_at", "version")))
_D = sa.table("solidarity_deductions", *(sa.column(c) for c in (
    "id", "cycle_id", "member_state", "relocations", "grounds", "status", "requested_on", "assess_by",
    "created_at", "version")))


def test_the_requests_recorded_before_rest_on_the_designation_of_their_grounds(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "solidarity_0006_relocation_deadline_from_confirmation")
    now = datetime(2026, 11, 20, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(sa.insert(_C).values(id="c27", year=2027, status="pledging", pool_relocations=30000,
                                          pool_financial_eur=600_000_000, proposal_relocations=30000,
                                          proposal_financial_eur=600_000_000, proposal_on=date(2026, 10, 15),
                                          created_by="com-solidarity", created_at=now, version=1))
        conn.execute(sa.insert(_D), [
            {"id": "it", "cycle_id": "c27", "member_state": "IT", "relocations": 5, "grounds": "article_61",
             "status": "requested", "requested_on": date(2026, 11, 20), "assess_by": date(2026, 12, 18),
             "created_at": now, "version": 1},
            {"id": "at", "cycle_id": "c27", "member_state": "AT", "relocations": 9, "grounds": "article_62",
             "status": "granted", "requested_on": date(2026, 11, 2), "assess_by": date(2026, 11, 30),
             "created_at": now, "version": 3},
        ])
    upgrade(engine)
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(sa.text(
            "SELECT id, designation, own_assessment, substantiation FROM solidarity_deductions"))}
    assert (rows["it"].designation, bool(rows["it"].own_assessment), rows["it"].substantiation) == (
        "under_pressure", False, None)
    assert (rows["at"].designation, bool(rows["at"].own_assessment), rows["at"].substantiation) == (
        "significant_migratory_situation", False, None)
    engine.dispose()
