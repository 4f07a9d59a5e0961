"""QA walk 19, returns (findings 11–13): the lists the CLI and the web lacked (decisions by status,
operations, AVR cases, cancelling an AVR case, a hit, an alert), the statistics as CSV and with
Eurostat's figures of the year, and the pages of a deleted alert and of a departed decision."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pactum.returns.calibration import eurostat

try:
    from .test_returns_support import World, browser, cli, cli_world
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, browser, cli, cli_world  # type: ignore[no-redef]

API = "/api/v1/returns"

@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return cli_world(tmp_path, monkeypatch)


def post(world: World, user: str, path: str, body: dict[str, Any]) -> Any:
    return world.client.post(f"{API}{path}", json=body, headers=world.headers(user))


def get(world: World, user: str, path: str) -> Any:
    return world.client.get(f"{API}{path}", headers=world.headers(user))


def issue(world: World, user: str, surname: str, nationality: str = "TUN", **body: Any) -> dict[str, Any]:
    person = world.person(user, surname=surname, nationality=nationality)
    r = post(world, user, "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                         "voluntary_departure_days": 7, **body})
    assert r.status_code == 201, r.text
    return dict(r.json())


def three_decisions(world: World) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Italy's decisions: one open, one withdrawn, one departed."""
    open_ = issue(world, "it.returns", "Trabelsi")
    gone = issue(world, "it.returns", "Mejri")
    r = post(world, "it.returns", f"/decisions/{gone['id']}/withdraw",
             {"version": gone["version"], "reason": "residence permit granted"})
    assert r.status_code == 200, r.text
    left = issue(world, "it.returns", "Jaziri")
    r = post(world, "it.returns", f"/decisions/{left['id']}/departure",
             {"version": left["version"], "departed_on": "2026-08-25", "mode": "voluntary"})
    assert r.status_code == 200, r.text
    return open_, gone, left


# --------------------------------------------------------------------------- finding 11: CLI


