"""Responsibility through the API: the determination contract, a case with its explanation, and
the procedure between the German and Italian Dublin units: acceptance, refusal and
re-examination, silence as acceptance at the deadline, transfer, extension and lapse."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pactum.services import indicators, jobs
from pactum.services.auth import Role
from pactum.store.tables.platform import audit_log
from tests.problem_paths import field_path

try:
    from .test_responsibility_support import World, case_body, make_world
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_responsibility_support import World, case_body, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def new_case(world: World, ref: str = "DE-2026-0001", **facts: Any) -> dict[str, Any]:
    r = world.post("de.caseworker", "/cases", case_body(ref, **facts))
    assert r.status_code == 201, r.text
    return r.json()


def send(world: World, case_id: str, **body: Any) -> dict[str, Any]:
    r = world.post("de.dublin", f"/cases/{case_id}/requests", {"kind": "take_charge", **body})
    assert r.status_code == 201, r.text
    return r.json()


def step(world: World, who: str, req: dict[str, Any], action: str, **body: Any) -> Any:
    return world.post(who, f"/requests/{req['id']}/{action}", {"version": req["version"], **body})


def test_determination_contract(world: World) -> None:
    r = world.post("de.caseworker", "/determinations", {
        "application": {"registered_in": "DE", "registered_on": "2026-09-01"},
        "applicant": {"date_of_birth": "2001-05-03", "unaccompanied_minor": False},
        "family_members": [], "documents": [
            {"kind": "visa", "issued_by": "FR", "valid_from": "2026-08-01", "valid_until": "2026-09-30"}],
        "diplomas": [], "entries": [
            {"kind": "irregular_crossing", "member_state": "IT", "on": "2026-03-01"}],
        "stays": [], "relocated_to": None, "security_threat": False})
    assert r.status_code == 200, r.text
    out = r.json()
    assert set(out) == {"responsible_member_state", "regime", "criterion", "legal_basis", "trace"}
    assert out["responsible_member_state"] == "FR" and out["criterion"] == "visa"
    assert out["regime"] == "ammr"
    assert out["legal_basis"] == ["Regulation (EU) 2024/1351, Article 29(2)"]
    rules = [s["rule"] for s in out["trace"]]
    assert rules[0] == "regime" and rules[-1] == "visa"
    assert all(set(s) == {"rule", "legal_basis", "facts", "parameters", "outcome"} for s in out["trace"])


def test_contradictory_facts_are_422_per_field(world: World) -> None:
    r = world.post("de.caseworker", "/determinations", {
        "application": {"registered_in": "DE", "registered_on": "2026-09-01"},
        "documents": [{"kind": "visa", "issued_by": "FR", "valid_from": "2026-08-01",
                       "valid_until": "2026-07-01"}],
        "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-09-05"}]})
    assert r.status_code == 422
    locs = {field_path(d["loc"][1:]): d["msg"] for d in r.json()["detail"]}
    assert locs == {"documents[0].valid_until": "is before valid_from (2026-08-01)",
                    "entries[0].on": "is after the application was registered (2026-09-01)"}


def test_an_application_before_any_responsibility_rules_is_422_on_its_date(world: World) -> None:
    for path in ("/determinations", "/cases"):
        body: dict[str, object] = {"application": {"registered_in": "DE", "registered_on": "2009-05-01"}}
        if path == "/cases":
            body = {"reference": "DE-2009-1", "facts": body}
        r = world.post("de.caseworker", path, body)
        assert r.status_code == 422, r.text
        [problem] = r.json()["detail"]
        assert field_path(problem["loc"]).endswith("application.registered_on") and "2009-05-01" in problem["msg"]


def test_determination_needs_a_login(world: World) -> None:
    r = world.client.post("/api/v1/responsibility/determinations",
                          json={"application": {"registered_in": "DE", "registered_on": "2026-09-01"}})
    assert r.status_code == 401


def test_case_keeps_its_explanation_and_only_germany_sees_it(world: World) -> None:
    case = new_case(world)
    assert case["determination"]["responsible_member_state"] == "IT"
    assert case["determination"]["criterion"] == "irregular_entry"
    assert case["determination"]["trace"][-1]["outcome"].startswith("applies: IT")
    assert world.get("de.dublin", f"/cases/{case['id']}").status_code == 200
    assert world.get("fr.dublin", f"/cases/{case['id']}").status_code == 404
    # a Commission analyst reads the statistics, not the applicant's case file
    assert world.get("com.analyst", f"/cases/{case['id']}").status_code == 403
    assert world.get("com.analyst", "/cases").status_code == 403
    assert world.get("com.analyst", "/statistics").status_code == 200
    # an Italian caseworker cannot record a German application
    r = world.post("it.caseworker", "/cases", case_body("X-1"))
    assert r.status_code == 422 and "registered_in" in r.text
    # a return officer has no business here
    assert world.post("de.returns", "/cases", case_body("X-2")).status_code == 403


def test_take_charge_accepted_then_transferred(world: World) -> None:
    case = new_case(world)
    req = send(world, case["id"], evidence=[{"kind": "eurodac_hit", "description": "IT2 hit, Lampedusa"}])
    assert req["requested_member_state"] == "IT" and req["status"] == "pending"
    # AMMR: reply within 1 month of the request (Art 40(1)): sent 2026-09-01
    assert req["reply_due"] == "2026-10-01"
    # whose deadline it is, as the inbox and outbox said it already: the state asked replies
    assert req["next_deadline"] == {"what": "reply", "on": "2026-10-01", "days_left": 30, "member_state": "IT"}
    inbox = world.get("it.dublin", "/inbox").json()
    assert [r["id"] for r in inbox] == [req["id"]]
    assert world.get("de.dublin", "/outbox").json()[0]["id"] == req["id"]
    assert world.get("fr.dublin", f"/requests/{req['id']}").status_code == 404
    # the requesting state cannot accept its own request
    assert step(world, "de.dublin", req, "accept").status_code == 403
    world.advance(10)
    r = step(world, "it.dublin", req, "accept")
    assert r.status_code == 200, r.text
    req = r.json()
    assert req["status"] == "accepted" and req["accepted_on"] == "2026-09-11"
    assert req["responsible_member_state"] == "IT"
    assert req["transfer_due"] == "2027-03-11"  # 6 months (Art 46(1))
    assert req["transfer_decision_due"] == "2026-09-25"  # 2 weeks (Art 42(1))
    # stale version -> 409
    stale = world.post("de.dublin", f"/requests/{req['id']}/decide_transfer", {"version": 1})
    assert stale.status_code == 409
    req = step(world, "de.dublin", req, "decide_transfer").json()
    r = step(world, "de.dublin", req, "arrange_transfer", planned_on="2027-04-01")
    assert r.status_code == 422 and "planned_on" in r.text
    req = step(world, "de.dublin", req, "arrange_transfer", planned_on="2026-10-05",
               arrangements="Flight FRA-FCO, escort 2").json()
    world.advance(25)
    req = step(world, "de.dublin", req, "complete_transfer", transferred_on="2026-10-05").json()
    assert req["status"] == "transferred" and req["transferred_on"] == "2026-10-05"
    # illegal transition after closing
    assert step(world, "de.dublin", req, "withdraw").status_code == 409
    timeline = world.get("de.dublin", f"/cases/{case['id']}").json()["timeline"]
    assert [t["action"] for t in timeline] == [
        "determined", "sent", "accept", "decide_transfer", "arrange_transfer", "complete_transfer"]
    with world.services.engine.connect() as conn:
        actions = [a for (a,) in conn.execute(select(audit_log.c.action)) if a.startswith("responsibility.")]
    assert "responsibility.accept" in actions and "responsibility.complete_transfer" in actions
    stats = world.get("com.analyst", "/statistics").json()
    assert stats == [{"requesting_member_state": "DE", "requested_member_state": "IT", "requests": 1,
                      "accepted": 1, "refused": 0, "open": 0, "acceptance_rate": 1.0,
                      "transfers": 1, "transfer_rate": 1.0, "average_days_to_transfer": 34.0,
                      "transfers_with_impossible_dates": 0, "contested": 0}]
    assert world.get("com.analyst", "/statistics?year=2026").json() == stats
    for year in ("-1", "99999999999"):  # a year a date cannot hold is named, not a server error
        bad = world.get("com.analyst", f"/statistics?year={year}")
        assert bad.status_code == 422 and "year" in bad.text, bad.text


def test_silence_is_acceptance_on_read_and_by_the_job(world: World) -> None:
    case = new_case(world)
    req = send(world, case["id"])
    other = send(world, new_case(world, "DE-2026-0002")["id"])
    with world.services.engine.connect() as conn:
        assert indicators.compute(conn, "dublin_requests_open", world.clock.today()) == 2
    world.advance(31)  # 2026-10-02: the reply deadline (2026-10-01) has passed
    seen = world.get("it.dublin", f"/requests/{req['id']}").json()
    assert seen["status"] == "accepted_tacitly" and seen["accepted_on"] == "2026-10-01"
    assert seen["transfer_due"] == "2027-04-01"
    assert seen["responsible_member_state"] == "IT"
    # refusing now is too late
    assert step(world, "it.dublin", seen, "refuse", reasons="Not us").status_code == 409
    summary = jobs.load_all()["responsibility.deadlines"].fn(world.services, world.clock.now())
    assert "silence as acceptance: 1" in summary  # the other one; the first was applied on read
    got = world.get("de.dublin", f"/requests/{other['id']}").json()
    assert got["status"] == "accepted_tacitly"
    assert got["timeline"][-1]["action"] == "lapse_reply"


def test_refusal_reexamination_and_its_silence(world: World) -> None:
    case = new_case(world)
    req = send(world, case["id"])
    r = step(world, "it.dublin", req, "refuse")
    assert r.status_code == 422 and "reasons" in r.text
    req = step(world, "it.dublin", req, "refuse", reasons="No Eurodac hit in Italy").json()
    assert req["status"] == "refused"
    world.advance(7)
    req = step(world, "de.dublin", req, "request_reexamination",
               reasons="Eurodac IT2 hit attached").json()
    assert req["status"] == "reexamination_requested"
    assert req["reexamination_due"] == "2026-09-22"  # 2 weeks
    world.advance(15)
    req = world.get("de.dublin", f"/requests/{req['id']}").json()
    assert req["status"] == "refused_final" and req["responsible_member_state"] == "DE"


def test_transfer_extension_and_lapse(world: World) -> None:
    case = new_case(world)
    req = send(world, case["id"])
    req = step(world, "it.dublin", req, "accept").json()
    assert step(world, "de.dublin", req, "extend_transfer").status_code == 422
    req = step(world, "de.dublin", req, "extend_transfer", extension_reason="absconding").json()
    assert req["transfer_due"] == "2029-09-03"  # 3 years (AMMR Art 46(2), unverified) -> Monday
    assert step(world, "de.dublin", req, "extend_transfer",
                extension_reason="imprisonment").status_code == 409
    world.advance(3 * 366 + 5)
    req = world.get("de.dublin", f"/requests/{req['id']}").json()
    assert req["status"] == "responsibility_shifted"
    assert req["responsible_member_state"] == "DE"


def test_wrong_kind_for_regime_and_own_state(world: World) -> None:
    case = new_case(world)
    r = world.post("de.dublin", f"/cases/{case['id']}/requests", {"kind": "take_back"})
    assert r.status_code == 422 and "take_back_notification" in r.text
    r = world.post("de.dublin", f"/cases/{case['id']}/requests",
                   {"kind": "take_charge", "requested_member_state": "DE"})
    assert r.status_code == 422 and "requested_member_state" in r.text
    send(world, case["id"])
    r = world.post("de.dublin", f"/cases/{case['id']}/requests", {"kind": "take_charge"})
    assert r.status_code == 409


def test_late_take_charge_request_is_refused(world: World) -> None:
    # registered 2026-07-10, AMMR: request within 2 months -> by 2026-09-10
    case = new_case(world, application={"registered_in": "DE", "registered_on": "2026-07-10"})
    world.advance(20)
    r = world.post("de.dublin", f"/cases/{case['id']}/requests", {"kind": "take_charge"})
    assert r.status_code == 409 and "DE is responsible" in r.text


def test_cessation_through_the_api(world: World) -> None:
    r = world.post("de.dublin", "/cessation", {
        "registered_on": "2026-09-01", "responsible_member_state": "IT", "on": "2026-10-01",
        "events": [{"kind": "discretionary_clause", "on": "2026-09-20", "member_state": "DE"}]})
    assert r.status_code == 200, r.text
    assert r.json()["responsible_member_state"] == "DE"
    assert r.json()["legal_basis"] == ["Regulation (EU) 2024/1351, Article 35(1)",
                                       "Regulation (EU) 2024/1351, Article 37(1)"]
    bad = world.post("de.dublin", "/cessation", {
        "registered_on": "2026-09-01", "responsible_member_state": "IT", "on": "2026-10-01",
        "events": [{"kind": "returned", "on": "2026-08-01"}]})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "events", 0, "on"]


def test_humanitarian_clause_request_has_no_tacit_acceptance(world: World) -> None:
    case = new_case(world)
    r = world.post("de.dublin", f"/cases/{case['id']}/requests", {"kind": "humanitarian"})
    assert r.status_code == 422 and "requested_member_state" in r.text
    req = send(world, case["id"], kind="humanitarian", requested_member_state="FR",
               consented_in_writing_on="2026-08-25", evidence=[{"kind": "family_link", "description": "Brother in Lyon, cultural grounds"}])
    assert req["reply_due"] == "2026-11-02"  # 2 months (Art 35(2), unverified) -> Monday
    world.advance(70)
    got = world.get("fr.dublin", f"/requests/{req['id']}").json()
    assert got["status"] == "pending"  # silence is not acceptance under the humanitarian clause
    assert got["next_deadline"]["days_left"] < 0
    assert set(got["your_actions"]) == {"accept", "refuse"}
    got = step(world, "fr.dublin", got, "accept").json()
    assert got["status"] == "accepted" and got["responsible_member_state"] == "FR"


def test_suspensive_appeal_stops_the_transfer_period_and_restarts_it_from_the_final_decision(
        world: World) -> None:
    """AMMR Art 46(1) (Dublin III Art 29(1)): six months from the acceptance "or of the final
    decision on an appeal or review where there is a suspensive effect"."""
    from datetime import date

    from pactum.law import time_limit

    req = send(world, new_case(world)["id"])
    req = step(world, "it.dublin", req, "accept").json()
    assert req["transfer_due"] == "2027-03-01"
    # an appeal lies against the transfer decision: none yet
    assert step(world, "de.dublin", req, "record_appeal", appeal_lodged_on="2026-09-01",
                suspensive_effect=True).status_code == 409
    req = step(world, "de.dublin", req, "decide_transfer").json()
    assert "record_appeal" in req["your_actions"]
    world.advance(20)  # 2026-09-21
    r = step(world, "de.dublin", req, "record_appeal", appeal_lodged_on="2026-09-20")
    assert r.status_code == 422 and "suspensive_effect" in r.text
    r = step(world, "de.dublin", req, "record_appeal", appeal_lodged_on="2026-08-30",
             suspensive_effect=True)
    assert r.status_code == 422 and "appeal_lodged_on" in r.text  # before the transfer decision
    assert step(world, "it.dublin", req, "record_appeal", appeal_lodged_on="2026-09-20",
                suspensive_effect=True).status_code == 403
    req = step(world, "de.dublin", req, "record_appeal", appeal_lodged_on="2026-09-20",
               suspensive_effect=True).json()
    assert req["transfer_due"] is None and req["next_deadline"] is None
    assert req["deadlines"]["transfer"]["period"] == "suspended pending the appeal"
    assert req["your_actions"] == ["withdraw", "decide_appeal"]
    assert step(world, "de.dublin", req, "complete_transfer").status_code == 409
    assert step(world, "de.dublin", req, "arrange_transfer",
                planned_on="2026-10-01").status_code == 409
    assert step(world, "de.dublin", req, "extend_transfer",
                extension_reason="absconding").status_code == 409
    # the original six months pass while the court decides: nothing lapses, by the job or on read
    world.advance(200)  # 2027-04-09
    summary = jobs.load_all()["responsibility.deadlines"].fn(world.services, world.clock.now())
    assert "transfer lapsed: 0" in summary
    req = world.get("de.dublin", f"/requests/{req['id']}").json()
    assert req["status"] == "transfer_decided" and req["responsible_member_state"] == "IT"
    r = step(world, "de.dublin", req, "decide_appeal", appeal_decided_on="2026-09-19")
    assert r.status_code == 422 and "appeal_decided_on" in r.text  # before it was lodged
    req = step(world, "de.dublin", req, "decide_appeal", appeal_decided_on="2027-04-08",
               reasons="Appeal dismissed").json()
    want = time_limit("transfer", event_at=date(2027, 4, 8), member_state="DE",
                      application_registered_on=date(2026, 9, 1)).ends_on
    assert req["transfer_due"] == want.isoformat() == "2027-10-08"  # six months from the decision
    assert req["deadlines"]["transfer"]["computation"][0].startswith(
        "Runs from the final decision on the appeal")
    assert "Regulation (EU) 2024/1351, Article 46(1)" in req["deadlines"]["transfer"]["legal_basis"]
    assert req["next_deadline"]["what"] == "transfer" and req["appeal_decided_on"] == "2027-04-08"
    assert step(world, "de.dublin", req, "decide_appeal",
                appeal_decided_on="2027-04-08").status_code == 409
    timeline = [t["action"] for t in world.get("de.dublin", f"/requests/{req['id']}").json()["timeline"]]
    assert timeline[-2:] == ["record_appeal", "decide_appeal"]
    # the new period is honoured by the sweep: it lapses the day after 2027-10-08
    world.advance(182)  # 2027-10-08
    assert world.get("de.dublin", f"/requests/{req['id']}").json()["status"] == "transfer_decided"
    world.advance(1)
    got = world.get("de.dublin", f"/requests/{req['id']}").json()
    assert got["status"] == "responsibility_shifted" and got["closed_on"] == "2027-10-08"
    assert got["responsible_member_state"] == "DE"


