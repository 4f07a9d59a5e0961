"""An asylum application made in France's outermost regions has no Eurodac applicant record.

Regulation (EU) 2024/1358 does not apply where Regulation (EU) 2024/1351 does not (Art 60), which as
regards the French Republic applies only to its European territory (Art 76); before 12 June 2026
Regulation (EU) No 603/2013 Art 42 with Regulation (EU) No 604/2013 Art 43. The application is placed
by the person's latest encounter recorded by the state up to the day it was made (the place the
Dublin unit's draft of the facts gives it): one placed in Mayotte writes no applicant record, no
Eurodac record, nothing another state's identity search finds, and the case says why. Applications
in metropolitan France and in Spain's Canary Islands keep their applicant record."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from typer.testing import CliRunner

from pactum.registry.model import RegisterArrival
from pactum.services import registry
from pactum.store.tables.registry import eurodac_records, identity_records

ART_60 = "Regulation (EU) 2024/1358, Article 60"
ART_76 = "Regulation (EU) 2024/1351, Article 76"
ALI = {"given_names": "Ali", "surname": "Soilihi", "sex": "M", "date_of_birth": "1998-03-02", "nationality": "COM"}


def _register(client, auth_headers, user: str, encounter: dict[str, Any]) -> str:  # type: ignore[no-untyped-def]
    r = client.post("/api/v1/registry/arrivals", headers=auth_headers(user), json={
        "identity": ALI, "encounter": encounter, "biometrics": {"template_ref": f"tpl-{user}"}})
    assert r.status_code == 201, r.text
    return str(r.json()["person_id"])


def _apply(client, auth_headers, user: str, person_id: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    r = client.post("/api/v1/procedures/applications", headers=auth_headers(user), json={
        "person_id": person_id, "made_on": "2026-11-27", "registered_on": "2026-11-27",
        "context": "apprehended_at_external_border"})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _categories(services, person_id: str) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """The person's identity records' categories and their Eurodac records' categories."""
    with services.engine.connect() as conn:
        records = conn.execute(select(identity_records.c.category).where(identity_records.c.person_id == person_id)
                               .order_by(identity_records.c.created_at, identity_records.c.id)).scalars().all()
        eurodac = conn.execute(select(eurodac_records.c.category).join(
            identity_records, identity_records.c.id == eurodac_records.c.identity_record_id)
            .where(identity_records.c.person_id == person_id)).scalars().all()
    return list(records), list(eurodac)


def test_an_application_made_in_mayotte_has_no_eurodac_applicant_record_and_the_case_says_why(
        client, auth_headers, web_client, services, principal) -> None:
    # a boat from Anjouan reaches Mayotte at 00:30 on 26 November 2026 (UTC+3); he applies the next day
    person_id = _register(client, auth_headers, "fr-caseworker", {
        "member_state": "FR", "occurred_at": "2026-11-25T21:30:00Z", "kind": "irregular_crossing",
        "place": "Mamoudzou", "region": "FR-976"})
    case = _apply(client, auth_headers, "fr-caseworker", person_id)
    # no applicant record copied, no Eurodac record at all (the crossing there has none either)
    assert _categories(services, person_id) == (["irregular_crossing"], [])
    # the case says why, citing the articles (API, page; the CLI below)
    read = client.get(f"/api/v1/procedures/applications/{case['id']}", headers=auth_headers("fr-caseworker"))
    assert read.status_code == 200, read.text
    why = read.json()["eurodac_outside_scope"]
    assert (why["region"], why["region_name"], why["encounter_on"]) == ("FR-976", "Mayotte", "2026-11-26")
    assert why["legal_basis"] == [ART_60, ART_76]
    assert why["reason"] == (
        "No Eurodac applicant record: the application is placed in FR-976 (Mayotte) by the person's latest "
        f"encounter recorded by FR up to the day it was made ({why['encounter_id']}, 2026-11-26), where Eurodac "
        f"does not apply ({ART_60}; {ART_76})")
    page = web_client("fr-caseworker").get(f"/procedures/cases/{case['id']}").text
    assert f'<dd id="eurodac-outside-scope">{why["reason"]}.</dd>' in page.replace("&#39;", "'")
    # another state's identity search finds no French applicant record (nor any French record)
    found = client.post("/api/v1/identity/search", headers=auth_headers("de-caseworker"), json={
        "given_names": "Ali", "surname": "Soilihi", "date_of_birth": "1998-03-02", "nationality": "COM"})
    assert found.status_code == 200, found.text
    assert not [c for c in found.json()["candidates"] if c["member_state"] == "FR"]
    # calling the registry again (as the procedures area would for the same application) writes nothing
    fr = principal("fr-caseworker")
    with services.uow() as uow:
        assert registry.record_application_in_eurodac(uow, fr, person_id=person_id,
                                                      made_on=date(2026, 11, 27)) is None
        uow.commit()
    assert _categories(services, person_id) == (["irregular_crossing"], [])
    # the CLI shows the case as the API does
    from pactum.cli.main import app as pactum_app

    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "fr-caseworker"}
    out = CliRunner().invoke(pactum_app, ["procedures", "show", case["id"]], env=env)
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["eurodac_outside_scope"] == why


def test_an_application_in_metropolitan_france_or_the_canary_islands_keeps_its_applicant_record(
        client, auth_headers, web_client, services) -> None:
    for user, encounter in (
            ("fr-caseworker", {"member_state": "FR", "occurred_at": "2026-11-25T21:30:00Z",
                               "kind": "irregular_crossing", "place": "Menton"}),
            ("es-caseworker", {"member_state": "ES", "occurred_at": "2026-11-25T06:30:00Z",
                               "kind": "sar_disembarkation", "place": "Arguineguín", "region": "ES-CN"})):
        person_id = _register(client, auth_headers, user, encounter)
        case = _apply(client, auth_headers, user, person_id)
        records, eurodac = _categories(services, person_id)
        assert records[-1] == "applicant" and eurodac[-1] == "applicant", (user, records, eurodac)
        read = client.get(f"/api/v1/procedures/applications/{case['id']}", headers=auth_headers(user)).json()
        assert read["eurodac_outside_scope"] is None
        assert 'id="eurodac-outside-scope"' not in web_client(user).get(f"/procedures/cases/{case['id']}").text


def test_before_the_pact_an_application_in_martinique_has_no_category_1_record(services, principal) -> None:
    """Reg. 603/2013 Art 42 with Reg. 604/2013 Art 43: a crossing into Martinique on 4 May 2026 and an
    application there on 6 May."""
    fr = principal("fr-caseworker")
    reg = registry.register_arrival(services, fr, RegisterArrival.model_validate({
        "identity": ALI, "biometrics": {"template_ref": "tpl-mq"},
        "encounter": {"member_state": "FR", "occurred_at": "2026-05-04T14:00:00Z", "kind": "irregular_crossing",
                      "place": "Le Marin", "region": "FR-972"}}))
    with services.uow() as uow:
        out = registry.record_application_in_eurodac(uow, fr, person_id=reg.person_id, made_on=date(2026, 5, 6))
        why = registry.application_outside_eurodac(uow.conn, reg.person_id, "FR", date(2026, 5, 6))
        uow.commit()
    assert out is None
    assert why is not None and why["legal_basis"] == ["Regulation (EU) No 603/2013, Article 42",
                                                      "Regulation (EU) No 604/2013, Article 43"]
    assert _categories(services, reg.person_id) == (["irregular_crossing"], [])
