"""No multiple-identity link of the demo world predates either of its records (a link is made when
the later record is registered and finds the earlier ones). The responsibility step's Eurodac hit
searches the first state's record at a past moment, when the applicant copies the procedures step
wrote later are already indexed: without a guard the search links them before they exist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from pactum.services.bootstrap import Services
from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import identity_records


def test_no_link_predates_either_of_its_records(demo_world: Callable[..., Services]) -> None:
    # the S world of seed 1 held three such links (XS worlds of seeds 1-15 hold none); built with
    # the reception step too, as tests/e2e/test_responsibility_demo_cessation.py reads it (one build)
    services = demo_world(scale="S", seed=1, end=date(2026, 11, 28),
                          only=["registry", "identity", "procedures", "responsibility", "reception"])
    with services.engine.connect() as conn:
        made = {r.id: r.created_at for r in conn.execute(select(identity_records.c.id, identity_records.c.created_at))}
        links = conn.execute(select(identity_links)).all()
    assert links
    early = [(link.id, link.created_at, made[link.record_id], made[link.linked_record_id]) for link in links
             if link.created_at < max(made[link.record_id], made[link.linked_record_id])]
    assert early == []
