"""The return officer's pages and the CLI say "1 hit" and "2 hits", not "1 hit(s)": the hits'
pager, the queue's notice of hits waiting, the decisions' pager and the CLI's line on standard
error when a page of a list is not the whole list."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest

try:
    from .test_returns_support import World, browser, cli, cli_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, browser, cli, cli_world, post  # type: ignore[no-redef]

PEOPLE = {"Trabelsi": ("Karim", "1994-03-02"), "Haddad": ("Samir", "1990-07-14")}


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return cli_world(tmp_path, monkeypatch)


def _issue(world: World, surname: str) -> dict[str, Any]:
    given, born = PEOPLE[surname]
    person = world.person("it.returns", surname=surname, nationality="TUN", given_names=given, date_of_birth=born)
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": 7})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _hit(world: World, decision: dict[str, Any], surname: str) -> None:
    given, born = PEOPLE[surname]
    assert world.find_alert("de.returns", surname, given_names=given, date_of_birth=born) == decision["alert"]["id"]
    met = world.met("de.returns", surname, decision["alert"]["nationalities"], given_names=given, date_of_birth=born)
    r = post(world, "de.returns", "/hits", {"alert_id": decision["alert"]["id"], "local_person_id": met})
    assert r.status_code == 201, r.text


def _text(page: str) -> str:
    return html.unescape(page)


def test_one_hit_is_one_hit_on_the_pages_and_the_cli(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    _hit(world, _issue(world, "Trabelsi"), "Trabelsi")
    germany = browser(world, "de.returns")
    hits = _text(germany.get("/returns/hits").text)
    assert 'id="hits-count">1 hit.' in hits and "hit(s)" not in hits
    queue = _text(germany.get("/returns").text)
    assert "1 hit waiting for your recognition decision; 0 hits by other states on your alerts." in queue
    italy = _text(browser(world, "it.returns").get("/returns").text)
    assert "0 hits waiting for your recognition decision; 1 hit by other states on your alerts." in italy
    assert 'id="decisions-count">1 decision.' in _text(browser(world, "it.returns").get("/returns/decisions").text)

    out = cli(monkeypatch, "de.returns", "hits", "--offset", "1")
    assert out.exit_code == 0, out.output
    assert out.stderr == "1 hit in all: 0 printed from offset 1\n"
    out = cli(monkeypatch, "it.returns", "decisions", "--offset", "1")
    assert out.stderr == "1 decision in all: 0 printed from offset 1\n"


def test_two_hits_are_two_hits(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    for surname in PEOPLE:
        _hit(world, _issue(world, surname), surname)
    germany = browser(world, "de.returns")
    assert 'id="hits-count">2 hits.' in _text(germany.get("/returns/hits").text)
    assert "2 hits waiting for your recognition decision" in _text(germany.get("/returns").text)
    out = cli(monkeypatch, "de.returns", "hits", "--limit", "1")
    assert out.stderr == "2 hits in all: 1 printed from offset 0; see the next with --offset 1\n"
