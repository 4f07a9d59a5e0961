"""A Eurodac or VIS hit the Dublin unit records on its case before any request, and the last day of
the request that runs from it, on the API, the command line and the case page.

Read in the Official Journal's Italian texts (EUR-Lex HTML as republished in the GitHub repository
d5p2rnkdz9-hub/SOSPATTO, ``public/patto-interattivo/1351.html`` and ``ext-reg-2013-604.html``):

- AMMR (Regulation (EU) 2024/1351) Art 39(1): two months from the registration; "by way of
  derogation", one month from a Eurodac hit with data recorded under Arts 22 (irregular crossing
  of an external border) and 24 (disembarked after a search and rescue operation) of Regulation
  (EU) 2024/1358, or a VIS hit; not made in time, the state of registration is responsible.
- Dublin III (Regulation (EU) No 604/2013) Art 21(1): three months from the lodging; by way of
  derogation two months from a Eurodac hit with Art 14 data of Regulation (EU) No 603/2013. No VIS
  hit runs a period under Dublin III.

Before, a case learnt of a hit only from a request that stated it: an officer who had received a
hit saw the two months from the registration until a request was drafted.

The tests' clock: 2026-11-28 (a Saturday), moved where said."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.common.errors import Conflict
from pactum.responsibility.schemas import RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.store.tables.platform import audit_log
from tests.e2e.test_qa17_clause import _act, _case, _clause, _move

Who = Callable[[str], Principal]
Headers = Callable[[str], dict[str, str]]
Login = Callable[[str], TestClient]
API = "/api/v1/responsibility"
AMMR_39_1 = "Regulation (EU) 2024/1351, Article 39(1)"


def _limit(case: dict[str, Any], kind: str = "take_charge") -> dict[str, Any]:
    (got,) = [x for x in case["request_limits"] if x["kind"] == kind]
    return got


def _hit(client: TestClient, headers: dict[str, str], case: dict[str, Any], **body: Any) -> Any:
    return client.post(f"{API}/cases/{case['id']}/hits", headers=headers,
                       json={"hit_on": "2026-10-26", "member_state": "IT", "category": "irregular_crossing", **body})


def test_a_hit_received_a_month_ago_ends_the_take_charge_time_limit_today_ammr_39_1(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    # registered 2026-10-20 (AMMR): two months run to 2026-12-21; a Eurodac hit received on
    # 2026-10-26 gives one month in their place, to today, 2026-11-26 (a Thursday)
    _move(services, date(2026, 11, 26))
    de = auth_headers("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-RH-1", registered_on="2026-10-20", entry_on="2026-08-01")
    before = client.get(f"{API}/cases/{case['id']}", headers=de).json()
    assert _limit(before)["last_day"] == "2026-12-21" and before["hits"] == []
    r = _hit(client, de, case, reference="IT1-2026-4471")
    assert r.status_code == 201, r.text
    got = r.json()
    limit = _limit(got)
    assert (limit["last_day"], limit["from_hit"], limit["hit_on"]) == ("2026-11-26", True, "2026-10-26")
    assert limit["registration_day"] == "2026-12-21" and limit["hit_recorded_on"] == "2026-11-26"
    (hit,) = got["hits"]
    assert (hit["member_state"], hit["category"], hit["reference"], hit["kind"]) == (
        "IT", "irregular_crossing", "IT1-2026-4471", "take_charge")
    assert hit["last_day"] == "2026-11-26" and "in place of the period from the registration ending on " \
        "2026-12-21 (earlier than it)" in hit["effect"]
    assert hit["legal_basis"] == [f"{AMMR_39_1}, second subparagraph"]
    now = got["responsible_now"]
    assert now["member_state"] == "IT" and "lies until 2026-11-26, 1 month from the Eurodac hit of 2026-10-26" \
        in now["reason"]
    assert any(e["action"] == "hit_recorded" for e in got["timeline"])
    with services.uow() as uow:
        (entry,) = uow.conn.execute(select(audit_log.c.action, audit_log.c.actor).where(
            audit_log.c.action == "responsibility.hit_recorded", audit_log.c.entity_id == case["id"])).all()
    assert entry.actor == "de-dublin"
    # a request that does not state the hit is checked against the one recorded: due today
    sent = responsibility.send_request(services, principal("de-dublin"), case["id"],
                                       RequestCreate.model_validate({"kind": "take_charge"}))
    assert sent["request_deadline"] == "2026-11-26" and sent["late"] is False
    assert "(recorded on the case on 2026-11-26)" in sent["deadlines"]["request"]["computation"][0]
    # the Italian unit, asked now, does not see the German unit's file of hits
    assert client.get(f"{API}/cases/{case['id']}", headers=auth_headers("it-dublin")).json()["hits"] is None
    _act(services, principal("de-dublin"), sent, "withdraw")
    # tomorrow, within the two months from the registration but past the month from the hit:
    # Germany is responsible and a request is refused as late
    _move(services, date(2026, 11, 27))
    after = client.get(f"{API}/cases/{case['id']}", headers=de).json()
    assert after["responsible_now"]["member_state"] == "DE"
    assert after["responsible_now"]["rule"] == "no_request_in_time"
    assert after["responsible_now"]["reason"].startswith(
        "no take-charge request was sent to IT by 2026-11-26, 1 month from the Eurodac hit of 2026-10-26")
    r = client.post(f"{API}/cases/{case['id']}/requests", headers=de, json={"kind": "take_charge"})
    assert r.status_code == 409 and "ended on 2026-11-26" in r.text
    # nor does a hit received since reopen the time limit that has passed (Art 39(1), third subparagraph)
    r = _hit(client, de, case, hit_on="2026-11-27", reference="IT1-2026-4502")
    assert r.status_code == 409 and "a hit received since does not reopen it" in r.text


def test_a_vis_hit_runs_the_month_under_the_ammr_but_no_period_under_dublin_iii(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    de = auth_headers("de-dublin")
    ammr = _case(services, principal("de-caseworker"), "DE-RH-VIS", registered_on="2026-10-20", entry_on="2026-08-01")
    r = _hit(client, de, ammr, source="vis", category=None, hit_on="2026-11-02")
    assert r.status_code == 201, r.text
    limit = _limit(r.json())
    assert (limit["last_day"], limit["hit_source"]) == ("2026-12-02", "vis")
    assert limit["words"] == f"2026-12-02, 1 month from the VIS hit of 2026-11-02 ({AMMR_39_1})"
    d3 = _case(services, principal("de-caseworker"), "DE-RH-VIS-D3", registered_on="2026-06-01", entry_on="2026-05-01")
    r = _hit(client, de, d3, source="vis", category=None, hit_on="2026-06-05")
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["loc"][-1] == "source"
    assert "under Dublin III no time limit runs from a VIS hit" in problem["msg"]
    # a hit on an earlier application's data runs a take back: under Dublin III two months from it
    # besides the three months from the lodging (Art 23(2)); under the AMMR a take-back
    # notification is due within two weeks (Art 41(1)), and sent later still obliges
    d3_back = _hit(client, de, d3, category="applicant", hit_on="2026-06-05").json()["hits"][0]
    assert d3_back["kind"] == "take_back" and d3_back["last_day"] == "2026-08-05"
    assert d3_back["legal_basis"] == ["Regulation (EU) No 604/2013, Article 23(2)"]
    assert "besides the period from the lodging ending on 2026-09-01" in d3_back["effect"]
    notification = _hit(client, de, ammr, category="applicant", hit_on="2026-11-02").json()["hits"][-1]
    assert notification["kind"] == "take_back_notification" and notification["last_day"] == "2026-11-16"
    assert "two weeks from this Eurodac hit (Regulation (EU) 2024/1351, Article 41(1))" in notification["effect"]


def test_the_same_hit_gives_a_month_after_the_pact_and_two_months_under_dublin_iii(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    de = auth_headers("de-dublin")
    # lodged 2026-06-01 (Dublin III): three months to 2026-09-01; an irregular-crossing hit of
    # 2026-06-05 gives two months in their place, to 2026-08-05 (Art 21(1), second subparagraph)
    d3 = _case(services, principal("de-caseworker"), "DE-RH-D3", registered_on="2026-06-01", entry_on="2026-05-01")
    assert _limit(client.get(f"{API}/cases/{d3['id']}", headers=de).json())["last_day"] == "2026-09-01"
    r = _hit(client, de, d3, hit_on="2026-06-05")
    assert r.status_code == 201, r.text
    got = r.json()
    assert (_limit(got)["last_day"], _limit(got)["from_hit"]) == ("2026-08-05", True)
    assert got["hits"][0]["legal_basis"] == ["Regulation (EU) No 604/2013, Article 21(1), second subparagraph"]
    # long past: Germany became responsible on the last day of the two months from the hit, not
    # on that of the three months from the lodging
    assert got["responsible_now"]["member_state"] == "DE" and got["responsible_now"]["since"] == "2026-08-05"
    # registered 2026-10-20 (AMMR) with a hit six days later: one month, to 2026-11-26
    ammr = _case(services, principal("de-caseworker"), "DE-RH-AMMR", registered_on="2026-10-20",
                 entry_on="2026-08-01")
    got = _hit(client, de, ammr).json()
    assert _limit(got)["last_day"] == "2026-11-26"


def test_bad_hits_are_refused_naming_the_field_and_a_closed_case_is_a_conflict(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    de = auth_headers("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-RH-BAD", registered_on="2026-10-20", entry_on="2026-08-01")

    def field(**body: Any) -> tuple[int, list[str]]:
        r = _hit(client, de, case, **body)
        return r.status_code, [e["loc"][-1] for e in r.json().get("detail", [])]

    assert field(hit_on="2026-12-01") == (422, ["hit_on"])  # in the future
    assert field(hit_on="2026-10-19") == (422, ["hit_on"])  # before the registration
    assert field(member_state="DE") == (422, ["member_state"])
    assert field(member_state="XX") == (422, ["member_state"])
    assert field(category=None) == (422, ["category"])
    # a hit on data of a person found illegally staying (Regulation (EU) 2024/1358, Art 23) is not
    # among the hits of AMMR Art 39(1): the two months from the registration still run
    r = _hit(client, de, case, category="illegal_stay")
    assert r.status_code == 422 and "the two months from the registration still run" in r.text
    assert client.post(f"{API}/cases/{case['id']}/hits", headers=auth_headers("de-caseworker"), json={
        "hit_on": "2026-10-26", "member_state": "IT", "category": "irregular_crossing"}).status_code == 403
    assert _hit(client, auth_headers("it-dublin"), case).status_code == 404
    assert _hit(client, de, case, hit_on="2026-11-02").status_code == 201
    again = _hit(client, de, case, hit_on="2026-11-02")
    assert again.status_code == 409 and "already recorded" in again.text
    # the discretionary clause applied: Germany examines the application, no request lies
    current = client.get(f"{API}/cases/{case['id']}", headers=de).json()
    _clause(services, principal("de-dublin"), current, on="2026-11-28")
    closed = _hit(client, de, case, hit_on="2026-11-03")
    assert closed.status_code == 409 and "no request lies on this case any more" in closed.text


def _cli(services: Services, *args: str) -> Any:
    return CliRunner().invoke(app, ["responsibility", *args],
                              env={"PACTUM_DATABASE_URL": services.settings.database_url,
                                   "PACTUM_CLI_USER": "de-dublin"})


def test_the_command_line_records_a_hit_and_refuses_a_bad_one_in_one_line(services: Services, principal: Who) -> None:
    case = _case(services, principal("de-caseworker"), "DE-RH-CLI", registered_on="2026-10-20", entry_on="2026-08-01")
    r = _cli(services, "record-hit", case["id"], "--on", "2026-12-01", "--member-state", "IT",
             "--category", "irregular_crossing")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.strip() == "error: --on: is in the future"
    r = _cli(services, "record-hit", case["id"], "--on", "28/10/2026", "--member-state", "IT")
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1 and "--on" in r.stderr
    # a hit received a month ago (2026-10-28; the month ends on Saturday 2026-11-28, so on Monday
    # 2026-11-30): three weeks before the two months from the registration
    r = _cli(services, "record-hit", case["id"], "--on", "2026-10-28", "--member-state", "IT",
             "--category", "irregular_crossing", "--reference", "IT1-2026-0099")
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    assert _limit(got)["last_day"] == "2026-11-30" and _limit(got)["registration_day"] == "2026-12-21"
    shown = json.loads(_cli(services, "show", case["id"]).stdout)
    assert shown["hits"][0]["reference"] == "IT1-2026-0099"
    assert "lies until 2026-11-30" in shown["responsible_now"]["reason"]


def test_the_case_page_offers_the_form_to_the_dublin_unit_only_and_shows_the_hit_and_its_day(
        services: Services, principal: Who, web_client: Login) -> None:
    case = _case(services, principal("de-caseworker"), "DE-RH-WEB", registered_on="2026-10-20", entry_on="2026-08-01")
    url = f"/responsibility/cases/{case['id']}"
    assert 'id="record-hit"' not in web_client("de-caseworker").get(url).text
    unit = web_client("de-dublin")
    page = unit.get(url).text
    assert 'id="record-hit"' in page and 'id="no-hits"' in page
    assert "Last day for a take charge" in page and "<strong>2026-12-21</strong>" in page
    refused = unit.post(f"{url}/hits", data={"hit_received_on": "2026-12-05", "hit_source": "eurodac",
                                             "hit_category": "irregular_crossing", "hit_member_state": "IT"})
    assert refused.status_code == 422 and "Hit received on: is in the future" in refused.text
    assert 'value="2026-12-05"' in refused.text  # kept as typed
    r = unit.post(f"{url}/hits", data={"hit_received_on": "2026-10-28", "hit_source": "eurodac",
                                       "hit_category": "irregular_crossing", "hit_member_state": "IT",
                                       "hit_reference": "IT1-2026-0101"}, follow_redirects=True)
    assert r.status_code == 200 and 'id="hit-recorded"' in r.text
    page = r.text
    assert 'id="recorded-hits"' in page and "2026-10-28" in page and "IT1-2026-0101" in page
    assert "<strong>2026-11-30</strong>" in page and "it would be 2026-12-21" in page
    assert "lies until 2026-11-30" in page  # "Responsible now"
    # the request form is filled in with the hit
    assert 'name="hit_on" value="2026-10-28"' in page and "filled in: the Eurodac hit of 2026-10-28" in page


def test_a_hit_recorded_before_a_request_is_not_refused_for_an_already_sent_one(
        services: Services, principal: Who) -> None:
    # recorded while a request runs: kept for the next request, the running one unchanged
    de = principal("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-RH-RUN", registered_on="2026-10-20", entry_on="2026-08-01")
    sent = responsibility.send_request(services, de, case["id"], RequestCreate.model_validate({"kind": "take_charge"}))
    assert sent["request_deadline"] == "2026-12-21"
    from pactum.responsibility.schemas import HitCreate

    got = responsibility.record_hit(services, de, case["id"], HitCreate.model_validate(
        {"hit_on": "2026-11-02", "member_state": "IT", "category": "irregular_crossing"}))
    assert responsibility.get_request(services, de, sent["id"])["request_deadline"] == "2026-12-21"
    assert _limit(got)["last_day"] == "2026-12-02"
    with pytest.raises(Conflict):  # a request still runs: no second request lies
        responsibility.send_request(services, de, case["id"], RequestCreate.model_validate({"kind": "take_charge"}))


def test_after_a_transfer_decision_the_hit_form_says_it_serves_only_a_next_request(
        services: Services, principal: Who, web_client: Login) -> None:
    """Italy accepted the take charge and Germany decided the transfer: Italy is responsible and no
    other request lies while that stands (one Member State examines the application, AMMR Art
    16(1)), so a hit recorded now runs no time limit. It serves a next request only, should this one
    be withdrawn (the transfer proving impossible, Art 16(3)): the page says so instead of "a hit
    received before a request" and "the request's time limit runs from it"."""
    from pactum.responsibility.schemas import HitCreate

    de, it = principal("de-dublin"), principal("it-dublin")
    case = _case(services, principal("de-caseworker"), "DE-RH-TD", registered_on="2026-10-20", entry_on="2026-08-01")
    req = responsibility.send_request(services, de, case["id"], RequestCreate.model_validate({"kind": "take_charge"}))
    req = _act(services, it, req, "accept")
    req = _act(services, de, req, "decide_transfer")
    url = f"/responsibility/cases/{case['id']}"
    unit = web_client("de-dublin")
    page = unit.get(url).text
    assert "Record a hit received before a request" not in page
    assert "Record a hit for a next request" in page
    box = page.split('id="hit-next"', 1)[1].split("</p>", 1)[0]
    assert f"IT is responsible on request {req['id']} (transfer decided)" in box
    assert "a hit recorded now runs no time limit" in box and "only if this request is withdrawn" in box
    assert "Regulation (EU) 2024/1351, Article 16(1)" in box and "Regulation (EU) 2024/1351, Article 16(3)" in box
    r = unit.post(f"{url}/hits", data={"hit_received_on": "2026-10-28", "hit_source": "eurodac",
                                       "hit_category": "irregular_crossing", "hit_member_state": "IT"},
                  follow_redirects=True)
    assert r.status_code == 200
    notice = r.text.split('id="hit-recorded">', 1)[1].split("</p>", 1)[0]
    assert notice == (f"Hit recorded: it runs no time limit while the request {req['id']} to IT stands; a next "
                      "request's would run from it.")
    # the transfer carried out: no request lies on the case again, the page offers no form and
    # says why (the service refuses a hit with the same words)
    req = responsibility.get_request(services, de, req["id"], channel=None)
    req = _act(services, de, req, "arrange_transfer", planned_on="2026-11-28")
    _act(services, de, req, "complete_transfer", transferred_on="2026-11-28")
    page = unit.get(url).text
    assert 'id="record-hit"' not in page
    why = page.split('id="no-hit">', 1)[1].split("</p>", 1)[0]
    assert f"the applicant was transferred to IT on this case (request {req['id']})" in why
    with pytest.raises(Conflict, match="the applicant was transferred to IT"):
        responsibility.record_hit(services, de, case["id"], HitCreate.model_validate(
            {"hit_on": "2026-11-02", "member_state": "IT", "category": "irregular_crossing"}))


