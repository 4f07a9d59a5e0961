"""Alembic environment: the engine comes from ``config.attributes['connection']`` or the settings."""

from alembic import context

from pactum.settings import Settings
from pactum.store.engine import make_engine
from pactum.store.tables import metadata

config = context.config


def _version_table(conn) -> None:  # type: ignore[no-untyped-def]
    """Create alembic_version with room for readable revision ids (Alembic's default is 32 chars)."""
    conn.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS alembic_version ("
        "version_num VARCHAR(128) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
    )


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _version_table(connection)
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or Settings().resolved_database_url())
    with engine.begin() as conn:
        _version_table(conn)  # committed on its own, before Alembic's transaction
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
