# ruff: noqa: F811 -- the area's `api`, `cli` and `de` fixtures are imported from its other test modules, and a
# test names a fixture by its parameter
"""After a positive conclusion (Regulation (EU) 2024/1350, Art 9(14) to (20), read in the Official
Journal text) the state records the status granted (Art 9(15)-(18)), follows the entry due within
twelve months of the conclusion (Art 9(20)), discontinues the procedure of a person who withdraws
their consent before entering (Art 7(1), 9(11)), and records whether UNHCR was given the reason of a
discontinuation or a refusal (Art 9(11), third subparagraph; 9(13), second subparagraph). Through
the API, the CLI and the state's page. The test clock is 2026-11-28."""

from __future__ import annotations

import csv
import io
import json

from tests.e2e.test_resettlement_api import api  # noqa: F401
from tests.e2e.test_resettlement_cli import cli  # noqa: F401
from tests.e2e.test_resettlement_registration_api import _person, pledged  # noqa: F401
from tests.e2e.test_resettlement_registration_web import STATE, _refer, _row, de  # noqa: F401

PLAN = "/api/v1/resettlement/plans"
ADM = "/api/v1/resettlement/admissions"


def _admitted(api, ref: str, decided_on: str = "2026-01-20", **kw: object) -> dict[str, object]:
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person(
        ref, registered_on="2026-01-12", decision="admitted", decided_on=decided_on, **kw))
    assert r.status_code == 201, r.text
    return r.json()


def test_the_status_granted_and_the_entry_due_twelve_months_from_the_conclusion(api, pledged):
    case = _admitted(api, "DE-S1")
    # concluded 2026-01-20: the entry is due by 2027-01-20, within 60 days of the test's today: due soon
    assert case["positive_conclusion_on"] == "2026-01-20"
    assert (case["transfer"]["status"], case["transfer"]["due_by"]) == ("due_soon", "2027-01-20")
    assert "Article 9(20)" in case["transfer"]["basis"] and case["status_granted"] is None
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert [c["case_reference"] for c in state["transfers"]] == ["DE-S1"]
    assert [c["case_reference"] for c in api("GET", "de-admin",
                                             "/api/v1/resettlement/states/DE?stage=transfer_due_soon").json()["cases"]] == [
        "DE-S1"]
    assert api("GET", "de-admin", "/api/v1/resettlement/states/DE?stage=status_to_record").json()["cases_at_stage"] == 1
    # the Commission reads the figures by state, no case reference
    plan = api("GET", "com-solidarity", f"{PLAN}/2026-2027").json()
    assert plan["transfers"]["by_state"] == {"DE": {"overdue": 0, "due_soon": 1}}
    eu = api("GET", "euaa-analyst", "/api/v1/resettlement/states/DE").json()
    assert "case_reference" not in eu["transfers"][0]
    # a national humanitarian status after a resettlement is refused: Art 9(15)
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
        "version": case["version"], "status_granted": "national_humanitarian_status", "status_decided_on": "2026-02-01"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "status_granted"
    assert "Article 9(15)" in r.text
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
        "version": case["version"], "status_granted": "refugee_status", "status_decided_on": "2026-01-15"})
    assert r.status_code == 422 and "before the positive conclusion" in r.text
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
        "version": case["version"], "status_granted": "refugee_status", "status_decided_on": "2026-02-01"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["status_granted"], d["status_decided_on"], d["status_basis"]) == (
        "refugee_status", "2026-02-01", "Regulation (EU) 2024/1350, Article 9(15)")
    # arrived in time: no longer listed
    d = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": d["version"], "arrived_on": "2026-11-02"}).json()
    assert d["transfer"]["status"] == "arrived_in_time"
    assert api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()["transfers"] == []
    (row,) = csv.DictReader(io.StringIO(api("GET", "de-admin", f"{PLAN}/2026-2027/states/DE/cases.csv").text))
    assert (row["status_granted"], row["status_basis"], row["transfer_due_by"], row["transfer_status"]) == (
        "refugee_status", "Regulation (EU) 2024/1350, Article 9(15)", "2027-01-20", "arrived_in_time")
    statuses = api("GET", "euaa-analyst", "/api/v1/resettlement/statuses").json()
    assert [s["code"] for s in statuses] == ["refugee_status", "subsidiary_protection", "national_humanitarian_status",
                                              "family_member_residence_permit"]
    assert statuses[2]["categories"] == ["humanitarian_admission", "emergency_admission"]


