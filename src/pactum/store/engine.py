"""Engines for the embedded SQLite store and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            # take the write lock at the start so concurrent writers queue instead of failing
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        # let SQLAlchemy not emit its own BEGIN for pysqlite
        @event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    # No pre-ping: it costs a round trip on every checkout (every command). After a PostgreSQL
    # restart the first command on each stale pooled connection fails (HTTP 500, nothing written)
    # and SQLAlchemy then discards the whole pool, so the next command reconnects.
    return create_engine(url, pool_size=20, max_overflow=20)
