"""QA walk of the web UI (round 17, second batch): what a user is offered must work for them, a
search says when it lists only part of what matches, a typed document is not dropped, a
voluntary-departure period has a plausible bound, and statistics are written as the rest of the
site writes numbers.

F2: the dashboard's "Register an arrival" only for those who register (the caseworker; first-day
walk FD-07: no longer the state's administrator).
F3: a return decision's asylum case is a link only for those who open case files.
F10: the registry search says how many records match in all and pages through them.
F11: a document's issuing country or expiry without a number is refused, naming the number.
F13: a voluntary-departure period beyond a year is refused as a typing slip (422 naming the field).
F15: the return statistics tables write counts with the thousands separator.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from pactum.api.app import create_app
from pactum.cli.main import app as cli
from pactum.common.errors import ValidationProblem
from pactum.registry.model import RegisterArrival
from pactum.returns import rules
from pactum.returns.calibration import eurostat
from pactum.services import procedures, registry
from pactum.services.auth import Role
from pactum.services.procedures import ApplicationCreate
from pactum.store.tables.registry import identity_records

try:
    from .test_returns_support import World, make_world
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, make_world  # type: ignore[no-redef]

from tests.conftest import principal_of


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def browser(world: World, username: str) -> TestClient:
    client = TestClient(create_app(world.services), follow_redirects=False)
    r = client.post("/login", data={"username": username, "password": "a-long-password"})
    assert r.status_code == 303, r.text
    return client


# ---------------------------------------------------------------- F2: the dashboard's offer


def test_register_an_arrival_is_offered_on_the_dashboard_only_to_those_who_may_register(web_client) -> None:
    register = 'href="/registry/register"'
    # the Dublin unit and the state's administrator may not register (nor fill in a screening):
    # no button, and no screening deadlines they cannot act on (first-day walk FD-07, FD-23)
    for username in ("it-dublin", "it-admin"):
        c = web_client(username)
        home = c.get("/").text
        assert "Register an arrival" not in home and "Screening deadlines due" not in home, username
        r = c.post("/registry/register", data={"surname": "Qa", "nationality": "SYR",
                                               "kind": "irregular_crossing", "occurred_at": "2026-11-30T05:00"})
        assert r.status_code == 403, username  # what the button would have led to
    # the asylum authority's caseworker registers: the button is there
    assert register in web_client("it-caseworker").get("/").text


# ---------------------------------------------------------------- F3: the asylum case link


def _rejected_case(world: World, surname: str) -> tuple[str, str]:
    """A person registered in Italy whose asylum application was rejected and notified on 1 July 2026."""
    person = world.person("it.returns", surname=surname, nationality="TUN")
    cw = world.principals["it.caseworker"]
    reviewer = world.user("it.reviewer", "IT", Role.caseworker)
    day = date(2026, 7, 1)
    case = procedures.create_application(world.services, cw, ApplicationCreate(
        person_id=person, made_on=day, registered_on=day, context="in_territory"))
    steps = [("lodge", {"lodged_on": "2026-07-01"}),
             ("schedule_interview", {"interview_on": "2026-07-01", "language": "Arabic"}),
             ("hold_interview", {"held_on": "2026-07-01", "interpreter_language": "Arabic"}),
             ("draft_decision", {"outcome": "rejected_unfounded", "reasons": "no well-founded fear shown"}),
             ("submit_for_review", {}), ("approve", {"decided_on": "2026-07-01"}),
             ("notify", {"notified_on": "2026-07-01"})]
    for action, fields in steps:
        who = reviewer if action == "approve" else cw
        case = procedures.act(world.services, who, case["id"], action, fields, case["version"])
    return person, case["id"]


def test_the_asylum_case_of_a_return_decision_is_a_link_only_for_those_who_may_open_it(world: World) -> None:
    person, case_id = _rejected_case(world, "Gharbi")
    world.user("it.admin", "IT", Role.admin)
    r = world.client.post("/api/v1/returns/decisions", headers=world.headers("it.returns"), json={
        "person_id": person, "issued_on": "2026-08-20", "asylum_case_id": case_id,
        "voluntary_departure_days": 7, "grounds": ["negative_asylum_decision"]})
    assert r.status_code == 201, r.text
    decision = f"/returns/decisions/{r.json()['id']}"
    link = f'href="/procedures/cases/{case_id}"'
    reference = procedures.get_case(world.services, world.principals["it.caseworker"], case_id,
                                    channel=None)["reference"]
    seen = {}
    for username in ("it.returns", "it.caseworker", "it.admin"):
        web = browser(world, username)
        page = web.get(decision)
        assert page.status_code == 200, username
        seen[username] = link in page.text
        assert reference in page.text, username  # the case is named by its reference either way
        if seen[username]:  # a link shown opens the case for this user
            assert web.get(f"/procedures/cases/{case_id}").status_code == 200, username
        else:  # and where the case page would refuse the user, no link leads there
            assert web.get(f"/procedures/cases/{case_id}").status_code == 403, username
    # the return officer and the caseworker open case files; the administrator manages users only
    assert seen == {"it.returns": True, "it.caseworker": True, "it.admin": False}


# ---------------------------------------------------------------- F10: search total and paging


def _many_records(services: Any, n: int) -> None:
    """``n`` identity records named "Qasimi" in Italy: two records (two encounters) per person."""
    p = principal_of(services, "it-caseworker")
    person = None
    for i in range(n):
        data = {"identity": {"surname": "Qasimi", "given_names": f"Ali{i:03d}", "nationality": "AFG"},
                "encounter": {"member_state": "IT", "occurred_at": "2026-11-20T10:00:00Z",
                              "kind": "irregular_crossing"}}
        if i % 2:
            data["person_id"] = person
        result = registry.register_arrival(services, p, RegisterArrival.model_validate(data))
        person = result.person_id


def test_a_search_matching_more_than_a_page_says_how_many_match_and_pages_on(services, web_client) -> None:
    _many_records(services, 56)
    c = web_client("it-caseworker")
    first = c.get("/registry/search", params={"name": "qasimi"}).text
    said = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", first.split('id="results-count"', 1)[1].split("</p>", 1)[0]))
    assert "56 records of 28 persons match: 1–50 shown" in said and "Narrow the search" in said
    assert first.count('<tr><td><a href="/registry/persons/') == 50
    assert "/registry/search?name=qasimi&amp;offset=50" in first  # the next page
    second = c.get("/registry/search", params={"name": "qasimi", "offset": "50"}).text
    assert "51–56 shown" in second and second.count('<tr><td><a href="/registry/persons/') == 6
    assert 'href="/registry/search?name=qasimi" rel="prev"' in second
    # every record once over the two pages
    names = re.findall(r"Ali(\d{3})", first.split('id="results"')[1] + second.split('id="results"')[1])
    assert sorted(names) == [f"{i:03d}" for i in range(56)]
    # a search that lists everything says so as before
    assert "1 record." in c.get("/registry/search", params={"name": "ali007"}).text
    r = c.get("/registry/search", params={"name": "qasimi", "offset": "-1"})
    assert r.status_code == 422 and "Offset" in r.text


def test_the_api_and_the_cli_give_the_total_of_a_search(services, client, auth_headers) -> None:
    _many_records(services, 56)
    h = auth_headers("it-caseworker")
    r = client.get("/api/v1/registry/search", params={"name": "qasimi"}, headers=h)
    assert r.status_code == 200 and len(r.json()) == 50
    assert r.headers["X-Total-Count"] == "56" and r.headers["X-Person-Count"] == "28"
    rest = client.get("/api/v1/registry/search", params={"name": "qasimi", "offset": 50, "limit": 10}, headers=h)
    assert len(rest.json()) == 6 and {x["id"] for x in rest.json()}.isdisjoint({x["id"] for x in r.json()})
    bad = client.get("/api/v1/registry/search", params={"name": "qasimi", "limit": 0}, headers=h)
    assert bad.status_code == 422 and "limit" in bad.text
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "it-caseworker"}
    out = CliRunner().invoke(cli, ["registry", "search", "--name", "qasimi"], env=env)
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == r.json()
    assert "56 records of 28 persons match: 50 printed" in out.stderr and "--offset 50" in out.stderr


# ---------------------------------------------------------------- F11: a document without a number


def _records_named(services: Any, surname: str) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(identity_records)
                                .where(identity_records.c.surname == surname)).scalar_one())


def test_a_document_expiry_and_issuing_country_without_a_number_are_refused_not_dropped(services,
                                                                                        web_client) -> None:
    c = web_client("it-caseworker")
    base = {"surname": "Expirytest", "nationality": "SYR", "kind": "irregular_crossing",
            "occurred_at": "2026-11-27T05:39", "document_type": "passport"}
    r = c.post("/registry/register", data={**base, "document_expiry": "2030-01-01", "document_country": "TUR"},
               follow_redirects=False)
    assert r.status_code == 422
    assert re.search(r'<li data-field="identity.documents.0.number">Document number: required to record the '
                     r"document \(its issuing country and expiry are given\)", r.text)
    # what was typed is kept, and nothing was recorded
    assert 'value="TUR"' in r.text and 'value="2030-01-01"' in r.text and 'value="Expirytest"' in r.text
    assert _records_named(services, "Expirytest") == 0
    # a nonsense expiry without a number is refused too, the expiry named as well
    r = c.post("/registry/register", data={**base, "document_expiry": "xx"}, follow_redirects=False)
    assert r.status_code == 422 and "Document number: required" in r.text and "Document expiry:" in r.text
    # with the number the document is recorded with its country and expiry
    r = c.post("/registry/register", data={**base, "document_number": "TR123", "document_expiry": "2030-01-01",
                                           "document_country": "TUR"}, follow_redirects=False)
    assert r.status_code == 303
    with services.engine.connect() as conn:
        row = conn.execute(select(identity_records).where(identity_records.c.surname == "Expirytest")).one()
    assert (row.document_number, row.document_country, str(row.document_expiry)) == ("TR123", "TUR", "2030-01-01")
    # without any document the arrival is registered as before
    r = c.post("/registry/register", data={**base, "surname": "Nodocument"}, follow_redirects=False)
    assert r.status_code == 303


def test_the_api_refuses_a_document_without_a_number_naming_it(client, auth_headers) -> None:
    body = {"identity": {"surname": "Expirytest", "nationality": "SYR",
                         "documents": [{"type": "passport", "country": "TUR", "expiry": "2030-01-01"}]},
            "encounter": {"member_state": "IT", "occurred_at": "2026-11-20T10:00:00Z", "kind": "irregular_crossing"}}
    r = client.post("/api/v1/registry/arrivals", json=body, headers=auth_headers("it-caseworker"))
    assert r.status_code == 422 and "number" in json.dumps(r.json())


# ---------------------------------------------------------------- F13: voluntary departure bound


def test_decide_terms_refuses_a_voluntary_departure_period_beyond_a_year() -> None:
    def terms(days: int) -> Any:
        return rules.decide_terms(issued_on=date(2026, 11, 30), member_state="IT", voluntary_departure_days=days,
                                  entry_ban_years=1, grounds=["length_of_stay"])

    assert terms(365).voluntary_departure_days == 365  # a long Art 7(2) extension is still possible
    for days in (366, 3000, 100_000, 10**20):
        with pytest.raises(ValidationProblem) as refused:
            terms(days)
        assert [f for f, _ in refused.value.problems] == ["voluntary_departure_days"], days
        assert "more than a year" in refused.value.problems[0][1]


def test_a_return_decision_with_a_274_year_departure_period_is_refused_on_the_form(world: World) -> None:
    person = world.person("it.returns", surname="Mansour", nationality="TUN")
    web = browser(world, "it.returns")
    form = {"person_id": person, "issued_on": "2026-08-20", "entry_ban_years": "1", "grounds": ["length_of_stay"]}
    r = web.post("/returns/decisions/new", data={**form, "voluntary_departure_days": "100000"})
    assert r.status_code == 422
    assert "Voluntary departure, days: 100,000 days is more than a year" in r.text.replace("&#39;", "'")
    assert 'value="100000"' in r.text  # what was typed is kept
    assert world.client.get("/api/v1/returns/decisions", headers=world.headers("it.returns")).json() == []
    api = world.client.post("/api/v1/returns/decisions", headers=world.headers("it.returns"), json={
        "person_id": person, "issued_on": "2026-08-20", "voluntary_departure_days": 100000,
        "grounds": ["length_of_stay"]})
    assert api.status_code == 422 and api.json()["detail"][0]["loc"][-1] == "voluntary_departure_days"
    r = web.post("/returns/decisions/new", data={**form, "voluntary_departure_days": "365"})
    assert r.status_code == 303


# ---------------------------------------------------------------- F15: thousands separators


def test_the_return_statistics_write_counts_with_the_thousands_separator(world: World) -> None:
    person = world.person("it.returns", surname="Jaziri", nationality="TUN")
    r = world.client.post("/api/v1/returns/decisions", headers=world.headers("it.returns"), json={
        "person_id": person, "issued_on": "2026-08-20", "voluntary_departure_days": 7, "grounds": ["illegal_stay"]})
    assert r.status_code == 201, r.text
    page = browser(world, "it.returns").get("/returns/stats?year=2026").text
    shipped = eurostat()
    ref_year = max(y for _, y in shipped)
    it = shipped[("IT", ref_year)]
    assert it.ordered_to_leave is not None and it.ordered_to_leave >= 1000
    reference = page.split("Eurostat reference", 1)[1]
    row = re.search(r"<tr><td>(?:<abbr[^>]*>)?IT(?:</abbr>)?</td>(.*?)</tr>", reference)
    assert row is not None
    assert f">{it.ordered_to_leave:,}<" in row.group(1) and f">{it.ordered_to_leave}<" not in row.group(1)


def test_the_screening_page_is_read_only_for_those_who_may_not_fill_it_in(client, auth_headers, web_client):
    """A Dublin unit reads a screening (its facts feed the determination) but the caseworkers fill it
    in: it was offered an editable form whose every save answered 403, losing what was typed."""
    from tests.e2e.test_registry_api import ARRIVAL

    made = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker")).json()
    sid = made["screening"]["id"]
    dublin = web_client("it-dublin").get(f"/registry/screenings/{sid}")
    assert dublin.status_code == 200
    assert 'id="read-only"' in dublin.text and "<fieldset disabled" in dublin.text
    assert '<button type="submit">Save</button>' not in dublin.text
    caseworker = web_client("it-caseworker").get(f"/registry/screenings/{sid}").text
    assert '<button type="submit">Save</button>' in caseworker and 'id="read-only"' not in caseworker
