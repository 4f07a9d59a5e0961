"""Defects a QA walk of the demo world found on the asylum caseworker's pages, each as the
caseworker meets it:

- a lodged case before the personal interview offered "Draft the decision" with every outcome, and
  every one but an implicit withdrawal was refused with 409 (the interview, APR Art 12(1); implicit
  withdrawal, Art 41, is the only decision drafted without it): the form now offers only that one
  and says why the others wait;
- making an application refused its problems one stage per submission (the fields' own, then the
  day it was made, then the day it was registered): now all at once, on the web (each field marked),
  in the API (422 naming each field) and in the CLI (exit code 2), nothing written;
- the context "sar disembarkation" reads "SAR disembarkation", as the other pages say it;
- the recognition rate's figures have thousand separators, as the sentence after them has.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

try:
    from .test_procedures_support import World, login, make_cli_world, make_world, ok
except ImportError:  # tests/e2e is not a package
    from test_procedures_support import (  # type: ignore[no-redef]
        World,
        login,
        make_cli_world,
        make_world,
        ok,
    )


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def _draft_form(html: str) -> str:
    form = re.search(r'value="draft_decision".*?</form>', html, re.S)
    assert form is not None, html
    return form.group(0)


def _options(form: str) -> list[str]:
    select = re.search(r'<select name="outcome".*?</select>', form, re.S)
    assert select is not None, form
    return re.findall(r'<option value="([a-z_]+)"', select.group(0))


def _said(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def _lodged(world: World) -> dict[str, Any]:
    pid = world.person("it.caseworker", surname="Tesfay", nationality="ERI", kind="in_territory_application")
    case = world.apply("it.caseworker", pid, context="in_territory")
    world.travel(datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    return ok(world.act("it.caseworker", case, "lodge", lodged_on="2026-08-04"))


def test_before_the_interview_the_draft_offers_only_an_implicit_withdrawal_and_says_why(world: World) -> None:
    case = _lodged(world)
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}").text
    form = _draft_form(page)
    # every other outcome was offered and refused with 409 once chosen
    assert _options(form) == ["implicitly_withdrawn"]
    # nor a ground of inadmissibility and its facts: no rejection as inadmissible may be drafted yet
    for field in ("inadmissibility_ground", "return_decision_received_on", "informed_of_consequences",
                  "no_new_elements"):
        assert f'name="{field}"' not in form, field
    assert 'name="reasons"' in form
    assert 'id="draft-needs-interview"' in form
    said = _said(form)
    assert ("A decision on the application needs the personal interview held first "
            "(Regulation (EU) 2024/1348, Article 12(1)): schedule and hold it.") in said
    assert "treats the application as implicitly withdrawn (Regulation (EU) 2024/1348, Article 41)" in said
    # the API says the same of the case
    read = ok(world.get("it.caseworker", f"/applications/{case['id']}"))
    assert read["draft_before_interview"]["outcomes"] == ["implicitly_withdrawn"]
    # the refusal stays a conflict with the case's state (no interview held): 409
    refused = world.act("it.caseworker", case, "draft_decision", outcome="rejected_unfounded", reasons="no fear")
    assert refused.status_code == 409 and "personal interview" in refused.text
    # what the form offers is accepted
    r = web.post(f"/procedures/cases/{case['id']}/act", follow_redirects=False, data={
        "action": "draft_decision", "version": str(case["version"]), "outcome": "implicitly_withdrawn",
        "reasons": "did not appear for the interview without good cause"})
    assert r.status_code == 303, _said(r.text)


def test_once_the_interview_is_held_every_outcome_is_offered_without_the_note(world: World) -> None:
    case = _lodged(world)
    case = ok(world.act("it.caseworker", case, "schedule_interview", interview_on="2026-08-10", language="Tigrinya"))
    case = ok(world.act("it.caseworker", case, "hold_interview", held_on="2026-08-10",
                        interpreter_language="Tigrinya"))
    form = _draft_form(login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}").text)
    assert {"refugee_status", "subsidiary_protection", "rejected_unfounded", "inadmissible",
            "implicitly_withdrawn"} <= set(_options(form))
    assert 'name="inadmissibility_ground"' in form and 'name="informed_of_consequences"' in form
    assert 'id="draft-needs-interview"' not in form
    assert ok(world.get("it.caseworker", f"/applications/{case['id']}"))["draft_before_interview"] is None


def _applications(world: World, pid: str) -> list[Any]:
    r = world.get("it.caseworker", "/applications", person_id=pid)
    assert r.status_code == 200, r.text
    return list(r.json())


#: a day after Italy's today (3 August 2026), registered the day before it was made, no context, a
#: responsible state that is none
BAD = {"made_on": "2026-08-04", "registered_on": "2026-08-02", "responsible_state": "XX"}


def test_the_web_form_says_every_problem_at_once_each_field_marked(world: World) -> None:
    pid = world.person("it.caseworker", surname="Haile", nationality="ERI")
    r = login(world, "it.caseworker").post("/procedures/new", data={
        "person_id": pid, "context": "", "nationality": "ERI", **BAD})
    assert r.status_code == 422
    said = _said(r.text)
    assert "Made on: cannot be after today (2026-08-03)" in said
    assert "Registered on: cannot be before the day the application was made (2026-08-04)" in said
    assert re.search(r"Context: [^.]*required|Context: choose", said, re.I), said
    assert "Responsible state" in said
    for name in ("made_on", "registered_on", "context", "responsible_state"):
        field = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', r.text)
        assert field is not None and 'aria-invalid="true"' in field.group(0), name
    assert _applications(world, pid) == []  # nothing written


def test_the_api_refuses_every_problem_at_once(world: World) -> None:
    """As every route of the API: the body's fields of a wrong type or value first, all of them at
    once (422); then every problem the registry and the workflow find, all at once (422)."""
    pid = world.person("it.caseworker", surname="Haile", nationality="ERI")
    r = world.post("it.caseworker", "/applications", {"person_id": pid, **BAD})
    assert r.status_code == 422, r.text
    fields = {tuple(d["loc"]) for d in r.json()["detail"]}
    assert {("body", "context"), ("body", "responsible_state")} <= fields, r.text
    # the registry's problems together, the fields being right
    r = world.post("it.caseworker", "/applications", {"person_id": pid, "made_on": "2026-08-04",
                                                      "registered_on": "2026-08-02",
                                                      "context": "sar_disembarkation"})
    assert r.status_code == 422, r.text
    assert [d["loc"][-1] for d in r.json()["detail"]] == ["made_on", "registered_on"], r.text
    # JSON's own types: a date as a number is refused at its place
    r = world.post("it.caseworker", "/applications", {"person_id": pid, "made_on": 20260804,
                                                      "registered_on": "2026-08-05", "context": "sar_disembarkation"})
    assert r.status_code == 422
    assert {d["loc"][-1] for d in r.json()["detail"]} == {"made_on"}, r.text
    # another state's person stays not found (404), as the API's reference says
    r = world.post("it.caseworker", "/applications", {"person_id": "per_nobody", "made_on": "2026-08-01",
                                                      "context": "sar_disembarkation"})
    assert r.status_code == 404
    assert _applications(world, pid) == []
    assert ok(world.client.get("/openapi.json"))["paths"]["/api/v1/procedures/applications"]["post"][
        "requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ApplicationCreate")
    made = world.apply("it.caseworker", pid)  # the same person's right application is made
    assert made["state"] == "registered" and made["made_on"] == "2026-08-01"


def test_the_cli_says_every_problem_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pactum.cli.main import app

    world = make_cli_world(tmp_path, monkeypatch)
    pid = world.person("it.caseworker", surname="Haile", nationality="ERI")
    body = tmp_path / "application.json"
    # the command's today is the test run's clock, not the world's: a day after either
    body.write_text(json.dumps({"person_id": pid, "made_on": "2099-01-02", "registered_on": "2099-01-01",
                                "context": "sar_disembarkation"}))
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    result = CliRunner().invoke(app, ["procedures", "apply", str(body)])
    assert result.exit_code == 2, result.output
    assert "made_on" in result.output and "registered_on" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert _applications(world, pid) == []


def test_the_context_reads_sar_disembarkation(world: World) -> None:
    pid = world.person("it.caseworker", surname="Haile", nationality="ERI")
    web = login(world, "it.caseworker")
    form = web.get(f"/procedures/new?person_id={pid}").text
    assert re.search(r'<option value="sar_disembarkation"\s*selected>SAR disembarkation</option>', form), form
    assert "(SAR disembarkation)" in _said(form)  # the encounter the context follows from
    assert "sar disembarkation" not in form
    case = world.apply("it.caseworker", pid)
    assert "sar disembarkation" not in web.get(f"/procedures/cases/{case['id']}").text


def test_the_recognition_rate_has_thousand_separators(web_client: Any) -> None:
    """The demo store's rates: Venezuelans, 62,830 first-instance decisions in the reference year."""
    web: TestClient = web_client("es-caseworker")
    page = web.post("/procedures/routing", data={
        "applied_on": "2026-11-20", "member_state": "ES", "context": "apprehended_at_external_border",
        "nationality": "VEN"})
    assert page.status_code == 200
    said = _said(page.text)
    sentence = re.search(r"EU recognition rate used: [^)]*\)", said)
    assert sentence is not None and "of 62,830 decisions" in sentence.group(0), said
    assert not re.search(r"\d{4,}", sentence.group(0).replace("2024", "").replace("2025", "")), sentence.group(0)
