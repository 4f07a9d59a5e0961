"""registry: open screenings end on their last day, not on the next working day

The screening's time limit (Screening Reg. (EU) 2024/1356 Art 8(3): 7 days, 3 days inside the
territory) is a maximum that restricts the person and runs out by itself: Reg. 1182/71 Art 3(4)
and 3(5) no longer move it to a working day (``pactum.law.time_limits``, kind ``screening``).
The ``deadline_at`` of each screening still open is counted again
(``pactum.registry.rules.screening_deadline_at``) and only ever brought earlier; a completed
screening keeps the deadline it was completed under. Downgrading leaves the corrected values.

Revision ID: registry_0002_screening_maximum
Revises: registry_0001_local_days
Create Date: 2026-11-30
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "registry_0002_screening_maximum"
down_revision = "registry_0001_local_days"
branch_labels = None
depends_on = None

_SCREENINGS = sa.table(
    "screenings", sa.column("id", sa.String()), sa.column("member_state", sa.String()),
    sa.column("variant", sa.String()), sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("deadline_at", sa.DateTime(timezone=True)), sa.column("completed_at", sa.DateTime(timezone=True)))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def upgrade() -> None:
    from pactum.common.errors import ValidationProblem
    from pactum.registry import rules

    conn = op.get_bind()
    earlier = []
    for row in conn.execute(sa.select(_SCREENINGS).where(_SCREENINGS.c.completed_at.is_(None))):
        try:
            _, deadline = rules.screening_deadline_at(_utc(row.started_at), row.member_state, row.variant)
        except (ValueError, KeyError, ValidationProblem):  # a variant the rules do not count: left as it is
            continue
        if deadline < _utc(row.deadline_at):
            earlier.append({"row_id": row.id, "deadline": deadline})
    if earlier:
        conn.execute(sa.update(_SCREENINGS).where(_SCREENINGS.c.id == sa.bindparam("row_id"))
                     .values(deadline_at=sa.bindparam("deadline")), earlier)


def downgrade() -> None:
    """The corrected ends stay: the earlier values held the person past the maximum."""
