"""The admissibility interview omitted (APR Art 13(11)(d), (e); before the Pact Directive 2013/32/EU
Art 34(1) with 42(2)(b)) through the API, the case page, the written notice and the CLI.

Before, ``omit_interview`` took only points (a) and (c) of Art 13(11): an application inadmissible
because another Member State granted the applicant protection (Art 38(1)(c)) could not be declared so
without a personal interview being held, though the text lets it be omitted; a ground the text does
not give (a safe third country) was refused with a bare list of codes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app

try:
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]

runner = CliRunner()
APR_D = "Regulation (EU) 2024/1348, Article 13(11)(d)"
APR_E = "Regulation (EU) 2024/1348, Article 13(11)(e)"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def _lodged(world: World, surname: str) -> dict[str, Any]:
    case = world.apply("it.caseworker", world.person("it.caseworker", surname=surname, nationality="SYR"))
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    return ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))


def test_protection_in_another_member_state_is_declared_inadmissible_without_the_interview(
    world: World,
) -> None:
    case = _lodged(world, "Nasser")
    grounds = case["interview_omission_grounds"]
    assert grounds["protection_in_another_member_state"]["legal_basis"] == APR_E
    assert grounds["written_preliminary_examination"]["legal_basis"] == APR_D
    # before: an inadmissibility decision waited for an interview
    r = world.act(
        "it.caseworker",
        case,
        "draft_decision",
        outcome="inadmissible",
        inadmissibility_ground="protection_in_another_member_state",
        reasons="protected in DE",
    )
    assert r.status_code == 409
    done = ok(
        world.act(
            "it.caseworker",
            case,
            "omit_interview",
            omitted_on="2026-08-19",
            omission_ground="protection_in_another_member_state",
            omission_reason="refugee status granted by DE on 3 March 2025",
        )
    )
    omission = done["interview_omission"]
    assert (omission["interview"], omission["inadmissibility_ground"], omission["legal_basis"]) == (
        "admissibility",
        "protection_in_another_member_state",
        [APR_E],
    )
    assert done["draft_before_interview"]["outcomes"] == ["inadmissible", "implicitly_withdrawn"]
    r = world.act(
        "it.caseworker", done, "draft_decision", outcome="rejected_unfounded", reasons="not credible"
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "outcome"
    assert "interview on the merits" in r.text
    r = world.act(
        "it.caseworker",
        done,
        "draft_decision",
        outcome="inadmissible",
        inadmissibility_ground="safe_third_country",
        reasons="Albania",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "inadmissibility_ground"
    drafted = ok(
        world.act(
            "it.caseworker",
            done,
            "draft_decision",
            outcome="inadmissible",
            inadmissibility_ground="protection_in_another_member_state",
            reasons="refugee status granted by DE",
        )
    )
    event = next(e for e in drafted["timeline"] if e["event"] == "decision_drafted")
    assert event["detail"]["interview_omitted"]["legal_basis"] == [APR_E]
    submitted = ok(world.act("it.caseworker", drafted, "submit_for_review"))
    decided = ok(world.act("it.reviewer", submitted, "approve", decided_on="2026-08-20"))
    ok(world.act("it.caseworker", decided, "notify", notified_on="2026-08-20"))
    notice = ok(world.get("it.caseworker", f"/applications/{case['id']}/notice"))
    assert notice["interview_omission"]["ground"] == "protection_in_another_member_state"
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}/notice").text
    line = page.split('id="interview-omitted">')[1].split("</p>")[0]
    assert line.startswith("The admissibility interview was omitted on 2026-08-19") and APR_E in line
    assert "another Member State has granted the applicant international protection" in line


def test_a_ground_the_text_does_not_give_is_refused_saying_why(world: World) -> None:
    case = _lodged(world, "Saleh")
    r = world.act(
        "it.caseworker",
        case,
        "omit_interview",
        omitted_on="2026-08-19",
        omission_ground="safe_third_country",
        omission_reason="transit through Albania",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "omission_ground"
    assert "Article 38(1)(c)" in r.text
    # a ground of a subsequent application's admissibility interview on a first application
    r = world.act(
        "it.caseworker",
        case,
        "omit_interview",
        omitted_on="2026-08-19",
        omission_ground="written_preliminary_examination",
        omission_reason="statement",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "omission_ground"
    assert APR_D in r.text and "first application" in r.text


def test_the_case_page_offers_the_grounds_and_says_which_interview_was_omitted(world: World) -> None:
    case = _lodged(world, "Karam")
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert '<option value="protection_in_another_member_state">' in page
    r = web.post(
        f"/procedures/cases/{case['id']}/act",
        data={
            "action": "omit_interview",
            "version": str(case["version"]),
            "omitted_on": "2026-08-20",
            "omission_ground": "protection_in_another_member_state",
            "omission_reason": "subsidiary protection granted by FR",
            "medical_consulted_on": "",
            "medical_finding": "",
            "written_information_until": "",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200
    shown = r.text.split('id="interview">')[1].split("</dd>")[0]
    assert "the admissibility interview</span> omitted on 2026-08-20" in shown and APR_E in shown
    assert "only a rejection as inadmissible on the ground protection in another Member State" in shown
    # the draft offers that ground alone: any other is refused without the interview
    draft = r.text.split('value="draft_decision"', 1)[1].split("</form>", 1)[0]
    ground = draft.split('<select name="inadmissibility_ground"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([a-z_]+)"', ground) == ["protection_in_another_member_state"]


def test_the_cli_records_the_omission_of_the_admissibility_interview(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _lodged(world, "Jaber")
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    step = tmp_path / "omit.json"
    body = {
        "action": "omit_interview",
        "version": case["version"],
        "omitted_on": "2026-08-20",
        "omission_ground": "written_preliminary_examination",
        "omission_reason": "statement",
    }
    step.write_text(json.dumps(body), encoding="utf-8")
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert (
        out.exit_code == 2 and len(out.output.strip().splitlines()) == 1 and "omission_ground" in out.output
    )
    step.write_text(
        json.dumps({**body, "omission_ground": "protection_in_another_member_state"}), encoding="utf-8"
    )
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["interview_omission"]["legal_basis"] == [APR_E]


def _offered(page: str) -> list[str]:
    """The grounds the case page's omission form offers, in order."""
    form = page.split('value="omit_interview"', 1)[1].split("</form>", 1)[0]
    select = form.split('<select name="omission_ground"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([a-z_]+)"', select)


