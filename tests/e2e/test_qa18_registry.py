"""Registration and screening as a QA walk of the demo world found them wanting (QA 18, W4):
arrivals the identity search did not find, retention run by hand and across every state, marks of
protection that stayed in one state, Canary Islands days read on Madrid's clock, 500s for old
encounters, outcomes the law does not allow, misspelled fields, blank names, EU citizens in
Eurodac, an Idempotency-Key reused for another arrival, unbounded free text."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.common.errors import Forbidden
from pactum.registry.model import RegisterArrival
from pactum.services import identity, registry
from pactum.services.auth import Principal, Role
from pactum.store.tables.identity import identity_links, identity_search_keys
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import eurodac_records, identity_records, persons

runner = CliRunner()

ARRIVAL: dict[str, Any] = {
    "identity": {"given_names": "Moussa", "surname": "Keita", "sex": "M", "date_of_birth": "1998-04-02",
                 "nationality": "MLI", "place_of_birth": "Kayes"},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-25T06:30:00Z", "kind": "in_territory_application",
                  "place": "Milan"},
    "biometrics": {"captured_at": "2026-11-25T09:00:00Z", "transmitted_at": "2026-11-25T10:00:00Z"},
}


def _arrival(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(ARRIVAL)
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = data
        for p in parents:
            node = node[p]
        node[last] = value
    return data


def _count(services, table) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _locs(r) -> list[str]:
    return [".".join(str(x) for x in e["loc"]) for e in r.json()["detail"]]


def _env(services, user: str | None = "it-caseworker") -> dict[str, str]:
    env = {"PACTUM_DATABASE_URL": services.settings.database_url}
    if user:
        env["PACTUM_CLI_USER"] = user
    return env


# ------------------------------------------------------------------ W4-1: the search key at registration


def test_an_arrival_registered_through_the_api_is_found_by_another_states_search_at_once(
        client, auth_headers, services):
    """No `pactum identity index` in between: the registration wrote the record's search key,
    the same key the identity area computes, with its Eurodac category (an applicant)."""
    r = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    record_id = r.json()["identity_record_id"]
    found = client.post("/api/v1/identity/search", headers=auth_headers("de-caseworker"), json={
        "given_names": "Moussa", "surname": "Keita", "date_of_birth": "1998-04-02", "nationality": "MLI"})
    assert found.status_code == 200, found.text
    assert record_id in [c["identity_record_id"] for c in found.json()["candidates"]]
    with services.engine.connect() as conn:
        written = dict(conn.execute(select(identity_search_keys).where(
            identity_search_keys.c.identity_record_id == record_id)).mappings().one())
    assert written["category"] == "applicant"
    with services.uow() as uow:  # what the identity area computes from the stored record
        identity.index_record(uow.conn, record_id)
        recomputed = dict(uow.conn.execute(select(identity_search_keys).where(
            identity_search_keys.c.identity_record_id == record_id)).mappings().one())
    assert written == recomputed


def test_a_record_without_eurodac_data_is_indexed_without_a_shared_category(client, auth_headers, services):
    child = _arrival(identity__date_of_birth="2024-01-01")  # under 6: no Eurodac data
    r = client.post("/api/v1/registry/arrivals", json=child, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201 and r.json()["eurodac"] is None
    with services.engine.connect() as conn:
        category = conn.execute(select(identity_search_keys.c.category).where(
            identity_search_keys.c.identity_record_id == r.json()["identity_record_id"])).one()[0]
    assert category is None


# ------------------------------------------------------------------ W4-3, W4-2: retention


def _past_retention(services, principal) -> dict[str, str]:
    """An Italian and a Greek irregular crossing of 15 January 2025, registered then: kept 18 months
    (Reg. 603/2013 Art 16(1)), until 15 July 2026, past on the clock's 28 November 2026."""
    now = services.clock.now()
    services.clock.set(datetime(2025, 1, 16, 9, 0, tzinfo=UTC))
    try:
        ids = {}
        for ms, user in (("IT", "it-caseworker"), ("EL", "el-caseworker")):
            data = _arrival(encounter__member_state=ms, encounter__kind="irregular_crossing",
                            encounter__occurred_at="2025-01-15T10:00:00Z",
                            biometrics__captured_at="2025-01-15T12:00:00Z",
                            biometrics__transmitted_at="2025-01-15T13:00:00Z")
            reg = registry.register_arrival(services, principal(user), RegisterArrival.model_validate(data))
            assert reg.eurodac is not None and reg.eurodac.retention_until == date(2026, 7, 15)
            ids[ms] = reg.eurodac.id
    finally:
        services.clock.set(now)
    return ids