def test_appeal_without_suspensive_effect_leaves_the_period_running(world: World) -> None:
    req = send(world, new_case(world)["id"])
    req = step(world, "it.dublin", req, "accept").json()
    req = step(world, "de.dublin", req, "decide_transfer").json()
    req = step(world, "de.dublin", req, "record_appeal", appeal_lodged_on="2026-09-01",
               suspensive_effect=False).json()
    assert req["transfer_due"] == "2027-03-01" and req["appeal_suspensive"] is False
    assert step(world, "de.dublin", req, "record_appeal", appeal_lodged_on="2026-09-01",
                suspensive_effect=True).status_code == 409  # already recorded
    # the transfer may go ahead while the court decides
    req = step(world, "de.dublin", req, "arrange_transfer", planned_on="2026-12-01").json()
    assert req["status"] == "transfer_arranged"
    world.advance(30)
    req = step(world, "de.dublin", world.get("de.dublin", f"/requests/{req['id']}").json(),
               "decide_appeal", appeal_decided_on="2026-09-30").json()
    assert req["transfer_due"] == "2027-03-01"  # unchanged: the period never stopped
    world.advance(182)  # 2027-03-02
    got = world.get("de.dublin", f"/requests/{req['id']}").json()
    assert got["status"] == "responsibility_shifted" and got["closed_on"] == "2027-03-01"


