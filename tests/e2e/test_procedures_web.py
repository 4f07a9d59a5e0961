"""The procedure screens as HTML: queue sorted by deadline with overdue cases flagged, the case page
with its routing explanation, timeline and steps (a refused step shows its reason), making an
application from a form, the border pipeline with the facilities' capacity, the statistics page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from pactum.registry.model import RegisterArrival
from pactum.services import procedures, registry
from pactum.services.procedures import ApplicationCreate
from pactum.store.tables.registry import persons

try:
    from .test_procedures_support import World, login, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def test_queue_case_page_and_a_refused_step(world: World) -> None:
    late = world.apply("it.caseworker", world.person("it.caseworker", surname="Noor", nationality="ERI",
                                                  occurred_at="2026-06-30T06:00:00+00:00"),
                       made_on="2026-07-01", registered_on=None)
    border = world.apply("it.caseworker", world.person("it.caseworker", surname="Ali", nationality="BGD"))
    web = login(world, "it.caseworker")
    page = web.get("/procedures")
    assert page.status_code == 200
    html = page.text
    assert html.index(late["id"]) < html.index(border["id"])  # earliest deadline first
    assert re.search(r'class="overdue".*?' + late["id"], html, re.S)
    case = web.get(f"/procedures/cases/{border['id']}").text
    assert "border procedure (mandatory)" in case
    assert "3.09%" in case and "Regulation (EU) 2024/1348, Article 45(1)" in case
    assert "2026-08-10" in case and "lodging" in case and "Article 51(1)" in case  # 5 days (border)
    r = web.post(f"/procedures/cases/{border['id']}/act",
                 data={"action": "draft_decision", "version": str(border["version"]),
                       "outcome": "rejected_unfounded"})
    assert r.status_code == 409
    assert "cannot draft the decision while the case is &#39;registered&#39;" in r.text or \
        "cannot decide before" in r.text
    r = web.post(f"/procedures/cases/{border['id']}/act",
                 data={"action": "lodge", "version": "abc", "lodged_on": "2026-08-03"})
    assert r.status_code == 422 and "Version: &#39;abc&#39; is not a whole number" in r.text
    assert 'name="lodged_on" value="2026-08-03"' in r.text  # the refused step keeps what was typed
    world.travel(datetime(2026, 8, 10, 9, 0, tzinfo=UTC))
    web = login(world, "it.caseworker")
    r = web.post(f"/procedures/cases/{border['id']}/act",
                 data={"action": "lodge", "version": str(border["version"]), "lodged_on": "2026-08-05"},
                 follow_redirects=False)
    assert r.status_code == 303
    lodged = web.get(f"/procedures/cases/{border['id']}").text
    assert "lodged" in lodged
    # the routing trace and the timeline read as prose: a fact nobody gave is "not stated", a
    # yes/no fact is yes or no, and an event's empty details are left out (no Python None/False)
    trace = lodged.split('<table class="trace">', 1)[1].split("</table>", 1)[0]
    # in words (FD-08); the keys as recorded only in each rule's collapsed technical detail
    said = re.sub(r"<details.*?</details>", "", trace, flags=re.S)
    assert "First country of asylum: not stated" in said and "Subsequent application: no" in said
    assert "first_country_of_asylum" not in said and "_" not in re.sub(r"<[^>]+>", "", said)
    assert "<summary>Technical detail</summary>" in trace and "first_country_of_asylum: null" in trace
    timeline = lodged.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    assert "lodged on: 2026-08-05" in timeline
    assert "grounds: low recognition rate" in timeline and "low_recognition_rate" not in timeline
    assert not re.search(r"\b(None|False|True)\b", trace + timeline)
    # each event's time as the rest of the site says it (it was "2026-08-10T09:00", no zone)
    assert re.search(r'<li><span class="muted">2026-08-10 09:00 UTC</span> <strong>lodged</strong>', timeline)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", timeline)
    # states, procedures and deadline kinds read as words on the case page and in the queue
    now = world.get("it.caseworker", f"/applications/{border['id']}").json()
    r = world.act("it.caseworker", now, "schedule_interview", interview_on="2026-08-20", language="Bengali")
    assert r.status_code == 200, r.text
    case = web.get(f"/procedures/cases/{border['id']}").text
    assert '<span class="badge">interview scheduled</span>' in case
    queue = web.get("/procedures").text
    row = queue.split(f'{border["id"]}">{border["reference"]}</a>', 1)[1].split("</tr>", 1)[0]
    assert "<td>interview scheduled</td>" in row and "interview_scheduled" not in row
    assert '<option value="interview_scheduled" >interview scheduled</option>' in queue


def test_the_queue_names_each_applicant_from_the_latest_record(world: World) -> None:
    """The caseworker's queue names the applicant beside the case id, from the person's latest
    identity record (in Latin script where recorded), escaped; a correction shows at once."""
    it = world.principals["it.caseworker"]
    written = world.person("it.caseworker", surname="D'Souza <Noor>", nationality="ERI")
    case = world.apply("it.caseworker", written)
    latin = registry.register_arrival(world.services, it, RegisterArrival.model_validate({
        "identity": {"given_names": "أحمد", "given_names_latin": "Ahmad", "surname": "Karimi",
                     "sex": "M", "nationality": "AFG", "documents": []},
        "encounter": {"member_state": "IT", "occurred_at": "2026-08-01T06:00:00+00:00",
                      "kind": "sar_disembarkation", "place": "Lampedusa"}})).person_id
    other = world.apply("it.caseworker", latin)
    web = login(world, "it.caseworker")
    html = web.get("/procedures").text
    assert "<th>Case</th><th>Applicant</th><th>Nationality</th>" in html
    row = html.split(f'>{case["reference"]}</a>', 1)[1].split("</tr>", 1)[0]
    assert row.startswith("</td><td>Rahim D&#39;Souza &lt;Noor&gt;</td><td>ERI</td>"), row
    row = html.split(f'>{other["reference"]}</a>', 1)[1].split("</tr>", 1)[0]
    assert "<td>Ahmad Karimi</td>" in row and "أحمد" not in row
    # the registry records the person again with the name corrected: the queue follows it
    registry.register_arrival(world.services, it, RegisterArrival.model_validate({
        "person_id": written,
        "identity": {"given_names": "Rahim", "surname": "Noor", "nationality": "ERI", "documents": []},
        "encounter": {"member_state": "IT", "occurred_at": "2026-08-02T06:00:00+00:00",
                      "kind": "in_territory_application", "place": "Rome"}}))
    row = web.get("/procedures").text.split(f'>{case["reference"]}</a>', 1)[1].split("</tr>", 1)[0]
    assert row.startswith("</td><td>Rahim Noor</td>"), row
    assert "Rahim Noor" in web.get(f"/procedures/cases/{case['id']}").text  # as the case page


def test_the_queue_rows_escape_a_name_as_markupsafe_does() -> None:
    """Names are written without escaping only when markupsafe would leave them as they are."""
    from markupsafe import escape

    from pactum.web.views.procedures import _queue_rows_html

    names = ["Rahim Noor", "Ünal Şahin", "O'Brien", 'Ali "Al" Haddad', "A&B", "<script>", "x\ny", ""]
    rows = [(f"asy_{i}", "per_1", "SYR", "regular", "lodged", date(2026, 8, 1), None, None,
             "it.caseworker", False, False, f"IT-2026-{i:06d}", name) for i, name in enumerate(names)]
    html = str(_queue_rows_html(rows, date(2026, 8, 3)))
    cells = [part.split("</a></td><td>", 1)[1].split("</td>", 1)[0] for part in html.split("<tr")[1:]]
    assert cells == [str(escape(n)) for n in names]


def test_a_case_whose_person_has_no_name_shows_an_empty_cell(world: World) -> None:
    """A person with no identity record (not made by the registry, which always writes one)
    leaves the queue's name empty: None in the API, an empty cell on the page."""
    it = world.principals["it.caseworker"]
    with world.services.engine.begin() as conn:
        conn.execute(insert(persons).values(id="per_nameless", member_state="IT",
                                            created_at=world.clock.now(), version=1))
    case = procedures.create_application(world.services, it, ApplicationCreate(
        person_id="per_nameless", made_on=date(2026, 8, 1), context="in_territory",
        nationality="SYR"))
    assert [r["person_name"] for r in world.get("it.caseworker", "/queue").json()] == [None]
    html = login(world, "it.caseworker").get("/procedures").text
    assert f'>{case["reference"]}</a></td><td></td><td>SYR</td>' in html
    assert "None" not in html.split('<table id="queue">', 1)[1]


