"""A Dublin unit's inbox and outbox in pages: the whole list is ordered by the next deadline
before it is cut, so the request due first is on the first page however many requests there are
(the list used to keep the 500 sent last, then sort them: with more, the oldest requests, due
first, fell off the list). ``limit``/``offset`` and ``X-Total-Count`` on the API, pages on the
web, ``--limit``/``--offset`` on the CLI; the CSV holds the whole list."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.common.clock import FixedClock
from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

API = "/api/v1/responsibility"
Who = Callable[[str], Principal]


def _on(services: Services, day: date) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime.combine(day, time(12, 0), tzinfo=clock.now().tzinfo))


def _sent(services: Services, principal: Who, ref: str, day: date) -> dict[str, Any]:
    """A take-charge request from Germany to Italy sent on ``day`` (the application of that day)."""
    _on(services, day)
    case = responsibility.create_case(services, principal("de-caseworker"), CaseCreate.model_validate({
        "reference": ref, "applicant_name": f"Applicant {ref[-2:]}",
        "facts": {"application": {"registered_in": "DE", "registered_on": day.isoformat()},
                  "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-10-01"}]}}))
    return responsibility.send_request(services, principal("de-dublin"), case["id"],
                                       RequestCreate.model_validate({"kind": "take_charge"}))


@pytest.fixture
def boxes(services: Services, principal: Who) -> dict[str, Any]:
    """Four requests sent 1, 8, 15 and 22 December: the first sent is due first; the last one
    withdrawn (closed)."""
    sent = [_sent(services, principal, f"DE-D-PG0000{i:02d}", date(2026, 12, 7 * i - 6)) for i in range(1, 5)]
    last = sent[-1]
    responsibility.act(services, principal("de-dublin"), last["id"], "withdraw",
                       RequestAction.model_validate({"version": last["version"]}))
    _on(services, date(2026, 12, 23))
    return {"ids": [r["id"] for r in sent]}


def test_the_api_pages_the_inbox_in_deadline_order_with_the_total(
        boxes: dict[str, Any], client: TestClient, auth_headers: Callable[[str], dict[str, str]]) -> None:
    first, second, third, withdrawn = boxes["ids"]
    h = auth_headers("it-dublin")
    page1 = client.get(f"{API}/inbox", params={"limit": 2}, headers=h)
    assert page1.status_code == 200 and page1.headers["X-Total-Count"] == "3"
    assert [r["id"] for r in page1.json()] == [first, second]  # the request due first leads
    page2 = client.get(f"{API}/inbox", params={"limit": 2, "offset": 2}, headers=h)
    assert [r["id"] for r in page2.json()] == [third] and page2.headers["X-Total-Count"] == "3"
    # with the closed ones: after the open ones, on the page where the list reaches them
    closed = client.get(f"{API}/inbox", params={"limit": 2, "offset": 2, "include_closed": "true"}, headers=h)
    assert [r["id"] for r in closed.json()] == [third, withdrawn] and closed.headers["X-Total-Count"] == "4"
    out = client.get(f"{API}/outbox", params={"limit": 1}, headers=auth_headers("de-dublin"))
    assert [r["id"] for r in out.json()] == [first] and out.headers["X-Total-Count"] == "3"
    # the CSV holds the whole list, in its order
    rows = list(csv.DictReader(io.StringIO(client.get(f"{API}/inbox.csv", params={"include_closed": "true"},
                                                      headers=h).text)))
    assert [r["request_id"] for r in rows] == [first, second, third, withdrawn]
    # a page that is not one is refused naming the parameter
    for params, field in (({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"offset": -1}, "offset")):
        bad = client.get(f"{API}/inbox", params=params, headers=h)
        assert bad.status_code == 422 and field in bad.text, (params, bad.text)


def test_the_inbox_page_shows_the_total_and_pages(boxes: dict[str, Any], web_client: Callable[[str], TestClient],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from pactum.web.views import responsibility as views

    monkeypatch.setattr(views, "QUEUE_PAGE", 2)
    web = web_client("it-dublin")
    page = web.get("/responsibility/inbox").text
    assert "3 requests; showing 1–2." in page and "DE-D-PG000001" in page and "DE-D-PG000003" not in page
    assert 'href="?offset=2" rel="next"' in page
    # every request on it awaits Italy's reply: the "For information" table says it is empty in words
    info = page.split('id="queue-information"')[1].split("</table>")[0]
    assert "Nothing for information on this page." in info and "None." not in info
    nxt = web.get("/responsibility/inbox", params={"offset": 2}).text
    assert "showing 3–3" in nxt and "DE-D-PG000003" in nxt and "DE-D-PG000001" not in nxt
    assert 'href="?offset=0" rel="prev"' in nxt
    with_closed = web.get("/responsibility/inbox", params={"closed": "true", "offset": 2}).text
    assert "4 requests; showing 3–4." in with_closed and 'href="?closed=true&amp;offset=0"' in with_closed
    # one request is "1 request.", not "1 request(s)." (the withdrawn one, the only one of its status)
    one = web.get("/responsibility/inbox", params={"closed": "true", "status": "withdrawn"}).text
    assert "1 request." in one and "request(s)" not in one


def test_the_cli_prints_one_page(boxes: dict[str, Any], services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    _, second, third, _ = boxes["ids"]
    monkeypatch.setenv("PACTUM_DATABASE_URL", str(services.engine.url))
    monkeypatch.setenv("PACTUM_CLI_USER", "it-dublin")
    out = CliRunner().invoke(app, ["responsibility", "inbox", "--limit", "2", "--offset", "1"])
    assert out.exit_code == 0, out.output
    assert [r["id"] for r in json.loads(out.stdout)] == [second, third]
    bad = CliRunner().invoke(app, ["responsibility", "inbox", "--limit", "0"])
    assert bad.exit_code == 2 and "limit" in bad.output and "Traceback" not in bad.output
