"""Dublin III Art 12(4), second subparagraph, through every way in: the fact
``left_territory_since_entry`` (has the applicant left the territories of the Member States since
entering with a document that has since expired?) on the API, the CLI and the determination form,
and on the case page. Not leaving, with a visa expired more than six months before the lodging,
makes the state of lodging responsible; an unknown answer is named in the explanation."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from typer.testing import CliRunner

from pactum.cli.commands.responsibility import app
from tests.e2e.test_responsibility_form import submitted

API = "/api/v1/responsibility"
SECOND_SUBPARAGRAPH = "Regulation (EU) No 604/2013, Article 12(4), second subparagraph"
#: A French visa expired 13 months before the lodging in Germany (Dublin III: more than 6 months).
FACTS = {"application": {"registered_in": "DE", "registered_on": "2025-03-01"},
         "documents": [{"kind": "visa", "visa_type": "short_stay", "issued_by": "FR",
                        "valid_from": "2024-01-01", "valid_until": "2024-02-01"}]}


def test_the_api_designates_the_state_of_lodging_when_the_applicant_never_left(client, auth_headers) -> None:
    h = auth_headers("de-dublin")
    never = client.post(f"{API}/determinations", headers=h, json={**FACTS, "left_territory_since_entry": False})
    assert never.status_code == 200, never.text
    body = never.json()
    assert (body["responsible_member_state"], body["criterion"]) == ("DE", "expired_documents_not_left")
    assert body["legal_basis"] == [SECOND_SUBPARAGRAPH]
    left = client.post(f"{API}/determinations", headers=h, json={**FACTS, "left_territory_since_entry": True}).json()
    assert (left["responsible_member_state"], left["criterion"]) == ("DE", "first_application")
    unknown = client.post(f"{API}/determinations", headers=h, json=FACTS).json()
    assert unknown["criterion"] == "first_application"
    note = [s for s in unknown["trace"] if s["rule"] == "expired_documents_not_left"]
    assert len(note) == 1 and note[0]["outcome"].startswith("may apply")
    assert "left_territory_since_entry is needed" in note[0]["outcome"]
    assert note[0]["legal_basis"] == [SECOND_SUBPARAGRAPH]
    # a JSON value of another type is refused at its location, not converted
    r = client.post(f"{API}/determinations", headers=h, json={**FACTS, "left_territory_since_entry": "no"})
    assert r.status_code == 422 and "left_territory_since_entry" in r.text


def test_the_cli_reads_the_fact_from_the_same_json(tmp_path: Path) -> None:
    f = tmp_path / "facts.json"
    f.write_text(json.dumps({**FACTS, "left_territory_since_entry": False}))
    r = CliRunner().invoke(app, ["determine", str(f)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["responsible_member_state"], out["criterion"], out["legal_basis"]) == (
        "DE", "expired_documents_not_left", [SECOND_SUBPARAGRAPH])


def _facts_json(page: str) -> dict:  # type: ignore[type-arg]
    """The facts the result section shows as the API's JSON."""
    found = re.search(r"<pre>(.*?)</pre>", page, re.S)
    assert found, "no facts JSON under the result"
    return json.loads(html.unescape(found.group(1)))


def _form(web, answer: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    page = web.get("/responsibility/cases").text
    form = [(k, v) for k, v in submitted(page) if k != "left_territory_since_entry"]
    values = dict(form)
    values.update({"application.registered_on": "2025-03-01", "documents[0].kind": "visa",
                   "documents[0].visa_type": "short_stay", "documents[0].issued_by": "FR",
                   "documents[0].valid_from": "2024-01-01", "documents[0].valid_until": "2024-02-01",
                   "left_territory_since_entry": answer})
    return list(values.items())


def test_the_form_asks_whether_the_applicant_left_and_the_case_page_shows_the_answer(web_client) -> None:
    web = web_client("de-dublin")
    page = web.get("/responsibility/cases").text
    assert '<select name="left_territory_since_entry"' in page
    assert "Left the territories of the Member States since entering" in page
    assert SECOND_SUBPARAGRAPH in page
    never = web.post("/responsibility/cases", data=dict(_form(web, "no")) | {"determine": "1"})
    assert never.status_code == 200, never.text
    assert "Responsible: <strong>DE</strong>" in never.text
    assert _facts_json(never.text)["left_territory_since_entry"] is False  # the facts as the API's JSON
    assert '<option value="no" selected>' in never.text  # the answer kept on the form
    unknown = web.post("/responsibility/cases", data=dict(_form(web, "")) | {"determine": "1"})
    assert "left_territory_since_entry is needed" in unknown.text
    assert "left_territory_since_entry" not in _facts_json(unknown.text)  # not known: left out
    bad = web.post("/responsibility/cases", data=dict(_form(web, "perhaps")) | {"determine": "1"})
    assert bad.status_code == 422 and 'id="left_territory_since_entry-error"' in bad.text
    assert ("Left the territories of the Member States since entering: answer no (has not left), yes (left), "
            "or leave it blank (not known)") in bad.text
    saved = web.post("/responsibility/cases", data=dict(_form(web, "yes")) | {"reference": "DE-LT-1", "save": "1"},
                     follow_redirects=False)
    assert saved.status_code == 303, saved.text
    case = web.get(saved.headers["location"].split("?")[0]).text
    assert "<dt>Left the territories of the Member States since entering</dt><dd>yes</dd>" in case
    again = web.get(saved.headers["location"].split("?")[0].replace("/responsibility/cases/", "/responsibility/cases?case_id=")).text
    assert '<option value="yes" selected>' in again
