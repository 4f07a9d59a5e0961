"""A decision another Member State recognised is that state's to enforce (Commission Recommendation
(EU) 2023/682): the issuing state may no longer record a removal under it (on its own or on a return
operation), 409 naming the enforcing state and the day it recognised the decision, on the API, the
decision page (whose departure form offers no removal and says why) and the command line; a
voluntary departure confirmed to the issuing state (Regulation (EU) 2018/1860, Article 6(1), second
subparagraph; Article 14(1)) is still recorded, and the enforcing state is told its alert is gone.
The recognising state records its removal as before."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, browser, cli, cli_world, get, make_world, post  # type: ignore[no-redef]

REFUSAL = ("DE recognised this return decision on 2026-09-01 and enforces it: the person is in DE, which carries "
           "out the removal and records it when it confirms the departure (Commission Recommendation (EU) "
           "2023/682 on mutual recognition of return decisions)")


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _found_by_germany(world: World, *, recognise: bool = True) -> tuple[dict[str, Any], dict[str, Any]]:
    """Italy's decision of 2026-08-20 (its period ended on 2026-08-27); Germany found the person on
    2026-09-01 (the world's day) and, unless told otherwise, recognised the decision."""
    person = world.person("it.returns", surname="Trabelsi", nationality="TUN")
    d = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": 7}).json()
    met = world.met("de.returns", "Trabelsi", d["alert"]["nationalities"])
    hit = post(world, "de.returns", "/hits", {"alert_id": d["alert"]["id"], "local_person_id": met}).json()
    if recognise:
        r = post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]})
        assert r.status_code == 200, r.text
    return get(world, "it.returns", f"/decisions/{d['id']}").json(), hit


def _depart(world: World, officer: str, d: dict[str, Any], mode: str) -> Any:
    return post(world, officer, f"/decisions/{d['id']}/departure",
                {"version": d["version"], "departed_on": "2026-09-01", "mode": mode})


def test_the_issuing_state_records_no_removal_of_a_person_germany_enforces(world: World) -> None:
    d, _ = _found_by_germany(world)
    # the decision read offers Italy no removal: only the person's own departure
    assert "confirm_departure" in d["allowed_actions"]
    assert d["departure_modes"] == ["voluntary", "avr", "border_exit"]

    r = _depart(world, "it.returns", d, "enforced")
    assert r.status_code == 409, r.text
    assert REFUSAL in r.json()["detail"]
    assert "a removal by the issuing state is not recorded" in r.json()["detail"]
    assert "may still be confirmed as a voluntary departure" in r.json()["detail"]
    # nothing was written: the decision is issued, its alert in SIS
    again = get(world, "it.returns", f"/decisions/{d['id']}").json()
    assert again["status"] == "issued" and again["alert"]["status"] == "active" and again["version"] == d["version"]

    # Germany, which recognised it, records the removal it carried out
    de = get(world, "de.returns", f"/decisions/{d['id']}").json()
    assert de["departure_modes"] == ["voluntary", "enforced", "operation", "avr", "border_exit"]
    r = _depart(world, "de.returns", de, "enforced")
    assert r.status_code == 200, r.text
    assert r.json()["departure_member_state"] == "DE" and r.json()["departure_mode"] == "enforced"


def test_a_hit_not_recognised_leaves_the_removal_to_the_issuing_state(world: World) -> None:
    d, _ = _found_by_germany(world, recognise=False)
    assert d["departure_modes"] == ["voluntary", "enforced", "operation", "avr", "border_exit"]
    r = _depart(world, "it.returns", d, "enforced")
    assert r.status_code == 200, r.text
    # Germany, whose hit is open, is told the alert it found is gone
    (note,) = get(world, "de.returns", "/notifications?kind=departure_confirmed").json()
    assert note["return_decision_id"] == d["id"]
    assert "IT confirmed the removal on 2026-09-01 under return decision" in note["message"]
    assert "the return alert was deleted: the decision is no longer to be enforced" in note["message"]


def test_a_voluntary_departure_confirmed_to_the_issuing_state_is_recorded_and_germany_told(world: World) -> None:
    d, _ = _found_by_germany(world)
    r = _depart(world, "it.returns", d, "voluntary")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["status"] == "departed" and out["departure_mode"] == "voluntary"
    assert out["departure_member_state"] == "IT" and out["alert"]["status"] == "deleted"
    (note,) = get(world, "de.returns", "/notifications?kind=departure_confirmed").json()
    assert note["message"].startswith("IT confirmed the departure on 2026-09-01 under return decision "
                                      f"{d['reference']} of IT")
    # Italy is not told of its own confirmation
    assert get(world, "it.returns", "/notifications?kind=departure_confirmed").json() == []
    # Germany's queue no longer holds the decision it was to enforce
    assert get(world, "de.returns", "/queue").json() == []


