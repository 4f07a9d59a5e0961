"""The written notice of the decision on an asylum application (Regulation (EU) 2024/1348,
Article 36(1) to (3); before the Pact Directive 2013/32/EU, Article 11): the printable page, its
PDF, the API's JSON and the CLI; what it says (outcome, reasons in fact and in law, legal basis,
how to challenge it with the time limit's last day from the notification and whether an appeal
suspends removal, the return decision issued with it, the language recorded), who may read it,
its refusal while no decision exists, and its one read in the personal-data read log."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.store.tables.platform import personal_data_reads

try:
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]

runner = CliRunner()
REASONS = ("The applicant's account of threats in Sylhet is inconsistent on dates and places; "
           "no individual risk of persecution or serious harm is shown (Art 10 of Regulation (EU) 2024/1347).")


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def interviewed(world: World, surname: str, nationality: str, before_the_pact: bool = False) -> dict[str, Any]:
    month = "03" if before_the_pact else "08"
    pid = world.person("it.caseworker", surname=surname, nationality=nationality,
                       occurred_at=f"2026-{month}-01T06:00:00+00:00")
    case = world.apply("it.caseworker", pid, made_on=f"2026-{month}-01", registered_on=f"2026-{month}-03")
    world.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on=f"2026-{month}-04"))
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on=f"2026-{month}-10",
                        language="Bengali"))
    return ok(world.act("it.caseworker", case, "hold_interview", held_on=f"2026-{month}-10",
                        interpreter_language="Bengali"))


def decided(world: World, case: dict[str, Any], outcome: str, reasons: str = "") -> dict[str, Any]:
    case = ok(world.act("it.caseworker", case, "draft_decision", outcome=outcome, reasons=reasons))
    case = ok(world.act("it.caseworker", case, "submit_for_review"))
    return ok(world.act("it.reviewer", case, "approve", decided_on="2026-08-20"))


def rejected_and_notified(world: World) -> dict[str, Any]:
    """A border case in Italy made on 1 August 2026 (the APR), rejected as unfounded, notified on
    Friday 21 August 2026 with a return decision of 7 days' voluntary departure."""
    case = decided(world, interviewed(world, "Uddin", "BGD"), "rejected_unfounded", REASONS)
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21",
                        with_return_decision=True, voluntary_departure_days=7))
    assert case["procedure"] == "border" and case["return_decision_id"]
    return case


def api(world: World, who: str, path: str) -> Any:
    return world.client.get(f"/api/v1{path}", headers=world.headers(who))


def notice_reads(world: World) -> list[Any]:
    with world.services.engine.connect() as conn:
        return list(conn.execute(select(personal_data_reads).where(personal_data_reads.c.what == "decision_notice")))


def test_api_notice_of_a_rejection_states_reasons_time_limit_suspensive_effect_and_return_decision(
        world: World) -> None:
    case = rejected_and_notified(world)
    n = ok(api(world, "it.caseworker", f"/procedures/cases/{case['reference']}/notice"))
    assert (n["reference"], n["case_id"], n["state"], n["regime"]) == (case["reference"], case["id"], "notified", "pact")
    assert n["authority"]["member_state"] == "IT" and n["authority"]["member_state_name"] == "Italy"
    assert n["applicant"] == {"person_id": case["person_id"], "name": "Rahim Uddin", "date_of_birth": "1996-05-04",
                              "nationality": "BGD", "nationality_name": "Bangladesh"}
    d = n["decision"]
    assert (d["decided_on"], d["notified_on"], d["outcome"]) == ("2026-08-20", "2026-08-21", "rejected_unfounded")
    assert d["outcome_text"] == "The decision rejects the application as unfounded."
    # a rejection states the reasons in fact and in law (APR Art 36(2)), as the officer recorded them
    assert d["reasons"] == REASONS and d["reasons_required"] is True
    assert d["reasons_legal_basis"] == "Regulation (EU) 2024/1348, Article 36(2)"
    assert n["legal_basis"][:2] == ["Regulation (EU) 2024/1348, Article 36(1)",
                                    "Regulation (EU) 2024/1348, Article 36(2)"]
    ch = n["challenge"]
    assert ch["applies"] is True and "court or tribunal" in ch["text"]
    assert ch["remedy_legal_basis"] == "Regulation (EU) 2024/1348, Article 67(1)"
    assert "Regulation (EU) 2024/1348, Article 36(3)" in ch["legal_basis"]
    # border procedure: 10 days (APR Art 67(7)(a)) from the notification of Friday 21 August -> Monday 31 August 2026
    assert ch["time_limit"]["runs_from"] == "2026-08-21" and ch["time_limit"]["last_day"] == "2026-08-31"
    assert ch["time_limit"]["last_day"] == case["appeal_deadline"]
    assert "by 2026-08-31" in ch["time_limit"]["text"]
    # the APR leaves the length to national law within a range: the notice says the day is the latest
    assert ch["time_limit"]["set_by_national_law"] is True
    assert "national law may set a shorter one" in ch["time_limit"]["text"]
    # a rejection in the border procedure: no automatic right to remain (APR Art 68(3))
    assert ch["suspensive_effect"]["suspends_removal"] is False
    assert "Article 68(3)" in ch["suspensive_effect"]["legal_basis"]
    rd = n["return_decision"]
    assert rd["id"] == case["return_decision_id"] and rd["reference"] == case["return_decision_reference"]
    assert rd["voluntary_departure_days"] == 7 and rd["issued_on"] == "2026-08-21"
    assert n["language"]["recorded"] == "Bengali"
    assert "language the applicant understands" in n["language"]["text"]
    assert n["language"]["legal_basis"] == "Regulation (EU) 2024/1348, Article 36(3)"
    # the case page links the notice once the decision exists
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}")
    assert f'href="/procedures/cases/{case["id"]}/notice"' in page.text


