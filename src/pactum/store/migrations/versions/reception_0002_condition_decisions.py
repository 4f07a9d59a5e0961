"""reception: decisions on one applicant's material reception conditions (reduction, withdrawal,
Article 21 of Directive (EU) 2024/1346; Article 20 of Directive 2013/33/EU before it)

Revision ID: reception_0002_condition_decisions
Revises: reception_0001_initial
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "reception_0002_condition_decisions"
down_revision = "reception_0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reception_condition_decisions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=True),
        sa.Column("measure", sa.String(length=20), nullable=False),
        sa.Column("conditions", sa.String(length=30), nullable=False),
        sa.Column("ground", sa.String(length=20), nullable=True),
        sa.Column("regime", sa.String(length=40), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("required_state", sa.String(length=2), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("individual_assessment", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("guarantees", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("lifted_on", sa.Date(), nullable=True),
        sa.Column("restoration", sa.String(length=10), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.Column("lift_basis", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_condition_decisions")),
    )
    op.create_index("ix_reception_condition_decisions_member_state_status", "reception_condition_decisions",
                    ["member_state", "status"], unique=False)
    op.create_index("ix_reception_condition_decisions_person_id", "reception_condition_decisions",
                    ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_reception_condition_decisions_person_id", table_name="reception_condition_decisions")
    op.drop_index("ix_reception_condition_decisions_member_state_status", table_name="reception_condition_decisions")
    op.drop_table("reception_condition_decisions")
