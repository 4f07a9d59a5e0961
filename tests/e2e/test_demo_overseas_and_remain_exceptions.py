"""The demo world holds what the platform supports for France's outermost regions and for the
exceptions to the right to remain: arrivals in Mayotte, French Guiana, Guadeloupe and Martinique,
registered on the region's clock with no Eurodac record and no screening (AMMR Art 76, Eurodac Art
60), some of whom apply for asylum with French caseworkers and get no Eurodac applicant record; and
a few cases on which the competent authority recorded that the applicant has no right to remain
(APR Art 10(3), (4)(b), (4)(c), (5)), one of them lifted, and a first subsequent application assessed
as lodged merely to delay removal (Art 10(4)(a), 56(a)). Before, the demo world had none of them.

The world is the S world of seed 1 the other demo tests read (built once per run)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from pactum.store.tables.platform import audit_log
from pactum.store.tables.procedures import asylum_applications as A
from pactum.store.tables.procedures import asylum_case_events as CE
from pactum.store.tables.registry import encounters as E
from pactum.store.tables.registry import eurodac_records as ER
from pactum.store.tables.registry import identity_records as IR
from pactum.store.tables.registry import screenings as S

END = date(2026, 11, 28)
STEPS = ["registry", "identity", "procedures", "responsibility", "reception"]
ZONES = {"FR-971": "America/Guadeloupe", "FR-972": "America/Martinique", "FR-973": "America/Cayenne",
         "FR-974": "Indian/Reunion", "FR-976": "Indian/Mayotte", "FR-MF": "America/Marigot"}
EURODAC_ART_60 = "Regulation (EU) 2024/1358, Article 60"
#: The day from which Regulation (EU) 2024/1358 applies; Regulation (EU) No 603/2013 Art 42 before.
PACT_DAY = date(2026, 6, 12)
EURODAC_603_ART_42 = "Regulation (EU) No 603/2013, Article 42"


@pytest.fixture
def world(demo_world):
    return demo_world(scale="S", seed=1, end=END, only=STEPS)


def _overseas(services) -> list:
    with services.engine.connect() as conn:
        return conn.execute(select(E.c.id, E.c.person_id, E.c.identity_record_id, E.c.member_state, E.c.region,
                                   E.c.time_zone, E.c.occurred_at, E.c.kind, IR.c.nationality, IR.c.recorded_on)
                            .join(IR, IR.c.id == E.c.identity_record_id)
                            .where(E.c.region.in_(list(ZONES)))).all()


def test_the_demo_world_registers_arrivals_in_frances_outermost_regions_on_their_clocks(world, client,
                                                                                     auth_headers, web_client):
    rows = _overseas(world)
    by_region = Counter(r.region for r in rows)
    # a few dozen in Mayotte, fewer in French Guiana, a few in Guadeloupe and Martinique (scale S)
    assert 20 <= by_region["FR-976"] <= 60, by_region
    assert 10 <= by_region["FR-973"] < by_region["FR-976"], by_region
    assert 1 <= by_region["FR-971"] + by_region["FR-972"] <= 20, by_region
    assert {r.member_state for r in rows} == {"FR"}
    mayotte = Counter(r.nationality for r in rows if r.region == "FR-976")
    assert mayotte.most_common(1)[0][0] == "COM"  # kwassa-kwassa from the Comoros, and the Great Lakes
    assert mayotte["COD"] + mayotte["BDI"] + mayotte["RWA"] > 0, mayotte
    guiana = Counter(r.nationality for r in rows if r.region == "FR-973")
    assert guiana["HTI"] > 0 and set(guiana) - {"HTI"}, guiana
    for r in rows:
        # each read on its region's clock: the record's day is the region's day of the encounter
        assert r.time_zone == ZONES[r.region]
        local = r.occurred_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(r.time_zone))
        assert r.recorded_on == local.date(), r
    # kwassa-kwassa land at night, on Mayotte's clock (UTC+3), not on Paris's
    night = [r for r in rows if r.region == "FR-976" and not 6 <= r.occurred_at.replace(
        tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Indian/Mayotte")).hour < 21]
    assert len(night) >= by_region["FR-976"] // 2
    with world.engine.connect() as conn:
        # no Eurodac record and no screening where the AMMR and Eurodac do not apply
        assert not conn.execute(select(ER.c.id).where(
            ER.c.identity_record_id.in_([r.identity_record_id for r in rows]))).all()
        assert not conn.execute(select(S.c.id).where(S.c.encounter_id.in_([r.id for r in rows]))).all()
    before = min((r for r in rows if r.region == "FR-976"), key=lambda r: r.occurred_at)
    assert before.recorded_on < PACT_DAY
    one = max((r for r in rows if r.region == "FR-976"), key=lambda r: r.occurred_at)
    assert one.recorded_on >= PACT_DAY
    headers = auth_headers("fr-caseworker")
    first = client.get(f"/api/v1/registry/persons/{before.person_id}", headers=headers).json()
    (old,) = [e for e in first["encounters"] if e["id"] == before.id]
    assert EURODAC_603_ART_42 in old["outside_scope"], old  # before the Pact: Reg. 603/2013 Art 42
    person = client.get(f"/api/v1/registry/persons/{one.person_id}", headers=headers)
    assert person.status_code == 200, person.text
    encounter = next(e for e in person.json()["encounters"] if e["id"] == one.id)
    assert encounter["region"] == "FR-976" and encounter["region_name"] == "Mayotte"
    assert encounter["time_zone"] == "Indian/Mayotte" and encounter["occurred_local"].endswith("+03:00")
    assert EURODAC_ART_60 in encounter["outside_scope"], encounter
    page = web_client("fr-caseworker").get(f"/registry/persons/{one.person_id}")
    assert page.status_code == 200
    assert "No Eurodac record and no screening here: " in page.text and "(Mayotte)" in page.text


def test_overseas_asylum_applications_are_french_cases_without_an_eurodac_applicant_record(world, client,
                                                                                         auth_headers,
                                                                                         web_client):
    rows = _overseas(world)
    persons = {r.person_id: r.region for r in rows}
    with world.engine.connect() as conn:
        cases = conn.execute(select(A.c.id, A.c.reference, A.c.member_state, A.c.person_id, A.c.state, A.c.made_on)
                             .where(A.c.person_id.in_(list(persons)))).all()
        applicant_records = conn.execute(select(IR.c.id).where(
            IR.c.person_id.in_(list(persons)), IR.c.category == "applicant")).all()
    assert len(cases) >= 8, cases
    assert {c.member_state for c in cases} == {"FR"}
    assert {persons[c.person_id] for c in cases} >= {"FR-976", "FR-973"}
    assert not applicant_records  # Eurodac Art 60: no applicant record for an application made there
    states = Counter(c.state for c in cases)
    assert len(states) > 1, states  # carried through the workflow like the others
    one = max((c for c in cases if persons[c.person_id] == "FR-976"), key=lambda c: c.made_on)
    assert one.made_on >= PACT_DAY
    body = client.get(f"/api/v1/procedures/applications/{one.id}", headers=auth_headers("fr-caseworker")).json()
    scope = body["eurodac_outside_scope"]
    assert scope["region"] == "FR-976" and scope["region_name"] == "Mayotte"
    assert EURODAC_ART_60 in scope["legal_basis"], scope
    page = web_client("fr-caseworker").get(f"/procedures/cases/{one.id}")
    assert page.status_code == 200
    assert "No Eurodac applicant record: the application is placed in FR-976 (Mayotte)" in page.text


def _events(services, *names: str) -> list:
    with services.engine.connect() as conn:
        return conn.execute(select(CE.c.case_id, CE.c.event, CE.c.detail, A.c.member_state, A.c.state)
                            .join(A, A.c.id == CE.c.case_id).where(CE.c.event.in_(names))).all()


def test_demo_cases_carry_exceptions_to_the_right_to_remain_visible_on_their_pages(world, client, auth_headers,
                                                                                 web_client):
    recorded = _events(world, "no_right_to_remain_recorded")
    grounds = Counter(e.detail["ground"] for e in recorded)
    assert grounds["extradition_or_surrender"] >= 1
    assert grounds["danger_to_public_order_or_national_security"] == 1
    assert grounds["european_arrest_warrant_surrender"] == 1
    assert len({e.member_state for e in recorded}) > 1
    lifted = _events(world, "no_right_to_remain_lifted")
    assert len(lifted) == 1
    with world.engine.connect() as conn:
        audited = Counter(a for (a,) in conn.execute(select(audit_log.c.action).where(audit_log.c.action.in_((
            "procedures.no_right_to_remain_recorded", "procedures.no_right_to_remain_lifted",
            "procedures.remain_exception_recorded")))))
    assert audited == {"procedures.no_right_to_remain_recorded": len(recorded),
                       "procedures.no_right_to_remain_lifted": 1, "procedures.remain_exception_recorded": 1}

    public_order = next(e for e in recorded if e.detail["ground"] == "danger_to_public_order_or_national_security")
    ms = public_order.member_state.lower()
    body = client.get(f"/api/v1/procedures/applications/{public_order.case_id}",
                      headers=auth_headers(f"{ms}-caseworker")).json()
    rx = body["remain_exception"]
    assert rx["right_to_remain"] is False and rx["non_refoulement_satisfied"] is True
    assert rx["return_decision_held_back"] is False  # Art 10(4)(c): the application holds no return back
    assert any("10(4)(c)" in ref or "Article 10(4), point (c)" in ref for ref in rx["legal_basis"]), rx
    page = web_client(f"{ms}-caseworker").get(f"/procedures/cases/{public_order.case_id}").text
    assert "No right to remain during the administrative procedure" in page
    assert "satisfied that it will not result in direct or indirect refoulement" in page

    extradition = next(e for e in recorded if e.detail["ground"] == "extradition_or_surrender"
                       and e.case_id != lifted[0].case_id)
    assert extradition.detail["destination_kind"] == "third_country" and extradition.detail["destination"]
    page = web_client(f"{extradition.member_state.lower()}-caseworker").get(
        f"/procedures/cases/{extradition.case_id}").text
    assert "No right to remain during the administrative procedure" in page
    assert extradition.detail["destination"] in page

    ms = lifted[0].member_state.lower()
    body = client.get(f"/api/v1/procedures/applications/{lifted[0].case_id}",
                      headers=auth_headers(f"{ms}-caseworker")).json()
    assert body["remain_exception"]["lifted"] is True and body["remain_exception"]["right_to_remain"] is True
    page = web_client(f"{ms}-caseworker").get(f"/procedures/cases/{lifted[0].case_id}").text
    assert "Exception lifted: the right to remain applies again" in page


def test_a_first_subsequent_application_is_assessed_as_lodged_to_delay_removal(world, client, auth_headers,
                                                                               web_client):
    (event,) = _events(world, "remain_exception_recorded")
    ms = event.member_state.lower()
    body = client.get(f"/api/v1/procedures/applications/{event.case_id}", headers=auth_headers(f"{ms}-caseworker")).json()
    rr = body["right_to_remain"]
    assert rr["right_to_remain"] is False and rr["exception"] == "first_subsequent_to_delay_removal"
    assert rr["removal_decision"].startswith("return decision ")
    # the person's earlier application was finally rejected with the return decision the record names
    with world.engine.connect() as conn:
        person = conn.execute(select(A.c.person_id).where(A.c.id == event.case_id)).scalar_one()
        earlier = conn.execute(select(A.c.state, A.c.outcome, A.c.return_decision_id).where(
            A.c.person_id == person, A.c.id != event.case_id)).all()
    assert [(e.state, e.return_decision_id is not None) for e in earlier] == [("final", True)]
    page = web_client(f"{ms}-caseworker").get(f"/procedures/cases/{event.case_id}").text
    assert "Right to remain (subsequent application)" in page and "No right to remain while it is examined" in page


def test_a_return_decision_issued_with_an_overseas_asylum_decision_is_issued_there_without_a_return_alert(world):
    """The return decision a negative decision on an application made in Mayotte or French Guiana
    issues records that region: the returns area enters no SIS return alert for it (the Schengen
    acquis does not apply there, CISA Art 138; Pactum's reading) and says why."""
    from pactum.store.tables.returns import return_alerts as SA
    from pactum.store.tables.returns import return_decisions as RD

    overseas_people = {r.person_id for r in _overseas(world)}
    with world.engine.connect() as conn:
        decisions = conn.execute(select(RD.c.id, RD.c.person_id, RD.c.region, RD.c.asylum_case_id)
                                 .where(RD.c.asylum_case_id.is_not(None))).all()
        alerted = set(conn.execute(select(SA.c.return_decision_id)).scalars())
        applied_overseas = {row.id for row in conn.execute(select(A.c.id, A.c.person_id))
                            if row.person_id in overseas_people}
    issued_there = [d for d in decisions if d.asylum_case_id in applied_overseas]
    assert issued_there, "the demo world issues return decisions with overseas asylum decisions"
    assert all(d.region in ZONES for d in issued_there), issued_there
    assert not alerted & {d.id for d in issued_there}
    # decisions issued with asylum decisions in metropolitan France keep their alerts
    assert alerted & {d.id for d in decisions if d.region is None}