def test_make_an_application_from_the_form(world: World) -> None:
    pid = world.person("it.caseworker", surname="Rahman", nationality="PAK")
    web = login(world, "it.caseworker")
    assert web.get(f"/procedures/new?person_id={pid}").status_code == 200
    r = web.post("/procedures/new", data={"person_id": pid, "made_on": "2026-08-02",
                                          "registered_on": "2026-08-03",
                                          "context": "apprehended_at_external_border",
                                          "vulnerabilities": "medical_reasons"},
                 follow_redirects=False)
    assert r.status_code == 303
    page = web.get(r.headers["location"]).text
    assert "accelerated procedure (mandatory)" in page  # medical reasons: not at the border
    bad = web.post("/procedures/new", data={"person_id": pid, "made_on": "yesterday",
                                            "context": "in_territory"})
    assert bad.status_code == 422 and "made_on" in bad.text


def test_routing_border_and_statistics_pages(world: World) -> None:
    world.apply("it.caseworker", world.person("it.caseworker", surname="Hossain", nationality="BGD",
                                              occurred_at="2025-03-01T06:00:00+00:00"))
    web = login(world, "it.caseworker")
    r = web.post("/procedures/routing", data={"applied_on": "2026-08-03", "member_state": "IT",
                                              "context": "in_territory", "nationality": "SYR",
                                              "security_threat": "on"})
    assert r.status_code == 200 and "accelerated procedure (mandatory)" in r.text
    border = web.get("/procedures/border").text
    assert "0 / 84" in border and "30,000" in border
    stats = web.get("/procedures/statistics?year=2025").text
    assert "Bangladesh (BGD)" in stats and "3.1%" in stats
    analyst = login(world, "it.analyst")
    assert analyst.get("/procedures/statistics").status_code == 200
    # a year out of range is refused by name, before it reaches the date arithmetic
    bad = analyst.get("/procedures/statistics?year=1000000000000")
    assert bad.status_code == 422 and "give a year between 2000 and 2100" in bad.text
    api = world.get("it.analyst", "/statistics", year=1000000000000)
    assert api.status_code == 422
    assert [(e["loc"], e["msg"]) for e in api.json()["detail"]] == [(["query", "year"], "give a year between 2000 and 2100")]
    assert analyst.get("/procedures").status_code == 403


