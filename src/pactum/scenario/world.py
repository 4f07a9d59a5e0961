"""Scenario framework: the context every step receives, step discovery, and the build loop."""

from __future__ import annotations

import gc
import importlib
import math
import pkgutil
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine, event

from pactum.common.clock import FixedClock
from pactum.services.bootstrap import Services

WORLD_START = date(2025, 1, 1)
SCALES = {"XS": 0.1, "S": 1.0, "M": 10.0, "L": 100.0}


@dataclass
class ScenarioContext:
    services: Services
    """Services whose clock is a FixedClock the steps move forward as the world's time passes."""
    clock: FixedClock
    rng: random.Random
    scale: float
    seed: int
    start: date
    end: date
    progress_bar: Progress | None = None
    shared: dict[str, Any] = field(default_factory=dict)
    """Facts one step leaves for later ones (e.g. the registry step's persons)."""
    timings: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Step name -> (wall seconds, CPU seconds of this process) of the steps that ran."""

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[Callable[[int], None]]:
        bar = self.progress_bar
        if bar is None:
            def nothing(n: int = 1) -> None:
                return None

            yield nothing
            return
        task = bar.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        try:
            yield advance
        finally:
            bar.update(task, completed=total)

    @property
    def end_moment(self) -> datetime:
        """The start of the world's end date: arrivals are registered, and identity links made and
        verified, before it (the steps' daily runs of the end date come after it)."""
        return datetime(self.end.year, self.end.month, self.end.day, tzinfo=UTC)

    def at(self, moment: datetime) -> None:
        """Move the world's clock (services stamp writes with it)."""
        self.clock.set(moment)

    def step_rng(self, name: str) -> random.Random:
        """An independent, seeded random stream per step, so adding a step changes no other."""
        return random.Random(f"{self.seed}:{name}")


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    build: Callable[[ScenarioContext], None]
    description: str = ""


def steps() -> list[Step]:
    import pactum.scenario.steps as pkg

    found = []
    for mod in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"pactum.scenario.steps.{mod.name}")
        step = getattr(module, "STEP", None)
        if isinstance(step, Step):
            found.append(step)
    return sorted(found, key=lambda s: (s.order, s.name))


#: The largest scale a world is built at: ten times ``L``. A larger one would run for days and fill
#: the disk rather than fail, so it is refused before anything is written.
MAX_SCALE = 1000.0


def scale_factor(scale: str) -> float:
    """The factor of a scale name (:data:`SCALES`) or number; ``ValueError`` for a name that is
    neither, a number that is not above 0, not finite (``nan``, ``inf``) or above
    :data:`MAX_SCALE`."""
    if scale.upper() in SCALES:
        return SCALES[scale.upper()]
    try:
        value = float(scale)
    except ValueError:
        raise ValueError(f"scale '{scale}' is not one of {', '.join(SCALES)} or a number") from None
    if not math.isfinite(value):
        raise ValueError(f"scale '{scale}' is not a finite number: give one of {', '.join(SCALES)} "
                         f"or a number above 0 and at most {MAX_SCALE:g}")
    if value <= 0:
        raise ValueError("scale must be positive")
    if value > MAX_SCALE:
        raise ValueError(f"scale {scale} is too large: at most {MAX_SCALE:g} (L is {SCALES['L']:g})")
    return value


BUILD_PRAGMAS = ("PRAGMA synchronous=OFF", "PRAGMA cache_size=-131072", "PRAGMA temp_store=MEMORY")
"""SQLite settings while the world is written: no fsync per commit (the demo build writes a new
file, ``var/building.db``, renamed only once the build succeeded, so a crash loses nothing that
a rebuild would not recreate), a 128 MiB page cache, temporary tables in memory."""


@contextmanager
def _build_pragmas(engine: Engine) -> Iterator[None]:
    """Apply ``BUILD_PRAGMAS`` to every SQLite connection of the build; restore the store's own
    settings afterwards (the pool is emptied so that later connections are made afresh)."""
    if engine.dialect.name != "sqlite":
        yield
        return

    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        for pragma in BUILD_PRAGMAS:
            cur.execute(pragma)
        cur.close()

    engine.dispose()
    event.listen(engine, "connect", _pragmas)
    try:
        yield
    finally:
        event.remove(engine, "connect", _pragmas)
        engine.dispose()


#: The cyclic garbage collector's thresholds while the world is built (``gc.set_threshold``): the
#: build makes millions of short-lived objects (rows, statements, audit entries) and keeps many
#: (its plans, the services' caches), and with the defaults (700, 10, 10) the collector walked
#: every live object 13 times in a build of scale S, 2.6 of its 75 CPU-seconds (4 times and 0.9 s
#: with these; 30 November, 18:40 UTC, a loaded machine). Collected less often, the same garbage
#: is found; nothing the build writes depends on when.
BUILD_GC_THRESHOLDS = (10_000, 20, 20)


@contextmanager
def _build_gc() -> Iterator[None]:
    """Collect garbage less often while the world is built; the process's thresholds come back
    afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def build(
    services: Services, *, scale: str = "S", seed: int = 1, end: date | None = None,
    show_progress: bool = True, only: list[str] | None = None,
) -> ScenarioContext:
    factor = scale_factor(scale)
    end = end or services.clock.today()
    clock = FixedClock(datetime(WORLD_START.year, 1, 1, tzinfo=UTC))
    world_services = Services(settings=services.settings, clock=clock,
                              engine_override=services.engine)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), disable=not show_progress)
    ctx = ScenarioContext(services=world_services, clock=clock, rng=random.Random(seed),
                          scale=factor, seed=seed, start=WORLD_START, end=end,
                          progress_bar=progress)
    with progress, _build_pragmas(services.engine), _build_gc():
        for step in steps():
            if only and step.name not in only:
                continue
            wall, cpu = time.perf_counter(), time.process_time()
            step.build(ctx)
            ctx.timings[step.name] = (time.perf_counter() - wall, time.process_time() - cpu)
            if show_progress:
                w, c = ctx.timings[step.name]
                progress.console.print(f"step {step.name}: {w:.1f} s (CPU {c:.1f} s)")
    return ctx
