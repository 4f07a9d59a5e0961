"""The applicant's explicit withdrawal of the application, through every way in: the API step, the
CLI step, the case page's form; what it does to the case (closed, no deadline, out of the queue
and of the border procedure's occupancy), its return decision (APR Art 37), its audit entry and
timeline event, and its refusals (a day after today or before the application, a final case)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.procedures import border_procedure_occupancy
from pactum.store.tables.platform import audit_log
from pactum.store.tables.returns import return_decisions

try:
    from .test_procedures_support import World, dublin_case_with_request, login, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import (  # type: ignore[no-redef]
        World,
        dublin_case_with_request,
        login,
        make_world,
        ok,
    )

runner = CliRunner()


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def lodged_case(world: World, surname: str = "Uddin", **facts: Any) -> dict[str, Any]:
    pid = world.person("it.caseworker", surname=surname, nationality="BGD",
                       occurred_at=facts.pop("occurred_at", "2026-08-01T06:00:00+00:00"))
    case = world.apply("it.caseworker", pid, **facts)
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    return ok(world.act("it.caseworker", case, "lodge", lodged_on=facts.get("registered_on", "2026-08-04")))


WITHDRAWAL = {"withdrawn_on": "2026-08-10", "how": "in_person_in_writing", "decision": "declare_withdrawn",
              "decided_on": "2026-08-11"}


def test_api_declares_the_application_explicitly_withdrawn_with_its_return_decision(world: World) -> None:
    case = lodged_case(world)  # a border case in Italy, made on 1 August 2026: the APR
    assert "record_withdrawal" in case["actions"]
    assert case["id"] in {r["id"] for r in world.get("it.caseworker", "/queue").json()}
    with world.services.engine.connect() as conn:
        assert border_procedure_occupancy(conn, date(2026, 8, 20), "IT") == {"IT": 1}
    done = ok(world.act("it.caseworker", case, "record_withdrawal", **WITHDRAWAL))
    assert (done["state"], done["outcome"], done["decided_on"]) == ("withdrawn", "explicitly_withdrawn", "2026-08-11")
    # closed: no deadline runs, no step is left, the queue no longer lists it
    assert done["deadline"] is None and done["next_deadline"] is None and done["actions"] == []
    queue = world.get("it.caseworker", "/queue")
    assert queue.status_code == 200 and case["id"] not in {r["id"] for r in queue.json()}
    # nor does it occupy a place of the border procedure's capacity any longer
    with world.services.engine.connect() as conn:
        assert border_procedure_occupancy(conn, date(2026, 8, 20), "IT") == {}
    # the return decision issued with it (Regulation (EU) 2024/1348, Article 37), on the decision's day
    assert done["return_decision_id"] and done["return_decision_status"] == "issued"
    with world.services.engine.connect() as conn:
        rd = conn.execute(select(return_decisions).where(return_decisions.c.id == done["return_decision_id"])).one()
    assert rd.asylum_case_id == case["id"] and rd.issued_on == date(2026, 8, 11)
    assert rd.grounds == ["negative_asylum_decision"]
    # the case says what happened, the timeline event and the audit entry record it
    w = done["withdrawal"]
    assert (w["withdrawn_on"], w["how"], w["decision"], w["decided_on"]) == (
        "2026-08-10", "in_person_in_writing", "declare_withdrawn", "2026-08-11")
    assert w["legal_basis"] == ["Regulation (EU) 2024/1348, Article 40(1)", "Regulation (EU) 2024/1348, Article 40(3)",
                                "Regulation (EU) 2024/1348, Article 37"]
    last = done["timeline"][-1]
    assert (last["event"], last["from_state"], last["to_state"]) == ("withdrawal_recorded", "lodged", "withdrawn")
    assert last["detail"]["return_decision_id"] == done["return_decision_id"]
    with world.services.engine.connect() as conn:
        entry = conn.execute(select(audit_log).where(audit_log.c.entity_id == case["id"],
                                                     audit_log.c.action == "procedures.withdrawal_recorded")).one()
    assert entry.actor == "it.caseworker" and entry.before == {"state": "lodged"}
    assert entry.after["state"] == "withdrawn" and entry.after["withdrawn_on"] == "2026-08-10"
    # the decision is final: nothing more is recorded on it, not even a second withdrawal
    r = world.act("it.caseworker", done, "record_withdrawal", **WITHDRAWAL)
    assert r.status_code == 409
    assert "cannot record the applicant's explicit withdrawal while the case is 'withdrawn'" in r.json()["detail"]
    assert world.act("it.caseworker", done, "lodge_appeal", lodged_on="2026-08-12").status_code == 409


def test_api_refuses_a_day_after_today_or_before_the_application_naming_the_field(world: World) -> None:
    case = lodged_case(world)
    r = world.act("it.caseworker", case, "record_withdrawal", **{**WITHDRAWAL, "withdrawn_on": "2026-08-21",
                                                                 "decided_on": "2026-08-21"})
    assert r.status_code == 422
    assert {tuple(d["loc"][-1:]) for d in r.json()["detail"]} == {("withdrawn_on",), ("decided_on",)}
    assert "cannot be after today (2026-08-20)" in r.text
    r = world.act("it.caseworker", case, "record_withdrawal", **{**WITHDRAWAL, "withdrawn_on": "2026-07-31"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "withdrawn_on"
    assert "cannot be before the day the application was made (2026-08-01)" in r.text
    r = world.act("it.caseworker", case, "record_withdrawal", **{**WITHDRAWAL, "how": "by_phone"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "how"
    assert "Regulation (EU) 2024/1348, Article 40(1)" in r.text
    r = world.act("it.caseworker", case, "record_withdrawal", **{**WITHDRAWAL, "how": 3})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "how"
    # nothing was written
    assert ok(world.get("it.caseworker", f"/applications/{case['id']}"))["version"] == case["version"]


def test_a_case_made_before_the_pact_is_discontinued_under_the_directive(world: World) -> None:
    case = lodged_case(world, surname="Karim", made_on="2026-03-02", registered_on="2026-03-03",
                       occurred_at="2026-03-01T06:00:00+00:00")
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["withdrawal_choices"]["regime"] == "pre_pact"
    assert list(shown["withdrawal_choices"]["decision"]) == ["discontinue", "reject"]
    r = world.act("it.caseworker", case, "record_withdrawal", withdrawn_on="2026-03-10", how="orally_recorded",
                  decision="declare_withdrawn", decided_on="2026-03-11")
    assert r.status_code == 422 and "Directive 2013/32/EU, Article 27(1)" in r.text
    done = ok(world.act("it.caseworker", case, "record_withdrawal", withdrawn_on="2026-03-10",
                        how="orally_recorded", decision="discontinue", decided_on="2026-03-11"))
    assert done["state"] == "withdrawn" and done["outcome"] == "explicitly_withdrawn"
    assert done["return_decision_id"] is None  # the Return Directive allows one (Art 6(6)); not the default
    assert done["withdrawal"]["note"] == "the examination is discontinued"


def test_cli_step_records_the_withdrawal_and_refuses_in_one_line(world: World, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACTUM_DATABASE_URL", world.services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    case = lodged_case(world)
    # the CLI reads the real clock: the days are in the past of both clocks
    step = {"action": "record_withdrawal", "version": case["version"], **WITHDRAWAL, "how": "through_legal_adviser"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**step, "withdrawn_on": "2026-07-01"}), encoding="utf-8")
    r = runner.invoke(app, ["procedures", "act", case["id"], str(bad)])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert r.output.startswith("error: withdrawn_on: cannot be before the day the application was made (2026-08-01)")
    f = tmp_path / "withdrawal.json"
    f.write_text(json.dumps(step), encoding="utf-8")
    r = runner.invoke(app, ["procedures", "act", case["reference"], str(f)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["state"] == "withdrawn" and out["withdrawal"]["how"] == "through_legal_adviser"
    r = runner.invoke(app, ["procedures", "act", case["id"], str(f)])
    assert r.exit_code == 2 and "the case is 'withdrawn'" in r.output


def test_the_case_page_offers_the_withdrawal_form_and_shows_the_decision(world: World) -> None:
    case = lodged_case(world)
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    form = page.split('value="record_withdrawal"', 1)[1].split("</form>", 1)[0]
    assert "Withdrawn on (the day the applicant withdrew the application)" in form
    assert '<option value="in_person_in_writing">in person, in writing</option>' in form
    assert '<option value="declare_withdrawn">declare the application explicitly withdrawn</option>' in form
    assert "orally" not in form  # not a form the APR allows (Art 40(1))
    assert re.search(r'<input type="checkbox" name="with_return_decision" checked', form)  # APR Art 37
    assert "Record withdrawal</button>" in form
    # refused: kept as typed, the field named beside it
    r = web.post(f"/procedures/cases/{case['id']}/act", data={
        "action": "record_withdrawal", "version": str(case["version"]), "withdrawn_on": "2026-07-20",
        "how": "through_legal_adviser", "decision": "declare_withdrawn", "decided_on": "2026-08-11",
        "with_return_decision": "on"})
    assert r.status_code == 422
    assert "Withdrawn on (the day the applicant withdrew the application): cannot be before the day the " \
           "application was made (2026-08-01)" in r.text
    assert 'name="withdrawn_on" value="2026-07-20"' in r.text
    assert '<option value="through_legal_adviser" selected>' in r.text
    r = web.post(f"/procedures/cases/{case['id']}/act", data={
        "action": "record_withdrawal", "version": str(case["version"]), **WITHDRAWAL,
        "with_return_decision": "on"}, follow_redirects=False)
    assert r.status_code == 303
    page = web.get(r.headers["location"]).text
    assert "Done: record the applicant&#39;s explicit withdrawal of the application." in page
    assert '<span class="badge">withdrawn</span>' in page
    said = page.split('id="withdrawal">', 1)[1].split("</dd>", 1)[0]
    assert "The applicant withdrew the application on 2026-08-10 (in person, in writing)" in said
    assert "declare the application explicitly withdrawn on 2026-08-11" in said
    assert "Regulation (EU) 2024/1348, Article 40(3)" in said
    assert "No legal deadline runs in this state." in page
    assert "<h2>Next steps</h2>" not in page
    timeline = page.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    assert "withdrawal recorded" in timeline and "withdrawn on: 2026-08-10" in timeline


def _rejected_regular_case(world: World) -> dict[str, Any]:
    pid = world.person("it.caseworker", surname="Haile", nationality="SYR", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory")
    assert case["procedure"] == "regular"
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-10", language="Arabic"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-10", interpreter_language="Arabic"))
    return ok(world.act("it.caseworker", case, "draft_decision", outcome="rejected_unfounded",
                        reasons="no well-founded fear shown"))


def test_a_rejection_already_found_is_still_taken_after_the_withdrawal(world: World) -> None:
    case = _rejected_regular_case(world)
    r = world.act("it.caseworker", case, "record_withdrawal", withdrawn_on="2026-08-12", how="in_person_in_writing",
                  decision="reject")
    case = ok(r)
    # Art 40(4): the case keeps its drafted rejection, which goes on to review and notification
    assert case["state"] == "draft_decision" and case["withdrawal"]["decision"] == "reject"
    assert case["withdrawal"]["legal_basis"] == ["Regulation (EU) 2024/1348, Article 40(1)",
                                                 "Regulation (EU) 2024/1348, Article 40(4)"]
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-14"))
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-15", with_return_decision=True))
    assert case["state"] == "notified" and case["return_decision_status"] == "issued"


def test_withdrawing_during_a_suspensive_appeal_lets_the_return_decision_run_again(world: World) -> None:
    case = _rejected_regular_case(world)
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    case = ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-14"))
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-15", with_return_decision=True))
    case = ok(world.act("it.caseworker", case, "lodge_appeal", lodged_on="2026-08-18"))
    assert case["suspensive_effect"] is True and case["return_decision_status"] == "suspended"
    assert "record_withdrawal" in case["actions"]
    r = world.act("it.caseworker", case, "record_withdrawal", **{**WITHDRAWAL, "withdrawn_on": "2026-08-19",
                                                                 "decided_on": "2026-08-20",
                                                                 "with_return_decision": True})
    assert r.status_code == 422 and "already issued" in r.text  # one return decision, the one in force
    done = ok(world.act("it.caseworker", case, "record_withdrawal", **{**WITHDRAWAL, "withdrawn_on": "2026-08-19",
                                                                       "decided_on": "2026-08-20"}))
    assert done["state"] == "withdrawn" and done["return_decision_id"] == case["return_decision_id"]
    assert done["return_decision_status"] == "issued"  # no appeal pending: the suspension is lifted


def test_no_withdrawal_decision_here_while_another_state_is_responsible(world: World) -> None:
    """DE's own Dublin case says Italy is responsible (take-charge request accepted): DE decides
    nothing on the application, the decision on a withdrawal neither (with its return decision it
    would end the application where the applicant is not to stay)."""
    pid = world.person("de.caseworker", surname="Sultani", nationality="AFG", kind="in_territory_application")
    case = world.apply("de.caseworker", pid, context="in_territory")
    dublin_case_with_request(world, pid, sent_on=date(2026, 8, 3), accepted_on=date(2026, 8, 3))
    shown = ok(world.get("de.caseworker", f"/applications/{case['id']}"))
    assert "record_withdrawal" not in shown["actions"] and "record_withdrawal" in shown["withheld_actions"]
    r = world.act("de.caseworker", shown, "record_withdrawal", **{**WITHDRAWAL, "withdrawn_on": "2026-08-03",
                                                                  "decided_on": "2026-08-03"})
    assert r.status_code == 409
    detail = r.json()["detail"]
    assert detail.startswith("DE cannot record the applicant's explicit withdrawal of the application: IT is "
                             "responsible now")
    assert "Regulation (EU) 2024/1351, Article 16(1)" in detail
    page = login(world, "de.caseworker").get(f"/procedures/cases/{case['id']}").text
    assert "The applicant's explicit withdrawal of the application: not recorded here, the Member State " \
           "responsible decides on it." in page
    assert 'value="record_withdrawal"' not in page


def test_a_withdrawn_border_case_says_its_border_procedure_ended_with_it(world: World) -> None:
    """The case page of a border case closed by the withdrawal no longer says the border procedure
    "ends" on a day still ahead: it ended with the case (APR Art 40(3))."""
    case = lodged_case(world)
    before = ok(world.act("it.caseworker", case, "record_withdrawal", **WITHDRAWAL))
    facts = before["border_procedure"]
    assert facts["closed_note"] == ("the applicant withdrew the application and the case was closed on 2026-08-11, "
                                    "before the border procedure's last day: the procedure ended with the case")
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    said = re.search(r'<p id="border-procedure">(.*?)</p>', page, re.S)
    assert said and f"its last day would have been {facts['end']}" in said.group(1)
    assert "ends " + facts["end"] not in said.group(1)
