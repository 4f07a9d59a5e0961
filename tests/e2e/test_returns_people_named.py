"""First-day walk, return officer (FD-02, FD-09, FD-14): the return lists name the people, the
references read as the officer knows them, and the return decision form says what to do.

- FD-02: the return queue, an operation's candidates and its people on board showed only decision
  references. Each row now starts with the person as the officer's state records them (name in
  Latin script, year of birth) linked to their page, in the page, the queue's API answer and its
  CSV; the queue is filtered by name (``?name=``, ``--name``), refused like its other filters.
- FD-09: the AVR table's decision column read "open" and its last column had no header.
- FD-14: a name typed for the person gave "person Bilal Othman not found"; the person page offered
  the form for a person whose application is pending, which the form then refused.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app

try:
    from .test_returns_support import World, asylum_case, browser, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, asylum_case, browser, get, make_world, post  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def issue(world: World, officer: str, person_id: str, **body: Any) -> dict[str, Any]:
    r = post(world, officer, "/decisions", {"person_id": person_id, "issued_on": "2026-08-20", **body})
    assert r.status_code == 201, r.text
    return r.json()


def queued(answer: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for g in answer for d in g["decisions"]}


def cells(page: str, table_start: str) -> list[list[str]]:
    """The rows of the first table after ``table_start``, each as its cells' text (tags removed)."""
    table = page[page.index(table_start):]
    table = table[:table.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


def test_the_queue_names_each_person_links_them_and_filters_by_name(world: World, monkeypatch) -> None:
    karim = world.person("it.returns", surname="Trabelsi", nationality="TUN", given_names="Karim",
                         date_of_birth="1994-03-02")
    sami = world.person("it.returns", surname="Haddad", nationality="TUN", given_names="Sami",
                        date_of_birth="1988")
    first = issue(world, "it.returns", karim, grounds=["illegal_stay"])
    second = issue(world, "it.returns", sami, grounds=["illegal_stay"])

    # the API's answer: the person, their name and year of birth on each decision
    items = queued(get(world, "it.returns", "/queue").json())
    assert (items[first["id"]]["person_name"], items[first["id"]]["person_born"]) == ("Karim Trabelsi", 1994)
    assert (items[second["id"]]["person_name"], items[second["id"]]["person_born"]) == ("Sami Haddad", 1988)
    assert items[first["id"]]["local_person_id"] == karim

    # the name filter: every word, in any case, in any order
    h = world.headers("it.returns")
    for typed in ("trabelsi", "TRABELSI karim", "Karim"):
        found = queued(world.client.get("/api/v1/returns/queue", params={"name": typed}, headers=h).json())
        assert set(found) == {first["id"]}, typed
    assert queued(world.client.get("/api/v1/returns/queue", params={"name": "karim haddad"}, headers=h).json()) == {}
    bad = world.client.get("/api/v1/returns/queue", params={"name": "x" * 402}, headers=h)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "name"]

    # the CSV: the same people, and the same filter
    rows = list(csv.DictReader(io.StringIO(world.client.get("/api/v1/returns/queue.csv", headers=h).text)))
    by_id = {r["id"]: r for r in rows}
    assert (by_id[first["id"]]["person_name"], by_id[first["id"]]["person_born"]) == ("Karim Trabelsi", "1994")
    only = list(csv.DictReader(io.StringIO(world.client.get(
        "/api/v1/returns/queue.csv", params={"name": "haddad"}, headers=h).text)))
    assert [r["id"] for r in only] == [second["id"]]

    # the page: the person first, linked to their page; the filter kept in the CSV link
    web = browser(world, "it.returns")
    page = web.get("/returns").text
    rows_seen = cells(page, "<thead><tr><th>Person</th>")
    assert rows_seen[0][:2] == ["Person", "Decision"]
    assert ["Karim Trabelsi born 1994", first["reference"]] in [r[:2] for r in rows_seen]
    assert f'<a href="/registry/persons/{karim}">Karim Trabelsi</a>' in page
    page = web.get("/returns", params={"name": "haddad"})
    assert page.status_code == 200 and second["reference"] in page.text and first["reference"] not in page.text
    assert 'name="name" value="haddad"' in page.text and 'href="/returns/queue.csv?name=haddad"' in page.text
    refused = web.get("/returns", params={"name": "x" * 402})
    assert refused.status_code == 422 and "Name: at most 401 characters" in refused.text
    assert first["reference"] in refused.text  # the queue without the refused filter

    # the command line
    monkeypatch.setenv("PACTUM_DATABASE_URL", str(world.services.engine.url))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.returns")
    out = CliRunner().invoke(app, ["returns", "queue", "--name", "Trabelsi"])
    assert out.exit_code == 0, out.output
    assert [(d["person_name"], d["person_born"]) for g in json.loads(out.stdout) for d in g["decisions"]] == [
        ("Karim Trabelsi", 1994)]
    bad_cli = CliRunner().invoke(app, ["returns", "queue", "--name", "x" * 402])
    assert bad_cli.exit_code == 2 and bad_cli.output.startswith("error: --name: ")


