"""A person's page shows the multiple-identity links of the person's records with the identity of
each other record (another state's, where the comparison reaches it): other persons' data, which
the read log did not record (the person page's read named the person alone, and
``GET /api/v1/identity/persons/{id}/links`` logged nothing). Each answer that shows a linked
identity is now one read of kind ``person_links``, a row per person shown with their state; a
withheld identity (its state only) is not a read of that person, and no link logs nothing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from pactum.services.bootstrap import Services
from tests.e2e.test_personal_data_reads import Headers, Login, _reads
from tests.e2e.test_personal_data_reads_identity import _two_states, _yellow_link

KEYS = ("username", "authority", "what", "channel", "person_id", "person_member_state", "persons_shown")


def _links_rows(services: Services) -> list[tuple[Any, ...]]:
    return sorted(tuple(r[k] for k in KEYS) for r in _reads(services) if r["what"] == "person_links")


def test_the_linked_identities_a_person_page_and_the_api_show_are_logged(
        client: TestClient, auth_headers: Headers, web_client: Login, services: Services) -> None:
    it, el = _two_states(client, auth_headers)
    # no link yet: the page and the API show no other identity, and log none
    assert web_client("it-caseworker").get(f"/registry/persons/{it['person_id']}").status_code == 200
    assert client.get(f"/api/v1/identity/persons/{it['person_id']}/links",
                      headers=auth_headers("it-caseworker")).json() == []
    assert _links_rows(services) == []

    _yellow_link(services, it, el)
    page = web_client("it-caseworker").get(f"/registry/persons/{it['person_id']}")
    assert page.status_code == 200 and "Otman" in page.text  # Greece's record, through Eurodac
    r = client.get(f"/api/v1/identity/persons/{it['person_id']}/links", headers=auth_headers("it-dublin"))
    assert r.status_code == 200 and r.json()[0]["other"]["withheld"] is False
    assert _links_rows(services) == [
        ("it-caseworker", "IT", "person_links", "web", el["person_id"], "EL", 1),
        ("it-dublin", "IT", "person_links", "api", el["person_id"], "EL", 1)]
    # the auditor of the linked person's state sees who read their person
    assert "multiple-identity links of a person" in web_client("auditor").get(
        "/audit/reads", params={"person_id": el["person_id"]}).text


def test_a_refused_read_of_the_links_logs_nothing(client: TestClient, auth_headers: Headers,
                                                   services: Services) -> None:
    it, el = _two_states(client, auth_headers)
    _yellow_link(services, it, el)
    # another state's person is not found in Greece's records; an analyst may not read links
    assert client.get(f"/api/v1/identity/persons/{it['person_id']}/links",
                      headers=auth_headers("el-caseworker")).status_code == 404
    assert client.get(f"/api/v1/identity/persons/{it['person_id']}/links",
                      headers=auth_headers("it-analyst")).status_code == 403
    assert _links_rows(services) == []
