"""The period for voluntary departure as the officer acts on it: the decision page, the hit page
and the queue say whether it still runs on the day (no removal before it ends, Directive
2008/115/EC Art 8(2)) or has ended (the decision may be enforced, Art 8(1); by another state once
it recognised it), with its last day and the rule, not a bare date."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pactum.returns.operations import ReturnFacts, obstacle_label

try:
    from .test_returns_support import World, browser, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, browser, make_world, post  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)  # the clock: 1 September 2026


def _issue(world: World, surname: str, given: str, born: str, **terms: Any) -> dict[str, Any]:
    person = world.person("it.returns", surname=surname, nationality="TUN", given_names=given, date_of_birth=born)
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20", **terms})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _said(page: str, dd_id: str) -> str:
    found = re.search(rf'<dd id="{dd_id}">(.*?)</dd>', page, re.S)
    assert found, page
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found[1])).split())


def test_a_running_period_says_until_when_and_why_no_removal(world: World) -> None:
    d = _issue(world, "Trabelsi", "Karim", "1994-03-02", voluntary_departure_days=30)
    assert d["voluntary_departure_last_day"] == "2026-09-21"  # 19 September is a Saturday
    italy = browser(world, "it.returns")
    said = _said(italy.get(f"/returns/decisions/{d['id']}").text, "voluntary-departure")
    assert said == ("30 days, last day 2026-09-21 running: no removal before it ends, unless a risk of Article 7(4) "
                    "arises meanwhile (Directive 2008/115/EC, Article 8(2))")
    queue = html.unescape(italy.get("/returns").text)
    assert ("voluntary departure period still running, until 2026-09-21: no removal before it ends, unless a risk "
            "of Article 7(4) arises meanwhile (Directive 2008/115/EC, Article 8(2))") in queue


def test_an_ended_period_says_the_decision_may_be_enforced(world: World) -> None:
    d = _issue(world, "Haddad", "Samir", "1990-07-14", voluntary_departure_days=7)
    assert d["voluntary_departure_last_day"] == "2026-08-27"
    said = _said(browser(world, "it.returns").get(f"/returns/decisions/{d['id']}").text, "voluntary-departure")
    assert said == ("7 days, last day 2026-08-27 ended without a confirmed departure: the decision may be enforced "
                    "(Directive 2008/115/EC, Article 8(1))")

    # Germany finds the person: its hit page says the same, and that Germany enforces once it recognised
    given, born = "Samir", "1990-07-14"
    assert world.find_alert("de.returns", "Haddad", given_names=given, date_of_birth=born) == d["alert"]["id"]
    met = world.met("de.returns", "Haddad", d["alert"]["nationalities"], given_names=given, date_of_birth=born)
    hit = post(world, "de.returns", "/hits", {"alert_id": d["alert"]["id"], "local_person_id": met})
    assert hit.status_code == 201, hit.text
    page = browser(world, "de.returns").get(f"/returns/hits/{hit.json()['id']}").text
    assert _said(page, "voluntary-departure") == (
        "7 days, last day 2026-08-27 ended without a confirmed departure: the decision may be enforced (Directive "
        "2008/115/EC, Article 8(1)), by your state once it has recognised it (Recommendation (EU) 2023/682)")
    # once Germany recognised it, the pages no longer say it has still to
    h = hit.json()
    assert post(world, "de.returns", f"/hits/{h['id']}/recognise", {"version": h["version"]}).status_code == 200
    germany = browser(world, "de.returns")
    for page in (germany.get(f"/returns/hits/{h['id']}").text, germany.get(f"/returns/decisions/{d['id']}").text):
        assert _said(page, "voluntary-departure").endswith(
            "the decision may be enforced (Directive 2008/115/EC, Article 8(1)), by your state, which recognised it")


def test_no_period_granted_is_enforceable_at_once(world: World) -> None:
    d = _issue(world, "Jaziri", "Walid", "1988-11-30", voluntary_departure_days=0,
               grounds=["illegal_stay", "risk_of_absconding"], entry_ban_years=2)
    said = _said(browser(world, "it.returns").get(f"/returns/decisions/{d['id']}").text, "voluntary-departure")
    assert said == ("none granted (Directive 2008/115/EC, Article 7(4)): the decision may be enforced at once "
                    "(Article 8(1))")


def test_the_obstacle_names_the_last_day_and_article_8_2() -> None:
    facts = ReturnFacts(status="issued", voluntary_departure_last_day=date(2026, 9, 30), absconded=False,
                        identity_confirmed=True, travel_document=True, fit_to_travel=True, readmission=None)
    assert obstacle_label("voluntary_departure_running", facts) == (
        "voluntary departure period still running, until 2026-09-30: no removal before it ends, unless a risk of "
        "Article 7(4) arises meanwhile (Directive 2008/115/EC, Article 8(2))")
