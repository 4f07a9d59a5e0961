"""The end of a state's responsibility (Dublin III Art 19(2)-(3); AMMR Art 37(4)-(5), read in the
Official Journal's Italian text) on what the platform holds, and the refusal of the state asked on
that ground.

A person applied in Italy, Italy rejected the application, issued a return decision and the person
left (removed). Months later the person applied in Germany. "Responsible now" named Italy ("no
request has been sent yet") and the case offered a take back. Italy's take-back obligation ended
with the departure: the application in Germany is a new application, which gives rise to a new
determination. Where the platform does not hold the facts (an absence from the territory), it is
for the state asked to establish them when it replies: Italy refuses, stating the ground, the day
the person left and the evidence, and the case says why once the refusal is final."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, update

from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.returns import return_decisions

try:
    from .test_procedures_support import World, login
    from .test_responsibility_firstday_fixes import _application, world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login  # type: ignore[no-redef]
    from test_responsibility_firstday_fixes import _application, world  # type: ignore[no-redef]  # noqa: F401

API = "/api/v1/responsibility"
AMMR_37_5 = "Regulation (EU) 2024/1351, Article 37(5)"


def _rejected_in_italy(world: World, pid: str, *, decided_on: date = date(2026, 2, 20)) -> None:
    """Italy's asylum case of the person, made on 2026-01-10 and rejected as unfounded."""
    with world.services.engine.begin() as conn:
        conn.execute(insert(asylum_applications).values(
            id="app_it_1", member_state="IT", person_id=pid, nationality="AFG", context="in_territory",
            procedure="regular", routing_grounds=[], routing={}, state="decided", made_on=date(2026, 1, 10),
            registered_on=date(2026, 1, 10), reference="IT-A-2026-1", outcome="rejected_unfounded",
            decided_on=decided_on, notified_on=decided_on, created_at=world.clock.now(), version=1))


def _returned_by_italy(world: World, pid: str, *, departed_on: date | None, mode: str = "enforced") -> None:
    """Italy's return decision after the rejection, the departure confirmed on ``departed_on``."""
    with world.services.engine.begin() as conn:
        conn.execute(insert(return_decisions).values(
            id="rd_it_1", person_id=pid, member_state="IT", reference="IT-RD-2026-0007", asylum_case_id="app_it_1",
            issued_on=date(2026, 3, 1), issued_by="it.returns", nationality="AFG", grounds=[],
            voluntary_departure_days=7, legal_basis=[], trace=[],
            status="departed" if departed_on else "issued", identity_confirmed=True, travel_document=True,
            fit_to_travel=True, absconded=False, departed_on=departed_on,
            departure_member_state="IT" if departed_on else None, departure_mode=mode if departed_on else None,
            created_at=world.clock.now(), version=1))


def _case(world: World, pid: str | None, facts: dict[str, Any], ref: str = "DE-CES-1") -> dict[str, Any]:
    r = world.client.post(f"{API}/cases", headers=world.headers("de.dublin"), json={
        "reference": ref, "person_id": pid, "facts": facts})
    assert r.status_code == 201, r.text
    case = dict(r.json())
    assert case["determination"]["responsible_member_state"] == "IT"
    return case


def _shown(world: World, case_id: str, who: str = "de.dublin") -> dict[str, Any]:
    r = world.client.get(f"{API}/cases/{case_id}", headers=world.headers(who))
    assert r.status_code == 200, r.text
    return dict(r.json())


AFTER_RETURN = {"application": {"registered_in": "DE", "registered_on": "2026-08-03"},
                "earlier_applications": [{"member_state": "IT", "registered_on": "2026-01-10"}]}


