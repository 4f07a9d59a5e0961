"""returns: the amended decisions on a return decision's destination

A table ``return_destination_decisions``: each amendment of a return decision's country of
destination, a new return decision in the Court's reading (CJEU C-924/19 PPU and C-925/19 PPU,
FMS and Others, 14 May 2020; Directive 2008/115/EC Arts 3(3), 12(1), 13(1)): its reference, day,
officer and authority, the destination before and after, the reasons and the remedy information,
and the appeal against it (day lodged, suspensive or not). Decisions stored before keep their
destination; they have no amendment.

Revision ID: returns_0006_destination_decisions
Revises: returns_0005_entry_ban_months
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0006_destination_decisions"
down_revision = "returns_0005_entry_ban_months"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "return_destination_decisions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("return_decision_id", sa.String(length=40), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_by", sa.String(length=120), nullable=False),
        sa.Column("authority", sa.String(length=20), nullable=False),
        sa.Column("previous_destination", sa.String(length=3), nullable=True),
        sa.Column("destination_country", sa.String(length=3), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("remedies", sa.Text(), nullable=False),
        sa.Column("appeal_lodged_on", sa.Date(), nullable=True),
        sa.Column("appeal_suspensive", sa.Boolean(), nullable=True),
        sa.Column("appeal_recorded_by", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["return_decision_id"], ["return_decisions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    op.create_index("ix_return_destination_decisions_return_decision_id", "return_destination_decisions",
                    ["return_decision_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_return_destination_decisions_return_decision_id", table_name="return_destination_decisions")
    op.drop_table("return_destination_decisions")