def test_consent_withdrawn_before_the_entry_discontinues_the_procedure_frees_the_place_and_unhcr_is_recorded(
        api, pledged):
    case = _admitted(api, "DE-S2")
    assert api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()["progress"]["total"]["admitted"] == 1
    # only a withdrawal of consent, after a positive conclusion (our reading of Art 9(11))
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/discontinue", {
        "version": case["version"], "discontinued_on": "2026-03-01", "ground": "preference_to_vulnerable",
        "reason": "x"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "ground"
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/discontinue", {
        "version": case["version"], "discontinued_on": "2026-03-01", "ground": "consent_withdrawn",
        "reason": "refused the travel arranged"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["decision"], d["discontinued_on"], d["positive_conclusion_on"]) == ("discontinued", "2026-03-01",
                                                                                  "2026-01-20")
    # the procedure had concluded in time: its clock reads the conclusion; the place is freed; no entry due
    assert d["clock"]["status"] == "in_time" and d["transfer"]["status"] == "none"
    assert d["data_retention"]["keep_until"] == "2029-03-01"
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert state["progress"]["total"]["admitted"] == 0 and state["transfers"] == []
    # Art 9(11), third subparagraph: whether UNHCR was given the reason
    assert d["unhcr_basis"] == "Regulation (EU) 2024/1350, Article 9(11), third subparagraph"
    assert api("GET", "de-admin", "/api/v1/resettlement/states/DE?stage=unhcr_to_record").json()["cases_at_stage"] == 1
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": d["version"], "unhcr_informed": "informed"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "unhcr_informed_on"
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
        "version": d["version"], "unhcr_informed": "informed", "unhcr_informed_on": "2026-03-04"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert api("GET", "de-admin", "/api/v1/resettlement/states/DE?stage=unhcr_to_record").json()["cases_at_stage"] == 0
    # recorded in error: corrected back to admitted, the conclusion's day restored, the place taken again
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/correct", {
        "version": d["version"], "decision": "admitted", "reason": "consent was not withdrawn"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["decision"], d["decided_on"], d["unhcr_informed"]) == ("admitted", "2026-01-20", None)
    # once arrived, consent to be admitted is no longer withdrawn (Art 7(1))
    d = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": d["version"], "arrived_on": "2026-04-01"}).json()
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/discontinue", {
        "version": d["version"], "discontinued_on": "2026-05-01", "ground": "consent_withdrawn", "reason": "x"})
    assert r.status_code == 422 and "entered on 2026-04-01" in r.text


def test_the_cli_lists_the_statuses_and_grants_one(api, pledged, cli):
    case = _admitted(api, "DE-S3", category="emergency_admission", procedure="expedited", first_asylum="NER")
    r = cli("de-caseworker", "statuses")
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["code"] == "refugee_status"
    r = cli("de-caseworker", "grant-status", str(case["id"]), "--status", "asylum", "--decided-on", "2026-02-01",
            "--version", str(case["version"]))
    assert r.exit_code == 2 and "--status" in r.output
    r = cli("de-caseworker", "grant-status", str(case["id"]), "--status", "subsidiary_protection",
            "--decided-on", "2026-02-01", "--version", str(case["version"]))
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    # an emergency admission is through resettlement or humanitarian admission (Art 2(4))
    assert d["status_basis"] == "Regulation (EU) 2024/1350, Article 9(15) or (17)" and d["transfer"]["rapid"] is True


def test_the_state_page_records_the_status_shows_the_entry_due_and_takes_a_withdrawal_of_consent(de):
    page = _refer(de, "DE-SW", registered_on="2026-01-12", decision="admitted", decided_on="2026-01-20")
    row = _row(page.text, "DE-SW")
    assert "entry due soon" in row and "(by 2027-01-20)" in row and "status not recorded" in row
    assert "Consent withdrawn before the entry" in row
    assert 'id="transfers"' in page.text and "Article 9(20)" in page.text
    case_id = row.split('/admissions/')[1].split('"')[0]
    version = row.split('name="version" value="')[1].split('"')[0]
    r = de.post(f"{STATE}/admissions/{case_id}", data={"version": version, "status_granted": "refugee_status",
                                                       "status_decided_on": "2026-02-01"}, follow_redirects=True)
    assert r.status_code == 200
    row = _row(r.text, "DE-SW")
    assert "Refugee status (Article 9(15)), decided 2026-02-01" in row
    version = row.split('name="version" value="')[1].split('"')[0]
    r = de.post(f"{STATE}/admissions/{case_id}/discontinue", data={
        "version": version, "ground": "consent_withdrawn", "discontinued_on": "2026-03-01",
        "reason": "refused the travel arranged"}, follow_redirects=True)
    assert r.status_code == 200
    row = _row(r.text, "DE-SW")
    assert "after the positive conclusion of 2026-01-20" in row and "never took effect" in row
    assert "not recorded whether the reason was given" in row