def test_extension_after_a_suspensive_appeal_counts_from_the_final_decision(world: World) -> None:
    from datetime import date

    from pactum.law import time_limit

    req = send(world, new_case(world)["id"])
    req = step(world, "it.dublin", req, "accept").json()
    req = step(world, "de.dublin", req, "decide_transfer").json()
    req = step(world, "de.dublin", req, "record_appeal", appeal_lodged_on="2026-09-01",
               suspensive_effect=True).json()
    world.advance(60)  # 2026-10-31
    req = step(world, "de.dublin", world.get("de.dublin", f"/requests/{req['id']}").json(),
               "decide_appeal", appeal_decided_on="2026-10-30").json()
    req = step(world, "de.dublin", req, "extend_transfer", extension_reason="imprisonment").json()
    want = time_limit("transfer_extended_imprisonment", event_at=date(2026, 10, 30),
                      member_state="DE", application_registered_on=date(2026, 9, 1)).ends_on
    assert req["transfer_due"] == want.isoformat()
    assert want > date(2027, 10, 29)  # one year from the final decision, not from the acceptance


def test_case_files_are_read_by_the_states_asylum_and_dublin_officers_only(world: World) -> None:
    # analysts read statistics, the auditor the audit log, administrators the users: no case file,
    # not even their own state's (Dublin III Art 34; AMMR Art 48)
    case = new_case(world, "DE-ACL-1")
    req = send(world, case["id"])
    world.user("de.analyst", "DE", Role.analyst)
    world.user("de.admin", "DE", Role.admin)
    world.user("de.auditor", "DE", Role.auditor)
    world.user("eu.admin", "EU-LISA", Role.admin)
    world.user("eu.auditor", "EU-LISA", Role.auditor)
    for who in ("de.analyst", "de.admin", "de.auditor", "eu.admin", "eu.auditor"):
        assert world.get(who, f"/cases/{case['id']}").status_code == 403, who
        assert world.get(who, "/cases").status_code == 403, who
        assert world.get(who, f"/requests/{req['id']}").status_code == 403, who
        assert world.get(who, "/inbox").status_code == 403, who
    assert world.get("de.analyst", "/statistics").status_code == 200
    assert world.get("de.caseworker", f"/cases/{case['id']}").status_code == 200


