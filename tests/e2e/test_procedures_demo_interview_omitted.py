"""The demo world shows decisions taken without the personal interview, omitted under APR Art 13(11):
grants of refugee status on the evidence available (point (a)) and decisions on applicants a medical
professional found unfit to be interviewed owing to an enduring condition (point (c)), taken after the
last day they had to submit further information in writing. Before, the demo world held no omission."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from pactum.services.bootstrap import Services
from pactum.store.tables.procedures import asylum_applications as A
from pactum.store.tables.procedures import asylum_case_events as E


def test_demo_world_decides_some_cases_without_the_interview(demo_world: Callable[..., Services]) -> None:
    # the S world of seed 1 as tests/e2e/test_procedures_scenario.py reads it (one build)
    services = demo_world(
        scale="S",
        seed=1,
        end=date(2026, 11, 28),
        only=["registry", "identity", "procedures", "responsibility", "reception"],
    )
    with services.engine.connect() as conn:
        rows = conn.execute(
            select(
                A.c.id,
                A.c.interview_omission_ground,
                A.c.interview_omitted_on,
                A.c.interview_held_on,
                A.c.interview_written_until,
                A.c.outcome,
                A.c.decided_on,
                A.c.state,
            ).where(A.c.interview_omitted_on.is_not(None))
        ).all()
        omitted = {
            e.case_id: e.detail
            for e in conn.execute(select(E.c.case_id, E.c.detail).where(E.c.event == "interview_omitted"))
        }
    by_ground = {
        g: [r for r in rows if r.interview_omission_ground == g]
        for g in ("positive_decision", "unfit_or_unable")
    }
    assert len(by_ground["positive_decision"]) >= 2 and len(by_ground["unfit_or_unable"]) >= 1
    for r in by_ground["positive_decision"]:
        assert r.outcome == "refugee_status" and r.state == "notified" and r.interview_held_on is None
        assert omitted[r.id]["legal_basis"] == ["Regulation (EU) 2024/1348, Article 13(11)(a)"]
        assert r.decided_on >= r.interview_omitted_on
    for r in by_ground["unfit_or_unable"]:
        assert omitted[r.id]["medical_finding"] == "enduring" and omitted[r.id]["medical_consulted_on"]
        assert r.decided_on > r.interview_written_until and r.state == "notified"


def test_demo_world_has_an_applicant_who_did_not_attend_the_interview(
    demo_world: Callable[..., Services],
) -> None:
    """APR Art 13(14): the interview scheduled twice, not attended, the efforts recorded and the
    application decided on the file."""
    services = demo_world(
        scale="S",
        seed=1,
        end=date(2026, 11, 28),
        only=["registry", "identity", "procedures", "responsibility", "reception"],
    )
    with services.engine.connect() as conn:
        rows = conn.execute(
            select(A.c.id, A.c.outcome, A.c.state, A.c.interview_held_on, A.c.interview_omitted_on).where(
                A.c.interview_not_attended_on.is_not(None)
            )
        ).all()
        details = [
            d for (d,) in conn.execute(select(E.c.detail).where(E.c.event == "interview_not_attended"))
        ]
    assert len(rows) == 1 and rows[0].outcome == "rejected_unfounded" and rows[0].state == "decided"
    assert rows[0].interview_held_on is None
    # its own column since procedures_0013: not an omission of the interview (Art 13(11))
    assert rows[0].interview_omitted_on is None
    assert len(details[0]["not_attended_on"]) == 2
    assert details[0]["legal_basis"] == ["Regulation (EU) 2024/1348, Article 13(14)"]
