"""Migrations and table definitions agree: a store upgraded with `pactum db upgrade` has exactly
the tables and columns the code declares, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pactum.store.migrate import alembic_config, current_heads, pending_heads
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


def _at_the_codes_heads(engine) -> None:
    """The store reached every head of the code, and holds no revision the code does not know. A
    head another area's migration depends on (``awareness_0002_local_months`` reads the column
    ``registry_0006_encounter_time_zone`` adds) stays in the store's version table but is no head of
    the scripts (Alembic's ``depends_on``), so the two sets are not compared for equality."""
    from alembic.script import ScriptDirectory

    assert pending_heads(engine) == set()
    known = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    assert current_heads(engine) <= known


def test_sqlite_store_matches_the_table_definitions(services):
    _at_the_codes_heads(services.engine)
    assert _diff(services.engine) == []


@pytest.mark.postgres
def test_postgres_store_matches_the_table_definitions(pg_services):
    _at_the_codes_heads(pg_services.engine)
    assert _diff(pg_services.engine) == []
