"""A residence document issued by another Member State ends the AMMR take back of an applicant
during the determination (Regulation (EU) 2024/1351, Art 38(4), read in the Official Journal's
Italian text: the state that started the determination takes back, «alle condizioni di cui agli
articoli 41 e 46», the applicant who is in another Member State without a residence document or
applies there during the determination; «Tale obbligo cessa quando lo Stato membro che ha avviato la
procedura di determinazione stabilisce che il richiedente ha ottenuto un titolo di soggiorno da un
altro Stato membro»). The take back is a take-back notification (Art 41), which the state notified
confirms «a meno che ... non dimostri entro tale termine che non è competente» (Art 41(3)): it
contests it, it does not refuse it.

The person's application was registered in Germany on 2026-08-10 and Germany's determination is
under way; France issued them a residence document on 2026-10-01; they applied in Italy on
2026-11-02. Italy's case page says, before any notification, that the document would end the take
back; Italy notifies Germany on Art 38(4); Germany contests on the document; "Responsible now" says
why Italy stays responsible. Before, Pactum had no AMMR take-back ground for Art 38(4) (422 on
``take_back_ground``), a notification could not be answered but by a confirmation, and the case
page said nothing of the document before a request was sent."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, select

from pactum.common.clock import FixedClock
from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import identity_records
from tests.e2e.test_registry_api import ARRIVAL
from tests.problem_paths import problem_fields

API = "/api/v1/responsibility"
ART_38_4 = "Regulation (EU) 2024/1351, Article 38(4), second subparagraph"
ART_20_5 = "Regulation (EU) No 604/2013, Article 20(5), second subparagraph"
FACTS = {
    "application": {"registered_in": "IT", "registered_on": "2026-11-02"},
    "earlier_applications": [{"member_state": "DE", "registered_on": "2026-08-10"}],
}
PERMIT = {
    "kind": "residence_document",
    "issued_on": "2026-10-01",
    "valid_from": "2026-10-01",
    "valid_until": "2027-09-30",
    "number": "FR-TS-3804",
}


def _at(services: Any, monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    monkeypatch.setattr(services, "clock", FixedClock(when))
    monkeypatch.setattr("pactum.services.bootstrap.SystemClock", lambda: FixedClock(when))  # the commands


@pytest.fixture
def november(services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The story runs on 10 November 2026, within the two weeks to confirm a notification."""
    _at(services, monkeypatch, datetime(2026, 11, 10, 12, 0, tzinfo=UTC))


def _people(
    client: Any,
    auth_headers: Any,
    services: Any,
    *,
    italy_on: str = "2026-11-01",
    france_on: str = "2026-09-20",
) -> tuple[str, str]:
    """The person in Italy's registry and in France's, joined by a white same-person link."""
    it = client.post(
        "/api/v1/registry/arrivals",
        headers=auth_headers("it-caseworker"),
        json={
            **ARRIVAL,
            "encounter": {**ARRIVAL["encounter"], "occurred_at": f"{italy_on}T06:30:00Z"},
            "biometrics": {
                "template_ref": "tpl-1",
                "captured_at": f"{italy_on}T09:00:00Z",
                "transmitted_at": f"{italy_on}T10:00:00Z",
            },
        },
    )
    assert it.status_code == 201, it.text
    fr = client.post(
        "/api/v1/registry/arrivals",
        headers=auth_headers("fr-caseworker"),
        json={
            **ARRIVAL,
            "encounter": {
                "member_state": "FR",
                "occurred_at": f"{france_on}T06:30:00Z",
                "kind": "illegal_stay",
                "place": "Menton",
            },
            "biometrics": {
                "template_ref": "tpl-2",
                "captured_at": f"{france_on}T09:00:00Z",
                "transmitted_at": f"{france_on}T10:00:00Z",
            },
        },
    )
    assert fr.status_code == 201, fr.text
    with services.engine.begin() as conn:
        own = conn.execute(
            select(identity_records.c.id).where(identity_records.c.person_id == it.json()["person_id"])
        ).scalar()
        conn.execute(
            insert(identity_links).values(
                id="idl_test_38_4",
                record_id=own,
                linked_record_id=fr.json()["identity_record_id"],
                colour="white",
                status="automatic",
                verifying_authority="IT",
                match_probability=0.99,
                basis={},
                created_at=services.clock.now(),
                version=1,
            )
        )
    return str(it.json()["person_id"]), str(fr.json()["person_id"])


