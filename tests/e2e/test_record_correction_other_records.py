"""A correction that corrects the person's other records of the same state with it (GDPR Art 16;
Reg. (EU) 2024/1358 Art 40(3)): the applicant's record copied from the irregular-crossing record
when the application was recorded in Eurodac holds the same misspelt surname, and is corrected in
the same unit of work (``also_records``), on the API, the command line and the correction form."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from sqlalchemy import func, select
from typer.testing import CliRunner

from pactum.cli.main import app as cli
from pactum.registry.model import RegisterArrival
from pactum.services import record_corrections, registry
from pactum.store.tables.identity import identity_comparisons
from pactum.store.tables.registry import identity_records
from tests.integration.test_registry_corrections_service import _entries, _record


def _arrival(surname: str, ms: str = "IT", kind: str = "irregular_crossing") -> RegisterArrival:
    return RegisterArrival.model_validate({
        "identity": {"given_names": "Walid", "surname": surname, "sex": "M", "date_of_birth": "1994-05-02",
                     "nationality": "TUN", "place_of_birth": "Sfax",
                     "documents": [{"type": "passport", "number": "TN445566", "country": "TUN"}]},
        "encounter": {"member_state": ms, "occurred_at": "2026-07-01T06:00:00Z", "kind": kind,
                      "place": "Lampedusa"},
        "biometrics": {"template_ref": f"tpl-{surname}-{ms}", "captured_at": "2026-07-01T08:00:00Z"},
    })


def _crossing_and_applicant(services: Any, principal: Any, surname: str = "Gharbbi") -> tuple[str, str, str]:
    """Walid, registered by Italy at an irregular crossing with his surname misspelt, then an
    applicant: his applicant's record is a copy of the crossing's, misspelling included."""
    it = principal("it-caseworker")
    reg = registry.register_arrival(services, it, _arrival(surname))
    with services.uow() as uow:
        registry.record_application_in_eurodac(uow, it, person_id=reg.person_id, made_on=date(2026, 7, 3))
        uow.commit()
    with services.engine.connect() as conn:
        (applicant,) = conn.execute(select(identity_records.c.id).where(
            identity_records.c.person_id == reg.person_id, identity_records.c.category == "applicant")).scalars()
    return reg.person_id, reg.identity_record_id, applicant


def _compared_after_correction(services: Any, record_id: str) -> int:
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(identity_comparisons).where(
            identity_comparisons.c.compared_via == record_corrections.VIA_CORRECTION,
            identity_comparisons.c.identity_record_id == record_id)).scalar_one()


def test_the_api_corrects_the_applicants_copy_with_the_crossing_record_in_one_unit_of_work(
        client, auth_headers, services, principal):
    person_id, crossing, applicant = _crossing_and_applicant(services, principal)
    assert _record(services, applicant).surname == "Gharbbi"
    url = f"/api/v1/registry/records/{crossing}/corrections"
    body = {"changes": {"surname": "Gharbi"}, "reason": "surname misspelt at the crossing",
            "also_records": [applicant]}
    r = client.post(url, json=body, headers=auth_headers("it-caseworker"))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["record"]["surname"] == "Gharbi" and out["changed"] == ["surname", "surname_latin"]
    (other,) = out["also_corrected"]
    assert other["record"]["id"] == applicant and other["record"]["surname"] == "Gharbi"
    assert other["changed"] == ["surname", "surname_latin"] and "candidates" in other["comparison"]
    # each record its own version, audit entry and comparison made again
    assert (_record(services, crossing).version, _record(services, applicant).version) == (2, 2)
    (first_entry,) = _entries(services, crossing)
    (copy_entry,) = _entries(services, applicant)
    assert first_entry.after["also_records"] == [applicant] and "corrected_with" not in first_entry.after
    assert copy_entry.after["corrected_with"] == crossing
    assert copy_entry.after["changed"] == ["surname", "surname_latin"]
    assert copy_entry.after["reason"] == "surname misspelt at the crossing"
    assert _compared_after_correction(services, crossing) == 1
    assert _compared_after_correction(services, applicant) == 1
    # the person's record lists both corrections, the copy's naming the record it went with
    said = client.get(f"/api/v1/registry/persons/{person_id}", headers=auth_headers("it-caseworker")).json()
    by_record = {c["identity_record_id"]: c for c in said["corrections"]}
    assert by_record[applicant]["corrected_with"] == crossing
    assert by_record[crossing]["also_records"] == [applicant]


def test_a_record_of_another_person_or_state_is_refused_and_nothing_is_written(
        client, auth_headers, services, principal):
    _person, crossing, applicant = _crossing_and_applicant(services, principal)
    other_person = registry.register_arrival(services, principal("it-caseworker"), _arrival("Haddad"))
    greek = registry.register_arrival(services, principal("el-caseworker"), _arrival("Gharbbi", ms="EL"))
    url = f"/api/v1/registry/records/{crossing}/corrections"
    body = {"changes": {"surname": "Gharbi"}, "reason": "surname misspelt"}
    for wrong in (other_person.identity_record_id, greek.identity_record_id, "idr_nope"):
        r = client.post(url, json={**body, "also_records": [applicant, wrong]}, headers=auth_headers("it-caseworker"))
        assert r.status_code == 422, r.text
        (problem,) = r.json()["detail"]
        assert problem["loc"] == ["body", "also_records", 1]
        assert "of the same person in IT's records" in problem["msg"]
    # nothing written: neither the record corrected nor the copy listed with it
    for rec in (crossing, applicant):
        assert (_record(services, rec).surname, _record(services, rec).version) == ("Gharbbi", 1)
        assert _entries(services, rec) == []
    assert _record(services, greek.identity_record_id).surname == "Gharbbi"


def test_a_listed_record_on_which_nothing_would_change_is_refused(client, auth_headers, services, principal):
    _person, crossing, applicant = _crossing_and_applicant(services, principal)
    it = auth_headers("it-caseworker")
    # the copy corrected on its own first: it already holds the new surname
    fixed = client.post(f"/api/v1/registry/records/{applicant}/corrections",
                        json={"changes": {"surname": "Gharbi"}, "reason": "surname misspelt"}, headers=it)
    assert fixed.status_code == 200
    url = f"/api/v1/registry/records/{crossing}/corrections"
    r = client.post(url, json={"changes": {"surname": "Gharbi"}, "reason": "surname misspelt",
                               "also_records": [applicant]}, headers=it)
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", "also_records", 0], "type": "value_error",
                                   "msg": f"nothing would change on record {applicant}: every field given is "
                                          "as it has it"}]
    assert _record(services, crossing).surname == "Gharbbi" and _entries(services, crossing) == []
    # a field already holding the new value is simply unchanged there; the others change
    r = client.post(url, json={"changes": {"surname": "Gharbi", "place_of_birth": "Sousse"},
                               "reason": "surname misspelt, place of birth wrong", "also_records": [applicant]},
                    headers=it)
    assert r.status_code == 200, r.text
    assert r.json()["changed"] == ["surname", "surname_latin", "place_of_birth"]
    assert r.json()["also_corrected"][0]["changed"] == ["place_of_birth"]
    assert _record(services, applicant).version == 3


def test_the_command_corrects_the_records_given_with_also(services, principal):
    _person, crossing, applicant = _crossing_and_applicant(services, principal)
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "it-caseworker"}
    runner = CliRunner()
    greek = registry.register_arrival(services, principal("el-caseworker"), _arrival("Gharbbi", ms="EL"))
    bad = runner.invoke(cli, ["registry", "correct", crossing, "--surname", "Gharbi", "--reason", "misspelt",
                              "--also", greek.identity_record_id], env=env)
    assert bad.exit_code == 2 and bad.stdout == ""
    assert bad.stderr.startswith("error: --also: no other identity record ")
    assert len(bad.stderr.strip().splitlines()) == 1
    r = runner.invoke(cli, ["registry", "correct", crossing, "--surname", "Gharbi", "--reason", "misspelt",
                            "--also", applicant], env=env)
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert [o["record"]["id"] for o in out["also_corrected"]] == [applicant]
    assert f"corrected {crossing}: surname, surname latin changed" in r.stderr
    assert f"corrected {applicant} (with {crossing}): surname, surname latin changed" in r.stderr
    assert _record(services, applicant).surname == "Gharbi"


def test_the_correction_form_offers_the_applicants_copy_ticked_and_corrects_both(web_client, services, principal):
    person_id, crossing, applicant = _crossing_and_applicant(services, principal)
    other_person = registry.register_arrival(services, principal("it-caseworker"), _arrival("Haddad"))
    it = web_client("it-caseworker")
    form = it.get(f"/registry/records/{crossing}/correct").text
    offered = form.split('id="also-records"', 1)[1].split("</fieldset>", 1)[0]
    assert re.search(rf'<input type="checkbox" name="also_records" value="{applicant}" checked>', offered)
    assert "applicant" in offered and other_person.identity_record_id not in offered
    typed = {"surname": "Gharbi", "given_names": "Walid", "sex": "M", "date_of_birth": "1994-05-02",
             "place_of_birth": "Sfax", "nationality": "TUN", "document_type": "passport",
             "document_number": "TN445566", "document_country": "TUN", "version": "1",
             "reason": "surname misspelt at the crossing"}
    # the box left unticked on a refused form stays unticked
    refused = it.post(f"/registry/records/{crossing}/correct", data={**typed, "reason": " "},
                      follow_redirects=False)
    assert refused.status_code == 422
    assert re.search(rf'name="also_records" value="{applicant}">', refused.text)
    saved = it.post(f"/registry/records/{crossing}/correct", data={**typed, "also_records": applicant},
                    follow_redirects=False)
    assert saved.status_code == 303, saved.text
    page = it.get(saved.headers["location"]).text
    notice = page.split('id="corrected"', 1)[1].split("</div>", 1)[0]
    assert f"Corrected: identity record {crossing}, surname, surname in Latin script changed" in notice
    assert f"Corrected with it: identity record {applicant}, surname, surname in Latin script changed" in notice
    assert (_record(services, crossing).surname, _record(services, applicant).surname) == ("Gharbi", "Gharbi")
    assert person_id in saved.headers["location"]
    # the applicant's record's own form no longer has anything to offer that differs: the crossing
    # record now holds the same values, so it is offered ticked
    again = it.get(f"/registry/records/{applicant}/correct").text
    assert re.search(rf'name="also_records" value="{crossing}" checked>', again)


def test_the_form_refuses_a_ticked_record_on_which_nothing_would_change(web_client, services, principal):
    _person, crossing, applicant = _crossing_and_applicant(services, principal)
    it = web_client("it-caseworker")
    typed = {"surname": "Gharbbi", "given_names": "Walid", "sex": "M", "date_of_birth": "1994-05-02",
             "place_of_birth": "Sousse", "nationality": "TUN", "document_type": "passport",
             "document_number": "TN445566", "document_country": "TUN", "version": "1",
             "reason": "place of birth wrong", "also_records": applicant}
    fixed = it.post(f"/registry/records/{applicant}/correct", data={**typed, "also_records": []},
                    follow_redirects=False)
    assert fixed.status_code == 303
    refused = it.post(f"/registry/records/{crossing}/correct", data=typed, follow_redirects=False)
    assert refused.status_code == 422
    assert f"Nothing would change on record {applicant}" in refused.text
    assert _record(services, crossing).place_of_birth == "Sfax"
