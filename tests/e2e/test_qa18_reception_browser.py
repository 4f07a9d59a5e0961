"""QA walk 18, reception in a real browser: the pages this walk added to (the overview's occupancy
by reporting week, its chart drawn; a state's page with its history CSV and withdrawn reports; a
report's withdrawal form, refused and shown again) meet WCAG 2.1 A and AA as axe-core checks them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_reception_web import FORM

try:
    from .test_accessibility_browser import _RUN_AXE, AXE, WCAG_21_AA, _inject_axe
    from .test_browser import ARGS, CHROMIUM, login_page, server
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_accessibility_browser import _RUN_AXE, AXE, WCAG_21_AA, _inject_axe  # type: ignore[no-redef]
    from test_browser import ARGS, CHROMIUM, login_page, server  # type: ignore[no-redef]  # noqa: F401

pytestmark = pytest.mark.browser


def _violations(page: Any, axe: str) -> list[dict[str, Any]]:
    page.wait_for_function("[...document.querySelectorAll('.chart[data-spec]')]"
                           ".every(c => c.hasAttribute('data-chart-ready'))", timeout=20000)
    _inject_axe(page, axe)
    return list(page.evaluate(_RUN_AXE, WCAG_21_AA))


def test_the_reception_pages_of_this_walk_meet_wcag_21_aa(web_client, server):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    web = web_client("it-caseworker")
    for day in ("2026-11-16", "2026-11-23", "2026-11-26"):
        assert web.post("/reception/report", data={**FORM, "reported_on": day}, follow_redirects=False).status_code == 303
    axe = AXE.read_text(encoding="utf-8")
    found: dict[str, list[dict[str, Any]]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        officer = login_page(browser, server, "it-caseworker", "/reception/states/IT")
        officer.wait_for_load_state()
        officer.click("text=The report, its versions and its correction")  # the latest: 26 November
        officer.wait_for_load_state()
        officer.fill("form[action$='/withdrawal'] input[name=reason]", " ")
        officer.eval_on_selector("form[action$='/withdrawal'] input[name=reason]", "e => e.removeAttribute('required')")
        officer.click("text=Withdraw the report of 2026-11-26")
        officer.wait_for_load_state()
        assert "Nothing was withdrawn" in officer.content()
        found["report page, withdrawal refused"] = _violations(officer, axe)
        officer.fill("form[action$='/withdrawal'] input[name=reason]", "typed 26 for 23 November")
        officer.click("text=Withdraw the report of 2026-11-26")
        officer.wait_for_load_state()
        assert "Withdrawn reports" in officer.content()
        found["state page, a report withdrawn"] = _violations(officer, axe)
        analyst = login_page(browser, server, "euaa-analyst", "/reception")
        analyst.wait_for_load_state()
        analyst.click("text=The weeks as a table")
        found["overview with the weeks"] = _violations(analyst, axe)
        browser.close()
    assert {where: v for where, v in found.items() if v} == {}
