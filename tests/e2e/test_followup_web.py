"""The follow-up screens: commitments, a commitment, partner, funding with charts, the report
page, and editing with history for the follow-up editor only."""

from __future__ import annotations

import re

import pytest

from pactum.services import followup
from pactum.services.auth import SYSTEM


@pytest.fixture
def loaded(services):
    followup.load(services, SYSTEM)
    return services


def test_commitments_list_with_status_and_funding(loaded, web_client):
    c = web_client("it-caseworker")
    r = c.get("/followup")
    assert r.status_code == 200
    assert r.text.count('href="/followup/commitments/') == 15
    assert "€395.8m" in r.text  # commitment 1
    only_completed = c.get("/followup", params={"status": "completed"}).text
    assert 'href="/followup/commitments/4?' in only_completed
    assert 'href="/followup/commitments/9?' not in only_completed


def test_commitment_page_shows_actions_milestones_and_funding(loaded, web_client):
    r = web_client("it-caseworker").get("/followup/commitments/11")
    assert r.status_code == 200
    assert "Morocco: Following visit of Commissioner Várhelyi" in r.text
    assert "€152m" in r.text and "€35m" in r.text
    assert "overdue" in r.text  # the Q4 2023 disbursement milestone, not marked done
    assert "/edit" not in r.text  # a caseworker reads but does not edit


def test_partner_page_lists_all_actions_and_funding_for_tunisia(loaded, web_client):
    r = web_client("it-caseworker").get("/followup/partners/TUN")
    assert r.status_code == 200
    for key in ("2.d", "11.a", "11.i", "12.d"):
        assert f"{key}:" in r.text
    assert "€145m" in r.text and "€40m" in r.text
    assert web_client("it-caseworker").get("/followup/partners/ZZZ").status_code == 404


def test_funding_overview_has_charts_and_tables(loaded, web_client):
    r = web_client("it-caseworker").get("/followup/funding")
    assert r.status_code == 200
    assert r.text.count("data-spec=") == 3
    assert "€1,783.2m" in r.text
    assert 'id="by-instrument"' in r.text


def test_report_page_and_changes_since(loaded, web_client):
    r = web_client("com-analyst").get("/followup/report", params={"as_of": "2026-11-28",
                                                                  "since": "2023-06-23"})
    assert r.status_code == 200
    assert "State of play on 28 November 2026" in r.text
    assert "Live on 2026-11-28" in r.text
    assert 'id="overdue-milestones"' in r.text
    # an overdue milestone names what it belongs to: a commitment by its number, a plan by title
    overdue = r.text.split('id="overdue-milestones"', 1)[1].split("</table>", 1)[0]
    assert "<td>Commitment 15</td>" in overdue
    assert "<td>EU Action Plan on the Atlantic and Western Mediterranean route</td>" in overdue
    assert "atlantic_western_mediterranean" not in overdue
    assert "No change between 2023-06-23 and 2026-11-28" in r.text


def test_action_plans_list_in_force_first_with_their_milestones(loaded, web_client):
    c = web_client("it-caseworker")
    r = c.get("/followup/action-plans", params={"as_of": "2023-07-01"})
    assert r.status_code == 200
    links = re.findall(r'href="/followup/action-plans/(\w+)\?as_of=2023-07-01"', r.text)
    assert links == ["central_mediterranean", "western_balkans", "atlantic_western_mediterranean",
                     "eastern_mediterranean"]
    assert '<tr class="overdue">' not in r.text  # the Mocadem exchanges are due end of July 2023
    later = c.get("/followup/action-plans", params={"as_of": "2023-08-01"}).text
    row = re.search(r'<tr class="overdue">.*?</tr>', later, re.S)
    assert row and "Atlantic and Western Mediterranean" in row.group(0)
    assert "under preparation" in later and "New action plan" not in later  # a reader only
    assert c.get("/followup/action-plans", params={"as_of": "1 May"}).status_code == 422