def test_a_return_carried_out_ends_the_take_back_and_the_new_application_is_determined_afresh_art_37_5(
        world: World) -> None:
    pid, _ = _application(world)
    _rejected_in_italy(world, pid)
    _returned_by_italy(world, pid, departed_on=None)  # issued, not yet carried out
    case = _case(world, pid, AFTER_RETURN)
    assert case["determination"]["criterion"] == "first_application"
    now = _shown(world, case["id"])["responsible_now"]
    assert (now["member_state"], now["rule"]) == ("IT", "determination")  # nothing has ended yet
    # the case page's "Responsible now" begins its sentence with a capital (was "determined: first …")
    page = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text
    assert page.split('id="responsible-why">')[1].startswith("Determined: first application; no take-back ")
    with world.services.engine.begin() as conn:  # Italy's return officer confirms the removal
        conn.execute(update(return_decisions).where(return_decisions.c.id == "rd_it_1").values(
            status="departed", departed_on=date(2026, 5, 10), departure_member_state="IT",
            departure_mode="enforced"))
    shown = _shown(world, case["id"])
    now = shown["responsible_now"]
    # was: IT, "determined: first application; no take-back notification has been sent yet"
    assert (now["member_state"], now["rule"], now["shifted"], now["since"]) == ("DE", "ceased", True, "2026-08-03")
    assert now["reason"] == (
        "IT's obligation to take the person back ended: the person left the territory of the Member States on "
        "2026-05-10 (removed) under IT's return decision IT-RD-2026-0007, issued after the application there was "
        "rejected as unfounded; the application registered in DE on 2026-08-03 is a new application, which gives "
        "rise to a new determination, and no take-back notification to IT lies; the criteria applied again "
        "designate DE on first application, where the application was registered")
    assert now["legal_basis"][0] == AMMR_37_5
    # the take-back notification is refused with the reason; the list says the same
    kinds = {k["kind"]: k for k in shown["new_request"]["kinds"]}
    assert kinds["take_back_notification"]["lies"] is False
    assert kinds["take_back_notification"]["reason"].startswith("IT's obligation to take the person back ended")
    r = world.client.post(f"{API}/cases/{case['id']}/requests", headers=world.headers("de.dublin"),
                          json={"kind": "take_back_notification", "requested_member_state": "IT",
                                "take_back_ground": "indicated_responsible_in_eurodac", "eurodac_hit": True,
                                "hit_on": "2026-08-03"})
    assert r.status_code == 409, r.text
    assert AMMR_37_5 in str(r.json()["detail"])
    listed = world.client.get(f"{API}/cases", headers=world.headers("de.dublin")).json()
    (row,) = [c for c in listed if c["id"] == case["id"]]
    assert (row["responsible_now"]["member_state"], row["responsible_now"]["rule"]) == ("DE", "ceased")
    # the case page says it under "Responsible now"
    page = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text
    assert '<strong id="responsible">DE</strong>' in page
    assert "IT-RD-2026-0007" in page.split('id="responsible-why"')[1].split("</p>")[0]


def test_after_the_return_the_criteria_applied_again_may_designate_the_same_state_by_a_take_charge(
        world: World) -> None:
    # the person came back through Italy: an irregular crossing after the removal designates Italy
    # again, on the crossing, by a take charge within two months of the registration (Art 39(1))
    pid, _ = _application(world)
    _rejected_in_italy(world, pid)
    _returned_by_italy(world, pid, departed_on=date(2026, 5, 10))
    case = _case(world, pid, {**AFTER_RETURN, "entries": [
        {"kind": "irregular_crossing", "member_state": "IT", "on": "2026-07-20"}]})
    shown = _shown(world, case["id"])
    now = shown["responsible_now"]
    assert (now["member_state"], now["rule"]) == ("IT", "ceased")
    assert now["reason"].endswith("the criteria applied again designate IT on irregular entry: a take-charge "
                                  "request to IT lies until 2026-10-05, 2 months from the registration of the application on "
                                  "2026-08-03 (Regulation (EU) 2024/1351, Article 39(1))"), now["reason"]
    kinds = {k["kind"]: k for k in shown["new_request"]["kinds"]}
    assert kinds["take_charge"]["lies"] is True and kinds["take_back_notification"]["lies"] is False
    # once that limit passed without a request, Germany is responsible
    world.travel(datetime(2026, 10, 6, 9, 0, tzinfo=UTC))
    now = _shown(world, case["id"])["responsible_now"]
    assert (now["member_state"], now["rule"]) == ("DE", "ceased")
    assert "no take-charge request was sent to IT by 2026-10-05" in now["reason"]


def test_a_return_before_the_decision_or_an_application_in_italy_after_it_does_not_end_the_take_back(
        world: World) -> None:
    # the person applied in Italy again after the removal: that application is a take-back ground
    pid, _ = _application(world)
    _rejected_in_italy(world, pid)
    _returned_by_italy(world, pid, departed_on=date(2026, 5, 10))
    case = _case(world, pid, {**AFTER_RETURN, "earlier_applications": [
        {"member_state": "IT", "registered_on": "2026-01-10"}, {"member_state": "IT", "registered_on": "2026-06-20"}]})
    assert _shown(world, case["id"])["responsible_now"]["rule"] != "ceased"


