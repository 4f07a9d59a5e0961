"""The period for voluntary departure does not run while the return decision is suspended
(Directive 2008/115/EC Art 7(1), 13(2); Court of Justice, C-181/16 *Gnandi*): its last day moves by
the days that were left when the suspension began, counted again from the day after it is lifted
(Reg. 1182/71 Art 3(1), 3(4)). The decision read, the page, the queue, the removal check of Art
8(2), the entry ban of Art 11(1)(b), the expiry notice, the alert's field (x) and the command line
all follow the moved day; while the suspension lasts the period has no last day and nothing is
withheld or due."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.services import returns as returns_service
from pactum.store.tables.platform import audit_log

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, browser, cli, cli_world, get, make_world, post  # type: ignore[no-redef]

GNANDI = "Court of Justice, 19 June 2018, Gnandi, C-181/16, ECLI:EU:C:2018:465"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _at(world: World, day: str) -> None:
    world.clock.set(datetime.fromisoformat(f"{day}T09:00:00+00:00"))


def _issue(world: World, surname: str = "Trabelsi") -> dict[str, Any]:
    """Italy's decision of Tuesday 1 September 2026 with 30 days: last day Thursday 1 October."""
    person = world.person("it.returns", surname=surname, nationality="TUN")
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-09-01",
                                                 "voluntary_departure_days": 30, "grounds": ["illegal_stay"]})
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["voluntary_departure_last_day"] == "2026-10-01" and d["voluntary_departure_ends_on"] == "2026-10-01"
    assert d["voluntary_departure_period"]["moved"] is False
    return d


def _suspended_then_lifted(world: World) -> dict[str, Any]:
    d = _issue(world)
    _at(world, "2026-09-11")
    d = post(world, "it.returns", f"/decisions/{d['id']}/suspend",
             {"version": d["version"], "reason": "appeal against the return decision, suspensive"}).json()
    _at(world, "2026-10-20")
    return post(world, "it.returns", f"/decisions/{d['id']}/lift-suspension",
                {"version": d["version"], "reason": "appeal dismissed"}).json()


def test_while_suspended_the_period_does_not_run_and_nothing_is_withheld_or_due(world: World) -> None:
    d = _issue(world)
    _at(world, "2026-09-11")
    d = post(world, "it.returns", f"/decisions/{d['id']}/suspend", {"version": d["version"], "reason": "appeal"}).json()
    assert d["voluntary_departure_last_day"] == "2026-10-01"  # the day the decision set, unchanged
    assert d["voluntary_departure_ends_on"] is None
    p = d["voluntary_departure_period"]
    assert p["paused"] is True and p["paused_since"] == "2026-09-11" and p["days_left"] == 21
    assert p["suspension_basis"] == "Directive 2008/115/EC, Article 13(2)"
    assert p["label"] == ("not running while the decision is suspended (since 2026-09-11): 21 days of the period "
                          f"left, which run from the day after the suspension is lifted ({GNANDI}; Directive "
                          "2008/115/EC, Article 13(2))")
    # the day the decision set passes during the suspension: the period has not ended
    _at(world, "2026-10-05")
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert d["entry_ban_withheld"] is None and d["entry_ban_due"] is None
    page = html.unescape(browser(world, "it.returns").get(f"/returns/decisions/{d['id']}").text)
    assert 'id="period-paused"' in page and "set to end on 2026-10-01" in page
    listed = html.unescape(browser(world, "it.returns").get("/returns/decisions").text)
    assert "not running while suspended <span class=\"muted\">(set to end on 2026-10-01)</span>" in listed
    assert "21 days of the period left, which run from the day after the suspension is lifted" in page
    assert 'id="period-ended"' not in page and 'id="entry-ban-withheld"' not in page
    # the alert keeps the day the decision set while it is suspended; field (y) says it is
    assert d["alert"]["voluntary_departure_last_day"] == "2026-10-01" and d["alert"]["decision_suspended"] is True