def test_a_rejection_drafted_without_reasons_is_refused_naming_the_field_and_the_article(world: World) -> None:
    """APR Art 36(2): the caseworker drafting a rejection is told to state the reasons in fact and in
    law, what was chosen is kept; with them the draft is recorded and the timeline shows them."""
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Haile", nationality="ERI"))
    for action, fields in [("lodge", {"lodged_on": "2026-08-03"}),
                           ("schedule_interview", {"interview_on": "2026-08-03", "language": "Tigrinya"}),
                           ("hold_interview", {"held_on": "2026-08-03", "interpreter_language": "Tigrinya"})]:
        r = world.act("it.caseworker", case, action, **fields)
        assert r.status_code == 200, r.text
        case = r.json()
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert '<textarea name="reasons"' in page and "Reasons in fact and in law" in page
    r = web.post(f"/procedures/cases/{case['id']}/act",
                 data={"action": "draft_decision", "version": str(case["version"]), "outcome": "rejected_unfounded",
                       "reasons": " "})
    assert r.status_code == 422
    assert "rejects the application as unfounded (Regulation (EU) 2024/1348, Article 36(2))" in r.text
    assert '<option value="rejected_unfounded" selected>' in r.text
    api = world.act("it.caseworker", case, "draft_decision", outcome="subsidiary_protection")
    assert api.status_code == 422 and api.json()["detail"][0]["loc"][-1] == "reasons"
    r = web.post(f"/procedures/cases/{case['id']}/act",
                 data={"action": "draft_decision", "version": str(case["version"]), "outcome": "rejected_unfounded",
                       "reasons": "The account of persecution was not substantiated."}, follow_redirects=False)
    assert r.status_code == 303
    assert "The account of persecution was not substantiated." in web.get(f"/procedures/cases/{case['id']}").text
