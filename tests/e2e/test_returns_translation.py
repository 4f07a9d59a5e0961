"""The translation of a return decision on request, and the standard form that may replace it
(Directive 2008/115/EC Art 12(2), (3), read in the Italian version).

Italy issued a return decision to Bangladesh for Amin Uddin on 20 August 2026 and, after Bangladesh
refused to readmit him, an amended decision naming Pakistan on 31 August. He asks for a translation
into Bengali; the return officer records the request, and then that the translation was given orally.
Until then the queue and the decision page show it as something to do, without holding the removal
back. Italy's law provides a standard form for persons who entered illegally and obtained no right to
stay (Art 12(3)): the officer records it for a person apprehended crossing the border irregularly,
and is refused it for a person who applied for asylum in Italy or presented themselves at a border
crossing point."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.store.tables.platform import audit_log

try:
    from .test_returns_support import World, asylum_case, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import (  # type: ignore[no-redef]
        World,
        asylum_case,
        browser,
        cli,
        cli_world,
        get,
        make_world,
        post,
    )

REASONS = "Bangladesh refused readmission on 25 August 2026; the person lived in Pakistan from 2012 to 2022"
REMEDIES = "appeal to the Tribunale di Roma within 30 days of notification"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _decision(world: World, surname: str = "Uddin", **extra: Any) -> dict[str, Any]:
    person = world.person("it.returns", surname=surname, nationality="BGD", **extra)
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": 7})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _amended(world: World, d: dict[str, Any]) -> dict[str, Any]:
    r = post(world, "it.returns", f"/decisions/{d['id']}/destination",
             {"version": d["version"], "destination_country": "PAK", "issued_on": "2026-08-31",
              "reasons": REASONS, "remedies": REMEDIES})
    assert r.status_code == 200, r.text
    return dict(r.json())


def _problem(r: Any) -> tuple[str, str]:
    (p,) = r.json()["detail"]
    return p["loc"][-1], p["msg"]


def _queued(world: World, decision_id: str) -> dict[str, Any]:
    groups = get(world, "it.returns", "/queue").json()
    (item,) = [i for g in groups for i in g["decisions"] if i["id"] == decision_id]
    return dict(item)


def _audited(world: World, action: str) -> list[Any]:
    with world.services.engine.connect() as conn:
        return list(conn.execute(select(audit_log).where(audit_log.c.action == action)).all())


def test_a_request_for_a_translation_is_an_open_item_until_the_translation_is_given(world: World) -> None:
    d = _decision(world)
    assert d["translations"] == [] and d["open_items"] == []
    before = _queued(world, d["id"])
    assert before["open_items"] == []
    r = post(world, "it.returns", f"/decisions/{d['id']}/translation-requests",
             {"requested_on": "2026-08-21", "language": "bn"})
    assert r.status_code == 200, r.text
    (t,) = r.json()["translations"]
    # kept as ISO 639-3, named in words
    assert (t["kind"], t["requested_language"], t["requested_language_name"]) == ("translation", "ben", "Bengali")
    assert t["decision_reference"] == d["reference"] and t["open"] is True
    assert t["legal_basis"] == ["Directive 2008/115/EC, Article 12(2)"]
    (item,) = r.json()["open_items"]
    assert item["code"] == "translation_requested"
    assert item["label"] == (f"translation of {d['reference']} into Bengali requested on 2026-08-21, not yet given "
                             "(Directive 2008/115/EC, Article 12(2))")
    # the queue lists it as something to do, not as an obstacle: the removal is not held back
    queued = _queued(world, d["id"])
    assert [o["code"] for o in queued["open_items"]] == ["translation_requested"]
    assert queued["obstacles"] == before["obstacles"] and queued["enforceable_now"] == before["enforceable_now"]
    csv = get(world, "it.returns", "/queue.csv").text
    assert csv.splitlines()[0].endswith(",obstacles,open_items,found_in_other_state")
    assert "into Bengali requested on 2026-08-21, not yet given" in csv
    # given orally, in the language asked for
    r = post(world, "it.returns", f"/decisions/{d['id']}/translation-requests/{t['id']}/given",
             {"provided_on": "2026-08-22", "mode": "oral"})
    assert r.status_code == 200, r.text
    (t,) = r.json()["translations"]
    assert (t["provided_on"], t["provided_mode"], t["provided_language"], t["open"]) == ("2026-08-22", "oral", "ben",
                                                                                         False)
    assert r.json()["open_items"] == [] and _queued(world, d["id"])["open_items"] == []
    # given once
    again = post(world, "it.returns", f"/decisions/{d['id']}/translation-requests/{t['id']}/given",
                 {"provided_on": "2026-08-23", "mode": "written"})
    assert again.status_code == 409 and "already recorded as given on 2026-08-22" in again.json()["detail"]
    (asked,) = _audited(world, "returns.translation.request")
    (gave,) = _audited(world, "returns.translation.provide")
    assert asked.after["language"] == "ben" and gave.after["provided_mode"] == "oral"


def test_the_language_is_an_iso_639_code_and_the_days_follow_the_decision(world: World) -> None:
    d = _decision(world)
    path = f"/decisions/{d['id']}/translation-requests"
    r = post(world, "it.returns", path, {"requested_on": "2026-08-21", "language": "Tigrinya"})
    assert r.status_code == 422
    field, message = _problem(r)
    assert field == "language" and "'Tigrinya' is not an ISO 639 language code: Tigrinya is 'tir'" in message
    r = post(world, "it.returns", path, {"requested_on": "2026-08-21", "language": "und"})
    assert r.status_code == 422 and _problem(r)[0] == "language"
    r = post(world, "it.returns", path, {"requested_on": "2026-08-19", "language": "ti"})
    assert r.status_code == 422 and _problem(r) == (
        "requested_on", "the decision it concerns was issued on 2026-08-20: a translation is requested of an issued "
                        "decision")
    r = post(world, "it.returns", path, {"requested_on": "2026-09-02", "language": "ti"})
    assert r.status_code == 422 and _problem(r)[0] == "requested_on"
    t = post(world, "it.returns", path, {"requested_on": "2026-08-21", "language": "prs"}).json()["translations"][0]
    assert t["requested_language_name"] == "Dari"  # no two-letter code
    r = post(world, "it.returns", f"/decisions/{d['id']}/translation-requests/{t['id']}/given",
             {"provided_on": "2026-08-20", "mode": "written"})
    assert r.status_code == 422 and _problem(r)[0] == "provided_on"
    # given in another language the person may reasonably be presumed to understand
    r = post(world, "it.returns", f"/decisions/{d['id']}/translation-requests/{t['id']}/given",
             {"provided_on": "2026-08-25", "mode": "written", "language": "fa"})
    assert r.status_code == 200
    assert r.json()["translations"][0]["provided_language_name"] == "Persian"
    r = post(world, "it.returns", path, {"requested_on": "2026-08-26", "language": "ti"})
    assert r.status_code == 409 and "already requested on 2026-08-21 and given on 2026-08-25" in r.json()["detail"]
    # another state does not record it
    assert post(world, "de.returns", path, {"requested_on": "2026-08-21", "language": "ti"}).status_code == 404


def test_the_amended_decision_on_the_destination_has_its_own_translation(world: World) -> None:
    d = _amended(world, _decision(world))
    path = f"/decisions/{d['id']}/translation-requests"
    r = post(world, "it.returns", path, {"requested_on": "2026-08-30", "language": "bn",
                                         "destination_decision": f"{d['reference']}-D1"})
    assert r.status_code == 422 and _problem(r)[0] == "requested_on"  # before the amended decision
    r = post(world, "it.returns", path, {"requested_on": "2026-09-01", "language": "bn",
                                         "destination_decision": f"{d['reference']}-D9"})
    assert r.status_code == 422
    assert _problem(r) == ("destination_decision", f"{d['reference']}-D9 is not an amended decision on the "
                                                   f"destination of {d['reference']} (it has: {d['reference']}-D1)")
    r = post(world, "it.returns", path, {"requested_on": "2026-09-01", "language": "bn",
                                         "destination_decision": f"{d['reference']}-D1"})
    assert r.status_code == 200, r.text
    (t,) = r.json()["translations"]
    assert t["decision_reference"] == f"{d['reference']}-D1"
    assert t["destination_decision_id"] == d["destination_decisions"][0]["id"]
    # the return decision itself is another decision: its own request is recorded beside it
    r = post(world, "it.returns", path, {"requested_on": "2026-09-01", "language": "bn"})
    assert r.status_code == 200
    assert [t["decision_reference"] for t in r.json()["translations"]] == [f"{d['reference']}-D1", d["reference"]]
    assert len(r.json()["open_items"]) == 2


def test_the_standard_form_for_a_person_apprehended_crossing_irregularly_replaces_the_translation(
        world: World) -> None:
    d = _decision(world)  # encountered on an irregular crossing, no application for protection
    r = post(world, "it.returns", f"/decisions/{d['id']}/standard-form", {})
    assert r.status_code == 200, r.text
    (t,) = r.json()["translations"]
    assert t["kind"] == "standard_form" and t["legal_basis"] == ["Directive 2008/115/EC, Article 12(3)"]
    assert t["entry"].startswith("illegal entry recorded: apprehended crossing the external border irregularly "
                                 "(2026-06-20)")
    assert r.json()["open_items"] == []
    # Art 12(2) does not apply to that decision
    r = post(world, "it.returns", f"/decisions/{d['id']}/translation-requests",
             {"requested_on": "2026-08-21", "language": "bn"})
    assert r.status_code == 409
    assert r.json()["detail"] == (f"{d['reference']} was given by the standard form (Directive 2008/115/EC, "
                                  "Article 12(3)): Directive 2008/115/EC, Article 12(2) does not apply to it")
    (used,) = _audited(world, "returns.translation.standard_form")
    assert used.after["decision"] == d["reference"]


def test_the_standard_form_is_refused_for_a_person_who_applied_for_asylum_here(world: World) -> None:
    person = world.person("it.returns", surname="Tesfaye", nationality="ERI")
    case = asylum_case(world, person, made_on="2026-07-01", context="in_territory", until="notified",
                       decided_on="2026-08-10", notified_on="2026-08-11")
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "asylum_case_id": case["id"], "grounds": ["negative_asylum_decision"]})
    assert r.status_code == 201, r.text
    d = r.json()
    r = post(world, "it.returns", f"/decisions/{d['id']}/standard-form", {})
    assert r.status_code == 422
    field, message = _problem(r)
    assert field == "standard_form"
    assert (f"obtained a right to stay: applied for international protection ({case['reference']}) (2026-07-01)"
            in message)
    assert "Article 12(2) applies: record the person's request for a translation" in message
    assert get(world, "it.returns", f"/decisions/{d['id']}").json()["translations"] == []


def test_the_standard_form_is_refused_for_a_person_who_came_to_a_border_crossing_point(world: World) -> None:
    d = _decision(world, "Rahman", kind="border_crossing_point_application")
    r = post(world, "it.returns", f"/decisions/{d['id']}/standard-form", {})
    assert r.status_code == 422
    field, message = _problem(r)
    assert field == "standard_form"
    assert "did not enter illegally: presented themselves at a border crossing point (2026-06-20)" in message
    # the translation on request is the person's
    r = post(world, "it.returns", f"/decisions/{d['id']}/translation-requests",
             {"requested_on": "2026-08-21", "language": "bn"})
    assert r.status_code == 200
    # and once requested, the standard form is not recorded after it
    d2 = _decision(world, "Karim")
    assert post(world, "it.returns", f"/decisions/{d2['id']}/translation-requests",
                {"requested_on": "2026-08-21", "language": "ar"}).status_code == 200
    r = post(world, "it.returns", f"/decisions/{d2['id']}/standard-form", {})
    assert r.status_code == 409 and "Article 12(2) was applied to it" in r.json()["detail"]


def test_the_decision_page_shows_the_request_to_do_and_records_it_given(world: World) -> None:
    d = _decision(world)
    web = browser(world, "it.returns")
    page = html.unescape(web.get(f"/returns/decisions/{d['id']}").text)
    assert 'id="translation-request"' in page and 'id="standard-form"' in page and 'id="open-items"' not in page
    r = web.post(f"/returns/decisions/{d['id']}/translation-request",
                 data={"requested_on": "2026-08-21", "language": "tigrinya", "destination_decision": ""})
    assert r.status_code == 422
    assert "Tigrinya is 'tir'" in html.unescape(r.text) and 'value="tigrinya"' in r.text
    r = web.post(f"/returns/decisions/{d['id']}/translation-request",
                 data={"requested_on": "2026-08-21", "language": "ti", "destination_decision": ""},
                 follow_redirects=True)
    assert r.status_code == 200
    page = html.unescape(r.text)
    todo = page.split('id="open-items"', 1)[1].split("</div>", 1)[0]
    assert f"translation of {d['reference']} into Tigrinya requested on 2026-08-21, not yet given" in todo
    assert "Removal does not wait for it" in todo
    # the queue page says it beside the obstacles, linking to the decision's translations
    queue = html.unescape(web.get("/returns").text)
    row = queue.split(d["reference"], 1)[1].split("</tr>", 1)[0]
    assert f"To do: translation of {d['reference']} into Tigrinya requested on 2026-08-21, not yet given" in row
    assert f'/returns/decisions/{d["id"]}#translations' in row
    t = get(world, "it.returns", f"/decisions/{d['id']}").json()["translations"][0]
    r = web.post(f"/returns/decisions/{d['id']}/translation-given",
                 data={"translation_id": t["id"], "provided_on": "2026-08-24", "mode": "written", "language": ""},
                 follow_redirects=True)
    page = html.unescape(r.text)
    assert 'id="open-items"' not in page
    row = page.split(f'id="translation-{t["id"]}"', 1)[1].split("</tr>", 1)[0]
    assert "written translation into Tigrinya (tir) on 2026-08-24" in row
    # another state reading the decision through a hit sees no translation section
    assert 'id="translations"' not in html.unescape(browser(world, "de.returns").get(
        f"/returns/decisions/{d['id']}").text)


def test_the_command_line_records_the_request_and_refuses_the_standard_form_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    person = world.person("it.returns", surname="Sahel", nationality="BGD", kind="border_crossing_point_application")
    d = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20"}).json()
    refused = cli(monkeypatch, "it.returns", "standard-form", d["id"], "-", stdin="{}")
    assert refused.exit_code == 2 and refused.output.startswith("error: standard_form: ")
    assert len(refused.output.strip().splitlines()) == 1
    done = cli(monkeypatch, "it.returns", "translation-request", d["id"], "-",
               stdin=json.dumps({"requested_on": "2026-08-21", "language": "bn"}))
    assert done.exit_code == 0, done.output
    (t,) = json.loads(done.stdout)["translations"]
    given = cli(monkeypatch, "it.returns", "translation-given", d["id"], t["id"], "-",
                stdin=json.dumps({"provided_on": "2026-08-22", "mode": "written"}))
    assert given.exit_code == 0, given.output
    assert json.loads(given.stdout)["translations"][0]["provided_mode"] == "written"
