"""The shared metadata, column helpers and optimistic-concurrency update."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    select,
    update,
)

from pactum.common.errors import Conflict, NotFound

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


def id_column() -> Column[str]:
    return Column("id", String(40), primary_key=True)


def version_column() -> Column[int]:
    return Column("version", Integer, nullable=False, default=1, server_default="1")


def created_column() -> Column[Any]:
    return Column("created_at", DateTime(timezone=True), nullable=False)


def json_column(name: str, nullable: bool = True) -> Column[Any]:
    return Column(name, JSON, nullable=nullable)


#: Versions are 32-bit integers in the stores (PostgreSQL ``integer``).
_VERSION_LIMIT = 2**31 - 1


def update_versioned(
    conn: Connection, table: Table, row_id: str, expected_version: int, values: dict[str, Any], *,
    key: str = "id",
) -> int:
    """Update one row if it still has ``expected_version``; return the new version. ``key``: the
    column that names the row (``id``, or a table's own key such as a Member State's code).

    Raises ``NotFound`` when the row is gone and ``Conflict`` when somebody else changed it first,
    so two officers editing one case cannot silently overwrite each other.
    """
    new_version = expected_version + 1
    # a version no row can have is a stale one; it is not sent to the database, whose integer
    # column cannot even hold it on PostgreSQL (the query itself would fail)
    if 0 < expected_version < _VERSION_LIMIT:
        result = conn.execute(
            update(table)
            .where(table.c[key] == row_id, table.c.version == expected_version)
            .values(**values, version=new_version)
        )
        if result.rowcount == 1:
            return new_version
    current = conn.execute(select(table.c.version).where(table.c[key] == row_id)).scalar()
    if current is None:
        raise NotFound(f"{table.name} {row_id} not found")
    raise Conflict(
        f"{table.name} {row_id} was changed by someone else (version {current}, "
        f"you edited version {expected_version}); reload and apply your change again"
    )