def test_web_page_and_pdf_of_the_notice_and_one_read_logged_each(world: World) -> None:
    case = rejected_and_notified(world)
    web = login(world, "it.caseworker")
    before = len(notice_reads(world))
    page = web.get(f"/procedures/cases/{case['id']}/notice")
    assert page.status_code == 200, page.text
    text = page.text
    for said in (case["reference"], "Rahim Uddin", "1996-05-04", "Bangladesh", "2026-08-20",
                 "The decision rejects the application as unfounded.", "inconsistent on dates and places",
                 "How to challenge this decision", "by 2026-08-31 at the latest",
                 "removal is not automatically suspended", case["return_decision_reference"], "7 days",
                 "Bengali", "Regulation (EU) 2024/1348, Article 36(2)", "Italy"):
        assert said in text, said
    pdf = web.get(f"/procedures/cases/{case['id']}/notice.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert case["reference"] in pdf.headers["content-disposition"]
    reads = notice_reads(world)
    assert len(reads) == before + 2  # one per notice shown: the page, the PDF
    last = reads[-1]
    assert (last.username, last.channel, last.record_id, last.person_id, last.persons_shown) == (
        "it.caseworker", "web", case["id"], case["person_id"], 1)
    r = api(world, "it.caseworker", f"/procedures/cases/{case['id']}/notice")
    assert r.status_code == 200
    reads = notice_reads(world)
    assert len(reads) == before + 3 and reads[-1].channel == "api"


def test_notice_of_a_grant_needs_no_reasons_nor_challenge(world: World) -> None:
    case = decided(world, interviewed(world, "Haile", "ERI"), "refugee_status")
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21"))
    n = ok(api(world, "it.caseworker", f"/procedures/cases/{case['id']}/notice"))
    assert n["decision"]["outcome"] == "refugee_status" and n["decision"]["grants"] is True
    assert n["decision"]["outcome_text"] == "The decision grants refugee status."
    assert n["decision"]["reasons_required"] is False and n["decision"]["reasons_legal_basis"] is None
    assert n["challenge"]["applies"] is False and "rejects nothing" in n["challenge"]["text"]
    assert n["return_decision"] is None
    assert "Regulation (EU) 2024/1348, Article 36(2)" not in n["legal_basis"]
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}/notice")
    assert page.status_code == 200 and "no statement of reasons for a rejection is required" in page.text


def test_a_decision_not_notified_yet_says_the_time_limit_runs_from_notification(world: World) -> None:
    case = decided(world, interviewed(world, "Uddin", "BGD"), "rejected_unfounded", REASONS)
    n = ok(api(world, "it.caseworker", f"/procedures/cases/{case['id']}/notice"))
    assert n["state"] == "decided" and n["decision"]["notified_on"] is None
    assert n["challenge"]["time_limit"]["last_day"] is None
    assert "runs from the notification" in n["challenge"]["time_limit"]["text"]


