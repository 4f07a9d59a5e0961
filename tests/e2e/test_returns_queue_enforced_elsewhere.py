"""A decision another state recognised is that state's to enforce (Commission Recommendation (EU)
2023/682): the issuing state's queue no longer counts it ready for removal but names the obstacle
"recognised by DE …, which enforces it", on the API (obstacle code ``enforced_by_other_state``,
``enforceable_now`` false; the fields as they were), the page and its count, the CSV, the home
page's count, the decision page, and the return operation it would board; the recognising state's
own queue is unchanged."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path
from typing import Any

import pytest

try:
    from .test_returns_support import World, browser, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, browser, get, make_world, post  # type: ignore[no-redef]

WORDS = ("recognised by DE on 2026-09-01, which enforces it: the person is in DE, and DE carries out the "
         "return, not the issuing state (Commission Recommendation (EU) 2023/682 on mutual recognition of "
         "return decisions)")


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _found_by_germany(world: World, *, recognise: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    person = world.person("it.returns", surname="Trabelsi", nationality="TUN", given_names="Karim",
                          date_of_birth="1994-03-02")
    d = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": 7}).json()
    met = world.met("de.returns", "Trabelsi", d["alert"]["nationalities"], given_names="Karim",
                    date_of_birth="1994-03-02")
    hit = post(world, "de.returns", "/hits", {"alert_id": d["alert"]["id"], "local_person_id": met}).json()
    if recognise:
        r = post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]})
        assert r.status_code == 200, r.text
    return d, hit


def test_a_hit_not_yet_recognised_leaves_the_decision_ready_in_the_issuing_state(world: World) -> None:
    _found_by_germany(world, recognise=False)
    (group,) = get(world, "it.returns", "/queue").json()
    (row,) = group["decisions"]
    assert group["ready"] == 1 and row["enforceable_now"] is True and row["obstacles"] == []


def test_the_issuing_state_does_not_count_ready_a_decision_germany_enforces(world: World) -> None:
    d, hit = _found_by_germany(world, recognise=True)
    (group,) = get(world, "it.returns", "/queue").json()
    (row,) = group["decisions"]
    assert group["ready"] == 0 and row["enforceable_now"] is False
    assert row["obstacles"] == [{"code": "enforced_by_other_state", "label": WORDS}]
    # the fields already there keep their names and values
    assert row["found_in_other_state"] == {"member_state": "DE", "on": "2026-09-01", "hit_id": hit["id"],
                                           "hit_status": "recognised"}
    assert get(world, "it.returns", "/queue?ready=true").json() == []

    italy = browser(world, "it.returns")
    page = html.unescape(italy.get("/returns").text)
    assert "To Tunisia (TUN) <small>0 of 1 decision ready for removal</small>" in page
    assert f'<span class="badge warn">{WORDS}</span>' in page
    assert "Found in DE on 2026-09-01 (recognised there: DE enforces it)" in page
    assert re.search(r'id="returns-ready">0<', italy.get("/").text)
    assert re.search(r'id="returns-open">1<', italy.get("/").text)
    (line,) = csv.DictReader(io.StringIO(italy.get("/returns/queue.csv").text))
    assert line["enforceable_now"] == "false" and line["obstacles"] == WORDS
    decision_page = html.unescape(italy.get(f"/returns/decisions/{d['id']}").text)
    assert f'<span class="badge warn">{WORDS}</span>' in decision_page

    # an operation of the issuing state does not take the person Germany removes
    op = post(world, "it.returns", "/operations", {"destination_country": "TUN", "planned_date": "2026-09-20",
                                                  "capacity": 10, "escorts": 4}).json()
    (candidate,) = get(world, "it.returns", f"/operations/{op['id']}/candidates").json()
    assert candidate["obstacles"] == [{"code": "enforced_by_other_state", "label": WORDS}]
    r = post(world, "it.returns", f"/operations/{op['id']}/participants", {"return_decision_id": d["id"]})
    assert r.status_code == 409 and "recognised by DE on 2026-09-01, which enforces it" in r.text

    # Germany, which enforces it, still has it ready in its own queue
    (de_group,) = get(world, "de.returns", "/queue").json()
    (de_row,) = de_group["decisions"]
    assert de_row["recognised"] is True and de_row["enforceable_now"] is True and de_group["ready"] == 1
