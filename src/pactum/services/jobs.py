"""Scheduled jobs (deadline sweeps, silence-as-acceptance, expiry notices) run by ``pactum jobs run``.

Areas register their jobs with ``@job("name")``; a job takes the services and the moment it runs
for, does its work in its own units of work, and returns a one-line summary.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

JobFn = Callable[[Any, datetime], str]


@dataclass(frozen=True)
class Job:
    name: str
    fn: JobFn
    description: str


_JOBS: dict[str, Job] = {}


def job(name: str) -> Callable[[JobFn], JobFn]:
    def register(fn: JobFn) -> JobFn:
        _JOBS[name] = Job(name, fn, (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else "")
        return fn

    return register


def load_all() -> dict[str, Job]:
    """Import every services module so their jobs are registered, then return the registry."""
    import pactum.services as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"pactum.services.{mod.name}")
    return dict(sorted(_JOBS.items()))
