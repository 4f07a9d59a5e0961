"""The unit of work: one transaction per command, with its audit entries inside it.

Leaving the ``with`` block without ``commit()`` (or through an exception) rolls everything back,
audit entries included, so nothing is ever half-written. ``audit()`` records an entry at once
(its content is fixed when the handler calls it); ``commit()`` appends the entries to the hash
chain as the transaction's last statement and commits, so concurrent writers wait for the chain's
lock only for that short tail (ADR 0005).

``after_commit()`` takes work that may only follow a successful commit (an in-memory index that
must hold only committed rows): run, in order, once the transaction is committed; never after a
rollback.

A handler may also hand writes whose result it does not need to ``at_commit()``: on PostgreSQL
they go to the server with the audit entries and the COMMIT in one pipeline (one round trip
instead of one per statement); elsewhere they are executed, in order, just before the audit
entries. Either way they are in the transaction, and a failure of any rolls back all.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from types import TracebackType
from typing import Any, cast

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase

from pactum.common.clock import Clock
from pactum.services import audit
from pactum.services.auth import Principal


class _Collects:
    """``audit()`` and ``at_commit()`` of a command's work, for ``UnitOfWork`` and ``Pending``:
    both collect writes and audit entries that are sent with the COMMIT."""

    now: datetime

    def _collected(self) -> tuple[list[tuple[UpdateBase, dict[str, Any]]], list[dict[str, Any]]]:
        """The lists the writes and the audit entries go to."""
        raise NotImplementedError

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
        """Record an audit entry; it is appended to the chain as the commit's last statement."""
        self._collected()[1].append(audit.entry_content(
            at=self.now, actor=principal.username, authority=principal.authority, action=action,
            entity_type=entity_type, entity_id=entity_id, before=before, after=after))

    def at_commit(self, statement: UpdateBase, params: dict[str, Any]) -> None:
        """Send this INSERT/UPDATE with the commit (the handler reads nothing back from it)."""
        self._collected()[0].append((statement, params))


class UnitOfWork(_Collects):
    def __init__(self, engine: Engine, clock: Clock):
        self._engine = engine
        self._clock = clock
        self._conn: Connection | None = None
        self._committed = False
        self._audit: list[dict[str, Any]] = []
        self._writes: list[tuple[UpdateBase, dict[str, Any]]] = []
        self._after_commit: list[Callable[[], None]] = []
        self.now: datetime = clock.now()

    def __enter__(self) -> UnitOfWork:
        self._conn = self._engine.connect()
        self._conn.begin()
        self._audit = []
        self._writes = []
        self._after_commit = []
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
            self._after_commit = []
            self._conn.close()
            self._conn = None

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._conn

    def _collected(self) -> tuple[list[tuple[UpdateBase, dict[str, Any]]], list[dict[str, Any]]]:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._writes, self._audit

    def flush_audit(self) -> None:
        """Execute the queued writes and append the entries recorded so far to the chain now (for
        a handler that reads them back inside its own transaction); ``commit()`` does it otherwise."""
        writes, self._writes = self._writes, []
        for statement, params in writes:
            self.conn.execute(statement, params)
        entries, self._audit = self._audit, []
        audit.append_entries(self.conn, entries)

    def after_commit(self, work: Callable[[], None]) -> None:
        """Run ``work`` once this unit of work is committed (not if it is rolled back): for what
        must see only committed rows, such as the 1:N biometric index, whose keys a rolled-back
        insert would hand to the next one."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        self._after_commit.append(work)

    def commit(self) -> None:
        if self.conn.dialect.name == "postgresql" and (self._writes or self._audit):
            self._commit_pipelined()
        else:
            self.flush_audit()
        self.conn.commit()
        self._committed = True
        works, self._after_commit = self._after_commit, []
        for work in works:
            work()

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
                for sql, values in _commit_statements(writes, entries, self.conn.dialect):
                    cur.execute(sql, values)
                raw.commit()
        except dbapi.Error as exc:  # the same exceptions as conn.execute raises (IntegrityError ...)
            raise DBAPIError.instance("COMMIT (pipelined writes)", None, exc, dbapi.Error) from exc
        # SQLAlchemy's conn.commit() that follows ends its own transaction; the driver, already
        # committed, has nothing left to send.


def _commit_statements(
    writes: list[tuple[UpdateBase, dict[str, Any]]], entries: list[dict[str, Any]], dialect: Dialect
) -> list[tuple[str, dict[str, Any]]]:
    """PostgreSQL: the driver statements of a commit: the writes (combined), then the audit
    entries appended to the chain (the head row created first if the store has none yet)."""
    statements = _combined_statements(writes, dialect)
    if entries:
        statements.append((audit.PG_GENESIS_SQL, {"hash": audit.GENESIS}))
        statements += [(audit.PG_APPEND_SQL, audit.pg_params(entry)) for entry in entries]
    return statements


# compiled once per statement object and set of parameters (module-level statements are the norm)
_CACHE_SIZE = 2048
_COMPILED: dict[tuple[int, tuple[str, ...]], tuple[ClauseElement, Any, dict[str, Any]]] = {}


def _driver_statement(
    statement: ClauseElement, params: dict[str, Any], dialect: Dialect
) -> tuple[str, dict[str, Any]]:
    """The driver's SQL text and parameters of a SQLAlchemy statement (compiled once)."""
    key = (id(statement), tuple(params))
    hit = _COMPILED.get(key)
    if hit is None or hit[0] is not statement:
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect, column_keys=list(params)))
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


