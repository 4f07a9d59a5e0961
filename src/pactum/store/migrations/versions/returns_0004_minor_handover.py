"""returns: to whom an unaccompanied minor is returned (Directive 2008/115/EC Art 10(2))

Two columns on ``return_decisions``: ``minor_handover`` (``family_member``, ``nominated_guardian``
or ``reception_facilities``) and ``minor_handover_note`` (how the authority satisfied itself of
it). Until they are recorded, an unaccompanied minor's removal carries an obstacle.

Revision ID: returns_0004_minor_handover
Revises: returns_0003_entry_ban_not_extended
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0004_minor_handover"
down_revision = "returns_0003_entry_ban_not_extended"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("return_decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("minor_handover", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("minor_handover_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("return_decisions", schema=None) as batch_op:
        batch_op.drop_column("minor_handover_note")
        batch_op.drop_column("minor_handover")
