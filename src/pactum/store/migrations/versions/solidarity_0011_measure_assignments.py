"""solidarity: the coordinator's assignment of pledged alternative solidarity measures to a benefitting
state that requested them (AMMR Arts 60(2), 65(1))

Revision ID: solidarity_0011_measure_assignments
Revises: solidarity_0010_replacement_of_any_type
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "solidarity_0011_measure_assignments"
down_revision = "solidarity_0010_replacement_of_any_type"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "solidarity_measure_assignments",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("cycle_id", sa.String(length=40), nullable=False),
        sa.Column("contributor_member_state", sa.String(length=2), nullable=False),
        sa.Column("beneficiary_member_state", sa.String(length=2), nullable=False),
        sa.Column("measure_type", sa.String(length=20), nullable=False),
        sa.Column("eur", sa.Integer(), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["solidarity_cycles.id"],
            name=op.f("fk_solidarity_measure_assignments_cycle_id_solidarity_cycles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_solidarity_measure_assignments")),
    )
    with op.batch_alter_table("solidarity_measure_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_solidarity_measure_assignments_cycle_id"), ["cycle_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("solidarity_measure_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solidarity_measure_assignments_cycle_id"))
    op.drop_table("solidarity_measure_assignments")
