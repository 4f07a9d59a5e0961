"""The unit of work: one transaction per command, with its audit entries inside it.

Leaving the ``with`` block without ``commit()`` (or through an exception) rolls everything back,
audit entries included, so nothing is ever half-written.
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
        self.now: datetime = clock.now()

    def __enter__(self) -> UnitOfWork:
        self._conn = self._engine.connect()
        self._conn.begin()
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
        audit.append(
            self.conn,
            at=self.now,
            actor=principal.username,
            authority=principal.authority,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            before=before,
            after=after,
        )

    def commit(self) -> None:
        self.conn.commit()
        self._committed = True
