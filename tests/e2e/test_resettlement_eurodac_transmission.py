# ruff: noqa: F811 -- the area's `api`, `cli` and `de` fixtures are imported from its other test modules, and a
# test names a fixture by its parameter
"""The transmission to Eurodac after a decision (Regulation (EU) 2024/1350, Art 9(24), applicable from
12 June 2026; Regulation (EU) 2024/1358, Art 18(2): within 72 hours of the decision to grant
international protection or a national humanitarian status, to refuse admission under Art 6(1)(f) or
to discontinue the procedure for consent not given or withdrawn). Through the API, the CLI and the
state's page. The test clock is 2026-11-28."""

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


def _decided(api, ref: str, **kw: object) -> dict[str, object]:
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person(
        ref, referred_on="2026-07-01", registered_on="2026-07-10", **kw))
    assert r.status_code == 201, r.text
    return r.json()


def _refused_6_1_f(api, ref: str, decided_on: str) -> dict[str, object]:
    return _decided(api, ref, decision="refused", decided_on=decided_on, refusal_ground="refused_by_a_member_state")


def test_a_refusal_under_article_6_1_f_is_due_to_eurodac_within_72_hours_and_reads_overdue_after(api, pledged):
    case = _refused_6_1_f(api, "DE-E1", "2026-11-20")
    e = case["eurodac"]
    assert (e["status"], e["trigger"], e["decision_on"], e["due_by"]) == ("overdue", "refused_art_6_1_f",
                                                                         "2026-11-20", "2026-11-23")
    assert e["basis"] == ("Regulation (EU) 2024/1358, Article 18(2), first subparagraph, point (b), and second "
                          "subparagraph")
    assert e["applies_by"] == "Regulation (EU) 2024/1350, Article 9(24)"
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert [c["case_reference"] for c in state["eurodac"]] == ["DE-E1"]
    assert state["eurodac_limit"]["limit"] == "72 hours"
    # the Commission reads the figures by state on the plan, no case reference
    plan = api("GET", "com-solidarity", f"{PLAN}/2026-2027").json()["eurodac"]
    assert (plan["by_state"], plan["overdue"], plan["due"], plan["limit"]["limit"]) == (
        {"DE": {"overdue": 1, "due": 0}}, 1, 0, "72 hours")
    overdue = api("GET", "de-admin", "/api/v1/resettlement/states/DE?stage=eurodac_overdue").json()
    assert overdue["cases_at_stage"] == 1
    # EU bodies read the clock, not the case reference
    eu = api("GET", "euaa-analyst", "/api/v1/resettlement/states/DE").json()
    assert eu["eurodac"] == [{"category": "resettlement", "eurodac": e}]
    (row,) = csv.DictReader(io.StringIO(api("GET", "de-admin", f"{PLAN}/2026-2027/states/DE/cases.csv").text))
    assert (row["eurodac_status"], row["eurodac_due_by"], row["eurodac_transmitted_on"]) == (
        "overdue", "2026-11-23", "")
    # refused: a day before the decision, a day and "under six" together
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": case["version"],
                                                              "eurodac_transmitted_on": "2026-11-19"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "eurodac_transmitted_on"
    assert "before the decision it transmits (2026-11-20" in r.text
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
        "version": case["version"], "eurodac_transmitted_on": "2026-11-21", "eurodac_under_six": True})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "eurodac_under_six"
    # transmitted a day after the 72 hours: late, and no longer listed (Art 18(3): the duty stays until then)
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": case["version"],
                                                              "eurodac_transmitted_on": "2026-11-24"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["eurodac"]["status"], d["eurodac_transmitted_on"]) == ("transmitted_late", "2026-11-24")
    # Eurodac keeps the data of a refusal three years from the transmission (Reg. 2024/1358, Art 29(4))
    assert (d["eurodac"]["kept_until"], d["eurodac"]["retention_basis"]) == (
        "2029-11-24", "Regulation (EU) 2024/1358, Article 29(4), from the transmission")
    assert api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()["eurodac"] == []
    assert api("GET", "com-solidarity", f"{PLAN}/2026-2027").json()["eurodac"]["overdue"] == 0
    # a day recorded is changed by a correction, with a reason
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": d["version"],
                                                              "eurodac_transmitted_on": "2026-11-22"})
    assert r.status_code == 422 and "already recorded" in r.text
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/correct", {
        "version": d["version"], "eurodac_transmitted_on": "2026-11-22", "reason": "the log shows the 22nd"})
    assert r.status_code == 200, r.text
    assert r.json()["eurodac"]["status"] == "transmitted_in_time"


