"""foundation: the read log: who read a person's personal data, when, how and what

Revision ID: 0004_personal_data_reads
Revises: 0003_audit_verification
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_personal_data_reads"
down_revision = "0003_audit_verification"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "personal_data_reads",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("read_id", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("authority", sa.String(length=10), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=True),
        sa.Column("person_id", sa.String(length=40), nullable=True),
        sa.Column("person_member_state", sa.String(length=2), nullable=True),
        sa.Column("what", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.String(length=60), nullable=True),
        sa.Column("criteria", sa.String(length=60), nullable=True),
        sa.Column("persons_shown", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_data_reads")),
    )
    op.create_index("ix_personal_data_reads_person_id", "personal_data_reads", ["person_id", "at"])
    op.create_index("ix_personal_data_reads_username_at", "personal_data_reads", ["username", "at"])
    op.create_index("ix_personal_data_reads_authority_at", "personal_data_reads", ["authority", "at"])
    op.create_index("ix_personal_data_reads_person_member_state_at", "personal_data_reads",
                    ["person_member_state", "at"])


def downgrade() -> None:
    op.drop_index("ix_personal_data_reads_person_member_state_at", table_name="personal_data_reads")
    op.drop_index("ix_personal_data_reads_authority_at", table_name="personal_data_reads")
    op.drop_index("ix_personal_data_reads_username_at", table_name="personal_data_reads")
    op.drop_index("ix_personal_data_reads_person_id", table_name="personal_data_reads")
    op.drop_table("personal_data_reads")
