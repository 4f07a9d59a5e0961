"""awareness: external series, monthly encounter aggregates, backtests, forecasts, alerts

Revision ID: awareness_0001_initial
Revises: 0001_foundation
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "awareness_0001_initial"
down_revision = "0001_foundation"
branch_labels = ("awareness",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "awareness_imports",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("release", sa.String(length=80), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("first_period", sa.String(length=7), nullable=False),
        sa.Column("last_period", sa.String(length=7), nullable=False),
        sa.Column("imported_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_imports")),
    )
    op.create_index(op.f("ix_awareness_imports_source"), "awareness_imports", ["source"])
    op.create_table(
        "awareness_series",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("measure", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("route", sa.String(length=80), nullable=False),
        sa.Column("border_type", sa.String(length=10), nullable=False),
        sa.Column("nationality", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_series")),
    )
    op.create_index(
        "ix_awareness_series_source_route_period", "awareness_series", ["source", "route", "period"]
    )
    op.create_table(
        "awareness_monthly",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("route", sa.String(length=80), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("border_type", sa.String(length=10), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("encounters", sa.Integer(), nullable=False),
        sa.Column("minors", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_monthly")),
    )
    op.create_index("ix_awareness_monthly_route_month", "awareness_monthly", ["route", "month"])
    op.create_table(
        "awareness_backtests",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("route", sa.String(length=80), nullable=False),
        sa.Column("horizon", sa.Integer(), nullable=False),
        sa.Column("origins", sa.Integer(), nullable=False),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("chosen", sa.String(length=30), nullable=False),
        sa.Column("data_through", sa.String(length=7), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_backtests")),
        sa.UniqueConstraint("route", "horizon", name="uq_awareness_backtests_route_horizon"),
    )
    op.create_table(
        "awareness_forecasts",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("route", sa.String(length=80), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("model", sa.String(length=30), nullable=False),
        sa.Column("origin", sa.String(length=7), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_forecasts")),
        sa.UniqueConstraint(
            "route", "nationality", "origin", name="uq_awareness_forecasts_route_nat_origin"
        ),
    )
    op.create_table(
        "awareness_alerts",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("route", sa.String(length=80), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("observed", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("drivers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=80), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_alerts")),
        sa.UniqueConstraint(
            "source", "route", "month", "rule", name="uq_awareness_alerts_source_route_month_rule"
        ),
    )


def downgrade() -> None:
    for name in (
        "awareness_alerts",
        "awareness_forecasts",
        "awareness_backtests",
        "awareness_monthly",
        "awareness_series",
        "awareness_imports",
    ):
        op.drop_table(name)
