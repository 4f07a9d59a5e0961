"""The awareness dashboard in a real headless Chromium: the analyst reads the routes table with a
sparkline per route, one line per route, under the route map."""

from __future__ import annotations

import pytest

try:
    from .test_browser import ARGS, CHROMIUM, login_page, server
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_browser import ARGS, CHROMIUM, login_page, server  # type: ignore[no-redef]  # noqa: F401

pytestmark = pytest.mark.browser


def test_routes_table_rows_are_as_tall_as_their_sparkline(services, server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = login_page(browser, server, "frontex-analyst", "/awareness", viewport={"width": 1300, "height": 1000})
        page.wait_for_selector("#route-map[data-chart-ready] svg", timeout=20000)
        page.wait_for_selector("#spark-1[data-chart-ready] svg", timeout=20000)
        rows = page.eval_on_selector_all(
            "tr:has(.chart.spark)", "rows => rows.map(r => r.getBoundingClientRect().height)")
        page.screenshot(path=str(tmp_path / "awareness.png"), full_page=True)
        browser.close()
    # a sparkline is 28 px high; a row must not reserve a full chart's height for it
    assert rows and max(rows) < 100, rows
