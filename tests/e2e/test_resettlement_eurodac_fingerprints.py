# ruff: noqa: F811 -- the area's `api`, `cli` and `pledged` fixtures are imported from its other test modules, and
# a test names a fixture by its parameter
"""The registry's ``union_resettlement`` record a transmission to Eurodac writes (Regulation (EU)
2024/1350, Art 9(24); Regulation (EU) 2024/1358, Art 18(2)):

* it carries the person's biometric data (Art 18(2): the biometric data are what is transmitted), so
  that another state's comparison of a capture of the same person finds it by fingerprints, whatever
  the name given (Art 27(1));
* a correction of the day by the state that transmitted rectifies the record (Art 40(3): only the
  state of origin amends the data it transmitted), its retention counted again (Art 29(4));
* it is written, and corrected, only by those who write the state's registry records (its
  caseworkers): the administrator and solidarity coordinator who record the rest of the case get a
  403 saying so, on the API, the CLI and the state's page.

The test clock is 2026-11-28."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from pactum.identity.biometrics import SyntheticBiometrics
from pactum.identity.links import BIOMETRIC_MATCH
from pactum.services.identity import biometric_index
from pactum.store.tables.identity import biometric_templates
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import eurodac_records, identity_records
from tests.e2e.test_identity_disclosure import arrival, candidates, register
from tests.e2e.test_resettlement_api import api  # noqa: F401
from tests.e2e.test_resettlement_cli import cli  # noqa: F401
from tests.e2e.test_resettlement_eurodac_registry import _registered, _union_records
from tests.e2e.test_resettlement_eurodac_transmission import _decided, _refused_6_1_f
from tests.e2e.test_resettlement_registration_api import pledged  # noqa: F401
from tests.e2e.test_resettlement_registration_web import STATE, _row

ADM = "/api/v1/resettlement/admissions"


@pytest.fixture
def bio():
    """Synthetic fingerprints; the store's 1:N index is opened afresh for the test's store."""
    biometric_index._INDEXES.clear()
    yield SyntheticBiometrics(seed=18)
    biometric_index._INDEXES.clear()


def _enrol(client, auth_headers, user: str, record_id: str, vector) -> None:
    r = client.post(
        "/api/v1/identity/templates",
        headers=auth_headers(user),
        json={"identity_record_id": record_id, "vector": [float(x) for x in vector]},
    )
    assert r.status_code == 201, r.text


def _templates(services, record_id: str) -> list[bytes]:
    with services.engine.connect() as conn:
        return [
            bytes(v)
            for (v,) in conn.execute(
                select(biometric_templates.c.vector).where(
                    biometric_templates.c.identity_record_id == record_id
                )
            )
        ]


def _transmitted(api, person_id: str, ref: str, on: str = "2026-11-22") -> dict[str, object]:
    case = _refused_6_1_f(api, ref, "2026-11-20")
    r = api(
        "PATCH",
        "de-caseworker",
        f"{ADM}/{case['id']}",
        {"version": case["version"], "person_id": person_id, "eurodac_transmitted_on": on},
    )
    assert r.status_code == 200, r.text
    return r.json()


# ------------------------------------------------------------------ 1. the biometric data go with the record


def test_another_states_comparison_finds_the_union_resettlement_record_by_a_fresh_capture_of_the_person(
    api, pledged, client, auth_headers, services, bio, web_client
):
    person = _registered(client, auth_headers)
    _enrol(client, auth_headers, "de-caseworker", person["identity_record_id"], bio.capture(1, 1))
    d = _transmitted(api, person["person_id"], "DE-FP1")
    (row,) = _union_records(services, person["person_id"])
    # Italy registers an applicant under another name and date of birth, and takes a fresh (noisy)
    # capture of the same man: its Eurodac comparison (Art 27(1)) finds Germany's union_resettlement
    # record by the fingerprints alone
    it = register(
        client,
        auth_headers,
        "it-caseworker",
        arrival(
            "IT",
            "in_territory_application",
            "Youssef",
            "Nasser",
            "1988-02-14",
            nationality="IRQ",
            on="2026-11-27",
            place="Mosul",
        ),
    )
    _enrol(client, auth_headers, "it-caseworker", it["identity_record_id"], bio.capture(1, 2))
    found = {
        c["identity_record_id"]: c
        for c in candidates(client, auth_headers, "it-caseworker", it["identity_record_id"])
    }
    assert row.identity_record_id in found, (
        "Germany's union_resettlement record is not found by the fingerprints"
    )
    hit = found[row.identity_record_id]
    assert hit["member_state"] == "DE" and hit["eurodac"]["category"] == "union_resettlement"
    assert hit["biometric_score"] >= BIOMETRIC_MATCH
    # the record holds the person's template as Germany enrolled it (Reg. 2024/1358 Art 18(2))
    assert d["eurodac_record"]["biometric_templates"] == 1
    assert _templates(services, row.identity_record_id) == _templates(services, person["identity_record_id"])
    # another man's capture does not find it
    other = register(
        client,
        auth_headers,
        "it-caseworker",
        arrival(
            "IT",
            "in_territory_application",
            "Karim",
            "Saleh",
            "1991-03-03",
            nationality="IRQ",
            on="2026-11-27",
            place="Basra",
        ),
    )
    _enrol(client, auth_headers, "it-caseworker", other["identity_record_id"], bio.capture(2, 2))
    assert row.identity_record_id not in {
        c["identity_record_id"]
        for c in candidates(client, auth_headers, "it-caseworker", other["identity_record_id"])
    }
    # the audit entry and the state's page say the biometric data went with the record
    with services.engine.connect() as conn:
        (entry,) = conn.execute(
            select(audit_log).where(audit_log.c.action == "eurodac.recorded", audit_log.c.entity_id == row.id)
        ).all()
    assert entry.after["biometric_templates"] == 1
    page = web_client("de-caseworker").get(STATE).text
    assert "by name and by fingerprints" in _row(page, "DE-FP1")


def test_a_person_the_registry_holds_no_template_of_gets_a_record_found_by_name_only_and_the_page_says_so(
    api, pledged, client, auth_headers, services, bio, web_client
):
    person = _registered(client, auth_headers)
    d = _transmitted(api, person["person_id"], "DE-FP2")
    (row,) = _union_records(services, person["person_id"])
    assert (
        d["eurodac_record"]["biometric_templates"] == 0 and _templates(services, row.identity_record_id) == []
    )
    assert "by name only" in _row(web_client("de-caseworker").get(STATE).text, "DE-FP2")


# ------------------------------------------------------------------ 2. a corrected day rectifies the record


def test_a_corrected_day_rectifies_the_registry_record_and_counts_its_retention_again(
    api, pledged, client, auth_headers, services
):
    person = _registered(client, auth_headers)
    d = _transmitted(api, person["person_id"], "DE-FP3", on="2026-11-23")
    (before,) = _union_records(services, person["person_id"])
    assert (str(before.recorded_on), str(before.retention_until)) == ("2026-11-23", "2029-11-23")
    r = api(
        "POST",
        "de-caseworker",
        f"{ADM}/{d['id']}/correct",
        {
            "version": d["version"],
            "eurodac_transmitted_on": "2026-11-21",
            "reason": "the Eurodac log shows the 21st",
        },
    )
    assert r.status_code == 200, r.text
    c = r.json()
    # the same record, moved: its day, the moment of its registration and its three years from the
    # transmission (Art 29(4)); no second record written
    (after,) = _union_records(services, person["person_id"])
    assert after.id == before.id
    assert (str(after.recorded_on), str(after.retention_until)) == ("2026-11-21", "2029-11-21")
    assert str(after.registered_at)[:10] <= "2026-11-21"
    assert (
        c["eurodac_record"]["id"],
        c["eurodac_record"]["transmitted_on"],
        c["eurodac_record"]["kept_until"],
    ) == (before.id, "2026-11-21", "2029-11-21")
    assert (c["eurodac"]["status"], c["eurodac"]["kept_until"]) == ("transmitted_in_time", "2029-11-21")
    with services.engine.connect() as conn:
        (entry,) = conn.execute(
            select(audit_log).where(
                audit_log.c.action == "eurodac.rectified", audit_log.c.entity_id == before.id
            )
        ).all()
        version = conn.execute(
            select(identity_records.c.version).where(identity_records.c.id == before.identity_record_id)
        ).scalar_one()
    assert entry.actor == "de-caseworker" and version == 2
    assert (entry.before["transmitted_on"], entry.before["retention_until"]) == ("2026-11-23", "2029-11-23")
    assert (entry.after["transmitted_on"], entry.after["retention_until"]) == ("2026-11-21", "2029-11-21")
    assert entry.after["reason"] == "the Eurodac log shows the 21st"
    assert "Regulation (EU) 2024/1358, Article 40(3)" in entry.after["legal_basis"]
    # a correction of another field leaves the record where it is
    r = api(
        "POST",
        "de-caseworker",
        f"{ADM}/{d['id']}/correct",
        {"version": c["version"], "registered_on": "2026-07-11", "reason": "registered a day later"},
    )
    assert r.status_code == 200, r.text
    (still,) = _union_records(services, person["person_id"])
    assert (str(still.recorded_on), str(still.retention_until)) == ("2026-11-21", "2029-11-21")


def test_a_corrected_day_past_the_retention_is_erased_by_the_registrys_retention_run(
    api, pledged, client, auth_headers, services
):
    """The retention counted again is the registry's: its run erases the record on the new day."""
    from pactum.services import registry
    from pactum.services.auth import SYSTEM

    person = _registered(client, auth_headers)
    d = _transmitted(api, person["person_id"], "DE-FP4", on="2026-11-22")
    r = api(
        "POST",
        "de-caseworker",
        f"{ADM}/{d['id']}/correct",
        {
            "version": d["version"],
            "eurodac_transmitted_on": "2026-11-20",
            "reason": "sent on the decision's day",
        },
    )
    assert r.status_code == 200, r.text
    record_id = r.json()["eurodac_record"]["id"]

    def erased() -> bool:
        with services.engine.connect() as conn:
            return (
                conn.execute(
                    select(eurodac_records.c.erased_at).where(eurodac_records.c.id == record_id)
                ).scalar_one()
                is not None
            )

    # three years from the corrected day (Art 29(4)): kept on 20 November 2029, erased from the 21st,
    # a day before the day the first record would have given
    services.clock.set(datetime(2029, 11, 21, 12, tzinfo=UTC))
    registry.apply_retention(services, SYSTEM, on=date(2029, 11, 20))
    assert not erased()
    registry.apply_retention(services, SYSTEM, on=date(2029, 11, 21))
    assert erased()


