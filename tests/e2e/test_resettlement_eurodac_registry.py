# ruff: noqa: F811 -- the area's `api`, `cli` and `de` fixtures are imported from its other test modules, and a
# test names a fixture by its parameter
"""The transmission to Eurodac after a decision of Art 18(2) of Regulation (EU) 2024/1358 (Regulation
(EU) 2024/1350, Art 9(24)) for a person the platform's registry holds: the case names the registry's
person (``person_id``), and the transmission is the registry's Eurodac record of the person, of
category ``union_resettlement`` (Art 19; kept under Art 29(3), (4)), which the comparison of another
state's applicant reaches (Art 27(1)). A registry record of the person made otherwise counts as the
transmission; a person not registered on the platform keeps the officer's statement. The test clock
is 2026-11-28."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import eurodac_records, identity_records
from tests.e2e.test_identity_disclosure import arrival, candidates, register
from tests.e2e.test_resettlement_api import api  # noqa: F401
from tests.e2e.test_resettlement_cli import cli  # noqa: F401
from tests.e2e.test_resettlement_eurodac_transmission import _refused_6_1_f
from tests.e2e.test_resettlement_registration_api import _person, pledged  # noqa: F401
from tests.e2e.test_resettlement_registration_web import STATE, _row, de  # noqa: F401

PLAN = "/api/v1/resettlement/plans"
ADM = "/api/v1/resettlement/admissions"


def _registered(client, auth_headers, ms: str = "DE", dob: str = "1995-05-05") -> dict[str, object]:
    """A person the state's registry holds (found staying irregularly on 1 November 2026)."""
    return register(client, auth_headers, f"{ms.lower()}-caseworker",
                    arrival(ms, "illegal_stay", "Rami", "Haddad", dob, nationality="SYR", on="2026-11-01",
                            place="Damascus"))


def _union_records(services, person_id: str) -> list[object]:
    with services.engine.connect() as conn:
        return list(conn.execute(
            select(eurodac_records, identity_records.c.person_id, identity_records.c.recorded_on,
                   identity_records.c.surname)
            .join(identity_records, identity_records.c.id == eurodac_records.c.identity_record_id)
            .where(identity_records.c.person_id == person_id, eurodac_records.c.category == "union_resettlement")))


def test_a_transmission_for_a_registered_person_is_a_registry_record_other_states_comparisons_reach(
        api, pledged, client, auth_headers, services):
    person = _registered(client, auth_headers)
    case = _refused_6_1_f(api, "DE-ER1", "2026-11-20")
    assert (case["person_id"], case["eurodac_record"], case["eurodac_source"]) == (None, None, None)
    # the case names the registry's person and the transmission is recorded on the day, in time
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
        "version": case["version"], "person_id": person["person_id"], "eurodac_transmitted_on": "2026-11-22"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["person_id"], d["eurodac_source"], d["eurodac"]["status"]) == (
        person["person_id"], "registry", "transmitted_in_time")
    rec = d["eurodac_record"]
    (row,) = _union_records(services, person["person_id"])
    assert (rec["id"], rec["identity_record_id"], rec["transmitted_on"]) == (row.id, row.identity_record_id,
                                                                            "2026-11-22")
    # the registry's record: the person's identity data, the day of the transmission, kept three years
    # from it (a refusal under Art 6(1)(f): Reg. 2024/1358 Art 29(4)), as the case says
    assert (row.member_state, row.surname, str(row.recorded_on), str(row.retention_until)) == (
        "DE", "Haddad", "2026-11-22", "2029-11-22")
    assert rec["kept_until"] == d["eurodac"]["kept_until"] == "2029-11-22"
    with services.engine.connect() as conn:
        (entry,) = conn.execute(select(audit_log).where(audit_log.c.action == "eurodac.recorded",
                                                        audit_log.c.entity_id == row.id)).all()
    assert entry.actor == "de-caseworker" and entry.after["resettlement_admission_id"] == case["id"]
    assert "Regulation (EU) 2024/1358, Article 29(4), from the transmission" in entry.after["legal_basis"]
    # Italy registers the same man as an applicant: the comparison of his data reaches Germany's
    # union_resettlement record (Art 27(1): Art 18(2) data are among the data compared with)
    it = register(client, auth_headers, "it-caseworker",
                  arrival("IT", "in_territory_application", "Rami", "Haddad", "1995-05-05", nationality="SYR",
                          on="2026-11-27", place="Damascus"))
    found = {c["identity_record_id"]: c for c in candidates(client, auth_headers, "it-caseworker",
                                                            it["identity_record_id"])}
    hit = found[row.identity_record_id]
    assert hit["member_state"] == "DE" and hit["eurodac"]["category"] == "union_resettlement"
    # the state's page and its CSV show the link
    state = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    (listed,) = [c for c in state["cases"] if c["case_reference"] == "DE-ER1"]
    assert listed["eurodac_record"]["id"] == row.id and listed["eurodac_source"] == "registry"
    (line,) = csv.DictReader(io.StringIO(api("GET", "de-admin", f"{PLAN}/2026-2027/states/DE/cases.csv").text))
    assert (line["person_id"], line["eurodac_source"], line["eurodac_record_id"]) == (
        person["person_id"], "registry", row.id)