def test_operations_name_the_states_own_people_and_no_one_elses(world: World) -> None:
    """Italy organises an operation to Tunisia with Germany. Germany enforces an Italian decision it
    recognised on a hit: Germany reads the person as it recorded them; Italy, the organiser, sees
    its own returnee by name and Germany's as Germany's, without reading Germany's records."""
    karim = world.person("it.returns", surname="Trabelsi", nationality="TUN", given_names="Karim",
                         date_of_birth="1990-05-05")
    own = issue(world, "it.returns", karim, grounds=["illegal_stay"])
    it_person = world.person("it.returns", surname="Chebbi", nationality="TUN", given_names="Anis")
    recognised = issue(world, "it.returns", it_person, grounds=["illegal_stay"])
    met = world.met("de.returns", "Chebbi", given_names="Anis", date_of_birth="1994-03-02")
    alert = world.find_alert("de.returns", "Chebbi", given_names="Anis")
    hit = post(world, "de.returns", "/hits", {"alert_id": alert, "local_person_id": met})
    assert hit.status_code == 201, hit.text
    r = post(world, "de.returns", f"/hits/{hit.json()['id']}/recognise", {"version": hit.json()["version"]})
    assert r.status_code == 200, r.text

    # Germany's queue: the Italian decision, with the person of Germany's records
    item = queued(get(world, "de.returns", "/queue").json())[recognised["id"]]
    assert (item["local_person_id"], item["person_name"], item["person_born"]) == (met, "Anis Chebbi", 1994)
    # never Italy's record of the person (docs/returns.md): not in the answer, not in the CSV
    assert item["person_id"] is None and it_person not in get(world, "de.returns", "/queue").text
    assert it_person not in get(world, "de.returns", "/queue.csv").text
    assert queued(get(world, "it.returns", "/queue").json())[recognised["id"]]["person_id"] == it_person

    op = post(world, "it.returns", "/operations", {"destination_country": "TUN", "planned_date": "2026-09-20",
                                                    "capacity": 5, "escorts": 4, "participating_states": ["DE"],
                                                    "frontex_support": True}).json()
    # the candidates, before anyone is selected, name Italy's people
    it_page = browser(world, "it.returns").get(f"/returns/operations/{op['id']}").text
    candidates = cells(it_page, "<table><tr><th>Person</th><th>Decision</th><th>Obstacles</th>")
    assert ["Karim Trabelsi born 1990", own["reference"]] in [c[:2] for c in candidates]
    assert f'<a href="/registry/persons/{karim}">Karim Trabelsi</a>' in it_page

    for officer, decision in (("it.returns", own), ("de.returns", recognised)):
        r = post(world, officer, f"/operations/{op['id']}/participants", {"return_decision_id": decision["id"]})
        assert r.status_code == 201, r.text

    it_view = {p["return_decision_id"]: p for p in get(world, "it.returns", f"/operations/{op['id']}").json()[
        "participants"]}
    assert (it_view[own["id"]]["person_name"], it_view[own["id"]]["local_person_id"]) == ("Karim Trabelsi", karim)
    # Germany's returnee: Italy reads neither Germany's person nor Italy's record of them through it
    assert (it_view[recognised["id"]]["person_name"], it_view[recognised["id"]]["local_person_id"]) == (None, None)
    de_view = {p["return_decision_id"]: p for p in get(world, "de.returns", f"/operations/{op['id']}").json()[
        "participants"]}
    assert set(de_view) == {recognised["id"]}
    assert (de_view[recognised["id"]]["person_name"], de_view[recognised["id"]]["local_person_id"]) == (
        "Anis Chebbi", met)

    it_page = browser(world, "it.returns").get(f"/returns/operations/{op['id']}").text
    on_board = cells(it_page, "<h2>People on board</h2>")
    assert on_board[0][:2] == ["Person", "Decision"]
    assert ["Karim Trabelsi born 1990", own["reference"]] in [r[:2] for r in on_board]
    assert ["in DE's records", recognised["reference"]] in [r[:2] for r in on_board]
    assert "Anis Chebbi" not in it_page.split("<h2>People on board</h2>")[1].split("</table>")[0]
    de_page = browser(world, "de.returns").get(f"/returns/operations/{op['id']}").text
    assert f'<a href="/registry/persons/{met}">Anis Chebbi</a>' in de_page