def test_a_corrected_decision_counts_the_records_storage_period_again_from_the_same_day(
    api, pledged, client, auth_headers, services
):
    """A status granted (five years, Art 29(3)) corrected to a refusal under Art 6(1)(f) (three years,
    Art 29(4)): the record stays on its day, its retention follows the decision as it now stands."""
    person = _registered(client, auth_headers)
    case = _decided(api, "DE-FP11", decision="admitted", decided_on="2026-11-18")
    r = api(
        "PATCH",
        "de-caseworker",
        f"{ADM}/{case['id']}",
        {
            "version": case["version"],
            "status_granted": "refugee_status",
            "status_decided_on": "2026-11-20",
            "person_id": person["person_id"],
            "eurodac_transmitted_on": "2026-11-22",
        },
    )
    assert r.status_code == 200, r.text
    (before,) = _union_records(services, person["person_id"])
    assert str(before.retention_until) == "2031-11-22"
    r = api(
        "POST",
        "de-caseworker",
        f"{ADM}/{case['id']}/correct",
        {
            "version": r.json()["version"],
            "decision": "refused",
            "decided_on": "2026-11-20",
            "refusal_ground": "refused_by_a_member_state",
            "status_granted": None,
            "status_decided_on": None,
            "reason": "the decision was a refusal: the person had been refused by Italy under Article 6(1)(c)",
        },
    )
    assert r.status_code == 200, r.text
    (after,) = _union_records(services, person["person_id"])
    assert (after.id, str(after.recorded_on), str(after.retention_until)) == (
        before.id,
        "2026-11-22",
        "2029-11-22",
    )
    assert after.registered_at == before.registered_at
    assert r.json()["eurodac_record"]["kept_until"] == r.json()["eurodac"]["kept_until"] == "2029-11-22"


