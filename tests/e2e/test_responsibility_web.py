"""The Dublin unit screens on the shared demo users: inbox and outbox colour-coded by days left,
a request's actions and timeline, a case's explanation, statistics (the determination form:
test_responsibility_form.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

Login = Callable[[str], TestClient]


def _case(services: Services, who: Principal, ref: str, entry_on: str = "2026-10-01") -> dict:
    return responsibility.create_case(services, who, CaseCreate.model_validate({
        "reference": ref, "applicant_name": "Samir Haddad",
        "facts": {"application": {"registered_in": "DE", "registered_on": "2026-11-20"},
                  "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": entry_on}]}}))


def test_inbox_outbox_request_and_case_pages(services: Services, web_client: Login,
                                               principal: Callable[[str], Principal]) -> None:
    de_cw, de_dublin = principal("de-caseworker"), principal("de-dublin")
    case = _case(services, de_cw, "DE-W-1")
    req = responsibility.send_request(services, de_dublin, case["id"], RequestCreate(kind="take_charge"))
    it = web_client("it-dublin")
    page = it.get("/responsibility/inbox")
    assert page.status_code == 200
    assert "DE-W-1" in page.text and "Samir Haddad" in page.text
    # sent 2026-11-28, AMMR reply within one month: 2026-12-28, 30 days left -> green
    assert re.search(r'class="badge ok" data-days-left="30"', page.text)
    de = web_client("de-dublin")
    assert "DE-W-1" in de.get("/responsibility/outbox").text
    assert "DE-W-1" not in de.get("/responsibility/inbox").text

    detail = it.get(f"/responsibility/requests/{req['id']}").text
    assert 'name="action" value="accept"' in detail and 'name="action" value="refuse"' in detail
    # a refusal without reasons is refused with the field named
    bad = it.post(f"/responsibility/requests/{req['id']}",
                  data={"action": "refuse", "version": "1", "reasons": ""})
    assert bad.status_code == 422 and "reasons" in bad.text
    ok = it.post(f"/responsibility/requests/{req['id']}", data={"action": "accept", "version": "1"},
                 follow_redirects=False)
    assert ok.status_code == 303
    detail = de.get(f"/responsibility/requests/{req['id']}").text
    assert "accepted" in detail and "decide_transfer" in detail
    assert "Transfer period ends" in detail and "2027-05-28" in detail
    # the criterion and the events' details read as words, not codes or JSON
    assert "<dt>Criterion</dt><dd>irregular entry" in detail
    timeline = detail.split("<h2>Timeline</h2>", 1)[1]
    assert "&#34;" not in timeline and "{" not in timeline and "accepted" in timeline

    case_page = de.get(f"/responsibility/cases/{case['id']}").text
    assert 'id="responsible">IT<' in case_page
    assert "Regulation (EU) 2024/1351, Article 33(1)" in case_page
    # France is not party to the case
    assert web_client("fr-dublin").get(f"/responsibility/cases/{case['id']}").status_code == 404

    stats = web_client("com-analyst").get("/responsibility/statistics").text
    assert re.search(r"<td>DE</td><td>IT</td><td>1</td><td>1</td>", stats)
    # the total reconciles with the table's columns (it gave requests and accepted only)
    assert "Total: 1 request: 1 accepted, 0 refused, 0 contested, 0 open; 0 transfers carried out (0.0% of the requests)." in stats
    bad = web_client("com-analyst").get("/responsibility/statistics?year=-1")
    assert bad.status_code == 422 and "year" in bad.text


def test_deadline_colours() -> None:
    from pactum.web.views.responsibility import urgency

    assert [urgency(d) for d in (0, 3, 4, 10, 11)] == ["bad", "bad", "warn", "warn", "ok"]


def test_appeal_with_suspensive_effect_through_the_request_page(
        services: Services, web_client: Login, principal: Callable[[str], Principal]) -> None:
    from pactum.responsibility.schemas import RequestAction

    de_dublin = principal("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-W-2")
    req = responsibility.send_request(services, de_dublin, case["id"], RequestCreate(kind="take_charge"))
    req = responsibility.act(services, principal("it-dublin"), req["id"], "accept", RequestAction(version=1))
    req = responsibility.act(services, de_dublin, req["id"], "decide_transfer",
                             RequestAction(version=req["version"]))
    de = web_client("de-dublin")
    page = de.get(f"/responsibility/requests/{req['id']}").text
    assert 'name="action" value="record_appeal"' in page and 'name="appeal_lodged_on"' in page
    bad = de.post(f"/responsibility/requests/{req['id']}", data={
        "action": "record_appeal", "version": str(req["version"]), "suspensive_effect": "true"})
    assert bad.status_code == 422 and "appeal_lodged_on" in bad.text
    ok = de.post(f"/responsibility/requests/{req['id']}", data={
        "action": "record_appeal", "version": str(req["version"]),
        "appeal_lodged_on": req["transfer_decided_on"], "suspensive_effect": "true"},
        follow_redirects=False)
    assert ok.status_code == 303
    page = de.get(f"/responsibility/requests/{req['id']}").text
    assert "transfer suspended until the final decision" in page
    assert "no end while suspended" in page and 'value="decide_appeal"' in page
    assert 'value="arrange_transfer"' not in page


def test_a_refused_request_keeps_what_the_dublin_unit_typed(services: Services, web_client: Login,
                                                             principal: Callable[[str], Principal]) -> None:
    case = _case(services, principal("de-caseworker"), "DE-W-2")
    de = web_client("de-dublin")
    r = de.post(f"/responsibility/cases/{case['id']}/requests", data={
        "kind": "take_over", "requested_member_state": "IT", "evidence[1].kind": "travel_ticket",
        "evidence[1].description": "ferry ticket Patras-Bari, 3 March"})
    assert r.status_code == 422 and "kind" in r.text
    assert 'name="evidence[1].description" value="ferry ticket Patras-Bari, 3 March"' in r.text
    assert '<option value="travel_ticket" selected>travel ticket</option>' in r.text


def test_a_request_carries_each_piece_of_evidence_typed(services: Services, web_client: Login,
                                                        principal: Callable[[str], Principal]) -> None:
    case = _case(services, principal("de-caseworker"), "DE-W-3")
    de = web_client("de-dublin")
    r = de.post(f"/responsibility/cases/{case['id']}/requests", data={
        "kind": "take_charge", "requested_member_state": "IT",
        "evidence[0].kind": "eurodac_hit", "evidence[0].description": "IT1 hit, Lampedusa, 1 October",
        "evidence[1].kind": "other", "evidence[1].description": "  ",
        "evidence[2].kind": "travel_ticket", "evidence[2].description": "ferry ticket Bari-Patras"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    req = responsibility.get_request(services, principal("de-dublin"), r.headers["location"].split("/")[-1].split("?")[0])
    assert req["evidence"] == [{"kind": "eurodac_hit", "description": "IT1 hit, Lampedusa, 1 October"},
                               {"kind": "travel_ticket", "description": "ferry ticket Bari-Patras"}]


def test_who_is_responsible_on_a_day_after_later_events(services: Services, web_client: Login,
                                                        principal: Callable[[str], Principal]) -> None:
    case = _case(services, principal("de-caseworker"), "DE-W-4")
    de = web_client("de-dublin")
    page = de.get(f"/responsibility/cases/{case['id']}").text
    assert 'action="/responsibility/cases/' in page and "Who is responsible on a day" in page
    url = f"/responsibility/cases/{case['id']}/cessation"
    r = de.post(url, data={"on": "2026-11-28", "events[0].kind": "residence_document_issued",
                           "events[0].on": "2026-11-25", "events[0].member_state": "FR"})
    assert r.status_code == 200, r.text
    result = r.text.split('id="cessation-result"', 1)[1]
    assert "Responsible on 2026-11-28: <strong>FR</strong>" in result
    assert "Regulation (EU) 2024/1351, Article 37(1)" in result
    # a shift needs the state it shifts to: said with the form's labels, the events kept
    r = de.post(url, data={"on": "2026-11-28", "events[1].kind": "discretionary_clause", "events[1].on": "2026-11-26"})
    assert r.status_code == 422
    assert "Event 2, State: is required for discretionary_clause" in r.text
    assert '<option value="discretionary_clause" selected>discretionary clause applied</option>' in r.text
    # nothing recorded: the case's determination is unchanged
    assert 'id="responsible">IT<' in de.get(f"/responsibility/cases/{case['id']}").text


def test_a_detention_ordered_after_the_registration_through_the_case_page(
        services: Services, web_client: Login, principal: Callable[[str], Principal]) -> None:
    case = _case(services, principal("de-caseworker"), "DE-W-DET")  # registered 2026-11-20
    de = web_client("de-dublin")
    page = de.get(f"/responsibility/cases/{case['id']}").text
    assert 'name="detained_on"' in page and "one week from it, Art 45(1)" in page
    r = de.post(f"/responsibility/cases/{case['id']}/requests", data={
        "kind": "take_charge", "requested_member_state": "IT", "detained_on": "2026-11-24"})
    assert r.status_code == 422
    assert "Placed in detention on" in r.text and "not stated to be detained" in r.text
    assert 'name="detained_on" value="2026-11-24"' in r.text
    r = de.post(f"/responsibility/cases/{case['id']}/requests", data={
        "kind": "take_charge", "requested_member_state": "IT", "detained": "on",
        "detained_on": "2026-11-24"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    rid = r.headers["location"].split("/")[-1].split("?")[0]
    page = de.get(f"/responsibility/requests/{rid}").text
    # one week from the placing in detention (AMMR Art 45(1)), not two weeks from the registration
    assert "(time limit for sending: 2026-12-01)" in page
    assert re.search(r'<dd id="detained">yes, since 2026-11-24</dd>', page)
    req = responsibility.get_request(services, principal("it-dublin"), rid)
    responsibility.act(services, principal("it-dublin"), rid, "accept",
                       RequestAction(version=req["version"]))
    page = de.get(f"/responsibility/requests/{rid}").text
    # accepted 2026-11-28: five weeks for the transfer in detention, a ceiling on the detention that
    # stays on Saturday 2 January (not moved to Monday), six months for the transfer
    assert "transfer while detained by 2027-01-02" in page
    assert "Transfer period ends</dt><dd>2027-05-28" in page
