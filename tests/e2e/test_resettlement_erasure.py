# ruff: noqa: F811 -- the area's `api`, `cli` and `pledged` fixtures are imported from its other test modules, and
# a test names a fixture by its parameter
"""A person referred recorded by mistake is erased by the state that recorded it, with its Eurodac
copy: the registry's ``union_resettlement`` record that is the case's transmission (Regulation (EU)
2024/1358, Art 40(3): «soltanto lo Stato membro d'origine ha il diritto di modificare i dati che ha
trasmesso all'Eurodac, rettificandoli o integrandoli, o cancellandoli»; Art 40(5), second
subparagraph; Art 43(4): data recorded unlawfully or inaccurate are erased by the state that
transmitted them, which confirms it in writing to the person). The registry's one way of erasing
Eurodac data (its retention's): marked erased, templates, capture and shared search key gone, the
templates out of the 1:N biometric index once committed, so another state's comparison no longer
finds it. A reason is required, the version read is the explicit statement, the page asks for a
confirmation tick; audited. Another state's users, and the state's administrator for a case with a
Eurodac record, are refused. Until 2026-12-02 Pactum had no erasure of a single record. The test
clock is 2026-11-28."""

from __future__ import annotations

import json

from sqlalchemy import select

from pactum.services.identity import biometric_index
from pactum.store.tables.identity import biometric_templates
from pactum.store.tables.platform import audit_log
from pactum.store.tables.resettlement import resettlement_admissions
from tests.e2e.test_identity_disclosure import arrival, candidates, register
from tests.e2e.test_resettlement_api import api  # noqa: F401
from tests.e2e.test_resettlement_cli import cli  # noqa: F401
from tests.e2e.test_resettlement_eurodac_fingerprints import _enrol, _transmitted, bio  # noqa: F401
from tests.e2e.test_resettlement_eurodac_registry import _registered, _union_records
from tests.e2e.test_resettlement_eurodac_transmission import _decided
from tests.e2e.test_resettlement_registration_api import pledged  # noqa: F401
from tests.e2e.test_resettlement_registration_web import STATE, _row

ADM = "/api/v1/resettlement/admissions"


def _audit(services, action: str) -> list[dict[str, object]]:
    with services.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            select(audit_log.c.actor, audit_log.c.entity_id, audit_log.c.before, audit_log.c.after)
            .where(audit_log.c.action == action).order_by(audit_log.c.seq))]


def _templates_of(services, record_id: str) -> list[int]:
    with services.engine.connect() as conn:
        return [int(k) for (k,) in conn.execute(select(biometric_templates.c.index_key).where(
            biometric_templates.c.identity_record_id == record_id))]


def _case_exists(services, admission_id: str) -> bool:
    with services.engine.connect() as conn:
        return conn.execute(select(resettlement_admissions.c.id).where(
            resettlement_admissions.c.id == admission_id)).first() is not None


