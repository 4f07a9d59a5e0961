"""returns: the translation of a return decision, or the standard form used instead

A table ``return_decision_translations``: for a return decision, or an amended decision on its
destination, the person's request for a translation of its main elements, remedies included (day,
language by ISO 639-3 code), and its provision (day, written or oral, language), Directive
2008/115/EC Art 12(2); or (``kind`` ``standard_form``) that the decision was given by the standard
form of Art 12(3). Decisions stored before have none recorded.

Revision ID: returns_0009_decision_translations
Revises: returns_0008_amendment_period_avr_reason
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0009_decision_translations"
down_revision = "returns_0008_amendment_period_avr_reason"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "return_decision_translations",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("return_decision_id", sa.String(length=40), nullable=False),
        sa.Column("destination_decision_id", sa.String(length=40), nullable=True),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=True),
        sa.Column("requested_language", sa.String(length=3), nullable=True),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("provided_on", sa.Date(), nullable=True),
        sa.Column("provided_language", sa.String(length=3), nullable=True),
        sa.Column("provided_mode", sa.String(length=10), nullable=True),
        sa.Column("provided_by", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["return_decision_id"], ["return_decisions.id"]),
        sa.ForeignKeyConstraint(["destination_decision_id"], ["return_destination_decisions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_return_decision_translations_return_decision_id", "return_decision_translations",
                    ["return_decision_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_return_decision_translations_return_decision_id", table_name="return_decision_translations")
    op.drop_table("return_decision_translations")
