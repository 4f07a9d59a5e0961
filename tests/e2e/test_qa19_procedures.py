"""QA walk 19, asylum procedures: what a user or a lawyer found wrong, each checked end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.store.tables.platform import audit_log

try:
    from .test_procedures_support import World, make_cli_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_cli_world  # type: ignore[no-redef]

runner = CliRunner()
ROUTE = {"applied_on": "2026-08-03", "member_state": "IT", "context": "in_territory"}


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def ok(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()


def problems(r: Any) -> dict[str, str]:
    assert r.status_code == 422, r.text
    return {str(d["loc"][-1]): d["msg"] for d in r.json()["detail"]}


def _web(world: World, username: str) -> TestClient:
    client = TestClient(world.client.app)
    r = client.post("/login", data={"username": username, "password": "a-long-password", "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def _actions(world: World, entity_id: str) -> list[str]:
    with world.services.engine.connect() as conn:
        return [a for (a,) in conn.execute(select(audit_log.c.action).where(audit_log.c.entity_id == entity_id))]


# --------------------------------------------------------------------------- finding 1


def test_stateless_and_unknown_are_not_designated_safe_countries(world: World) -> None:
    for code, what in (("XXA", "stateless"), ("XXX", "unknown nationality")):
        r = world.post("com.admin", "/safe-countries", {
            "scope": "IT", "concept": "safe_country_of_origin", "country": code,
            "valid_from": "2026-07-01", "reference": "x"})
        assert problems(r)["country"] == (
            f"{code} ({what}) is not a country: only a third country is designated (Regulation "
            "(EU) 2024/1348, Articles 59 and 61)")
    r = world.post("com.admin", "/safe-countries", {
        "scope": "IT", "concept": "safe_country_of_origin", "country": "XXB",
        "valid_from": "2026-07-01", "reference": "x"})
    assert "country" in problems(r)


def test_a_national_designation_is_ended_corrected_and_withdrawn_with_audit(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    added = ok(world.post("com.admin", "/safe-countries", {
        "scope": "IT", "concept": "safe_country_of_origin", "country": "BOL",
        "valid_from": "2026-07-01", "reference": "Decreto 1/2026"}), 201)
    routed = ok(world.post("it.caseworker", "/routing", {**ROUTE, "nationality": "BOL"}))
    assert "safe_country_of_origin" in routed["grounds"]
    listed = [e for e in ok(world.get("it.caseworker", "/safe-countries"))
              if e["country"] == "BOL" and e["scope"] == "IT"]
    assert [(e["id"], e["version"]) for e in listed] == [(added["id"], 1)]
    # a caseworker may not end it; a reason is required
    r = world.client.patch(f"/api/v1/procedures/safe-countries/{added['id']}",
                           json={"version": 1, "reason": "x", "valid_to": "2026-09-30"},
                           headers=world.headers("it.caseworker"))
    assert r.status_code == 403
    r = world.client.patch(f"/api/v1/procedures/safe-countries/{added['id']}",
                           json={"version": 1, "reason": " ", "valid_to": "2026-09-30"},
                           headers=world.headers("com.admin"))
    assert problems(r) == {"reason": "say why the designation is ended, corrected or withdrawn"}
    r = world.client.patch(f"/api/v1/procedures/safe-countries/{added['id']}",
                           json={"version": 1, "reason": "Decreto 2/2026", "valid_to": "2026-06-30"},
                           headers=world.headers("com.admin"))
    assert problems(r) == {"valid_to": "ends before it starts"}
    ended = ok(world.client.patch(f"/api/v1/procedures/safe-countries/{added['id']}",
                                  json={"version": 1, "reason": "Decreto 2/2026", "valid_to": "2026-09-30"},
                                  headers=world.headers("com.admin")))
    assert (ended["valid_to"], ended["version"]) == ("2026-09-30", 2)
    later = ok(world.post("it.caseworker", "/routing", {**ROUTE, "applied_on": "2026-10-01",
                                                        "nationality": "BOL"}))
    assert "safe_country_of_origin" not in later["grounds"]
    r = world.client.patch(f"/api/v1/procedures/safe-countries/{added['id']}",
                           json={"version": 1, "reason": "again", "valid_to": "2026-09-29"},
                           headers=world.headers("com.admin"))
    assert r.status_code == 409 and "changed by someone else" in r.json()["detail"]
    # the CLI corrects the act's reference
    f = Path(world.services.settings.var_dir) / "change.json"
    f.write_text(json.dumps({"version": 2, "reason": "typo", "reference": "Decreto 1/2026, art. 2"}))
    monkeypatch.setenv("PACTUM_CLI_USER", "com.admin")
    out = runner.invoke(app, ["procedures", "safe-country", "change", added["id"], str(f)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["reference"] == "Decreto 1/2026, art. 2"
    out = runner.invoke(app, ["procedures", "safe-country", "withdraw", added["id"], "--version", "3",
                              "--reason", "entered in error"])
    assert out.exit_code == 0, out.output
    assert not [e for e in ok(world.get("it.caseworker", "/safe-countries")) if e["country"] == "BOL"]
    assert _actions(world, added["id"]) == [
        "procedures.safe_country_added", "procedures.safe_country_ended",
        "procedures.safe_country_corrected", "procedures.safe_country_withdrawn"]


# --------------------------------------------------------------------------- findings 2, 10, 14


def _decided_border_case(world: World, nationality: str = "BGD") -> dict[str, Any]:
    pid = world.person("it.caseworker", surname="Uddin", nationality=nationality)
    case = world.apply("it.caseworker", pid)
    world.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-10",
                        language="Bengali"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-10",
                        interpreter_language="Bengali"))
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome="rejected_manifestly_unfounded",
                        reasons="no persecution shown"))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    return dict(ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-20")))


def test_an_appealed_border_case_stays_in_the_pipeline_with_the_border_end(world: World) -> None:
    case = _decided_border_case(world)  # today: 5 October 2026
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-10-05"))
    # right after notification: close is not offered while the appeal time limit runs
    assert case["actions"] == ["lodge_appeal", "record_withdrawal"]
    # the appeal deadline's computation is the whole Reg. 1182/71 computation
    assert case["deadline"]["kind"] == "appeal" and len(case["deadline"]["computation"]) > 1
    assert case["deadline"]["computation"][0].startswith("10 days from 2026-10-05")
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-10-05"))
    # the border procedure ends on 26 Oct 2026 (12 weeks from 3 Aug), before any appeal decision
    # it would otherwise wait for: the nearer deadline is the border procedure's end
    assert (case["next_deadline"], case["next_deadline_kind"]) == ("2026-10-26", "border_procedure_end")
    world.travel(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    pipeline = ok(world.get("it.caseworker", "/border-pipeline"))
    row = next(r for r in pipeline["cases"] if r["id"] == case["id"])
    assert (row["state"], row["days_in_procedure"], row["limit_days"], row["over_limit"]) == (
        "appeal_lodged", 119, 84, True)
    assert row["border_procedure_end"] == "2026-10-26"
    # once the end has passed, the appealed case waits on the court: its next deadline is the
    # court's time limit (two months from the appeal), no longer the passed end
    assert (row["next_deadline"], row["next_deadline_kind"]) == ("2026-12-07", "appeal_decision")
    assert row["border_end_status"] == "behind"
    assert (pipeline["over_limit"], pipeline["appealed"]) == (1, 1)
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["border_procedure"]["ended"] is True
    # the appeal of a border rejection does not suspend by itself (APR Art 68(3)(a)) and no request
    # to remain was recorded within the five days from the notification: no entry (Art 43(3)(b))
    assert shown["border_procedure"]["note"] == (
        "the border procedure ended on 2026-10-26 (12 weeks (Regulation (EU) 2024/1348, Article "
        "51(2))): the applicant is not authorised to enter the territory (Regulation (EU) 2024/1348, "
        "Article 43(3)(b): no request to remain was recorded within the time limit (until 2026-10-12, "
        "Regulation (EU) 2024/1348, Article 68(5)(a)); no return decision was issued with the decision: "
        "Regulation (EU) 2024/1349, Article 4 applies once one is (Regulation (EU) 2024/1348, Article 43(3), "
        "second subparagraph))")  # notified without a return decision: Art 4 is not said to apply yet


def test_close_is_offered_once_the_appeal_time_limit_has_passed(world: World) -> None:
    case = _decided_border_case(world)  # today: 5 October 2026
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-10-05"))
    assert "close" not in case["actions"]
    r = world.act("it.caseworker", case, "close", on="2026-10-05")
    assert r.status_code == 409 and "the appeal time limit runs until 2026-10-15" in r.json()["detail"]
    # APR Art 67(7)(a): ten days at most (the platform's upper bound), so it ended on 15 October
    world.travel(datetime(2026, 10, 16, 9, 0, tzinfo=UTC))
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["actions"] == ["lodge_appeal", "close"]


# --------------------------------------------------------------------------- findings 3, 4, 5


def test_a_union_citizen_is_not_routed(world: World) -> None:
    msg = ("ITA is the nationality of a Member State of the Union: its nationals are not third-country "
           "nationals and their applications are not examined under the asylum procedure rules "
           "(Protocol (No 24) on asylum for nationals of Member States of the European Union; "
           "Regulation (EU) 2024/1348, Article 1)")
    assert problems(world.post("it.caseworker", "/routing", {**ROUTE, "nationality": "ITA"})) == {
        "nationality": msg}
    pid = world.person("it.caseworker", surname="Haddad", nationality="SYR")
    r = world.post("it.caseworker", "/applications", {"person_id": pid, "made_on": "2026-08-01",
                                                      "context": "sar_disembarkation", "nationality": "ITA"})
    assert problems(r) == {"nationality": msg}


def test_a_nationality_other_than_the_registry_s_is_flagged(world: World) -> None:
    pid = world.person("it.caseworker", surname="Haddad", nationality="SYR")
    case = world.apply("it.caseworker", pid, nationality="IRQ")
    assert case["nationality"] == "IRQ"
    assert case["warnings"] == [
        "the application gives the nationality IRQ, the person's latest identity record in the "
        "registry SYR: check which is right"]


def test_a_bad_third_country_is_named_in_one_line(world: World) -> None:
    pid = world.person("it.caseworker", surname="Haddad", nationality="SYR")
    r = world.post("it.caseworker", "/applications", {"person_id": pid, "made_on": "2026-08-01",
                                                      "context": "sar_disembarkation",
                                                      "first_country_of_asylum": "ZZZ"})
    assert problems(r) == {"first_country_of_asylum": "'ZZZ' is not an ISO 3166 alpha-3 country code"}


def test_impossible_first_and_safe_third_countries_are_refused(world: World) -> None:
    own = problems(world.post("it.caseworker", "/routing", {
        **ROUTE, "nationality": "SYR", "first_country_of_asylum": "SYR"}))
    assert own == {"first_country_of_asylum": (
        "SYR is the applicant's country of nationality: a first country of asylum is a third "
        "country other than the country of origin (Regulation (EU) 2024/1348, Articles 58 and 59)")}
    member = problems(world.post("it.caseworker", "/routing", {
        **ROUTE, "nationality": "SYR", "safe_third_country_connection": "DEU"}))
    assert member["safe_third_country_connection"].startswith(
        "DEU is a Member State of the Union, not a third country")
    stateless = problems(world.post("it.caseworker", "/routing", {
        **ROUTE, "nationality": "TUR", "safe_third_country_connection": "TUR"}))
    assert "TUR is the applicant's country of nationality" in stateless["safe_third_country_connection"]
    assert "is not a country" in problems(world.post("it.caseworker", "/routing", {
        **ROUTE, "nationality": "SYR", "first_country_of_asylum": "XXA"}))["first_country_of_asylum"]
    fine = ok(world.post("it.caseworker", "/routing", {**ROUTE, "nationality": "SYR",
                                                       "first_country_of_asylum": "TUR"}))
    assert fine["grounds"] == ["first_country_of_asylum"]


# --------------------------------------------------------------------------- finding 6


def test_the_union_table_never_exceeds_the_union_capacity_and_leaves_out_denmark(world: World) -> None:
    world.person("it.caseworker", surname="A", nationality="BGD", kind="irregular_crossing",
                 occurred_at="2025-03-01T06:00:00+00:00")
    world.person("de.caseworker", surname="B", nationality="AFG", kind="irregular_crossing",
                 occurred_at="2025-03-01T06:00:00+00:00")
    c = ok(world.get("com.admin", "/capacity"))
    states = {s["member_state"]: s for s in c["states"]}
    assert "DK" not in states and len(states) == 26
    total = sum(s["capacity"] for s in states.values())
    assert c["states_total"] == {
        "fixed": 22785, "estimated": 7215, "total": 30000, "union_capacity": 30000,
        "text": "Capacities in force add up to 30,000 places of the Union's 30,000: 22,785 fixed by "
                "Commission Implementing Decision (EU) 2024/2150, 7,215 estimated from the platform's "
                "records for the other bound states (their share of what the fixed figures leave; "
                "not the law)."}
    assert total == 30000
    assert (states["IT"]["capacity"], states["DE"]["capacity"], states["DE"]["capacity_source"]) == (
        8016, 7215, "estimate")
    page = _web(world, "com.admin").get("/procedures/border")
    assert page.status_code == 200, page.text
    assert "commission implementing decision (eu)" not in page.text
    assert "The adequate capacity of a state is the figure fixed by Commission Implementing Decision" in page.text
    assert "Capacities in force add up to 30,000 places of the Union&#39;s 30,000" in page.text


# --------------------------------------------------------------------------- finding 9


def test_a_directive_border_case_decided_after_the_border_end_says_so(world: World) -> None:
    world.travel(datetime(2026, 6, 5, 9, 0, tzinfo=UTC))
    pid = world.person("it.caseworker", surname="Rahman", nationality="BGD",
                       occurred_at="2026-06-01T06:00:00+00:00")
    case = world.apply("it.caseworker", pid, made_on="2026-06-05", registered_on=None,
                       misled_authorities=True)
    assert case["procedure"] == "border"
    step = next(s for s in case["routing"]["trace"] if s["rule"] == "safe_country_of_origin")
    assert step["parameters"] == {}  # no stray APR threshold in a Directive case
    world.travel(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    # registered late (the Directive's 3 working days ended on 10 June) and lodged before 12 June
    # 2026: a case under the Directive (APR Art 79(3): by the day it was lodged)
    case = ok(world.act("it.caseworker", case, "register", registered_on="2026-06-11"))
    assert any(w.startswith("registered on 2026-06-11, ") and "after the registration time limit of "
               in w for w in case["warnings"])
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-06-11"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-06-20",
                        language="Bengali"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-06-20",
                        interpreter_language="Bengali"))
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome="rejected_unfounded",
                        reasons="no persecution shown"))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-11-30"))
    assert case["state"] == "decided"
    assert case["next_deadline_kind"] != "border_procedure_end"
    bp = case["border_procedure"]
    assert (bp["end"], bp["ended"], bp["decided_in_border_procedure"]) == ("2026-07-09", True, False)
    assert bp["note"] == (
        "the border procedure ended on 2026-07-09 (4 weeks (Directive 2013/32/EU, Article 43(2))), "
        "before the decision of 2026-11-30: the applicant was to be authorised to enter the "
        "territory on its end (Directive 2013/32/EU, Article 43(2)); the decision was not taken in "
        "the border procedure")
    page = _web(world, "it.caseworker").get(f"/procedures/cases/{case['id']}")
    assert page.status_code == 200
    assert "The border procedure ended on 2026-07-09" in page.text and 'id="case-warnings"' in page.text


# --------------------------------------------------------------------------- finding 11


def test_an_interview_is_not_held_before_its_scheduled_day(world: World) -> None:
    pid = world.person("it.caseworker", surname="Uddin", nationality="BGD")
    case = world.apply("it.caseworker", pid)
    world.travel(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-10-30",
                        language="Bengali"))
    r = world.act("it.caseworker", case, "hold_interview", held_on="2026-10-29", interpreter_language="Bengali")
    assert problems(r) == {"held_on": "cannot be before the day the interview is scheduled for "
                                      "(2026-10-30): schedule it again for the day it is held"}
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-10-29",
                        language="Bengali"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-10-29",
                        interpreter_language="Bengali"))
    assert case["interview_held_on"] == "2026-10-29"


def test_a_union_citizen_is_not_refused_entry(world: World) -> None:
    body = {"refused_on": "2026-08-02", "border_type": "sea", "border_section": "Lampedusa",
            "nationality": "FRA", "reasons": ["A"]}
    assert problems(world.post("it.caseworker", "/refusals-of-entry", body))["nationality"].startswith(
        "FRA: a refusal of entry under Article 14 of the Schengen Borders Code concerns a "
        "third-country national")
    assert ok(world.post("it.caseworker", "/refusals-of-entry", {**body, "nationality": "TUN"}), 201)


# --------------------------------------------------------------------------- findings 12, 13


def test_refusals_page_and_export_statistics_filter(world: World) -> None:
    for day in ("2026-08-01", "2026-08-02"):
        ok(world.post("it.caseworker", "/refusals-of-entry", {
            "refused_on": day, "border_type": "sea", "border_section": "Lampedusa",
            "nationality": "TUN", "reasons": ["A", "C"]}), 201)
    second = ok(world.get("it.caseworker", "/refusals-of-entry", limit=1, offset=1))
    assert (second["total"], [x["refused_on"] for x in second["refusals"]]) == (2, ["2026-08-01"])
    csv = world.get("it.caseworker", "/refusals-of-entry.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0] == "id,member_state,refused_on,border_type,border_section,nationality,reasons,note,recorded_by"
    assert len(lines) == 3 and ",A;C," in lines[1]
    stats = ok(world.get("it.analyst", "/statistics", nationality="SYR"))
    assert {r["nationality"] for r in stats["rows"]} == {"SYR"}
    assert problems(world.get("it.analyst", "/statistics", member_state="DK"))["member_state"].startswith(
        "Denmark is not bound")


def test_recognition_rate_defaults_to_today_and_a_future_capacity_warns(world: World) -> None:
    rate = ok(world.get("it.caseworker", "/recognition-rates/BGD"))
    assert rate["rate_percent"] == 3.09
    c = ok(world.get("com.admin", "/capacity", on="2027-10-15"))
    assert c["warnings"][0] == ("2027-10-15 is after today (2026-08-03): the occupancy and the "
                                "applications this year are today's, not that day's")


def test_cli_queue_filters_by_nationality_with_an_offset(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    for surname, nat in (("A", "BGD"), ("B", "BGD"), ("C", "SYR")):
        world.apply("it.caseworker", world.person("it.caseworker", surname=surname, nationality=nat))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    out = runner.invoke(app, ["procedures", "queue", "--nationality", "BGD", "--offset", "1"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    assert [r["nationality"] for r in rows] == ["BGD"]


# --------------------------------------------------------------------------- finding 8


def test_inadmissibility_on_protection_in_another_member_state_under_the_directive(world: World) -> None:
    world.travel(datetime(2026, 6, 5, 9, 0, tzinfo=UTC))
    pid = world.person("it.caseworker", surname="Rahman", nationality="ERI", kind="irregular_crossing",
                       occurred_at="2026-06-01T06:00:00+00:00")
    case = world.apply("it.caseworker", pid, made_on="2026-06-05", registered_on="2026-06-05",
                       context="apprehended_at_external_border")
    world.travel(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-06-08"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-06-20",
                        language="Tigrinya"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-06-20",
                        interpreter_language="Tigrinya"))
    r = world.act("it.caseworker", case, "draft_decision", outcome="inadmissible",
                  inadmissibility_ground="international_court_relocation", reasons="x")
    assert problems(r) == {"inadmissibility_ground": (
        "one of protection_in_another_member_state, first_country_of_asylum, safe_third_country, "
        "subsequent_application, dependant_separate_application under Directive 2013/32/EU: the "
        "application was lodged on 2026-06-08 (Regulation (EU) 2024/1348, Article 79(3))")}
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome="inadmissible",
                        inadmissibility_ground="protection_in_another_member_state",
                        reasons="refugee status granted by Greece in 2024"))
    drafted = case["timeline"][-1]["detail"]
    assert drafted["inadmissibility_legal_basis"] == "Directive 2013/32/EU, Article 33(2)(a)"
