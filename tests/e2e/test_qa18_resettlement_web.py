"""QA walk 18, resettlement pages (Reg. (EU) 2024/1350): the Commission amends a plan on its page;
the plan page's "Not yet pledged" adds up; a state's officer corrects or withdraws a case on the
state's page; another state's address is refused; shares, the pledge's history and CSV links."""

from __future__ import annotations

import re

import pytest

from tests.conftest import unlabelled_fields

PLAN_PAGE = "/resettlement/plans/2026-2027"
DE_PAGE = "/resettlement/plans/2026-2027/states/DE"


@pytest.fixture
def loaded(web_client):
    com = web_client("com-solidarity")
    assert com.post("/api/v1/resettlement/load").status_code == 200
    return com


def _amend_form(page: str, **fields: str) -> dict[str, str]:
    version = re.search(r'action="/resettlement/plans/2026-2027/amend".*?name="version" value="(\d+)"', page, re.S)
    assert version, "the plan page has no amendment form"
    form = {"version": version.group(1), "title": "First Union Plan", "council_act_reference": "",
            "council_act_date": "", "total_places": "15230", "resettlement": "", "humanitarian_admission": "",
            "emergency_admission": "", "first_asylum_countries": "", "regions": "", "announced_states": "9",
            "source": "IRC", "reason": ""}
    return {**form, **fields}


def _pledge(client, **fields: str):
    return client.post(f"{DE_PAGE}/pledge", data={"rows": "3", **fields}, follow_redirects=False)


def _refer(client, state: str = "DE", **fields: str):
    form = {"case_reference": "DE-W1", "nationality": "SYR", "first_asylum": "TUR", "category": "resettlement",
            "procedure": "ordinary", "referred_on": "2026-02-01", **fields}
    return client.post(f"/resettlement/plans/2026-2027/states/{state}/admissions", data=form, follow_redirects=False)


def test_the_commission_amends_a_plan_on_its_page(loaded, web_client):
    page = loaded.get(PLAN_PAGE).text
    assert "Amend the plan" in page and unlabelled_fields(page) == []
    assert "Amend the plan" not in web_client("euaa-analyst").get(PLAN_PAGE).text
    r = loaded.post(f"{PLAN_PAGE}/amend", data=_amend_form(
        page, council_act_reference="Council Implementing Decision (EU) 2025/2600", council_act_date="2025-12-08",
        resettlement="9000", humanitarian_admission="5000", emergency_admission="1230", reason="Council act"),
        follow_redirects=False)
    assert r.status_code == 303, r.text
    page = loaded.get(r.headers["location"]).text
    assert "Plan amended" in page and "Council Implementing Decision (EU) 2025/2600 of 2025-12-08" in page
    assert 'id="places-resettlement">9,000<' in page
    # a split above the total is refused next to the field, with what was typed kept
    r = loaded.post(f"{PLAN_PAGE}/amend", data=_amend_form(page, resettlement="20000", humanitarian_admission="5000"))
    assert r.status_code == 422 and 'id="amend-total_places-error"' in r.text and 'value="20000"' in r.text
    # a state's administrator cannot amend a plan
    assert web_client("de-admin").post(f"{PLAN_PAGE}/amend", data=_amend_form(page)).status_code == 403


