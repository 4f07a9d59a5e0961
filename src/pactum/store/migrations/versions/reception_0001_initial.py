"""reception: capacity and occupancy reports of the Member States, with their versions

Revision ID: reception_0001_initial
Revises: 0001_foundation
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "reception_0001_initial"
down_revision = "0001_foundation"
branch_labels = ("reception",)
depends_on = None

# the figures of a report, as pactum.reception.model.FIGURES names them (a migration keeps its
# own copy: later changes of the model must not change what this revision created)
FIGURES = (
    "initial_places", "initial_accommodated", "open_places", "open_accommodated",
    "minors_places", "minors_accommodated", "border_places", "border_accommodated",
    "detention_places", "detention_accommodated", "private_housing", "waiting_list",
)


def upgrade() -> None:
    op.create_table(
        "reception_reports",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in FIGURES),
        sa.Column("contingency_plan", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_reports")),
        sa.UniqueConstraint("member_state", "reported_on",
                            name="uq_reception_reports_member_state_reported_on"),
    )
    op.create_index("ix_reception_reports_reported_on", "reception_reports", ["reported_on"], unique=False)
    op.create_table(
        "reception_report_versions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("report_id", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("authority", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reception_reports.id"],
            name=op.f("fk_reception_report_versions_report_id_reception_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_report_versions")),
        sa.UniqueConstraint("report_id", "version", name="uq_reception_report_versions_report_id_version"),
    )


def downgrade() -> None:
    op.drop_table("reception_report_versions")
    op.drop_index("ix_reception_reports_reported_on", table_name="reception_reports")
    op.drop_table("reception_reports")
