# ruff: noqa: F811 -- the area's `api` and `cli` fixtures are imported from its other test modules, and a
# test names a fixture by its parameter
"""The extension of the ordinary admission procedure's time limit, through the API and the CLI:
Regulation (EU) 2024/1350, Art 9(9), second sentence, has a Member State conclude within seven
months of the registration and lets it extend that time limit by three months where the case
involves complex issues of fact or law. A case the state extended is not overdue after seven
months; an emergency admission (Art 9(10)) has no extension. The test clock is 2026-11-28."""

from __future__ import annotations

import csv
import io
import json

from tests.e2e.test_qa18_resettlement_api import _loc
from tests.e2e.test_resettlement_api import api  # noqa: F401
from tests.e2e.test_resettlement_cli import cli  # noqa: F401
from tests.e2e.test_resettlement_registration_api import _overdue, _person, pledged  # noqa: F401

PLAN = "/api/v1/resettlement/plans"
ADM = "/api/v1/resettlement/admissions"
COMPLEX = "identity documents contradict UNHCR's file: complex issues of fact"


def _registered(api, ref: str, **kw: object) -> dict[str, object]:
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person(ref, registered_on="2026-03-01", **kw))
    assert r.status_code == 201, r.text
    return r.json()


def test_an_extended_ordinary_procedure_runs_ten_months_and_is_not_overdue(api, pledged, services):
    case = _registered(api, "DE-X1")
    # seven months from the registration of 1 March: due 1 October, overdue on 28 November
    assert case["clock"]["deadline"] == "2026-10-01" and case["clock"]["status"] == "overdue"
    assert _overdue(services) == 1
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
        "version": case["version"], "extended_on": "2026-09-20", "extension_reason": COMPLEX})
    assert r.status_code == 200, r.text
    extended = r.json()
    assert (extended["extended_on"], extended["extension_reason"]) == ("2026-09-20", COMPLEX)
    clock = extended["clock"]
    # three months more, ten from the registration: 1 January 2027, a public holiday followed by a
    # weekend, so Monday 4 January (Reg. 1182/71, Art 3(4)); running on 28 November
    assert (clock["deadline"], clock["status"], clock["extended_on"]) == ("2027-01-04", "running", "2026-09-20")
    assert clock["limit"] == "7 months, extended by 3 months" and "Article 9(9)" in clock["basis"]
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert state["overdue"] == [] and _overdue(services) == 0
    assert api("GET", "euaa-analyst", f"{PLAN}/2026-2027/states/DE/overdue.csv").text.count("\n") == 1  # header only
    (row,) = csv.DictReader(io.StringIO(api("GET", "de-admin", f"{PLAN}/2026-2027/states/DE/cases.csv").text))
    assert (row["extended_on"], row["extension_reason"], row["decision_due_by"], row["procedure_status"]) == (
        "2026-09-20", COMPLEX, "2027-01-04", "running")
    # a decision in the eighth month is in time under the extension
    decided = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
        "version": extended["version"], "decision": "admitted", "decided_on": "2026-11-20"}).json()
    assert decided["clock"]["status"] == "in_time"


def test_an_extension_is_refused_naming_the_field_when_the_law_gives_none(api, pledged):
    case = _registered(api, "DE-X2")
    patch = lambda body: api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": case["version"], **body})  # noqa: E731
    # the seven months ran out on 1 October: a time limit is extended while it runs
    r = patch({"extended_on": "2026-10-02", "extension_reason": COMPLEX})
    assert r.status_code == 422 and _loc(r) == [["body", "extended_on"]] and "2026-10-01" in r.text
    r = patch({"extended_on": "2026-09-20"})
    assert r.status_code == 422 and _loc(r) == [["body", "extension_reason"]] and "complex issues" in r.text
    r = patch({"extended_on": "2026-02-20", "extension_reason": COMPLEX})
    assert r.status_code == 422 and _loc(r) == [["body", "extended_on"]] and "before the registration" in r.text
    # an emergency admission is concluded as soon as possible (Art 9(10)): no extension
    urgent = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person(
        "DE-E2", category="emergency_admission", procedure="expedited", first_asylum="NER", nationality="SDN",
        referred_on="2026-11-01", registered_on="2026-11-02")).json()
    r = api("PATCH", "de-caseworker", f"{ADM}/{urgent['id']}", {
        "version": urgent["version"], "extended_on": "2026-11-20", "extension_reason": COMPLEX})
    assert r.status_code == 422 and _loc(r) == [["body", "extended_on"]] and "9(10)" in r.text
    # not registered: the time limit has not started
    waiting = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-N2")).json()
    r = api("PATCH", "de-caseworker", f"{ADM}/{waiting['id']}", {
        "version": waiting["version"], "extended_on": "2026-11-20", "extension_reason": COMPLEX})
    assert r.status_code == 422 and "registration first" in r.text
    # nothing was written
    assert api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()["overdue"][0]["clock"]["extended_on"] is None


def test_an_extension_recorded_in_error_is_corrected_with_a_reason_and_the_case_is_overdue_again(api, pledged, cli,
                                                                                                  services):
    case = _registered(api, "DE-X3")
    r = cli("de-caseworker", "update", case["id"], "-", stdin=json.dumps({
        "version": case["version"], "extended_on": "2026-09-01", "extension_reason": COMPLEX}))
    assert r.exit_code == 0, r.output
    extended = json.loads(r.output)
    assert extended["clock"]["deadline"] == "2027-01-04" and _overdue(services) == 0
    # once recorded, an extension is changed by a correction only
    r = cli("de-caseworker", "update", case["id"], "-", stdin=json.dumps({
        "version": extended["version"], "extended_on": "2026-09-02", "extension_reason": COMPLEX}))
    assert r.exit_code == 2 and "already recorded" in r.output
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/correct", {
        "version": extended["version"], "extended_on": None, "extension_reason": None,
        "reason": "the extension was typed on the wrong case"})
    assert r.status_code == 200, r.text
    assert r.json()["clock"]["status"] == "overdue" and r.json()["clock"]["deadline"] == "2026-10-01"
    assert _overdue(services) == 1
