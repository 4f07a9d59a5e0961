"""Situational awareness: imported external series, monthly aggregates of the platform's own
encounters, backtests (with the model chosen per route), forecasts and early-warning alerts."""

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from pactum.store.tables.base import created_column, id_column, metadata, version_column

awareness_imports = Table(
    "awareness_imports",
    metadata,
    id_column(),
    Column("source", String(20), nullable=False, index=True),
    Column("release", String(80), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("first_period", String(7), nullable=False),
    Column("last_period", String(7), nullable=False),
    Column("imported_by", String(80), nullable=False),
    created_column(),
)

awareness_series = Table(
    "awareness_series",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(20), nullable=False),
    Column("measure", String(40), nullable=False),
    Column("period", String(7), nullable=False),
    Column("route", String(80), nullable=False, default=""),
    Column("border_type", String(10), nullable=False, default=""),
    Column("nationality", String(20), nullable=False, default=""),
    Column("country", String(20), nullable=False, default=""),
    Column("value", Float, nullable=False),
    Index("ix_awareness_series_source_route_period", "source", "route", "period"),
)

# The platform's own encounters, aggregated per month (refreshed by the awareness job and before
# each report), so that the dashboard reads thousands of rows rather than millions.
awareness_monthly = Table(
    "awareness_monthly",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("month", String(7), nullable=False),
    Column("route", String(80), nullable=False),
    Column("member_state", String(2), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("border_type", String(10), nullable=False),
    Column("nationality", String(3), nullable=False),
    Column("encounters", Integer, nullable=False),
    Column("minors", Integer, nullable=False),
    Index("ix_awareness_monthly_route_month", "route", "month"),
)

awareness_backtests = Table(
    "awareness_backtests",
    metadata,
    id_column(),
    Column("route", String(80), nullable=False),
    Column("horizon", Integer, nullable=False),
    Column("origins", Integer, nullable=False),
    Column("models", JSON, nullable=False),
    Column("chosen", String(30), nullable=False),
    Column("data_through", String(7), nullable=False),
    created_column(),
    UniqueConstraint("route", "horizon", name="uq_awareness_backtests_route_horizon"),
)

awareness_forecasts = Table(
    "awareness_forecasts",
    metadata,
    id_column(),
    Column("route", String(80), nullable=False),
    Column("nationality", String(3), nullable=False, default=""),
    Column("model", String(30), nullable=False),
    Column("origin", String(7), nullable=False),
    Column("points", JSON, nullable=False),
    created_column(),
    UniqueConstraint("route", "nationality", "origin", name="uq_awareness_forecasts_route_nat_origin"),
)

awareness_alerts = Table(
    "awareness_alerts",
    metadata,
    id_column(),
    Column("source", String(20), nullable=False),
    Column("route", String(80), nullable=False),
    Column("month", String(7), nullable=False),
    Column("rule", String(30), nullable=False),
    Column("observed", Float, nullable=False),
    Column("threshold", Float, nullable=False),
    Column("message", Text, nullable=False),
    Column("drivers", JSON, nullable=False),
    created_column(),
    Column("acknowledged_at", DateTime(timezone=True), nullable=True),
    Column("acknowledged_by", String(80), nullable=True),
    Column("note", Text, nullable=True),
    version_column(),
    UniqueConstraint("source", "route", "month", "rule", name="uq_awareness_alerts_source_route_month_rule"),
)
