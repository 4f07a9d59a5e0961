"""identity: the comparison of each registered record, pending until it runs

Eurodac compares a record's data on transmission and answers hit or no hit asynchronously (Reg.
(EU) 2024/1358). Every registration now writes a row in ``identity_comparisons`` in its own
transaction: pending until the comparison runs (at once on the web page and the command line, by
the ``identity_comparison`` job for a registration through the API), then with when and how it ran
and the candidates it returned. Records registered before this revision have no row: their
comparison was the web page's, or an officer's "Search for matches"; none is made pending here.

Revision ID: identity_0007_comparisons
Revises: identity_0006_search_shared_category
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "identity_0007_comparisons"
down_revision = "identity_0006_search_shared_category"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_comparisons",
        sa.Column("identity_record_id", sa.String(length=40), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("requested_user_id", sa.String(length=40), nullable=False),
        sa.Column("requested_roles", sa.String(length=200), nullable=False),
        sa.Column("compared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("compared_by", sa.String(length=80), nullable=True),
        sa.Column("compared_via", sa.String(length=20), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["identity_record_id"], ["identity_records.id"],
                                name=op.f("fk_identity_comparisons_identity_record_id_identity_records")),
        sa.PrimaryKeyConstraint("identity_record_id", name=op.f("pk_identity_comparisons")),
    )
    op.create_index("ix_identity_comparisons_pending", "identity_comparisons",
                    ["requested_at", "identity_record_id"],
                    sqlite_where=sa.text("compared_at IS NULL"), postgresql_where=sa.text("compared_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_identity_comparisons_pending", table_name="identity_comparisons")
    op.drop_table("identity_comparisons")