def test_cli_lists_decisions_by_status_and_says_when_more_exist(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    open_, gone, left = three_decisions(world)

    out = cli(monkeypatch, "it.returns", "decisions")
    assert out.exit_code == 0, out.output
    assert [d["reference"] for d in json.loads(out.stdout)] == [
        d["reference"] for d in get(world, "it.returns", "/decisions").json()]
    assert {d["id"]: d["status"] for d in json.loads(out.stdout)} == {
        open_["id"]: "issued", gone["id"]: "withdrawn", left["id"]: "departed"}
    assert out.stderr == ""  # the whole list: nothing said

    out = cli(monkeypatch, "it.returns", "decisions", "--status", "withdrawn")
    assert out.exit_code == 0, out.output
    assert [(d["id"], d["status_reason"]) for d in json.loads(out.stdout)] == [
        (gone["id"], "residence permit granted")]

    out = cli(monkeypatch, "it.returns", "decisions", "--person-id", left["person_id"])
    assert [d["id"] for d in json.loads(out.stdout)] == [left["id"]]

    out = cli(monkeypatch, "it.returns", "decisions", "--limit", "1")
    assert out.exit_code == 0 and len(json.loads(out.stdout)) == 1
    assert out.stderr == "3 decisions in all: 1 printed from offset 0; see the next with --offset 1\n"
    out = cli(monkeypatch, "it.returns", "decisions", "--limit", "1", "--offset", "2")
    assert out.stderr == "3 decisions in all: 1 printed from offset 2\n"

    out = cli(monkeypatch, "it.returns", "decisions", "--status", "gone")
    assert out.exit_code == 2
    assert out.stderr.strip() == ("error: --status: unknown status 'gone'; one of departed, issued, suspended, "
                                  "withdrawn")
    # another state's officer sees none of Italy's decisions
    out = cli(monkeypatch, "de.returns", "decisions")
    assert out.exit_code == 0 and json.loads(out.stdout) == []


def test_cli_lists_operations_and_avr_cases_and_cancels_an_avr_case(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = issue(world, "it.returns", "Ayari")
    op = post(world, "it.returns", "/operations", {"destination_country": "TUN", "planned_date": "2026-09-20",
                                                   "capacity": 20, "escorts": 10, "participating_states": [],
                                                   "frontex_support": False})
    assert op.status_code == 201, op.text
    out = cli(monkeypatch, "it.returns", "operations")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == get(world, "it.returns", "/operations").json()
    assert [(o["id"], o["destination_country"], o["status"]) for o in json.loads(out.stdout)] == [
        (op.json()["id"], "TUN", "planned")]

    avr = post(world, "it.returns", "/avr", {"return_decision_id": d["id"], "programme": "IOM AVRR",
                                              "funding_source": "AMIF", "amount_eur": "1500",
                                              "opened_on": "2026-08-21"})
    assert avr.status_code == 201, avr.text
    out = cli(monkeypatch, "it.returns", "avr-cases")
    assert out.exit_code == 0, out.output
    assert [(c["id"], c["status"], c["amount_eur"]) for c in json.loads(out.stdout)] == [
        (avr.json()["id"], "opened", "1500.00")]

    # a stale version or no reason: one line, exit 2, nothing changed
    out = cli(monkeypatch, "it.returns", "avr-cancel", avr.json()["id"], "-",
              stdin=json.dumps({"version": 1, "reason": "  "}))
    assert out.exit_code == 2 and out.stderr.count("\n") == 1 and "reason" in out.stderr
    out = cli(monkeypatch, "it.returns", "avr-cancel", avr.json()["id"], "-",
              stdin=json.dumps({"version": 1, "reason": "the person withdrew from the programme"}))
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["status"] == "cancelled"
    assert [c["status"] for c in get(world, "it.returns", "/avr").json()] == ["cancelled"]
    out = cli(monkeypatch, "it.returns", "avr-cancel", avr.json()["id"], "-",
              stdin=json.dumps({"version": 2, "reason": "again"}))
    assert out.exit_code == 2 and out.stderr.startswith("error: ")


def test_cli_shows_a_hit_and_an_alert_as_the_api(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    d = issue(world, "it.returns", "Haddad")
    alert_id = d["alert"]["id"]
    assert world.find_alert("de.returns", "Haddad") == alert_id
    hit = post(world, "de.returns", "/hits", {"alert_id": alert_id, "local_person_id": world.met("de.returns", "Haddad")})
    assert hit.status_code == 201, hit.text

    out = cli(monkeypatch, "de.returns", "hit-show", hit.json()["id"])
    assert out.exit_code == 0, out.output
    shown = json.loads(out.stdout)
    assert shown == get(world, "de.returns", f"/hits/{hit.json()['id']}").json()
    assert shown["relation"] == "executing" and shown["decision"]["reference"] == d["reference"]
    assert shown["allowed_actions"] == ["request_information", "recognise", "refuse_recognition"]

    out = cli(monkeypatch, "de.returns", "alert", alert_id)
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == get(world, "de.returns", f"/alerts/{alert_id}").json()
    assert json.loads(out.stdout)["surnames"] == "Haddad"
    # France has no hit: neither the hit nor the alert
    out = cli(monkeypatch, "fr.returns", "alert", alert_id)
    assert out.exit_code == 2 and out.stderr.strip() == f"error: return alert {alert_id} not found"
    out = cli(monkeypatch, "fr.returns", "hit-show", hit.json()["id"])
    assert out.exit_code == 2 and out.stderr.strip() == f"error: hit {hit.json()['id']} not found"


# --------------------------------------------------------------------------- finding 11: web


def test_web_lists_every_decision_of_the_state_filtered_by_status_and_paged(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_, gone, left = three_decisions(world)
    it = browser(world, "it.returns")
    # linked from the returns tabs
    assert '<a href="/returns/decisions"' in it.get("/returns").text

    page = it.get("/returns/decisions")
    assert page.status_code == 200
    refs = re.findall(r'<a href="/returns/decisions/(rtd_\w+)">', page.text)
    assert set(refs) == {open_["id"], gone["id"], left["id"]}
    assert "3 decisions." in page.text
    assert "departed 2026-08-25" in page.text and "withdrawn" in page.text
    # the queue lists only the open one
    queue = it.get("/returns").text
    assert open_["id"] in queue and left["id"] not in queue and gone["id"] not in queue

    page = it.get("/returns/decisions", params={"status": "withdrawn"})
    assert re.findall(r'<a href="/returns/decisions/(rtd_\w+)">', page.text) == [gone["id"]]
    assert "1 decision withdrawn." in page.text and "(residence permit granted)" in page.text
    assert '<option value="withdrawn" selected>' in page.text

    page = it.get("/returns/decisions", params={"status": "gone"})
    assert page.status_code == 422
    assert "Status: unknown status &#39;gone&#39;; one of departed, issued, suspended, withdrawn" in page.text
    assert "3 decisions." in page.text  # then the whole list

    page = it.get("/returns/decisions", params={"offset": "x"})
    assert page.status_code == 422 and "From: " in page.text

    # pages of DECISIONS_PAGE with the shared pager; a filter is kept on the next page
    monkeypatch.setattr("pactum.web.views.returns.DECISIONS_PAGE", 2)
    page = it.get("/returns/decisions").text
    assert "3 decisions; showing 1–2." in page
    assert '<a href="?offset=2" rel="next">next</a>' in page
    page = it.get("/returns/decisions", params={"offset": 2}).text
    assert "3 decisions; showing 3–3." in page and '<a href="?offset=0" rel="prev">previous</a>' in page
    assert len(re.findall(r'<a href="/returns/decisions/(rtd_\w+)">', page)) == 1
    post(world, "it.returns", f"/decisions/{issue(world, 'it.returns', 'Bouzid')['id']}/withdraw",
         {"version": 1, "reason": "appeal allowed"})
    page = it.get("/returns/decisions", params={"status": "withdrawn", "offset": 1}).text
    assert "2 decisions withdrawn; showing 2–2." in page
    assert '<a href="?status=withdrawn&amp;offset=0" rel="prev">previous</a>' in page

    # Germany's list holds none of Italy's
    assert "0 decisions." in browser(world, "de.returns").get("/returns/decisions").text


# --------------------------------------------------------------------------- finding 12: statistics


def _decisions_for_stats(world: World) -> None:
    issue(world, "it.returns", "Trabelsi")
    issue(world, "it.returns", "Mejri")
    d = issue(world, "de.returns", "Beridze", "GEO")
    r = post(world, "de.returns", f"/decisions/{d['id']}/departure",
             {"version": d["version"], "departed_on": "2026-08-29", "mode": "voluntary"})
    assert r.status_code == 200, r.text


EXPECTED_CSV = ("year,member_state,nationality,ordered_to_leave,returned,return_rate\r\n"
                "2026,DE,GEO,1,1,1.0\r\n"
                "2026,IT,TUN,2,0,0.0\r\n")


def test_statistics_as_csv_from_the_api_the_web_page_and_the_cli(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _decisions_for_stats(world)
    r = world.client.get(f"{API}/stats.csv", params={"year": 2026}, headers=world.headers("de.analyst"))
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="return-statistics-2026.csv"'
    assert r.text == EXPECTED_CSV
    # the same figures as the JSON
    rows = get(world, "de.analyst", "/stats?year=2026").json()["rows"]
    assert [[str(v) for v in row.values()] for row in rows] == [
        line.split(",")[1:] for line in EXPECTED_CSV.splitlines()[1:]]

    web = browser(world, "de.analyst")
    page = web.get("/returns/stats", params={"year": 2026}).text
    assert '<a href="/returns/stats.csv?year=2026" id="stats-csv" download>CSV</a>' in page
    r = web.get("/returns/stats.csv", params={"year": 2026})
    assert r.status_code == 200 and r.text == EXPECTED_CSV
    r = web.get("/returns/stats.csv", params={"year": "abc"})
    assert r.status_code == 422 and "Year: &#39;abc&#39; is not a whole number" in r.text

    out = cli(monkeypatch, "de.analyst", "stats", "--year", "2026", "--format", "csv")
    assert out.exit_code == 0, out.output
    assert out.stdout_bytes == EXPECTED_CSV.encode()
    out = cli(monkeypatch, "de.analyst", "stats", "--year", "2026", "--format", "xml")
    assert out.exit_code == 2 and out.stderr.strip() == "error: --format: 'xml' is not json or csv"
    # a year outside the statistics is refused as the JSON's
    r = world.client.get(f"{API}/stats.csv", params={"year": 1800}, headers=world.headers("de.analyst"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "year"]


def test_a_year_that_is_not_one_is_refused_naming_the_year(world: World) -> None:
    r = get(world, "de.analyst", "/stats?year=abc")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "year"]
    r = world.client.get(f"{API}/stats.csv", params={"year": "abc"}, headers=world.headers("de.analyst"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "year"]
    page = browser(world, "de.analyst").get("/returns/stats", params={"year": "abc"})
    assert page.status_code == 422
    assert '<span class="error field-error" id="year-error">Year: &#39;abc&#39; is not a whole number</span>' in page.text
    assert 'value="abc" min="2000" max="2100" aria-invalid="true" aria-describedby="year-error">' in page.text
    page = browser(world, "de.analyst").get("/returns/stats.csv", params={"year": "0"})
    assert page.status_code == 422 and "give a year between 2000 and 2100" in page.text


def test_statistics_page_shows_eurostats_figures_of_the_year_chosen(world: World) -> None:
    web = browser(world, "de.analyst")
    # 2015: no decision in the store, Eurostat's figures of 2015 for every Member State
    page = web.get("/returns/stats", params={"year": 2015}).text
    assert "No return decisions or departures in 2015." in page
    assert "Eurostat reference, 2015 (all nationalities)" in page
    italy, germany = eurostat()[("IT", 2015)], eurostat()[("DE", 2015)]
    for f in (italy, germany):
        assert (f'<td class="num">{f.ordered_to_leave:,}</td><td class="num">{f.returned:,}</td>') in page
    assert "Eurostat reference, 2016" not in page and "its latest year" not in page
    # after the series: its latest year, said to be so
    _decisions_for_stats(world)
    page = web.get("/returns/stats", params={"year": 2026}).text
    assert "Eurostat reference, 2016 (all nationalities)" in page
    assert "The shipped Eurostat series ends in 2016: its latest year, for comparison." in page
    assert re.findall(r'<tr><td><abbr title="[^"]+">(\w\w)</abbr></td><td class="num">', page) == ["DE", "IT"]
    # before the series: none
    page = web.get("/returns/stats", params={"year": 2005}).text
    assert "Eurostat reference" not in page


# --------------------------------------------------------------------------- finding 13: pages


def test_a_deleted_alert_and_a_departed_decision_read_right(world: World) -> None:
    d = issue(world, "it.returns", "Haddad")
    rq = post(world, "it.returns", "/readmission-requests", {"return_decision_id": d["id"], "sent_on": "2026-08-21"})
    assert rq.status_code == 201, rq.text
    it = browser(world, "it.returns")
    assert "Record answer" in it.get(f"/returns/decisions/{d['id']}").text

    world.find_alert("de.returns", "Haddad")
    hit = post(world, "de.returns", "/hits", {"alert_id": d["alert"]["id"],
                                              "local_person_id": world.met("de.returns", "Haddad")}).json()
    assert post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]}).status_code == 200
    r = post(world, "de.returns", f"/decisions/{d['id']}/departure",
             {"version": get(world, "de.returns", f"/decisions/{d['id']}").json()["version"],
              "departed_on": "2026-09-01", "mode": "enforced"})
    assert r.status_code == 200, r.text

    page = it.get(f"/returns/decisions/{d['id']}").text
    assert "None" not in page
    assert "<dt>(g) Gender · (h) nationality</dt><dd>– · –</dd>" in page
    assert "<dt>(f) Born</dt><dd>–</dd>" in page
    # the person left: no answer to record, and the form is gone
    assert "Record answer" not in page and 'action="/returns/readmission/' not in page
    assert "no answer recorded; none is needed now that the decision is departed" in page

    hits = browser(world, "de.returns").get("/returns/hits").text
    assert "None" not in hits
    assert ('<span class="muted">alert deleted: personal data erased</span></td><td>–</td>') in hits
    hits = it.get("/returns/hits").text
    assert "None" not in hits and "personal data erased</span></td><td>–</td>" in hits
