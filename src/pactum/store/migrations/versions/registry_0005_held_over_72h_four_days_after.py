"""registry: the four days of a screening held at the border over 72 hours run from the end of the 72 hours

Screening Reg. (EU) 2024/1356 Art 8(3), second sentence (Italian text): "qualora tali persone
rimangano fisicamente alla frontiera esterna per oltre 72 ore, i relativi accertamenti sono svolti
successivamente e il periodo per gli accertamenti è ridotto a quattro giorni". The screening is
carried out after the 72 hours, and its four days run from their end, not from the apprehension
(docs/registry.md, "When the four days start"). A store written before ended such a screening four
days after the day of the apprehension, three days before the law does. Each screening still open
of kind ``border_held_over_72h`` has its deadline counted again
(``pactum.registry.rules.screening_deadline_at``): the end of the fourth day after the one on which
the 72 hours end, where the screening runs. A completed screening keeps the deadline it was
completed under. Running it again changes nothing; downgrading leaves the corrected deadlines.

Revision ID: registry_0005_held_over_72h_four_days_after
Revises: registry_0004_held_over_72h_crossers_only
Create Date: 2026-12-01
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "registry_0005_held_over_72h_four_days_after"
down_revision = "registry_0004_held_over_72h_crossers_only"
branch_labels = None
depends_on = None

_SCREENINGS = sa.table(
    "screenings", sa.column("id", sa.String()), sa.column("member_state", sa.String()),
    sa.column("variant", sa.String()), sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("deadline_at", sa.DateTime(timezone=True)), sa.column("completed_at", sa.DateTime(timezone=True)))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def upgrade() -> None:
    from pactum.registry import rules

    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_SCREENINGS.c.id, _SCREENINGS.c.member_state, _SCREENINGS.c.started_at,
                  _SCREENINGS.c.deadline_at)
        .where(_SCREENINGS.c.completed_at.is_(None), _SCREENINGS.c.variant == "border_held_over_72h")).all()
    corrected = []
    for row in rows:
        _, deadline = rules.screening_deadline_at(_utc(row.started_at), row.member_state, "border_held_over_72h")
        if deadline != _utc(row.deadline_at):
            corrected.append({"row_id": row.id, "deadline": deadline})
    if corrected:
        conn.execute(sa.update(_SCREENINGS).where(_SCREENINGS.c.id == sa.bindparam("row_id"))
                     .values(deadline_at=sa.bindparam("deadline")), corrected)


def downgrade() -> None:
    """The corrected deadlines stay: four days from the apprehension ended the screenings three days
    before the law does."""