def _registry_writes_union_record(services, person_id: str, on: str) -> str:
    """The registry holds a union_resettlement record of the person transmitted on ``on`` (as Eurodac's
    Art 18(2) data set of the person), made without any case: a new identity record of the person, a
    copy of their latest, with its Eurodac record."""
    day = date.fromisoformat(on)
    with services.uow() as uow:
        latest = uow.conn.execute(select(identity_records).where(identity_records.c.person_id == person_id)
                                  ).mappings().first()
        uow.conn.execute(insert(identity_records), {**dict(latest), "id": "idr_union1", "recorded_on": day,
                                                    "category": "union_resettlement"})
        uow.conn.execute(insert(eurodac_records), {
            "id": "edc_union1", "identity_record_id": "idr_union1", "member_state": "DE",
            "category": "union_resettlement", "registered_at": datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
            "retention_until": date(day.year + 3, day.month, day.day)})
        uow.commit()
    return "edc_union1"


def test_a_registry_record_of_the_persons_union_resettlement_data_counts_as_the_transmission(
        api, pledged, client, auth_headers, services):
    person = _registered(client, auth_headers)
    made = _registry_writes_union_record(services, person["person_id"], "2026-11-21")
    case = _refused_6_1_f(api, "DE-ER2", "2026-11-20")
    assert case["eurodac"]["status"] == "overdue"
    # the case names the person: the registry's record is its transmission, in time, nothing written
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": case["version"],
                                                              "person_id": person["person_id"]})
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["eurodac_source"], d["eurodac_record"]["id"], d["eurodac_transmitted_on"], d["eurodac"]["status"]) == (
        "registry", made, "2026-11-21", "transmitted_in_time")
    assert len(_union_records(services, person["person_id"])) == 1
    assert api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()["eurodac"] == []
    assert api("GET", "com-solidarity", f"{PLAN}/2026-2027").json()["eurodac"]["overdue"] == 0
    assert api("GET", "de-admin", "/api/v1/resettlement/states/DE?stage=eurodac_overdue").json()["cases_at_stage"] == 0
    # a later decision on the person (referred again) is not transmitted by the earlier record: the data
    # carry the decision's day (Reg. 2024/1358 Art 19(1)(o)-(q)); its transmission writes a record of its own
    later = _refused_6_1_f(api, "DE-ER3", "2026-11-25")
    r = api("PATCH", "de-caseworker", f"{ADM}/{later['id']}", {"version": later["version"],
                                                               "person_id": person["person_id"]})
    assert r.status_code == 200, r.text
    assert (r.json()["eurodac"]["status"], r.json()["eurodac_record"]) == ("due", None)
    r = api("PATCH", "de-caseworker", f"{ADM}/{later['id']}", {"version": r.json()["version"],
                                                               "eurodac_transmitted_on": "2026-11-26"})
    assert r.status_code == 200, r.text
    assert r.json()["eurodac_record"]["transmitted_on"] == "2026-11-26"
    assert len(_union_records(services, person["person_id"])) == 2


def test_a_person_not_registered_on_the_platform_keeps_the_officers_statement(api, pledged, services):
    case = _refused_6_1_f(api, "DE-ER4", "2026-11-20")
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {"version": case["version"],
                                                              "eurodac_transmitted_on": "2026-11-22"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["person_id"], d["eurodac_record"], d["eurodac_source"], d["eurodac_transmitted_on"]) == (
        None, None, "statement", "2026-11-22")
    with services.engine.connect() as conn:
        assert conn.execute(select(eurodac_records).where(
            eurodac_records.c.category == "union_resettlement")).first() is None


def test_a_person_of_another_state_or_an_unknown_id_is_refused_naming_person_id(
        api, pledged, client, auth_headers, services):
    italian = _registered(client, auth_headers, "IT")
    case = _refused_6_1_f(api, "DE-ER5", "2026-11-20")
    for pid in (italian["person_id"], "per_nobody"):
        r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
            "version": case["version"], "person_id": pid, "eurodac_transmitted_on": "2026-11-22"})
        assert r.status_code == 422, r.text
        assert r.json()["detail"][0]["loc"] == ["body", "person_id"]
        assert "is not a person registered in DE" in r.text
    # nothing half-written: neither the case nor the registry
    again = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()
    (c,) = [c for c in again["cases"] if c["case_reference"] == "DE-ER5"]
    assert (c["person_id"], c["eurodac_transmitted_on"], c["version"]) == (None, None, case["version"])
    assert _union_records(services, italian["person_id"]) == []