def _erased(services) -> dict[str, bool]:
    with services.engine.connect() as conn:
        return {r.member_state: r.erased_at is not None
                for r in conn.execute(select(eurodac_records.c.member_state, eurodac_records.c.erased_at))}


def test_a_state_administrator_erases_only_their_own_states_eurodac_data(services, principal):
    _past_retention(services, principal)
    r = runner.invoke(app, ["retention", "apply", "--on", "2026-11-28"], env=_env(services, "it-admin"))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {"erased": 1}
    assert _erased(services) == {"IT": True, "EL": False}
    # the operator of the Central System (eu-LISA) erases every state's
    r = runner.invoke(app, ["retention", "apply", "--on", "2026-11-28"], env=_env(services, "eu-admin"))
    assert json.loads(r.stdout) == {"erased": 1}
    assert _erased(services) == {"IT": True, "EL": True}


def test_an_administrator_of_another_eu_body_erases_nothing(services, principal):
    _past_retention(services, principal)
    commission_admin = Principal("u-com", "com-admin", "COM", frozenset({Role.admin}))
    with pytest.raises(Forbidden):
        registry.apply_retention(services, commission_admin, on=date(2026, 11, 28))
    assert _erased(services) == {"IT": False, "EL": False}


def test_retention_runs_with_the_scheduled_jobs(services, principal):
    _past_retention(services, principal)
    listed = runner.invoke(app, ["jobs", "list"], env=_env(services, None))
    assert "registry.retention" in listed.stdout
    r = runner.invoke(app, ["jobs", "run", "--only", "registry.retention"], env=_env(services, None))
    assert r.exit_code == 0, r.output
    assert "registry.retention: 2 Eurodac records erased past their retention" in r.stdout
    assert _erased(services) == {"IT": True, "EL": True}
    with services.engine.connect() as conn:
        actors = set(conn.execute(select(audit_log.c.actor).where(audit_log.c.action == "eurodac.erased")).scalars())
    assert actors == {"system"}


# ------------------------------------------------------------------ W4-9: marks travel to other states


def _link(services, a: str, b: str, colour: str) -> None:
    with services.engine.begin() as conn:
        conn.execute(insert(identity_links).values(
            id=f"lnk_{colour}_{a[-6:]}", record_id=a, linked_record_id=b, colour=colour,
            status="automatic" if colour == "white" else "pending", verifying_authority="IT",
            match_probability=0.99, basis=[], created_at=services.clock.now(), version=1))


def test_granting_protection_marks_the_other_states_records_of_the_same_person(services, principal):
    """Italy protects a person Greece recorded at the border (a white link: the Eurodac hit) and
    Spain met inland (a yellow link, not verified): the Central System informs Greece, whose data
    are marked; Spain's are not (Eurodac Reg. 2024/1358 Art 31)."""
    el = registry.register_arrival(services, principal("el-caseworker"), RegisterArrival.model_validate(
        _arrival(encounter__member_state="EL", encounter__kind="irregular_crossing",
                 encounter__occurred_at="2026-10-02T06:00:00Z", biometrics__captured_at="2026-10-02T08:00:00Z",
                 biometrics__transmitted_at="2026-10-02T09:00:00Z")))
    es = registry.register_arrival(services, principal("es-caseworker"), RegisterArrival.model_validate(
        _arrival(encounter__member_state="ES", encounter__kind="illegal_stay")))
    it_officer = principal("it-caseworker")
    it = registry.register_arrival(services, it_officer, RegisterArrival.model_validate(ARRIVAL))
    _link(services, it.identity_record_id, el.identity_record_id, "white")
    _link(services, es.identity_record_id, it.identity_record_id, "yellow")
    with services.uow() as uow:
        registry.mark_protection_granted(uow, it_officer, person_id=it.person_id, granted_on=date(2026, 11, 27))
        uow.commit()
    with services.engine.connect() as conn:
        marked = {r.member_state: r.marked_at is not None for r in conn.execute(
            select(eurodac_records.c.member_state, eurodac_records.c.marked_at))}
        entry = conn.execute(select(audit_log).where(audit_log.c.action == "eurodac.marked",
                                                     audit_log.c.entity_id == el.eurodac.id)).mappings().one()
    assert marked == {"IT": True, "EL": True, "ES": False}
    assert entry["actor"] == "eurodac-central-system" and entry["authority"] == "EU-LISA"
    after = entry["after"] if isinstance(entry["after"], dict) else json.loads(entry["after"])
    assert after["protection_granted_by"] == "IT" and after["member_state"] == "EL"
    assert after["category"] == "irregular_crossing" and after["to_inform_within"] == "72 hours"
    assert any("Article 31" in ref for ref in after["legal_basis"])