def test_the_avr_table_names_the_return_decision_and_the_departure_day(world: World) -> None:
    person = world.person("it.returns", surname="Trabelsi", nationality="TUN")
    decision = issue(world, "it.returns", person, voluntary_departure_days=30)
    avr = post(world, "it.returns", "/avr", {"return_decision_id": decision["id"], "programme": "IOM AVRR",
                                              "funding_source": "AMIF", "amount_eur": "1500",
                                              "opened_on": "2026-08-21"})
    assert avr.status_code == 201, avr.text
    page = browser(world, "it.returns").get("/returns/operations").text
    table = page[page.index('<table id="avr-cases">'):]
    table = table[:table.index("</table>")]
    assert "<th>Return decision</th>" in table and "<th>Departed on</th>" in table and "<th></th>" not in table
    assert f'<a href="/returns/decisions/{decision["id"]}">{decision["reference"]}</a>' in table
    assert ">open</a>" not in table
    assert get(world, "it.returns", "/avr").json()[0]["return_decision_reference"] == decision["reference"]


def test_a_name_typed_for_the_person_says_how_to_find_the_id(world: World) -> None:
    world.person("it.returns", surname="Othman", nationality="SYR", given_names="Bilal")
    web = browser(world, "it.returns")
    form = web.get("/returns/decisions/new").text
    assert 'href="/registry/search"' in form
    r = web.post("/returns/decisions/new", data={"person_id": "Bilal Othman", "issued_on": "2026-08-20"})
    assert r.status_code == 422
    assert ("Person: \u201cBilal Othman\u201d is not a person id: give the person's id (per_\u2026): find the "
            "person with Search (/registry/search) and use 'Issue a return decision' on their page") in html.unescape(r.text)
    assert "not found" not in r.text and 'value="Bilal Othman"' in r.text
    # an id of no person of the state is still said to be not found
    r = web.post("/returns/decisions/new", data={"person_id": "per_NOPE", "issued_on": "2026-08-20"})
    assert r.status_code == 422 and "Person: person per_NOPE not found" in r.text


def test_the_person_page_greys_out_the_return_decision_while_an_application_is_pending(world: World) -> None:
    pending = world.person("it.caseworker", surname="Othman", nationality="SYR", given_names="Bilal")
    case = asylum_case(world, pending, made_on="2026-08-01", until="lodged")
    free = world.person("it.caseworker", surname="Najjar", nationality="TUN")
    officer = browser(world, "it.returns")

    page = officer.get(f"/registry/persons/{pending}").text
    assert 'id="issue-return-decision"' not in page
    assert f'href="/returns/decisions/new?person_id={pending}"' not in page
    said = re.search(r'<p id="issue-return-decision-refused">(.*?)</p>', page, re.S)
    assert said, page
    # the reason is the one the form would give (the same rule), naming the application
    assert f"application for international protection {case['reference']} in IT is pending" in said.group(1)
    assert "the right to remain" in said.group(1)
    refused = post(world, "it.returns", "/decisions", {"person_id": pending, "issued_on": "2026-08-20"})
    assert refused.status_code == 409 and f"{case['reference']} in IT is pending" in refused.json()["detail"]
    # the form opened for that person says so before anything is typed
    form = officer.get(f"/returns/decisions/new?person_id={pending}").text
    assert 'id="return-refused"' in form and case["reference"] in form

    page = officer.get(f"/registry/persons/{free}").text
    assert f'href="/returns/decisions/new?person_id={free}"' in page and "issue-return-decision-refused" not in page
    assert 'id="return-refused"' not in officer.get(f"/returns/decisions/new?person_id={free}").text


def test_the_asylum_case_names_its_return_decision_by_its_reference(world: World) -> None:
    """FD-09: the return decision issued with the negative decision read "rtd_01M8…" on the asylum
    case and "IT-RD-2026-…" everywhere else. Needs ``return_decision_reference`` on the case
    (``services.procedures.get_case``), which the case page prints, linked."""
    from pactum.services import procedures

    person = world.person("it.caseworker", surname="Rahman", nationality="BGD")
    case = asylum_case(world, person, made_on="2026-08-01", until="decided", decided_on="2026-08-20")
    case = procedures.act(world.services, world.principals["it.caseworker"], case["id"], "notify",
                          {"notified_on": "2026-08-21", "with_return_decision": True,
                           "voluntary_departure_days": 15}, case["version"])
    decision = get(world, "it.returns", f"/decisions/{case['return_decision_id']}").json()
    assert decision["reference"].startswith("IT-RD-2026-")
    page = browser(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    assert f'<a href="/returns/decisions/{decision["id"]}">{decision["reference"]}</a>' in page
    assert f">{decision['id']}</a>" not in page
