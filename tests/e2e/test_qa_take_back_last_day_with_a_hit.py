"""A Dublin III take back on a case whose request stated a Eurodac hit: the case page said "Last
day for a take back: <three months from the lodging>" and then "The last day for a take back counts
the Eurodac hit of …", though that day did not count the hit.

Regulation (EU) No 604/2013, Art 23(2), read in the Official Journal's Italian text: the take-back
request is made "in ogni caso entro due mesi dal ricevimento della risposta pertinente Eurodac";
"se la richiesta di ripresa in carico è basata su prove diverse dai dati ottenuti dal sistema
Eurodac", within three months of the lodging. The page now gives both days, each with its basis:
two months from the hit for a request on it, three months from the lodging for one on other
evidence. Without a hit, the three months only.

The tests' clock: moved to the day the request is sent."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from pactum.responsibility.schemas import CaseCreate, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from tests.e2e.test_qa17_clause import _move

Who = Callable[[str], Principal]
Login = Callable[[str], TestClient]


def _case(services: Services, who: Principal, ref: str) -> dict[str, Any]:
    """A German application lodged on 2026-06-01 (Dublin III) of a person who applied in Italy."""
    return responsibility.create_case(services, who, CaseCreate.model_validate({
        "reference": ref, "applicant_name": "Samir Haddad", "facts": {
            "application": {"registered_in": "DE", "registered_on": "2026-06-01"},
            "earlier_applications": [{"member_state": "IT", "registered_on": "2026-03-02"}]}}))


def _text(html: str, element_id: str) -> str:
    m = re.search(rf'<p id="{element_id}">(.*?)</p>', html, re.S)
    assert m, f"no #{element_id} on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m.group(1)))


def test_with_a_hit_the_page_gives_two_months_from_it_and_no_longer_says_the_later_day_counts_it(
        services: Services, principal: Who, web_client: Login) -> None:
    _move(services, date(2026, 6, 10))
    de = principal("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-TB-QA-HIT")
    responsibility.send_request(services, de, case["id"], RequestCreate.model_validate(
        {"kind": "take_back", "take_back_ground": "application_rejected", "eurodac_hit": True,
         "hit_on": "2026-06-03"}))
    limits = {x["kind"]: x for x in responsibility.get_case(services, de, case["id"])["request_limits"]}
    back = limits["take_back"]
    # the request on the hit: two months from it; the case's day (any basis): three from the lodging
    assert (back["on_hit_last_day"], back["last_day"], back["from_hit"]) == ("2026-08-03", "2026-09-01", False)
    html = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    line = _text(html, "request-last-day-take_back")
    assert line.startswith("Last day for a take back on evidence other than Eurodac data: 2026-09-01")
    assert "on the Eurodac hit of 2026-06-03: 2026-08-03 (2 months from the Eurodac hit of 2026-06-03" in line
    stated = _text(html, "stated-hit-take_back")
    assert "counts the Eurodac hit" not in stated
    assert stated.startswith("The Eurodac hit of 2026-06-03 stated on the request take back to IT sent on "
                             "2026-06-10 gives a take back based on it until 2026-08-03; the later 2026-09-01 is "
                             "the last day of a take back based on evidence other than Eurodac data")
    assert "Regulation (EU) No 604/2013, Article 23(2)" in stated


def test_without_a_hit_the_page_gives_the_three_months_from_the_lodging_only(
        services: Services, principal: Who, web_client: Login) -> None:
    _move(services, date(2026, 6, 10))
    de = principal("de-dublin")
    case = _case(services, principal("de-caseworker"), "DE-TB-QA-NOHIT")
    responsibility.send_request(services, de, case["id"], RequestCreate.model_validate(
        {"kind": "take_back", "take_back_ground": "application_rejected"}))
    limits = {x["kind"]: x for x in responsibility.get_case(services, de, case["id"])["request_limits"]}
    assert (limits["take_back"]["last_day"], limits["take_back"]["on_hit_last_day"]) == ("2026-09-01", None)
    html = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}").text
    line = _text(html, "request-last-day-take_back")
    assert line.startswith("Last day for a take back: 2026-09-01 (3 months from the lodging of the application "
                           "on 2026-06-01 (Regulation (EU) No 604/2013, Article 23(2)))")
    assert "hit" not in line and 'id="stated-hit-take_back"' not in html and 'id="no-hits"' in html
