"""Resettlement through the API: plans, pledges and admissions as the Commission, a state and a
lawyer would check them (Reg. (EU) 2024/1350). The test clock is 2026-11-28."""

from __future__ import annotations

import pytest

PLAN = "/api/v1/resettlement/plans"


@pytest.fixture
def api(client, auth_headers):
    def call(method: str, user: str, path: str, body: object = None):
        return client.request(method, path, json=body, headers=auth_headers(user))

    return call


@pytest.fixture
def loaded(api):
    r = api("POST", "com-solidarity", "/api/v1/resettlement/load")
    assert r.status_code == 200, r.text
    return r.json()


def _person(ref: str, **kw: object) -> dict[str, object]:
    return {"case_reference": ref, "nationality": "SYR", "first_asylum": "TUR", "category": "resettlement",
            "procedure": "ordinary", "referred_on": "2026-01-15", **kw}


def test_the_shipped_plans_carry_the_public_figures_and_nothing_more(api, loaded):
    assert loaded == {"created": ["2024-2025", "2026-2027"], "unchanged": []}
    plans = {p["key"]: p for p in api("GET", "euaa-analyst", PLAN).json()}
    exercise, union = plans["2024-2025"], plans["2026-2027"]
    assert exercise["kind"] == "pledging_exercise" and exercise["announced_states"] == 14
    assert exercise["split"] == {"resettlement": 30960, "humanitarian_admission": 30000, "emergency_admission": None}
    assert exercise["total_places"] == 30960 + 30000
    assert union["kind"] == "union_plan" and union["total_places"] == 15230 and union["announced_states"] == 9
    # what the sources do not give is left unknown, not invented
    assert union["split"] == {"resettlement": None, "humanitarian_admission": None, "emergency_admission": None}
    assert union["council_act_reference"] is None and union["first_asylum_countries"] == []
    assert api("POST", "com-solidarity", "/api/v1/resettlement/load").json()["unchanged"] == ["2024-2025", "2026-2027"]


def test_a_union_plan_runs_two_years_after_the_regulation_applies(api):
    body = {"first_year": 2028, "last_year": 2030, "total_places": 1000}
    r = api("POST", "com-solidarity", PLAN, body)
    assert r.status_code == 422
    assert any(e["loc"] == ["body", "last_year"] and "runs 2 years" in e["msg"] for e in r.json()["detail"])
    r = api("POST", "com-solidarity", PLAN, {"first_year": 2024, "last_year": 2025, "total_places": 1000})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "first_year"]
    assert "pledging exercise" in r.json()["detail"][0]["msg"]
    # the three categories must add up to the total when all are given
    r = api("POST", "com-solidarity", PLAN, {"first_year": 2028, "last_year": 2029, "total_places": 1000,
                                             "resettlement": 600, "humanitarian_admission": 300,
                                             "emergency_admission": 50})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "total_places"]
    r = api("POST", "com-solidarity", PLAN, {"first_year": 2028, "last_year": 2029, "total_places": "1000"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "total_places"]


def test_only_the_commission_records_plans(api):
    body = {"first_year": 2028, "last_year": 2029, "total_places": 1000, "council_act_reference": "X",
            "council_act_date": "2026-11-20"}
    assert api("POST", "de-admin", PLAN, body).status_code == 403
    assert api("POST", "euaa-analyst", PLAN, body).status_code == 403
    r = api("POST", "com-solidarity", PLAN, body)
    assert r.status_code == 201 and r.json()["starts_on"] == "2028-01-01" and r.json()["ends_on"] == "2029-12-31"
    assert api("POST", "com-solidarity", PLAN, body).status_code == 409  # the period is covered already


def test_pledges_add_up_and_cannot_exceed_the_plan(api, loaded):
    r = api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [
        {"category": "resettlement", "first_asylum": "TUR", "places": 3000},
        {"category": "resettlement", "places": 1000},
        {"category": "emergency_admission", "first_asylum": "lby", "places": 200}]})
    assert r.status_code == 200, r.text
    assert r.json()["by_category"] == {"resettlement": 4000, "humanitarian_admission": 0, "emergency_admission": 200}
    assert r.json()["lines"][2]["first_asylum"] == "LBY"
    r = api("PUT", "fr-admin", f"{PLAN}/2026-2027/pledges/FR",
            {"lines": [{"category": "resettlement", "places": 15230 - 4200 + 1}]})
    assert r.status_code == 422
    assert "at most 11,030" in r.json()["detail"][0]["msg"] and r.json()["detail"][0]["loc"] == ["body", "lines"]
    assert api("PUT", "fr-admin", f"{PLAN}/2026-2027/pledges/FR",
               {"lines": [{"category": "resettlement", "places": 11030}]}).status_code == 200
    plan = api("GET", "frontex-analyst", f"{PLAN}/2026-2027").json()
    assert plan["progress"]["total"]["pledged"] == 15230 == plan["total_places"]
    assert sum(s["total"]["pledged"] for s in plan["progress"]["by_state"]) == 15230
    assert sum(w["pledged"] for w in plan["progress"]["by_first_asylum"]) == 15230
    assert plan["unpledged_total"] == 0


