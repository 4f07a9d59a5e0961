"""QA walk 19 "responsibility / Dublin": one state responsible per case, an adult child is not a
family member, a take back instead of a take charge, the humanitarian clause's articles, the
determination kept under the discretionary clause, a new transfer decision after an appeal, a
backdated clause, the take-back notification's wording and an implausible hit date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pactum.common.clock import FixedClock
from pactum.common.errors import Conflict, ValidationProblem
from pactum.responsibility.cessation import DiscretionaryClause
from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

Who = Callable[[str], Principal]
API = "/api/v1/responsibility"
D3 = "Regulation (EU) No 604/2013"
AMMR = "Regulation (EU) 2024/1351"


def _case(services: Services, who: Principal, ref: str, registered_on: str = "2026-11-02",
          **facts: Any) -> dict[str, Any]:
    """A German application; by default an irregular crossing into Italy makes Italy responsible."""
    body: dict[str, Any] = {"application": {"registered_in": "DE", "registered_on": registered_on},
                            "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-05-01"}]}
    body.update(facts)
    return responsibility.create_case(services, who, CaseCreate.model_validate(
        {"reference": ref, "applicant_name": "Samir Haddad", "facts": body}))


def _send(services: Services, principal: Who, case: dict[str, Any], **body: Any) -> dict[str, Any]:
    return responsibility.send_request(services, principal("de-dublin"), case["id"],
                                       RequestCreate.model_validate({"kind": "take_charge", **body}))


def _act(services: Services, who: Principal, req: dict[str, Any], action: str, **body: Any) -> dict[str, Any]:
    return responsibility.act(services, who, req["id"], action, RequestAction.model_validate(
        {"version": req["version"], **body}))


def _move(services: Services, day: date) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime.combine(day, time(12, 0), tzinfo=clock.now().tzinfo))


# --- 1: one case, one state that accepted ------------------------------------------------------


def test_a_second_request_while_one_is_running_is_refused(services: Services, principal: Who) -> None:
    case = _case(services, principal("de-dublin"), "QA19-1")
    assert (case["determination"]["responsible_member_state"], case["determination"]["legal_basis"]) == (
        "IT", [f"{AMMR}, Article 33(1)"])
    to_fr = _send(services, principal, case, requested_member_state="FR", criterion="visa")
    with pytest.raises(Conflict) as exc:
        _send(services, principal, case, requested_member_state="IT", eurodac_hit=True, hit_on="2026-11-05")
    assert str(exc.value) == (
        f"case QA19-1 already has a take-charge request to FR that is awaiting reply ({to_fr['id']}): only one "
        f"Member State examines an application ({AMMR}, Article 16(1)); wait for its outcome or withdraw it "
        "before asking another state")
    # once FR accepted, FR is responsible: asking IT is still refused
    accepted = _act(services, principal("fr-dublin"), to_fr, "accept")
    with pytest.raises(Conflict, match=r"that is accepted .*FR is responsible: withdraw it before asking"):
        _send(services, principal, case, requested_member_state="IT")
    # withdrawn, the way is free
    _act(services, principal("de-dublin"), accepted, "withdraw")
    to_it = _send(services, principal, case, requested_member_state="IT")
    assert to_it["status"] == "pending"


def test_the_second_request_is_a_409_through_the_api(services: Services, principal: Who, client: TestClient,
                                                     auth_headers: Callable[[str], dict[str, str]]) -> None:
    case = _case(services, principal("de-dublin"), "QA19-1B", registered_on="2026-03-01",  # Dublin III
                 entries=[{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-02-01"}])
    _send(services, principal, case, kind="humanitarian", requested_member_state="FR",
          consented_in_writing_on="2026-03-01")
    r = client.post(f"{API}/cases/{case['id']}/requests", headers=auth_headers("de-dublin"),
                    json={"kind": "take_charge", "requested_member_state": "IT"})
    assert r.status_code == 409, r.text
    assert f"({D3}, Article 3(1))" in r.json()["detail"]


# --- 2: an adult child is not a family member ------------------------------------------------------


@pytest.mark.parametrize(("registered_on", "regime", "basis"), [
    ("2026-09-01", "ammr", f"{AMMR}, Article 16(2)"),
    ("2026-03-01", "dublin_iii", f"{D3}, Article 3(2)")])
def test_an_adult_child_is_not_a_family_member(client: TestClient, auth_headers: Callable[[str], dict[str, str]],
                                               registered_on: str, regime: str, basis: str) -> None:
    body = {"application": {"registered_in": "DE", "registered_on": registered_on},
            "applicant": {"date_of_birth": "1970-01-01"},
            "family_members": [{"relation": "child", "member_state": "SE", "status": "beneficiary_of_protection",
                                "wishes_in_writing": True, "date_of_birth": "1995-01-01"}]}
    r = client.post(f"{API}/determinations", headers=auth_headers("de-dublin"), json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["responsible_member_state"], got["regime"], got["criterion"], got["legal_basis"]) == (
        "DE", regime, "first_application", [basis])
    step = next(s for s in got["trace"] if s["rule"] == "family_members_not_considered")
    assert step["facts"]["not_considered"] == [
        f"child in SE (beneficiary of protection): a child born on 1995-01-01 was 31 on {registered_on}, not a "
        "minor: only a minor unmarried child is a family member for these criteria"]
    # the same child as an applicant (Art 10 / 27) is not one either
    body["family_members"][0]["status"] = "applicant"  # type: ignore[index]
    assert client.post(f"{API}/determinations", headers=auth_headers("de-dublin"),
                       json=body).json()["criterion"] == "first_application"
    # a minor child still is
    body["family_members"][0].update(status="beneficiary_of_protection", date_of_birth="2012-01-01")  # type: ignore[index]
    minor = client.post(f"{API}/determinations", headers=auth_headers("de-dublin"), json=body).json()
    assert (minor["responsible_member_state"], minor["criterion"]) == ("SE", "family_beneficiary")


def test_an_adult_child_applying_together_does_not_make_a_family_procedure(
        client: TestClient, auth_headers: Callable[[str], dict[str, str]]) -> None:
    body = {"application": {"registered_in": "DE", "registered_on": "2026-09-01"},
            "applicant": {"date_of_birth": "1970-01-01"},
            "family_members": [{"relation": "child", "member_state": "DE", "status": "applicant",
                                "applied_together": True, "responsible_member_state": "IT",
                                "date_of_birth": "1990-01-01"}]}
    got = client.post(f"{API}/determinations", headers=auth_headers("de-dublin"), json=body).json()
    assert (got["responsible_member_state"], got["criterion"]) == ("DE", "first_application")
    step = next(s for s in got["trace"] if s["rule"] == "family_members_not_considered")
    assert step["facts"]["not_considered"][0].endswith("(nor for the family procedure)")
    assert f"{AMMR}, Article 28" in step["legal_basis"]


def test_an_adult_child_still_counts_for_the_dependency(client: TestClient,
                                                        auth_headers: Callable[[str], dict[str, str]]) -> None:
    body = {"application": {"registered_in": "DE", "registered_on": "2026-09-01"},
            "applicant": {"date_of_birth": "1950-01-01"},
            "dependency": {"relation": "child", "member_state": "SE", "reason": "old_age", "wishes_in_writing": True}}
    got = client.post(f"{API}/determinations", headers=auth_headers("de-dublin"), json=body).json()
    assert (got["responsible_member_state"], got["criterion"], got["legal_basis"]) == (
        "SE", "dependent_persons", [f"{AMMR}, Article 34(1)"])


# --- 3: a take back, not a take charge, where the person applied before -----------------------------


@pytest.mark.parametrize(("registered_on", "earlier_on", "kind", "basis", "grounds"), [
    ("2026-11-10", "2026-08-01", "take_back_notification", f"{AMMR}, Article 36(1)(b), Article 41",
     "indicated_responsible_in_eurodac, admitted_person, during_determination, relocation_confirmed"),
    ("2026-06-20", "2026-04-01", "take_back",
     f"{D3}, Article 18(1)(b)-(d), Articles 23 to 25; CJEU, Joined Cases C-582/17 and C-583/17 H. and R.",
     "application_under_examination, application_withdrawn, application_rejected, withdrawn_during_determination")])
def test_a_take_charge_to_the_state_of_an_earlier_application_is_refused_naming_the_take_back(
        services: Services, principal: Who, registered_on: str, earlier_on: str, kind: str, basis: str,
        grounds: str) -> None:
    case = _case(services, principal("de-dublin"), f"QA19-3-{kind}", registered_on=registered_on, entries=[],
                 earlier_applications=[{"member_state": "IT", "registered_on": earlier_on}])
    assert (case["determination"]["responsible_member_state"], case["determination"]["criterion"]) == (
        "IT", "first_application")
    with pytest.raises(ValidationProblem) as exc:
        _send(services, principal, case)
    what = "take-back request" if kind == "take_back" else "take-back notification"
    assert exc.value.problems == [("kind", (
        f"the person applied for international protection in IT on {earlier_on}: IT takes the person back, it "
        f"does not take charge of them ({basis}); send a {what} (kind {kind}) with its take-back ground ({grounds})"))]
    ground = "indicated_responsible_in_eurodac" if kind == "take_back_notification" else "application_under_examination"
    back = _send(services, principal, case, kind=kind, take_back_ground=ground, hit_on="2026-11-20",
                 **({} if kind == "take_back_notification" else {"eurodac_hit": True}))
    assert back["kind"] == kind


# --- 4: the humanitarian clause's articles ------------------------------------------------------------


@pytest.mark.parametrize(("registered_on", "basis"), [("2026-06-20", [f"{D3}, Article 17(2)"]),
                                                      ("2026-11-02", [f"{AMMR}, Article 35(2)"])])
def test_an_accepted_humanitarian_request_cites_the_humanitarian_clause(
        services: Services, principal: Who, registered_on: str, basis: list[str]) -> None:
    case = _case(services, principal("de-dublin"), f"QA19-4-{registered_on}", registered_on=registered_on)
    req = _send(services, principal, case, kind="humanitarian", requested_member_state="SE",
                consented_in_writing_on=registered_on)
    _act(services, principal("se-dublin"), req, "accept")
    now = responsibility.get_case(services, principal("de-dublin"), case["id"])["responsible_now"]
    assert (now["member_state"], now["rule"], now["legal_basis"]) == ("SE", "accepted", basis)


def test_an_accepted_take_back_cites_the_take_back_reply(services: Services, principal: Who) -> None:
    case = _case(services, principal("de-dublin"), "QA19-4-TB", registered_on="2026-06-20", entries=[],
                 earlier_applications=[{"member_state": "IT", "registered_on": "2026-04-01"}])
    req = _send(services, principal, case, kind="take_back", take_back_ground="application_rejected",
                eurodac_hit=True, hit_on="2026-11-20")
    _act(services, principal("it-dublin"), req, "accept")
    now = responsibility.get_case(services, principal("de-dublin"), case["id"])["responsible_now"]
    assert now["legal_basis"] == [f"{D3}, Article 25(1)"]


# --- 5: the determination is kept under the discretionary clause -------------------------------------


def test_the_discretionary_clause_leaves_the_determination_as_made(services: Services, principal: Who,
                                                                   web_client: Callable[[str], TestClient]) -> None:
    case = _case(services, principal("de-caseworker"), "QA19-5")
    got = responsibility.apply_discretionary_clause(services, principal("de-caseworker"), case["id"],
                                                    DiscretionaryClause.model_validate(
                                                        {"version": case["version"], "on": "2026-11-15",
                                                         "reasons": "Family ties in Germany"}))
    d = got["determination"]
    assert (d["responsible_member_state"], d["criterion"], d["legal_basis"]) == (
        "IT", "irregular_entry", [f"{AMMR}, Article 33(1)"])
    assert (got["responsible_now"]["member_state"], got["responsible_now"]["rule"]) == ("DE", "discretionary_clause")
    assert got["responsible_now"]["legal_basis"] == [f"{AMMR}, Article 35(1)", f"{AMMR}, Article 37(1)"]
    assert got["discretionary_clause"]["determined"] == "IT"
    page = web_client("de-caseworker").get(f"/responsibility/cases/{case['id']}").text
    determined = page.split("Originally determined:", 1)[1].split("</p>", 1)[0]
    assert "Article 33(1)" in determined and "Article 35(1)" not in determined
    # a take charge no longer lies, and the clause cannot be applied twice
    with pytest.raises(Conflict, match="discretionary clause"):
        _send(services, principal, got)
    with pytest.raises(Conflict, match="already responsible"):
        responsibility.apply_discretionary_clause(services, principal("de-caseworker"), case["id"],
                                                  DiscretionaryClause.model_validate(
                                                      {"version": got["version"], "reasons": "again"}))


# --- 6: a new transfer decision after the appeal, and an appeal against it -----------------------------


def test_a_new_transfer_decision_after_the_appeal_can_be_recorded_and_appealed(
        services: Services, principal: Who) -> None:
    de, it = principal("de-dublin"), principal("it-dublin")
    case = _case(services, de, "QA19-6")
    req = _act(services, de, _act(services, it, _send(services, principal, case), "accept"), "decide_transfer")
    assert req["transfer_due"] == "2027-05-28"
    req = _act(services, de, req, "record_appeal", appeal_lodged_on="2026-11-28", suspensive_effect=True)
    _move(services, date(2026, 12, 10))
    req = _act(services, de, req, "decide_appeal", appeal_decided_on="2026-12-10",
               reasons="transfer decision annulled")
    assert req["transfer_due"] == "2027-06-10" and "decide_transfer" in req["your_actions"]
    with pytest.raises(Conflict) as exc:
        _act(services, de, req, "record_appeal", appeal_lodged_on="2026-12-10", suspensive_effect=True)
    assert str(exc.value) == (
        "the appeal lodged on 2026-11-28 against the transfer decision of 2026-11-28 was finally decided on "
        "2026-12-10: one appeal is recorded per transfer decision; record the new transfer decision "
        "(decide_transfer), against which an appeal may be recorded")
    _move(services, date(2026, 12, 15))
    new = _act(services, de, req, "decide_transfer")
    assert (new["status"], new["transfer_decided_on"], new["appeal_lodged_on"]) == (
        "transfer_decided", "2026-12-15", None)
    assert new["transfer_due"] == "2027-06-10"  # still from the final decision on the appeal
    assert new["timeline"][-1]["details"]["previous_decision"] == "2026-11-28"
    # the period extended later still runs from the final decision on the suspensive appeal
    again = _act(services, de, new, "record_appeal", appeal_lodged_on="2026-12-15", suspensive_effect=False)
    assert again["appeal_lodged_on"] == "2026-12-15" and again["transfer_due"] == "2027-06-10"
    longer = _act(services, de, again, "extend_transfer", extension_reason="absconding")
    assert longer["transfer_due"] == "2029-12-10"  # AMMR: three years from 2026-12-10


def test_a_second_appeal_while_the_first_is_pending_says_it_is_one_appeal(services: Services,
                                                                          principal: Who) -> None:
    de, it = principal("de-dublin"), principal("it-dublin")
    req = _act(services, de, _act(services, it, _send(services, principal, _case(services, de, "QA19-6B")),
                                  "accept"), "decide_transfer")
    req = _act(services, de, req, "record_appeal", appeal_lodged_on="2026-11-28", suspensive_effect=True)
    with pytest.raises(Conflict, match="one appeal is recorded per transfer decision, with the final decision"):
        _act(services, de, req, "record_appeal", appeal_lodged_on="2026-11-28", suspensive_effect=True)
    with pytest.raises(Conflict, match="a new transfer decision is recorded only after the final decision"):
        _act(services, de, req, "decide_transfer")


# --- 7: the clause is not backdated before the state's own acts ---------------------------------------


def test_the_clause_cannot_be_dated_before_the_states_own_latest_act(services: Services, principal: Who) -> None:
    de = principal("de-dublin")
    case = _case(services, de, "QA19-7")
    req = _act(services, de, _act(services, principal("it-dublin"), _send(services, principal, case), "accept"),
               "decide_transfer")
    _act(services, de, req, "arrange_transfer", planned_on="2026-12-10")
    case = responsibility.get_case(services, de, case["id"])
    with pytest.raises(ValidationProblem) as exc:
        responsibility.apply_discretionary_clause(services, principal("de-caseworker"), case["id"],
                                                  DiscretionaryClause.model_validate(
                                                      {"version": case["version"], "on": "2026-11-15",
                                                       "reasons": "Family ties in Germany"}))
    assert exc.value.problems == [("on", (
        f"2026-11-15 is before DE's own latest act on this case's requests (arrange transfer on 2026-11-28, "
        f"request {req['id']}): a state that decided to examine the application would not have acted on its "
        "requests after it; give the day it decided"))]
    got = responsibility.apply_discretionary_clause(services, principal("de-caseworker"), case["id"],
                                                    DiscretionaryClause.model_validate(
                                                        {"version": case["version"], "on": "2026-11-28",
                                                         "reasons": "Family ties in Germany"}))
    assert got["responsible_now"]["member_state"] == "DE"


# --- 9: a take-back notification awaits confirmation ---------------------------------------------------


def test_a_take_back_notification_awaits_confirmation_not_a_reply(
        services: Services, principal: Who, client: TestClient,
        auth_headers: Callable[[str], dict[str, str]]) -> None:
    case = _case(services, principal("de-dublin"), "QA19-9", registered_on="2026-11-10", entries=[],
                 earlier_applications=[{"member_state": "IT", "registered_on": "2026-08-01"}])
    req = _send(services, principal, case, kind="take_back_notification",
                take_back_ground="indicated_responsible_in_eurodac", hit_on="2026-11-20")
    assert req["status_label"] == "awaiting confirmation"
    assert req["next_deadline"]["what"] == "confirmation"
    box = client.get(f"{API}/inbox", headers=auth_headers("it-dublin")).json()
    row = next(r for r in box if r["id"] == req["id"])
    assert (row["status_label"], row["next_deadline"]["what"]) == ("awaiting confirmation", "confirmation")
    csv_text = client.get(f"{API}/inbox.csv", headers=auth_headers("it-dublin")).text
    assert "awaiting confirmation" in csv_text and "awaiting reply" not in csv_text
    # a take charge still awaits a reply
    other = _send(services, principal, _case(services, principal("de-dublin"), "QA19-9B"))
    assert (other["status_label"], other["next_deadline"]["what"]) == ("awaiting reply", "reply")


# --- 10: a hit before the application is a typing error -----------------------------------------------


@pytest.mark.parametrize(("registered_on", "what", "basis"), [
    ("2026-11-02", "registered", "Regulation (EU) 2024/1358, Article 15(1)(a)"),
    ("2026-06-20", "lodged", "Regulation (EU) No 603/2013, Article 9(1)")])
def test_a_hit_dated_before_the_application_is_refused_on_hit_on(
        services: Services, principal: Who, client: TestClient, auth_headers: Callable[[str], dict[str, str]],
        registered_on: str, what: str, basis: str) -> None:
    case = _case(services, principal("de-dublin"), f"QA19-10-{what}", registered_on=registered_on)
    r = client.post(f"{API}/cases/{case['id']}/requests", headers=auth_headers("de-dublin"),
                    json={"kind": "take_charge", "eurodac_hit": True, "hit_on": "2020-01-01"})
    assert r.status_code == 422, r.text
    problems = r.json()["detail"]
    assert [p["loc"][-1] for p in problems] == ["hit_on"]
    assert problems[0]["msg"] == (
        f"2020-01-01 is before the application was {what} ({registered_on}): the hit answers the comparison of "
        f"the applicant's data, transmitted once the application was {what} ({basis}); check the date")
