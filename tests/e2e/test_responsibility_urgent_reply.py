"""A take-charge request asking for an urgent reply, under each regime.

Read in the Official Journal's Italian texts (EUR-Lex HTML as republished in the GitHub repository
d5p2rnkdz9-hub/SOSPATTO, ``public/patto-interattivo/1351.html`` and ``ext-reg-2013-604.html``):

- AMMR (Regulation (EU) 2024/1351) Art 39(2): the requesting state may ask for an urgent reply where
  the application was registered after a refusal-of-entry decision or a return decision was issued;
  the request states the reasons and the time within which the reply is due, "pari ad almeno una
  settimana". Art 40(7): the requested state replies within the time indicated or, where none is
  given, within two weeks of receipt. Art 40(8): no reply within the two weeks of paragraph 7 is
  acceptance.
- Dublin III (Regulation (EU) No 604/2013) Art 21(2): an urgent reply may be asked where the
  application was lodged after a refusal of entry or stay, an arrest for an irregular stay, or the
  service or execution of a removal order; the request states the reasons and the time asked, at
  least one week. Art 22(6): the requested state makes every effort to meet it and, where the
  examination is particularly complex, replies in any event within one month; Art 22(7): no reply
  within that month is acceptance.

Before, a request could not ask for an urgent reply: the reply was due in one month (AMMR Art
40(1)) or two months (Dublin III Art 22(1))."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.law import time_limit
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from tests.e2e.test_qa17_clause import _act, _case, _move

Who = Callable[[str], Principal]
Login = Callable[[str], TestClient]
Headers = Callable[[str], dict[str, str]]
API = "/api/v1/responsibility"
AMMR = "Regulation (EU) 2024/1351"
D3 = "Regulation (EU) No 604/2013"
URGENT = {"urgent_ground": "return_decision", "urgent_decision_on": "2026-10-15",
          "urgent_reasons": "the return decision is to be enforced: the person is held at the border"}


def _send(client: TestClient, headers: dict[str, str], case: dict[str, Any], **body: Any) -> Any:
    return client.post(f"{API}/cases/{case['id']}/requests", headers=headers, json={"kind": "take_charge", **body})


def _fields(r: Any) -> dict[str, str]:
    assert r.status_code == 422, r.text
    return {p["loc"][-1]: p["msg"] for p in r.json()["detail"]}


def test_the_ammr_urgent_reply_is_due_in_two_weeks_or_on_the_day_asked_40_7(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    # registered 2026-10-20 after a return decision of 2026-10-15; sent on Tuesday 2026-11-10:
    # without urgency Italy replies by 2026-12-10 (one month, Art 40(1)); urgent without a day,
    # by 2026-11-24 (two weeks, Art 40(7)); urgent by 2026-11-17 (one week), on that day
    _move(services, date(2026, 11, 10))
    de = auth_headers("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-UR-1", registered_on="2026-10-20", entry_on="2026-08-01")
    r = _send(client, de, case, **URGENT)
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["reply_due"] == "2026-11-24"
    assert req["deadlines"]["reply"]["legal_basis"][0] == f"{AMMR}, Article 40(7)"
    assert (req["urgent_ground"], req["urgent_decision_on"], req["urgent_reply_by"]) == (
        "return_decision", "2026-10-15", None)
    assert req["deadlines"]["reply"]["computation"][0].startswith(
        f"An urgent reply is asked without a time ({AMMR}, Article 39(2)): the requested Member State replies "
        f"within two weeks of receipt ({AMMR}, Article 40(7))")
    _act(services, principal("de-dublin"), req, "withdraw")
    r = _send(client, de, case, **URGENT, urgent_reply_by="2026-11-17")
    assert r.status_code == 201, r.text
    req = r.json()
    assert (req["reply_due"], req["urgent_reply_by"]) == ("2026-11-17", "2026-11-17")
    assert req["deadlines"]["reply"]["legal_basis"] == [f"{AMMR}, Article 40(7)", f"{AMMR}, Article 39(2)"]
    # no reply by the day asked: acceptance (Art 40(8)), the morning after
    _move(services, date(2026, 11, 18))
    got = responsibility.get_request(services, principal("de-dublin"), req["id"])
    assert (got["status"], got["accepted_on"]) == ("accepted_tacitly", "2026-11-17")


def test_the_ammr_urgent_reply_is_refused_naming_the_field_when_its_conditions_fail(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    _move(services, date(2026, 11, 10))
    de = auth_headers("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-UR-2", registered_on="2026-10-20", entry_on="2026-08-01")
    # less than one week (Art 39(2), second subparagraph)
    assert "not before 2026-11-17" in _fields(_send(client, de, case, **URGENT, urgent_reply_by="2026-11-16"))[
        "urgent_reply_by"]
    # later than the month the reply is due in anyway: not urgent
    assert "after the day the reply is due without urgency (2026-12-10" in _fields(
        _send(client, de, case, **URGENT, urgent_reply_by="2026-12-15"))["urgent_reply_by"]
    # an arrest for an irregular stay is a Dublin III ground, not an AMMR one
    assert "one of refusal_of_entry, return_decision" in _fields(
        _send(client, de, case, **{**URGENT, "urgent_ground": "arrest_illegal_stay"}))["urgent_ground"]
    # the decision came after the registration: the application did not come after it
    assert "is after the application was registered (2026-10-20)" in _fields(
        _send(client, de, case, **{**URGENT, "urgent_decision_on": "2026-10-25"}))["urgent_decision_on"]
    assert "reasons warranting it" in _fields(_send(client, de, case, **{**URGENT, "urgent_reasons": " "}))[
        "urgent_reasons"]
    # a day asked without a ground; a take-back notification asks for no urgent reply
    assert "urgent_reply_by" in _fields(_send(client, de, case, urgent_reply_by="2026-11-20"))
    assert "only a take-charge request" in _fields(_send(
        client, de, case, **URGENT, kind="take_back_notification", hit_on="2026-11-02",
        take_back_ground="indicated_responsible_in_eurodac"))["urgent_ground"]


def test_the_dublin_iii_urgent_reply_comes_within_a_month_with_the_day_asked_22_6(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    # lodged 2026-06-01 after a removal order of 2026-05-20; sent on Monday 2026-07-06: without
    # urgency Italy replies by 2026-09-07 (two months, Art 22(1), the Sunday moved); urgent, asked
    # by 2026-07-13, Italy makes every effort to meet it and replies in any event by 2026-08-06
    _move(services, date(2026, 7, 6))
    de = auth_headers("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-UR-D3", registered_on="2026-06-01", entry_on="2026-05-01")
    body = {"urgent_ground": "removal_order", "urgent_decision_on": "2026-05-20",
            "urgent_reasons": "the removal order is to be executed"}
    assert "required under Dublin III" in _fields(_send(client, de, case, **body))["urgent_reply_by"]
    assert "one of refusal_of_entry, refusal_of_stay, arrest_illegal_stay, removal_order" in _fields(
        _send(client, de, case, **{**body, "urgent_ground": "return_decision"}, urgent_reply_by="2026-07-13"))[
        "urgent_ground"]
    r = _send(client, de, case, **body, urgent_reply_by="2026-07-13")
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["reply_due"] == "2026-08-06"
    reply = req["deadlines"]["reply"]
    assert reply["legal_basis"][0] == f"{D3}, Article 22(6)" and reply["asked_by"] == "2026-07-13"
    assert reply["computation"][0].startswith(f"An urgent reply is asked by 2026-07-13 ({D3}, Article 21(2))")
    assert f"no reply by 2026-08-06 is acceptance ({D3}, Article 22(7))" in reply["computation"][0]
    page = web_client("de-dublin").get(f"/responsibility/requests/{req['id']}").text
    assert ('<dd id="urgent">a removal order was served or executed on 2026-05-20; reply asked by 2026-07-13'
            in page)


def test_the_command_line_and_the_form_ask_for_an_urgent_reply(
        services: Services, principal: Who, web_client: Login) -> None:
    # the command line's clock: 2026-11-28 (a Saturday); two weeks run to Saturday 2026-12-12,
    # so to Monday 2026-12-14
    case = _case(services, principal("de-caseworker"), "DE-UR-CLI", registered_on="2026-10-20", entry_on="2026-08-01")
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "de-dublin"}
    r = CliRunner().invoke(app, ["responsibility", "request", case["id"], "-"], env=env,
                           input=json.dumps({"kind": "take_charge", **URGENT, "urgent_reasons": ""}))
    assert r.exit_code == 2 and "urgent_reasons" in r.output and len(r.output.strip().splitlines()) == 1
    r = CliRunner().invoke(app, ["responsibility", "request", case["id"], "-"], env=env,
                           input=json.dumps({"kind": "take_charge", **URGENT}))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["reply_due"] == "2026-12-14"
    form = _case(services, principal("de-caseworker"), "DE-UR-WEB", registered_on="2026-10-20", entry_on="2026-08-01")
    page = web_client("de-dublin").get(f"/responsibility/cases/{form['id']}").text
    assert '<option value="return_decision">a return decision was issued</option>' in page
    refused = web_client("de-dublin").post(f"/responsibility/cases/{form['id']}/requests", data={
        "kind": "take_charge", **URGENT, "urgent_reply_by": "2026-11-30"})
    assert refused.status_code == 422 and "not before 2026-12-05" in refused.text
    r = web_client("de-dublin").post(f"/responsibility/cases/{form['id']}/requests", data={
        "kind": "take_charge", **URGENT, "urgent_reply_by": "2026-12-07"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    rid = r.headers["location"].split("/")[-1].split("?")[0]
    got = responsibility.get_request(services, principal("de-dublin"), rid)
    assert (got["reply_due"], got["urgent_reply_by"]) == ("2026-12-07", "2026-12-07")


def test_the_law_tree_gives_the_ammr_urgent_reply_two_weeks_40_7() -> None:
    r = time_limit("take_charge_reply", event_at=date(2026, 11, 10), member_state="IT",
                   application_registered_on=date(2026, 10, 20), variant="urgent")
    assert (r.period, r.legal_basis[0], r.ends_on) == ("2 weeks", f"{AMMR}, Article 40(7)", date(2026, 11, 24))
