"""identity: search keys, multiple-identity links, model artefacts, biometric templates

Revision ID: identity_0001_links_models_templates
Revises: 0001_foundation
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "identity_0001_links_models_templates"
down_revision = "0001_foundation"
branch_labels = ("identity",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_search_keys",
        sa.Column("identity_record_id", sa.String(length=40), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("names_key", sa.String(length=200), nullable=True),
        sa.Column("given_key", sa.String(length=200), nullable=True),
        sa.Column("surname_key", sa.String(length=200), nullable=True),
        sa.Column("dob_year", sa.Integer(), nullable=True),
        sa.Column("document", sa.String(length=60), nullable=True),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["identity_record_id"], ["identity_records.id"],
                                name=op.f("fk_identity_search_keys_identity_record_id_identity_records")),
        sa.PrimaryKeyConstraint("identity_record_id", name=op.f("pk_identity_search_keys")),
    )
    op.create_index("ix_identity_search_keys_names", "identity_search_keys", ["names_key", "dob_year"])
    op.create_index("ix_identity_search_keys_given", "identity_search_keys", ["given_key", "dob_year"])
    op.create_index("ix_identity_search_keys_surname", "identity_search_keys", ["surname_key", "dob_year"])
    op.create_index("ix_identity_search_keys_document", "identity_search_keys", ["document"])
    op.create_table(
        "identity_links",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=40), nullable=False),
        sa.Column("linked_record_id", sa.String(length=40), nullable=False),
        sa.Column("colour", sa.String(length=6), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("verifying_authority", sa.String(length=10), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=True),
        sa.Column("biometric_score", sa.Float(), nullable=True),
        sa.Column("basis", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["identity_records.id"],
                                name=op.f("fk_identity_links_record_id_identity_records")),
        sa.ForeignKeyConstraint(["linked_record_id"], ["identity_records.id"],
                                name=op.f("fk_identity_links_linked_record_id_identity_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_links")),
    )
    op.create_index(op.f("ix_identity_links_record_id"), "identity_links", ["record_id"])
    op.create_index(op.f("ix_identity_links_linked_record_id"), "identity_links", ["linked_record_id"])
    op.create_index(op.f("ix_identity_links_verifying_authority"), "identity_links", ["verifying_authority"])
    op.create_table(
        "identity_models",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("design_version", sa.String(length=20), nullable=False),
        sa.Column("trained_on", sa.String(length=200), nullable=False),
        sa.Column("labelled_pairs", sa.Integer(), nullable=False),
        sa.Column("model", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_models")),
        sa.UniqueConstraint("version", name=op.f("uq_identity_models_version")),
    )
    op.create_table(
        "biometric_templates",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("identity_record_id", sa.String(length=40), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("dimensions", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("index_key", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["identity_record_id"], ["identity_records.id"],
                                name=op.f("fk_biometric_templates_identity_record_id_identity_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_biometric_templates")),
        sa.UniqueConstraint("index_key", name=op.f("uq_biometric_templates_index_key")),
    )
    op.create_index(op.f("ix_biometric_templates_identity_record_id"), "biometric_templates", ["identity_record_id"])


def downgrade() -> None:
    op.drop_table("biometric_templates")
    op.drop_table("identity_models")
    op.drop_table("identity_links")
    op.drop_table("identity_search_keys")
