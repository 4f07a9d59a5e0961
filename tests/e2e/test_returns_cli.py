"""``pactum returns ...`` from the command line: the stats JSON contract, bad input, transitions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

try:
    from .test_returns_support import World, cli, cli_world
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, cli, cli_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return cli_world(tmp_path, monkeypatch)


def test_stats_prints_the_eurostat_table_as_json(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    a = world.person("it.returns", surname="Trabelsi", nationality="TUN")
    b = world.person("it.returns", surname="Mejri", nationality="TUN")
    c = world.person("de.returns", surname="Beridze", nationality="GEO")
    for person, user in ((a, "it.returns"), (b, "it.returns"), (c, "de.returns")):
        body = json.dumps({"person_id": person, "issued_on": "2026-08-20", "voluntary_departure_days": 7})
        r = cli(monkeypatch, user, "issue", "-", stdin=body)
        assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    decision = json.loads(r.output)  # type: ignore[attr-defined]
    dep = json.dumps({"version": decision["version"], "departed_on": "2026-08-29", "mode": "voluntary"})
    r = cli(monkeypatch, "de.returns", "departure", decision["id"], "-", stdin=dep)
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]

    r = cli(monkeypatch, "de.analyst", "stats", "--year", "2026")
    assert r.exit_code == 0, r.output  # type: ignore[attr-defined]
    assert json.loads(r.output) == {  # type: ignore[attr-defined]
        "year": 2026,
        "rows": [
            {
                "member_state": "DE",
                "nationality": "GEO",
                "ordered_to_leave": 1,
                "returned": 1,
                "return_rate": 1.0,
            },
            {
                "member_state": "IT",
                "nationality": "TUN",
                "ordered_to_leave": 2,
                "returned": 0,
                "return_rate": 0.0,
            },
        ],
    }
    r = cli(monkeypatch, "de.analyst", "stats", "--year", "2025")
    assert json.loads(r.output) == {"year": 2025, "rows": []}  # type: ignore[attr-defined]


def test_bad_input_and_illegal_transitions_exit_2_with_one_line(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = world.person("it.returns", surname="Haddad", nationality="TUN")
    r = cli(monkeypatch, "it.returns", "issue", "-", stdin="{not json")
    assert r.exit_code == 2 and "not valid JSON" in r.output  # type: ignore[attr-defined]
    body = json.dumps({"person_id": person, "issued_on": "2026-08-20", "voluntary_departure_days": 31})
    r = cli(monkeypatch, "it.returns", "issue", "-", stdin=body)
    assert r.exit_code == 2  # type: ignore[attr-defined]
    assert r.output.strip().count("\n") == 0 and "voluntary_departure_days" in r.output  # type: ignore[attr-defined]
    body = json.dumps({"person_id": person, "issued_on": "2026-08-20", "voluntary_departure_days": 30})
    decision = json.loads(cli(monkeypatch, "it.returns", "issue", "-", stdin=body).output)  # type: ignore[attr-defined]
    r = cli(
        monkeypatch,
        "it.returns",
        "lift-suspension",
        decision["id"],
        "-",
        stdin='{"version": 1, "reason": "x"}',
    )
    assert r.exit_code == 2 and "cannot 'lift_suspension'" in r.output  # type: ignore[attr-defined]
    r = cli(monkeypatch, "de.returns", "show", decision["id"])
    assert r.exit_code == 2 and "not found" in r.output  # type: ignore[attr-defined]
    r = cli(monkeypatch, "it.returns", "operation", "rop_X", "launch")
    assert r.exit_code == 2  # type: ignore[attr-defined]
