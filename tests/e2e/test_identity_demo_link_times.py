"""No multiple-identity link of the demo world predates either of its records (a link is made when
the later record is registered and finds the earlier ones). The responsibility step's Eurodac hit
searches the first state's record at a past moment, when the applicant copies the procedures step
wrote later are already indexed: without a guard the search links them before they exist."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from pactum.scenario.world import build
from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import identity_records

try:
    from .test_procedures_support import make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import make_world  # type: ignore[no-redef]


def test_no_link_predates_either_of_its_records(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    # the S world of seed 1 held three such links (XS worlds of seeds 1-15 hold none)
    build(world.services, scale="S", seed=1, end=date(2026, 11, 28), show_progress=False,
          only=["registry", "identity", "procedures", "responsibility"])
    with world.services.engine.connect() as conn:
        made = {r.id: r.created_at for r in conn.execute(select(identity_records.c.id, identity_records.c.created_at))}
        links = conn.execute(select(identity_links)).all()
    assert links
    early = [(link.id, link.created_at, made[link.record_id], made[link.linked_record_id]) for link in links
             if link.created_at < max(made[link.record_id], made[link.linked_record_id])]
    assert early == []