def test_a_person_germany_enforces_is_not_recorded_as_departed_on_an_italian_operation(world: World) -> None:
    # selected while Germany had not yet recognised the decision
    d, hit = _found_by_germany(world, recognise=False)
    op = post(world, "it.returns", "/operations", {"destination_country": "TUN", "planned_date": "2026-09-01",
                                                  "capacity": 10, "escorts": 4}).json()
    r = post(world, "it.returns", f"/operations/{op['id']}/participants", {"return_decision_id": d["id"]})
    assert r.status_code in (200, 201), r.text
    part = next(p for p in r.json()["participants"] if p["return_decision_id"] == d["id"])
    op = post(world, "it.returns", f"/operations/{op['id']}/confirm", {"version": r.json()["version"]}).json()
    r = post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]})
    assert r.status_code == 200, r.text

    r = post(world, "it.returns", f"/operations/{op['id']}/participants/{part['id']}/outcome",
             {"departed": True})
    assert r.status_code == 409, r.text
    assert REFUSAL in r.json()["detail"] and "a removal on a return operation by the issuing state" in r.json()["detail"]
    assert get(world, "it.returns", f"/decisions/{d['id']}").json()["status"] == "issued"
    # that the person did not depart on it is recorded, with the reason
    r = post(world, "it.returns", f"/operations/{op['id']}/participants/{part['id']}/outcome",
             {"departed": False, "reason": "recognised and enforced by DE, where the person is"})
    assert r.status_code == 200, r.text


def test_the_decision_page_offers_no_removal_and_says_why(world: World) -> None:
    d, _ = _found_by_germany(world)
    web = browser(world, "it.returns")
    page = html.unescape(web.get(f"/returns/decisions/{d['id']}").text)
    form = page[page.index('id="action-departure"'):page.index("</fieldset>", page.index('id="action-departure"'))]
    assert '<option value="voluntary"' in form and '<option value="enforced"' not in form
    assert 'id="removal-by-other-state"' in form
    assert "No removal is recorded here: recognised by DE on 2026-09-01, which enforces it" in form
    assert "Regulation (EU) 2018/1860, Article 6(1), second subparagraph, or Article 14(1)" in form

    # a removal sent all the same (a form kept open from before the recognition) is refused, said on the page
    r = web.post(f"/returns/decisions/{d['id']}/departure",
                 data={"version": str(d["version"]), "departed_on": "2026-09-01", "mode": "enforced"})
    assert r.status_code == 409
    assert REFUSAL in html.unescape(r.text)

    r = web.post(f"/returns/decisions/{d['id']}/departure",
                 data={"version": str(d["version"]), "departed_on": "2026-09-01", "mode": "voluntary"},
                 follow_redirects=True)
    assert r.status_code == 200 and "Departure confirmed" in r.text

    # without a recognition the form offers the removal, and no such line
    other = world.person("it.returns", surname="Haddad", nationality="TUN")
    own = post(world, "it.returns", "/decisions", {"person_id": other, "issued_on": "2026-08-20",
                                                   "voluntary_departure_days": 7}).json()
    page = web.get(f"/returns/decisions/{own['id']}").text
    assert '<option value="enforced"' in page and 'id="removal-by-other-state"' not in page


def test_the_command_line_refuses_the_removal_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    d, _ = _found_by_germany(world)
    body = {"version": d["version"], "departed_on": "2026-09-01", "mode": "enforced"}
    r = cli(monkeypatch, "it.returns", "departure", d["id"], "-", stdin=json.dumps(body))
    assert r.exit_code == 2, r.output
    (line,) = r.output.strip().splitlines()
    assert line.startswith("error:") and "DE recognised this return decision on 2026-09-01" in line
    r = cli(monkeypatch, "it.returns", "departure", d["id"], "-", stdin=json.dumps({**body, "mode": "voluntary"}))
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["departure_mode"] == "voluntary"


def test_the_recognition_takes_the_person_off_the_issuing_states_operations_not_yet_flown(world: World) -> None:
    d, hit = _found_by_germany(world, recognise=False)
    op = post(world, "it.returns", "/operations", {"destination_country": "TUN", "planned_date": "2026-09-20",
                                                  "capacity": 10, "escorts": 4}).json()
    r = post(world, "it.returns", f"/operations/{op['id']}/participants", {"return_decision_id": d["id"]})
    assert r.status_code in (200, 201), r.text
    r = post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": hit["version"]})
    assert r.status_code == 200, r.text

    (part,) = get(world, "it.returns", f"/operations/{op['id']}").json()["participants"]
    assert part["status"] == "removed"
    assert part["reason"] == ("recognised by DE on 2026-09-01, which enforces it: the person is in DE, and DE carries "
                              "out the return, not the issuing state (Commission Recommendation (EU) 2023/682 on "
                              "mutual recognition of return decisions)")
    (note,) = get(world, "it.returns", "/notifications?kind=hit_recognised").json()
    assert note["message"].endswith(f"The person was taken off your return operation {op['id']}, not yet flown.")
