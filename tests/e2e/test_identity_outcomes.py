"""The model's record on officers' decisions: verified yellow links by the probability the model
gave them, through the API, the CLI and the model page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import identity

API = "/api/v1/identity"
runner = CliRunner()


def _arrival(ms: str, given: str, surname: str, dob: str) -> dict[str, Any]:
    return {"identity": {"given_names": given, "surname": surname, "sex": "M", "date_of_birth": dob,
                         "nationality": "SYR", "place_of_birth": "Aleppo"},
            "encounter": {"member_state": ms, "occurred_at": "2026-11-20T06:30:00Z",
                          "kind": "in_territory_application" if ms == "DE" else "sar_disembarkation",
                          "place": "border"},
            "biometrics": {"captured_at": "2026-11-20T09:00:00Z", "transmitted_at": "2026-11-20T10:00:00Z"}}


def _register(client, auth_headers, user: str, payload: dict[str, Any]) -> str:
    r = client.post("/api/v1/registry/arrivals", json=payload, headers=auth_headers(user))
    assert r.status_code == 201, r.text
    return str(r.json()["identity_record_id"])


@pytest.fixture
def decided(client, auth_headers, services) -> dict[str, Any]:
    """Two German applicant records; two Italian registrations each searched: Italy's Dublin
    unit verifies one link as the same person and the other as two persons."""
    de_1 = _register(client, auth_headers, "de-caseworker", _arrival("DE", "Muhammad", "Hadad", "1996-03-14"))
    de_2 = _register(client, auth_headers, "de-caseworker", _arrival("DE", "Yusuf", "Karimi", "1991-07-02"))
    it_1 = _register(client, auth_headers, "it-caseworker", _arrival("IT", "Mohammed", "Haddad", "1996-03-14"))
    it_2 = _register(client, auth_headers, "it-caseworker", _arrival("IT", "Youssef", "Karimi", "1991-07-02"))
    with services.uow() as uow:
        identity.index_missing(uow.conn)  # the search keys the registration job computes
        uow.commit()
    for rid in (it_1, it_2):
        r = client.post(f"{API}/records/{rid}/candidates", headers=auth_headers("it-caseworker"))
        assert r.status_code == 200, r.text
    queue = client.get(f"{API}/links/queue", headers=auth_headers("it-dublin")).json()
    link_1 = next(x for x in queue if x["linked_record_id"] == de_1)
    link_2 = next(x for x in queue if x["linked_record_id"] == de_2)
    for link, colour in ((link_1, "white"), (link_2, "green")):
        r = client.post(f"{API}/links/{link['id']}/decision", headers=auth_headers("it-dublin"),
                        json={"colour": colour, "reason": "compared at interview", "version": link["version"]})
        assert r.status_code == 200, r.text
    return {"probabilities": sorted([link_1["match_probability"], link_2["match_probability"]]),
            "same": link_1["match_probability"], "pending": len(queue) - 2}


def test_an_analyst_reads_the_decisions_by_probability_band(client, auth_headers, decided):
    r = client.get(f"{API}/verification-outcomes", headers=auth_headers("euaa-analyst"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"authority", "model_version", "verified", "pending", "automatic", "by_model_version",
                         "rows"}
    assert body["verified"] == 2 and body["pending"] == decided["pending"] and body["authority"] is None
    # both links were scored by the shipped model (version 0): a retrained model's decisions are
    # counted apart, so that the two can be compared
    assert body["by_model_version"] == {"0": 2}
    shipped = client.get(f"{API}/verification-outcomes?model_version=0", headers=auth_headers("euaa-analyst")).json()
    assert shipped["rows"] == body["rows"] and shipped["model_version"] == 0
    later = client.get(f"{API}/verification-outcomes?model_version=3", headers=auth_headers("euaa-analyst")).json()
    assert later["verified"] == 0 and all(x["verified"] == 0 for x in later["rows"])
    assert set(body["rows"][0]) == {"evidence", "low", "high", "verified", "same_person", "different_persons", "red",
                            "share_same_person", "mean_match_probability"}
    rows = body["rows"]
    assert sum(x["verified"] for x in rows) == 2
    assert sum(x["same_person"] for x in rows) == 1 and sum(x["different_persons"] for x in rows) == 1
    same_band = next(x for x in rows if x["evidence"] == "biographic" and x["low"] <= decided["same"] <= x["high"]
                     and x["same_person"])
    assert same_band["mean_match_probability"] == pytest.approx(decided["same"], abs=1e-4)
    # one authority's decisions; another's are empty
    it = client.get(f"{API}/verification-outcomes?authority=it", headers=auth_headers("euaa-analyst")).json()
    assert it["authority"] == "IT" and it["verified"] == 2
    de = client.get(f"{API}/verification-outcomes?authority=DE", headers=auth_headers("euaa-analyst")).json()
    assert de["verified"] == 0 and all(x["verified"] == 0 for x in de["rows"])


def test_a_bad_authority_is_named_and_a_user_without_the_role_is_refused(client, auth_headers, decided):
    r = client.get(f"{API}/verification-outcomes?authority=XX", headers=auth_headers("euaa-analyst"))
    assert r.status_code == 422 and "authority" in r.text and "XX" in r.text
    for bad in ("-1", "latest"):
        r = client.get(f"{API}/verification-outcomes?model_version={bad}", headers=auth_headers("euaa-analyst"))
        assert r.status_code == 422 and "model_version" in r.text
    assert client.get(f"{API}/verification-outcomes", headers=auth_headers("auditor")).status_code == 403


def test_the_cli_prints_the_same_outcomes_and_one_line_for_a_bad_authority(
        services, decided, monkeypatch, client, auth_headers):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_CLI_USER", "euaa-analyst")
    r = runner.invoke(app, ["identity", "outcomes", "--authority", "IT"])
    assert r.exit_code == 0, r.output
    api = client.get(f"{API}/verification-outcomes?authority=IT", headers=auth_headers("euaa-analyst")).json()
    assert json.loads(r.output) == api
    bad = runner.invoke(app, ["identity", "outcomes", "--authority", "Italy"])
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1 and "Italy" in bad.output
    bad = runner.invoke(app, ["identity", "outcomes", "--model-version", "-1"])
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1 and "--model-version: " in bad.output
    r = runner.invoke(app, ["identity", "outcomes", "--model-version", "0"])
    assert r.exit_code == 0 and json.loads(r.output)["verified"] == 2


def test_the_model_page_shows_the_outcomes_table(web_client, decided):
    page = web_client("euaa-analyst").get("/identity/model")
    assert page.status_code == 200
    assert "How the model fares on officers" in page.text
    assert "2 verified" in page.text and 'id="outcomes-table"' in page.text
    filtered = web_client("euaa-analyst").get("/identity/model?authority=DE")
    assert "0 verified" in filtered.text
    bad = web_client("euaa-analyst").get("/identity/model?authority=XX")
    assert bad.status_code == 422 and "authority" in bad.text and "2 verified" in bad.text
    by_version = web_client("euaa-analyst").get("/identity/model?model_version=0").text
    assert "2 verified of links scored by model version 0" in by_version and "0 (2 decided)" in by_version
    bad = web_client("euaa-analyst").get("/identity/model?model_version=latest")
    assert bad.status_code == 422 and "model_version" in bad.text
