"""The issuing state's queue says where its person was last found: a decision whose alert another
state hit (Regulation (EU) 2018/1860, Art 6) is marked "Found in DE on …" with that state's
recognition (once recognised, DE enforces it), linked to the hit, on the API (field
``found_in_other_state``, added), the page and the CSV; each destination's group is named
("To Tunisia (TUN)") and counts its decisions in words."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

try:
    from .test_returns_support import World, browser, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, browser, get, make_world, post  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def test_the_queue_says_where_the_person_was_last_found(world: World) -> None:
    person = world.person("it.returns", surname="Trabelsi", nationality="TUN", given_names="Karim",
                          date_of_birth="1994-03-02")
    d = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": 7}).json()
    (row,) = get(world, "it.returns", "/queue").json()[0]["decisions"]
    assert row["found_in_other_state"] is None
    italy = browser(world, "it.returns")
    page = html.unescape(italy.get("/returns").text)
    assert "To Tunisia (TUN) <small>1 of 1 decision ready for removal</small>" in page and "Found in" not in page

    assert world.find_alert("de.returns", "Trabelsi", given_names="Karim", date_of_birth="1994-03-02") == \
        d["alert"]["id"]
    met = world.met("de.returns", "Trabelsi", d["alert"]["nationalities"], given_names="Karim",
                    date_of_birth="1994-03-02")
    hit = post(world, "de.returns", "/hits", {"alert_id": d["alert"]["id"], "local_person_id": met}).json()
    (row,) = get(world, "it.returns", "/queue").json()[0]["decisions"]
    assert row["found_in_other_state"] == {"member_state": "DE", "on": "2026-09-01", "hit_id": hit["id"],
                                           "hit_status": "open"}
    page = html.unescape(italy.get("/returns").text)
    assert f'<a class="found-elsewhere" href="/returns/hits/{hit["id"]}">Found in DE on 2026-09-01 ' \
           "(hit: recognition not yet decided)</a>" in page

    assert post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]}).status_code == 200
    page = html.unescape(italy.get("/returns").text)
    assert "Found in DE on 2026-09-01 (recognised there: DE enforces it)" in page
    csv = italy.get("/returns/queue.csv").text.splitlines()
    assert csv[0].endswith(",open_items,found_in_other_state")
    assert csv[1].endswith(",DE on 2026-09-01 (recognised)")
    # Germany's own queue lists the recognised decision without the mark: it is where the person is
    (de_row,) = get(world, "de.returns", "/queue").json()[0]["decisions"]
    assert de_row["recognised"] is True and de_row["found_in_other_state"] is None