def test_a_state_asked_sees_its_own_requests_on_the_case_not_those_to_third_states(world: World) -> None:
    case = new_case(world, "DE-ACL-2")
    to_it = send(world, case["id"])
    refused = step(world, "it.dublin", to_it, "refuse", reasons="No trace of the entry")
    assert refused.status_code == 200
    # one request at a time on a case (QA19 finding 1): the refusal is accepted before asking FR
    assert step(world, "de.dublin", refused.json(), "accept_refusal").status_code == 200
    to_fr = send(world, case["id"], kind="humanitarian", requested_member_state="FR",
                 consented_in_writing_on="2026-08-25")
    seen_by_it = world.get("it.dublin", f"/cases/{case['id']}").json()
    assert [r["id"] for r in seen_by_it["requests"]] == [to_it["id"]]
    assert {e.get("request_id") for e in seen_by_it["timeline"]} <= {None, to_it["id"]}
    assert "FR" not in seen_by_it["responsible_now"]["reason"]
    seen_by_fr = world.get("fr.dublin", f"/cases/{case['id']}").json()
    assert [r["id"] for r in seen_by_fr["requests"]] == [to_fr["id"]]
    assert world.get("it.dublin", f"/requests/{to_fr['id']}").status_code == 404
    # the state that recorded the case sees both
    assert len(world.get("de.dublin", f"/cases/{case['id']}").json()["requests"]) == 2


