"""What a Dublin unit reads on a request's page and in its inbox: the day the requested state
replied, even after a re-examination, and what silence means for each kind.

Silence: Dublin III Arts 22(7), 25(2) and AMMR Art 40(8) (acceptance of a take charge or take
back), AMMR Art 41(4) (confirmation of a take-back notification); a humanitarian-clause request has
no tacit acceptance (Dublin III Art 17(2), AMMR Art 35(2): the requested state replies). The
re-examination: Reg. 1560/2003 Art 5(2), a reply within two weeks of the request for it.

Before, a request refused on 2026-11-20 and accepted on re-examination on 2026-12-07 read "Reply
due 2026-12-02 · replied 2026-12-07": the day of the re-examination's answer shown as the reply,
after the reply deadline, as if the requested state had answered late (silence then being
acceptance); and the inbox
said silence is acceptance for every request, a take-back notification and a humanitarian-clause
request included.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient

from pactum.common.errors import Conflict
from pactum.responsibility import procedure as proc
from pactum.responsibility.procedure import IllegalTransition
from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from tests.e2e.test_qa17_clause import _case, _move

Who = Callable[[str], Principal]
Login = Callable[[str], TestClient]


def test_a_request_accepted_on_re_examination_shows_the_first_reply_and_the_re_examination_answer(
        services: Services, principal: Who, web_client: Login) -> None:
    de, it = principal("de-dublin"), principal("it-dublin")
    _move(services, date(2026, 11, 2))
    case = _case(services, principal("de-caseworker"), "DE-RW-1", registered_on="2026-10-20", entry_on="2026-08-01")
    req = responsibility.send_request(services, de, case["id"], RequestCreate.model_validate({"kind": "take_charge"}))
    assert req["reply_due"] == "2026-12-02"
    _move(services, date(2026, 11, 20))
    req = responsibility.act(services, it, req["id"], "refuse", RequestAction.model_validate(
        {"version": req["version"], "reasons": "no entry into Italy is shown"}))
    _move(services, date(2026, 11, 25))
    req = responsibility.act(services, de, req["id"], "request_reexamination", RequestAction.model_validate(
        {"version": req["version"], "reasons": "Eurodac record of the crossing attached"}))
    _move(services, date(2026, 12, 7))
    req = responsibility.act(services, it, req["id"], "accept_reexamination",
                             RequestAction.model_validate({"version": req["version"]}))
    page = web_client("de-dublin").get(f"/responsibility/requests/{req['id']}").text
    assert '<span id="replied-on">replied 2026-11-20</span>' in page
    assert '<span id="reexamination-replied-on">answered 2026-12-07</span>' in page
    assert "replied 2026-12-07" not in page


def test_the_inbox_says_what_silence_means_for_each_kind(web_client: Login) -> None:
    page = web_client("it-dublin").get("/responsibility/inbox").text
    assert "Silence at a reply deadline is acceptance" not in page
    assert "at the confirmation deadline of a take-back notification confirmation" in page
    assert "a humanitarian-clause request left unanswered is not accepted" in page


def test_a_stale_step_on_a_take_back_notification_names_its_status_as_a_notification(
        services: Services, principal: Who) -> None:
    # a pending notification awaits the notified state's confirmation (AMMR Art 41(3)), not a reply
    _move(services, date(2026, 11, 10))
    case = responsibility.create_case(services, principal("de-caseworker"), CaseCreate.model_validate({
        "reference": "DE-RW-TBN", "applicant_name": "Samir Haddad", "facts": {
            "application": {"registered_in": "DE", "registered_on": "2026-11-02"},
            "earlier_applications": [{"member_state": "IT", "registered_on": "2026-09-01"}]}}))
    req = responsibility.send_request(services, principal("de-dublin"), case["id"], RequestCreate.model_validate(
        {"kind": "take_back_notification", "take_back_ground": "indicated_responsible_in_eurodac",
         "eurodac_hit": True, "hit_on": "2026-11-04"}))
    with pytest.raises(Conflict) as stale:
        responsibility.act(services, principal("it-dublin"), req["id"], "confirm",
                           RequestAction.model_validate({"version": req["version"] + 1}))
    assert "status 'awaiting confirmation'" in str(stale.value)
    with pytest.raises(IllegalTransition) as wrong:
        proc.next_status("take_back_notification", "pending", "decide_transfer")
    assert "awaiting confirmation" in str(wrong.value)


def test_the_case_page_says_a_request_s_last_day_once(services: Services, principal: Who, web_client: Login) -> None:
    # registered 2026-10-20 (AMMR): two months, to 2026-12-21 (Art 39(1)); before, the line read
    # "Last day for a take charge: 2026-12-21 (2026-12-21, 2 months from the registration …)"
    case = _case(services, principal("de-caseworker"), "DE-RW-LD", registered_on="2026-10-20", entry_on="2026-08-01")
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    line = page.split('id="request-last-day-take_charge">', 1)[1].split("</p>", 1)[0]
    assert line.count("2026-12-21") == 1
    assert "(2 months from the registration of the application on 2026-10-20" in line
