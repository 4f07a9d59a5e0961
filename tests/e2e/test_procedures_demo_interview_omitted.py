"""The demo world shows decisions taken without the personal interview, omitted under APR Art 13(11):
grants of refugee status on the evidence available (point (a)) and decisions on applicants a medical
professional found unfit to be interviewed owing to an enduring condition (point (c)), taken after the
last day they had to submit further information in writing. Before, the demo world held no omission."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

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


#: The day from which Regulation (EU) 2024/1348 applies (Article 79(2)).
PACT_DAY = date(2026, 6, 12)


def test_demo_world_omits_admissibility_interviews_and_suspends_examinations(
    demo_world: Callable[..., Services], web_client: Callable[..., Any]
) -> None:
    """APR Art 13(11)(e) (another Member State protects the applicant) and (d) (a subsequent
    application's preliminary examination on a written statement), and Art 41(4) (the examination
    suspended for the applicant to justify or rectify, still suspended, resumed as justified, or resumed
    once the time ended with an implicit withdrawal drafted), on applications under the APR registered
    after 12 June 2026, each shown on its case page. Before, the demo world held none."""
    services = demo_world(
        scale="S",
        seed=1,
        end=date(2026, 11, 28),
        only=["registry", "identity", "procedures", "responsibility", "reception"],
    )
    with services.engine.connect() as conn:
        omitted = conn.execute(
            select(A.c.id, A.c.member_state, A.c.registered_on, A.c.lodged_on, A.c.interview_omission_ground,
                   A.c.interview_omitted_on, A.c.routing_grounds, A.c.state, A.c.outcome)
            .where(A.c.interview_omission_ground.in_(("protection_in_another_member_state",
                                                      "written_preliminary_examination")))
        ).all()
        suspended = {
            e.case_id: e for e in conn.execute(
                select(E.c.case_id, E.c.detail).where(E.c.event == "examination_suspended"))
        }
        resumed = {
            e.case_id: e.detail for e in conn.execute(
                select(E.c.case_id, E.c.detail).where(E.c.event == "examination_resumed"))
        }
        cases = {
            r.id: r for r in conn.execute(
                select(A.c.id, A.c.member_state, A.c.registered_on, A.c.lodged_on, A.c.suspended_on,
                       A.c.suspended_until, A.c.state, A.c.outcome, A.c.inadmissibility_ground).where(A.c.id.in_(list(suspended) + [r.id for r in omitted])))
        }
    protected = [r for r in omitted if r.interview_omission_ground == "protection_in_another_member_state"]
    written = [r for r in omitted if r.interview_omission_ground == "written_preliminary_examination"]
    assert len(protected) == 2 and len(written) == 1, omitted
    assert "subsequent_application" in written[0].routing_grounds
    assert not any("subsequent_application" in r.routing_grounds for r in protected)
    assert [r.state for r in protected].count("under_review") == 1
    drafted = next(r for r in protected if r.state == "under_review")
    assert cases[drafted.id].outcome == "inadmissible"  # drafted, awaiting the second officer
    assert cases[drafted.id].inadmissibility_ground == "protection_in_another_member_state"
    assert len(suspended) == 3
    assert sum(1 for c in suspended if cases[c].suspended_on is not None) == 1  # still suspended at the end
    assert sorted(d["justified"] for d in resumed.values()) == [False, True]
    lapsed = next(c for c, d in resumed.items() if not d["justified"])
    assert cases[lapsed].state == "under_review" and cases[lapsed].outcome == "implicitly_withdrawn"
    for c in cases.values():  # the Pact's cases only
        assert c.registered_on > PACT_DAY and c.lodged_on > PACT_DAY
    for r in omitted:
        assert r.interview_omitted_on >= r.lodged_on
    # the case pages show them
    shown = protected[0]
    page = web_client(f"{shown.member_state.lower()}-caseworker").get(f"/procedures/cases/{shown.id}").text
    line = page.split('id="interview">', 1)[1].split("</dd>", 1)[0]
    assert "the admissibility interview</span> omitted on" in line
    assert "Regulation (EU) 2024/1348, Article 13(11)(e)" in line
    still = next(c for c in suspended if cases[c].suspended_on is not None)
    assert cases[still].suspended_until > date(2026, 11, 28)  # the time given runs on at the world's end
    page = web_client(f"{cases[still].member_state.lower()}-caseworker").get(f"/procedures/cases/{still}").text
    assert 'id="suspension"' in page and "the examination is suspended since" in page
    page = web_client(f"{cases[lapsed].member_state.lower()}-caseworker").get(f"/procedures/cases/{lapsed}").text
    assert "examination resumed" in page and "implicitly withdrawn" in page
