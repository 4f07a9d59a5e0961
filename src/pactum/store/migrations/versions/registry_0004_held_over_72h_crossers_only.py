"""registry: the four days of a screening held at the border over 72 hours are an irregular crosser's only

Screening Reg. (EU) 2024/1356 Art 8(3), second sentence, shortens the screening to four days for the
persons of Art 5(1), point (a) — apprehended in connection with an irregular crossing of the external
border — who remain there over 72 hours. A store written before gave the four days to a person
disembarked after search and rescue (Art 5(1), point (b)) or applying at a border crossing point
(Art 5(2)) when the registration said "held over 72 hours". Each screening still open of such an
encounter becomes a screening at the external border (``variant`` ``border``) with the seven days of
Art 8(3), first sentence, counted again (``pactum.registry.rules.screening_deadline_at``). A
completed screening keeps the kind and deadline it was completed under. Running it again changes
nothing; downgrading leaves the corrected screenings.

Revision ID: registry_0004_held_over_72h_crossers_only
Revises: registry_0003_retention_from_transmission
Create Date: 2026-12-01
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "registry_0004_held_over_72h_crossers_only"
down_revision = "registry_0003_retention_from_transmission"
branch_labels = None
depends_on = None

_SCREENINGS = sa.table(
    "screenings", sa.column("id", sa.String()), sa.column("encounter_id", sa.String()),
    sa.column("member_state", sa.String()), sa.column("variant", sa.String()),
    sa.column("started_at", sa.DateTime(timezone=True)), sa.column("deadline_at", sa.DateTime(timezone=True)),
    sa.column("completed_at", sa.DateTime(timezone=True)))
_ENCOUNTERS = sa.table("encounters", sa.column("id", sa.String()), sa.column("kind", sa.String()))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def upgrade() -> None:
    from pactum.registry import rules

    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_SCREENINGS.c.id, _SCREENINGS.c.member_state, _SCREENINGS.c.started_at)
        .join(_ENCOUNTERS, _ENCOUNTERS.c.id == _SCREENINGS.c.encounter_id)
        .where(_SCREENINGS.c.completed_at.is_(None), _SCREENINGS.c.variant == "border_held_over_72h",
               _ENCOUNTERS.c.kind != "irregular_crossing")).all()
    corrected = []
    for row in rows:
        _, deadline = rules.screening_deadline_at(_utc(row.started_at), row.member_state, "border")
        corrected.append({"row_id": row.id, "deadline": deadline})
    if corrected:
        conn.execute(sa.update(_SCREENINGS).where(_SCREENINGS.c.id == sa.bindparam("row_id"))
                     .values(variant="border", deadline_at=sa.bindparam("deadline")), corrected)


def downgrade() -> None:
    """The corrected screenings stay: the four days ended them three days before the law does."""
