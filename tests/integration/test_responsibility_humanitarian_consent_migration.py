"""The responsibility migration ``responsibility_0006_humanitarian_consent``: the requests get the day
the persons concerned consented in writing to a humanitarian-clause request (Regulation (EU) No
604/2013, Article 17(2); Regulation (EU) 2024/1351, Article 35(2)). Requests sent before keep every
other value and no consent (NULL: the request page says it was not recorded); going back drops it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import insert, select

from pactum.store.engine import make_engine
from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.responsibility import dublin_requests


def _columns(engine: sa.Engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("dublin_requests")}


def test_requests_sent_before_keep_their_values_and_record_no_consent(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "responsibility_0005_detained_on")
    assert "consented_in_writing_on" not in _columns(engine)
    at = datetime(2026, 11, 1, 9, tzinfo=UTC)
    row = {
        "case_id": "dbc_1",
        "regime": "ammr",
        "registered_on": date(2026, 10, 1),
        "requesting_member_state": "DE",
        "requested_member_state": "SE",
        "status": "pending",
        "legal_basis": [],
        "evidence": [],
        "eurodac_hit": False,
        "detained": False,
        "unaccompanied_minor": False,
        "sent_on": date(2026, 11, 1),
        "request_deadline": date(2026, 11, 1),
        "late": False,
        "reply_due": date(2027, 1, 4),
        "deadlines": {},
        "created_by": "de-dublin",
        "created_at": at,
        "updated_at": at,
        "version": 1,
    }
    old = sa.Table("dublin_requests", sa.MetaData(), autoload_with=engine)  # the table as it was
    with engine.begin() as conn:
        conn.execute(
            insert(old),
            [
                {**row, "id": "dbr_hum", "kind": "humanitarian"},
                {**row, "id": "dbr_tc", "kind": "take_charge", "requested_member_state": "IT"},
            ],
        )
    upgrade(engine)
    with engine.begin() as conn:
        got = {
            r.id: (r.kind, r.requested_member_state, r.reply_due, r.consented_in_writing_on)
            for r in conn.execute(select(dublin_requests))
        }
    assert got == {
        "dbr_hum": ("humanitarian", "SE", date(2027, 1, 4), None),
        "dbr_tc": ("take_charge", "IT", date(2027, 1, 4), None),
    }
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "responsibility_0005_detained_on")
    assert "consented_in_writing_on" not in _columns(engine)
    engine.dispose()
