"""The unit of work: one transaction per command, with its audit entries inside it.

Leaving the ``with`` block without ``commit()`` (or through an exception) rolls everything back,
audit entries included, so nothing is ever half-written. ``audit()`` records an entry at once
(its content is fixed when the handler calls it); ``commit()`` appends the entries to the hash
chain as the transaction's last statement and commits, so concurrent writers wait for the chain's
lock only for that short tail (ADR 0005).
"""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine

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
        self.now: datetime = clock.now()

    def __enter__(self) -> UnitOfWork:
        self._conn = self._engine.connect()
        self._conn.begin()
        self._audit = []
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

    def flush_audit(self) -> None:
        """Append the entries recorded so far to the chain now (for a handler that reads the
        audit log back inside its own transaction); ``commit()`` does it otherwise."""
        entries, self._audit = self._audit, []
        audit.append_entries(self.conn, entries)

    def commit(self) -> None:
        self.flush_audit()
        self.conn.commit()
        self._committed = True
