"""The Dublin case page, the API's case and the refusal of a request agree on whether a request
lies: the page offers only the kinds of request the service would accept and says why the others
do not, with their legal basis, instead of a "Send" form beside a notice that no request lies.
One rule decides (``services.responsibility.request_bars``): the case's ``new_request`` and the
refusal of a request sent anyway say the same words. The discretionary clause is offered, or
said to be barred, by the rule that refuses it too."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.common.errors import Conflict
from pactum.responsibility.cessation import DiscretionaryClause
from pactum.responsibility.current import clause_refusal
from pactum.responsibility.schemas import RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from tests.e2e.test_qa17_clause import _act, _case  # a German case, Italy responsible by the entry

Who = Callable[[str], Principal]
Login = Callable[[str], TestClient]
Headers = Callable[[str], dict[str, str]]

D3_21_1 = "Regulation (EU) No 604/2013, Article 21(1)"
AMMR_16_1 = "Regulation (EU) 2024/1351, Article 16(1)"
SEND_FORM = 'action="/responsibility/cases/{}/requests"'


def _kinds(page: str) -> list[str]:
    """The kinds the send form's "Kind" offers."""
    if 'name="kind"' not in page:
        return []
    select_ = page.split('<select name="kind"', 1)[1].split("</select>", 1)[0]
    return [v.split('"', 1)[0] for v in select_.split('<option value="')[1:]]


def _notice(page: str) -> str:
    return page.split('id="no-request">', 1)[1].split("</div>", 1)[0]


def _refusal(services: Services, de: Principal, case_id: str, **body: Any) -> str:
    with pytest.raises(Conflict) as refused:
        responsibility.send_request(services, de, case_id, RequestCreate.model_validate(body))
    return str(refused.value)


def _transferred(services: Services, principal: Who, ref: str) -> dict[str, Any]:
    """A case whose take-charge request Italy accepted and on which the person was transferred."""
    de, it = principal("de-dublin"), principal("it-dublin")
    case = _case(services, principal("de-caseworker"), ref)
    req = responsibility.send_request(services, de, case["id"], RequestCreate(kind="take_charge"))
    req = _act(services, it, req, "accept")
    req = _act(services, de, req, "decide_transfer")
    req = _act(services, de, req, "arrange_transfer", planned_on="2026-11-28")
    _act(services, de, req, "complete_transfer", transferred_on="2026-11-28")
    return case


# --- the time limit passed -------------------------------------------------------------------


def test_a_take_charge_whose_time_limit_passed_is_not_offered_and_the_page_says_why(
        services: Services, principal: Who, web_client: Login) -> None:
    # lodged on 2026-06-01 (Dublin III): three months for a take-charge request, even after a hit
    case = _case(services, principal("de-caseworker"), "DE-LIES-1", registered_on="2026-06-01",
                 entry_on="2026-05-01")
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    assert "take_charge" not in _kinds(page)
    notice = _notice(page)
    assert "Take charge: not offered." in notice and D3_21_1 in notice
    # the page says the words the service refuses a take charge sent anyway with
    said = _refusal(services, principal("de-dublin"), case["id"], kind="take_charge")
    assert said.startswith("the time limit for this request ended on 2026-09-01")
    assert said[:1].upper() + said[1:] in notice.replace("&#39;", "'")
    # the humanitarian clause may be invoked at any time before a decision on the substance: offered
    assert "humanitarian" in _kinds(page)


