"""A residence document issued by another Member State ends the take back of a person who withdrew
the first application during the determination (Dublin III Art 20(5), second subparagraph, read in
the Official Journal's Italian text: «Tale obbligo viene meno qualora lo Stato membro tenuto a
portare a termine il procedimento di determinazione dello Stato membro competente possa stabilire
... che un altro Stato membro gli ha rilasciato un titolo di soggiorno»; the AMMR's counterpart is
Art 38(4), second subparagraph).

The person lodged an application in Germany on 2025-11-10 and withdrew it during the determination;
France issued them a residence document on 2026-02-15; they applied in Italy on 2026-03-02. Italy's
take-back request to Germany rests on Art 20(5). The records hold France's document: the request
says so to both states, Germany refuses on that ground (the refusal names the document, not its
number), and once the refusal is final "Responsible now" says why Italy stays responsible. Before,
``refusal_ground`` knew only an absence and a return (422 on ``residence_document``)."""

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
ART_20_5 = "Regulation (EU) No 604/2013, Article 20(5), second subparagraph"
FACTS = {
    "application": {"registered_in": "IT", "registered_on": "2026-03-02"},
    "earlier_applications": [{"member_state": "DE", "registered_on": "2025-11-10"}],
}
PERMIT = {
    "kind": "residence_document",
    "issued_on": "2026-02-15",
    "valid_from": "2026-02-15",
    "valid_until": "2027-02-14",
    "number": "FR-TS-2051",
}


