"""procedures: refusals of entry at the external border (counted in the border procedure's
adequate capacity)

Revision ID: procedures_0002_refusals_of_entry
Revises: procedures_0001_initial
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "procedures_0002_refusals_of_entry"
down_revision = "procedures_0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refusals_of_entry",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("refused_on", sa.Date(), nullable=False),
        sa.Column("border_type", sa.String(length=4), nullable=False),
        sa.Column("border_section", sa.String(length=120), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refusals_of_entry")),
    )
    op.create_index("ix_refusals_of_entry_state_date", "refusals_of_entry",
                    ["member_state", "refused_on"], unique=False)
    op.create_index("ix_refusals_of_entry_date", "refusals_of_entry", ["refused_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_refusals_of_entry_date", table_name="refusals_of_entry")
    op.drop_index("ix_refusals_of_entry_state_date", table_name="refusals_of_entry")
    op.drop_table("refusals_of_entry")