def test_a_return_decision_not_following_a_rejection_does_not_end_it(world: World) -> None:
    # Italy's application decided only after the return decision was issued: not "issued after
    # the application was withdrawn or rejected" (Art 37(5))
    pid, _ = _application(world)
    _rejected_in_italy(world, pid, decided_on=date(2026, 3, 20))
    with world.services.engine.begin() as conn:
        conn.execute(insert(return_decisions).values(
            id="rd_it_2", person_id=pid, member_state="IT", reference="IT-RD-2026-0008",
            issued_on=date(2026, 3, 1), issued_by="it.returns", nationality="AFG", grounds=[],
            voluntary_departure_days=7, legal_basis=[], trace=[], status="departed", identity_confirmed=True,
            travel_document=True, fit_to_travel=True, absconded=False, departed_on=date(2026, 5, 10),
            departure_member_state="IT", departure_mode="voluntary", created_at=world.clock.now(), version=1))
    case = _case(world, pid, AFTER_RETURN)
    now = _shown(world, case["id"])["responsible_now"]
    assert (now["member_state"], now["rule"]) == ("IT", "determination")


def _take_back_case(world: World, registered_on: str = "2026-06-01") -> tuple[dict[str, Any], dict[str, Any]]:
    """DE's Dublin III case (lodged 2026-06-01) of a person whose application Italy rejected, and
    Germany's take-back request to Italy (Art 18(1)(d))."""
    r = world.client.post(f"{API}/cases", headers=world.headers("de.dublin"), json={
        "reference": "DE-CES-TB", "person_id": None,
        "facts": {"application": {"registered_in": "DE", "registered_on": registered_on},
                  "earlier_applications": [{"member_state": "IT", "registered_on": "2026-01-10"}]}})
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["determination"]["regime"] == "dublin_iii"
    r = world.client.post(f"{API}/cases/{case['id']}/requests", headers=world.headers("de.dublin"),
                          json={"kind": "take_back", "requested_member_state": "IT",
                                "take_back_ground": "application_rejected"})
    assert r.status_code == 201, r.text
    return case, r.json()


def _refuse(world: World, req: dict[str, Any], **body: Any) -> Any:
    return world.client.post(f"{API}/requests/{req['id']}/refuse", headers=world.headers("it.dublin"),
                             json={"version": req["version"], "reasons": "Our obligations ceased.", **body})


def _problem(r: Any) -> tuple[str, str]:
    assert r.status_code == 422, r.text
    (d,) = r.json()["detail"]
    return str(d["loc"][-1]), str(d["msg"])


