"""returns: entry bans end on their last day, not on the next working day

An entry ban (Directive 2008/115/EC Art 11) is a prohibition that runs out by itself, not a time
limit for anyone to act: Reg. 1182/71 Art 3(4) and 3(5) do not move its last day to a working day
(``pactum.returns.rules.entry_ban_ends_on``). The departure confirmation used to store the end
moved past a Saturday, Sunday or public holiday. This migration counts each stored ban again from
the departure it runs from (``return_decisions.entry_ban_starts_on``, ``entry_ban_years``) and
brings ``return_decisions.entry_ban_ends_on`` and the entry-ban alerts' ``ends_on`` back to that
day; an end is only ever brought earlier. The decisions' ``version`` is not changed (an officer's
open form does not become stale). Downgrading leaves the corrected ends.

Revision ID: returns_0003_entry_ban_not_extended
Revises: returns_0002_erase_deleted_alerts
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0003_entry_ban_not_extended"
down_revision = "returns_0002_erase_deleted_alerts"
branch_labels = None
depends_on = None

_DECISIONS = sa.table(
    "return_decisions", sa.column("id", sa.String()), sa.column("member_state", sa.String()),
    sa.column("entry_ban_years", sa.Integer()), sa.column("entry_ban_starts_on", sa.Date()),
    sa.column("entry_ban_ends_on", sa.Date()))
_BANS = sa.table(
    "entry_ban_alerts", sa.column("id", sa.String()), sa.column("return_decision_id", sa.String()),
    sa.column("starts_on", sa.Date()), sa.column("ends_on", sa.Date()))


def upgrade() -> None:
    from pactum.common.errors import ValidationProblem
    from pactum.returns.rules import entry_ban_ends_on

    conn = op.get_bind()
    years: dict[str, tuple[int, str]] = {}
    decisions = []
    for row in conn.execute(sa.select(_DECISIONS).where(_DECISIONS.c.entry_ban_years.is_not(None))):
        years[row.id] = (row.entry_ban_years, row.member_state)
        if row.entry_ban_starts_on is None or row.entry_ban_ends_on is None:
            continue
        try:
            end = entry_ban_ends_on(row.entry_ban_starts_on, row.entry_ban_years, row.member_state)
        except (ValueError, ValidationProblem):  # a length or state the rules do not count: left as it is
            continue
        if end < row.entry_ban_ends_on:
            decisions.append({"row_id": row.id, "end": end})
    if decisions:
        conn.execute(sa.update(_DECISIONS).where(_DECISIONS.c.id == sa.bindparam("row_id"))
                     .values(entry_ban_ends_on=sa.bindparam("end")), decisions)

    bans = []
    for row in conn.execute(sa.select(_BANS)):
        if row.return_decision_id not in years:
            continue
        count, state = years[row.return_decision_id]
        try:
            end = entry_ban_ends_on(row.starts_on, count, state)
        except (ValueError, ValidationProblem):
            continue
        if end < row.ends_on:
            bans.append({"row_id": row.id, "end": end})
    if bans:
        conn.execute(sa.update(_BANS).where(_BANS.c.id == sa.bindparam("row_id"))
                     .values(ends_on=sa.bindparam("end")), bans)


def downgrade() -> None:
    """The corrected ends stay: the earlier values kept the person banned past the ban's length."""