def test_a_state_cannot_change_another_states_pledge(api, loaded):
    body = {"lines": [{"category": "resettlement", "places": 10}]}
    assert api("PUT", "fr-admin", f"{PLAN}/2026-2027/pledges/DE", body).status_code == 403
    assert api("PUT", "de-analyst", f"{PLAN}/2026-2027/pledges/DE", body).status_code == 403
    assert api("PUT", "com-solidarity", f"{PLAN}/2026-2027/pledges/DE", body).status_code == 403
    assert api("GET", "fr-admin", "/api/v1/resettlement/states/DE").status_code == 403
    assert api("GET", "fr-admin", "/api/v1/resettlement/states/XX").status_code == 404


def test_a_stale_pledge_is_refused_with_409(api, loaded):
    body = {"lines": [{"category": "resettlement", "places": 10}]}
    first = api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", body).json()
    ok = api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {**body, "version": first["version"]})
    assert ok.status_code == 200 and ok.json()["version"] == first["version"] + 1
    stale = api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {**body, "version": first["version"]})
    # the same user changed it: no "someone else", the version it is now
    assert stale.status_code == 409 and "someone else" not in stale.json()["detail"]
    assert "changed since it was read (now version 2)" in stale.json()["detail"]


def test_an_admission_beyond_the_pledge_is_refused(api, loaded):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [
        {"category": "resettlement", "first_asylum": "TUR", "places": 1},
        {"category": "resettlement", "places": 1}]})
    admitted = {"decision": "admitted", "decided_on": "2026-03-01"}
    assert api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-1", **admitted)).status_code == 201
    # the second person from Türkiye takes the place pledged for any country
    assert api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-2", **admitted)).status_code == 201
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
            _person("DE-3", first_asylum="LBN", **admitted))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "decision"]
    assert "no place left" in r.json()["detail"][0]["msg"]
    # a referral without a decision takes no place; admitting it later is refused the same way
    pending = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-3", first_asylum="LBN"))
    assert pending.status_code == 201
    r = api("PATCH", "de-caseworker", f"/api/v1/resettlement/admissions/{pending.json()['id']}",
            {"version": 1, **admitted})
    assert r.status_code == 422 and "no place left" in r.json()["detail"][0]["msg"]
    # nor can the pledge drop below the persons admitted
    r = api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE",
            {"lines": [{"category": "resettlement", "places": 1}], "version": 1})
    assert r.status_code == 422 and "must keep a place for each" in r.json()["detail"][0]["msg"]


