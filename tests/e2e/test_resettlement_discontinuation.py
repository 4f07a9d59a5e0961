# ruff: noqa: F811 -- the area's `api`, `cli` and `de` fixtures are imported from its other test modules, and a
# test names a fixture by its parameter
"""A Member State discontinues an admission procedure (Regulation (EU) 2024/1350, Art 9(11), read in
the Official Journal text): it must when the person withdrew their consent (Art 7), it may when it
concludes that the persons admitted exceed its contribution (a), that persons with particular
protection needs or vulnerabilities should have preference (b), or that it cannot meet the time
limits of Art 9(9) for reasons beyond its control (c). Art 9(12): the person's data are kept three
years after the first, erased on the day after the others. A discontinued procedure is its own
outcome, not a withdrawn referral nor a refusal: no place, never overdue, its own columns. Through
the API, the CLI and the state's page. The test clock is 2026-11-28."""

from __future__ import annotations

import csv
import io
import json
import re

from tests.e2e.test_qa18_resettlement_api import _loc
from tests.e2e.test_resettlement_api import (
    _exercise,
    api,  # noqa: F401
)
from tests.e2e.test_resettlement_cli import cli  # noqa: F401
from tests.e2e.test_resettlement_registration_api import _overdue, _person, pledged  # noqa: F401
from tests.e2e.test_resettlement_registration_web import STATE, _refer, _row, de  # noqa: F401

PLAN = "/api/v1/resettlement/plans"
ADM = "/api/v1/resettlement/admissions"
GONE = "did not attend two interviews after being told the consequences (Art 9(4)(b))"


def _refer_api(api, ref: str, **kw: object) -> dict[str, object]:
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person(ref, **kw))
    assert r.status_code == 201, r.text
    return r.json()


def test_a_procedure_discontinued_for_consent_withdrawn_takes_no_place_is_never_overdue_and_keeps_data_three_years(
        api, pledged, services):
    case = _refer_api(api, "DE-D1", registered_on="2026-03-01")
    assert case["clock"]["status"] == "overdue" and _overdue(services) == 1
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/discontinue", {
        "version": case["version"], "discontinued_on": "2026-11-20", "ground": "consent_withdrawn", "reason": GONE})
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["decision"], d["discontinued_on"], d["discontinuation_ground"], d["discontinuation_reason"]) == (
        "discontinued", "2026-11-20", "consent_withdrawn", GONE)
    # the state had to (first subparagraph), and keeps the data three years from the day (Art 9(12))
    assert d["discontinuation_basis"] == "Regulation (EU) 2024/1350, Article 9(11), first subparagraph"
    assert d["discontinuation_mandatory"] is True
    assert d["data_retention"]["keep_until"] == "2029-11-20" and d["data_retention"]["erase_on"] is None
    assert "Article 9(12)" in d["data_retention"]["basis"]
    # neither a withdrawn referral nor a decision: those fields stay empty
    assert (d["withdrawn_on"], d["withdrawal_reason"], d["decided_on"], d["refusal_reason"]) == (None,) * 4
    assert d["clock"]["status"] == "discontinued" and _overdue(services) == 0
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert state["overdue"] == [] and state["case_counts"] == {"discontinued": 1}
    assert state["progress"]["total"]["admitted"] == 0
    # the Commission reads on the plan where every state's persons referred stand, discontinued included
    plan = api("GET", "com-solidarity", f"{PLAN}/2026-2027").json()
    assert plan["case_counts"] == {"pending": 0, "admitted": 0, "refused": 0, "withdrawn": 0, "discontinued": 1}
    only = api("GET", "de-admin", "/api/v1/resettlement/states/DE?stage=discontinued").json()
    assert [c["case_reference"] for c in only["cases"]] == ["DE-D1"]
    (row,) = csv.DictReader(io.StringIO(api("GET", "de-admin", f"{PLAN}/2026-2027/states/DE/cases.csv").text))
    assert (row["decision"], row["discontinued_on"], row["discontinuation_ground"], row["discontinuation_basis"],
            row["discontinuation_reason"], row["data_kept_until"], row["procedure_status"], row["withdrawn_on"]) == (
        "discontinued", "2026-11-20", "consent_withdrawn",
        "Regulation (EU) 2024/1350, Article 9(11), first subparagraph", GONE, "2029-11-20", "discontinued", "")


