"""Two open applications of one person in one state (two records of the person, later linked as
the same person by identity resolution): one is closed as joined to the other (national file
management, no decision on it), audited on both; refused naming ``joined_to`` when the other
application is another person's, another state's, closed, or this one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from pactum.store.tables.identity import identity_links
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import identity_records

try:
    from .test_procedures_support import World, login, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world, ok  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _record(world: World, person_id: str) -> str:
    with world.services.engine.connect() as conn:
        return str(conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == person_id)).scalar())


def _same_person(world: World, a: str, b: str) -> None:
    record, linked = _record(world, a), _record(world, b)
    with world.services.engine.begin() as conn:
        conn.execute(insert(identity_links).values(
            id="idl_join_1", record_id=record, linked_record_id=linked, colour="white",
            status="verified", verifying_authority="IT", match_probability=0.98,
            basis={"component": "national", "explanation": {}, "match_weight": 6.0},
            created_at=world.clock.now(), version=1))


def test_one_of_two_applications_of_the_same_person_is_closed_as_joined(world: World) -> None:
    first = world.person("it.caseworker", surname="Uddin", nationality="BGD")
    second = world.person("it.caseworker", surname="Udin", nationality="BGD")
    older = world.apply("it.caseworker", first)
    newer = world.apply("it.caseworker", second)
    # not linked yet: nothing to join to, the step is not offered and is refused
    shown = ok(world.get("it.caseworker", f"/applications/{newer['id']}"))
    assert shown["joinable"] == [] and "close_joined" not in shown["actions"]
    r = world.act("it.caseworker", newer, "close_joined", joined_to=older["reference"])
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "joined_to"
    assert f"{older['reference']} is the application of another person ({first})" in r.text
    _same_person(world, second, first)
    shown = ok(world.get("it.caseworker", f"/applications/{newer['id']}"))
    assert [j["reference"] for j in shown["joinable"]] == [older["reference"]]
    assert "close_joined" in shown["actions"]
    # refusals, each naming the field
    for typed, said in ((newer["reference"], "names this application itself"),
                        ("DE-2026-000001", "DE-2026-000001 is an application of DE, not of IT"),
                        ("IT-2026-000999", "IT-2026-000999 is not an asylum application of IT")):
        r = world.act("it.caseworker", shown, "close_joined", joined_to=typed)
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "joined_to", r.text
        assert said in r.text
    de_case = world.apply("de.caseworker", world.person("de.caseworker", surname="Uddin", nationality="BGD",
                                                        kind="in_territory_application"), context="in_territory")
    r = world.act("it.caseworker", shown, "close_joined", joined_to=de_case["id"])
    assert r.status_code == 422 and "is not an asylum application of IT" in r.text  # another state's id: not disclosed
    done = ok(world.act("it.caseworker", shown, "close_joined", joined_to=older["reference"].lower()))
    assert done["state"] == "joined" and done["actions"] == [] and done["deadline"] is None
    assert done["outcome"] is None  # no decision was taken on it
    last = done["timeline"][-1]
    assert (last["event"], last["detail"]["joined_to"], last["detail"]["joined_to_reference"]) == (
        "joined", older["id"], older["reference"])
    assert last["detail"]["legal_basis"] == ["national law on the management of asylum files (no provision of Union law)"]
    kept = ok(world.get("it.caseworker", f"/applications/{older['id']}"))
    assert kept["state"] == "registered" and kept["timeline"][-1]["event"] == "application_joined"
    assert kept["timeline"][-1]["detail"]["joined_reference"] == newer["reference"]
    assert kept["joinable"] == []  # the other is closed now
    with world.services.engine.connect() as conn:
        audited = {(a.entity_id, a.action) for a in conn.execute(select(audit_log.c.entity_id, audit_log.c.action))}
    assert (newer["id"], "procedures.joined") in audited and (older["id"], "procedures.application_joined") in audited
    # the case page says where the file went
    page = login(world, "it.caseworker").get(f"/procedures/cases/{newer['id']}").text
    said = page.split('id="joined">', 1)[1].split("</dd>", 1)[0]
    assert f'closed as joined to <a href="/procedures/cases/{older["id"]}">{older["reference"]}</a>' in said


def test_an_application_is_not_joined_to_a_closed_one(world: World) -> None:
    first = world.person("it.caseworker", surname="Haile", nationality="ERI")
    second = world.person("it.caseworker", surname="Hailé", nationality="ERI")
    older = world.apply("it.caseworker", first)
    newer = world.apply("it.caseworker", second)
    _same_person(world, second, first)
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    older = ok(world.act("it.caseworker", older, "record_withdrawal", withdrawn_on="2026-08-10",
                         how="in_person_in_writing", decision="declare_withdrawn", decided_on="2026-08-11",
                         with_return_decision=False))
    shown = ok(world.get("it.caseworker", f"/applications/{newer['id']}"))
    assert shown["joinable"] == [] and "close_joined" not in shown["actions"]
    r = world.act("it.caseworker", shown, "close_joined", joined_to=older["reference"])
    assert r.status_code == 422 and f"{older['reference']} is closed (withdrawn)" in r.text


def test_the_case_page_offers_the_join_prefilled(world: World) -> None:
    first = world.person("it.caseworker", surname="Karimi", nationality="AFG")
    second = world.person("it.caseworker", surname="Karimy", nationality="AFG")
    older = world.apply("it.caseworker", first)
    newer = world.apply("it.caseworker", second)
    _same_person(world, second, first)
    web = login(world, "it.caseworker")
    form = web.get(f"/procedures/cases/{newer['id']}").text.split('value="close_joined"', 1)[1].split("</form>", 1)[0]
    assert f'name="joined_to" value="{older["reference"]}"' in form
    assert "Joined to (the other application&#39;s reference)" in form
    r = web.post(f"/procedures/cases/{newer['id']}/act", data={"action": "close_joined", "version": str(newer["version"]),
                                                               "joined_to": "IT-2026-000777"})
    assert r.status_code == 422 and 'name="joined_to" value="IT-2026-000777"' in r.text
    assert "is not an asylum application of IT" in r.text
    r = web.post(f"/procedures/cases/{newer['id']}/act", data={"action": "close_joined", "version": str(newer["version"]),
                                                               "joined_to": older["reference"]}, follow_redirects=False)
    assert r.status_code == 303
