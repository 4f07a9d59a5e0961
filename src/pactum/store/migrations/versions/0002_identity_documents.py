"""foundation: every identity document of a record

Revision ID: 0002_identity_documents
Revises: 0001_foundation
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_identity_documents"
down_revision = "0001_foundation"
branch_labels = ("foundation",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_documents",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("identity_record_id", sa.String(length=40), nullable=False),
        sa.Column("document_type", sa.String(length=30), nullable=False),
        sa.Column("document_number", sa.String(length=60), nullable=False),
        sa.Column("document_country", sa.String(length=3), nullable=False),
        sa.Column("document_expiry", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["identity_record_id"], ["identity_records.id"],
                                name=op.f("fk_identity_documents_identity_record_id_identity_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_documents")),
    )
    with op.batch_alter_table("identity_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_documents_identity_record_id"),
                              ["identity_record_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("identity_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_documents_identity_record_id"))
    op.drop_table("identity_documents")
