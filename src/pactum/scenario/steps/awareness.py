"""Demo world: situational awareness on the real Frontex series shipped with Pactum.

Imports the shipped Frontex, Eurostat and UNHCR releases, aggregates the demo world's encounters
by month, loads every route's backtest (horizon 3, origins monthly from 2016, shipped with the data) that
chose its model,
forecasts, and runs the early-warning rules, so that an analyst finds routes, forecasts with their
backtest evidence and alerts to acknowledge. Nothing is invented: the series are real; the
platform's own figures come from the synthetic encounters the registry step created.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pactum.common.routes import route_names
from pactum.scenario.world import ScenarioContext, Step
from pactum.services import awareness
from pactum.services.auth import SYSTEM

HORIZON = 3


def build(ctx: ScenarioContext) -> None:
    # The world's clock is the scenario's, not the wall clock: the world is built as of its end
    # day, whose scripted work runs through the day (returns at 06:00, solidarity to 10:00,
    # resettlement, awareness and follow-up at 12:00), the same whatever the hour of the build, so
    # that a seed gives the same world. A world built before noon of its end day therefore shows
    # these stamps later than the build; stamping them with the wall clock would make the world
    # depend on the hour it was built.
    ctx.at(datetime(ctx.end.year, ctx.end.month, ctx.end.day, 12, tzinfo=UTC))
    routes = route_names()
    with ctx.progress("Awareness: releases, backtests, forecasts, alerts", total=len(routes) + 3) as advance:
        awareness.import_shipped(ctx.services, SYSTEM)
        awareness.refresh(ctx.services, SYSTEM, full=True)
        advance(1)
        # the shipped backtests of every route (the same rolling-origin run an analyst starts with
        # `pactum awareness backtest --all`); re-running them would cost minutes of CPU
        awareness.load_shipped_backtests(ctx.services, SYSTEM)
        advance(len(routes))
        awareness.refresh_forecasts(ctx.services, SYSTEM)
        advance(1)
        awareness.evaluate_alerts(ctx.services, SYSTEM)
        advance(1)


STEP = Step(name="awareness", order=80, build=build,
            description="Frontex/Eurostat/UNHCR series, backtested forecasts per route, early-warning alerts")