def test_bad_input_on_cases_and_boxes_is_named(world: World) -> None:
    case = new_case(world, "DE-BAD-1")
    again = world.post("de.caseworker", "/cases", case_body("DE-BAD-1"))
    assert again.status_code == 409 and case["id"] in again.text
    late = world.post("de.caseworker", "/cases", case_body(
        "DE-BAD-2", diplomas=[{"issued_by": "FR", "issued_on": "2026-08-25"}]))
    assert late.status_code == 422
    assert late.json()["detail"] == [{"loc": ["body", "diplomas", 0, "issued_on"], "type": "value_error",
                                      "msg": "is after the application was registered (2026-08-20): "
                                             "not a diploma the applicant held then"}]
    bogus = world.get("de.dublin", "/inbox?status=bogus")
    assert bogus.status_code == 422 and "unknown status 'bogus'" in bogus.text


def test_requests_awaiting_a_reply_on_a_past_day_are_those_awaiting_then(world: World) -> None:
    """The indicator behind the weekly report's "Dublin requests awaiting a reply" counts, for a past
    day, the requests that were awaiting then: one answered since still counts on that day, one
    refused that day does not, and one whose re-examination was asked counts again while it runs."""
    sent_on = world.clock.today()
    answered = send(world, new_case(world)["id"])
    refused = send(world, new_case(world, "DE-2026-0002")["id"])
    world.advance(3)
    refused = step(world, "it.dublin", refused, "refuse", reasons="No Eurodac hit in Italy").json()
    world.advance(4)
    refused = step(world, "de.dublin", refused, "request_reexamination", reasons="Eurodac IT2 hit attached").json()
    world.advance(3)
    step(world, "it.dublin", answered, "accept").json()
    day = timedelta(days=1)

    def awaiting(on: date) -> int:
        with world.services.engine.connect() as conn:
            return int(indicators.compute(conn, "dublin_requests_open", on))

    assert awaiting(sent_on) == 2
    assert awaiting(sent_on + 3 * day) == 1  # the refusal that day: only the other awaits
    assert awaiting(sent_on + 7 * day) == 2  # the re-examination asked: awaiting again
    assert awaiting(sent_on + 10 * day) == 1  # the other accepted today
    assert awaiting(sent_on - day) == 0  # before anything was sent
