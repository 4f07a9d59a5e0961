"""resettlement: the grounds of refusal are the points of Regulation (EU) 2024/1350, Art 6

Pactum offered a ground "irregular_stay_or_entry" (irregular stay or entry in the Member States in
the five years before the referral, with its date in ``irregular_on``). Art 6 of the Regulation,
read in full in the Official Journal text, has no such ground: its grounds are the six points of
Art 6(1) (admission shall be refused) and the four of Art 6(2) (it may be). A refusal recorded on
that ground cannot be put under a point of Art 6 without inventing a fact, so it is kept honest as
``other``, the ground a national decision states in words, with the reason saying what was
recorded: "Irregular stay or entry on <date>: recorded under the ground irregular_stay_or_entry,
which Regulation (EU) 2024/1350, Art 6 does not contain" (the date, when none was recorded, reads
"an unrecorded date"). The refusal itself (decision, date) is unchanged; the state's officer may
correct the ground if the decision gave one of Art 6. The ``irregular_on`` column, which only that
ground used, is dropped: its date lives on in the reason. Versions are left alone (the rows'
refusal is the same decision). Downgrading re-adds the column and puts the rows this migration
moved back to "irregular_stay_or_entry" with their date; refusals recorded on the new grounds
stay as they are (the old code does not know them).

Revision ID: resettlement_0003_refusal_grounds
Revises: resettlement_0002_registered_on
Create Date: 2026-12-01
"""

import re
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "resettlement_0003_refusal_grounds"
down_revision = "resettlement_0002_registered_on"
branch_labels = None
depends_on = None

OLD = "irregular_stay_or_entry"
UNKNOWN_DAY = "an unrecorded date"
TAIL = f": recorded under the ground {OLD}, which Regulation (EU) 2024/1350, Art 6 does not contain"
_MOVED = re.compile(r"^Irregular stay or entry on (\d{4}-\d{2}-\d{2}|" + UNKNOWN_DAY + ")" + re.escape(TAIL) + "$")


def reason_for(irregular_on: date | None) -> str:
    """The reason a row refused on the old ground reads once moved to ``other``."""
    return f"Irregular stay or entry on {irregular_on.isoformat() if irregular_on else UNKNOWN_DAY}{TAIL}"


def _table() -> sa.TableClause:
    return sa.table("resettlement_admissions", sa.column("id", sa.String), sa.column("refusal_ground", sa.String),
                    sa.column("refusal_reason", sa.Text), sa.column("irregular_on", sa.Date))


def upgrade() -> None:
    conn = op.get_bind()
    t = _table()
    for row in conn.execute(sa.select(t.c.id, t.c.irregular_on).where(t.c.refusal_ground == OLD)).all():
        conn.execute(sa.update(t).where(t.c.id == row.id).values(
            refusal_ground="other", refusal_reason=reason_for(row.irregular_on)))
    with op.batch_alter_table("resettlement_admissions") as batch:
        batch.drop_column("irregular_on")


def downgrade() -> None:
    with op.batch_alter_table("resettlement_admissions") as batch:
        batch.add_column(sa.Column("irregular_on", sa.Date(), nullable=True))
    conn = op.get_bind()
    t = _table()
    for row in conn.execute(sa.select(t.c.id, t.c.refusal_reason).where(t.c.refusal_ground == "other")).all():
        m = _MOVED.match(row.refusal_reason or "")
        if m:
            day = None if m.group(1) == UNKNOWN_DAY else date.fromisoformat(m.group(1))
            conn.execute(sa.update(t).where(t.c.id == row.id).values(
                refusal_ground=OLD, refusal_reason=None, irregular_on=day))
