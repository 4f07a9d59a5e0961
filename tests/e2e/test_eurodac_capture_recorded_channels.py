"""An officer records the biometric capture of a registration made without a capture time (the
template's reference and when the data were taken) on the person's page, through the API and on the
command line, so that its transmission to Eurodac can then be recorded. Before, such a record showed
its 72-hour limit (Reg. (EU) 2024/1358 Arts 15(1)(a), 22(2), 23(2), 24(2)) but the transmission step
needs a capture time and nothing could record one. The capture is refused in the future or before the
encounter; the limit still runs from the encounter. The store's clock: 28 November 2026, 12:00 UTC."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services

Headers = Callable[[str], dict[str, str]]
Login = Callable[[str], TestClient]

#: A man apprehended crossing irregularly near Trieste on Thursday 26 November 2026 at 10:00 UTC,
#: registered with a template reference only: the registration does not say when his data were taken.
ARRIVAL = {"identity": {"given_names": "Karim", "surname": "Haddad", "sex": "M", "date_of_birth": "1990-05-01",
                        "nationality": "SYR"},
           "encounter": {"member_state": "IT", "occurred_at": "2026-11-26T10:00:00Z", "kind": "irregular_crossing",
                         "place": "Trieste"},
           "biometrics": {"template_ref": "tpl-karim"}}


def _register(client: TestClient, auth_headers: Headers) -> dict[str, Any]:
    r = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    return r.json()


def _person(client: TestClient, auth_headers: Headers, person_id: str) -> dict[str, Any]:
    r = client.get(f"/api/v1/registry/persons/{person_id}", headers=auth_headers("it-caseworker"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_the_api_records_the_capture_then_the_transmission(client: TestClient, auth_headers: Headers) -> None:
    reg = _register(client, auth_headers)
    rid, pid = reg["identity_record_id"], reg["person_id"]
    assert reg["biometrics"]["transmission_deadline"].startswith("2026-11-29T11:00:00")  # 72 h from the encounter
    transmission = f"/api/v1/registry/records/{rid}/transmission"
    # without a capture the transmission cannot be recorded, and the answer says what to do first
    first = client.post(transmission, json={"transmitted_at": "2026-11-28T10:00:00Z"},
                        headers=auth_headers("it-caseworker"))
    assert first.status_code == 409 and "capture of the biometric data is not recorded: record it first" in first.text
    url = f"/api/v1/registry/records/{rid}/capture"
    # refused: in the future, before the encounter, not a moment, a blank template, a field it does not have
    for body, field in (({"template_ref": "tpl-karim", "captured_at": "2026-11-28T13:00:00Z"}, "captured_at"),
                        ({"template_ref": "tpl-karim", "captured_at": "2026-11-26T09:59:00Z"}, "captured_at"),
                        ({"template_ref": "tpl-karim", "captured_at": "Thursday"}, "captured_at"),
                        ({"template_ref": "  ", "captured_at": "2026-11-27T09:00:00Z"}, "template_ref"),
                        ({"captured_at": "2026-11-27T09:00:00Z"}, "template_ref"),
                        ({"template_ref": "t", "captured_at": "2026-11-27T09:00:00Z", "at": "x"}, "at")):
        r = client.post(url, json=body, headers=auth_headers("it-caseworker"))
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", field], (body, r.text)
    before = client.post(url, json={"template_ref": "tpl-karim", "captured_at": "2026-11-26T09:59:00Z"},
                         headers=auth_headers("it-caseworker"))
    assert "is before the encounter (2026-11-26T10:00:00+00:00)" in before.json()["detail"][0]["msg"]
    good = {"template_ref": "tpl-karim-2", "captured_at": "2026-11-27T09:00:00Z"}
    assert client.post(url, json=good, headers=auth_headers("el-caseworker")).status_code == 404
    assert client.post(url, json=good, headers=auth_headers("it-analyst")).status_code == 403
    person = _person(client, auth_headers, pid)
    [bio], [eurodac] = person["biometrics"], person["eurodac"]
    assert (bio["template_ref"], bio["captured_at"]) == ("tpl-karim", None)  # nothing written
    assert eurodac["retention_until"] == "2031-11-26"  # from the encounter's day while no capture time is known
    assert eurodac["retention_counted_from"].startswith("the day of the encounter, for now: no capture time")

    r = client.post(url, json=good, headers=auth_headers("it-caseworker"))
    assert r.status_code == 200, r.text
    done = r.json()
    # the limit does not move with the capture; the storage end is counted from the capture's day, for now
    assert done["transmission_deadline"].startswith("2026-11-29T11:00:00")
    assert (done["template_ref"], done["retention_until"]) == ("tpl-karim-2", "2031-11-27")
    assert done["legal_basis"][0] == "Regulation (EU) 2024/1358, Article 29(6)"
    person = _person(client, auth_headers, pid)
    [bio], [eurodac] = person["biometrics"], person["eurodac"]
    assert (bio["template_ref"], bio["captured_at"][:19], eurodac["retention_until"]) == (
        "tpl-karim-2", "2026-11-27T09:00:00", "2031-11-27")
    assert eurodac["retention_counted_from"].startswith("the day the biometric data were taken, for now")
    again = client.post(url, json=good, headers=auth_headers("it-caseworker"))
    assert again.status_code == 409 and "already recorded" in again.text

    # now the transmission can be recorded, within the 72 hours
    r = client.post(transmission, json={"transmitted_at": "2026-11-28T10:00:00Z"},
                    headers=auth_headers("it-caseworker"))
    assert r.status_code == 200, r.text
    assert (r.json()["transmission_met"], r.json()["retention_until"]) == (True, "2031-11-28")


def test_the_capture_is_audited(client: TestClient, auth_headers: Headers, services: Services) -> None:
    from sqlalchemy import select

    from pactum.store.tables.platform import audit_log

    reg = _register(client, auth_headers)
    r = client.post(f"/api/v1/registry/records/{reg['identity_record_id']}/capture",
                    json={"template_ref": "tpl-karim", "captured_at": "2026-11-27T09:00:00Z"},
                    headers=auth_headers("it-caseworker"))
    assert r.status_code == 200, r.text
    with services.engine.connect() as conn:
        rows = conn.execute(select(audit_log).where(audit_log.c.action == "eurodac.capture_recorded")).mappings().all()
    assert [row["entity_id"] for row in rows] == [r.json()["eurodac_id"]]


def test_the_command_line_records_the_capture(client: TestClient, auth_headers: Headers,
                                              services: Services) -> None:
    reg = _register(client, auth_headers)
    rid = reg["identity_record_id"]
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "it-caseworker"}
    bad = CliRunner().invoke(app, ["registry", "capture", rid, "--template-ref", "tpl-karim", "--at", "Thursday"],
                             env=env)
    assert bad.exit_code == 2 and bad.stderr.strip() == "error: --at: 'Thursday' is not a date and time " \
                                                        "(2026-11-27T12:00:00Z)"
    early = CliRunner().invoke(app, ["registry", "capture", rid, "--template-ref", "tpl-karim",
                                     "--at", "2026-11-25T10:00:00Z"], env=env)
    assert early.exit_code == 2 and early.stderr.count("\n") == 1
    assert early.stderr.startswith("error: --at: is before the encounter"), early.stderr
    blank = CliRunner().invoke(app, ["registry", "capture", rid, "--template-ref", " ", "--at",
                                     "2026-11-27T09:00:00Z"], env=env)
    assert blank.exit_code == 2 and blank.stderr.startswith("error: --template-ref: "), blank.stderr
    ok = CliRunner().invoke(app, ["registry", "capture", rid, "--template-ref", "tpl-karim",
                                  "--at", "2026-11-27T09:00:00Z"], env=env)
    assert ok.exit_code == 0, ok.stderr
    assert json.loads(ok.stdout)["retention_until"] == "2031-11-27"
    assert "transmit to Eurodac by 2026-11-29T11:00:00+00:00" in ok.stderr
    twice = CliRunner().invoke(app, ["registry", "capture", rid, "--template-ref", "tpl-karim",
                                     "--at", "2026-11-27T09:00:00Z"], env=env)
    assert twice.exit_code == 2 and twice.stderr.count("\n") == 1 and "already recorded" in twice.stderr
    sent = CliRunner().invoke(app, ["registry", "transmission", rid, "--at", "2026-11-28T10:00:00Z"], env=env)
    assert sent.exit_code == 0 and json.loads(sent.stdout)["transmission_met"] is True, sent.stderr


def test_the_person_page_records_the_capture_then_offers_the_transmission(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    reg = _register(client, auth_headers)
    rid, person = reg["identity_record_id"], reg["person_id"]
    officer = web_client("it-caseworker")
    page = officer.get(f"/registry/persons/{person}").text
    assert f'id="capture-{rid}"' in page and f'id="transmission-{rid}"' not in page
    assert f'id="capture-{rid}"' not in web_client("it-analyst").get(f"/registry/persons/{person}").text

    refused = officer.post(f"/registry/persons/{person}/capture",
                           data={"record_id": rid, "template_ref": "tpl-karim", "captured_at": "2026-11-26T09:00"},
                           follow_redirects=False)
    assert refused.status_code == 422
    field = re.search(r'<input type="datetime-local" name="captured_at"[^>]*>', refused.text)[0]  # type: ignore[index]
    assert 'value="2026-11-26T09:00"' in field and 'aria-invalid="true"' in field
    assert f'aria-describedby="capture-error-{rid}"' in field
    assert re.search(rf'<p class="error" id="capture-error-{rid}">is before the encounter', refused.text)
    future = officer.post(f"/registry/persons/{person}/capture",
                          data={"record_id": rid, "template_ref": "tpl-karim", "captured_at": "2026-11-28T12:30"},
                          follow_redirects=False)
    assert future.status_code == 422
    assert re.search(rf'<p class="error" id="capture-error-{rid}">is in the future', future.text)

    done = officer.post(f"/registry/persons/{person}/capture",
                        data={"record_id": rid, "template_ref": "tpl-karim", "captured_at": "2026-11-27T09:00"},
                        follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/registry/persons/{person}?captured={rid}"
    page = officer.get(done.headers["location"]).text
    assert f"Capture recorded for record {rid}: template tpl-karim" in page
    assert f'id="capture-{rid}"' not in page and f'id="transmission-{rid}"' in page  # the next step offered
    twice = officer.post(f"/registry/persons/{person}/capture",
                         data={"record_id": rid, "template_ref": "tpl-karim", "captured_at": "2026-11-27T09:00"},
                         follow_redirects=False)
    assert twice.status_code == 409 and "already recorded" in twice.text
