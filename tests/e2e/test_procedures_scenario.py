"""The demo world carries applications through the whole workflow at the real recognition rates."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from pactum.scenario.world import build
from pactum.store.tables.procedures import asylum_applications as A
from pactum.store.tables.procedures import asylum_case_events

try:
    from .test_procedures_support import make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import make_world  # type: ignore[no-redef]


def test_demo_world_has_cases_in_every_stage_and_real_recognition_spread(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    build(world.services, scale="XS", seed=7, end=date(2026, 11, 1), show_progress=False,
          only=["registry", "procedures"])
    with world.services.engine.connect() as conn:
        rows = conn.execute(select(A.c.procedure, A.c.state, A.c.outcome, A.c.nationality,
                                   A.c.made_on)).all()
        events = Counter(e for (e,) in conn.execute(select(asylum_case_events.c.event)))
        returns_ = conn.execute(select(func.count()).where(A.c.return_decision_id.is_not(None))).scalar()
    assert len(rows) > 50
    states = Counter(r.state for r in rows)
    assert states["appeal_decided"] + states["final"] > 0 and states["lodged"] + states[
        "interview_scheduled"] + states["registered"] > 0
    procedures = Counter(r.procedure for r in rows)
    assert procedures["border"] > 0 and procedures["regular"] > 0
    for e in ("made", "registered", "lodged", "interview_held", "decided", "notified"):
        assert events[e] > 0, e
    assert returns_ and returns_ > 0
    decided = [r for r in rows if r.outcome]
    pos = [r for r in decided if r.outcome in ("refugee_status", "subsidiary_protection")]
    assert 0.1 < len(pos) / len(decided) < 0.9
