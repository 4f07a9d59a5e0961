"""APR Art 37: "the Member State issues a return decision" where the application is rejected as
inadmissible, unfounded or manifestly unfounded, or implicitly or explicitly withdrawn, "as part of
the decision rejecting the application or as a separate act ... at the same time as, or without
undue delay after" it (read in the Italian Official Journal text of Regulation (EU) 2024/1348). The
API's notification issues the return decision only when asked (``with_return_decision``, a
contract). Before, a rejection notified without it said nothing: the case page and JSON were
silent and no list named it. Now the case says a return decision is due, the return authority's
list names the case until a return decision naming it is issued."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pactum.services.auth import Role

try:
    from .test_procedures_support import World, login, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_world, ok  # type: ignore[no-redef]

ART_37 = "Regulation (EU) 2024/1348, Article 37"


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = make_world(tmp_path)
    w.user("it.return", "IT", Role.return_officer)
    return w


def _rejected(world: World, surname: str, **notify: Any) -> dict[str, Any]:
    pid = world.person("it.caseworker", surname=surname, nationality="BGD")
    case = world.apply("it.caseworker", pid)
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-03"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-03", language="Bengali"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-03", interpreter_language="Bengali"))
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome="rejected_unfounded",
                        reasons="no well-founded fear shown"))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-03"))
    return ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-03", **notify))


def test_a_rejection_notified_without_its_return_decision_says_one_is_due_until_one_is_issued(world: World) -> None:
    without = _rejected(world, "Rahman")
    with_it = _rejected(world, "Hossain", with_return_decision=True)
    shown = ok(world.get("it.caseworker", f"/applications/{without['id']}"))
    due = shown["return_decision_due"]
    assert due is not None and due["legal_basis"] == ART_37 and due["notified_on"] == "2026-08-03"
    assert ok(world.get("it.caseworker", f"/applications/{with_it['id']}"))["return_decision_due"] is None
    r = world.get("it.return", "/return-decisions-due")
    assert r.status_code == 200
    assert [row["reference"] for row in r.json()] == [without["reference"]]
    assert r.json()[0]["person_name"] and r.json()[0]["legal_basis"] == ART_37

    page = login(world, "it.caseworker").get(f"/procedures/cases/{without['id']}").text
    card = page.split('id="return-decision-due"')[1].split("</section>")[0]
    assert "Article 37" in card and "return decisions due" in card
    officer = login(world, "it.return")
    listed = officer.get("/procedures/return-decisions-due").text
    assert without["reference"] in listed and with_it["reference"] not in listed
    assert (f"/returns/decisions/new?person_id={without['person_id']}&amp;asylum_case_id={without['reference']}"
            "&amp;grounds=negative_asylum_decision") in listed
    home = officer.get("/").text  # the menu and the home page's count
    assert 'href="/procedures/return-decisions-due"' in home
    assert '<td class="num" id="returns-due-art37">1</td>' in home
    assert "Issue the return decision" in officer.get(f"/procedures/cases/{without['id']}").text

    issued = world.client.post("/api/v1/returns/decisions", headers=world.headers("it.return"), json={
        "person_id": without["person_id"], "issued_on": "2026-08-03", "asylum_case_id": without["reference"],
        "grounds": ["negative_asylum_decision"]})
    assert issued.status_code == 201, issued.text
    assert ok(world.get("it.caseworker", f"/applications/{without['id']}"))["return_decision_due"] is None
    assert world.get("it.return", "/return-decisions-due").json() == []
    assert '<td class="num" id="returns-due-art37">0</td>' in officer.get("/").text