def test_no_decision_yet_is_refused_naming_the_state_and_logs_nothing(world: World,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    case = interviewed(world, "Uddin", "BGD")
    r = api(world, "it.caseworker", f"/procedures/cases/{case['id']}/notice")
    assert r.status_code == 409
    assert r.json()["detail"].startswith(f"asylum case {case['reference']} has no decision to give notice of: "
                                         "it is 'interview_held'")
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}/notice")
    assert page.status_code == 409 and "it is &#39;interview_held&#39;" in page.text
    assert web.get(f"/procedures/cases/{case['id']}/notice.pdf").status_code == 409
    assert f'/procedures/cases/{case["id"]}/notice"' not in web.get(f"/procedures/cases/{case['id']}").text
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    out = runner.invoke(app, ["procedures", "notice", case["reference"]])
    assert out.exit_code == 2
    assert out.output.strip().count("\n") == 0 and "'interview_held'" in out.output
    assert notice_reads(world) == []


def test_another_states_caseworker_gets_404_as_for_the_case(world: World) -> None:
    case = rejected_and_notified(world)
    r = api(world, "de.caseworker", f"/procedures/cases/{case['id']}/notice")
    assert r.status_code == 404
    assert world.get("de.caseworker", f"/applications/{case['id']}").status_code == 404
    web = login(world, "de.caseworker")
    assert web.get(f"/procedures/cases/{case['id']}/notice").status_code == 404
    assert web.get(f"/procedures/cases/{case['id']}/notice.pdf").status_code == 404
    # an analyst reads aggregates, not named case files
    assert api(world, "it.analyst", f"/procedures/cases/{case['id']}/notice").status_code == 403
    assert notice_reads(world) == []


def test_cli_notice_by_reference_as_json_and_pdf(world: World, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    case = rejected_and_notified(world)
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    out = runner.invoke(app, ["procedures", "notice", case["reference"]])
    assert out.exit_code == 0, out.output
    n = json.loads(out.output)
    assert n["case_id"] == case["id"] and n["challenge"]["time_limit"]["last_day"] == "2026-08-31"
    assert n["return_decision"]["voluntary_departure_days"] == 7
    pdf = tmp_path / "notice.pdf"
    out = runner.invoke(app, ["procedures", "notice", case["reference"], "--pdf", str(pdf)])
    assert out.exit_code == 0, out.output
    assert pdf.read_bytes().startswith(b"%PDF") and case["reference"] in out.output
    reads = notice_reads(world)
    assert [r.channel for r in reads] == ["cli", "cli"]
    out = runner.invoke(app, ["procedures", "notice", case["reference"], "--pdf", str(tmp_path / "no" / "x.pdf")])
    assert out.exit_code == 2 and "--pdf" in out.output
    assert len(notice_reads(world)) == 2


def test_a_case_under_the_directive_cites_article_11_and_the_notice_of_a_withdrawal(world: World) -> None:
    # made on 1 March 2026, before the Pact applies: Directive 2013/32/EU
    case = interviewed(world, "Karim", "BGD", before_the_pact=True)
    case = decided(world, case, "rejected_unfounded", REASONS)
    case = ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21"))
    n = ok(api(world, "it.caseworker", f"/procedures/cases/{case['id']}/notice"))
    assert n["regime"] == "pre_pact"
    assert n["legal_basis"][:2] == ["Directive 2013/32/EU, Article 11(1)", "Directive 2013/32/EU, Article 11(2)"]
    assert n["decision"]["reasons_legal_basis"] == "Directive 2013/32/EU, Article 11(2)"
    assert "Directive 2013/32/EU, Article 11(2)" in n["challenge"]["legal_basis"]
    assert n["challenge"]["time_limit"]["last_day"] == case["appeal_deadline"]
    assert n["challenge"]["suspensive_effect"]["suspends_removal"] is True
    # an explicit withdrawal declared under the APR: its decision, with its return decision
    other = interviewed(world, "Uddin", "BGD")
    other = ok(world.act("it.caseworker", other, "record_withdrawal", withdrawn_on="2026-08-11",
                         how="in_person_in_writing", decision="declare_withdrawn", decided_on="2026-08-12"))
    n = ok(api(world, "it.caseworker", f"/procedures/cases/{other['reference']}/notice"))
    assert (n["state"], n["decision"]["outcome"], n["decision"]["decided_on"]) == (
        "withdrawn", "explicitly_withdrawn", "2026-08-12")
    assert "Regulation (EU) 2024/1348, Article 40(3)" in n["legal_basis"]
    assert n["challenge"]["applies"] is False and n["return_decision"]["id"] == other["return_decision_id"]
