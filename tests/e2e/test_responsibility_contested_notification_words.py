"""A contested take-back notification reads as contested, every problem of a contest is said at once,
and a code in a refusal's message reads as the law writes it (QA pass of 2026-12-02).

A take-back notification (Regulation (EU) 2024/1351, Art 41) is confirmed or contested (Art 41(3)),
never refused. Before, the request page of a notification Germany contested said "Confirmation due
… · confirmed 2026-11-10" beside "Status: contested", labelled the reasons "Reasons for refusal" and
its timeline "pending → refused final"; a contest with neither reasons nor evidence named only
``reasons`` (the missing ``evidence`` came on the next try); a residence-document contest of a
notification on an indication in Eurodac said "this request rests on indicated responsible in
eurodac"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.e2e.test_responsibility_document_ends_notification import _at, _case, _contest, _notify, _people
from tests.problem_paths import problem_fields

API = "/api/v1/responsibility"
EVIDENCE = "Eurodac record DE-2026-118 corrected on 2026-11-06: DE indicated FR as the Member State responsible"


@pytest.fixture
def november(services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """10 November 2026, within the two weeks to confirm or contest a notification."""
    _at(services, monkeypatch, datetime(2026, 11, 10, 12, 0, tzinfo=UTC))


def _indicated(client: Any, auth_headers: Any, services: Any) -> tuple[str, dict[str, Any]]:
    it_person, _ = _people(client, auth_headers, services)
    case_id = _case(client, auth_headers, it_person)
    return case_id, _notify(client, auth_headers, case_id, "indicated_responsible_in_eurodac")


def test_a_contested_notification_reads_contested_on_the_page_the_api_and_the_cli(
    client, auth_headers, services, web_client, november, monkeypatch
) -> None:
    case_id, req = _indicated(client, auth_headers, services)
    r = _contest(client, auth_headers, req, refusal_ground="wrong_indication", evidence=EVIDENCE)
    assert r.status_code == 200, r.text
    for who in ("de-dublin", "it-dublin"):
        page = web_client(who).get(f"/responsibility/requests/{req['id']}").text
        assert "Status: contested" in page
        due = page.split('id="reply-due"')[1].split("</dd>")[0]
        assert '<span id="replied-on">contested 2026-11-10</span>' in due and "confirmed" not in due
        assert "<dt>Reasons for the contest</dt>" in page and "Reasons for refusal" not in page
        timeline = page.split('id="timeline"')[1].split("</table>")[0]
        assert "awaiting confirmation → contested" in timeline
        assert "refused" not in timeline
        case_page = web_client(who).get(f"/responsibility/cases/{case_id}").text
        assert "awaiting confirmation → contested" in case_page.split("</table>")[-2]
    shown = client.get(f"{API}/requests/{req['id']}", headers=auth_headers("it-dublin")).json()
    assert shown["answered"] == {"words": "contested", "on": "2026-11-10"}
    [contest] = [e for e in shown["timeline"] if e["action"] == "contest"]
    assert (contest["from_status_label"], contest["to_status_label"]) == ("awaiting confirmation", "contested")
    # the CLI's case shows the same words in its timeline
    from pactum.cli.main import app

    monkeypatch.setenv("PACTUM_DATABASE_URL", str(services.engine.url))
    monkeypatch.setenv("PACTUM_CLI_USER", "it-dublin")
    out = CliRunner().invoke(app, ["responsibility", "show", case_id])
    assert out.exit_code == 0, out.output
    assert '"to_status_label": "contested"' in out.output and '"to_status_label": "refused' not in out.output


def test_a_confirmed_notification_and_a_refused_request_keep_their_words(
    client, auth_headers, services, web_client, november
) -> None:
    _, req = _indicated(client, auth_headers, services)
    r = client.post(f"{API}/requests/{req['id']}/confirm", headers=auth_headers("de-dublin"),
                    json={"version": req["version"]})
    assert r.status_code == 200, r.text
    shown = client.get(f"{API}/requests/{req['id']}", headers=auth_headers("it-dublin")).json()
    assert shown["answered"] == {"words": "confirmed", "on": "2026-11-10"}
    page = web_client("it-dublin").get(f"/responsibility/requests/{req['id']}").text
    assert '<span id="replied-on">confirmed 2026-11-10</span>' in page
    assert "awaiting confirmation → receipt confirmed" in page.split('id="timeline"')[1]


def test_a_contest_names_every_missing_field_at_once(client, auth_headers, services, web_client, november) -> None:
    _, req = _indicated(client, auth_headers, services)
    body = {"version": req["version"], "refusal_ground": "wrong_indication"}
    r = client.post(f"{API}/requests/{req['id']}/contest", headers=auth_headers("de-dublin"), json=body)
    assert r.status_code == 422 and sorted(problem_fields(r)) == ["evidence", "reasons"], r.text
    assert "states its reasons in full" in r.text and "say what shows it" in r.text
    # a day of leaving with a wrong indication and no evidence: both said too
    r = client.post(f"{API}/requests/{req['id']}/contest", headers=auth_headers("de-dublin"),
                    json={**body, "left_on": "2026-01-05"})
    assert r.status_code == 422 and sorted(problem_fields(r)) == ["evidence", "left_on", "reasons"], r.text
    # no ground and no reasons: both
    r = client.post(f"{API}/requests/{req['id']}/contest", headers=auth_headers("de-dublin"),
                    json={"version": req["version"]})
    assert r.status_code == 422 and sorted(problem_fields(r)) == ["reasons", "refusal_ground"], r.text
    # the form says both as well, nothing written
    page = web_client("de-dublin").post(f"/responsibility/requests/{req['id']}", data={
        "action": "contest", "version": str(req["version"]), "refusal_ground": "wrong_indication",
        "reasons": "", "evidence": ""})
    assert page.status_code == 422
    assert '<textarea name="reasons" required aria-invalid="true"' in page.text
    assert '<input name="evidence" maxlength="2000" value="" aria-invalid="true"' in page.text
    assert client.get(f"{API}/requests/{req['id']}", headers=auth_headers("de-dublin")).json()["status"] == "pending"


def test_a_refusal_message_writes_the_ground_as_the_law_does(client, auth_headers, services, november) -> None:
    _, req = _indicated(client, auth_headers, services)
    r = _contest(client, auth_headers, req, refusal_ground="residence_document")
    assert r.status_code == 422 and problem_fields(r) == ["refusal_ground"], r.text
    assert "this request rests on indicated responsible in Eurodac" in r.text
