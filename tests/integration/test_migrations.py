"""Migrations and table definitions agree: a store upgraded with `pactum db upgrade` has exactly
the tables and columns the code declares, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pactum.store.migrate import current_heads, script_heads
from pactum.store.tables import metadata


def _diff(engine):
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diffs = compare_metadata(ctx, metadata)
    # SQLite cannot report server defaults or named constraints reliably; compare tables/columns/indexes
    kinds = {"add_table", "remove_table", "add_column", "remove_column", "add_index", "remove_index"}
    out = []
    for d in diffs:
        items = d if isinstance(d, list) else [d]
        for item in items:
            if item[0] in kinds and getattr(item[-1], "name", "") != "alembic_version":
                out.append((item[0], str(getattr(item[-1], "name", item[-1]))))
    return out


def test_sqlite_store_matches_the_table_definitions(services):
    assert current_heads(services.engine) == script_heads()
    assert _diff(services.engine) == []


@pytest.mark.postgres
def test_postgres_store_matches_the_table_definitions(pg_services):
    assert current_heads(pg_services.engine) == script_heads()
    assert _diff(pg_services.engine) == []