def test_not_yet_pledged_adds_up_when_the_given_categories_make_up_the_total(web_client):
    com = web_client("com-solidarity")
    r = com.post("/resettlement/plans", data={"first_year": "2022", "last_year": "2023", "kind": "pledging_exercise",
                                              "total_places": "29000", "resettlement": "17000",
                                              "humanitarian_admission": "12000"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    de = web_client("de-admin")
    r = de.post("/resettlement/plans/2022-2023/states/DE/pledge",
                data={"rows": "1", "category_0": "emergency_admission", "places_0": "10500"})
    assert r.status_code == 422 and "emergency admission" in r.text and "at most 0" in r.text
    page = com.get("/resettlement/plans/2022-2023").text
    assert 'id="places-emergency_admission">0' in page and 'id="unpledged-emergency_admission">0<' in page
    assert 'id="unpledged-total">29,000<' in page and 'id="unpledged-resettlement">17,000<' in page


def test_a_state_officer_corrects_and_withdraws_cases_on_the_states_page(loaded, web_client):
    de = web_client("de-caseworker")
    _pledge(web_client("de-admin"), category_0="resettlement", places_0="2")
    assert _refer(de, decision="admitted", decided_on="2026-03-01").status_code == 303
    assert _refer(de, case_reference="DE-W2", referred_on="2026-02-02").status_code == 303
    page = de.get(DE_PAGE).text
    assert "Correct the record" in page and "Withdraw the referral" in page and unlabelled_fields(page) == []
    # the person admitted has a correction form, the one pending a withdrawal form
    correct_id = re.search(r'admissions/([^/"]+)/correct"', page).group(1)
    withdraw_id = re.search(r'admissions/([^/"]+)/withdraw"', page).group(1)
    # the correction needs its reason
    form = {"version": "1", "decision": "refused", "decided_on": "2026-03-01", "refusal_ground": "other",
            "refusal_reason": "Not in need of resettlement", "irregular_on": "", "arrived_on": ""}
    r = de.post(f"{DE_PAGE}/admissions/{correct_id}/correct", data=form)
    assert r.status_code == 422 and 'id="correct-reason-error"' in r.text and "Not in need of resettlement" in r.text
    r = de.post(f"{DE_PAGE}/admissions/{correct_id}/correct", data={**form, "reason": "Admitted by mistake"},
                follow_redirects=False)
    assert r.status_code == 303
    page = de.get(r.headers["location"]).text
    assert "Corrected" in page and 'id="state-admitted">0<' in page
    r = de.post(f"{DE_PAGE}/admissions/{withdraw_id}/withdraw",
                data={"version": "1", "withdrawn_on": "2026-06-01", "reason": "UNHCR withdrew the submission"},
                follow_redirects=False)
    assert r.status_code == 303
    page = de.get(r.headers["location"]).text
    assert "referral withdrawn" in page and "UNHCR withdrew the submission" in page
    assert 'id="none-overdue"' in page


def test_another_states_referral_address_is_refused(loaded, web_client):
    _pledge(web_client("de-admin"), category_0="resettlement", places_0="2")
    it = web_client("it-admin")
    r = it.post("/resettlement/plans/2026-2027/states/IT/pledge",
                data={"rows": "1", "category_0": "resettlement", "places_0": "2"}, follow_redirects=False)
    assert r.status_code == 303
    r = _refer(it, case_reference="IT-X1")
    assert r.status_code == 403
    data = web_client("it-admin").get("/api/v1/resettlement/states/IT?plan=2026-2027").json()
    assert data["cases"] == []


def test_plan_and_state_pages_show_shares_history_and_csv_links(loaded, web_client):
    admin = web_client("de-admin")
    _pledge(admin, category_0="resettlement", places_0="4")
    _pledge(admin, category_0="resettlement", places_0="3", version="1")
    assert _refer(web_client("de-caseworker"), decision="admitted", decided_on="2026-03-01",
                  arrived_on="2026-04-01").status_code == 303
    plan = web_client("com-solidarity").get(PLAN_PAGE).text
    assert 'id="admitted-pct">33.3%<' in plan and 'id="arrived-pct">33.3%<' in plan
    state = web_client("com-solidarity").get(DE_PAGE).text
    assert "How the pledge changed" in state and 'id="pledge-version-2"' in state and ">-1<" in state
    assert "/resettlement/plans/2026-2027/states/DE/cases.csv" not in state  # EU bodies: no case references
    own = admin.get(DE_PAGE).text
    assert "/resettlement/plans/2026-2027/states/DE/cases.csv" in own
    r = admin.get("/resettlement/plans/2026-2027/states/DE/cases.csv")
    assert r.status_code == 200 and "DE-W1" in r.text
