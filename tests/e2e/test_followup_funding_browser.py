"""The funding overview in a real headless Chromium: the three charts are drawn from specs whose
Vega-Lite version is the vendored one, so the browser console carries no version warning, and the
page says the net total with the overlaps the annex states."""

from __future__ import annotations

import pytest

from pactum.services import followup
from pactum.services.auth import SYSTEM
from tests.unit.followup.annex_overlaps import annex_with_overlaps

try:
    from .test_browser import ARGS, CHROMIUM, login_page, server
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_browser import ARGS, CHROMIUM, login_page, server  # type: ignore[no-redef]  # noqa: F401

pytestmark = pytest.mark.browser


def test_funding_charts_log_no_vega_lite_version_warning(services, server, tmp_path):
    from playwright.sync_api import sync_playwright

    followup.load(services, SYSTEM, annex_with_overlaps())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = login_page(browser, server, "com-analyst", "/")
        said: list[str] = []
        page.on("console", lambda msg: said.append(f"{msg.type}: {msg.text}"))
        page.goto(f"{server}/followup/funding")
        for chart in ("#chart-stage", "#chart-partner", "#chart-commitment"):
            page.wait_for_selector(f"{chart}[data-chart-ready] svg", timeout=20000)
        page.screenshot(path=str(tmp_path / "funding.png"), full_page=True)
        main = page.inner_text("main")
        browser.close()
    assert [m for m in said if "vega" in m.lower() or "version" in m.lower()] == []
    assert "€1,757.2m" in main and "€1,783.2m" in main
    assert "top up from the regional anti-smuggling programme" in main
