"""On a 375 px phone an inline form's field takes its own line inside its card: the person page's
"Search for matches of record" choice and its button are seen and reached without scrolling the
card sideways (WCAG 2.1 1.4.10 Reflow). The record's choice names the record by its id, its
category and its day, wider than a phone: the card scrolled it out of sight."""

from __future__ import annotations

import pytest

try:
    from .test_browser import ARGS, CHROMIUM, login_page, server
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_browser import ARGS, CHROMIUM, login_page, server  # type: ignore[no-redef]  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
ARRIVAL = {"identity": {"given_names": "Abdullah", "surname": "Rahimi", "sex": "M", "date_of_birth": "1994-05-02",
                        "nationality": "AFG"},
           "encounter": {"member_state": "IT", "occurred_at": "2026-11-20T06:30:00Z", "kind": "sar_disembarkation"},
           "biometrics": {"captured_at": "2026-11-20T09:00:00Z", "transmitted_at": "2026-11-20T10:00:00Z"}}


def test_the_search_for_matches_form_fits_its_card_on_a_phone(client, auth_headers, server):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    r = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    person = r.json()["person_id"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = login_page(browser, server, "it-caseworker", f"/registry/persons/{person}", viewport=PHONE)
        form = page.locator("#search-matches")
        card = form.locator("xpath=ancestor::section[1]")
        assert card.evaluate("c => c.scrollWidth <= c.clientWidth"), "the card scrolls sideways"
        box, select, button = (card.bounding_box(), form.locator("select").bounding_box(),
                               form.locator("button").bounding_box())
        assert box and select and button
        for name, b in (("choice of record", select), ("button", button)):
            assert box["x"] <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"], name
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        browser.close()