def test_a_case_recorded_by_mistake_is_erased_with_its_eurodac_record_which_comparisons_no_longer_reach(
        api, pledged, client, auth_headers, services, bio):
    person = _registered(client, auth_headers)
    _enrol(client, auth_headers, "de-caseworker", person["identity_record_id"], bio.capture(1, 1))
    d = _transmitted(api, person["person_id"], "DE-X1")
    (row,) = _union_records(services, person["person_id"])
    keys = _templates_of(services, row.identity_record_id)
    assert keys and d["eurodac_record"]["id"] == row.id
    # Italy's fresh capture of the same man finds Germany's record by the fingerprints (Art 27(1)) ...
    it = register(client, auth_headers, "it-caseworker", arrival(
        "IT", "in_territory_application", "Youssef", "Nasser", "1988-02-14", nationality="IRQ", on="2026-11-27",
        place="Mosul"))
    _enrol(client, auth_headers, "it-caseworker", it["identity_record_id"], bio.capture(1, 2))
    found = {c["identity_record_id"] for c in candidates(client, auth_headers, "it-caseworker", it["identity_record_id"])}
    assert row.identity_record_id in found
    url = f"{ADM}/{d['id']}/erase"
    # refused: no reason (422 on reason), a stale version (409), the administrator (403: the caseworkers
    # write the registry's Eurodac records), another state's caseworker (404: not known to them)
    r = api("POST", "de-caseworker", url, {"version": d["version"], "reason": "  "})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "reason"], r.text
    r = api("POST", "de-caseworker", url, {"version": d["version"] - 1, "reason": "Another state's person"})
    assert r.status_code == 409, r.text
    r = api("POST", "de-admin", url, {"version": d["version"], "reason": "Another state's person"})
    assert r.status_code == 403 and "caseworker" in r.text, r.text
    r = api("POST", "it-caseworker", url, {"version": d["version"], "reason": "Another state's person"})
    assert r.status_code == 404, r.text
    assert _case_exists(services, d["id"]) and _union_records(services, person["person_id"])[0].erased_at is None
    # the state's caseworker erases the case and its Eurodac copy
    r = api("POST", "de-caseworker", url, {"version": d["version"], "reason": "Recorded under the wrong person"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["erased"], out["case_reference"], out["eurodac_record"]["id"]) == (True, "DE-X1", row.id)
    assert out["eurodac_record"]["templates_deleted"] == len(keys)
    assert any("Article 40(3), 40(5) and 43(4)" in b for b in out["legal_basis"])
    assert "confirms in writing to the person" in out["written_confirmation"]
    assert not _case_exists(services, d["id"])
    (gone,) = _union_records(services, person["person_id"])
    assert gone.erased_at is not None and _templates_of(services, row.identity_record_id) == []
    # the templates left the open 1:N index after the commit, and the comparison no longer reaches the record
    idx = biometric_index._INDEXES[services.engine.url.render_as_string(hide_password=True)]
    assert len(idx.index) == len(_all_keys(services))
    found = {c["identity_record_id"] for c in candidates(client, auth_headers, "it-caseworker", it["identity_record_id"])}
    assert row.identity_record_id not in found
    # audited: the case's erasure and the Eurodac record's, with the reason and the articles
    (case_entry,) = _audit(services, "resettlement.admission.erased")
    assert case_entry["entity_id"] == d["id"] and case_entry["after"]["reason"] == "Recorded under the wrong person"
    assert case_entry["after"]["eurodac_record_erased"] == row.id
    erasures = [e for e in _audit(services, "eurodac.erased") if e["entity_id"] == row.id]
    assert len(erasures) == 1 and erasures[0]["actor"] == "de-caseworker"
    assert erasures[0]["after"]["erased_in_error"] is True and erasures[0]["after"]["resettlement_admission_id"] == d["id"]
    # the plan no longer counts the person
    state = api("GET", "de-caseworker", "/api/v1/resettlement/states/DE").json()
    assert "DE-X1" not in [c["case_reference"] for c in state["cases"]]
    # erased already: 404
    assert api("POST", "de-caseworker", url, {"version": d["version"], "reason": "again"}).status_code == 404


def _all_keys(services) -> list[int]:
    with services.engine.connect() as conn:
        return [int(k) for (k,) in conn.execute(select(biometric_templates.c.index_key))]


def test_a_case_without_a_eurodac_record_is_erased_by_the_state_s_officers_and_frees_its_place(api, pledged,
                                                                                                  services):
    case = _decided(api, "DE-X2", decision="admitted", decided_on="2026-11-20")
    before = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()["progress"]["total"]["admitted"]
    r = api("POST", "de-admin", f"{ADM}/{case['id']}/erase", {"version": case["version"], "reason": "A duplicate"})
    assert r.status_code == 200, r.text
    assert r.json()["eurodac_record"] is None and r.json()["legal_basis"] == [
        "Regulation (EU) 2016/679, Article 5(1)(d): personal data that are inaccurate are erased or rectified "
        "without delay"]
    after = api("GET", "de-admin", "/api/v1/resettlement/states/DE").json()["progress"]["total"]["admitted"]
    assert after == before - 1


def test_the_cli_erases_a_case_and_refuses_in_one_line(api, pledged, cli, services):
    case = _decided(api, "DE-X3")
    res = cli("de-caseworker", "erase", case["id"], "--version", str(case["version"]), "--reason", " ")
    assert res.exit_code == 2 and "--reason" in res.output and "Traceback" not in res.output
    res = cli("it-caseworker", "erase", case["id"], "--version", str(case["version"]), "--reason", "Wrong state")
    assert res.exit_code == 2 and res.output.count("\n") == 1, res.output
    res = cli("de-caseworker", "erase", case["id"], "--version", str(case["version"]), "--reason", "Wrong state")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["erased"] is True and not _case_exists(services, case["id"])


def test_the_state_page_erases_a_case_after_a_confirmation_tick(api, pledged, web_client, services):
    case = _decided(api, "DE-X4")
    caseworker = web_client("de-caseworker")
    page = caseworker.get(STATE)
    row = _row(page.text, "DE-X4")
    assert "Erase the record (made by mistake)" in row and "cannot be undone" in row
    url = f"{STATE}/admissions/{case['id']}/erase"
    # no tick: refused next to the box, the reason typed kept
    r = caseworker.post(url, data={"version": str(case["version"]), "reason": "Recorded twice"})
    assert r.status_code == 422
    assert 'id="erase-confirm-error"' in r.text and "tick the box to confirm" in r.text
    assert 'value="Recorded twice"' in r.text and _case_exists(services, case["id"])
    # no reason: refused next to the field
    r = caseworker.post(url, data={"version": str(case["version"]), "confirm": "yes"})
    assert r.status_code == 422 and 'id="erase-reason-error"' in r.text
    r = caseworker.post(url, data={"version": str(case["version"]), "reason": "Recorded twice", "confirm": "yes"},
                        follow_redirects=True)
    assert r.status_code == 200, r.text
    assert "Record erased" in r.text and 'id="case-DE-X4"' not in r.text
    assert not _case_exists(services, case["id"])
