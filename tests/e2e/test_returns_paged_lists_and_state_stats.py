"""The returns lists that were returned whole come in pages (hits, operations, assisted voluntary
return cases: ``limit``/``offset``, ``X-Total-Count``, the pager on the pages, ``--limit`` and
``--offset`` on the CLI), and the return statistics of one Member State (``member_state``: the
decisions it issued, the returns it carried out) on the API, the CSV, the page and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pactum.services.auth import Role

try:
    from .test_returns_support import World, browser, cli, cli_world, get, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, browser, cli, cli_world, get, post  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return cli_world(tmp_path, monkeypatch)


#: Each person's given names and date of birth (the identity search tells them apart).
PEOPLE = {"Trabelsi": ("Karim", "1994-03-02"), "Haddad": ("Samir", "1990-07-14"), "Jaziri": ("Walid", "1988-11-30"),
          "Beridze": ("Giorgi", "1992-05-09")}


def identity(surname: str) -> dict[str, str]:
    given, born = PEOPLE.get(surname, ("Karim", "1994-03-02"))
    return {"given_names": given, "date_of_birth": born}


def issue(world: World, officer: str, surname: str, nationality: str = "TUN", **body: Any) -> dict[str, Any]:
    person = world.person(officer, surname=surname, nationality=nationality, **identity(surname))
    r = post(world, officer, "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                            "voluntary_departure_days": 7, **body})
    assert r.status_code == 201, r.text
    return dict(r.json())


def hit(world: World, officer: str, decision: dict[str, Any], surname: str) -> dict[str, Any]:
    """``officer``'s state finds the person of ``decision``'s alert and records the hit."""
    assert world.find_alert(officer, surname, **identity(surname)) == decision["alert"]["id"]
    met = world.met(officer, surname, decision["alert"]["nationalities"], **identity(surname))
    r = post(world, officer, "/hits", {"alert_id": decision["alert"]["id"], "local_person_id": met})
    assert r.status_code == 201, r.text
    return dict(r.json())


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in rows]


def assert_pages_follow(world: World, officer: str, path: str, key: Any, every: list[str]) -> None:
    """Pages of two from ``path``: each follows the one before without overlap, together they are
    the whole list in its order, and each says how many the list holds."""
    seen: list[str] = []
    for offset in range(0, len(every), 2):
        r = get(world, officer, f"{path}?limit=2&offset={offset}")
        assert r.status_code == 200, r.text
        assert r.headers["X-Total-Count"] == str(len(every))
        seen += key(r.json())
    assert seen == every and len(set(seen)) == len(every)


def assert_limit_refused(world: World, monkeypatch: pytest.MonkeyPatch, officer: str, path: str,
                         command: list[str]) -> None:
    """``limit`` above the page's maximum: 422 naming ``limit`` on the API, exit 2 naming
    ``--limit`` on the CLI; a negative offset too."""
    r = get(world, officer, f"{path}?limit=1001&offset=-1")
    assert r.status_code == 422
    assert [(p["loc"], p["msg"]) for p in r.json()["detail"]] == [
        (["query", "limit"], "1001 is not from 1 to 1000"), (["query", "offset"], "-1 is negative: give 0 or more")]
    out = cli(monkeypatch, officer, *command, "--limit", "1001")
    assert out.exit_code == 2
    assert out.stderr.strip() == "error: --limit: 1001 is not from 1 to 1000"


# --------------------------------------------------------------------------- hits


def test_hits_come_in_pages_of_both_lists_together(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    decisions = {s: issue(world, "it.returns", s) for s in ("Trabelsi", "Haddad", "Jaziri")}
    made = [hit(world, "de.returns", d, s)["id"] for s, d in decisions.items()]
    mine = issue(world, "de.returns", "Beridze", "GEO")  # a German alert found in Italy
    on_ours = hit(world, "it.returns", mine, "Beridze")["id"]

    whole = get(world, "de.returns", "/hits")
    assert whole.headers["X-Total-Count"] == "4"
    assert set(whole.json()) == {"executing", "issuing"}  # the answer's shape as before
    assert sorted(ids(whole.json()["executing"])) == sorted(made) and ids(whole.json()["issuing"]) == [on_ours]
    every = ids(whole.json()["executing"]) + ids(whole.json()["issuing"])  # all reported at the same time
    every.sort(reverse=True)  # the latest reported first, then by id
    assert_pages_follow(world, "de.returns", "/hits",
                        lambda page: sorted(ids(page["executing"]) + ids(page["issuing"]), reverse=True), every)
    # only the waiting ones: all four are open
    assert get(world, "de.returns", "/hits?waiting=true&limit=1").headers["X-Total-Count"] == "4"
    # Italy: one hit it recorded, three on its alerts; France none
    assert get(world, "it.returns", "/hits").headers["X-Total-Count"] == "4"
    assert get(world, "fr.returns", "/hits").headers["X-Total-Count"] == "0"
    assert_limit_refused(world, monkeypatch, "de.returns", "/hits", ["hits"])

    out = cli(monkeypatch, "de.returns", "hits", "--limit", "3")
    assert out.exit_code == 0, out.output
    printed = json.loads(out.stdout)
    assert sorted(ids(printed["executing"]) + ids(printed["issuing"]), reverse=True) == every[:3]
    assert out.stderr == "4 hits in all: 3 printed from offset 0; see the next with --offset 3\n"

    page = browser(world, "de.returns").get("/returns/hits?offset=2")
    assert page.status_code == 200
    assert "4 hits; showing 3–4." in page.text and 'href="?offset=0" rel="prev"' in page.text
    assert browser(world, "de.returns").get("/returns/hits?offset=-1").status_code == 422


# --------------------------------------------------------------------------- operations


def plan(world: World, officer: str, day: str, **body: Any) -> str:
    r = post(world, officer, "/operations", {"destination_country": "TUN", "planned_date": day, "capacity": 20,
                                             "escorts": 10, "participating_states": [], "frontex_support": False,
                                             **body})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_operations_come_in_pages_by_planned_date(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    made = [plan(world, "it.returns", "2026-10-01", participating_states=["DE"]),
            plan(world, "it.returns", "2026-10-15", frontex_support=True),
            plan(world, "it.returns", "2026-11-01"),
            plan(world, "it.returns", "2026-11-01"),
            plan(world, "fr.returns", "2026-09-20")]
    italy = made[:4]
    same_day = sorted(made[2:4])  # on the same day, by id
    assert_pages_follow(world, "it.returns", "/operations", ids, [*italy[:2], *same_day])
    # who sees which: a participating state, Frontex the operations it supports
    assert ids(get(world, "de.returns", "/operations").json()) == [made[0]]
    world.user("frontex.analyst", "FRONTEX", Role.analyst)
    r = get(world, "frontex.analyst", "/operations")
    assert ids(r.json()) == [made[1]] and r.headers["X-Total-Count"] == "1"
    assert get(world, "frontex.analyst", f"/operations/{made[0]}").status_code == 404
    assert_limit_refused(world, monkeypatch, "it.returns", "/operations", ["operations"])

    out = cli(monkeypatch, "it.returns", "operations", "--limit", "2", "--offset", "2")
    assert out.exit_code == 0, out.output
    assert ids(json.loads(out.stdout)) == same_day
    assert out.stderr == "4 operations in all: 2 printed from offset 2\n"

    from pactum.web.views import returns as view

    monkeypatch.setattr(view, "LIST_PAGE", 2)
    text = browser(world, "it.returns").get("/returns/operations").text
    assert "4 operations; showing 1–2." in text and 'href="?offset=2" rel="next"' in text
    assert made[0] in text and same_day[0] not in text


# --------------------------------------------------------------------------- assisted voluntary return


def test_avr_cases_come_in_pages_the_latest_opened_first(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    made = []
    for i, surname in enumerate(("Okafor", "Adeyemi", "Eze")):
        d = issue(world, "it.returns", surname, "NGA")
        r = post(world, "it.returns", "/avr", {"return_decision_id": d["id"], "programme": "IOM AVRR Italy",
                                                "funding_source": "AMIF", "amount_eur": "1500",
                                                "opened_on": f"2026-08-2{1 + i}"})
        assert r.status_code == 201, r.text
        made.append(r.json()["id"])
    assert_pages_follow(world, "it.returns", "/avr", ids, made[::-1])
    assert get(world, "de.returns", "/avr").headers["X-Total-Count"] == "0"  # Italy's cases only
    assert_limit_refused(world, monkeypatch, "it.returns", "/avr", ["avr-cases"])

    out = cli(monkeypatch, "it.returns", "avr-cases", "--limit", "1")
    assert out.exit_code == 0, out.output
    assert ids(json.loads(out.stdout)) == [made[2]]
    assert out.stderr == ("3 assisted voluntary return cases in all: 1 printed from offset 0; "
                          "see the next with --offset 1\n")

    from pactum.web.views import returns as view

    monkeypatch.setattr(view, "LIST_PAGE", 2)
    web = browser(world, "it.returns")
    first = web.get("/returns/operations").text
    assert "3 cases; showing 1–2." in first and 'href="?avr_offset=2" rel="next"' in first
    second = web.get("/returns/operations?avr_offset=2").text
    assert "showing 3–3" in second and made[0] in second and made[2] not in second


# --------------------------------------------------------------------------- statistics of one state


def test_statistics_of_one_state_are_what_that_state_did(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # Italy orders two Tunisians to leave; Germany finds one, recognises and returns him; Germany
    # orders a Georgian to leave, who leaves
    trabelsi = issue(world, "it.returns", "Trabelsi")
    issue(world, "it.returns", "Haddad")
    found = hit(world, "de.returns", trabelsi, "Trabelsi")
    r = post(world, "de.returns", f"/hits/{found['id']}/recognise", {"version": found["version"]})
    assert r.status_code == 200, r.text
    dec = get(world, "de.returns", f"/decisions/{trabelsi['id']}").json()
    r = post(world, "de.returns", f"/decisions/{trabelsi['id']}/departure",
             {"version": dec["version"], "departed_on": "2026-09-01", "mode": "enforced"})
    assert r.status_code == 200, r.text
    georgian = issue(world, "de.returns", "Beridze", "GEO")
    r = post(world, "de.returns", f"/decisions/{georgian['id']}/departure",
             {"version": georgian["version"], "departed_on": "2026-08-25", "mode": "voluntary"})
    assert r.status_code == 200, r.text

    everyone = get(world, "de.analyst", "/stats?year=2026").json()
    assert "member_state" not in everyone  # every state's figures: the answer as before
    assert [(x["member_state"], x["nationality"], x["ordered_to_leave"], x["returned"]) for x in everyone["rows"]] == [
        ("DE", "GEO", 1, 1), ("DE", "TUN", 0, 1), ("IT", "TUN", 2, 0)]
    italy = get(world, "de.analyst", "/stats?year=2026&member_state=it").json()
    assert italy == {"year": 2026, "member_state": "IT", "rows": [
        {"member_state": "IT", "nationality": "TUN", "ordered_to_leave": 2, "returned": 0, "return_rate": 0.0}]}
    assert italy["rows"] != everyone["rows"]
    # Germany's: the Georgian it ordered and returned, and the Tunisian it returned on Italy's order
    germany = get(world, "it.returns", "/stats?year=2026&member_state=DE").json()
    assert [(x["nationality"], x["ordered_to_leave"], x["returned"]) for x in germany["rows"]] == [
        ("GEO", 1, 1), ("TUN", 0, 1)]
    assert get(world, "de.analyst", "/stats?year=2026&member_state=FR").json() == {
        "year": 2026, "member_state": "FR", "rows": []}

    r = world.client.get("/api/v1/returns/stats.csv", params={"year": 2026, "member_state": "IT"},
                         headers=world.headers("de.analyst"))
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="return-statistics-2026-IT.csv"'
    assert r.text == ("year,member_state,nationality,ordered_to_leave,returned,return_rate\r\n"
                      "2026,IT,TUN,2,0,0.0\r\n")

    out = cli(monkeypatch, "de.analyst", "stats", "--year", "2026", "--member-state", "IT")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == italy

    page = browser(world, "de.analyst").get("/returns/stats", params={"year": 2026, "member_state": "IT"})
    assert page.status_code == 200
    assert "Ordered to leave and returned, 2026: Italy" in page.text
    assert '<option value="IT" selected>IT — Italy</option>' in page.text
    assert 'href="/returns/stats.csv?year=2026&amp;member_state=IT"' in page.text
    assert "Eurostat reference, 2016" in page.text
    assert '<abbr title="Germany">DE</abbr>' not in page.text  # neither in the table nor in the reference
    france = browser(world, "de.analyst").get("/returns/stats", params={"year": 2026, "member_state": "FR"}).text
    assert "No return decision issued or return carried out by France in 2026." in france


def test_a_state_that_is_not_one_is_refused_naming_member_state(world: World,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for code in ("XX", "UK", "COM"):
        r = get(world, "de.analyst", f"/stats?year=2026&member_state={code}")
        assert r.status_code == 422
        assert [p["loc"] for p in r.json()["detail"]] == [["query", "member_state"]]
        assert f"'{code}' is not a state bound by the Pact" in r.json()["detail"][0]["msg"]
    r = world.client.get("/api/v1/returns/stats.csv", params={"year": 1800, "member_state": "XX"},
                         headers=world.headers("de.analyst"))
    assert r.status_code == 422 and [p["loc"][-1] for p in r.json()["detail"]] == ["year", "member_state"]
    # Greece by its ISO code: read as EL
    assert get(world, "de.analyst", "/stats?year=2026&member_state=GR").json()["member_state"] == "EL"

    out = cli(monkeypatch, "de.analyst", "stats", "--year", "2026", "--member-state", "XX")
    assert out.exit_code == 2
    assert out.stderr.startswith("error: --member-state: 'XX' is not a state bound by the Pact")

    page = browser(world, "de.analyst").get("/returns/stats", params={"year": 2026, "member_state": "XX"})
    assert page.status_code == 422
    assert 'id="member-state-error">Member State: &#39;XX&#39; is not a state bound' in page.text
    assert '<select name="member_state" aria-invalid="true" aria-describedby="member-state-error">' in page.text
    assert '<option value="XX" selected>XX (not a Member State)</option>' in page.text
    assert "Ordered to leave and returned, 2026</h1>" in page.text  # every state's figures instead
    # the analyst role still reads the figures, the auditor does not
    world.user("de.auditor", "DE", Role.auditor)
    assert get(world, "de.auditor", "/stats?year=2026&member_state=IT").status_code == 403


# --------------------------------------------------------------------------- PostgreSQL


@pytest.mark.postgres
def test_who_sees_which_operation_and_the_pages_on_postgres(pg_services: Any) -> None:
    """The operations a state or Frontex sees are chosen in SQL (the participating states are a
    JSON list): the same on PostgreSQL, and so are the pages and one state's statistics."""
    from datetime import date

    from sqlalchemy import select

    from pactum.returns.schemas import OperationCreate
    from pactum.services import returns, users
    from pactum.services.auth import Principal
    from pactum.store.tables.platform import users as users_table

    def who(username: str) -> Principal:
        with pg_services.engine.connect() as conn:
            row = conn.execute(select(users_table).where(users_table.c.username == username)).one()
        return Principal(row.id, row.username, row.authority, frozenset(Role(r) for r in row.roles))

    it, de, frontex = who("it-return"), who("de-return"), who("frontex-analyst")
    made = [returns.plan_operation(pg_services, it, OperationCreate.model_validate({
        "destination_country": "TUN", "planned_date": date(2026, 12, day), "capacity": 20, "escorts": 10,
        "participating_states": states, "frontex_support": support}))["id"]
        for day, states, support in ((10, ["DE", "FR"], False), (12, [], True), (14, ["DE"], True))]
    assert [o["id"] for o in returns.operations_page(pg_services, de)["operations"]] == [made[0], made[2]]
    assert [o["id"] for o in returns.operations_page(pg_services, frontex)["operations"]] == [made[1], made[2]]
    first = returns.operations_page(pg_services, it, limit=2)
    rest = returns.operations_page(pg_services, it, limit=2, offset=2)
    assert first["total"] == rest["total"] == 3
    assert [o["id"] for o in first["operations"] + rest["operations"]] == made

    admin = who("eu-admin")
    every = users.users_page(pg_services, admin, limit=1000)["users"]
    pages = [users.users_page(pg_services, admin, limit=4, offset=o) for o in range(0, len(every), 4)]
    assert [u.username for p in pages for u in p["users"]] == [u.username for u in every]
    assert returns.return_stats(pg_services, who("it-analyst"), 2026, "it").member_state == "IT"
