"""The personal interview on the substance omitted (APR Art 13(11)(a), (c); before the Pact Directive
2013/32/EU Art 14(2)(a), (b)) through the API, the case page and the CLI.

Before, every decision but implicit withdrawal waited for the interview to be held (APR Art 12(1)):
an authority able to grant refugee status on the evidence available, or facing an applicant unfit to
be interviewed owing to enduring circumstances, had no way to record the omission the law allows, so
no decision could be drafted. Now ``omit_interview`` records the day, the ground and what the article
requires with it (the medical consultation in case of doubt, the applicant's opportunity to submit
further information in writing), audited and on the timeline, under the law of the case."""

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
APR_A = "Regulation (EU) 2024/1348, Article 13(11)(a)"
APR_C = "Regulation (EU) 2024/1348, Article 13(11)(c)"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def _lodged(world: World, surname: str, **facts: Any) -> dict[str, Any]:
    """A Syrian applicant's application made on 1 August 2026, registered on the 3rd, lodged on the 4th
    (under the APR); the clock on 20 August."""
    case = world.apply(
        "it.caseworker", world.person("it.caseworker", surname=surname, nationality="SYR"), **facts
    )
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    return ok(world.act("it.caseworker", case, "lodge", lodged_on=facts.get("lodged_on", "2026-08-04")))


