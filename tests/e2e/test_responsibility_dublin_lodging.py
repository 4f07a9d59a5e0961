"""Dublin III counts from the *lodging* of an application (Regulation (EU) No 604/2013, Art 20(2):
the first written record that reached the competent authority; CJEU C-670/16 *Mengesteab*: an
informal one counts), the AMMR from its registration (Art 39(1)). The platform keeps one field,
``application.registered_on``: the fact draft, the API's schema and the form say which day to enter
per regime, and the draft's guidance on an earlier application dated by its Eurodac record points
the right way (the lodging or registration is that day or before it, never after)."""

from __future__ import annotations

from sqlalchemy import insert, select

from pactum.store.tables.identity import identity_links
from pactum.store.tables.registry import identity_records
from tests.e2e.test_registry_api import ARRIVAL

API = "/api/v1/responsibility"


def _dublin_iii_person_with_earlier_application(client, auth_headers, services) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A person who arrived in Italy in May 2026 and applied there (made 2026-05-04, registered
    2026-05-08: under Dublin III), linked as the same person to a Greek applicant record of April."""
    h = auth_headers("it-caseworker")
    arrival = {**ARRIVAL,
               "identity": {**ARRIVAL["identity"], "date_of_birth": "1996-03-14"},
               "encounter": {**ARRIVAL["encounter"], "occurred_at": "2026-05-02T06:30:00Z"},
               "biometrics": {"template_ref": "tpl-d3", "captured_at": "2026-05-02T09:00:00Z",
                              "transmitted_at": "2026-05-03T09:00:00Z"}}
    body = client.post("/api/v1/registry/arrivals", json=arrival, headers=h)
    assert body.status_code == 201, body.text
    person_id = body.json()["person_id"]
    app_ = client.post("/api/v1/procedures/applications", headers=h, json={
        "person_id": person_id, "made_on": "2026-05-04", "registered_on": "2026-05-08",
        "context": "in_territory"})
    assert app_.status_code == 201, app_.text
    el = client.post("/api/v1/registry/arrivals", headers=auth_headers("el-caseworker"), json={
        **ARRIVAL, "encounter": {"member_state": "EL", "occurred_at": "2026-04-10T06:30:00Z",
                                 "kind": "border_crossing_point_application"},
        "biometrics": {"template_ref": "tpl-el", "captured_at": "2026-04-10T09:00:00Z",
                       "transmitted_at": "2026-04-11T09:00:00Z"}})
    assert el.status_code == 201, el.text
    el_record = el.json()["identity_record_id"]
    with services.engine.begin() as conn:
        own = conn.execute(select(identity_records.c.id).where(identity_records.c.person_id == person_id)).scalar()
        recorded = conn.execute(select(identity_records.c.category, identity_records.c.recorded_on)
                                .where(identity_records.c.id == el_record)).one()
        conn.execute(insert(identity_links).values(
            id="idl_test_el_d3", record_id=own, linked_record_id=el_record, colour="white",
            status="automatic", verifying_authority="IT", match_probability=0.99, basis={},
            created_at=services.clock.now(), version=1))
    assert recorded.category == "applicant"
    return person_id, recorded.recorded_on.isoformat()


def test_the_dublin_iii_draft_says_the_lodging_counts_and_may_be_before_the_eurodac_record(
        client, auth_headers, services) -> None:
    person_id, el_on = _dublin_iii_person_with_earlier_application(client, auth_headers, services)
    draft = client.get(f"{API}/persons/{person_id}/facts", headers=auth_headers("it-dublin")).json()
    assert draft["facts"]["application"]["registered_on"] == "2026-05-08"
    assert draft["facts"]["earlier_applications"] == [{"member_state": "EL", "registered_on": el_on}]
    earlier = [t for t in draft["to_check"] if t.startswith(f"The earlier application in EL is dated {el_on}")]
    assert len(earlier) == 1, draft["to_check"]
    said = earlier[0]
    # Dublin III counts from the lodging, the first written record that reached the authority
    # (Art 20(2), Mengesteab); the fingerprints go to Eurodac after the lodging (603/2013 Art 9(1)),
    # so the lodging is the record's day or before it, never a few days after it
    assert "Under Dublin III it counts from its lodging" in said
    assert "Regulation (EU) No 604/2013, Articles 3(2) and 20(2)" in said and "C-670/16 Mengesteab" in said
    assert "Regulation (EU) No 603/2013, Article 9(1)" in said
    assert f"may be some days before {el_on}, not after it" in said
    assert "registered after it was made" not in said and "few days later" not in said
    assert "AMMR" not in said
    # this application: the records' registration is in the field; the officer is told to enter the
    # day of the first written record, which may be before it and not before the day it was made
    own = [t for t in draft["to_check"] if t.startswith("Under Dublin III the criteria and time limits")]
    assert len(own) == 1, draft["to_check"]
    assert "made on 2026-05-04 and registered on 2026-05-08" in own[0]
    assert "may be before the registration and is not before 2026-05-04" in own[0]


def test_the_schema_and_the_form_say_which_day_registered_on_holds(client, web_client) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    described = schema["Application"]["properties"]["registered_on"]["description"]
    assert "Dublin III" in described and "the day it was lodged" in described
    assert "Article 20(2)" in described and "C-670/16" in described and "registered" in described
    page = web_client("it-dublin").get("/responsibility/cases").text
    assert 'id="registered-on-hint"' in page
    assert "for an application under Dublin III, the day it was lodged" in page
    assert "Article 20(2); CJEU C-670/16 Mengesteab" in page


def test_the_cli_help_says_which_day_registered_on_holds() -> None:
    from typer.testing import CliRunner

    from pactum.cli.commands.responsibility import app

    for command in ("determine", "case"):
        r = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        assert r.exit_code == 0, r.output
        said = " ".join(r.output.replace("│", " ").split())
        assert "for an application under Dublin III, the day it was lodged" in said, said
        assert "Article 20(2); CJEU C-670/16 Mengesteab" in said and "under the AMMR, the day it was registered" in said
