"""QA walk 18, resettlement (Reg. (EU) 2024/1350) through the API and the CLI: the Commission
completes a plan; pledging exercises are the ones before the Regulation; a decision, arrival or
referral recorded in error is corrected or withdrawn; a category with no place left takes no
pledge; referrals that cannot succeed are refused; shares, pledge history and CSV of a state's
cases. The test clock is 2026-11-28."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pactum.cli.main import app

PLAN = "/api/v1/resettlement/plans"
ADM = "/api/v1/resettlement/admissions"


@pytest.fixture
def api(client, auth_headers):
    def call(method: str, user: str, path: str, body: object = None):
        return client.request(method, path, json=body, headers=auth_headers(user))

    return call


@pytest.fixture
def loaded(api):
    r = api("POST", "com-solidarity", "/api/v1/resettlement/load")
    assert r.status_code == 200, r.text


@pytest.fixture
def cli(services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    runner = CliRunner()

    def run(user: str, *args: str, stdin: str | None = None):
        monkeypatch.setenv("PACTUM_CLI_USER", user)
        return runner.invoke(app, ["resettlement", *args], input=stdin)

    return run


def _person(ref: str, **kw: object) -> dict[str, object]:
    return {"case_reference": ref, "nationality": "SYR", "first_asylum": "TUR", "category": "resettlement",
            "procedure": "ordinary", "referred_on": "2026-01-15", **kw}


def _loc(r) -> list[list[object]]:
    return [e["loc"] for e in r.json()["detail"]]


def _audit(services, entity_id: str) -> list[dict[str, object]]:
    from pactum.store.tables.platform import audit_log

    with services.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            select(audit_log).where(audit_log.c.entity_id == entity_id).order_by(audit_log.c.seq))]


# --- W1-1: the Commission completes and corrects a plan -------------------------------------------


def test_the_commission_records_the_council_act_and_the_split_of_a_plan(api, loaded, services):
    plan = api("GET", "com-solidarity", f"{PLAN}/2026-2027").json()
    body = {"version": plan["version"], "council_act_reference": "Council Implementing Decision (EU) 2025/2600",
            "council_act_date": "2025-12-08", "resettlement": 9000, "humanitarian_admission": 5000,
            "emergency_admission": 1230, "reason": "Council act adopted"}
    assert api("PATCH", "de-admin", f"{PLAN}/2026-2027", body).status_code == 403
    assert api("PATCH", "eu-admin", f"{PLAN}/2026-2027", body).status_code == 403
    r = api("PATCH", "com-solidarity", f"{PLAN}/2026-2027", body)
    assert r.status_code == 200, r.text
    amended = r.json()
    assert amended["council_act_reference"] == "Council Implementing Decision (EU) 2025/2600"
    assert amended["council_act_date"] == "2025-12-08"
    assert amended["split"] == {"resettlement": 9000, "humanitarian_admission": 5000, "emergency_admission": 1230}
    assert amended["total_places"] == 15230 and amended["version"] == plan["version"] + 1
    entry = _audit(services, _plan_id(services, "2026-2027"))[-1]
    assert entry["action"] == "resettlement.plan.amended" and entry["actor"] == "com-solidarity"
    assert entry["after"]["reason"] == "Council act adopted" and entry["before"]["resettlement"] is None
    # the same version again is stale: someone amended it since
    r = api("PATCH", "com-solidarity", f"{PLAN}/2026-2027", {**body, "resettlement": 8000})
    assert r.status_code == 409 and "changed since it was read" in r.json()["detail"]
    # the years and the kind are the plan itself
    r = api("PATCH", "com-solidarity", f"{PLAN}/2026-2027", {"version": amended["version"], "first_year": 2027})
    assert r.status_code == 422 and _loc(r) == [["body", "first_year"]]
    # a Council act dated after today, or a reference without its date
    r = api("PATCH", "com-solidarity", f"{PLAN}/2026-2027", {"version": amended["version"],
                                                             "council_act_date": "2026-12-01"})
    assert r.status_code == 422 and _loc(r) == [["body", "council_act_date"]]


def _plan_id(services, key: str) -> str:
    from pactum.store.tables.resettlement import resettlement_plans

    with services.engine.connect() as conn:
        return conn.execute(select(resettlement_plans.c.id).where(resettlement_plans.c.key == key)).scalar_one()


def test_a_plan_cannot_be_amended_below_the_places_pledged_nor_once_closed(api, loaded):
    assert api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [
        {"category": "humanitarian_admission", "places": 1200}, {"category": "resettlement", "places": 2500}]}
               ).status_code == 200
    version = api("GET", "com-solidarity", f"{PLAN}/2026-2027").json()["version"]
    r = api("PATCH", "com-solidarity", f"{PLAN}/2026-2027", {"version": version, "humanitarian_admission": 1000})
    assert r.status_code == 422 and _loc(r) == [["body", "humanitarian_admission"]]
    msg = r.json()["detail"][0]["msg"]
    assert "humanitarian admission" in msg and "1,200" in msg and "DE 1,200" in msg
    r = api("PATCH", "com-solidarity", f"{PLAN}/2026-2027", {"version": version, "total_places": 3000})
    assert r.status_code == 422 and _loc(r) == [["body", "total_places"]] and "3,700" in r.json()["detail"][0]["msg"]
    # a split that leaves emergency admission nothing while DE has none pledged there is fine
    ok = api("PATCH", "com-solidarity", f"{PLAN}/2026-2027",
             {"version": version, "resettlement": 10000, "humanitarian_admission": 5230})
    assert ok.status_code == 200, ok.text
    assert ok.json()["places_by_category"]["emergency_admission"] == 0
    closed = api("POST", "com-solidarity", f"{PLAN}/2026-2027/close", {"version": ok.json()["version"]})
    assert closed.status_code == 200
    r = api("PATCH", "com-solidarity", f"{PLAN}/2026-2027",
            {"version": closed.json()["version"], "council_act_reference": "X", "council_act_date": "2025-12-08"})
    assert r.status_code == 409 and "closed" in r.json()["detail"]


def test_the_commission_amends_a_plan_from_the_command_line(cli, loaded):
    r = cli("com-solidarity", "amend-plan", "2026-2027", "-", stdin=json.dumps(
        {"version": 1, "council_act_reference": "Council Implementing Decision (EU) 2025/2600",
         "council_act_date": "2025-12-08"}))
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["council_act_reference"] == "Council Implementing Decision (EU) 2025/2600"
    r = cli("com-solidarity", "amend-plan", "2026-2027", "-", stdin='{"version": 2, "resettlement": 20000}')
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "total" in r.output
    r = cli("de-admin", "amend-plan", "2026-2027", "-", stdin='{"version": 2, "resettlement": 100}')
    assert r.exit_code == 2 and "Commission" in r.output


# --- W1-2: a pledging exercise is one before the Regulation --------------------------------------


def test_a_pledging_exercise_after_the_regulation_applies_or_over_eleven_years_is_refused(api, loaded):
    r = api("POST", "com-solidarity", PLAN, {"first_year": 2028, "last_year": 2029, "kind": "pledging_exercise",
                                             "total_places": 1000})
    assert r.status_code == 422 and _loc(r) == [["body", "first_year"]]
    assert "2024-06-11" in r.json()["detail"][0]["msg"] and "Union Plan" in r.json()["detail"][0]["msg"]
    r = api("POST", "com-solidarity", PLAN, {"first_year": 2000, "last_year": 2010, "kind": "pledging_exercise",
                                             "total_places": 1000})
    assert r.status_code == 422 and _loc(r) == [["body", "last_year"]] and "11 years" in r.json()["detail"][0]["msg"]
    # the real Union Plan is not blocked, and an annual exercise before the Regulation is recorded
    assert api("POST", "com-solidarity", PLAN, {"first_year": 2028, "last_year": 2029,
                                                "total_places": 1000}).status_code == 201
    assert api("POST", "com-solidarity", PLAN, {"first_year": 2023, "last_year": 2023, "kind": "pledging_exercise",
                                                "total_places": 29000}).status_code == 201


# --- W1-4: corrections and withdrawals -----------------------------------------------------------


def test_a_mistaken_admission_is_corrected_with_a_reason_and_frees_its_place(api, loaded, services):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 1}]})
    a = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
            _person("DE-E1", decision="admitted", decided_on="2026-03-01", arrived_on="2026-04-01")).json()
    # the only place is taken: another person cannot be admitted
    b = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-E2")).json()
    r = api("PATCH", "de-caseworker", f"{ADM}/{b['id']}", {"version": 1, "decision": "admitted",
                                                            "decided_on": "2026-05-01"})
    assert r.status_code == 422 and "no place left" in r.json()["detail"][0]["msg"]
    correct = {"version": 1, "decision": "refused", "decided_on": "2026-03-01", "refusal_ground": "other",
               "refusal_reason": "Not in need of resettlement", "arrived_on": None}
    r = api("POST", "de-caseworker", f"{ADM}/{a['id']}/correct", correct)
    assert r.status_code == 422 and _loc(r) == [["body", "reason"]]  # a reason is required
    r = api("POST", "fr-caseworker", f"{ADM}/{a['id']}/correct", {**correct, "reason": "x"})
    assert r.status_code == 404  # another state's case is not known to FR
    r = api("POST", "de-caseworker", f"{ADM}/{a['id']}/correct",
            {**correct, "arrived_on": "2026-04-01", "reason": "Recorded as admitted by mistake"})
    assert r.status_code == 422 and _loc(r) == [["body", "arrived_on"]]  # a person refused has not arrived
    r = api("POST", "de-caseworker", f"{ADM}/{a['id']}/correct", {**correct, "reason": "Recorded as admitted by mistake"})
    assert r.status_code == 200, r.text
    assert r.json()["decision"] == "refused" and r.json()["arrived_on"] is None and r.json()["version"] == 2
    entry = _audit(services, a["id"])[-1]
    assert entry["action"] == "resettlement.admission.corrected"
    assert entry["after"]["reason"] == "Recorded as admitted by mistake" and entry["before"]["decision"] == "admitted"
    # the counts follow: the place is free for the other person
    plan = api("GET", "euaa-analyst", f"{PLAN}/2026-2027").json()
    assert plan["progress"]["by_category"]["resettlement"] == {"pledged": 1, "admitted": 0, "arrived": 0}
    r = api("PATCH", "de-caseworker", f"{ADM}/{b['id']}", {"version": 1, "decision": "admitted",
                                                            "decided_on": "2026-05-01"})
    assert r.status_code == 200, r.text
    # a stale correction is refused
    r = api("POST", "de-caseworker", f"{ADM}/{a['id']}/correct", {**correct, "reason": "again"})
    assert r.status_code == 409


def test_an_arrival_date_recorded_in_error_is_corrected(api, loaded):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 2}]})
    a = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
            _person("DE-D1", decision="admitted", decided_on="2026-03-01", arrived_on="2026-04-01")).json()
    r = api("PATCH", "de-caseworker", f"{ADM}/{a['id']}", {"version": 1, "arrived_on": "2026-04-11"})
    assert r.status_code == 422 and "correct" in r.json()["detail"][0]["msg"]
    r = api("POST", "de-caseworker", f"{ADM}/{a['id']}/correct",
            {"version": 1, "arrived_on": "2026-04-11", "reason": "Typing error in the arrival date"})
    assert r.status_code == 200 and r.json()["arrived_on"] == "2026-04-11"
    assert r.json()["decision"] == "admitted" and r.json()["decided_on"] == "2026-03-01"


def test_a_withdrawn_referral_takes_no_place_and_is_never_overdue(api, loaded, services):
    from pactum.services.indicators import compute

    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 2}]})
    old = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
              _person("DE-W1", referred_on="2026-02-02", registered_on="2026-02-10")).json()
    assert old["clock"]["status"] == "overdue"
    with services.engine.connect() as conn:
        assert compute(conn, "resettlement_procedures_overdue", date(2026, 11, 28), "DE") == 1
    body = {"version": 1, "withdrawn_on": "2026-06-01", "reason": "UNHCR withdrew the submission"}
    r = api("POST", "de-caseworker", f"{ADM}/{old['id']}/withdraw", {**body, "reason": "  "})
    assert r.status_code == 422 and _loc(r) == [["body", "reason"]]
    r = api("POST", "de-caseworker", f"{ADM}/{old['id']}/withdraw", {**body, "withdrawn_on": "2026-01-20"})
    assert r.status_code == 422 and _loc(r) == [["body", "withdrawn_on"]]  # before the referral
    r = api("POST", "fr-admin", f"{ADM}/{old['id']}/withdraw", body)
    assert r.status_code == 404
    r = api("POST", "de-caseworker", f"{ADM}/{old['id']}/withdraw", body)
    assert r.status_code == 200, r.text
    w = r.json()
    assert w["decision"] == "withdrawn" and w["withdrawn_on"] == "2026-06-01"
    assert w["withdrawal_reason"] == "UNHCR withdrew the submission" and w["clock"]["status"] == "withdrawn"
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert state["overdue"] == [] and state["case_counts"] == {"withdrawn": 1}
    with services.engine.connect() as conn:
        assert compute(conn, "resettlement_procedures_overdue", date(2026, 11, 28), "DE") == 0
    assert _audit(services, old["id"])[-1]["action"] == "resettlement.admission.withdrawn"
    # nothing more is recorded on it by the ordinary update; a decision is refused there
    r = api("PATCH", "de-caseworker", f"{ADM}/{old['id']}", {"version": 2, "decision": "admitted",
                                                              "decided_on": "2026-07-01"})
    assert r.status_code == 422
    # a withdrawal recorded in error is corrected back to pending
    r = api("POST", "de-caseworker", f"{ADM}/{old['id']}/correct",
            {"version": 2, "decision": None, "reason": "Withdrawn for the wrong person"})
    assert r.status_code == 200 and r.json()["decision"] is None and r.json()["withdrawn_on"] is None


def test_a_decided_referral_is_not_withdrawn(api, loaded):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 2}]})
    a = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
            _person("DE-W2", decision="admitted", decided_on="2026-03-01")).json()
    r = api("POST", "de-caseworker", f"{ADM}/{a['id']}/withdraw",
            {"version": 1, "withdrawn_on": "2026-06-01", "reason": "Declined to travel"})
    assert r.status_code == 422 and _loc(r) == [["body", "decision"]] and "correct" in r.json()["detail"][0]["msg"]


def test_corrections_and_withdrawals_from_the_command_line(cli, loaded):
    cli("de-admin", "pledge", "2026-2027", "DE", "-", stdin='{"lines": [{"category": "resettlement", "places": 3}]}')
    a = json.loads(cli("de-caseworker", "admit", "2026-2027", "-", stdin=json.dumps(
        _person("DE-C1", decision="admitted", decided_on="2026-03-01"))).output)
    r = cli("de-caseworker", "correct", a["id"], "-",
            stdin='{"version": 1, "decision": null, "decided_on": null, "reason": "Decision not yet taken"}')
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["decision"] is None
    r = cli("de-caseworker", "withdraw", a["id"], "-", stdin='{"version": 2, "withdrawn_on": "2026-04-01"}')
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "reason" in r.output
    r = cli("de-caseworker", "withdraw", a["id"], "-",
            stdin='{"version": 2, "withdrawn_on": "2026-04-01", "reason": "Person resettled elsewhere"}')
    assert r.exit_code == 0 and json.loads(r.output)["decision"] == "withdrawn"


# --- W1-6: a category without a figure, when the others make up the total -----------------------


def test_a_blank_category_has_no_place_when_the_others_make_up_the_total(api):
    r = api("POST", "com-solidarity", PLAN, {"first_year": 2022, "last_year": 2023, "kind": "pledging_exercise",
                                             "total_places": 29000, "resettlement": 17000,
                                             "humanitarian_admission": 12000})
    assert r.status_code == 201, r.text
    r = api("PUT", "de-admin", f"{PLAN}/2022-2023/pledges/DE",
            {"lines": [{"category": "emergency_admission", "places": 10500}]})
    assert r.status_code == 422 and _loc(r) == [["body", "lines"]]
    assert "emergency admission" in r.json()["detail"][0]["msg"] and "at most 0" in r.json()["detail"][0]["msg"]
    assert api("PUT", "de-admin", f"{PLAN}/2022-2023/pledges/DE",
               {"lines": [{"category": "resettlement", "places": 6500}]}).status_code == 200
    plan = api("GET", "euaa-analyst", f"{PLAN}/2022-2023").json()
    assert plan["places_by_category"] == {"resettlement": 17000, "humanitarian_admission": 12000,
                                          "emergency_admission": 0}
    assert plan["unpledged"] == {"resettlement": 10500, "humanitarian_admission": 12000, "emergency_admission": 0}
    assert plan["unpledged_total"] == 22500 == sum(plan["unpledged"].values())


def test_two_categories_without_a_figure_share_what_the_third_leaves(api):
    assert api("POST", "com-solidarity", PLAN, {"first_year": 2028, "last_year": 2029, "total_places": 1000,
                                                "resettlement": 800}).status_code == 201
    r = api("PUT", "de-admin", f"{PLAN}/2028-2029/pledges/DE", {"lines": [
        {"category": "humanitarian_admission", "places": 150}, {"category": "emergency_admission", "places": 100}]})
    assert r.status_code == 422 and "leaves them 200 places together" in r.json()["detail"][0]["msg"]


# --- W1-8: referrals that cannot succeed --------------------------------------------------------


def test_a_person_is_not_resettled_from_their_own_country(api, loaded):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 5}]})
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-N1", first_asylum="SYR"))
    assert r.status_code == 422 and _loc(r) == [["body", "first_asylum"]]
    assert "nationality" in r.json()["detail"][0]["msg"] and "Art. 2" in r.json()["detail"][0]["msg"]


def test_a_referral_in_a_category_the_state_pledged_nothing_in_is_refused(api, loaded):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 5}]})
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
            _person("DE-H1", category="humanitarian_admission", nationality="AFG", first_asylum="PAK"))
    assert r.status_code == 422 and _loc(r) == [["body", "category"]]
    assert "DE has pledged no humanitarian admission places under 2026-2027" in r.json()["detail"][0]["msg"]


# --- W1-12: shares, the pledge's history, a state's cases as CSV ----------------------------------


def test_the_plan_gives_the_share_of_pledged_places_admitted_and_arrived(api, loaded):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 4}]})
    api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
        _person("DE-P1", decision="admitted", decided_on="2026-03-01", arrived_on="2026-04-01"))
    api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
        _person("DE-P2", decision="admitted", decided_on="2026-03-01"))
    rates = api("GET", "euaa-analyst", f"{PLAN}/2026-2027").json()["rates"]
    assert rates["total"] == {"admitted": 50.0, "arrived": 25.0}
    assert rates["by_state"]["DE"] == {"admitted": 50.0, "arrived": 25.0}
    assert rates["by_category"]["humanitarian_admission"] == {"admitted": None, "arrived": None}


def test_the_commission_sees_how_a_states_pledge_changed(api, loaded):
    first = api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE",
                {"lines": [{"category": "resettlement", "places": 3000}]}).json()
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"version": first["version"], "lines": [
        {"category": "resettlement", "places": 2500}, {"category": "emergency_admission", "places": 300}]})
    history = api("GET", "com-solidarity", "/api/v1/resettlement/states/DE?plan=2026-2027").json()["pledge_history"]
    assert [(h["version"], h["total"], h["change"], h["by"]) for h in history] == [
        (1, 3000, None, "de-admin"), (2, 2800, -200, "de-admin")]
    assert history[1]["by_category"] == {"resettlement": 2500, "humanitarian_admission": 0, "emergency_admission": 300}


def test_a_states_cases_and_overdue_procedures_as_csv(api, loaded, client, auth_headers, cli):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 5}]})
    api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
        _person("DE-V1", referred_on="2026-01-20", registered_on="2026-02-02"))
    api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
        _person("DE-V2", referred_on="2026-10-01", registered_on="2026-10-06", decision="admitted",
                decided_on="2026-10-20"))
    r = client.get(f"{PLAN}/2026-2027/states/DE/cases.csv", headers=auth_headers("de-caseworker"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["case_reference"], x["decision"], x["procedure_status"]) for x in rows] == [
        ("DE-V2", "admitted", "in_time"), ("DE-V1", "", "overdue")]
    # an EU body reads the overdue procedures, not the state's case references
    assert client.get(f"{PLAN}/2026-2027/states/DE/cases.csv", headers=auth_headers("euaa-analyst")).status_code == 403
    assert client.get(f"{PLAN}/2026-2027/states/DE/cases.csv", headers=auth_headers("fr-admin")).status_code == 403
    r = client.get(f"{PLAN}/2026-2027/states/DE/overdue.csv", headers=auth_headers("euaa-analyst"))
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["case_reference"], x["referred_on"], x["registered_on"], x["decision_due_by"]) for x in rows] == [
        ("", "2026-01-20", "2026-02-02", "2026-09-02")]
    own = list(csv.DictReader(io.StringIO(client.get(f"{PLAN}/2026-2027/states/DE/overdue.csv",
                                                     headers=auth_headers("de-admin")).text)))
    assert [x["case_reference"] for x in own] == ["DE-V1"]
    r = cli("de-caseworker", "cases", "DE", "--plan", "2026-2027")
    assert r.exit_code == 0 and r.output.splitlines()[0].startswith("plan,member_state,case_reference")
    assert len(r.output.splitlines()) == 3
    r = cli("euaa-analyst", "cases", "DE", "--overdue")
    assert r.exit_code == 0 and len(r.output.splitlines()) == 2
    r = cli("euaa-analyst", "cases", "DE")
    assert r.exit_code == 2 and r.output.count("\n") == 1
