# ruff: noqa: F811 -- the area's `api` and `cli` fixtures are imported from its other test modules, and a
# test names a fixture by its parameter
"""The day a state registered a person referred for resettlement, through the API and the CLI:
the procedure's clock runs from it (Reg. (EU) 2024/1350, Art 9(3), (9), (10)), a case without it
awaits registration, a registration out of order is refused naming the field. The test clock is
2026-11-28."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from sqlalchemy import select

from tests.e2e.test_qa18_resettlement_api import _loc
from tests.e2e.test_resettlement_api import _person as person
from tests.e2e.test_resettlement_api import api  # noqa: F401
from tests.e2e.test_resettlement_cli import cli  # noqa: F401

PLAN = "/api/v1/resettlement/plans"
ADM = "/api/v1/resettlement/admissions"


@pytest.fixture
def pledged(api):
    assert api("POST", "com-solidarity", "/api/v1/resettlement/load").status_code == 200
    r = api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [
        {"category": "resettlement", "places": 5}, {"category": "emergency_admission", "places": 5}]})
    assert r.status_code == 200, r.text


def _person(ref: str, **kw: object) -> dict[str, object]:
    """A Syrian referred from Türkiye on 10 January 2026 (the area's tests' person, earlier)."""
    return person(ref, **{"referred_on": "2026-01-10", **kw})


def _overdue(services) -> int:
    from pactum.services.indicators import compute

    with services.engine.connect() as conn:
        return compute(conn, "resettlement_procedures_overdue", date(2026, 11, 28), "DE")


def test_the_ordinary_procedure_runs_seven_months_from_the_registration(api, pledged, services):
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-R1", registered_on="2026-03-01"))
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["registered_on"] == "2026-03-01"
    # seven months from the registration, not from the referral (which gave 2026-08-10)
    assert case["clock"]["deadline"] == "2026-10-01" and case["clock"]["status"] == "overdue"
    assert case["clock"]["counted_from"] == "2026-03-01" and "Article 9(3)" in case["clock"]["basis"]
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert [(c["case_reference"], c["registered_on"], c["clock"]["deadline"]) for c in state["overdue"]] == [
        ("DE-R1", "2026-03-01", "2026-10-01")]
    assert _overdue(services) == 1
    rows = list(csv.DictReader(io.StringIO(api("GET", "euaa-analyst",
                                                f"{PLAN}/2026-2027/states/DE/overdue.csv").text)))
    assert [(x["referred_on"], x["registered_on"], x["decision_due_by"]) for x in rows] == [
        ("2026-01-10", "2026-03-01", "2026-10-01")]


def test_an_emergency_admission_is_due_one_month_from_the_registration(api, pledged):
    case = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person(
        "DE-E1", category="emergency_admission", procedure="expedited", first_asylum="NER", nationality="SDN",
        referred_on="2026-10-01", registered_on="2026-11-02")).json()
    # one month from the registration (2026-12-02): running on 2026-11-28, not overdue since 2026-11-02
    assert case["clock"]["deadline"] == "2026-12-02" and case["clock"]["status"] == "running"


def test_a_case_not_registered_awaits_registration_and_is_never_overdue(api, pledged, services):
    case = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-N1", referred_on="2026-01-10")
               ).json()
    assert case["registered_on"] is None
    assert case["clock"]["status"] == "awaiting_registration" and case["clock"]["deadline"] is None
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert state["overdue"] == [] and state["awaiting_registration"] == 1
    assert _overdue(services) == 0
    rows = list(csv.DictReader(io.StringIO(api("GET", "de-admin", f"{PLAN}/2026-2027/states/DE/cases.csv").text)))
    assert [(x["registered_on"], x["procedure_status"], x["decision_due_by"]) for x in rows] == [
        ("", "awaiting_registration", "")]
    # the registration recorded later starts the clock (audited)
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": 1, "registered_on": "2026-03-01"})
    assert r.status_code == 200, r.text
    assert r.json()["clock"]["deadline"] == "2026-10-01" and r.json()["clock"]["status"] == "overdue"
    assert _overdue(services) == 1
    from pactum.store.tables.platform import audit_log

    with services.engine.connect() as conn:
        entry = conn.execute(select(audit_log).where(audit_log.c.entity_id == case["id"])
                             .order_by(audit_log.c.seq.desc())).first()
    assert entry.action == "resettlement.admission.updated" and entry.after == {"registered_on": "2026-03-01"}


@pytest.mark.parametrize(("registered", "says"), [
    ("2026-01-09", "before the referral (2026-01-10)"),
    ("2026-11-29", "after today (2026-11-28)"),
])
def test_a_registration_before_the_referral_or_in_the_future_is_refused(api, pledged, registered, says):
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-X1", registered_on=registered))
    assert r.status_code == 422 and _loc(r) == [["body", "registered_on"]] and says in r.text
    case = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-X2")).json()
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": 1, "registered_on": registered})
    assert r.status_code == 422 and _loc(r) == [["body", "registered_on"]] and says in r.text
    # nothing half-written
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert [(c["case_reference"], c["registered_on"], c["version"]) for c in state["cases"]] == [("DE-X2", None, 1)]


def test_a_registration_after_the_decision_is_refused(api, pledged):
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person(
        "DE-D1", registered_on="2026-05-02", decision="admitted", decided_on="2026-05-01"))
    assert r.status_code == 422 and _loc(r) == [["body", "registered_on"]] and "after the decision" in r.text


def test_a_registration_recorded_in_error_is_corrected_with_a_reason(api, pledged, services):
    case = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-C1", registered_on="2026-03-01")
               ).json()
    # the ordinary update does not overwrite it
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": 1, "registered_on": "2026-06-01"})
    assert r.status_code == 422 and _loc(r) == [["body", "registered_on"]] and "corrected with a reason" in r.text
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/correct",
            {"version": 1, "registered_on": "2026-05-04", "reason": "The registration was misdated"})
    assert r.status_code == 200, r.text
    assert r.json()["registered_on"] == "2026-05-04" and r.json()["clock"]["deadline"] == "2026-12-04"
    assert r.json()["clock"]["status"] == "running" and _overdue(services) == 0
    r = api("POST", "de-caseworker", f"{ADM}/{case['id']}/correct",
            {"version": 2, "registered_on": None, "reason": "Not registered yet: recorded on the wrong person"})
    assert r.status_code == 200 and r.json()["clock"]["status"] == "awaiting_registration"
    from pactum.store.tables.platform import audit_log

    with services.engine.connect() as conn:
        entries = list(conn.execute(select(audit_log).where(audit_log.c.entity_id == case["id"])
                                    .order_by(audit_log.c.seq)))
    assert [e.action for e in entries][-2:] == ["resettlement.admission.corrected"] * 2
    assert entries[-2].before == {"registered_on": "2026-03-01"}
    assert entries[-2].after == {"registered_on": "2026-05-04", "reason": "The registration was misdated"}


def test_the_cli_records_the_registration_from_its_option(api, pledged, cli):
    r = cli("de-caseworker", "admit", "2026-2027", "-", stdin=json.dumps(_person("DE-L1")))
    assert r.exit_code == 0, r.output
    case = json.loads(r.output)
    assert case["clock"]["status"] == "awaiting_registration"
    r = cli("de-caseworker", "register", case["id"], "--registered-on", "2026-01-09", "--version", "1")
    assert r.exit_code == 2 and r.output.count("\n") == 1
    assert r.output.startswith("error: --registered-on: 2026-01-09 is before the referral (2026-01-10)")
    r = cli("de-caseworker", "register", case["id"], "--registered-on", "2026-12-01", "--version", "1")
    assert r.exit_code == 2 and "--registered-on: 2026-12-01 is after today" in r.output
    r = cli("de-caseworker", "register", case["id"], "--registered-on", "1 March", "--version", "1")
    assert r.exit_code == 2 and "--registered-on" in r.output and "YYYY-MM-DD" in r.output
    r = cli("de-caseworker", "register", case["id"], "--registered-on", "2026-03-01", "--version", "1")
    assert r.exit_code == 0, r.output
    done = json.loads(r.output)
    assert done["registered_on"] == "2026-03-01" and done["clock"]["deadline"] == "2026-10-01"
