"""A request sent on a case that records a Eurodac or VIS hit on the requested state's data rests on
that hit: it carries its day and the hit among its evidence, and the requested state's reply is due
within the period for a request based on a hit.

Read in the Official Journal's Italian texts (EUR-Lex HTML as republished in the GitHub repository
d5p2rnkdz9-hub/SOSPATTO, ``public/patto-interattivo/1351.html`` and ``ext-reg-2013-604.html``):

- AMMR (Regulation (EU) 2024/1351) Art 40(1): the requested state replies within one month of
  receipt; Art 40(2), "by way of derogation from paragraph 1", in the case of a Eurodac hit with
  data recorded under Arts 22 and 24 of Regulation (EU) 2024/1358 or a VIS hit with data recorded
  under Art 21(2) of Regulation (EC) No 767/2008, within two weeks; Art 40(8): no reply within the
  month or the two weeks is acceptance. Art 39(3): the request encloses proof or circumstantial
  evidence. Art 41(3): the notified state confirms receipt within two weeks; 41(4): silence is
  confirmation.
- Dublin III (Regulation (EU) No 604/2013) Art 23(2): a take back within two months of the Eurodac
  hit, or within three months of the lodging when based on other evidence; Art 25(1): the reply
  within one month, two weeks "where the request is based on data obtained from the Eurodac system".

Before, a request sent through the API or the command line without stating the hit recorded on
the case was treated as based on other evidence: the AMMR take charge gave the requested state one
month instead of two weeks, the Dublin III take back one month instead of two weeks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.law import time_limit
from pactum.responsibility import procedure as proc
from pactum.responsibility.schemas import CaseCreate, RequestAction
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from tests.e2e.test_qa17_clause import _case, _move

Who = Callable[[str], Principal]
Login = Callable[[str], TestClient]
Headers = Callable[[str], dict[str, str]]
API = "/api/v1/responsibility"
AMMR = "Regulation (EU) 2024/1351"
D3 = "Regulation (EU) No 604/2013"


def _hit(client: TestClient, headers: dict[str, str], case: dict[str, Any], **body: Any) -> Any:
    r = client.post(f"{API}/cases/{case['id']}/hits", headers=headers,
                    json={"hit_on": "2026-10-26", "member_state": "IT", "category": "irregular_crossing", **body})
    assert r.status_code == 201, r.text
    return r.json()


def _send(client: TestClient, headers: dict[str, str], case: dict[str, Any], **body: Any) -> Any:
    return client.post(f"{API}/cases/{case['id']}/requests", headers=headers, json=body)


def test_an_ammr_take_charge_sent_without_the_recorded_hit_carries_it_and_gets_two_weeks_40_2(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    # registered 2026-10-20, an irregular-crossing hit on Italy's data received on 2026-10-26 and
    # recorded; the request sent on Tuesday 2026-11-10: Italy replies by 2026-11-24, two weeks
    # (Art 40(2)), not by 2026-12-10, one month (Art 40(1))
    _move(services, date(2026, 11, 10))
    de = auth_headers("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-RC-1", registered_on="2026-10-20", entry_on="2026-08-01")
    _hit(client, de, case, reference="IT1-2026-4471")
    r = _send(client, de, case, kind="take_charge")
    assert r.status_code == 201, r.text
    req = r.json()
    assert (req["eurodac_hit"], req["hit_on"]) == (True, "2026-10-26")
    assert req["reply_due"] == "2026-11-24"
    assert req["deadlines"]["reply"]["legal_basis"][0] == f"{AMMR}, Article 40(2)"
    assert "rests on the Eurodac hit of 2026-10-26 on data of IT recorded on the case on 2026-11-10" in \
        req["deadlines"]["reply"]["computation"][0]
    (ev,) = [e for e in req["evidence"] if e["kind"] == "eurodac_hit"]
    assert ev["description"] == ("Eurodac hit on data of IT (irregular crossing), reference IT1-2026-4471, "
                                 "received on 2026-10-26 (recorded on the case on 2026-11-10)")
    (sent,) = [e for e in responsibility.get_request(services, principal("de-dublin"), req["id"])["timeline"]
               if e["action"] == "sent"]
    assert sent["details"]["carries_hit"] == "Eurodac hit of 2026-10-26 on data of IT"
    # the request's own last day: one month from the hit, in place of the two months
    assert req["request_deadline"] == "2026-11-26"


def test_a_take_charge_saying_no_hit_on_a_case_that_records_one_is_refused_naming_eurodac_hit(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    _move(services, date(2026, 11, 10))
    de = auth_headers("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-RC-2", registered_on="2026-10-20", entry_on="2026-08-01")
    _hit(client, de, case)
    r = _send(client, de, case, kind="take_charge", eurodac_hit=False)
    assert r.status_code == 422, r.text
    (problem,) = r.json()["detail"]
    assert problem["loc"][-1] == "eurodac_hit"
    assert "the case records the Eurodac hit of 2026-10-26 on data of IT" in problem["msg"]
    assert f"answered within two weeks ({AMMR}, Article 40(2))" in problem["msg"]
    # stating the hit without its day: the day recorded on the case
    r = _send(client, de, case, kind="take_charge", eurodac_hit=True)
    assert r.status_code == 201, r.text
    assert (r.json()["hit_on"], r.json()["reply_due"]) == ("2026-10-26", "2026-11-24")
    # a request stating its own hit and evidence keeps them
    other = _case(services, principal("de-caseworker"), "DE-RC-3", registered_on="2026-10-20", entry_on="2026-08-01")
    _hit(client, de, other)
    r = _send(client, de, other, kind="take_charge", eurodac_hit=True, hit_on="2026-11-02",
              evidence=[{"kind": "eurodac_hit", "description": "IT1-2026-5000"}])
    assert r.status_code == 201, r.text
    assert r.json()["hit_on"] == "2026-11-02" and r.json()["evidence"] == [
        {"kind": "eurodac_hit", "description": "IT1-2026-5000"}]


def _take_back_case(services: Services, who: Principal, ref: str) -> dict[str, Any]:
    """A German application lodged on 2026-06-01 (Dublin III) of a person who applied in Italy."""
    return responsibility.create_case(services, who, CaseCreate.model_validate({
        "reference": ref, "applicant_name": "Samir Haddad", "facts": {
            "application": {"registered_in": "DE", "registered_on": "2026-06-01"},
            "earlier_applications": [{"member_state": "IT", "registered_on": "2026-03-02"}]}}))


def test_a_dublin_iii_take_back_rests_on_the_recorded_hit_while_its_two_months_run_25_1(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    # lodged 2026-06-01; a hit on Italy's data of an earlier application received on 2026-06-20;
    # on Monday 2026-07-06 the take back rests on it: Italy replies within two weeks, by 2026-07-20
    # (Art 25(1), second sentence), not within one month
    _move(services, date(2026, 7, 6))
    de = auth_headers("de-dublin")
    case = _take_back_case(services, principal("de-caseworker"), "DE-RC-TB")
    _hit(client, de, case, hit_on="2026-06-20", category="applicant")
    r = _send(client, de, case, kind="take_back", take_back_ground="application_rejected")
    assert r.status_code == 201, r.text
    req = r.json()
    assert (req["eurodac_hit"], req["hit_on"], req["reply_due"]) == (True, "2026-06-20", "2026-07-20")
    assert req["deadlines"]["reply"]["legal_basis"][0] == f"{D3}, Article 25(1)"
    assert req["request_deadline"] == "2026-08-20"  # two months from the hit (Art 23(2))
    # another case: the hit of 2026-06-05 ran to 2026-08-05; on 2026-08-20 the three months from
    # the lodging (to 2026-09-01) still run for a request on other evidence, answered in a month
    _move(services, date(2026, 6, 20))
    late = _take_back_case(services, principal("de-caseworker"), "DE-RC-TB2")
    _hit(client, de, late, hit_on="2026-06-05", category="applicant")
    _move(services, date(2026, 8, 20))
    r = _send(client, de, late, kind="take_back", take_back_ground="application_rejected")
    assert r.status_code == 201, r.text
    req = r.json()
    assert (req["eurodac_hit"], req["hit_on"]) == (False, None)
    assert (req["request_deadline"], req["reply_due"]) == ("2026-09-01", "2026-09-21")




def test_the_command_line_request_carries_the_recorded_hit(services: Services, principal: Who) -> None:
    # the command line's clock: 2026-11-28 (a Saturday); a hit of 2026-11-02 gives the request
    # until 2026-12-02 and Italy two weeks, to Saturday 2026-12-12, so to Monday 2026-12-14
    case = _case(services, principal("de-caseworker"), "DE-RC-CLI", registered_on="2026-10-20", entry_on="2026-08-01")
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "de-dublin"}
    r = CliRunner().invoke(app, ["responsibility", "record-hit", case["id"], "--on", "2026-11-02", "--member-state",
                                 "IT", "--category", "irregular_crossing"], env=env)
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["responsibility", "request", case["id"], "-"], env=env, input='{"kind": "take_charge"}')
    assert r.exit_code == 0, r.output
    req = json.loads(r.stdout)
    assert (req["eurodac_hit"], req["hit_on"], req["reply_due"]) == (True, "2026-11-02", "2026-12-14")
    assert req["deadlines"]["reply"]["legal_basis"][0] == f"{AMMR}, Article 40(2)"


def test_the_ammr_replies_cite_the_paragraphs_that_set_them() -> None:
    # the two weeks on a hit are Art 40(2), silence is acceptance under Art 40(8); a take-back
    # notification's receipt is confirmed within two weeks under Art 41(3), silence is
    # confirmation under Art 41(4) (41(2) is the notification's form and evidence)
    hit = time_limit("take_charge_reply", event_at=date(2026, 11, 10), member_state="IT",
                     application_registered_on=date(2026, 10, 20), eurodac_hit=True)
    assert hit.legal_basis[0] == f"{AMMR}, Article 40(2)" and hit.period == "2 weeks"
    confirmation = time_limit("take_back_confirmation", event_at=date(2026, 11, 10), member_state="IT",
                              application_registered_on=date(2026, 10, 20))
    assert confirmation.legal_basis[0] == f"{AMMR}, Article 41(3)"
    assert f"{AMMR}, Article 40(8)" in proc.legal_basis("lapse_reply", "take_charge")
    assert proc.legal_basis("confirm", "take_back_notification") == (f"{AMMR}, Article 41(3)",)
    assert proc.legal_basis("lapse_confirmation", "take_back_notification") == (f"{AMMR}, Article 41(4)",)


def test_the_web_form_with_eurodac_hit_unticked_and_no_date_sends_a_request_carrying_the_hit(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    # the checkbox cannot say "not stated": unticked and without a date, the request carries the
    # hit recorded on the case, as on the API
    _move(services, date(2026, 11, 10))
    case = _case(services, principal("de-caseworker"), "DE-RC-WEB", registered_on="2026-10-20", entry_on="2026-08-01")
    _hit(client, auth_headers("de-dublin"), case)
    r = web_client("de-dublin").post(f"/responsibility/cases/{case['id']}/requests",
                                     data={"kind": "take_charge"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    rid = r.headers["location"].split("/")[-1].split("?")[0]
    req = responsibility.get_request(services, principal("de-dublin"), rid)
    assert (req["eurodac_hit"], req["hit_on"], req["reply_due"]) == (True, "2026-10-26", "2026-11-24")
    page = web_client("de-dublin").get(f"/responsibility/requests/{rid}").text
    assert f"2026-11-24 <span class=\"muted\">(2 weeks, {AMMR}, Article 40(2))</span>" in page


def test_a_take_back_notification_carries_the_recorded_hit_and_its_page_says_confirmation_41(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    # an AMMR application registered in Germany on 2026-11-02 of a person who applied in Italy; a
    # hit on that earlier application received on 2026-11-04 and recorded: the notification sent
    # on 2026-11-10 without its day runs from it (two weeks, Art 41(1)); Italy confirms receipt
    # within two weeks (Art 41(3)), and the page says "confirmation", never "reply" or "accepted"
    _move(services, date(2026, 11, 10))
    de = auth_headers("de-dublin")
    case = responsibility.create_case(services, principal("de-caseworker"), CaseCreate.model_validate({
        "reference": "DE-RC-TBN", "applicant_name": "Samir Haddad", "facts": {
            "application": {"registered_in": "DE", "registered_on": "2026-11-02"},
            "earlier_applications": [{"member_state": "IT", "registered_on": "2026-09-01"}]}}))
    _hit(client, de, case, hit_on="2026-11-04", category="applicant")
    r = _send(client, de, case, kind="take_back_notification", take_back_ground="indicated_responsible_in_eurodac")
    assert r.status_code == 201, r.text
    req = r.json()
    assert (req["hit_on"], req["request_deadline"], req["reply_due"]) == ("2026-11-04", "2026-11-18", "2026-11-24")
    assert not any("A Eurodac hit does not change" in line
                   for line in req["deadlines"]["request"]["computation"])
    responsibility.act(services, principal("it-dublin"), req["id"], "confirm",
                       RequestAction.model_validate({"version": req["version"]}))
    page = web_client("it-dublin").get(f"/responsibility/requests/{req['id']}").text
    assert "<dt>Confirmation due</dt>" in page and "<dt>Confirmed</dt>" in page and "<dt>Accepted</dt>" not in page
    assert f"2026-11-24 <span class=\"muted\">(2 weeks, {AMMR}, Article 41(3))</span>" in page
    assert "confirmed 2026-11-10" in page and "replied 2026-11-10" not in page
    # its title and its deadlines in the words of the kind, each with its article
    assert "<h1>Take-back notification <small>DE → IT" in page
    assert f"<summary>Last day to send the notification: 2026-11-18 (2 weeks, {AMMR}, Article 41(1))" in page
    assert f"<summary>Confirmation due: 2026-11-24 (2 weeks, {AMMR}, Article 41(3))" in page


def test_a_hit_recorded_while_a_request_runs_does_not_read_as_if_a_request_lay(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    # a take charge to Italy runs; a hit recorded then is kept for a later request, but its effect
    # no longer says "a take-charge request lies until …" without saying that none lies now
    _move(services, date(2026, 11, 10))
    de = auth_headers("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-RC-RUN", registered_on="2026-10-20", entry_on="2026-08-01")
    assert _send(client, de, case, kind="take_charge").status_code == 201
    (hit,) = _hit(client, de, case, hit_on="2026-11-02")["hits"]
    assert hit["effect"].startswith("a take-charge request lies until 2026-12-02")
    assert "; but no take-charge request lies on this case now: " in hit["effect"]
    assert "already has a take-charge request to IT" in hit["effect"]
