"""foundation: how far the audit chain has been verified (the audit page checks only newer entries)

Revision ID: 0003_audit_verification
Revises: 0002_identity_documents
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_audit_verification"
down_revision = "0002_identity_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_verification",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("full_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_verification")),
    )


def downgrade() -> None:
    op.drop_table("audit_verification")
