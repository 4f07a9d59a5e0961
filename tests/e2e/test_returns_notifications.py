"""Italy's return officer finds France's hit among a hundred expiry notices: the notifications are
paged (``limit``/``offset`` with the total), filtered by kind and unread, and marked read, through
the API, the web and the CLI."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.common.ids import new_id
from pactum.store.tables.returns import return_notifications

try:
    from .test_returns_support import World, make_world
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, make_world  # type: ignore[no-redef]

API = "/api/v1/returns"
EXPIRED = 105


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    w = make_world(tmp_path)
    monkeypatch.setenv("PACTUM_DATABASE_URL", w.services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    person = w.person("it.returns", surname="Trabelsi", nationality="TUN")
    r = w.client.post(f"{API}/decisions", headers=w.headers("it.returns"),
                      json={"person_id": person, "issued_on": "2026-08-20", "voluntary_departure_days": 7})
    assert r.status_code == 201, r.text
    alert = r.json()["alert"]["id"]
    assert w.find_alert("fr.returns", "Trabelsi") == alert
    r = w.client.post(f"{API}/hits", headers=w.headers("fr.returns"), json={"alert_id": alert, "place": "Menton",
                                                                                  "local_person_id": w.met("fr.returns", "Trabelsi")})
    assert r.status_code == 201, r.text
    # then a hundred and five expiry notices, stamped later than the hit (as the demo world's were)
    later = w.clock.now() + timedelta(hours=3)
    with w.services.engine.begin() as conn:
        conn.execute(insert(return_notifications), [
            {"id": new_id("rnt"), "member_state": "IT", "kind": "voluntary_departure_expired",
             "message": f"expired period {i}", "created_at": later + timedelta(seconds=i)} for i in range(EXPIRED)])
    return w


def notices(world: World, **params: Any) -> Any:
    return world.client.get(f"{API}/notifications", params=params, headers=world.headers("it.returns"))


def test_the_api_pages_and_filters_the_notifications(world: World) -> None:
    r = notices(world)
    assert r.status_code == 200
    assert len(r.json()) == 100 and r.headers["X-Total-Count"] == str(EXPIRED + 1)
    assert all(n["kind"] == "voluntary_departure_expired" for n in r.json())  # the hit is not on page one
    # the next page has the rest, the hit last (the oldest), nothing twice
    rest = notices(world, offset=100)
    assert [n["kind"] for n in rest.json()][-1] == "hit" and len(rest.json()) == EXPIRED + 1 - 100
    seen = [n["id"] for n in r.json() + rest.json()]
    assert len(set(seen)) == len(seen) == EXPIRED + 1
    # by kind: France's hit at Menton at once
    hits = notices(world, kind="hit")
    assert hits.headers["X-Total-Count"] == "1" and "at Menton" in hits.json()[0]["message"]
    # smaller pages
    page = notices(world, limit=10, offset=20)
    assert [n["id"] for n in page.json()] == seen[20:30]


def test_notifications_are_marked_read_and_the_unread_filter_follows(world: World) -> None:
    hit = notices(world, kind="hit").json()[0]
    assert notices(world, unread="true").headers["X-Unread-Count"] == str(EXPIRED + 1)
    r = world.client.post(f"{API}/notifications/{hit['id']}/read", headers=world.headers("it.returns"))
    assert r.status_code == 200 and r.json()["read_at"]
    # its times are UTC and say so, as the API's others (they went out without a zone)
    assert r.json()["read_at"].endswith("+00:00") and r.json()["created_at"].endswith("+00:00"), r.json()
    assert [n["kind"] for n in notices(world, unread="true", limit=500).json()].count("hit") == 0
    # another state cannot read or mark Italy's notices
    assert world.client.post(f"{API}/notifications/{hit['id']}/read", headers=world.headers("fr.returns")).status_code == 404
    assert world.client.get(f"{API}/notifications", headers=world.headers("fr.returns")).json() == []
    r = world.client.post(f"{API}/notifications/read-all", params={"kind": "voluntary_departure_expired"},
                          headers=world.headers("it.returns"))
    assert r.status_code == 200 and r.json()["marked"] == EXPIRED
    assert notices(world, unread="true").json() == [] and notices(world).headers["X-Total-Count"] == str(EXPIRED + 1)


def test_bad_paging_and_kinds_are_refused_naming_the_parameter(world: World) -> None:
    for params, name in (({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"offset": -1}, "offset"),
                         ({"kind": "hits"}, "kind"), ({"limit": "ten"}, "limit")):
        r = notices(world, **params)
        assert r.status_code == 422, (params, r.text)
        assert r.json()["detail"][0]["loc"][-1] == name


def _web(world: World) -> Any:
    from fastapi.testclient import TestClient

    from pactum.api.app import create_app

    client = TestClient(create_app(world.services))
    assert client.post("/login", data={"username": "it.returns", "password": "a-long-password"}).status_code in (200, 303)
    return client


def test_the_pages_lead_to_the_hit(world: World) -> None:
    it = _web(world)
    queue = it.get("/returns").text
    assert 'href="/returns/notifications?kind=hit">hit on one of your alerts: 1</a> (1 unread)' in queue
    assert f"All {EXPIRED + 1} notifications" in queue
    page = it.get("/returns/notifications", params={"kind": "hit"}).text
    assert "at Menton" in page and "1 notification of the kind" in page
    first = it.get("/returns/notifications").text
    assert "106 notifications, 106 unread, newest first; showing 1–50" in first and 'rel="next"' in first
    second = it.get("/returns/notifications", params={"offset": "100"}).text
    assert "showing 101–106" in second and "at Menton" in second and 'rel="prev"' in second
    # marking read keeps the filter the officer was on
    hit_id = next(n for n in world.client.get(f"{API}/notifications", params={"kind": "hit"},
                                              headers=world.headers("it.returns")).json())["id"]
    r = it.post(f"/returns/notifications/{hit_id}/read", data={"kind": "hit"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/returns/notifications?kind=hit&done=read"
    assert "Notification marked read." in it.get(r.headers["location"]).text
    # a filter that is not one is said next to the form
    bad = it.get("/returns/notifications", params={"kind": "nonsense", "limit": "x"})
    assert bad.status_code == 422 and "Per page: &#39;x&#39; is not a whole number" in bad.text
    assert "Kind: one of hit, hit_message" in bad.text


def test_the_cli_pages_the_notifications_with_the_counts(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.setenv("PACTUM_CLI_USER", "it.returns")
    r = runner.invoke(app, ["returns", "notifications", "--kind", "hit"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["total"] == 1 and out["notifications"][0]["kind"] == "hit"
    assert out["by_kind"] == {"hit": {"total": 1, "unread": 1},
                              "voluntary_departure_expired": {"total": EXPIRED, "unread": EXPIRED}}
    r = runner.invoke(app, ["returns", "notifications", "--limit", "5", "--offset", "100"])
    assert r.exit_code == 0 and len(json.loads(r.output)["notifications"]) == 5
    r = runner.invoke(app, ["returns", "notification-read", out["notifications"][0]["id"]])
    assert r.exit_code == 0 and json.loads(r.output)["read_at"]
    r = runner.invoke(app, ["returns", "notifications", "--unread", "--kind", "hit"])
    assert json.loads(r.output)["total"] == 0
    r = runner.invoke(app, ["returns", "notifications", "--limit", "0"])
    assert r.exit_code == 2 and r.output.strip().splitlines() == ["error: --limit: between 1 and 500"]