def test_an_admission_before_the_plan_or_in_the_future_is_refused(api, loaded):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 5}]})
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
            _person("DE-9", referred_on="2025-09-01", decision="admitted", decided_on="2025-12-15"))
    assert r.status_code == 422
    by_loc = {tuple(e["loc"]): e["msg"] for e in r.json()["detail"]}
    assert "runs from 2026-01-01" in by_loc["body", "decided_on"]
    assert "runs from 2026-01-01" in by_loc["body", "referred_on"]
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-9", referred_on="2026-12-01"))
    assert r.status_code == 422 and "after today (2026-11-28)" in r.json()["detail"][0]["msg"]
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
            _person("DE-9", arrived_on="2026-05-01"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "arrived_on"]
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-9", nationality="SYX"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "nationality"]
    r = api("POST", "fr-caseworker", f"{PLAN}/2026-2027/admissions", _person("FR-1"))
    assert r.status_code == 422 and "FR has pledged no places" in r.json()["detail"][0]["msg"]


def test_a_refusal_states_a_ground_of_article_6_or_another_ground_in_words(api, loaded):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 5}]})
    refused = {"decision": "refused", "decided_on": "2026-04-01", "refusal_ground": "danger_to_public_order"}
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-5", **refused))
    assert r.status_code == 201 and r.json()["refusal_ground"] == "danger_to_public_order"
    assert r.json()["refusal_basis"] == "Regulation (EU) 2024/1350, Article 6(1)(c)"
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
            _person("DE-6", decision="refused", decided_on="2026-04-01", refusal_ground="other"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "refusal_reason"]
    # a refused person takes no place
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert state["progress"]["total"]["admitted"] == 0 and state["case_counts"] == {"refused": 1}


def test_procedures_beyond_seven_months_are_overdue(api, loaded):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 5}]})
    # the periods run from the state's registration of the person (Art 9(3)), not from the referral
    old = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
              _person("DE-OLD", referred_on="2026-02-20", registered_on="2026-03-02")).json()
    assert old["clock"]["status"] == "overdue" and old["clock"]["deadline"] == "2026-10-02"
    recent = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
                 _person("DE-NEW", referred_on="2026-11-10", registered_on="2026-11-16", procedure="expedited")).json()
    # emergency admission: one month (Reg. (EU) 2024/1350 Art 9(10), read; was 3 months under Art 10)
    assert recent["clock"]["status"] == "running" and recent["clock"]["deadline"] == "2026-12-16"
    de = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    assert [c["case_reference"] for c in de["overdue"]] == ["DE-OLD"]
    # an EU analyst sees the clock, not the state's case references
    eu = api("GET", "euaa-analyst", "/api/v1/resettlement/states/DE").json()
    assert eu["cases"] is None and len(eu["overdue"]) == 1 and "case_reference" not in eu["overdue"][0]


def test_arrivals_count_separately_and_a_closed_plan_takes_nothing(api, loaded):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "humanitarian_admission", "places": 4}]})
    a = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
            _person("DE-A", category="humanitarian_admission", nationality="AFG", first_asylum="PAK",
                    decision="admitted", decided_on="2026-05-01")).json()
    r = api("PATCH", "de-caseworker", f"/api/v1/resettlement/admissions/{a['id']}", {"version": 1, "arrived_on": "2026-04-01"})
    assert r.status_code == 422 and "before the decision to admit" in r.json()["detail"][0]["msg"]
    r = api("PATCH", "de-caseworker", f"/api/v1/resettlement/admissions/{a['id']}", {"version": 1, "arrived_on": "2026-06-10"})
    assert r.status_code == 200 and r.json()["version"] == 2
    assert api("PATCH", "fr-admin", f"/api/v1/resettlement/admissions/{a['id']}",
               {"version": 2, "arrived_on": "2026-06-10"}).status_code == 404
    plan = api("GET", "com-solidarity", f"{PLAN}/2026-2027").json()
    assert plan["progress"]["by_category"]["humanitarian_admission"] == {"pledged": 4, "admitted": 1, "arrived": 1}
    closed = api("POST", "com-solidarity", f"{PLAN}/2026-2027/close", {"version": plan["version"]})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    r = api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [], "version": 1})
    assert r.status_code == 409 and "closed" in r.json()["detail"]


