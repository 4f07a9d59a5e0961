"""Scenario framework: the context every step receives, step discovery, and the build loop."""

from __future__ import annotations

import importlib
import pkgutil
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[Callable[[int], None]]:
        if self.progress_bar is None:
            yield lambda n=1: None
            return
        task = self.progress_bar.add_task(description, total=total)
        try:
            yield lambda n=1: self.progress_bar.advance(task, n)  # type: ignore[union-attr]
        finally:
            self.progress_bar.update(task, completed=total)

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


def scale_factor(scale: str) -> float:
    if scale.upper() in SCALES:
        return SCALES[scale.upper()]
    try:
        value = float(scale)
    except ValueError:
        raise ValueError(f"scale '{scale}' is not one of {', '.join(SCALES)} or a number") from None
    if value <= 0:
        raise ValueError("scale must be positive")
    return value


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
    with progress:
        for step in steps():
            if only and step.name not in only:
                continue
            step.build(ctx)
    return ctx