# ---------------------------------------------------------------- on the event loop (PostgreSQL)


class Pending(_Collects):
    """The writes and audit entries of a command, collected without a connection.

    A handler that runs on the server's event loop fills it the way it fills a ``UnitOfWork``
    (``now``, ``at_commit()``, ``audit()``) and hands it to ``AsyncStore.commit``, which sends
    everything with the COMMIT in one round trip, exactly as ``UnitOfWork.commit`` does."""

    def __init__(self, now: datetime, key: object = None):
        self.now = now
        self.key = key  # a unique value the work writes (an idempotency key): see AsyncStore
        self.writes: list[tuple[UpdateBase, dict[str, Any]]] = []
        self.entries: list[dict[str, Any]] = []

    def _collected(self) -> tuple[list[tuple[UpdateBase, dict[str, Any]]], list[dict[str, Any]]]:
        return self.writes, self.entries


class AsyncStore:
    """PostgreSQL connections used on a server process's event loop, without a worker thread.

    A request awaiting the store leaves the loop free for the others: no hand-off of each request
    to a thread pool and back, no thread waiting for the interpreter lock. Statements are the same
    SQLAlchemy statements as the synchronous unit of work's, compiled once to the driver's text.

    ``commit`` is a group commit: the works that reach it while the previous group is being
    committed are sent together as ONE transaction (their writes, their audit entries appended to
    the chain one after the other, COMMIT) in one pipeline. Every write takes the audit chain's
    lock until its commit is on disk (ADR 0005), so writers commit one after another; a group pays
    for that lock and the flush of the write-ahead log once instead of once per command. A group
    that fails is not half-written (one transaction): each of its works is then committed on its
    own, so a failing command (a used idempotency key, a violated constraint) fails alone.
    """

    def __init__(self, engine: Engine, size: int, max_group: int = 32):
        if engine.dialect.name != "postgresql":
            raise ValueError("AsyncStore needs a PostgreSQL store")
        self._conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._dialect = engine.dialect
        self._size = size
        self._max_group = max_group
        self._idle: list[Any] = []
        self._slots: asyncio.Semaphore | None = None
        self._queue: list[tuple[Pending, asyncio.Future[None]]] = []
        self._committer: asyncio.Task[None] | None = None
        self._closed = False
        self.groups = self.grouped = 0  # groups committed and the works they held (for benchmarks)

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Any]:
        """An autocommit connection (a transaction is opened explicitly by ``_send``)."""
        import psycopg

        if self._closed:
            raise RuntimeError("the store is closed")
        if self._slots is None:  # created on the loop that uses it
            self._slots = asyncio.Semaphore(self._size)
        async with self._slots:
            conn = self._idle.pop() if self._idle else None
            if conn is None or conn.closed:
                try:
                    conn = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
                except psycopg.Error as exc:
                    raise DBAPIError.instance("connect", None, exc, psycopg.Error) from exc
            try:
                yield conn
            finally:
                await self._release(conn)

    async def _release(self, conn: Any) -> None:
        import psycopg

        if not conn.closed and conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            try:
                # the driver's rollback, not a ROLLBACK statement: it also forgets the statements
                # it meant to prepare in the failed pipeline (the server never prepared them)
                await conn.rollback()
            except psycopg.Error:
                await conn.close()
        if not conn.closed and not self._closed:
            self._idle.append(conn)
        elif not conn.closed:
            await conn.close()

    async def first(self, statement: ClauseElement, params: dict[str, Any]) -> Any:
        """The first row of a read (its own statement, one round trip), or ``None``."""
        import psycopg

        sql, values = _driver_statement(statement, params, self._dialect)
        async with self._connection() as conn:
            try:
                cur = await conn.execute(sql, values)
                return await cur.fetchone()
            except psycopg.Error as exc:
                raise DBAPIError.instance(sql, values, exc, psycopg.Error) from exc

    async def commit(self, work: Pending) -> None:
        """Commit the work's writes and audit entries (with those of the commands committing at
        the same moment); raises the failure of this work's own statements (SQLAlchemy's
        exceptions, e.g. ``IntegrityError``, as ``UnitOfWork.commit`` raises them)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((work, done))
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_groups())
        await done

    async def _commit_groups(self) -> None:
        while self._queue:
            group: list[tuple[Pending, asyncio.Future[None]]] = []
            later: list[tuple[Pending, asyncio.Future[None]]] = []
            keys: set[object] = set()
            for item in self._queue:
                # two works that would write the same unique key (a retried request still in
                # flight) go to different groups: the second then fails alone, on the key
                if len(group) >= self._max_group or (item[0].key is not None and item[0].key in keys):
                    later.append(item)
                else:
                    group.append(item)
                    keys.add(item[0].key)
            self._queue = later
            await self._commit_group(group)

    async def _commit_group(self, group: list[tuple[Pending, asyncio.Future[None]]]) -> None:
        try:
            await self._send([work for work, _ in group])
        except _RolledBack as failed:
            if len(group) == 1:
                _settle(group[0][1], failed.error)
                return
            # the server refused a statement of the group and rolled it all back: its halves are
            # committed apart, so that only the failing work fails (found in a few steps)
            half = len(group) // 2
            await self._commit_group(group[:half])
            await self._commit_group(group[half:])
            return
        except Exception as exc:
            # e.g. the connection was lost: whether the COMMIT took effect is unknown, so nothing
            # is sent again (as a synchronous commit that fails this way)
            for _, done in group:
                _settle(done, exc)
            return
        self.groups += 1
        self.grouped += len(group)
        for _, done in group:
            _settle(done, None)

    async def _send(self, works: list[Pending]) -> None:
        """One transaction: BEGIN, the works' writes and audit entries, COMMIT, in one pipeline."""
        import psycopg

        statements: list[tuple[str, dict[str, Any] | None]] = [("BEGIN", None)]
        for work in works:
            statements += _commit_statements(work.writes, [], self._dialect)
        entries = [entry for work in works for entry in work.entries]
        statements += _commit_statements([], entries, self._dialect)  # the chain's lock: last
        async with self._connection() as conn:
            try:
                async with conn.pipeline(), conn.cursor() as cur:
                    for sql, values in statements:
                        await cur.execute(sql, values)
                    await cur.execute("COMMIT")
            except psycopg.Error as exc:
                error = DBAPIError.instance("COMMIT (pipelined writes)", None, exc, psycopg.Error)
                if not conn.closed and conn.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
                    raise _RolledBack(error) from exc  # a statement failed inside the transaction
                raise error from exc

    async def close(self) -> None:
        self._closed = True
        if self._committer is not None:
            await asyncio.gather(self._committer, return_exceptions=True)
        idle, self._idle = self._idle, []
        for conn in idle:
            await conn.close()


class _RolledBack(Exception):
    """A group's transaction failed on one of its statements, before its COMMIT: nothing of it was
    written, and its works can be sent again."""

    def __init__(self, error: BaseException):
        super().__init__(str(error))
        self.error = error


def _settle(done: asyncio.Future[None], exc: BaseException | None) -> None:
    if done.done():  # the waiting request was cancelled (client gone)
        return
    if exc is None:
        done.set_result(None)
    else:
        done.set_exception(exc)