def test_a_child_the_registry_says_is_under_six_is_recorded_under_six_not_transmitted(
        api, pledged, client, auth_headers, services):
    child = _registered(client, auth_headers, dob="2022-01-01")
    case = _refused_6_1_f(api, "DE-ER6", "2026-11-20")
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
        "version": case["version"], "person_id": child["person_id"], "eurodac_transmitted_on": "2026-11-22"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "eurodac_transmitted_on"
    assert "under 6" in r.text and _union_records(services, child["person_id"]) == []
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
        "version": case["version"], "person_id": child["person_id"], "eurodac_under_six": True})
    assert r.status_code == 200, r.text
    assert (r.json()["eurodac"]["status"], r.json()["eurodac_source"]) == ("under_six", "statement")
    assert _union_records(services, child["person_id"]) == []


def test_the_cli_writes_the_registry_record_and_says_which(api, pledged, cli, client, auth_headers, services):
    person = _registered(client, auth_headers)
    case = _refused_6_1_f(api, "DE-ER7", "2026-11-20")
    r = cli("de-caseworker", "transmit-eurodac", str(case["id"]), "--transmitted-on", "2026-11-22",
            "--person-id", str(person["person_id"]), "--version", str(case["version"]))
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    (row,) = _union_records(services, person["person_id"])
    assert (d["eurodac_source"], d["eurodac_record"]["id"]) == ("registry", row.id)
    assert f"Eurodac: the registry's record {row.id} of person {person['person_id']}" in r.stderr
    # a person of another state: one line naming the option, exit 2, nothing written
    other = _refused_6_1_f(api, "DE-ER8", "2026-11-20")
    italian = _registered(client, auth_headers, "IT")
    r = cli("de-caseworker", "transmit-eurodac", str(other["id"]), "--transmitted-on", "2026-11-22",
            "--person-id", str(italian["person_id"]), "--version", str(other["version"]))
    assert r.exit_code == 2 and "--person-id" in r.output and "not a person registered in DE" in r.output
    assert len(r.output.strip().splitlines()) == 1
    # no person named: the officer's statement, and standard error says so
    r = cli("de-caseworker", "transmit-eurodac", str(other["id"]), "--transmitted-on", "2026-11-22",
            "--version", str(other["version"]))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["eurodac_source"] == "statement"
    assert "the officer's statement of the day only" in r.stderr


def test_the_states_page_records_the_transmission_as_the_registry_record_or_says_it_is_a_statement(
        api, de, client, auth_headers, services, web_client):
    de = web_client("de-caseworker")  # who writes the registry's records records the transmission
    person = _registered(client, auth_headers)
    linked = _refused_6_1_f(api, "DE-ER9", "2026-11-20")
    alone = _refused_6_1_f(api, "DE-ER10", "2026-11-20")
    page = de.get(STATE).text
    assert 'name="person_id"' in _row(page, "DE-ER9")
    # a person of another state is refused on the form, naming the field, with what was typed kept
    r = de.post(f"{STATE}/admissions/{linked['id']}", data={
        "version": linked["version"], "eurodac_transmitted_on": "2026-11-22", "person_id": "per_nobody"})
    assert r.status_code == 422 and "is not a person registered in DE" in r.text and "per_nobody" in r.text
    r = de.post(f"{STATE}/admissions/{linked['id']}", data={
        "version": linked["version"], "eurodac_transmitted_on": "2026-11-22", "person_id": person["person_id"]},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    r = de.post(f"{STATE}/admissions/{alone['id']}", data={
        "version": alone["version"], "eurodac_transmitted_on": "2026-11-22", "person_id": ""}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = de.get(STATE).text
    (rec,) = _union_records(services, person["person_id"])
    row = _row(page, "DE-ER9")
    assert "the registry&#39;s Eurodac record" in row or "the registry's Eurodac record" in row
    assert f'href="/registry/persons/{person["person_id"]}">{rec.id}</a>' in row
    assert "other states&#39; comparisons reach it" in row or "other states' comparisons reach it" in row
    assert "not registered on the platform" in _row(page, "DE-ER10")


def test_the_persons_registry_page_shows_the_union_resettlement_record(api, pledged, client, auth_headers,
                                                                         web_client, services):
    person = _registered(client, auth_headers)
    case = _refused_6_1_f(api, "DE-ER11", "2026-11-20")
    r = api("PATCH", "de-caseworker", f"{ADM}/{case['id']}", {
        "version": case["version"], "person_id": person["person_id"], "eurodac_transmitted_on": "2026-11-22"})
    assert r.status_code == 200, r.text
    (row,) = _union_records(services, person["person_id"])
    got = client.get(f"/api/v1/registry/persons/{person['person_id']}", headers=auth_headers("de-caseworker"))
    assert got.status_code == 200, got.text
    assert row.id in got.text and "union_resettlement" in got.text
    page = web_client("de-caseworker").get(f"/registry/persons/{person['person_id']}")
    assert page.status_code == 200
    assert "Category <strong>Union resettlement</strong>, kept until 2029-11-22" in page.text