def _case(
    client: Any, auth_headers: Any, person: str, facts: dict[str, Any] = FACTS, ref: str = "IT-38-4"
) -> str:
    case = client.post(
        f"{API}/cases",
        headers=auth_headers("it-dublin"),
        json={"reference": ref, "person_id": person, "facts": facts},
    )
    assert case.status_code == 201, case.text
    assert case.json()["determination"]["responsible_member_state"] == "DE"
    return str(case.json()["id"])


def _notify(
    client: Any, auth_headers: Any, case_id: str, ground: str = "during_determination"
) -> dict[str, Any]:
    r = client.post(
        f"{API}/cases/{case_id}/requests",
        headers=auth_headers("it-dublin"),
        json={
            "kind": "take_back_notification",
            "requested_member_state": "DE",
            "take_back_ground": ground,
            "eurodac_hit": True,
            "hit_on": "2026-11-03",
        },
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def _contest(
    client: Any, auth_headers: Any, req: dict[str, Any], action: str = "contest", **extra: Any
) -> Any:
    return client.post(
        f"{API}/requests/{req['id']}/{action}",
        headers=auth_headers("de-dublin"),
        json={"version": req["version"], "reasons": "France issued a residence permit.", **extra},
    )


def test_the_case_page_hints_at_the_document_then_germany_contests_the_notification_and_the_case_says_why(
    client, auth_headers, services, web_client, november
) -> None:
    it_person, fr_person = _people(client, auth_headers, services)
    case_id = _case(client, auth_headers, it_person)
    read = client.get(f"{API}/cases/{case_id}", headers=auth_headers("it-dublin")).json()
    assert read["determination"]["regime"] == "ammr" and read["residence_document_elsewhere"] is None
    # France's Dublin unit records the residence document France issued on 2026-10-01
    permit = client.post(
        f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"), json=PERMIT
    )
    assert permit.status_code == 201, permit.text
    doc = permit.json()["id"]
    # before any notification, Italy's case says the document would end Germany's take back
    hint = client.get(f"{API}/cases/{case_id}", headers=auth_headers("it-dublin")).json()[
        "residence_document_elsewhere"
    ]
    assert (hint["record_id"], hint["issued_by"], hint["requested_member_state"], hint["kind"]) == (
        doc,
        "FR",
        "DE",
        "take_back_notification",
    )
    assert (hint["take_back_ground"], hint["legal_basis"]) == ("during_determination", ART_38_4)
    assert "FR issued the person a residence document on 2026-10-01" in hint["hint"]
    assert "DE may contest a take-back notification" in hint["hint"]
    assert "FR-TS-3804" not in json.dumps(hint)
    page = web_client("it-dublin").get(f"/responsibility/cases/{case_id}").text
    said = page.split('id="residence-document-hint"')[1].split("</p>")[0]
    assert "Before a take-back notification to DE:" in said and doc in said and ART_38_4 in said
    # the case form offers the AMMR take-back ground of Art 38(4)
    assert 'value="during_determination"' in page and "Article 38(4)" in page
    # the list of cases reads no document (no query per case): it carries no hint
    listed = client.get(f"{API}/cases", headers=auth_headers("it-dublin")).json()
    rows = listed["items"] if isinstance(listed, dict) else listed
    assert all("residence_document_elsewhere" not in row for row in rows)
    req = _notify(client, auth_headers, case_id)
    assert (req["criterion"], req["legal_basis"]) == (
        "during_determination",
        ["Regulation (EU) 2024/1351, Article 38(4)"],
    )
    # the notification sent, the case no longer hints: the notification itself says it to both states
    assert (
        client.get(f"{API}/cases/{case_id}", headers=auth_headers("it-dublin")).json()[
            "residence_document_elsewhere"
        ]
        is None
    )
    for who in ("de-dublin", "it-dublin"):
        shown = client.get(f"{API}/requests/{req['id']}", headers=auth_headers(who)).json()
        assert shown["residence_document_elsewhere"]["legal_basis"] == ART_38_4
    de_page = web_client("de-dublin").get(f"/responsibility/requests/{req['id']}").text
    assert "contest on that ground" in de_page.split('id="residence-document-elsewhere"')[1].split("</p>")[0]
    grounds = de_page.split('id="refusal-ground-contest"')[1].split("</select>")[0]
    # only the document ends this obligation: no absence, no return (Art 37(4)-(5) end those of 36(1))
    assert 'value="residence_document"' in grounds
    assert 'value="left_territory"' not in grounds and 'value="returned"' not in grounds
    # a notification is not refused (Art 41(3)): it is confirmed or contested
    r = _contest(client, auth_headers, req, "refuse", refusal_ground="residence_document")
    assert r.status_code == 409, r.text
    r = _contest(client, auth_headers, req)
    assert r.status_code == 422 and problem_fields(r) == ["refusal_ground"], r.text
    assert "Article 41(3)" in r.text
    r = _contest(
        client,
        auth_headers,
        req,
        refusal_ground="left_territory",
        left_on="2026-01-01",
        evidence="EES exit record",
    )
    assert r.status_code == 422 and problem_fields(r) == ["refusal_ground"], r.text
    assert "ends only where another Member State issued them a residence document" in r.text
    r = _contest(client, auth_headers, req, refusal_ground="residence_document")
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["status"], out["status_label"], out["responsible_member_state"]) == (
        "refused_final",
        "contested",
        "IT",
    )
    ceased = out["refusal_cessation"]
    assert (ceased["ground"], ceased["legal_basis"], ceased["left_on"]) == (
        "residence_document",
        ART_38_4,
        None,
    )
    assert ceased["evidence"] == (
        f"FR issued the person a residence document on 2026-10-01, valid from 2026-10-01 "
        f"to 2027-09-30 (record {doc}, recorded by FR's Dublin unit)"
    )
    assert "FR-TS-3804" not in json.dumps(out)
    now = client.get(f"{API}/cases/{case_id}", headers=auth_headers("it-dublin")).json()["responsible_now"]
    assert (now["member_state"], now["rule"], now["legal_basis"], now["shifted"]) == (
        "IT",
        "ceased",
        [ART_38_4],
        True,
    )
    assert now["reason"].startswith(
        "DE contested the take-back notification (2026-11-10, Regulation (EU) 2024/1351, Article 41(3)), "
        "as its obligation to take the person back to complete the determination ended: FR issued the person "
        "a residence document on 2026-10-01"
    )
    assert "IT, which conducts the determination, stays responsible" in now["reason"]