def test_history_gives_unhcr_arrivals_by_year(api):
    data = api("GET", "euaa-analyst", "/api/v1/resettlement/history?member_state=DE").json()
    years = {y["year"]: y for y in data["years"]}
    assert years[2024]["eu27"] == 11827 and years[2023]["eu27"] == 12476
    assert years[2024]["member_state"] == 5553
    assert "UNHCR" in data["attribution"]


def test_indicators_count_arrivals_this_year_and_open_places(api, loaded, services):
    from datetime import date

    from pactum.services.indicators import compute

    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 10}]})
    a = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
            _person("DE-I", decision="admitted", decided_on="2026-02-01", arrived_on="2026-03-01")).json()
    assert a["arrived_on"] == "2026-03-01"
    with services.engine.connect() as conn:
        assert compute(conn, "resettlement_arrivals_year", date(2026, 11, 28)) == 1
        assert compute(conn, "resettlement_arrivals_year", date(2026, 11, 28), "FR") == 0
        assert compute(conn, "resettlement_places_open", date(2026, 11, 28), "DE") == 9
        assert compute(conn, "resettlement_places_open", date(2026, 1, 15), "DE") == 10


def _exercise(api):
    """A pledging exercise 2022-2023 (before the Regulation), over by the test's today."""
    r = api("POST", "com-solidarity", PLAN, {"first_year": 2022, "last_year": 2023, "kind": "pledging_exercise",
                                             "total_places": 100})
    assert r.status_code == 201, r.text
    assert api("PUT", "de-admin", f"{PLAN}/2022-2023/pledges/DE",
               {"lines": [{"category": "resettlement", "places": 10}]}).status_code == 200
    return r.json()


def test_a_closed_plan_still_takes_the_decision_and_arrival_of_persons_referred_under_it(api):
    plan = _exercise(api)
    admitted = api("POST", "de-caseworker", f"{PLAN}/2022-2023/admissions", _person(
        "DE-X1", referred_on="2023-06-01", decision="admitted", decided_on="2023-11-20")).json()
    pending = api("POST", "de-caseworker", f"{PLAN}/2022-2023/admissions", _person(
        "DE-X2", referred_on="2023-09-01")).json()
    later = api("POST", "de-caseworker", f"{PLAN}/2022-2023/admissions", _person(
        "DE-X3", referred_on="2023-10-01")).json()
    assert api("POST", "com-solidarity", f"{PLAN}/2022-2023/close", {"version": plan["version"]}).status_code == 200
    # no more pledges nor persons referred
    r = api("PUT", "de-admin", f"{PLAN}/2022-2023/pledges/DE", {"lines": [], "version": 1})
    assert r.status_code == 409 and "takes no more pledges" in r.json()["detail"]
    r = api("POST", "de-caseworker", f"{PLAN}/2022-2023/admissions", _person("DE-X4", referred_on="2023-10-01"))
    assert r.status_code == 409
    # the person admitted arrives after the plan's last day: counted as arrived under it
    r = api("PATCH", "de-caseworker", f"/api/v1/resettlement/admissions/{admitted['id']}",
            {"version": 1, "arrived_on": "2026-11-20"})
    assert r.status_code == 200, r.text
    assert r.json()["arrived_on"] == "2026-11-20"
    # a person still pending gets their decision: a refusal; an admission decided after the plan's
    # years takes no place of it (422 on the date, not 409)
    r = api("PATCH", "de-caseworker", f"/api/v1/resettlement/admissions/{pending['id']}",
            {"version": 1, "decision": "refused", "decided_on": "2024-02-01", "refusal_ground": "other",
             "refusal_reason": "Not in need of resettlement"})
    assert r.status_code == 200, r.text
    r = api("PATCH", "de-caseworker", f"/api/v1/resettlement/admissions/{later['id']}",
            {"version": 1, "decision": "admitted", "decided_on": "2024-02-01"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "decided_on"]
    progress = api("GET", "euaa-analyst", f"{PLAN}/2022-2023").json()["progress"]["total"]
    assert progress == {"pledged": 10, "admitted": 1, "arrived": 1}
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE?plan=2022-2023").json()
    assert state["may_record"] is True and state["may_refer"] is False and state["may_pledge"] is False


@pytest.mark.parametrize("code", ["XXX", "XXA", "FRA", "DEU", "DNK", "NOR", "fr"])
def test_the_country_of_first_asylum_is_a_third_country(api, loaded, code):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 5}]})
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-F", first_asylum=code))
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert [e["loc"] for e in detail] == [["body", "first_asylum"]]
    assert "is not an ISO 3166" not in detail[0]["msg"]  # XXX and XXA are not ISO 3166 codes: not said to be
    assert "third country" in detail[0]["msg"]
    r = api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE",
            {"lines": [{"category": "resettlement", "first_asylum": code, "places": 5}], "version": 1})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "lines", 0, "first_asylum"]
    r = api("POST", "com-solidarity", PLAN, {"first_year": 2028, "last_year": 2029, "total_places": 10,
                                             "first_asylum_countries": ["TUR", code]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "first_asylum_countries"]


def test_a_stateless_person_is_admitted_but_not_a_member_states_national(api, loaded):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 5}]})
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-S", nationality="XXA"))
    assert r.status_code == 201 and r.json()["nationality"] == "XXA"
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-N", nationality="ITA"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "nationality"]


