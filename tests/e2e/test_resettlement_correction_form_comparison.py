# ruff: noqa: F811 -- the area's `api` and `pledged` fixtures are imported from its other test modules, and
# a test names a fixture by its parameter
"""The state's page's "Correct the record" form carries the transmission for comparison before the
conclusion (Regulation (EU) 2024/1358, Art 18(1): the day, or that a negative conclusion was reached
without a comparison), as the API's and the CLI's ``correct`` already did: labelled in words, for the
state's caseworkers only, refused by the same rules with each message next to its field. Until
2026-12-02 the form left the transmission as recorded. The test clock is 2026-11-28."""

from __future__ import annotations

import re

from tests.conftest import unlabelled_fields
from tests.e2e.test_resettlement_api import api  # noqa: F401
from tests.e2e.test_resettlement_eurodac_comparison import _case
from tests.e2e.test_resettlement_registration_api import pledged  # noqa: F401
from tests.e2e.test_resettlement_registration_web import STATE, _row

LABEL = "Biometric data transmitted to Eurodac for comparison (Article 18(1)) on"


def _correct_form(row: str) -> str:
    m = re.search(r'<details class="correct".*?</details>', row, re.S)
    assert m, "no correction form"
    return m.group(0)


def test_the_correction_form_corrects_the_transmission_for_comparison(api, pledged, web_client):
    case = _case(api, "DE-K1")
    r = api("PATCH", "de-caseworker", f"/api/v1/resettlement/admissions/{case['id']}",
            {"version": case["version"], "eurodac_compared_on": "2026-07-20"})
    assert r.status_code == 200, r.text
    version = r.json()["version"]
    caseworker = web_client("de-caseworker")
    page = caseworker.get(STATE)
    form = _correct_form(_row(page.text, "DE-K1"))
    assert LABEL in form and 'name="eurodac_compared_on" value="2026-07-20"' in form
    assert "Refused without a comparison of biometric data" in form
    assert unlabelled_fields(page.text) == []
    url = f"{STATE}/admissions/{case['id']}/correct"
    base = {"version": str(version), "registered_on": "2026-07-10", "decision": "", "reason": "Misdated transmission"}
    # before the registration: refused next to the field, the summary naming it in words, the day typed kept
    r = caseworker.post(url, data={**base, "eurodac_compared_on": "2026-07-09"})
    assert r.status_code == 422
    assert 'id="correct-eurodac_compared_on-error"' in r.text and "before the registration (2026-07-10)" in r.text
    assert f"{LABEL}: " in r.text and 'value="2026-07-09"' in r.text
    # the exception of the second sentence on a case not refused: refused on its own field
    r = caseworker.post(url, data={**base, "eurodac_comparison_not_needed": "true"})
    assert r.status_code == 422
    assert 'id="correct-eurodac_comparison_not_needed-error"' in r.text
    assert "negative conclusion reached without a comparison" in r.text
    # corrected: the row reads the corrected day
    r = caseworker.post(url, data={**base, "eurodac_compared_on": "2026-07-15"}, follow_redirects=True)
    assert r.status_code == 200, r.text
    assert "transmitted for comparison 2026-07-15, before the conclusion" in _row(r.text, "DE-K1")
    got = api("GET", "de-caseworker", "/api/v1/resettlement/states/DE").json()["cases"]
    assert [c["eurodac_compared_on"] for c in got if c["case_reference"] == "DE-K1"] == ["2026-07-15"]


def test_a_refusal_reached_without_a_comparison_is_corrected_from_the_form(api, pledged, web_client):
    case = _case(api, "DE-K2", decision="refused", decided_on="2026-11-20", refusal_ground="exclusion_crimes")
    caseworker = web_client("de-caseworker")
    url = f"{STATE}/admissions/{case['id']}/correct"
    r = caseworker.post(url, data={
        "version": str(case["version"]), "registered_on": "2026-07-10", "decision": "refused",
        "decided_on": "2026-11-20", "refusal_ground": "exclusion_crimes", "eurodac_comparison_not_needed": "true",
        "reason": "The refusal needed no comparison"}, follow_redirects=True)
    assert r.status_code == 200, r.text
    assert "refused without a comparison" in _row(r.text, "DE-K2")


def test_the_administrator_s_correction_form_has_no_transmission_fields_and_leaves_it_as_recorded(
        api, pledged, web_client):
    case = _case(api, "DE-K3")
    r = api("PATCH", "de-caseworker", f"/api/v1/resettlement/admissions/{case['id']}",
            {"version": case["version"], "eurodac_compared_on": "2026-07-20"})
    version = r.json()["version"]
    admin = web_client("de-admin")
    form = _correct_form(_row(admin.get(STATE).text, "DE-K3"))
    assert "eurodac_compared_on" not in form and "eurodac_comparison_not_needed" not in form
    r = admin.post(f"{STATE}/admissions/{case['id']}/correct", data={
        "version": str(version), "registered_on": "2026-07-11", "decision": "", "reason": "Misdated registration"},
        follow_redirects=True)
    assert r.status_code == 200, r.text
    got = api("GET", "de-caseworker", "/api/v1/resettlement/states/DE").json()["cases"]
    assert [(c["registered_on"], c["eurodac_compared_on"]) for c in got if c["case_reference"] == "DE-K3"] == [
        ("2026-07-11", "2026-07-20")]
