"""The return decision issued with a negative asylum decision is suspended while an appeal that
suspends by itself is pending: the decision says why by the asylum procedure's article (APR Art
68(1), (2): the effects of the return decision are suspended while the applicant has the right to
remain, until the appeal's outcome; before the Pact Directive 2013/32/EU Art 46(5)), not by
Directive 2008/115/EC Art 13(2), which is about a body reviewing the return decision itself and
its power to suspend it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pactum.services.auth import Role

try:
    from .test_decision_notice import REASONS, decided, interviewed
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_decision_notice import REASONS, decided, interviewed  # type: ignore[no-redef]
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def appealed(world: World, surname: str, before_the_pact: bool) -> dict[str, Any]:
    case = decided(world, interviewed(world, surname, "SYR", before_the_pact), "rejected_unfounded", REASONS)
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21", with_return_decision=True,
                        voluntary_departure_days=7))
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-08-24"))
    assert case["suspensive_effect"] is True and case["return_decision_status"] == "suspended"
    return case


@pytest.mark.parametrize(("before_the_pact", "article"), [
    (False, "Regulation (EU) 2024/1348, Article 68(1), (2)"),
    (True, "Directive 2013/32/EU, Article 46(5)"),
])
def test_the_suspension_by_an_asylum_appeal_cites_the_asylum_procedures_article(
        world: World, before_the_pact: bool, article: str) -> None:
    case = appealed(world, "Hossain", before_the_pact)
    world.user("it.returns", "IT", Role.return_officer)
    decision = world.client.get(f"/api/v1/returns/decisions/{case['return_decision_id']}",
                                headers=world.headers("it.returns")).json()
    assert decision["status_reason"] == ("appeal with suspensive effect lodged against the negative asylum decision: "
                                         f"the applicant may remain until its outcome ({article})")
    page = login(world, "it.returns").get(f"/returns/decisions/{case['return_decision_id']}").text
    assert article in page and "2008/115/EC, Article 13(2)" not in page


@pytest.mark.parametrize(("before_the_pact", "article"), [
    (False, "Regulation (EU) 2024/1348, Article 68(1), (2)"),
    (True, "Directive 2013/32/EU, Article 46(5)"),
])
def test_the_time_to_appeal_obstacle_says_its_last_day_and_the_cases_article(
        world: World, before_the_pact: bool, article: str) -> None:
    """The return officer reads until when the applicant may not be removed and by which article
    (the case's regime's), on the decision and in the queue, not both regimes' articles without a day."""
    case = decided(world, interviewed(world, "Haddad", "SYR", before_the_pact), "rejected_unfounded", REASONS)
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21", with_return_decision=True,
                        voluntary_departure_days=7))
    deadline = ok(world.get("it.caseworker", f"/applications/{case['id']}"))["appeal_deadline"]
    world.user("it.returns", "IT", Role.return_officer)
    world.travel(datetime(2026, 9, 1, 9, 0, tzinfo=UTC))  # the seven days have passed, the month has not
    decision = world.client.get(f"/api/v1/returns/decisions/{case['return_decision_id']}",
                                headers=world.headers("it.returns")).json()
    labels = {o["code"]: o["label"] for o in decision["obstacles"]}
    assert labels["appeal_time"] == (f"time to appeal still running, until {deadline}: an appeal would let the "
                                     f"applicant remain ({article})")
    queue = login(world, "it.returns").get("/returns").text
    assert labels["appeal_time"] in queue and "before the Pact" not in queue


def test_no_removal_is_recorded_while_the_time_to_appeal_runs(world: World) -> None:
    """APR Art 68(1), (2): the applicant may remain until the time limit for the appeal ends. The
    seven days for voluntary departure have passed (1 September) but the month to appeal has not:
    a removal on that day is refused naming the bar and its day (the queue already named it), a
    voluntary departure is recorded; the form says so before the officer submits."""
    case = decided(world, interviewed(world, "Haddad", "SYR"), "rejected_unfounded", REASONS)
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21", with_return_decision=True,
                        voluntary_departure_days=7))
    deadline = ok(world.get("it.caseworker", f"/applications/{case['id']}"))["appeal_deadline"]
    world.user("it.returns", "IT", Role.return_officer)
    world.travel(datetime(2026, 9, 1, 9, 0, tzinfo=UTC))
    path = f"/api/v1/returns/decisions/{case['return_decision_id']}"
    decision = world.client.get(path, headers=world.headers("it.returns")).json()
    web = login(world, "it.returns")
    page = web.get(f"/returns/decisions/{decision['id']}").text
    hint = page.split('id="removal-barred">', 1)[1].split("</p>", 1)[0]
    assert f"until {deadline}" in hint and "Article 68(1), (2)" in hint
    r = world.client.post(f"{path}/departure", headers=world.headers("it.returns"),
                          json={"version": decision["version"], "departed_on": "2026-09-01", "mode": "enforced"})
    assert r.status_code == 422, r.text
    (problem,) = r.json()["detail"]
    assert problem["loc"][-1] == "mode"
    assert problem["msg"] == (f"a removal cannot be recorded on 2026-09-01: the time to appeal against the negative "
                              f"asylum decision runs until {deadline}, and an appeal would let the applicant remain "
                              "(Regulation (EU) 2024/1348, Article 68(1), (2)); a departure within it is a voluntary "
                              "departure")
    assert world.client.get(path, headers=world.headers("it.returns")).json()["status"] == "issued"
    r = world.client.post(f"{path}/departure", headers=world.headers("it.returns"),
                          json={"version": decision["version"], "departed_on": "2026-09-01", "mode": "voluntary"})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(("before_the_pact", "article"), [
    (False, "Regulation (EU) 2024/1348, Article 68(1), (2)"),
    (True, "Directive 2013/32/EU, Article 46(5)"),
])
def test_no_entry_ban_while_the_asylum_appeal_suspends_says_the_asylum_article(
        world: World, before_the_pact: bool, article: str) -> None:
    """The period ended without a departure, but the applicant may remain pending the appeal: no
    entry ban for the obligation not complied with (Directive 2008/115/EC Art 11(1)(b)), and the
    note and the refusal name the asylum procedure's article, not Art 13(2)."""
    case = appealed(world, "Rahman", before_the_pact)
    world.user("it.returns", "IT", Role.return_officer)
    path = f"/api/v1/returns/decisions/{case['return_decision_id']}"
    decision = world.client.get(path, headers=world.headers("it.returns")).json()
    held = decision["entry_ban_withheld"]
    assert decision["entry_ban_due"] is None and held["legal_basis"] == [
        "Directive 2008/115/EC, Article 11(1)(b)", article]
    assert held["reason"].startswith("the applicant may remain pending the appeal against the negative asylum "
                                     f"decision it was issued with, and its effects are suspended meanwhile ({article})")
    r = world.client.post(f"{path}/entry-ban", headers=world.headers("it.returns"),
                          json={"version": decision["version"], "imposed_on": "2026-09-01", "entry_ban_years": 1,
                                "reasons": "did not leave"})
    assert r.status_code == 422 and held["reason"] in r.json()["detail"][0]["msg"]
    page = login(world, "it.returns").get(f"/returns/decisions/{case['return_decision_id']}").text
    assert 'id="entry-ban-withheld"' in page and article in page and "2008/115/EC, Article 13(2)" not in page


