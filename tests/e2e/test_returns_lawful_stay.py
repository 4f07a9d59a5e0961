"""Whom a return decision may be issued to (``pactum.returns.stay``), through the API and the web
as a QA walk found it: not a refugee of the issuing state, not an applicant whose application is
still being examined, the asylum case it goes with only a negative one, Art 6(2) for a person
protected by another state, and the return border procedure only for a rejection taken within the
border procedure's twelve weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from pactum.services import identity, procedures, registry
from pactum.services.auth import Role
from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import identity_records
from pactum.store.tables.returns import return_alerts, return_decisions

try:
    from .test_returns_support import World, asylum_case, make_world
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, asylum_case, make_world  # type: ignore[no-redef]

API = "/api/v1/returns"


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    w.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    return w


def post(world: World, officer: str, body: dict[str, Any]) -> Any:
    return world.client.post(f"{API}/decisions", json=body, headers=world.headers(officer))


def nothing_written(world: World) -> None:
    with world.services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(return_decisions)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(return_alerts)).scalar_one() == 0


def _web(world: World, username: str) -> Any:
    from fastapi.testclient import TestClient

    from pactum.api.app import create_app

    client = TestClient(create_app(world.services))
    assert client.post("/login", data={"username": username, "password": "a-long-password"}).status_code in (200, 303)
    return client


def test_no_return_decision_for_a_refugee_of_the_issuing_state(world: World) -> None:
    """D was granted refugee status by Italy: a return decision and its SIS alert were issued, field
    (j) saying "issued together with a negative asylum decision"."""
    person = world.person("it.caseworker", surname="Darwish", nationality="SYR")
    case = asylum_case(world, person, made_on="2026-07-01", context="in_territory", until="notified",
                       outcome="refugee_status", decided_on="2026-09-15", notified_on="2026-09-16")
    assert case["state"] == "notified" and case["outcome"] == "refugee_status"
    for extra in ({}, {"asylum_case_id": case["id"]}):
        r = post(world, "it.returns", {"person_id": person, "issued_on": "2026-11-30",
                                       "voluntary_departure_days": 30, "grounds": ["illegal_stay"], **extra})
        assert r.status_code == 409, r.text
        said = r.json()["detail"]
        assert f"granted refugee status by IT on 2026-09-15 (asylum case {case['reference']})" in said
        assert "Directive 2008/115/EC, Article 2(1)" in said and "Article 6(1)" in said
    # the web form says the same and keeps what was typed
    page = _web(world, "it.returns").post("/returns/decisions/new", data={
        "person_id": person, "issued_on": "2026-11-30", "voluntary_departure_days": "30", "grounds": ["illegal_stay"]})
    assert page.status_code == 409 and "a beneficiary of international protection stays legally" in page.text
    assert f'value="{person}"' in page.text
    nothing_written(world)


def test_protection_granted_on_appeal_is_protection_too(world: World) -> None:
    person = world.person("it.caseworker", surname="Haile", nationality="ERI")
    case = asylum_case(world, person, made_on="2026-07-01", context="in_territory", until="notified",
                       decided_on="2026-08-10", notified_on="2026-08-11")
    cw = world.principals["it.caseworker"]
    case = procedures.act(world.services, cw, case["id"], "lodge_appeal", {"lodged_on": "2026-08-20"},
                          case["version"])
    procedures.act(world.services, cw, case["id"], "decide_appeal",
                   {"outcome": "granted_subsidiary_protection", "decided_on": "2026-11-02"}, case["version"])
    r = post(world, "it.returns", {"person_id": person, "issued_on": "2026-11-30", "asylum_case_id": case["id"]})
    assert r.status_code == 409 and "granted subsidiary protection by IT" in r.json()["detail"], r.text
    nothing_written(world)


@pytest.mark.parametrize("until", ["registered", "lodged", "decided_later"])
def test_no_return_decision_while_the_application_is_examined(world: World, until: str) -> None:
    """An applicant whose application is registered (a Dublin take-charge pending) or lodged was
    given a return decision; so was one whose application was decided only after the day the
    return decision is dated."""
    person = world.person("it.caseworker", surname="Rahman", nationality="BGD")
    if until == "decided_later":
        case = asylum_case(world, person, made_on="2026-08-01", until="decided", decided_on="2026-08-20")
        issued_on, said = "2026-08-10", "was pending on 2026-08-10 (decided only on 2026-08-20)"
    else:
        case = asylum_case(world, person, made_on="2026-08-01", until=until)
        issued_on, said = "2026-11-30", f"is pending (made on 2026-08-01, {until})"
    r = post(world, "it.returns", {"person_id": person, "issued_on": issued_on, "grounds": ["illegal_stay"]})
    assert r.status_code == 409, r.text
    detail = r.json()["detail"]
    assert f"application for international protection {case['reference']} in IT {said}" in detail
    assert "Regulation (EU) 2024/1348, Article 10(1)" in detail and "Article 37" in detail
    page = _web(world, "it.returns").post("/returns/decisions/new", data={
        "person_id": person, "issued_on": issued_on, "grounds": ["illegal_stay"]})
    assert page.status_code == 409 and "the right to remain" in page.text
    nothing_written(world)


def test_the_asylum_case_named_carries_a_negative_decision(world: World) -> None:
    person = world.person("it.caseworker", surname="Miah", nationality="BGD")
    case = asylum_case(world, person, made_on="2026-08-01", until="notified", decided_on="2026-08-20",
                       notified_on="2026-08-21")
    # the ground without the case is a reason the records do not show: refused, naming the case
    r = post(world, "it.returns", {"person_id": person, "issued_on": "2026-08-25",
                                   "grounds": ["negative_asylum_decision"]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "grounds"
    assert f"name the asylum case (asylum_case_id: {case['reference']})" in r.json()["detail"][0]["msg"]
    other = world.person("it.caseworker", surname="Alam", nationality="BGD")
    r = post(world, "it.returns", {"person_id": other, "issued_on": "2026-08-25",
                                   "grounds": ["negative_asylum_decision"]})
    assert r.status_code == 422 and "no negative asylum decision of this person is recorded in IT" in r.text
    nothing_written(world)
    # with the case: the ground is set and alert field (j) says so, with the decision it followed
    r = post(world, "it.returns", {"person_id": person, "issued_on": "2026-08-25", "asylum_case_id": case["id"],
                                   "voluntary_departure_days": 30})
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["grounds"] == ["negative_asylum_decision"]
    assert d["alert"]["reason"] == "issued together with a negative asylum decision"
    steps = {s["rule"]: s for s in d["trace"]}
    assert "no international protection granted by IT and no application pending" in steps["staying_illegally"]["outcome"]
    assert f"issued with the decision on case {case['reference']}: rejected as unfounded on 2026-08-20" in (
        steps["negative_asylum_decision"]["outcome"])


def test_protection_granted_by_another_state_needs_an_article_6_2_ground(world: World) -> None:
    """A person France protects, met in Italy: required to go to France first (Art 6(2)); a return
    decision only if they did not, or for public policy or national security."""
    world.user("fr.caseworker", "FR", Role.caseworker)
    fr_person = world.person("fr.caseworker", surname="Barzani", nationality="IRQ",
                             occurred_at="2026-03-02T10:00:00+00:00")
    fr = world.principals["fr.caseworker"]
    with world.services.uow() as uow:
        registry.record_application_in_eurodac(uow, fr, person_id=fr_person, made_on=date(2026, 3, 3))
        registry.mark_protection_granted(uow, fr, person_id=fr_person, granted_on=date(2026, 6, 1))
        uow.commit()
    it_person = world.person("it.caseworker", surname="Barzani", nationality="IRQ")
    body = {"person_id": it_person, "issued_on": "2026-11-30", "voluntary_departure_days": 30,
            "grounds": ["illegal_stay"]}
    # no link between the two records yet: nothing tells Italy
    assert post(world, "it.returns", body).status_code == 201
    with world.services.engine.connect() as conn:
        conn.execute(return_alerts.delete())
        conn.execute(return_decisions.delete())
        conn.commit()
        it_record = conn.execute(select(identity_records.c.id).where(
            identity_records.c.person_id == it_person)).scalar_one()
    with world.services.uow() as uow:  # the registration's search links the two records (white)
        identity.search_candidates_for_record(uow, world.principals["it.caseworker"], it_record)
        uow.commit()
    with world.services.engine.connect() as conn:
        # France's records of the person (the encounter's and the application's) are both white
        assert set(conn.execute(select(identity_links.c.colour)).scalars().all()) == {"white"}
    r = post(world, "it.returns", body)
    assert r.status_code == 409, r.text
    assert "international protection granted by FR" in r.json()["detail"]
    assert "Directive 2008/115/EC, Article 6(2)" in r.json()["detail"]
    assert "did_not_go_to_protecting_state" in r.json()["detail"]
    nothing_written(world)
    r = post(world, "it.returns", {**body, "grounds": ["illegal_stay", "did_not_go_to_protecting_state"]})
    assert r.status_code == 201, r.text
    d = r.json()
    assert "Directive 2008/115/EC, Article 6(2)" in d["legal_basis"]
    step = next(s for s in d["trace"] if s["rule"] == "protection_in_another_member_state")
    assert step["outcome"].startswith("protection granted by FR; return decision under the second sentence")
    assert "did not go to the Member State that granted international protection" in d["alert"]["reason"]


def _border_case(world: World, surname: str, decided_on: str) -> tuple[str, dict[str, Any]]:
    person = world.person("it.caseworker", surname=surname, nationality="BGD")
    case = asylum_case(world, person, made_on="2026-08-03", until="decided", outcome="rejected_manifestly_unfounded",
                       decided_on=decided_on)
    assert case["procedure"] == "border"
    return person, case


def test_the_return_border_procedure_follows_only_a_rejection_within_the_border_procedure(world: World) -> None:
    """The border procedure (registered 3 August 2026) ended on 26 October (12 weeks, APR Art
    51(2)); a rejection "in the border procedure" on 30 November got the return border procedure's
    15-day cap."""
    _late_person, late = _border_case(world, "Hossain", "2026-11-27")
    cw = world.principals["it.caseworker"]
    notified = procedures.act(world.services, cw, late["id"], "notify",
                              {"notified_on": "2026-11-30", "with_return_decision": True,
                               "voluntary_departure_days": 30}, late["version"])
    d = world.client.get(f"{API}/decisions/{notified['return_decision_id']}", headers=world.headers("it.returns")).json()
    assert d["voluntary_departure_days"] == 30 and "return_border_procedure" not in d["grounds"]
    assert not any("2024/1349" in b for b in d["legal_basis"])
    # the procedures area no longer passes the ground for a late border case; were it passed, the
    # returns service would drop it with a trace step citing APR Art 51(2)
    step = next((s for s in d["trace"] if s["rule"] == "return_border_procedure"), None)
    if step is not None:
        assert step["outcome"].startswith("does not apply: the asylum decision of 2026-11-27 came after the "
                                          "border procedure ended on 2026-10-26")

    # within the twelve weeks: the return border procedure and its 15-day maximum
    person, timely = _border_case(world, "Sarkar", "2026-08-20")
    body = {"person_id": person, "issued_on": "2026-08-21", "asylum_case_id": timely["id"],
            "grounds": ["return_border_procedure"]}
    r = post(world, "it.returns", {**body, "voluntary_departure_days": 30})
    assert r.status_code == 422 and "at most 15 days" in r.text
    r = post(world, "it.returns", {**body, "voluntary_departure_days": 15})
    assert r.status_code == 201, r.text
    assert r.json()["grounds"] == ["return_border_procedure", "negative_asylum_decision"]
    assert any("2024/1349" in b for b in r.json()["legal_basis"])

    # the ground needs the border-procedure case it follows
    other = world.person("it.caseworker", surname="Kabir", nationality="BGD")
    r = post(world, "it.returns", {"person_id": other, "issued_on": "2026-08-21", "voluntary_departure_days": 15,
                                   "grounds": ["return_border_procedure"]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "grounds"
    assert "name that asylum case" in r.json()["detail"][0]["msg"]


def test_the_right_to_remain_follows_the_day_the_application_was_lodged(world: World) -> None:
    """APR Art 79(3): an application made on 8 June and lodged on 15 June 2026 is under the APR, so a
    return decision refused while it is pending cites the APR's right to remain (Art 10(1)); the
    returns area reads the day of lodging from the procedures' records (it chose by the day the
    application was made, and cited Directive 2013/32/EU Art 9(1))."""
    person = world.person("it.caseworker", surname="Mansour", nationality="BGD", occurred_at="2026-06-05T10:00:00+00:00")
    cw = world.principals["it.caseworker"]
    case = procedures.create_application(world.services, cw, procedures.ApplicationCreate(
        person_id=person, made_on=date(2026, 6, 8), registered_on=date(2026, 6, 9),
        context="in_territory"))  # type: ignore[arg-type]
    procedures.act(world.services, cw, case["id"], "lodge", {"lodged_on": "2026-06-15"}, case["version"])
    r = post(world, "it.returns", {"person_id": person, "issued_on": "2026-07-20", "grounds": ["illegal_stay"]})
    assert r.status_code == 409, r.text
    detail = r.json()["detail"]
    assert "Regulation (EU) 2024/1348, Article 10(1)" in detail
    assert "Directive 2013/32/EU" not in detail
    nothing_written(world)
