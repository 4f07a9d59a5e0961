# ruff: noqa: F811 -- the `bio`, `api` and `pledged` fixtures are imported from another test module, and a test names it by its parameter
"""A state erases one of its Eurodac records recorded in error, from the person's registry page,
through the API and on the command line: Regulation (EU) 2024/1358, Art 40(3) («Fatte salve le
cancellazioni effettuate a norma dell'articolo 29, soltanto lo Stato membro d'origine ha il diritto di
modificare i dati che ha trasmesso all'Eurodac, rettificandoli o integrandoli, o cancellandoli»), Art
40(5), second subparagraph (data recorded in breach of the Regulation: the state of origin «li modifica
o cancella senza indugio») and Art 43(4) (data «di fatto inesatti» or recorded «illecitamente» are
erased by the state that transmitted them, which «conferma per iscritto all'interessato»).

The registry's one way of erasing Eurodac data (its retention's, and the resettlement case's
erasure's): the record kept, marked erased; its templates, capture and shared search key gone, the
templates out of the 1:N biometric index once committed, so another state's fresh capture of the same
person no longer finds it. A reason is required (422), another state's record is not known (404), a
user who does not record the state's Eurodac data is refused (403), a record erased already is 409;
nothing is half-written; audited. Until 2026-12-02 the registry had no erasure of a single record of
its own (only the resettlement case's). The test clock is 2026-11-28."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.identity import biometric_index
from pactum.store.tables.identity import biometric_templates
from pactum.store.tables.platform import audit_log
from pactum.store.tables.registry import biometric_captures, eurodac_records
from tests.e2e.test_identity_disclosure import arrival, candidates, register
from tests.e2e.test_resettlement_api import api  # noqa: F401
from tests.e2e.test_resettlement_eurodac_fingerprints import _enrol, _transmitted, bio  # noqa: F401
from tests.e2e.test_resettlement_eurodac_registry import _registered, _union_records
from tests.e2e.test_resettlement_registration_api import pledged  # noqa: F401


def _record(services, identity_record_id: str) -> Any:
    with services.engine.connect() as conn:
        return conn.execute(select(eurodac_records).where(
            eurodac_records.c.identity_record_id == identity_record_id)).one()


def _templates(services, identity_record_id: str) -> list[int]:
    with services.engine.connect() as conn:
        return [int(k) for (k,) in conn.execute(select(biometric_templates.c.index_key).where(
            biometric_templates.c.identity_record_id == identity_record_id))]


def _captures(services, identity_record_id: str) -> int:
    with services.engine.connect() as conn:
        return len(conn.execute(select(biometric_captures.c.id).where(
            biometric_captures.c.identity_record_id == identity_record_id)).all())


def _erasures(services, record_id: str) -> list[dict[str, Any]]:
    with services.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            select(audit_log.c.actor, audit_log.c.after).where(
                audit_log.c.action == "eurodac.erased", audit_log.c.entity_id == record_id)
            .order_by(audit_log.c.seq))]


def _all_keys(services) -> list[int]:
    with services.engine.connect() as conn:
        return [int(k) for (k,) in conn.execute(select(biometric_templates.c.index_key))]


def _italian(client, auth_headers, bio, n: int = 1, surname: str = "Nasser") -> dict[str, Any]:
    """An irregular crosser registered by Italy on 27 November 2026, with his fingerprints."""
    reg = register(client, auth_headers, "it-caseworker", arrival(
        "IT", "irregular_crossing", "Youssef", surname, "1988-02-14", nationality="IRQ", on="2026-11-27",
        place="Mosul"))
    _enrol(client, auth_headers, "it-caseworker", reg["identity_record_id"], bio.capture(n, 1))
    return reg


def _api(client, auth_headers, user: str, record_id: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/registry/eurodac/{record_id}/erase", json=body, headers=auth_headers(user))


def test_the_api_erases_a_record_recorded_in_error_which_comparisons_no_longer_reach(client, auth_headers,
                                                                                      services, bio, web_client):
    it = _italian(client, auth_headers, bio)
    rid = it["identity_record_id"]
    row = _record(services, rid)
    keys = _templates(services, rid)
    assert keys and row.erased_at is None
    # Germany's fresh capture of the same man (an application) finds Italy's record by the fingerprints
    de = register(client, auth_headers, "de-caseworker", arrival(
        "DE", "in_territory_application", "Jusuf", "Nassir", "1988", nationality="IRQ", on="2026-11-28",
        place="Mosul"))
    _enrol(client, auth_headers, "de-caseworker", de["identity_record_id"], bio.capture(1, 2))
    assert rid in {c["identity_record_id"] for c in candidates(client, auth_headers, "de-caseworker",
                                                               de["identity_record_id"])}
    # refused, and nothing written: a blank reason (422 on reason), another state's caseworker (404: not
    # known to them), Italy's Dublin unit (403: the caseworkers record Italy's Eurodac data)
    r = _api(client, auth_headers, "it-caseworker", row.id, {"reason": "   "})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "reason"], r.text
    r = _api(client, auth_headers, "de-caseworker", row.id, {"reason": "Not ours"})
    assert r.status_code == 404, r.text
    r = _api(client, auth_headers, "it-dublin", row.id, {"reason": "Fingerprints of another man"})
    assert r.status_code == 403 and "caseworker" in r.text, r.text
    assert _api(client, auth_headers, "it-caseworker", "no-such-record", {"reason": "x"}).status_code == 404
    assert _record(services, rid).erased_at is None and _templates(services, rid) == keys
    assert _captures(services, rid) == 1 and _erasures(services, row.id) == []
    # Italy's caseworker erases it
    r = _api(client, auth_headers, "it-caseworker", row.id, {"reason": "Fingerprints of another man"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["id"], out["identity_record_id"], out["person_id"]) == (row.id, rid, it["person_id"])
    assert out["erased"] is True and out["templates_deleted"] == len(keys) and out["reason"] == \
        "Fingerprints of another man"
    assert out["legal_basis"] == ["Regulation (EU) 2024/1358, Article 40(3), 40(5) and 43(4): only the Member "
                                  "State of origin erases data it transmitted to Eurodac in error"]
    assert "confirms in writing to the person" in out["written_confirmation"] and "sends nothing" in \
        out["written_confirmation"]
    assert out["resettlement"] is None
    # kept, marked erased; templates and capture gone; the national identity record stays
    gone = _record(services, rid)
    assert gone.erased_at is not None and gone.identity_record_id == rid
    assert _templates(services, rid) == [] and _captures(services, rid) == 0
    person = client.get(f"/api/v1/registry/persons/{it['person_id']}", headers=auth_headers("it-caseworker")).json()
    (d,) = person["eurodac"]
    assert (d["erased_in_error"], d["erased_on"], d["erasure_reason"]) == (True, "2026-11-28",
                                                                          "Fingerprints of another man")
    assert [r["id"] for r in person["records"]] == [rid]
    # the templates left the open 1:N index after the commit: Germany's comparison no longer finds it
    idx = biometric_index._INDEXES[services.engine.url.render_as_string(hide_password=True)]
    assert len(idx.index) == len(_all_keys(services))
    assert rid not in {c["identity_record_id"] for c in candidates(client, auth_headers, "de-caseworker",
                                                                   de["identity_record_id"])}
    # the link Germany's comparison made before no longer shows Italy's data, and says why
    de_page = web_client("de-caseworker").get(f"/registry/persons/{de['person_id']}").text
    assert "Nasser" not in de_page and "or by the state that recorded them in error (Article 40(3))" in de_page
    # audited once, with the reason, the articles, the person and the channel
    (entry,) = _erasures(services, row.id)
    assert entry["actor"] == "it-caseworker" and entry["after"]["erased_in_error"] is True
    assert entry["after"]["reason"] == "Fingerprints of another man" and entry["after"]["channel"] == "api"
    assert entry["after"]["person_id"] == it["person_id"] and entry["after"]["templates_deleted"] == len(keys)
    # erased already: 409, nothing more written
    r = _api(client, auth_headers, "it-caseworker", row.id, {"reason": "again"})
    assert r.status_code == 409 and "was erased on 2026-11-28" in r.text, r.text
    assert len(_erasures(services, row.id)) == 1


def test_the_person_page_erases_a_record_after_a_confirmation_tick(client, auth_headers, services, web_client, bio):
    it = _italian(client, auth_headers, bio)
    rid, pid = it["identity_record_id"], it["person_id"]
    row = _record(services, rid)
    page_url = f"/registry/persons/{pid}"
    url = f"{page_url}/eurodac/{row.id}/erase"
    caseworker = web_client("it-caseworker")
    page = caseworker.get(page_url).text
    assert f'id="erase-{row.id}"' in page and "Erase (recorded in error)" in page and "cannot be undone" in page
    # the Dublin unit reads the page but does not erase: no form, and a form sent by hand is refused
    dublin = web_client("it-dublin")
    assert "Erase (recorded in error)" not in dublin.get(page_url).text
    assert dublin.post(url, data={"reason": "x", "confirm": "yes"}).status_code == 403
    # no tick: refused beside the box, the reason typed kept
    r = caseworker.post(url, data={"reason": "Recorded under the wrong person"})
    assert r.status_code == 422
    assert f'id="erase-{row.id}-confirm-error"' in r.text and "tick the box to confirm" in r.text
    assert 'value="Recorded under the wrong person"' in r.text and "Eurodac record not erased" in r.text
    # the summary first, the box marked and described by its message
    assert 'id="refused-erase"' in r.text and "Confirmation: tick the box" in r.text
    assert f'value="yes" aria-invalid="true" aria-describedby="erase-{row.id}-confirm-error"' in r.text
    # no reason: refused beside the field
    r = caseworker.post(url, data={"reason": " ", "confirm": "yes"})
    assert r.status_code == 422 and f'id="erase-{row.id}-reason-error"' in r.text
    # a record that is not this person's: not found
    other = _italian(client, auth_headers, bio, n=2, surname="Haddad")
    assert caseworker.post(f"/registry/persons/{other['person_id']}/eurodac/{row.id}/erase",
                           data={"reason": "x", "confirm": "yes"}).status_code == 404
    assert _record(services, rid).erased_at is None and _erasures(services, row.id) == []
    # erased: the page says when, that it was recorded in error, and offers no form for it any more
    r = caseworker.post(url, data={"reason": "Recorded under the wrong person", "confirm": "yes"},
                        follow_redirects=True)
    assert r.status_code == 200, r.text
    assert "erased on 2026-11-28 (recorded in error)" in r.text and 'id="eurodac-erased"' in r.text
    assert "confirms the erasure in writing to the person" in r.text
    assert f'id="erase-{row.id}"' not in r.text and _templates(services, rid) == []
    assert _erasures(services, row.id)[0]["after"]["channel"] == "web"
    # sent again (a page opened before): 409, said on the page
    r = caseworker.post(url, data={"reason": "Recorded under the wrong person", "confirm": "yes"})
    assert r.status_code == 409 and "was erased on 2026-11-28" in r.text


def test_the_cli_erases_a_record_and_refuses_in_one_line(client, auth_headers, services, bio):
    it = _italian(client, auth_headers, bio)
    row = _record(services, it["identity_record_id"])

    def cli(user: str, *args: str) -> Any:
        return CliRunner().invoke(app, ["registry", "erase-eurodac", *args], env={
            "PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": user})

    blank = cli("it-caseworker", row.id, "--reason", " ")
    assert blank.exit_code == 2 and blank.stderr.startswith("error: --reason: ") and \
        blank.stderr.count("\n") == 1, blank.stderr
    for user in ("de-caseworker", "it-dublin"):  # another state's (not found), a reader (not allowed)
        res = cli(user, row.id, "--reason", "Wrong person")
        assert res.exit_code == 2 and res.stderr.count("\n") == 1 and "Traceback" not in res.output, res.output
    assert _record(services, it["identity_record_id"]).erased_at is None
    ok = cli("it-caseworker", row.id, "--reason", "Wrong person")
    assert ok.exit_code == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert out["erased"] is True and out["id"] == row.id and out["templates_deleted"] == 1
    assert ok.stderr.startswith(f"Eurodac record {row.id} erased (recorded in error): 1 biometric template deleted")
    assert _erasures(services, row.id)[0]["after"]["channel"] == "cli"
    twice = cli("it-caseworker", row.id, "--reason", "Wrong person")
    assert twice.exit_code == 2 and twice.stderr.count("\n") == 1 and "was erased on" in twice.stderr


def test_a_resettlement_case_s_transmission_erased_in_error_is_read_by_the_case_as_erased(
        api, pledged, client, auth_headers, services, bio):
    """The registry erases a Union resettlement record that is a case's transmission (the data, such as
    another person's fingerprints, were recorded in error; the case was not): the case stays and reads
    its record as erased, as it reads one erased at the end of its storage period, and no correction of
    the case writes it again; the case itself recorded by mistake is then erased from the resettlement
    page without a Eurodac record left to erase."""
    person = _registered(client, auth_headers)
    _enrol(client, auth_headers, "de-caseworker", person["identity_record_id"], bio.capture(1, 1))
    case = _transmitted(api, person["person_id"], "DE-RE1")
    (row,) = _union_records(services, person["person_id"])
    assert case["eurodac_record"]["id"] == row.id and case["eurodac_record"]["erased"] is False
    r = _api(client, auth_headers, "de-caseworker", row.id, {"reason": "Fingerprints of another person"})
    assert r.status_code == 200, r.text
    assert r.json()["category"] == "union_resettlement" and "reads it as erased" in r.json()["resettlement"]
    state = api("GET", "de-caseworker", "/api/v1/resettlement/states/DE").json()
    (read,) = [c for c in state["cases"] if c["case_reference"] == "DE-RE1"]
    assert read["eurodac_record"]["id"] == row.id and read["eurodac_record"]["erased"] is True
    assert read["eurodac_source"] == "registry" and read["eurodac_transmitted_on"] == "2026-11-22"
    assert [x.id for x in _union_records(services, person["person_id"])] == [row.id]  # nothing written again
    erased = api("POST", "de-caseworker", f"/api/v1/resettlement/admissions/{case['id']}/erase",
                 {"version": read["version"], "reason": "Recorded by mistake"})
    assert erased.status_code == 200 and erased.json()["eurodac_record"] is None, erased.text
    assert len(_erasures(services, row.id)) == 1
