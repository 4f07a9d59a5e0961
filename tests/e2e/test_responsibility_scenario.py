"""The demo world has Dublin cases with requests between states, their deadlines applied."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import select

from pactum.scenario.world import build
from pactum.store.tables.responsibility import dublin_cases, dublin_request_events, dublin_requests

try:
    from .test_responsibility_support import make_world
except ImportError:  # tests/e2e is not a package
    from test_responsibility_support import make_world  # type: ignore[no-redef]


def test_demo_world_has_dublin_cases_and_requests_with_deadlines_applied(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    end = date(2026, 11, 28)
    build(world.services, scale="XS", seed=1, end=end, show_progress=False,
          only=["registry", "responsibility"])
    with world.services.engine.connect() as conn:
        cases = conn.execute(select(dublin_cases)).all()
        requests = conn.execute(select(dublin_requests)).all()
        first_events = {e.request_id: e.action for e in conn.execute(
            select(dublin_request_events).order_by(dublin_request_events.c.at))
            if e.action == "sent"}
    assert len(cases) > 5
    assert {c.regime for c in cases} == {"dublin_iii", "ammr"}
    for c in cases:  # each stored result is explained: the trace ends on its criterion
        assert c.trace[-1]["outcome"].startswith(f"applies: {c.responsible_member_state}")
    assert len(requests) > 3
    assert len(Counter(r.status for r in requests)) >= 3
    for r in requests:
        assert r.requesting_member_state != r.requested_member_state
        assert r.id in first_events
        # silence at the reply deadline has been applied up to the end of the world
        assert not (r.status == "pending" and r.reply_due < end)