def test_after_the_limit_a_request_that_may_run_from_a_hit_is_offered_with_a_hit_only(
        services: Services, principal: Who, web_client: Login) -> None:
    # registered 2026-08-20 (AMMR): two months from the registration ended on 2026-10-20; a
    # request still lies within a month of a Eurodac or VIS hit (AMMR Art 39(1))
    case = _case(services, principal("de-caseworker"), "DE-LIES-2", registered_on="2026-08-20",
                 entry_on="2026-06-01")
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    assert "take_charge" in _kinds(page)
    notice = _notice(page)
    assert "Take charge: only with a Eurodac hit." in notice and "2026-10-20" in notice
    de = principal("de-dublin")
    # without a hit it is refused as late; with a hit of last week it is sent
    assert _refusal(services, de, case["id"], kind="take_charge").startswith(
        "the time limit for this request ended on 2026-10-20")
    sent = responsibility.send_request(services, de, case["id"], RequestCreate.model_validate(
        {"kind": "take_charge", "eurodac_hit": True, "hit_on": "2026-11-20"}))
    assert sent["status"] == "pending" and sent["late"] is False


# --- a request already running, a transfer done ---------------------------------------------


def test_a_case_with_a_request_running_shows_why_and_no_send_form(
        services: Services, principal: Who, web_client: Login) -> None:
    case = _case(services, principal("de-caseworker"), "DE-LIES-3")
    de = principal("de-dublin")
    responsibility.send_request(services, de, case["id"], RequestCreate(kind="take_charge"))
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    assert SEND_FORM.format(case["id"]) not in page and _kinds(page) == []
    notice = _notice(page)
    assert "No request can be sent on this case." in notice
    assert "already has a take-charge request to IT that is awaiting reply" in notice and AMMR_16_1 in notice
    # one line for every kind refused for the same reason
    assert notice.count("<li>") == 1 and "Take charge, take-back notification, humanitarian clause" in notice
    # the refusal of a request sent anyway is the page's reason
    said = _refusal(services, de, case["id"], kind="humanitarian", requested_member_state="AT",
                    consented_in_writing_on="2026-11-25")
    assert said[:1].upper() + said[1:] in notice


def test_no_request_lies_once_the_person_was_transferred(
        services: Services, principal: Who, web_client: Login) -> None:
    case = _transferred(services, principal, "DE-LIES-4")
    de = principal("de-dublin")
    # the time limit for a take charge (to 2027-01-20) still runs, and no substance decision bars the
    # humanitarian clause: only the transfer stops them, which the service did not check before
    for body in ({"kind": "take_charge", "requested_member_state": "FR", "criterion": "visa"},
                 {"kind": "humanitarian", "requested_member_state": "AT", "consented_in_writing_on": "2026-11-25"}):
        said = _refusal(services, de, case["id"], **body)
        assert "the applicant was transferred to IT on 2026-11-28" in said and AMMR_16_1 in said
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    assert SEND_FORM.format(case["id"]) not in page
    assert "The applicant was transferred to IT on 2026-11-28" in _notice(page)
    # nor the discretionary clause: the page says why instead of its form, in the service's words
    with pytest.raises(Conflict) as refused:
        responsibility.apply_discretionary_clause(services, de, case["id"], DiscretionaryClause.model_validate(
            {"version": 1, "reasons": "Family in Germany"}))
    barred = page.split('id="clause-barred">', 1)[1].split("</p>", 1)[0]
    assert str(refused.value) in barred and 'id="discretionary-clause"' not in page


# --- a request lies -------------------------------------------------------------------------


def test_a_case_where_a_request_lies_shows_the_form_and_no_notice(
        services: Services, principal: Who, web_client: Login) -> None:
    case = _case(services, principal("de-caseworker"), "DE-LIES-5")
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    assert SEND_FORM.format(case["id"]) in page and 'id="no-request"' not in page
    assert _kinds(page) == ["take_charge", "take_back_notification", "humanitarian"]
    r = web_client("de-dublin").post(f"/responsibility/cases/{case['id']}/requests",
                                     data={"kind": "take_charge", "requested_member_state": "IT"})
    assert r.status_code == 200 and "done=sent" in str(r.url) and "Request sent." in r.text


# --- the API and the CLI say it too -----------------------------------------------------------