# ------------------------------------------------------------------ W4-5: the Canary Islands' clock


def test_a_canary_islands_arrival_given_at_offset_zero_counts_on_the_islands_days(client, auth_headers, services):
    """23:30 on 29 November on the islands (UTC+0 in winter) is 00:30 on 30 November in Madrid:
    the arrival is of 29 November, the screening's 7 days end at 23:59:59 on 6 December there,
    the data are kept 5 years from their transmission on 30 November (Reg. (EU) 2024/1358 Art 29(6))."""
    services.clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    headers = auth_headers("es-caseworker")
    canary = _arrival(encounter__member_state="ES", encounter__kind="irregular_crossing",
                      encounter__occurred_at="2026-11-29T23:30:00+00:00", encounter__place="Arguineguín",
                      biometrics__captured_at="2026-11-29T23:50:00+00:00",
                      biometrics__transmitted_at="2026-11-30T02:00:00+00:00")
    r = client.post("/api/v1/registry/arrivals", json=canary, headers=headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["screening"]["deadline_at"] == "2026-12-06T23:59:59Z"
    assert body["eurodac"]["retention_until"] == "2031-11-30"
    with services.engine.connect() as conn:
        assert conn.execute(select(identity_records.c.recorded_on).where(
            identity_records.c.id == body["identity_record_id"])).scalar_one() == date(2026, 11, 29)
    # the same moment in UTC ("Z") is read on Madrid's clock: 30 November
    madrid = _arrival(encounter__member_state="ES", encounter__kind="irregular_crossing",
                      encounter__occurred_at="2026-11-29T23:30:00Z", biometrics__captured_at="2026-11-29T23:50:00Z",
                      biometrics__transmitted_at="2026-11-30T02:00:00Z")
    body = client.post("/api/v1/registry/arrivals", json=madrid, headers=headers).json()
    assert body["screening"]["deadline_at"] == "2026-12-07T22:59:59Z"
    assert body["eurodac"]["retention_until"] == "2031-11-30"
    # no Italian territory keeps UTC: "+00:00" in Italy is UTC, read on Rome's clock
    rome = _arrival(encounter__kind="irregular_crossing", encounter__occurred_at="2026-11-29T23:30:00+00:00",
                    biometrics__captured_at="2026-11-29T23:50:00+00:00",
                    biometrics__transmitted_at="2026-11-30T02:00:00+00:00")
    body = client.post("/api/v1/registry/arrivals", json=rome, headers=auth_headers("it-caseworker")).json()
    assert body["screening"]["deadline_at"] == "2026-12-07T22:59:59Z"


# ------------------------------------------------------------------ W4-6: old encounters


def test_an_encounter_before_eurodac_law_is_named_not_a_server_error(client, auth_headers, services, tmp_path,
                                                                     web_client):
    web = web_client("it-caseworker")
    headers = auth_headers("it-caseworker")
    before = (_count(services, persons), _count(services, audit_log))
    old = _arrival(encounter__occurred_at="2015-07-19T10:00:00Z", biometrics={})
    r = client.post("/api/v1/registry/arrivals", json=old, headers=headers)
    assert r.status_code == 422, r.text
    assert _locs(r) == ["body.encounter.occurred_at"] and "2015-07-20" in r.text
    f = tmp_path / "old.json"
    f.write_text(json.dumps(old))
    cli = runner.invoke(app, ["registry", "register", str(f)], env=_env(services))
    assert cli.exit_code == 2 and cli.stderr.count("\n") == 1 and "encounter.occurred_at" in cli.stderr
    page = web.post("/registry/register", data={
        "surname": "Keita", "nationality": "MLI", "kind": "irregular_crossing", "occurred_at": "2010-03-01T10:00"})
    assert page.status_code == 422 and "Encounter when: is before 2015-07-20" in page.text
    assert (_count(services, persons), _count(services, audit_log)) == before


def test_data_past_their_storage_period_are_not_registered(client, auth_headers, services):
    """An irregular crossing of January 2025 (Reg. 603/2013: kept 18 months from the taking of the
    fingerprints, until 15 July 2026) registered in November 2026: Eurodac would hold data it must
    already have erased."""
    headers = auth_headers("it-caseworker")
    old = _arrival(encounter__kind="irregular_crossing", encounter__occurred_at="2025-01-15T10:00:00Z",
                   biometrics__captured_at="2025-01-15T12:00:00Z", biometrics__transmitted_at="2025-01-15T13:00:00Z")
    before = _count(services, eurodac_records)
    r = client.post("/api/v1/registry/arrivals", json=old, headers=headers)
    assert r.status_code == 422, r.text
    assert _locs(r) == ["body.biometrics.captured_at"] and "2026-07-15" in r.text
    old["biometrics"] = {}
    r = client.post("/api/v1/registry/arrivals", json=old, headers=headers)
    assert r.status_code == 422 and _locs(r) == ["body.encounter.occurred_at"]
    assert _count(services, eurodac_records) == before


def test_the_storage_period_runs_from_the_day_the_biometric_data_were_taken(client, auth_headers):
    late = _arrival(encounter__kind="irregular_crossing", encounter__occurred_at="2026-11-20T10:00:00Z",
                    biometrics__captured_at="2026-11-22T10:00:00Z", biometrics__transmitted_at="2026-11-22T12:00:00Z")
    r = client.post("/api/v1/registry/arrivals", json=late, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    assert r.json()["eurodac"]["retention_until"] == "2031-11-22"  # 5 years from the capture (Art 29)


# ------------------------------------------------------------------ W4-7: outcomes the law does not allow


def _screening(client, headers, **changes: Any) -> str:
    data = _arrival(**{"encounter__kind": "irregular_crossing", **changes})
    r = client.post("/api/v1/registry/arrivals", json=data, headers=headers)
    assert r.status_code == 201, r.text
    return f"/api/v1/registry/screenings/{r.json()['screening']['id']}"


def test_relocation_is_for_applicants(client, auth_headers):
    h = auth_headers("it-caseworker")
    url = _screening(client, h)
    r = client.patch(url, headers=h, json={"version": 1, "applied_for_protection": False, "database_hit": False,
                                           "vulnerability": "none", "outcome": "relocation"})
    assert r.status_code == 422, r.text
    assert _locs(r) == ["body.outcome"] and "relocation" in r.text
    assert client.get(url, headers=h).json()["completed_at"] is None


def test_a_person_screened_inland_is_not_referred_to_the_border_procedure(client, auth_headers):
    h = auth_headers("it-caseworker")
    url = _screening(client, h, encounter__kind="illegal_stay")
    r = client.patch(url, headers=h, json={"version": 1, "applied_for_protection": True, "database_hit": False,
                                           "outcome": "border_procedure"})
    assert r.status_code == 422, r.text
    assert _locs(r) == ["body.outcome"] and "Article 43(1)" in r.text
    # referred to the asylum procedure instead
    r = client.patch(url, headers=h, json={"version": 1, "applied_for_protection": True, "database_hit": False,
                                           "outcome": "asylum"})
    assert r.status_code == 200, r.text
    # at the border the border procedure stands
    border = _screening(client, h, encounter__kind="sar_disembarkation")
    r = client.patch(border, headers=h, json={"version": 1, "applied_for_protection": True, "database_hit": False,
                                              "outcome": "border_procedure"})
    assert r.status_code == 200, r.text


def test_a_screening_completed_early_without_a_check_says_it_was_completed_early(client, auth_headers):
    """Completed on 28 November, its deadline 2 December: not "ended without", as if the deadline
    had forced the end."""
    h = auth_headers("it-caseworker")
    url = _screening(client, h)
    r = client.patch(url, headers=h, json={"version": 1, "applied_for_protection": True, "database_hit": False,
                                           "health_check": "fine", "cooperated": True, "outcome": "asylum"})
    assert r.status_code == 200, r.text
    assert r.json()["warnings"] == [
        "The screening was completed on 2026-11-28, 4 days before its deadline, without: (e) vulnerability check."]
    late = _screening(client, h, encounter__occurred_at="2026-11-16T06:30:00Z",
                      biometrics__captured_at="2026-11-16T08:00:00Z", biometrics__transmitted_at="2026-11-16T09:00:00Z")
    r = client.patch(late, headers=h, json={"version": 1, "applied_for_protection": True, "outcome": "asylum"})
    assert r.json()["warnings"][0].startswith("The screening ended at its deadline without: (d) preliminary")


# ------------------------------------------------------------------ W4-8: misspelled fields


def test_a_misspelled_field_is_named_not_ignored(client, auth_headers, services, tmp_path):
    h = auth_headers("it-caseworker")
    before = _count(services, persons)
    typo = _arrival()
    typo["held_over_72"] = True
    typo["identity"]["dob"] = "1998"
    r = client.post("/api/v1/registry/arrivals", json=typo, headers=h)
    assert r.status_code == 422, r.text
    assert set(_locs(r)) == {"body.held_over_72", "body.identity.dob"}
    assert _count(services, persons) == before
    url = _screening(client, h)
    r = client.patch(url, headers=h, json={"version": 1, "helth_check": "ok"})
    assert r.status_code == 422 and _locs(r) == ["body.helth_check"]
    f = tmp_path / "typo.json"
    f.write_text(json.dumps(typo))
    cli = runner.invoke(app, ["registry", "register", str(f)], env=_env(services))
    assert cli.exit_code == 2 and cli.stderr.count("\n") == 1 and "held_over_72" in cli.stderr
    form = tmp_path / "form.json"
    form.write_text(json.dumps({"version": 1, "helth_check": "ok"}))
    cli = runner.invoke(app, ["registry", "screening", url.rsplit("/", 1)[1], str(form)], env=_env(services))
    assert cli.exit_code == 2 and "helth_check" in cli.stderr


# ------------------------------------------------------------------ W4-11, W4-12: names and nationality


def test_names_of_blanks_or_without_a_letter_are_no_names(client, auth_headers, services, web_client):
    h = auth_headers("it-caseworker")
    before = _count(services, persons)
    blanks = _arrival(identity__given_names="   ", identity__surname=" ")
    r = client.post("/api/v1/registry/arrivals", json=blanks, headers=h)
    assert r.status_code == 422, r.text
    assert "a surname or given names are required" in r.text
    r = client.post("/api/v1/registry/arrivals", json=_arrival(identity__surname="+++"), headers=h)
    assert r.status_code == 422 and _locs(r) == ["body.identity.surname"] and "no letter" in r.text
    page = web_client("it-caseworker").post("/registry/register", data={
        "surname": "+++", "nationality": "MLI", "kind": "irregular_crossing", "occurred_at": "2026-11-26T04:10"})
    assert page.status_code == 422 and "Surname: has no letter" in page.text
    assert _count(services, persons) == before
    # blanks around a name are dropped, a blank given name is none; the summary reads well
    r = client.post("/api/v1/registry/arrivals", headers=h, json=_arrival(
        identity__given_names="  ", identity__surname="  Keita ", encounter__kind="irregular_crossing"))
    assert r.status_code == 201, r.text
    assert r.json()["screening"]["identity_summary"].startswith("Keita, born 1998-04-02")
    with services.engine.connect() as conn:
        row = conn.execute(select(identity_records.c.surname, identity_records.c.given_names).where(
            identity_records.c.id == r.json()["identity_record_id"])).one()
    assert tuple(row) == ("Keita", None)


@pytest.mark.parametrize("nationality", ["ITA", "DEU", "DE", "CHE", "NOR"])
def test_a_citizen_of_the_union_or_an_associated_state_is_not_registered(client, auth_headers, services,
                                                                         nationality):
    before = _count(services, persons)
    r = client.post("/api/v1/registry/arrivals", headers=auth_headers("it-caseworker"),
                    json=_arrival(identity__nationality=nationality, encounter__kind="illegal_stay"))
    assert r.status_code == 422, r.text
    assert _locs(r) == ["body.identity.nationality"] and "third-country nationals" in r.text
    assert _count(services, persons) == before


def test_a_stateless_person_is_registered(client, auth_headers):
    r = client.post("/api/v1/registry/arrivals", headers=auth_headers("it-caseworker"),
                    json=_arrival(identity__nationality="XXA"))
    assert r.status_code == 201, r.text


# ------------------------------------------------------------------ W4-14: an Idempotency-Key reused


def test_an_idempotency_key_sent_with_another_arrival_is_refused(client, auth_headers, services, tmp_path):
    h = {**auth_headers("it-caseworker"), "Idempotency-Key": "batch-7-row-1"}
    first = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=h)
    assert first.status_code == 201, first.text
    # the same arrival again (its keys in another order): the first answer, nothing written
    reordered = {k: ARRIVAL[k] for k in reversed(list(ARRIVAL))}
    again = client.post("/api/v1/registry/arrivals", json=reordered, headers=h)
    assert again.status_code == 201 and again.text == first.text
    count = _count(services, persons)
    other = _arrival(identity__surname="Traore", identity__given_names="Awa", identity__sex="F")
    r = client.post("/api/v1/registry/arrivals", json=other, headers=h)
    assert r.status_code == 422, r.text
    assert _locs(r) == ["header.idempotency-key"] and "another arrival" in r.text
    assert _count(services, persons) == count
    # the CLI alike
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(ARRIVAL))
    b.write_text(json.dumps(other))
    assert runner.invoke(app, ["registry", "register", str(a), "--idempotency-key", "k"],
                         env=_env(services)).exit_code == 0
    cli = runner.invoke(app, ["registry", "register", str(b), "--idempotency-key", "k"], env=_env(services))
    assert cli.exit_code == 2 and cli.stderr.count("\n") == 1 and "idempotency-key" in cli.stderr


