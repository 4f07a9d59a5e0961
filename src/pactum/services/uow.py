"""The unit of work: one transaction per command, with its audit entries inside it.

Leaving the ``with`` block without ``commit()`` (or through an exception) rolls everything back,
audit entries included, so nothing is ever half-written. ``audit()`` records an entry at once
(its content is fixed when the handler calls it); ``commit()`` appends the entries to the hash
chain as the transaction's last statement and commits, so concurrent writers wait for the chain's
lock only for that short tail (ADR 0005).

A handler may also hand writes whose result it does not need to ``at_commit()``: on PostgreSQL
they go to the server with the audit entries and the COMMIT in one pipeline (one round trip
instead of one per statement); elsewhere they are executed, in order, just before the audit
entries. Either way they are in the transaction, and a failure of any rolls back all.
"""

from __future__ import annotations

import re
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import UpdateBase

from pactum.common.clock import Clock
from pactum.services import audit
from pactum.services.auth import Principal


class UnitOfWork:
    def __init__(self, engine: Engine, clock: Clock):
        self._engine = engine
        self._clock = clock
        self._conn: Connection | None = None
        self._committed = False
        self._audit: list[dict[str, Any]] = []
        self._writes: list[tuple[UpdateBase, dict[str, Any]]] = []
        self.now: datetime = clock.now()

    def __enter__(self) -> UnitOfWork:
        self._conn = self._engine.connect()
        self._conn.begin()
        self._audit = []
        self._writes = []
        self.now = self._clock.now()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._conn is not None
        try:
            if not self._committed:
                self._conn.rollback()
        finally:
            self._audit = []
            self._writes = []
            self._conn.close()
            self._conn = None

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._conn

    def audit(
        self,
        principal: Principal,
        action: str,
        entity_type: str,
        entity_id: str,
        *,
        before: Any = None,
        after: Any = None,
    ) -> None:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        self._audit.append(audit.entry_content(
            at=self.now,
            actor=principal.username,
            authority=principal.authority,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            before=before,
            after=after,
        ))

    def first(self, statement: UpdateBase, params: dict[str, Any]) -> Any:
        """Execute a write with RETURNING as the transaction's first statement; its first row.

        On PostgreSQL the driver sends the transaction's BEGIN and the statement together (one
        round trip instead of two)."""
        conn = self.conn
        if conn.dialect.name != "postgresql":
            return conn.execute(statement, params).first()
        raw = conn.connection.driver_connection
        assert raw is not None
        sql, values = _driver_statement(statement, params, conn.dialect)
        dbapi = conn.dialect.loaded_dbapi
        try:
            with raw.pipeline(), raw.cursor() as cur:
                cur.execute(sql, values)
                return cur.fetchone()
        except dbapi.Error as exc:
            raise DBAPIError.instance(sql, values, exc, dbapi.Error) from exc

    def at_commit(self, statement: UpdateBase, params: dict[str, Any]) -> None:
        """Send this INSERT/UPDATE with the commit (the handler reads nothing back from it)."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        self._writes.append((statement, params))

    def flush_audit(self) -> None:
        """Execute the queued writes and append the entries recorded so far to the chain now (for
        a handler that reads them back inside its own transaction); ``commit()`` does it otherwise."""
        writes, self._writes = self._writes, []
        for statement, params in writes:
            self.conn.execute(statement, params)
        entries, self._audit = self._audit, []
        audit.append_entries(self.conn, entries)

    def commit(self) -> None:
        if self.conn.dialect.name == "postgresql" and (self._writes or self._audit):
            self._commit_pipelined()
        else:
            self.flush_audit()
        self.conn.commit()
        self._committed = True

    def _commit_pipelined(self) -> None:
        """PostgreSQL: the queued writes, the audit entries and COMMIT in one pipeline.

        The chain's row lock is taken by the last statement before COMMIT and the server runs
        both back to back, so no writer waits on another's round trips while it holds the lock.
        """
        writes, self._writes = self._writes, []
        entries, self._audit = self._audit, []
        raw = self.conn.connection.driver_connection
        assert raw is not None
        dbapi = self.conn.dialect.loaded_dbapi
        try:
            with raw.pipeline(), raw.cursor() as cur:
                for sql, values in _combined_statements(writes, self.conn.dialect):
                    cur.execute(sql, values)
                if entries:
                    cur.execute(audit.PG_GENESIS_SQL, {"hash": audit.GENESIS})
                    for entry in entries:
                        cur.execute(audit.PG_APPEND_SQL, audit.pg_params(entry))
                raw.commit()
        except dbapi.Error as exc:  # the same exceptions as conn.execute raises (IntegrityError ...)
            raise DBAPIError.instance("COMMIT (pipelined writes)", None, exc, dbapi.Error) from exc
        # SQLAlchemy's conn.commit() that follows ends its own transaction; the driver, already
        # committed, has nothing left to send.


# compiled once per statement object and set of parameters (module-level statements are the norm)
_CACHE_SIZE = 2048
_COMPILED: dict[tuple[int, tuple[str, ...]], tuple[UpdateBase, Any, dict[str, Any]]] = {}


def _driver_statement(
    statement: UpdateBase, params: dict[str, Any], dialect: Dialect
) -> tuple[str, dict[str, Any]]:
    """The driver's SQL text and parameters of a SQLAlchemy INSERT/UPDATE (compiled once)."""
    key = (id(statement), tuple(params))
    hit = _COMPILED.get(key)
    if hit is None or hit[0] is not statement:
        compiled = statement.compile(dialect=dialect, column_keys=list(params))
        if compiled.positional or compiled.insert_prefetch or compiled.update_prefetch:
            raise TypeError(f"{statement!s}: needs SQLAlchemy's own execution (column defaults "
                            "computed in Python), use conn.execute")
        processors: dict[str, Any] = {
            k: f for k, f in compiled._bind_processors.items() if f is not None}
        if len(_COMPILED) >= _CACHE_SIZE:  # statements built per call would grow it forever
            _COMPILED.clear()
        hit = _COMPILED[key] = (statement, compiled, processors)
    _, compiled, processors = hit
    values: dict[str, Any] = compiled.construct_params(params)  # type: ignore[assignment]
    for name, process in processors.items():  # SQLAlchemy's own type conversion (Boolean ...)
        if name in values:
            values[name] = process(values[name])
    return str(compiled.string), values


