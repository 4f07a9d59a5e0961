"""The state that examined the application is responsible for it also while its own request
stands, and in a take-back case (CJEU C-56/17 Fathi, read with Dublin III Arts 3(1), 17(1), 23(1);
AMMR Arts 16(1), 35(1), 37(1), the AMMR read in the Official Journal's Italian text).

Germany's Dublin unit asked Italy to take charge; Germany's asylum authority then decided the
application and notified the decision. "Responsible now" still named Italy ("the take-charge
request to IT awaits its outcome"), so the case contradicted the asylum file. The state that
decides to examine an application becomes responsible and informs the state it asked (Dublin III
Art 17(1), second subparagraph; AMMR Art 37(1)): the case now names Germany, says the request is
overtaken and tells the unit to withdraw it. A take-back case was left out of the rule: the state
of the new application may equally examine it (Dublin III Art 23(1) "may request", Art 23(3);
AMMR Art 37(1) passes the take-back obligation to it), so once it did, no take back lies.

The decisions are written to the asylum file directly, as a decision recorded before the Dublin
unit's case (which the procedures area's block did not see) would stand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import update

from pactum.store.tables.procedures import asylum_applications

try:
    from .test_procedures_support import World, login
    from .test_responsibility_firstday_fixes import _application, _case, world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login  # type: ignore[no-redef]
    from test_responsibility_firstday_fixes import _application, _case, world  # type: ignore[no-redef]  # noqa: F401

API = "/api/v1/responsibility"
OVERTAKEN = ("The take-charge request to IT ({rid}, sent on 2026-08-05) still stands ({status}), but DE examined "
             "the application after it was sent: IT is not to take the person so as to examine it, and no "
             "transfer follows. Withdraw the request, which informs IT (Regulation (EU) 2024/1351, Article 37(1))")


def _decided(world: World, app_id: str, decided: date, notified: date) -> None:
    with world.services.engine.begin() as conn:
        conn.execute(update(asylum_applications).where(asylum_applications.c.id == app_id).values(
            state="notified", outcome="rejected_unfounded", decided_on=decided, notified_on=notified))


def _now(world: World, case_id: str, who: str = "de.dublin") -> dict[str, Any]:
    r = world.client.get(f"{API}/cases/{case_id}", headers=world.headers(who))
    assert r.status_code == 200, r.text
    return dict(r.json()["responsible_now"])


def test_a_take_charge_request_standing_when_the_state_examined_the_application_is_overtaken(world: World) -> None:
    pid, app = _application(world)
    case = _case(world, pid)
    world.travel(datetime(2026, 8, 5, 9, 0, tzinfo=UTC))
    r = world.client.post(f"{API}/cases/{case['id']}/requests", headers=world.headers("de.dublin"),
                          json={"kind": "take_charge", "requested_member_state": "IT"})
    assert r.status_code == 201, r.text
    req = r.json()
    # the request page names each deadline in words with the article behind it (it said "reply:
    # 2026-09-07 (1 month)" and "request: …", the rule only inside the disclosure)
    shown = login(world, "de.dublin").get(f"/responsibility/requests/{req['id']}").text
    summaries = [x.split("</summary>")[0] for x in shown.split("<summary>")[1:]]
    assert any(x.startswith("Reply due: ") and x.endswith("Regulation (EU) 2024/1351, Article 40(1))")
               for x in summaries), summaries
    assert any(x.startswith("Last day to send the request: ") and "Article 39(1)" in x for x in summaries), summaries
    assert not any(x.startswith(("reply:", "request:")) for x in summaries)
    assert "<h1>Take charge <small>DE → IT" in shown
    # the case's list of requests says whose the next deadline is, as the inbox and outbox do
    requests = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text.split("<h2>Requests</h2>")[1]
    assert "IT's reply deadline" in requests.split("</table>")[0]
    _decided(world, app["id"], date(2026, 8, 10), date(2026, 8, 11))
    world.travel(datetime(2026, 8, 12, 9, 0, tzinfo=UTC))
    now = _now(world, case["id"])
    # was: IT, "the take-charge request to IT awaits its outcome (pending)"
    assert (now["member_state"], now["rule"], now["since"], now["request_id"]) == ("DE", "examined", "2026-08-11",
                                                                                  req["id"])
    assert now["reason"] == ("DE examined the application without a decision on responsibility: it decided it at "
                             "first instance on 2026-08-10 and notified the decision on 2026-08-11; the one state "
                             "that examines an application is responsible for it; the take-charge request to IT is "
                             "overtaken (awaiting reply)")
    assert now["legal_basis"] == ["Regulation (EU) 2024/1351, Article 16(1)", "CJEU C-56/17 Fathi",
                                  "Regulation (EU) 2024/1351, Article 37(1)"]
    assert now["warning"] == OVERTAKEN.format(rid=req["id"], status="awaiting reply")
    # the list says it too; Italy, the state asked, reads who is responsible but not Germany's to-do
    listed = world.client.get(f"{API}/cases", headers=world.headers("de.dublin")).json()
    (row,) = [c for c in listed if c["id"] == case["id"]]  # the API's list is the page's rows
    assert row["responsible_now"]["rule"] == "examined" and row["responsible_now"]["warning"] == now["warning"]
    seen_by_it = _now(world, case["id"], "it.dublin")
    assert seen_by_it["member_state"] == "DE" and seen_by_it["warning"] is None
    # the case page: the warning beside "Responsible now", with the way to the request
    page = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text
    warning = page.split('id="responsible-warning"')[1].split("</p>")[0]
    assert "Withdraw the request, which informs IT (Regulation (EU) 2024/1351, Article 37(1))" in warning
    assert f'href="/responsibility/requests/{req["id"]}"' in warning
    assert '<strong id="responsible">DE</strong>' in page
    # Italy accepts all the same: the acceptance does not undo the examination
    r = world.client.post(f"{API}/requests/{req['id']}/accept", headers=world.headers("it.dublin"),
                          json={"version": req["version"]})
    assert r.status_code == 200, r.text
    now = _now(world, case["id"])
    assert now["member_state"] == "DE" and now["warning"] == OVERTAKEN.format(rid=req["id"], status="accepted")
    # once Germany withdraws it, the case says what Fathi says, without a to-do
    r = world.client.post(f"{API}/requests/{req['id']}/withdraw", headers=world.headers("de.dublin"),
                          json={"version": r.json()["version"]})
    assert r.status_code == 200, r.text
    now = _now(world, case["id"])
    assert (now["member_state"], now["rule"], now["warning"], now["request_id"]) == ("DE", "examined", None, None)
    assert now["reason"].endswith("and no take-charge request to IT lies any more")
    assert 'id="responsible-warning"' not in login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text


def test_a_dublin_iii_take_back_no_longer_lies_once_the_new_application_was_examined_art_17_1_23(
        world: World) -> None:
    # lodged in DE on 2026-06-01 (Dublin III) by a person who applied in Italy on 2026-03-02
    pid, app = _application(world)
    with world.services.engine.begin() as conn:  # the application as it was made, before the Pact applied
        conn.execute(update(asylum_applications).where(asylum_applications.c.id == app["id"]).values(
            made_on=date(2026, 5, 29), registered_on=date(2026, 5, 29), lodged_on=date(2026, 6, 1)))
    r = world.client.post(f"{API}/cases", headers=world.headers("de.dublin"), json={
        "reference": "DE-TB-EX-1", "person_id": pid,
        "facts": {"application": {"registered_in": "DE", "registered_on": "2026-06-01"},
                  "earlier_applications": [{"member_state": "IT", "registered_on": "2026-03-02"}]}})
    assert r.status_code == 201, r.text
    case = r.json()
    assert (case["determination"]["regime"], case["determination"]["responsible_member_state"]) == ("dublin_iii", "IT")
    _decided(world, app["id"], date(2026, 7, 1), date(2026, 7, 2))
    shown = world.client.get(f"{API}/cases/{case['id']}", headers=world.headers("de.dublin")).json()
    now = shown["responsible_now"]
    # was: IT, "no request has been sent yet", and a take-back request lay until 2026-09-01
    assert (now["member_state"], now["rule"], now["since"]) == ("DE", "examined", "2026-07-02")
    assert now["reason"].endswith("and no take-back request to IT lies any more")
    assert now["legal_basis"] == ["Regulation (EU) No 604/2013, Article 3(1)", "CJEU C-56/17 Fathi"]
    kinds = {k["kind"]: k for k in shown["new_request"]["kinds"]}
    assert kinds["take_back"]["lies"] is False
    assert kinds["take_back"]["reason"].startswith("DE is responsible now: DE examined the application")
    r = world.client.post(f"{API}/cases/{case['id']}/requests", headers=world.headers("de.dublin"),
                          json={"kind": "take_back", "requested_member_state": "IT",
                                "take_back_ground": "application_under_examination"})
    assert r.status_code == 409, r.text
    assert "no take-back request to IT lies any more" in str(r.json()["detail"])
    assert world.client.get(f"{API}/inbox", headers=world.headers("it.dublin")).json() == []  # nothing sent
    # nor is a hit recorded for a request that no longer lies (a hit runs a take back's time limit only)
    r = world.client.post(f"{API}/cases/{case['id']}/hits", headers=world.headers("de.dublin"), json={
        "hit_on": "2026-07-03", "member_state": "IT", "source": "eurodac", "category": "applicant"})
    assert r.status_code == 409, r.text
    assert "no take-charge or take-back request lies on this case any more" in str(r.json()["detail"])
    # the page beside the send form says so for the take back too, not only for a take charge
    page = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text
    assert "no take-charge request, take-back request or notification lies any more" in page


def test_the_notice_beside_the_request_form_and_the_request_page_single_out_the_overtaken_request(
        world: World) -> None:
    # the asylum-case notice beside the form said only "no take-charge request ... lies any more",
    # and the list of kinds "case ... already has a take-charge request to IT that is awaiting reply:
    # wait for its outcome or withdraw it": nothing said that this request is the one overtaken
    pid, app = _application(world)
    case = _case(world, pid)
    world.travel(datetime(2026, 8, 5, 9, 0, tzinfo=UTC))
    r = world.client.post(f"{API}/cases/{case['id']}/requests", headers=world.headers("de.dublin"),
                          json={"kind": "take_charge", "requested_member_state": "IT"})
    assert r.status_code == 201, r.text
    req = r.json()
    _decided(world, app["id"], date(2026, 8, 10), date(2026, 8, 11))
    world.travel(datetime(2026, 8, 12, 9, 0, tzinfo=UTC))
    shown = world.client.get(f"{API}/cases/{case['id']}", headers=world.headers("de.dublin")).json()
    assert shown["asylum_case"]["overtaken_request"] == {
        "id": req["id"], "kind": "take_charge", "requested_member_state": "IT", "sent_on": "2026-08-05",
        "status_label": "awaiting reply", "legal_basis": "Regulation (EU) 2024/1351, Article 37(1)",
        "words": f"the take-charge request to IT ({req['id']}, sent on 2026-08-05) still stands (awaiting reply) but "
                 "is overtaken: DE examined the application; withdraw it, which informs IT"}
    kinds = {k["kind"]: k for k in shown["new_request"]["kinds"]}
    assert kinds["take_charge"]["reason"].startswith("the take-charge request to IT (")
    assert "is overtaken: DE examined the application; withdraw it" in kinds["take_charge"]["reason"]
    assert kinds["take_charge"]["legal_basis"] == ["Regulation (EU) 2024/1351, Article 16(1)",
                                                   "Regulation (EU) 2024/1351, Article 37(1)"]
    page = login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text
    section = page.split('id="send-request"')[1].split("</section>")[0]
    notice = section.split('id="asylum-case-overtaken"')[1].split("</strong>")[0]
    assert "to IT sent on 2026-08-05 still stands (awaiting reply) and is overtaken by this decision" in notice
    assert f'href="/responsibility/requests/{req["id"]}">withdraw it</a>' in notice
    assert "is overtaken: DE examined the application" in section.split('id="no-request"')[1]
    # the request page, where the unit withdraws it, says so too; Italy's does not
    shown = login(world, "de.dublin").get(f"/responsibility/requests/{req['id']}").text
    todo = shown.split('id="request-overtaken"')[1].split("</p>")[0]
    assert "is overtaken: DE examined the application; withdraw it, which informs IT" in todo
    assert world.client.get(f"{API}/requests/{req['id']}", headers=world.headers("de.dublin")).json()["overtaken"][
        "id"] == req["id"]
    assert 'id="request-overtaken"' not in login(world, "it.dublin").get(f"/responsibility/requests/{req['id']}").text
    assert world.client.get(f"{API}/requests/{req['id']}", headers=world.headers("it.dublin")).json()["overtaken"] is None
    r = world.client.post(f"{API}/requests/{req['id']}/withdraw", headers=world.headers("de.dublin"),
                          json={"version": req["version"]})
    assert r.status_code == 200, r.text
    assert r.json()["overtaken"] is None
    shown = world.client.get(f"{API}/cases/{case['id']}", headers=world.headers("de.dublin")).json()
    assert shown["asylum_case"]["overtaken_request"] is None
    assert 'id="asylum-case-overtaken"' not in login(world, "de.dublin").get(f"/responsibility/cases/{case['id']}").text
