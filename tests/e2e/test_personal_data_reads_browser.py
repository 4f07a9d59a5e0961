"""The read log's page and the audit log searched by a name, in a real browser: both meet WCAG 2.1
A and AA as axe-core checks them (the pages the first-day walk's read log added)."""

from __future__ import annotations

from typing import Any

import pytest

try:
    from .test_accessibility_browser import _RUN_AXE, AXE, WCAG_21_AA, _inject_axe
    from .test_browser import ARGS, CHROMIUM, login_page, server
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_accessibility_browser import _RUN_AXE, AXE, WCAG_21_AA, _inject_axe  # type: ignore[no-redef]
    from test_browser import ARGS, CHROMIUM, login_page, server  # type: ignore[no-redef]  # noqa: F401

pytestmark = pytest.mark.browser

ARRIVAL = {
    "identity": {"given_names": "Adel", "surname": "Othman", "sex": "M", "date_of_birth": "2003-01-01",
                 "nationality": "TUN", "documents": []},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-20T06:30:00Z", "kind": "sar_disembarkation",
                  "place": "Lampedusa", "route": "Central Mediterranean Route"},
}


def test_the_read_log_and_the_audit_by_name_meet_wcag_21_aa(client, auth_headers, web_client, server):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    person = client.post("/api/v1/registry/arrivals", json=ARRIVAL, headers=auth_headers("it-caseworker")).json()
    assert web_client("it-caseworker").get(f"/registry/persons/{person['person_id']}").status_code == 200
    axe = AXE.read_text(encoding="utf-8")
    found: dict[str, list[dict[str, Any]]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        auditor = login_page(browser, server, "auditor", "/audit")
        auditor.wait_for_load_state()
        auditor.fill("input[name=person_name]", "Othman")
        auditor.click("#audit-filters button[type=submit]")
        auditor.wait_for_load_state()
        assert "1 person matched" in auditor.content()
        _inject_axe(auditor, axe)
        found["audit log by a name"] = list(auditor.evaluate(_RUN_AXE, WCAG_21_AA))
        auditor.click("text=the reads of personal data")
        auditor.wait_for_load_state()
        assert "it-caseworker" in auditor.content()
        _inject_axe(auditor, axe)
        found["read log"] = list(auditor.evaluate(_RUN_AXE, WCAG_21_AA))
        auditor.fill("input[name=since]", "2026-11-29")
        auditor.click("#reads-filters button[type=submit]")
        auditor.wait_for_load_state()
        assert "No read of this kind" in auditor.content()
        _inject_axe(auditor, axe)
        found["read log, none selected"] = list(auditor.evaluate(_RUN_AXE, WCAG_21_AA))
        browser.close()
    assert {where: v for where, v in found.items() if v} == {}