def test_the_period_does_not_run_while_the_asylum_appeal_suspends_and_runs_on_after_its_dismissal(
        world: World) -> None:
    """Court of Justice, C-181/16 *Gnandi*: the period for voluntary departure does not run while
    the applicant may remain pending the appeal. Notified on Monday 5 October 2026 with 7 days (last
    day Monday 12 October); the appeal lodged on Wednesday 7 October suspends the decision with 6
    days left (7 to 12 October): the period has no last day meanwhile and cites the asylum
    procedure's article, not Directive 2008/115/EC Art 13(2). Dismissed on Monday 2 November: the
    6 days run from 3 November, the 6th a Sunday, so the period ends on Monday 9 November.

    Since the time to appeal counts too (APR Art 68(1), (2): the decision's effects are suspended
    while the applicant may remain, before the appeal as well): the period did not run from the
    notification either, so all 7 days are left, and they run from 3 November to Monday 9 November:
    the same last day here, by one stop from 5 October to 2 November."""
    case = decided(world, interviewed(world, "Karimi", "SYR"), "rejected_unfounded", REASONS)
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-10-05", with_return_decision=True,
                        voluntary_departure_days=7))
    world.user("it.returns", "IT", Role.return_officer)
    path = f"/api/v1/returns/decisions/{case['return_decision_id']}"
    assert world.client.get(path, headers=world.headers("it.returns")).json()["voluntary_departure_last_day"] == \
        "2026-10-12"
    world.travel(datetime(2026, 10, 7, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-10-07"))
    assert case["return_decision_status"] == "suspended"
    world.travel(datetime(2026, 10, 20, 9, 0, tzinfo=UTC))
    decision = world.client.get(path, headers=world.headers("it.returns")).json()
    period = decision["voluntary_departure_period"]
    assert decision["voluntary_departure_ends_on"] is None and period["paused"] is True and period["days_left"] == 7
    assert period["appeal_time"]["from"] == "2026-10-05" and period["appeal_time"]["appeal_lodged_on"] == "2026-10-07"
    assert period["suspension_basis"] == "Regulation (EU) 2024/1348, Article 68(1), (2)"
    assert decision["entry_ban_withheld"] is None and decision["entry_ban_due"] is None  # the period has not ended
    page = login(world, "it.returns").get(f"/returns/decisions/{decision['id']}").text
    assert 'id="period-paused"' in page and "2008/115/EC, Article 13(2)" not in page

    world.travel(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "decide_appeal", outcome="dismissed", decided_on="2026-11-02"))
    decision = world.client.get(path, headers=world.headers("it.returns")).json()
    assert decision["status"] == "issued" and decision["voluntary_departure_ends_on"] == "2026-11-09"
    (step,) = decision["voluntary_departure_period"]["steps"]
    assert step.startswith("the time to appeal against the negative asylum decision from 2026-10-05 to ")
    assert step.endswith(", until an appeal was lodged on 2026-10-07, during which the applicant may remain and the "
                         "effects of the return decision are suspended (Regulation (EU) 2024/1348, Article 68(1), "
                         "(2)); suspended on 2026-10-07, lifted on 2026-11-02: the period did not run until 2026-11-02, "
                         "with 7 days of it left (2026-10-06 to 2026-10-12): they run from 2026-11-03, last day "
                         "2026-11-09")
    assert decision["alert"]["voluntary_departure_last_day"] == "2026-11-09"
    assert "voluntary_departure_running" in {o["code"] for o in decision["obstacles"]}