@pytest.fixture
def march(services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The story runs in March 2026, while the take-back request is within its time limit."""
    march = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(services, "clock", FixedClock(march))
    monkeypatch.setattr("pactum.services.bootstrap.SystemClock", lambda: FixedClock(march))  # the commands


def _people(client: Any, auth_headers: Any, services: Any) -> tuple[str, str]:
    """The person in Italy's registry and in France's, joined by a white same-person link."""
    it = client.post(
        "/api/v1/registry/arrivals",
        headers=auth_headers("it-caseworker"),
        json={
            **ARRIVAL,
            "encounter": {**ARRIVAL["encounter"], "occurred_at": "2026-03-01T06:30:00Z"},
            "biometrics": {
                "template_ref": "tpl-1",
                "captured_at": "2026-03-01T09:00:00Z",
                "transmitted_at": "2026-03-02T09:00:00Z",
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
                "occurred_at": "2026-01-20T06:30:00Z",
                "kind": "illegal_stay",
                "place": "Menton",
            },
            "biometrics": {
                "template_ref": "tpl-2",
                "captured_at": "2026-01-20T09:00:00Z",
                "transmitted_at": "2026-01-20T10:00:00Z",
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
                id="idl_test_20_5",
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


def _take_back(
    client: Any,
    auth_headers: Any,
    person: str,
    ground: str = "withdrawn_during_determination",
    ref: str = "IT-20-5",
) -> dict[str, Any]:
    h = auth_headers("it-dublin")
    case = client.post(
        f"{API}/cases", headers=h, json={"reference": ref, "person_id": person, "facts": FACTS}
    )
    assert case.status_code == 201, case.text
    assert (
        case.json()["determination"]["regime"],
        case.json()["determination"]["responsible_member_state"],
    ) == ("dublin_iii", "DE")
    r = client.post(
        f"{API}/cases/{case.json()['id']}/requests",
        headers=h,
        json={"kind": "take_back", "requested_member_state": "DE", "take_back_ground": ground},
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def _refuse(client: Any, auth_headers: Any, req: dict[str, Any], **extra: Any) -> Any:
    return client.post(
        f"{API}/requests/{req['id']}/refuse",
        headers=auth_headers("de-dublin"),
        json={"version": req["version"], "reasons": "France issued a residence permit.", **extra},
    )


def test_germany_refuses_on_frances_recorded_residence_document_and_the_case_says_why(
    client, auth_headers, services, web_client, march
) -> None:
    it_person, fr_person = _people(client, auth_headers, services)
    req = _take_back(client, auth_headers, it_person)
    # nothing on the records yet: the ground is refused, naming the field; the request says nothing
    r = _refuse(client, auth_headers, req, refusal_ground="residence_document")
    assert r.status_code == 422 and problem_fields(r) == ["refusal_ground"], r.text
    assert "no residence document issued to the person by a Member State other than DE" in r.text
    assert (
        client.get(f"{API}/requests/{req['id']}", headers=auth_headers("de-dublin")).json()[
            "residence_document_elsewhere"
        ]
        is None
    )
    # France's Dublin unit records the residence document France issued on 2026-02-15
    permit = client.post(
        f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"), json=PERMIT
    )
    assert permit.status_code == 201, permit.text
    doc = permit.json()["id"]
    # both states read it on the request, Germany beside its refusal form
    for who in ("de-dublin", "it-dublin"):
        shown = client.get(f"{API}/requests/{req['id']}", headers=auth_headers(who)).json()
        found = shown["residence_document_elsewhere"]
        assert (found["record_id"], found["issued_by"], found["issued_on"], found["legal_basis"]) == (
            doc,
            "FR",
            "2026-02-15",
            ART_20_5,
        )
    page = web_client("de-dublin").get(f"/responsibility/requests/{req['id']}").text
    notice = page.split('id="residence-document-elsewhere"')[1].split("</p>")[0]
    assert "FR issued the person a residence document on 2026-02-15" in notice and doc in notice
    assert "refuse on that ground" in notice
    grounds = page.split('name="refusal_ground"')[1].split("</select>")[0]
    assert 'value="residence_document"' in grounds and "Article 20(5), second subparagraph" in grounds
    # a day of leaving goes with an absence, not with a document
    r = _refuse(client, auth_headers, req, refusal_ground="residence_document", left_on="2026-01-01")
    assert r.status_code == 422 and problem_fields(r) == ["left_on"], r.text
    r = _refuse(client, auth_headers, req, refusal_ground="residence_document")
    assert r.status_code == 200, r.text
    ceased = r.json()["refusal_cessation"]
    assert (ceased["ground"], ceased["legal_basis"], ceased["left_on"]) == (
        "residence_document",
        ART_20_5,
        None,
    )
    assert ceased["evidence"] == (
        f"FR issued the person a residence document on 2026-02-15, valid from 2026-02-15 "
        f"to 2027-02-14 (record {doc}, recorded by FR's Dublin unit)"
    )
    assert "FR-TS-2051" not in json.dumps(r.json())  # the document number stays on France's record
    # Italy accepts the refusal: Italy stays responsible, and the case says why, naming the document
    r = client.post(
        f"{API}/requests/{req['id']}/accept_refusal",
        headers=auth_headers("it-dublin"),
        json={"version": r.json()["version"]},
    )
    assert r.status_code == 200, r.text
    now = client.get(f"{API}/cases/{req['case_id']}", headers=auth_headers("it-dublin")).json()[
        "responsible_now"
    ]
    assert (now["member_state"], now["rule"], now["legal_basis"], now["shifted"]) == (
        "IT",
        "ceased",
        [ART_20_5],
        True,
    )
    assert now["reason"].startswith(
        "DE refused the take-back request, finally (2026-03-10), as its obligation to "
        "take the person back to complete the determination ended: FR issued the person "
        "a residence document on 2026-02-15"
    )
    assert doc in now["reason"] and "IT, which conducts the determination, stays responsible" in now["reason"]
    case_page = web_client("it-dublin").get(f"/responsibility/cases/{req['case_id']}").text
    assert doc in case_page.split('id="responsible-why"')[1].split("</p>")[0]


def test_the_ground_is_refused_for_another_take_back_ground_and_for_a_document_the_state_asked_issued(
    client, auth_headers, services, march
) -> None:
    it_person, fr_person = _people(client, auth_headers, services)
    assert (
        client.post(
            f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"), json=PERMIT
        ).status_code
        == 201
    )
    # a take back of a rejected application: Art 20(5) does not apply (Art 19(1) is read on the case)
    rejected = _take_back(client, auth_headers, it_person, "application_rejected", "IT-20-5-B")
    r = _refuse(client, auth_headers, rejected, refusal_ground="residence_document")
    assert r.status_code == 422 and problem_fields(r) == ["refusal_ground"], r.text
    assert "withdrawn_during_determination" in r.text and "application rejected" in r.text
    assert (
        client.get(f"{API}/requests/{rejected['id']}", headers=auth_headers("de-dublin")).json()[
            "residence_document_elsewhere"
        ]
        is None
    )


def test_a_document_issued_before_the_first_application_does_not_end_it(
    client, auth_headers, services, march
) -> None:
    """Issued before the application lodged in Germany, the document is one the criteria of that
    determination take into account (Art 12), not one obtained "nel frattempo"."""
    it_person, fr_person = _people(client, auth_headers, services)
    old = {**PERMIT, "issued_on": "2025-10-01", "valid_from": "2025-10-01", "valid_until": "2026-09-30"}
    assert (
        client.post(
            f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"), json=old
        ).status_code
        == 201
    )
    req = _take_back(client, auth_headers, it_person)
    r = _refuse(client, auth_headers, req, refusal_ground="residence_document")
    assert r.status_code == 422 and problem_fields(r) == ["refusal_ground"], r.text


def test_the_command_line_refuses_on_the_ground(client, auth_headers, services, march, tmp_path) -> None:
    from typer.testing import CliRunner

    from pactum.cli.main import app

    def cli(user: str, *args: str) -> Any:
        return CliRunner().invoke(
            app,
            ["responsibility", *args],
            env={"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": user},
        )

    it_person, fr_person = _people(client, auth_headers, services)
    req = _take_back(client, auth_headers, it_person)
    body = tmp_path / "refuse.json"
    body.write_text(
        json.dumps(
            {
                "version": req["version"],
                "reasons": "France issued a permit.",
                "refusal_ground": "residence_document",
            }
        )
    )
    r = cli("de-dublin", "act", req["id"], "refuse", str(body))
    assert r.exit_code == 2 and r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1
    assert "refusal_ground" in r.stderr
    assert (
        client.post(
            f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"), json=PERMIT
        ).status_code
        == 201
    )
    r = cli("de-dublin", "act", req["id"], "refuse", str(body))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["refusal_cessation"]["ground"] == "residence_document"


def test_the_request_page_refuses_on_the_ground_and_shows_the_document(
    client, auth_headers, services, web_client, march
) -> None:
    it_person, fr_person = _people(client, auth_headers, services)
    req = _take_back(client, auth_headers, it_person)
    de = web_client("de-dublin")
    url = f"/responsibility/requests/{req['id']}"
    form = {
        "action": "refuse",
        "version": str(req["version"]),
        "reasons": "France issued a permit.",
        "refusal_ground": "residence_document",
    }
    # nothing recorded: the form is shown again, the ground marked, the reasons kept
    r = de.post(url, data=form)
    assert r.status_code == 422 and 'name="refusal_ground" aria-invalid="true"' in r.text.replace("\n", " ")
    assert "France issued a permit." in r.text
    doc = client.post(
        f"{API}/persons/{fr_person}/documents", headers=auth_headers("fr-dublin"), json=PERMIT
    ).json()
    r = de.post(url, data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    shown = de.get(url).text.split('id="refusal-cessation">')[1].split("</dd>")[0]
    assert shown.startswith("Another Member State issued the person a residence document")
    assert doc["id"] in shown and "left on" not in shown and "Article 20(5), second subparagraph" in shown