# ------------------------------------------------------------------ W4-15: free text and overdue screenings


def test_the_screenings_free_text_has_a_maximum(client, auth_headers):
    h = auth_headers("it-caseworker")
    url = _screening(client, h)
    for point in ("health_check", "vulnerability", "family_in_member_state"):
        r = client.patch(url, headers=h, json={"version": 1, point: "x" * 2001})
        assert r.status_code == 422 and _locs(r) == [f"body.{point}"], point
    assert client.patch(url, headers=h, json={"version": 1, "vulnerability": "x" * 2000}).status_code == 200


def test_an_overdue_screening_says_its_deadline_passed(client, auth_headers, web_client):
    h = auth_headers("it-caseworker")
    late = _screening(client, h, encounter__occurred_at="2026-11-16T06:30:00Z",
                      biometrics__captured_at="2026-11-16T08:00:00Z", biometrics__transmitted_at="2026-11-16T09:00:00Z")
    page = web_client("it-caseworker").get(late.removeprefix("/api/v1")).text
    outcome = page.split("<dt>Outcome</dt>", 1)[1].split("</dd>", 1)[0]
    assert "deadline passed" in outcome and "2026-11-23 23:59 Europe/Rome" in outcome
    open_one = _screening(client, h)
    outcome = web_client("it-caseworker").get(open_one.removeprefix("/api/v1")).text.split(
        "<dt>Outcome</dt>", 1)[1].split("</dd>", 1)[0]
    assert "deadline passed" not in outcome and "open" in outcome