def test_the_ground_is_refused_on_another_notification_and_without_the_document(
    client, auth_headers, services, november
) -> None:
    it_person, fr_person = _people(client, auth_headers, services)
    case_id = _case(client, auth_headers, it_person)
    # nothing on the records: the contest on the document is refused, naming the field
    req = _notify(client, auth_headers, case_id)
    r = _contest(client, auth_headers, req, refusal_ground="residence_document")
    assert r.status_code == 422 and problem_fields(r) == ["refusal_ground"], r.text
    assert "no residence document issued to the person by a Member State other than DE" in r.text
    r = client.post(
        f"{API}/requests/{req['id']}/withdraw",
        headers=auth_headers("it-dublin"),
        json={"version": req["version"]},
    )
    assert r.status_code == 200, r.text
    assert (
        client.post(
            f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"), json=PERMIT
        ).status_code
        == 201
    )
    # a notification on Art 36(1)(b): the document does not end it (Art 37(1) is read on the case)
    other = _notify(client, auth_headers, case_id, "indicated_responsible_in_eurodac")
    r = _contest(client, auth_headers, other, refusal_ground="residence_document")
    assert r.status_code == 422 and problem_fields(r) == ["refusal_ground"], r.text
    assert "during_determination" in r.text
    # an absence is a ground of the contest (Art 37(4) with Art 41(3)), but not one that began before
    # the application in Germany on which Germany's obligations rest (an absence that ends them, with
    # the day it began, is in tests/e2e/test_responsibility_contested_statistics.py)
    r = _contest(
        client,
        auth_headers,
        other,
        refusal_ground="left_territory",
        left_on="2026-01-05",
        evidence="Entry/Exit System exit record",
    )
    assert r.status_code == 422 and problem_fields(r) == ["left_on"], r.text
    assert "application registered in DE on 2026-08-10" in r.text


