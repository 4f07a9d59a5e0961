"""QA walk 17 (legal review), findings F1, F2, F5, F6, F8 through every way in: the API, the CLI
(``pactum responsibility determine -``) and the web case page, which show the same determination."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.commands.responsibility import app
from pactum.responsibility.schemas import CaseCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services

Login = Callable[[str], TestClient]

# F1: the French visa was valid when the applicant first applied, in Italy.
FIRST_SITUATION = {
    "application": {"registered_in": "DE", "registered_on": "2025-10-01"},
    "applicant": {"date_of_birth": "1995-01-01"},
    "documents": [{"kind": "visa", "issued_by": "FR", "valid_from": "2025-01-01", "valid_until": "2025-02-01"}],
    "earlier_applications": [{"member_state": "IT", "registered_on": "2025-01-15"}],
}
# F5: an unaccompanied minor without family, first registered in Italy (AMMR Art 25(5)).
MINOR_FIRST_IN_IT = {
    "application": {"registered_in": "DE", "registered_on": "2026-09-01"},
    "applicant": {"date_of_birth": "2010-01-01", "unaccompanied_minor": True},
    "earlier_applications": [{"member_state": "IT", "registered_on": "2026-04-01"}],
}
# F2: a married minor whose spouse is legally present in Germany, a parent in France.
MARRIED_MINOR = {
    "application": {"registered_in": "IT", "registered_on": "2026-05-04"},
    "applicant": {"date_of_birth": "2009-01-01", "unaccompanied_minor": True},
    "family_members": [{"relation": "spouse", "member_state": "DE", "status": "legally_residing"},
                       {"relation": "parent", "member_state": "FR", "status": "legally_residing"}],
}
# F8: registered on the cut-over day.
CUTOVER_DAY = {
    "application": {"registered_in": "DE", "registered_on": "2026-07-01"},
    "entries": [{"kind": "irregular_crossing", "member_state": "EL", "on": "2025-01-15"}],
}


def test_the_cli_reads_the_facts_from_stdin() -> None:
    runner = CliRunner()
    for facts, state, criterion in ((FIRST_SITUATION, "FR", "visa"),
                                    (MINOR_FIRST_IN_IT, "IT", "unaccompanied_minor_presence"),
                                    (MARRIED_MINOR, "DE", "unaccompanied_minor_family")):
        r = runner.invoke(app, ["determine", "-"], input=json.dumps(facts))
        assert r.exit_code == 0, r.output
        out = json.loads(r.stdout)
        assert (out["responsible_member_state"], out["criterion"]) == (state, criterion)
    r = runner.invoke(app, ["determine", "-"], input=json.dumps(CUTOVER_DAY))
    assert "cutover_day_regime (unverified)" in json.loads(r.stdout)["trace"][0]["outcome"]


def test_the_api_gives_the_same_answers(client: TestClient, auth_headers: Callable[[str], dict[str, str]]) -> None:
    h = auth_headers("de-caseworker")

    def post(facts: dict[str, Any]) -> dict[str, Any]:
        r = client.post("/api/v1/responsibility/determinations", json=facts, headers=h)
        assert r.status_code == 200, r.text
        return r.json()

    out = post(FIRST_SITUATION)
    assert out["responsible_member_state"] == "FR"
    assert out["trace"][0]["facts"]["situation_on"] == "2025-01-15"
    assert post(MINOR_FIRST_IN_IT)["responsible_member_state"] == "IT"
    assert post(MARRIED_MINOR)["responsible_member_state"] == "DE"
    assert "registered on the cut-over day" in post(CUTOVER_DAY)["trace"][0]["outcome"]


def test_the_case_page_shows_the_first_registration_and_the_best_interests_note(
        services: Services, web_client: Login, principal: Callable[[str], Principal]) -> None:
    case = responsibility.create_case(services, principal("de-caseworker"), CaseCreate.model_validate({
        "reference": "DE-QA17-1", "applicant_name": "Amina Yusuf", "facts": MINOR_FIRST_IN_IT}))
    assert case["determination"]["responsible_member_state"] == "IT"
    page = web_client("de-dublin").get(f"/responsibility/cases/{case['id']}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert 'id="responsible">IT<' in text
    assert "Regulation (EU) 2024/1351, Article 25(5)" in text
    assert "not in the best interests of the child" in text
    assert "the situation on 2026-04-01" in text