def test_a_status_granted_starts_the_72_hours_a_child_under_six_has_none_and_early_decisions_have_no_duty(
        api, pledged):
    case = _decided(api, "DE-E2", decision="admitted", decided_on="2026-09-01")
    assert case["eurodac"]["status"] == "none"  # a positive conclusion is not a decision of Art 18(2)
    d = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
        "version": case["version"], "status_granted": "refugee_status", "status_decided_on": "2026-11-26"}).json()
    assert (d["eurodac"]["status"], d["eurodac"]["due_by"], d["eurodac"]["trigger"]) == ("due", "2026-11-29",
                                                                                         "status_granted")
    assert api("GET", "de-admin", "/api/v1/resettlement/states/DE?stage=eurodac_due").json()["cases_at_stage"] == 1
    d = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": d["version"], "eurodac_under_six": True}).json()
    assert (d["eurodac"]["status"], d["eurodac_under_six"]) == ("under_six", True)
    # a refusal on another ground sets no transmission: recording one is refused, naming the field
    other = _decided(api, "DE-E3", decision="refused", decided_on="2026-11-20", refusal_ground="exclusion_crimes")
    assert other["eurodac"]["status"] == "none"
    r = api("PATCH", "de-caseworker", f"{ADM}/{other['id']}", {"version": other["version"],
                                                               "eurodac_transmitted_on": "2026-11-21"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "eurodac_transmitted_on"
    assert "Article 18(2)" in r.text
    # decided before 12 June 2026, when Art 9(24) began to apply
    early = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person(
        "DE-E4", registered_on="2026-01-12", decision="refused", decided_on="2026-03-02",
        refusal_ground="refused_by_a_member_state")).json()
    assert early["eurodac"]["status"] == "not_applicable"
    r = api("PATCH", "de-caseworker", f"{ADM}/{early['id']}", {"version": early["version"],
                                                               "eurodac_transmitted_on": "2026-03-03"})
    assert r.status_code == 422 and "before 12 June 2026" in r.text


def test_the_cli_records_the_transmission_and_lists_the_overdue(api, pledged, cli):
    case = _refused_6_1_f(api, "DE-E5", "2026-11-20")
    r = cli("de-caseworker", "cases", "DE", "--stage", "eurodac_overdue")
    assert r.exit_code == 0, r.output
    (row,) = csv.DictReader(io.StringIO(r.stdout))
    assert (row["case_reference"], row["eurodac_status"], row["eurodac_due_by"]) == ("DE-E5", "overdue", "2026-11-23")
    for args, said in ((["--version", str(case["version"])], "--transmitted-on: required"),
                       (["--transmitted-on", "2026-11-21", "--under-six", "--version", str(case["version"])],
                        "--under-six"),
                       (["--transmitted-on", "21/11/2026", "--version", str(case["version"])], "--transmitted-on"),
                       (["--transmitted-on", "2026-11-19", "--version", str(case["version"])],
                        "eurodac_transmitted_on")):
        r = cli("de-caseworker", "transmit-eurodac", str(case["id"]), *args)
        assert r.exit_code == 2 and said in r.output, r.output
        assert len(r.output.strip().splitlines()) == 1
    r = cli("de-caseworker", "transmit-eurodac", str(case["id"]), "--transmitted-on", "2026-11-22",
            "--version", str(case["version"]))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["eurodac"]["status"] == "transmitted_in_time"
    (row,) = csv.DictReader(io.StringIO(cli("de-caseworker", "cases", "DE").stdout))
    assert (row["eurodac_status"], row["eurodac_transmitted_on"], row["eurodac_kept_until"]) == (
        "transmitted_in_time", "2026-11-22", "2029-11-22")


def test_the_state_page_shows_the_transmission_due_and_records_it(de, web_client):
    page = _refer(de, "DE-EW", referred_on="2026-07-01", registered_on="2026-07-10", decision="refused",
                  decided_on="2026-11-20", refusal_ground="refused_by_a_member_state")
    assert page.status_code == 200
    row = _row(page.text, "DE-EW")
    assert "Eurodac transmission overdue" in row and "(72 hours from 2026-11-20: by 2026-11-23)" in row
    assert "Regulation (EU) 2024/1358, Article 18(2), first subparagraph, point (b)" in row
    assert 'id="eurodac"' in page.text and "Regulation (EU) 2024/1350, Article 9(24)" in page.text
    plan_page = de.get("/resettlement/plans/2026-2027").text
    assert ('1 overdue, 0 due (<a href="/resettlement/plans/2026-2027/states/DE#eurodac">DE</a>: 1 overdue, 0 due)'
            in plan_page)
    case_id = row.split('/admissions/')[1].split('"')[0]
    version = row.split('name="version" value="')[1].split('"')[0]
    # the administrator who referred the person is told who records the transmission, and has no form for it
    assert "caseworkers, who write the registry" in row and "Record the transmission to Eurodac" not in row
    de = web_client("de-caseworker")  # who writes the registry's Eurodac records
    row = _row(de.get(STATE).text, "DE-EW")
    assert "Record the transmission to Eurodac" in row
    r = de.post(f"{STATE}/admissions/{case_id}", data={"version": version, "eurodac_transmitted_on": "2026-11-19"},
                follow_redirects=True)
    assert "Transmitted to Eurodac on" in r.text and "before the decision it transmits" in r.text
    r = de.post(f"{STATE}/admissions/{case_id}", data={"version": version, "eurodac_transmitted_on": "2026-11-24"},
                follow_redirects=True)
    assert r.status_code == 200
    row = _row(r.text, "DE-EW")
    assert "transmitted after the 72 hours" in row and "2026-11-24" in row
    assert "Eurodac keeps the data until 2029-11-24 (Regulation (EU) 2024/1358, Article 29(4)" in row
    assert 'id="none-eurodac"' in r.text
    # the correction form sends the transmission back as it stands, so correcting another field keeps it
    assert 'name="eurodac_transmitted_on" value="2026-11-24"' in row
    version = row.split('name="version" value="')[1].split('"')[0]
    r = de.post(f"{STATE}/admissions/{case_id}/correct", data={
        "version": version, "registered_on": "2026-07-11", "decision": "refused", "decided_on": "2026-11-20",
        "refusal_ground": "refused_by_a_member_state", "eurodac_transmitted_on": "2026-11-24",
        "reason": "registered a day later"}, follow_redirects=True)
    assert r.status_code == 200
    row = _row(r.text, "DE-EW")
    assert "<td>2026-07-11</td>" in row and "transmitted after the 72 hours" in row
