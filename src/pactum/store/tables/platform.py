"""Users, sessions and tokens, the audit log, idempotency keys."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)

from pactum.store.tables.base import created_column, id_column, metadata, version_column

users = Table(
    "users",
    metadata,
    id_column(),
    Column("username", String(80), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False),
    Column("authority", String(10), nullable=False, index=True),
    Column("roles", JSON, nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    created_column(),
    version_column(),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(40), ForeignKey("users.id"), nullable=False, index=True),
    Column("kind", String(10), nullable=False),  # web | api
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("authority", String(10), nullable=False),
    Column("action", String(80), nullable=False, index=True),
    Column("entity_type", String(60), nullable=False),
    Column("entity_id", String(60), nullable=False, index=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# One row: the head of the hash chain, locked by each writer so the chain stays linear.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

#: How far the audit chain has been verified: the last entry checked (``seq``, ``hash``), when, and
#: when the chain was last walked in full from its first entry. One row (``id`` 1); the audit page
#: checks only the entries written since (``services.audit.verify_incrementally``).
audit_verification = Table(
    "audit_verification",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("verified_at", DateTime(timezone=True), nullable=False),
    Column("full_at", DateTime(timezone=True), nullable=True),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(120), primary_key=True),
    Column("user_id", String(40), primary_key=True),
    Column("operation", String(60), nullable=False),
    Column("response", Text, nullable=False),
    created_column(),
)