def test_a_dublin_iii_case_hints_at_the_document_before_the_take_back_request(
    client, auth_headers, services, web_client, monkeypatch
) -> None:
    """The same hint under Dublin III (Art 20(5), second subparagraph): the request's ground
    (an application withdrawn during the determination) is one the case cannot know, so the hint
    says it as a condition."""
    _at(services, monkeypatch, datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    it_person, fr_person = _people(
        client, auth_headers, services, italy_on="2026-03-01", france_on="2026-01-20"
    )
    facts = {
        "application": {"registered_in": "IT", "registered_on": "2026-03-02"},
        "earlier_applications": [{"member_state": "DE", "registered_on": "2025-11-10"}],
    }
    assert (
        client.post(
            f"{API}/persons/{fr_person}/documents",
            headers=auth_headers("fr-dublin"),
            json={
                **PERMIT,
                "issued_on": "2026-02-15",
                "valid_from": "2026-02-15",
                "valid_until": "2027-02-14",
            },
        ).status_code
        == 201
    )
    case_id = _case(client, auth_headers, it_person, facts, "IT-20-5-HINT")
    hint = client.get(f"{API}/cases/{case_id}", headers=auth_headers("it-dublin")).json()[
        "residence_document_elsewhere"
    ]
    assert (hint["kind"], hint["take_back_ground"], hint["legal_basis"]) == (
        "take_back",
        "withdrawn_during_determination",
        ART_20_5,
    )
    assert (
        "if the person withdrew the application there while the Member State responsible was being "
        "determined" in hint["hint"]
    )
    page = web_client("it-dublin").get(f"/responsibility/cases/{case_id}").text
    assert (
        "Before a take-back request to DE:" in page.split('id="residence-document-hint"')[1].split("</p>")[0]
    )
    # the state asked does not read the case before a request reaches it: the hint is Italy's file
    assert client.get(f"{API}/cases/{case_id}", headers=auth_headers("de-dublin")).status_code == 404
    # once the request is sent, the case hints no more: the request says it to both states
    r = client.post(
        f"{API}/cases/{case_id}/requests",
        headers=auth_headers("it-dublin"),
        json={
            "kind": "take_back",
            "requested_member_state": "DE",
            "take_back_ground": "withdrawn_during_determination",
        },
    )
    assert r.status_code == 201, r.text
    assert (
        client.get(f"{API}/cases/{case_id}", headers=auth_headers("it-dublin")).json()[
            "residence_document_elsewhere"
        ]
        is None
    )


def test_the_command_line_and_the_request_page_contest_the_notification(
    client, auth_headers, services, web_client, november, tmp_path
) -> None:
    from typer.testing import CliRunner

    from pactum.cli.main import app

    def cli(user: str, *args: str) -> Any:
        return CliRunner().invoke(
            app,
            ["responsibility", *args],
            env={"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": user},
        )

    it_person, fr_person = _people(client, auth_headers, services)
    case_id = _case(client, auth_headers, it_person)
    assert (
        client.post(
            f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"), json=PERMIT
        ).status_code
        == 201
    )
    shown = cli("it-dublin", "show", case_id)
    assert shown.exit_code == 0, shown.output
    assert (
        json.loads(shown.stdout)["residence_document_elsewhere"]["take_back_ground"] == "during_determination"
    )
    req = _notify(client, auth_headers, case_id)
    body = tmp_path / "contest.json"
    body.write_text(json.dumps({"version": req["version"], "reasons": "France issued a permit."}))
    r = cli("de-dublin", "act", req["id"], "contest", str(body))
    assert r.exit_code == 2 and r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1
    assert "refusal_ground" in r.stderr
    # the page: a contest without reasons is refused beside the field, what was typed kept
    web = web_client("de-dublin")
    r = web.post(
        f"/responsibility/requests/{req['id']}",
        data={
            "action": "contest",
            "version": str(req["version"]),
            "reasons": "",
            "refusal_ground": "residence_document",
        },
    )
    assert r.status_code == 422, r.text
    assert (
        'aria-invalid="true"' in r.text.split('id="refusal-ground-contest"')[0].split('value="contest"')[-1]
    )
    r = web.post(
        f"/responsibility/requests/{req['id']}",
        data={
            "action": "contest",
            "version": str(req["version"]),
            "reasons": "France issued a permit.",
            "refusal_ground": "residence_document",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200, r.text
    assert "Contested: your state is not obliged to take the person back." in r.text
    assert "contested" in r.text
