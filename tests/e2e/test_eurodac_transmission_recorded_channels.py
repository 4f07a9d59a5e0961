"""An officer records when a registration's biometric data were transmitted to Eurodac, where the
registration did not say, on the person's page, through the API and on the command line: the
storage period runs from the transmission (Reg. (EU) 2024/1358 Art 29), so the recorded end moves
from the capture's day to the transmission's. Before, the service existed with no way in: a
registration made without its transmission kept the capture's end for good. The store's clock: 28
November 2026."""

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

#: A man rescued at sea and disembarked in Lampedusa on Friday 20 November 2026, his biometric data
#: taken that morning; the registration does not say when they were transmitted.
ARRIVAL = {"identity": {"given_names": "Amir", "surname": "Nasser", "sex": "M", "date_of_birth": "1995-02-01",
                        "nationality": "SYR"},
           "encounter": {"member_state": "IT", "occurred_at": "2026-11-20T06:00:00Z", "kind": "sar_disembarkation",
                         "place": "Lampedusa"},
           "biometrics": {"captured_at": "2026-11-20T09:00:00Z"}}


def _register(client: TestClient, auth_headers: Headers) -> dict[str, Any]:
    r = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    return r.json()


def _kept_until(client: TestClient, auth_headers: Headers, person_id: str) -> str:
    person = client.get(f"/api/v1/registry/persons/{person_id}", headers=auth_headers("it-caseworker")).json()
    [eurodac] = person["eurodac"]
    return str(eurodac["retention_until"])


def test_the_api_records_the_transmission_and_moves_the_end(client: TestClient, auth_headers: Headers) -> None:
    reg = _register(client, auth_headers)
    url = f"/api/v1/registry/records/{reg['identity_record_id']}/transmission"
    assert _kept_until(client, auth_headers, reg["person_id"]) == "2031-11-20"  # from the capture, for now
    # refused: in the future, before the capture, not a moment, a field it does not have, another state
    for body, field in (({"transmitted_at": "2026-11-29T10:00:00Z"}, "transmitted_at"),
                        ({"transmitted_at": "2026-11-20T08:00:00Z"}, "transmitted_at"),
                        ({"transmitted_at": "Sunday"}, "transmitted_at"),
                        ({"transmitted_at": "2026-11-22T10:00:00Z", "at": "x"}, "at")):
        r = client.post(url, json=body, headers=auth_headers("it-caseworker"))
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", field], r.text
    assert client.post(url, json={"transmitted_at": "2026-11-22T10:00:00Z"},
                       headers=auth_headers("el-caseworker")).status_code == 404
    assert client.post(url, json={"transmitted_at": "2026-11-22T10:00:00Z"},
                       headers=auth_headers("it-analyst")).status_code == 403
    assert _kept_until(client, auth_headers, reg["person_id"]) == "2031-11-20"  # nothing written

    r = client.post(url, json={"transmitted_at": "2026-11-22T10:00:00Z"}, headers=auth_headers("it-caseworker"))
    assert r.status_code == 200, r.text
    done = r.json()
    assert (done["retention_until"], done["transmission_met"]) == ("2031-11-22", True)  # within the 72 hours
    assert done["legal_basis"][0] == "Regulation (EU) 2024/1358, Article 29(8)"
    assert _kept_until(client, auth_headers, reg["person_id"]) == "2031-11-22"
    again = client.post(url, json={"transmitted_at": "2026-11-23T10:00:00Z"}, headers=auth_headers("it-caseworker"))
    assert again.status_code == 409 and "already recorded" in again.text


def test_the_command_line_records_the_transmission(client: TestClient, auth_headers: Headers,
                                                    services: Services) -> None:
    reg = _register(client, auth_headers)
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "it-caseworker"}
    bad = CliRunner().invoke(app, ["registry", "transmission", reg["identity_record_id"], "--at", "Sunday"], env=env)
    assert bad.exit_code == 2 and bad.stderr.strip() == "error: --at: 'Sunday' is not a date and time " \
                                                        "(2026-11-22T10:00:00Z)"
    late = CliRunner().invoke(app, ["registry", "transmission", reg["identity_record_id"],
                                    "--at", "2026-11-24T10:00:00Z"], env=env)
    assert late.exit_code == 0, late.stderr
    # 72 hours from the disembarkation ended on 23 November: late, and kept 5 years from the 24th
    assert (json.loads(late.stdout)["retention_until"], json.loads(late.stdout)["transmission_met"]) == (
        "2031-11-24", False)
    assert "kept in Eurodac until 2031-11-24" in late.stderr
    twice = CliRunner().invoke(app, ["registry", "transmission", reg["identity_record_id"],
                                     "--at", "2026-11-24T10:00:00Z"], env=env)
    assert twice.exit_code == 2 and twice.stderr.count("\n") == 1 and "already recorded" in twice.stderr


def test_the_person_page_records_the_transmission_and_says_the_new_end(
        client: TestClient, auth_headers: Headers, web_client: Login) -> None:
    reg = _register(client, auth_headers)
    rid, person = reg["identity_record_id"], reg["person_id"]
    officer = web_client("it-caseworker")
    page = officer.get(f"/registry/persons/{person}").text
    assert f'id="transmission-{rid}"' in page
    assert "Counted from the day the biometric data were taken, for now" in page
    # an analyst reads the page and is not offered the form
    assert f'id="transmission-{rid}"' not in web_client("it-analyst").get(f"/registry/persons/{person}").text

    refused = officer.post(f"/registry/persons/{person}/transmission",
                           data={"record_id": rid, "transmitted_at": "2026-11-19T10:00"}, follow_redirects=False)
    assert refused.status_code == 422
    field = re.search(r'<input type="datetime-local" name="transmitted_at"[^>]*>', refused.text)[0]  # type: ignore[index]
    assert 'value="2026-11-19T10:00"' in field and 'aria-invalid="true"' in field
    assert f'aria-describedby="transmission-error-{rid}"' in field
    assert re.search(rf'<p class="error" id="transmission-error-{rid}">is before the capture', refused.text)

    done = officer.post(f"/registry/persons/{person}/transmission",
                        data={"record_id": rid, "transmitted_at": "2026-11-21T18:30"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/registry/persons/{person}?transmitted={rid}"
    page = officer.get(done.headers["location"]).text
    assert f"Transmission recorded: the data of record {rid} are kept in Eurodac until 2031-11-21." in page
    assert "Counted from the day the biometric data were transmitted." in page
    assert f'id="transmission-{rid}"' not in page  # recorded: no form any more
    twice = officer.post(f"/registry/persons/{person}/transmission",
                         data={"record_id": rid, "transmitted_at": "2026-11-21T18:30"}, follow_redirects=False)
    assert twice.status_code == 409 and "already recorded" in twice.text
