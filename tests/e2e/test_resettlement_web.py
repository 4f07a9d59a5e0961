"""Resettlement pages as their users open them: the overview, a plan, a state's own page with
its forms; a refused form says why next to the field and keeps what was typed."""

from __future__ import annotations

import pytest

from tests.conftest import unlabelled_fields


@pytest.fixture
def loaded(web_client):
    com = web_client("com-solidarity")
    r = com.post("/api/v1/resettlement/load")
    assert r.status_code == 200, r.text
    return com


def _pledge(client, **fields: str):
    form = {"rows": "3", **fields}
    return client.post("/resettlement/plans/2026-2027/states/DE/pledge", data=form, follow_redirects=False)


def test_overview_shows_plans_and_unhcr_history(loaded, web_client):
    page = web_client("euaa-analyst").get("/resettlement")
    assert page.status_code == 200
    assert "2026-2027" in page.text and "15,230" in page.text and "60,960" in page.text
    assert "11,827" in page.text and "UNHCR" in page.text and "demo data" in page.text
    assert "Record a plan" not in page.text  # only the Commission records plans
    assert "Record a plan" in loaded.get("/resettlement").text
    assert unlabelled_fields(loaded.get("/resettlement").text) == []


def test_a_state_pledges_and_records_a_person_from_its_page(loaded, web_client):
    de = web_client("de-admin")
    page = de.get("/resettlement/state", follow_redirects=True)
    assert page.status_code == 200 and "Pledge places" in page.text
    assert unlabelled_fields(page.text) == []
    r = _pledge(de, category_0="resettlement", first_asylum_0="TUR", places_0="2")
    assert r.status_code == 303
    page = de.get(r.headers["location"])
    assert "Pledge saved" in page.text and 'id="pledge-total">2<' in page.text
    r = de.post("/resettlement/plans/2026-2027/states/DE/admissions", data={
        "case_reference": "DE-W1", "nationality": "SYR", "first_asylum": "TUR", "category": "resettlement",
        "procedure": "ordinary", "referred_on": "2026-02-01", "decision": "admitted", "decided_on": "2026-03-01"},
        follow_redirects=True)
    assert r.status_code == 200 and "DE-W1" in r.text and 'id="state-admitted">1<' in r.text
    plan = web_client("com-solidarity").get("/resettlement/plans/2026-2027")
    assert 'id="admitted-total">1<' in plan.text and 'id="pledged-total">2<' in plan.text


def test_a_refused_pledge_says_why_next_to_the_field_and_keeps_what_was_typed(loaded, web_client):
    de = web_client("de-admin")
    r = _pledge(de, category_0="resettlement", first_asylum_0="TUX", places_0="12", category_1="", places_1="4")
    assert r.status_code == 422
    assert 'id="pledge-first_asylum_0-error"' in r.text and "TUX&#39; is not an ISO 3166 alpha-3" in r.text
    assert 'id="pledge-category_1-error"' in r.text
    assert 'value="TUX"' in r.text and 'value="12"' in r.text and 'value="4"' in r.text
    r = _pledge(de, category_0="resettlement", places_0="20000")
    assert r.status_code == 422 and "at most 15,230" in r.text and 'value="20000"' in r.text


def test_a_refused_admission_keeps_the_typed_values(loaded, web_client):
    de = web_client("de-admin")
    _pledge(de, category_0="resettlement", places_0="2")
    r = de.post("/resettlement/plans/2026-2027/states/DE/admissions", data={
        "case_reference": "DE-W2", "nationality": "SYR", "first_asylum": "LBN", "category": "resettlement",
        "procedure": "ordinary", "referred_on": "2025-10-01", "decision": "admitted", "decided_on": "2025-12-20"})
    assert r.status_code == 422
    assert 'id="admission-decided_on-error"' in r.text and "runs from 2026-01-01" in r.text
    assert 'value="DE-W2"' in r.text and 'value="2025-12-20"' in r.text and 'value="LBN"' in r.text


def test_other_states_pages_are_refused(loaded, web_client):
    fr = web_client("fr-admin")
    assert fr.get("/resettlement/states/DE").status_code == 403
    assert fr.get("/resettlement/plans/2026-2027/states/DE").status_code == 403
    assert fr.post("/resettlement/plans/2026-2027/states/DE/pledge",
                   data={"rows": "1", "category_0": "resettlement", "places_0": "1"}).status_code == 403
    assert fr.get("/resettlement/states/ZZ").status_code == 404
    assert fr.get("/resettlement/plans/2099-2100").status_code == 404
    # an EU analyst reads a state's figures without its case list or forms
    eu = web_client("euaa-analyst").get("/resettlement/states/DE")
    assert eu.status_code == 200 and "Save the pledge" not in eu.text and 'id="cases"' not in eu.text