def test_a_referral_before_the_plan_starts_is_refused_and_never_overdue(api, loaded, services):
    from datetime import date

    from pactum.services.indicators import compute

    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 5}]})
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person("DE-B", referred_on="2025-12-20"))
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["detail"]] == [["body", "referred_on"]]
    assert "runs from 2026-01-01 to 2027-12-31" in r.json()["detail"][0]["msg"]
    with services.engine.connect() as conn:
        assert compute(conn, "resettlement_procedures_overdue", date(2026, 11, 28)) == 0
    assert api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions",
               _person("DE-B", referred_on="2026-01-01")).status_code == 201


def test_blank_text_is_required_not_a_character_count(api, loaded):
    api("PUT", "de-admin", f"{PLAN}/2026-2027/pledges/DE", {"lines": [{"category": "resettlement", "places": 5}]})
    r = api("POST", "de-caseworker", f"{PLAN}/2026-2027/admissions", _person(
        "DE-R", decision="refused", decided_on="2026-04-01", refusal_ground="other", refusal_reason="   "))
    assert r.status_code == 422
    assert [(e["loc"], e["msg"]) for e in r.json()["detail"]] == [(["body", "refusal_reason"], "required")]
    r = api("POST", "com-solidarity", PLAN, {"first_year": 2028, "last_year": 2029, "total_places": 10, "title": " "})
    assert r.status_code == 422 and r.json()["detail"][0]["msg"] == "required"


def test_history_says_what_each_total_covers_and_who_is_not_bound(api):
    data = api("GET", "euaa-analyst", "/api/v1/resettlement/history?member_state=DK").json()
    assert "Denmark included" in data["covers"]["eu27"] and "Protocol No 22" in data["covers"]["eu27"]
    assert "Iceland, Liechtenstein, Norway and Switzerland" in data["covers"]["eu_plus"]
    assert "not bound by Regulation (EU) 2024/1350" in data["not_bound"]
    assert api("GET", "euaa-analyst", "/api/v1/resettlement/history?member_state=DE").json()["not_bound"] is None


def test_a_state_not_bound_by_the_framework_pledges_under_no_union_plan(loaded, services):
    from pactum.common.errors import ValidationProblem
    from pactum.resettlement.model import PledgeIn
    from pactum.services import resettlement
    from pactum.services.auth import Principal, Role

    for ms in ("DK", "NO"):
        admin = Principal(f"t-{ms}", f"{ms.lower()}-admin", ms, frozenset({Role.admin}))
        with pytest.raises(ValidationProblem) as exc:
            resettlement.set_pledge(services, admin, "2026-2027", ms, PledgeIn.model_validate(
                {"lines": [{"category": "resettlement", "places": 5}]}))
        assert exc.value.problems[0][0] == "member_state" and "not bound" in exc.value.problems[0][1]
        assert resettlement.state_view(services, admin, ms, "2026-2027")["may_pledge"] is False
