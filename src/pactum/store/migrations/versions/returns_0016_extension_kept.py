"""returns: an extension of the period for voluntary departure kept by an amended decision on the destination

A column ``destination_decision_id`` on ``return_decision_extensions``: set on the row an amended
decision on the destination writes when it keeps the extension in force (Directive 2008/115/EC Art
7(2): the circumstances of the individual case that made the extension necessary do not depend on
the country of return), naming that amended decision; null on an extension the officer gave.
Extensions stored before are the officer's.

Revision ID: returns_0016_extension_kept
Revises: returns_0015_period_extensions
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0016_extension_kept"
down_revision = "returns_0015_period_extensions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "return_decision_extensions",
        sa.Column("destination_decision_id", sa.String(length=40), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("return_decision_extensions") as batch:
        batch.drop_column("destination_decision_id")
