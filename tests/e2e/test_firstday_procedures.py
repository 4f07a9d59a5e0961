"""First-day walk, asylum caseworkers and reviewers (FD-08, FD-10, FD-12, FD-13):

- FD-10: the home page splits the asylum cases due into "Your next step" and "Waiting on others"
  (the court, the applicant's appeal time limit, another state responsible), each with its count;
  on an appealed border case the border procedure's end is a status, not an overdue deadline;
- FD-12: a drafted decision reads as a draft until approved, and the reviewer sees the draft
  (outcome, reasons, who drafted it and when) above the approve and return buttons;
- FD-13: the interview's scheduled day and language are on the case's card; "held on" proposes
  the scheduled day, and a day still to come replaces the "held" form by "Interview due on …";
- FD-08: the procedures pages say unaccompanied minor and the Dublin criterion in words (the routing
  trace in words: test_procedures_web)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from pactum.store.tables.responsibility import dublin_cases, dublin_requests

try:
    from .test_procedures_support import World, login, make_world
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def ok(r: Any) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    return dict(r.json())


def section(page: str, section_id: str) -> str:
    assert f'id="{section_id}"' in page, f"no section {section_id}"
    return page.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


def row_of(html: str, case_id: str) -> str:
    found = re.search(r"<tr[^>]*>((?:(?!</tr>).)*" + case_id + r".*?)</tr>", html, re.S)
    assert found, f"no row of {case_id}"
    return found.group(1)


def interviewed(world: World, surname: str, nationality: str, **facts: Any) -> dict[str, Any]:
    """A case of IT lodged and interviewed on 3 August 2026 (the world's first day)."""
    case = world.apply("it.caseworker", world.person("it.caseworker", surname=surname, nationality=nationality),
                       **facts)
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-03"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-03", language="Arabic"))
    return ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-03", interpreter_language="Arabic"))


def drafted(world: World, case: dict[str, Any], outcome: str, reasons: str) -> dict[str, Any]:
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome=outcome, reasons=reasons))
    return ok(world.act("it.caseworker", case, "submit_for_review"))


def test_the_home_page_splits_the_caseworkers_next_steps_from_cases_waiting_on_others(world: World) -> None:
    # a border case decided, notified and appealed on its first day: the court decides
    appealed = drafted(world, interviewed(world, "Ali", "BGD"), "rejected_manifestly_unfounded",
                       "safe country of origin; no individual risk shown")
    appealed = ok(world.act("it.reviewer", appealed, "approve", decided_on="2026-08-03"))
    appealed = ok(world.act("it.caseworker", appealed, "notify", notified_on="2026-08-03",
                            with_return_decision=False))
    appealed = ok(world.act("it.caseworker", appealed, "lodge_appeal", lodged_on="2026-08-03"))
    assert appealed["state"] == "appeal_lodged" and appealed["procedure"] == "border"
    # an interviewed case whose Dublin case says DE is responsible now (transfer decided)
    dublin = interviewed(world, "Haddad", "SYR", context="in_territory")
    now = world.clock.now()
    with world.services.engine.begin() as conn:
        conn.execute(insert(dublin_cases).values(
            id="dbc_1", reference="IT-D-2026-0001", person_id=dublin["person_id"], member_state="IT",
            registered_on=date(2026, 8, 3), facts={}, regime="ammr", responsible_member_state="DE",
            criterion="family_beneficiary", legal_basis=[], trace=[], created_by="it.dublin",
            created_at=now, version=1))
        conn.execute(insert(dublin_requests).values(
            id="dbr_1", case_id="dbc_1", kind="take_charge", regime="ammr", registered_on=date(2026, 8, 3),
            requesting_member_state="IT", requested_member_state="DE", status="transfer_decided",
            legal_basis=[], evidence=[], eurodac_hit=False, detained=False, unaccompanied_minor=False,
            sent_on=date(2026, 8, 10), request_deadline=date(2026, 10, 3), late=False,
            accepted_on=date(2026, 8, 20), closed_on=None, transferred_on=None, responsible_member_state=None,
            deadlines={}, created_by="it.dublin", created_at=now, updated_at=now, version=1))
    world.travel(datetime(2027, 2, 5, 9, 0, tzinfo=UTC))
    # a new application, its registration due within days: the caseworker's to register
    fresh = world.apply("it.caseworker", world.person("it.caseworker", surname="Noor", nationality="ERI"),
                        made_on="2027-02-04", registered_on=None)
    page = login(world, "it.caseworker").get("/").text

    mine = section(page, "cases-due")
    assert "Your next step" in mine and fresh["id"] in mine
    assert appealed["id"] not in mine and dublin["id"] not in mine
    assert re.search(r'id="cases-due-total">1 due<', page)
    assert "All 1 shown" in mine and "overdue" not in mine.split('id="cases-due-count"')[1]

    waiting = section(page, "cases-waiting")
    assert "Waiting on others" in waiting and re.search(r'id="cases-waiting-total">2<', page)
    court = row_of(waiting, appealed["id"])
    assert "the court" in court and "appeal lodged on 2026-08-03" in court
    # the border procedure's end (12 weeks from registration) is a status, not an overdue deadline
    # the appeal does not suspend by itself and no request to remain was recorded in time: no entry
    # when the border procedure ended (APR Art 43(3)(b)), the return border procedure applies
    assert "the border procedure ended on 2026-10-26" in court
    assert "the applicant is not authorised to enter the territory" in court and "Article 43(3)(b)" in court
    assert "Regulation (EU) 2024/1348, Article 51(2)" in court
    assert "overdue" not in court and "data-days-left" not in court
    other = row_of(waiting, dublin["id"])
    assert "another state (Dublin)" in other and "DE is responsible now" in other and "IT-D-2026-0001" in other
    assert "overdue" not in other
    # the Dublin criterion in words on the case page (FD-08), not its code
    shown = login(world, "it.caseworker").get(f"/procedures/cases/{dublin['id']}").text
    assert "Dublin case IT-D-2026-0001 (family member who is a beneficiary of international protection)" in shown
    assert "family_beneficiary" not in shown

    # the queue (API) is unchanged: both still listed there, nearest deadline first
    r = world.get("it.caseworker", "/queue")
    assert r.status_code == 200, r.text
    queue = r.json()
    assert {appealed["id"], dublin["id"], fresh["id"]} <= {r["id"] for r in queue}
    assert "waiting_on" not in queue[0]


