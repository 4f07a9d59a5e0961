"""resettlement: plans, pledges and admissions

Revision ID: resettlement_0001_initial
Revises: 0001_foundation
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "resettlement_0001_initial"
down_revision = "0001_foundation"
branch_labels = ("resettlement",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resettlement_plans",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("council_act_reference", sa.String(length=120), nullable=True),
        sa.Column("council_act_date", sa.Date(), nullable=True),
        sa.Column("total_places", sa.Integer(), nullable=False),
        sa.Column("resettlement", sa.Integer(), nullable=True),
        sa.Column("humanitarian_admission", sa.Integer(), nullable=True),
        sa.Column("emergency_admission", sa.Integer(), nullable=True),
        sa.Column("first_asylum_countries", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("announced_states", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resettlement_plans")),
        sa.UniqueConstraint("key", name="uq_resettlement_plans_key"),
    )
    op.create_table(
        "resettlement_pledges",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("plan_id", sa.String(length=40), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("resettlement", sa.Integer(), nullable=False),
        sa.Column("humanitarian_admission", sa.Integer(), nullable=False),
        sa.Column("emergency_admission", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["resettlement_plans.id"],
                                name=op.f("fk_resettlement_pledges_plan_id_resettlement_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resettlement_pledges")),
        sa.UniqueConstraint("plan_id", "member_state", name="uq_resettlement_pledges_plan_id_member_state"),
    )
    op.create_table(
        "resettlement_admissions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("plan_id", sa.String(length=40), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("case_reference", sa.String(length=40), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("first_asylum", sa.String(length=3), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("procedure", sa.String(length=10), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("refusal_ground", sa.String(length=30), nullable=True),
        sa.Column("irregular_on", sa.Date(), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("arrived_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["resettlement_plans.id"],
                                name=op.f("fk_resettlement_admissions_plan_id_resettlement_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resettlement_admissions")),
        sa.UniqueConstraint("member_state", "case_reference",
                            name="uq_resettlement_admissions_member_state_case_reference"),
    )
    op.create_index("ix_resettlement_admissions_plan_state", "resettlement_admissions",
                    ["plan_id", "member_state"], unique=False)
    op.create_index("ix_resettlement_admissions_arrived_on", "resettlement_admissions",
                    ["arrived_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_resettlement_admissions_arrived_on", table_name="resettlement_admissions")
    op.drop_index("ix_resettlement_admissions_plan_state", table_name="resettlement_admissions")
    op.drop_table("resettlement_admissions")
    op.drop_table("resettlement_pledges")
    op.drop_table("resettlement_plans")