# ------------------------------------------------------------------ 3. who writes the registry's record


def test_only_the_states_caseworkers_record_or_correct_the_transmission(
    api, pledged, client, auth_headers, services, cli
):
    person = _registered(client, auth_headers)
    case = _refused_6_1_f(api, "DE-FP5", "2026-11-20")
    # the administrator and solidarity coordinator names the person (no registry record written yet) ...
    r = api(
        "PATCH",
        "de-admin",
        f"{ADM}/{case['id']}",
        {"version": case["version"], "person_id": person["person_id"]},
    )
    assert r.status_code == 200, r.text
    case = r.json()
    # ... but does not transmit: 403 naming why, nothing written
    r = api(
        "PATCH",
        "de-admin",
        f"{ADM}/{case['id']}",
        {"version": case["version"], "eurodac_transmitted_on": "2026-11-22"},
    )
    assert r.status_code == 403, r.text
    assert (
        "caseworker" in r.text and "registry's Eurodac records" in r.text and "de-admin holds admin" in r.text
    )
    assert _union_records(services, person["person_id"]) == []
    r = api(
        "PATCH", "de-admin", f"{ADM}/{case['id']}", {"version": case["version"], "eurodac_under_six": True}
    )
    assert r.status_code == 403, r.text
    # the command line: one line, exit 2
    r = cli(
        "de-admin",
        "transmit-eurodac",
        str(case["id"]),
        "--transmitted-on",
        "2026-11-22",
        "--version",
        str(case["version"]),
    )
    assert r.exit_code == 2 and "caseworker" in r.output and len(r.output.strip().splitlines()) == 1
    # the caseworker transmits
    r = api(
        "PATCH",
        "de-caseworker",
        f"{ADM}/{case['id']}",
        {"version": case["version"], "eurodac_transmitted_on": "2026-11-22"},
    )
    assert r.status_code == 200, r.text
    case = r.json()
    # the administrator corrects another field, the transmission as it stands (as the page sends it) ...
    r = api(
        "POST",
        "de-admin",
        f"{ADM}/{case['id']}/correct",
        {
            "version": case["version"],
            "registered_on": "2026-07-11",
            "eurodac_transmitted_on": "2026-11-22",
            "reason": "registered a day later",
        },
    )
    assert r.status_code == 200, r.text
    case = r.json()
    # ... not the transmission's day
    r = api(
        "POST",
        "de-admin",
        f"{ADM}/{case['id']}/correct",
        {
            "version": case["version"],
            "eurodac_transmitted_on": "2026-11-21",
            "reason": "the log shows the 21st",
        },
    )
    assert r.status_code == 403 and "caseworker" in r.text
    (rec,) = _union_records(services, person["person_id"])
    assert str(rec.recorded_on) == "2026-11-22"