def test_the_case_page_offers_no_hit_form_once_the_clause_made_the_state_responsible(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    de = auth_headers("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-RH-CL", registered_on="2026-10-20", entry_on="2026-08-01")
    current = client.get(f"{API}/cases/{case['id']}", headers=de).json()
    _clause(services, principal("de-dublin"), current, on="2026-11-28")
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    assert 'id="record-hit"' not in page
    assert "DE is responsible now" in page.split('id="no-hit">', 1)[1].split("</p>", 1)[0]


def test_a_hit_stated_only_on_a_request_is_named_with_that_request_not_denied_on_the_case_page(
        services: Services, principal: Who, web_client: Login, client: TestClient, auth_headers: Headers) -> None:
    """The Dublin unit sent its take charge stating a Eurodac hit of 2026-11-02 without recording the
    hit on the case first: the last day counts with that hit (one month, AMMR Art 39(1), second
    subparagraph), and the page named no hit beside it ("No Eurodac or VIS hit is recorded on this
    case"). It now says the hit was stated on that request, its source."""
    de = principal("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-RH-STATED", registered_on="2026-10-20",
                 entry_on="2026-08-01")
    sent = responsibility.send_request(services, de, case["id"], RequestCreate.model_validate(
        {"kind": "take_charge", "eurodac_hit": True, "hit_on": "2026-11-02"}))
    got = client.get(f"{API}/cases/{case['id']}", headers=auth_headers("de-dublin")).json()
    assert got["hits"] == []
    limit = _limit(got)
    assert (limit["last_day"], limit["hit_on"], limit["hit_recorded_on"]) == ("2026-12-02", "2026-11-02", None)
    assert limit["hit_request"] == {"id": sent["id"], "requested_member_state": sent["requested_member_state"],
                                    "sent_on": sent["sent_on"]}
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    assert "<strong>2026-12-02</strong>" in page
    assert 'id="no-hits"' not in page and "No Eurodac or VIS hit is recorded on this case" not in page
    stated = page.split('id="stated-hit-take_charge">', 1)[1].split("</p>", 1)[0]
    assert stated.startswith("The last day for a take charge counts the Eurodac hit of 2026-11-02 stated on the "
                             f'request <a href="/responsibility/requests/{sent["id"]}">take charge to '
                             f'{sent["requested_member_state"]}</a> sent on {sent["sent_on"]}, its source')
    assert "no hit is recorded on this case itself" in stated
    # a hit recorded on the same day after the request is shown in the table; the last day still
    # counts with the request's hit (on one day a hit recorded comes before a request sent), which
    # the page still names with its request, no longer saying that none is recorded
    from pactum.responsibility.schemas import HitCreate

    recorded = responsibility.record_hit(services, de, case["id"], HitCreate.model_validate(
        {"hit_on": "2026-11-03", "member_state": "IT", "category": "irregular_crossing"}))
    assert _limit(recorded)["hit_request"]["id"] == sent["id"]
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    assert 'id="recorded-hits"' in page and "2026-11-03" in page
    stated = page.split('id="stated-hit-take_charge">', 1)[1].split("</p>", 1)[0]
    assert "the Eurodac hit of 2026-11-02" in stated and "no hit is recorded" not in stated
