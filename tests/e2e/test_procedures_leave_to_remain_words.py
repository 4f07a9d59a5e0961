"""What the case page and the decision notice say of leave to remain pending an appeal that does
not suspend by itself (APR Art 68(3)-(5), read in the Italian Official Journal text, 1348.html).

- The case page said "they may ask the court for leave to remain until <day> and are not removed
  until then" months after that day, beside a border note saying the applicant was not authorised
  to enter because no request was made in time (Art 43(3)(b)): once the day has passed without a
  request, it says so (``request_to_remain.time_limit_passed``).
- The notice must inform the applicant of their rights under Art 68(5) (point (e)): the time to
  ask the court (at least five days from the notification, point (a)) and that they are not removed
  meanwhile (point (d)); it named neither. Once the court allowed the applicant to remain, the notice
  said "removal is suspended" under a citation saying the appeal has no automatic effect, with no
  word of the court's decision."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

try:
    from .test_decision_notice import api, rejected_and_notified
    from .test_procedures_support import World, login, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_decision_notice import api, rejected_and_notified  # type: ignore[no-redef]
    from test_procedures_support import World, login, make_world, ok  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _appealed(world: World) -> dict[str, Any]:
    # a border rejection notified on Friday 21 August 2026: five days to ask, until Wednesday 26 August
    return ok(world.act("it.caseworker", rejected_and_notified(world), "lodge_appeal", lodged_on="2026-08-24"))


def test_the_case_page_no_longer_offers_a_time_to_ask_that_has_passed(world: World) -> None:
    case = _appealed(world)  # the clock says 5 October 2026
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["request_to_remain"]["time_limit"] == "2026-08-26"
    assert shown["request_to_remain"]["time_limit_passed"] is True
    assert shown["request_to_remain"]["not_removed_basis"] == "Regulation (EU) 2024/1348, Article 68(5)(d)"
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    assert "may ask the court for leave to remain until 2026-08-26" not in page
    assert "no request to the court for leave to remain is recorded by 2026-08-26" in page

    world.travel(datetime(2026, 8, 25, 9, 0, tzinfo=UTC))  # the day before the time to ask ends
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["request_to_remain"]["time_limit_passed"] is False
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    assert "may ask the court for leave to remain until 2026-08-26 and are not removed until then" in page


def test_the_notice_gives_the_time_to_ask_for_leave_to_remain(world: World) -> None:
    case = rejected_and_notified(world)
    n = ok(api(world, "it.caseworker", f"/procedures/cases/{case['reference']}/notice"))
    s = n["challenge"]["suspensive_effect"]
    assert s["suspends_removal"] is False
    assert s["request_to_remain"]["last_day"] == "2026-08-26"
    assert "until 2026-08-26 at least" in s["text"] and "not removed" in s["text"]
    assert "Regulation (EU) 2024/1348, Article 68(5)(a)" in s["legal_basis"]
    assert "Regulation (EU) 2024/1348, Article 68(5)(e)" in s["legal_basis"]
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}/notice").text
    assert "leave to remain pending the appeal until 2026-08-26 at least" in page


def test_the_notice_says_the_court_allowed_the_applicant_to_remain(world: World) -> None:
    case = _appealed(world)
    case = ok(world.act("it.caseworker", case, "request_to_remain", requested_on="2026-08-25"))
    n = ok(api(world, "it.caseworker", f"/procedures/cases/{case['reference']}/notice"))
    assert "asked the court or tribunal for leave to remain on 2026-08-25" in n["challenge"]["suspensive_effect"]["text"]
    case = ok(world.act("it.caseworker", case, "decide_request_to_remain", decided_on="2026-09-01", allowed=True))
    s = ok(api(world, "it.caseworker", f"/procedures/cases/{case['reference']}/notice"))["challenge"]["suspensive_effect"]
    assert s["suspends_removal"] is True
    assert "does not by itself allow the applicant to remain" in s["text"]
    assert "allowed the applicant to remain pending the appeal on 2026-09-01" in s["text"]
    assert s["request_to_remain"]["allowed"] is True and s["request_to_remain"]["decided_on"] == "2026-09-01"


def test_the_web_form_never_records_a_refusal_nobody_chose(world: World) -> None:
    """The court's decision on the request was a checkbox: left unticked, it recorded a refusal and
    lifted the return decision's suspension. It is a choice now; nothing chosen is refused (422)."""
    case = _appealed(world)
    case = ok(world.act("it.caseworker", case, "request_to_remain", requested_on="2026-08-25"))
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert '<select name="allowed"' in page and 'type="checkbox" name="allowed"' not in page
    r = web.post(f"/procedures/cases/{case['id']}/act",
                 data={"action": "decide_request_to_remain", "version": str(case["version"]),
                       "decided_on": "2026-09-01"})
    assert r.status_code == 422 and "say whether the court allowed" in r.text
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["remain_decided_on"] is None and shown["return_decision_status"] == "suspended"
    r = web.post(f"/procedures/cases/{case['id']}/act",
                 data={"action": "decide_request_to_remain", "version": str(case["version"]),
                       "decided_on": "2026-09-01", "allowed": "false"}, follow_redirects=False)
    assert r.status_code == 303
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["remain_allowed"] is False and shown["return_decision_status"] == "issued"


def test_the_home_page_says_an_ended_appeal_time_limit_calls_for_closing_the_case(world: World) -> None:
    """A notified decision whose appeal time limit ran out was listed under "Your next step" as
    "appeal ... overdue", as if the caseworker had missed the appeal; the step is to close the case."""
    case = rejected_and_notified(world)  # appeal time limit: 31 August 2026; the clock says 5 October
    page = login(world, "it.caseworker").get("/").text
    row = page[page.index(case["reference"]):]
    row = row[:row.index("</tr>")]
    assert "appeal time limit ended without an appeal recorded: close the case as final" in row


def test_the_appeal_line_does_not_call_the_courts_leave_an_automatic_suspensive_effect(world: World) -> None:
    """The case page's "Appeal" line said "suspensive effect: yes" once the court allowed the
    applicant to remain (the step records the court's leave as the effect), beside "Leave to remain"
    saying the appeal does not suspend by itself (Art 68(3), (4)): it now says whose it is."""
    case = _appealed(world)
    web = login(world, "it.caseworker")
    line = web.get(f"/procedures/cases/{case['id']}").text.split('id="appeal-suspensive">')[1].split("</span>")[0]
    assert line == "suspensive effect: no (the court decides on request)"
    case = ok(world.act("it.caseworker", case, "request_to_remain", requested_on="2026-08-25"))
    case = ok(world.act("it.caseworker", case, "decide_request_to_remain", decided_on="2026-09-01", allowed=True))
    line = web.get(f"/procedures/cases/{case['id']}").text.split('id="appeal-suspensive">')[1].split("</span>")[0]
    assert line == "suspensive effect: not automatic; the court allowed the applicant to remain pending the appeal"