# ------------------------------------------------------------------ the same on the server's event loop (PostgreSQL)


@pytest.mark.postgres
def test_on_the_event_loop_a_reused_key_is_refused_and_the_record_is_indexed(pg_services):
    import asyncio

    from pactum.common.errors import ValidationProblem
    from pactum.services.uow import AsyncStore
    from tests.conftest import principal_of

    officer = principal_of(pg_services, "it-caseworker")
    first, other = RegisterArrival.model_validate(ARRIVAL), RegisterArrival.model_validate(
        _arrival(identity__surname="Traore"))

    async def run() -> tuple[str, str]:
        store = AsyncStore(pg_services.engine, size=2)
        try:
            answer = await registry.register_arrival_json_async(pg_services, store, officer, first, "k-1")
            again = await registry.register_arrival_json_async(pg_services, store, officer, first, "k-1")
            with pytest.raises(ValidationProblem) as refused:
                await registry.register_arrival_json_async(pg_services, store, officer, other, "k-1")
            assert refused.value.problems[0][0] == "idempotency-key"
        finally:
            await store.close()
        return answer, again

    answer, again = asyncio.run(run())
    assert answer == again
    assert _count(pg_services, persons) == 1
    with pg_services.engine.connect() as conn:
        category = conn.execute(select(identity_search_keys.c.category).where(
            identity_search_keys.c.identity_record_id == json.loads(answer)["identity_record_id"])).scalar_one()
    assert category == "applicant"