def test_lifted_the_days_left_run_again_and_everything_follows_the_moved_day(world: World) -> None:
    d = _suspended_then_lifted(world)
    assert d["status"] == "issued"
    assert d["voluntary_departure_last_day"] == "2026-10-01" and d["voluntary_departure_ends_on"] == "2026-11-10"
    p = d["voluntary_departure_period"]
    assert p["moved"] is True and p["set_last_day"] == "2026-10-01" and p["ends_on"] == "2026-11-10"
    assert p["steps"] == ["suspended on 2026-09-11 with 21 days of the period left (2026-09-11 to 2026-10-01), "
                          "lifted on 2026-10-20: they run from 2026-10-21, last day 2026-11-10"]
    assert GNANDI in p["legal_basis"] and "Regulation (EEC, Euratom) No 1182/71, Article 3(4)" in p["legal_basis"]
    # the alert's field (x) takes the moved day, audited on the alert
    assert d["alert"]["voluntary_departure_last_day"] == "2026-11-10" and d["alert"]["decision_suspended"] is False
    with world.services.engine.begin() as conn:
        changes = [(r.before, r.after) for r in conn.execute(
            select(audit_log.c.before, audit_log.c.after).where(
                audit_log.c.entity_id == d["alert"]["id"], audit_log.c.action == "returns.alert.update")
            .order_by(audit_log.c.seq))]
    assert ({"voluntary_departure_last_day": "2026-10-01"},
            {"voluntary_departure_last_day": "2026-11-10", "return_decision_id": d["id"]}) in changes

    # removal still barred by Art 8(2) until the moved day
    (running,) = [o for o in d["obstacles"] if o["code"] == "voluntary_departure_running"]
    assert "until 2026-11-10" in running["label"]
    _at(world, "2026-10-21")
    r = post(world, "it.returns", f"/decisions/{d['id']}/departure",
             {"version": d["version"], "departed_on": "2026-10-21", "mode": "enforced"})
    assert r.status_code == 422 and "runs until 2026-11-10" in r.text and "Article 8(2)" in r.text
    # no entry ban of Art 11(1)(b) within the moved period
    r = post(world, "it.returns", f"/decisions/{d['id']}/entry-ban",
             {"version": d["version"], "imposed_on": "2026-10-21", "entry_ban_years": 2, "reasons": "did not leave"})
    assert r.status_code == 422 and "2026-11-10" in r.text
    assert get(world, "it.returns", f"/decisions/{d['id']}").json()["entry_ban_due"] is None

    # the queue: the moved day, still running; the CSV has it beside the day set
    (item,) = [x for g in get(world, "it.returns", "/queue").json() for x in g["decisions"] if x["id"] == d["id"]]
    assert item["voluntary_departure_last_day"] == "2026-10-01" and item["voluntary_departure_ends_on"] == "2026-11-10"
    assert item["enforceable_now"] is False and "voluntary_departure_running" in {o["code"] for o in item["obstacles"]}
    rows = list(csv.DictReader(io.StringIO(get(world, "it.returns", "/queue.csv").text)))
    (row,) = [x for x in rows if x["id"] == d["id"]]
    assert row["voluntary_departure_ends_on"] == "2026-11-10" and row["voluntary_departure_last_day"] == "2026-10-01"
    queue = html.unescape(browser(world, "it.returns").get("/returns").text)
    assert "2026-11-10 <span class=\"muted period-moved\">(moved from 2026-10-01: suspended meanwhile)</span>" in queue

    # the expiry notice waits for the moved day, and says it
    returns_service.notify_voluntary_departure_expiry(world.services, datetime(2026, 11, 10, 6, tzinfo=UTC))
    assert get(world, "it.returns", "/notifications?kind=voluntary_departure_expired").json() == []
    returns_service.notify_voluntary_departure_expiry(world.services, datetime(2026, 11, 11, 6, tzinfo=UTC))
    (note,) = get(world, "it.returns", "/notifications?kind=voluntary_departure_expired").json()
    assert note["message"] == (f"The voluntary departure period of return decision {d['reference']} ended on "
                               "2026-11-10 (moved from 2026-10-01: the period did not run while the decision was "
                               "suspended) without a confirmed departure.")

    # once the moved period ended: the entry ban is due from the day after, and removal is lawful
    _at(world, "2026-11-11")
    d = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert d["entry_ban_due"]["period_ended_on"] == "2026-11-10" and d["entry_ban_due"]["from"] == "2026-11-11"
    assert "voluntary_departure_running" not in {o["code"] for o in d["obstacles"]}
    r = post(world, "it.returns", f"/decisions/{d['id']}/entry-ban",
             {"version": d["version"], "imposed_on": "2026-11-11", "entry_ban_years": 2, "reasons": "did not leave"})
    assert r.status_code == 200, r.text


