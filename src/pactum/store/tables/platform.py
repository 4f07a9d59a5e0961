"""Users, sessions and tokens, the audit log, idempotency keys."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
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

#: Who read a person's personal data: one row per person a read showed (a person's page, a
#: screening, an identity link, a search's page of results), the read's rows sharing ``read_id``.
#: Written by :func:`pactum.services.reads.record_read` in the read's own transaction; the
#: application never updates or deletes a row. Not in the audit log's hash chain (reads are many;
#: docs/security.md, "The read log"). A search keeps which criteria were given, never their
#: values (a name typed is itself personal data), and the persons it showed (``person_id``;
#: ``None`` on the one row of a search that showed nobody). The person's id only: no foreign key,
#: so the log outlives an erased record.
personal_data_reads = Table(
    "personal_data_reads",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("read_id", String(40), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_id", String(40), nullable=False),
    Column("username", String(80), nullable=False),
    Column("authority", String(10), nullable=False),
    Column("member_state", String(2), nullable=True),  # the reader's; None for an EU body's user
    Column("person_id", String(40), nullable=True),
    Column("person_member_state", String(2), nullable=True),  # the state whose person was read
    Column("what", String(30), nullable=False),
    Column("record_id", String(60), nullable=True),  # the screening or link read
    Column("criteria", String(60), nullable=True),  # a search's criteria given ("name, date of birth")
    Column("persons_shown", Integer, nullable=False),
    Column("channel", String(10), nullable=False),  # web | api | cli
    Index("ix_personal_data_reads_person_id", "person_id", "at"),
    Index("ix_personal_data_reads_username_at", "username", "at"),
    Index("ix_personal_data_reads_authority_at", "authority", "at"),
    Index("ix_personal_data_reads_person_member_state_at", "person_member_state", "at"),
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