def _absent(page: str) -> str:
    form = page.split('value="omit_interview"', 1)[1].split("</form>", 1)[0]
    return form.split('id="omission-grounds-absent">', 1)[1].split("</div>", 1)[0] if (
        'id="omission-grounds-absent"' in form) else ""


def test_the_form_offers_only_the_grounds_that_lie_and_says_why_the_others_do_not(world: World) -> None:
    """A first application: point (d) does not lie (it concerns a subsequent application's preliminary
    examination). Before, the form offered it on every case and the server refused it with 422."""
    case = _lodged(world, "Haddad")
    grounds = case["interview_omission_grounds"]
    assert grounds["protection_in_another_member_state"]["lies"] is True
    assert grounds["protection_in_another_member_state"]["why_not"] is None
    d = grounds["written_preliminary_examination"]
    assert d["lies"] is False and "this is a first application" in d["why_not"]
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text
    assert _offered(page) == ["positive_decision", "unfit_or_unable", "protection_in_another_member_state"]
    absent = _absent(page)
    assert "Article 13(11)(d)" in absent and "this is a first application" in absent
    # the server's check is the one the form reads: its refusal gives the same reason
    r = world.act("it.caseworker", case, "omit_interview", omitted_on="2026-08-19",
                  omission_ground="written_preliminary_examination", omission_reason="statement")
    assert r.status_code == 422 and d["why_not"] in r.json()["detail"][0]["msg"]


def test_a_subsequent_application_is_offered_both_admissibility_grounds_until_new_elements_are_found(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = world.person("it.caseworker", surname="Tesfay", nationality="ERI", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory", subsequent_application=True)
    world.travel(datetime(2026, 8, 20, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert _offered(page) == ["positive_decision", "unfit_or_unable", "written_preliminary_examination",
                              "protection_in_another_member_state"]
    assert _absent(page) == ""
    case = ok(world.act("it.caseworker", case, "admit_subsequent", found_on="2026-08-19"))
    grounds = case["interview_omission_grounds"]
    assert [g for g, v in grounds.items() if v["lies"]] == ["positive_decision", "unfit_or_unable"]
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert _offered(page) == ["positive_decision", "unfit_or_unable"]
    absent = _absent(page)
    assert "found new elements on 2026-08-19" in absent
    assert "examined on the merits: the ground omits the admissibility interview, not the interview on the merits" in absent
    # the command line's read says the same
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    out = runner.invoke(app, ["procedures", "show", case["id"]])
    assert out.exit_code == 0, out.output
    shown = json.loads(out.output)["interview_omission_grounds"]
    assert shown["protection_in_another_member_state"]["lies"] is False
    assert shown["written_preliminary_examination"]["why_not"] == grounds["written_preliminary_examination"]["why_not"]
