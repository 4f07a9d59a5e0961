"""returns: an entry ban's length in months (Directive 2008/115/EC Art 11(2) sets only a maximum)

A column ``return_decisions.entry_ban_months``: the ban's length in months, set for every decision
with a ban (a ban in years: 12 a year). ``entry_ban_years`` stays, set when the length is a whole
number of years (a ban given in months, such as 18, has none).

Revision ID: returns_0005_entry_ban_months
Revises: returns_0004_minor_handover
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0005_entry_ban_months"
down_revision = "returns_0004_minor_handover"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # added in place (no table rebuild): other tables' rows refer to return_decisions
    op.add_column("return_decisions", sa.Column("entry_ban_months", sa.Integer(), nullable=True))
    decisions = sa.table("return_decisions", sa.column("entry_ban_years", sa.Integer()),
                         sa.column("entry_ban_months", sa.Integer()))
    op.execute(decisions.update().where(decisions.c.entry_ban_years.is_not(None))
               .values(entry_ban_months=decisions.c.entry_ban_years * 12))


def downgrade() -> None:
    with op.batch_alter_table("return_decisions", schema=None) as batch_op:
        batch_op.drop_column("entry_ban_months")
