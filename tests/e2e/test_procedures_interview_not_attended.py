"""The applicant did not attend the personal interview despite sufficient efforts (APR Art 13(14)),
through the API, the case page and the CLI.

Before, a case whose applicant never came to the interview scheduled could only be drafted as
implicitly withdrawn (APR Art 41(1)(d), failure to attend *without good cause*): the authority had no way
to record that sufficient efforts had been made to give the applicant the opportunity of an interview,
after which Art 13(14) lets it take a decision on the application without one. Now
``record_interview_not_attended`` records the day, the efforts and the days the interview was scheduled
for (the case's own), refuses it where the applicant showed circumstances beyond their control (the
interview is then rescheduled, Art 13(11), fourth subparagraph) and under the Directive, and keeps it
apart from the implicit withdrawal."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.store.tables.platform import audit_log

try:
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]

runner = CliRunner()
ART_13_14 = "Regulation (EU) 2024/1348, Article 13(14)"
ART_41_1_D = "Regulation (EU) 2024/1348, Article 41(1)(d)"
EFFORTS = (
    "invited in writing on 5 and 12 August at the reception centre address, in Arabic; reminder by phone"
)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def _missed(world: World, surname: str, **facts: Any) -> dict[str, Any]:
    """A Syrian applicant's application made on 1 August 2026, lodged on the 4th (under the APR), the
    interview scheduled for the 10th and again for the 17th; the clock on 20 August."""
    case = world.apply(
        "it.caseworker", world.person("it.caseworker", surname=surname, nationality="SYR"), **facts
    )
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on=facts.get("lodged_on", "2026-08-04")))
    case = ok(
        world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-10", language="Arabic")
    )
    return ok(
        world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-17", language="Arabic")
    )


def test_the_api_records_the_absence_and_a_rejection_on_the_merits_may_follow(world: World) -> None:
    case = _missed(world, "Khalil")
    assert "record_interview_not_attended" in case["actions"]
    # before: only an implicit withdrawal without the interview
    r = world.act(
        "it.caseworker", case, "draft_decision", outcome="rejected_unfounded", reasons="not credible"
    )
    assert r.status_code == 409 and "record_interview_not_attended" in r.text and ART_13_14 in r.text
    done = ok(
        world.act(
            "it.caseworker",
            case,
            "record_interview_not_attended",
            recorded_on="2026-08-18",
            efforts=EFFORTS,
            no_circumstances_beyond_control=True,
        )
    )
    assert done["state"] == "interview_scheduled" and done["interview_omission"] is None
    absent = done["interview_not_attended"]
    assert absent["not_attended_on"] == ["2026-08-10", "2026-08-17"]
    assert absent["legal_basis"] == [ART_13_14] and absent["efforts"] == EFFORTS
    assert (
        ART_41_1_D in absent["implicit_withdrawal"] and "without good cause" in absent["implicit_withdrawal"]
    )
    assert done["draft_before_interview"] is None
    assert "record_interview_not_attended" not in done["actions"] and "omit_interview" not in done["actions"]
    event = next(e for e in done["timeline"] if e["event"] == "interview_not_attended")
    assert event["detail"]["recorded_on"] == "2026-08-18"
    with world.services.engine.connect() as conn:
        audited = conn.execute(
            select(audit_log.c.after).where(
                audit_log.c.action == "procedures.interview_not_attended", audit_log.c.entity_id == case["id"]
            )
        ).scalar_one()
    assert audited["not_attended_on"] == ["2026-08-10", "2026-08-17"]
    # a second record, or an omission on top of it, is refused
    r = world.act(
        "it.caseworker",
        done,
        "omit_interview",
        omitted_on="2026-08-19",
        omission_ground="positive_decision",
        omission_reason="documents",
    )
    assert r.status_code == 409 and "already recorded on 2026-08-18" in r.text
    drafted = ok(
        world.act(
            "it.caseworker",
            done,
            "draft_decision",
            outcome="rejected_unfounded",
            reasons="the documents on file do not establish a risk",
        )
    )
    draft_event = next(e for e in drafted["timeline"] if e["event"] == "decision_drafted")
    assert draft_event["detail"]["interview_not_attended"]["legal_basis"] == [ART_13_14]
    submitted = ok(world.act("it.caseworker", drafted, "submit_for_review"))
    r = world.act("it.reviewer", submitted, "approve", decided_on="2026-08-17")
    assert r.status_code == 422 and "absence from the personal interview (2026-08-18)" in r.text
    decided = ok(world.act("it.reviewer", submitted, "approve", decided_on="2026-08-19"))
    assert (decided["state"], decided["outcome"]) == ("decided", "rejected_unfounded")
    # the written notice says the decision was taken without the interview, and why
    notice = ok(world.get("it.caseworker", f"/applications/{case['id']}/notice"))
    absent = notice["interview_not_attended"]
    assert absent["not_attended_on"] == ["2026-08-10", "2026-08-17"] and absent["legal_basis"] == [ART_13_14]
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}/notice").text
    line = page.split('id="interview-not-attended">')[1].split("</p>")[0]
    assert "did not attend it on 2026-08-10, 2026-08-17" in line and ART_13_14 in line


def test_refusals_name_the_field_and_send_circumstances_beyond_control_to_a_new_scheduling(
    world: World,
) -> None:
    case = _missed(world, "Mansour")
    r = world.act(
        "it.caseworker", case, "record_interview_not_attended", recorded_on="2026-08-16", efforts=""
    )
    assert r.status_code == 422
    fields = {p["loc"][-1]: p["msg"] for p in r.json()["detail"]}
    assert set(fields) == {"recorded_on", "efforts", "no_circumstances_beyond_control"}
    assert "2026-08-17" in fields["recorded_on"]
    assert "sufficient efforts" in fields["efforts"]
    assert "reschedules the personal interview" in fields["no_circumstances_beyond_control"]
    assert "Article 13(11), fourth subparagraph" in fields["no_circumstances_beyond_control"]
    r = world.act(
        "it.caseworker",
        case,
        "record_interview_not_attended",
        recorded_on="2026-08-21",
        efforts=EFFORTS,
        no_circumstances_beyond_control=True,
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "recorded_on"


def test_no_interview_scheduled_no_record_of_absence(world: World) -> None:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname="Nasser", nationality="SYR"))
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    assert "record_interview_not_attended" not in case["actions"]
    r = world.act(
        "it.caseworker",
        case,
        "record_interview_not_attended",
        recorded_on="2026-08-18",
        efforts=EFFORTS,
        no_circumstances_beyond_control=True,
    )
    assert r.status_code == 409 and "interview_scheduled" in r.text


def test_a_case_under_the_directive_is_refused_naming_its_articles(world: World) -> None:
    person = world.person(
        "it.caseworker", surname="Saleh", nationality="SYR", occurred_at="2026-04-28T06:00:00+00:00"
    )
    case = world.apply("it.caseworker", person, made_on="2026-05-04", registered_on="2026-05-05")
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-05-06"))
    assert case["applicable_law"]["regime"] == "pre_pact"
    case = ok(
        world.act("it.caseworker", case, "schedule_interview", interview_on="2026-06-01", language="Arabic")
    )
    r = world.act(
        "it.caseworker",
        case,
        "record_interview_not_attended",
        recorded_on="2026-06-02",
        efforts=EFFORTS,
        no_circumstances_beyond_control=True,
    )
    assert r.status_code == 409 and "Directive 2013/32/EU, Article 14(5)" in r.text
    assert "Article 28(1)(a)" in r.text


def test_the_case_page_offers_the_step_and_shows_the_absence(world: World) -> None:
    case = _missed(world, "Haddad")
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert (
        "Record that the applicant did not attend the personal interview despite sufficient efforts" in page
    )
    r = web.post(
        f"/procedures/cases/{case['id']}/act",
        data={
            "action": "record_interview_not_attended",
            "version": str(case["version"]),
            "recorded_on": "2026-08-18",
            "efforts": EFFORTS,
        },
    )
    assert r.status_code == 422 and "specific circumstances beyond their control" in r.text
    assert EFFORTS in r.text  # what was typed is kept
    r = web.post(
        f"/procedures/cases/{case['id']}/act",
        data={
            "action": "record_interview_not_attended",
            "version": str(case["version"]),
            "recorded_on": "2026-08-18",
            "efforts": EFFORTS,
            "no_circumstances_beyond_control": "on",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200
    shown = r.text.split('id="interview-not-attended">')[1].split("</dd>")[0]
    assert "did not attend on 2026-08-10, 2026-08-17 despite sufficient efforts" in shown
    assert ART_13_14 in shown and ART_41_1_D in shown


def test_the_cli_records_the_absence(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _missed(world, "Yousef")
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    step = tmp_path / "absent.json"
    step.write_text(
        json.dumps(
            {
                "action": "record_interview_not_attended",
                "version": case["version"],
                "recorded_on": "2026-08-18",
                "efforts": EFFORTS,
            }
        ),
        encoding="utf-8",
    )
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert out.exit_code == 2 and len(out.output.strip().splitlines()) == 1
    assert "no_circumstances_beyond_control" in out.output
    step.write_text(
        json.dumps(
            {
                "action": "record_interview_not_attended",
                "version": case["version"],
                "recorded_on": "2026-08-18",
                "efforts": EFFORTS,
                "no_circumstances_beyond_control": True,
            }
        ),
        encoding="utf-8",
    )
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["interview_not_attended"]["not_attended_on"] == ["2026-08-10", "2026-08-17"]
