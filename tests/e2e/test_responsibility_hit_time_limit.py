"""The last day of a take-charge request given the registration and a Eurodac hit, one rule for
the refusal of a late request, the case's "new request" and "Responsible now" (page, API, CLI).

AMMR Art 39(1), read in the Official Journal's Italian text: two months from the registration;
"by way of derogation from the first subparagraph", one month from a Eurodac or VIS hit; not made
within those periods, the state of registration is responsible (third subparagraph). The month
from the hit replaces the two months: it may end after them (a late hit) or before them (an early
hit). Dublin III Art 23(2): a take-back request lies two months from the hit when based on it,
three months from the lodging when based on other evidence; Art 23(3) as above.

The tests' clock: 2026-11-28."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.common.errors import Conflict
from pactum.responsibility.schemas import CaseCreate, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from tests.e2e.test_qa17_clause import _act, _case, _move

Who = Callable[[str], Principal]
Login = Callable[[str], TestClient]

AMMR_39_1_LAPSE = "Regulation (EU) 2024/1351, Article 39(1), third subparagraph"
D3_23_3 = "Regulation (EU) No 604/2013, Article 23(3)"


def _send(services: Services, who: Principal, case: dict[str, Any], **body: Any) -> dict[str, Any]:
    return responsibility.send_request(services, who, case["id"], RequestCreate.model_validate(
        {"kind": "take_charge", **body}))


def _now(services: Services, who: Principal, case: dict[str, Any]) -> dict[str, Any]:
    got: dict[str, Any] = responsibility.get_case(services, who, case["id"])["responsible_now"]
    return got


def _cli_show(services: Services, case: dict[str, Any]) -> dict[str, Any]:
    r = CliRunner().invoke(app, ["responsibility", "show", case["id"]],
                           env={"PACTUM_DATABASE_URL": services.settings.database_url,
                                "PACTUM_CLI_USER": "de-dublin"})
    assert r.exit_code == 0, r.output
    out: dict[str, Any] = json.loads(r.stdout)
    return out


def test_a_take_charge_within_a_month_of_a_late_hit_is_accepted_and_responsible_now_agrees(
        services: Services, principal: Who, web_client: Login) -> None:
    # registered 2026-09-20 (AMMR): the two months ended on 2026-11-20; a hit received on
    # 2026-11-10 gives a month, to 2026-12-10, in place of them
    de = principal("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-HIT-LATE", registered_on="2026-09-20",
                 entry_on="2026-08-01")
    sent = _send(services, de, case, eurodac_hit=True, hit_on="2026-11-10")
    assert sent["status"] == "pending" and sent["late"] is False and sent["request_deadline"] == "2026-12-10"
    assert _now(services, de, case)["rule"] != "no_request_in_time"
    # withdrawn, no request stands: Italy is still responsible, the request still lies until the
    # month from the hit ends, and the case page, the API and the CLI say so
    _act(services, de, sent, "withdraw")
    now = _now(services, de, case)
    assert now["member_state"] == "IT" and now["rule"] == "determination" and not now["shifted"]
    assert "lies until 2026-12-10" in now["reason"] and "Eurodac hit of 2026-11-10" in now["reason"]
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    assert "no take-charge request was sent" not in page and "lies until 2026-12-10" in page
    assert 'id="no-request"' not in page  # the form is offered, not "only with a Eurodac hit"
    shown = _cli_show(services, case)
    assert shown["responsible_now"]["member_state"] == "IT"
    (charge,) = [k for k in shown["new_request"]["kinds"] if k["kind"] == "take_charge"]
    assert charge["lies"] is True and charge["reason"] is None
    # the hit the case records applies to a request that does not repeat it
    again = _send(services, de, case)
    assert again["request_deadline"] == "2026-12-10" and again["late"] is False
    _act(services, de, again, "withdraw")
    # after both limits, no request: Germany, where the application was registered, is
    # responsible, from the last day of the month from the hit
    _move(services, date(2026, 12, 11))
    now = _now(services, de, case)
    assert now["member_state"] == "DE" and now["rule"] == "no_request_in_time" and now["shifted"]
    assert now["reason"].startswith("no take-charge request was sent to IT by 2026-12-10, 1 month from the "
                                    "Eurodac hit of 2026-11-10")
    assert now["legal_basis"] == [AMMR_39_1_LAPSE] and now["since"] == "2026-12-10"
    with pytest.raises(Conflict) as refused:
        _send(services, de, case, eurodac_hit=True, hit_on="2026-11-10")
    assert str(refused.value).startswith("the time limit for this request ended on 2026-12-10")
    assert str(refused.value).endswith(f"DE is responsible ({AMMR_39_1_LAPSE})")
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    assert "no take-charge request was sent to IT by 2026-12-10" in page


def test_an_early_hit_shortens_the_time_limit_the_month_replaces_the_two_months(
        services: Services, principal: Who) -> None:
    # registered 2026-10-20: two months would run to 2026-12-21 (20 December is a Sunday); a hit
    # of 2026-10-22 gives one month in their place, to 2026-11-23 (22 November is a Sunday)
    de = principal("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-HIT-EARLY", registered_on="2026-10-20",
                 entry_on="2026-08-01")
    _move(services, date(2026, 11, 2))
    sent = _send(services, de, case, eurodac_hit=True, hit_on="2026-10-22")
    assert sent["request_deadline"] == "2026-11-23"
    _act(services, de, sent, "withdraw")
    _move(services, date(2026, 11, 28))  # within two months of the registration, past the month from the hit
    now = _now(services, de, case)
    assert now["member_state"] == "DE" and now["rule"] == "no_request_in_time"
    assert now["reason"].startswith("no take-charge request was sent to IT by 2026-11-23")
    with pytest.raises(Conflict) as refused:
        _send(services, de, case)  # without repeating the hit: the case's hit still decides
    assert str(refused.value).startswith("the time limit for this request ended on 2026-11-23")
    new_request = responsibility.get_case(services, de, case["id"])["new_request"]
    (charge,) = [k for k in new_request["kinds"] if k["kind"] == "take_charge"]
    assert charge["lies"] is False and charge["reason"] == str(refused.value)


def test_without_a_hit_responsible_now_says_a_request_on_a_hit_may_still_lie(
        services: Services, principal: Who) -> None:
    # past the two months and no hit recorded: Germany is responsible unless a request is made on
    # a hit within a month of it, which the form still offers ("only with a Eurodac hit")
    de = principal("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-HIT-NONE", registered_on="2026-09-20",
                 entry_on="2026-08-01")
    got = responsibility.get_case(services, de, case["id"])
    now = got["responsible_now"]
    assert now["member_state"] == "DE" and now["rule"] == "no_request_in_time"
    assert "2026-11-20" in now["reason"] and "unless a take-charge request is made within the time limit " \
        "running from a Eurodac hit (1 month from the Eurodac or VIS hit" in now["reason"]
    (charge,) = [k for k in got["new_request"]["kinds"] if k["kind"] == "take_charge"]
    assert charge["only_with_eurodac_hit"] is True


def _take_back_case(services: Services, who: Principal, ref: str) -> dict[str, Any]:
    """A German application lodged on 2026-06-01 (Dublin III) of a person who applied in Italy."""
    return responsibility.create_case(services, who, CaseCreate.model_validate({
        "reference": ref, "applicant_name": "Samir Haddad", "facts": {
            "application": {"registered_in": "DE", "registered_on": "2026-06-01"},
            "earlier_applications": [{"member_state": "IT", "registered_on": "2026-03-02"}]}}))


def test_a_dublin_iii_take_back_on_a_hit_lies_two_months_from_it_after_three_from_the_lodging(
        services: Services, principal: Who) -> None:
    # Art 23(2): on a hit of 2026-11-02, two months (to 2027-01-04, 2 January being a Saturday),
    # though the three months from the lodging ended on 2026-09-01
    de = principal("de-dublin")
    case = _take_back_case(services, principal("de-caseworker"), "DE-TB-HIT")
    sent = responsibility.send_request(services, de, case["id"], RequestCreate.model_validate(
        {"kind": "take_back", "take_back_ground": "application_rejected", "eurodac_hit": True,
         "hit_on": "2026-11-02"}))
    assert sent["request_deadline"] == "2027-01-04"
    _act(services, de, sent, "withdraw")
    now = _now(services, de, case)
    assert now["member_state"] == "IT" and now["rule"] == "determination"
    assert "lies until 2027-01-04" in now["reason"]
    _move(services, date(2027, 1, 5))
    now = _now(services, de, case)
    assert now["member_state"] == "DE" and now["rule"] == "no_request_in_time"
    assert now["reason"].startswith("no take-back request was sent to IT by 2027-01-04")
    assert now["legal_basis"] == [D3_23_3]