def test_a_ground_of_the_second_subparagraph_erases_the_data_on_the_day_and_the_grounds_are_listed(api, pledged):
    grounds = api("GET", "euaa-analyst", "/api/v1/resettlement/discontinuation-grounds").json()
    assert [(g["code"], g["basis"].split(", ", 1)[1], g["mandatory"]) for g in grounds] == [
        ("consent_withdrawn", "Article 9(11), first subparagraph", True),
        ("contribution_exceeded", "Article 9(11)(a)", False),
        ("preference_to_vulnerable", "Article 9(11)(b)", False),
        ("time_limits_beyond_control", "Article 9(11)(c)", False)]
    assert "Article 6(2)(a)" in grounds[0]["later_admission"] and grounds[1]["later_admission"] is None
    assert "3 years" in grounds[0]["data"] and "erased on the day" in grounds[3]["data"]
    case = _refer_api(api, "DE-D2", registered_on="2026-06-01")
    d = api("POST", "de-caseworker", f"{ADM}/{case['id']}/discontinue", {
        "version": case["version"], "discontinued_on": "2026-11-02", "ground": "preference_to_vulnerable",
        "reason": "places kept for survivors of torture referred since"}).json()
    assert d["discontinuation_basis"] == "Regulation (EU) 2024/1350, Article 9(11)(b)"
    assert d["discontinuation_mandatory"] is False
    assert (d["data_retention"]["erase_on"], d["data_retention"]["keep_until"]) == ("2026-11-02", None)


def test_a_discontinuation_the_law_does_not_allow_is_refused_naming_the_field_and_nothing_is_written(api, pledged):
    case = _refer_api(api, "DE-D3")  # not registered yet
    post = lambda body: api("POST", "de-caseworker", f"{ADM}/{case['id']}/discontinue",  # noqa: E731
                            {"version": case["version"], "discontinued_on": "2026-11-20",
                             "ground": "consent_withdrawn", "reason": GONE, **body})
    r = post({"ground": "person_moved"})
    assert r.status_code == 422 and _loc(r) == [["body", "ground"]]
    r = post({"reason": "  "})
    assert r.status_code == 422 and _loc(r) == [["body", "reason"]] and "required" in r.text
    r = post({"discontinued_on": "2026-12-05"})
    assert r.status_code == 422 and _loc(r) == [["body", "discontinued_on"]] and "after today" in r.text
    r = post({"discontinued_on": "2026-01-02"})
    assert r.status_code == 422 and _loc(r) == [["body", "discontinued_on"]] and "before the referral" in r.text
    # the time limits of Art 9(9) run from the registration: none recorded, nothing to fail to meet
    r = post({"ground": "time_limits_beyond_control"})
    assert r.status_code == 422 and _loc(r) == [["body", "ground"]] and "registration" in r.text
    # a person consenting to nothing is still discontinued before the registration (Art 7(2))
    decided = _refer_api(api, "DE-D4", registered_on="2026-03-01", decision="refused", decided_on="2026-05-01",
                         refusal_ground="danger_to_public_order")
    r = api("POST", "de-caseworker", f"{ADM}/{decided['id']}/discontinue", {
        "version": decided["version"], "discontinued_on": "2026-11-20", "ground": "consent_withdrawn", "reason": GONE})
    assert r.status_code == 422 and _loc(r) == [["body", "decision"]] and "correct the decision first" in r.text
    late = _refer_api(api, "DE-D5", registered_on="2026-03-01")
    r = api("POST", "de-caseworker", f"{ADM}/{late['id']}/discontinue", {
        "version": late["version"], "discontinued_on": "2026-02-20", "ground": "consent_withdrawn", "reason": GONE})
    assert r.status_code == 422 and _loc(r) == [["body", "discontinued_on"]] and "before the registration" in r.text
    # another state's case is not known to a French officer
    r = api("POST", "fr-caseworker", f"{ADM}/{case['id']}/discontinue", {
        "version": case["version"], "discontinued_on": "2026-11-20", "ground": "consent_withdrawn", "reason": GONE})
    assert r.status_code == 404
    cases = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()["cases"]
    assert {c["case_reference"]: c["decision"] for c in cases} == {"DE-D3": None, "DE-D4": "refused", "DE-D5": None}
    assert all(c["version"] == 1 for c in cases)


def test_a_pledging_exercise_has_no_procedure_of_article_9_to_discontinue(api):
    _exercise(api)
    r = api("POST", "de-caseworker", f"{PLAN}/2022-2023/admissions", {
        "case_reference": "DE-OLD", "nationality": "SYR", "first_asylum": "TUR", "category": "resettlement",
        "procedure": "ordinary", "referred_on": "2023-06-01"})
    case = r.json()
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/discontinue", {
        "version": case["version"], "discontinued_on": "2023-07-01", "ground": "consent_withdrawn", "reason": GONE})
    assert r.status_code == 422 and _loc(r) == [["body", "ground"]] and "record the end of the referral as a " \
                                                                          "withdrawal" in r.text


