"""APR Art 55(6)'s "unless" and Art 42(2) / 21(2) through the API, the case page and the CLI.

A subsequent application presenting new elements that may be inadmissible on another ground of
Art 38(1) stays in the admissibility procedure (its two months, Art 35(1)) until that ground is
decided; if none applies it goes to the accelerated procedure (Art 42(1)(g), three months, Art
35(3)). A case in the accelerated procedure continues in the regular one (six months, Art 35(4))
where it is too complex (Art 42(2), the applicant informed) or the applicant's special procedural
guarantees cannot be met in it (Art 21(2)). Before, neither could be recorded: the finding always
sent the case to the accelerated procedure, and nothing let a case leave it."""

from __future__ import annotations

import json
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


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_cli_world(tmp_path, monkeypatch)


def _subsequent(world: World, surname: str) -> dict[str, Any]:
    pid = world.person("it.caseworker", surname=surname, nationality="ERI", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory", subsequent_application=True)
    world.travel(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    assert case["procedure"] == "admissibility"
    return case


def test_the_api_keeps_the_admissibility_examination_on_another_ground_then_accelerates(world: World) -> None:
    case = _subsequent(world, "Tesfay")
    r = world.act("it.caseworker", case, "admit_subsequent", found_on="2026-08-20",
                  inadmissibility_ground="subsequent_application")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "inadmissibility_ground"
    case = ok(world.act("it.caseworker", case, "admit_subsequent", found_on="2026-08-20",
                        inadmissibility_ground="safe_third_country"))
    assert case["procedure"] == "admissibility"
    assert (case["next_deadline"], case["next_deadline_kind"]) == ("2026-10-05", "examination_admissibility")
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["subsequent_examination"] == {
        "stage": "other_ground", "new_elements_found_on": "2026-08-20", "inadmissibility_ground": "safe_third_country",
        "note": shown["subsequent_examination"]["note"],
        "legal_basis": ["Regulation (EU) 2024/1348, Article 55(6)", "Regulation (EU) 2024/1348, Article 38(1)(b)",
                        "Regulation (EU) 2024/1348, Article 35(1)"]}
    assert "examine_on_merits" in shown["actions"] and "admit_subsequent" not in shown["actions"]
    case = ok(world.act("it.caseworker", case, "examine_on_merits", found_on="2026-09-01"))
    assert case["procedure"] == "accelerated"
    assert (case["next_deadline"], case["next_deadline_kind"]) == ("2026-11-04", "examination_accelerated")
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert shown["subsequent_examination"]["stage"] == "merits"
    assert "leave_accelerated" in shown["actions"]


def test_the_case_page_offers_the_other_ground_and_keeps_what_was_typed_when_refused(world: World) -> None:
    case = _subsequent(world, "Haile")
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert "Unless inadmissible on another ground (APR Art 55(6))" in page
    assert '<option value="safe_third_country">' in page
    assert '<option value="subsequent_application">Subsequent' not in page.split("Unless inadmissible")[1].split("</select>")[0]
    r = web.post(f"/procedures/cases/{case['id']}/act", data={
        "action": "admit_subsequent", "version": str(case["version"]), "found_on": "2026-08-01",
        "inadmissibility_ground": "first_country_of_asylum"})
    assert r.status_code == 422
    assert '<option value="first_country_of_asylum" selected>' in r.text  # the choice is kept
    r = web.post(f"/procedures/cases/{case['id']}/act", data={
        "action": "admit_subsequent", "version": str(case["version"]), "found_on": "2026-08-20",
        "inadmissibility_ground": "first_country_of_asylum"}, follow_redirects=True)
    assert r.status_code == 200
    shown = r.text.split('id="subsequent-examination">')[1].split("</dd>")[0]
    assert "new elements found on 2026-08-20" in shown and "<strong>first country of asylum</strong>" in shown
    assert "Examine on merits" in r.text


def test_leaving_the_accelerated_procedure_through_the_web_and_the_cli(world: World, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pid = world.person("it.caseworker", surname="Okafor", nationality="NGA", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory", misled_authorities=True)
    world.travel(datetime(2026, 9, 1, 9, 0, tzinfo=UTC))
    case = ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))
    assert case["procedure"] == "accelerated" and case["next_deadline"] == "2026-11-04"
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    assert '<option value="too_complex">' in page and '<option value="special_procedural_guarantees">' in page
    r = web.post(f"/procedures/cases/{case['id']}/act", data={
        "action": "leave_accelerated", "version": str(case["version"]), "changed_on": "2026-08-20",
        "change_reason": "too_complex"})
    assert r.status_code == 422 and "informed of the change in procedure" in r.text
    assert '<option value="too_complex" selected>' in r.text
    step = tmp_path / "leave.json"
    step.write_text(json.dumps({"action": "leave_accelerated", "version": case["version"], "changed_on": "2026-08-20",
                                "change_reason": "too_complex", "applicant_informed": True}), encoding="utf-8")
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    out = runner.invoke(app, ["procedures", "act", case["id"], str(step)])
    assert out.exit_code == 0, out.output
    got = json.loads(out.output)
    assert got["procedure"] == "regular"
    assert (got["next_deadline"], got["next_deadline_kind"]) == ("2027-02-04", "examination_regular")
    shown = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    event = next(e for e in shown["timeline"] if e["event"] == "accelerated_left")
    assert event["detail"]["legal_basis"][0] == "Regulation (EU) 2024/1348, Article 42(2)"
    assert "leave_accelerated" not in shown["actions"]
