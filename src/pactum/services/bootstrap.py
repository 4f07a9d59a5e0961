"""The composition root: settings, engine, clock, password hasher, unit-of-work factory."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine

from pactum.common.clock import Clock, SystemClock
from pactum.services.auth import Passwords
from pactum.services.uow import UnitOfWork
from pactum.settings import Settings
from pactum.store.engine import make_engine


@dataclass
class Services:
    settings: Settings = field(default_factory=Settings)
    clock: Clock = field(default_factory=SystemClock)
    engine_override: Engine | None = None

    @cached_property
    def engine(self) -> Engine:
        if self.engine_override is not None:
            return self.engine_override
        return make_engine(self.settings.resolved_database_url())

    @cached_property
    def passwords(self) -> Passwords:
        return Passwords(self.settings.argon2_time_cost, self.settings.argon2_memory_kib)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, self.clock)


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Services:
    return Services(settings=settings or Settings(), clock=clock or SystemClock())
