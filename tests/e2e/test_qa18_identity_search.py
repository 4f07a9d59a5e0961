"""QA walk W4-11 (identity part): the identity search answered a surname of blanks with 200 and no
candidates where the registry search refuses it (422), and ``{"surname": "Cisse"}`` with
``blocked_rows`` 0 and no word of why, although the store holds many Cisse records: a name alone is
compared only with records holding the same whole name, and the answer did not say so. Blanks are
now no text (422 naming the field, API and CLI), and the answer says why nothing was compared (the
blocking rules and the scores are unchanged)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.bootstrap import Services
from pactum.services.identity import index_missing

Headers = Callable[[str], dict[str, str]]
API = "/api/v1/identity/search"


@pytest.fixture
def cisse(client: TestClient, auth_headers: Headers, services: Services) -> None:
    """Three records of Cisse with given names, in Italy."""
    for given, born in (("Amadou", "1990-01-02"), ("Fatoumata", "1995-06-07"), ("Moussa", "2001-03-04")):
        r = client.post("/api/v1/registry/arrivals", headers=auth_headers("it-caseworker"), json={
            "identity": {"given_names": given, "surname": "Cisse", "sex": "M", "date_of_birth": born,
                         "nationality": "MLI"},
            "encounter": {"member_state": "IT", "occurred_at": "2026-11-20T06:30:00Z",
                          "kind": "irregular_crossing", "place": "x"}})
        assert r.status_code == 201, r.text
    with services.uow() as uow:
        index_missing(uow.conn)
        uow.commit()


@pytest.mark.parametrize("field", ["surname", "given_names", "document_number", "father_name"])
def test_a_field_of_blanks_is_refused_naming_it(client, auth_headers, field):
    body: dict[str, Any] = {"surname": "Cisse", field: "   "}
    r = client.post(API, headers=auth_headers("it-caseworker"), json=body)
    assert r.status_code == 422, r.text
    assert [d["loc"][-1] for d in r.json()["detail"]] == [field]
    assert "blank" in r.json()["detail"][0]["msg"]
    # the registry's search refuses the same
    assert client.get("/api/v1/registry/search", params={"name": "   "},
                      headers=auth_headers("it-caseworker")).status_code == 422


def test_a_name_with_blanks_around_it_is_searched_as_the_name(client, auth_headers, cisse):
    r = client.post(API, headers=auth_headers("it-caseworker"),
                    json={"surname": "  Cisse ", "given_names": " Amadou", "date_of_birth": "1990"})
    assert r.status_code == 200 and r.json()["blocked_rows"] >= 1, r.text


def test_a_surname_alone_says_why_no_record_was_compared(client, auth_headers, cisse):
    r = client.post(API, headers=auth_headers("it-caseworker"), json={"surname": "Cisse"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["blocked_rows"] == 0 and out["candidates"] == []
    assert "same whole name" in out["hint"] and "year of birth" in out["hint"] and "document number" in out["hint"]
    # with a year of birth the surname forms a block, and the Cisse born then is found
    found = client.post(API, headers=auth_headers("it-caseworker"), json={"surname": "Cisse", "date_of_birth": "1995"})
    assert found.json()["blocked_rows"] >= 1 and found.json()["hint"] is None
    assert any(c["record"]["given_names"] == "Fatoumata" for c in found.json()["candidates"])


def test_the_cli_refuses_blanks_and_gives_the_hint(services, cisse, tmp_path, monkeypatch):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "it-caseworker")
    runner = CliRunner()
    refused = runner.invoke(app, ["identity", "search", "-"], input=json.dumps({"surname": "   "}))
    assert refused.exit_code == 2, refused.output
    lines = [ln for ln in refused.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "surname" in lines[0]
    ok = runner.invoke(app, ["identity", "search", "-"], input=json.dumps({"surname": "Cisse"}))
    assert ok.exit_code == 0, ok.output
    assert "year of birth" in json.loads(ok.stdout)["hint"]