def test_a_notified_decision_waits_on_the_applicant_until_its_appeal_time_limit_ends(world: World) -> None:
    case = drafted(world, interviewed(world, "Saleh", "BGD"), "rejected_manifestly_unfounded",
                   "safe country of origin; no individual risk shown")
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-03"))
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-03", with_return_decision=False))
    assert case["next_deadline_kind"] == "appeal" and case["appeal_deadline"] == "2026-08-13"  # 10 days, APR Art 67(7)(a)
    world.travel(datetime(2026, 8, 12, 9, 0, tzinfo=UTC))  # the time limit ends within the week
    page = login(world, "it.caseworker").get("/").text
    row = row_of(section(page, "cases-waiting"), case["id"])
    assert "the applicant" in row and f"the applicant may appeal until {case['appeal_deadline']}" in row
    assert case["id"] not in section(page, "cases-due")
    # once the time limit has run out, closing the case is the caseworker's next step
    after = date.fromisoformat(case["appeal_deadline"]) + timedelta(days=1)
    world.travel(datetime(after.year, after.month, after.day, 9, 0, tzinfo=UTC))
    page = login(world, "it.caseworker").get("/").text
    assert case["id"] in section(page, "cases-due") and case["id"] not in section(page, "cases-waiting")


def test_a_draft_reads_as_a_draft_and_the_reviewer_sees_it_above_the_buttons(world: World) -> None:
    reasons = "The account of persecution was not substantiated: dates and places contradict each other."
    case = interviewed(world, "Mansour", "SYR")
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome="rejected_unfounded", reasons=reasons))
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    card = page.split("<h2>Application</h2>", 1)[1].split("</section>", 1)[0]
    assert "<dt>Draft decision (not approved)</dt>" in card and "<dt>Decision</dt>" not in card
    assert "rejected unfounded" in card and "drafted by it.caseworker on 2026-08-03" in card
    assert 'id="draft-to-review"' not in page  # not under review yet

    ok(world.act("it.caseworker", case, "submit_for_review"))
    page = login(world, "it.reviewer").get(f"/procedures/cases/{case['id']}").text
    panel = section(page, "draft-to-review")
    assert "Draft to review" in panel and "rejected unfounded" in panel and reasons in panel
    assert "it.caseworker on 2026-08-03" in panel and "submitted for review on 2026-08-03" in panel
    # above the reviewer's buttons
    assert page.index('id="draft-to-review"') < page.index('value="approve"') < page.index('value="return_draft"')

    case = ok(world.get("it.reviewer", f"/applications/{case['id']}"))
    assert case["draft"]["reasons"] == reasons and case["draft"]["drafted_by"] == "it.caseworker"
    ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-03"))
    page = login(world, "it.reviewer").get(f"/procedures/cases/{case['id']}").text
    card = page.split("<h2>Application</h2>", 1)[1].split("</section>", 1)[0]
    assert "<dt>Decision</dt>" in card and "Draft decision" not in card and 'id="draft-to-review"' not in page


def test_the_scheduled_interview_is_on_the_card_and_its_day_is_the_held_on_default(world: World) -> None:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Khalil", nationality="SYR"))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-03"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-06", language="Arabic"))
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert re.search(r'id="interview">Interview scheduled for 2026-08-06 \(Arabic\)<', page)
    # the day is still to come: no "held" form (it would be refused), the rescheduling form stays
    assert 'name="held_on"' not in page and 'value="hold_interview"' not in page
    assert "Interview due on 2026-08-06 (Arabic)" in page and 'value="schedule_interview"' in page

    world.travel(datetime(2026, 8, 7, 9, 0, tzinfo=UTC))  # the day after: held on the day scheduled
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert 'name="held_on" value="2026-08-06"' in page and "Interview due on" not in page
    r = web.post(f"/procedures/cases/{case['id']}/act", follow_redirects=False, data={
        "action": "hold_interview", "version": str(case["version"]), "held_on": "2026-08-06",
        "interpreter_language": "Arabic"})
    assert r.status_code == 303, r.text
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert re.search(r'id="interview">2026-08-06 \(interpreter: Arabic\)<', page)


def test_the_queue_and_the_home_page_spell_out_unaccompanied_minor(world: World) -> None:
    minor = world.apply("it.caseworker", world.person("it.caseworker", surname="Diallo", nationality="GIN"),
                        registered_on=None, unaccompanied_minor=True)
    web = login(world, "it.caseworker")
    row = row_of(web.get("/procedures").text, minor["id"])
    assert "unaccompanied minor" in row and "UAM" not in row
    due = row_of(section(web.get("/").text, "cases-due"), minor["id"])
    assert "unaccompanied minor" in due and "UAM" not in due