def test_the_state_asked_refuses_as_its_obligations_ceased_with_the_day_and_the_evidence_art_19_2_3(
        world: World) -> None:
    case, req = _take_back_case(world)
    # the ground needs the day and the evidence, and the day must allow the absence (three months
    # before the lodging of 2026-06-01) and come before the application
    assert _problem(_refuse(world, req, refusal_ground="left_territory", evidence="EES exit record")) == (
        "left_on", "give the day the person left the territory of the Member States")
    # every problem of the day and the evidence at once (the form showed one per submission)
    r = _refuse(world, req, refusal_ground="left_territory", left_on="2026-03-10")
    assert r.status_code == 422 and [d["loc"][-1] for d in r.json()["detail"]] == ["left_on", "evidence"]
    field, msg = _problem(_refuse(world, req, refusal_ground="left_territory", left_on="2026-03-10",
                                  evidence="EES exit record"))
    assert field == "left_on" and msg.startswith("is less than 3 months before the application registered in DE on "
                                                 "2026-06-01") and "Article 19(2)" in msg
    field, msg = _problem(_refuse(world, req, refusal_ground="returned", left_on="2026-06-02",
                                  evidence="removal report"))
    assert field == "left_on" and "must have left before it" in msg
    # a ground without a refusal, or the day without a ground, is refused as such
    r = world.client.post(f"{API}/requests/{req['id']}/accept", headers=world.headers("it.dublin"),
                          json={"version": req["version"], "refusal_ground": "returned"})
    assert _problem(r) == ("refusal_ground", "goes only with a refusal, not with 'accept'")
    assert _problem(_refuse(world, req, left_on="2026-02-01"))[0] == "refusal_ground"
    # the refusal form of the state asked offers both grounds with their articles; a form sent with
    # a day too close to the application is refused naming the field, nothing written
    it = login(world, "it.dublin")
    form = it.get(f"/responsibility/requests/{req['id']}").text.split('id="refusal-ground-refuse"')[1]
    form = form.split("</fieldset>")[0]
    assert "(Regulation (EU) No 604/2013, Article 19(2))" in form and "(Regulation (EU) No 604/2013, Article 19(3))" in form
    # the absence's period in words, as in force on the lodging (it read "for at least the period of absence")
    assert "left the territory of the Member States for at least 3 months" in form
    bad = it.post(f"/responsibility/requests/{req['id']}", data={
        "action": "refuse", "version": str(req["version"]), "reasons": "Our obligations ceased.",
        "refusal_ground": "left_territory", "left_on": "2026-04-01", "evidence": "EES exit record"})
    assert bad.status_code == 422 and "is less than 3 months before the application registered in DE" in bad.text
    # recorded: the ground, its article, the day, the evidence
    r = _refuse(world, req, refusal_ground="left_territory", left_on="2026-02-01",
                evidence="EES: exit at Fiumicino on 2026-02-01, no entry until 2026-05-28")
    assert r.status_code == 200, r.text
    refused = r.json()
    assert refused["refusal_cessation"] == {
        "ground": "left_territory",
        "label": "the person left the territory of the Member States for at least 3 months",
        "legal_basis": "Regulation (EU) No 604/2013, Article 19(2)", "left_on": "2026-02-01",
        "evidence": "EES: exit at Fiumicino on 2026-02-01, no entry until 2026-05-28"}
    page = login(world, "de.dublin").get(f"/responsibility/requests/{req['id']}").text
    assert 'id="refusal-cessation"' in page and "Regulation (EU) No 604/2013, Article 19(2)" in page
    # Germany accepts the refusal: the case says why, with the article
    r = world.client.post(f"{API}/requests/{req['id']}/accept_refusal", headers=world.headers("de.dublin"),
                          json={"version": refused["version"]})
    assert r.status_code == 200, r.text
    now = _shown(world, case["id"])["responsible_now"]
    # was: "IT refused the take-back request and the refusal is final (...): DE, which conducts the
    # determination, stays responsible unless it asks another state" citing the refusal's articles
    assert (now["member_state"], now["rule"], now["legal_basis"]) == (
        "DE", "ceased", ["Regulation (EU) No 604/2013, Article 19(2)"])
    assert now["reason"].startswith("IT refused the take-back request, finally (")
    assert ("as its obligations ceased: the person left the territory of the Member States on 2026-02-01 and "
            "stayed away at least 3 months; the application registered in DE on 2026-06-01 is a new application, "
            "which gives rise to a new determination, conducted by DE") in now["reason"]


def test_the_day_the_person_left_comes_after_the_facts_put_them_in_a_member_state(world: World) -> None:
    # the facts record Italy's application of 2026-01-10: an absence from 2025-12-01 (six months
    # before the lodging in Germany) cannot have ended Italy's obligations, the person was then in
    # Italy; the QA pass had a refusal accepted with a day before the entry that made the state responsible
    _, req = _take_back_case(world)
    field, msg = _problem(_refuse(world, req, refusal_ground="left_territory", left_on="2025-12-01",
                                  evidence="EES exit record"))
    assert field == "left_on" and msg.startswith(
        "is before the application registered in IT on 2026-01-10 the case's facts record: the obligations of IT "
        "rest on the person's presence there"), msg
    field, msg = _problem(_refuse(world, req, refusal_ground="returned", left_on="2026-01-09",
                                  evidence="removal report"))
    assert field == "left_on" and "application registered in IT on 2026-01-10" in msg
    # the day of the facts itself is possible (the person applied, then left)
    assert _refuse(world, req, refusal_ground="left_territory", left_on="2026-01-10",
                   evidence="EES exit record").status_code == 200


def test_a_return_ends_only_a_take_back_of_a_withdrawn_or_rejected_application(world: World) -> None:
    r = world.client.post(f"{API}/cases", headers=world.headers("de.dublin"), json={
        "reference": "DE-CES-TB2", "person_id": None,
        "facts": {"application": {"registered_in": "DE", "registered_on": "2026-06-01"},
                  "earlier_applications": [{"member_state": "IT", "registered_on": "2026-01-10"}]}})
    case = r.json()
    r = world.client.post(f"{API}/cases/{case['id']}/requests", headers=world.headers("de.dublin"),
                          json={"kind": "take_back", "requested_member_state": "IT",
                                "take_back_ground": "application_under_examination"})
    assert r.status_code == 201, r.text
    field, msg = _problem(_refuse(world, r.json(), refusal_ground="returned", left_on="2026-03-10",
                                  evidence="removal report"))
    assert field == "refusal_ground" and "Article 19(3)" in msg and "application under examination" in msg
