"""Demo world: the follow-up annex loaded as data (situation as of 23 June 2023).

Nothing is invented here: the demo's later state of play is the annex as written plus the live
figures the other areas' synthetic records give, and the milestones that have fallen due since.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pactum.scenario.world import ScenarioContext, Step
from pactum.services import followup
from pactum.services.auth import SYSTEM


def build(ctx: ScenarioContext) -> None:
    with ctx.progress("Follow-up: loading the annex", total=1) as advance:
        ctx.at(datetime(ctx.end.year, ctx.end.month, ctx.end.day, 12, tzinfo=UTC))
        result = followup.load(ctx.services, SYSTEM)
        ctx.shared["followup_items"] = result.created + result.unchanged
        advance(1)


STEP = Step(name="followup", order=90, build=build,
            description="the annex of commitments, actions, partners and funding as data")
