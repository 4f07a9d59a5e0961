"""solidarity: contributing states' agreements to receive beneficiaries of international protection
from a benefitting state (AMMR Art 56(2)(a), "where bilaterally agreed")

Revision ID: solidarity_0003_beneficiary_agreements
Revises: solidarity_0002_offsets_status
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "solidarity_0003_beneficiary_agreements"
down_revision = "solidarity_0002_offsets_status"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "solidarity_beneficiary_agreements",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("cycle_id", sa.String(length=40), nullable=False),
        sa.Column("contributor_member_state", sa.String(length=2), nullable=False),
        sa.Column("beneficiary_member_state", sa.String(length=2), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["solidarity_cycles.id"],
                                name=op.f("fk_solidarity_beneficiary_agreements_cycle_id_solidarity_cycles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_solidarity_beneficiary_agreements")),
        sa.UniqueConstraint("cycle_id", "contributor_member_state", "beneficiary_member_state",
                            name="uq_solidarity_beneficiary_agreements_pair"),
    )
    with op.batch_alter_table("solidarity_beneficiary_agreements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_solidarity_beneficiary_agreements_cycle_id"), ["cycle_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("solidarity_beneficiary_agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solidarity_beneficiary_agreements_cycle_id"))
    op.drop_table("solidarity_beneficiary_agreements")
