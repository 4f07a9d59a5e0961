"""solidarity: responsibility offsets taken over, and the status (applicant or beneficiary of
international protection) and consent of each relocated person

Revision ID: solidarity_0002_offsets_status
Revises: solidarity_0001_initial
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "solidarity_0002_offsets_status"
down_revision = "solidarity_0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "solidarity_offsets",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("cycle_id", sa.String(length=40), nullable=False),
        sa.Column("beneficiary_member_state", sa.String(length=2), nullable=False),
        sa.Column("contributor_member_state", sa.String(length=2), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("case_reference", sa.String(length=60), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.Column("taken_over_on", sa.Date(), nullable=False),
        sa.Column("legal_basis", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["solidarity_cycles.id"],
                                name=op.f("fk_solidarity_offsets_cycle_id_solidarity_cycles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_solidarity_offsets")),
        sa.UniqueConstraint("case_id", name=op.f("uq_solidarity_offsets_case_id")),
    )
    with op.batch_alter_table("solidarity_offsets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_solidarity_offsets_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_solidarity_offsets_beneficiary_member_state"),
                              ["beneficiary_member_state"], unique=False)
        batch_op.create_index(batch_op.f("ix_solidarity_offsets_contributor_member_state"),
                              ["contributor_member_state"], unique=False)
    with op.batch_alter_table("relocation_transfers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_status", sa.String(length=20), server_default="applicant",
                                      nullable=False))
        batch_op.add_column(sa.Column("protection_granted_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("consent_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("relocation_transfers", schema=None) as batch_op:
        batch_op.drop_column("consent_on")
        batch_op.drop_column("protection_granted_on")
        batch_op.drop_column("person_status")
    with op.batch_alter_table("solidarity_offsets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solidarity_offsets_contributor_member_state"))
        batch_op.drop_index(batch_op.f("ix_solidarity_offsets_beneficiary_member_state"))
        batch_op.drop_index(batch_op.f("ix_solidarity_offsets_cycle_id"))
    op.drop_table("solidarity_offsets")
