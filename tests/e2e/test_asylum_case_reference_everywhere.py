"""An asylum case is named by its short reference (``IT-2026-000001``) wherever an officer reads it,
not only on the queue and the case page: the caseworker's home page, the person page (the person's
cases and those of the same person under another record), the Dublin unit's refusals and the return
decision's page; the links still lead to the case by its id. Where an officer types an asylum case
(the return decision's "Asylum case", API and CLI ``asylum_case_id``) the reference is accepted and
the case's id stored; another state's reference is refused as an unknown case is, without its id."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pactum.services.bootstrap import Services
from pactum.store.tables.returns import return_decisions
from tests.e2e.test_firstday_identity_fixes import _decide, pair  # noqa: F401  (pair: a fixture)
from tests.e2e.test_personal_data_reads import _cli, _register
from tests.e2e.test_responsibility_humanitarian_substance import AMMR, _decided

Headers = Callable[[str], dict[str, str]]
Login = Callable[[str], TestClient]
APPS = "/api/v1/procedures/applications"


def _ok(r: Any, code: int = 200) -> dict[str, Any]:
    assert r.status_code == code, r.text
    return dict(r.json())


def _act(client: TestClient, auth_headers: Headers, user: str, case: dict[str, Any], action: str,
         **fields: Any) -> dict[str, Any]:
    return _ok(client.post(f"{APPS}/{case['id']}/actions", headers=auth_headers(user),
                           json={"action": action, "version": case["version"], **fields}))


def _case(client: TestClient, auth_headers: Headers, surname: str, *, until: str = "made", ms: str = "IT",
          person: str | None = None) -> dict[str, Any]:
    """A case of a new person of ``ms`` made on 2026-11-21, carried ``until`` ``under_review`` (the
    caseworker's draft submitted) or ``notified`` (rejected as unfounded, approved by the reviewer)."""
    low = ms.lower()
    cw = f"{low}-caseworker"
    person = person or _register(client, auth_headers, surname=surname, user=cw, ms=ms)["person_id"]
    case = _ok(client.post(APPS, headers=auth_headers(cw), json={
        "person_id": person, "made_on": "2026-11-21", "registered_on": "2026-11-21", "context": "in_territory"}), 201)
    if until == "made":
        return case
    case = _act(client, auth_headers, cw, case, "lodge", lodged_on="2026-11-21")
    case = _act(client, auth_headers, cw, case, "schedule_interview", interview_on="2026-11-22", language="Arabic")
    case = _act(client, auth_headers, cw, case, "hold_interview", held_on="2026-11-22", interpreter_language="Arabic")
    case = _act(client, auth_headers, cw, case, "draft_decision", outcome="rejected_unfounded",
                reasons="No well-founded fear shown (interview record).")
    case = _act(client, auth_headers, cw, case, "submit_for_review")
    if until == "under_review":
        return case
    case = _act(client, auth_headers, f"{low}-reviewer", case, "approve", decided_on="2026-11-23")
    return _act(client, auth_headers, cw, case, "notify", notified_on="2026-11-24")


def _link(case: dict[str, Any]) -> str:
    return f'<a href="/procedures/cases/{case["id"]}">{case["reference"]}</a>'


# ------------------------------------------------------------------ where an officer reads it


def test_the_home_page_names_the_cases_by_their_reference(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    draft = _case(client, auth_headers, "Othman", until="under_review")
    assert draft["reference"] == "IT-2026-000001"
    page = web_client("it-reviewer").get("/").text
    section = page.split('id="drafts-to-review"', 1)[1].split("</section>", 1)[0]
    assert _link(draft) in section
    assert f">{draft['id']}<" not in page  # the id is the link's target, not its text


def test_the_person_page_names_the_persons_cases_by_their_reference(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    case = _case(client, auth_headers, "Haddad")
    page = web_client("it-caseworker").get(f"/registry/persons/{case['person_id']}").text
    assert _link(case) in page and f">{case['id']}<" not in page


def test_the_same_persons_applications_under_another_record_are_named_by_their_reference(
        client: TestClient, auth_headers: Headers, web_client: Login, pair: dict[str, Any]) -> None:  # noqa: F811
    old = _case(client, auth_headers, "", person=pair["old"])
    _decide(client, auth_headers, pair["links"][0], "white", apply_to_person_pair=True)
    page = web_client("it-caseworker").get(f"/registry/persons/{pair['new']}").text
    section = page.split('id="same-person-cases"', 1)[1].split("</div>", 1)[0]
    assert _link(old) in section and f">{old['id']}<" not in section


def test_the_dublin_refusal_of_a_take_charge_names_the_asylum_case_by_its_reference(
        client: TestClient, auth_headers: Headers) -> None:
    asylum, dublin = _decided(client, auth_headers, AMMR, "Notified")
    asylum = _act(client, auth_headers, "de-caseworker", asylum, "notify", notified_on="2026-10-16")
    assert asylum["reference"] == "DE-2026-000001"
    shown = _ok(client.get(f"/api/v1/responsibility/cases/{dublin['id']}", headers=auth_headers("de-dublin")))
    assert (shown["asylum_case"]["id"], shown["asylum_case"]["reference"]) == (asylum["id"], "DE-2026-000001")
    r = client.post(f"/api/v1/responsibility/cases/{dublin['id']}/requests", headers=auth_headers("de-dublin"),
                    json={"kind": "take_charge"})
    assert r.status_code == 409, r.text
    said = r.json()["detail"]
    assert "DE has decided this application at first instance and notified the decision: asylum case " \
           "DE-2026-000001, rejected unfounded on 2026-10-15, notified on 2026-10-16" in said
    assert asylum["id"] not in said


# ------------------------------------------------------------------ where an officer types it


def test_a_return_decision_takes_the_asylum_case_by_its_reference_and_its_page_names_it(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    case = _case(client, auth_headers, "Miah", until="notified")
    assert case["reference"] == "IT-2026-000001" and case["outcome"] == "rejected_unfounded"
    r = client.post("/api/v1/returns/decisions", headers=auth_headers("it-return"), json={
        "person_id": case["person_id"], "issued_on": "2026-11-25", "asylum_case_id": "it-2026-000001",
        "voluntary_departure_days": 30})
    d = _ok(r, 201)
    # the case's id is stored; the answer adds its reference beside it
    assert (d["asylum_case_id"], d["asylum_case_reference"]) == (case["id"], "IT-2026-000001")
    assert d["grounds"] == ["negative_asylum_decision"]
    page = web_client("it-return").get(f"/returns/decisions/{d['id']}").text
    assert (f'asylum case <a href="/procedures/cases/{case["id"]}" id="asylum-case">IT-2026-000001</a>'
            in page)
    # an administrator, who opens no case file, reads the reference as text
    admin = web_client("it-admin").get(f"/returns/decisions/{d['id']}").text
    assert '<span id="asylum-case-id">IT-2026-000001</span>' in admin


def test_the_return_decision_form_takes_the_reference(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    case = _case(client, auth_headers, "Rahman", until="notified")
    w = web_client("it-return")
    form = w.get("/returns/decisions/new").text
    assert "its reference, e.g. IT-2026-000123, or its id" in form
    r = w.post("/returns/decisions/new", data={"person_id": case["person_id"], "issued_on": "2026-11-25",
                                               "asylum_case_id": " IT-2026-000001 ", "voluntary_departure_days": "30"},
               follow_redirects=False)
    assert r.status_code in (302, 303), r.text[-2000:]
    with services.engine.connect() as conn:
        assert conn.execute(select(return_decisions.c.asylum_case_id)).scalars().all() == [case["id"]]


def _written(services: Services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(return_decisions)).scalar_one())


def test_another_states_reference_is_refused_as_an_unknown_case_is(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    case = _case(client, auth_headers, "Alam", until="notified")
    german = _case(client, auth_headers, "Weber", until="notified", ms="DE")
    assert german["reference"] == "DE-2026-000001"
    h = auth_headers("it-return")
    answers = {}
    for typed in ("DE-2026-000001", "IT-2026-000099", german["id"]):
        r = client.post("/api/v1/returns/decisions", headers=h, json={
            "person_id": case["person_id"], "issued_on": "2026-11-25", "asylum_case_id": typed})
        assert r.status_code == 422, r.text
        [problem] = r.json()["detail"]
        assert problem["loc"][-1] == "asylum_case_id"
        answers[typed] = problem["msg"]
        if typed != german["id"]:
            assert german["id"] not in r.text  # what was asked, never the other state's id
    assert answers["DE-2026-000001"] == "DE-2026-000001 is not an asylum case of this person in IT"
    assert answers["IT-2026-000099"] == "IT-2026-000099 is not an asylum case of this person in IT"
    # the web form says the same beside the field
    page = web_client("it-return").post("/returns/decisions/new", data={
        "person_id": case["person_id"], "issued_on": "2026-11-25", "asylum_case_id": "DE-2026-000001"})
    assert page.status_code == 422 and "DE-2026-000001 is not an asylum case of this person in IT" in page.text
    assert german["id"] not in page.text
    assert _written(services) == 0


def test_the_cli_takes_the_reference(client: TestClient, auth_headers: Headers, services: Services,
                                     tmp_path: Path) -> None:
    case = _case(client, auth_headers, "Karim", until="notified")
    body = tmp_path / "decision.json"
    body.write_text(json.dumps({"person_id": case["person_id"], "issued_on": "2026-11-25",
                                "asylum_case_id": "IT-2026-000001", "voluntary_departure_days": 30}))
    r = _cli(services, "it-return", "returns", "issue", str(body))
    assert r.exit_code == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert (out["asylum_case_id"], out["asylum_case_reference"]) == (case["id"], "IT-2026-000001")
    body.write_text(json.dumps({"person_id": case["person_id"], "issued_on": "2026-11-25",
                                "asylum_case_id": "FR-2026-000001"}))
    r = _cli(services, "it-return", "returns", "issue", str(body))
    assert r.exit_code == 2 and "FR-2026-000001 is not an asylum case of this person in IT" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("typed", ["", "   "])
def test_a_blank_asylum_case_in_the_api_is_no_case(client: TestClient, auth_headers: Headers, typed: str) -> None:
    case = _case(client, auth_headers, "Blank", until="notified")
    r = client.post("/api/v1/returns/decisions", headers=auth_headers("it-return"), json={
        "person_id": case["person_id"], "issued_on": "2026-11-25", "asylum_case_id": typed})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "asylum_case_id", r.text
    assert r.json()["detail"][0]["msg"] == "is empty: give the asylum case's reference or its id, or leave it out"
