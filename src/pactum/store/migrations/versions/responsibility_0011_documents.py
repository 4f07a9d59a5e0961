"""responsibility: residence documents and visas a Member State issued, recorded by its Dublin unit

The criterion of residence documents and visas (Regulation (EU) 2024/1351, Article 29; Regulation
(EU) No 604/2013, Article 12) was applied only to documents typed into the determination: no area
of the platform recorded a document a Member State issued. The issuing state's Dublin unit now
records them on its person (kind, day of issue, validity, number, visa type, representation), and
the draft of the facts of a determination for the same person takes them in. Nothing before.

Revision ID: responsibility_0011_documents
Revises: responsibility_0010_refusal_cessation
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "responsibility_0011_documents"
down_revision = "responsibility_0010_refusal_cessation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dublin_documents",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("visa_type", sa.String(length=20), nullable=True),
        sa.Column("issued_on_behalf_of", sa.String(length=2), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("corrected_by", sa.String(length=80), nullable=True),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=80), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dublin_documents")),
    )
    op.create_index(op.f("ix_dublin_documents_person_id"), "dublin_documents", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_dublin_documents_person_id"), table_name="dublin_documents")
    op.drop_table("dublin_documents")
