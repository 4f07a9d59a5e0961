"""The returns data migration ``returns_0012_removal_bar_from_case``: a return decision issued with
a negative asylum decision before its removal bar was stored (migrations returns_0007 and
returns_0010) gets the bar its case says, as the procedures area computes it at issue: the appeal
time limit where the appeal suspends by itself (APR Art 68(1), (2); Directive 2013/32/EU Art
46(5)), the five days to ask the court for leave to remain where it does not (APR Art
68(5)(a), (d)(i)); a decision whose case no longer holds the decision it was issued with is left
alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, update

from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.returns import return_decisions

try:
    from .test_decision_notice import REASONS, decided, interviewed, rejected_and_notified
    from .test_procedures_support import World, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_decision_notice import (  # type: ignore[no-redef]
        REASONS,
        decided,
        interviewed,
        rejected_and_notified,
    )
    from test_procedures_support import World, make_cli_world, ok  # type: ignore[no-redef]

BEFORE = "returns_0011_destination_appeal_outcome"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def notified(world: World, surname: str, nationality: str, before_the_pact: bool = False) -> dict[str, Any]:
    case = decided(world, interviewed(world, surname, nationality, before_the_pact), "rejected_unfounded", REASONS)
    return ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21", with_return_decision=True,
                        voluntary_departure_days=7))


def bars(world: World) -> dict[str, tuple[Any, Any]]:
    with world.services.engine.connect() as conn:
        return {r.id: (r.removal_barred_until, r.removal_barred_basis) for r in conn.execute(
            select(return_decisions.c.id, return_decisions.c.removal_barred_until,
                   return_decisions.c.removal_barred_basis))}


def test_decisions_stored_without_their_bar_get_the_one_their_case_says(world: World) -> None:
    regular = notified(world, "Hossain", "SYR")  # APR, regular procedure: the appeal suspends
    directive = notified(world, "Haddad", "SYR", before_the_pact=True)  # Art 46(5)
    border = rejected_and_notified(world)  # APR border rejection: no automatic effect (Art 68(3)(a)(ii))
    remitted = notified(world, "Karimi", "AFG")
    remitted = ok(world.act("it.caseworker", remitted, "lodge_appeal", lodged_on="2026-08-24"))
    ok(world.act("it.caseworker", remitted, "decide_appeal", outcome="remitted", decided_on="2026-09-01"))
    issued = bars(world)  # as the code stores them at issue
    assert issued[regular["return_decision_id"]][1] == "appeal_time"
    assert issued[directive["return_decision_id"]][1] == "appeal_time"
    assert issued[border["return_decision_id"]] == (issued[border["return_decision_id"]][0], "leave_to_remain_time")

    # the store as it was before the bars were stored: every decision without one
    engine = world.services.engine
    with engine.begin() as conn:
        conn.execute(update(return_decisions).values(removal_barred_until=None, removal_barred_basis=None))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, BEFORE)
    upgrade(engine)

    got = bars(world)
    for case in (regular, directive, border):
        assert got[case["return_decision_id"]] == issued[case["return_decision_id"]]
    deadline = ok(world.get("it.caseworker", f"/applications/{regular['id']}"))["appeal_deadline"]
    assert got[regular["return_decision_id"]][0].isoformat() == deadline
    assert got[border["return_decision_id"]][0].isoformat() == "2026-08-26"  # five days from Friday 21 August
    # the remitted case's decision is no longer the one the return decision was issued with
    assert got[remitted["return_decision_id"]] == (None, None)
