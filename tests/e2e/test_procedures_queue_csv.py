"""The asylum queue as CSV, for a unit's weekly planning: the page's filters on the web, the API's
on ``GET /api/v1/procedures/queue.csv``, and ``pactum procedures queue --format csv``: the same
rows, in the queue's order, with the next deadline."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app

try:
    from .test_procedures_support import World, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_queue_downloads_as_csv_on_the_web_the_api_and_the_cli(world: World, monkeypatch) -> None:
    border = world.apply("it.caseworker", world.person("it.caseworker", surname="Ali", nationality="BGD"))
    other = world.apply("it.caseworker", world.person("it.caseworker", surname="=cmd|' /C calc'!A0",
                                                      nationality="SYR"))
    api = world.client.get("/api/v1/procedures/queue.csv", headers=world.headers("it.caseworker"))
    assert api.status_code == 200 and api.headers["content-type"].startswith("text/csv")
    assert "attachment" in api.headers["content-disposition"]
    rows = _rows(api.text)
    queue = world.get("it.caseworker", "/queue").json()
    assert [r["id"] for r in rows] == [c["id"] for c in queue]  # the queue's order
    first = next(r for r in rows if r["id"] == border["id"])
    assert first["procedure"] == "border" and first["next_deadline"] and first["days_left"]
    # an applicant's name that a spreadsheet would run as a formula is written as text
    formula = next(r for r in rows if r["id"] == other["id"])
    assert not formula["person_name"].startswith("=")
    # the filters narrow it as they narrow the queue
    only = _rows(world.client.get("/api/v1/procedures/queue.csv", params={"nationality": "SYR"},
                                  headers=world.headers("it.caseworker")).text)
    assert [r["id"] for r in only] == [other["id"]]
    # the page links to the file with its filters, and the file is the same
    from tests.e2e.test_procedures_web import login

    web = login(world, "it.caseworker")
    page = web.get("/procedures", params={"nationality": "SYR"}).text
    assert 'id="queue-csv"' in page and "/procedures/queue.csv?" in page and "nationality=SYR" in page
    assert _rows(web.get("/procedures/queue.csv", params={"nationality": "SYR"}).text) == only
    # the command line writes the same file
    monkeypatch.setenv("PACTUM_DATABASE_URL", str(world.services.engine.url))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    out = CliRunner().invoke(app, ["procedures", "queue", "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert [r["id"] for r in _rows(out.stdout)] == [r["id"] for r in rows]
    bad = CliRunner().invoke(app, ["procedures", "queue", "--format", "xml"])
    assert bad.exit_code == 2 and "--format" in bad.output
    assert json.loads(CliRunner().invoke(app, ["procedures", "queue"]).stdout)