def test_the_commission_closes_a_plan_and_its_forms_go(loaded, web_client):
    de = web_client("de-admin")
    _pledge(de, category_0="resettlement", places_0="2")
    de.post("/resettlement/plans/2026-2027/states/DE/admissions", data={
        "case_reference": "DE-P1", "nationality": "SYR", "first_asylum": "TUR", "category": "resettlement",
        "procedure": "ordinary", "referred_on": "2026-05-01"})
    plan = loaded.get("/resettlement/plans/2026-2027")
    assert "cannot be undone" in plan.text and 'name="confirm"' in plan.text
    assert unlabelled_fields(plan.text) == []
    version = plan.text.split('name="version" value="', 1)[1].split('"', 1)[0]
    # without the tick nothing is closed
    r = loaded.post("/resettlement/plans/2026-2027/close", data={"version": version})
    assert r.status_code == 422 and "tick the box" in r.text
    assert loaded.get("/api/v1/resettlement/plans/2026-2027").json()["status"] == "open"
    r = loaded.post("/resettlement/plans/2026-2027/close", data={"version": version, "confirm": "yes"},
                    follow_redirects=True)
    assert r.status_code == 200 and "Plan closed" in r.text
    stale = loaded.post("/resettlement/plans/2026-2027/close", data={"version": version, "confirm": "yes"})
    assert stale.status_code == 409
    page = de.get("/resettlement/plans/2026-2027/states/DE")
    assert "Save the pledge" not in page.text and "is closed" in page.text
    # no more persons referred, but the person pending still gets a decision
    assert "Record the person" not in page.text and "Record the decision" in page.text
    admission = de.get("/api/v1/resettlement/states/DE").json()["cases"][0]
    r = de.post(f"/resettlement/plans/2026-2027/states/DE/admissions/{admission['id']}",
                data={"version": "1", "decision": "admitted", "decided_on": "2026-09-01"}, follow_redirects=True)
    assert r.status_code == 200 and 'id="state-admitted">1<' in r.text


def test_blank_fields_are_required_and_summaries_use_the_labels(loaded, web_client):
    de = web_client("de-admin")
    _pledge(de, category_0="resettlement", places_0="2")
    r = de.post("/resettlement/plans/2026-2027/states/DE/admissions", data={
        "case_reference": "DE-W3", "nationality": "SYR", "first_asylum": "  ", "category": "resettlement",
        "procedure": "ordinary", "referred_on": ""})
    assert r.status_code == 422
    assert "valid string" not in r.text and "valid date" not in r.text
    assert "<li>Country of first asylum: required</li>" in r.text
    assert "<li>Referred by UNHCR on: required</li>" in r.text
    assert 'id="admission-first_asylum-error">required<' in r.text
    r = _pledge(de, category_0="resettlement", places_0="2", category_2="resettlement", first_asylum_2="XXX",
                places_2="x", version="1")
    assert r.status_code == 422
    assert "<li>Places, line 3:" in r.text and "places_2:" not in r.text
    r = _pledge(de, category_0="resettlement", first_asylum_0="FRA", places_0="2", version="1")
    assert r.status_code == 422 and "<li>Country of first asylum, line 1: France (FRA) is a Member State" in r.text


def test_a_stale_form_says_the_record_changed_since_the_page_was_opened(loaded, web_client):
    de = web_client("de-admin")
    _pledge(de, category_0="resettlement", places_0="2")
    assert _pledge(de, category_0="resettlement", places_0="3", version="1").status_code == 303
    r = _pledge(de, category_0="resettlement", places_0="4", version="1")
    assert r.status_code == 409
    assert "someone else" not in r.text and "changed since this page was opened (now version 2)" in r.text


def test_the_history_says_what_each_total_covers(loaded, web_client):
    page = web_client("euaa-analyst").get("/resettlement")
    assert "states bound by the Pact" not in page.text
    assert "EU27 (incl. DK)" in page.text and "Protocol No 22" in page.text
    assert "EU+ (EU27, IS, LI, NO, CH)" in page.text
    dk = web_client("euaa-analyst").get("/resettlement/states/DK")
    assert dk.status_code == 200 and 'id="not-bound"' in dk.text
