"""The return queue as CSV, for planning removals by destination: ``GET /api/v1/returns/queue.csv``,
the link on the queue page, and ``pactum returns queue --format csv`` give one row per decision,
the destination on each row and the obstacles to removal in words. An officer planning removals to
one country keeps that country's decisions (``?destination=``, a country code or ``unknown``) and,
with ``ready``, those enforceable now: the same filters on the API, its CSV, the page and the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app

try:
    from .test_returns_support import World, make_world
except ImportError:  # tests/e2e is not a package
    from test_returns_support import World, make_world  # type: ignore[no-redef]

API = "/api/v1/returns"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _issue(world: World, person_id: str, **body: Any) -> dict[str, Any]:
    r = world.client.post(f"{API}/decisions", json={"person_id": person_id, "issued_on": "2026-08-20", **body},
                          headers=world.headers("it.returns"))
    assert r.status_code == 201, r.text
    return r.json()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_return_queue_downloads_as_csv_on_the_api_the_web_and_the_cli(world: World, monkeypatch) -> None:
    waiting = _issue(world, world.person("it.returns", surname="Trabelsi", nationality="TUN"),
                     voluntary_departure_days=30, grounds=["illegal_stay"])
    ready = _issue(world, world.person("it.returns", surname="Haddad", nationality="TUN"),
                   grounds=["illegal_stay"])
    queue = world.client.get(f"{API}/queue", headers=world.headers("it.returns")).json()
    in_queue = {d["id"]: (g["destination_country"], d) for g in queue for d in g["decisions"]}
    assert {waiting["id"], ready["id"]} <= set(in_queue)

    api = world.client.get(f"{API}/queue.csv", headers=world.headers("it.returns"))
    assert api.status_code == 200 and api.headers["content-type"].startswith("text/csv")
    assert 'filename="return-queue-' in api.headers["content-disposition"]
    rows = {r["id"]: r for r in _rows(api.text)}
    assert set(rows) == set(in_queue)  # one row per decision of the queue, none more
    for decision_id, (destination, item) in in_queue.items():
        row = rows[decision_id]
        assert row["destination_country"] == destination and row["reference"] == item["reference"]
        assert row["enforceable_now"] == ("true" if item["enforceable_now"] else "false")
        assert row["obstacles"] == "; ".join(o["label"] for o in item["obstacles"])
    # the decision still in its period of voluntary departure says so in words
    assert rows[waiting["id"]]["enforceable_now"] == "false"
    assert rows[waiting["id"]]["voluntary_departure_last_day"] == waiting["voluntary_departure_last_day"]
    assert rows[waiting["id"]]["obstacles"]
    # another state's queue holds none of Italy's decisions
    other = _rows(world.client.get(f"{API}/queue.csv", headers=world.headers("de.returns")).text)
    assert not {r["id"] for r in other} & set(rows)

    # the page links to the file, and the file is the same
    from fastapi.testclient import TestClient

    from pactum.api.app import create_app

    web = TestClient(create_app(world.services))
    assert web.post("/login", data={"username": "it.returns", "password": "a-long-password"}).status_code in (200, 303)
    assert 'id="queue-csv"' in web.get("/returns").text
    assert _rows(web.get("/returns/queue.csv").text) == _rows(api.text)

    # the command line writes the same file (its clock is today's, the world's is August: the
    # obstacles may differ); a format it does not know is refused in one line
    monkeypatch.setenv("PACTUM_DATABASE_URL", str(world.services.engine.url))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.returns")
    out = CliRunner().invoke(app, ["returns", "queue", "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert [r["id"] for r in _rows(out.stdout)] == [r["id"] for r in _rows(api.text)]
    bad = CliRunner().invoke(app, ["returns", "queue", "--format", "xlsx"])
    assert bad.exit_code == 2 and "--format" in bad.output
    as_json = json.loads(CliRunner().invoke(app, ["returns", "queue"]).stdout)
    assert [d["id"] for g in as_json for d in g["decisions"]] == [r["id"] for r in _rows(out.stdout)]


def test_the_queue_keeps_one_destination_and_the_decisions_ready(world: World, monkeypatch) -> None:
    h = world.headers("it.returns")
    waiting = _issue(world, world.person("it.returns", surname="Trabelsi", nationality="TUN"),
                     voluntary_departure_days=30, grounds=["illegal_stay"])
    ready = _issue(world, world.person("it.returns", surname="Jaziri", nationality="TUN"), grounds=["illegal_stay"])
    other = _issue(world, world.person("it.returns", surname="Rahman", nationality="BGD"), grounds=["illegal_stay"])
    whole = world.client.get(f"{API}/queue", headers=h).json()
    by_dest = {g["destination_country"]: {d["id"] for d in g["decisions"]} for g in whole}
    tun = next(dest for dest, ids in by_dest.items() if waiting["id"] in ids)
    assert ready["id"] in by_dest[tun] and other["id"] not in by_dest[tun]

    one = world.client.get(f"{API}/queue", params={"destination": tun.lower()}, headers=h).json()
    assert [g["destination_country"] for g in one] == [tun]
    assert {d["id"] for d in one[0]["decisions"]} == by_dest[tun]
    now = world.client.get(f"{API}/queue", params={"destination": tun, "ready": "true"}, headers=h).json()
    assert [d["id"] for g in now for d in g["decisions"]] == [ready["id"]]
    assert all(d["enforceable_now"] for g in now for d in g["decisions"])
    rows = list(csv.DictReader(io.StringIO(world.client.get(
        f"{API}/queue.csv", params={"destination": tun, "ready": "true"}, headers=h).text)))
    assert [r["id"] for r in rows] == [ready["id"]]

    bad = world.client.get(f"{API}/queue", params={"destination": "Atlantis"}, headers=h)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "destination"]

    from fastapi.testclient import TestClient

    from pactum.api.app import create_app

    web = TestClient(create_app(world.services))
    assert web.post("/login", data={"username": "it.returns", "password": "a-long-password"}).status_code in (200, 303)
    page = web.get("/returns", params={"destination": tun, "ready": "true"})
    assert page.status_code == 200 and ready["reference"] in page.text and waiting["reference"] not in page.text
    assert f'href="/returns/queue.csv?destination={tun}&amp;ready=true"' in page.text
    refused = web.get("/returns", params={"destination": "Atlantis"})
    assert refused.status_code == 422 and "Destination:" in refused.text

    # the command line (its clock is today's, the world's is August: readiness may differ)
    monkeypatch.setenv("PACTUM_DATABASE_URL", str(world.services.engine.url))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.returns")
    out = CliRunner().invoke(app, ["returns", "queue", "--destination", tun, "--ready"])
    assert out.exit_code == 0, out.output
    listed = json.loads(out.stdout)
    assert {g["destination_country"] for g in listed} <= {tun}
    assert all(d["enforceable_now"] for g in listed for d in g["decisions"])
    bad = CliRunner().invoke(app, ["returns", "queue", "--destination", "Atlantis"])
    assert bad.exit_code == 2 and bad.output.startswith("error: --destination: ")
