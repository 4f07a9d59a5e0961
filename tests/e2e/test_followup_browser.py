"""The follow-up in a real headless Chromium: the editor opens the funding overview with its
charts drawn, edits an action through the form and finds the change in its history and in the
state-of-play page."""

from __future__ import annotations

import pytest

from pactum.services import followup
from pactum.services.auth import SYSTEM

try:
    from .test_browser import ARGS, CHROMIUM, login_page, server
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_browser import ARGS, CHROMIUM, login_page, server  # type: ignore[no-redef]  # noqa: F401

pytestmark = pytest.mark.browser


def test_editor_sees_charts_edits_and_finds_history(services, server, tmp_path):
    from playwright.sync_api import sync_playwright

    followup.load(services, SYSTEM)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = login_page(browser, server, "com-analyst", "/followup/funding")
        for chart in ("#chart-stage", "#chart-partner", "#chart-commitment"):
            page.wait_for_selector(f"{chart}[data-chart-ready] svg", timeout=20000)
        assert "€1,783.2m" in page.inner_text("main")
        page.screenshot(path=str(tmp_path / "funding.png"), full_page=True)

        page.goto(f"{server}/followup/commitments/2")
        page.click("#action-2\\.j >> text=edit")
        page.select_option("select[name=status]", "ongoing")
        page.fill("textarea[name=status_note]", "")
        page.fill("input[name=reason]", "chief negotiator appointed")
        page.click("form.followup-edit button")
        page.wait_for_selector("#history")
        history = page.inner_text("#history")
        assert "chief negotiator appointed" in history and "com-analyst" in history

        page.goto(f"{server}/followup/report?since=2023-06-23")
        assert "status, status_note" in page.inner_text("#changes")
        browser.close()
