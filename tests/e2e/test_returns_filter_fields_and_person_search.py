"""The returns area's filter forms mark the field they refused, and the new return decision's form
finds the person by name.

- The filters of the queue (destination, name), the notifications (kind, per page), the list of
  decisions (status), the alert search (its identity fields) and the statistics (year, Member
  State) said a refused value above or beside the form, but the field carried no
  ``aria-invalid``/``aria-describedby`` (WCAG 2.1 3.3.1, 1.3.1): a screen reader reaching the field
  was not told what was wrong. Each refused field is now marked and described by its message,
  through the shared mechanism (``render.invalid`` and the summary's line ids; the statistics' by
  ``_partials/field_error.html``), keeping what was typed; the API answers 422 and the CLI exits
  2, both naming the field.
- The new return decision's form asked for the person's id, which the officer had to look up on
  another page. Its *Find the person* searches the state's records by name and date of birth with
  the registry's search (scoped and logged as that search is), lists the records (name, date of
  birth, nationality, the record) and *Choose* fills the person into the form, keeping what was
  typed in the other fields; it works without JavaScript (a GET of the whole form).
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from pactum.store.tables.platform import personal_data_reads
from tests.e2e.test_field_marking import _value, marked
from tests.e2e.test_returns_support import World, browser, cli, cli_world, post


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return cli_world(tmp_path, monkeypatch)


def _issue(world: World, surname: str = "Trabelsi", **extra: str) -> tuple[str, dict[str, object]]:
    person = world.person("it.returns", surname=surname, nationality="TUN", **extra)
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20"})
    assert r.status_code == 201, r.text
    return person, r.json()


def _selected(html: str, name: str) -> list[str]:
    """The values of the options selected in the select ``name``."""
    select_html = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select_html, name
    return [unescape(v) for v in re.findall(r'<option value="([^"]*)" selected>', select_html[1])]


# --------------------------------------------------------------------------- filters


def test_the_queue_marks_the_destination_and_the_name_it_refused(world: World,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _issue(world)
    long_name = "x" * 402
    r = browser(world, "it.returns").get("/returns", params={"destination": "Atlantis", "name": long_name})
    assert r.status_code == 422
    said = marked(r.text)
    assert set(said) == {"destination", "name"}
    assert said["destination"][0].startswith("Destination: ") and "Atlantis" in said["destination"][0]
    assert said["name"] == ["Name: at most 401 characters (a person's given names and surname); 402 given"]
    # each message is a line of the summary the field points to; what was typed is kept
    assert 'aria-describedby="problem-1"' in r.text and '<li id="problem-1">' in r.text
    assert _selected(r.text, "destination") == ["Atlantis"]
    assert _value(r.text, "name") == long_name
    # a good filter marks nothing
    r = browser(world, "it.returns").get("/returns", params={"name": "trabelsi"})
    assert r.status_code == 200 and marked(r.text) == {}
    # the API and the CLI name the field
    r = world.client.get("/api/v1/returns/queue", params={"destination": "Atlantis"},
                         headers=world.headers("it.returns"))
    assert r.status_code == 422 and [p["loc"] for p in r.json()["detail"]] == [["query", "destination"]]
    out = cli(monkeypatch, "it.returns", "queue", "--destination", "Atlantis")
    assert out.exit_code == 2 and out.stderr.startswith("error: --destination: ")


def test_the_notifications_mark_the_kind_and_the_page_size_they_refused(world: World,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    r = browser(world, "it.returns").get("/returns/notifications", params={"kind": "nonsense", "limit": "x"})
    assert r.status_code == 422
    said = marked(r.text)
    assert set(said) == {"kind", "limit"}
    assert said["limit"] == ["Per page: 'x' is not a whole number"]
    assert said["kind"][0].startswith("Kind: one of hit, hit_message")
    assert _selected(r.text, "kind") == ["nonsense"] and _value(r.text, "limit") == "x"
    # a page size beyond the most a page holds, refused by the service, is marked too
    r = browser(world, "it.returns").get("/returns/notifications", params={"limit": "600"})
    assert r.status_code == 422 and marked(r.text) == {"limit": ["Per page: between 1 and 500"]}
    assert _value(r.text, "limit") == "600"
    r = world.client.get("/api/v1/returns/notifications", params={"kind": "nonsense"},
                         headers=world.headers("it.returns"))
    assert r.status_code == 422 and [p["loc"] for p in r.json()["detail"]] == [["query", "kind"]]
    out = cli(monkeypatch, "it.returns", "notifications", "--kind", "nonsense")
    assert out.exit_code == 2 and out.stderr.startswith("error: --kind: ")


def test_the_list_of_decisions_marks_the_status_it_refused(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    _issue(world)
    r = browser(world, "it.returns").get("/returns/decisions", params={"status": "gone"})
    assert r.status_code == 422
    assert marked(r.text) == {"status": [
        "Status: unknown status 'gone'; one of departed, issued, suspended, withdrawn"]}
    assert _selected(r.text, "status") == ["gone"]
    # an offset that is not one is not a field of the form: the summary says it, no field is marked
    r = browser(world, "it.returns").get("/returns/decisions", params={"status": "issued", "offset": "x"})
    assert r.status_code == 422 and marked(r.text) == {} and "From: " in r.text
    assert _selected(r.text, "status") == []
    r = world.client.get("/api/v1/returns/decisions", params={"status": "gone"}, headers=world.headers("it.returns"))
    assert r.status_code == 422 and [p["loc"] for p in r.json()["detail"]] == [["query", "status"]]
    out = cli(monkeypatch, "it.returns", "decisions", "--status", "gone")
    assert out.exit_code == 2 and out.stderr.startswith("error: --status: ")


def test_the_alert_search_marks_the_field_it_refused(world: World) -> None:
    r = browser(world, "de.returns").get("/returns/search", params={"surname": "Trabelsi",
                                                                    "date_of_birth": "sometime"})
    assert r.status_code == 422
    said = marked(r.text)
    assert list(said) == ["date_of_birth"] and said["date_of_birth"][0].startswith("Date of birth: ")
    assert _value(r.text, "date_of_birth") == "sometime" and _value(r.text, "surname") == "Trabelsi"


def test_the_statistics_mark_the_year_and_the_state_beside_them(world: World) -> None:
    r = browser(world, "de.analyst").get("/returns/stats", params={"year": "abc", "member_state": "XX"})
    assert r.status_code == 422
    said = marked(r.text)
    assert said["year"] == ["Year: 'abc' is not a whole number"]
    assert said["member_state"][0].startswith("Member State: 'XX' is not a state bound by the Pact")
    assert 'aria-describedby="member-state-error"' in r.text and 'class="error field-error"' in r.text
    assert _value(r.text, "year") == "abc" and _selected(r.text, "member_state") == ["XX"]


# --------------------------------------------------------------------------- finding the person


def _reads(world: World) -> list[tuple[object, ...]]:
    with world.services.engine.connect() as conn:
        return [(r.username, r.what, r.channel, r.criteria, r.person_id, r.person_member_state)
                for r in conn.execute(select(personal_data_reads).order_by(personal_data_reads.c.at,
                                                                           personal_data_reads.c.id))]


def test_the_officer_finds_the_person_by_name_and_chooses_them_keeping_the_form(world: World) -> None:
    karim = world.person("it.returns", surname="Trabelsi", nationality="TUN", given_names="Karim",
                         date_of_birth="1994-03-02")
    world.person("it.returns", surname="Trabelsi", nationality="TUN", given_names="Amina",
                 date_of_birth="2001-01-01")
    german = world.met("de.returns", "Trabelsi", given_names="Karim", date_of_birth="1994-03-02")
    web = browser(world, "it.returns")
    form = web.get("/returns/decisions/new").text
    assert 'formaction="/returns/decisions/new"' in form and 'formmethod="get"' in form  # no JavaScript needed
    # the form sent with Find the person: the other fields typed are kept
    r = web.get("/returns/decisions/new", params=[
        ("person_id", ""), ("issued_on", "2026-08-20"), ("voluntary_departure_days", "12"),
        ("grounds", "illegal_stay"), ("find_name", "karim trabelsi"), ("find_born", "1994"), ("find", "1")])
    assert r.status_code == 200
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", r.text.split(
        'id="find-results"')[1].split("</table>")[0])
    # Italy's record only (Germany's record of the same man is not Italy's to read), with what tells people apart
    assert [(name, born, re.sub(r"<[^>]+>", "", nat), record.split(",")[0]) for name, born, nat, record in rows] == [
        ("Karim Trabelsi", "1994-03-02", "TUN", "irregular crossing")]
    assert "recorded 2026-06-20 by IT" in rows[0][3]
    assert german not in r.text
    assert _value(r.text, "find_name") == "karim trabelsi" and _value(r.text, "voluntary_departure_days") == "12"
    assert 'value="illegal_stay" checked' in r.text
    choose = unescape(re.search(r'<a href="([^"]+)" aria-label="Choose Karim Trabelsi, born 1994-03-02">Choose</a>',
                                r.text)[1])
    assert parse_qs(urlsplit(choose).query) == {"person_id": [karim], "issued_on": ["2026-08-20"],
                                                "voluntary_departure_days": ["12"], "grounds": ["illegal_stay"]}
    # choosing fills the person in, the rest as typed; the decision is then issued for that person
    r = web.get(choose)
    assert r.status_code == 200
    assert _value(r.text, "person_id") == karim and _value(r.text, "voluntary_departure_days") == "12"
    assert _value(r.text, "issued_on") == "2026-08-20" and 'value="illegal_stay" checked' in r.text
    r = web.post("/returns/decisions/new", data={"person_id": karim, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": "12", "grounds": ["illegal_stay"]},
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    # the search was read as the registry's search is logged: the criteria given, the person shown
    assert _reads(world)[-1][:5] == ("it.returns", "registry_search", "web", "name, date of birth", karim)
    assert [x for x in _reads(world) if x[1] == "registry_search"] == [
        ("it.returns", "registry_search", "web", "name, date of birth", karim, "IT")]


def test_a_search_finding_nobody_says_so_and_a_search_of_nothing_marks_the_name(world: World) -> None:
    world.person("it.returns", surname="Trabelsi", nationality="TUN")
    web = browser(world, "it.returns")
    r = web.get("/returns/decisions/new", params={"find_name": "Nobody Known", "find": "1",
                                                  "issued_on": "2026-08-21"})
    assert r.status_code == 200
    assert ('<p class="notice" role="status" id="find-none">No person in your state\'s records matches the name '
            '\u201cNobody Known\u201d.</p>') in r.text
    assert 'id="find-results"' not in r.text and _value(r.text, "issued_on") == "2026-08-21"
    # the search was made, and logged so, with nobody shown
    assert _reads(world) == [("it.returns", "registry_search", "web", "name", None, None)]
    # Find with nothing typed: the name field is marked, nothing searched nor logged
    r = web.get("/returns/decisions/new", params={"find_name": "", "find_born": "", "find": "1"})
    assert r.status_code == 422
    assert marked(r.text) == {"find_name": ["Find the person, name: give a name or a date of birth to search"]}
    r = web.get("/returns/decisions/new", params={"find_born": "the nineties", "find": "1"})
    assert r.status_code == 422 and list(marked(r.text)) == ["find_born"]
    assert _value(r.text, "find_born") == "the nineties"
    assert len(_reads(world)) == 1
