"""The written notice of an asylum decision names the court or tribunal of appeal where the state's
administrator has set it (its address, how an appeal is lodged), and says what Regulation (EU)
2024/1348, Article 36(1) and (4) (before the Pact Directive 2013/32/EU, Article 12(1)(e) and (f))
provide where the decision was notified to the legal adviser who legally represents the applicant.

The court's setting: set, replaced and cleared by the state's administrator only, through the API,
the web page and the CLI; every field checked (4xx naming the field; the CLI one line, exit code 2);
each change audited with before and after."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import decision_notice
from pactum.services.auth import Role
from pactum.store.tables.platform import audit_log

try:
    from .test_decision_notice import REASONS, api, decided, interviewed, rejected_and_notified
    from .test_procedures_support import World, login, make_cli_world, ok
except ImportError:  # tests/e2e is not a package
    from test_decision_notice import REASONS, api, decided, interviewed, rejected_and_notified  # type: ignore[no-redef]
    from test_procedures_support import World, login, make_cli_world, ok  # type: ignore[no-redef]

runner = CliRunner()
#: A made-up body: no real court is named in the tests.
COURT = {"name": "Example Tribunal for Protection Appeals (test data)",
         "address": "1 Example Square\n00000 Exampletown",
         "how_to_lodge": "In writing, signed by the applicant or by a lawyer, with a copy of this decision; "
                         "by post or by hand at the registry.",
         "national_law": "Example Act on Asylum Appeals, section 1 (test data)"}
BODIES = "/api/v1/procedures/appeal-bodies"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    w = make_cli_world(tmp_path, monkeypatch)
    w.user("it.admin", "IT", Role.admin)
    w.user("de.admin", "DE", Role.admin)
    return w


def put(world: World, who: str, ms: str, body: dict[str, Any]) -> Any:
    return world.client.put(f"{BODIES}/{ms}", json=body, headers=world.headers(who))


def audits(world: World, action: str) -> list[Any]:
    with world.services.engine.connect() as conn:
        return list(conn.execute(select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.seq)))


# --------------------------------------------------------------------------- the court or tribunal


def test_a_notice_names_the_court_its_address_and_how_to_lodge_once_the_state_set_it(world: World) -> None:
    case = rejected_and_notified(world)
    before = ok(api(world, "it.caseworker", f"/procedures/cases/{case['id']}/notice"))
    # not set: the notice says what it said, the remedy in general terms
    assert before["challenge"]["court_or_tribunal"] is None
    assert before["challenge"]["text"] == decision_notice.REMEDY_WORDS["pact"]
    r = put(world, "it.admin", "IT", COURT)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 1 and r.json()["name"] == COURT["name"]
    n = ok(api(world, "it.caseworker", f"/procedures/cases/{case['reference']}/notice"))
    ch = n["challenge"]
    assert ch["court_or_tribunal"] == COURT
    assert ch["text"] == f"You have the right to an effective remedy against this decision before {COURT['name']}."
    # the time limit and the suspensive effect stay as computed
    assert ch["time_limit"]["last_day"] == "2026-08-31" and ch["suspensive_effect"]["suspends_removal"] is False
    # the page and the PDF's source show it
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}/notice")
    assert page.status_code == 200
    for said in (COURT["name"], "1 Example Square", "00000 Exampletown", "signed by the applicant or by a lawyer",
                 "Example Act on Asylum Appeals", "How to lodge an appeal"):
        assert said in page.text, said
    html = decision_notice.render_html(n)
    assert COURT["name"] in html and "Exampletown" in html
    pdf = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}/notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # another state's case keeps the general words: Italy's court is Italy's
    world.person("de.caseworker", surname="Weber", nationality="SYR")
    assert ok(world.client.get(f"{BODIES}/IT", headers=world.headers("de.caseworker")))["name"] == COURT["name"]
    assert world.client.get(f"{BODIES}/DE", headers=world.headers("de.caseworker")).status_code == 404


def test_a_grant_of_refugee_status_names_no_court(world: World) -> None:
    assert put(world, "it.admin", "IT", COURT).status_code == 200
    case = decided(world, interviewed(world, "Haile", "ERI"), "refugee_status")
    n = ok(api(world, "it.caseworker", f"/procedures/cases/{case['id']}/notice"))
    assert n["challenge"]["applies"] is False and "court_or_tribunal" not in n["challenge"]
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}/notice")
    assert COURT["name"] not in page.text


def test_only_the_states_administrator_sets_it_and_every_field_is_checked(world: World) -> None:
    for who in ("it.caseworker", "de.admin", "com.admin"):
        r = put(world, who, "IT", COURT)
        assert r.status_code == 403, (who, r.text)
    assert "Italy's administrator" in put(world, "de.admin", "IT", COURT).json()["detail"]
    r = put(world, "it.admin", "IT", {"name": "  ", "how_to_lodge": "x" * 2001})
    assert r.status_code == 422
    said = {tuple(p["loc"]): p["msg"] for p in r.json()["detail"]}
    assert said == {("body", "name"): "required: the court or tribunal that hears the appeal",
                    ("body", "address"): "required: its address",
                    ("body", "how_to_lodge"): "at most 2000 characters (2001 given)"}
    r = put(world, "it.admin", "IT", {**COURT, "court": "x"})  # a field it does not have, by name
    assert r.status_code == 422 and "court" in r.text
    r = put(world, "it.admin", "XX", COURT)
    assert r.status_code == 422 and "member_state" in r.text
    assert audits(world, "procedures.appeal_body_set") == []


def test_replacing_names_the_version_and_clearing_is_audited_with_before_and_after(world: World) -> None:
    assert put(world, "it.admin", "IT", COURT).status_code == 200
    again = put(world, "it.admin", "IT", {**COURT, "name": "Example Appeals Chamber (test data)"})
    assert again.status_code == 409 and "version 1" in again.json()["detail"]
    r = put(world, "it.admin", "IT", {**COURT, "name": "Example Appeals Chamber (test data)", "version": 1})
    assert r.status_code == 200 and r.json()["version"] == 2
    stale = put(world, "it.admin", "IT", {**COURT, "version": 1})
    assert stale.status_code == 409
    set_entries = audits(world, "procedures.appeal_body_set")
    assert len(set_entries) == 2 and set_entries[0].before is None and set_entries[0].after["version"] == 1
    assert set_entries[1].before["name"] == COURT["name"] and set_entries[1].after["name"].startswith("Example Appeals")
    assert set_entries[1].actor == "it.admin" and set_entries[1].entity_id == "IT"
    h = world.headers("it.admin")
    assert world.client.post(f"{BODIES}/IT/clear", json={"version": 1}, headers=h).status_code == 409
    assert world.client.post(f"{BODIES}/IT/clear", json={}, headers=h).status_code == 422
    r = world.client.post(f"{BODIES}/IT/clear", json={"version": 2}, headers=h)
    assert r.status_code == 200 and r.json() == {"member_state": "IT", "cleared": True}
    cleared = audits(world, "procedures.appeal_body_cleared")
    assert len(cleared) == 1 and cleared[0].before["name"].startswith("Example Appeals") and cleared[0].after == {
        "cleared": True}
    assert world.client.get(f"{BODIES}/IT", headers=h).status_code == 404
    assert world.client.get(BODIES, headers=world.headers("com.admin")).json() == []


def test_web_page_sets_replaces_and_clears_it_and_refuses_a_blank_field_beside_it(world: World) -> None:
    web = login(world, "it.admin")
    page = web.get("/procedures/appeal-body")
    assert page.status_code == 200 and 'id="appeal-body-form"' in page.text and 'id="body-none"' in page.text
    assert 'href="/procedures/appeal-body"' in page.text  # in the administrator's menu
    r = web.post("/procedures/appeal-body", data={"do": "set", "name": COURT["name"], "address": "",
                                                  "how_to_lodge": COURT["how_to_lodge"], "version": ""})
    assert r.status_code == 422
    assert 'id="address-error"' in r.text and 'aria-describedby="address-error"' in r.text
    assert COURT["name"] in r.text  # what was typed is kept
    r = web.post("/procedures/appeal-body", data={"do": "set", **COURT, "version": ""}, follow_redirects=False)
    assert r.status_code == 303
    page = web.get(r.headers["location"])
    assert "Saved: decision notices now name this court or tribunal." in page.text
    assert COURT["name"] in page.text and 'name="version" value="1"' in page.text
    r = web.post("/procedures/appeal-body", data={"do": "set", **COURT, "name": "Example Chamber (test data)",
                                                  "version": "1"}, follow_redirects=False)
    assert r.status_code == 303
    stale = web.post("/procedures/appeal-body", data={"do": "clear", "version": "1"})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    r = web.post("/procedures/appeal-body", data={"do": "clear", "version": "2"}, follow_redirects=False)
    assert r.status_code == 303
    assert 'id="body-none"' in web.get("/procedures/appeal-body").text
    # a caseworker reads what the notices say, without the form; an EU body's administrator, every state's
    assert 'id="appeal-body-form"' not in login(world, "it.caseworker").get("/procedures/appeal-body").text
    eu_web = login(world, "com.admin")
    eu = eu_web.get("/procedures/appeal-body")
    assert eu.status_code == 200 and 'id="by-state"' in eu.text and 'id="appeal-body-form"' not in eu.text
    assert eu_web.post("/procedures/appeal-body", data={"do": "set", **COURT}).status_code == 403
    assert login(world, "it.caseworker").post("/procedures/appeal-body", data={"do": "set", **COURT}).status_code == 403
    assert [e.actor for e in audits(world, "procedures.appeal_body_set")] == ["it.admin", "it.admin"]


def test_cli_sets_shows_and_clears_it_and_refuses_in_one_line(world: World, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.setenv("PACTUM_CLI_USER", "it.admin")
    out = runner.invoke(app, ["procedures", "appeal-body", "set", "IT", "--name", COURT["name"],
                              "--how-to-lodge", COURT["how_to_lodge"]])
    assert out.exit_code == 2 and out.output.strip().count("\n") == 0
    assert "--address" in out.output
    out = runner.invoke(app, ["procedures", "appeal-body", "set", "IT", "--name", COURT["name"], "--address",
                              COURT["address"], "--how-to-lodge", COURT["how_to_lodge"]])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["version"] == 1
    out = runner.invoke(app, ["procedures", "appeal-body", "show", "IT"])
    assert out.exit_code == 0 and json.loads(out.output)["address"] == COURT["address"]
    out = runner.invoke(app, ["procedures", "appeal-body", "clear", "IT", "--version", "7"])
    assert out.exit_code == 2 and "version 1" in out.output and out.output.strip().count("\n") == 0
    monkeypatch.setenv("PACTUM_CLI_USER", "de.admin")
    out = runner.invoke(app, ["procedures", "appeal-body", "clear", "IT", "--version", "1"])
    assert out.exit_code == 2 and "Italy's administrator" in out.output
    monkeypatch.setenv("PACTUM_CLI_USER", "it.admin")
    assert runner.invoke(app, ["procedures", "appeal-body", "clear", "IT", "--version", "1"]).exit_code == 0
    out = runner.invoke(app, ["procedures", "appeal-body", "show", "IT"])
    assert out.exit_code == 2 and "set no court or tribunal" in out.output


# --------------------------------------------------------------------------- the legal adviser


def notified_to_adviser(world: World, before_the_pact: bool = False) -> dict[str, Any]:
    case = decided(world, interviewed(world, "Uddin", "BGD", before_the_pact=before_the_pact),
                   "rejected_unfounded", REASONS)
    return ok(world.act("it.caseworker", case, "notify", notified_on="2026-08-21", with_return_decision=True,
                        voluntary_departure_days=7, legal_adviser="  Avv. Maria  Esempio "))


def test_a_decision_notified_to_the_legal_adviser_says_what_apr_article_36_4_provides(world: World) -> None:
    assert put(world, "it.admin", "IT", COURT).status_code == 200
    case = notified_to_adviser(world)
    n = ok(api(world, "it.caseworker", f"/procedures/cases/{case['id']}/notice"))
    rep = n["representation"]
    assert rep["legal_adviser"] == "Avv. Maria Esempio" and rep["notified_to"] == "legal_adviser"
    assert rep["legal_basis"] == ["Regulation (EU) 2024/1348, Article 36(1)", "Regulation (EU) 2024/1348, Article 36(4)"]
    assert "may be given to the legal adviser alone, without translation" in rep["text"]
    info = rep["applicant_information"]
    assert "international protection is not granted" in info["text"]
    assert f"You may challenge this decision before {COURT['name']}" in info["text"]
    assert "Your legal adviser, Avv. Maria Esempio, has been given the decision" in info["text"]
    assert info["legal_basis"] == "Regulation (EU) 2024/1348, Article 36(4)"
    assert n["language"]["legal_basis"] == "Regulation (EU) 2024/1348, Article 36(4)"
    # the timeline records to whom, and why it may be so
    notified = [e for e in ok(world.get("it.caseworker", f"/applications/{case['id']}"))["timeline"]
                if e["event"] == "notified"][-1]
    assert notified["detail"]["legal_adviser"] == "Avv. Maria Esempio"
    assert notified["detail"]["legal_basis"] == ["Regulation (EU) 2024/1348, Article 36(1)"]
    page = login(world, "it.caseworker").get(f"/procedures/cases/{case['id']}/notice")
    for said in ("2026-08-21, to Avv. Maria Esempio (the legal adviser who legally represents the applicant)",
                 "Information to the applicant", "international protection is not granted",
                 "Regulation (EU) 2024/1348, Article 36(4)"):
        assert said in page.text, said


def test_a_decision_notified_to_the_applicant_keeps_the_notice_as_it_was(world: World) -> None:
    case = rejected_and_notified(world)
    n = ok(api(world, "it.caseworker", f"/procedures/cases/{case['id']}/notice"))
    assert n["representation"] is None
    assert n["language"]["legal_basis"] == "Regulation (EU) 2024/1348, Article 36(3)"
    assert n["language"]["text"] == decision_notice.LANGUAGE_WORDS["pact"]
    assert "Information to the applicant" not in login(world, "it.caseworker").get(
        f"/procedures/cases/{case['id']}/notice").text


def test_under_the_directive_the_notice_cites_article_12_1_e_and_f(world: World) -> None:
    case = notified_to_adviser(world, before_the_pact=True)
    n = ok(api(world, "it.caseworker", f"/procedures/cases/{case['id']}/notice"))
    assert n["regime"] == "pre_pact"
    rep = n["representation"]
    assert rep["legal_basis"] == ["Directive 2013/32/EU, Article 12(1)(e)", "Directive 2013/32/EU, Article 12(1)(f)"]
    assert rep["applicant_information"] is None  # the Directive has no such rule
    assert "does not apply" in rep["text"] and "Directive 2013/32/EU, Article 11(2)" in rep["text"]
    assert "Regulation (EU) 2024/1348" not in json.dumps(rep)


def test_the_legal_adviser_through_the_web_form_and_the_cli_and_a_too_long_name(
        world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    case = decided(world, interviewed(world, "Uddin", "BGD"), "rejected_unfounded", REASONS)
    r = world.act("it.caseworker", case, "notify", notified_on="2026-08-21", legal_adviser="x" * 201)
    assert r.status_code == 422 and "legal_adviser" in r.text and "at most 200 characters" in r.text
    web = login(world, "it.caseworker")
    page = web.get(f"/procedures/cases/{case['id']}")
    assert 'name="legal_adviser"' in page.text and "legally represents the applicant" in page.text
    r = web.post(f"/procedures/cases/{case['id']}/act",
                 data={"action": "notify", "version": str(case["version"]), "notified_on": "2026-08-21",
                       "with_return_decision": "on", "legal_adviser": "Avv. Maria Esempio"},
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    monkeypatch.setenv("PACTUM_CLI_USER", "it.caseworker")
    out = runner.invoke(app, ["procedures", "notice", case["reference"]])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["representation"]["legal_adviser"] == "Avv. Maria Esempio"
    other = decided(world, interviewed(world, "Karim", "BGD"), "rejected_unfounded", REASONS)
    step = tmp_path / "notify.json"
    step.write_text(json.dumps({"action": "notify", "version": other["version"], "notified_on": "2026-08-21",
                                "legal_adviser": 7}))
    out = runner.invoke(app, ["procedures", "act", other["id"], str(step)])
    assert out.exit_code == 2 and "legal_adviser" in out.output and out.output.strip().count("\n") == 0