def test_a_discontinuation_recorded_in_error_is_corrected_back_and_the_case_is_overdue_again(api, pledged, services):
    case = _refer_api(api, "DE-D6", registered_on="2026-03-01")
    d = api("POST", "de-caseworker", f"{ADM}/{case['id']}/discontinue", {
        "version": case["version"], "discontinued_on": "2026-11-20", "ground": "contribution_exceeded",
        "reason": "contribution reached"}).json()
    # a withdrawal of a discontinued procedure is refused, pointing at the correction
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/withdraw", {
        "version": d["version"], "withdrawn_on": "2026-11-21", "reason": "UNHCR withdrew"})
    assert r.status_code == 422 and "discontinued the procedure on 2026-11-20" in r.text
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/correct", {
        "version": d["version"], "registered_on": "2026-03-02", "reason": "registration a day late"})
    assert r.status_code == 422 and _loc(r) == [["body", "decision"]] and "discontinued on 2026-11-20" in r.text
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/correct", {
        "version": d["version"], "decision": None, "reason": "typed on the wrong case"})
    assert r.status_code == 200, r.text
    back = r.json()
    assert (back["decision"], back["discontinued_on"], back["discontinuation_ground"], back["data_retention"]) == (
        None, None, None, None)
    assert back["clock"]["status"] == "overdue" and _overdue(services) == 1


def test_the_cli_discontinues_and_refuses_bad_input_in_one_line(api, pledged, cli):
    case = _refer_api(api, "DE-D7", registered_on="2026-06-01")
    r = cli("de-caseworker", "discontinue", case["id"], "-", stdin=json.dumps({
        "version": case["version"], "discontinued_on": "2026-11-20", "ground": "stopped", "reason": GONE}))
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1 and "ground" in r.output
    r = cli("de-caseworker", "discontinue", case["id"], "-", stdin=json.dumps({
        "version": case["version"], "discontinued_on": "2026-11-20", "ground": "consent_withdrawn", "reason": GONE}))
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["data_retention"]["keep_until"] == "2029-11-20"
    r = cli("euaa-analyst", "discontinuation-grounds")
    assert r.exit_code == 0 and json.loads(r.output)[0]["code"] == "consent_withdrawn"


def test_the_state_page_discontinues_from_the_row_and_says_what_becomes_of_the_data(de):
    page = _refer(de, "DE-D8", registered_on="2026-06-01")
    row = _row(page.text, "DE-D8")
    assert "Discontinue the procedure (Article 9(11))" in row
    assert "Article 9(11), first subparagraph: The person withdrew their consent" in row
    # the withdrawal says when it is the referral that ended, and sends the rest to the discontinuation
    assert "A procedure the state ends, because the person withdrew their consent" in row
    admission = re.search(r'admissions/(rad_[^"/]+)/discontinue"', row).group(1)
    # no ground chosen: said beside the field, what was typed kept
    r = de.post(f"{STATE}/admissions/{admission}/discontinue", data={
        "version": "1", "discontinued_on": "2026-11-20", "ground": "", "reason": GONE})
    assert r.status_code == 422
    assert 'id="discontinue-ground-error"' in r.text and "The procedure of DE-D8 was not discontinued" in r.text
    assert f'value="{GONE}"' in r.text
    r = de.post(f"{STATE}/admissions/{admission}/discontinue", data={
        "version": "1", "discontinued_on": "2026-11-20", "ground": "consent_withdrawn", "reason": GONE},
        follow_redirects=True)
    assert r.status_code == 200 and "Procedure discontinued (Article 9(11))" in r.text
    row = _row(r.text, "DE-D8")
    assert "procedure discontinued</span> 2026-11-20" in row and "(must be discontinued)" in row
    assert "kept for 3 years from the discontinuation, until 2029-11-20" in row and "stopped (discontinued)" in row
    assert "Correct the discontinuation" in row and "Discontinue the procedure" not in row
    # the counts read in the order of a case's life, each leading to the persons at that stage
    _refer(de, "DE-D9")
    counts = re.search(r'<p id="case-counts">(.*?)</p>', de.get(STATE).text, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", counts) == "Persons referred: 1 pending, 1 discontinued."
    assert f'href="{STATE}?stage=discontinued#cases">1 discontinued</a>' in counts
    plan = de.get("/resettlement/plans/2026-2027").text
    assert re.search(r'<p id="plan-case-counts">(.*?)</p>', plan).group(1) == \
        "Persons referred under 2026-2027: 1 pending, 1 discontinued."

