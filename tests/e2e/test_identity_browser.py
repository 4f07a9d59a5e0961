"""The verification of a multiple-identity link in a real headless Chromium: the Dublin unit finds
the yellow link in its queue with both identities, compares them side by side, records a decision
with the form, and the model page counts it."""

from __future__ import annotations

from typing import Any

import pytest

from pactum.services import identity

try:
    from .test_browser import ARGS, CHROMIUM, login_page, server
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_browser import ARGS, CHROMIUM, login_page, server  # type: ignore[no-redef]  # noqa: F401

pytestmark = pytest.mark.browser


def _arrival(ms: str, given: str, surname: str, father: str) -> dict[str, Any]:
    return {"identity": {"given_names": given, "surname": surname, "father_name": father, "sex": "M",
                         "date_of_birth": "1996-03-14", "nationality": "SYR", "place_of_birth": "Aleppo"},
            "encounter": {"member_state": ms, "occurred_at": "2026-11-20T06:30:00Z",
                          "kind": "in_territory_application" if ms == "DE" else "sar_disembarkation"},
            "biometrics": {"captured_at": "2026-11-20T09:00:00Z", "transmitted_at": "2026-11-20T10:00:00Z"}}


def test_dublin_unit_verifies_a_yellow_link_in_the_browser(services, client, auth_headers, server):
    from playwright.sync_api import sync_playwright

    for ms, user, given, surname, father in (("DE", "de-caseworker", "Muhammad", "Hadad", "Ahmed"),
                                             ("IT", "it-caseworker", "Mohammed", "Haddad", "Ahmad")):
        r = client.post("/api/v1/registry/arrivals", json=_arrival(ms, given, surname, father),
                        headers=auth_headers(user))
        assert r.status_code == 201, r.text
        rid = r.json()["identity_record_id"]
    with services.uow() as uow:
        identity.index_missing(uow.conn)
        uow.commit()
    assert client.post(f"/api/v1/identity/records/{rid}/candidates",
                       headers=auth_headers("it-caseworker")).status_code == 200

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = login_page(browser, server, "it-dublin", "/identity/queue")
        row = page.locator("#queue tbody tr", has_text="Muhammad Hadad")
        assert "Mohammed Haddad" in row.inner_text()
        row.locator("a", has_text="verify").click()
        identities = page.inner_text("#identities")
        assert "Ahmad" in identities and "Ahmed" in identities and "DE" in identities
        evidence = page.inner_text("#evidence")  # each comparison by its name on screen
        assert "Father's name" in evidence and "Place of birth and nationality" in evidence
        assert "father_name" not in evidence and "origin" not in evidence
        page.check("input[name=colour][value=white]")
        page.fill("textarea[name=reason]", "same person: fingerprints compared, father's name transliterated")
        page.click("#decision-form button[type=submit]")
        page.wait_for_url(f"{server}/identity/queue*")
        assert "No link is waiting for verification." in page.inner_text("main")
        page.goto(f"{server}/identity/model")
        assert "1 verified; 0 awaiting verification" in page.inner_text("#outcomes")
        browser.close()
