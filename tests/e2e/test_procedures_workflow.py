"""Asylum procedures through the API: an application made after disembarkation in Italy is routed
to the border procedure, goes through interview, draft, second-level review, decision with a return
decision, notification and appeal; every illegal step gets a 409 with its reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.services import indicators
from pactum.store.tables.platform import audit_log

try:
    from .test_procedures_support import World, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def ok(r: Any) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_routing_endpoint_explains_the_mandatory_border_procedure(world: World) -> None:
    r = world.post("it.caseworker", "/routing", {
        "applied_on": "2026-08-03", "member_state": "IT", "context": "sar_disembarkation",
        "nationality": "BGD", "unaccompanied_minor": False, "misled_authorities": False,
        "security_threat": False, "subsequent_application": False,
        "first_country_of_asylum": None, "safe_third_country_connection": None,
        "vulnerabilities": []})
    body = ok(r)
    assert set(body) == {"procedure", "mandatory", "grounds", "legal_basis", "recognition_rate", "trace",
                         "third_countries"}
    assert body["procedure"] == "border" and body["mandatory"] is True
    assert "low_recognition_rate" in body["grounds"]
    assert body["recognition_rate"]["rate_percent"] == 3.09
    assert body["recognition_rate"]["reference_year"] == 2025
    assert any(s["rule"] == "recognition_rate" and "3.09%" in s["outcome"] for s in body["trace"])


def test_routing_rejects_bad_fields_one_message_each(world: World) -> None:
    r = world.post("it.caseworker", "/routing", {"applied_on": "2026-08-03", "member_state": "XX",
                                                 "context": "airport", "nationality": "SYR"})
    assert r.status_code == 422
    fields = {d["loc"][-1] for d in r.json()["detail"]}
    assert {"member_state", "context"} <= fields


def test_routing_needs_a_login(world: World) -> None:
    r = world.client.post("/api/v1/procedures/routing", json={})
    assert r.status_code == 401


def test_whole_workflow_with_return_decision_and_appeal(world: World) -> None:
    pid = world.person("it.caseworker", surname="Uddin", nationality="BGD")
    case = world.apply("it.caseworker", pid)
    r = world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04")
    assert r.status_code == 422 and "after today" in r.text  # the clock says 3 August
    world.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    assert case["procedure"] == "border" and case["routing_mandatory"] is True
    assert case["state"] == "registered"
    screening = world.client.get(f"/api/v1/registry/persons/{pid}",
                                 headers=world.headers("it.caseworker")).json()
    assert case["screening_id"] and case["screening_id"] in str(screening)  # linked automatically
    # a border case is lodged within 5 days of registration (APR Art 51(1), not Art 28(1)'s 21 days):
    # 3 Aug 2026 -> Sat 8 Aug, moved to Mon 10 Aug 2026 (Art 73(c)); it comes first
    assert case["next_deadline"] == "2026-08-10" and case["next_deadline_kind"] == "lodging"

    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    # then the end of the border procedure: 12 weeks from registration (Mon 26 Oct 2026)
    assert case["next_deadline"] == "2026-10-26"
    assert case["next_deadline_kind"] == "border_procedure_end"
    # deciding before the interview is refused with the reason
    r = world.act("it.caseworker", case, "draft_decision", outcome="rejected_manifestly_unfounded")
    assert r.status_code == 409
    assert "before the personal interview" in r.json()["detail"]

    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-10",
                        language="Bengali"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-10",
                        interpreter_language="Bengali"))
    case = ok(world.act("it.caseworker", case, "add_evidence", description="Country report BGD 2026"))
    case = ok(world.act("it.caseworker", case, "draft_decision",
                        outcome="rejected_manifestly_unfounded", reasons="no persecution shown"))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    # four eyes: the drafter may not approve
    r = world.act("it.caseworker", case, "approve", decided_on="2026-08-20")
    assert r.status_code == 409 and "another officer" in r.json()["detail"]
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-20"))
    assert case["state"] == "decided"
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21",
                        with_return_decision=True, voluntary_departure_days=7))
    assert case["state"] == "notified"
    assert case["return_decision_id"]
    # border procedure appeal: 10 days from notification, APR Art 67(7)(a) (Fri 21 Aug -> Mon 31 Aug 2026)
    assert case["appeal_deadline"] == "2026-08-31"
    assert case["next_deadline"] == "2026-08-31" and case["next_deadline_kind"] == "appeal"

    # appealing after the deadline is refused with the date the time limit ended
    r = world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-09-01")
    assert r.status_code == 409
    assert "after the time limit ended on 2026-08-31" in r.json()["detail"]
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-08-28"))
    assert case["suspensive_effect"] is False  # rejection in the border procedure, APR Art 68(3)
    case = ok(world.act("it.caseworker", case, "decide_appeal", outcome="dismissed",
                        decided_on="2026-10-01"))
    assert case["state"] == "appeal_decided"
    events = [e["event"] for e in case["timeline"]]
    assert events == ["made", "registered", "lodged", "interview_scheduled", "interview_held",
                      "evidence_added", "decision_drafted", "submitted_for_review", "decided",
                      "notified", "appeal_lodged", "appeal_decided"]
    with world.services.engine.connect() as conn:
        actions = [a for (a,) in conn.execute(select(audit_log.c.action).where(
            audit_log.c.entity_id == case["id"]))]
    assert "procedures.notified" in actions and "procedures.appeal_decided" in actions
    assert any(a.startswith("returns.") for a in _all_actions(world))


def _all_actions(world: World) -> list[str]:
    with world.services.engine.connect() as conn:
        return [a for (a,) in conn.execute(select(audit_log.c.action))]


def test_stale_version_and_positive_decision_with_return_are_refused(world: World) -> None:
    world.travel(datetime(2026, 9, 25, 9, 0, tzinfo=UTC))
    pid = world.person("it.caseworker", surname="Haile", nationality="ERI")
    case = world.apply("it.caseworker", pid)
    assert case["procedure"] == "regular"
    lodged = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-05"))
    r = world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-20",
                  language="Tigrinya")  # version seen before lodging
    assert r.status_code == 409 and "changed by someone else" in r.json()["detail"]
    case = ok(world.act("it.caseworker", lodged, "schedule_interview", interview_on="2026-08-20",
                        language="Tigrinya"))
    # regular procedure: 6 months from lodging (5 Aug 2026 -> Fri 5 Feb 2027)
    assert case["next_deadline"] == "2027-02-05"
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-20",
                        interpreter_language="Tigrinya"))
    r = world.act("it.caseworker", case, "draft_decision", outcome="rejected_manifestly_unfounded")
    assert r.status_code == 409 and "accelerated or border procedure" in r.json()["detail"]
    # subsidiary protection: the refusal of refugee status is open to an appeal (APR Art 67(2)); a
    # grant of refugee status is not (test_procedures_refugee_status_no_appeal)
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome="subsidiary_protection",
                        reasons="serious harm, not persecution"))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-09-01"))
    r = world.act("it.caseworker", case, "notify", notified_on="2026-09-02", with_return_decision=True)
    assert r.status_code == 409 and "only be issued together with a negative decision" in r.json()["detail"]
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-09-02"))
    # regular procedure appeal: 1 month (2 Sep -> Fri 2 Oct 2026)
    assert case["appeal_deadline"] == "2026-10-02"
    r = world.act("it.caseworker", case, "close", on="2026-09-20")
    assert r.status_code == 409 and "not final yet" in r.json()["detail"]


def test_transitions_from_the_wrong_state_name_the_allowed_states(world: World) -> None:
    pid = world.person("it.caseworker", surname="Karimi", nationality="AFG")
    case = world.apply("it.caseworker", pid)
    r = world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-08-10")
    assert r.status_code == 409 and "allowed in: notified" in r.json()["detail"]
    r = world.act("it.caseworker", case, "hold_interview", held_on="2026-08-10",
                  interpreter_language="Dari")
    assert r.status_code == 409 and "interview_scheduled" in r.json()["detail"]
    r = world.act("it.caseworker", case, "fly", x=1)
    assert r.status_code == 422
    r = world.act("it.caseworker", case, "lodge", lodged_on="2026-07-01")
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "lodged_on"


def test_other_states_cannot_see_the_case_and_queue_sorts_by_deadline(world: World) -> None:
    a = world.apply("it.caseworker", world.person("it.caseworker", surname="Ali", nationality="BGD"))
    b = world.apply("it.caseworker", world.person("it.caseworker", surname="Noor", nationality="ERI",
                                                  occurred_at="2026-06-30T06:00:00+00:00"),
                    made_on="2026-07-01", registered_on=None)
    assert world.get("de.caseworker", f"/applications/{a['id']}").status_code == 404
    q = world.get("it.caseworker", "/queue").json()
    assert [c["id"] for c in q] == [b["id"], a["id"]]
    # each case names its applicant (given names, surname) beside the person's id
    assert [(c["person_id"], c["person_name"]) for c in q] == [
        (b["person_id"], "Rahim Noor"), (a["person_id"], "Rahim Ali")]
    assert list(q[0])[:3] == ["id", "person_id", "person_name"]
    # made 1 July, not registered within 5 days: overdue
    assert q[0]["overdue"] is True and q[0]["next_deadline_kind"] == "registration"
    assert [c["id"] for c in world.get("it.caseworker", "/queue", overdue=True).json()] == [b["id"]]
    assert [c["id"] for c in world.get("it.caseworker", "/queue", procedure="border").json()] == [a["id"]]
    assert world.get("de.caseworker", "/queue").json() == []
    assert [(c["id"], c["person_name"]) for c in world.get("it.caseworker", "/queue", limit=1, offset=1).json()
            ] == [(a["id"], "Rahim Ali")]
    assert world.get("it.caseworker", "/queue", limit=0).status_code == 422
    assert world.get("it.caseworker", "/queue", offset=-1).status_code == 422


def test_border_pipeline_capacity_and_indicators(world: World) -> None:
    for name in ("Ali", "Rahman", "Hossain"):
        world.apply("it.caseworker", world.person("it.caseworker", surname=name, nationality="BGD",
                                                  occurred_at="2025-05-01T06:00:00+00:00"))
    pipe = ok(world.get("it.caseworker", "/border-pipeline"))
    assert len(pipe["cases"]) == 3
    assert pipe["cases"][0]["limit_days"] == 84 and pipe["cases"][0]["days_in_procedure"] == 0
    capa = ok(world.get("it.caseworker", "/capacity"))
    it = next(s for s in capa["states"] if s["member_state"] == "IT")
    # Commission Implementing Decision (EU) 2024/2150 fixes Italy's capacity: 8,016 places, 16,032
    # applications in the first year; the only arrivals in 2023-2025 recorded here are Italy's, so
    # the estimate from the platform's records (shown beside it) gives Italy the whole 30,000
    assert it["capacity"] == 8016 and it["annual_maximum"] == 16032 and it["occupancy"] == 3
    assert it["capacity_source"] == "decision"
    assert it["capacity_legal_basis"] == "Commission Implementing Decision (EU) 2024/2150, Article 1"
    assert it["estimate"]["capacity"] == 30000 and it["estimate"]["annual_maximum"] == 60000
    assert capa["parameters"]["capacities_fixed_by"]["act"] == "Commission Implementing Decision (EU) 2024/2150"
    assert "Commission Implementing Decision (EU) 2024/2150" not in capa["parameters"]["legal_basis"]
    with world.services.engine.connect() as conn:
        occ = indicators.compute(conn, "border_procedure_occupancy", world.clock.today())
        apps = indicators.compute(conn, "asylum_applications", world.clock.today())
    assert occ == {"IT": 3} and apps == 3


def test_safe_country_lists_are_maintained_by_authorised_users(world: World) -> None:
    entry = {"scope": "EU", "concept": "safe_country_of_origin", "country": "SEN",
             "valid_from": "2026-09-01", "reference": "Amending act to APR Annex II (test)"}
    assert world.post("it.caseworker", "/safe-countries", entry).status_code == 403
    r = world.post("com.admin", "/safe-countries", {**entry, "country": "QQQ", "reference": ""})
    assert r.status_code == 422
    assert {d["loc"][-1] for d in r.json()["detail"]} == {"country", "reference"}
    assert world.post("com.admin", "/safe-countries", entry).status_code == 201
    body = {"applied_on": "2026-09-02", "member_state": "FR", "context": "in_territory",
            "nationality": "SEN"}
    routed = ok(world.post("it.caseworker", "/routing", body))
    assert "safe_country_of_origin" in routed["grounds"]
    before = ok(world.post("it.caseworker", "/routing", {**body, "applied_on": "2026-08-31"}))
    assert "safe_country_of_origin" not in before["grounds"]


def test_case_shows_the_responsible_state_from_the_dublin_determination(world: World) -> None:
    from sqlalchemy import insert

    from pactum.store.tables.responsibility import dublin_cases

    pid = world.person("de.caseworker", surname="Sultani", nationality="AFG", kind="in_territory_application")
    case = world.apply("de.caseworker", pid, context="in_territory")
    assert ok(world.get("de.caseworker", f"/applications/{case['id']}"))["responsible_state"] is None
    with world.services.engine.begin() as conn:
        conn.execute(insert(dublin_cases).values(
            id="dub_1", reference="DE-2026-0001", person_id=pid, member_state="DE",
            registered_on=world.clock.today(), facts={}, regime="ammr", responsible_member_state="IT",
            criterion="irregular_entry", legal_basis=[], trace=[], created_by="de.dublin",
            created_at=world.clock.now(), version=1))
    shown = ok(world.get("de.caseworker", f"/applications/{case['id']}"))
    assert shown["responsible_state"] == "IT"
    assert shown["responsible_state_source"] == "Dublin case DE-2026-0001 (irregular entry across an external border)"
