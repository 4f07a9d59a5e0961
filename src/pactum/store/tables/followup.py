"""Follow-up: the annex's items (commitments, actions, milestones, funding lines, partners, action
plans) and every version of each, with the date from which it describes the state of play.

``followup_items`` holds each item as it stands now; ``followup_item_versions`` is the per-item
history a report for an earlier date is rebuilt from (the version with the latest ``valid_from``
on or before the report date wins; a ``deleted`` version removes the item from that date).
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from pactum.store.tables.base import created_column, id_column, metadata, version_column

followup_items = Table(
    "followup_items",
    metadata,
    id_column(),
    Column("kind", String(20), nullable=False),
    Column("key", String(60), nullable=False),
    Column("parent", String(60), nullable=True),
    Column("position", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    created_column(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    version_column(),
    UniqueConstraint("kind", "key", name="uq_followup_items_kind_key"),
)

followup_item_versions = Table(
    "followup_item_versions",
    metadata,
    id_column(),
    Column("item_id", String(40), ForeignKey("followup_items.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("key", String(60), nullable=False),
    Column("version", Integer, nullable=False),
    Column("change", String(10), nullable=False),
    Column("parent", String(60), nullable=True),
    Column("position", Integer, nullable=False),
    Column("data", JSON, nullable=True),
    Column("valid_from", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("authority", String(20), nullable=False),
    Column("reason", Text, nullable=True),
    UniqueConstraint("item_id", "version", name="uq_followup_item_versions_item_id_version"),
    Index("ix_followup_item_versions_valid_from", "valid_from"),
)