def test_action_plan_page_shows_progress_and_milestones_with_their_history(loaded, web_client):
    c = web_client("com-analyst")
    r = c.get("/followup/action-plans/atlantic_western_mediterranean", params={"as_of": "2023-08-01"})
    assert r.status_code == 200
    assert "EU Action Plan on the Atlantic and Western Mediterranean route" in r.text
    assert "Presented at the JHA Council in June" in r.text and "2023-06-06" in r.text
    milestone = r.text.split('id="milestones"', 1)[1].split("</table>", 1)[0]
    assert "Dedicated technical exchanges at the Mocadem" in milestone and "overdue" in milestone
    assert 'href="/followup/items/plan_milestone/AP.M1/history"' in milestone
    assert 'href="/followup/items/plan_milestone/AP.M1/edit"' in milestone  # the editor edits
    assert 'href="/followup/items/action_plan/atlantic_western_mediterranean/edit"' in r.text
    assert "/followup/items/plan_milestone/new?parent=atlantic_western_mediterranean" in r.text
    # the plan's history leads back to its page
    history = c.get("/followup/items/action_plan/atlantic_western_mediterranean/history").text
    assert 'href="/followup/action-plans/atlantic_western_mediterranean"' in history
    assert c.get("/followup/action-plans/northern_route").status_code == 404


def test_editor_edits_an_action_and_sees_its_history(loaded, web_client, services):
    c = web_client("com-analyst")
    form = c.get("/followup/items/action/2.j/edit")
    assert form.status_code == 200
    version = re.search(r'name="version" value="(\d+)"', form.text).group(1)
    r = c.post("/followup/items/action/2.j/edit", data={
        "version": version, "status": "ongoing", "status_note": "", "valid_from": "2026-11-20",
        "reason": "chief negotiator appointed"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    history = c.get(r.headers["location"]).text
    assert "chief negotiator appointed" in history and "com-analyst" in history
    assert "status, status_note" in history
    assert "<strong>status</strong>: blocked → ongoing" in history
    annex = followup.current(services)
    action = next(a for _, a in annex.actions() if a.key == "2.j")
    assert action.status.value == "ongoing" and action.status_note is None


def test_edit_form_error_names_the_field(loaded, web_client):
    c = web_client("com-analyst")
    r = c.post("/followup/items/funding/1.F1/edit", data={
        "version": "1", "amount_eur": "200m", "valid_from": "2026-11-28"})
    assert r.status_code == 422
    assert "amount_eur" in r.text and "not an amount in euro" in r.text
    # YAML that parses as a date that does not exist
    r = c.post("/followup/items/action/2.j/edit", data={
        "version": "1", "figures": "2026-13-45", "valid_from": "2026-11-28"})
    assert r.status_code == 422
    assert "figures" in r.text and "not a valid value: month must be in 1..12" in r.text


def test_others_cannot_edit(loaded, web_client):
    for user in ("it-caseworker", "it-admin", "euaa-analyst"):
        assert web_client(user).get("/followup/items/action/2.j/edit").status_code == 403
        r = web_client(user).post("/followup/items/action/2.j/edit",
                                  data={"version": "1", "status": "completed"})
        assert r.status_code == 403


def test_partners_list(loaded, web_client):
    r = web_client("it-caseworker").get("/followup/partners")
    assert r.status_code == 200
    assert r.text.count('href="/followup/partners/') == 20
    assert "people-to-people contacts" in r.text


def test_editor_links_an_action_to_a_registered_indicator(loaded, web_client, services):
    c = web_client("com-analyst")
    form = c.get("/followup/items/action/2.b/edit").text
    assert '<option value="registrations"' in form
    r = c.post("/followup/items/action/2.b/edit", data={
        "version": "1", "indicator": "registrations", "valid_from": "2026-11-28"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    report = c.get("/followup/report", params={"as_of": "2026-11-28"}).text
    assert report.count('data-indicator="registrations"') == 2


def test_before_loading_the_editor_can_load_the_annex_from_the_page(web_client):
    reader = web_client("it-caseworker").get("/followup")
    assert reader.status_code == 200 and "load the annex first" in reader.text
    assert 'action="/followup/load"' not in reader.text
    assert web_client("it-caseworker").post("/followup/load").status_code == 403
    c = web_client("com-analyst")
    assert 'action="/followup/load"' in c.get("/followup").text
    r = c.post("/followup/load", follow_redirects=False)
    assert r.status_code == 303
    assert c.get("/followup").text.count('href="/followup/commitments/') == 15
