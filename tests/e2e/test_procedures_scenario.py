"""The demo world carries applications through the whole workflow at the real recognition rates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from pactum.scenario.world import build
from pactum.services.bootstrap import Services
from pactum.store.tables.platform import audit_log
from pactum.store.tables.procedures import asylum_applications as A
from pactum.store.tables.procedures import asylum_case_events
from pactum.store.tables.registry import encounters

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
        events_of = Counter(c for (c,) in conn.execute(select(asylum_case_events.c.case_id)))
        audited_of = Counter(c for (c,) in conn.execute(select(audit_log.c.entity_id).where(
            audit_log.c.entity_type == "asylum_application")))
    # every act of the world is a service act with its audit entry (the acts of a day share one
    # unit of work, not their entries)
    assert events_of == audited_of
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
    # no case is left hanging by the world: a decision nobody appealed in time (a late appeal is
    # refused) became final, and every decision was notified
    with world.services.engine.connect() as conn:
        hanging = conn.execute(select(A.c.id, A.c.state).where(
            ((A.c.state == "notified") & (A.c.appeal_deadline < date(2026, 10, 31)))
            | ((A.c.state == "decided") & (A.c.decided_on < date(2026, 10, 20))))).all()
    assert not hanging, hanging
    # an appeal that does not suspend by itself (APR Art 68(3)) brings the applicant's request to
    # remain and the court's decision on it (Art 68(4)), after the appeal and in that order
    with world.services.engine.connect() as conn:
        asked = conn.execute(select(A.c.appeal_lodged_on, A.c.remain_requested_on, A.c.remain_decided_on)
                             .where(A.c.remain_requested_on.is_not(None))).all()
    assert events["remain_requested"] == len(asked) > 0 and events["remain_decided"] > 0
    assert all(r.appeal_lodged_on <= r.remain_requested_on <= (r.remain_decided_on or date.max) for r in asked)
    # under the APR a rejection comes with its return decision (Art 37): the demo's caseworkers
    # issue it on every one they notify (before the Pact, with some decisions only)
    from pactum.law.regimes import procedures_regime

    with world.services.engine.connect() as conn:
        notified = conn.execute(select(A.c.made_on, A.c.lodged_on, A.c.registered_on, A.c.outcome,
                                       A.c.return_decision_id).where(A.c.notified_on.is_not(None))).all()
    apr_rejected = [r for r in notified if r.outcome not in ("refugee_status", "subsidiary_protection")
                    and procedures_regime(r.made_on, r.lodged_on, r.registered_on).regime == "pact"]
    assert apr_rejected and all(r.return_decision_id for r in apr_rejected), apr_rejected
    # a border case is lodged within five days of its registration (APR Art 51(1))
    with world.services.engine.connect() as conn:
        late = conn.execute(select(A.c.id, A.c.registered_on, A.c.lodged_on).where(
            A.c.procedure == "border", A.c.lodged_on.is_not(None))).all()
    assert late and all((r.lodged_on - r.registered_on).days <= 5 for r in late), late
    # the world's last morning is as the daily job leaves it: no notified or appealed border case
    # still has the border procedure's end, passed, as its next deadline (APR Art 51(2))
    with world.services.engine.connect() as conn:
        stale = conn.execute(select(A.c.id, A.c.state, A.c.next_deadline).where(
            A.c.next_deadline_kind == "border_procedure_end", A.c.next_deadline < date(2026, 11, 1),
            A.c.state.in_(("notified", "appeal_lodged")))).all()
        moved = conn.execute(select(func.count()).where(audit_log.c.action == "procedures.border_end_passed")).scalar()
    assert not stale, stale
    assert moved > 0
    _demo_notices_name_the_court(world)


def _demo_notices_name_the_court(world: object) -> None:
    """The demo states that decide cases have set the court or tribunal their decisions are appealed
    to (``DEMO_APPEAL_BODIES``), so their notices name it, with its address and the national
    provision where one is given; before, no state had set one and every demo notice had the
    general wording ("before a court or tribunal")."""
    from pactum.scenario.steps.procedures import DEMO_APPEAL_BODIES
    from pactum.services.auth import Principal, Role
    from pactum.services.decision_notice import decision_notice

    services = world.services  # type: ignore[attr-defined]
    with services.engine.connect() as conn:
        decided = conn.execute(select(A.c.id, A.c.member_state).where(
            A.c.decided_on.is_not(None), A.c.member_state.in_(list(DEMO_APPEAL_BODIES)))
            .order_by(A.c.member_state, A.c.id)).all()
    shown: Counter[str] = Counter()
    for case_id, ms in decided:
        if shown[ms] >= 3:
            continue
        officer = Principal(f"t-{ms}", f"t-{ms.lower()}", ms, frozenset({Role.caseworker}))
        notice = decision_notice(services, officer, case_id)
        court = notice["challenge"].get("court_or_tribunal")
        if not notice["challenge"].get("applies", True):
            continue  # a grant of refugee status: nothing to challenge
        assert court is not None and court["name"] == DEMO_APPEAL_BODIES[ms]["name"], (ms, notice["challenge"])
        assert court["name"] in notice["challenge"]["text"]
        assert court["national_law"] == DEMO_APPEAL_BODIES[ms]["national_law"]
        shown[ms] += 1
    assert shown["IT"] > 0 and len(shown) >= 2, shown


def test_demo_world_refuses_entry_at_the_border_of_the_arrival_states(tmp_path: Path) -> None:
    from pactum.services import procedures
    from pactum.store.tables.procedures import refusals_of_entry as R

    world = make_world(tmp_path)
    build(world.services, scale="XS", seed=7, end=date(2026, 11, 1), show_progress=False,
          only=["registry", "procedures"])
    with world.services.engine.connect() as conn:
        refusals = conn.execute(select(R.c.member_state, R.c.refused_on, R.c.reasons)).all()
        arrivals = Counter(ms for (ms,) in conn.execute(
            select(encounters.c.member_state).where(encounters.c.route.is_not(None))))
    assert refusals and {r.member_state for r in refusals} <= set(arrivals)
    assert all(r.refused_on < date(2026, 11, 1) and r.reasons for r in refusals)
    # about three refusals for ten arrivals at the external border
    assert 0.2 < len(refusals) / sum(arrivals.values()) < 0.4
    from pactum.services.auth import SYSTEM

    capacity = procedures.capacity_overview(world.services, SYSTEM, date(2027, 1, 15))
    assert capacity["union_totals"]["refusals_of_entry"] == len(refusals)
    # the estimates from the records share out the Union's 30,000 places; Decision 2024/2150's
    # figures are the capacities in force for the states it fixes (and the platform holds)
    assert sum(s["estimate"]["capacity"] for s in capacity["states"]) in range(29990, 30011)
    fixed = {s["member_state"]: s["capacity"] for s in capacity["states"] if s["capacity_source"] == "decision"}
    assert fixed == {"IT": 8016, "HU": 7716, "ES": 3301, "EL": 2188, "PL": 1564}


def test_demo_world_has_applicants_who_withdrew_their_application(demo_world: Callable[..., Services]) -> None:
    """Some applicants withdraw in writing after lodging (APR Art 40; Directive 2013/32/EU Art 27):
    the authority closed each case, and under the APR issued the return decision Art 37 requires."""
    from pactum.law import regime_for

    # the S world of seed 1 as tests/e2e/test_responsibility_demo_cessation.py reads it (one build)
    services = demo_world(scale="S", seed=1, end=date(2026, 11, 28),
                          only=["registry", "identity", "procedures", "responsibility", "reception"])
    with services.engine.connect() as conn:
        withdrawn = conn.execute(select(A.c.state, A.c.outcome, A.c.made_on, A.c.return_decision_id)
                                 .where(A.c.outcome == "explicitly_withdrawn")).all()
        recorded = conn.execute(select(func.count()).where(
            asylum_case_events.c.event == "withdrawal_recorded")).scalar()
    assert len(withdrawn) >= 5 and recorded == len(withdrawn)
    assert {r.state for r in withdrawn} == {"withdrawn"}
    pact = [r for r in withdrawn if regime_for("procedures", r.made_on) == "pact"]
    assert pact and all(r.return_decision_id for r in pact)
