"""The applications of the same person under another record, and another state's Dublin case of the
same person, read through a chain of same-person links: records A and B linked white, B and C linked
white, are one person, so C's application is found from A (the application form's notice, the warning
of the application made through the API and the command line, the person page), and a Dublin case of
a person of another state reached through a person of a third state says who is responsible now on
the case of A. Before, ``applications_of_linked_persons`` and ``_linked_persons`` read direct links
only; they now read the platform's one network, ``pactum.services.registry.same_person_network``,
counting the same links as before (white or red, verified or made automatically; a green link breaks
the chain)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import procedures
from pactum.services.auth import Role
from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import identity_records

try:
    from .test_procedures_support import World, dublin_case_with_request, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import (  # type: ignore[no-redef]
        World,
        dublin_case_with_request,
        login,
        make_cli_world,
        ok,
    )

runner = CliRunner()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def _record(world: World, person_id: str) -> str:
    with world.services.engine.connect() as conn:
        return str(conn.execute(select(identity_records.c.id)
                                .where(identity_records.c.person_id == person_id)).scalar())


def _link(world: World, link_id: str, a: str, b: str, colour: str = "white", status: str = "verified") -> None:
    record, linked = _record(world, a), _record(world, b)
    with world.services.engine.begin() as conn:
        conn.execute(insert(identity_links).values(
            id=link_id, record_id=record, linked_record_id=linked, colour=colour,
            status=status, verifying_authority="IT", match_probability=0.98,
            basis={"component": "national", "explanation": {}, "match_weight": 6.0},
            created_at=world.clock.now(), version=1))


def _chain(world: World) -> tuple[str, str, str, dict[str, object]]:
    """Italy's persons A, B and C, A linked to B and B to C (white, verified), C with an application."""
    a = world.person("it.caseworker", surname="Hossain", nationality="BGD")
    b = world.person("it.caseworker", surname="Hosain", nationality="BGD")
    c = world.person("it.caseworker", surname="Hossein", nationality="BGD")
    case_c = world.apply("it.caseworker", c)
    _link(world, "idl_ab", a, b)
    _link(world, "idl_bc", b, c)
    return a, b, c, case_c


def test_the_application_of_c_is_found_from_a_through_b(world: World) -> None:
    a, b, c, case_c = _chain(world)
    found = procedures.applications_of_linked_persons(world.services, world.principals["it.caseworker"], a)
    assert [p["person_id"] for p in found] == [c]  # B has no application
    assert found[0]["relation"] == "same" and found[0]["chain"] == ["idl_ab", "idl_bc"]
    assert found[0]["through"] == [b] and found[0]["link"]["id"] == "idl_bc"
    assert [x["reference"] for x in found[0]["applications"]] == [case_c["reference"]]
    # the person page of A lists C's application as the same person's
    web = login(world, "it.caseworker")
    page = web.get(f"/registry/persons/{a}").text
    same = page.split('id="same-person-cases"', 1)[1].split("</div>", 1)[0]
    assert case_c["reference"] in same and "a chain of links idl_ab, idl_bc" in same
    # the application form for A says so before the application is made
    form = web.get(f"/procedures/new?person_id={a}").text
    notice = form.split('id="linked-applications"', 1)[1].split("</div>", 1)[0]
    assert case_c["reference"] in notice and "a chain of links idl_ab, idl_bc, through another record" in notice
    # the application made for A (API) warns of C's
    made = world.apply("it.caseworker", a, made_on="2026-08-02")
    said = [w for w in made["warnings"] if "under another record" in w]
    assert len(said) == 1 and said[0].startswith("a chain of same-person links (idl_ab, idl_bc) says")
    assert case_c["reference"] in said[0]


def test_the_command_line_warns_of_the_application_found_through_the_chain(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _, _, case_c = _chain(world)
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    body = tmp_path / "apply.json"
    body.write_text(json.dumps({"person_id": a, "made_on": "2026-08-02", "registered_on": "2026-08-03",
                                "context": "sar_disembarkation"}), encoding="utf-8")
    out = runner.invoke(app, ["procedures", "apply", str(body)])
    assert out.exit_code == 0, out.output
    warnings = json.loads(out.output)["warnings"]
    assert any(case_c["reference"] in w and "idl_ab, idl_bc" in w for w in warnings), warnings


def test_the_links_that_count_are_those_that_counted_before(world: World) -> None:
    """A green link between A and C breaks the chain; a yellow link in it joins nobody."""
    a, _, c, _ = _chain(world)
    who = world.principals["it.caseworker"]
    assert procedures.applications_of_linked_persons(world.services, who, a, same_person_only=True)
    _link(world, "idl_ac", a, c, colour="green")
    assert procedures.applications_of_linked_persons(world.services, who, a) == []
    d = world.person("it.caseworker", surname="Lindqvist", nationality="UKR")
    e = world.person("it.caseworker", surname="Okonkwo", nationality="NGA")
    world.apply("it.caseworker", e)
    _link(world, "idl_ad", a, d, colour="yellow", status="pending")
    _link(world, "idl_de", d, e)
    found = procedures.applications_of_linked_persons(world.services, who, a, same_person_only=True)
    assert e not in [p["person_id"] for p in found], found  # not the same person through a yellow link


def test_another_states_dublin_case_reached_through_a_third_state_says_who_is_responsible(
    world: World,
) -> None:
    world.user("fr.caseworker", "FR", Role.caseworker)
    a = world.person("it.caseworker", surname="Sultani", nationality="AFG")
    x = world.person("fr.caseworker", surname="Soltani", nationality="AFG")
    b = world.person("de.caseworker", surname="Sultany", nationality="AFG", kind="in_territory_application")
    case = world.apply("it.caseworker", a)
    # Germany's Dublin case of its person B asked Italy to take charge, and Italy accepted
    dublin_case_with_request(world, b)
    _link(world, "idl_it_fr", a, x)
    before = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert before["responsible_now"] is None  # France's person has no Dublin case
    _link(world, "idl_fr_de", x, b)
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    now = shown["responsible_now"]
    assert now is not None and now["dublin_case"] == "DE-2026-0007" and now["member_state"] == "IT"
    with world.services.engine.connect() as conn:
        assert procedures._linked_persons(conn, a, "IT") == sorted([x, b])