def test_naming_the_person_of_a_transmission_already_stated_writes_the_record_only_for_a_caseworker(
    api, pledged, client, auth_headers, services
):
    person = _registered(client, auth_headers)
    case = _refused_6_1_f(api, "DE-FP6", "2026-11-20")
    r = api(
        "PATCH",
        "de-caseworker",
        f"{ADM}/{case['id']}",
        {"version": case["version"], "eurodac_transmitted_on": "2026-11-22"},
    )
    assert r.status_code == 200 and r.json()["eurodac_source"] == "statement"
    case = r.json()
    # naming the person would write the registry's Eurodac record: the administrator is refused
    r = api(
        "PATCH",
        "de-admin",
        f"{ADM}/{case['id']}",
        {"version": case["version"], "person_id": person["person_id"]},
    )
    assert r.status_code == 403 and "caseworker" in r.text
    assert _union_records(services, person["person_id"]) == []
    r = api(
        "PATCH",
        "de-caseworker",
        f"{ADM}/{case['id']}",
        {"version": case["version"], "person_id": person["person_id"]},
    )
    assert r.status_code == 200 and r.json()["eurodac_source"] == "registry", r.text


def test_the_state_page_gives_the_administrator_no_transmission_fields_and_keeps_them_on_a_correction(
    api, pledged, client, auth_headers, services, web_client
):
    person = _registered(client, auth_headers)
    d = _transmitted(api, person["person_id"], "DE-FP7")
    admin = web_client("de-admin")
    row = _row(admin.get(STATE).text, "DE-FP7")
    assert 'name="eurodac_transmitted_on"' not in row and "corrected by DE" in row
    version = row.split('name="version" value="')[1].split('"')[0]
    assert version == str(d["version"])
    r = admin.post(
        f"{STATE}/admissions/{d['id']}/correct",
        data={
            "version": version,
            "registered_on": "2026-07-11",
            "decision": "refused",
            "decided_on": "2026-11-20",
            "refusal_ground": "refused_by_a_member_state",
            "reason": "registered a day later",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200, r.text
    row = _row(r.text, "DE-FP7")
    assert "<td>2026-07-11</td>" in row and "within the 72 hours" in row
    (rec,) = _union_records(services, person["person_id"])
    assert str(rec.recorded_on) == "2026-11-22"
    # a transmission posted to the state's address by the administrator anyway: 403 saying why
    other = _refused_6_1_f(api, "DE-FP8", "2026-11-20")
    r = admin.post(
        f"{STATE}/admissions/{other['id']}",
        data={
            "version": other["version"],
            "eurodac_transmitted_on": "2026-11-22",
            "person_id": person["person_id"],
        },
    )
    assert r.status_code == 403 and "who write the registry" in r.text
    # the caseworker's page has the fields
    assert 'name="eurodac_transmitted_on"' in _row(web_client("de-caseworker").get(STATE).text, "DE-FP7")


def test_the_cli_says_whether_the_record_carries_the_biometric_data(
    api, pledged, client, auth_headers, services, bio, cli
):
    with_print = _registered(client, auth_headers)
    _enrol(client, auth_headers, "de-caseworker", with_print["identity_record_id"], bio.capture(3, 1))
    case = _refused_6_1_f(api, "DE-FP9", "2026-11-20")
    r = cli(
        "de-caseworker",
        "transmit-eurodac",
        str(case["id"]),
        "--transmitted-on",
        "2026-11-22",
        "--person-id",
        str(with_print["person_id"]),
        "--version",
        str(case["version"]),
    )
    assert r.exit_code == 0, r.output
    assert (
        "with the person's biometric data (1 template)" in r.stderr
        and "by name and by fingerprints" in r.stderr
    )
    without = _registered(client, auth_headers, dob="1996-06-06")
    case = _refused_6_1_f(api, "DE-FP10", "2026-11-20")
    r = cli(
        "de-caseworker",
        "transmit-eurodac",
        str(case["id"]),
        "--transmitted-on",
        "2026-11-22",
        "--person-id",
        str(without["person_id"]),
        "--version",
        str(case["version"]),
    )
    assert r.exit_code == 0, r.output
    assert "no biometric template" in r.stderr and "by name only" in r.stderr


def test_the_union_resettlement_record_says_when_and_by_whom_the_biometric_data_were_taken(
    api, pledged, client, auth_headers, services, bio, web_client
):
    # Reg. 2024/1358 Art 19(1)(l), (n): the date the biometric data were taken and the operator; until
    # 2026-12-02 the copied template was dated the moment of the copy and the record named no operator
    person = _registered(client, auth_headers)
    _enrol(client, auth_headers, "de-caseworker", person["identity_record_id"], bio.capture(1, 1))
    with services.engine.connect() as conn:
        enrolled = conn.execute(
            select(biometric_templates.c.created_at).where(
                biometric_templates.c.identity_record_id == person["identity_record_id"]
            )
        ).scalar_one()
    d = _transmitted(api, person["person_id"], "DE-FP9")
    rec = d["eurodac_record"]
    assert datetime.fromisoformat(rec["biometrics_taken_at"]) == enrolled.replace(tzinfo=enrolled.tzinfo or UTC)
    with services.engine.connect() as conn:
        (entry,) = conn.execute(
            select(audit_log).where(audit_log.c.action == "eurodac.recorded", audit_log.c.entity_id == rec["id"])
        ).all()
    meta = entry.after["biometrics"]
    assert (meta["from_record"], meta["taken_by"]) == (person["identity_record_id"], "de-caseworker")
    assert meta["captured_at"].startswith("2026-11-01T09:00:00")  # the registration's capture
    # the state's page says when they were taken
    row = _row(web_client("de-caseworker").get(STATE).text, "DE-FP9")
    assert f"taken {enrolled.strftime('%Y-%m-%d %H:%M')} UTC" in row