# psycopg converts a query's placeholders once and caches the result only for queries of at most
# 4096 characters and 50 parameters; a longer one is parsed again in Python on every execute
_CACHED_QUERY_CHARS = 4000
_CACHED_QUERY_PARAMS = 50


def _combined_statements(
    writes: list[tuple[UpdateBase, dict[str, Any]]], dialect: Dialect
) -> list[tuple[str, dict[str, Any]]]:
    """PostgreSQL: consecutive writes combined into as few statements as psycopg still caches
    (each write a data-modifying WITH query; see ``_combine``)."""
    compiled = [(w[0], tuple(w[1]), *_driver_statement(w[0], w[1], dialect)) for w in writes]
    chunks: list[list[tuple[UpdateBase, tuple[str, ...], str, dict[str, Any]]]] = []
    chars = params = 0
    for item in compiled:
        n_chars, n_params = len(item[2]) + 16 + 4 * len(item[3]), len(item[3])  # "wN AS (", "wN_"
        if chunks and chars + n_chars <= _CACHED_QUERY_CHARS and params + n_params <= _CACHED_QUERY_PARAMS:
            chunks[-1].append(item)
            chars, params = chars + n_chars, params + n_params
        else:
            chunks.append([item])
            chars, params = n_chars, n_params
    return [_combine(chunk) for chunk in chunks]


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _renamed(i: int) -> str:
    """Replacement for _PLACEHOLDER: ``%(name)s`` becomes ``%(w<i>_name)s``."""
    return f"%(w{i}_" + r"\1)s"
_COMBINED: dict[tuple[tuple[int, tuple[str, ...]], ...], tuple[list[UpdateBase], str]] = {}


def _combine(
    parts: list[tuple[UpdateBase, tuple[str, ...], str, dict[str, Any]]],
) -> tuple[str, dict[str, Any]]:
    """Several INSERT/UPDATEs as one statement, each a data-modifying WITH query.

    Every WITH query runs exactly once and to completion; foreign keys are checked at the end of
    the statement, so a row may refer to a row inserted by another part. One statement instead of
    many: one parse/bind/execute for the server and one call into the driver.
    """
    if len(parts) == 1:
        return parts[0][2], parts[0][3]
    values: dict[str, Any] = {}
    for i, part in enumerate(parts):
        values.update({f"w{i}_{k}": v for k, v in part[3].items()})
    key = tuple((id(p[0]), p[1]) for p in parts)
    hit = _COMBINED.get(key)
    if hit is None or any(a is not p[0] for a, p in zip(hit[0], parts, strict=True)):
        text = "WITH " + ", ".join(
            f"w{i} AS ({_PLACEHOLDER.sub(_renamed(i), p[2])})" for i, p in enumerate(parts)
        ) + " SELECT 1"
        if len(_COMBINED) >= _CACHE_SIZE:
            _COMBINED.clear()
        hit = _COMBINED[key] = ([p[0] for p in parts], text)
    return hit[1], values