def test_the_api_omits_the_interview_for_refugee_status_and_the_decision_follows(world: World) -> None:
    case = _lodged(world, "Haddad")
    assert "omit_interview" in case["actions"]
    assert case["interview_omission_grounds"]["positive_decision"]["legal_basis"] == APR_A
    assert case["interview_omission_grounds"]["unfit_or_unable"]["legal_basis"] == APR_C
    # before: no decision on the merits without the interview
    r = world.act("it.caseworker", case, "draft_decision", outcome="refugee_status")
    assert r.status_code == 409 and "omit_interview" in r.text
    done = ok(
        world.act(
            "it.caseworker",
            case,
            "omit_interview",
            omitted_on="2026-08-19",
            omission_ground="positive_decision",
            omission_reason="UNHCR mandate certificate and consistent documents of persecution",
        )
    )
    assert done["state"] == "lodged" and done["interview_omitted_on"] == "2026-08-19"
    omission = done["interview_omission"]
    assert (omission["ground"], omission["legal_basis"], omission["positive_outcomes"]) == (
        "positive_decision",
        [APR_A],
        ["refugee_status"],
    )
    event = next(e for e in done["timeline"] if e["event"] == "interview_omitted")
    assert event["detail"]["reason"].startswith("UNHCR mandate certificate")
    with world.services.engine.connect() as conn:
        audited = conn.execute(
            select(audit_log.c.after).where(
                audit_log.c.action == "procedures.interview_omitted", audit_log.c.entity_id == case["id"]
            )
        ).scalar_one()
    assert audited["ground"] == "positive_decision" and audited["omitted_on"] == "2026-08-19"
    assert "omit_interview" not in done["actions"]
    assert done["draft_before_interview"]["outcomes"] == ["refugee_status", "implicitly_withdrawn"]
    # ground (a) rests on the positive decision: a rejection, or subsidiary protection not recorded as
    # carrying the same rights, is refused naming the outcome
    r = world.act(
        "it.caseworker", done, "draft_decision", outcome="rejected_unfounded", reasons="not credible"
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "outcome"
    assert APR_A in r.text and "needs the personal interview" in r.text
    r = world.act(
        "it.caseworker", done, "draft_decision", outcome="subsidiary_protection", reasons="serious harm"
    )
    assert r.status_code == 422 and "same rights and benefits" in r.text
    drafted = ok(world.act("it.caseworker", done, "draft_decision", outcome="refugee_status"))
    assert drafted["state"] == "draft_decision"
    submitted = ok(world.act("it.caseworker", drafted, "submit_for_review"))
    r = world.act("it.reviewer", submitted, "approve", decided_on="2026-08-18")
    assert r.status_code == 422 and "the omission of the personal interview (2026-08-19)" in r.text
    decided = ok(world.act("it.reviewer", submitted, "approve", decided_on="2026-08-20"))
    assert (decided["state"], decided["outcome"]) == ("decided", "refugee_status")


def test_subsidiary_protection_with_the_same_rights_may_follow_an_omission_under_the_apr(
    world: World,
) -> None:
    case = _lodged(world, "Khalil")
    done = ok(
        world.act(
            "it.caseworker",
            case,
            "omit_interview",
            omitted_on="2026-08-20",
            omission_ground="positive_decision",
            omission_reason="documents on file",
            same_rights_as_refugee_status=True,
        )
    )
    assert done["interview_omission"]["positive_outcomes"] == ["refugee_status", "subsidiary_protection"]
    drafted = ok(
        world.act(
            "it.caseworker",
            done,
            "draft_decision",
            outcome="subsidiary_protection",
            reasons="serious harm in the region of origin",
        )
    )
    assert drafted["state"] == "draft_decision"


def test_unfit_or_unable_needs_the_medical_consultation_and_the_written_opportunity(world: World) -> None:
    case = _lodged(world, "Saleh")
    r = world.act(
        "it.caseworker",
        case,
        "omit_interview",
        omitted_on="2026-08-20",
        omission_ground="unfit_or_unable",
        omission_reason="severe enduring cognitive impairment",
    )
    assert r.status_code == 422
    problems = {d["loc"][-1]: d["msg"] for d in r.json()["detail"]}
    assert set(problems) == {"medical_consulted_on", "written_information_until"}
    assert "consults a medical professional" in problems["medical_consulted_on"]
    assert "Regulation (EU) 2024/1348, Article 13(11), third subparagraph" in problems["medical_consulted_on"]
    assert "effective opportunity" in problems["written_information_until"]
    # a temporary condition postpones the interview: no omission
    r = world.act(
        "it.caseworker",
        case,
        "omit_interview",
        omitted_on="2026-08-20",
        omission_ground="unfit_or_unable",
        omission_reason="post-operative recovery",
        medical_consulted_on="2026-08-18",
        medical_finding="temporary",
        written_information_until="2026-09-03",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "medical_finding"
    assert "postponed" in r.text
    # ground (a)'s field with ground (c), and before lodging
    r = world.act(
        "it.caseworker",
        case,
        "omit_interview",
        omitted_on="2026-08-02",
        omission_ground="unfit_or_unable",
        omission_reason="x",
        medical_consulted_on="2026-08-05",
        medical_finding="enduring",
        written_information_until="2026-09-03",
        same_rights_as_refugee_status=True,
    )
    assert r.status_code == 422
    assert {d["loc"][-1] for d in r.json()["detail"]} == {
        "omitted_on",
        "medical_consulted_on",
        "same_rights_as_refugee_status",
    }
    assert "cannot be before lodging (2026-08-04)" in r.text
    assert ok(world.get("it.caseworker", f"/applications/{case['id']}"))["version"] == case["version"]
    done = ok(
        world.act(
            "it.caseworker",
            case,
            "omit_interview",
            omitted_on="2026-08-20",
            omission_ground="unfit_or_unable",
            omission_reason="severe enduring cognitive impairment",
            medical_consulted_on="2026-08-18",
            medical_finding="enduring",
            written_information_until="2026-09-03",
        )
    )
    omission = done["interview_omission"]
    assert omission["legal_basis"][0] == APR_C and omission["medical_finding"] == "enduring"
    assert omission["not_adverse"].startswith("the omission does not adversely affect the decision")
    assert done["draft_before_interview"] is None  # any decision: the omission does not adversely affect it
    drafted = ok(
        world.act(
            "it.caseworker",
            done,
            "draft_decision",
            outcome="rejected_unfounded",
            reasons="the written statements show no risk",
        )
    )
    submitted = ok(world.act("it.caseworker", drafted, "submit_for_review"))
    world.travel(datetime(2026, 9, 3, 9, 0, tzinfo=UTC))
    r = world.act("it.reviewer", submitted, "approve", decided_on="2026-09-03")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "decided_on"
    assert "further information in writing until 2026-09-03" in r.text
    world.travel(datetime(2026, 9, 4, 9, 0, tzinfo=UTC))
    assert ok(world.act("it.reviewer", submitted, "approve", decided_on="2026-09-04"))["state"] == "decided"


def test_a_case_under_the_directive_has_the_directive_grounds(world: World) -> None:
    person = world.person(
        "it.caseworker", surname="Nasser", nationality="SYR", occurred_at="2026-04-28T06:00:00+00:00"
    )
    case = world.apply("it.caseworker", person, made_on="2026-05-01", registered_on="2026-05-04")
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-05-05"))
    assert case["applicable_law"]["regime"] != "pact"
    assert case["interview_omission_grounds"]["positive_decision"]["legal_basis"] == (
        "Directive 2013/32/EU, Article 14(2)(a)"
    )
    r = world.act(
        "it.caseworker",
        case,
        "omit_interview",
        omitted_on="2026-05-20",
        omission_ground="positive_decision",
        omission_reason="documents",
        same_rights_as_refugee_status=True,
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "same_rights_as_refugee_status"
    assert "refugee status only" in r.text
    done = ok(
        world.act(
            "it.caseworker",
            case,
            "omit_interview",
            omitted_on="2026-05-20",
            omission_ground="unfit_or_unable",
            omission_reason="in a coma since April",
            fitness_not_in_doubt=True,
            written_information_until="2026-06-05",
        )
    )
    assert done["interview_omission"]["legal_basis"][0] == "Directive 2013/32/EU, Article 14(2)(b)"
    assert (
        ok(
            world.act(
                "it.caseworker",
                done,
                "draft_decision",
                outcome="subsidiary_protection",
                reasons="serious harm",
            )
        )["state"]
        == "draft_decision"
    )


def test_the_case_page_offers_the_omission_and_keeps_what_was_typed_when_refused(world: World) -> None:
    case = _lodged(world, "Darwish")
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert "Record that the personal interview on the substance is omitted" in page
    assert '<option value="unfit_or_unable">the determining authority considers the applicant unfit' in page
    r = web.post(
        f"/procedures/cases/{case['id']}/act",
        data={
            "action": "omit_interview",
            "version": str(case["version"]),
            "omitted_on": "2026-08-20",
            "omission_ground": "unfit_or_unable",
            "omission_reason": "enduring trauma",
            "medical_consulted_on": "",
            "medical_finding": "",
            "written_information_until": "",
        },
    )
    assert r.status_code == 422 and "Medical professional consulted on" in r.text
    assert '<option value="unfit_or_unable" selected>' in r.text
    r = web.post(
        f"/procedures/cases/{case['id']}/act",
        data={
            "action": "omit_interview",
            "version": str(case["version"]),
            "omitted_on": "2026-08-20",
            "omission_ground": "positive_decision",
            "omission_reason": "documents on file",
            "medical_consulted_on": "",
            "medical_finding": "",
            "written_information_until": "",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200
    shown = r.text.split('id="interview">')[1].split("</dd>")[0]
    assert "omitted on 2026-08-20" in shown and APR_A in shown


def test_the_cli_records_the_omission_and_refuses_a_bad_ground(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _lodged(world, "Yousef")
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    step = tmp_path / "omit.json"
    step.write_text(
        json.dumps(
            {
                "action": "omit_interview",
                "version": case["version"],
                "omitted_on": "2026-08-20",
                "omission_ground": "tired",
                "omission_reason": "x",
            }
        ),
        encoding="utf-8",
    )
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert (
        out.exit_code == 2 and len(out.output.strip().splitlines()) == 1 and "omission_ground" in out.output
    )
    step.write_text(
        json.dumps(
            {
                "action": "omit_interview",
                "version": case["version"],
                "omitted_on": "2026-08-20",
                "omission_ground": "positive_decision",
                "omission_reason": "documents",
            }
        ),
        encoding="utf-8",
    )
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["interview_omission"]["legal_basis"] == [APR_A]
