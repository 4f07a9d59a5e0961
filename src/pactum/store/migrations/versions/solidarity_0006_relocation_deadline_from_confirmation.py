"""solidarity: a relocation's transfer deadline runs from the relocation state's confirmation (AMMR Art 67(10), (11))

Art 67(11) of Regulation (EU) 2024/1351 counts the 4 weeks for the transfer from the confirmation by
the Member State of relocation (Art 67(9), Pactum's stage ``accepted``), or from the final decision
on an appeal or review of the transfer decision with suspensive effect (Art 43(3)); Art 67(10) gives
the benefitting Member State one week from that confirmation to take the transfer decision. Pactum
counted the 4 weeks from the transfer decision.

``relocation_transfers`` gains ``transfer_decision_due`` (the Art 67(10) time limit) and
``suspensive_appeal_decided_on`` (the final decision on a suspensive appeal or review, none recorded
before this revision). For every relocation under the AMMR (era ``ammr``) whose confirmation is
recorded (``accepted_on``), whatever its stage, both limits are counted again from ``accepted_on``
(``pactum.solidarity.transfers``), and the trace's step of the transfer period is replaced by the
steps counted now (with, for a transfer decided, whether the decision kept its week: a late one is
flagged, it stands). Transfers of the Voluntary Solidarity Mechanism keep no time limit; a
transfer not yet confirmed has none yet. Downgrading drops the two
columns and leaves the corrected deadlines: the earlier ones were later than the Regulation allows.

Revision ID: solidarity_0006_relocation_deadline_from_confirmation
Revises: solidarity_0005_proposal_pool
Create Date: 2026-12-01
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "solidarity_0006_relocation_deadline_from_confirmation"
down_revision = "solidarity_0005_proposal_pool"
branch_labels = None
depends_on = None

_RULES = ("relocation_transfer_period", "relocation_transfer_decision_period")
_TRANSFERS = sa.table(
    "relocation_transfers", sa.column("id", sa.String()), sa.column("era", sa.String()),
    sa.column("origin_member_state", sa.String()), sa.column("accepted_on", sa.Date()),
    sa.column("transfer_decided_on", sa.Date()),
    sa.column("suspensive_appeal_decided_on", sa.Date()), sa.column("transfer_decision_due", sa.Date()),
    sa.column("transfer_deadline", sa.Date()), sa.column("trace", sa.JSON()))


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def upgrade() -> None:
    from pactum.solidarity import transfers as tr

    op.add_column("relocation_transfers", sa.Column("transfer_decision_due", sa.Date(), nullable=True))
    op.add_column("relocation_transfers", sa.Column("suspensive_appeal_decided_on", sa.Date(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.select(
        _TRANSFERS.c.id, _TRANSFERS.c.origin_member_state, _TRANSFERS.c.accepted_on,
        _TRANSFERS.c.transfer_decided_on, _TRANSFERS.c.suspensive_appeal_decided_on, _TRANSFERS.c.trace,
    ).where(_TRANSFERS.c.era == "ammr", _TRANSFERS.c.accepted_on.is_not(None))).all()
    counted: list[dict[str, Any]] = []
    for row in rows:
        confirmed = _day(row.accepted_on)
        appeal = _day(row.suspensive_appeal_decided_on) if row.suspensive_appeal_decided_on else None
        deadline, steps = tr.transfer_deadline(confirmed, row.origin_member_state, appeal)
        due, due_steps = tr.transfer_decision_due(confirmed, row.origin_member_state)
        if row.transfer_decided_on is not None:
            steps += tr.transfer_decision_checked(confirmed, _day(row.transfer_decided_on), row.origin_member_state)
        kept = [s for s in (row.trace or []) if not (isinstance(s, dict) and s.get("rule") in _RULES)]
        counted.append({"row_id": row.id, "deadline": deadline, "due": due, "trace": kept + due_steps + steps})
    if counted:
        conn.execute(sa.update(_TRANSFERS).where(_TRANSFERS.c.id == sa.bindparam("row_id")).values(
            transfer_deadline=sa.bindparam("deadline"), transfer_decision_due=sa.bindparam("due"),
            trace=sa.bindparam("trace")), counted)


def downgrade() -> None:
    """The two columns go; the deadlines counted from the confirmation stay (the earlier ones were
    later than Art 67(11) allows)."""
    op.drop_column("relocation_transfers", "suspensive_appeal_decided_on")
    op.drop_column("relocation_transfers", "transfer_decision_due")
