"""followup: the annex's items and their dated versions

Revision ID: followup_0001_items
Revises: 0001_foundation
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "followup_0001_items"
down_revision = "0001_foundation"
branch_labels = ("followup",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "followup_items",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("parent", sa.String(length=60), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_items")),
        sa.UniqueConstraint("kind", "key", name="uq_followup_items_kind_key"),
    )
    op.create_table(
        "followup_item_versions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=10), nullable=False),
        sa.Column("parent", sa.String(length=60), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("authority", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["followup_items.id"],
            name=op.f("fk_followup_item_versions_item_id_followup_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_item_versions")),
        sa.UniqueConstraint("item_id", "version", name="uq_followup_item_versions_item_id_version"),
    )
    op.create_index(
        "ix_followup_item_versions_valid_from", "followup_item_versions", ["valid_from"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_followup_item_versions_valid_from", table_name="followup_item_versions")
    op.drop_table("followup_item_versions")
    op.drop_table("followup_items")