def test_the_decision_page_shows_the_moved_day_and_its_computation(world: World) -> None:
    d = _suspended_then_lifted(world)
    page = html.unescape(browser(world, "it.returns").get(f"/returns/decisions/{d['id']}").text)
    assert ("30 days, last day 2026-11-10 <span class=\"muted\" id=\"period-moved\">(moved from 2026-10-01: the "
            "period did not run while the decision was suspended)</span>") in page
    assert 'id="period-running"' in page
    assert 'id="period-computation"' in page
    assert ("suspended on 2026-09-11 with 21 days of the period left (2026-09-11 to 2026-10-01), lifted on "
            "2026-10-20: they run from 2026-10-21, last day 2026-11-10") in page
    assert GNANDI in page
    assert "The period for voluntary departure runs until 2026-11-10: a removal can be recorded only after" in page
    # the list of decisions says the moved day too (API and page)
    (row,) = [x for x in get(world, "it.returns", "/decisions").json() if x["id"] == d["id"]]
    assert row["voluntary_departure_ends_on"] == "2026-11-10" and row["voluntary_departure_paused"] is False
    listed = html.unescape(browser(world, "it.returns").get("/returns/decisions").text)
    assert "2026-11-10 <span class=\"muted period-moved\">(moved from 2026-10-01: suspended meanwhile)</span>" in listed


def test_a_state_with_a_hit_reads_the_moved_day(world: World) -> None:
    d = _suspended_then_lifted(world)
    met = world.met("de.returns", "Trabelsi", d["alert"]["nationalities"])
    r = post(world, "de.returns", "/hits", {"alert_id": d["alert"]["id"], "local_person_id": met})
    assert r.status_code == 201, r.text
    read = get(world, "de.returns", f"/decisions/{d['id']}").json()
    assert read["voluntary_departure_ends_on"] == "2026-11-10"
    assert read["voluntary_departure_period"]["steps"] == d["voluntary_departure_period"]["steps"]
    assert read["alert"]["voluntary_departure_last_day"] == "2026-11-10"
    hit_page = html.unescape(browser(world, "de.returns").get(f"/returns/hits/{r.json()['id']}").text)
    assert "last day 2026-11-10" in hit_page and "moved from 2026-10-01" in hit_page


def test_a_suspension_after_the_period_ended_gives_no_period_back(world: World) -> None:
    d = _issue(world)
    _at(world, "2026-10-05")
    d = post(world, "it.returns", f"/decisions/{d['id']}/suspend", {"version": d["version"], "reason": "appeal"}).json()
    assert d["voluntary_departure_ends_on"] == "2026-10-01" and d["voluntary_departure_period"]["moved"] is False
    assert d["entry_ban_withheld"]["period_ended_on"] == "2026-10-01"
    _at(world, "2026-10-20")
    d = post(world, "it.returns", f"/decisions/{d['id']}/lift-suspension",
             {"version": d["version"], "reason": "appeal dismissed"}).json()
    assert d["voluntary_departure_ends_on"] == "2026-10-01" and d["entry_ban_due"]["period_ended_on"] == "2026-10-01"
    assert d["alert"]["voluntary_departure_last_day"] == "2026-10-01"


def test_the_command_line_shows_the_moved_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    d = _suspended_then_lifted(world)
    r = cli(monkeypatch, "it.returns", "show", d["id"])
    assert r.exit_code == 0, r.output
    shown = json.loads(r.output)
    assert shown["voluntary_departure_last_day"] == "2026-10-01" and shown["voluntary_departure_ends_on"] == "2026-11-10"
    assert shown["voluntary_departure_period"]["label"] == (
        f"last day 2026-11-10, moved from 2026-10-01: the period did not run while the decision was suspended ({GNANDI})")
    r = cli(monkeypatch, "it.returns", "decisions")
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["voluntary_departure_ends_on"] == "2026-11-10"
    r = cli(monkeypatch, "it.returns", "queue", "--format", "csv")
    assert r.exit_code == 0 and "2026-10-01,2026-11-10" in r.output