def test_the_api_case_says_whether_a_request_lies_and_why_not(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    fresh = _case(services, principal("de-caseworker"), "DE-LIES-6")
    got = client.get(f"/api/v1/responsibility/cases/{fresh['id']}", headers=auth_headers("de-dublin")).json()
    assert got["new_request"]["lies"] is True
    assert [k["kind"] for k in got["new_request"]["kinds"] if k["lies"]] == [
        "take_charge", "take_back_notification", "humanitarian"]
    assert "responsible_now" in got and "asylum_case" in got  # the fields it had stay
    de = principal("de-dublin")
    responsibility.send_request(services, de, fresh["id"], RequestCreate(kind="take_charge"))
    got = client.get(f"/api/v1/responsibility/cases/{fresh['id']}", headers=auth_headers("de-dublin")).json()
    assert got["new_request"]["lies"] is False
    charge = next(k for k in got["new_request"]["kinds"] if k["kind"] == "take_charge")
    assert charge["legal_basis"] == [AMMR_16_1] and charge["only_with_eurodac_hit"] is False
    r = client.post(f"/api/v1/responsibility/cases/{fresh['id']}/requests", headers=auth_headers("de-dublin"),
                    json={"kind": "take_charge", "requested_member_state": "IT"})
    assert r.status_code == 409 and charge["reason"] in r.text
    # the state asked reads the case without the recording state's choice
    asked = client.get(f"/api/v1/responsibility/cases/{fresh['id']}", headers=auth_headers("it-dublin")).json()
    assert asked["new_request"] is None


def test_the_cli_show_says_whether_a_request_lies(services: Services, principal: Who) -> None:
    case = _case(services, principal("de-caseworker"), "DE-LIES-7", registered_on="2026-06-01",
                 entry_on="2026-05-01")
    r = CliRunner().invoke(app, ["responsibility", "show", case["id"]],
                           env={"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "de-dublin"})
    assert r.exit_code == 0, r.output
    kinds = {k["kind"]: k for k in json.loads(r.stdout)["new_request"]["kinds"]}
    assert kinds["take_charge"]["lies"] is False and D3_21_1 in kinds["take_charge"]["legal_basis"]


# --- the shared rules, service and domain ---------------------------------------------------


def test_every_kind_the_case_says_does_not_lie_is_refused_with_that_reason(
        services: Services, principal: Who) -> None:
    de = principal("de-dublin")
    cases = [_case(services, principal("de-caseworker"), "DE-LIES-8", registered_on="2026-06-01",
                   entry_on="2026-05-01"), _transferred(services, principal, "DE-LIES-9")]
    bodies = {"take_charge": {"requested_member_state": "IT"}, "take_back": {"requested_member_state": "IT"},
              "take_back_notification": {"requested_member_state": "IT", "hit_on": "2026-11-27",
                                         "take_back_ground": "indicated_responsible_in_eurodac"},
              "humanitarian": {"requested_member_state": "AT", "consented_in_writing_on": "2026-11-25"}}
    checked = 0
    for case in cases:
        shown = responsibility.get_case(services, de, case["id"], channel=None)["new_request"]
        for k in shown["kinds"]:
            if k["lies"]:
                continue
            assert k["reason"] and k["legal_basis"]
            assert _refusal(services, de, case["id"], kind=k["kind"], **bodies[k["kind"]]) == k["reason"]
            checked += 1
    assert checked == 1 + 3  # the Dublin III take charge out of time; every kind after the transfer


def test_the_discretionary_clause_rule() -> None:
    assert clause_refusal("DE", "IT", "determined: irregular entry", ["Art"], []) is None
    own = clause_refusal("DE", "DE", "determined: first application", [], [])
    assert own is not None and own.startswith("DE is already responsible") and "no other state designated" in own
    moved = clause_refusal("DE", "IT", "IT accepted", [], [("IT", "2026-11-28", "dbr_1")])
    assert moved is not None and "transferred to IT on 2026-11-28 (request dbr_1)" in moved
