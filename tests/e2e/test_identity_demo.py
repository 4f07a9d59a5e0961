"""The demo world's identity step: every record searchable, templates enrolled, links created for
re-registrations of one person, and queues an officer can work through."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, text

from pactum.identity import components
from pactum.law import regime_for
from pactum.store.tables.identity import biometric_templates, identity_links, identity_search_keys
from pactum.store.tables.registry import identity_records


def test_demo_world_has_searchable_records_templates_and_links(demo_world):
    # the XS world of seed 31 holds links verified and links pending (a test of the queues needs both;
    # most XS worlds hold only automatic links and one or the other: seed 22, used before the demo's
    # unaccompanied minors were given Eurostat's ages, now holds no pending link)
    services = demo_world(scale="XS", seed=31, end=date(2026, 11, 28), only=["registry", "identity"])
    with services.engine.connect() as conn:
        n_records = conn.execute(select(func.count()).select_from(identity_records)).scalar()
        n_keys = conn.execute(select(func.count()).select_from(identity_search_keys)).scalar()
        n_templates = conn.execute(select(func.count()).select_from(biometric_templates)).scalar()
        colours = dict(conn.execute(select(identity_links.c.colour, func.count()).group_by(identity_links.c.colour)).all())
        statuses = dict(conn.execute(select(identity_links.c.status, func.count()).group_by(identity_links.c.status)).all())
        decisions = conn.execute(select(identity_links.c.colour, identity_links.c.decided_by)
                                 .where(identity_links.c.status == "verified")).all()
    assert n_records > 0 and n_keys == n_records
    assert 0 < n_templates <= n_records
    assert sum(colours.values()) > 0 and set(colours) <= {"white", "yellow", "green"}
    # the officers have worked through part of their queues: some links verified, some waiting
    assert statuses.get("verified", 0) > 0 and statuses.get("pending", 0) > 0
    assert all(colour in ("white", "green") and by.startswith("scenario-") for colour, by in decisions)
    # each link was made when the later of its two records was registered, by that record's
    # authority, which verifies it (Art 29); decided after it was made; nothing after the world's end
    end = datetime(2026, 11, 28)
    with services.engine.connect() as conn:
        made = {r.id: r for r in conn.execute(select(identity_records))}
        assert max(r.created_at.replace(tzinfo=None) for r in made.values()) <= end
        for link in conn.execute(select(identity_links)):
            mine, other = made[link.record_id], made[link.linked_record_id]
            assert link.created_at == mine.created_at >= other.created_at, link.id
            assert link.verifying_authority == mine.member_state
            if link.decided_at is not None:
                assert link.created_at < link.decided_at <= end
    # every link points at a record the verifying authority may see: its own, another state's whose
    # Eurodac data the search for the linking record reaches (an applicant's, or what Eurodac
    # compares the linking record's data with: Reg. 2024/1358 Art 27(1)), or one under an active
    # return alert
    with services.engine.connect() as conn:
        def eurodac_category(record_id: str) -> str | None:
            return conn.execute(text("SELECT category FROM eurodac_records WHERE identity_record_id = :r "
                                     "AND erased_at IS NULL"), {"r": record_id}).scalar()

        for link in conn.execute(select(identity_links)):
            mine = conn.execute(select(identity_records).where(identity_records.c.id == link.record_id)).one()
            other = conn.execute(select(identity_records).where(identity_records.c.id == link.linked_record_id)).one()
            if other.member_state != link.verifying_authority:
                alert = conn.execute(text("SELECT count(*) FROM return_alerts WHERE identity_record_id = :r "
                                          "AND status = 'active'"), {"r": other.id}).scalar()
                reach = components.record_reach(eurodac_category(mine.id), regime_for("eurodac", mine.recorded_on))
                assert eurodac_category(other.id) in reach or alert, (link.id, other.category)


def test_the_demo_world_compares_each_registration_once_at_its_moment_and_leaves_none_pending(demo_world):
    from pactum.services.identity.comparison import identity_comparison_job
    from pactum.store.tables.identity import identity_comparisons

    services = demo_world(scale="XS", seed=31, end=date(2026, 11, 28), only=["registry", "identity"])
    with services.engine.connect() as conn:
        n_records = conn.execute(select(func.count()).select_from(identity_records)).scalar()
        rows = conn.execute(select(identity_comparisons, identity_records.c.created_at).join(
            identity_records, identity_records.c.id == identity_comparisons.c.identity_record_id)).fetchall()
    # every registration requested its comparison, which ran when the record was registered
    assert len(rows) == n_records > 0
    assert all(r.compared_via == "registration" and r.compared_at == r.created_at for r in rows)
    assert identity_comparison_job(services, services.clock.now()) == "0 identity records compared, 0 still pending"
