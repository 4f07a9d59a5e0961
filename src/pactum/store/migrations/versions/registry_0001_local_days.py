"""registry: Eurodac storage ends without the working-day extension; open screenings end at the end of a local day

Two corrections of values the registration computed and stored:

- ``eurodac_records.retention_until``: a storage period (Eurodac Art 29; Reg. 603/2013 Arts 12(1),
  16(1)) is no longer moved to the next working day when its last day is a Saturday, Sunday or
  public holiday (Reg. 1182/71 Art 3(4) gives time to act; it does not keep personal data beyond
  the maximum). Each record not erased is counted again from the day it was counted from, and
  its end is only ever brought earlier (``pactum.registry.rules.retention_until``).
- ``screenings.deadline_at`` of the screenings still open: counted from the day of the encounter
  where it happened and ending at 23:59:59 there, not in UTC
  (``pactum.registry.rules.screening_deadline_at``). A completed screening keeps the deadline it
  was completed under.

The records' regime and category are not decided again (an encounter stored with its UTC day
keeps its category). Downgrading leaves the corrected values.

Revision ID: registry_0001_local_days
Revises: 0002_identity_documents
Create Date: 2026-11-30
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "registry_0001_local_days"
down_revision = "0002_identity_documents"
branch_labels = ("registry",)
depends_on = None

_EURODAC = sa.table(
    "eurodac_records", sa.column("id", sa.String()), sa.column("category", sa.String()),
    sa.column("member_state", sa.String()), sa.column("registered_at", sa.DateTime(timezone=True)),
    sa.column("retention_until", sa.Date()), sa.column("erased_at", sa.DateTime(timezone=True)))
_SCREENINGS = sa.table(
    "screenings", sa.column("id", sa.String()), sa.column("member_state", sa.String()),
    sa.column("variant", sa.String()), sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("deadline_at", sa.DateTime(timezone=True)), sa.column("completed_at", sa.DateTime(timezone=True)))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def upgrade() -> None:
    from pactum.common.errors import ValidationProblem
    from pactum.registry import rules
    from pactum.registry.model import EurodacCategory

    conn = op.get_bind()
    shorter = []
    for row in conn.execute(sa.select(_EURODAC).where(_EURODAC.c.erased_at.is_(None))):
        try:
            end = rules.retention_until(EurodacCategory(row.category), _utc(row.registered_at).date(),
                                        row.member_state).ends_on
        except (ValueError, ValidationProblem):  # a category the rules do not count: left as it is
            continue
        if end is not None and end < row.retention_until:
            shorter.append({"row_id": row.id, "end": end})
    if shorter:
        conn.execute(sa.update(_EURODAC).where(_EURODAC.c.id == sa.bindparam("row_id"))
                     .values(retention_until=sa.bindparam("end")), shorter)

    moved = []
    for row in conn.execute(sa.select(_SCREENINGS).where(_SCREENINGS.c.completed_at.is_(None))):
        try:
            _, deadline = rules.screening_deadline_at(_utc(row.started_at), row.member_state, row.variant)
        except (ValueError, KeyError, ValidationProblem):
            continue
        if deadline != _utc(row.deadline_at):
            moved.append({"row_id": row.id, "deadline": deadline})
    if moved:
        conn.execute(sa.update(_SCREENINGS).where(_SCREENINGS.c.id == sa.bindparam("row_id"))
                     .values(deadline_at=sa.bindparam("deadline")), moved)


def downgrade() -> None:
    """The corrected ends stay: the earlier values kept data, and screenings, past their end."""
