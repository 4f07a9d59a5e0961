"""QA walk 19, returns: a readmission answer counts for the destination it was sent to; one open
return decision (and alert) per person; an executing state's departure not before its hit or its
recognition; no decision dated before the person was known; the date of a grant on appeal; the
pre-Pact border procedure's words and the pre-Pact basis of a decision issued with a rejection;
a withdrawal closes the AVR case and the seat, a suspension is shown on the seat; one operation at a
time; a reason of blanks is no reason; the Art 10(2) handover only for an unaccompanied minor."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from pactum.services import procedures
from pactum.store.tables.returns import return_alerts, return_decisions

try:
    from .test_returns_support import World, asylum_case, make_world, patch, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import World, asylum_case, make_world, patch, post  # type: ignore[no-redef]

API = "/api/v1/returns"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)




def get(world: World, officer: str, path: str) -> Any:
    r = world.client.get(f"{API}{path}", headers=world.headers(officer))
    assert r.status_code == 200, r.text
    return r.json()


def issue(world: World, officer: str, person_id: str, **body: Any) -> dict[str, Any]:
    r = post(world, officer, "/decisions", {"person_id": person_id, "issued_on": "2026-08-20", **body})
    assert r.status_code == 201, r.text
    return r.json()


def codes(decision: dict[str, Any]) -> list[str]:
    return [o["code"] for o in decision["obstacles"]]


# --------------------------------------------------------------------------- 1: readmission per destination


def test_a_readmission_answer_counts_only_for_the_destination_it_was_sent_to(world: World) -> None:
    person = world.person("it.returns", surname="Uddin", nationality="BGD", document=False)
    d = issue(world, "it.returns", person, voluntary_departure_days=7)
    sent = post(world, "it.returns", "/readmission-requests", {"return_decision_id": d["id"], "sent_on": "2026-08-25"})
    assert sent.status_code == 201, sent.text
    assert sent.json()["destination_country"] == "BGD"
    assert "readmission_pending" in codes(get(world, "it.returns", f"/decisions/{d['id']}"))
    # the destination changes: Bangladesh's pending request no longer stands in the way of a return to Pakistan
    r = post(world, "it.returns", f"/decisions/{d['id']}/destination",
             {"version": 1, "destination_country": "PAK", "issued_on": "2026-08-28",
              "reasons": "the person lived in Pakistan", "remedies": "appeal to the court"})
    assert r.status_code == 200, r.text
    assert "readmission_pending" not in codes(r.json())
    # the amended decision grants its own period, from 28 August (Directive 2008/115/EC Art 7(1)): running
    assert r.json()["voluntary_departure_last_day"] == "2026-09-04"
    # a request to the new destination can be sent; a second one to it is refused
    pak = post(world, "it.returns", "/readmission-requests", {"return_decision_id": d["id"], "sent_on": "2026-08-30"})
    assert pak.status_code == 201, pak.text
    assert pak.json()["destination_country"] == "PAK"
    again = post(world, "it.returns", "/readmission-requests", {"return_decision_id": d["id"], "sent_on": "2026-08-31"})
    assert again.status_code == 409
    assert again.json()["detail"] == (f"a readmission request for this decision to PAK is already pending "
                                      f"({pak.json()['id']})")
    # Bangladesh accepts: it confirms neither identity nor a travel document for the return to Pakistan
    r = post(world, "it.returns", f"/readmission-requests/{sent.json()['id']}/answer",
             {"accepted": True, "answered_on": "2026-08-31"})
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text
    now = get(world, "it.returns", f"/decisions/{d['id']}")
    assert now["identity_confirmed"] is False and now["travel_document"] is False
    assert codes(now) == ["voluntary_departure_running", "identity_not_confirmed", "no_travel_document",
                          "readmission_pending"]
    (group,) = [g for g in get(world, "it.returns", "/queue") if g["destination_country"] == "PAK"]
    (item,) = group["decisions"]
    assert item["enforceable_now"] is False
    assert [o["code"] for o in item["obstacles"]] == ["voluntary_departure_running", "identity_not_confirmed",
                                                        "no_travel_document", "readmission_pending"]
    # Pakistan's acceptance does
    r = post(world, "it.returns", f"/readmission-requests/{pak.json()['id']}/answer",
             {"accepted": True, "answered_on": "2026-09-01"})
    assert r.status_code == 200, r.text
    now = get(world, "it.returns", f"/decisions/{d['id']}")
    assert now["identity_confirmed"] is True and now["travel_document"] is True
    assert codes(now) == ["voluntary_departure_running"]  # Pakistan's acceptance leaves only the period


# --------------------------------------------------------------------------- 2: one open decision per person


def test_a_second_open_return_decision_for_the_same_person_is_refused(world: World) -> None:
    person = world.person("it.returns", surname="Mahjoub", nationality="TUN")
    first = issue(world, "it.returns", person, voluntary_departure_days=7)
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-21",
                                                  "voluntary_departure_days": 30})
    assert r.status_code == 409, r.text
    assert r.json()["detail"] == (
        f"the person already has an open return decision in IT: {first['reference']} ({first['id']}), issued, "
        "issued on 2026-08-20, with an active return alert; withdraw it before issuing another (one alert per "
        "person: Regulation (EU) 2018/1861, Article 23, applied by Regulation (EU) 2018/1860, Article 19)")
    # Reg. (EU) 2018/1860 Art 19 (consolidated text, read): Art 23 of Reg. (EU) 2018/1861 applies
    with world.services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(return_decisions)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(return_alerts)
                            .where(return_alerts.c.status == "active")).scalar_one() == 1
    # suspended is still open
    r = post(world, "it.returns", f"/decisions/{first['id']}/suspend", {"version": 1, "reason": "appeal lodged"})
    assert r.status_code == 200, r.text
    assert post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-21"}).status_code == 409
    # once it is withdrawn, a new decision may be issued
    r = post(world, "it.returns", f"/decisions/{first['id']}/withdraw", {"version": 2, "reason": "annulled"})
    assert r.status_code == 200, r.text
    second = issue(world, "it.returns", person, issued_on="2026-08-22", voluntary_departure_days=30)
    assert second["status"] == "issued"


# --------------------------------------------------------------------------- 3: departure by an executing state


def _hit_by_germany(world: World, surname: str) -> tuple[dict[str, Any], dict[str, Any]]:
    person = world.person("it.returns", surname=surname, nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=7, entry_ban_years=1)
    assert world.find_alert("de.returns", surname) == d["alert"]["id"]
    hit = post(world, "de.returns", "/hits", {"alert_id": d["alert"]["id"], "place": "Munich",
                                              "local_person_id": world.met("de.returns", surname)})
    assert hit.status_code == 201, hit.text
    return d, hit.json()


def test_an_executing_state_confirms_no_departure_before_its_hit_or_its_recognition(world: World) -> None:
    d, hit = _hit_by_germany(world, "Trabelsi")  # the hit of 1 September 2026
    r = post(world, "de.returns", f"/decisions/{d['id']}/departure",
             {"version": 1, "departed_on": "2026-08-25", "mode": "border_exit"})
    assert r.status_code == 422
    (err,) = r.json()["detail"]
    assert err["loc"][-1] == "departed_on"
    assert err["msg"] == ("DE found the person on its alert hit of 2026-09-01: it cannot confirm a departure on "
                          "2026-08-25, before it")
    # recognised on 3 September: a removal Germany enforces is not dated before
    world.clock.set(datetime(2026, 9, 3, 9, 0, tzinfo=UTC))
    h = get(world, "de.returns", f"/hits/{hit['id']}")
    assert post(world, "de.returns", f"/hits/{hit['id']}/recognise", {"version": h["version"]}).status_code == 200
    r = post(world, "de.returns", f"/decisions/{d['id']}/departure",
             {"version": 1, "departed_on": "2026-09-02", "mode": "enforced"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == (
        "DE recognised this return decision on 2026-09-03: a removal it enforces cannot be dated 2026-09-02, "
        "before the recognition (Recommendation (EU) 2023/682)")
    assert get(world, "it.returns", f"/decisions/{d['id']}")["status"] == "issued"
    r = post(world, "de.returns", f"/decisions/{d['id']}/departure",
             {"version": 1, "departed_on": "2026-09-03", "mode": "enforced"})
    assert r.status_code == 200 and r.json()["departed_on"] == "2026-09-03", r.text


# --------------------------------------------------------------------------- 4: not before the person was known


def test_a_return_decision_is_not_dated_before_the_state_first_recorded_the_person(world: World) -> None:
    person = world.person("it.returns", surname="Gharbi", nationality="TUN")  # encountered on 2026-06-20
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2011-02-01",
                                                  "voluntary_departure_days": 30})
    assert r.status_code == 422
    (err,) = r.json()["detail"]
    assert err["loc"][-1] == "issued_on"
    assert err["msg"] == ("a return decision cannot be dated 2011-02-01, before IT first recorded the person on "
                          "2026-06-20 (identity record, encounter or asylum application)")
    with world.services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(return_decisions)).scalar_one() == 0
    assert issue(world, "it.returns", person, issued_on="2026-06-20")["issued_on"] == "2026-06-20"


# --------------------------------------------------------------------------- 5: a grant on appeal


def test_the_refusal_for_protection_granted_on_appeal_gives_the_day_of_the_appeal(world: World) -> None:
    world.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    person = world.person("it.caseworker", surname="Tesfaye", nationality="ERI")
    case = asylum_case(world, person, made_on="2026-07-01", context="in_territory", until="notified",
                       decided_on="2026-08-10", notified_on="2026-08-11")
    cw = world.principals["it.caseworker"]
    case = procedures.act(world.services, cw, case["id"], "lodge_appeal", {"lodged_on": "2026-08-20"},
                          case["version"])
    procedures.act(world.services, cw, case["id"], "decide_appeal",
                   {"outcome": "granted_subsidiary_protection", "decided_on": "2026-11-02"}, case["version"])
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-11-30",
                                                  "asylum_case_id": case["id"],
                                                  "grounds": ["negative_asylum_decision"]})
    assert r.status_code == 409, r.text
    detail = r.json()["detail"]
    assert detail.startswith(f"the person was granted subsidiary protection by IT on appeal on 2026-11-02 "
                             f"(asylum case {case['reference']})")
    assert "2026-08-10" not in detail


# --------------------------------------------------------------------------- 6 and the procedures finding


def _pre_pact_person(world: World, surname: str) -> str:
    return world.person("it.caseworker", surname=surname, nationality="BGD",
                        occurred_at="2026-03-01T10:00:00+00:00")


def test_a_decision_with_a_pre_pact_rejection_cites_article_6_6_of_the_return_directive(world: World) -> None:
    world.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    old = _pre_pact_person(world, "Alam")
    case = asylum_case(world, old, made_on="2026-03-02", context="in_territory", until="notified",
                       decided_on="2026-04-10", notified_on="2026-04-13")
    d = issue(world, "it.returns", old, issued_on="2026-11-30", asylum_case_id=case["id"])
    (step,) = [s for s in d["trace"] if s["rule"] == "negative_asylum_decision"]
    cited = [b["citation"] if isinstance(b, dict) else b for b in step["legal_basis"]]
    assert cited == ["Directive 2008/115/EC, Article 6(6)"]
    # an application under the Pact: APR Art 37
    new = world.person("it.caseworker", surname="Akter", nationality="BGD")
    case = asylum_case(world, new, made_on="2026-07-01", context="in_territory", until="notified",
                       decided_on="2026-08-10", notified_on="2026-08-11")
    d = issue(world, "it.returns", new, issued_on="2026-11-30", asylum_case_id=case["id"])
    (step,) = [s for s in d["trace"] if s["rule"] == "negative_asylum_decision"]
    assert [b["citation"] if isinstance(b, dict) else b for b in step["legal_basis"]] == [
        "Regulation (EU) 2024/1348, Article 37"]


def test_a_pre_pact_border_rejection_does_not_name_the_return_border_procedure_regulation(world: World) -> None:
    from datetime import date

    from pactum.services.auth import Role
    from pactum.services.procedures import ApplicationCreate

    person = _pre_pact_person(world, "Hasan")
    # before the Pact the border procedure is the state's choice (Directive 2013/32/EU, Article 43)
    cw = world.principals["it.caseworker"]
    reviewer = world.user("it.reviewer", "IT", Role.caseworker)
    case = procedures.create_application(world.services, cw, ApplicationCreate(
        person_id=person, made_on=date(2026, 3, 2), registered_on=date(2026, 3, 2),
        context="apprehended_at_external_border", misled_authorities=True))  # type: ignore[arg-type]
    assert case["procedure"] == "border", case
    day = "2026-03-02"
    for action, fields in (("lodge", {"lodged_on": day}), ("schedule_interview", {"interview_on": day, "language": "Bengali"}),
                           ("hold_interview", {"held_on": day, "interpreter_language": "Bengali"}),
                           ("draft_decision", {"outcome": "rejected_manifestly_unfounded", "reasons": "misled"}),
                           ("submit_for_review", {}), ("approve", {"decided_on": "2026-03-20"})):
        case = procedures.act(world.services, reviewer if action == "approve" else cw, case["id"], action, fields,
                              case["version"])
    d = issue(world, "it.returns", person, issued_on="2026-03-23", asylum_case_id=case["id"],
              voluntary_departure_days=30, grounds=["return_border_procedure"])
    assert "return_border_procedure" in d["grounds"] and d["voluntary_departure_days"] == 30
    alert = get(world, "it.returns", f"/alerts/{d['alert']['id']}")
    assert alert["reason"].startswith("rejected in the asylum border procedure (Directive 2013/32/EU, Article 43)")
    assert "2024/1349" not in alert["reason"]
    assert not any("2024/1349" in b for b in d["legal_basis"])
    (step,) = [s for s in d["trace"] if s["rule"] == "return_border_procedure"]
    assert "2024/1349" not in str(step["legal_basis"])


# --------------------------------------------------------------------------- 7 and 8: AVR and operations


def plan(world: World, day: str, officer: str = "it.returns", dest: str = "TUN") -> dict[str, Any]:
    r = post(world, officer, "/operations", {"destination_country": dest, "planned_date": day, "capacity": 5,
                                             "escorts": 4, "participating_states": [], "frontex_support": False})
    assert r.status_code == 201, r.text
    return r.json()


def test_withdrawing_a_decision_cancels_its_avr_case_and_frees_its_seat(world: World) -> None:
    person = world.person("it.returns", surname="Chebbi", nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=7)
    avr = post(world, "it.returns", "/avr", {"return_decision_id": d["id"], "programme": "IOM AVRR",
                                             "funding_source": "AMIF", "amount_eur": "1500.00",
                                             "opened_on": "2026-08-25"})
    assert avr.status_code == 201, avr.text
    op = plan(world, "2026-09-20")
    assert post(world, "it.returns", f"/operations/{op['id']}/participants",
                {"return_decision_id": d["id"]}).status_code == 201
    r = post(world, "it.returns", f"/decisions/{d['id']}/withdraw", {"version": 1, "reason": "annulled by the court"})
    assert r.status_code == 200, r.text
    (case,) = get(world, "it.returns", "/avr")
    assert case["status"] == "cancelled"
    (part,) = get(world, "it.returns", f"/operations/{op['id']}")["participants"]
    assert part["status"] == "removed"
    assert part["reason"] == f"return decision {d['reference']} withdrawn: annulled by the court"
    r = post(world, "it.returns", f"/avr/{case['id']}/departure", {"version": case["version"], "departed_on": "2026-09-01"})
    assert r.status_code == 409
    assert "assisted voluntary return that is 'cancelled'" in r.json()["detail"]


def test_a_suspended_decision_is_shown_on_its_seat_and_is_not_recorded_as_departed(world: World) -> None:
    person = world.person("it.returns", surname="Jlassi", nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=7)
    op = plan(world, "2026-09-01")
    op = post(world, "it.returns", f"/operations/{op['id']}/participants", {"return_decision_id": d["id"]}).json()
    (part,) = op["participants"]
    assert part["obstacles"] == []
    op = post(world, "it.returns", f"/operations/{op['id']}/confirm", {"version": op["version"]}).json()
    assert post(world, "it.returns", f"/decisions/{d['id']}/suspend",
                {"version": 1, "reason": "suspensive appeal lodged"}).status_code == 200
    (part,) = get(world, "it.returns", f"/operations/{op['id']}")["participants"]
    assert part["status"] == "selected" and part["decision_status"] == "suspended"
    assert part["obstacles"] == [{"code": "suspended", "label": "appeal or request to remain pending"}]
    r = post(world, "it.returns", f"/operations/{op['id']}/participants/{part['id']}/outcome", {"departed": True})
    assert r.status_code == 409
    assert r.json()["detail"] == (
        f"return decision {d['reference']} is suspended (appeal or request to remain pending): the person cannot be "
        "recorded as departed on the operation under it; record that they did not depart, with the reason")
    (part,) = get(world, "it.returns", f"/operations/{op['id']}")["participants"]
    assert part["status"] == "selected"


def test_one_person_is_selected_on_one_operation_at_a_time(world: World) -> None:
    person = world.person("it.returns", surname="Hamdi", nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=7)
    first, second = plan(world, "2026-09-20"), plan(world, "2026-09-10")
    assert post(world, "it.returns", f"/operations/{first['id']}/participants",
                {"return_decision_id": d["id"]}).status_code == 201
    (cand,) = get(world, "it.returns", f"/operations/{second['id']}/candidates")
    assert cand["selected_on"] == {"id": first["id"], "destination_country": "TUN", "planned_date": "2026-09-20"}
    r = post(world, "it.returns", f"/operations/{second['id']}/participants", {"return_decision_id": d["id"]})
    assert r.status_code == 409
    assert r.json()["detail"] == (f"this person is already selected on operation {first['id']} to TUN on "
                                  "2026-09-20: take them off it first (one seat per person)")
    assert get(world, "it.returns", f"/operations/{second['id']}")["participants"] == []


# --------------------------------------------------------------------------- 9 and 10


def test_a_reason_of_blanks_is_no_reason_for_not_departing(world: World) -> None:
    person = world.person("it.returns", surname="Sassi", nationality="TUN")
    d = issue(world, "it.returns", person, voluntary_departure_days=7)
    op = plan(world, "2026-09-01")
    op = post(world, "it.returns", f"/operations/{op['id']}/participants", {"return_decision_id": d["id"]}).json()
    (part,) = op["participants"]
    op = post(world, "it.returns", f"/operations/{op['id']}/confirm", {"version": op["version"]}).json()
    url = f"/operations/{op['id']}/participants/{part['id']}/outcome"
    r = post(world, "it.returns", url, {"departed": False, "reason": "   "})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "reason"
    (part,) = get(world, "it.returns", f"/operations/{op['id']}")["participants"]
    assert part["status"] == "selected" and part["reason"] is None
    r = post(world, "it.returns", url, {"departed": False, "reason": "  refused to board  "})
    assert r.status_code == 200, r.text
    (part,) = r.json()["participants"]
    assert part["status"] == "not_departed" and part["reason"] == "refused to board"


def test_the_art_10_2_handover_is_recorded_only_for_an_unaccompanied_minor(world: World) -> None:
    person = world.person("it.returns", surname="Karoui", nationality="TUN")  # an adult, no asylum case
    d = issue(world, "it.returns", person, voluntary_departure_days=7)
    r = patch(world, "it.returns", f"/decisions/{d['id']}/facts",
              {"version": 1, "minor_handover": "family_member", "minor_handover_note": "x"})
    assert r.status_code == 422
    (err,) = r.json()["detail"]
    assert err["loc"][-1] == "minor_handover"
    assert err["msg"] == ("only for an unaccompanied minor (Directive 2008/115/EC, Article 10(2)): the person of "
                          "this decision is not recorded as an unaccompanied minor")
    now = get(world, "it.returns", f"/decisions/{d['id']}")
    assert now["minor_handover"] is None and now["version"] == 1
