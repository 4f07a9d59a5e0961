"""returns: an entry ban imposed after the return decision was issued (Directive 2008/115/EC Art 11(1)(b))

A return decision is accompanied by an entry ban where the obligation to return has not been
complied with (Art 11(1)(b)): known only once the period for voluntary departure ended without the
person leaving. The return officer imposes it then, on a given day and with reasons:
``return_decisions.entry_ban_imposed_on`` and ``entry_ban_reasons``. Both stay null for a ban that
went with the decision at issue (and for every decision stored before this revision).

Revision ID: returns_0013_entry_ban_after_issue
Revises: returns_0012_removal_bar_from_case
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0013_entry_ban_after_issue"
down_revision = "returns_0012_removal_bar_from_case"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # added in place (no table rebuild): other tables' rows refer to return_decisions
    op.add_column("return_decisions", sa.Column("entry_ban_imposed_on", sa.Date(), nullable=True))
    op.add_column("return_decisions", sa.Column("entry_ban_reasons", sa.Text(), nullable=True))


def downgrade() -> None:
    # dropped in place (no table rebuild, which other tables' rows referring to return_decisions
    # would refuse on SQLite): ALTER TABLE ... DROP COLUMN
    op.drop_column("return_decisions", "entry_ban_reasons")
    op.drop_column("return_decisions", "entry_ban_imposed_on")
