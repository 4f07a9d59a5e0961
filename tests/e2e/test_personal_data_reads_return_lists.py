"""Who read the returns lists: the read log (``services.reads``) of the return decisions' list,
the hits, the removal queue and its CSV, and a return operation's page.

A return decision opened on its own was logged; the lists that name the same persons were not:
an officer who read the queue, the list of decisions, the hits or an operation's people on board,
over the web, the API or the command line, left no trace. Each answer is now one read: a row for
each person it showed, with the state whose person they are (the decision's person as the issuing
state's, as the decision's own read logs it; the person the reader's state found on a hit as that
state's), the filters given by name (never what was typed), the operation's id for an operation.
An answer that showed nobody, a refused list (422, 403) and an internal read (the home page's
counts) log nothing. Another state's returnee on an operation, whom the organiser's page does not
name ("in DE's records"), is not logged as read by the organiser.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.services.auth import Role
from pactum.store.tables.platform import personal_data_reads

try:
    from .test_returns_support import World, browser, cli, cli_world, get, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, browser, cli, cli_world, get, post  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return cli_world(tmp_path, monkeypatch)


def reads(world: World) -> list[dict[str, Any]]:
    """The reads logged so far, one entry per read (its rows' persons together): the web's and the
    API's in order, then the command line's (its clock is today's, the world's is September)."""
    with world.services.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(
            select(personal_data_reads).order_by(personal_data_reads.c.at, personal_data_reads.c.read_id,
                                                 personal_data_reads.c.person_id))]
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        read = out.setdefault(r["read_id"], {k: r[k] for k in ("username", "what", "channel", "record_id",
                                                                "criteria", "persons_shown")} | {"persons": {}})
        if r["person_id"] is not None:
            read["persons"][r["person_id"]] = r["person_member_state"]
    return sorted(out.values(), key=lambda r: r["channel"] == "cli")


def read(username: str, what: str, channel: str, persons: dict[str, str], *, criteria: str | None = None,
         record_id: str | None = None) -> dict[str, Any]:
    return {"username": username, "what": what, "channel": channel, "record_id": record_id, "criteria": criteria,
            "persons_shown": len(persons), "persons": persons}


def clear(world: World) -> None:
    with world.services.engine.begin() as conn:
        conn.execute(personal_data_reads.delete())


PEOPLE = {"Trabelsi": ("Karim", "1994-03-02"), "Haddad": ("Samir", "1990-07-14")}


def issue(world: World, surname: str) -> tuple[str, dict[str, Any]]:
    given, born = PEOPLE[surname]
    person = world.person("it.returns", surname=surname, nationality="TUN", given_names=given, date_of_birth=born)
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": 7})
    assert r.status_code == 201, r.text
    return person, dict(r.json())


def story(world: World) -> dict[str, Any]:
    """Italy's two decisions (Trabelsi, Haddad); Germany found Trabelsi (its own record ``met``),
    recorded the hit and recognised the decision."""
    karim, first = issue(world, "Trabelsi")
    samir, second = issue(world, "Haddad")
    given, born = PEOPLE["Trabelsi"]
    assert world.find_alert("de.returns", "Trabelsi", given_names=given, date_of_birth=born) == first["alert"]["id"]
    met = world.met("de.returns", "Trabelsi", given_names=given, date_of_birth=born)
    r = post(world, "de.returns", "/hits", {"alert_id": first["alert"]["id"], "local_person_id": met})
    assert r.status_code == 201, r.text
    hit = r.json()
    r = post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]})
    assert r.status_code == 200, r.text
    clear(world)  # the identity search and the hit's checks are other reads; these tests look at the lists
    return {"karim": karim, "samir": samir, "met": met, "first": first, "second": second, "hit": hit}


def test_the_list_of_return_decisions_logs_the_persons_of_the_page_on_each_way_in(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    s = story(world)
    both = {s["karim"]: "IT", s["samir"]: "IT"}
    assert browser(world, "it.returns").get("/returns/decisions").status_code == 200
    r = get(world, "it.returns", "/decisions?status=issued")
    assert r.status_code == 200 and len(r.json()) == 2
    out = cli(monkeypatch, "it.returns", "decisions", "--person-id", s["samir"])
    assert out.exit_code == 0, out.output
    # a page showing nobody, a refused filter and a refused reader log nothing
    assert get(world, "it.returns", "/decisions?status=withdrawn").json() == []
    assert get(world, "it.returns", "/decisions?status=gone").status_code == 422
    assert get(world, "de.analyst", "/decisions").status_code == 403
    assert browser(world, "it.returns").get("/returns/decisions?status=gone").status_code == 422
    assert reads(world) == [
        read("it.returns", "return_decision_list", "web", both),
        read("it.returns", "return_decision_list", "api", both, criteria="status"),
        # the refused page lists every decision instead, and says so: that list was shown
        read("it.returns", "return_decision_list", "web", both),
        read("it.returns", "return_decision_list", "cli", {s["samir"]: "IT"}, criteria="person id")]
    # the auditor reads them on the API
    seen = world.client.get("/api/v1/audit/reads", headers=world.headers("it.auditor")).json()
    assert {(r["what_label"], r["channel"]) for r in seen} == {("list of return decisions", "web"),
                                                               ("list of return decisions", "api"),
                                                               ("list of return decisions", "cli")}


@pytest.fixture(autouse=True)
def auditor(world: World) -> None:
    world.user("it.auditor", "IT", Role.auditor)


def test_the_queue_and_its_csv_log_the_persons_listed_with_the_state_whose_person_they_are(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    s = story(world)
    it = browser(world, "it.returns")
    assert it.get("/returns").status_code == 200
    assert it.get("/returns", params={"name": "haddad"}).status_code == 200
    csv = it.get("/returns/queue.csv", params={"name": "Trabelsi"})
    assert csv.status_code == 200 and s["karim"] in csv.text and s["samir"] not in csv.text
    # Germany's queue: Italy's decision it recognised, with the person it found (its own record)
    de = get(world, "de.returns", "/queue")
    assert de.status_code == 200
    [item] = [d for g in de.json() for d in g["decisions"]]
    assert item["local_person_id"] == s["met"] and item["person_id"] is None  # not Italy's record
    out = cli(monkeypatch, "de.returns", "queue", "--format", "csv", "--name", "trabelsi")
    assert out.exit_code == 0, out.output
    # refused filters, an empty queue and the home page's counts log nothing
    assert get(world, "it.returns", "/queue?destination=Atlantis").status_code == 422
    assert cli(monkeypatch, "it.returns", "queue", "--name", "x" * 402).exit_code == 2
    assert get(world, "fr.returns", "/queue").json() == []
    assert it.get("/").status_code == 200
    got = reads(world)
    both = {s["karim"]: "IT", s["samir"]: "IT"}
    # Germany's rows name the person of its own records, never Italy's record of them
    de_read = {s["met"]: "DE"}
    assert got == [
        read("it.returns", "return_decision_list", "web", both),
        read("it.returns", "return_decision_list", "web", {s["samir"]: "IT"}, criteria="name"),
        read("it.returns", "return_decision_list", "web", {s["karim"]: "IT"}, criteria="name"),  # the CSV
        read("de.returns", "return_decision_list", "api", de_read),
        read("de.returns", "return_decision_list", "cli", de_read, criteria="name")]


def test_the_hits_log_the_alerts_person_and_the_person_found(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    s = story(world)
    assert browser(world, "it.returns").get("/returns/hits").status_code == 200
    r = get(world, "de.returns", "/hits?waiting=false")
    assert r.status_code == 200 and len(r.json()["executing"]) == 1
    out = cli(monkeypatch, "de.returns", "hits", "--waiting")  # recognised: no longer waiting
    assert out.exit_code == 0 and json.loads(out.stdout) == {"executing": [], "issuing": []}
    assert get(world, "de.returns", "/hits?limit=0").status_code == 422
    assert get(world, "fr.returns", "/hits").json() == {"executing": [], "issuing": []}
    assert reads(world) == [
        # Italy: the hit on its alert, its own person named by the alert
        read("it.returns", "return_hits", "web", {s["karim"]: "IT"}),
        # Germany: the alert's person (Italy's) and the person it encountered (its own)
        read("de.returns", "return_hits", "api", {s["karim"]: "IT", s["met"]: "DE"})]
    # once the alert is deleted (the departure confirmed), its names are erased: the hit names Germany's person only
    decision = get(world, "de.returns", f"/decisions/{s['first']['id']}").json()
    r = post(world, "de.returns", f"/decisions/{s['first']['id']}/departure",
             {"version": decision["version"], "departed_on": "2026-09-01", "mode": "enforced"})
    assert r.status_code == 200, r.text
    clear(world)
    assert browser(world, "it.returns").get("/returns/hits").status_code == 200
    out = cli(monkeypatch, "de.returns", "hits")
    assert out.exit_code == 0, out.output
    assert reads(world) == [read("de.returns", "return_hits", "cli", {s["met"]: "DE"})]


def test_an_operation_logs_the_people_on_board_and_the_candidates_its_page_names(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    s = story(world)
    r = post(world, "it.returns", "/operations", {"destination_country": "TUN", "planned_date": "2026-09-20",
                                                  "capacity": 5, "escorts": 4, "participating_states": ["DE"],
                                                  "frontex_support": False})
    assert r.status_code == 201, r.text
    op = r.json()["id"]
    # Germany selects the Italian decision it recognised: Italy, the organiser, does not read its person
    r = post(world, "de.returns", f"/operations/{op}/participants", {"return_decision_id": s["first"]["id"]})
    assert r.status_code == 201, r.text
    assert reads(world) == []  # planning and selecting read nobody
    page = browser(world, "it.returns").get(f"/returns/operations/{op}")
    assert page.status_code == 200 and "in DE's records" in page.text
    r = get(world, "de.returns", f"/operations/{op}")
    assert r.status_code == 200 and r.json()["participants"][0]["local_person_id"] == s["met"]
    out = cli(monkeypatch, "it.returns", "candidates", op)
    assert out.exit_code == 0, out.output
    assert [c["id"] for c in json.loads(out.stdout)] == [s["second"]["id"]]
    # an operation that is not the reader's, a missing one, and one whose page names nobody
    assert get(world, "fr.returns", f"/operations/{op}").status_code == 404
    assert get(world, "it.returns", "/operations/rop_nobody").status_code == 404
    out = cli(monkeypatch, "fr.returns", "operation", op)
    assert out.exit_code == 2
    assert get(world, "de.returns", f"/operations/{op}/candidates").json() == []
    assert reads(world) == [
        # the organiser's page: its candidate (Haddad), not Germany's returnee
        read("it.returns", "return_operation", "web", {s["samir"]: "IT"}, record_id=op),
        read("de.returns", "return_operation", "api", {s["met"]: "DE"}, record_id=op),
        read("it.returns", "return_operation", "cli", {s["samir"]: "IT"}, record_id=op)]
